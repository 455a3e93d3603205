/**
 * Curvature tools. The Hessian H = ∇²L(θ) is never formed for a real model; we only need its
 * action on a vector, the Hessian-vector product Hv = ∇_θ (∇_θ L(θ) · v) (Pearlmutter 1994),
 * which double backprop gives at the cost of about two gradients. From Hv:
 * - power iteration → the largest eigenvalue (and, shifted, the smallest);
 * - Lanczos (with full re-orthogonalisation) → both ends of the spectrum in k ≪ n products;
 * - n products with the basis vectors → the full Hessian of a tiny model.
 *
 * tfjs caveat (measured, see test/lenses/optimization/curvature.test.ts): tfjs saves an op's
 * *output* for its gradient through a clone that the outer tape cannot see, so the second
 * derivative of `exp`, `tanh`, `sigmoid` is silently lost in tf.grad(tf.grad(f)). `expIn` and
 * `tanhIn` below are the same functions with gradients written from their *inputs*; with them
 * (and relu/softplus/matMul/log/square, whose gradients already use inputs) double backprop is exact.
 *
 * Matrix–vector products are plain `Float64Array → Float64Array` functions so the same Lanczos
 * runs on a tfjs HVP (float32) and on the closed-form float64 Hessians of `logreg.ts`.
 */
import { tf } from '../../engine/tf.js';
import type { Rng } from '../../engine/rng.js';
import { dot, norm, tridiagEigenvalues } from './linalg.js';

export type MatVec = (v: Float64Array) => Float64Array;

type SaveFn = (t: tf.Tensor[]) => void;

/** A unary op whose gradient is written from its input x (so tf.grad can differentiate it again). */
function fromInput(value: (x: tf.Tensor) => tf.Tensor, grad: (dy: tf.Tensor, x: tf.Tensor) => tf.Tensor): (x: tf.Tensor) => tf.Tensor {
  const op = tf.customGrad((...inputs: (tf.Tensor | SaveFn)[]) => {
    const [x, save] = inputs as [tf.Tensor, SaveFn];
    save([x]);
    return { value: value(x), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => grad(dy, saved[0]!) };
  });
  return (x) => op(x);
}

/** exp(x) whose gradient is computed from x (so it can be differentiated again). */
export const expIn = fromInput(tf.exp, (dy, x) => tf.mul(dy, tf.exp(x)));

/** tanh(x) whose gradient 1 − tanh²(x) is computed from x (so it can be differentiated again). */
export const tanhIn = fromInput(tf.tanh, (dy, x) => {
  const t = tf.tanh(x);
  return tf.mul(dy, tf.sub(1, tf.mul(t, t)));
});

/**
 * Mean softmax cross-entropy, twice differentiable in tfjs. logits [N,K], oneHot [N,K].
 * The log-sum-exp shift is read off the data (a constant for the tape: lse is shift-invariant).
 */
export function softmaxCE2(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  const [n, k] = logits.shape;
  const z = logits.dataSync();
  const shift = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let j = 0; j < k; j++) m = Math.max(m, z[i * k + j]!);
    shift[i] = m;
  }
  const c = tf.tensor2d(shift, [n, 1]);
  const lse = tf.add(tf.log(tf.sum(expIn(tf.sub(logits, c)), 1, true)), c); // [N,1]
  return tf.mean(tf.sub(tf.squeeze(lse, [1]), tf.sum(tf.mul(oneHot, logits), 1))) as tf.Scalar;
}

/** The flat MLP layout (W0 [in,out] row-major, b0, W1, b1, …) lives with the float64 MLP in src/nn/mlp64.ts. */
export { flatCount, flatLayout } from '../../nn/mlp64.js';
import { flatCount, flatLayout } from '../../nn/mlp64.js';

/**
 * The mean cross-entropy (+ λ/2‖θ‖²) of an MLP as a function of its flat parameter vector θ [P],
 * twice differentiable. x [N,C0], oneHot [N,K]. Activation: tanh (via tanhIn), relu or softplus.
 */
export function mlpFlatLoss(
  sizes: number[],
  activation: 'tanh' | 'relu' | 'softplus',
  x: tf.Tensor2D,
  oneHot: tf.Tensor2D,
  l2 = 0,
): (theta: tf.Tensor1D) => tf.Scalar {
  const layout = flatLayout(sizes);
  return (theta) => {
    let h: tf.Tensor2D = x;
    layout.forEach((L, i) => {
      const w = tf.reshape(tf.slice(theta, [L.w], [L.din * L.dout]), [L.din, L.dout]);
      const b = tf.slice(theta, [L.b], [L.dout]);
      const s = tf.add(tf.matMul(h, w), b) as tf.Tensor2D;
      if (i + 1 < layout.length) {
        h = (activation === 'tanh' ? tanhIn(s) : activation === 'relu' ? tf.relu(s) : tf.softplus(s)) as tf.Tensor2D;
      } else h = s;
    });
    const ce = softmaxCE2(h, oneHot);
    return (l2 > 0 ? tf.add(ce, tf.mul(0.5 * l2, tf.sum(tf.square(theta)))) : ce) as tf.Scalar;
  };
}

/** the loss as tf.grad's `(x: Tensor) => Tensor` (θ is always 1-D here) */
const asTfFn = (loss: (theta: tf.Tensor1D) => tf.Scalar) => (x: tf.Tensor): tf.Tensor => loss(x as tf.Tensor1D);

/** Read a tensor made inside `f` into a Float64Array and free everything `f` allocated. */
function readTidy(f: () => tf.Tensor): Float64Array {
  const t = tf.tidy(f);
  const out = Float64Array.from(t.dataSync());
  t.dispose();
  return out;
}

/** ∇L at θ as a Float64Array (tfjs, float32 inside). */
export function tfGradient(loss: (theta: tf.Tensor1D) => tf.Scalar, theta: ArrayLike<number>): Float64Array {
  return readTidy(() => tf.grad(asTfFn(loss))(tf.tensor1d(Float32Array.from(theta))));
}

/**
 * Hessian-vector products at θ by double backprop: Hv = ∇_θ(∇_θL · v). Each call is one tf.tidy;
 * no tensors outlive it.
 */
export function makeHvp(loss: (theta: tf.Tensor1D) => tf.Scalar, theta: ArrayLike<number>): MatVec {
  const th = Float32Array.from(theta);
  const g = tf.grad(asTfFn(loss));
  return (v) =>
    readTidy(() => {
      const t = tf.tensor1d(th);
      const vt = tf.tensor1d(Float32Array.from(v));
      return tf.grad((u: tf.Tensor) => tf.sum(tf.mul(g(u), vt)))(t);
    });
}

/** Central finite difference of a gradient: Hv ≈ (∇L(θ+εv) − ∇L(θ−εv)) / 2ε. */
export function fdHvp(grad: (theta: Float64Array) => Float64Array, theta: ArrayLike<number>, v: Float64Array, eps = 1e-4): Float64Array {
  const n = v.length;
  const p = new Float64Array(n);
  const m = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    p[i] = theta[i]! + eps * v[i]!;
    m[i] = theta[i]! - eps * v[i]!;
  }
  const gp = grad(p);
  const gm = grad(m);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (gp[i]! - gm[i]!) / (2 * eps);
  return out;
}

/** The full n×n matrix of a linear map (n products with basis vectors), symmetrised. */
export function fullMatrix(mv: MatVec, n: number): Float64Array {
  const h = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const col = mv(e);
    for (let i = 0; i < n; i++) h[i * n + j] = col[i]!;
  }
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const s = 0.5 * (h[i * n + j]! + h[j * n + i]!);
      h[i * n + j] = s;
      h[j * n + i] = s;
    }
  return h;
}

function randomUnit(n: number, rng: Rng): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal();
  const s = norm(v);
  for (let i = 0; i < n; i++) v[i]! /= s;
  return v;
}

/**
 * Power iteration on (A − shift·I): the eigenvalue of A farthest from `shift`, with its vector.
 * With shift = 0 this is the largest-|λ| eigenvalue (the top one for a Hessian near a minimum);
 * with shift = λ_max it is λ_min.
 */
export function powerIteration(
  mv: MatVec,
  n: number,
  rng: Rng,
  opts: { iters?: number; tol?: number; shift?: number } = {},
): { value: number; vector: Float64Array; iters: number } {
  const iters = opts.iters ?? 200;
  const tol = opts.tol ?? 1e-6;
  const shift = opts.shift ?? 0;
  let v = randomUnit(n, rng);
  let lambda = 0;
  let it = 0;
  for (it = 1; it <= iters; it++) {
    const w = mv(v);
    if (shift !== 0) for (let i = 0; i < n; i++) w[i]! -= shift * v[i]!;
    const next = dot(v, w);
    const s = norm(w);
    if (s === 0) return { value: shift, vector: v, iters: it };
    for (let i = 0; i < n; i++) w[i]! /= s;
    v = w;
    if (it > 1 && Math.abs(next - lambda) <= tol * Math.abs(next)) {
      lambda = next;
      break;
    }
    lambda = next;
  }
  return { value: lambda + shift, vector: v, iters: Math.min(it, iters) };
}

/**
 * Lanczos with full re-orthogonalisation: k steps give a k×k tridiagonal T whose eigenvalues
 * (Ritz values, ascending) converge first at both ends of the spectrum of A.
 */
export function lanczos(mv: MatVec, n: number, k: number, rng: Rng): { ritz: Float64Array; steps: number } {
  const m = Math.min(k, n);
  const Q: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let q = randomUnit(n, rng);
  for (let j = 0; j < m; j++) {
    Q.push(q);
    const w = mv(q);
    const a = dot(q, w);
    alpha.push(a);
    // full re-orthogonalisation, twice (classical Gram–Schmidt is not enough on its own)
    for (let pass = 0; pass < 2; pass++)
      for (const u of Q) {
        const c = dot(u, w);
        for (let i = 0; i < n; i++) w[i]! -= c * u[i]!;
      }
    const b = norm(w);
    if (j === m - 1 || b < 1e-10 * Math.max(1, Math.abs(a))) break;
    beta.push(b);
    for (let i = 0; i < n; i++) w[i]! /= b;
    q = w;
  }
  return { ritz: tridiagEigenvalues(alpha, beta.slice(0, alpha.length - 1)), steps: alpha.length };
}

/** Both ends by power iteration: λ_max, then λ_min from the shifted operator. */
export function extremeEigenvaluesPower(mv: MatVec, n: number, rng: Rng, iters = 300): { max: number; min: number } {
  const top = powerIteration(mv, n, rng, { iters });
  const bottom = powerIteration(mv, n, rng, { iters: iters * 3, shift: top.value, tol: 1e-9 });
  return { max: top.value, min: bottom.value };
}
