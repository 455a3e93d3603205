/**
 * Linear-systems tools for the control lens (float64, no tfjs): on f(w) = ½ wᵀAw, each optimizer is a
 * linear time-invariant system per eigen-direction λ of A, with a small iteration matrix whose
 * eigenvalues (the poles) decide stability, speed and oscillation (Goh 2017, "Why Momentum Really Works").
 *
 *   GD            e ← (1 − αλ) e                                  pole 1 − αλ
 *   heavy ball    (w, z): z' = βz + λw,  w' = w − αz'   M = [[1 − αλ, −αβ], [λ, β]]   det M = β, tr M = 1 + β − αλ
 */

export interface Complex {
  re: number;
  im: number;
}

export const cabs = (z: Complex): number => Math.hypot(z.re, z.im);

/** Heavy-ball iteration matrix on (w, z) for one eigen-direction, row-major [a, b, c, d]. */
export function heavyBallMatrix(alpha: number, beta: number, lambda: number): [number, number, number, number] {
  return [1 - alpha * lambda, -alpha * beta, lambda, beta];
}

/** Eigenvalues of a 2×2 real matrix [a, b, c, d] (row-major). */
export function eig2(m: readonly [number, number, number, number]): [Complex, Complex] {
  const [a, b, c, d] = m;
  const tr = a + d;
  const det = a * d - b * c;
  const disc = (tr * tr) / 4 - det;
  if (disc >= 0) {
    const s = Math.sqrt(disc);
    return [
      { re: tr / 2 + s, im: 0 },
      { re: tr / 2 - s, im: 0 },
    ];
  }
  const s = Math.sqrt(-disc);
  return [
    { re: tr / 2, im: s },
    { re: tr / 2, im: -s },
  ];
}

export function spectralRadius2(m: readonly [number, number, number, number]): number {
  const [p, q] = eig2(m);
  return Math.max(cabs(p), cabs(q));
}

/** Heavy-ball poles for (α, β, λ): the roots of z² − (1 + β − αλ) z + β = 0. */
export function heavyBallPoles(alpha: number, beta: number, lambda: number): [Complex, Complex] {
  return eig2(heavyBallMatrix(alpha, beta, lambda));
}

/** The theory of Goh 2017 for eigenvalues in [λ₁, λ_n], κ = λ_n/λ₁. */
export function optimalGD(l1: number, ln: number): { alpha: number; rate: number } {
  return { alpha: 2 / (l1 + ln), rate: (ln / l1 - 1) / (ln / l1 + 1) };
}
export function optimalHeavyBall(l1: number, ln: number): { alpha: number; beta: number; rate: number } {
  const s1 = Math.sqrt(l1);
  const sn = Math.sqrt(ln);
  const sk = Math.sqrt(ln / l1);
  return { alpha: (2 / (s1 + sn)) ** 2, beta: ((sn - s1) / (sn + s1)) ** 2, rate: (sk - 1) / (sk + 1) };
}

/** log-spaced eigenvalues from λ₁ to λ_n (n ≥ 2). */
export function logSpaced(l1: number, ln: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = l1 * Math.pow(ln / l1, i / (n - 1));
  return out;
}

/**
 * The measured asymptotic rate from a sequence of error norms: (e_{t1}/e_{t0})^{1/(t1−t0)}.
 */
export function measuredRate(errors: ArrayLike<number>, t0: number, t1: number): number {
  return Math.pow(errors[t1]! / errors[t0]!, 1 / (t1 - t0));
}

/**
 * Heavy-ball stability theory (Goh 2017): stable iff 0 < αλ < 2 + 2β and 0 ≤ β < 1;
 * the poles are complex (the direction rings) iff (1 − √β)² < αλ < (1 + √β)².
 */
export function heavyBallStable(alphaLambda: number, beta: number): boolean {
  return alphaLambda > 0 && alphaLambda < 2 + 2 * beta && beta >= 0 && beta < 1;
}
export function heavyBallUnderdamped(alphaLambda: number, beta: number): boolean {
  const s = Math.sqrt(beta);
  return alphaLambda > (1 - s) ** 2 && alphaLambda < (1 + s) ** 2;
}

/** Step-response numbers of a scalar error signal e_t (e_0 ≠ 0) heading to 0. */
export function stepResponse(e: ArrayLike<number>, band = 0.02): { overshoot: number; settling: number; zeroCrossings: number } {
  const e0 = e[0]!;
  let overshoot = 0;
  let crossings = 0;
  let settling = e.length; // never settled within the run
  for (let t = 1; t < e.length; t++) {
    const r = e[t]! / e0;
    if (-r > overshoot) overshoot = -r;
    // count visible crossings only (|e| above 0.1% of e₀ on either side)
    const visible = Math.max(Math.abs(e[t]!), Math.abs(e[t - 1]!)) > 1e-3 * Math.abs(e0);
    if (visible && Math.sign(e[t]!) !== Math.sign(e[t - 1]!) && e[t] !== 0) crossings++;
  }
  for (let t = e.length - 1; t >= 0; t--) {
    if (Math.abs(e[t]! / e0) > band) {
      settling = t + 1;
      break;
    }
    if (t === 0) settling = 0;
  }
  return { overshoot, settling, zeroCrossings: crossings };
}
