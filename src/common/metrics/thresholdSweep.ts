import type { ScoresByClass } from './scoresByClass';

/**
 * Lower the threshold from above the top score to below the lowest, one group of tied scores at
 * a time, and report the confusion counts after each group: `visit(truePositives, falsePositives)`.
 * Tied scores move together, which is what makes AUROC count a tie as half a win.
 */
export function sweepThresholds({ inlierScores, outlierScores }: ScoresByClass, visit: (truePositives: number, falsePositives: number) => void): void {
  let inlierCursor = inlierScores.length - 1;
  let outlierCursor = outlierScores.length - 1;
  while (inlierCursor >= 0 || outlierCursor >= 0) {
    const groupScore = Math.max(inlierCursor >= 0 ? inlierScores[inlierCursor] : -Infinity, outlierCursor >= 0 ? outlierScores[outlierCursor] : -Infinity);
    while (inlierCursor >= 0 && inlierScores[inlierCursor] === groupScore) inlierCursor--;
    while (outlierCursor >= 0 && outlierScores[outlierCursor] === groupScore) outlierCursor--;
    visit(outlierScores.length - 1 - outlierCursor, inlierScores.length - 1 - inlierCursor);
  }
}
