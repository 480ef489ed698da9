/** The exported outlier list: JSON (with a validator) and CSV. */
export { buildOutlierExport, toCsv, validateOutlierExport, OUTLIER_EXPORT_FORMAT } from './outlierExport';
export { compareForExport, CSV_HEADER, csvErrorRow, csvItemRow, exportedItem, exportWithoutItems } from './outlierExport';
export type { ExportedItem, ExportInput, OutlierExport } from './outlierExport';
