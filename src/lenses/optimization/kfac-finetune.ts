/**
 * Fine-tuning a pretrained float64 MLP with K-FAC or Adam from the same start (for
 * `opt.kfac-finetune`): the pretrained net saw ordinary digits; it is fine-tuned on mirrored digits
 * (each 8×8 image flipped left–right, same labels), a shifted task its features only partly fit.
 * Validation loss is recorded against the optimizer's own wall time (evaluation excluded), so
 * "time to a target validation loss" compares the two on what a user pays.
 */
import type { Rng } from '../../engine/rng.js';
import { meanCi95 } from '../../experiments/stats.js';
import { crossEntropy, forward64, lossGrad64, newOptState, optStep, subBatch, type Batch64, type MlpSpec64 } from '../../nn/mlp64.js';
import { kfacStep, newKfacState } from './kfac-core.js';

/** The same digits flipped left–right (8×8 images, row-major; N×64). */
export function mirrorDigits(b: Batch64): Batch64 {
  const x = new Float64Array(b.x.length);
  for (let r = 0; r < b.n; r++) for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) x[r * 64 + i * 8 + j] = b.x[r * 64 + i * 8 + (7 - j)]!;
  return { x, y: Int32Array.from(b.y), n: b.n };
}

export type FtOpt = { kind: 'adam'; lr: number } | { kind: 'kfac'; lr: number; damping: number };

/** A fine-tuning curve: validation loss after `step` updates, `ms` of optimizer wall time. */
export interface FtCurve {
  step: number[];
  ms: number[];
  loss: number[];
  /** the weights at the end of the budget */
  theta: Float64Array;
}

/** Fine-tune a copy of `theta0` for `epochs` epochs; validation loss after every step. */
export function fineTune(spec: MlpSpec64, theta0: Float64Array, data: Batch64, val: Batch64, opt: FtOpt, o: { epochs: number; batch: number }, rng: Rng): FtCurve {
  const th = Float64Array.from(theta0);
  const order = rng.fork('order');
  const stepRng = rng.fork('kfac-labels');
  const st = newOptState(th.length);
  const ks = newKfacState();
  const kOpts = opt.kind === 'kfac' ? { lr: opt.lr, damping: opt.damping, decay: 0.95, invEvery: 10, klClip: 1e-2 } : undefined;
  const curve: FtCurve = { step: [0], ms: [0], loss: [crossEntropy(forward64(spec, th, val), val.y)], theta: th };
  let clock = 0;
  let step = 0;
  for (let e = 0; e < o.epochs; e++) {
    const perm = order.permutation(data.n);
    for (let s = 0; s + o.batch <= data.n; s += o.batch) {
      const mb = subBatch(data, perm.subarray(s, s + o.batch), 64);
      const t0 = performance.now();
      if (kOpts) kfacStep(spec, th, mb, ks, kOpts, stepRng);
      else optStep({ kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 }, st, th, lossGrad64(spec, th, mb).grad, opt.lr);
      clock += performance.now() - t0;
      const l = crossEntropy(forward64(spec, th, val), val.y);
      curve.step.push(++step);
      curve.ms.push(clock);
      curve.loss.push(Number.isFinite(l) ? l : 10);
    }
  }
  return curve;
}

/** The best validation loss on a curve. */
export const bestLoss = (c: FtCurve): number => Math.min(...c.loss);

/** First index at which the curve reaches `target` (−1 if never). */
export function reachIndex(c: FtCurve, target: number): number {
  return c.loss.findIndex((l) => l <= target);
}

/**
 * Per seed: the target is the best validation loss Adam reaches in the budget; the speed-ups are
 * Adam's wall time (steps) to it over K-FAC's. If K-FAC never reaches it, its whole budget is used
 * (the speed-up is then an upper bound, censored in K-FAC's favour; `reached` counts the seeds
 * where it is exact). Returns the per-seed ratios and 95% t-intervals of their logs, back-transformed.
 */
export function speedups(pairs: { adam: FtCurve; kfac: FtCurve }[]): {
  time: number[];
  steps: number[];
  reached: number;
  timeCi: { mean: number; low: number; high: number };
  stepsCi: { mean: number; low: number; high: number };
} {
  const time: number[] = [];
  const steps: number[] = [];
  let reached = 0;
  for (const { adam, kfac } of pairs) {
    const target = bestLoss(adam);
    const ia = reachIndex(adam, target);
    let ik = reachIndex(kfac, target);
    if (ik >= 0) reached++;
    else ik = kfac.loss.length - 1;
    time.push(adam.ms[ia]! / Math.max(kfac.ms[ik]!, 1e-9));
    steps.push(adam.step[ia]! / Math.max(kfac.step[ik]!, 1));
  }
  const geo = (xs: number[]) => {
    const c = meanCi95(xs.map(Math.log));
    return { mean: Math.exp(c.mean), low: Math.exp(c.low), high: Math.exp(c.high) };
  };
  return { time, steps, reached, timeCi: geo(time), stepsCi: geo(steps) };
}
