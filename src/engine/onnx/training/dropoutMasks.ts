import { fillDropoutMask, keepThreshold } from '../../ops/dropout';
import { passBoundaries } from '../../pixelcnn/model';
import { pcgHash } from '../../random/pcgHash';
import { SeededRandom } from '../../random/seededRandom';

/**
 * Fills the step graph's dropout masks (`masks[i]` of `shapes[i]` = [N, H, W, C]) for a step seeded
 * `dropoutSeed`, exactly as `PixelCnn.trainStep` draws them: the batch cut into the same passes
 * (`maxImagesPerPass`), each pass's seed pcgHash(dropoutSeed ^ pcgHash(pass)), each mask's seed the
 * next draw of that pass's SeededRandom, each value the hash of its channels-last index in the pass.
 */
export function fillStepDropoutMasks(masks: readonly Float32Array[], shapes: readonly (readonly number[])[], rate: number, dropoutSeed: number, maxImagesPerPass: number): void {
  if (masks.length === 0) {
    return;
  }
  const batch = shapes[0][0];
  const keepBelow = keepThreshold(1 - rate);
  const scale = 1 / (1 - rate);
  const boundaries = passBoundaries(batch, maxImagesPerPass);
  for (let pass = 0; pass + 1 < boundaries.length; pass++) {
    const draws = new SeededRandom(pcgHash((dropoutSeed ^ pcgHash(pass)) >>> 0));
    masks.forEach((mask, index) => {
      const valuesPerImage = shapes[index].slice(1).reduce((product, size) => product * size, 1);
      const seed = Math.floor(draws.next() * 2 ** 32);
      fillDropoutMask(mask, seed >>> 0, keepBelow, scale, boundaries[pass] * valuesPerImage, boundaries[pass + 1] * valuesPerImage, 0);
    });
  }
}
