import { describe, expect, it } from 'vitest';
import {
  binRows,
  conditionalEntropy,
  crossEntropy,
  digamma,
  entropy,
  entropyFromCounts,
  jointEntropy,
  jsDivergence,
  klDivergence,
  ksgMutualInformation,
  marginals,
  mutualInformation,
  mutualInformationPlugIn,
  points1d,
} from '../../../src/lenses/information/measures.js';
import { Rng } from '../../../src/engine/rng.js';

/** A correlated Gaussian pair with correlation rho. */
function gaussianPair(n: number, rho: number, seed: number): { x: Float64Array; y: Float64Array } {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rng.normal();
    x[i] = a;
    y[i] = rho * a + Math.sqrt(1 - rho * rho) * b;
  }
  return { x, y };
}

describe('discrete measures', () => {
  it('entropy: uniform is log n, a point mass is 0, zeros are safe', () => {
    expect(entropy([1, 1, 1, 1, 1, 1, 1, 1])).toBeCloseTo(3, 12);
    expect(entropy([0.25, 0.25, 0.25, 0.25], 'nats')).toBeCloseTo(Math.log(4), 12);
    expect(entropy([0, 1, 0])).toBe(0);
    expect(entropy([0.5, 0.5, 0])).toBeCloseTo(1, 12);
    expect(() => entropy([0, 0])).toThrow();
    expect(() => entropy([-1, 2])).toThrow();
  });

  it('chain rule H(X,Y) = H(X) + H(Y|X) and I = H(X)+H(Y)−H(X,Y) on random joints', () => {
    const rng = new Rng(7);
    for (let t = 0; t < 20; t++) {
      const nx = 2 + rng.int(5);
      const ny = 2 + rng.int(5);
      const pxy = Array.from({ length: nx }, () => Array.from({ length: ny }, () => (rng.next() < 0.2 ? 0 : rng.next())));
      pxy[0]![0] = 1; // never all zero
      const { px, py } = marginals(pxy);
      expect(jointEntropy(pxy)).toBeCloseTo(entropy(px) + conditionalEntropy(pxy), 10);
      expect(mutualInformation(pxy)).toBeCloseTo(entropy(px) + entropy(py) - jointEntropy(pxy), 10);
      // I(X;Y) = D_KL(p(x,y) ‖ p(x)p(y))
      const flat = pxy.flat();
      const prod = Array.from(px).flatMap((a) => Array.from(py).map((b) => a * b));
      expect(mutualInformation(pxy, 'nats')).toBeCloseTo(klDivergence(flat, prod, 'nats'), 10);
    }
  });

  it('closed forms: a binary symmetric channel and independent variables', () => {
    const e = 0.1;
    const h2 = -(e * Math.log2(e) + (1 - e) * Math.log2(1 - e));
    // X uniform, Y = X flipped with prob e: I = 1 − h2(e)
    expect(mutualInformation([[0.5 * (1 - e), 0.5 * e], [0.5 * e, 0.5 * (1 - e)]])).toBeCloseTo(1 - h2, 12);
    expect(mutualInformation([[0.06, 0.14], [0.24, 0.56]])).toBeCloseTo(0, 12);
  });

  it('KL ≥ 0 with equality only for equal distributions; cross-entropy = H + KL; JS symmetric and ≤ 1 bit', () => {
    const rng = new Rng(3);
    for (let t = 0; t < 50; t++) {
      const n = 2 + rng.int(8);
      const p = Array.from({ length: n }, () => rng.next() + 1e-3);
      const q = Array.from({ length: n }, () => rng.next() + 1e-3);
      const kl = klDivergence(p, q);
      expect(kl).toBeGreaterThan(0);
      expect(klDivergence(p, p)).toBe(0);
      expect(crossEntropy(p, q)).toBeCloseTo(entropy(p) + kl, 10);
      expect(jsDivergence(p, q)).toBeCloseTo(jsDivergence(q, p), 12);
      expect(jsDivergence(p, q)).toBeLessThanOrEqual(1 + 1e-12);
    }
    // scaling doesn't matter (inputs are normalised)
    expect(klDivergence([1, 2, 3], [2, 4, 6])).toBe(0);
    // support mismatch
    expect(klDivergence([0.5, 0.5], [1, 0])).toBe(Infinity);
    expect(klDivergence([1, 0], [0.5, 0.5])).toBeCloseTo(1, 12);
    expect(jsDivergence([1, 0], [0, 1])).toBeCloseTo(1, 12);
  });
});

describe('estimators from samples', () => {
  it('digamma matches known values', () => {
    const gamma = 0.5772156649015329;
    expect(digamma(1)).toBeCloseTo(-gamma, 12);
    expect(digamma(0.5)).toBeCloseTo(-gamma - 2 * Math.log(2), 12);
    expect(digamma(10)).toBeCloseTo(2.251752589066721, 12);
  });

  it('Miller–Madow removes most of the plug-in bias for independent discrete variables', () => {
    const rng = new Rng(11);
    const n = 500;
    let raw = 0;
    let mm = 0;
    const reps = 20;
    for (let r = 0; r < reps; r++) {
      const x = Int32Array.from({ length: n }, () => rng.int(8));
      const y = Int32Array.from({ length: n }, () => rng.int(8));
      raw += mutualInformationPlugIn(x, y, { millerMadow: false, unit: 'nats' }) / reps;
      mm += mutualInformationPlugIn(x, y, { unit: 'nats' }) / reps;
    }
    // expected plug-in bias (m_x−1)(m_y−1)/(2N) = 49/1000
    expect(raw).toBeGreaterThan(0.035);
    expect(Math.abs(mm)).toBeLessThan(0.3 * raw);
    expect(entropyFromCounts([5, 5], { millerMadow: false })).toBeCloseTo(1, 12);
  });

  it('plug-in MI of a noisy discrete channel approaches the closed form', () => {
    const rng = new Rng(5);
    const n = 20000;
    const x = new Int32Array(n);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = rng.int(4);
      y[i] = rng.next() < 0.8 ? x[i]! : rng.int(4);
    }
    // p(y=x) = 0.8 + 0.2/4 = 0.85, else 0.05 each of 3: I = 2 − H(0.85, 0.05, 0.05, 0.05)
    const truth = 2 - entropy([0.85, 0.05, 0.05, 0.05]);
    expect(Math.abs(mutualInformationPlugIn(x, y) - truth)).toBeLessThan(0.015);
  });

  it('KSG: bivariate Gaussian I = −½ln(1−ρ²) within 0.02 nats at 5,000 samples, ≈ 0 when independent', () => {
    // A single KSG estimate at N = 5,000 has a standard deviation of about 0.01 nats (measured over
    // 12 draws), so we ask: the mean of three independent draws within 0.02 nats, each within 0.04.
    for (const rho of [0, 0.6, 0.9]) {
      const truth = -0.5 * Math.log(1 - rho * rho);
      let mean = 0;
      for (const seed of [1, 2, 3]) {
        const { x, y } = gaussianPair(5000, rho, 100 * seed + 10 * rho);
        const est = ksgMutualInformation(points1d(x), points1d(y), { k: 3, unit: 'nats' });
        expect(Math.abs(est - truth), `rho ${rho} seed ${seed}`).toBeLessThan(0.04);
        mean += est / 3;
      }
      expect(Math.abs(mean - truth), `rho ${rho}`).toBeLessThan(0.02);
    }
  });

  it('KSG in 2+2 dimensions: two independent correlated pairs add up', () => {
    const a = gaussianPair(2000, 0.8, 4);
    const b = gaussianPair(2000, 0.5, 5);
    const X = new Float64Array(4000);
    const Y = new Float64Array(4000);
    for (let i = 0; i < 2000; i++) {
      X[2 * i] = a.x[i]!;
      X[2 * i + 1] = b.x[i]!;
      Y[2 * i] = a.y[i]!;
      Y[2 * i + 1] = b.y[i]!;
    }
    const truth = -0.5 * Math.log(1 - 0.64) - 0.5 * Math.log(1 - 0.25);
    const est = ksgMutualInformation({ data: X, n: 2000, d: 2 }, { data: Y, n: 2000, d: 2 }, { unit: 'nats' });
    expect(Math.abs(est - truth)).toBeLessThan(0.05);
  });

  it('binRows gives equal ids to rows in the same bins', () => {
    const { ids, m } = binRows([0.01, 0.02, 0.011, 0.021, 0.9, 0.1], 3, 2, 10, 0, 1);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(m).toBe(2);
  });
});
