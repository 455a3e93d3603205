/**
 * Float64 minimisers for smooth problems given loss+gradient (and, for Newton, the Hessian):
 * gradient descent, heavy ball (Polyak), L-BFGS (two-loop recursion, Armijo backtracking) and
 * Newton's method (exact Hessian, our own Cholesky, Armijo backtracking from a full step).
 * Each records the gradient norm and the wall time after every iteration.
 */
import { cholesky, cholSolve, dot, norm } from './linalg.js';

export type LossGrad = (theta: Float64Array) => { loss: number; grad: Float64Array };

export interface Trace {
  /** ‖∇L‖ at iterate k (k = 0 is the start) */
  gradNorm: number[];
  loss: number[];
  /** ms since start at iterate k */
  ms: number[];
  theta: Float64Array;
  converged: boolean;
}

interface RunOpts {
  tol: number;
  maxIter: number;
  /** checked every iteration; throw to abort */
  check?: () => void;
}

function record(tr: Trace, loss: number, g: Float64Array, t0: number): number {
  const gn = norm(g);
  tr.gradNorm.push(gn);
  tr.loss.push(loss);
  tr.ms.push(performance.now() - t0);
  return gn;
}

/** Gradient descent θ ← θ − αg with a fixed step α. */
export function gradientDescent(fg: LossGrad, x0: Float64Array, alpha: number, o: RunOpts): Trace {
  const t0 = performance.now();
  const x = Float64Array.from(x0);
  const tr: Trace = { gradNorm: [], loss: [], ms: [], theta: x, converged: false };
  let { loss, grad } = fg(x);
  for (let k = 0; ; k++) {
    const gn = record(tr, loss, grad, t0);
    if (gn <= o.tol) return { ...tr, converged: true };
    if (k >= o.maxIter) return tr;
    o.check?.();
    for (let i = 0; i < x.length; i++) x[i]! -= alpha * grad[i]!;
    ({ loss, grad } = fg(x));
  }
}

/** Heavy ball: z ← βz + g, θ ← θ − αz (Goh 2017's form). */
export function heavyBall(fg: LossGrad, x0: Float64Array, alpha: number, beta: number, o: RunOpts): Trace {
  const t0 = performance.now();
  const x = Float64Array.from(x0);
  const z = new Float64Array(x.length);
  const tr: Trace = { gradNorm: [], loss: [], ms: [], theta: x, converged: false };
  let { loss, grad } = fg(x);
  for (let k = 0; ; k++) {
    const gn = record(tr, loss, grad, t0);
    if (gn <= o.tol) return { ...tr, converged: true };
    if (k >= o.maxIter) return tr;
    o.check?.();
    for (let i = 0; i < x.length; i++) {
      z[i] = beta * z[i]! + grad[i]!;
      x[i]! -= alpha * z[i]!;
    }
    ({ loss, grad } = fg(x));
  }
}

/** Armijo backtracking along d from x (f(x+td) ≤ f(x) + c t gᵀd), starting at t = 1. */
function armijo(fg: LossGrad, x: Float64Array, loss: number, g: Float64Array, d: Float64Array): { x: Float64Array; loss: number; grad: Float64Array; t: number } {
  const slope = dot(g, d);
  let t = 1;
  for (let tries = 0; tries < 60; tries++) {
    const xn = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) xn[i] = x[i]! + t * d[i]!;
    const r = fg(xn);
    // near the optimum the loss change drops below float64 resolution: then accept a step that
    // does not raise the loss measurably and shrinks the gradient
    const flat = Math.abs(r.loss - loss) <= 1e-13 * Math.max(1, Math.abs(loss)) && norm(r.grad) < norm(g);
    if (r.loss <= loss + 1e-4 * t * slope || flat || tries === 59) return { x: xn, loss: r.loss, grad: r.grad, t };
    t *= 0.5;
  }
  throw new Error('unreachable');
}

/** L-BFGS with memory m (Nocedal & Wright, Alg. 7.4) and Armijo backtracking. */
export function lbfgs(fg: LossGrad, x0: Float64Array, m: number, o: RunOpts): Trace {
  const t0 = performance.now();
  let x: Float64Array = Float64Array.from(x0);
  const tr: Trace = { gradNorm: [], loss: [], ms: [], theta: x, converged: false };
  let { loss, grad } = fg(x);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  for (let k = 0; ; k++) {
    const gn = record(tr, loss, grad, t0);
    if (gn <= o.tol) return { ...tr, theta: x, converged: true };
    if (k >= o.maxIter) return { ...tr, theta: x };
    o.check?.();
    const q = Float64Array.from(grad);
    const al: number[] = [];
    for (let i = S.length - 1; i >= 0; i--) {
      const rho = 1 / dot(Y[i]!, S[i]!);
      const a = rho * dot(S[i]!, q);
      al[i] = a;
      for (let j = 0; j < q.length; j++) q[j]! -= a * Y[i]![j]!;
    }
    const gamma = S.length ? dot(S[S.length - 1]!, Y[Y.length - 1]!) / dot(Y[Y.length - 1]!, Y[Y.length - 1]!) : 1 / Math.max(gn, 1e-12);
    for (let j = 0; j < q.length; j++) q[j]! *= gamma;
    for (let i = 0; i < S.length; i++) {
      const rho = 1 / dot(Y[i]!, S[i]!);
      const b = rho * dot(Y[i]!, q);
      for (let j = 0; j < q.length; j++) q[j]! += S[i]![j]! * (al[i]! - b);
    }
    for (let j = 0; j < q.length; j++) q[j] = -q[j]!;
    const r = armijo(fg, x, loss, grad, q);
    const s = new Float64Array(x.length);
    const y = new Float64Array(x.length);
    for (let j = 0; j < x.length; j++) {
      s[j] = r.x[j]! - x[j]!;
      y[j] = r.grad[j]! - grad[j]!;
    }
    if (dot(s, y) > 1e-16) {
      S.push(s);
      Y.push(y);
      if (S.length > m) {
        S.shift();
        Y.shift();
      }
    }
    x = r.x;
    loss = r.loss;
    grad = r.grad;
  }
}

/** Newton's method: solve H d = −g by Cholesky, Armijo backtracking from the full step. */
export function newton(fg: LossGrad, hess: (theta: Float64Array) => Float64Array, x0: Float64Array, o: RunOpts): Trace & { steps: number[] } {
  const t0 = performance.now();
  let x: Float64Array = Float64Array.from(x0);
  const n = x.length;
  const tr: Trace & { steps: number[] } = { gradNorm: [], loss: [], ms: [], theta: x, converged: false, steps: [] };
  let { loss, grad } = fg(x);
  for (let k = 0; ; k++) {
    const gn = record(tr, loss, grad, t0);
    if (gn <= o.tol) return { ...tr, theta: x, converged: true };
    if (k >= o.maxIter) return { ...tr, theta: x };
    o.check?.();
    const l = cholesky(hess(x), n);
    const d = cholSolve(l, grad, n);
    for (let i = 0; i < n; i++) d[i] = -d[i]!;
    const r = armijo(fg, x, loss, grad, d);
    tr.steps.push(r.t);
    x = r.x;
    loss = r.loss;
    grad = r.grad;
  }
}

/**
 * The empirical order of convergence from successive gradient norms:
 * p_k = log(g_{k+1}/g_k) / log(g_k/g_{k−1}) (2 for quadratic, 1 for linear).
 */
export function convergenceOrders(g: number[]): number[] {
  const out: number[] = [];
  for (let k = 1; k + 1 < g.length; k++) out.push(Math.log(g[k + 1]! / g[k]!) / Math.log(g[k]! / g[k - 1]!));
  return out;
}
