import { describe, expect, it } from 'vitest';
import { binnedInformation, dropAfterPeak, informationPlane, judgeCompression } from '../../../src/lenses/information/information-plane.js';
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

  it('dropAfterPeak and the verdict follow the numbers', () => {
    expect(dropAfterPeak([1, 3, 2, 2.5, 0.5])).toBe(2.5);
    expect(dropAfterPeak([1, 2, 3])).toBe(0);
    expect(judgeCompression({ tanhDrop: 4, reluDrop: 0.1, threshold: 0.5 }).verdict).toBe('partly');
    expect(judgeCompression({ tanhDrop: 4, reluDrop: 1, threshold: 0.5 }).verdict).toBe('reproduced');
    expect(judgeCompression({ tanhDrop: 0.1, reluDrop: 0.1, threshold: 0.5 }).verdict).toBe('not-reproduced');
  });

  it('quick preset: trajectories for every layer of both networks, I(X;T) never above log2 N', async () => {
    const r = await runExperiment(informationPlane as never, nodeHost(), { preset: 'quick', seed: 1 });
    const rows = r.tables![0]!.rows;
    expect(new Set(rows.map((x) => x.activation))).toEqual(new Set(['tanh', 'relu']));
    expect(new Set(rows.map((x) => x.layer)).size).toBe(3);
    for (const x of rows) expect(x.ixt as number).toBeLessThanOrEqual(Math.log2(1797) + 1e-9);
    expect(r.verdicts[0]!.claim).toBe('info.ib-compression-phase');
  });
});
