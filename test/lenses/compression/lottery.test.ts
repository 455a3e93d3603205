import { describe, it, expect, beforeAll } from 'vitest';
import { initEngine, tf } from '../../../src/engine/tf.js';
import { Rng } from '../../../src/engine/rng.js';
import { magnitudeMasks, randomMasks } from '../../../src/lenses/compression/lottery.js';
import { trainMLP, disposeParams, type MLPSpec, type Variables } from '../../../src/nn/mlp.js';
import { createTensorOptimizer } from '../../../src/optim/optimizers.js';
import type { Digits } from '../../../src/data/corpora.js';

beforeAll(async () => {
  await initEngine();
});

const count = (m: Float32Array) => m.reduce((a, v) => a + v, 0);

describe('IMP masks on the MLP (per layer, output layer at half the rate)', () => {
  it('drop floor(rate·alive) of the smallest surviving weights per layer, never revive one, and let random masks match the counts', () => {
    const spec: MLPSpec = { sizes: [4, 5, 3], activation: 'relu' };
    const rng = new Rng(3);
    // distinct magnitudes so "the smallest" is unambiguous
    const w0 = Float32Array.from(rng.permutation(20), (v, i) => (i % 2 ? -1 : 1) * (v + 1));
    const w1 = Float32Array.from(rng.permutation(15), (v, i) => (i % 3 ? 1 : -1) * (v + 1));
    const vars: Variables = { 'fc0.weight': tf.variable(tf.tensor2d(w0, [4, 5])), 'fc1.weight': tf.variable(tf.tensor2d(w1, [5, 3])) };
    const ones = { 'fc0.weight': new Float32Array(20).fill(1), 'fc1.weight': new Float32Array(15).fill(1) };
    const m1 = magnitudeMasks(spec, vars, ones, 0.5);
    expect(count(m1['fc0.weight']!)).toBe(10); // hidden layer: floor(20·0.5) pruned
    expect(count(m1['fc1.weight']!)).toBe(12); // output layer: floor(15·0.25) = 3 pruned
    // the survivors are exactly the largest |w|
    for (const [n, w] of [['fc0.weight', w0], ['fc1.weight', w1]] as const) {
      const m = m1[n]!;
      const minKept = Math.min(...Array.from(w).filter((_, i) => m[i]).map(Math.abs));
      const maxDropped = Math.max(...Array.from(w).filter((_, i) => !m[i]).map(Math.abs));
      expect(minKept).toBeGreaterThan(maxDropped);
    }
    // round 2, after "training" made a pruned weight large: it stays pruned, and the rate applies to the survivors
    const grown = Float32Array.from(w0);
    const deadIdx = m1['fc0.weight']!.indexOf(0);
    grown[deadIdx] = 1000;
    vars['fc0.weight']!.assign(tf.tensor2d(grown, [4, 5]));
    const m2 = magnitudeMasks(spec, vars, m1, 0.5);
    expect(m2['fc0.weight']![deadIdx]).toBe(0);
    expect(count(m2['fc0.weight']!)).toBe(5);
    expect(count(m2['fc1.weight']!)).toBe(9); // 12 − floor(12·0.25)
    for (let i = 0; i < 20; i++) if (!m1['fc0.weight']![i]) expect(m2['fc0.weight']![i]).toBe(0);

    // random pruning: the same number of survivors per layer, a different pattern, reproducible
    const r1 = randomMasks(m2, new Rng(7));
    const r2 = randomMasks(m2, new Rng(7));
    for (const n of ['fc0.weight', 'fc1.weight']) {
      expect(count(r1[n]!)).toBe(count(m2[n]!));
      expect(Array.from(r1[n]!)).toEqual(Array.from(r2[n]!));
    }
    expect(Array.from(r1['fc0.weight']!)).not.toEqual(Array.from(m2['fc0.weight']!));
    for (const v of Object.values(vars)) v.dispose();
  });
});

describe('a ticket trained with Adam (the lens default)', () => {
  it('keeps its pruned weights exactly zero and still learns', async () => {
    const spec: MLPSpec = { sizes: [8, 16, 3], activation: 'relu' };
    const rng = new Rng(11);
    const n = 96;
    const x = Float32Array.from(rng.normalArray(n * 8));
    const y = Int32Array.from({ length: n }, (_, i) => (x[i * 8]! > 0.5 ? 2 : x[i * 8 + 1]! > 0 ? 1 : 0));
    const train: Digits = { x, y, n, d: 8 };
    const w0 = Float32Array.from(rng.normalArray(8 * 16), (v) => 0.3 * v);
    const w1 = Float32Array.from(rng.normalArray(16 * 3), (v) => 0.3 * v);
    const vars: Variables = {
      'fc0.weight': tf.variable(tf.tensor2d(w0, [8, 16])),
      'fc0.bias': tf.variable(tf.zeros([16])),
      'fc1.weight': tf.variable(tf.tensor2d(w1, [16, 3])),
      'fc1.bias': tf.variable(tf.zeros([3])),
    };
    const keep = (len: number) => Float32Array.from({ length: len }, (_, i) => (i % 3 === 0 ? 0 : 1));
    const m = { 'fc0.weight': keep(128), 'fc1.weight': keep(48) };
    const masks = { 'fc0.weight': tf.tensor2d(m['fc0.weight'], [8, 16]), 'fc1.weight': tf.tensor2d(m['fc1.weight'], [16, 3]) };
    tf.tidy(() => {
      for (const [k, t] of Object.entries(masks)) vars[k]!.assign(tf.mul(vars[k]!, t));
    });
    const opt = createTensorOptimizer({ kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    const hist = await trainMLP(spec, vars, train, { epochs: 20, batchSize: 32, lr: 1e-2, rng: new Rng(5), optimizer: opt, masks });
    opt.dispose();
    expect(hist[hist.length - 1]!).toBeLessThan(0.7 * hist[0]!);
    for (const k of ['fc0.weight', 'fc1.weight'] as const) {
      const w = vars[k]!.dataSync();
      for (let i = 0; i < w.length; i++) if (!m[k][i]) expect(Math.abs(w[i]!)).toBe(0); // −0 from 0 × negative is still zero
    }
    disposeParams(masks);
    disposeParams(vars);
  });
});
