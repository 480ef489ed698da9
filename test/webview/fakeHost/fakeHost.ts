/**
 * A stand-in for the extension host, loaded before dist/webview.js: it implements
 * `acquireVsCodeApi()` and answers the protocol from a generated result set, as the real
 * panel provider would (queue until `ready`, typed arrays, pages per query).
 */
import { countReasons } from '../../../src/common/gallery/galleryList';
import { percentile } from '../../../src/common/metrics/percentile';
import { DEFAULT_PERCENTILE } from '../../../src/common/threshold/outlierRule';
import type { DuplicateGroup, FromWebviewMessage, RankingSettings, RankingState, ScoredGalleryItem, ScoresSnapshot, ToWebviewMessage } from '../../../src/protocol/webview';
import { defaultRanking, UNCALIBRATED_REASON, usableRanking } from '../../../src/extension/results/ranking';
import { CALIBRATED_SIGNALS } from '../../../src/protocol/scanResults';
import { LABEL_CODE } from '../../../src/protocol/webview';
import type { VsCodeApi } from '../../../webview/messaging/vscodeApi';
import { DEFAULT_OPTIONS, fixtureDuplicateGroups, generateResultSet, pixelMapsFor, type ResultSetOptions } from '../fixtures/resultSet';
import type { FakeHostHandle, FakeTheme } from './fakeHostApi';
import { GalleryLists, rankedImage } from './galleryLists';
import { fakeTraining } from './training';

const STATE_KEY = 'outlier-lens-fake-host-state';
const parameters = new URLSearchParams(location.search);
const number = (name: string, fallback: number): number => (parameters.has(name) ? Number(parameters.get(name)) : fallback);
const options: ResultSetOptions = {
  count: number('n', DEFAULT_OPTIONS.count),
  failedCount: number('failed', DEFAULT_OPTIONS.failedCount),
  labelled: parameters.get('labels') !== '0',
  seed: number('seed', DEFAULT_OPTIONS.seed),
  outlierShare: DEFAULT_OPTIONS.outlierShare,
};
const latencyMs = number('latency', 0);
const thumbnails = window.__fixtureThumbnails ?? [];
const resultSet = generateResultSet(options);
// `calibrated=1`: the detector has a calibration, the images carry tail probabilities and the scan ranks by the verdict.
const calibrated = parameters.get('calibrated') === '1';
let ranking: RankingSettings | null = calibrated ? defaultRanking(true) : null;
let revision = 1;
let lists = new GalleryLists(resultSet, thumbnails, ranking);
const duplicateGroups = fixtureDuplicateGroups(resultSet);
// As the host lists them: exact groups, then near ones, each group and each list in score order.
const listDuplicateGroups = (): DuplicateGroup[] => (['exact', 'near'] as const).flatMap((kind) =>
  duplicateGroups
    .filter((group) => group.kind === kind)
    .map((group) => ({ kind, items: group.paths.map((path) => lists.scoredItem(path)?.item).filter((item): item is ScoredGalleryItem => item !== undefined).sort((a, b) => a.rank - b.rank) }))
    .sort((a, b) => a.items[0].rank - b.items[0].rank),
);
let listedDuplicateGroups = listDuplicateGroups();

/** The ranking as the host's snapshot says it. */
function rankingState(): RankingState {
  return calibrated && ranking
    ? { settings: ranking, available: CALIBRATED_SIGNALS, defaults: defaultRanking(true), calibratedOn: 'training hold-out and 40 images labelled inliers in this folder' }
    : { settings: defaultRanking(false), available: [], defaults: defaultRanking(false), unavailable: UNCALIBRATED_REASON };
}
const posted: FromWebviewMessage[] = [];
const violations: string[] = [];
let isReady = false;
const queue: ToWebviewMessage[] = [];

document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));

function deliver(message: ToWebviewMessage): void {
  if (!isReady) {
    queue.push(message); // Like the real host: nothing reaches the webview before `ready`.
    return;
  }
  setTimeout(() => window.postMessage(message, '*'), latencyMs);
}

function snapshot(): ScoresSnapshot {
  // In the fixture's order, as the tests align other arrays (a previous ranking) with it.
  const scores = new Float32Array(resultSet.scored.map((image) => rankedImage(image, ranking).score));
  const labels = options.labelled ? Uint8Array.from(resultSet.scored, (image) => (image.label === 'outlier' ? LABEL_CODE.outlier : LABEL_CODE.inlier)) : undefined;
  const initial = ranking?.mode === 'verdict' ? 2 : number('threshold', 20);
  return {
    type: 'scoresSnapshot',
    scanId: `scan-${options.seed}-${options.count}`,
    revision,
    ranking: rankingState(),
    folderLabel: 'datasets/fashion-vs-mnist',
    detectorName: 'fashion-llr',
    scores,
    labels,
    failedCount: resultSet.failed.length,
    threshold: { value: initial, method: 'absolute' },
    detectorThreshold: { value: percentile(scores, DEFAULT_PERCENTILE), method: 'percentile', percentile: DEFAULT_PERCENTILE },
    // `streaming=1`: a scan still running, `expected` files in all when given.
    complete: parameters.get('streaming') !== '1',
    ...(parameters.has('expected') ? { expectedCount: number('expected', 0) } : {}),
    reasonCounts: countReasons(lists.scoredItems, (item) => item.reasons),
    duplicateGroupCount: duplicateGroups.length,
  };
}

function answer(message: FromWebviewMessage): void {
  switch (message.type) {
    case 'ready':
      isReady = true;
      deliver(snapshot());
      queue.splice(0).forEach(deliver);
      return;
    case 'requestPage': {
      const list = lists.list(message.query);
      deliver({ type: 'pageReply', inReplyTo: message.requestId, revision, offset: message.offset, total: list.length, items: list.slice(message.offset, message.offset + message.limit) });
      return;
    }
    case 'requestDuplicateGroups': {
      const groups = listedDuplicateGroups.slice(message.offset, message.offset + message.limit);
      deliver({ type: 'duplicateGroupsReply', inReplyTo: message.requestId, revision, offset: message.offset, total: listedDuplicateGroups.length, groups });
      return;
    }
    case 'requestPixelMaps': {
      const found = lists.scoredItem(message.relativePath);
      if (!found) {
        deliver({ type: 'requestFailed', inReplyTo: message.requestId, reason: `not a result of this scan: ${message.relativePath}` });
        return;
      }
      const image = resultSet.scored[found.index];
      deliver({ type: 'pixelMapsReply', inReplyTo: message.requestId, item: found.item, maps: pixelMapsFor(image, found.index) });
      return;
    }
    case 'requestTraining':
      // `sampleDelay`: the engine takes this long to draw samples (curves come from the manifest at once).
      setTimeout(() => deliver(fakeTraining(message.requestId, thumbnails, parameters.get('training') !== '0', message.includeSamples)), message.includeSamples ? number('sampleDelay', 0) : 0);
      return;
    case 'didChangeRanking': {
      // As the host: an uncalibrated scan stays on the LLR; the set re-ranks and a new snapshot follows.
      if (!calibrated || !ranking) return;
      ranking = usableRanking(message.ranking, true);
      lists = new GalleryLists(resultSet, thumbnails, ranking);
      listedDuplicateGroups = listDuplicateGroups();
      revision++;
      deliver(snapshot());
      return;
    }
    default:
      return; // Notifications (threshold, marks, open, reveal) are only recorded.
  }
}

const api: VsCodeApi<unknown> = {
  postMessage(message: unknown): void {
    const typed = message as FromWebviewMessage;
    posted.push(typed);
    answer(typed);
  },
  getState(): unknown {
    const saved = sessionStorage.getItem(STATE_KEY);
    return saved === null ? undefined : JSON.parse(saved);
  },
  setState<State>(state: State): State {
    // VS Code serialises the state as JSON too.
    sessionStorage.setItem(STATE_KEY, JSON.stringify(state));
    return state;
  },
};

let acquired = false;
Object.assign(window, {
  acquireVsCodeApi(): VsCodeApi<unknown> {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return api;
  },
});

async function setTheme(theme: FakeTheme): Promise<void> {
  const link = document.getElementById('fake-theme') as HTMLLinkElement;
  await new Promise<void>((resolve) => {
    link.addEventListener('load', () => resolve(), { once: true });
    link.href = `/harness/theme-${theme}.css`;
  });
  document.body.className = `vscode-${theme}`;
  document.body.dataset.vscodeThemeKind = `vscode-${theme}`;
}

const handle: FakeHostHandle = {
  posted,
  violations,
  push: deliver,
  pushSnapshot: (patch) => deliver({ ...snapshot(), ...patch }),
  setTheme,
  savedState: () => api.getState(),
};
window.__fakeHost = handle;
