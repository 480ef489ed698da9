/** Every command the extension contributes (package.json `contributes.commands` lists the same ids). */
export const COMMANDS = {
  scanFolder: 'outlierLens.scanFolder',
  trainDetector: 'outlierLens.trainDetector',
  openResults: 'outlierLens.openResults',
  exportJson: 'outlierLens.exportJson',
  exportCsv: 'outlierLens.exportCsv',
  showSamples: 'outlierLens.showSamples',
  selectBackend: 'outlierLens.selectBackend',
  cancel: 'outlierLens.cancel',
  markInliers: 'outlierLens.markFolderInliers',
  markOutliers: 'outlierLens.markFolderOutliers',
  clearLabelMark: 'outlierLens.clearFolderLabel',
  getDemoData: 'outlierLens.getDemoData',
} as const;

/** A command id of the extension. */
export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** The results panel's view type and the side view's id. */
export const VIEWS = {
  resultsPanel: 'outlierLens.results',
  sideView: 'outlierLens.sideView',
  container: 'outlierLens',
} as const;
