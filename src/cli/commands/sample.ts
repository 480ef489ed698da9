import { parseArgs } from 'node:util';
import * as path from 'path';
import { selectBackend } from '../../engine/backend/selectBackend';
import { loadDetector, writeFileAtomic } from '../../engine/store';
import { drawSamples } from '../../engine/jobs/drawSamples';
import { cliJobSink } from '../cliJobSink';
import { UsageError } from '../usageError';
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
    throw new UsageError(`--model must be semantic or background, got '${role}'`);
  }
  const reporter = new Reporter(Boolean(values.json));
  await selectBackend(backendFlag(values));
  const { detector } = await loadDetector(detectorFolder);
  try {
    const drawn = await drawSamples({ detector, role, count, seed: numberFlag(values, 'seed', Number.isInteger) ?? 0, png: true }, cliJobSink(reporter));
    await writeFileAtomic(output, drawn.png as Uint8Array);
    reporter.result({ output, count, model: role }, `${count} samples from the ${role} model written to ${output}`);
  } finally {
    detector.dispose();
  }
}
