/**
 * The control experiments beyond momentum-dynamics: quick presets pin the phenomena, and each verdict
 * function is shown to follow its numbers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../../../src/experiments/runner.js';
import { nodeHost } from '../../../src/experiments/node-host.js';
import type { Experiment, ExperimentResult } from '../../../src/experiments/contract.js';
import { initEngine } from '../../../src/engine/tf.js';
import { Rng } from '../../../src/engine/rng.js';
import { lyapunovLr, lyapunovVerdict } from '../../../src/lenses/control/lyapunov-lr.js';
import { adamPiVerdict, leastSquares, pidOptimizer } from '../../../src/lenses/control/pid-optimizer.js';
import { scheduleVerdicts, schedulesExperiment } from '../../../src/lenses/control/schedules-exp.js';
import { clippingVerdict, countSpikes, gradientClipping } from '../../../src/lenses/control/gradient-clipping.js';
import { feedbackLr, LossFeedbackLR } from '../../../src/lenses/control/feedback-lr.js';
import { addingBatch, initRnn, oneNeuron, rnnLossGrad } from '../../../src/lenses/control/rnn.js';
import { fdHvpF64, powerIterationF64 } from '../../../src/lenses/control/sharpness.js';
import { stepResponse } from '../../../src/lenses/control/dynamics.js';

beforeAll(async () => {
  await initEngine();
});

const run = (e: unknown) => runExperiment(e as Experiment, nodeHost(), { preset: 'quick', seed: 1 });
const metric = (r: ExperimentResult, name: string) => r.metrics.find((m) => m.name === name)!.value;

describe('control.lyapunov-lr', () => {
  it('power iteration on HVPs finds λ_max; the stability limit sits at 2/λ_max (within 2%)', async () => {
    const r = await run(lyapunovLr);
    expect(metric(r, 'quad_lambda_max_power')).toBeCloseTo(5, 4);
    expect(Math.abs(metric(r, 'quad_eta_crit') / (2 / 5) - 1)).toBeLessThan(0.02);
    expect(metric(r, 'quad_monotone_fraction_below')).toBe(1);
    expect(metric(r, 'mlp_sharpness_init')).toBeGreaterThan(0);
    expect(['reproduced', 'partly']).toContain(r.verdicts[0]!.verdict);
  });
  it('power iteration on a diagonal operator', () => {
    const d = Float64Array.from([1, 3, 7, 2]);
    const grad = (w: Float64Array) => w.map((x, i) => d[i]! * x);
    const { lambda } = powerIterationF64((v) => fdHvpF64(grad, new Float64Array(4), v), 4, new Rng(3), 200);
    expect(lambda).toBeCloseTo(7, 6);
  });
  it('verdict follows the numbers', () => {
    const base = { quadCritRatio: 1.0003, mlpMonotoneMaxMult: 0.95, mlpTrainsMaxMult: 2, eosSharpnessRatio: 1.0, eosLossIncreaseFraction: 0.4 };
    expect(lyapunovVerdict(base).verdict).toBe('partly');
    expect(lyapunovVerdict({ ...base, mlpTrainsMaxMult: 1, eosSharpnessRatio: 0.6, eosLossIncreaseFraction: 0 }).verdict).toBe('reproduced');
    expect(lyapunovVerdict({ ...base, quadCritRatio: 1.3 }).verdict).toBe('not-reproduced');
  });
});

describe('control.pid-optimizer', () => {
  it('Adam is scale invariant, momentum is not; PI fits Adam only with its gain divided out', async () => {
    const r = await run(pidOptimizer);
    expect(metric(r, 'adam_loss_scale_deviation')).toBeLessThan(1e-5);
    expect(metric(r, 'momentum_loss_scale_deviation')).toBeGreaterThan(0.1);
    expect(metric(r, 'adam_pi_r2_gain_normalised')).toBeGreaterThan(0.999);
    expect(metric(r, 'adam_pi_r2_pooled')).toBeLessThan(0.9);
    expect(metric(r, 'quad_overshoot_momentum')).toBeGreaterThan(0.05);
    expect(metric(r, 'quad_overshoot_pid_best')).toBeLessThan(metric(r, 'quad_overshoot_momentum'));
    expect(r.verdicts[0]!.verdict).toBe('partly');
  });
  it('least squares and the verdict', () => {
    const a = Float64Array.from([1, 2, 3, 4]);
    const b = Float64Array.from([1, 0, 1, 0]);
    const y = a.map((x, i) => 2 * x - b[i]!);
    const f = leastSquares([a, b], y);
    expect(f.b[0]).toBeCloseTo(2, 10);
    expect(f.b[1]).toBeCloseTo(-1, 10);
    expect(f.r2).toBeCloseTo(1, 12);
    const e = { r2Pooled: 0.17, r2PerScaleMin: 0.4, r2GainNormalised: 1, adamScaleDeviation: 3e-8, momentumScaleDeviation: 1e6 };
    expect(adamPiVerdict(e).verdict).toBe('partly');
    expect(adamPiVerdict({ ...e, r2Pooled: 0.95 }).verdict).toBe('reproduced');
    expect(adamPiVerdict({ ...e, r2GainNormalised: 0.5 }).verdict).toBe('not-reproduced');
  });
  it('step-response numbers', () => {
    const e = [1, 0.5, -0.2, 0.1, -0.01, 0.005, 0.001];
    const s = stepResponse(e);
    expect(s.overshoot).toBeCloseTo(0.2, 12);
    expect(s.settling).toBe(4);
    expect(s.zeroCrossings).toBe(4);
  });
});

describe('control.schedules', () => {
  it('quick run: cosine settles (drift far below constant)', async () => {
    const r = await run(schedulesExperiment);
    expect(metric(r, 'drift_cosine')).toBeLessThan(0.2 * metric(r, 'drift_constant'));
    expect(r.verdicts.map((v) => v.claim).sort()).toEqual(['control.cosine-convergence', 'control.warm-restarts']);
  });
  it('verdicts follow the numbers', () => {
    const e = { cosineDrift: 0.001, constantDrift: 0.2, cosineBeatsConstantFraction: 0, sgdrMinusCosineTestErr: 0, sgdrMinusCosineSe: 0.001, sgdrBarrier: 0, cosineBarrier: 0 };
    const [c, w] = scheduleVerdicts(e);
    expect(c!.verdict).toBe('partly');
    expect(w!.verdict).toBe('not-reproduced');
    const [c2, w2] = scheduleVerdicts({ ...e, cosineBeatsConstantFraction: 1, sgdrMinusCosineTestErr: -0.01, sgdrBarrier: 0.1 });
    expect(c2!.verdict).toBe('reproduced');
    expect(w2!.verdict).toBe('reproduced');
  });
});

describe('control.gradient-clipping', () => {
  it('BPTT gradient = finite differences; one-neuron gradient too', () => {
    const s = { I: 2, H: 4 };
    const rng = new Rng(5);
    const p = initRnn(s, 1.3, rng);
    const batch = addingBatch(3, 6, rng);
    const { grad } = rnnLossGrad(s, p, batch);
    for (const i of [0, 5, 9, 20, 30, p.length - 1]) {
      const h = 1e-6;
      const pp = Float64Array.from(p);
      const pm = Float64Array.from(p);
      pp[i]! += h;
      pm[i]! -= h;
      const fd = (rnnLossGrad(s, pp, batch).loss - rnnLossGrad(s, pm, batch).loss) / (2 * h);
      expect(Math.abs(fd - grad[i]!)).toBeLessThan(1e-7 + 1e-5 * Math.abs(fd));
    }
    const g = oneNeuron(6, -3, 20, 0.7);
    const h = 1e-6;
    const fdw = (oneNeuron(6 + h, -3, 20, 0.7).loss - oneNeuron(6 - h, -3, 20, 0.7).loss) / (2 * h);
    expect(g.dw).toBeCloseTo(fdw, 5);
  });
  it('quick run: clipped norm saturates at λ', async () => {
    const r = await run(gradientClipping);
    expect(metric(r, 'max_clipped_over_threshold')).toBeLessThanOrEqual(1 + 1e-9);
    expect(metric(r, 'max_raw_grad_norm')).toBeGreaterThan(1);
  });
  it('verdict follows the numbers; spikes counted', () => {
    const e = { maxClippedOverThreshold: 1, divergedNoClip: 0.375, divergedClip: 0, spikesNoClip: 4, spikesClip: 0.3 };
    expect(clippingVerdict(e).verdict).toBe('reproduced');
    expect(clippingVerdict({ ...e, divergedNoClip: 0, spikesNoClip: 0.3, spikesClip: 0.3 }).verdict).toBe('partly');
    expect(clippingVerdict({ ...e, maxClippedOverThreshold: 1.5 }).verdict).toBe('not-reproduced');
    const l = Array.from({ length: 40 }, () => 1);
    l[30] = 5;
    expect(countSpikes(l)).toBe(1);
  });
});

describe('control.feedback-lr', () => {
  it('the controller raises η while the loss falls faster than the set point and cuts it when the loss rises', () => {
    const c = new LossFeedbackLR(0.1, -0.03, 0.5, 0.1, 10, 1);
    c.update(1);
    expect(c.update(0.8)).toBeGreaterThan(0.1); // log(0.8) = −0.22 < −0.03
    const up = c.lr;
    expect(c.update(1.6)).toBeLessThan(up); // loss doubled
    expect(c.update(NaN)).toBeCloseTo(c.lr, 12);
  });
  it('quick run produces the comparison', async () => {
    const r = await run(feedbackLr);
    expect(r.metrics.some((m) => m.name === 'best_controller_test_error')).toBe(true);
    expect(r.figures.length).toBe(3);
  });
});
