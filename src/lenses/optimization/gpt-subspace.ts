/**
 * The tiny GPT as a flat parameter vector θ ∈ R^D, and training it only inside a random affine
 * subspace θ = θ₀ + P z (Li et al. 2018). ∇_θ L comes from the GPT's own tfjs gradient
 * (`localGradients`); ∇_z L = Pᵀ ∇_θ L; z is updated by a float64 optimizer of the control lens
 * (`StateSpaceOptimizer`), and the model's variables are overwritten with θ₀ + P z after every step.
 * P is anything with `apply` / `applyT` — the Fastfood transform (fastfood.ts) for the GPT.
 */
import { tf } from '../../engine/tf.js';
import type { Rng } from '../../engine/rng.js';
import type { GPT } from '../../gpt/model.js';
import { localGradients, sampleBatch, type Batch } from '../../gpt/train.js';
import { StateSpaceOptimizer } from '../../optim/optimizers.js';
import type { OptimizerSpec } from '../../optim/optimizers.js';

/** Where each named weight sits in the flat θ (the model's fixed name order). */
export interface FlatLayout {
  names: string[];
  shapes: number[][];
  offsets: number[];
  sizes: number[];
  D: number;
}

export function gptLayout(model: GPT): FlatLayout {
  const names = model.names;
  const shapes = names.map((n) => model.params[n]!.shape.slice());
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const offsets: number[] = [];
  let D = 0;
  for (const s of sizes) {
    offsets.push(D);
    D += s;
  }
  return { names, shapes, offsets, sizes, D };
}

/** θ of the model now (float64 copy). */
export function readTheta(model: GPT, lay: FlatLayout): Float64Array {
  const th = new Float64Array(lay.D);
  lay.names.forEach((n, i) => th.set(model.params[n]!.dataSync() as Float32Array, lay.offsets[i]!));
  return th;
}

/** Overwrite the model's variables with θ (rounded to float32). */
export function writeTheta(model: GPT, lay: FlatLayout, theta: Float64Array): void {
  lay.names.forEach((n, i) => {
    const o = lay.offsets[i]!;
    const t = tf.tensor(Float32Array.from(theta.subarray(o, o + lay.sizes[i]!)), lay.shapes[i]!, 'float32');
    model.params[n]!.assign(t);
    t.dispose();
  });
}

/** Weights θ as a `weights` record for `forward` / `evalTokens` (caller disposes). */
export function thetaWeights(lay: FlatLayout, theta: Float64Array): Record<string, tf.Tensor> {
  const w: Record<string, tf.Tensor> = {};
  lay.names.forEach((n, i) => {
    const o = lay.offsets[i]!;
    w[n] = tf.tensor(Float32Array.from(theta.subarray(o, o + lay.sizes[i]!)), lay.shapes[i]!, 'float32');
  });
  return w;
}

/** A linear map R^d → R^D and its transpose. */
export interface Projection {
  d: number;
  apply(z: Float64Array, out: Float64Array): Float64Array;
  applyT(y: Float64Array, out: Float64Array): Float64Array;
}

/** Mean loss and ∇_θ on one batch of B windows, flattened (float64). */
export function flatGradient(model: GPT, lay: FlatLayout, tokens: Int32Array, B: number, rng: Rng): { loss: number; grad: Float64Array } {
  return batchGradient(model, lay, sampleBatch(tokens, B, model.config.blockSize, rng));
}

/** Mean loss and ∇_θ of the model's current weights on one batch, as one float64 vector in `lay`'s order. */
function batchGradient(model: GPT, lay: FlatLayout, batch: Batch): { loss: number; grad: Float64Array } {
  const { loss, grads } = localGradients(model, batch);
  const g = new Float64Array(lay.D);
  lay.names.forEach((n, i) => {
    const t = grads[n];
    if (t) g.set(t.dataSync() as Float32Array, lay.offsets[i]!);
  });
  Object.values(grads).forEach((t) => t.dispose());
  return { loss, grad: g };
}

/**
 * Train z from 0 for `steps` steps: θ = θ₀ + P z, ∇_z = Pᵀ ∇_θ, update of `opt` on z at `lr(step)`.
 * Leaves the model's variables at the final θ and returns it with the minibatch losses.
 */
export async function gptSubspaceTrain(
  model: GPT,
  lay: FlatLayout,
  theta0: Float64Array,
  P: Projection,
  tokens: Int32Array,
  o: { steps: number; batch: number; lr: (step: number) => number; opt: OptimizerSpec; rng: Rng; onStep?: (step: number, loss: number) => void | Promise<void> },
): Promise<{ theta: Float64Array; z: Float64Array; losses: number[] }> {
  const z = new Float64Array(P.d);
  const gz = new Float64Array(P.d);
  const theta = Float64Array.from(theta0);
  const opt = new StateSpaceOptimizer(o.opt, P.d);
  const pz = new Float64Array(lay.D);
  const losses: number[] = [];
  writeTheta(model, lay, theta);
  for (let s = 0; s < o.steps; s++) {
    const { loss, grad } = flatGradient(model, lay, tokens, o.batch, o.rng);
    if (!Number.isFinite(loss)) throw new Error(`subspace training (d = ${P.d}) diverged at step ${s}`);
    losses.push(loss);
    P.applyT(grad, gz);
    opt.step(z, gz, o.lr(s));
    P.apply(z, pz);
    for (let i = 0; i < lay.D; i++) theta[i] = theta0[i]! + pz[i]!;
    writeTheta(model, lay, theta);
    await o.onStep?.(s, loss);
  }
  return { theta, z, losses };
}

/**
 * A filter-normalised random direction (Li et al. 2018, "Visualizing the loss landscape") for the
 * GPT at θ: Gaussian, then every filter rescaled to the norm of θ's filter. A filter is an output
 * unit's incoming weights — a column of a [in, out] linear weight — and, for the embeddings `wte`
 * (tied to the output head) and `wpe`, a row (one token's / one position's vector). Vectors
 * (biases, LayerNorm gains and shifts) get 0, as Li et al. do for biases and batch norm.
 */
export function gptFilterDirection(lay: FlatLayout, theta: Float64Array, rng: Rng): Float64Array {
  const d = new Float64Array(lay.D);
  lay.names.forEach((n, k) => {
    const sh = lay.shapes[k]!;
    if (sh.length !== 2) return;
    const o = lay.offsets[k]!;
    const [R, C] = sh as [number, number];
    const byRow = n === 'wte' || n === 'wpe';
    const nf = byRow ? R : C;
    const len = byRow ? C : R;
    const at = (f: number, i: number) => o + (byRow ? f * C + i : i * C + f);
    for (let f = 0; f < nf; f++) {
      let nd = 0;
      let nt = 0;
      for (let i = 0; i < len; i++) {
        const v = rng.normal();
        d[at(f, i)] = v;
        nd += v * v;
        nt += theta[at(f, i)]! ** 2;
      }
      const s = Math.sqrt(nt / nd);
      for (let i = 0; i < len; i++) d[at(f, i)]! *= s;
    }
  });
  return d;
}

/** Mean loss (nats/char) and ∇_θ of the GPT with weights θ on a fixed batch (float64 copy of tfjs's float32 gradient). */
export function gptLossGrad(model: GPT, lay: FlatLayout, theta: Float64Array, batch: Batch): { loss: number; grad: Float64Array } {
  writeTheta(model, lay, theta);
  return batchGradient(model, lay, batch);
}
