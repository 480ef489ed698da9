import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';

/** Writes `count` gray 28×28 PNGs of distinct stripe patterns (`0.png`, `1.png`, …) into `folder`, for training a detector in a test. */
export async function writePatternPngFolder(folder: string, count: number): Promise<void> {
  await fs.promises.mkdir(folder, { recursive: true });
  for (let image = 0; image < count; image++) {
    const pixels = Buffer.from(Array.from({ length: 28 * 28 }, (_, i) => (i * (image + 3) + image * 41) % 256));
    await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(path.join(folder, `${image}.png`));
  }
}
