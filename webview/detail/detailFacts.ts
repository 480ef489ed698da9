import { cutOf } from '../../src/common/verdict/signalSelection';
import { CALIBRATED_SIGNALS, SIGNAL_LABELS } from '../../src/protocol/scanResults';
import type { RankingState, ScoredGalleryItem } from '../../src/protocol/webview';
import { element, setText } from '../dom/element';
import { formatCount, formatPercent, formatScore } from '../dom/format';
import type { ScoreIndex } from '../scores/scoreIndex';
import { isAboveThreshold } from '../scores/scoreIndex';
import { reasonBadges } from '../gallery/reasonBadges';

/** What the score is, for its tooltip: the paper's LLR with the sign that makes higher more outlying. */
const SCORE_MEANING = 'outlier score = −log-likelihood ratio = −(log p semantic − log p background), in nats; higher = more outlying';

/** What the score is under the verdict ranking. */
const VERDICT_MEANING = 'outlier score = −log10 of the most extreme signal\'s tail probability, corrected by its cut (p · 1 % / cut); above 2 = past its cut';

/** A tail probability as a person reads it: "0.04 %", "3e-9 %". */
export function formatTail(p: number): string {
  const percent = 100 * p;
  return percent >= 0.01 ? `${Number(percent.toPrecision(2))} %` : `${percent.toExponential(0)} %`;
}

/** The numbers next to the figure: score, rank, percentile, verdict, label, both log-likelihoods. */
export class DetailFacts {
  /** The definition list element. */
  readonly root: HTMLDListElement;
  private readonly values = new Map<string, HTMLElement>();

  constructor() {
    this.root = element('dl', { className: 'detail-facts' });
    for (const [key, term] of [
      ['score', 'Outlier score'],
      ['rank', 'Rank'],
      ['percentile', 'Percentile'],
      ['verdict', 'At threshold'],
      ['label', 'Ground truth'],
      ['reasons', 'Reasons'],
      ['llr', 'LLR'],
      ['signals', 'Signals'],
      ['semantic', 'log p semantic'],
      ['background', 'log p background'],
    ] as const) {
      const value = element('dd', { id: `detail-${key}` });
      this.values.set(key, value);
      const title = key === 'score' ? { title: SCORE_MEANING } : undefined;
      this.root.append(element('div', { className: 'fact', attributes: title }, [element('dt', { text: term }), value]));
    }
  }

  /** Fill in the facts of `item` at the current threshold, under the scan's ranking. */
  show(item: ScoredGalleryItem, index: ScoreIndex, threshold: number, ranking?: RankingState): void {
    const verdict = ranking?.settings.mode === 'verdict';
    this.set('score', formatScore(item.score));
    this.values.get('score')?.parentElement?.setAttribute('title', verdict ? VERDICT_MEANING : SCORE_MEANING);
    this.set('llr', `${formatScore(item.instanceScore)} nats`);
    this.values.get('llr')?.parentElement?.toggleAttribute('hidden', !verdict);
    this.showSignals(item, ranking);
    this.set('rank', `${formatCount(item.rank)} of ${formatCount(index.count)}`);
    this.set('percentile', `${formatPercent(index.percentileOf(Math.fround(item.score)))}th`);
    const outlier = isAboveThreshold(item.score, threshold);
    this.set('verdict', outlier ? 'outlier' : 'inlier');
    this.values.get('verdict')?.classList.toggle('is-outlier', outlier);
    this.set('label', item.label ?? 'unknown');
    const reasons = reasonBadges(item.reasons);
    this.values.get('reasons')?.replaceChildren(...(reasons.length > 0 ? reasons : [document.createTextNode('none')]));
    this.set('semantic', `${formatScore(item.semanticLogProb)} nats`);
    this.set('background', `${formatScore(item.backgroundLogProb)} nats`);
  }

  /** Each calibrated signal's tail probability, and whether it is past its cut (switched-off signals say so). */
  private showSignals(item: ScoredGalleryItem, ranking: RankingState | undefined): void {
    const node = this.values.get('signals');
    if (!node) return;
    const tails = item.tailProbabilities;
    node.parentElement?.toggleAttribute('hidden', !tails);
    if (!tails || !ranking) {
      node.replaceChildren();
      return;
    }
    const settings = ranking.settings;
    const rows = CALIBRATED_SIGNALS.filter((signal) => tails[signal] !== undefined).map((signal) => {
      const p = tails[signal] as number;
      const on = settings.mode === 'verdict' && settings.signals.includes(signal);
      const cut = cutOf(signal, settings);
      const past = on && p < cut;
      const state = !on ? 'off' : past ? `past its cut (${formatTail(cut)})` : `within its cut (${formatTail(cut)})`;
      return element('li', { className: `detail-signal${past ? ' is-past' : ''}${on ? '' : ' is-off'}`, attributes: { 'data-signal': signal } }, [
        element('span', { className: 'detail-signal-name', text: SIGNAL_LABELS[signal] }),
        element('span', { className: 'detail-signal-p', text: `p ${formatTail(p)}` }),
        element('span', { className: 'detail-signal-state', text: state }),
      ]);
    });
    node.replaceChildren(element('ul', { className: 'detail-signals' }, rows));
  }

  private set(key: string, text: string): void {
    const node = this.values.get(key);
    if (node) setText(node, text);
  }
}
