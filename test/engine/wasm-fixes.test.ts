/** The wasm kernel overrides against plain float64 references and the original kernels. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine, tf } from '../../src/engine/tf.js';
import { Rng } from '../../src/engine/rng.js';
import { installWasmFixes, refMatMul, refSplit, refUnsortedSegmentSum, uninstallWasmFixes, wasmFixesState } from '../../src/engine/wasm-fixes.js';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

beforeAll(async () => {
  expect(await initEngine('wasm')).toBe('wasm');
});

describe('wasm fixes', () => {
  it('are installed by initEngine', () => {
    expect(wasmFixesState.installed).toBe(true);
  });

  it('matMul with every transpose combination matches a float64 reference', () => {
    const rng = new Rng(1);
    const [M, K, N] = [7, 5, 9];
    const a = rng.normalArray(M * K);
    const b = rng.normalArray(K * N);
    for (const ta of [false, true])
      for (const tb of [false, true]) {
        const A = tf.tensor2d(a, ta ? [K, M] : [M, K]);
        const B = tf.tensor2d(b, tb ? [N, K] : [K, N]);
        const got = tf.matMul(A, B, ta, tb);
        expect(got.shape).toEqual([M, N]);
        expect(maxDiff(got.dataSync(), refMatMul(a, b, M, K, N, ta, tb))).toBeLessThan(1e-5);
        tf.dispose([A, B, got]);
      }
  });

  it('batched and broadcast matMuls match the original kernel', () => {
    const rng = new Rng(2);
    const cases: [number[], number[], boolean, boolean][] = [
      [[3, 4, 6], [3, 6, 5], false, false],
      [[3, 6, 4], [3, 6, 5], true, false],
      [[3, 4, 6], [3, 5, 6], false, true],
      [[2, 3, 4, 6], [2, 3, 5, 6], false, true],
      [[3, 4, 6], [1, 6, 5], false, false],
      [[1, 4, 6], [3, 6, 5], false, false],
    ];
    for (const [sa, sb, ta, tb] of cases) {
      const A = tf.tensor(rng.normalArray(sa.reduce((x, y) => x * y)), sa);
      const B = tf.tensor(rng.normalArray(sb.reduce((x, y) => x * y)), sb);
      const fixed = tf.matMul(A, B, ta, tb);
      uninstallWasmFixes();
      const orig = tf.matMul(A, B, ta, tb);
      installWasmFixes();
      expect(fixed.shape).toEqual(orig.shape);
      expect(maxDiff(fixed.dataSync(), orig.dataSync())).toBeLessThan(1e-5);
      tf.dispose([A, B, fixed, orig]);
    }
  });

  it('one buffer as the right operand under two shapes (stock tfjs-wasm corrupts its heap here)', () => {
    const x = tf.tensor1d(Float32Array.from({ length: 120 }, (_, i) => i));
    const r1 = tf.matMul(tf.ones([1, 4]), x.reshape([4, 30]));
    const r2 = tf.matMul(tf.ones([1, 20]), x.reshape([20, 6]));
    expect(r1.dataSync()[0]).toBe(0 + 30 + 60 + 90);
    expect(Array.from(r2.dataSync())).toEqual(Array.from(refMatMul(new Array(20).fill(1), x.dataSync(), 1, 20, 6)));
    tf.dispose([x, r1, r2]);
  });

  it('split along an inner axis matches the reference', () => {
    const x = Float32Array.from({ length: 2 * 7 * 3 }, (_, i) => i);
    const parts = tf.split(tf.tensor3d(x, [2, 7, 3]), [2, 4, 1], 1);
    const ref = refSplit(x, 2, 3, [2, 4, 1]);
    parts.forEach((p, i) => expect(Array.from(p.dataSync())).toEqual(ref[i]));
    tf.dispose(parts);
  });

  it('gather has a gradient (UnsortedSegmentSum) equal to a scatter-add', () => {
    const rng = new Rng(3);
    const table = tf.tensor2d(rng.normalArray(5 * 3), [5, 3]);
    const ids = [4, 0, 4, 2, 4];
    const dy = rng.normalArray(ids.length * 3);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d(ids, 'int32')), tf.tensor2d(dy, [ids.length, 3]))))(table);
    expect(maxDiff(g.dataSync(), refUnsortedSegmentSum(dy, ids, 3, 5))).toBeLessThan(1e-6);
    tf.dispose([table, g]);
  });

  it('identity shares its buffer without leaking tensors', () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('wasm fixes: reductions', () => {
  it('sum over leading axes matches the original kernel (and other axes still work)', () => {
    const rng = new Rng(4);
    const x = tf.tensor3d(rng.normalArray(4 * 5 * 6), [4, 5, 6]);
    const cases: [number | number[], boolean][] = [[0, false], [[0, 1], true], [1, false], [-1, true], [[0, 2], false]];
    for (const [axis, keep] of cases) {
      const a = tf.sum(x, axis, keep);
      uninstallWasmFixes();
      const b = tf.sum(x, axis, keep);
      installWasmFixes();
      expect(a.shape).toEqual(b.shape);
      expect(maxDiff(a.dataSync(), b.dataSync())).toBeLessThan(1e-5);
      tf.dispose([a, b]);
    }
    x.dispose();
  });
});
