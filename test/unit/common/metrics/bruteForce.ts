// Independent answers for the metric tests: plain loops over every item or pair, no sorting.

/** A seeded stream of numbers in [0, 1) (Park–Miller), so a failing case can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
}

/** Labelled items with many ties (scores rounded to whole numbers), outliers higher on average, some unlabelled. */
export function tiedItems(count: number, seed: number): { scores: number[]; isOutlier: (boolean | undefined)[] } {
  const random = seededRandom(seed);
  const scores: number[] = [];
  const isOutlier: (boolean | undefined)[] = [];
  for (let i = 0; i < count; i++) {
    const label = random() < 0.1 ? undefined : random() < 0.4;
    isOutlier.push(label);
    scores.push(Math.round(random() * 20 + (label ? 6 : 0)));
  }
  return { scores, isOutlier };
}

/** Whether `score` outranks `other`, NaN ranking below every number. */
function outranks(score: number, other: number): boolean {
  return Number.isNaN(other) ? !Number.isNaN(score) : score > other;
}

/** The share of (outlier, inlier) pairs the outlier wins, a tie counting half; NaN below every number. */
export function pairwiseAuroc(scores: readonly number[], isOutlier: readonly (boolean | undefined)[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((outlierScore, i) => {
    if (isOutlier[i] !== true) return;
    scores.forEach((inlierScore, j) => {
      if (isOutlier[j] !== false) return;
      pairs++;
      wins += outranks(outlierScore, inlierScore) ? 1 : outranks(inlierScore, outlierScore) ? 0 : 0.5;
    });
  });
  return wins / pairs;
}

/** How many of `values` are not above `threshold` (`!(value > threshold)`: NaNs included). */
export function countNotAboveByLoop(values: readonly number[], threshold: number): number {
  return values.filter((value) => !(value > threshold)).length;
}

/** scikit-learn's average precision by its definition: Σ (Rₖ − Rₖ₋₁)·Pₖ over each distinct score as a threshold (score ≥ it), highest first. */
export function averagePrecisionByThresholds(scores: readonly number[], isOutlier: readonly (boolean | undefined)[]): number {
  const ranked = scores.map((score) => (Number.isNaN(score) ? -Infinity : score));
  const thresholds = [...new Set(ranked.filter((_, i) => isOutlier[i] !== undefined))].sort((a, b) => b - a);
  const positives = isOutlier.filter((label) => label === true).length;
  let previousRecall = 0;
  let area = 0;
  for (const threshold of thresholds) {
    const called = ranked.map((score, i) => (isOutlier[i] !== undefined && score >= threshold ? isOutlier[i] : undefined));
    const truePositives = called.filter((label) => label === true).length;
    const recall = truePositives / positives;
    area += (recall - previousRecall) * (truePositives / called.filter((label) => label !== undefined).length);
    previousRecall = recall;
  }
  return area;
}
