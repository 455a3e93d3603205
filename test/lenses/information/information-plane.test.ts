import { describe, expect, it } from 'vitest';
import { binnedInformation, dropAfterPeak, informationPlane, judgeCompression, judgePhases, phaseNumbers, planeEvidence } from '../../../src/lenses/information/information-plane.js';
import { runExperiment } from '../../../src/experiments/runner.js';
import { nodeHost } from '../../../src/experiments/node-host.js';

describe('information plane', () => {
  it('binning: distinct rows give I(X;T) = log2 N and I(T;Y) = H(Y); a constant layer gives 0', () => {
    const n = 64;
    const h = Float64Array.from({ length: n }, (_, i) => -1 + (2 * i + 1) / n); // one unit, one bin each with 64 bins
    const y = Int32Array.from({ length: n }, (_, i) => i % 4);
    const a = binnedInformation(h, n, 1, y, 64, 'tanh');
    expect(a.ixt).toBeCloseTo(6, 10);
    expect(a.ity).toBeCloseTo(2, 10);
    const c = binnedInformation(new Float64Array(n).fill(0.3), n, 1, y, 30, 'tanh');
    expect(c.ixt).toBe(0);
    expect(c.ity).toBe(0);
    // ReLU bins over [0, max]: halving every activation changes nothing
    const r1 = binnedInformation(Float64Array.from(h, Math.abs), n, 1, y, 8, 'relu');
    const r2 = binnedInformation(Float64Array.from(h, (v) => Math.abs(v) / 2), n, 1, y, 8, 'relu');
    expect(r1.ixt).toBeCloseTo(r2.ixt, 12);
  });

  it('dropAfterPeak and phaseNumbers follow the numbers', () => {
    expect(dropAfterPeak([1, 3, 2, 2.5, 0.5])).toBe(2.5);
    expect(dropAfterPeak([1, 2, 3])).toBe(0);
    const ph = phaseNumbers({ ixt: [[5, 6, 6, 6], [2, 4, 3, 1.5]], ity: [[1, 2, 2, 2], [0.5, 1, 1.5, 2]] });
    expect(ph.layer).toBe(1);
    expect(ph.compression).toBeCloseTo(2.5, 12);
    expect(ph.lateItyGain).toBeCloseTo(1, 12); // 2 at the end − 1 at the I(X;T) peak
  });

  const tanhOnly = { tanh: { compression: [3, 4, 3.5, 4.2, 3.8], lateItyGain: [0.5, 0.6, 0.4, 0.7, 0.5] }, relu: { compression: [0.2, 0.3, 0.1, 0.25, 0.2], lateItyGain: [0.5, 0.4, 0.6, 0.5, 0.5] } };
  const both = { tanh: tanhOnly.tanh, relu: { compression: [1.5, 1.8, 1.2, 1.6, 1.4], lateItyGain: [0.5, 0.4, 0.6, 0.5, 0.5] } };
  const none = { tanh: { compression: [0.2, 0.1, 0.3, 0.2, 0.1], lateItyGain: [0, 0.01, 0, 0.02, 0] }, relu: tanhOnly.relu };
  const noisy = { tanh: { compression: [3, 0.1, 4, 0.2, 0.1], lateItyGain: [0.5, 0.6, 0.4, 0.7, 0.5] }, relu: tanhOnly.relu };

  it('info.ib-compression-phase: both compress → reproduced; tanh only (Saxe) → partly; neither, or tanh on some seeds only → not reproduced', () => {
    expect(judgeCompression(planeEvidence(both)).verdict).toBe('reproduced');
    expect(judgeCompression(planeEvidence(tanhOnly)).verdict).toBe('partly');
    expect(judgeCompression(planeEvidence(none)).verdict).toBe('not-reproduced');
    expect(judgeCompression(planeEvidence(noisy)).verdict).toBe('not-reproduced'); // 2 of 5 seeds is not a phase
  });

  it('info.ib-phases: needs compression and a late I(T;Y) gain with both nonlinearities', () => {
    expect(judgePhases(planeEvidence(both)).verdict).toBe('reproduced');
    expect(judgePhases(planeEvidence(tanhOnly)).verdict).toBe('partly');
    expect(judgePhases(planeEvidence({ ...both, relu: { ...both.relu, lateItyGain: [0, -0.1, 0.02, 0, 0.01] } })).verdict).toBe('partly');
    expect(judgePhases(planeEvidence(none)).verdict).toBe('not-reproduced');
  });

  it('quick preset: trajectories for every layer of both networks, I(X;T) never above log2 N', async () => {
    const r = await runExperiment(informationPlane as never, nodeHost(), { preset: 'quick', seed: 1 });
    const rows = r.tables![0]!.rows;
    expect(new Set(rows.map((x) => x.activation))).toEqual(new Set(['tanh', 'relu']));
    expect(new Set(rows.map((x) => x.layer)).size).toBe(3);
    for (const x of rows) expect(x.ixt as number).toBeLessThanOrEqual(Math.log2(1797) + 1e-9);
    expect(r.verdicts.map((v) => v.claim)).toEqual(['info.ib-compression-phase', 'info.ib-phases']);
  });
});
