import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine, tf } from '../../../src/engine/tf.js';
import { Rng } from '../../../src/engine/rng.js';
import {
  PENDULUM,
  SPRING,
  hamiltonianAndGradient,
  initDynamicsModel,
  leastSquaresInvMass,
  makePhaseData,
  modelField,
  modelField64,
  rk4Step,
  rolloutReference,
  rolloutTensor,
} from '../../../src/lenses/perception/hamiltonian.js';
import { physicsEvidence, physicsPrior } from '../../../src/lenses/perception/physics-prior.js';
import { deriveVerdict } from '../../../src/experiments/verdict.js';
import { runExperiment } from '../../../src/experiments/runner.js';
import { nodeHost } from '../../../src/experiments/node-host.js';
import type { Experiment } from '../../../src/experiments/contract.js';

beforeAll(async () => {
  await initEngine();
});

describe('float64 reference systems', () => {
  it('RK4 on the spring matches the closed form and is fourth order', () => {
    // H = q² + p²: q(t) = q0 cos 2t + p0 sin 2t, p(t) = p0 cos 2t − q0 sin 2t
    const [q0, p0, T] = [0.7, -0.3, 5];
    const errAt = (dt: number) => {
      const steps = Math.round(T / dt);
      const r = rolloutReference(SPRING, q0, p0, dt, steps);
      const q = q0 * Math.cos(2 * T) + p0 * Math.sin(2 * T);
      const p = p0 * Math.cos(2 * T) - q0 * Math.sin(2 * T);
      return Math.hypot(r.q[steps]! - q, r.p[steps]! - p);
    };
    expect(errAt(0.01)).toBeLessThan(5e-8);
    const ratio = errAt(0.1) / errAt(0.05);
    expect(ratio).toBeGreaterThan(14); // 2^4 = 16
    expect(ratio).toBeLessThan(18);
  });

  it('the pendulum conserves energy under fine RK4 and the field is the symplectic gradient of H', () => {
    const r = rolloutReference(PENDULUM, 1.2, 0.4, 0.01, 2000);
    const e0 = PENDULUM.energy(1.2, 0.4);
    for (let t = 0; t <= 2000; t += 100) expect(Math.abs(PENDULUM.energy(r.q[t]!, r.p[t]!) - e0)).toBeLessThan(1e-8);
    const h = 1e-6;
    const [q, p] = [0.8, -0.5];
    const [dq, dp] = PENDULUM.field(q, p);
    expect(dq).toBeCloseTo((PENDULUM.energy(q, p + h) - PENDULUM.energy(q, p - h)) / (2 * h), 6);
    expect(dp).toBeCloseTo(-(PENDULUM.energy(q + h, p) - PENDULUM.energy(q - h, p)) / (2 * h), 6);
  });

  it('the tfjs RK4 integrator agrees with the float64 one on the true field', async () => {
    const x0 = Float32Array.of(0.5, 0.1, -1.0, 0.9);
    const roll = await rolloutTensor((x) => PENDULUM.fieldTensor(x), x0, 2, 0.1, 200);
    for (let i = 0; i < 2; i++) {
      const ref = rolloutReference(PENDULUM, x0[2 * i]!, x0[2 * i + 1]!, 0.1, 200);
      expect(Math.abs(roll[(200 * 2 + i) * 2]! - ref.q[200]!)).toBeLessThan(1e-3);
      expect(Math.abs(roll[(200 * 2 + i) * 2 + 1]! - ref.p[200]!)).toBeLessThan(1e-3);
    }
    // one step by hand
    const [q1, p1] = rk4Step(PENDULUM.field, 0.5, 0.1, 0.1);
    expect(roll[4]).toBeCloseTo(q1, 5);
    expect(roll[5]).toBeCloseTo(p1, 5);
  });

  it('data follow the recipe: radii in range, targets are the true field', () => {
    const d = makePhaseData(SPRING, 3, 0, new Rng(3));
    expect(d.n).toBe(90);
    for (let k = 0; k < d.n; k++) {
      const r = Math.hypot(d.x[2 * k]!, d.x[2 * k + 1]!);
      expect(r).toBeGreaterThan(0.1 - 1e-4);
      expect(r).toBeLessThan(1.0 + 1e-4);
      const [dq, dp] = SPRING.field(d.x[2 * k]!, d.x[2 * k + 1]!);
      expect(d.dx[2 * k]).toBeCloseTo(dq, 4);
      expect(d.dx[2 * k + 1]).toBeCloseTo(dp, 4);
    }
  });
});

describe('learned fields', () => {
  it("the explicit input gradient equals tfjs's own tf.grad and the float64 field", () => {
    const m = initDynamicsModel('hnn', 16, new Rng(5));
    const xs = [
      [0.3, -0.7],
      [1.1, 0.4],
    ];
    const explicit = tf.tidy(() => hamiltonianAndGradient(m.spec, m.vars, tf.tensor2d(xs)).dHdx.arraySync());
    const auto = tf.tidy(() => (tf.grad((x: tf.Tensor) => hamiltonianAndGradient(m.spec, m.vars, x as tf.Tensor2D).H.sum())(tf.tensor2d(xs)) as tf.Tensor2D).arraySync());
    const f64 = modelField64(m);
    for (let i = 0; i < 2; i++) {
      expect(explicit[i]![0]).toBeCloseTo(auto[i]![0]!, 5);
      expect(explicit[i]![1]).toBeCloseTo(auto[i]![1]!, 5);
      const [dq, dp] = f64(xs[i]![0]!, xs[i]![1]!);
      expect(dq).toBeCloseTo(explicit[i]![1]!, 5); // dq/dt = ∂H/∂p
      expect(dp).toBeCloseTo(-explicit[i]![0]!, 5); // dp/dt = −∂H/∂q
    }
    tf.dispose(Object.values(m.vars));
  });

  it('the HNN training gradient (through the input gradient) matches finite differences', () => {
    const m = initDynamicsModel('hnn', 8, new Rng(9));
    const x = tf.tensor2d([
      [0.3, 0.5],
      [1, -0.2],
      [-0.4, 0.9],
    ]);
    const y = tf.tensor2d([
      [1, 0],
      [0, 1],
      [0.5, -0.5],
    ]);
    const loss = () => tf.mean(tf.square(tf.sub(modelField(m, x), y))) as tf.Scalar;
    const { grads } = tf.variableGrads(loss);
    const eps = 1e-2;
    for (const name of ['fc0.weight', 'fc0.bias', 'fc1.weight']) {
      const v = m.vars[name]!;
      const g = grads[v.name]!.dataSync();
      const base = v.dataSync().slice();
      for (const idx of [0, 3]) {
        const at = (d: number) => {
          const w = base.slice();
          w[idx]! += d;
          v.assign(tf.tensor(w, v.shape));
          return loss().dataSync()[0]!;
        };
        const fd = (at(eps) - at(-eps)) / (2 * eps);
        v.assign(tf.tensor(base, v.shape));
        expect(Math.abs(g[idx]! - fd)).toBeLessThan(2e-3 + 0.02 * Math.abs(fd));
      }
    }
    tf.dispose([x, y, ...Object.values(grads), ...Object.values(m.vars)]);
  });

  it('the baseline float64 field equals its tensor field', () => {
    const m = initDynamicsModel('baseline', 12, new Rng(2));
    const out = tf.tidy(() => modelField(m, tf.tensor2d([[0.2, -0.9]])).arraySync()[0]!);
    const [a, b] = modelField64(m)(0.2, -0.9);
    expect(a).toBeCloseTo(out[0]!, 5);
    expect(b).toBeCloseTo(out[1]!, 5);
    tf.dispose(Object.values(m.vars));
  });
  it('the F = ma net starts from the least-squares 1/m of its data: 2 for both systems (H = q² + p²: m = 1/2)', () => {
    for (const sys of [SPRING, PENDULUM]) expect(leastSquaresInvMass(makePhaseData(sys, 25, 0.05, new Rng(4)))).toBeGreaterThan(1.9);
    for (const sys of [SPRING, PENDULUM]) expect(leastSquaresInvMass(makePhaseData(sys, 25, 0, new Rng(4)))).toBeCloseTo(2, 9);
  });

  it('the F = ma net: dq/dt = p/m exactly, dp/dt depends on q alone, float64 equals tensor', () => {
    const m = initDynamicsModel('newton', 12, new Rng(3));
    m.vars.inv_mass!.assign(tf.scalar(2));
    const out = tf.tidy(() => modelField(m, tf.tensor2d([[0.2, -0.9], [0.2, 0.4]])).arraySync());
    expect(out[0]![0]).toBeCloseTo(-1.8, 6);
    expect(out[1]![1]).toBeCloseTo(out[0]![1]!, 6); // same q, different p: same force
    const [a, b] = modelField64(m)(0.2, -0.9);
    expect(a).toBeCloseTo(out[0]![0]!, 5);
    expect(b).toBeCloseTo(out[0]![1]!, 5);
    tf.dispose(Object.values(m.vars));
  });
});

describe('perception.physics-prior', () => {
  const judge = (rows: [string, number, number][]) =>
    deriveVerdict(
      physicsPrior.criteria!['perc.physics-prior']!,
      physicsEvidence(rows.map(([name, newton, hnn]) => ({ name, ratio: { newton, hnn }, baseline: 1, newton: 1 / newton, hnn: 1 / hnn }))),
    );
  it('reproduced only when F = ma at least halves the energy error on every system; the HNN does not decide', () => {
    expect(judge([['spring', 300, 400], ['pendulum', 2.5, 1.7]])).toBe('reproduced');
    expect(judge([['spring', 2, 0.5]])).toBe('reproduced');
    // the paper's model alone is not the seed's prior
    expect(judge([['spring', 1.5, 400], ['pendulum', 1.2, 50]])).toBe('not-reproduced');
    expect(judge([['spring', 300, 400], ['pendulum', 1.9, 1.7]])).toBe('partly');
    expect(judge([['spring', 0.9, 3]])).toBe('not-reproduced');
    expect(judge([])).toBe('not-reproduced');
  });

  it('quick preset: F = ma and the HNN conserve energy better than the baseline over a 1,000-step rollout', async () => {
    const before = tf.memory().numTensors;
    const r = await runExperiment(physicsPrior as unknown as Experiment, nodeHost(), { preset: 'quick', seed: 1 });
    expect(r.params.rolloutSteps).toBe(1000);
    const m = Object.fromEntries(r.metrics.map((x) => [x.name, x.value]));
    expect(m.spring_energy_mse_hnn!).toBeLessThan(m.spring_energy_mse_baseline! / 2);
    // one-step errors are comparable: the gap comes from the structure, not a better fit
    expect(m.spring_onestep_mse_hnn!).toBeLessThan(3 * m.spring_onestep_mse_baseline!);
    expect(r.verdicts[0]!.claim).toBe('perc.physics-prior');
    expect(r.verdicts[0]!.criteria).toEqual(physicsPrior.criteria!['perc.physics-prior']);
    expect(r.figures.length).toBeGreaterThanOrEqual(3);
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });
});
