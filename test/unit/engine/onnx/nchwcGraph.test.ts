import * as assert from 'node:assert/strict';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { nchwcBlockSize } from '../../../../src/engine/onnx/nchwcBlockSize';
import { loadOnnxRuntime } from '../../../../src/engine/onnx/onnxRuntime';
import { PIXEL_CNN_GRAPH_IO, pixelCnnGraph } from '../../../../src/engine/onnx/pixelCnnGraph';
import { createSyncSession } from '../../../../src/engine/onnx/syncSession';
import type { PixelCnnConfig } from '../../../../src/engine/pixelcnn';
import { PixelCnn, PRESETS } from '../../../../src/engine/pixelcnn';
import { perturbedModel } from './perturbedModel';

/** The graph's outputs for `count` images of `pixels`, in output order. */
function run(model: Uint8Array, pixels: Uint8Array, count: number, shape: readonly number[]): Float32Array[] {
  const session = createSyncSession(model, 2);
  assert.ok(session, 'onnxruntime-node loads, so its sessions can be made');
  try {
    const results = session.runAll({ [PIXEL_CNN_GRAPH_IO.pixels]: { values: pixels, dims: [count, ...shape] } }, PIXEL_CNN_GRAPH_IO.outputs.slice(0, 3));
    return PIXEL_CNN_GRAPH_IO.outputs.slice(0, 3).map((name) => results[name].values);
  } finally {
    session.release();
  }
}

function largestDifference(actual: Float32Array, expected: Float32Array): number {
  assert.equal(actual.length, expected.length);
  return expected.reduce((worst, value, i) => Math.max(worst, Math.abs(actual[i] - value) / Math.max(1, Math.abs(value))), 0);
}

/**
 * How many nodes of ONNX Runtime's layout-changing operators a model has: occurrences of their
 * names as a node's op_type (NodeProto field 4, tag 0x22, then the name's length).
 */
function layoutChanges(model: Uint8Array): number {
  const text = Buffer.from(model).toString('latin1');
  return ['ReorderInput', 'ReorderOutput'].reduce((count, op) => count + text.split(`\x22${String.fromCharCode(op.length)}${op}`).length - 1, 0);
}

const runtime = loadOnnxRuntime();
const onX64 = process.arch === 'x64';

(runtime.runtime ? describe : describe.skip)('PixelCNN++ graphs in ONNX Runtime\'s blocked (NCHWc) layout (skipped where onnxruntime-node does not load or OUTLIER_LENS_ONNX_RUNTIME=off)', () => {
  before(async () => {
    await selectBackend('wasm');
  });

  (onX64 ? it : it.skip)('finds the runtime\'s block size on x64 (where MLAS always has one: 8 with AVX2, 16 with AVX-512)', () => {
    const blockSize = nchwcBlockSize();
    assert.ok(blockSize === 8 || blockSize === 16, `block size ${blockSize}`);
  });

  const cases: Array<{ title: string; shape: [number, number, number]; config: Partial<PixelCnnConfig>; spread?: number }> = [
    { title: 'the seed preset (32 filters)', shape: [12, 12, 1], config: PRESETS.seed, spread: 0.02 },
    { title: 'RGB, 3 mixture components, 3 hierarchies, odd sizes', shape: [11, 13, 3], config: { ...PRESETS.fast, numLogisticMix: 3, numHierarchies: 3 } },
    { title: '12 filters, which fill no block: convolutions stay plain', shape: [9, 10, 1], config: { ...PRESETS.fast, numFilters: 12, resnetActivation: 'elu' } },
    { title: 'RGB, relu, a 3×5 receptive field', shape: [8, 8, 3], config: { ...PRESETS.fast, resnetActivation: 'relu', receptiveFieldDims: [3, 5] } },
  ];
  for (const { title, shape, config, spread } of cases) {
    it(`gives the plain graph's outputs (1e-4) when written blocked at the runtime's block size (${title})`, function () {
      const blockSize = nchwcBlockSize();
      if (blockSize === null) {
        this.skip();
      }
      const model = perturbedModel(shape, config, 7, spread);
      try {
        const pixels = Uint8Array.from({ length: 3 * shape[0] * shape[1] * shape[2] }, (_, i) => (i * 37 + 11) % 256);
        const plain = run(pixelCnnGraph(model.config, shape, model, null), pixels, 3, shape);
        const blocked = run(pixelCnnGraph(model.config, shape, model, blockSize), pixels, 3, shape);
        plain.forEach((expected, index) => assert.ok(largestDifference(blocked[index], expected) < 1e-4, `output ${index}: ${largestDifference(blocked[index], expected)}`));
      } finally {
        model.dispose();
      }
    });
  }

  it('changes layout only around the transposed convolutions and the mixture head, however deep the network', () => {
    const shape: [number, number, number] = [28, 28, 1];
    const changes = [1, 5].map((numResnet) => {
      const model = new PixelCnn(shape, { ...PRESETS.seed, numResnet }, 1);
      try {
        return { plain: layoutChanges(pixelCnnGraph(model.config, shape, model, null)), blocked: layoutChanges(pixelCnnGraph(model.config, shape, model, 16)) };
      } finally {
        model.dispose();
      }
    });
    assert.equal(changes[0].plain, 0, 'a plain graph leaves blocking to the runtime');
    assert.equal(changes[0].blocked, changes[1].blocked, `layout changes ${changes[0].blocked} with 1 resnet layer, ${changes[1].blocked} with 5`);
    // Two transposed convolutions (unblock in, block out) and the mixture head (unblock out).
    assert.ok(changes[1].blocked <= 6, `${changes[1].blocked} layout changes`);
  });
});
