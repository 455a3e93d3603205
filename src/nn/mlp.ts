/**
 * The small fully connected network every lens trains on the 8×8 digits: init, forward (with the
 * hidden states, dropout and pruning masks the lenses need), softmax cross-entropy, accuracy and a
 * minibatch training loop — plus a float64 plain-JS forward as the reference the tests compare to.
 *
 * Parameters are named like PyTorch's nn.Sequential of Linear layers: `fc0.weight` [in, out],
 * `fc0.bias` [out], `fc1.weight`, … (weights stored input-major so x·W needs no transpose).
 */
import { tf } from '../engine/tf.js';
import type { Rng } from '../engine/rng.js';
import type { Digits } from '../data/corpora.js';
import type { TensorOptimizer } from '../optim/optimizers.js';
import { throwIfAborted, tick } from '../experiments/contract.js';

export interface MLPSpec {
  /** layer widths including input and output, e.g. [64, 100, 10] */
  sizes: number[];
  /** hidden-layer nonlinearity (the output layer is linear: logits) */
  activation: 'relu' | 'tanh';
}

export type Params = Record<string, tf.Tensor>;
export type Variables = Record<string, tf.Variable>;

/** Number of weight matrices (= layers). */
export const layerCount = (spec: MLPSpec): number => spec.sizes.length - 1;
export const weightName = (l: number): string => `fc${l}.weight`;
export const biasName = (l: number): string => `fc${l}.bias`;

/** Total number of parameters. */
export function parameterCount(spec: MLPSpec): number {
  let n = 0;
  for (let l = 0; l < layerCount(spec); l++) n += spec.sizes[l]! * spec.sizes[l + 1]! + spec.sizes[l + 1]!;
  return n;
}

/**
 * Initial weights from the seeded rng: He-normal (std √(2/fan_in)) for ReLU, Glorot-normal
 * (std √(2/(fan_in+fan_out))) for tanh; zero biases. Returns trainable Variables.
 */
export function initMLP(spec: MLPSpec, rng: Rng): Variables {
  const out: Variables = {};
  for (let l = 0; l < layerCount(spec); l++) {
    const fin = spec.sizes[l]!;
    const fout = spec.sizes[l + 1]!;
    const std = spec.activation === 'relu' ? Math.sqrt(2 / fin) : Math.sqrt(2 / (fin + fout));
    const w = tf.tensor2d(rng.normalArray(fin * fout, std), [fin, fout]);
    const b = tf.zeros([fout]);
    out[weightName(l)] = tf.variable(w, true, `${weightName(l)}_${rng.nextUint32()}`);
    out[biasName(l)] = tf.variable(b, true, `${biasName(l)}_${rng.nextUint32()}`);
    w.dispose(); // tf.variable copies its initial value
    b.dispose();
  }
  return out;
}

export interface ForwardOptions {
  /** dropout probability on hidden activations (inverted dropout; 0 = off) */
  dropout?: number;
  /** rng for the dropout masks (required when dropout > 0) */
  rng?: Rng;
  /** 0/1 masks by weight name, multiplied into the weights (pruning) */
  masks?: Params;
}

/**
 * Forward pass. x: [N, D_in] → logits [N, K]; `hidden[l]` is the post-activation of hidden layer l,
 * [N, C_l] (before dropout). Call inside tf.tidy or dispose the outputs.
 */
export function mlpForward(spec: MLPSpec, params: Params, x: tf.Tensor2D, opts: ForwardOptions = {}): { logits: tf.Tensor2D; hidden: tf.Tensor2D[] } {
  const hidden: tf.Tensor2D[] = [];
  let h: tf.Tensor2D = x;
  const L = layerCount(spec);
  for (let l = 0; l < L; l++) {
    let W = params[weightName(l)] as tf.Tensor2D;
    if (opts.masks?.[weightName(l)]) W = tf.mul(W, opts.masks[weightName(l)]!) as tf.Tensor2D;
    const z = tf.add(tf.matMul(h, W), params[biasName(l)]!) as tf.Tensor2D;
    if (l === L - 1) return { logits: z, hidden };
    const a = (spec.activation === 'relu' ? tf.relu(z) : tf.tanh(z)) as tf.Tensor2D;
    hidden.push(a);
    h = a;
    const p = opts.dropout ?? 0;
    if (p > 0) {
      if (!opts.rng) throw new Error('mlpForward: dropout needs an rng');
      const n = a.shape[0] * a.shape[1];
      const keep = new Float32Array(n);
      for (let i = 0; i < n; i++) keep[i] = opts.rng.next() >= p ? 1 / (1 - p) : 0;
      h = tf.mul(a, tf.tensor2d(keep, a.shape)) as tf.Tensor2D;
    }
  }
  throw new Error('MLP needs at least one layer');
}

/** Mean softmax cross-entropy in nats. logits [N, K], labels N integers in [0, K). */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: Int32Array | tf.Tensor1D): tf.Scalar {
  const K = logits.shape[1];
  const y = labels instanceof Int32Array ? tf.tensor1d(labels, 'int32') : labels;
  const onehot = tf.oneHot(y, K);
  const logp = tf.logSoftmax(logits);
  return tf.neg(tf.mean(tf.sum(tf.mul(onehot, logp), 1))) as tf.Scalar;
}

/** L2 penalty ½·λ·Σ‖W‖² over weight matrices only (biases are not decayed). */
export function l2Penalty(spec: MLPSpec, params: Params, lambda: number): tf.Scalar {
  let s: tf.Scalar = tf.scalar(0);
  for (let l = 0; l < layerCount(spec); l++) s = tf.add(s, tf.sum(tf.square(params[weightName(l)]!))) as tf.Scalar;
  return tf.mul(s, 0.5 * lambda) as tf.Scalar;
}

/** The data as tensors: x [N, 64] float32, y [N] int32. */
export function digitsTensors(ds: Digits): { x: tf.Tensor2D; y: tf.Tensor1D } {
  return { x: tf.tensor2d(ds.x, [ds.n, ds.d]), y: tf.tensor1d(ds.y, 'int32') };
}

/** Mean cross-entropy (nats) and accuracy on a data set, without dropout. */
export function mlpEvaluate(spec: MLPSpec, params: Params, ds: Digits, masks?: Params): { loss: number; accuracy: number } {
  return tf.tidy(() => {
    const { x, y } = digitsTensors(ds);
    const { logits } = mlpForward(spec, params, x, masks ? { masks } : {});
    const loss = softmaxCrossEntropy(logits, y).dataSync()[0]!;
    const pred = tf.argMax(logits, 1).dataSync();
    let correct = 0;
    for (let i = 0; i < ds.n; i++) if (pred[i] === ds.y[i]) correct++;
    return { loss, accuracy: correct / ds.n };
  });
}

export function mlpAccuracy(spec: MLPSpec, params: Params, ds: Digits, masks?: Params): number {
  return mlpEvaluate(spec, params, ds, masks).accuracy;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** learning rate, or a function of the global step */
  lr: number | ((step: number) => number);
  /** shuffles the data each epoch (and drives dropout) */
  rng: Rng;
  /** an optimizer from src/lenses/control/optimizers.ts; plain SGD when omitted */
  optimizer?: TensorOptimizer;
  /** coupled L2 penalty λ added to the loss (½λ‖W‖²) */
  l2?: number;
  dropout?: number;
  /** pruning masks by weight name; masked weights stay exactly zero */
  masks?: Params;
  /** called after each epoch with the mean training loss; return true to stop early */
  onEpoch?: (epoch: number, trainLoss: number) => boolean | void | Promise<boolean | void>;
  /** called after each step with the minibatch loss */
  onStep?: (step: number, loss: number) => void;
  signal?: AbortSignal;
}

/**
 * Minibatch training of `vars` in place. Returns the per-epoch mean training loss.
 * With masks, the weights are multiplied by the mask after every step so pruned weights stay 0.
 */
export async function trainMLP(spec: MLPSpec, vars: Variables, train: Digits, opts: TrainOptions): Promise<number[]> {
  const history: number[] = [];
  const { x: X, y: Y } = digitsTensors(train);
  const names = Object.keys(vars);
  let step = 0;
  try {
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      const perm = opts.rng.permutation(train.n);
      let sum = 0;
      let batches = 0;
      for (let s = 0; s < train.n; s += opts.batchSize) {
        if (opts.signal) throwIfAborted(opts.signal);
        const idx = tf.tensor1d(perm.subarray(s, Math.min(train.n, s + opts.batchSize)), 'int32');
        const lr = typeof opts.lr === 'function' ? opts.lr(step) : opts.lr;
        const { value, grads } = tf.variableGrads(() => {
          const xb = tf.gather(X, idx) as tf.Tensor2D;
          const yb = tf.gather(Y, idx) as tf.Tensor1D;
          const fw: ForwardOptions = {};
          if (opts.dropout) {
            fw.dropout = opts.dropout;
            fw.rng = opts.rng;
          }
          if (opts.masks) fw.masks = opts.masks;
          const { logits } = mlpForward(spec, vars, xb, fw);
          let loss = softmaxCrossEntropy(logits, yb);
          if (opts.l2) loss = tf.add(loss, l2Penalty(spec, vars, opts.l2)) as tf.Scalar;
          return loss;
        }, names.map((n) => vars[n]!));
        idx.dispose();
        const g: Record<string, tf.Tensor> = {};
        for (const n of names) {
          const gv = grads[vars[n]!.name];
          if (gv) g[n] = gv;
        }
        if (opts.optimizer) {
          opts.optimizer.step(vars, g, lr);
        } else {
          tf.tidy(() => {
            for (const n of names) if (g[n]) vars[n]!.assign(tf.sub(vars[n]!, tf.mul(g[n]!, lr)));
          });
        }
        if (opts.masks) {
          tf.tidy(() => {
            for (const [n, m] of Object.entries(opts.masks!)) if (vars[n]) vars[n]!.assign(tf.mul(vars[n]!, m));
          });
        }
        for (const t of Object.values(grads)) t.dispose();
        const lv = value.dataSync()[0]!;
        value.dispose();
        opts.onStep?.(step, lv);
        sum += lv;
        batches++;
        step++;
      }
      const mean = sum / Math.max(1, batches);
      history.push(mean);
      if (!Number.isFinite(mean)) break;
      if ((await opts.onEpoch?.(epoch, mean)) === true) break;
      await tick();
    }
  } finally {
    X.dispose();
    Y.dispose();
  }
  return history;
}

/** Copy of the current values (detached tensors) — e.g. to rewind to initialisation. */
export function snapshot(vars: Params): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(vars)) out[k] = tf.clone(v);
  return out;
}

export function disposeParams(p: Params): void {
  for (const t of Object.values(p)) t.dispose();
}

/** Float64 reference forward: plain JS, for tests. W given row-major [in, out]. Returns logits [N, K]. */
export function mlpForwardReference(
  spec: MLPSpec,
  params: Record<string, Float64Array | Float32Array>,
  x: Float64Array | Float32Array,
  n: number,
): Float64Array {
  let h = Float64Array.from(x);
  for (let l = 0; l < layerCount(spec); l++) {
    const fin = spec.sizes[l]!;
    const fout = spec.sizes[l + 1]!;
    const W = params[weightName(l)]!;
    const b = params[biasName(l)]!;
    const z = new Float64Array(n * fout);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < fout; j++) {
        let s = b[j]!;
        for (let k = 0; k < fin; k++) s += h[i * fin + k]! * W[k * fout + j]!;
        z[i * fout + j] = l === layerCount(spec) - 1 ? s : spec.activation === 'relu' ? Math.max(0, s) : Math.tanh(s);
      }
    h = z;
  }
  return h;
}
