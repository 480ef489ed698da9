import type uPlot from 'uplot';
import type { ModelTraining, TrainingReply } from '../../src/protocol/webview';
import type { AppState } from '../app/appState';
import type { Store } from '../app/store';
import { ChartHost } from '../charts/chartHost';
import { onThemeChange, type ChartTheme } from '../charts/chartTheme';
import { baseOptions, themedAxis } from '../charts/plotOptions';
import { element, setText } from '../dom/element';
import type { HostChannel } from '../messaging/hostChannel';
import { renderSampleGrid } from './sampleGrid';

type CurveKey = 'loss' | 'bitsPerDim';

/** Why the background model's figures are higher: it never sees the images as they are. */
const BACKGROUND_NOTE =
  'The background model is trained and measured on perturbed copies of the images (a share of pixels replaced at random), so its loss and bits/dim are higher than the semantic model’s; the two are not comparable.';

/**
 * The "Training" tab: loss and bits/dim per epoch for the semantic and background models, and
 * samples drawn from each. Asked for once, the first time the tab opens: the curves first, then
 * the samples (which the engine takes seconds to draw).
 */
export class TrainingView {
  /** The tab's content. */
  readonly root: HTMLElement;
  private readonly status: HTMLParagraphElement;
  private readonly charts: ChartHost[] = [];
  private reply: TrainingReply | undefined;
  private readonly samples = element('div', { className: 'training-samples' });
  private requested = false;

  constructor(
    store: Store<AppState>,
    private readonly channel: HostChannel,
  ) {
    this.status = element('p', { id: 'training-status', className: 'hint', attributes: { role: 'status' } });
    this.root = element('div', { id: 'training-panel', className: 'training-panel' }, [this.status]);
    const requestWhenShown = (state: AppState): void => {
      if (state.activeView === 'training' && state.scan && !this.requested) this.request();
    };
    store.subscribe((state, changed) => {
      if (changed.has('scan')) this.requested = false; // Another detector may have scanned.
      if (changed.has('activeView') || changed.has('scan')) requestWhenShown(state);
    });
    requestWhenShown(store.state);
    onThemeChange(() => this.charts.forEach((chart) => chart.rebuild()));
  }

  private request(): void {
    this.requested = true;
    setText(this.status, 'Loading training curves…');
    // Curves come from the manifest at once; samples take the engine seconds, so they follow.
    this.channel.request({ type: 'requestTraining', includeSamples: false }).then(
      (reply) => {
        this.show(reply);
        if (reply.models) this.requestSamples();
      },
      (error: Error) => setText(this.status, `Could not load the training curves: ${error.message}`),
    );
  }

  private requestSamples(): void {
    this.channel.request({ type: 'requestTraining', includeSamples: true }).then(
      (reply) => this.showSamples(reply),
      (error: Error) => this.samples.replaceChildren(element('p', { className: 'hint', text: `Could not draw samples: ${error.message}` })),
    );
  }

  private show(reply: TrainingReply): void {
    this.reply = reply;
    this.root.replaceChildren(this.status);
    this.charts.length = 0;
    if (!reply.models) {
      setText(this.status, `Detector “${reply.detectorName}” keeps no training curves.`);
      return;
    }
    setText(this.status, `Detector “${reply.detectorName}”`);
    this.charts.push(
      new ChartHost('training-loss', 220, (width, height, theme) => this.curveChart(width, height, theme, 'loss', 'Loss (nats / image)')),
      new ChartHost('training-bpd', 220, (width, height, theme) => this.curveChart(width, height, theme, 'bitsPerDim', 'Bits / dim')),
    );
    this.samples.replaceChildren(element('p', { id: 'samples-status', className: 'hint', attributes: { role: 'status' }, text: 'Drawing samples from both models…' }));
    this.root.append(
      element('p', { id: 'training-background-note', className: 'hint', text: BACKGROUND_NOTE }),
      element('div', { className: 'training-charts' }, this.charts.map((chart) => chart.root)),
      this.samples,
    );
  }

  private showSamples(reply: TrainingReply): void {
    if (!reply.models || this.reply?.detectorName !== reply.detectorName) return;
    const { semantic, background } = reply.models;
    this.samples.replaceChildren(
      renderSampleGrid('samples-semantic', 'Samples from the semantic model', semantic.samples),
      renderSampleGrid('samples-background', 'Samples from the background model (trained on perturbed images)', background.samples),
    );
  }

  private curveChart(width: number, height: number, theme: ChartTheme, key: CurveKey, label: string): { options: uPlot.Options; data: uPlot.AlignedData } | undefined {
    const models = this.reply?.models;
    if (!models) return undefined;
    const epochCount = models.semantic.curve.epochs.length;
    const line = (name: string, model: ModelTraining, colour: string): { series: uPlot.Series; values: ArrayLike<number | null> } => ({
      series: { label: name, stroke: colour, width: 2, points: { show: epochCount < 40 } },
      values: alignTo(epochCount, model.curve[key]),
    });
    const lines = [line('Semantic', models.semantic, theme.primary), line('Background', models.background, theme.secondary)];
    if (key === 'bitsPerDim') {
      for (const [name, model, colour] of [['Semantic (held out)', models.semantic, theme.primary], ['Background (held out)', models.background, theme.secondary]] as const) {
        const validation = model.curve.validationBitsPerDim;
        if (validation) {
          lines.push({ series: { label: name, stroke: colour, dash: [5, 4], width: 1.5, points: { show: false } }, values: alignTo(epochCount, validation) });
        }
      }
    }
    const options: uPlot.Options = {
      ...baseOptions(width, height),
      scales: { x: { time: false } },
      axes: [themedAxis(theme, 'Epoch'), themedAxis(theme, label, { size: 56 })],
      series: [{ label: 'Epoch' }, ...lines.map((entry) => entry.series)],
    };
    // Both models train for the same epochs; the semantic model's epochs are the x axis.
    return { options, data: [models.semantic.curve.epochs, ...lines.map((entry) => entry.values)] as uPlot.AlignedData };
  }
}

/** The values for the first `length` epochs; a model that trained for fewer epochs leaves gaps (null). */
function alignTo(length: number, values: Float32Array): ArrayLike<number | null> {
  if (values.length === length) return values;
  return Array.from({ length }, (_, epoch) => (epoch < values.length ? values[epoch] : null));
}
