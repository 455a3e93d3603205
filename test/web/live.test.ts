/**
 * The live figures are pure functions params → Vega-Lite spec: they must show the phenomenon they
 * teach (Goh's optimal momentum rate, the 2/λ_max edge, ≈ 6 dB per bit, H(p,q) = H(p) + KL, OMP's
 * transition, softmax temperature), draw in both languages, and be cheap enough to redraw on every
 * slider move.
 */
import { describe, expect, it } from 'vitest';
import { LIVE, defaults } from '../../web/src/live/index.js';
import { gohOptimum, momentumRate, momentum } from '../../web/src/live/control.js';
import { stepSize } from '../../web/src/live/optimization.js';
import { entropyBits, klBits } from '../../web/src/live/information.js';
import { ompRecovers, quantSnrDb } from '../../web/src/live/compression.js';
import { softmax } from '../../web/src/live/perception.js';
import { rng } from '../../web/src/live/types.js';
import { localizeSpec } from '../../src/report/i18n.js';

const CJK = /[\u4e00-\u9fff]/;

describe('live figures', () => {
  it('heavy-ball momentum at Goh’s α*, β* converges at (√κ−1)/(√κ+1), and no grid point beats it', () => {
    for (const kappa of [10, 100, 1000]) {
      const g = gohOptimum(kappa);
      const worst = (a: number, b: number) => Math.max(momentumRate(a, b, 1 / kappa), momentumRate(a, b, 1));
      expect(worst(g.alpha, g.beta)).toBeCloseTo(g.rate, 6);
      let best = Infinity;
      for (let a = 0.05; a < 4; a += 0.05) for (let b = 0; b < 1; b += 0.01) best = Math.min(best, worst(a, b));
      expect(best).toBeGreaterThanOrEqual(g.rate - 1e-9);
    }
  });

  it('gradient descent converges below η = 2/λ_max and diverges above it', () => {
    const lastLoss = (eta: number) => {
      const rows = stepSize.render({ eta, lmax: 10 }).spec.datasets.loss!;
      return rows[rows.length - 1]!.y as number;
    };
    expect(lastLoss(0.19)).toBeLessThan(1e-3);
    expect(lastLoss(0.21)).toBeGreaterThan(1e3);
  });

  it('each extra bit buys ≈ 6.02 dB while clipping is negligible', () => {
    for (let b = 5; b < 10; b++) expect(Math.abs(quantSnrDb(b + 1, 5) - quantSnrDb(b, 5) - 6.02)).toBeLessThan(0.6);
    // too narrow a range: the clipping error dominates and more bits stop helping
    expect(quantSnrDb(10, 1) - quantSnrDb(6, 1)).toBeLessThan(1);
  });

  it('entropy, KL and cross-entropy obey H(p,q) = H(p) + KL(p‖q) ≥ H(p)', () => {
    expect(entropyBits([1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6])).toBeCloseTo(Math.log2(6), 12);
    expect(entropyBits([1, 0, 0])).toBeCloseTo(0, 12);
    const p = [0.5, 0.25, 0.25];
    const q = [0.2, 0.3, 0.5];
    const ce = -p.reduce((s, x, i) => s + x * Math.log2(q[i]!), 0);
    expect(entropyBits(p) + klBits(p, q)).toBeCloseTo(ce, 12);
    expect(klBits(p, q)).toBeGreaterThan(0);
  });

  it('softmax temperature moves attention from one word (T → 0) to uniform (T → ∞)', () => {
    const s = [0.2, 3, 0.1, 2.2];
    expect(Math.max(...softmax(s, 0.05))).toBeGreaterThan(0.99);
    expect(entropyBits(softmax(s, 1000))).toBeCloseTo(2, 2);
  });

  it('OMP recovers very sparse signals and fails on dense ones (a transition, not noise)', () => {
    const rate = (m: number, k: number) => {
      const r = rng(5);
      let ok = 0;
      for (let t = 0; t < 10; t++) if (ompRecovers(m, 40, k, r)) ok++;
      return ok / 10;
    };
    expect(rate(20, 2)).toBeGreaterThanOrEqual(0.9);
    expect(rate(20, 14)).toBeLessThanOrEqual(0.2);
  });

  it('every figure draws finite data, bilingual text, and redraws fast', () => {
    expect(LIVE.length).toBeGreaterThanOrEqual(8);
    for (const f of LIVE) {
      const out = f.render(defaults(f));
      const rows = Object.values(out.spec.datasets).flat();
      expect(rows.length, f.id).toBeGreaterThan(0);
      for (const r of rows) for (const v of Object.values(r)) if (typeof v === 'number') expect(Number.isFinite(v), `${f.id} ${JSON.stringify(r)}`).toBe(true);
      const zh = JSON.stringify(localizeSpec(out.spec, 'zh'));
      const titles = [...zh.matchAll(/"title":"([^"]*)"/g)].map((m) => m[1]!);
      expect(titles.length, f.id).toBeGreaterThan(0);
      for (const t of titles) expect(CJK.test(t) || /^[^A-Za-z]*$|^lr/.test(t), `${f.id}: "${t}"`).toBe(true);
      expect(CJK.test(out.readout.zh) && CJK.test(f.title.zh) && CJK.test(f.caption.zh)).toBe(true);
      for (const c of f.controls) expect(c.value >= c.min && c.value <= c.max, `${f.id}.${c.key}`).toBe(true);
      // the fastest of 5 renders (robust to a busy machine) must leave most of a 100 ms redraw budget to Vega
      let best = Infinity;
      const deltas = [0.3, 0.4, 0.6, 0.7, 0.8]; // OMP memoises per (m, k): new δ values keep every render cold
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        f.render({ ...defaults(f), ...(f.id === 'omp-phase' ? { delta: deltas[i]! } : {}) });
        best = Math.min(best, performance.now() - t0);
      }
      expect(best, `${f.id} render ms`).toBeLessThan(100);
    }
  });

  it('momentum diverges when α exceeds 2(1+β) (the readout says so)', () => {
    expect(momentum.render({ alpha: 3.5, beta: 0.5, kappa: 100 }).readout.en).toContain('diverges');
  });
});
