/**
 * The optimizer interface: every optimizer is an explicit discrete-time state-space system.
 *
 *   state  x_t  = (θ_t, and the optimizer's own memory: velocity, moments, integral, derivative…)
 *   input  u_t  = g_t = ∇L(θ_t)            (the measured error signal)
 *   update x_{t+1} = F(x_t, u_t; η_t)       (the controller)
 *
 * Two implementations of the same update map live side by side (control issue):
 * - `TensorOptimizer` works on tfjs Variables (the tiny GPT and every lens train through it);
 * - a Float64Array reference (`StateSpaceOptimizer` in optimizers.ts) for tests and plots.
 */
import type { tf } from '../engine/tf.js';

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
   * (optional) says which variables take weight decay (by name; default: all of rank ≥ 2).
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
