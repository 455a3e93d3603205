/**
 * Does the seed's momentum v ← γv + (1−γ)g, θ ← θ − ηv damp oscillation in a real network?
 * (control.momentum-dynamics, claim control.momentum-damping.) On a quadratic the answer is an
 * identity of a 2×2 linear map (unit tests); here the loss is a tanh MLP on digits (full batch, MSE on
 * one-hot targets as in Cohen et al. 2021), where nothing is linear.
 *
 * Per seed: the sharpness at init λ₀ by power iteration on Hessian-vector products; then GD and the
 * seed's EMA momentum at the SAME η = mult · 2/λ₀ (above GD's linear stability limit, where GD
 * zig-zags) from the same init. Oscillation is measured as the fraction of steps whose update turns
 * back on the previous one, cos(Δθ_t, Δθ_{t−1}) < 0.
 */
import { tf } from '../../engine/tf.js';
import type { Rng } from '../../engine/rng.js';
import type { Digits } from '../../data/corpora.js';
import { splitDigits } from '../../data/corpora.js';
import { digitsTensors, initMLP, mlpForward, type MLPSpec } from '../../nn/mlp.js';
import { createTensorOptimizer, type OptimizerSpec } from '../../optim/optimizers.js';
import { SharpnessTracker } from './sharpness.js';

export interface DampingOptions {
  hidden: number;
  nTrain: number;
  steps: number;
  /** η as a multiple of 2/λ₀ */
  mult: number;
  gamma: number;
}

export interface DampingRun {
  seed: number;
  lambda0: number;
  eta: number;
  /** fraction of steps t ≥ 1 with cos(Δθ_t, Δθ_{t−1}) < 0 */
  reversalsGd: number;
  reversalsEma: number;
  finalLossGd: number;
  finalLossEma: number;
  /** loss per step (for the figure) */
  lossGd: number[];
  lossEma: number[];
}

/** Fraction of consecutive update pairs that point against each other. Pure. */
export function reversalFraction(updates: readonly Float32Array[]): number {
  let rev = 0;
  for (let t = 1; t < updates.length; t++) {
    const a = updates[t]!;
    const b = updates[t - 1]!;
    let d = 0;
    for (let i = 0; i < a.length; i++) d += a[i]! * b[i]!;
    if (d < 0) rev++;
  }
  return updates.length > 1 ? rev / (updates.length - 1) : NaN;
}

const flat = (vars: tf.Variable[]): Float32Array => {
  const parts = vars.map((v) => v.dataSync() as Float32Array);
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/** One seed: λ₀, then GD and EMA momentum at the same η from the same init. */
export function dampingRun(ds: Digits, o: DampingOptions, seed: number, rng: Rng): DampingRun {
  const { train } = splitDigits(ds, rng.fork('split'), 497, o.nTrain);
  const spec: MLPSpec = { sizes: [64, o.hidden, 10], activation: 'tanh' };
  const { x, y } = digitsTensors(train);
  const onehot = tf.oneHot(y, 10);
  const init = initMLP(spec, rng.fork('init'));
  const names = Object.keys(init);
  const lossOf = (...ts: tf.Tensor[]): tf.Scalar => {
    const prm: Record<string, tf.Tensor> = {};
    names.forEach((nm, i) => (prm[nm] = ts[i]!));
    const { logits } = mlpForward(spec, prm, x);
    return tf.mul(0.5, tf.mean(tf.sum(tf.square(tf.sub(logits, onehot)), 1))) as tf.Scalar;
  };
  const tracker = new SharpnessTracker(lossOf, rng.fork('power'));
  const lambda0 = tracker.estimate(names.map((n) => init[n]!), 30);
  tracker.dispose();
  const eta = (o.mult * 2) / lambda0;
  const run = (optSpec: OptimizerSpec) => {
    const vars: Record<string, tf.Variable> = {};
    for (const n of names) vars[n] = tf.variable(init[n]!.clone(), true, `${n}-${optSpec.kind}-${seed}`);
    const list = names.map((n) => vars[n]!);
    const opt = createTensorOptimizer(optSpec);
    const updates: Float32Array[] = [];
    const losses: number[] = [];
    for (let t = 0; t < o.steps; t++) {
      const { value, grads } = tf.variableGrads(() => lossOf(...list), list);
      const l = value.dataSync()[0]!;
      value.dispose();
      losses.push(l);
      const before = flat(list);
      const byName: Record<string, tf.Tensor> = {};
      names.forEach((n) => (byName[n] = grads[vars[n]!.name]!));
      opt.step(vars, byName, eta);
      tf.dispose(Object.values(grads));
      const after = flat(list);
      if (!Number.isFinite(l) || !after.every(Number.isFinite)) break;
      updates.push(after.map((a, i) => a - before[i]!));
    }
    opt.dispose();
    tf.dispose(list);
    return { reversals: reversalFraction(updates), losses };
  };
  const gd = run({ kind: 'sgd' });
  const ema = run({ kind: 'momentum-ema', gamma: o.gamma });
  tf.dispose([x, y, onehot, ...Object.values(init)]);
  return {
    seed,
    lambda0,
    eta,
    reversalsGd: gd.reversals,
    reversalsEma: ema.reversals,
    finalLossGd: gd.losses[gd.losses.length - 1] ?? NaN,
    finalLossEma: ema.losses[ema.losses.length - 1] ?? NaN,
    lossGd: gd.losses,
    lossEma: ema.losses,
  };
}
