import { describe, expect, it } from 'vitest';
import { crossEntropyDecomposition, judgeDecomposition, stationaryEntropyRate } from '../../../src/lenses/information/cross-entropy-decomposition.js';
import { runExperiment } from '../../../src/experiments/runner.js';
import { nodeHost } from '../../../src/experiments/node-host.js';

const h2 = (p: number) => -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p));

describe('cross-entropy decomposition', () => {
  it('the entropy rate of a two-state chain matches its closed form', () => {
    const a = 0.1;
    const b = 0.3;
    const { pi, entropyRate } = stationaryEntropyRate({ alphabet: ['x', 'y'], order: 1, P: Float64Array.from([1 - a, a, b, 1 - b]) });
    expect(pi[0]).toBeCloseTo(b / (a + b), 10);
    expect(entropyRate).toBeCloseTo((b / (a + b)) * h2(a) + (a / (a + b)) * h2(b), 10);
    // order 2 over the same chain written with two characters of context: same rate
    const P2 = new Float64Array(8);
    for (let c = 0; c < 4; c++) {
      const last = c % 2;
      P2[c * 2] = last === 0 ? 1 - a : b;
      P2[c * 2 + 1] = last === 0 ? a : 1 - b;
    }
    expect(stationaryEntropyRate({ alphabet: ['x', 'y'], order: 2, P: P2 }).entropyRate).toBeCloseTo(entropyRate, 10);
  });

  it('info.lm-entropy: within 0.05 bit of H → reproduced; within 0.25 → partly; further → not reproduced', () => {
    expect(judgeDecomposition({ entropyRate: 2.75, minCe: 2.76, se: 0.004 }).verdict).toBe('reproduced');
    expect(judgeDecomposition({ entropyRate: 2.75, minCe: 2.9, se: 0.004 }).verdict).toBe('partly');
    expect(judgeDecomposition({ entropyRate: 2.75, minCe: 3.2, se: 0.004 }).verdict).toBe('not-reproduced');
  });

  it('quick preset: CE = H + exact KL for every exact order (the identity, a unit test), and no model below H (Gibbs)', async () => {
    const r = await runExperiment(crossEntropyDecomposition as never, nodeHost(), { preset: 'quick', seed: 1 });
    const m = Object.fromEntries(r.metrics.map((x) => [x.name, x.value]));
    const H = m.source_entropy_rate!;
    for (const o of [0, 1]) expect(Math.abs(m[`source_ce_order_${o}`]! - (H + m[`source_kl_exact_order_${o}`]!))).toBeLessThan(0.05);
    for (const o of [0, 1, 2]) expect(m[`source_ce_order_${o}`]!).toBeGreaterThan(H - 0.05);
    expect(m.real_best_perplexity).toBeCloseTo(2 ** m.real_best_bpc!, 10);
  });
});
