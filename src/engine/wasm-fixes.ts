/**
 * Performance fixes for the tfjs wasm backend, measured on 2-core x86-64 VMs with tfjs 4.22 and Node 20:
 * - matMul runs on XNNPACK only when neither input is transposed and the batch is 1; transposed
 *   or batched matMuls (all of backprop) fall to a scalar loop ~15× slower.
 *   Fix: `BatchMatMul` is re-registered: inputs are transposed explicitly first (the Transpose
 *   kernel is fast), a batch against a shared right matrix becomes one tall 2-D matMul, and a true
 *   batch becomes one 2-D XNNPACK matMul per batch entry.
 * - XNNPACK's operator cache is keyed by the right operand's tensor id, not its shape: using one
 *   buffer as the right operand under two shapes (reshape shares the id) reuses a stale packing and
 *   corrupts the heap. Fix: every matMul we route passes fresh zero-copy views (see xnnMatMul).
 * - SplitV along an inner axis is pathologically slow (one strided Slice per piece).
 *   Fix: `SplitV` is re-registered as a block copy in the wasm heap.
 * - the gradient of gather needs UnsortedSegmentSum, which wasm lacks.
 *   Fix: `UnsortedSegmentSum` is registered for wasm (a plain scatter-add in the heap).
 * - Sum over leading axes (every bias / LayerNorm-gain gradient: [N, C] → [C]) transposes the whole
 *   input first, then reduces. Fix: one pass over the rows accumulating into the output.
 * - Identity (and Cast to the same dtype) copy their input; backprop calls them dozens of times
 *   per step. Fix: share the buffer (tensors are immutable; this is what the cpu backend does).
 *
 * Each fix has a plain reference (`refMatMul`, `refSplit`, `refUnsortedSegmentSum`, or the
 * untouched original kernel) and a test comparing the two (test/engine/wasm-fixes.test.ts).
 *
 * Owned by the GPT work (issue 3). No Node imports: the browser's wasm fallback uses it too.
 */
import * as tf from '@tensorflow/tfjs';

let installed = false;

/** The parts of the wasm backend these kernels use (its public-but-untyped surface). */
interface WasmBackendLike {
  incRef(dataId: unknown): void;
  dataIdMap: { get(dataId: unknown): { id: number; memoryOffset: number } | undefined; delete(dataId: unknown): void };
  wasm: { cwrap(name: string, ret: null, args: string[]): (...a: unknown[]) => void; tfjs: { disposeData(id: number): void } };
  makeOutput(shape: number[], dtype: string, memoryOffset?: number): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: unknown): boolean;
}
interface TensorInfo {
  dataId: unknown;
  shape: number[];
  dtype: string;
}
type KernelFn = (args: { inputs: Record<string, TensorInfo>; backend: WasmBackendLike; attrs: Record<string, unknown> }) => TensorInfo | TensorInfo[];

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Which fixes are active (for the benchmark's "as-is" comparison and for tests). */
export const wasmFixesState = { installed: false, originals: {} as Record<string, tf.KernelFunc> };

function kernelFn(name: string): KernelFn {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`wasm kernel ${name} is not registered`);
  return k.kernelFunc as unknown as KernelFn;
}

function replaceKernel(name: string, fn: KernelFn): void {
  const original = tf.getKernel(name, 'wasm');
  if (original) {
    wasmFixesState.originals[name] = original.kernelFunc;
    tf.unregisterKernel(name, 'wasm');
  }
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: fn as unknown as tf.KernelFunc });
}

/** Swap the last two axes with the (fast) Transpose kernel. */
function transposeLast2(x: TensorInfo, backend: WasmBackendLike): TensorInfo {
  const r = x.shape.length;
  const perm = [...Array(r).keys()];
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return kernelFn('Transpose')({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo;
}

/**
 * BatchMatMul routed to XNNPACK: only untransposed, batch-1 calls reach the original kernel.
 * Shapes: a [...batchA, M, K] (or [..., K, M] if transposeA), b [...batchB, K, N] (or [..., N, K]).
 */
function fixedBatchMatMul(orig: KernelFn): KernelFn {
  return ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return orig({ inputs, backend, attrs });
    const temps: TensorInfo[] = [];
    const A = transposeA ? transposeLast2(a, backend) : a;
    const B = transposeB ? transposeLast2(b, backend) : b;
    if (transposeA) temps.push(A);
    if (transposeB) temps.push(B);
    const ra = A.shape.length;
    const rb = B.shape.length;
    const M = A.shape[ra - 2]!;
    const K = A.shape[ra - 1]!;
    const N = B.shape[rb - 1]!;
    const outerA = A.shape.slice(0, -2);
    const outerB = B.shape.slice(0, -2);
    const batchA = size(outerA);
    const batchB = size(outerB);
    const outer = batchA === 1 && batchB !== 1 ? outerB : batchB === 1 && batchA !== 1 ? outerA : outerA.length >= outerB.length ? outerA : outerB;
    const noT = { transposeA: false, transposeB: false };
    const release = () => temps.forEach((t) => backend.disposeData(t.dataId));
    try {
      if (batchA !== batchB && batchA !== 1 && batchB !== 1) {
        return orig({ inputs: { a: A, b: B }, backend, attrs: noT });
      }
      const out = backend.makeOutput([...outer, M, N], 'float32');
      if (batchB === 1) {
        // a batch of rows against one matrix: a single tall [batchA·M, K] × [K, N]
        xnnMatMul(backend, A, 0, batchA * M, K, B, 0, N, out, 0);
      } else {
        // a true batch: one XNNPACK matMul per entry, on zero-copy views of the heap
        for (let i = 0; i < batchB; i++) xnnMatMul(backend, A, batchA === 1 ? 0 : i * M * K, M, K, B, i * K * N, N, out, i * M * N);
      }
      return out;
    } finally {
      release();
    }
  };
}

let wasmMatMul: ((...a: unknown[]) => void) | undefined;

/**
 * out[oOff…] = A[aOff…] (M×K) · B[bOff…] (K×N), row-major float32, through the wasm BatchMatMul's
 * XNNPACK path. Every operand is a fresh zero-copy view, so XNNPACK's operator cache (keyed by the
 * right operand's tensor id, not its shape) can never serve a stale packing: stock tfjs-wasm
 * corrupts its heap when one buffer is the right operand under two shapes (e.g. through reshape).
 */
function xnnMatMul(backend: WasmBackendLike, A: TensorInfo, aOff: number, M: number, K: number, B: TensorInfo, bOff: number, N: number, out: TensorInfo, oOff: number): void {
  if (M === 0 || N === 0) return;
  const call = (wasmMatMul ??= backend.wasm.cwrap('BatchMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']));
  const va = backend.makeOutput([1, M, K], 'float32', backend.dataIdMap.get(A.dataId)!.memoryOffset + 4 * aOff);
  const vb = backend.makeOutput([1, K, N], 'float32', backend.dataIdMap.get(B.dataId)!.memoryOffset + 4 * bOff);
  const vo = backend.makeOutput([1, M, N], 'float32', backend.dataIdMap.get(out.dataId)!.memoryOffset + 4 * oOff);
  if (K === 0) (backend.typedArrayFromHeap(vo) as Float32Array).fill(0);
  else call(viewId(backend, va), new Uint8Array(new Int32Array([1, M, K]).buffer), 3, viewId(backend, vb), new Uint8Array(new Int32Array([1, K, N]).buffer), 3, 0, 0, viewId(backend, vo));
  releaseView(backend, va);
  releaseView(backend, vb);
  releaseView(backend, vo);
}

function viewId(backend: WasmBackendLike, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId)!.id;
}

/** Unregister a view made by makeOutput(shape, dtype, offset) without freeing the memory it points into. */
function releaseView(backend: WasmBackendLike, t: TensorInfo): void {
  const id = viewId(backend, t);
  backend.wasm.tfjs.disposeData(id); // also drops any XNNPACK operator cached for this id
  backend.dataIdMap.delete(t.dataId);
}

/** SplitV as contiguous block copies: x viewed as [outer, S, inner], piece j takes [outer, s_j, inner]. */
function fixedSplitV(): KernelFn {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { numOrSizeSplits, axis } = attrs as { numOrSizeSplits: number | number[]; axis: number };
    const r = x.shape.length;
    const ax = axis < 0 ? axis + r : axis;
    const S = x.shape[ax]!;
    let sizes: number[];
    if (typeof numOrSizeSplits === 'number') sizes = new Array(numOrSizeSplits).fill(S / numOrSizeSplits);
    else {
      sizes = numOrSizeSplits.slice();
      const neg = sizes.indexOf(-1);
      if (neg >= 0) sizes[neg] = S - sizes.reduce((p, c) => (c === -1 ? p : p + c), 0);
    }
    const outer = size(x.shape.slice(0, ax));
    const inner = size(x.shape.slice(ax + 1));
    let offset = 0;
    return sizes.map((s) => {
      const shape = x.shape.slice();
      shape[ax] = s;
      const o = backend.makeOutput(shape, x.dtype);
      const src = backend.typedArrayFromHeap(x);
      const dst = backend.typedArrayFromHeap(o);
      const blk = s * inner;
      for (let i = 0; i < outer; i++) {
        const from = i * S * inner + offset * inner;
        (dst as Float32Array).set((src as Float32Array).subarray(from, from + blk), i * blk);
      }
      offset += s;
      return o;
    });
  };
}

/** UnsortedSegmentSum (gather's gradient): out[seg[i], ...] += x[i, ...]; ids outside [0, n) are dropped. */
function unsortedSegmentSum(): KernelFn {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const ids = inputs.segmentIds as TensorInfo;
    const n = (attrs as { numSegments: number }).numSegments;
    const inner = size(x.shape.slice(ids.shape.length));
    const outShape = [n, ...x.shape.slice(ids.shape.length)];
    const out = backend.makeOutput(outShape, x.dtype);
    const dst = backend.typedArrayFromHeap(out);
    dst.fill(0);
    const src = backend.typedArrayFromHeap(x);
    const seg = backend.typedArrayFromHeap(ids);
    const rows = size(ids.shape);
    for (let i = 0; i < rows; i++) {
      const s = seg[i]!;
      if (s < 0 || s >= n) continue;
      const so = i * inner;
      const d = s * inner;
      for (let j = 0; j < inner; j++) dst[d + j]! += src[so + j]!;
    }
    return out;
  };
}

/** Identity / same-dtype Cast without a copy: the output shares the input's buffer (ref-counted). */
function sharedIdentity(orig: KernelFn | undefined): KernelFn {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const dtype = (args.attrs as { dtype?: string } | undefined)?.dtype ?? x.dtype;
    if (dtype !== x.dtype || x.dtype === 'string' || !orig) {
      if (!orig) throw new Error('no original kernel');
      return orig(args);
    }
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
  };
}

/** Sum over a leading prefix of axes ([outer…, inner…] → [inner…]) in one pass; other cases go to the original. */
function leadingSum(orig: KernelFn): KernelFn {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const r = x.shape.length;
    const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + r : a)))].sort((a, b) => a - b);
    const prefix = axes.length > 0 && axes.length < r && axes.every((a, i) => a === i);
    if (!prefix || x.dtype !== 'float32') return orig(args);
    const k = axes.length;
    const rows = size(x.shape.slice(0, k));
    const inner = size(x.shape.slice(k));
    const outShape = keepDims ? [...x.shape.slice(0, k).map(() => 1), ...x.shape.slice(k)] : x.shape.slice(k);
    // one pass over the rows, four at a time, accumulating in float32 like the original kernel
    const out = args.backend.makeOutput(outShape, 'float32');
    const dst = args.backend.typedArrayFromHeap(out) as Float32Array;
    const src = args.backend.typedArrayFromHeap(x) as Float32Array;
    sumRows(src, rows, inner, dst);
    return out;
  };
}

/** dst[j] = Σ_i src[i·inner + j]. */
export function sumRows(src: Float32Array, rows: number, inner: number, dst: Float32Array): void {
  dst.fill(0);
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const b0 = i * inner;
    const b1 = b0 + inner;
    const b2 = b1 + inner;
    const b3 = b2 + inner;
    for (let j = 0; j < inner; j++) dst[j] = dst[j]! + src[b0 + j]! + src[b1 + j]! + src[b2 + j]! + src[b3 + j]!;
  }
  for (; i < rows; i++) {
    const b = i * inner;
    for (let j = 0; j < inner; j++) dst[j] = dst[j]! + src[b + j]!;
  }
}

/** Install the wasm kernel overrides once. Called by initEngine when the backend is wasm. */
export function installWasmFixes(): void {
  if (installed) return;
  installed = true;
  replaceKernel('BatchMatMul', fixedBatchMatMul(kernelFn('BatchMatMul')));
  replaceKernel('SplitV', fixedSplitV());
  replaceKernel('UnsortedSegmentSum', unsortedSegmentSum());
  replaceKernel('Identity', sharedIdentity(kernelFn('Identity')));
  replaceKernel('Sum', leadingSum(kernelFn('Sum')));
  replaceKernel('Cast', sharedIdentity(kernelFn('Cast')));
  wasmFixesState.installed = true;
}

/** Put the original kernels back (benchmarks of the "as-is" backend; tests). */
export function uninstallWasmFixes(): void {
  if (!installed) return;
  for (const [name, fn] of Object.entries(wasmFixesState.originals)) {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: fn });
  }
  if (!wasmFixesState.originals.UnsortedSegmentSum) tf.unregisterKernel('UnsortedSegmentSum', 'wasm');
  wasmFixesState.originals = {};
  installed = false;
  wasmFixesState.installed = false;
}

// ---------------------------------------------------------------------------------------------
// Plain references (float64 loops) the tests compare the kernels against.

/** C = op(A)·op(B) for row-major A [M,K] (or [K,M] if ta), B [K,N] (or [N,K] if tb), in float64. */
export function refMatMul(a: ArrayLike<number>, b: ArrayLike<number>, M: number, K: number, N: number, ta = false, tb = false): Float64Array {
  const c = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (ta ? a[k * M + i]! : a[i * K + k]!) * (tb ? b[j * K + k]! : b[k * N + j]!);
      c[i * N + j] = s;
    }
  return c;
}

/** Split a row-major [outer, S, inner] array into pieces of `sizes` along the middle axis. */
export function refSplit(x: ArrayLike<number>, outer: number, inner: number, sizes: number[]): number[][] {
  const S = sizes.reduce((a, b) => a + b, 0);
  let off = 0;
  return sizes.map((s) => {
    const out: number[] = [];
    for (let i = 0; i < outer; i++) for (let j = 0; j < s; j++) for (let k = 0; k < inner; k++) out.push(x[(i * S + off + j) * inner + k]!);
    off += s;
    return out;
  });
}

/** out[seg[i]] += x[i] (rows of length `inner`), n segments. */
export function refUnsortedSegmentSum(x: ArrayLike<number>, seg: ArrayLike<number>, inner: number, n: number): Float64Array {
  const out = new Float64Array(n * inner);
  for (let i = 0; i < seg.length; i++) {
    const s = seg[i]!;
    if (s < 0 || s >= n) continue;
    for (let j = 0; j < inner; j++) out[s * inner + j]! += x[i * inner + j]!;
  }
  return out;
}
