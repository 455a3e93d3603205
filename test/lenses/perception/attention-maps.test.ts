import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine, tf } from '../../../src/engine/tf.js';
import { headStats, inductionScores, median, saccadeCriteria } from '../../../src/lenses/perception/attention-stats.js';
import { attentionMaps } from '../../../src/lenses/perception/attention-maps.js';
import { runExperiment } from '../../../src/experiments/runner.js';
import { nodeHost } from '../../../src/experiments/node-host.js';
import type { Experiment } from '../../../src/experiments/contract.js';

beforeAll(async () => {
  await initEngine();
});

/** A causal attention tensor [1, 1, T, T] from a row rule. */
function pattern(T: number, row: (i: number, j: number) => number): Float32Array {
  const a = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = 0; j <= i; j++) a[i * T + j] = row(i, j);
  return a;
}

describe('attention statistics', () => {
  it('uniform causal attention: normalised entropy 1, distance i/2, previous-token 1/(i+1)', () => {
    const T = 16;
    const [s] = headStats(pattern(T, (i) => 1 / (i + 1)), 1, 1, T);
    expect(s!.normEntropy).toBeCloseTo(1, 6);
    expect(s!.meanDistance).toBeCloseTo(s!.uniformDistance, 6);
    expect(s!.uniformDistance).toBeCloseTo(4, 6); // mean of i/2 over i = 1..15
    let prev = 0;
    for (let i = 1; i < T; i++) prev += 1 / (i + 1);
    expect(s!.prevToken).toBeCloseTo(prev / (T - 1), 6);
  });

  it('a previous-token head: entropy 0, distance 1, score 1', () => {
    const T = 12;
    const [s] = headStats(pattern(T, (i, j) => (i === 0 ? 1 : j === i - 1 ? 1 : 0)), 1, 1, T);
    expect(s!.normEntropy).toBeCloseTo(0, 9);
    expect(s!.entropyBits).toBeCloseTo(0, 9);
    expect(s!.meanDistance).toBeCloseTo(1, 9);
    expect(s!.prevToken).toBeCloseTo(1, 9);
  });

  it('the induction score finds a perfect induction head and not a previous-token head', () => {
    const R = 8;
    const T = 2 * R;
    const ind = pattern(T, (i, j) => (i >= R ? (j === i - R + 1 ? 1 : 0) : j === i ? 1 : 0));
    const prev = pattern(T, (i, j) => (i === 0 ? 1 : j === i - 1 ? 1 : 0));
    const both = new Float32Array(2 * T * T);
    both.set(ind, 0);
    both.set(prev, T * T);
    const { score, chance } = inductionScores(both, 1, 2, R);
    expect(score[0]).toBeCloseTo(1, 9);
    expect(score[1]).toBeCloseTo(0, 9);
    let c = 0;
    for (let i = R; i < T; i++) c += 1 / (i + 1);
    expect(chance).toBeCloseTo(c / R, 12);
  });

  it('the saccade criteria follow the numbers and never claim the analogy', () => {
    expect(saccadeCriteria({ medianTrained: 0.6, medianUntrained: 0.99, minTrained: 0.1 })).toEqual({ reproduced: false, partly: true });
    expect(saccadeCriteria({ medianTrained: 0.95, medianUntrained: 0.99, minTrained: 0.1 })).toEqual({ reproduced: false, partly: false });
    expect(saccadeCriteria({ medianTrained: 0.93, medianUntrained: 0.99, minTrained: 0.2 })).toEqual({ reproduced: false, partly: false });
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe('perception.attention-maps', () => {
  it('quick preset: training makes heads more focused than the untrained network; the cortex claim is untestable', async () => {
    const before = tf.memory().numTensors;
    const r = await runExperiment(attentionMaps as unknown as Experiment, nodeHost(), { preset: 'quick', seed: 1 });
    const m = Object.fromEntries(r.metrics.map((x) => [x.name, x.value]));
    expect(m.median_norm_entropy_untrained!).toBeGreaterThan(0.95); // GPT-2 init: near-uniform attention
    expect(m.median_norm_entropy_trained!).toBeLessThan(m.median_norm_entropy_untrained! - 0.05);
    const v = Object.fromEntries(r.verdicts.map((x) => [x.claim, x]));
    expect(v['perc.attention-cortex']!.verdict).toBe('untestable');
    expect(v['perc.attention-cortex']!.because.zh.length).toBeGreaterThan(20);
    expect(['partly', 'not-reproduced']).toContain(v['perc.attention-saccade']!.verdict);
    expect(r.figures.map((f) => f.id)).toContain('attention-heatmaps');
    // GPT.fromWeights / GPT.init (src/gpt) keep each parameter's initial tensor alive besides the
    // variable: at most one stray tensor per GPT parameter (nano: 28), nothing from this lens
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 28);
  });
});
