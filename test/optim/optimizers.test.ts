/**
 * Every optimizer against an outside reference, 50 steps on one fixed function:
 * - tfjs's own tf.train.sgd / momentum / momentum(nesterov) / adam / rmsprop / adagrad (float32, same gradients);
 * - for all kinds, the hand-derived closed form of each linear recursion — the state written as an
 *   explicit sum over the gradient history (z_t = Σ β^{t−j} g_j, m_t = (1−β₁) Σ β₁^{t−j} g_j, …) — in float64,
 *   against the recursive float64 StateSpaceOptimizer and against the tfjs TensorOptimizer;
 * - AdamW's closed form under a constant gradient, and its mask (decay on rank ≥ 2 only).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine, tf } from '../../src/engine/tf.js';
import {
  createTensorOptimizer,
  defaultOptimizerSpec,
  OPTIMIZER_KINDS,
  StateSpaceOptimizer,
  type OptimizerSpec,
} from '../../src/optim/optimizers.js';

beforeAll(async () => {
  await initEngine();
});

const STEPS = 50;
// f(a, W, b) = ½Σ c_i a_i² + 0.05 Σ a_i⁴ + ½ Σ d_ij W_ij² + ½ Σ e_j (b_j − 1)²   (a [4], W [2,3], b [3])
const C = [1, 2, 5, 0.5];
const Dm = [1, 3, 0.3, 2, 0.7, 4];
const E = [1, 2, 0.5];
const A0 = [1, -1.5, 0.8, 2];
const W0 = [1, -1, 0.5, -0.5, 1.2, 0.8];
const B0 = [0, 0.3, -0.4];
const N = 13;

function gradF64(th: ArrayLike<number>): Float64Array {
  const g = new Float64Array(N);
  for (let i = 0; i < 4; i++) g[i] = C[i]! * th[i]! + 0.2 * th[i]! ** 3;
  for (let i = 0; i < 6; i++) g[4 + i] = Dm[i]! * th[4 + i]!;
  for (let i = 0; i < 3; i++) g[10 + i] = E[i]! * (th[10 + i]! - 1);
  return g;
}
const decayMaskF64 = Array.from({ length: N }, (_, i) => (i >= 4 && i < 10 ? 1 : 0)); // W only (rank 2)

function makeVars(prefix: string): Record<string, tf.Variable> {
  return {
    a: tf.variable(tf.tensor1d(A0), true, `${prefix}a`),
    W: tf.variable(tf.tensor2d(W0, [2, 3]), true, `${prefix}W`),
    b: tf.variable(tf.tensor1d(B0), true, `${prefix}b`),
  };
}
function lossOf(v: Record<string, tf.Tensor>): tf.Scalar {
  const c = tf.tensor1d(C);
  const d = tf.tensor2d(Dm, [2, 3]);
  const e = tf.tensor1d(E);
  const a = v.a!;
  return tf.addN([
    tf.mul(0.5, tf.sum(tf.mul(c, tf.square(a)))),
    tf.mul(0.05, tf.sum(tf.pow(a, 4))),
    tf.mul(0.5, tf.sum(tf.mul(d, tf.square(v.W!)))),
    tf.mul(0.5, tf.sum(tf.mul(e, tf.square(tf.sub(v.b!, 1))))),
  ]) as tf.Scalar;
}
function gradsOf(vars: Record<string, tf.Variable>): Record<string, tf.Tensor> {
  return tf.tidy(() => {
    const { grads } = tf.variableGrads(() => lossOf(vars), Object.values(vars));
    const out: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(vars)) out[k] = grads[v.name]!;
    return out;
  });
}
function flat(vars: Record<string, tf.Tensor>): Float64Array {
  return Float64Array.from([...vars.a!.dataSync(), ...vars.W!.dataSync(), ...vars.b!.dataSync()]);
}
function relErr(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < y.length; i++) {
    d += (x[i]! - y[i]!) ** 2;
    n += y[i]! ** 2;
  }
  return Math.sqrt(d / n);
}

const LR: Record<string, number> = {
  sgd: 0.05, momentum: 0.02, 'momentum-ema': 0.1, nesterov: 0.02, adagrad: 0.3, rmsprop: 0.01, adam: 0.05, adamw: 0.05, pid: 0.02,
};
const SPECS: Record<string, OptimizerSpec> = {
  sgd: { kind: 'sgd' },
  momentum: { kind: 'momentum', beta: 0.9 },
  'momentum-ema': { kind: 'momentum-ema', gamma: 0.8 },
  nesterov: { kind: 'nesterov', beta: 0.9 },
  adagrad: { kind: 'adagrad', eps: 0 },
  rmsprop: { kind: 'rmsprop', rho: 0.9, eps: 1e-10 },
  adam: { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  adamw: { kind: 'adamw', beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 },
  pid: { kind: 'pid', beta: 0.9, kd: 3, mu: 0.8 },
};
const ADAGRAD_G0 = 0.1;

/** Our tensor optimizer's trajectory (STEPS+1 rows). */
function runOurs(kind: string): Float64Array[] {
  const vars = makeVars(`ours-${kind}-`);
  const opt = createTensorOptimizer(SPECS[kind]!, { initialAccumulator: kind === 'adagrad' ? ADAGRAD_G0 : 0 });
  const out = [flat(vars)];
  for (let t = 0; t < STEPS; t++) {
    const g = gradsOf(vars);
    opt.step(vars, g, LR[kind]!);
    tf.dispose(Object.values(g));
    out.push(flat(vars));
  }
  opt.dispose();
  tf.dispose(Object.values(vars));
  return out;
}

/**
 * The closed form of each recursion, as an explicit sum over the gradient history g_0..g_t, float64.
 * θ_{t+1} = θ_t − η u_t with u_t given directly by sums — no recursive state.
 */
function closedForm(kind: string): Float64Array[] {
  const sp = SPECS[kind]!;
  const eta = LR[kind]!;
  const th = Float64Array.from([...A0, ...W0, ...B0]);
  const hist: Float64Array[] = [];
  const out = [Float64Array.from(th)];
  for (let t = 0; t < STEPS; t++) {
    hist.push(gradF64(th));
    const T = t + 1; // steps taken after this one (bias-correction exponent)
    for (let i = 0; i < N; i++) {
      const sum = (w: (age: number) => number, f: (g: Float64Array, j: number) => number) => {
        let s = 0;
        for (let j = 0; j <= t; j++) s += w(t - j) * f(hist[j]!, j);
        return s;
      };
      const gi = (g: Float64Array) => g[i]!;
      let u = 0;
      switch (sp.kind) {
        case 'sgd':
          u = hist[t]![i]!;
          break;
        case 'momentum':
          u = sum((k) => sp.beta ** k, gi);
          break;
        case 'momentum-ema':
          u = (1 - sp.gamma) * sum((k) => sp.gamma ** k, gi);
          break;
        case 'nesterov':
          u = hist[t]![i]! + sp.beta * sum((k) => sp.beta ** k, gi);
          break;
        case 'adagrad':
          u = hist[t]![i]! / Math.sqrt(ADAGRAD_G0 + sum(() => 1, (g) => g[i]! ** 2));
          break;
        case 'rmsprop':
          u = hist[t]![i]! / (Math.sqrt((1 - sp.rho) * sum((k) => sp.rho ** k, (g) => g[i]! ** 2)) + sp.eps);
          break;
        case 'adam':
        case 'adamw': {
          const m = ((1 - sp.beta1) * sum((k) => sp.beta1 ** k, gi)) / (1 - sp.beta1 ** T);
          const v = ((1 - sp.beta2) * sum((k) => sp.beta2 ** k, (g) => g[i]! ** 2)) / (1 - sp.beta2 ** T);
          u = m / (Math.sqrt(v) + sp.eps) + (sp.kind === 'adamw' ? sp.weightDecay * decayMaskF64[i]! * th[i]! : 0);
          break;
        }
        case 'pid': {
          const I = sum((k) => sp.beta ** k, gi);
          const D = (1 - sp.mu) * sum((k) => sp.mu ** k, (g, j) => (j === 0 ? 0 : g[i]! - hist[j - 1]![i]!));
          u = I + sp.kd * D;
          break;
        }
      }
      th[i]! -= eta * u;
    }
    out.push(Float64Array.from(th));
  }
  return out;
}

function runF64(kind: string): Float64Array[] {
  const th = Float64Array.from([...A0, ...W0, ...B0]);
  const opt = new StateSpaceOptimizer(SPECS[kind]!, N, { decay: decayMaskF64, initialAccumulator: ADAGRAD_G0 });
  const out = [Float64Array.from(th)];
  for (let t = 0; t < STEPS; t++) {
    opt.step(th, gradF64(th), LR[kind]!);
    out.push(Float64Array.from(th));
  }
  return out;
}

function tfjsReference(kind: string): tf.Optimizer | undefined {
  const lr = LR[kind]!;
  const sp = SPECS[kind]!;
  if (sp.kind === 'sgd') return tf.train.sgd(lr);
  if (sp.kind === 'momentum') return tf.train.momentum(lr, sp.beta);
  if (sp.kind === 'nesterov') return tf.train.momentum(lr, sp.beta, true);
  if (sp.kind === 'adam') return tf.train.adam(lr, sp.beta1, sp.beta2, sp.eps);
  // tfjs rmsprop: g/√(s+ε) — equal to ours g/(√s+ε) when ε is negligible (ε = 1e-10 both sides)
  if (sp.kind === 'rmsprop') return tf.train.rmsprop(lr, sp.rho, 0, sp.eps);
  // tfjs adagrad: g/√(G+1e-7) with G₀ = 0.1; ours eps = 0, same G₀
  if (sp.kind === 'adagrad') return tf.train.adagrad(lr, ADAGRAD_G0);
  return undefined;
}

describe('optimizers: trajectories against outside references (50 steps)', () => {
  for (const kind of ['sgd', 'momentum', 'nesterov', 'adam', 'rmsprop', 'adagrad']) {
    it(`${kind}: our tfjs optimizer = tf.train's own within 1e-5 relative`, () => {
      const ref = tfjsReference(kind)!;
      const vars = makeVars(`ref-${kind}-`);
      const theirs = [flat(vars)];
      for (let t = 0; t < STEPS; t++) {
        const g = gradsOf(vars);
        ref.applyGradients(Object.fromEntries(Object.entries(vars).map(([k, v]) => [v.name, g[k]!])));
        tf.dispose(Object.values(g));
        theirs.push(flat(vars));
      }
      ref.dispose();
      tf.dispose(Object.values(vars));
      const ours = runOurs(kind);
      const worst = Math.max(...ours.map((x, t) => relErr(x, theirs[t]!)));
      expect(worst).toBeLessThan(1e-5);
      // and it actually moved
      expect(relErr(ours[STEPS]!, ours[0]!)).toBeGreaterThan(0.1);
    });
  }

  for (const kind of OPTIMIZER_KINDS) {
    it(`${kind}: float64 recursion = closed-form sums (1e-10), tfjs optimizer = closed form (1e-5)`, () => {
      const cf = closedForm(kind);
      const rec = runF64(kind);
      const ours = runOurs(kind);
      expect(Math.max(...rec.map((x, t) => relErr(x, cf[t]!)))).toBeLessThan(1e-10);
      expect(Math.max(...ours.map((x, t) => relErr(x, cf[t]!)))).toBeLessThan(1e-5);
    });
  }
});

describe('AdamW', () => {
  it('decays only rank ≥ 2 params by default; with zero gradient θ_t = (1−ηλ)^t θ₀ exactly', () => {
    const vars = { W: tf.variable(tf.tensor2d([[1, -2], [3, 0.5]])), b: tf.variable(tf.tensor1d([1, 2])) };
    const opt = createTensorOptimizer({ kind: 'adamw', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 });
    for (let t = 0; t < STEPS; t++) {
      const g = { W: tf.zeros([2, 2]), b: tf.zeros([2]) };
      opt.step(vars, g, 0.01);
      tf.dispose(Object.values(g));
    }
    const f = (1 - 0.01 * 0.1) ** STEPS;
    const W = vars.W.dataSync();
    [1, -2, 3, 0.5].forEach((w0, i) => expect(W[i]! / (w0 * f)).toBeCloseTo(1, 5));
    expect(Array.from(vars.b.dataSync())).toEqual([1, 2]);
    opt.dispose();
    tf.dispose(Object.values(vars));
  });

  it('constant gradient: θ_t = (1−ηλ)^t θ₀ − (s/λ)(1 − (1−ηλ)^t), s = g/(|g|+ε)', () => {
    const eta = 0.05;
    const lam = 0.2;
    const g = -0.7;
    const vars = { W: tf.variable(tf.tensor2d([[2]])) };
    const opt = createTensorOptimizer({ kind: 'adamw', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: lam });
    const gt = { W: tf.tensor2d([[g]]) };
    for (let t = 1; t <= STEPS; t++) {
      opt.step(vars, gt, eta);
      const r = (1 - eta * lam) ** t;
      const s = g / (Math.abs(g) + 1e-8);
      const expected = r * 2 - (s / lam) * (1 - r);
      expect(Math.abs(vars.W.dataSync()[0]! - expected) / Math.abs(expected)).toBeLessThan(1e-5);
    }
    opt.dispose();
    tf.dispose([vars.W, gt.W]);
  });
});

describe('TensorOptimizer bookkeeping', () => {
  it('no tensor growth over steps, and getState/setState resumes the same trajectory', () => {
    for (const kind of OPTIMIZER_KINDS) {
      const spec = defaultOptimizerSpec(kind);
      const vars = makeVars(`mem-${kind}-`);
      const opt = createTensorOptimizer(spec);
      const stepOnce = (o: typeof opt, v: Record<string, tf.Variable>) => {
        const g = gradsOf(v);
        o.step(v, g, 0.01);
        tf.dispose(Object.values(g));
      };
      stepOnce(opt, vars);
      const before = tf.memory().numTensors;
      for (let t = 0; t < 10; t++) stepOnce(opt, vars);
      expect(tf.memory().numTensors, kind).toBe(before);

      // checkpoint, continue 10 steps; restore into a fresh optimizer on copies, continue 10 steps
      const saved = opt.getState();
      const copies = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, tf.variable(v.clone(), true, `copy-${kind}-${k}`)]));
      const opt2 = createTensorOptimizer(spec);
      opt2.setState(saved, opt.steps);
      expect(opt2.steps).toBe(11);
      for (let t = 0; t < 10; t++) {
        stepOnce(opt, vars);
        stepOnce(opt2, copies);
      }
      expect(Array.from(flat(copies))).toEqual(Array.from(flat(vars)));
      tf.dispose(Object.values(saved));
      opt.dispose();
      opt2.dispose();
      tf.dispose([...Object.values(vars), ...Object.values(copies)]);
    }
  });
});
