/**
 * Knowledge distillation (Hinton, Vinyals, Dean 2015), the loss and a training loop for a student MLP.
 *
 * With teacher logits v and student logits z (shape [N, K]) at temperature T:
 *   p_T = softmax(v/T)   (the teacher's softened distribution, fixed)
 *   q_T = softmax(z/T)   (the student's)
 *   L = α · T² · D_KL(p_T ‖ q_T) + (1 − α) · CE(y, softmax(z))
 * D_KL(p_T‖q_T) is the FORWARD direction (teacher first): it equals the cross-entropy of the soft
 * targets, H(p_T, q_T), minus the constant H(p_T) — exactly Hinton's soft-target objective. Its
 * gradient with respect to z is (q_T − p_T)/T, which is why the T² factor keeps the soft term's
 * gradient the same size across temperatures. The reverse direction D_KL(q_T‖p_T) has a different
 * gradient; `distillGradF64` gives both so a test can tell them apart.
 */
import { tf } from '../../engine/tf.js';
import type { Rng } from '../../engine/rng.js';
import { mlpForward, type MLPSpec, type Variables } from '../../nn/mlp.js';
import { createTensorOptimizer } from '../control/optimizers.js';
import { throwIfAborted, tick } from '../../experiments/contract.js';

/**
 * The distillation loss (mean over the batch, nats). studentLogits z [N, K], teacherProbs p_T [N, K]
 * (already softened at T), labels [N] int32.
 */
export function distillationLoss(studentLogits: tf.Tensor2D, teacherProbs: tf.Tensor2D, labels: tf.Tensor1D, T: number, alpha: number): tf.Scalar {
  return tf.tidy(() => {
    const K = studentLogits.shape[1];
    const logqT = tf.logSoftmax(tf.div(studentLogits, T));
    // D_KL(p_T ‖ q_T) = Σ p (log p − log q); 0·log 0 = 0 handled by the clip inside the log
    const logp = tf.log(tf.maximum(teacherProbs, 1e-30));
    const kl = tf.mean(tf.sum(tf.mul(teacherProbs, tf.sub(logp, logqT)), 1));
    let loss = tf.mul(kl, alpha * T * T) as tf.Scalar;
    if (alpha < 1) {
      const ce = tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(labels, K), tf.logSoftmax(studentLogits)), 1)));
      loss = tf.add(loss, tf.mul(ce, 1 - alpha)) as tf.Scalar;
    }
    return loss;
  });
}

/** softmax of one row at temperature T (float64). */
export function softmaxT(z: ArrayLike<number>, T: number): Float64Array {
  let m = -Infinity;
  for (let i = 0; i < z.length; i++) m = Math.max(m, z[i]! / T);
  const out = new Float64Array(z.length);
  let s = 0;
  for (let i = 0; i < z.length; i++) s += out[i] = Math.exp(z[i]! / T - m);
  for (let i = 0; i < z.length; i++) out[i]! /= s;
  return out;
}

/**
 * Float64 reference: the gradient of T²·D(·‖·) with respect to one row of student logits z, for the
 * forward direction D_KL(p_T‖q_T) — closed form T(q_T − p_T) — and for the reverse D_KL(q_T‖p_T),
 * by its own closed form T·q_i·(log(q_i/p_i) − Σ_j q_j log(q_j/p_j)).
 */
export function distillGradF64(z: ArrayLike<number>, pT: ArrayLike<number>, T: number): { forward: Float64Array; reverse: Float64Array } {
  const q = softmaxT(z, T);
  const K = q.length;
  const forward = new Float64Array(K);
  const reverse = new Float64Array(K);
  let mean = 0;
  for (let j = 0; j < K; j++) mean += q[j]! * Math.log(q[j]! / pT[j]!);
  for (let i = 0; i < K; i++) {
    forward[i] = T * (q[i]! - pT[i]!);
    reverse[i] = T * q[i]! * (Math.log(q[i]! / pT[i]!) - mean);
  }
  return { forward, reverse };
}

/** Soft targets softmax(logits/T) as a Float32Array [N·K]. */
export function softTargets(logits: Float32Array, n: number, k: number, T: number): Float32Array {
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) out.set(softmaxT(logits.subarray(i * k, (i + 1) * k), T), i * k);
  return out;
}

export interface StudentTrainOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  rng: Rng;
  /** temperature; ignored when `teacherProbs` is undefined (plain label training) */
  T: number;
  /** weight of the soft term (1 − α on the labels) */
  alpha: number;
  /** the teacher's p_T on the training rows [N·K]; undefined = train on labels only */
  teacherProbs?: Float32Array;
  signal?: AbortSignal;
}

/** Train `vars` (an MLP) on x [N, D], labels [N] with labels or distillation; Adam. */
export async function trainStudent(spec: MLPSpec, vars: Variables, x: Float32Array, y: Int32Array, opts: StudentTrainOptions): Promise<void> {
  const n = y.length;
  const d = spec.sizes[0]!;
  const K = spec.sizes[spec.sizes.length - 1]!;
  const X = tf.tensor2d(x, [n, d]);
  const Y = tf.tensor1d(y, 'int32');
  const P = opts.teacherProbs ? tf.tensor2d(opts.teacherProbs, [n, K]) : undefined;
  const opt = createTensorOptimizer({ kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  const names = Object.keys(vars);
  try {
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      const perm = opts.rng.permutation(n);
      for (let s = 0; s < n; s += opts.batchSize) {
        if (opts.signal) throwIfAborted(opts.signal);
        const idx = tf.tensor1d(perm.subarray(s, Math.min(n, s + opts.batchSize)), 'int32');
        const { value, grads } = tf.variableGrads(() => {
          const xb = tf.gather(X, idx) as tf.Tensor2D;
          const yb = tf.gather(Y, idx) as tf.Tensor1D;
          const { logits } = mlpForward(spec, vars, xb);
          if (P) return distillationLoss(logits, tf.gather(P, idx) as tf.Tensor2D, yb, opts.T, opts.alpha);
          return tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(yb, K), tf.logSoftmax(logits)), 1))) as tf.Scalar;
        }, names.map((k) => vars[k]!));
        idx.dispose();
        const g: Record<string, tf.Tensor> = {};
        for (const k of names) if (grads[vars[k]!.name]) g[k] = grads[vars[k]!.name]!;
        opt.step(vars, g, opts.lr);
        for (const t of Object.values(grads)) t.dispose();
        value.dispose();
      }
      if (epoch % 5 === 4) await tick();
    }
  } finally {
    X.dispose();
    Y.dispose();
    P?.dispose();
    opt.dispose();
  }
}

/** Logits [N·K] of an MLP on x [N, D]. */
export function mlpLogits(spec: MLPSpec, vars: Variables, x: Float32Array, n: number): Float32Array {
  return tf.tidy(() => mlpForward(spec, vars, tf.tensor2d(x, [n, spec.sizes[0]!])).logits.dataSync() as Float32Array);
}

/** Number of rows whose argmax logit differs from the label. */
export function countErrors(logits: Float32Array, y: Int32Array, k: number): number {
  let errors = 0;
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (logits[i * k + j]! > logits[i * k + best]!) best = j;
    if (best !== y[i]) errors++;
  }
  return errors;
}
