/**
 * Float64 linear algebra for the optimization lens, in plain JS (no tfjs): dense matrices are
 * row-major `Float64Array`s. Cholesky (factor, solve, inverse), the symmetric eigenvalue problem
 * (Householder tridiagonalisation + implicit QL, Numerical Recipes' tred2/tqli, eigenvalues only),
 * and a log–log least-squares slope for cost exponents. This is the outside reference the tfjs
 * curvature tools are checked against.
 */
import { bootstrap95 } from '../../experiments/stats.js';
import { Rng } from '../../engine/rng.js';

/**
 * Multiply–add counter of the factorisations below, incremented once per inner loop (by its
 * length), so the cost of an algorithm can be measured as an operation count as well as in wall
 * time (which the memory hierarchy and a shared machine distort).
 */
export const flops = { madds: 0 };

/** y = A x, A n×n row-major. */
export function matVec(a: Float64Array, x: Float64Array, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * n;
    for (let j = 0; j < n; j++) s += a[o + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/**
 * In-place Cholesky A = L Lᵀ (lower triangle of `a` overwritten by L, upper left untouched).
 * Throws if A is not positive definite. Cost n³/3 multiply–adds.
 */
export function cholesky(a: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    const oj = j * n;
    let d = a[oj + j]!;
    for (let k = 0; k < j; k++) d -= a[oj + k]! * a[oj + k]!;
    flops.madds += j * (n - j);
    if (!(d > 0)) throw new Error(`cholesky: matrix not positive definite at pivot ${j} (${d})`);
    d = Math.sqrt(d);
    a[oj + j] = d;
    for (let i = j + 1; i < n; i++) {
      const oi = i * n;
      let s = a[oi + j]!;
      for (let k = 0; k < j; k++) s -= a[oi + k]! * a[oj + k]!;
      a[oi + j] = s / d;
    }
  }
  return a;
}

/** Solve (L Lᵀ) x = b given the factor from {@link cholesky}. */
export function cholSolve(l: Float64Array, b: Float64Array, n: number): Float64Array {
  const y = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    const oi = i * n;
    let s = y[i]!;
    for (let k = 0; k < i; k++) s -= l[oi + k]! * y[k]!;
    y[i] = s / l[oi + i]!;
  }
  flops.madds += n * (n - 1);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  return y;
}

/** A⁻¹ of a symmetric positive definite A (copied), by Cholesky: n³ order. */
export function spdInverse(a: Float64Array, n: number): Float64Array {
  const l = cholesky(Float64Array.from(a), n);
  // invert L (lower) in place into m, then A⁻¹ = L⁻ᵀ L⁻¹
  const m = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    m[j * n + j] = 1 / l[j * n + j]!;
    flops.madds += ((n - j) * (n - j - 1)) / 2;
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[i * n + k]! * m[k * n + j]!;
      m[i * n + j] = s / l[i * n + i]!;
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    flops.madds += (i + 1) * (n - i);
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += m[k * n + i]! * m[k * n + j]!;
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  }
  return inv;
}

function sign(a: number, b: number): number {
  return b >= 0 ? Math.abs(a) : -Math.abs(a);
}

/**
 * Eigenvalues of a symmetric tridiagonal matrix (diagonal d, sub-diagonal e with e[i] between
 * rows i and i+1; both copied), by implicit QL with Wilkinson shifts. Returned ascending.
 */
export function tridiagEigenvalues(diag: ArrayLike<number>, sub: ArrayLike<number>): Float64Array {
  const n = diag.length;
  const d = Float64Array.from(diag);
  const e = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) e[i] = sub[i]!;
  const EPS = 2.220446049250313e-16;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    let m: number;
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= EPS * dd) break;
      }
      if (m !== l) {
        if (iter++ === 60) throw new Error('tridiagEigenvalues: no convergence');
        let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
        let r = Math.hypot(g, 1);
        g = d[m]! - d[l]! + e[l]! / (g + sign(r, g));
        let s = 1;
        let c = 1;
        let p = 0;
        let i: number;
        for (i = m - 1; i >= l; i--) {
          let f = s * e[i]!;
          const b = c * e[i]!;
          e[i + 1] = r = Math.hypot(f, g);
          if (r === 0) {
            d[i + 1] = d[i + 1]! - p;
            e[m] = 0;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1]! - p;
          r = (d[i]! - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
          f = 0;
        }
        if (r === 0 && i >= l) continue;
        d[l] = d[l]! - p;
        e[l] = g;
        e[m] = 0;
      }
    } while (m !== l);
  }
  return d.sort();
}

/**
 * All eigenvalues of a symmetric n×n matrix (row-major, copied), ascending: Householder
 * reduction to tridiagonal form (4n³/3) then implicit QL.
 */
export function symEigenvalues(a: Float64Array, n: number): Float64Array {
  const z = Float64Array.from(a);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    let h = 0;
    let scale = 0;
    const oi = i * n;
    if (l > 0) {
      for (let k = 0; k < i; k++) scale += Math.abs(z[oi + k]!);
      if (scale === 0) e[i] = z[oi + l]!;
      else {
        for (let k = 0; k < i; k++) {
          z[oi + k] = z[oi + k]! / scale;
          h += z[oi + k]! * z[oi + k]!;
        }
        let f = z[oi + l]!;
        let g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        e[i] = scale * g;
        h -= f * g;
        z[oi + l] = f - g;
        f = 0;
        for (let j = 0; j < i; j++) {
          g = 0;
          const oj = j * n;
          for (let k = 0; k <= j; k++) g += z[oj + k]! * z[oi + k]!;
          for (let k = j + 1; k < i; k++) g += z[k * n + j]! * z[oi + k]!;
          e[j] = g / h;
          f += e[j]! * z[oi + j]!;
        }
        const hh = f / (h + h);
        for (let j = 0; j < i; j++) {
          f = z[oi + j]!;
          g = e[j]! - hh * f;
          e[j] = g;
          const oj = j * n;
          for (let k = 0; k <= j; k++) z[oj + k] = z[oj + k]! - (f * e[k]! + g * z[oi + k]!);
        }
      }
    } else e[i] = z[oi + l]!;
    d[i] = h;
  }
  for (let i = 0; i < n; i++) d[i] = z[i * n + i]!;
  // e[i] couples rows i-1 and i; tridiagEigenvalues wants sub[i] between i and i+1
  const sub = new Float64Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) sub[i - 1] = e[i]!;
  return tridiagEigenvalues(d, sub);
}

/** Least-squares slope and intercept of log y against log x (the fitted cost exponent). */
export function logLogSlope(xs: number[], ys: number[]): { slope: number; intercept: number } {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < lx.length; i++) {
    sxy += (lx[i]! - mx) * (ly[i]! - my);
    sxx += (lx[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/** Wall time (ms) of `f`, repeated until at least `minMs` have elapsed; the median-free mean per call. */
export function timeIt(f: () => void, minMs = 20, maxReps = 1000): number {
  let reps = 0;
  const t0 = performance.now();
  let t = t0;
  do {
    f();
    reps++;
    t = performance.now();
  } while (t - t0 < minMs && reps < maxReps);
  return (t - t0) / reps;
}

/**
 * Robust wall time (ms per call) on a shared machine: `samples` samples, each repeating `f` until
 * at least `minSampleMs` elapsed; the minimum over samples (contention only ever adds time).
 */
export function timeMin(f: () => void, samples = 3, minSampleMs = 5): number {
  let best = Infinity;
  for (let s = 0; s < samples; s++) best = Math.min(best, timeIt(f, minSampleMs, 100000));
  return best;
}


/**
 * Wall-time cost exponent of real runs: `rounds` sweeps, each timing every job once (interleaved,
 * so a burst of load on the shared machine hits all sizes of that sweep alike). Each timing repeats
 * the job until `minMs` have passed (mean per call). The exponent is the log-log slope through the
 * per-size minima over sweeps — other tenants of a shared machine only ever add time, so the fastest
 * of many interleaved timings is the one least disturbed (as timeit and hyperfine report); its 95%
 * interval is a percentile bootstrap of that same statistic over the sweeps (resampled with
 * replacement; seeded), so the estimate and its interval agree. (A t-interval of per-sweep slopes
 * beside a slope through medians had left the estimate outside its own interval, and two runs'
 * intervals apart: the medians still moved with the machine's load.)
 * `fitFrom` drops the smallest sizes from the fit (fixed overheads dominate there).
 */
export async function timeExponent(
  xs: number[],
  jobs: (() => void)[],
  o: { rounds: number; minMs: number; fitFrom: number; onRound?: (r: number) => Promise<void> },
): Promise<{ fastest: number[]; all: number[][]; slope: number; low: number; high: number }> {
  const all: number[][] = [];
  for (let r = 0; r < o.rounds; r++) {
    all.push(jobs.map((f) => timeIt(f, o.minMs, 100000)));
    if (o.onRound) await o.onRound(r);
  }
  return { ...fitTimeExponent(xs, all, o.fitFrom), all };
}

/**
 * The exponent of timings `all` (one row per sweep, one column per size xs): the log-log slope
 * through the per-size minima from `fitFrom` on, and its seeded percentile-bootstrap 95% interval
 * over sweeps. Pure: tested on made-up timings.
 */
export function fitTimeExponent(xs: readonly number[], all: readonly (readonly number[])[], fitFrom: number): { fastest: number[]; slope: number; low: number; high: number } {
  const fastest = xs.map((_, i) => Math.min(...all.map((row) => row[i]!)));
  const fx = xs.slice(fitFrom);
  // the statistic of a resample of sweeps (given by their indices): the slope through its minima
  const slopeOf = (sweeps: readonly number[]) => logLogSlope(fx, fx.map((_, j) => Math.min(...sweeps.map((r) => all[r]![fitFrom + j]!)))).slope;
  const { value: slope, low, high } = bootstrap95(all.map((_, r) => r), slopeOf, new Rng(7919));
  return { fastest, slope, low, high };
}

/** median of a list */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
