/**
 * Hamiltonian mechanics for the physics-prior experiment: the two ideal systems of Greydanus,
 * Dzamba & Yosinski 2019 (their code's exact Hamiltonians), a float64 RK4 reference for them, the
 * data recipe of their `get_trajectory`, and the two learned models:
 *
 * - a baseline MLP f_θ(q, p) → (dq/dt, dp/dt), and
 * - a Hamiltonian neural network: an MLP H_θ(q, p) → scalar whose dynamics are the symplectic
 *   gradient (dq/dt, dp/dt) = (∂H/∂p, −∂H/∂q), and
 * - a Newtonian network, the seed's F = ma written into the structure: dq/dt = p / m with a learned
 *   scalar 1/m (momentum is mass times velocity), dp/dt = F_θ(q), a force MLP of the position alone
 *   (F = m·a = dp/dt).
 *
 * The input gradient ∂H_θ/∂x of the tanh MLP is written out as tensor ops (explicit backprop through
 * the two tanh layers) rather than taken with a nested `tf.grad`: tfjs 4.22's second-order gradient
 * through tanh is wrong (the outer gradient misses the path through tanh's saved output — measured:
 * ∂loss/∂W₁ 0.113 vs 0.133 by finite differences, ∂loss/∂b₁ missing entirely), and training an HNN
 * differentiates that input gradient once more with respect to θ. The explicit form is checked in the
 * tests against tfjs's own first-order `tf.grad` and against finite differences of a float64 forward.
 *
 * State x = (q, p); shapes: N samples, C hidden width.
 */
import { tf } from '../../engine/tf.js';
import type { Rng } from '../../engine/rng.js';
import { initMLP, mlpForward, type MLPSpec, type Params, type Variables } from '../../nn/mlp.js';

export type SystemName = 'spring' | 'pendulum';

/** An ideal 1-D Hamiltonian system with its energy, vector field and the data recipe of Greydanus et al. */
export interface System {
  name: SystemName;
  /** H(q, p) (float64) */
  energy(q: number, p: number): number;
  /** (dq/dt, dp/dt) = (∂H/∂p, −∂H/∂q) (float64) */
  field(q: number, p: number): [number, number];
  /** the same field as tensor ops, x [N, 2] → [N, 2] (for checking the tfjs integrator) */
  fieldTensor(x: tf.Tensor2D): tf.Tensor2D;
  /** initial radius in phase space, uniform in [lo, hi] */
  radius: [number, number];
  /** observations per unit time (their `timescale`) over t ∈ [0, 3] */
  timescale: number;
}

/** Mass–spring: H = q² + p² (Greydanus' experiment-spring/data.py), ω = 2, period π. */
export const SPRING: System = {
  name: 'spring',
  energy: (q, p) => q * q + p * p,
  field: (q, p) => [2 * p, -2 * q],
  fieldTensor: (x) =>
    tf.tidy(() => {
      const [q, p] = tf.split(x, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
      return tf.concat([tf.mul(p, 2), tf.mul(q, -2)], 1) as tf.Tensor2D;
    }),
  radius: [0.1, 1.0],
  timescale: 10,
};

/** Pendulum: H = 2(1 − cos q) + p² (Greydanus' experiment-pend/data.py). */
export const PENDULUM: System = {
  name: 'pendulum',
  energy: (q, p) => 2 * (1 - Math.cos(q)) + p * p,
  field: (q, p) => [2 * p, -2 * Math.sin(q)],
  fieldTensor: (x) =>
    tf.tidy(() => {
      const [q, p] = tf.split(x, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
      return tf.concat([tf.mul(p, 2), tf.mul(tf.sin(q), -2)], 1) as tf.Tensor2D;
    }),
  radius: [0.2, 2.0],
  timescale: 15,
};

export const SYSTEMS: Record<SystemName, System> = { spring: SPRING, pendulum: PENDULUM };

/** One classical RK4 step of dx/dt = f(x) in float64. */
export function rk4Step(f: (q: number, p: number) => [number, number], q: number, p: number, dt: number): [number, number] {
  const [a1, b1] = f(q, p);
  const [a2, b2] = f(q + (dt / 2) * a1, p + (dt / 2) * b1);
  const [a3, b3] = f(q + (dt / 2) * a2, p + (dt / 2) * b2);
  const [a4, b4] = f(q + dt * a3, p + dt * b3);
  return [q + (dt / 6) * (a1 + 2 * a2 + 2 * a3 + a4), p + (dt / 6) * (b1 + 2 * b2 + 2 * b3 + b4)];
}

/** A float64 RK4 rollout of `steps` steps from (q0, p0): arrays of length steps + 1. */
export function rolloutReference(sys: System, q0: number, p0: number, dt: number, steps: number): { q: Float64Array; p: Float64Array } {
  const q = new Float64Array(steps + 1);
  const p = new Float64Array(steps + 1);
  q[0] = q0;
  p[0] = p0;
  for (let t = 0; t < steps; t++) [q[t + 1], p[t + 1]] = rk4Step(sys.field, q[t]!, p[t]!, dt);
  return { q, p };
}

/** A random initial state at radius r ~ U[lo, hi] in a uniformly random direction of [−1,1]² (their recipe). */
export function initialState(sys: System, rng: Rng): [number, number] {
  let a = 0;
  let b = 0;
  while (a * a + b * b < 1e-12) {
    a = rng.uniform(-1, 1);
    b = rng.uniform(-1, 1);
  }
  const r = rng.uniform(sys.radius[0], sys.radius[1]);
  const n = Math.hypot(a, b);
  return [(a / n) * r, (b / n) * r];
}

export interface PhaseData {
  /** noisy observed states [N, 2] (row-major) */
  x: Float32Array;
  /** exact time derivatives at the noiseless states [N, 2] */
  dx: Float32Array;
  n: number;
}

/**
 * Greydanus et al.'s data: `trajectories` trajectories over t ∈ [0, 3] observed at
 * timescale·3 evenly spaced times (integrated here by fine float64 RK4), states plus Gaussian
 * noise of std `noise`, derivatives taken from the true field at the noiseless states.
 */
export function makePhaseData(sys: System, trajectories: number, noise: number, rng: Rng): PhaseData {
  const per = Math.floor(sys.timescale * 3);
  const n = trajectories * per;
  const x = new Float32Array(n * 2);
  const dx = new Float32Array(n * 2);
  const sub = 20; // fine RK4 substeps between observations (float64 error ≪ noise)
  const dtObs = 3 / (per - 1);
  let k = 0;
  for (let j = 0; j < trajectories; j++) {
    let [q, p] = initialState(sys, rng);
    for (let i = 0; i < per; i++) {
      if (i > 0) for (let s = 0; s < sub; s++) [q, p] = rk4Step(sys.field, q, p, dtObs / sub);
      const [dq, dp] = sys.field(q, p);
      x[2 * k] = q + rng.normal(0, noise);
      x[2 * k + 1] = p + rng.normal(0, noise);
      dx[2 * k] = dq;
      dx[2 * k + 1] = dp;
      k++;
    }
  }
  return { x, dx, n };
}

// ---------------------------------------------------------------------------------------------
// Learned models

export type ModelKind = 'baseline' | 'hnn' | 'newton';

export interface DynamicsModel {
  kind: ModelKind;
  spec: MLPSpec;
  vars: Variables;
}

/**
 * A baseline (2 → C → C → 2), an HNN (2 → C → C → 1) or a Newtonian force net (q: 1 → C → C → 1,
 * plus the scalar `inv_mass`, 1 at init) tanh MLP, initialised from the rng.
 */
export function initDynamicsModel(kind: ModelKind, hidden: number, rng: Rng): DynamicsModel {
  const sizes = { baseline: [2, hidden, hidden, 2], hnn: [2, hidden, hidden, 1], newton: [1, hidden, hidden, 1] }[kind];
  const spec: MLPSpec = { sizes, activation: 'tanh' };
  // tidy frees the initial-value tensors initMLP leaves behind (the variables survive)
  const vars = tf.tidy(() => initMLP(spec, rng));
  if (kind === 'newton') vars.inv_mass = tf.tidy(() => tf.variable(tf.scalar(1), true, `newton_inv_mass_${rng.nextUint32()}`));
  return { kind, spec, vars };
}

/** F = ma as a field: (dq/dt, dp/dt) = (p · (1/m), F_θ(q)). x [N, 2] → [N, 2]. */
function newtonField(spec: MLPSpec, params: Params, x: tf.Tensor2D): tf.Tensor2D {
  const [q, p] = tf.split(x, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
  return tf.concat([tf.mul(p, params.inv_mass!), mlpForward(spec, params, q).logits], 1) as tf.Tensor2D;
}

/**
 * H_θ(x) and its input gradient for a tanh MLP with any number of hidden layers, by explicit
 * backprop as tensor ops (so it can be differentiated again with first-order tf gradients).
 * x [N, 2] → { H [N, 1], dHdx [N, 2] }.
 */
export function hamiltonianAndGradient(spec: MLPSpec, params: Params, x: tf.Tensor2D): { H: tf.Tensor2D; dHdx: tf.Tensor2D } {
  const L = spec.sizes.length - 1;
  const hs: tf.Tensor2D[] = [];
  let h = x;
  for (let l = 0; l < L - 1; l++) {
    h = tf.tanh(tf.add(tf.matMul(h, params[`fc${l}.weight`] as tf.Tensor2D), params[`fc${l}.bias`]!)) as tf.Tensor2D;
    hs.push(h);
  }
  const Wout = params[`fc${L - 1}.weight`] as tf.Tensor2D; // [C, 1]
  const H = tf.add(tf.matMul(h, Wout), params[`fc${L - 1}.bias`]!) as tf.Tensor2D;
  // backward: g = ∂H/∂h_l, starting from Wout^T broadcast over the batch
  let g: tf.Tensor2D = tf.reshape(Wout, [1, -1]) as tf.Tensor2D;
  for (let l = L - 2; l >= 0; l--) {
    const a = hs[l]!;
    const gz = tf.mul(g, tf.sub(1, tf.square(a))) as tf.Tensor2D; // ∂H/∂z_l  [N, C]
    g = tf.matMul(gz, tf.transpose(params[`fc${l}.weight`] as tf.Tensor2D)) as tf.Tensor2D; // ∂H/∂h_{l-1}
  }
  return { H, dHdx: g };
}

/** The symplectic gradient J∇H: (∂H/∂p, −∂H/∂q). dHdx [N, 2] → [N, 2]. */
export function symplectic(dHdx: tf.Tensor2D): tf.Tensor2D {
  const [dHdq, dHdp] = tf.split(dHdx, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
  return tf.concat([dHdp, tf.neg(dHdq)], 1) as tf.Tensor2D;
}

/** The model's vector field x [N, 2] → dx/dt [N, 2]. */
export function modelField(m: DynamicsModel, x: tf.Tensor2D, params: Params = m.vars): tf.Tensor2D {
  if (m.kind === 'baseline') return mlpForward(m.spec, params, x).logits;
  if (m.kind === 'newton') return newtonField(m.spec, params, x);
  return symplectic(hamiltonianAndGradient(m.spec, params, x).dHdx);
}

/** Full-batch Adam on the derivative MSE (their L2 loss). Returns the loss every `every` steps. */
export async function trainDynamics(
  m: DynamicsModel,
  data: PhaseData,
  opts: { steps: number; lr: number; every?: number; onStep?: (step: number) => Promise<void> | void },
): Promise<{ step: number; loss: number }[]> {
  const x = tf.tensor2d(data.x, [data.n, 2]);
  const y = tf.tensor2d(data.dx, [data.n, 2]);
  // the F = ma net's one kinematic constant, 1/m in dq/dt = p/m, starts at its least-squares value
  // on the training pairs (p, dq/dt): Adam moves a scalar by about lr per step, too little to walk
  // from 1 to the true 2 in a few hundred steps at lr 1e-3 (the first full run was stuck near 1.4)
  if (m.kind === 'newton') tf.tidy(() => m.vars.inv_mass!.assign(tf.scalar(leastSquaresInvMass(data))));
  const opt = tf.train.adam(opts.lr);
  const curve: { step: number; loss: number }[] = [];
  const every = opts.every ?? 50;
  const varList = Object.values(m.vars);
  try {
    for (let s = 0; s < opts.steps; s++) {
      const loss = opt.minimize(() => tf.mean(tf.square(tf.sub(modelField(m, x), y))) as tf.Scalar, s % every === 0 || s === opts.steps - 1, varList);
      if (loss) {
        curve.push({ step: s, loss: (await loss.data())[0]! });
        loss.dispose();
      }
      if (opts.onStep) await opts.onStep(s);
    }
  } finally {
    x.dispose();
    y.dispose();
    opt.dispose();
  }
  return curve;
}

/** 1/m = Σ p·(dq/dt) / Σ p² over the data (observed p, exact dq/dt): least squares of dq/dt = p/m. */
export function leastSquaresInvMass(data: PhaseData): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < data.n; i++) {
    num += data.x[2 * i + 1]! * data.dx[2 * i]!;
    den += data.x[2 * i + 1]! ** 2;
  }
  return den > 0 ? num / den : 1;
}

/** Mean squared error of the model's field on a data set (their one-step "test loss"). */
export function fieldMSE(m: DynamicsModel, data: PhaseData): number {
  return tf.tidy(() => {
    const x = tf.tensor2d(data.x, [data.n, 2]);
    const y = tf.tensor2d(data.dx, [data.n, 2]);
    return tf.mean(tf.square(tf.sub(modelField(m, x), y))).dataSync()[0]!;
  });
}

/**
 * RK4 rollout of a tensor vector field from x0 [N, 2] for `steps` steps.
 * Returns the states as a float array [steps + 1][N][2] flattened: index (t·N + i)·2 + {0: q, 1: p}.
 */
export async function rolloutTensor(
  f: (x: tf.Tensor2D) => tf.Tensor2D,
  x0: Float32Array,
  n: number,
  dt: number,
  steps: number,
  onChunk?: (t: number) => Promise<void> | void,
): Promise<Float32Array> {
  const out = new Float32Array((steps + 1) * n * 2);
  out.set(x0, 0);
  let x = tf.tensor2d(x0, [n, 2]);
  let carry: tf.Tensor | null = x; // a state not in `buf` that is freed once the next step exists
  const buf: tf.Tensor2D[] = [];
  const chunk = 50;
  for (let t = 0; t < steps; t++) {
    const cur = x;
    const next = tf.tidy(() => {
      const k1 = f(cur);
      const k2 = f(tf.add(cur, tf.mul(k1, dt / 2)) as tf.Tensor2D);
      const k3 = f(tf.add(cur, tf.mul(k2, dt / 2)) as tf.Tensor2D);
      const k4 = f(tf.add(cur, tf.mul(k3, dt)) as tf.Tensor2D);
      const incr = tf.addN([k1, tf.mul(k2, 2), tf.mul(k3, 2), k4]);
      return tf.add(cur, tf.mul(incr, dt / 6)) as tf.Tensor2D;
    });
    if (carry) {
      carry.dispose();
      carry = null;
    }
    buf.push(next);
    x = next;
    if (buf.length === chunk || t === steps - 1) {
      const first = t + 2 - buf.length; // state index of buf[0]
      const stacked = tf.stack(buf);
      out.set((await stacked.data()) as Float32Array, first * n * 2);
      stacked.dispose();
      carry = buf.pop()!;
      for (const b of buf) b.dispose();
      buf.length = 0;
      if (onChunk) await onChunk(t + 1);
    }
  }
  carry?.dispose();
  return out;
}

/**
 * The model's field as a plain float64 function (weights read once from the variables). Used to
 * roll small models out without tfjs op overhead, and as the reference the tests compare the
 * tensor field (and the explicit input gradient) against.
 */
export function modelField64(m: DynamicsModel): (q: number, p: number) => [number, number] {
  const L = m.spec.sizes.length - 1;
  const W: Float64Array[] = [];
  const b: Float64Array[] = [];
  for (let l = 0; l < L; l++) {
    W.push(Float64Array.from(m.vars[`fc${l}.weight`]!.dataSync()));
    b.push(Float64Array.from(m.vars[`fc${l}.bias`]!.dataSync()));
  }
  const sizes = m.spec.sizes;
  const hs: Float64Array[] = sizes.slice(1, L).map((c) => new Float64Array(c));
  const forward = (q: number, p: number) => {
    let inp: Float64Array = sizes[0] === 1 ? Float64Array.of(q) : Float64Array.of(q, p);
    for (let l = 0; l < L - 1; l++) {
      const fin = sizes[l]!;
      const fout = sizes[l + 1]!;
      const h = hs[l]!;
      const w = W[l]!;
      for (let j = 0; j < fout; j++) h[j] = b[l]![j]!;
      for (let i = 0; i < fin; i++) {
        const xi = inp[i]!;
        if (xi === 0) continue;
        const row = i * fout;
        for (let j = 0; j < fout; j++) h[j] = h[j]! + xi * w[row + j]!;
      }
      for (let j = 0; j < fout; j++) h[j] = Math.tanh(h[j]!);
      inp = h;
    }
    return inp;
  };
  const last = L - 1;
  const C = sizes[last]!;
  const K = sizes[L]!;
  if (m.kind === 'newton') {
    const invMass = m.vars.inv_mass!.dataSync()[0]!;
    return (q, p) => {
      const h = forward(q, p);
      let force = b[last]![0]!;
      for (let i = 0; i < C; i++) force += h[i]! * W[last]![i]!;
      return [invMass * p, force];
    };
  }
  if (m.kind === 'baseline') {
    return (q, p) => {
      const h = forward(q, p);
      const out: [number, number] = [b[last]![0]!, b[last]![1]!];
      for (let i = 0; i < C; i++) for (let k = 0; k < K; k++) out[k] = out[k]! + h[i]! * W[last]![i * K + k]!;
      return out;
    };
  }
  const gs: Float64Array[] = sizes.slice(0, L).map((c) => new Float64Array(c));
  return (q, p) => {
    forward(q, p);
    // g = ∂H/∂h_{L-2} = W_out[:, 0]
    let g = gs[last]!;
    for (let i = 0; i < C; i++) g[i] = W[last]![i]!;
    for (let l = L - 2; l >= 0; l--) {
      const a = hs[l]!;
      const fin = sizes[l]!;
      const fout = sizes[l + 1]!;
      const w = W[l]!;
      const gPrev = gs[l]!;
      for (let j = 0; j < fout; j++) g[j] = g[j]! * (1 - a[j]! * a[j]!);
      for (let i = 0; i < fin; i++) {
        let s = 0;
        const row = i * fout;
        for (let j = 0; j < fout; j++) s += w[row + j]! * g[j]!;
        gPrev[i] = s;
      }
      g = gPrev;
    }
    return [g[1]!, -g[0]!];
  };
}

/** Float64 RK4 rollout of a field from many initial states, flattened like {@link rolloutTensor}. */
export function rolloutField64(f: (q: number, p: number) => [number, number], x0: ArrayLike<number>, n: number, dt: number, steps: number): Float64Array {
  const out = new Float64Array((steps + 1) * n * 2);
  for (let i = 0; i < n; i++) {
    let q = x0[2 * i]!;
    let p = x0[2 * i + 1]!;
    out[2 * i] = q;
    out[2 * i + 1] = p;
    for (let t = 1; t <= steps; t++) {
      [q, p] = rk4Step(f, q, p, dt);
      out[(t * n + i) * 2] = q;
      out[(t * n + i) * 2 + 1] = p;
    }
  }
  return out;
}
