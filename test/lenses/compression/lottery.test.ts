import { describe, it, expect, beforeAll } from 'vitest';
import { initEngine, tf } from '../../../src/engine/tf.js';
import { Rng } from '../../../src/engine/rng.js';
import { magnitudeMasks, randomMasks } from '../../../src/lenses/compression/lottery.js';
import type { MLPSpec, Variables } from '../../../src/nn/mlp.js';

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
