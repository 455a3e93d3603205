/**
 * The iterative information-bottleneck algorithm (Tishby, Pereira, Bialek 1999, "The information
 * bottleneck method", eqs. 28): for a joint p(x, y) and a trade-off β, find the soft clustering
 * p(t|x) that minimises  L = I(X;T) − β·I(T;Y)  by iterating the self-consistent equations
 *
 *   p(t)    = Σ_x p(x) p(t|x)
 *   p(y|t)  = Σ_x p(y|x) p(x|t) = Σ_x p(x,y) p(t|x) / p(t)
 *   p(t|x)  = p(t) exp(−β·D_KL[p(y|x) ‖ p(y|t)]) / Z(x, β)
 *
 * A β sweep is done by deterministic annealing: each β starts from the previous solution,
 * slightly perturbed so that a cluster which has become unstable can split.
 *
 * Also: the maximal correlation ρ_m(X;Y) (second singular value of p(x,y)/√(p(x)p(y))): the
 * trivial solution T ⟂ X loses stability at β = 1/ρ_m² (Wu, Fischer, Chuang, Tegmark 2019,
 * "Learnability for the information bottleneck"), where the first split must appear.
 *
 * Pure TypeScript on Float64Arrays (no tfjs): shapes [X][Y] for p(x,y), [X][T] for p(t|x).
 */
import type { Rng } from '../../engine/rng.js';

export interface IBProblem {
  /** p(x, y), row-major [X·Y], normalised */
  pxy: Float64Array;
  nx: number;
  ny: number;
}

/** A normalised IB problem from a (count) table; rows/columns with zero mass are dropped. */
export function ibProblem(table: ReadonlyArray<ArrayLike<number>>): IBProblem & { keptX: number[]; keptY: number[] } {
  const nx0 = table.length;
  const ny0 = table[0]!.length;
  const rowSum = new Float64Array(nx0);
  const colSum = new Float64Array(ny0);
  let total = 0;
  for (let x = 0; x < nx0; x++)
    for (let y = 0; y < ny0; y++) {
      const v = table[x]![y]!;
      rowSum[x]! += v;
      colSum[y]! += v;
      total += v;
    }
  const keptX = [...rowSum.keys()].filter((x) => rowSum[x]! > 0);
  const keptY = [...colSum.keys()].filter((y) => colSum[y]! > 0);
  const pxy = new Float64Array(keptX.length * keptY.length);
  keptX.forEach((x, i) => keptY.forEach((y, j) => (pxy[i * keptY.length + j] = table[x]![y]! / total)));
  return { pxy, nx: keptX.length, ny: keptY.length, keptX, keptY };
}

export interface IBState {
  /** p(t|x), [X·T] */
  ptx: Float64Array;
  nt: number;
}

export interface IBPoint {
  beta: number;
  /** I(X;T) in bits */
  ixt: number;
  /** I(T;Y) in bits */
  ity: number;
  /** effective clusters: distinct p(y|t) among t with p(t) > minMass */
  clusters: number;
  iterations: number;
}

/** p(x) and p(y|x) of a problem. */
function conditionals(pb: IBProblem): { px: Float64Array; pyx: Float64Array; hyx: Float64Array } {
  const { pxy, nx, ny } = pb;
  const px = new Float64Array(nx);
  const pyx = new Float64Array(nx * ny);
  const hyx = new Float64Array(nx); // Σ_y p(y|x) ln p(y|x), the x-only part of the KL
  for (let x = 0; x < nx; x++) {
    for (let y = 0; y < ny; y++) px[x]! += pxy[x * ny + y]!;
    for (let y = 0; y < ny; y++) {
      const v = pxy[x * ny + y]! / px[x]!;
      pyx[x * ny + y] = v;
      if (v > 0) hyx[x]! += v * Math.log(v);
    }
  }
  return { px, pyx, hyx };
}

/** p(t) [T] and p(y|t) [T·Y] from p(t|x). */
function clusterStats(pb: IBProblem, px: Float64Array, st: IBState): { pt: Float64Array; pyt: Float64Array } {
  const { pxy, nx, ny } = pb;
  const nt = st.nt;
  const pt = new Float64Array(nt);
  const pyt = new Float64Array(nt * ny);
  for (let x = 0; x < nx; x++)
    for (let t = 0; t < nt; t++) {
      const w = st.ptx[x * nt + t]!;
      if (w === 0) continue;
      pt[t]! += px[x]! * w;
      for (let y = 0; y < ny; y++) pyt[t * ny + y]! += pxy[x * ny + y]! * w;
    }
  for (let t = 0; t < nt; t++) if (pt[t]! > 0) for (let y = 0; y < ny; y++) pyt[t * ny + y]! /= pt[t]!;
  return { pt, pyt };
}

/** I(X;T) and I(T;Y) in bits for a state. */
export function ibInformation(pb: IBProblem, st: IBState): { ixt: number; ity: number } {
  const { px } = conditionals(pb);
  const { pt, pyt } = clusterStats(pb, px, st);
  const { nx, ny } = pb;
  const nt = st.nt;
  let ixt = 0;
  for (let x = 0; x < nx; x++)
    for (let t = 0; t < nt; t++) {
      const w = st.ptx[x * nt + t]!;
      if (w > 0 && pt[t]! > 0) ixt += px[x]! * w * Math.log(w / pt[t]!);
    }
  const py = new Float64Array(ny);
  for (let x = 0; x < nx; x++) for (let y = 0; y < ny; y++) py[y]! += pb.pxy[x * ny + y]!;
  let ity = 0;
  for (let t = 0; t < nt; t++)
    for (let y = 0; y < ny; y++) {
      const v = pyt[t * ny + y]!;
      if (v > 0 && pt[t]! > 0) ity += pt[t]! * v * Math.log(v / py[y]!);
    }
  return { ixt: Math.max(0, ixt) / Math.LN2, ity: Math.max(0, ity) / Math.LN2 };
}

/** A random soft start p(t|x) (rows normalised). */
export function ibInit(pb: IBProblem, nt: number, rng: Rng): IBState {
  const ptx = new Float64Array(pb.nx * nt);
  for (let x = 0; x < pb.nx; x++) {
    let s = 0;
    for (let t = 0; t < nt; t++) s += ptx[x * nt + t] = 1 + 0.1 * rng.next();
    for (let t = 0; t < nt; t++) ptx[x * nt + t]! /= s;
  }
  return { ptx, nt };
}

/**
 * Prepare the next β (Tishby et al.'s deterministic annealing): first merge slots whose p(y|t)
 * coincide (total variation < 1e-4), freeing them; then every free slot becomes a twin of a live
 * cluster that still mixes different p(y|x) — the one with the largest within-cluster distortion
 * Σ_x p(x,t)·KL[p(y|x)‖p(y|t)] first — taking half of its membership; each pair is then pulled
 * apart by per-x factors (1 ± ε·u_x), u ~ U(−1, 1). If the split is unstable at this β the twins
 * merge back; otherwise the cluster has split.
 */
export function ibPerturb(pb: IBProblem, st: IBState, rng: Rng, eps = 0.05): IBState {
  const { nt } = st;
  const { nx, ny } = pb;
  const { px, pyx, hyx } = conditionals(pb);
  const ptx = Float64Array.from(st.ptx);
  const { pt, pyt } = clusterStats(pb, px, st);
  // 1. merge duplicates
  const order = [...pt.keys()].filter((t) => pt[t]! > 1e-10).sort((a, b) => pt[b]! - pt[a]!);
  const reps: number[] = [];
  for (const t of order) {
    const r = reps.find((r) => {
      let tv = 0;
      for (let y = 0; y < ny; y++) tv += Math.abs(pyt[t * ny + y]! - pyt[r * ny + y]!);
      return tv / 2 < 1e-4;
    });
    if (r === undefined) reps.push(t);
    else for (let x = 0; x < nx; x++) {
      ptx[x * nt + r]! += ptx[x * nt + t]!;
      ptx[x * nt + t] = 0;
    }
  }
  const repSet = new Set(reps);
  const free = [...pt.keys()].filter((t) => !repSet.has(t));
  // 2. distortion of each live cluster: who still has something to split
  const { pt: pt2, pyt: pyt2 } = clusterStats(pb, px, { ptx, nt });
  const distortion = new Float64Array(nt);
  for (const t of reps)
    for (let x = 0; x < nx; x++) {
      const w = px[x]! * ptx[x * nt + t]!;
      if (w === 0) continue;
      let cross = 0;
      for (let y = 0; y < ny; y++) {
        const v = pyx[x * ny + y]!;
        if (v > 0) cross += v * Math.log(Math.max(pyt2[t * ny + y]!, 1e-300));
      }
      distortion[t]! += w * Math.max(0, hyx[x]! - cross);
    }
  void pt2;
  const splittable = reps.filter((t) => distortion[t]! > 1e-12).sort((a, b) => distortion[b]! - distortion[a]!);
  const twinOf = new Int32Array(nt).fill(-1);
  if (splittable.length) free.forEach((d, i) => (twinOf[d] = splittable[i % splittable.length]!));
  const copies = new Int32Array(nt).fill(1);
  for (const d of free) if (twinOf[d]! >= 0) copies[twinOf[d]!]! += 1;
  for (let x = 0; x < nx; x++) {
    const row = ptx.slice(x * nt, (x + 1) * nt);
    for (let t = 0; t < nt; t++) ptx[x * nt + t] = twinOf[t]! >= 0 ? row[twinOf[t]!]! / copies[twinOf[t]!]! : row[t]! / copies[t]!;
    let s = 0;
    for (let t = 0; t < nt; t++) s += ptx[x * nt + t] = ptx[x * nt + t]! * (1 + eps * (2 * rng.next() - 1));
    for (let t = 0; t < nt; t++) ptx[x * nt + t]! /= s;
  }
  return { ptx, nt };
}

/**
 * Iterate the IB equations at one β from `start` until the largest change of p(t|x) is below
 * `tol` or `maxIter` is reached. Returns the new state and the iterations used.
 */
export function ibIterate(pb: IBProblem, start: IBState, beta: number, maxIter = 500, tol = 1e-7): { state: IBState; iterations: number } {
  const { nx, ny } = pb;
  const nt = start.nt;
  const { px, pyx, hyx } = conditionals(pb);
  let ptx = Float64Array.from(start.ptx);
  const logpyt = new Float64Array(nt * ny);
  const logits = new Float64Array(nt);
  let it = 0;
  for (; it < maxIter; it++) {
    const { pt, pyt } = clusterStats(pb, px, { ptx, nt });
    for (let i = 0; i < logpyt.length; i++) logpyt[i] = pyt[i]! > 0 ? Math.log(pyt[i]!) : -1e300;
    const next = new Float64Array(nx * nt);
    let delta = 0;
    for (let x = 0; x < nx; x++) {
      let mx = -Infinity;
      for (let t = 0; t < nt; t++) {
        if (pt[t]! <= 0) {
          logits[t] = -Infinity;
          continue;
        }
        // D_KL[p(y|x) ‖ p(y|t)] = Σ p(y|x) ln p(y|x) − Σ p(y|x) ln p(y|t)
        let cross = 0;
        for (let y = 0; y < ny; y++) {
          const v = pyx[x * ny + y]!;
          if (v > 0) cross += v * logpyt[t * ny + y]!;
        }
        const kl = Math.max(0, hyx[x]! - cross);
        logits[t] = Math.log(pt[t]!) - beta * kl;
        if (logits[t]! > mx) mx = logits[t]!;
      }
      let z = 0;
      for (let t = 0; t < nt; t++) z += next[x * nt + t] = Number.isFinite(logits[t]!) ? Math.exp(logits[t]! - mx) : 0;
      for (let t = 0; t < nt; t++) {
        next[x * nt + t]! /= z;
        delta = Math.max(delta, Math.abs(next[x * nt + t]! - ptx[x * nt + t]!));
      }
    }
    ptx = next;
    if (delta < tol) {
      it++;
      break;
    }
  }
  return { state: { ptx, nt }, iterations: it };
}

/**
 * Effective clusters: t with p(t) > minMass, merged when their p(y|t) differ by less than `tol`
 * in total variation (½Σ|p − q|). A collapsed solution, with every t the same, counts 1.
 */
export function effectiveClusters(pb: IBProblem, st: IBState, minMass = 1e-3, tol = 1e-3): number {
  const { px } = conditionals(pb);
  const { pt, pyt } = clusterStats(pb, px, st);
  const ny = pb.ny;
  const order = [...pt.keys()].filter((t) => pt[t]! > minMass).sort((a, b) => pt[b]! - pt[a]!);
  const reps: number[] = [];
  for (const t of order) {
    const same = reps.some((r) => {
      let tv = 0;
      for (let y = 0; y < ny; y++) tv += Math.abs(pyt[t * ny + y]! - pyt[r * ny + y]!);
      return tv / 2 < tol;
    });
    if (!same) reps.push(t);
  }
  return reps.length;
}

/** The IB curve by annealing over increasing β (betas sorted ascending). */
export async function ibSweep(
  pb: IBProblem,
  betas: readonly number[],
  nt: number,
  rng: Rng,
  opts: { maxIter?: number; tol?: number; onBeta?: (i: number, point: IBPoint, state: IBState) => void | Promise<void> } = {},
): Promise<IBPoint[]> {
  let st = ibInit(pb, nt, rng);
  const out: IBPoint[] = [];
  for (let i = 0; i < betas.length; i++) {
    const beta = betas[i]!;
    const r = ibIterate(pb, ibPerturb(pb, st, rng), beta, opts.maxIter ?? 500, opts.tol ?? 1e-7);
    st = r.state;
    const { ixt, ity } = ibInformation(pb, st);
    const point: IBPoint = { beta, ixt, ity, clusters: effectiveClusters(pb, st), iterations: r.iterations };
    out.push(point);
    await opts.onBeta?.(i, point, st);
  }
  return out;
}

/**
 * The maximal correlation ρ_m(X;Y): the second singular value of Q = p(x,y)/√(p(x)p(y)) (the
 * first is 1, with singular vectors √p(x), √p(y)). Power iteration on QᵀQ with the top pair deflated.
 */
export function maximalCorrelation(pb: IBProblem, iters = 500): number {
  const { pxy, nx, ny } = pb;
  const px = new Float64Array(nx);
  const py = new Float64Array(ny);
  for (let x = 0; x < nx; x++)
    for (let y = 0; y < ny; y++) {
      px[x]! += pxy[x * ny + y]!;
      py[y]! += pxy[x * ny + y]!;
    }
  const Q = new Float64Array(nx * ny);
  for (let x = 0; x < nx; x++) for (let y = 0; y < ny; y++) Q[x * ny + y] = pxy[x * ny + y]! / Math.sqrt(px[x]! * py[y]!);
  const top = Float64Array.from(py, Math.sqrt); // right singular vector of σ = 1
  let v = new Float64Array(ny);
  for (let y = 0; y < ny; y++) v[y] = Math.sin(1 + 7 * y); // deterministic start
  let sigma2 = 0;
  for (let k = 0; k < iters; k++) {
    // deflate: v ⟂ √p(y)
    let d = 0;
    for (let y = 0; y < ny; y++) d += v[y]! * top[y]!;
    for (let y = 0; y < ny; y++) v[y]! -= d * top[y]!;
    const u = new Float64Array(nx);
    for (let x = 0; x < nx; x++) for (let y = 0; y < ny; y++) u[x]! += Q[x * ny + y]! * v[y]!;
    const w = new Float64Array(ny);
    for (let x = 0; x < nx; x++) for (let y = 0; y < ny; y++) w[y]! += Q[x * ny + y]! * u[x]!;
    let nv = 0;
    let nw = 0;
    for (let y = 0; y < ny; y++) {
      nv += v[y]! * v[y]!;
      nw += w[y]! * w[y]!;
    }
    sigma2 = Math.sqrt(nw / nv);
    const s = Math.sqrt(nw);
    v = w.map((a) => a / s);
  }
  return Math.sqrt(sigma2);
}

/** Hard clusters: x grouped by argmax_t p(t|x); groups sorted by size (largest first). */
export function hardClusters(st: IBState, nx: number): number[][] {
  const groups = new Map<number, number[]>();
  for (let x = 0; x < nx; x++) {
    let best = 0;
    for (let t = 1; t < st.nt; t++) if (st.ptx[x * st.nt + t]! > st.ptx[x * st.nt + best]!) best = t;
    if (!groups.has(best)) groups.set(best, []);
    groups.get(best)!.push(x);
  }
  return [...groups.values()].sort((a, b) => b.length - a.length);
}
