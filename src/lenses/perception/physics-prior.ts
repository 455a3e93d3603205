/**
 * perception.physics-prior — does building a law of physics into a model make its output obey physics?
 *
 * Claim (seed, 感知理论 · 具身认知的物理建模): 「将物理世界的运动规律编码为语言模型的先验知识，是提升模型推理能力的新方向。
 * 通过引入刚体动力学方程 F=ma 等物理约束，可使模型在解决空间推理问题时获得更符合物理规律的输出。」
 *
 * What is tested is the seed's own prior: F = ma written into a model's structure. A Newtonian
 * network has dq/dt = p / m (a learned scalar 1/m) and dp/dt = F_θ(q), a force of the position
 * alone; it is compared with a plain MLP on the same data. What is substituted, and said in the
 * verdict: the "model" is a learned dynamics model of two 1-D mechanical systems, not a language
 * model; "spatial reasoning" is predicting where the system goes; robot task planning is not tested.
 *
 * Paper: Greydanus, Dzamba & Yosinski 2019, "Hamiltonian Neural Networks" (NeurIPS). Their ideal
 * mass–spring (H = q² + p²) and ideal pendulum (H = 2(1 − cos q) + p²), their data recipe (25 training
 * trajectories over t ∈ [0, 3], Gaussian observation noise, exact derivatives as targets), a tanh MLP
 * of width 200. Reported energy MSE over rollouts, baseline vs HNN: spring 1.71e-1 vs 3.84e-4,
 * pendulum 4.15e-2 vs 2.49e-2, with about the same one-step error.
 *
 * Measured: three models fit (q, p) ↦ (dq/dt, dp/dt); the baseline outputs the derivative directly,
 * the F = ma network as above, the HNN (the paper's model) outputs a scalar H_θ and moves along its
 * symplectic gradient (∂H/∂p, −∂H/∂q) — its prior is "there is a conserved energy". Then long RK4 rollouts from held-out initial
 * states: energy MSE (true H along the model's path vs the true, conserved H) and trajectory MSE
 * against a float64 RK4 of the true system. The integrator's own error is reported beside them.
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type ClaimVerdict, type Figure, type Metric, type RunContext } from '../../experiments/contract.js';
import { verdictFor, type Criterion } from '../../experiments/verdict.js';
import { concat, lineChart, type Row, type Spec } from '../../report/charts.js';
import { tf } from '../../engine/tf.js';
import {
  SYSTEMS,
  initDynamicsModel,
  initialState,
  makePhaseData,
  modelField,
  modelField64,
  rolloutField64,
  fieldMSE,
  rolloutReference,
  rolloutTensor,
  trainDynamics,
  type System,
  type SystemName,
  type ModelKind,
  type PhaseData,
} from './hamiltonian.js';
import type { Bilingual } from '../../experiments/contract.js';
import type { Rng } from '../../engine/rng.js';

const Params = z.object({
  hidden: z.number().int().min(4).max(400).default(200).describe('width of each of the two tanh hidden layers (Greydanus: 200)').meta({ zh: '两个 tanh 隐藏层各自的宽度（Greydanus 用 200）' }),
  steps: z.number().int().min(10).max(20000).default(400).describe('full-batch Adam steps per model (Greydanus: 2000; the loss reaches the noise floor after ~100)').meta({ zh: '每个模型的全批量 Adam 步数（Greydanus 用 2000；损失约 100 步后就降到噪声水平）' }),
  lr: z.number().positive().max(0.1).default(1e-3).describe('Adam learning rate (Greydanus: 1e-3)').meta({ zh: 'Adam 学习率（Greydanus：1e-3）' }),
  trainTrajectories: z.number().int().min(1).max(200).default(25).describe('training trajectories per system (Greydanus: 25)').meta({ zh: '每个物理系统的训练轨迹条数（Greydanus：25）' }),
  noise: z.number().min(0).max(1).default(0.05).describe('std of the Gaussian noise on observed q and p (Greydanus code: 0.05)').meta({ zh: '观测到的 q 和 p 上高斯噪声的标准差（Greydanus 代码：0.05）' }),
  testTrajectories: z.number().int().min(1).max(200).default(25).describe('held-out initial states rolled out').meta({ zh: '用于推演测试的留出初始状态个数' }),
  rolloutSteps: z.number().int().min(10).max(5000).default(1000).describe('RK4 steps per rollout').meta({ zh: '每次推演的 RK4 积分步数' }),
  dt: z.number().positive().max(1).default(0.1).describe('RK4 step (time units; spring period is π)').meta({ zh: 'RK4 的时间步长（时间单位；弹簧振子的周期是 π）' }),
  systems: z.enum(['both', 'spring', 'pendulum']).default('both').describe('which ideal system(s) to run').meta({ zh: '运行哪个理想系统：both（两个都跑）、spring（弹簧）或 pendulum（单摆）' }),
});
type P = z.infer<typeof Params>;

/** Greydanus et al. 2019, Table 1 (energy MSE over rollouts). */
export const GREYDANUS_ENERGY_MSE: Record<SystemName, { baseline: number; hnn: number }> = {
  spring: { baseline: 1.71e-1, hnn: 3.84e-4 },
  pendulum: { baseline: 4.15e-2, hnn: 2.49e-2 },
};
const SRC = 'Greydanus, Dzamba & Yosinski 2019, Table 1';

/**
 * Criteria, declared before any run. "More physical output" is read as energy conservation over long
 * rollouts, the quantity Greydanus et al. report; the prior judged is the seed's, F = ma.
 */
const CRITERIA = {
  'perc.physics-prior': [
    {
      level: 'reproduced',
      metric: 'newton_energy_ratio_min',
      op: '>=',
      value: 2,
      why: {
        en: "F = ma in the structure at least halves the baseline's long-rollout energy MSE on every system run (a stated effect size, ×2; the smaller gap Greydanus et al. report, pendulum, is ×1.7)",
        zh: '把 F = ma 写进结构后，每个系统上长时间积分的能量 MSE 至少降为基线的一半（事先定的效应量 ×2；Greydanus 等报告的较小差距——单摆——是 ×1.7）',
      },
    },
    {
      level: 'partly',
      metric: 'newton_energy_ratio_max',
      op: '>=',
      value: 2,
      why: { en: 'F = ma halves the energy MSE on at least one system', zh: 'F = ma 至少在一个系统上让能量 MSE 减半' },
    },
  ],
} satisfies Record<string, readonly Criterion[]>;

/** The models compared, in order, and how the figures name them. */
const KINDS: ModelKind[] = ['baseline', 'newton', 'hnn'];
const KIND_NAME: Record<ModelKind, Bilingual> = {
  baseline: { en: 'baseline MLP', zh: '基线 MLP' },
  newton: { en: 'F = ma net', zh: 'F = ma 网络' },
  hnn: { en: 'HNN', zh: 'HNN' },
};
const TRUE_NAME: Bilingual = { en: 'true (float64 RK4)', zh: '真实（float64 RK4）' };
/** one colour per model in every figure and both languages: baseline orange, F = ma green, HNN blue */
const KIND_COLOUR: Record<ModelKind, string> = { baseline: '#f58518', newton: '#54a24b', hnn: '#4c78a8' };


/** Energy and trajectory errors of a rollout against the reference, per time step and overall. */
export interface RolloutErrors {
  /** mean over trajectories of (H(x̂_t) − H(x_t))², per t */
  energyByT: Float64Array;
  /** mean over trajectories of ‖x̂_t − x_t‖², per t */
  trajByT: Float64Array;
  energyMSE: number;
  trajMSE: number;
}

/**
 * Compare a rollout (flattened [T+1][N][2]) with the reference paths. Pure.
 * ref[i] = { q, p } float64 arrays of length T+1 for trajectory i.
 */
export function rolloutErrors(sys: System, roll: ArrayLike<number>, ref: { q: Float64Array; p: Float64Array }[], steps: number): RolloutErrors {
  const n = ref.length;
  const energyByT = new Float64Array(steps + 1);
  const trajByT = new Float64Array(steps + 1);
  for (let t = 0; t <= steps; t++) {
    let e = 0;
    let d = 0;
    for (let i = 0; i < n; i++) {
      const q = roll[(t * n + i) * 2]!;
      const p = roll[(t * n + i) * 2 + 1]!;
      const qt = ref[i]!.q[t]!;
      const pt = ref[i]!.p[t]!;
      const de = Number.isFinite(q) && Number.isFinite(p) ? sys.energy(q, p) - sys.energy(qt, pt) : Infinity;
      e += de * de;
      d += (q - qt) ** 2 + (p - pt) ** 2;
    }
    energyByT[t] = e / n;
    trajByT[t] = d / n;
  }
  const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
  return { energyByT, trajByT, energyMSE: mean(energyByT), trajMSE: mean(trajByT) };
}

/** Model paths in colour with the true path drawn on top as a dashed black line (raw Vega-Lite). */
function modelsOverTruth(title: Bilingual, rows: Row[], x: { field: string; title: Bilingual | string }, y: { field: string; title: Bilingual | string }, width: number, height: number, ordered = false): Record<string, unknown> {
  const isTruth = (r: Row) => r.model === TRUE_NAME;
  const enc = (extra: Record<string, unknown>) => ({
    x: { field: x.field, type: 'quantitative', title: x.title },
    y: { field: y.field, type: 'quantitative', title: y.title },
    ...(ordered ? { order: { field: 't', type: 'quantitative' } } : {}),
    ...extra,
  });
  const colour = { field: 'model', type: 'nominal', title: { en: 'model', zh: '模型' }, scale: { domain: [...KINDS.map((k) => KIND_NAME[k]), TRUE_NAME], range: [...KINDS.map((k) => KIND_COLOUR[k]), '#000000'] } };
  return {
    title,
    width,
    height,
    layer: [
      { data: { values: rows.filter((r) => !isTruth(r)) }, mark: { type: 'line', strokeWidth: 1, opacity: 0.85 }, encoding: enc({ color: colour }) },
      { data: { values: rows.filter(isTruth) }, mark: { type: 'line', strokeWidth: 1.5, strokeDash: [5, 4] }, encoding: enc({ color: colour }) },
    ],
  };
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toExponential(2) : '∞');
const times = (r: number) => (r >= 100 ? Math.round(r).toLocaleString('en-US') : r.toFixed(1));
const NAME_ZH: Record<SystemName, string> = { spring: '弹簧振子', pendulum: '单摆' };
const NAME_EN: Record<SystemName, string> = { spring: 'mass–spring', pendulum: 'pendulum' };
const sysName = (s: SystemName): Bilingual => ({ en: NAME_EN[s], zh: NAME_ZH[s] });

/** Everything measured on one system. */
interface SystemRun {
  name: SystemName;
  sys: System;
  /** held-out reference paths (float64 RK4 of the true field) */
  ref: { q: Float64Array; p: Float64Array }[];
  errs: Record<ModelKind, RolloutErrors>;
  rolls: Record<ModelKind, Float32Array | Float64Array>;
  /** derivative MSE on noisy test points (one-step error) */
  one: Record<ModelKind, number>;
  /** baseline energy MSE / model energy MSE */
  ratio: Record<'newton' | 'hnn', number>;
  /** tfjs float32 RK4 of the true field against the float64 reference */
  integ32: RolloutErrors;
  /** float64 RK4's own energy drift on the true field */
  drift: number;
}

/** Held-out initial states (float32-rounded, as the models see them) and their float64 reference paths. */
function heldOutPaths(sys: System, p: P, rng: Rng): { x0: Float32Array; ref: { q: Float64Array; p: Float64Array }[]; drift: number } {
  const x0 = new Float32Array(p.testTrajectories * 2);
  const ref: { q: Float64Array; p: Float64Array }[] = [];
  for (let i = 0; i < p.testTrajectories; i++) {
    const [q0, p0] = initialState(sys, rng);
    x0[2 * i] = q0;
    x0[2 * i + 1] = p0;
    ref.push(rolloutReference(sys, x0[2 * i]!, x0[2 * i + 1]!, p.dt, p.rolloutSteps));
  }
  // the integrator alone: float64 RK4 of the true field drifts this much in energy
  let drift = 0;
  for (const r of ref) {
    const e0 = sys.energy(r.q[0]!, r.p[0]!);
    let s = 0;
    for (let t = 0; t <= p.rolloutSteps; t++) s += (sys.energy(r.q[t]!, r.p[t]!) - e0) ** 2;
    drift += s / (p.rolloutSteps + 1);
  }
  return { x0, ref, drift: drift / ref.length };
}

/** Train one model kind, score its one-step error, roll it out from x0. */
async function trainAndRoll(kind: ModelKind, name: SystemName, data: { train: PhaseData; test: PhaseData; x0: Float32Array }, p: P, ctx: RunContext, rng: Rng, report: (steps: number, msg: string) => void): Promise<{ one: number; roll: Float32Array | Float64Array }> {
  throwIfAborted(ctx.signal);
  const model = initDynamicsModel(kind, p.hidden, rng.fork(`init/${kind}`));
  try {
    await trainDynamics(model, data.train, {
      steps: p.steps,
      lr: p.lr,
      every: Math.max(1, Math.floor(p.steps / 20)),
      onStep: async (s) => {
        if (s % 25 === 0) {
          throwIfAborted(ctx.signal);
          report(s, `${name}: training ${kind} ${s}/${p.steps}`);
          await tick();
        }
      },
    });
    report(p.steps, `${name}: rolling out ${kind}`);
    const one = fieldMSE(model, data.test);
    // small models and the F = ma net roll out faster as plain float64 JS than as many tiny tfjs ops (same field; tested)
    const roll =
      p.hidden <= 64 || kind === 'newton'
        ? rolloutField64(modelField64(model), data.x0, p.testTrajectories, p.dt, p.rolloutSteps)
        : await rolloutTensor((x) => modelField(model, x), data.x0, p.testTrajectories, p.dt, p.rolloutSteps, async (t) => {
            throwIfAborted(ctx.signal);
            report(p.steps + t, `${name}: rolling out ${kind} ${t}/${p.rolloutSteps}`);
            await tick();
          });
    return { one, roll };
  } finally {
    tf.dispose(Object.values(model.vars));
  }
}

/** Train the three models on every system and roll them out. */
async function measure(p: P, ctx: RunContext): Promise<SystemRun[]> {
  const names: SystemName[] = p.systems === 'both' ? ['spring', 'pendulum'] : [p.systems];
  const perModel = p.steps + p.rolloutSteps;
  const total = names.length * KINDS.length * perModel;
  const runs: SystemRun[] = [];
  for (const [si, name] of names.entries()) {
    const sys = SYSTEMS[name];
    const rng = ctx.rng.fork(`physics/${name}`);
    const train = makePhaseData(sys, p.trainTrajectories, p.noise, rng.fork('train'));
    const test = makePhaseData(sys, p.testTrajectories, p.noise, rng.fork('test'));
    const { x0, ref, drift } = heldOutPaths(sys, p, rng.fork('x0'));
    // the tfjs float32 RK4 of the true field: the floor any learned model sits on
    const trueRoll = await rolloutTensor((x) => sys.fieldTensor(x), x0, p.testTrajectories, p.dt, p.rolloutSteps);
    const integ32 = rolloutErrors(sys, trueRoll, ref, p.rolloutSteps);
    const errs = {} as Record<ModelKind, RolloutErrors>;
    const rolls = {} as Record<ModelKind, Float32Array | Float64Array>;
    const one = {} as Record<ModelKind, number>;
    for (const [ki, kind] of KINDS.entries()) {
      const base = (si * KINDS.length + ki) * perModel;
      const r = await trainAndRoll(kind, name, { train, test, x0 }, p, ctx, rng, (u, msg) => ctx.progress((base + u) / total, msg));
      one[kind] = r.one;
      rolls[kind] = r.roll;
      errs[kind] = rolloutErrors(sys, r.roll, ref, p.rolloutSteps);
    }
    const ratio = { newton: errs.baseline.energyMSE / errs.newton.energyMSE, hnn: errs.baseline.energyMSE / errs.hnn.energyMSE };
    runs.push({ name, sys, ref, errs, rolls, one, ratio, integ32, drift });
  }
  return runs;
}

/** The numbers of one system, named as in the result JSON. */
function metricsOf(runs: SystemRun[]): Metric[] {
  const out: Metric[] = [];
  for (const r of runs) {
    const n = r.name;
    const ref0 = GREYDANUS_ENERGY_MSE[n];
    const who = (zh: string, en: string) => ({ zh: `${NAME_ZH[n]}：${zh}`, en: `${NAME_EN[n]}: ${en}` });
    out.push(
      { name: `${n}_energy_mse_baseline`, value: r.errs.baseline.energyMSE, unit: 'energy²', label: who('基线 MLP 的能量 MSE', 'baseline energy MSE'), reference: { value: ref0.baseline, source: SRC } },
      { name: `${n}_energy_mse_newton`, value: r.errs.newton.energyMSE, unit: 'energy²', label: who('F = ma 网络的能量 MSE', 'F = ma net energy MSE') },
      { name: `${n}_energy_mse_hnn`, value: r.errs.hnn.energyMSE, unit: 'energy²', label: who('HNN 的能量 MSE', 'HNN energy MSE'), reference: { value: ref0.hnn, source: SRC } },
      { name: `${n}_energy_ratio_newton`, value: r.ratio.newton, unit: '1', label: who('能量 MSE 之比（基线 / F = ma）', 'energy MSE ratio (baseline / F = ma)') },
      { name: `${n}_energy_ratio`, value: r.ratio.hnn, unit: '1', label: who('能量 MSE 之比（基线 / HNN）', 'energy MSE ratio (baseline / HNN)'), reference: { value: ref0.baseline / ref0.hnn, source: SRC } },
    );
    for (const k of KINDS) {
      out.push(
        { name: `${n}_traj_mse_${k}`, value: r.errs[k].trajMSE, unit: 'state²', label: who(`${KIND_NAME[k].zh} 的轨迹 MSE`, `${KIND_NAME[k].en} trajectory MSE`) },
        { name: `${n}_onestep_mse_${k}`, value: r.one[k], unit: '(state/time)²', label: who(`${KIND_NAME[k].zh} 在测试点上的导数 MSE（单步误差）`, `${KIND_NAME[k].en} derivative MSE on test points (one-step error)`) },
      );
    }
    out.push(
      { name: `${n}_integrator_energy_mse_f32`, value: r.integ32.energyMSE, unit: 'energy²', label: who('真实动力学的 tfjs float32 RK4 与 float64 参考之间的能量 MSE（检查积分器）', 'energy MSE of tfjs float32 RK4 on the true field against the float64 reference (checks the integrator)') },
      { name: `${n}_integrator_energy_mse_f64`, value: r.drift, unit: 'energy²', label: who('RK4 本身的能量漂移（float64，真实动力学，相对初始能量）', 'RK4’s own energy drift (float64, true field, against the initial energy)') },
    );
  }
  return out;
}

/** The table of errors per system and model. */
function tableOf(runs: SystemRun[], p: P): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = [];
  for (const r of runs) {
    const ref0 = GREYDANUS_ENERGY_MSE[r.name];
    for (const k of KINDS)
      rows.push({ system: r.name, model: KIND_NAME[k].en, energy_mse: fmt(r.errs[k].energyMSE), energy_mse_greydanus: k === 'newton' ? '' : fmt(ref0[k]), trajectory_mse: fmt(r.errs[k].trajMSE), one_step_mse: fmt(r.one[k]), final_energy_err2: fmt(r.errs[k].energyByT[p.rolloutSteps]!) });
    rows.push({ system: r.name, model: 'true field, float32 RK4', energy_mse: fmt(r.integ32.energyMSE), energy_mse_greydanus: '', trajectory_mse: fmt(r.integ32.trajMSE), one_step_mse: '0', final_energy_err2: fmt(r.integ32.energyByT[p.rolloutSteps]!) });
  }
  return rows;
}

/** A line chart coloured by model with the colours of the other panels (by default HNN would be orange, F = ma blue). */
function modelColours(spec: Spec): Spec {
  (((spec.layer as Spec[])[0]!.encoding as Spec).color as Spec).scale = { domain: KINDS.map((k) => KIND_NAME[k]), range: KINDS.map((k) => KIND_COLOUR[k]) };
  return spec;
}

/** The three panels of one system: energy along the median-energy rollout, its phase path, energy MSE over the horizon. */
function systemPanels(r: SystemRun, p: P): { energy: Record<string, unknown>; phase: Record<string, unknown>; horizon: Record<string, unknown> } {
  const { sys, ref, rolls, errs } = r;
  const stride = Math.max(1, Math.floor(p.rolloutSteps / 250));
  const order = [...ref.keys()].sort((a, b) => sys.energy(ref[a]!.q[0]!, ref[a]!.p[0]!) - sys.energy(ref[b]!.q[0]!, ref[b]!.p[0]!));
  const k = order[Math.floor(order.length / 2)]!;
  const n = p.testTrajectories;
  const eRows: Row[] = [];
  const phRows: Row[] = [];
  for (let t = 0; t <= p.rolloutSteps; t++) {
    const time = +(t * p.dt).toFixed(4);
    const keep = t % stride === 0;
    if (keep) eRows.push({ t: time, E: sys.energy(ref[k]!.q[t]!, ref[k]!.p[t]!), model: TRUE_NAME });
    phRows.push({ q: ref[k]!.q[t]!, p: ref[k]!.p[t]!, model: TRUE_NAME, t: time });
    for (const kind of KINDS) {
      const q = rolls[kind][(t * n + k) * 2]!;
      const pp = rolls[kind][(t * n + k) * 2 + 1]!;
      if (keep) eRows.push({ t: time, E: sys.energy(q, pp), model: KIND_NAME[kind] });
      phRows.push({ q, p: pp, model: KIND_NAME[kind], t: time });
    }
  }
  const hRows: Row[] = [];
  for (const kind of KINDS) {
    let cum = 0;
    for (let t = 0; t <= p.rolloutSteps; t++) {
      cum += errs[kind].energyByT[t]!;
      if (t % stride === 0 && t > 0) hRows.push({ t: +(t * p.dt).toFixed(4), mse: Math.max(cum / (t + 1), 1e-12), model: KIND_NAME[kind] });
    }
  }
  const ref0 = GREYDANUS_ENERGY_MSE[r.name];
  const nm = sysName(r.name);
  const time = { en: 'time', zh: '时间' };
  return {
    energy: modelsOverTruth({ en: `${nm.en}: energy along one held-out rollout`, zh: `${nm.zh}：一条测试轨迹上的能量` }, eRows, { field: 't', title: time }, { field: 'E', title: { en: 'true energy H(q, p)', zh: '真实能量 H(q, p)' } }, 340, 220),
    phase: modelsOverTruth({ en: `${nm.en}: phase space (q, p)`, zh: `${nm.zh}：相空间 (q, p)` }, phRows, { field: 'q', title: 'q' }, { field: 'p', title: 'p' }, 260, 260, true),
    horizon: modelColours(lineChart({ title: { en: `${nm.en}: energy MSE over [0, t]`, zh: `${nm.zh}：[0, t] 上的能量 MSE` }, data: hRows, x: { field: 't', title: { en: 'rollout horizon t', zh: '积分时长 t' } }, y: { field: 'mse', title: { en: 'energy MSE (log)', zh: '能量 MSE（对数）' }, scale: 'log' }, color: { field: 'model', title: { en: 'model', zh: '模型' } }, width: 340, height: 220, rules: [{ y: ref0.baseline, label: { en: 'Greydanus baseline', zh: 'Greydanus 基线' }, color: KIND_COLOUR.baseline }, { y: ref0.hnn, label: { en: 'Greydanus HNN', zh: 'Greydanus HNN' }, color: KIND_COLOUR.hnn }] })),
  };
}

/** Our energy MSE beside the paper's, per system and model (log scale). */
function paperFigure(runs: SystemRun[]): Figure {
  const barRows: Row[] = [];
  const ours = { en: 'ours', zh: '本实验' };
  const paper = { en: 'Greydanus 2019', zh: 'Greydanus 2019' };
  for (const r of runs) {
    // one label per (system, model), shared by our point and the paper's
    const bar = (k: ModelKind): Bilingual => ({ en: `${NAME_EN[r.name]} · ${KIND_NAME[k].en}`, zh: `${NAME_ZH[r.name]} · ${KIND_NAME[k].zh}` });
    for (const k of KINDS) barRows.push({ bar: bar(k), mse: r.errs[k].energyMSE, source: ours });
    barRows.push({ bar: bar('baseline'), mse: GREYDANUS_ENERGY_MSE[r.name].baseline, source: paper }, { bar: bar('hnn'), mse: GREYDANUS_ENERGY_MSE[r.name].hnn, source: paper });
  }
  return {
    id: 'energy-mse-vs-paper',
    title: { zh: '能量 MSE：本实验与论文', en: 'Energy MSE: ours beside the paper' },
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      // the title from the left edge of the figure, not centred over the plot: the row names take much of the width
      title: { text: { en: 'Energy MSE over the rollout', zh: '整个积分过程的能量 MSE' }, subtitle: { en: 'ours vs Greydanus et al. 2019', zh: '本实验与 Greydanus 等 2019' }, anchor: 'start', frame: 'bounds' },
      width: 420,
      height: 220,
      data: { values: barRows },
      mark: { type: 'point', filled: true, size: 120 },
      // one row per (system, model): the names read horizontally and the legend sits below, so nothing is cut in a narrow column
      encoding: {
        y: { field: 'bar', type: 'nominal', title: '', sort: null },
        x: { field: 'mse', type: 'quantitative', title: { en: 'energy MSE (log scale)', zh: '能量 MSE（对数坐标）' }, scale: { type: 'log' }, axis: { tickCount: 5, format: '.0e' } },
        color: { field: 'source', type: 'nominal', title: { en: 'source', zh: '来源' }, legend: { orient: 'bottom' } },
        shape: { field: 'source', type: 'nominal' },
        tooltip: [{ field: 'bar' }, { field: 'source' }, { field: 'mse', type: 'quantitative', format: '.3e' }],
      },
    },
    caption: { zh: '比较的是基线与有结构先验的模型之间的差距，而不是绝对数值（我们的积分时长是 t = 100，更长，基线因此更差）。F = ma 网络论文里没有。', en: 'Compare the gap between the baseline and the structured models, not the absolute values (our horizon, t = 100, is long, which makes the baseline worse). The paper has no F = ma net.' },
  };
}

function figures(runs: SystemRun[], p: P): Figure[] {
  const panels = runs.map((r) => systemPanels(r, p));
  return [
    { id: 'energy-along-rollout', title: { zh: '一条测试轨迹上的能量', en: 'Energy along one held-out rollout' }, spec: concat({ en: 'True energy H along the rollout of each model', zh: '沿各模型轨迹的真实能量 H' }, panels.map((x) => x.energy)), caption: { zh: '真实系统能量守恒（水平线）；看基线 MLP 的能量是否漂移，F = ma 网络与 HNN 是否贴着守恒值。', en: 'The true energy is conserved (flat); watch whether the baseline drifts and the F = ma net and the HNN stay on the level set.' } },
    { id: 'phase-portrait', title: { zh: '相空间轨迹', en: 'Phase-space paths' }, spec: concat({ en: 'Phase space (q, p) of one held-out rollout', zh: '一条测试轨迹的相空间 (q, p)' }, panels.map((x) => x.phase)), caption: { zh: '真实轨迹是闭合曲线；能量漂移表现为向外或向内的螺旋。', en: 'True paths are closed curves; energy drift shows as a spiral outward or inward.' } },
    { id: 'energy-mse-horizon', title: { zh: '能量 MSE 随积分时长的变化', en: 'Energy MSE against rollout horizon' }, spec: concat({ en: 'Energy MSE averaged over [0, t] (log scale)', zh: '[0, t] 上平均的能量 MSE（对数坐标）' }, panels.map((x) => x.horizon)), caption: { zh: '虚线是 Greydanus 等 2019 表 1 的数值（他们的积分时长与我们不同，只作量级参照）。', en: 'Dashed lines are Greydanus et al. 2019, Table 1 (their horizon differs from ours: an order-of-magnitude reference only).' } },
    paperFigure(runs),
  ];
}

function findings(runs: SystemRun[], p: P): Bilingual[] {
  const out: Bilingual[] = runs.map((s) => {
    const g = GREYDANUS_ENERGY_MSE[s.name];
    const gr = (g.baseline / g.hnn).toFixed(0);
    const e = (k: ModelKind) => fmt(s.errs[k].energyMSE);
    const tr = (k: ModelKind) => fmt(s.errs[k].trajMSE);
    return {
      zh: `${NAME_ZH[s.name]}：同样宽 ${p.hidden} 的网络，测试点上的导数误差为基线 ${fmt(s.one.baseline)}、F = ma ${fmt(s.one.newton)}、HNN ${fmt(s.one.hnn)}；积分 ${p.rolloutSteps} 步（t = ${(p.rolloutSteps * p.dt).toFixed(0)}）后，能量 MSE 基线 ${e('baseline')}，F = ma 网络 ${e('newton')}（低 ${times(s.ratio.newton)} 倍），HNN ${e('hnn')}（低 ${times(s.ratio.hnn)} 倍）；论文里基线对 HNN 是 ${fmt(g.baseline)} 对 ${fmt(g.hnn)}（${gr} 倍）。轨迹 MSE：基线 ${tr('baseline')}，F = ma ${tr('newton')}，HNN ${tr('hnn')}。积分器本身的贡献可以忽略：RK4 对真实系统的能量漂移只有 ${fmt(s.drift)}，tfjs 的 float32 积分与 float64 参考之差为 ${fmt(s.integ32.energyMSE)}。`,
      en: `${NAME_EN[s.name]}: with the same width-${p.hidden} network the one-step derivative errors are baseline ${fmt(s.one.baseline)}, F = ma ${fmt(s.one.newton)}, HNN ${fmt(s.one.hnn)}; after ${p.rolloutSteps} RK4 steps (t = ${(p.rolloutSteps * p.dt).toFixed(0)}) the energy MSE is ${e('baseline')} for the baseline, ${e('newton')} for the F = ma net (×${times(s.ratio.newton)} lower) and ${e('hnn')} for the HNN (×${times(s.ratio.hnn)} lower); the paper has baseline ${fmt(g.baseline)} vs HNN ${fmt(g.hnn)} (×${gr}). Trajectory MSE: baseline ${tr('baseline')}, F = ma ${tr('newton')}, HNN ${tr('hnn')}. The integrator's own share is negligible: RK4's energy drift on the true system is ${fmt(s.drift)}, and tfjs float32 RK4 differs from the float64 reference by ${fmt(s.integ32.energyMSE)}.`,
    };
  });
  out.push({
    zh: '要说清楚的是：这里测的“模型”是学动力学的小网络，对象是一维玩具系统，不是语言模型；“空间推理”在这里只是预测系统往哪里走，“机器人任务规划”没有测。F = ma 网络在一维里力只依赖位置，因此自带一个守恒的（学到的）能量；它的能量误差来自学错的力，而不是漂移。',
    en: 'To be clear: the "model" here is a small network that learns dynamics, on one-dimensional toy systems, not a language model; "spatial reasoning" here is only predicting where the system goes, and robot task planning is not tested. In one dimension a force of the position alone always has a potential, so the F = ma net conserves a (learned) energy by construction; its energy error comes from a wrongly learned force, not from drift.',
  });
  return out;
}

/** The evidence of perc.physics-prior from the per-system energy ratios (pure). */
export function physicsEvidence(runs: { name: string; ratio: Record<'newton' | 'hnn', number>; baseline: number; newton: number; hnn: number }[]): Record<string, number> {
  const ev: Record<string, number> = {};
  for (const r of runs) {
    ev[`${r.name}_energy_mse_baseline`] = r.baseline;
    ev[`${r.name}_energy_mse_newton`] = r.newton;
    ev[`${r.name}_energy_mse_hnn`] = r.hnn;
    ev[`${r.name}_energy_ratio_newton`] = r.ratio.newton;
    ev[`${r.name}_energy_ratio_hnn`] = r.ratio.hnn;
  }
  const nr = runs.map((r) => r.ratio.newton);
  ev.newton_energy_ratio_min = nr.length ? Math.min(...nr) : NaN;
  ev.newton_energy_ratio_max = nr.length ? Math.max(...nr) : NaN;
  ev.hnn_energy_ratio_min = runs.length ? Math.min(...runs.map((r) => r.ratio.hnn)) : NaN;
  return ev;
}

function verdicts(runs: SystemRun[]): ClaimVerdict[] {
  const evidence = physicsEvidence(runs.map((r) => ({ name: r.name, ratio: r.ratio, baseline: r.errs.baseline.energyMSE, newton: r.errs.newton.energyMSE, hnn: r.errs.hnn.energyMSE })));
  const nums = runs.map((s) => `${NAME_EN[s.name]} ${fmt(s.errs.baseline.energyMSE)} → ${fmt(s.errs.newton.energyMSE)} (×${times(s.ratio.newton)})`).join('; ');
  const numsZh = runs.map((s) => `${NAME_ZH[s.name]} ${fmt(s.errs.baseline.energyMSE)} → ${fmt(s.errs.newton.energyMSE)}（${times(s.ratio.newton)} 倍）`).join('；');
  const scope = {
    en: 'Measured on a network that learns the dynamics of 1-D mechanical systems, not a language model; "spatial reasoning" is predicting where the system goes; robot task planning is not tested.',
    zh: '测的是学一维力学系统动力学的网络，不是语言模型；“空间推理”在这里是预测系统往哪里走；机器人任务规划没有测。',
  };
  return [
    verdictFor('perc.physics-prior', CRITERIA['perc.physics-prior'], evidence, (v) => {
      if (v === 'reproduced') return { zh: `在这个尺度上成立：把 F = ma 写进模型结构（dq/dt = p/m，dp/dt = F(q)），长时间积分的能量误差在每个系统上都至少减半（基线 → F = ma：${numsZh}）。${scope.zh}`, en: `Holds at this scale: with F = ma in the model's structure (dq/dt = p/m, dp/dt = F(q)) the long-rollout energy error falls at least by half on every system (baseline → F = ma: ${nums}). ${scope.en}` };
      if (v === 'partly') return { zh: `部分成立：F = ma 只在部分系统上让能量误差减半（${numsZh}）。${scope.zh}`, en: `Partly: F = ma halves the energy error on some systems only (${nums}). ${scope.en}` };
      return { zh: `未复现：F = ma 没有让能量误差减半（${numsZh}）。${scope.zh}`, en: `Not reproduced: F = ma does not halve the energy error (${nums}). ${scope.en}` };
    }, SRC),
  ];
}

export const physicsPrior = defineExperiment({
  id: 'perception.physics-prior',
  lens: 'perception',
  title: { zh: '物理先验：哈密顿神经网络与能量守恒', en: 'A physics prior: Hamiltonian neural networks conserve energy' },
  summary: {
    zh: '同样的数据、同样大小的网络：普通 MLP 直接拟合 (q,p) 的时间导数；“F = ma 网络”把牛顿定律写进结构（dq/dt = p/m，dp/dt = F(q)，力只依赖位置）；哈密顿神经网络（HNN）只学一个标量能量 H，再沿它的辛梯度运动。用 RK4 长时间积分后，比较三者的能量误差和轨迹误差，并与 Greydanus 等 2019 的数字并排。',
    en: "Same data, same network size: a plain MLP fits the time derivative of (q, p) directly; an F = ma net writes Newton's law into its structure (dq/dt = p/m, dp/dt = F(q), a force of the position alone); a Hamiltonian neural network learns one scalar energy H and moves along its symplectic gradient. After long RK4 rollouts we compare energy and trajectory errors, beside Greydanus et al. 2019.",
  },
  claims: ['perc.physics-prior'],
  params: Params,
  criteria: CRITERIA,
  presets: {
    quick: { hidden: 32, steps: 250, lr: 5e-3, trainTrajectories: 10, testTrajectories: 6, rolloutSteps: 1000, systems: 'spring' },
    full: { hidden: 200, steps: 400, lr: 1e-3, trainTrajectories: 25, testTrajectories: 25, rolloutSteps: 1000, systems: 'both' },
  },
  formulas: [
    { tex: '\\dot q = \\frac{\\partial H_\\theta}{\\partial p},\\quad \\dot p = -\\frac{\\partial H_\\theta}{\\partial q}', label: { zh: 'HNN 的动力学：学到的能量的辛梯度', en: 'HNN dynamics: the symplectic gradient of the learned energy' } },
    { tex: '\\dot q = p / m,\\quad \\dot p = F_\\theta(q)', label: { zh: 'F = ma 网络：动量是质量乘速度，力只依赖位置', en: 'the F = ma net: momentum is mass times velocity, the force depends on position alone' } },
    { tex: 'L_{\\text{HNN}} = \\Big\\| \\frac{\\partial H_\\theta}{\\partial p} - \\dot q \\Big\\|^2 + \\Big\\| \\frac{\\partial H_\\theta}{\\partial q} + \\dot p \\Big\\|^2', label: { zh: 'HNN 的训练损失', en: 'the HNN training loss' } },
    { tex: 'H_{\\text{spring}} = q^2 + p^2,\\qquad H_{\\text{pend}} = 2(1-\\cos q) + p^2', label: { zh: '两个理想系统（Greydanus 代码中的形式）', en: 'the two ideal systems (as in Greydanus’ code)' } },
    { tex: '\\text{energy MSE} = \\frac{1}{NT}\\sum_{i,t} \\big(H(\\hat x_{i,t}) - H(x_{i,t})\\big)^2', label: { zh: '能量误差：沿模型轨迹的真实能量与守恒值之差', en: 'energy MSE: true energy along the model path vs the conserved value' } },
  ],
  async run(p: P, ctx) {
    const runs = await measure(p, ctx);
    return {
      metrics: metricsOf(runs),
      figures: figures(runs, p),
      findings: findings(runs, p),
      verdicts: verdicts(runs),
      tables: [{ id: 'rollout-errors', title: { zh: '长时间积分的误差', en: 'Errors over long rollouts' }, rows: tableOf(runs, p) }],
    };
  },
});
