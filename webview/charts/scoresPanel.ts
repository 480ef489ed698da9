import { LABEL_CODE } from '../../src/protocol/webview';
import type { AppState } from '../app/appState';
import type { FrameScheduler } from '../app/frameScheduler';
import type { ScanModel } from '../app/scanModel';
import type { Store } from '../app/store';
import { element } from '../dom/element';
import { onThemeChange } from './chartTheme';
import { CurveChart } from './curveChart';
import { HistogramChart, LOG_COUNTS_BELOW_TAIL_SHARE } from './histogramChart';
import { QualityTable } from './qualityTable';
import { RetrainComparison } from './retrainComparison';

/** The ROC/PR part, which exists only when the scan has labelled inliers and outliers. */
interface GroundTruthSection {
  readonly root: HTMLElement;
  readonly roc: CurveChart;
  readonly precisionRecall: CurveChart;
  readonly table: QualityTable;
}

/**
 * The "Scores" tab: the histogram with its draggable threshold, and, with ground truth, ROC and
 * PR curves with AUROC/AUPRC and the quality of the current threshold.
 */
export class ScoresPanel {
  /** The tab's content. */
  readonly root: HTMLElement;
  private readonly histogram: HistogramChart;
  private readonly comparison = new RetrainComparison();
  private groundTruthSection: GroundTruthSection | undefined;
  private shownScan: ScanModel | null = null;
  private readonly logCounts: HTMLInputElement;
  /** Whether the bars are drawn on a log axis now (`auto` is decided once per scan, so the chart does not flip while the line is dragged). */
  private shownLog: boolean | null = null;
  private autoLogFor: string | null = null;
  private autoLog = false;

  constructor(
    private readonly store: Store<AppState>,
    scheduler: FrameScheduler,
    onDragThreshold: (value: number) => void,
  ) {
    this.histogram = new HistogramChart(onDragThreshold);
    this.logCounts = element('input', { id: 'histogram-log-counts', attributes: { type: 'checkbox' } });
    this.logCounts.addEventListener('change', () => store.update({ histogramCounts: this.logCounts.checked ? 'log' : 'linear' }));
    this.root = element('div', { id: 'scores-panel', className: 'scores-panel' }, [
      this.comparison.root,
      element('h3', { text: 'Instance scores' }),
      element('div', { className: 'histogram-controls' }, [
        element('p', { className: 'hint', text: 'Drag in the histogram to move the threshold; images right of the line are outliers.' }),
        element('label', { className: 'checkbox', attributes: { title: 'On by default when fewer than 5 % of the images are above the threshold, so the tail stays visible' } }, [this.logCounts, ' Log count axis']),
      ]),
      this.histogram.root,
    ]);
    store.subscribe((_state, changed) => {
      if (changed.has('scan') || changed.has('threshold') || changed.has('activeView') || changed.has('histogramCounts')) {
        scheduler.schedule('scores', () => this.render());
      }
    });
    onThemeChange(() => {
      this.histogram.rebuild();
      this.groundTruthSection?.roc.rebuild();
      this.groundTruthSection?.precisionRecall.rebuild();
      scheduler.schedule('scores', () => this.render());
    });
  }

  private render(): void {
    const { scan, threshold, activeView } = this.store.state;
    if (!scan || !threshold) return;
    const log = this.wantsLogCounts(scan, threshold.value);
    this.logCounts.checked = log;
    if (scan !== this.shownScan || log !== this.shownLog) {
      this.histogram.setModel(scan, log);
      this.shownLog = log;
    }
    if (scan !== this.shownScan) {
      this.shownScan = scan;
      this.groundTruthSection?.root.remove();
      this.groundTruthSection = scan.groundTruth ? this.createGroundTruthSection(scan) : undefined;
      this.root.querySelector('#roc-unavailable')?.remove();
      if (!this.groundTruthSection) {
        this.root.append(element('p', { id: 'roc-unavailable', className: 'hint', text: missingGroundTruthHint(scan.snapshot.labels) }));
      }
    }
    if (activeView !== 'scores') return; // Hidden charts are brought up to date when the tab opens.
    this.histogram.setThreshold(threshold.value, scan.index.outlierCount(threshold.value));
    this.comparison.show(scan, threshold.value);
    const section = this.groundTruthSection;
    if (section && scan.groundTruth) {
      const quality = scan.groundTruth.qualityAt(threshold.value);
      section.table.show(scan.groundTruth, threshold.value);
      section.roc.setPoint({ x: quality.falsePositiveRate, y: quality.recall });
      section.precisionRecall.setPoint({ x: quality.recall, y: quality.precision });
    }
  }

  private wantsLogCounts(scan: ScanModel, threshold: number): boolean {
    const choice = this.store.state.histogramCounts;
    if (choice === 'log' || choice === 'linear') return choice === 'log';
    // Decided again once a streaming scan completes: its first snapshot may hold a handful of images.
    const key = `${scan.snapshot.scanId}|${scan.snapshot.complete}`;
    if (this.autoLogFor !== key) {
      this.autoLogFor = key;
      this.autoLog = scan.index.count > 0 && scan.index.outlierCount(threshold) / scan.index.count < LOG_COUNTS_BELOW_TAIL_SHARE;
    }
    return this.autoLog;
  }

  private createGroundTruthSection(scan: ScanModel): GroundTruthSection | undefined {
    const groundTruth = scan.groundTruth;
    if (!groundTruth) return undefined;
    const roc = new CurveChart({ id: 'roc-chart', xLabel: 'False-positive rate', yLabel: 'True-positive rate', seriesLabel: 'ROC', diagonal: true });
    const precisionRecall = new CurveChart({ id: 'pr-chart', xLabel: 'Recall', yLabel: 'Precision', seriesLabel: 'Precision–recall', diagonal: false });
    const table = new QualityTable();
    const root = element('section', { id: 'roc-section', className: 'roc-section' }, [
      element('h3', { text: 'Against the ground truth' }),
      table.root,
      element('div', { className: 'curve-charts' }, [roc.root, precisionRecall.root]),
    ]);
    this.root.append(root);
    roc.setCurve(groundTruth.roc);
    precisionRecall.setCurve(groundTruth.precisionRecall);
    return { root, roc, precisionRecall, table };
  }
}

/** Why there are no curves, and how to get them: nothing labelled yet, or only one class. */
function missingGroundTruthHint(labels: Uint8Array | undefined): string {
  const how = 'right-click a folder in the Explorer → Outlier Lens: Mark Folder as Inliers / Outliers, or list paths in outlier-lens.labels.csv (path,label) in the scanned folder.';
  const inliers = labels ? labels.filter((label) => label === LABEL_CODE.inlier).length : 0;
  const outliers = labels ? labels.filter((label) => label === LABEL_CODE.outlier).length : 0;
  if (inliers > 0) return `ROC and PR curves need outliers too: only inliers are labelled (${inliers}). To label outliers, ${how}`;
  if (outliers > 0) return `ROC and PR curves need inliers too: only outliers are labelled (${outliers}). To label inliers, ${how}`;
  return `ROC and PR curves appear once images are labelled as inliers and outliers: ${how}`;
}
