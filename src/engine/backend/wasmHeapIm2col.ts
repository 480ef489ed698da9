import type * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { nativeMatMul } from '../onnx/nativeMatMul';
import type { BackendKernels, Scratch } from './backendKernels';
import { filterTaps, viewAs, withScratch } from './backendKernels';
import { usesOwnKernels } from './types';
import type { WasmHeapBackend } from './wasmHeap';
import { heapSpan } from './wasmHeap';

type ConvInfo = tf.backend_util.Conv2DInfo;

/**
 * The filter gradient on wasm, with im2col^T [KH*KW*inC, N*outH*outW] written straight into wasm
 * memory, then one BatchMatMul: im2col^T · dy [N*outH*outW, outC] = dW [KH*KW*inC, outC].
 *
 * Why this shape of product: the wasm BatchMatMul runs on XNNPACK only with no transposed operand
 * and batch 1 (anything else goes to a scalar loop, 3-8x slower here), and XNNPACK packs its b
 * operand on every new b tensor, so b should be the smaller of the two: dy, not im2col.
 * Caveat: the packed b is cached by b's tensor id, whatever shape b is viewed with, so dy is only
 * ever viewed as [N*outH*outW, outC].
 *
 * Why rows of im2col^T are filled as they are: x is first regrouped channel-major by stride
 * phase, so that every tap's window of one (phase, channel, image) plane is a shifted copy of the
 * plane; where outW equals the plane width the window is one contiguous run (plus zeroed edges),
 * ~5x faster than a copy per row.
 */
export function heapFilterGradient(
  kernels: BackendKernels,
  backend: WasmHeapBackend,
  x: TensorInfo,
  dy: TensorInfo,
  info: ConvInfo,
): TensorInfo {
  const taps = filterTaps(info);
  const positions = info.batchSize * info.outHeight * info.outWidth;
  return withScratch(kernels, (scratch) => {
    const planes = phasePlanes(kernels, backend, scratch, x, info);
    // An unpadded 1x1 kernel (x^T dy at stride 1) reads whole planes of phase 0: they are im2col^T, no copy needed.
    const columns = planesAreColumns(info, taps) ? planes : scratch.hold(columnsFromPlanes(backend, planes, info, taps));
    const rows = taps.length * info.inChannels;
    // ONNX Runtime's SGEMM runs this product ~4x faster than XNNPACK on wasm, where it loads.
    const matMul = usesOwnKernels() ? nativeMatMul() : null;
    if (matMul) {
      const output = backend.makeOutput([rows, info.outChannels], 'float32');
      // Views only now: the allocation may have grown (and so detached) wasm memory. The product is written straight into the output.
      const columnValues = backend.typedArrayFromHeap(viewAs(columns, [rows, positions])) as Float32Array;
      const gradient = backend.typedArrayFromHeap(viewAs(dy, [positions, info.outChannels])) as Float32Array;
      matMul(columnValues, gradient, rows, positions, info.outChannels, backend.typedArrayFromHeap(output) as Float32Array);
      return output;
    }
    return kernels.run(
      'BatchMatMul',
      { a: viewAs(columns, [rows, positions]), b: viewAs(dy, [positions, info.outChannels]) },
      { transposeA: false, transposeB: false },
    );
  });
}

/** Rows and columns of one stride-phase plane: x's rows (columns) ≡ phase, rounded up. */
function planeExtent(info: ConvInfo): { rows: number; columns: number } {
  return { rows: Math.ceil(info.inHeight / info.strideHeight), columns: Math.ceil(info.inWidth / info.strideWidth) };
}

/** Whether the one tap's window is every plane of phase 0, unshifted (phase 0's planes come first). */
function planesAreColumns(info: ConvInfo, taps: Array<[number, number]>): boolean {
  const { rows, columns } = planeExtent(info);
  const window = tapWindow(info, 0, 0);
  const unshifted = window.phase === 0 && window.rowShift === 0 && window.columnShift === 0;
  return taps.length === 1 && unshifted && rows === info.outHeight && columns === info.outWidth;
}

/**
 * x regrouped as planes [strideH, strideW, inC, N, rows, columns]: plane (ph, pw, c, n) holds
 * x[n, r*strideH + ph, q*strideW + pw, c], zero past x's edge. The caller frees it via `scratch`
 * (unless it is x itself).
 */
function phasePlanes(kernels: BackendKernels, backend: WasmHeapBackend, scratch: Scratch, x: TensorInfo, info: ConvInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, strideHeight, strideWidth } = info;
  if (strideHeight * strideWidth > 1) {
    return scratch.hold(scatteredPhasePlanes(backend, x, info));
  }
  if (inChannels === 1) {
    // NHWC with one channel is already channel-major.
    return x;
  }
  // The wasm Transpose (C++) does this 2-D transpose ~4x faster than a JS loop over heap views.
  const pixels = viewAs(x, [batchSize * inHeight * inWidth, inChannels]);
  return scratch.hold(kernels.run('Transpose', { x: pixels }, { perm: [1, 0] }));
}

/** The stride-phase planes by one JS pass over x (strided convolutions only, a few per step). */
function scatteredPhasePlanes(backend: WasmHeapBackend, x: TensorInfo, info: ConvInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, strideHeight, strideWidth } = info;
  const { rows, columns } = planeExtent(info);
  const planeSize = rows * columns;
  const channelStride = batchSize * planeSize;
  const phaseStride = inChannels * channelStride;
  const planes = backend.makeOutput([strideHeight * strideWidth * inChannels * batchSize, rows, columns], 'float32');
  // Views only now: the allocation may have grown (and so detached) wasm memory.
  const source = heapSpan(backend, x);
  const target = heapSpan(backend, planes);
  const heap = target.heap;
  if (rows * strideHeight !== inHeight || columns * strideWidth !== inWidth) {
    heap.fill(0, target.start, target.start + target.length);
  }
  let from = source.start;
  for (let n = 0; n < batchSize; n++) {
    for (let h = 0; h < inHeight; h++) {
      const rowPhase = h % strideHeight;
      const rowStart = target.start + rowPhase * strideWidth * phaseStride + n * planeSize + ((h - rowPhase) / strideHeight) * columns;
      for (let w = 0; w < inWidth; w++) {
        const columnPhase = w % strideWidth;
        let to = rowStart + columnPhase * phaseStride + (w - columnPhase) / strideWidth;
        for (let c = 0; c < inChannels; c++, to += channelStride) {
          heap[to] = heap[from++];
        }
      }
    }
  }
  return planes;
}

/** Where one tap reads its phase planes, and which output rows and columns land inside them. */
interface TapWindow {
  readonly phase: number;
  readonly rowShift: number;
  readonly columnShift: number;
  /** rowShift * plane columns + columnShift: from an output position to its source in the plane. */
  readonly shift: number;
  readonly firstRow: number;
  readonly endRow: number;
  readonly firstColumn: number;
  readonly endColumn: number;
  readonly planeColumns: number;
  readonly outRows: number;
  readonly outColumns: number;
}

/** Output i reads input row i*stride + kh - top = (i + rowShift)*stride + rowPhase; columns alike. */
function tapWindow(info: ConvInfo, kh: number, kw: number): TapWindow {
  const { rows, columns } = planeExtent(info);
  const row = splitByStride(kh - info.padInfo.top, info.strideHeight);
  const column = splitByStride(kw - info.padInfo.left, info.strideWidth);
  const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), high);
  const firstRow = clamp(-row.shift, 0, info.outHeight);
  const firstColumn = clamp(-column.shift, 0, info.outWidth);
  return {
    phase: row.phase * info.strideWidth + column.phase,
    rowShift: row.shift,
    columnShift: column.shift,
    shift: row.shift * columns + column.shift,
    firstRow,
    endRow: clamp(rows - row.shift, firstRow, info.outHeight),
    firstColumn,
    endColumn: clamp(columns - column.shift, firstColumn, info.outWidth),
    planeColumns: columns,
    outRows: info.outHeight,
    outColumns: info.outWidth,
  };
}

/** `offset` = shift * stride + phase, with 0 <= phase < stride (offset may be negative: padding). */
function splitByStride(offset: number, stride: number): { phase: number; shift: number } {
  const phase = ((offset % stride) + stride) % stride;
  return { phase, shift: (offset - phase) / stride };
}

/** im2col^T [taps * inC, N*outH*outW] from the phase planes; the caller owns it. */
function columnsFromPlanes(backend: WasmHeapBackend, planes: TensorInfo, info: ConvInfo, taps: Array<[number, number]>): TensorInfo {
  const { inChannels, batchSize, outHeight, outWidth } = info;
  const { rows, columns: planeColumns } = planeExtent(info);
  const planeCount = inChannels * batchSize;
  const planeSize = rows * planeColumns;
  const windowSize = outHeight * outWidth;
  const columns = backend.makeOutput([taps.length * inChannels, batchSize * windowSize], 'float32');
  // Views only now: the allocation may have grown (and so detached) wasm memory.
  const source = heapSpan(backend, planes);
  const target = heapSpan(backend, columns);
  taps.forEach(([kh, kw], tap) => {
    const window = tapWindow(info, kh, kw);
    const phaseStart = source.start + window.phase * planeCount * planeSize;
    const tapStart = target.start + tap * planeCount * windowSize;
    for (let plane = 0; plane < planeCount; plane++) {
      copyWindow(target.heap, phaseStart + plane * planeSize, tapStart + plane * windowSize, window);
    }
  });
  return columns;
}

/** One tap's outRows x outColumns window of the plane at `source`, zero where it falls off the plane, to `target`. */
function copyWindow(heap: Float32Array, source: number, target: number, window: TapWindow): void {
  const { firstRow, endRow, firstColumn, endColumn, outColumns } = window;
  const end = target + window.outRows * outColumns;
  if (firstRow === endRow || firstColumn === endColumn) {
    heap.fill(0, target, end);
    return;
  }
  heap.fill(0, target, target + firstRow * outColumns);
  heap.fill(0, target + endRow * outColumns, end);
  if (outColumns === window.planeColumns) {
    // Rows follow each other alike in plane and window: one run. What wraps in from a neighbouring
    // row lands in the edge columns, zeroed below.
    const from = firstRow * outColumns + firstColumn;
    const to = (endRow - 1) * outColumns + endColumn;
    heap.copyWithin(target + from, source + from + window.shift, source + to + window.shift);
  } else {
    for (let row = firstRow; row < endRow; row++) {
      const from = source + (row + window.rowShift) * window.planeColumns + firstColumn + window.columnShift;
      heap.copyWithin(target + row * outColumns + firstColumn, from, from + endColumn - firstColumn);
    }
  }
  zeroEdgeColumns(heap, target, window);
}

/** Zeroes the columns of rows [firstRow, endRow) that fall left or right of the plane. */
function zeroEdgeColumns(heap: Float32Array, target: number, window: TapWindow): void {
  const { firstRow, endRow, firstColumn, endColumn, outColumns } = window;
  if (firstColumn === 0 && endColumn === outColumns) {
    return;
  }
  for (let row = firstRow; row < endRow; row++) {
    const rowStart = target + row * outColumns;
    for (let column = 0; column < firstColumn; column++) {
      heap[rowStart + column] = 0;
    }
    for (let column = endColumn; column < outColumns; column++) {
      heap[rowStart + column] = 0;
    }
  }
}
