import type { PixelMaps } from '../../src/protocol/scanResults';
import type { ScanModel } from '../app/scanModel';
import type { HostChannel } from '../messaging/hostChannel';
import type { ValueRange } from './heatmapCanvas';

/** Images whose maps set the shared scale: enough to span a scan's typical pixels, few enough to cost the engine a second or two. */
const SAMPLE_SIZE = 12;

/** Pixels beyond these percentiles of the pooled maps saturate: one freak pixel must not wash out every map. */
const LOW_PERCENTILE = 0.01;
const HIGH_PERCENTILE = 0.99;

/** The colour ranges the three maps share across images, and where they were measured. */
export interface SharedRanges {
  readonly semantic: ValueRange;
  readonly background: ValueRange;
  /** Symmetric around zero (the outlier-score map is diverging). */
  readonly llr: ValueRange;
  /** How many images the maps were pooled from. */
  readonly imageCount: number;
  /** `known inliers` when images are labelled as inliers, else `scanned images`. */
  readonly source: 'known inliers' | 'scanned images';
}

/**
 * One colour scale for every image of a scan, so that a map's colour means the same log-likelihood
 * in every image: measured on the maps of images spread evenly over the scores of the known
 * inliers (the detector's range on data like its training set), or of the whole scan without
 * labels. Asked once per scan, through the same requests as the detail view's own maps.
 */
export class SharedScale {
  private scanId: string | null = null;
  private ranges: Promise<SharedRanges | null> | null = null;

  constructor(private readonly channel: HostChannel) {}

  /** The scan's shared ranges (measured on first call, then cached); null when no map could be read. */
  rangesFor(scan: ScanModel): Promise<SharedRanges | null> {
    if (scan.snapshot.scanId !== this.scanId || !this.ranges) {
      this.scanId = scan.snapshot.scanId;
      this.ranges = this.measure(scan).catch(() => null);
    }
    return this.ranges;
  }

  private async measure(scan: ScanModel): Promise<SharedRanges | null> {
    const inliersOnly = scan.knownInliers !== undefined;
    const paths = await this.samplePaths(scan, inliersOnly);
    const maps: PixelMaps[] = [];
    // One at a time: the image the user opened is computed first, and the engine is never flooded.
    for (const relativePath of paths) {
      maps.push((await this.channel.request({ type: 'requestPixelMaps', relativePath })).maps);
    }
    if (maps.length === 0) return null;
    const llr = robustRange(maps.map((entry) => entry.llr));
    const magnitude = Math.max(Math.abs(llr.low), Math.abs(llr.high)) || 1;
    return {
      semantic: widen(robustRange(maps.map((entry) => entry.semanticLogProb))),
      background: widen(robustRange(maps.map((entry) => entry.backgroundLogProb))),
      llr: { low: -magnitude, high: magnitude },
      imageCount: maps.length,
      source: inliersOnly ? 'known inliers' : 'scanned images',
    };
  }

  /** Paths of up to SAMPLE_SIZE images at evenly spaced quantiles of the (inlier) scores, read from the score-ordered list. */
  private async samplePaths(scan: ScanModel, inliersOnly: boolean): Promise<string[]> {
    const scores = scan.knownInliers ?? scan.index.sorted;
    const paths = new Set<string>();
    for (let k = 0; k < SAMPLE_SIZE && scores.length > 0; k++) {
      const score = scores[Math.floor(((k + 0.5) / SAMPLE_SIZE) * scores.length)];
      const offset = scan.index.rankOf(score) - 1;
      const page = await this.channel.request({
        type: 'requestPage',
        offset,
        limit: 8,
        query: { filter: 'all', sort: 'scoreDescending', search: '', threshold: 0 },
      });
      const found = page.items.find((item) => item.kind === 'scored' && !paths.has(item.relativePath) && (!inliersOnly || item.label === 'inlier'));
      if (found) paths.add(found.relativePath);
    }
    return [...paths];
  }
}

/** The LOW_PERCENTILE–HIGH_PERCENTILE range of all finite values of `maps` together. */
export function robustRange(maps: readonly Float32Array[]): ValueRange {
  const pooled: number[] = [];
  for (const values of maps) for (const value of values) if (Number.isFinite(value)) pooled.push(value);
  if (pooled.length === 0) return { low: 0, high: 0 };
  const sorted = Float64Array.from(pooled).sort();
  const at = (fraction: number): number => sorted[Math.min(sorted.length - 1, Math.floor(fraction * (sorted.length - 1)))];
  return { low: at(LOW_PERCENTILE), high: at(HIGH_PERCENTILE) };
}

function widen(range: ValueRange): ValueRange {
  return range.high > range.low ? range : { low: range.low - 0.5, high: range.high + 0.5 };
}
