/**
 * Performance fixes for the tfjs wasm backend, measured on these machines (DEVELOPERS.md):
 * - matMul runs on XNNPACK only when neither input is transposed and the batch is 1; transposed
 *   or batched matMuls (all of backprop) fall to a scalar loop ~15× slower.
 *   Fix: `BatchMatMul` is re-registered: inputs are transposed explicitly first (the Transpose
 *   kernel is fast), a batch against a shared right matrix becomes one tall 2-D matMul, and a true
 *   batch becomes one 2-D XNNPACK matMul per batch entry.
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
import { tf } from './tf.js';

let installed = false;

/** The parts of the wasm backend these kernels use (its public-but-untyped surface). */
interface WasmBackendLike {
  incRef(dataId: unknown): void;
  makeOutput(shape: number[], dtype: string): TensorInfo;
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
export const wasmFixesState = { installed: false, originals: {} as Record<string, KernelFn> };

function kernelFn(name: string): KernelFn {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`wasm kernel ${name} is not registered`);
  return k.kernelFunc as unknown as KernelFn;
}

function replaceKernel(name: string, fn: KernelFn): void {
  if (tf.getKernel(name, 'wasm')) {
    wasmFixesState.originals[name] = kernelFn(name);
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
      if (batchA === 1 && batchB === 1) {
        const out = orig({ inputs: { a: A, b: B }, backend, attrs: noT }) as TensorInfo;
        out.shape = [...outer, M, N];
        return out;
      }
      if (batchB === 1 && K > 0) {
        // a batch of rows against one matrix: a single tall [batchA·M, K] × [K, N]
        const flat = kernelFn('Reshape')({ inputs: { x: A }, backend, attrs: { shape: [batchA * M, K] } }) as TensorInfo;
        temps.push(flat);
        const B2 = kernelFn('Reshape')({ inputs: { x: B }, backend, attrs: { shape: [K, N] } }) as TensorInfo;
        temps.push(B2);
        const out = orig({ inputs: { a: flat, b: B2 }, backend, attrs: noT }) as TensorInfo;
        out.shape = [...outerA, M, N];
        return out;
      }
      if (batchA !== batchB && batchA !== 1) {
        return orig({ inputs: { a: A, b: B }, backend, attrs: noT });
      }
      // a true batch: one XNNPACK matMul per entry, copied through the heap
      const batch = Math.max(batchA, batchB);
      const out = backend.makeOutput([...outer, M, N], 'float32');
      for (let i = 0; i < batch; i++) {
        const ai = backend.makeOutput([M, K], 'float32');
        const bi = backend.makeOutput([K, N], 'float32');
        const ia = batchA === 1 ? 0 : i;
        const ib = batchB === 1 ? 0 : i;
        (backend.typedArrayFromHeap(ai) as Float32Array).set((backend.typedArrayFromHeap(A) as Float32Array).subarray(ia * M * K, (ia + 1) * M * K));
        (backend.typedArrayFromHeap(bi) as Float32Array).set((backend.typedArrayFromHeap(B) as Float32Array).subarray(ib * K * N, (ib + 1) * K * N));
        const oi = orig({ inputs: { a: ai, b: bi }, backend, attrs: noT }) as TensorInfo;
        (backend.typedArrayFromHeap(out) as Float32Array).set(backend.typedArrayFromHeap(oi) as Float32Array, i * M * N);
        backend.disposeData(ai.dataId);
        backend.disposeData(bi.dataId);
        backend.disposeData(oi.dataId);
      }
      return out;
    } finally {
      release();
    }
  };
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
    // ones[1, rows] · x[rows, inner] on XNNPACK
    const be = args.backend;
    const ones = be.makeOutput([1, rows], 'float32');
    (be.typedArrayFromHeap(ones) as Float32Array).fill(1);
    const x2 = kernelFn('Reshape')({ inputs: { x }, backend: be, attrs: { shape: [rows, inner] } }) as TensorInfo;
    const mm = wasmFixesState.originals.BatchMatMul ?? kernelFn('BatchMatMul');
    const out = mm({ inputs: { a: ones, b: x2 }, backend: be, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
    be.disposeData(ones.dataId);
    be.disposeData(x2.dataId);
    out.shape = outShape;
    return out;
  };
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
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: fn as unknown as tf.KernelFunc });
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
