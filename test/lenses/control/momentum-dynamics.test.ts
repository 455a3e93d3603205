/** control.momentum-dynamics: rates within 2% of Goh 2017, the 2×2 poles, the stability boundary, the verdicts. */
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../../src/experiments/runner.js';
import { nodeHost } from '../../../src/experiments/node-host.js';
import { momentumDynamics, dampingEvidence, dampingVerdict, stabilityAgreement } from '../../../src/lenses/control/momentum-dynamics.js';
import { reversalFraction } from '../../../src/lenses/control/damping-mlp.js';
import { cabs, eig2, heavyBallMatrix, heavyBallPoles, heavyBallStable, optimalHeavyBall, spectralRadius2 } from '../../../src/lenses/control/dynamics.js';
import type { Experiment } from '../../../src/experiments/contract.js';

describe('heavy-ball iteration matrix', () => {
  it('det = β, tr = 1 + β − αλ; complex poles have modulus √β', () => {
    for (const [a, b, l] of [[0.1, 0.5, 3], [0.02, 0.9, 10], [1, 0.3, 1.2]] as const) {
      const [p, q] = heavyBallPoles(a, b, l);
      // product and sum of the roots
      const prodRe = p.re * q.re - p.im * q.im;
      expect(prodRe).toBeCloseTo(b, 12);
      expect(p.re + q.re).toBeCloseTo(1 + b - a * l, 12);
      if (p.im !== 0) expect(cabs(p)).toBeCloseTo(Math.sqrt(b), 12);
    }
    expect(eig2([2, 0, 0, 3]).map((z) => z.re).sort()).toEqual([2, 3]);
  });

  it('spectral radius < 1 exactly inside 0 < αλ < 2 + 2β (grid off the boundary)', () => {
    let checked = 0;
    for (let b = 0.01; b < 1; b += 0.07)
      for (let al = 0.02; al < 4.5; al += 0.031) {
        if (Math.abs(al - 2 - 2 * b) < 1e-3) continue;
        expect(spectralRadius2(heavyBallMatrix(al, b, 1)) < 1).toBe(heavyBallStable(al, b));
        checked++;
      }
    expect(checked).toBeGreaterThan(1000);
  });

  it('at the optimal (α, β) every pole has modulus √β = (√κ−1)/(√κ+1)', () => {
    const k = 100;
    const { alpha, beta, rate } = optimalHeavyBall(1, k);
    expect(Math.sqrt(beta)).toBeCloseTo(rate, 12);
    for (let l = 1; l <= k; l *= 1.3) for (const z of heavyBallPoles(alpha, beta, l)) expect(cabs(z)).toBeCloseTo(rate, 6);
  });
});

describe('control.momentum-dynamics (quick)', () => {
  it('measured rates within 2% of (κ−1)/(κ+1) and (√κ−1)/(√κ+1) for κ = 10, 100, 1000; map matches αλ < 2+2β', async () => {
    const r = await runExperiment(momentumDynamics as unknown as Experiment, nodeHost(), { preset: 'quick', seed: 1 });
    const m = Object.fromEntries(r.metrics.map((x) => [x.name, x]));
    for (const k of [10, 100, 1000]) {
      const gd = m[`rate_gd_kappa${k}`]!;
      const hb = m[`rate_hb_kappa${k}`]!;
      expect(gd.reference!.value).toBeCloseTo((k - 1) / (k + 1), 12);
      expect(hb.reference!.value).toBeCloseTo((Math.sqrt(k) - 1) / (Math.sqrt(k) + 1), 12);
      expect(Math.abs(gd.value / gd.reference!.value - 1)).toBeLessThan(0.02);
      expect(Math.abs(hb.value / hb.reference!.value - 1)).toBeLessThan(0.02);
    }
    expect(m.stability_map_agreement!.value).toBe(1);
    expect(m.ema_vs_heavyball_max_diff!.value).toBeLessThan(1e-9);
    expect(m.hb_pole_radius_max!.value).toBeCloseTo(m.hb_pole_radius_max!.reference!.value, 6);
    // the steep direction's zig-zag dies faster with momentum, but most directions ring (exact on a quadratic)
    expect(m.steep_zigzag_damping_50!.value).toBeGreaterThan(10);
    expect(m.underdamped_fraction!.value).toBeGreaterThan(0.5);
    // on the MLP above 2/λ₀ GD turns back on itself, the seed's EMA momentum much less
    expect(m.mlp_reversals_gd!.value).toBeGreaterThan(m.mlp_reversals_ema!.value);
    expect(r.figures.length).toBe(5);
  });

  it('the damping verdict: reproduced from a table that shows the effect, not from one that does not', () => {
    const seeds = (gd: number[], ema: number[]) => gd.map((g, i) => ({ reversalsGd: g, reversalsEma: ema[i]! }));
    expect(dampingVerdict(dampingEvidence(seeds([0.15, 0.2, 0.16, 0.11, 0.15], [0, 0, 0, 0, 0]))).verdict).toBe('reproduced');
    // a drop that the interval decides but below the stated 0.1
    expect(dampingVerdict(dampingEvidence(seeds([0.06, 0.07, 0.05, 0.06, 0.06], [0, 0, 0, 0, 0]))).verdict).toBe('partly');
    // momentum that rings as much as GD zig-zags
    expect(dampingVerdict(dampingEvidence(seeds([0.15, 0.2, 0.16], [0.14, 0.22, 0.15]))).verdict).toBe('not-reproduced');
    // one seed cannot decide
    expect(dampingVerdict(dampingEvidence(seeds([0.5], [0]))).verdict).toBe('not-reproduced');
  });

  it('reversal fraction counts updates that turn back', () => {
    const u = [[1, 0], [-1, 0.1], [-1, 0], [1, 1]].map((x) => Float32Array.from(x));
    expect(reversalFraction(u)).toBeCloseTo(2 / 3, 12);
  });

  it('the stability agreement sees a simulation that disagrees with the boundary', () => {
    const fake = [{ al: 3, beta: 0.1, simStable: true }, { al: 1, beta: 0.1, simStable: true }];
    expect(stabilityAgreement(fake).agreement).toBe(0.5);
  });
});
