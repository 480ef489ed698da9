/** The exported outlier list: JSON (with a validator) and CSV. */
export { buildOutlierExport, toCsv, validateOutlierExport, OUTLIER_EXPORT_FORMAT } from './outlierExport';
export { compareByPath, compareForExport, CSV_HEADER, csvErrorRow, csvItemRow, exportedItem, exportWithoutItems, usesCalibratedVerdict, isExportOutlier } from './outlierExport';
export type { CalibratedVerdict, ExportedItem, ExportInput, ExportVerdict, OutlierExport } from './outlierExport';
export { writeCsvExport, writeJsonExport } from './streamedExport';
export type { EachExportItem } from './streamedExport';
