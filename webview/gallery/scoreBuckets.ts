/** Number of badge colours (CSS classes `score-bucket-0` … `score-bucket-7`, coolest to hottest). */
export const SCORE_BUCKET_COUNT = 8;

/**
 * The badge colour of a score, by its percentile rather than its value: LLR scores of
 * different detectors live on different scales, but "top 5 % of this scan" always reads hot.
 */
export function scoreBucket(percentile: number): number {
  // The top buckets are narrower: the interesting part of an outlier ranking is its head.
  const edges = [30, 50, 70, 85, 93, 97, 99];
  let bucket = 0;
  while (bucket < edges.length && percentile > edges[bucket]) bucket++;
  return bucket;
}
