/**
 * Knowledge distillation (Hinton, Vinyals, Dean 2015): the loss, and a float64 reference of its gradient.
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
import { tf } from '../engine/tf.js';

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
