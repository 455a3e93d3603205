import { describe, expect, it } from 'vitest';
import { bootstrap95, meanCi95, newcombeDiff95, pairedDiffCi95, wilson95 } from '../../src/experiments/stats.js';
import { Rng } from '../../src/engine/rng.js';

describe('intervals, against SciPy and Newcombe (1998)', () => {
  it('t interval of a mean equals scipy.stats.t.interval', () => {
    const a = meanCi95([1, 2, 3, 4, 5]); // scipy: (1.0367568385224393, 4.9632431614775605)
    expect(a.low).toBeCloseTo(1.03676, 3);
    expect(a.high).toBeCloseTo(4.96324, 3);
    const b = meanCi95([0.31, 0.29, 0.35]); // scipy: (0.24078, 0.39256)
    expect(b.low).toBeCloseTo(0.24078, 3);
    expect(b.high).toBeCloseTo(0.39256, 3);
    expect(Number.isNaN(meanCi95([1]).half)).toBe(true);
  });
  it('paired differences use the same seeds on both sides', () => {
    const d = pairedDiffCi95([2, 3, 4], [1, 2, 3.5]);
    expect(d.mean).toBeCloseTo(0.8333, 3);
    expect(d.low).toBeLessThan(d.mean);
    expect(() => pairedDiffCi95([1], [1, 2])).toThrow();
  });
  it("Wilson's interval: Newcombe 1998 table I, 81/263 → 0.2553–0.3662", () => {
    const w = wilson95(81, 263);
    expect(w.low).toBeCloseTo(0.2553, 3);
    expect(w.high).toBeCloseTo(0.3662, 3);
    expect(wilson95(0, 8).low).toBe(0);
  });
  it("Newcombe's difference: 56/70 − 48/80 → 0.0524–0.3339; 3/8 vs 0/8 does not exclude 0", () => {
    const d = newcombeDiff95(56, 70, 48, 80);
    expect(d.low).toBeCloseTo(0.0524, 3);
    expect(d.high).toBeCloseTo(0.3339, 3);
    expect(newcombeDiff95(3, 8, 0, 8).low).toBeLessThan(0);
    expect(newcombeDiff95(12, 16, 0, 16).low).toBeGreaterThan(0);
  });
  it('bootstrap is seeded and brackets the statistic', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8];
    const m = (s: readonly number[]) => s.reduce((a, b) => a + b, 0) / s.length;
    const a = bootstrap95(xs, m, new Rng(1));
    const b = bootstrap95(xs, m, new Rng(1));
    expect(a).toEqual(b);
    expect(a.low).toBeLessThan(4.5);
    expect(a.high).toBeGreaterThan(4.5);
  });
});
