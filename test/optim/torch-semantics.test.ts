/**
 * src/optim against PyTorch's DOCUMENTED behaviour (numbers from the formulas in the torch docs, no
 * torch at test time), and the defaults against the numbers they gave before the options existed
 * (the cached GPTs were trained through these code paths: they must not move by one bit).
 *
 * - LinearLR: lr_t = lr · (s + (e − s) · min(t, N)/N)  (torch.optim.lr_scheduler.LinearLR);
 *   docs' example: lr 0.05, start_factor 0.5, total_iters 4 → 0.025, 0.03125, 0.0375, 0.04375, 0.05, 0.05 …
 * - AdamW (torch.optim.AdamW algorithm box): θ ← θ − γλθ; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
 *   m̂ = m/(1−β₁ᵗ); v̂ = v/(1−β₂ᵗ); θ ← θ − γ m̂/(√v̂ + ε), on every parameter of the group.
 * - clip_grad_norm_: total_norm = ‖(‖g₁‖, …, ‖g_k‖)‖₂; clip_coef = max_norm/(total_norm + 1e-6),
 *   clamped to 1; every gradient multiplied by it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine, tf } from '../../src/engine/tf.js';
import { createTensorOptimizer, StateSpaceOptimizer } from '../../src/optim/optimizers.js';
import { clipByGlobalNorm, clipByGlobalNormF64, clipScale } from '../../src/optim/clipping.js';
import { makeSchedule } from '../../src/optim/schedules.js';

beforeAll(async () => {
  await initEngine();
});

describe('LinearLR (torch.optim.lr_scheduler.LinearLR)', () => {
  it("the docs' example: 0.025, 0.03125, 0.0375, 0.04375, then 0.05", () => {
    const f = makeSchedule({ kind: 'linear', lr: 0.05, startFactor: 0.5, endFactor: 1, totalIters: 4 });
    [0.025, 0.03125, 0.0375, 0.04375, 0.05, 0.05, 0.05].forEach((v, t) => expect(f(t)).toBeCloseTo(v, 15));
  });
  it('start_factor 1/3 (the default), total_iters 4: factors 1/3, 5/9, 7/9, 1, 1', () => {
    const f = makeSchedule({ kind: 'linear', lr: 1, startFactor: 1 / 3, endFactor: 1, totalIters: 4 });
    [1 / 3, 1 / 3 + 1 / 6, 1 / 3 + 2 / 6, 1 / 3 + 3 / 6, 1, 1].forEach((v, t) => expect(f(t)).toBeCloseTo(v, 15));
  });
  it('decays too (end_factor < start_factor)', () => {
    const f = makeSchedule({ kind: 'linear', lr: 2, startFactor: 1, endFactor: 0.1, totalIters: 9 });
    expect(f(0)).toBe(2);
    expect(f(9)).toBeCloseTo(0.2, 15);
    expect(f(100)).toBeCloseTo(0.2, 15);
  });
  it("our 'warmup' is LinearLR with start_factor 1/W, end_factor 1, total_iters W − 1", () => {
    const W = 7;
    const w = makeSchedule({ kind: 'warmup', lr: 0.3, warmup: W });
    const l = makeSchedule({ kind: 'linear', lr: 0.3, startFactor: 1 / W, endFactor: 1, totalIters: W - 1 });
    for (let t = 0; t < 20; t++) expect(w(t)).toBeCloseTo(l(t), 14);
  });
});

/** torch's AdamW in float64, written from its docs' algorithm box. */
function torchAdamW(theta: number[], grads: number[][], lr: number, b1: number, b2: number, eps: number, wd: number): number[] {
  const th = [...theta];
  const m = th.map(() => 0);
  const v = th.map(() => 0);
  grads.forEach((g, k) => {
    const t = k + 1;
    for (let i = 0; i < th.length; i++) {
      th[i] = th[i]! - lr * wd * th[i]!;
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
      const mh = m[i]! / (1 - b1 ** t);
      const vh = v[i]! / (1 - b2 ** t);
      th[i] = th[i]! - (lr * mh) / (Math.sqrt(vh) + eps);
    }
  });
  return th;
}

describe('AdamW (torch.optim.AdamW)', () => {
  const W0 = [0.5, -1.25, 2, 0.125, -0.75, 1.5];
  const B0 = [0.25, -0.5, 1];
  const gW = (t: number) => [0.1 * (t + 1), -0.2, 0.3, 0.05, 0.4, -0.6 / (t + 1)];
  const gB = (t: number) => [0.3, -0.1 * t, 0.2];
  const spec = { kind: 'adamw', beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 } as const;
  const run = (decayOn?: 'all' | 'matrices') => {
    const W = tf.variable(tf.tensor2d(W0, [2, 3]), true);
    const b = tf.variable(tf.tensor1d(B0), true);
    const opt = createTensorOptimizer(spec, decayOn ? { decayOn } : {});
    for (let t = 0; t < 5; t++) {
      const g = { W: tf.tensor2d(gW(t), [2, 3]), b: tf.tensor1d(gB(t)) };
      opt.step({ W, b }, g, 0.01);
      tf.dispose(Object.values(g));
    }
    const out = { W: Array.from(W.dataSync()), b: Array.from(b.dataSync()) };
    opt.dispose();
    tf.dispose([W, b]);
    return out;
  };
  const ref = (theta: number[], g: (t: number) => number[], wd: number) => torchAdamW(theta, [0, 1, 2, 3, 4].map(g), 0.01, 0.9, 0.95, 1e-8, wd);

  it("decayOn 'all' = torch's AdamW on every parameter (float32 within 1e-6)", () => {
    const r = run('all');
    ref(W0, gW, 0.1).forEach((v, i) => expect(Math.abs(r.W[i]! - v)).toBeLessThan(1e-6));
    ref(B0, gB, 0.1).forEach((v, i) => expect(Math.abs(r.b[i]! - v)).toBeLessThan(1e-6));
  });
  it("decayOn 'matrices' (the default) decays W, not b; the default is 'matrices'", () => {
    const r = run('matrices');
    ref(W0, gW, 0.1).forEach((v, i) => expect(Math.abs(r.W[i]! - v)).toBeLessThan(1e-6));
    ref(B0, gB, 0).forEach((v, i) => expect(Math.abs(r.b[i]! - v)).toBeLessThan(1e-6));
    expect(run()).toEqual(r);
    // and the bias really differs from the decayed one
    expect(Math.abs(r.b[2]! - ref(B0, gB, 0.1)[2]!)).toBeGreaterThan(1e-5);
  });
  it('the float64 reference with decay on all coordinates = torch', () => {
    const th = Float64Array.from(W0);
    const o = new StateSpaceOptimizer(spec, th.length);
    for (let t = 0; t < 5; t++) o.step(th, gW(t), 0.01);
    ref(W0, gW, 0.1).forEach((v, i) => expect(th[i]).toBeCloseTo(v, 13));
  });
});

describe('clip_grad_norm_ (torch.nn.utils)', () => {
  it('eps = 1e-6 gives torch’s clip_coef = max_norm/(total_norm + 1e-6), clamped to 1', () => {
    const g = [Float64Array.from([3, 4]), Float64Array.from([12])]; // total norm 13
    const c = clipByGlobalNormF64(g, 1, 1e-6);
    expect(c.norm).toBe(13);
    expect(c.grads[1]![0]).toBeCloseTo((12 * 1) / (13 + 1e-6), 15);
    // below the threshold torch still multiplies by min(1, max_norm/(norm+eps)) = 1
    expect(clipScale(0.5, 1, 1e-6)).toBe(1);
    // just above: torch scales by 1/(1 + 1e-6 + …) where eps = 0 would too, but by a different factor
    expect(clipScale(1 + 1e-7, 1, 1e-6)).toBeCloseTo(1 / (1 + 1e-7 + 1e-6), 15);
    expect(clipScale(1 + 1e-7, 1)).toBeCloseTo(1 / (1 + 1e-7), 15);
  });
  it('tensors agree with the float64 version under eps', () => {
    const g = { a: tf.tensor1d([3, 4]), b: tf.tensor2d([[12]]) };
    const c = clipByGlobalNorm(g, 2, 1e-6);
    expect(c.scale).toBeCloseTo(2 / (13 + 1e-6), 6);
    expect(c.grads.b.dataSync()[0]).toBeCloseTo((12 * 2) / (13 + 1e-6), 5);
    tf.dispose([...Object.values(g), ...Object.values(c.grads)]);
  });
});

describe('defaults are bit-identical to before the options existed', () => {
  it('three clipped AdamW steps (default options) give exactly the recorded float32 bits', () => {
    // recorded at commit 21941ce (before decayOn and eps existed) with the same code below
    const W = tf.variable(tf.tensor2d([[0.5, -1.25, 2], [0.125, -0.75, 1.5]]), true);
    const b = tf.variable(tf.tensor1d([0.25, -0.5, 1]), true);
    const opt = createTensorOptimizer({ kind: 'adamw', beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 });
    for (let t = 0; t < 3; t++) {
      const g = { W: tf.tensor2d([[0.1 * (t + 1), -0.2, 0.3], [0.05, 0.4, -0.6 / (t + 1)]]), b: tf.tensor1d([0.3, -0.1 * t, 0.2]) };
      const c = clipByGlobalNorm(g, 0.5);
      opt.step({ W, b }, c.grads, 3e-3 * (t + 1));
      tf.dispose([...Object.values(g), ...Object.values(c.grads)]);
    }
    const bits = (a: Float32Array) => Array.from(new Uint32Array(Float32Array.from(a).buffer)).map((x) => '0x' + x.toString(16).padStart(8, '0'));
    expect(bits(W.dataSync() as Float32Array)).toEqual(['0x3ef6d1ea', '0xbf9d691f', '0x3ffd3cea', '0x3ddab71b', '0xbf4441f4', '0x3fc1d4bb']);
    expect(bits(b.dataSync() as Float32Array)).toEqual(['0x3e6d93e8', '0xbef9fcce', '0x3f7b64fa']);
    opt.dispose();
    tf.dispose([W, b]);
  });
});
