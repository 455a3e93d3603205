import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/engine/rng.js';
import { initMlp64, train64, type MlpSpec64, type Batch64 } from '../../../src/nn/mlp64.js';
import { randomBasis, subspaceTrain, idCriteria } from '../../../src/lenses/optimization/intrinsic-dimension.js';
import { l2Criteria } from '../../../src/lenses/optimization/l2-curvature.js';
import { decayDropoutCriteria, dropoutCriteria } from '../../../src/lenses/optimization/regularization.js';
import { judge } from '../../../src/experiments/verdict.js';
import { runExperiment } from '../../../src/experiments/runner.js';
import { nodeData, fileCache } from '../../../src/experiments/node-host.js';
import { experiments } from '../../../src/lenses/optimization/index.js';

function toy(rng: Rng, n: number, c: number, k: number): Batch64 {
  const x = Float64Array.from({ length: n * c }, () => rng.normal());
  const y = Int32Array.from({ length: n }, () => rng.int(k));
  return { x, y, n };
}

describe('intrinsic dimension', () => {
  it('subspace training with d = D (orthonormal P, SGD) equals ordinary training', () => {
    const spec: MlpSpec64 = { sizes: [6, 4, 3], activation: 'tanh' };
    const rng = new Rng(1);
    const data = toy(rng, 40, 6, 3);
    const theta0 = initMlp64(spec, rng);
    const D = theta0.length; // 43
    const P = randomBasis(D, D, new Rng(2), 'orthonormal');
    const viaZ = subspaceTrain(spec, theta0, P, D, data, { epochs: 5, batch: 8, lr: 0.1, opt: { kind: 'sgd' }, rng: new Rng(3) });
    const direct = Float64Array.from(theta0);
    train64(spec, direct, data, { epochs: 5, batch: 8, lr: 0.1, opt: { kind: 'sgd' }, rng: new Rng(3) });
    let moved = 0;
    for (let i = 0; i < D; i++) {
      expect(viaZ[i]).toBeCloseTo(direct[i]!, 9);
      moved += Math.abs(direct[i]! - theta0[i]!);
    }
    expect(moved).toBeGreaterThan(0.1); // training actually moved the weights
    // a d < D subspace cannot follow the same path
    const Ps = randomBasis(D, 5, new Rng(2), 'orthonormal');
    const small = subspaceTrain(spec, theta0, Ps, 5, data, { epochs: 5, batch: 8, lr: 0.1, opt: { kind: 'sgd' }, rng: new Rng(3) });
    let gap = 0;
    for (let i = 0; i < D; i++) gap += Math.abs(small[i]! - direct[i]!);
    expect(gap).toBeGreaterThan(1e-3);
  });
});

describe('verdicts follow the numbers', () => {
  it('intrinsic dimension', () => {
    expect(judge(idCriteria({ dInt90: 750, params: 1e8 }))).toBe('reproduced');
    expect(judge(idCriteria({ dInt90: 80, params: 1210 }))).toBe('partly');
    expect(judge(idCriteria({ dInt90: 600, params: 1210 }))).toBe('not-reproduced');
    expect(judge(idCriteria({ dInt90: Infinity, params: 1210 }))).toBe('not-reproduced');
  });
  it('L2 curvature', () => {
    expect(judge(l2Criteria({ shiftError: 1e-9, minPositiveAboveThreshold: true, gdImproves: true, positiveAtOwnSolutions: true }))).toBe('reproduced');
    expect(judge(l2Criteria({ shiftError: 1e-9, minPositiveAboveThreshold: false, gdImproves: true, positiveAtOwnSolutions: false }))).toBe('partly');
    expect(judge(l2Criteria({ shiftError: 1e-2, minPositiveAboveThreshold: true, gdImproves: true, positiveAtOwnSolutions: true }))).toBe('not-reproduced');
  });
  it('regularization', () => {
    expect(judge(decayDropoutCriteria({ relReduction: 0.17, ciHalf: 0.05 }))).toBe('reproduced');
    expect(judge(decayDropoutCriteria({ relReduction: 0.4, ciHalf: 0.05 }))).toBe('partly');
    expect(judge(decayDropoutCriteria({ relReduction: 0.05, ciHalf: 0.1 }))).toBe('not-reproduced');
    expect(judge(dropoutCriteria({ dropoutGainLo: 0.01, wagerRatio: 1.02 }))).toBe('reproduced');
    expect(judge(dropoutCriteria({ dropoutGainLo: -0.01, wagerRatio: 3 }))).toBe('not-reproduced');
  });
});

describe('quick presets run and return verdicts for their claims', () => {
  const host = { progress: () => {}, signal: new AbortController().signal, log: () => {}, data: nodeData, cache: fileCache(), platform: { kind: 'node' as const } };
  for (const exp of experiments) {
    it(exp.id, async () => {
      const res = await runExperiment(exp, host, { preset: 'quick', seed: 1 });
      expect(res.verdicts.map((v) => v.claim).sort()).toEqual([...exp.claims].sort());
      expect(res.figures.length).toBeGreaterThan(0);
      expect(res.findings.length).toBeGreaterThan(0);
      for (const m of res.metrics) expect(typeof m.value).toBe('number');
    }, 60_000);
  }
});
