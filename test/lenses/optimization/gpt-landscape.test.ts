import { describe, expect, it } from 'vitest';
import { initEngine } from '../../../src/engine/tf.js';
import { Rng } from '../../../src/engine/rng.js';
import { GPT } from '../../../src/gpt/model.js';
import { sampleBatch } from '../../../src/gpt/train.js';
import { StateSpaceOptimizer } from '../../../src/optim/optimizers.js';
import { gptFilterDirection, gptLayout, gptLossGrad, gptSubspaceTrain, readTheta } from '../../../src/lenses/optimization/gpt-subspace.js';
import { lineStats } from '../../../src/lenses/optimization/loss-landscape.js';

const tiny = { name: 'tiny', nLayer: 1, nHead: 2, nEmbd: 8, blockSize: 8, dropout: 0, tieWeights: true, train: { batchSize: 2, lr: 1e-3, minLr: 1e-4, warmupSteps: 1, weightDecay: 0, beta1: 0.9, beta2: 0.99, eps: 1e-8, gradClip: 1 } };

describe('1-D line statistics', () => {
  const alphas = Array.from({ length: 21 }, (_, k) => Number((-0.5 + k / 10).toFixed(6)));
  it('a convex, monotone path has no barrier; a bump is measured above the chord', () => {
    const convex = alphas.map((a) => (a - 1.2) ** 2);
    const s = lineStats(alphas, convex);
    expect(s.rises).toBe(0);
    expect(s.barrier).toBeLessThan(0);
    expect(s.aboveStart).toBeLessThan(0);
    expect(s.curvatureAtEnd).toBeCloseTo(2, 9); // exact for a parabola
    const bump = alphas.map((a) => 2 - a + (Math.abs(a - 0.5) < 1e-9 ? 0.7 : 0));
    const b = lineStats(alphas, bump);
    expect(b.barrier).toBeCloseTo(0.7, 9);
    expect(b.rises).toBe(1);
    expect(b.aboveStart).toBeCloseTo(0.2, 9);
  });
});

describe('the GPT as a flat vector', () => {
  it('filter-normalised directions: each filter has the norm of θ’s filter, vectors get 0', async () => {
    await initEngine();
    const m = GPT.init(tiny, 11, new Rng(1));
    try {
      const lay = gptLayout(m);
      const th = readTheta(m, lay);
      const d = gptFilterDirection(lay, th, new Rng(2));
      lay.names.forEach((n, k) => {
        const o = lay.offsets[k]!;
        const sh = lay.shapes[k]!;
        if (sh.length !== 2) {
          for (let i = 0; i < lay.sizes[k]!; i++) expect(d[o + i]).toBe(0);
          return;
        }
        const [R, C] = sh as [number, number];
        const byRow = n === 'wte' || n === 'wpe';
        for (let f = 0; f < (byRow ? R : C); f++) {
          let a = 0;
          let b = 0;
          for (let i = 0; i < (byRow ? C : R); i++) {
            const j = o + (byRow ? f * C + i : i * C + f);
            a += d[j]! ** 2;
            b += th[j]! ** 2;
          }
          expect(Math.sqrt(a)).toBeCloseTo(Math.sqrt(b), 10);
        }
      });
    } finally {
      m.dispose();
    }
  });

  it('subspace training with P = I (d = D) equals Adam on θ itself, batch for batch', async () => {
    await initEngine();
    const V = 11;
    const tokens = Int32Array.from({ length: 400 }, (_, i) => (i * 7 + (i >> 3)) % V);
    const m = GPT.init(tiny, V, new Rng(3));
    try {
      const lay = gptLayout(m);
      const theta0 = readTheta(m, lay);
      const opt = { kind: 'adam' as const, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
      const I = { d: lay.D, apply: (z: Float64Array, o: Float64Array) => (o.set(z), o), applyT: (y: Float64Array, o: Float64Array) => (o.set(y), o) };
      const viaZ = await gptSubspaceTrain(m, lay, theta0, I, tokens, { steps: 4, batch: 3, lr: () => 1e-2, opt, rng: new Rng(4) });
      // direct: the same batches, Adam on θ
      const th = Float64Array.from(theta0);
      const o = new StateSpaceOptimizer(opt, lay.D);
      const rng = new Rng(4);
      for (let s = 0; s < 4; s++) {
        const batch = sampleBatch(tokens, 3, tiny.blockSize, rng);
        o.step(th, gptLossGrad(m, lay, th, batch).grad, 1e-2);
      }
      let gap = 0;
      let moved = 0;
      for (let i = 0; i < lay.D; i++) {
        gap = Math.max(gap, Math.abs(viaZ.theta[i]! - th[i]!));
        moved = Math.max(moved, Math.abs(th[i]! - theta0[i]!));
      }
      expect(moved).toBeGreaterThan(0.02);
      expect(gap).toBeLessThan(1e-5); // float32 weights inside the model, float64 outside
    } finally {
      m.dispose();
    }
  });
});
