/**
 * Sharpness λ_max(∇²L) by power iteration on Hessian-vector products (control lens).
 *
 * The HVP is a central difference of gradients, Hv ≈ (∇L(θ + εv) − ∇L(θ − εv)) / 2ε, because tfjs's
 * nested gradients are not exact for every op (tanh's saved output is not differentiated through).
 * Its error is O(ε²‖∇³L‖) plus float32 round-off ~1e-7‖∇L‖/ε; ε = 1e-3 with ‖v‖ = 1 keeps both far
 * below 1% of λ_max for the small MLPs here. The float64 version checks it in the tests.
 */
import { tf } from '../../engine/tf.js';
import type { Rng } from '../../engine/rng.js';

/** Power iteration for the largest-|λ| eigenvalue of a symmetric operator on Float64Array (N). */
export function powerIterationF64(
  mv: (v: Float64Array) => Float64Array,
  n: number,
  rng: Rng,
  iters = 100,
): { lambda: number; vector: Float64Array } {
  let v = Float64Array.from(rng.normalArray(n));
  let lambda = 0;
  for (let k = 0; k < iters; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += v[i]! * v[i]!;
    s = Math.sqrt(s);
    for (let i = 0; i < n; i++) v[i]! /= s;
    const hv = mv(v);
    lambda = 0;
    for (let i = 0; i < n; i++) lambda += v[i]! * hv[i]!;
    v = Float64Array.from(hv);
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i]! * v[i]!;
  s = Math.sqrt(s);
  return { lambda, vector: v.map((x) => x / s) };
}

/** Central-difference HVP of a float64 gradient function. */
export function fdHvpF64(grad: (theta: Float64Array) => Float64Array, theta: Float64Array, v: Float64Array, eps = 1e-5): Float64Array {
  const p = theta.map((x, i) => x + eps * v[i]!);
  const m = theta.map((x, i) => x - eps * v[i]!);
  const gp = grad(p);
  const gm = grad(m);
  return gp.map((x, i) => (x - gm[i]!) / (2 * eps));
}

/**
 * Tracks the sharpness of a loss over a list of tensors θ = [θ_0, …] during training, warm-starting the
 * power iteration from the previous top eigenvector (a few iterations per call then suffice).
 */
export class SharpnessTracker {
  private v: tf.Tensor[] | undefined;
  private readonly gradFn: (ts: tf.Tensor[]) => tf.Tensor[];

  constructor(
    loss: (...ts: tf.Tensor[]) => tf.Scalar,
    private readonly rng: Rng,
    private readonly eps = 1e-3,
  ) {
    this.gradFn = tf.grads(loss) as (ts: tf.Tensor[]) => tf.Tensor[];
  }

  /** Hv by central differences; returns new tensors. */
  hvp(theta: tf.Tensor[], v: tf.Tensor[]): tf.Tensor[] {
    return tf.tidy(() => {
      const gp = this.gradFn(theta.map((t, i) => tf.add(t, tf.mul(v[i]!, this.eps))));
      const gm = this.gradFn(theta.map((t, i) => tf.sub(t, tf.mul(v[i]!, this.eps))));
      return gp.map((g, i) => tf.div(tf.sub(g, gm[i]!), 2 * this.eps));
    });
  }

  /** λ_max estimate at θ after `iters` power iterations (warm-started). */
  estimate(theta: tf.Tensor[], iters: number): number {
    if (!this.v) this.v = theta.map((t) => tf.tensor(this.rng.normalArray(t.size), t.shape));
    let lambda = 0;
    for (let k = 0; k < iters; k++) {
      const vn = tf.tidy(() => {
        const s = tf.sqrt(tf.addN(this.v!.map((t) => tf.sum(tf.square(t)))));
        return this.v!.map((t) => tf.div(t, s));
      });
      tf.dispose(this.v);
      const hv = this.hvp(theta, vn);
      lambda = tf.tidy(() => tf.addN(hv.map((h, i) => tf.sum(tf.mul(h, vn[i]!))))).dataSync()[0]!;
      tf.dispose(vn);
      this.v = hv;
    }
    return lambda;
  }

  dispose(): void {
    if (this.v) tf.dispose(this.v);
    this.v = undefined;
  }
}
