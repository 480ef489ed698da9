import sharp from 'sharp';
import type { ImageShape } from '../pixelcnn';

/** Lays `count` images out in a near-square grid with a 1-pixel gap, each scaled up to at least 64 px, as PNG bytes. */
export async function tileImagesAsPng(pixels: Uint8Array, count: number, [height, width, channels]: ImageShape): Promise<Uint8Array> {
  const columns = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  const gridWidth = columns * (width + 1) - 1;
  const gridHeight = rows * (height + 1) - 1;
  const grid = new Uint8Array(gridWidth * gridHeight * channels);
  for (let image = 0; image < count; image++) {
    const top = Math.floor(image / columns) * (height + 1);
    const left = (image % columns) * (width + 1);
    for (let row = 0; row < height; row++) {
      const source = (image * height + row) * width * channels;
      grid.set(pixels.subarray(source, source + width * channels), ((top + row) * gridWidth + left) * channels);
    }
  }
  // Small images (12×12, 28×28) are unreadable at 1:1 in an editor: scale by a whole factor, nearest neighbour.
  const scale = Math.max(1, Math.ceil(64 / Math.max(height, width)));
  let image = sharp(grid, { raw: { width: gridWidth, height: gridHeight, channels: channels as 1 | 3 } });
  image = scale > 1 ? sharp(await image.png().toBuffer()).resize(gridWidth * scale, gridHeight * scale, { kernel: 'nearest' }) : image;
  const png = await (channels === 1 ? image.toColourspace('b-w') : image).png().toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
