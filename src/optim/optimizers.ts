/**
 * Every optimizer of the lab as an explicit discrete-time state-space system (control issue, item 1).
 *
 *   state  x_t = (θ_t, memory_t)      memory: velocity z, EMA v, moments m and s, integral I, derivative D …
 *   input  u_t = g_t = ∇L(θ_t)
 *   update x_{t+1} = F(x_t, g_t; η_t)
 *
 * The update maps, written once here in words and twice below in code (tfjs tensors and float64):
 *
 *   sgd           θ ← θ − η g
 *   momentum      z ← β z + g;                   θ ← θ − η z                       (heavy ball, Polyak; tfjs/PyTorch form)
 *   momentum-ema  v ← γ v + (1−γ) g;             θ ← θ − η v                       (the seed's form = heavy ball with η' = η(1−γ))
 *   nesterov      z ← β z + g;                   θ ← θ − η (g + β z)               (Sutskever et al. 2013; tfjs/PyTorch form)
 *   adagrad       G ← G + g²;                    θ ← θ − η g / (√G + ε)            (Duchi et al. 2011)
 *   rmsprop       s ← ρ s + (1−ρ) g²;            θ ← θ − η g / (√s + ε)            (Tieleman & Hinton 2012)
 *   adam          m ← β₁m + (1−β₁)g; s ← β₂s + (1−β₂)g²; m̂ = m/(1−β₁ᵗ), ŝ = s/(1−β₂ᵗ);
 *                 θ ← θ − η m̂ / (√ŝ + ε)                                                  (Kingma & Ba 2015)
 *   adamw         adam, plus decoupled decay on masked params: θ ← θ − η (m̂/(√ŝ+ε) + λ θ)  (Loshchilov & Hutter 2019)
 *   pid           I ← β I + g;  D ← μ D + (1−μ)(g − g_prev);  θ ← θ − η (I + k_d D)      (An et al. 2018;
 *                 I carries P and I of the PI controller that momentum already is; D is zero at the first step)
 *
 * Weight decay (adamw) applies by default to parameters of rank ≥ 2 only (matrices, embeddings), never to
 * biases or LayerNorm gains — the GPT-2 / nanoGPT convention (`decayOn: 'matrices'`). `decayOn: 'all'` is
 * torch.optim.AdamW applied to every parameter: θ ← θ − ηλθ, then the Adam step. Written here as
 * θ ← θ − η(m̂/(√ŝ+ε) + λθ) — the same update (both use θ before the step), kept in this order so that
 * default runs (and the cached GPTs) stay bit-identical.
 *
 * Each optimizer is one state-space system written twice: a tfjs version (`createTensorOptimizer`, the GPT
 * and every lens train through it) and a float64 reference (`StateSpaceOptimizer`) for tests and plots.
 * (src/nn/mlp64.ts keeps its own float64 Adam for the flat-θ curvature tools.)
 */
import { tf } from '../engine/tf.js';

/** Hyper-parameters of each optimizer, as a discriminated union. */
export type OptimizerSpec =
  | { kind: 'sgd' }
  /** classical heavy ball: z ← βz + g, θ ← θ − ηz */
  | { kind: 'momentum'; beta: number }
  /** the seed's EMA form: v ← γv + (1−γ)g, θ ← θ − ηv */
  | { kind: 'momentum-ema'; gamma: number }
  | { kind: 'nesterov'; beta: number }
  | { kind: 'adagrad'; eps: number }
  | { kind: 'rmsprop'; rho: number; eps: number }
  | { kind: 'adam'; beta1: number; beta2: number; eps: number }
  /** decoupled weight decay (Loshchilov & Hutter 2019): θ ← θ − η(m̂/(√v̂+ε) + λθ) */
  | { kind: 'adamw'; beta1: number; beta2: number; eps: number; weightDecay: number }
  /** An et al. 2018: P = g, I = momentum buffer, D = EMA of g_t − g_{t−1} with gain kd */
  | { kind: 'pid'; beta: number; kd: number; mu: number };

/** An optimizer acting on named tfjs Variables. */
export interface TensorOptimizer {
  readonly spec: OptimizerSpec;
  /** Steps taken so far (t in the bias corrections). */
  readonly steps: number;
  /**
   * One update of every variable that has a gradient. `lr` is η_t from a schedule; `decayMask`
   * (optional) says which variables take weight decay (default: the optimizer's `decayOn`).
   */
  step(
    vars: Record<string, tf.Variable>,
    grads: Record<string, tf.Tensor>,
    lr: number,
    decayMask?: (name: string, v: tf.Variable) => boolean,
  ): void;
  /** The optimizer's memory, by `slot/varName` (e.g. `m/h.0.attn.c_attn.weight`), for checkpoints. */
  getState(): Record<string, tf.Tensor>;
  /** Restore memory saved by getState (and the step count). */
  setState(state: Record<string, tf.Tensor>, steps: number): void;
  dispose(): void;
}

export type OptimizerKind = OptimizerSpec['kind'];

export const OPTIMIZER_KINDS: readonly OptimizerKind[] = [
  'sgd',
  'momentum',
  'momentum-ema',
  'nesterov',
  'adagrad',
  'rmsprop',
  'adam',
  'adamw',
  'pid',
] as const;

/** Usual hyper-parameters of each kind (PyTorch defaults where they exist; An et al.'s for PID). */
export function defaultOptimizerSpec(kind: OptimizerKind): OptimizerSpec {
  switch (kind) {
    case 'sgd':
      return { kind };
    case 'momentum':
      return { kind, beta: 0.9 };
    case 'momentum-ema':
      return { kind, gamma: 0.9 };
    case 'nesterov':
      return { kind, beta: 0.9 };
    case 'adagrad':
      return { kind, eps: 1e-10 };
    case 'rmsprop':
      return { kind, rho: 0.99, eps: 1e-8 };
    case 'adam':
      return { kind, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
    case 'adamw':
      return { kind, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 };
    case 'pid':
      return { kind, beta: 0.9, kd: 1, mu: 0.9 };
  }
}

/** The memory slots of each kind (names used in getState keys: `slot/varName`). */
export function optimizerSlots(kind: OptimizerKind): string[] {
  switch (kind) {
    case 'sgd':
      return [];
    case 'momentum':
    case 'nesterov':
      return ['z'];
    case 'momentum-ema':
      return ['v'];
    case 'adagrad':
      return ['G'];
    case 'rmsprop':
      return ['s'];
    case 'adam':
    case 'adamw':
      return ['m', 's'];
    case 'pid':
      return ['I', 'D', 'gprev'];
  }
}

export interface TensorOptimizerOptions {
  /**
   * which variables take adamw's weight decay: `'matrices'` (default; rank ≥ 2, the GPT-2 / nanoGPT
   * convention) or `'all'` (torch.optim.AdamW on one parameter group). `decay` overrides it.
   */
  decayOn?: 'matrices' | 'all';
  /** which variables take weight decay (adamw), by name and variable; overrides `decayOn` */
  decay?: (name: string, v: tf.Variable) => boolean;
  /** adagrad's initial accumulator G₀ (default 0; tfjs uses 0.1) */
  initialAccumulator?: number;
}

/** The default decay mask: matrices and embeddings yes, biases and gains no. */
export function decayRankAtLeast2(_name: string, v: { rank: number }): boolean {
  return v.rank >= 2;
}

class StateSpaceTensorOptimizer implements TensorOptimizer {
  readonly spec: OptimizerSpec;
  private t = 0;
  /** slot name → var name → memory (same shape as the variable) */
  private mem = new Map<string, Map<string, tf.Variable>>();
  private readonly decay: (name: string, v: tf.Variable) => boolean;
  private readonly g0: number;

  constructor(spec: OptimizerSpec, opts: TensorOptimizerOptions = {}) {
    this.spec = spec;
    this.decay = opts.decay ?? (opts.decayOn === 'all' ? () => true : decayRankAtLeast2);
    this.g0 = opts.initialAccumulator ?? 0;
    for (const s of optimizerSlots(spec.kind)) this.mem.set(s, new Map());
  }

  get steps(): number {
    return this.t;
  }

  private slot(slot: string, name: string, like: tf.Tensor, fill = 0): tf.Variable {
    const m = this.mem.get(slot)!;
    let v = m.get(name);
    if (!v) {
      v = tf.tidy(() => tf.variable(fill === 0 ? tf.zerosLike(like) : tf.fill(like.shape, fill), false, undefined, 'float32'));
      m.set(name, v);
    }
    return v;
  }

  step(
    vars: Record<string, tf.Variable>,
    grads: Record<string, tf.Tensor>,
    lr: number,
    decayMask?: (name: string, v: tf.Variable) => boolean,
  ): void {
    this.t += 1;
    const t = this.t;
    const sp = this.spec;
    const decay = decayMask ?? this.decay;
    for (const name of Object.keys(grads)) {
      const theta = vars[name];
      const g = grads[name];
      if (!theta || !g) continue;
      // slots must be created outside tidy (they are long-lived Variables)
      const slots = optimizerSlots(sp.kind).map((s) =>
        this.slot(s, name, theta, s === 'G' ? this.g0 : 0),
      );
      tf.tidy(() => {
        switch (sp.kind) {
          case 'sgd':
            theta.assign(tf.sub(theta, tf.mul(g, lr)));
            break;
          case 'momentum': {
            const [z] = slots as [tf.Variable];
            const zn = tf.add(tf.mul(z, sp.beta), g);
            z.assign(zn);
            theta.assign(tf.sub(theta, tf.mul(zn, lr)));
            break;
          }
          case 'momentum-ema': {
            const [v] = slots as [tf.Variable];
            const vn = tf.add(tf.mul(v, sp.gamma), tf.mul(g, 1 - sp.gamma));
            v.assign(vn);
            theta.assign(tf.sub(theta, tf.mul(vn, lr)));
            break;
          }
          case 'nesterov': {
            const [z] = slots as [tf.Variable];
            const zn = tf.add(tf.mul(z, sp.beta), g);
            z.assign(zn);
            theta.assign(tf.sub(theta, tf.mul(tf.add(g, tf.mul(zn, sp.beta)), lr)));
            break;
          }
          case 'adagrad': {
            const [G] = slots as [tf.Variable];
            const Gn = tf.add(G, tf.square(g));
            G.assign(Gn);
            theta.assign(tf.sub(theta, tf.mul(tf.div(g, tf.add(tf.sqrt(Gn), sp.eps)), lr)));
            break;
          }
          case 'rmsprop': {
            const [s] = slots as [tf.Variable];
            const sn = tf.add(tf.mul(s, sp.rho), tf.mul(tf.square(g), 1 - sp.rho));
            s.assign(sn);
            theta.assign(tf.sub(theta, tf.mul(tf.div(g, tf.add(tf.sqrt(sn), sp.eps)), lr)));
            break;
          }
          case 'adam':
          case 'adamw': {
            const [m, s] = slots as [tf.Variable, tf.Variable];
            const mn = tf.add(tf.mul(m, sp.beta1), tf.mul(g, 1 - sp.beta1));
            const sn = tf.add(tf.mul(s, sp.beta2), tf.mul(tf.square(g), 1 - sp.beta2));
            m.assign(mn);
            s.assign(sn);
            const bc1 = 1 - Math.pow(sp.beta1, t);
            const bc2 = 1 - Math.pow(sp.beta2, t);
            // m̂ / (√ŝ + ε) with m̂ = m/bc1, ŝ = s/bc2
            let upd: tf.Tensor = tf.div(tf.div(mn, bc1), tf.add(tf.sqrt(tf.div(sn, bc2)), sp.eps));
            if (sp.kind === 'adamw' && sp.weightDecay !== 0 && decay(name, theta)) {
              upd = tf.add(upd, tf.mul(theta, sp.weightDecay));
            }
            theta.assign(tf.sub(theta, tf.mul(upd, lr)));
            break;
          }
          case 'pid': {
            const [I, D, gprev] = slots as [tf.Variable, tf.Variable, tf.Variable];
            const In = tf.add(tf.mul(I, sp.beta), g);
            // D is 0 at the first step (no previous gradient), as in An et al.'s code
            const dg = t === 1 ? tf.zerosLike(g) : tf.sub(g, gprev);
            const Dn = tf.add(tf.mul(D, sp.mu), tf.mul(dg, 1 - sp.mu));
            I.assign(In);
            D.assign(Dn);
            gprev.assign(tf.clone(g));
            theta.assign(tf.sub(theta, tf.mul(tf.add(In, tf.mul(Dn, sp.kd)), lr)));
            break;
          }
        }
      });
    }
  }

  getState(): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    for (const [slot, m] of this.mem) for (const [name, v] of m) out[`${slot}/${name}`] = tf.clone(v);
    return out;
  }

  setState(state: Record<string, tf.Tensor>, steps: number): void {
    for (const [key, value] of Object.entries(state)) {
      const i = key.indexOf('/');
      const slot = key.slice(0, i);
      const name = key.slice(i + 1);
      const m = this.mem.get(slot);
      if (!m) throw new Error(`optimizer ${this.spec.kind} has no slot "${slot}" (state key ${key})`);
      const old = m.get(name);
      if (old && old.shape.join() === value.shape.join()) old.assign(tf.cast(value, 'float32'));
      else {
        old?.dispose();
        m.set(name, tf.variable(tf.tidy(() => tf.cast(value, 'float32')), false));
      }
    }
    this.t = steps;
  }

  dispose(): void {
    for (const m of this.mem.values()) {
      for (const v of m.values()) v.dispose();
      m.clear();
    }
  }
}

/** The tfjs optimizer of a spec. Call `step(vars, grads, lr)` once per training step; it does not grow memory. */
export function createTensorOptimizer(spec: OptimizerSpec, opts?: TensorOptimizerOptions): TensorOptimizer {
  return new StateSpaceTensorOptimizer(spec, opts);
}

// ---------------------------------------------------------------------------------------------
// float64 reference

/**
 * The same update maps on a flat Float64Array θ (N parameters). `decay` marks which coordinates
 * take adamw's weight decay (default: all). Used by tests, by the 2×2 analyses and by the plots.
 */
export class StateSpaceOptimizer {
  readonly spec: OptimizerSpec;
  readonly n: number;
  t = 0;
  /** slot → memory (N) */
  readonly state: Record<string, Float64Array> = {};
  private readonly decay: Float64Array;

  constructor(spec: OptimizerSpec, n: number, opts: { decay?: ArrayLike<number | boolean>; initialAccumulator?: number } = {}) {
    this.spec = spec;
    this.n = n;
    for (const s of optimizerSlots(spec.kind)) this.state[s] = new Float64Array(n).fill(s === 'G' ? (opts.initialAccumulator ?? 0) : 0);
    this.decay = new Float64Array(n).fill(1);
    if (opts.decay) for (let i = 0; i < n; i++) this.decay[i] = opts.decay[i] ? 1 : 0;
  }

  /** One step of the update map, in place on θ (N). */
  step(theta: Float64Array, g: ArrayLike<number>, lr: number): void {
    this.t += 1;
    const t = this.t;
    const sp = this.spec;
    const S = this.state;
    const n = this.n;
    switch (sp.kind) {
      case 'sgd':
        for (let i = 0; i < n; i++) theta[i]! -= lr * g[i]!;
        break;
      case 'momentum': {
        const z = S.z!;
        for (let i = 0; i < n; i++) {
          z[i] = sp.beta * z[i]! + g[i]!;
          theta[i]! -= lr * z[i]!;
        }
        break;
      }
      case 'momentum-ema': {
        const v = S.v!;
        for (let i = 0; i < n; i++) {
          v[i] = sp.gamma * v[i]! + (1 - sp.gamma) * g[i]!;
          theta[i]! -= lr * v[i]!;
        }
        break;
      }
      case 'nesterov': {
        const z = S.z!;
        for (let i = 0; i < n; i++) {
          z[i] = sp.beta * z[i]! + g[i]!;
          theta[i]! -= lr * (g[i]! + sp.beta * z[i]!);
        }
        break;
      }
      case 'adagrad': {
        const G = S.G!;
        for (let i = 0; i < n; i++) {
          G[i] = G[i]! + g[i]! * g[i]!;
          theta[i]! -= (lr * g[i]!) / (Math.sqrt(G[i]!) + sp.eps);
        }
        break;
      }
      case 'rmsprop': {
        const s = S.s!;
        for (let i = 0; i < n; i++) {
          s[i] = sp.rho * s[i]! + (1 - sp.rho) * g[i]! * g[i]!;
          theta[i]! -= (lr * g[i]!) / (Math.sqrt(s[i]!) + sp.eps);
        }
        break;
      }
      case 'adam':
      case 'adamw': {
        const m = S.m!;
        const s = S.s!;
        const bc1 = 1 - Math.pow(sp.beta1, t);
        const bc2 = 1 - Math.pow(sp.beta2, t);
        const wd = sp.kind === 'adamw' ? sp.weightDecay : 0;
        for (let i = 0; i < n; i++) {
          m[i] = sp.beta1 * m[i]! + (1 - sp.beta1) * g[i]!;
          s[i] = sp.beta2 * s[i]! + (1 - sp.beta2) * g[i]! * g[i]!;
          const upd = m[i]! / bc1 / (Math.sqrt(s[i]! / bc2) + sp.eps) + wd * this.decay[i]! * theta[i]!;
          theta[i]! -= lr * upd;
        }
        break;
      }
      case 'pid': {
        const I = S.I!;
        const D = S.D!;
        const gp = S.gprev!;
        for (let i = 0; i < n; i++) {
          I[i] = sp.beta * I[i]! + g[i]!;
          const dg = t === 1 ? 0 : g[i]! - gp[i]!;
          D[i] = sp.mu * D[i]! + (1 - sp.mu) * dg;
          gp[i] = g[i]!;
          theta[i]! -= lr * (I[i]! + sp.kd * D[i]!);
        }
        break;
      }
    }
  }
}

/**
 * Run an optimizer for `steps` steps on a function given by its gradient (float64), returning
 * θ after each step (steps+1 rows, the first is θ₀). `lr` may be a number or a schedule.
 */
export function trajectoryF64(
  spec: OptimizerSpec,
  theta0: ArrayLike<number>,
  grad: (theta: Float64Array) => ArrayLike<number>,
  steps: number,
  lr: number | ((t: number) => number),
  opts?: { decay?: ArrayLike<number | boolean>; initialAccumulator?: number },
): Float64Array[] {
  const theta = Float64Array.from(theta0);
  const opt = new StateSpaceOptimizer(spec, theta.length, opts);
  const out = [Float64Array.from(theta)];
  for (let k = 0; k < steps; k++) {
    opt.step(theta, grad(theta), typeof lr === 'number' ? lr : lr(k));
    out.push(Float64Array.from(theta));
  }
  return out;
}
