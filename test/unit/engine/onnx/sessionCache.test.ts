import * as assert from 'node:assert/strict';
import { OnnxGraph, OnnxType } from '../../../../src/engine/onnx/onnxGraph';
import { loadOnnxRuntime } from '../../../../src/engine/onnx/onnxRuntime';
import { sessionCache } from '../../../../src/engine/onnx/syncSession';

/** y = x · factor, over rows of `width` values. */
function scaleGraph({ width, factor }: { width: number; factor: number }): Uint8Array {
  const graph = new OnnxGraph();
  const x = graph.input({ name: 'x', type: OnnxType.float, dims: ['P', width] });
  graph.output(graph.node('Mul', [x, graph.floats(Float32Array.of(factor), [])])[0], { name: 'y', type: OnnxType.float, dims: ['P', width] });
  return graph.toModel('scale');
}

(loadOnnxRuntime().runtime ? describe : describe.skip)('Session cache (skipped where onnxruntime-node does not load or OUTLIER_LENS_ONNX_RUNTIME=off)', () => {
  it('builds one session per distinct spec, reuses it for an equal spec, and each runs its own graph', () => {
    const built: string[] = [];
    const sessionFor = sessionCache((spec: { width: number; factor: number }) => {
      built.push(JSON.stringify(spec));
      return scaleGraph(spec);
    });
    const double = sessionFor({ width: 3, factor: 2 });
    const triple = sessionFor({ width: 3, factor: 3 });
    assert.ok(double && triple, 'onnxruntime-node loads, so both sessions must exist');
    assert.equal(sessionFor({ width: 3, factor: 2 }), double, 'an equal spec (a new object) gets the same session');
    assert.notEqual(triple, double);
    assert.deepEqual(built, ['{"width":3,"factor":2}', '{"width":3,"factor":3}'], 'each graph built once');
    const x = { values: Float32Array.of(1, -2, 0.5, 4, 5, 6), dims: [2, 3] };
    assert.deepEqual([...double.run({ x }, 'y')], [2, -4, 1, 8, 10, 12]);
    assert.deepEqual([...triple.run({ x }, 'y')], [3, -6, 1.5, 12, 15, 18]);
  });
});
