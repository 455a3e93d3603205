/**
 * Intervals for verdicts over seeds. Where a seed changes the outcome, a criterion is judged on an
 * interval bound (e.g. `gain_ci_low > 0`), never on a mean. Plain functions, no I/O; each is checked
 * against SciPy's numbers in test/foundation/stats.test.ts.
 */
import type { Rng } from '../engine/rng.js';

/** two-sided 97.5% Student-t quantiles for df = 1..30 (scipy.stats.t.ppf(0.975, df)) */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** sample standard deviation (n − 1); NaN for fewer than two values */
export function sd(xs: readonly number[]): number {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

/** Mean and the half-width of a 95% t confidence interval (half = NaN for one value). */
export function meanCi95(xs: readonly number[]): { mean: number; half: number; sd: number; low: number; high: number } {
  const n = xs.length;
  const m = mean(xs);
  const s = sd(xs);
  const t = n - 1 <= 30 ? T975[n - 2]! : 1.96;
  const half = n < 2 ? NaN : (t * s) / Math.sqrt(n);
  return { mean: m, half, sd: s, low: m - half, high: m + half };
}

/** 95% t interval of the mean paired difference a[i] − b[i] (same seeds on both sides). */
export function pairedDiffCi95(a: readonly number[], b: readonly number[]): { mean: number; low: number; high: number } {
  if (a.length !== b.length) throw new Error(`pairedDiffCi95: ${a.length} vs ${b.length} values`);
  const { mean: m, low, high } = meanCi95(a.map((x, i) => x - b[i]!));
  return { mean: m, low, high };
}

/** Wilson score 95% interval for k successes in n trials (Wilson 1927). */
export function wilson95(k: number, n: number): { p: number; low: number; high: number } {
  if (n <= 0) return { p: NaN, low: 0, high: 1 };
  const z = 1.959963984540054;
  const p = k / n;
  const den = 1 + (z * z) / n;
  const mid = (p + (z * z) / (2 * n)) / den;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / den;
  return { p, low: Math.max(0, mid - half), high: Math.min(1, mid + half) };
}

/**
 * Newcombe's hybrid score 95% interval for p1 − p2 from two independent proportions (Newcombe 1998,
 * method 10): decides "3/8 vs 0/8" honestly (its interval includes 0).
 */
export function newcombeDiff95(k1: number, n1: number, k2: number, n2: number): { diff: number; low: number; high: number } {
  const a = wilson95(k1, n1);
  const b = wilson95(k2, n2);
  const d = a.p - b.p;
  const low = d - Math.sqrt((a.p - a.low) ** 2 + (b.high - b.p) ** 2);
  const high = d + Math.sqrt((a.high - a.p) ** 2 + (b.p - b.low) ** 2);
  return { diff: d, low, high };
}

/** Percentile bootstrap 95% interval of a statistic of one sample (seeded; `reps` resamples). */
export function bootstrap95(xs: readonly number[], stat: (s: readonly number[]) => number, rng: Rng, reps = 2000): { value: number; low: number; high: number } {
  const n = xs.length;
  const vals = new Float64Array(reps);
  const s = new Array<number>(n);
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < n; i++) s[i] = xs[Math.floor(rng.next() * n)]!;
    vals[r] = stat(s);
  }
  vals.sort();
  return { value: stat(xs), low: vals[Math.floor(0.025 * (reps - 1))]!, high: vals[Math.ceil(0.975 * (reps - 1))]! };
}
