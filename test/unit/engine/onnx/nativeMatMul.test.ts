import * as assert from 'node:assert/strict';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { nativeMatMul } from '../../../../src/engine/onnx/nativeMatMul';
import { loadOnnxRuntime } from '../../../../src/engine/onnx/onnxRuntime';

(loadOnnxRuntime().runtime ? describe : describe.skip)('Native matrix product on ONNX Runtime (skipped where onnxruntime-node does not load or OUTLIER_LENS_ONNX_RUNTIME=off)', () => {
  it('multiplies row-major matrices as a float64 reference does (1e-5 relative), for several shapes', () => {
    const matMul = nativeMatMul();
    assert.ok(matMul, 'onnxruntime-node loads, so the native product must exist');
    let state = 7;
    const random = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
    for (const [rows, inner, columns] of [[1, 1, 1], [3, 5, 2], [384, 627, 64], [17, 1000, 33]]) {
      const a = Float32Array.from({ length: rows * inner }, random);
      const b = Float32Array.from({ length: inner * columns }, random);
      const product = matMul(a, b, rows, inner, columns);
      assert.equal(product.length, rows * columns);
      for (let row = 0; row < rows; row++) {
        for (let column = 0; column < columns; column++) {
          let expected = 0;
          let magnitude = 0;
          for (let k = 0; k < inner; k++) {
            expected += a[row * inner + k] * b[k * columns + column];
            magnitude += Math.abs(a[row * inner + k] * b[k * columns + column]);
          }
          assert.ok(Math.abs(product[row * columns + column] - expected) <= 1e-5 * Math.max(1, magnitude), `[${rows}, ${inner}, ${columns}] at (${row}, ${column})`);
        }
      }
    }
  });

  it('writes the same product into a given span of a larger array, and nothing around it', () => {
    const matMul = nativeMatMul();
    assert.ok(matMul);
    const [rows, inner, columns] = [37, 211, 19];
    const a = Float32Array.from({ length: rows * inner }, (_, i) => Math.sin(i));
    const b = Float32Array.from({ length: inner * columns }, (_, i) => Math.cos(i));
    const memory = new Float32Array(rows * columns + 10).fill(-7);
    const span = memory.subarray(3, 3 + rows * columns);
    assert.equal(matMul(a, b, rows, inner, columns, span), span);
    assert.deepEqual(span, matMul(a, b, rows, inner, columns));
    assert.deepEqual([...memory.subarray(0, 3), ...memory.subarray(3 + rows * columns)], new Array(10).fill(-7));
  });

  it('is what the wasm filter gradient multiplies with, and the backend says so', async () => {
    const { description } = await selectBackend('wasm');
    assert.match(description, /convolutions on ONNX Runtime/);
  });
});
