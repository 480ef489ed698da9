import type { ScoredGalleryItem } from '../../src/protocol/webview';
import { element, setText } from '../dom/element';
import { formatCount, formatPercent, formatScore } from '../dom/format';
import type { ScoreIndex } from '../scores/scoreIndex';
import { isAboveThreshold } from '../scores/scoreIndex';
import { reasonBadges } from '../gallery/reasonBadges';

/** What the score is, for its tooltip: the paper's LLR with the sign that makes higher more outlying. */
const SCORE_MEANING = 'outlier score = −log-likelihood ratio = −(log p semantic − log p background), in nats; higher = more outlying';

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
      ['semantic', 'log p semantic'],
      ['background', 'log p background'],
    ] as const) {
      const value = element('dd', { id: `detail-${key}` });
      this.values.set(key, value);
      const title = key === 'score' ? { title: SCORE_MEANING } : undefined;
      this.root.append(element('div', { className: 'fact', attributes: title }, [element('dt', { text: term }), value]));
    }
  }

  /** Fill in the facts of `item` at the current threshold. */
  show(item: ScoredGalleryItem, index: ScoreIndex, threshold: number): void {
    this.set('score', formatScore(item.instanceScore));
    this.set('rank', `${formatCount(item.rank)} of ${formatCount(index.count)}`);
    this.set('percentile', `${formatPercent(index.percentileOf(Math.fround(item.instanceScore)))}th`);
    const outlier = isAboveThreshold(item.instanceScore, threshold);
    this.set('verdict', outlier ? 'outlier' : 'inlier');
    this.values.get('verdict')?.classList.toggle('is-outlier', outlier);
    this.set('label', item.label ?? 'unknown');
    const reasons = reasonBadges(item.reasons);
    this.values.get('reasons')?.replaceChildren(...(reasons.length > 0 ? reasons : [document.createTextNode('none')]));
    this.set('semantic', `${formatScore(item.semanticLogProb)} nats`);
    this.set('background', `${formatScore(item.backgroundLogProb)} nats`);
  }

  private set(key: string, text: string): void {
    const node = this.values.get(key);
    if (node) setText(node, text);
  }
}
