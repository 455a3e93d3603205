/**
 * The exact little library of the information lens: entropy, joint and conditional entropy,
 * cross-entropy, Kullback–Leibler and Jensen–Shannon divergence and mutual information of discrete
 * distributions, plus estimators of mutual information from samples:
 *  - plug-in (maximum-likelihood) with the Miller–Madow bias correction, for discrete data;
 *  - Kraskov–Stögbauer–Grassberger (KSG, algorithm 1, k nearest neighbours, max-norm), for continuous data.
 *
 * Conventions (Cover & Thomas, ch. 2): 0·log 0 = 0, 0·log(0/q) = 0, p·log(p/0) = +∞.
 * Every function takes `unit`: 'bits' (log base 2, the default) or 'nats' (natural log).
 * A joint distribution p(x, y) is given as rows: `pxy[x][y]`, X indexes rows, Y columns.
 * Inputs need not be normalised; each function normalises (a distribution of total mass 0 throws).
 *
 * Pure TypeScript, no tfjs, no I/O: the browser bundles it.
 */

export type InfoUnit = 'bits' | 'nats';

/** A joint distribution (or a table of counts) as rows: `pxy[x][y]`. Shape [X][Y]. */
export type JointTable = ReadonlyArray<ArrayLike<number>>;

const LN2 = Math.LN2;

/** nats → the requested unit. */
export function fromNats(v: number, unit: InfoUnit = 'bits'): number {
  return unit === 'bits' ? v / LN2 : v;
}

function checkNonNegative(v: number, what: string): void {
  if (!(v >= 0) || !Number.isFinite(v)) throw new Error(`${what}: entries must be finite and ≥ 0, got ${v}`);
}

/** p / Σp as a Float64Array (throws on negative entries or zero total mass). */
export function normalize(p: ArrayLike<number>): Float64Array {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    checkNonNegative(p[i]!, 'distribution');
    s += p[i]!;
  }
  if (!(s > 0)) throw new Error('distribution: total mass must be > 0');
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = p[i]! / s;
  return out;
}

/** The joint table flattened row-major and normalised, with its shape. */
function normalizeJoint(pxy: JointTable): { p: Float64Array; nx: number; ny: number } {
  const nx = pxy.length;
  if (nx === 0) throw new Error('joint distribution: no rows');
  const ny = pxy[0]!.length;
  const flat = new Float64Array(nx * ny);
  for (let x = 0; x < nx; x++) {
    const row = pxy[x]!;
    if (row.length !== ny) throw new Error(`joint distribution: row ${x} has ${row.length} entries, expected ${ny}`);
    for (let y = 0; y < ny; y++) flat[x * ny + y] = row[y]!;
  }
  return { p: normalize(flat), nx, ny };
}

/** H(X) = −Σ p log p. */
export function entropy(p: ArrayLike<number>, unit: InfoUnit = 'bits'): number {
  const q = normalize(p);
  let h = 0;
  for (let i = 0; i < q.length; i++) if (q[i]! > 0) h -= q[i]! * Math.log(q[i]!);
  return fromNats(h, unit);
}

/** The marginals p(x) = Σ_y p(x,y) and p(y) = Σ_x p(x,y) of a joint table (normalised). */
export function marginals(pxy: JointTable): { px: Float64Array; py: Float64Array } {
  const { p, nx, ny } = normalizeJoint(pxy);
  const px = new Float64Array(nx);
  const py = new Float64Array(ny);
  for (let x = 0; x < nx; x++)
    for (let y = 0; y < ny; y++) {
      px[x]! += p[x * ny + y]!;
      py[y]! += p[x * ny + y]!;
    }
  return { px, py };
}

/** H(X, Y) = −Σ p(x,y) log p(x,y). */
export function jointEntropy(pxy: JointTable, unit: InfoUnit = 'bits'): number {
  return entropy(normalizeJoint(pxy).p, unit);
}

/** H(Y | X) = −Σ p(x,y) log p(y|x) (X = rows), computed directly, not as a difference. */
export function conditionalEntropy(pxy: JointTable, unit: InfoUnit = 'bits'): number {
  const { p, nx, ny } = normalizeJoint(pxy);
  let h = 0;
  for (let x = 0; x < nx; x++) {
    let px = 0;
    for (let y = 0; y < ny; y++) px += p[x * ny + y]!;
    if (px === 0) continue;
    for (let y = 0; y < ny; y++) {
      const v = p[x * ny + y]!;
      if (v > 0) h -= v * Math.log(v / px);
    }
  }
  return fromNats(h, unit);
}

/** H(p, q) = −Σ p log q; +∞ when q = 0 somewhere p > 0. p and q must have the same support size. */
export function crossEntropy(p: ArrayLike<number>, q: ArrayLike<number>, unit: InfoUnit = 'bits'): number {
  if (p.length !== q.length) throw new Error(`crossEntropy: lengths differ (${p.length} vs ${q.length})`);
  const pn = normalize(p);
  const qn = normalize(q);
  let h = 0;
  for (let i = 0; i < pn.length; i++) {
    if (pn[i]! === 0) continue;
    if (qn[i]! === 0) return Infinity;
    h -= pn[i]! * Math.log(qn[i]!);
  }
  return fromNats(h, unit);
}

/** D_KL(p‖q) = Σ p log(p/q) ≥ 0, = 0 iff p = q; +∞ when q = 0 somewhere p > 0. */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>, unit: InfoUnit = 'bits'): number {
  if (p.length !== q.length) throw new Error(`klDivergence: lengths differ (${p.length} vs ${q.length})`);
  const pn = normalize(p);
  const qn = normalize(q);
  let d = 0;
  for (let i = 0; i < pn.length; i++) {
    if (pn[i]! === 0) continue;
    if (qn[i]! === 0) return Infinity;
    d += pn[i]! * Math.log(pn[i]! / qn[i]!);
  }
  // Rounding can leave −1e-17 for p = q: KL is ≥ 0 by Gibbs' inequality.
  return fromNats(Math.max(0, d), unit);
}

/** JS(p, q) = ½ KL(p‖m) + ½ KL(q‖m), m = ½(p+q); symmetric, finite, ≤ 1 bit. */
export function jsDivergence(p: ArrayLike<number>, q: ArrayLike<number>, unit: InfoUnit = 'bits'): number {
  if (p.length !== q.length) throw new Error(`jsDivergence: lengths differ (${p.length} vs ${q.length})`);
  const pn = normalize(p);
  const qn = normalize(q);
  const m = new Float64Array(pn.length);
  for (let i = 0; i < m.length; i++) m[i] = 0.5 * (pn[i]! + qn[i]!);
  return 0.5 * klDivergence(pn, m, unit) + 0.5 * klDivergence(qn, m, unit);
}

/** I(X; Y) = Σ p(x,y) log[p(x,y) / (p(x)p(y))] = D_KL(p(x,y) ‖ p(x)p(y)). */
export function mutualInformation(pxy: JointTable, unit: InfoUnit = 'bits'): number {
  const { p, nx, ny } = normalizeJoint(pxy);
  const px = new Float64Array(nx);
  const py = new Float64Array(ny);
  for (let x = 0; x < nx; x++)
    for (let y = 0; y < ny; y++) {
      px[x]! += p[x * ny + y]!;
      py[y]! += p[x * ny + y]!;
    }
  let i = 0;
  for (let x = 0; x < nx; x++)
    for (let y = 0; y < ny; y++) {
      const v = p[x * ny + y]!;
      if (v > 0) i += v * Math.log(v / (px[x]! * py[y]!));
    }
  return fromNats(Math.max(0, i), unit);
}

/** Pointwise mutual information log p(x,y)/(p(x)p(y)) of every cell; −∞ where p(x,y) = 0. Shape [X][Y]. */
export function pointwiseMI(pxy: JointTable, unit: InfoUnit = 'bits'): Float64Array[] {
  const { p, nx, ny } = normalizeJoint(pxy);
  const { px, py } = marginals(pxy);
  const out: Float64Array[] = [];
  for (let x = 0; x < nx; x++) {
    const row = new Float64Array(ny);
    for (let y = 0; y < ny; y++) {
      const v = p[x * ny + y]!;
      row[y] = v > 0 ? fromNats(Math.log(v / (px[x]! * py[y]!)), unit) : -Infinity;
    }
    out.push(row);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Estimators from samples
// ---------------------------------------------------------------------------------------------

export interface PlugInOptions {
  unit?: InfoUnit;
  /** add the Miller–Madow correction (m − 1)/(2N) nats to each entropy, m = occupied bins (default true) */
  millerMadow?: boolean;
}

/** Entropy from counts: plug-in −Σ (c/N) log(c/N), optionally + (m − 1)/(2N) nats (Miller 1955). */
export function entropyFromCounts(counts: ArrayLike<number>, opts: PlugInOptions = {}): number {
  let n = 0;
  let m = 0;
  for (let i = 0; i < counts.length; i++) {
    checkNonNegative(counts[i]!, 'counts');
    n += counts[i]!;
    if (counts[i]! > 0) m++;
  }
  if (n === 0) return 0;
  let h = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c > 0) h -= (c / n) * Math.log(c / n);
  }
  if (opts.millerMadow ?? true) h += (m - 1) / (2 * n);
  return fromNats(h, opts.unit ?? 'bits');
}

/** Relabel arbitrary integer symbols to 0..m−1 (order of first appearance). */
export function relabel(xs: ArrayLike<number>): { ids: Int32Array; m: number } {
  const map = new Map<number, number>();
  const ids = new Int32Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    let id = map.get(xs[i]!);
    if (id === undefined) {
      id = map.size;
      map.set(xs[i]!, id);
    }
    ids[i] = id;
  }
  return { ids, m: map.size };
}

/** Joint counts of paired discrete samples (any integer labels). Shape [X][Y]. */
export function jointCounts(xs: ArrayLike<number>, ys: ArrayLike<number>): Float64Array[] {
  if (xs.length !== ys.length) throw new Error(`jointCounts: ${xs.length} x-samples but ${ys.length} y-samples`);
  const X = relabel(xs);
  const Y = relabel(ys);
  const rows: Float64Array[] = Array.from({ length: X.m }, () => new Float64Array(Y.m));
  for (let i = 0; i < xs.length; i++) rows[X.ids[i]!]![Y.ids[i]!]! += 1;
  return rows;
}

/**
 * I(X;Y) from N paired discrete samples: Ĥ(X) + Ĥ(Y) − Ĥ(X,Y) with plug-in entropies,
 * each Miller–Madow corrected by default. The correction removes the O(m/N) upward bias of the
 * plug-in MI of independent variables ((m_X−1)(m_Y−1)/(2N) nats in expectation).
 */
export function mutualInformationPlugIn(xs: ArrayLike<number>, ys: ArrayLike<number>, opts: PlugInOptions = {}): number {
  const table = jointCounts(xs, ys);
  const nx = table.length;
  const ny = nx ? table[0]!.length : 0;
  const cx = new Float64Array(nx);
  const cy = new Float64Array(ny);
  const cxy: number[] = [];
  for (let x = 0; x < nx; x++)
    for (let y = 0; y < ny; y++) {
      const c = table[x]![y]!;
      cx[x]! += c;
      cy[y]! += c;
      if (c > 0) cxy.push(c);
    }
  const o = { ...opts, unit: 'nats' as const };
  const i = entropyFromCounts(cx, o) + entropyFromCounts(cy, o) - entropyFromCounts(cxy, o);
  return fromNats(i, opts.unit ?? 'bits');
}

/** The digamma function ψ(x) for x > 0 (recurrence up to x ≥ 10, then the asymptotic series). */
export function digamma(x: number): number {
  if (!(x > 0)) throw new Error(`digamma: x must be > 0, got ${x}`);
  let r = 0;
  while (x < 10) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return r + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}

/** N points in d dimensions, row-major: `data[i*d + j]`. */
export interface Points {
  data: ArrayLike<number>;
  n: number;
  d: number;
}

/** A 1-D sample as Points. */
export function points1d(v: ArrayLike<number>): Points {
  return { data: v, n: v.length, d: 1 };
}

export interface KsgOptions {
  /** neighbours (default 3, as Kraskov et al. recommend 2–4) */
  k?: number;
  unit?: InfoUnit;
}

/**
 * Kraskov, Stögbauer, Grassberger 2004, estimator 1: with max-norm distances, ε_i = distance from
 * point i to its k-th neighbour in the joint space; n_x(i), n_y(i) = points strictly closer than ε_i
 * in each marginal space; Î = ψ(k) + ψ(N) − ⟨ψ(n_x+1) + ψ(n_y+1)⟩.
 * Brute force O(N²·(d_x+d_y)): 5,000 points take a fraction of a second. Ties (discrete data) bias it.
 */
export function ksgMutualInformation(x: Points, y: Points, opts: KsgOptions = {}): number {
  const k = opts.k ?? 3;
  const n = x.n;
  if (y.n !== n) throw new Error(`ksgMutualInformation: ${x.n} x-points but ${y.n} y-points`);
  if (!(k >= 1 && k < n)) throw new Error(`ksgMutualInformation: k must be in [1, N−1], got ${k}`);
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  const kth = new Float64Array(k); // the k smallest joint distances so far, sorted ascending
  let acc = 0;
  for (let i = 0; i < n; i++) {
    // distances from point i in each marginal space (max-norm)
    for (let j = 0; j < n; j++) {
      let a = 0;
      for (let c = 0; c < x.d; c++) a = Math.max(a, Math.abs(x.data[i * x.d + c]! - x.data[j * x.d + c]!));
      let b = 0;
      for (let c = 0; c < y.d; c++) b = Math.max(b, Math.abs(y.data[i * y.d + c]! - y.data[j * y.d + c]!));
      dx[j] = a;
      dy[j] = b;
    }
    kth.fill(Infinity);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dist = Math.max(dx[j]!, dy[j]!);
      if (dist < kth[k - 1]!) {
        let p = k - 1;
        while (p > 0 && kth[p - 1]! > dist) {
          kth[p] = kth[p - 1]!;
          p--;
        }
        kth[p] = dist;
      }
    }
    const eps = kth[k - 1]!;
    let nx = 0;
    let ny = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      if (dx[j]! < eps) nx++;
      if (dy[j]! < eps) ny++;
    }
    acc += digamma(nx + 1) + digamma(ny + 1);
  }
  const iNats = digamma(k) + digamma(n) - acc / n;
  return fromNats(iNats, opts.unit ?? 'bits');
}

// ---------------------------------------------------------------------------------------------
// Binning (the information-plane estimator of Shwartz-Ziv & Tishby 2017)
// ---------------------------------------------------------------------------------------------

/**
 * Discretise each row of an N×C matrix into `bins` equal-width bins over [lo, hi] and give every
 * distinct binned row an integer id (0..m−1). Returns the ids and the number of distinct rows m.
 */
export function binRows(values: ArrayLike<number>, n: number, c: number, bins: number, lo: number, hi: number): { ids: Int32Array; m: number } {
  if (values.length !== n * c) throw new Error(`binRows: ${values.length} values for ${n}×${c}`);
  const width = (hi - lo) / bins;
  const map = new Map<string, number>();
  const ids = new Int32Array(n);
  const codes = new Uint16Array(c);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < c; j++) {
      const b = Math.floor((values[i * c + j]! - lo) / width);
      codes[j] = b < 0 ? 0 : b >= bins ? bins - 1 : b;
    }
    const key = String.fromCharCode(...codes);
    let id = map.get(key);
    if (id === undefined) {
      id = map.size;
      map.set(key, id);
    }
    ids[i] = id;
  }
  return { ids, m: map.size };
}
