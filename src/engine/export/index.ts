/** The exported outlier list: JSON (with a validator) and CSV. */
export { buildOutlierExport, toCsv, validateOutlierExport, OUTLIER_EXPORT_FORMAT } from './outlierExport';
export type { ExportedItem, ExportInput, ExportVerdict, OutlierExport } from './outlierExport';
