import { describe, it, expect } from 'vitest';
import { Rng } from '../../../src/engine/rng.js';
import {
  l1PhaseTransition,
  normalTail,
  gaussianMatrix,
  sparseSignal,
  matVec,
  lasso,
  omp,
  iht,
  relError,
  type Mat,
} from '../../../src/lenses/compression/cs.js';
import { sensing, fiftyPercentPoint } from '../../../src/lenses/compression/sensing.js';
import { runExperiment } from '../../../src/experiments/runner.js';
import { nodeHost } from '../../../src/experiments/node-host.js';
import type { Experiment } from '../../../src/experiments/contract.js';

describe('the theoretical ℓ1 phase transition', () => {
  it('matches Donoho–Tanner at δ = 0.1, 0.25, 0.5 (signed and nonnegative)', () => {
    expect(l1PhaseTransition(0.1)).toBeCloseTo(0.189, 2);
    expect(l1PhaseTransition(0.25)).toBeCloseTo(0.267, 2);
    expect(l1PhaseTransition(0.5)).toBeCloseTo(0.386, 2);
    expect(Math.abs(l1PhaseTransition(0.1) - 0.189)).toBeLessThan(0.002);
    expect(Math.abs(l1PhaseTransition(0.5) - 0.386)).toBeLessThan(0.002);
    expect(Math.abs(l1PhaseTransition(0.1, true) - 0.241)).toBeLessThan(0.002);
    expect(Math.abs(l1PhaseTransition(0.25, true) - 0.365)).toBeLessThan(0.002);
    expect(Math.abs(l1PhaseTransition(0.5, true) - 0.558)).toBeLessThan(0.002);
  });
  it('uses a normal tail accurate to published values', () => {
    expect(normalTail(0)).toBeCloseTo(0.5, 15);
    expect(normalTail(1)).toBeCloseTo(0.15865525393145707, 13);
    expect(normalTail(3)).toBeCloseTo(0.0013498980316301, 14);
    expect(normalTail(5) / 2.866515718791939e-7).toBeCloseTo(1, 10);
    expect(normalTail(-1)).toBeCloseTo(1 - 0.15865525393145707, 13);
  });
});

describe('recovery algorithms', () => {
  it('LASSO on an orthonormal A equals soft thresholding (closed form)', () => {
    const n = 8;
    const A: Mat = { m: n, n, a: new Float64Array(n * n) };
    for (let i = 0; i < n; i++) A.a[i * n + i] = 1;
    const y = Float64Array.from([3, -2, 0.5, -0.1, 1.2, 0, -4, 0.05]);
    const lam = 0.25; // as a fraction of max|y| = 4 → λ = 1
    const x = lasso(A, y, { stages: 1, lambdaStart: lam, lambdaFinal: lam, itersPerStage: 50 });
    const want = Array.from(y, (v) => Math.sign(v) * Math.max(Math.abs(v) - 1, 0));
    x.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 10));
  });

  it('recovers exactly well below the ℓ1 curve (δ = 0.5, ρ = 0.15) and fails well above it (ρ = 0.7)', () => {
    const rng = new Rng(7);
    const n = 100;
    const m = 50;
    const count = (k: number) => {
      const s = { l1: 0, omp: 0, iht: 0 };
      for (let t = 0; t < 10; t++) {
        const A = gaussianMatrix(m, n, rng);
        const x = sparseSignal(n, k, rng);
        const y = matVec(A, x);
        if (relError(lasso(A, y, { stages: 8, itersPerStage: 200, lambdaFinal: 1e-4, tol: 1e-6 }), x) < 1e-2) s.l1++;
        if (relError(omp(A, y, { maxAtoms: k }), x) < 1e-6) s.omp++;
        if (relError(iht(A, y, k), x) < 1e-2) s.iht++;
      }
      return s;
    };
    const below = count(Math.round(0.15 * m));
    expect(below.l1).toBeGreaterThanOrEqual(9);
    expect(below.omp).toBeGreaterThanOrEqual(9);
    expect(below.iht).toBeGreaterThanOrEqual(8);
    const above = count(Math.round(0.7 * m));
    expect(above.l1).toBe(0);
    expect(above.omp).toBe(0);
    expect(above.iht).toBe(0);
  });

  it('reads the 50% point of a success column', () => {
    expect(fiftyPercentPoint([0.1, 0.2, 0.3, 0.4], [1, 1, 0.5, 0])).toBeCloseTo(0.3, 10);
    expect(fiftyPercentPoint([0.1, 0.2, 0.3], [1, 0.75, 0.25])).toBeCloseTo(0.25, 10);
  });
});

describe('compression.sensing', () => {
  it('quick preset runs and recovers the sub-Nyquist demo', async () => {
    const r = await runExperiment(sensing as unknown as Experiment, nodeHost(), { preset: 'quick', seed: 1 });
    const demo = Math.min(r.metrics.find((m) => m.name === 'demo_relerr_l1')!.value, r.metrics.find((m) => m.name === 'demo_relerr_omp')!.value);
    expect(demo).toBeLessThan(1e-3);
    expect(r.metrics.find((m) => m.name === 'demo_relerr_linear')!.value).toBeGreaterThan(0.1);
    expect(r.verdicts[0]!.claim).toBe('comp.sub-nyquist');
    expect(r.figures.length).toBeGreaterThanOrEqual(4);
  });
});
