import { describe, expect, it } from 'vitest';
import { ibInformation, ibInit, ibIterate, ibProblem, ibSweep, maximalCorrelation } from '../../../src/lenses/information/ib.js';
import { bottleneckCurve, curveShape, splitBetas, syntheticJoint } from '../../../src/lenses/information/bottleneck-curve.js';
import { entropy, mutualInformation } from '../../../src/lenses/information/measures.js';
import { Rng } from '../../../src/engine/rng.js';
import { runExperiment } from '../../../src/experiments/runner.js';
import { nodeHost } from '../../../src/experiments/node-host.js';

describe('iterative information bottleneck', () => {
  it('maximal correlation of a binary symmetric channel is |1 − 2ε|', () => {
    const e = 0.2;
    const pb = ibProblem([
      [0.5 * (1 - e), 0.5 * e],
      [0.5 * e, 0.5 * (1 - e)],
    ]);
    expect(maximalCorrelation(pb)).toBeCloseTo(1 - 2 * e, 8);
  });

  it('T knows nothing of X below β = 1/ρ², and splits above it', () => {
    const pb = ibProblem(syntheticJoint());
    const bc = 1 / maximalCorrelation(pb) ** 2;
    const below = ibIterate(pb, ibInit(pb, 8, new Rng(1)), 0.9 * bc, 5000).state;
    const above = ibIterate(pb, ibInit(pb, 8, new Rng(1)), 1.2 * bc, 5000).state;
    expect(ibInformation(pb, below).ixt).toBeLessThan(1e-4);
    expect(ibInformation(pb, above).ixt).toBeGreaterThan(0.05);
  });

  it('the annealed curve is monotone and concave, and reaches I(X;Y) with all 8 clusters; splits come 2 → 4 → 8', async () => {
    const table = syntheticJoint();
    const pb = ibProblem(table);
    const betas = Array.from({ length: 50 }, (_, i) => 0.5 * Math.pow(400, i / 49));
    const pts = await ibSweep(pb, betas, 8, new Rng(3), { maxIter: 3000 });
    const shape = curveShape(pts);
    expect(shape.monotoneViolation).toBeLessThan(1e-6);
    expect(shape.concavityViolation).toBeLessThan(0.01);
    const last = pts[pts.length - 1]!;
    expect(last.ity).toBeCloseTo(mutualInformation(table), 2);
    expect(last.ixt).toBeCloseTo(entropy(table.map((r) => r.reduce((a, b) => a + b, 0))), 1);
    expect(splitBetas(pts).map((s) => s.clusters)).toEqual([2, 4, 8]);
    // a converged state is a fixed point of the self-consistent equations: one more update moves p(t|x) < 1e-6
    const conv = ibIterate(pb, ibInit(pb, 8, new Rng(1)), 10, 5000, 1e-10).state;
    const next = ibIterate(pb, conv, 10, 1, 0).state;
    let moved = 0;
    for (let i = 0; i < conv.ptx.length; i++) moved = Math.max(moved, Math.abs(next.ptx[i]! - conv.ptx[i]!));
    expect(moved).toBeLessThan(1e-6);
  });

  it('curveShape flags a curve that is not concave or not monotone', () => {
    expect(curveShape([{ ixt: 0, ity: 0 }, { ixt: 1, ity: 0.1 }, { ixt: 2, ity: 1 }]).concavityViolation).toBeGreaterThan(0.5);
    expect(curveShape([{ ixt: 0, ity: 0 }, { ixt: 1, ity: 0.5 }, { ixt: 2, ity: 0.3 }]).monotoneViolation).toBeCloseTo(0.2, 10);
  });

  it('quick preset: a curve per joint, first split near 1/ρ²; no verdict (info.ib-phases is judged by information-plane)', async () => {
    const r = await runExperiment(bottleneckCurve as never, nodeHost(), { preset: 'quick', seed: 1 });
    const m = Object.fromEntries(r.metrics.map((x) => [x.name, x.value]));
    expect(m.synthetic_monotone_violation).toBeLessThan(1e-6);
    expect(m.text_monotone_violation).toBeLessThan(1e-6);
    expect(m.synthetic_first_split_beta! / m.synthetic_beta_crit_theory!).toBeGreaterThan(0.99);
    expect(m.synthetic_first_split_beta! / m.synthetic_beta_crit_theory!).toBeLessThan(1.4);
    expect(m.text_max_I_TY).toBeLessThanOrEqual(m.text_I_XY! + 1e-9);
    expect(r.verdicts).toEqual([]);
    expect(r.figures.length).toBe(2);
  });
});
