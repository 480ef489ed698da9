import type { FromWebviewMessage, GalleryFilter, GallerySort, RankingSettings, ReasonFilter, SelectionActionKind } from '../../protocol/webview';
import { isValidCut } from '../../common/verdict/signalSelection';
import { SELECTION_ACTIONS } from '../../protocol/webview';
import type { CalibratedSignal, OutlierReason, ThresholdSetting } from '../../protocol/scanResults';
import { CALIBRATED_SIGNALS, REASON_LABELS } from '../../protocol/scanResults';

const FILTERS: readonly GalleryFilter[] = ['all', 'outliers', 'inliers', 'errors'];
const SORTS: readonly GallerySort[] = ['scoreDescending', 'scoreAscending', 'name'];
const REASON_FILTERS: readonly ReasonFilter[] = ['any', ...(Object.keys(REASON_LABELS) as OutlierReason[])];

type Fields = Record<string, unknown>;
const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null;
const isInteger = (value: unknown): value is number => Number.isInteger(value);
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** A threshold from the webview, if well formed. */
export function parseThreshold(value: unknown): ThresholdSetting | null {
  if (!isFields(value) || !isFiniteNumber(value.value)) return null;
  if (value.method === 'absolute') return { value: value.value, method: 'absolute' };
  if (value.method === 'percentile' && isFiniteNumber(value.percentile) && value.percentile >= 0 && value.percentile <= 100) {
    return { value: value.value, method: 'percentile', percentile: value.percentile };
  }
  if (value.method === 'fpr' && isFiniteNumber(value.fpr) && value.fpr >= 0 && value.fpr <= 1) return { value: value.value, method: 'fpr', fpr: value.fpr };
  return null;
}

/** Ranking settings from the webview, if well formed: a known mode, known signals each once, cuts strictly between 0 and 1. */
export function parseRanking(value: unknown): RankingSettings | null {
  if (!isFields(value) || (value.mode !== 'verdict' && value.mode !== 'llr') || !Array.isArray(value.signals) || !isFields(value.cuts)) return null;
  const signals = value.signals as unknown[];
  if (!signals.every((signal) => CALIBRATED_SIGNALS.includes(signal as CalibratedSignal)) || new Set(signals).size !== signals.length) return null;
  const cuts: Partial<Record<CalibratedSignal, number>> = {};
  for (const [signal, cut] of Object.entries(value.cuts)) {
    if (!CALIBRATED_SIGNALS.includes(signal as CalibratedSignal) || !isValidCut(cut)) return null;
    cuts[signal as CalibratedSignal] = cut;
  }
  return { mode: value.mode, signals: signals as CalibratedSignal[], cuts };
}

/**
 * Checks a message from the webview field by field (it is untrusted input) and returns it typed,
 * or null when it is not one of the protocol's messages.
 */
export function parseFromWebview(raw: unknown): FromWebviewMessage | null {
  if (!isFields(raw) || typeof raw.type !== 'string') return null;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'requestPage': {
      const query = raw.query;
      if (!isInteger(raw.requestId) || !isInteger(raw.offset) || !isInteger(raw.limit) || raw.limit < 0 || raw.limit > 10_000 || !isFields(query)) return null;
      if (!FILTERS.includes(query.filter as GalleryFilter) || !SORTS.includes(query.sort as GallerySort) || typeof query.search !== 'string' || typeof query.threshold !== 'number') return null;
      if (query.reason !== undefined && !REASON_FILTERS.includes(query.reason as ReasonFilter)) return null;
      const reason = query.reason === undefined ? {} : { reason: query.reason as ReasonFilter };
      return { type: 'requestPage', requestId: raw.requestId, offset: raw.offset, limit: raw.limit, query: { filter: query.filter as GalleryFilter, sort: query.sort as GallerySort, search: query.search, threshold: query.threshold, ...reason } };
    }
    case 'requestDuplicateGroups':
      return isInteger(raw.requestId) && isInteger(raw.offset) && raw.offset >= 0 && isInteger(raw.limit) && raw.limit >= 0 && raw.limit <= 1_000
        ? { type: 'requestDuplicateGroups', requestId: raw.requestId, offset: raw.offset, limit: raw.limit }
        : null;
    case 'requestPixelMaps':
      return isInteger(raw.requestId) && typeof raw.relativePath === 'string' ? { type: 'requestPixelMaps', requestId: raw.requestId, relativePath: raw.relativePath } : null;
    case 'requestTraining':
      return isInteger(raw.requestId) ? { type: 'requestTraining', requestId: raw.requestId, includeSamples: raw.includeSamples === true } : null;
    case 'didChangeThreshold': {
      const threshold = parseThreshold(raw.threshold);
      return threshold ? { type: 'didChangeThreshold', threshold } : null;
    }
    case 'didChangeRanking': {
      const ranking = parseRanking(raw.ranking);
      return ranking ? { type: 'didChangeRanking', ranking } : null;
    }
    case 'didChangeSelection':
      return Array.isArray(raw.selected) && raw.selected.every((entry) => typeof entry === 'string')
        ? { type: 'didChangeSelection', selected: raw.selected as string[] }
        : null;
    case 'retryScan':
    case 'retrainWithoutFlagged':
      return typeof raw.scanId === 'string' ? { type: raw.type, scanId: raw.scanId } : null;
    case 'openImage':
    case 'revealInExplorer':
      return typeof raw.relativePath === 'string' ? { type: raw.type, relativePath: raw.relativePath } : null;
    case 'actOnSelection':
      return SELECTION_ACTIONS.includes(raw.action as SelectionActionKind) && Array.isArray(raw.paths) && raw.paths.every((entry) => typeof entry === 'string')
        ? { type: 'actOnSelection', action: raw.action as SelectionActionKind, paths: raw.paths as string[] }
        : null;
    case 'undoLastAction':
      return { type: 'undoLastAction' };
    default:
      return null;
  }
}
