import { parseArgs } from 'node:util';
import * as path from 'path';
import { selectBackend } from '../../engine/backend/selectBackend';
import { loadDetector, writeFileAtomic } from '../../engine/store';
import { tileImagesAsPng } from '../../engine/worker/tileImagesAsPng';
import { backendFlag, integerFlag, numberFlag, positional, requiredFlag } from '../options';
import { Reporter } from '../reporter';
import { sampleOnCpuNatively } from '../../engine/onnx/nativeSampleNetwork';

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
    const samples = await sampleOnCpuNatively(model, count, {
      seed: numberFlag(values, 'seed', Number.isInteger) ?? 0,
      onRow: (done, rows) => reporter.progress(`sampling ${role}`, done, rows),
    });
    const pixels = Uint8Array.from(await samples.data());
    samples.dispose();
    const png = await tileImagesAsPng(pixels, count, model.imageShape);
    await writeFileAtomic(output, png);
    reporter.result({ output, count, model: role }, `${count} samples from the ${role} model written to ${output}`);
  } finally {
    detector.dispose();
  }
}
