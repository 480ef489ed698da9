import type { OutlierReason } from '../../protocol/scanResults';
import type { FieldSource } from './recordFields';
import { FieldReader, fieldSource } from './recordFields';
import type { ResultStore, StorePlace } from './resultStore';

const reasonReader = new FieldReader({ reasons: 'json' });
const REASONS_KEY = Buffer.from('"reasons":');

/** A record's `reasons` value, if it is a non-empty list of strings. */
function reasonsIn(value: unknown): OutlierReason[] | undefined {
  return Array.isArray(value) && value.length > 0 && value.every((reason) => typeof reason === 'string') ? (value as OutlierReason[]) : undefined;
}

/**
 * Appends the records at `places` of `source` to `target` as they are (a rescan's unchanged files)
 * and gives where each went and its own reasons, read from its bytes as it is copied: the index
 * keeps them (few images have any), so counts and the reason filter never read the store. Only
 * records whose bytes hold the key are read (found with one native search per run, left to right).
 */
export function copyWithReasons(target: ResultStore, source: ResultStore, places: readonly StorePlace[]): { places: StorePlace[]; reasons: Array<OutlierReason[] | undefined> } {
  const reasons: Array<OutlierReason[] | undefined> = [];
  let current: { run: Buffer; fields: FieldSource | null; nextKey: number } | null = null;
  const copied = target.copyFrom(source, places, (run, start, end, i) => {
    if (current?.run !== run) current = { run, fields: null, nextKey: -1 };
    if (current.nextKey !== Number.POSITIVE_INFINITY && current.nextKey < start) {
      const found = run.indexOf(REASONS_KEY, start);
      current.nextKey = found < 0 ? Number.POSITIVE_INFINITY : found;
    }
    if (current.nextKey >= end) return;
    current.fields ??= fieldSource(run);
    reasons[i] = reasonsIn(reasonReader.read(current.fields, start, end)?.reasons);
  });
  return { places: copied, reasons };
}
