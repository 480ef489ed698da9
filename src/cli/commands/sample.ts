import { parseArgs } from 'node:util';
import * as path from 'path';
import sharp from 'sharp';
import { selectBackend } from '../../engine/backend/selectBackend';
import { loadDetector, writeFileAtomic } from '../../engine/store';
import { backendFlag, integerFlag, numberFlag, positional, requiredFlag } from '../options';
import { Reporter } from '../reporter';

/** `outlier-lens sample <detector> -n 16 -o samples.png`: a grid of images drawn from the semantic (and background) model. */
export async function sampleCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      count: { type: 'string', short: 'n' },
      output: { type: 'string', short: 'o' },
      model: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const detectorFolder = path.resolve(positional(positionals, 0, 'detector'));
  const output = path.resolve(requiredFlag(values, 'output'));
  const count = integerFlag(values, 'count') ?? 16;
  const role = (values.model as string | undefined) ?? 'semantic';
  if (role !== 'semantic' && role !== 'background') {
    throw new Error(`--model must be semantic or background, got '${role}'`);
  }
  const reporter = new Reporter(Boolean(values.json));
  await selectBackend(backendFlag(values));
  const { detector } = await loadDetector(detectorFolder);
  try {
    const model = role === 'semantic' ? detector.semantic : detector.background;
    const samples = model.sample(count, {
      seed: numberFlag(values, 'seed', Number.isInteger) ?? 0,
      onRow: (done, rows) => reporter.progress(`sampling ${role}`, done, rows),
    });
    const pixels = Uint8Array.from(await samples.data());
    samples.dispose();
    const png = await tileAsPng(pixels, count, model.imageShape);
    await writeFileAtomic(output, png);
    reporter.result({ output, count, model: role }, `${count} samples from the ${role} model written to ${output}`);
  } finally {
    detector.dispose();
  }
}

/** Lays `count` images out in a near-square grid with a 1-pixel gap and encodes it as PNG. */
async function tileAsPng(pixels: Uint8Array, count: number, [height, width, channels]: readonly number[]): Promise<Buffer> {
  const columns = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  const gridWidth = columns * (width + 1) - 1;
  const gridHeight = rows * (height + 1) - 1;
  const grid = new Uint8Array(gridWidth * gridHeight * channels);
  for (let image = 0; image < count; image++) {
    const top = Math.floor(image / columns) * (height + 1);
    const left = (image % columns) * (width + 1);
    for (let row = 0; row < height; row++) {
      const source = ((image * height + row) * width) * channels;
      grid.set(pixels.subarray(source, source + width * channels), ((top + row) * gridWidth + left) * channels);
    }
  }
  const image = sharp(grid, { raw: { width: gridWidth, height: gridHeight, channels: channels as 1 | 3 } });
  return (channels === 1 ? image.toColourspace('b-w') : image).png().toBuffer();
}
