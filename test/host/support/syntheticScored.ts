import type { ScoredImage } from '../../../src/protocol/scanResults';

/**
 * Scored image `index` with every field a real scan gives (measures, a content digest on every
 * tenth), its score spread over [−50, 50): for tests of the host's store and cache, where the
 * numbers need not come from a model. Paths are `class-<index % 3>/img-<index, `digits` wide>.png`.
 */
export function syntheticScored(index: number, digits = 4): ScoredImage {
  return {
    relativePath: `class-${index % 3}/img-${String(index).padStart(digits, '0')}.png`,
    instanceScore: ((index * 7919) % 1000) / 10 - 50,
    semanticLogProb: -1000 - index,
    backgroundLogProb: -900 - index,
    size: 1000 + index,
    mtimeMs: 1_700_000_000_000 + index,
    ...(index % 10 === 0 ? { contentDigest: `digest-${index}` } : {}),
    measures: { brightness: index % 255, entropy: 3.5, sharpness: 12, greyAsRgb: null, sourceWidth: 28, sourceHeight: 28, pixelHash: `p${index}`, perceptualHash: '0123456789abcdef', thumbnail: 'ab'.repeat(64) },
  };
}
