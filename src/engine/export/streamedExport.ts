import type { TextSink } from '../store/atomicWrite';
import type { ExportedItem, OutlierExport } from './outlierExport';
import { csvErrorRow, csvHeader, csvItemRow } from './outlierExport';

/** The items of an export, handed one at a time in rank order to `visit`. */
export type EachExportItem = (visit: (item: ExportedItem) => Promise<void>) => Promise<void>;

const ITEMS_PLACEHOLDER = '\u0000outlier-lens-items\u0000';

/**
 * Writes the JSON export of `head` with the items `eachItem` gives, without holding them: byte
 * for byte `JSON.stringify({ ...head, items }, null, 2)` and a newline, items before `errors`, as
 * `buildOutlierExport` orders the fields.
 */
export async function writeJsonExport(head: Omit<OutlierExport, 'items'>, eachItem: EachExportItem, write: TextSink): Promise<void> {
  // The skeleton is stringified whole with a placeholder where the items go, so every other field keeps JSON.stringify's layout.
  const { errors, ...rest } = head;
  const skeleton = JSON.stringify({ ...rest, items: ITEMS_PLACEHOLDER, errors }, null, 2);
  const [before, after] = skeleton.split(JSON.stringify(ITEMS_PLACEHOLDER));
  await write(before);
  let first = true;
  await eachItem(async (item) => {
    await write(`${first ? '[' : ','}\n    ${JSON.stringify(item, null, 2).replace(/\n/g, '\n    ')}`);
    first = false;
  });
  await write(first ? '[]' : '\n  ]');
  await write(`${after}\n`);
}

/** Writes the CSV export: the header, a row per item `eachItem` gives, then the unreadable files; byte for byte `toCsv` where `labelled` says whether any item has a label. */
export async function writeCsvExport(errors: OutlierExport['errors'], eachItem: EachExportItem, write: TextSink, labelled = false): Promise<void> {
  await write(`${csvHeader(labelled)}\n`);
  await eachItem((item) => write(`${csvItemRow(item, labelled)}\n`));
  for (const error of errors) await write(`${csvErrorRow(error, labelled)}\n`);
}
