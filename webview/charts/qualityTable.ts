import { element, setText } from '../dom/element';
import { formatCount, formatRate } from '../dom/format';
import type { GroundTruth } from '../scores/groundTruth';

const METRICS = [
  ['auroc', 'AUROC'],
  ['auprc', 'AUPRC'],
  ['f1', 'F1'],
  ['accuracy', 'Accuracy'],
  ['precision', 'Precision'],
  ['recall', 'Recall (TPR)'],
  ['fpr', 'False-positive rate'],
  ['confusion', 'TP / FP / TN / FN'],
] as const;

/** Threshold-free (AUROC, AUPRC) and at-threshold quality numbers against the ground truth. */
export class QualityTable {
  /** The table element. */
  readonly root: HTMLDListElement;
  private readonly values = new Map<string, HTMLElement>();

  constructor() {
    this.root = element('dl', { id: 'quality', className: 'quality-table' });
    for (const [key, term] of METRICS) {
      const value = element('dd', { id: `metric-${key}` });
      this.values.set(key, value);
      this.root.append(element('div', { className: 'fact' }, [element('dt', { text: term }), value]));
    }
  }

  /** Update every number for `threshold`. */
  show(groundTruth: GroundTruth, threshold: number): void {
    const quality = groundTruth.qualityAt(threshold);
    this.set('auroc', formatRate(groundTruth.auroc));
    this.set('auprc', formatRate(groundTruth.auprc));
    this.set('f1', formatRate(quality.f1));
    this.set('accuracy', formatRate(quality.accuracy));
    this.set('precision', formatRate(quality.precision));
    this.set('recall', formatRate(quality.recall));
    this.set('fpr', formatRate(quality.falsePositiveRate));
    this.set('confusion', [quality.truePositives, quality.falsePositives, quality.trueNegatives, quality.falseNegatives].map(formatCount).join(' / '));
  }

  private set(key: string, text: string): void {
    const node = this.values.get(key);
    if (node) setText(node, text);
  }
}
