import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/engine/rng.js';
import { initMlp64, train64, type MlpSpec64, type Batch64 } from '../../../src/nn/mlp64.js';
import { randomBasis, subspaceTrain, seedDInt90, CRITERIA as ID } from '../../../src/lenses/optimization/intrinsic-dimension.js';
import { CRITERIA as L2 } from '../../../src/lenses/optimization/l2-curvature.js';
import { CRITERIA as REG, wagerCheck } from '../../../src/lenses/optimization/regularization.js';
import { deriveVerdict } from '../../../src/experiments/verdict.js';

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

describe('verdicts follow the numbers (declared criteria + hand-made evidence)', () => {
  it('opt.low-dim-manifold: compression lower bound, against a converged reference', () => {
    const c = ID['opt.low-dim-manifold'];
    expect(deriveVerdict(c, { compression_ci_low: 1.3e5, ref_doubling_gain_bpc: 0.01 })).toBe('reproduced');
    expect(deriveVerdict(c, { compression_ci_low: 12.9, ref_doubling_gain_bpc: 0.01 })).toBe('partly');
    expect(deriveVerdict(c, { compression_ci_low: 12.9, ref_doubling_gain_bpc: 0.2 })).toBe('not-reproduced'); // reference still improving
    expect(deriveVerdict(c, { compression_ci_low: 9.5, ref_doubling_gain_bpc: 0.01 })).toBe('not-reproduced'); // e.g. D/d = 28576/3000
  });
  it('seedDInt90 interpolates inside the bracket, and is Infinity when the bracket is not reached', () => {
    expect(seedDInt90({ d: 1000, perf: 0.8 }, { d: 3162, perf: 1.0 })).toBeCloseTo(Math.exp(Math.log(1000) + 0.5 * Math.log(3.162)), 6);
    expect(seedDInt90({ d: 1000, perf: 0.95 }, { d: 3162, perf: 1.0 })).toBe(1000);
    expect(seedDInt90({ d: 1000, perf: 0.5 }, { d: 3162, perf: 0.85 })).toBe(Infinity);
  });
  it('opt.l2-curvature: positive definite where training lands, and faster GD', () => {
    const c = L2['opt.l2-curvature'];
    expect(deriveVerdict(c, { min_lambda_min_own: 1e-3, gd_rate_speedup: 2 })).toBe('reproduced');
    expect(deriveVerdict(c, { min_lambda_min_own: 1e-3, gd_rate_speedup: 1.1 })).toBe('partly');
    expect(deriveVerdict(c, { min_lambda_min_own: -6e-3, gd_rate_speedup: 0.59 })).toBe('not-reproduced'); // the audit run's numbers
    expect(deriveVerdict(c, { min_lambda_min_own: -6e-3, gd_rate_speedup: 3 })).toBe('not-reproduced');
  });
  it('opt.decay-dropout-15-20: the paired interval must reach 15–20% and exclude 0', () => {
    const c = REG['opt.decay-dropout-15-20'];
    expect(deriveVerdict(c, { rel_reduction_ci_low: 0.1, rel_reduction_ci_high: 0.25 })).toBe('reproduced');
    expect(deriveVerdict(c, { rel_reduction_ci_low: 0.3, rel_reduction_ci_high: 0.45 })).toBe('partly');
    expect(deriveVerdict(c, { rel_reduction_ci_low: 0.02, rel_reduction_ci_high: 0.1 })).toBe('partly');
    expect(deriveVerdict(c, { rel_reduction_ci_low: -0.097, rel_reduction_ci_high: 0.032 })).toBe('not-reproduced');
  });
  it('opt.dropout-implicit: a raised test error cannot reproduce; the Wager interval decides partly', () => {
    const c = REG['opt.dropout-implicit'];
    expect(deriveVerdict(c, { dropout_gain_ci_low: 0.005, wager_ratio_ci_low: 0.8, wager_ratio_ci_high: 1.1 })).toBe('reproduced');
    expect(deriveVerdict(c, { dropout_gain_ci_low: -0.011, wager_ratio_ci_low: 0.8, wager_ratio_ci_high: 1.1 })).toBe('partly');
    expect(deriveVerdict(c, { dropout_gain_ci_low: -0.011, wager_ratio_ci_low: 0.65, wager_ratio_ci_high: 0.8 })).toBe('not-reproduced'); // 0.72 alone no longer passes
    expect(deriveVerdict(c, { dropout_gain_ci_low: 0.01, wager_ratio_ci_low: 0.5, wager_ratio_ci_high: 1.5 })).toBe('not-reproduced');
  });
});

describe('wagerCheck', () => {
  it('the quadratic penalty matches the Monte Carlo dropout gap on a small net (second-order regime)', () => {
    const spec: MlpSpec64 = { sizes: [6, 12, 3], activation: 'relu' };
    const rng = new Rng(4);
    const data = toy(rng, 200, 6, 3);
    const theta = initMlp64(spec, rng);
    for (let i = 0; i < theta.length; i++) theta[i]! *= 0.5; // small logits: the quadratic expansion holds
    const w = wagerCheck(spec, theta, data, 0.1, 1500, new Rng(9));
    expect(w.mcGap).toBeGreaterThan(0);
    expect(w.penalty / w.mcGap).toBeGreaterThan(0.8);
    expect(w.penalty / w.mcGap).toBeLessThan(1.25);
  });
});
