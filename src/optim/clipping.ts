/**
 * Gradient clipping: a saturating nonlinearity between the measured error g and the actuator
 * (control issue, item 2; seed: ĝ = g / max(1, ‖g‖₂/λ)).
 *
 *   global norm   ĝ = g · min(1, c / (‖g‖ + ε))   with ‖g‖ over ALL parameters together (Pascanu et al. 2013).
 *                 ε defaults to 0 here (the seed's exact ĝ = g / max(1, ‖g‖/c); every cached GPT was trained so);
 *                 torch.nn.utils.clip_grad_norm_ uses ε = 1e-6 (clip_coef = max_norm / (total_norm + 1e-6),
 *                 clamped to 1) — pass `eps: 1e-6` for its numbers.
 *   by value      ĝ_i = min(max(g_i, −c), c)
 *   adaptive      (AGC, Brock et al. 2021) per unit i (a column of a [in, out] weight: the fan-in of one
 *                 output; an element of a bias): if ‖G_i‖/max(‖W_i‖, ε) > λ then G_i ← λ·max(‖W_i‖, ε)/‖G_i‖ · G_i
 *
 * Tensor versions return NEW tensors (the caller disposes both old and new); float64 references beside them.
 */
import { tf } from '../engine/tf.js';

/** The global L2 norm of a set of gradients (a scalar tensor). */
export function globalNorm(grads: Record<string, tf.Tensor> | tf.Tensor[]): tf.Scalar {
  const list = Array.isArray(grads) ? grads : Object.values(grads);
  return tf.tidy(() => {
    if (list.length === 0) return tf.scalar(0);
    const sq = list.map((g) => tf.sum(tf.square(g)));
    return tf.sqrt(tf.addN(sq)) as tf.Scalar;
  });
}

/** The clipping factor min(1, maxNorm/(‖g‖ + ε)); with ε = 0, exactly 1 unless ‖g‖ > maxNorm. */
export function clipScale(norm: number, maxNorm: number, eps = 0): number {
  if (eps === 0) return norm > maxNorm && norm > 0 ? maxNorm / norm : 1;
  return Math.min(1, maxNorm / (norm + eps));
}

/**
 * Clip by global norm: every gradient scaled by min(1, maxNorm/(‖g‖ + ε)) (ε = 0 by default; torch uses
 * 1e-6). Returns new tensors and the norm measured BEFORE clipping (a number: one sync read per call).
 */
export function clipByGlobalNorm<G extends Record<string, tf.Tensor>>(
  grads: G,
  maxNorm: number,
  eps = 0,
): { grads: G; norm: number; scale: number } {
  const nT = globalNorm(grads);
  const norm = nT.dataSync()[0]!;
  nT.dispose();
  const scale = clipScale(norm, maxNorm, eps);
  const out: Record<string, tf.Tensor> = {};
  for (const [k, g] of Object.entries(grads)) out[k] = scale === 1 ? tf.clone(g) : tf.tidy(() => tf.mul(g, scale));
  return { grads: out as G, norm, scale };
}

/** Clip every component to [−c, c]. New tensors. */
export function clipByValue<G extends Record<string, tf.Tensor>>(grads: G, c: number): G {
  const out: Record<string, tf.Tensor> = {};
  for (const [k, g] of Object.entries(grads)) out[k] = tf.clipByValue(g, -c, c);
  return out as G;
}

/**
 * Unit-wise norms for AGC: for rank ≥ 2 the L2 norm over all axes but the last (a [in, out] weight →
 * one norm per output unit, shape [1, out]); for rank ≤ 1 the absolute value per element.
 */
function unitNorm(x: tf.Tensor): tf.Tensor {
  if (x.rank <= 1) return tf.abs(x);
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  return tf.sqrt(tf.sum(tf.square(x), axes, true));
}

/**
 * Adaptive gradient clipping (Brock et al. 2021, NFNets). `params` and `grads` share names;
 * a gradient without a parameter is returned unchanged (cloned).
 */
export function adaptiveClip<G extends Record<string, tf.Tensor>>(
  params: Record<string, tf.Tensor>,
  grads: G,
  lambda: number,
  eps = 1e-3,
): G {
  const out: Record<string, tf.Tensor> = {};
  for (const [k, g] of Object.entries(grads)) {
    const w = params[k];
    if (!w) {
      out[k] = tf.clone(g);
      continue;
    }
    out[k] = tf.tidy(() => {
      const wn = tf.maximum(unitNorm(w), eps);
      const gn = tf.maximum(unitNorm(g), 1e-6);
      const maxN = tf.mul(wn, lambda);
      // factor = maxN/gn where gn > maxN, else 1
      const factor = tf.where(tf.greater(gn, maxN), tf.div(maxN, gn), tf.onesLike(gn));
      return tf.mul(g, factor);
    });
  }
  return out as G;
}

// ---------------------------------------------------------------------------------------------
// float64 references

/** Global-norm clipping of float64 arrays (the seed's ĝ = g / max(1, ‖g‖/c); with eps > 0, torch's g · min(1, c/(‖g‖ + ε))). */
export function clipByGlobalNormF64(grads: Float64Array[], maxNorm: number, eps = 0): { grads: Float64Array[]; norm: number } {
  let s = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
  const norm = Math.sqrt(s);
  if (eps > 0) {
    const coef = clipScale(norm, maxNorm, eps);
    return { grads: grads.map((g) => g.map((x) => x * coef)), norm };
  }
  const denom = Math.max(1, norm / maxNorm);
  return { grads: grads.map((g) => g.map((x) => x / denom)), norm };
}

export function clipByValueF64(g: Float64Array, c: number): Float64Array {
  return g.map((x) => Math.min(Math.max(x, -c), c));
}

/** AGC on one parameter stored row-major with shape [..., C] (units = the C columns); shape [n]: element-wise. */
export function adaptiveClipF64(w: Float64Array, g: Float64Array, shape: number[], lambda: number, eps = 1e-3): Float64Array {
  const out = new Float64Array(g.length);
  if (shape.length <= 1) {
    for (let i = 0; i < g.length; i++) {
      const wn = Math.max(Math.abs(w[i]!), eps);
      const gn = Math.max(Math.abs(g[i]!), 1e-6);
      out[i] = gn > lambda * wn ? (g[i]! * lambda * wn) / gn : g[i]!;
    }
    return out;
  }
  const C = shape[shape.length - 1]!;
  const R = g.length / C;
  for (let c = 0; c < C; c++) {
    let ws = 0;
    let gs = 0;
    for (let r = 0; r < R; r++) {
      ws += w[r * C + c]! ** 2;
      gs += g[r * C + c]! ** 2;
    }
    const wn = Math.max(Math.sqrt(ws), eps);
    const gn = Math.max(Math.sqrt(gs), 1e-6);
    const f = gn > lambda * wn ? (lambda * wn) / gn : 1;
    for (let r = 0; r < R; r++) out[r * C + c] = g[r * C + c]! * f;
  }
  return out;
}
