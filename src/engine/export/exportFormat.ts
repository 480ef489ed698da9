/** Version of the export format; readers check it (2 added the signals, reasons and verdict; 1 is still read). */
export const OUTLIER_EXPORT_FORMAT = { tool: 'outlier-lens', version: 2 } as const;

/** The oldest export format version this one reads. */
export const OLDEST_OUTLIER_EXPORT_VERSION = 1;
