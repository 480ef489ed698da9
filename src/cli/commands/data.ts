import { parseArgs } from 'node:util';
import * as path from 'path';
import { loadDataset, writeDatasetAsPngFolder } from '../../engine/data';
import { integerFlag, positional, requiredFlag } from '../options';
import { Reporter } from '../reporter';
import { UsageError } from '../usageError';

/** `outlier-lens data fashion-mnist|mnist --split train|test -o <folder> [--limit N]`: writes a data set as PNG files. */
export async function dataCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      split: { type: 'string' },
      output: { type: 'string', short: 'o' },
      limit: { type: 'string' },
      'by-label': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const name = positional(positionals, 0, 'fashion-mnist|mnist');
  if (name !== 'fashion-mnist' && name !== 'mnist') {
    throw new UsageError(`unknown data set '${name}': choose fashion-mnist or mnist`);
  }
  const split = (values.split as string | undefined) ?? 'test';
  if (split !== 'train' && split !== 'test') {
    throw new UsageError(`--split must be train or test, got '${split}'`);
  }
  const output = path.resolve(requiredFlag(values, 'output'));
  const reporter = new Reporter(Boolean(values.json));
  const dataset = await loadDataset(name, split, { limit: integerFlag(values, 'limit') });
  const written = await writeDatasetAsPngFolder(dataset, output, { byLabel: Boolean(values['by-label']) });
  reporter.result(written, `${written.written} ${name} ${split} images written to ${written.folder}`);
}
