import { countOutliers } from '../../src/common/threshold/outlierRule';
import type { PreviousRanking } from '../../src/protocol/webview';
import { LABEL_CODE } from '../../src/protocol/webview';
import type { ScanModel } from '../app/scanModel';
import { element, setText } from '../dom/element';
import { formatCount, formatRate } from '../dom/format';
import { GroundTruth } from '../scores/groundTruth';

/** One detector's column of the comparison. */
interface RankingFacts {
  readonly name: string;
  readonly trainingImages: number | null;
  readonly auroc: number | null;
  readonly flagged: number;
  /** Labelled outliers above the threshold; null without labelled outliers. */
  readonly outliersFlagged: number | null;
}

const ROWS = [
  ['training', 'Training images'],
  ['auroc', 'AUROC'],
  ['flagged', 'Flagged'],
  ['outliers', 'Labelled outliers flagged'],
] as const;

/**
 * After "Retrain without flagged": the old and the retrained detector side by side over the same
 * images — training images, AUROC against the ground truth, how many each flags (the old one at
 * the threshold its flagged images were left out at, the new one at the threshold set now) and
 * how many labelled outliers are among them.
 */
export class RetrainComparison {
  /** The strip; hidden when the scan's detector replaced none. */
  readonly root: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly cells = new Map<string, HTMLElement>();
  private previousFor: { scan: ScanModel; facts: RankingFacts } | null = null;

  constructor() {
    this.heading = element('h3', { text: 'Retrained without flagged images' });
    const table = element('table', { id: 'retrain-comparison-table', className: 'comparison-table' });
    const head = element('tr', {}, [element('th', { text: '' }), element('th', { id: 'comparison-previous-name' }), element('th', { id: 'comparison-retrained-name' })]);
    table.append(head);
    for (const [key, label] of ROWS) {
      const previous = element('td', { id: `comparison-previous-${key}` });
      const retrained = element('td', { id: `comparison-retrained-${key}` });
      this.cells.set(`previous-${key}`, previous);
      this.cells.set(`retrained-${key}`, retrained);
      table.append(element('tr', { id: `comparison-row-${key}` }, [element('th', { text: label, attributes: { scope: 'row' } }), previous, retrained]));
    }
    this.root = element('section', { id: 'retrain-comparison', className: 'retrain-comparison', attributes: { hidden: '' } }, [
      this.heading,
      element('p', { className: 'hint', text: 'The old detector flags at the threshold its flagged images were left out at; the retrained one at the threshold set now.' }),
      table,
    ]);
  }

  /** Shows the comparison for `scan` at `threshold`, or hides the strip when its detector replaced none. */
  show(scan: ScanModel, threshold: number): void {
    const previous = scan.snapshot.previousRanking;
    this.root.hidden = !previous;
    if (!previous) return;
    if (this.previousFor?.scan !== scan) this.previousFor = { scan, facts: previousFacts(previous, scan) };
    const retrained = retrainedFacts(scan, threshold, previous.trainingImages.retrained);
    this.fill('previous', this.previousFor.facts);
    this.fill('retrained', retrained);
    // AUROC and outliers flagged need inliers and outliers labelled.
    for (const key of ['auroc', 'outliers']) {
      const row = this.root.querySelector<HTMLElement>(`#comparison-row-${key}`);
      if (row) row.hidden = retrained.auroc === null;
    }
  }

  private fill(column: 'previous' | 'retrained', facts: RankingFacts): void {
    const name = this.root.querySelector(`#comparison-${column}-name`);
    if (name) setText(name, column === 'previous' ? `${facts.name} (before)` : `${facts.name} (retrained)`);
    this.set(`${column}-training`, facts.trainingImages === null ? '?' : formatCount(facts.trainingImages));
    this.set(`${column}-auroc`, facts.auroc === null ? '–' : formatRate(facts.auroc));
    this.set(`${column}-flagged`, formatCount(facts.flagged));
    this.set(`${column}-outliers`, facts.outliersFlagged === null ? '–' : formatCount(facts.outliersFlagged));
  }

  private set(key: string, text: string): void {
    const cell = this.cells.get(key);
    if (cell) setText(cell, text);
  }
}

function previousFacts(previous: PreviousRanking, scan: ScanModel): RankingFacts {
  const labels = scan.snapshot.labels;
  // An image the old detector did not score counts as unlabelled in its ranking.
  const groundTruth = labels ? GroundTruth.fromLabels(previous.scores, labels.map((label, i) => (Number.isNaN(previous.scores[i]) ? LABEL_CODE.unknown : label))) : undefined;
  return {
    name: previous.detectorName,
    trainingImages: previous.trainingImages.previous,
    auroc: groundTruth?.auroc ?? null,
    flagged: countOutliers(previous.scores, previous.threshold),
    outliersFlagged: groundTruth ? groundTruth.qualityAt(previous.threshold).truePositives : null,
  };
}

function retrainedFacts(scan: ScanModel, threshold: number, trainingImages: number | null): RankingFacts {
  const groundTruth = scan.groundTruth;
  return {
    name: scan.snapshot.detectorName,
    trainingImages,
    auroc: groundTruth?.auroc ?? null,
    flagged: scan.index.outlierCount(threshold),
    outliersFlagged: groundTruth ? groundTruth.qualityAt(threshold).truePositives : null,
  };
}
