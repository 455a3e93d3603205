/**
 * control.schedules — the digits MLP (and optionally the nano GPT) under every learning-rate schedule,
 * same step budget, several seeds.
 *
 * Claims (seed, 控制论): 「余弦退火策略通过时变学习率 η_t = η_min + ½(η_max−η_min)(1+cos(tπ/T)) 保证参数更新过程渐进收敛。
 * 实验表明，这种周期性重启机制可使模型在损失曲面的不同盆地间迁移，最终找到更优的极小点」
 *
 * Papers: Loshchilov & Hutter 2017 (SGDR); Smith & Topin 2019 (one-cycle); Goyal et al. 2017 (warmup).
 *
 * Measured, per schedule and seed: final training loss and test error; parameter drift over the last 5% of
 * steps (does the iterate settle?). For SGDR, the parameters at the end of each cycle and the loss barrier on
 * the straight line between consecutive ones (a barrier means a different basin), against the same
 * measurement between the same steps of the plain cosine run.
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Bilingual, type ClaimVerdict, type Figure, type Metric, type RunContext } from '../../experiments/contract.js';
import { verdictFor, type Criterion } from '../../experiments/verdict.js';
import { pairedDiffCi95 } from '../../experiments/stats.js';
import { VERDICT_WORD } from './words.js';
import { loadDigits, splitDigits, type Digits } from '../../data/corpora.js';
import { tf } from '../../engine/tf.js';
import { Rng } from '../../engine/rng.js';
import { digitsTensors, initMLP, mlpEvaluate, mlpForward, softmaxCrossEntropy, trainMLP, type MLPSpec } from '../../nn/mlp.js';
import { barChart, lineChart, type Row, type Spec } from '../../report/charts.js';
import { createTensorOptimizer } from '../../optim/optimizers.js';
import { defaultSchedule, makeSchedule, sgdrRestarts, type ScheduleKind, type ScheduleSpec } from '../../optim/schedules.js';
import { CharVocab, GPT, GPT_CONFIGS, localGradients, sampleBatch, evalBpc } from '../../gpt/index.js';
import { splitText } from '../../data/corpora.js';

const KINDS = ['constant', 'step', 'exponential', 'warmup', 'cosine', 'warmup-cosine', 'sgdr', 'one-cycle'] as const;
type Kind = (typeof KINDS)[number];

/** each schedule as a learner reads it (figures, Chinese findings); the English side is the schedule's id */
const SCHEDULE_NAME: Record<Kind, Bilingual> = {
  constant: { en: 'constant', zh: '恒定' },
  step: { en: 'step', zh: '阶梯衰减' },
  exponential: { en: 'exponential', zh: '指数衰减' },
  warmup: { en: 'warmup', zh: '预热' },
  cosine: { en: 'cosine', zh: '余弦' },
  'warmup-cosine': { en: 'warmup-cosine', zh: '预热 + 余弦' },
  sgdr: { en: 'sgdr', zh: 'SGDR' },
  'one-cycle': { en: 'one-cycle', zh: '单周期' },
};
const scheduleName = (k: string): Bilingual => SCHEDULE_NAME[k as Kind] ?? { en: k, zh: k };

const Params = z.object({
  schedules: z.array(z.enum(KINDS)).default([...KINDS]).describe('schedules to compare (defaults of each from schedules.ts: defaultSchedule)').meta({ zh: '参与比较的学习率调度（各自的默认设置见 schedules.ts 的 defaultSchedule）' }),
  seeds: z.number().int().min(1).max(20).default(5).describe('seeds per schedule (init, data split and order)').meta({ zh: '每种调度跑几个随机种子（初始化、数据划分和顺序都不同）' }),
  epochs: z.number().int().min(1).max(500).default(30).describe('epochs per run: the same budget for every schedule').meta({ zh: '每次运行的训练轮数：所有调度的预算相同' }),
  batchSize: z.number().int().min(1).max(1300).default(64).describe('minibatch size').meta({ zh: '小批量大小' }),
  lr: z.number().positive().default(0.1).describe('peak learning rate (SGD with momentum 0.9)').meta({ zh: '峰值学习率（SGD，动量 0.9）' }),
  hidden: z.number().int().min(4).max(1024).default(64).describe('hidden width of the MLP [64, h, 10], ReLU').meta({ zh: 'MLP [64, h, 10] 的隐藏层宽度（ReLU）' }),
  nTrain: z.number().int().min(100).max(1300).default(1300).describe('training images (the other 497 are the test set)').meta({ zh: '训练图片数（其余 497 张是测试集）' }),
  gptSteps: z.number().int().min(0).max(20000).default(0).describe('nano-GPT steps per schedule (0 = skip the GPT part)').meta({ zh: '每种调度训练 nano GPT 的步数（0 表示跳过 GPT 部分）' }),
  gptLr: z.number().positive().default(3e-3).describe('peak AdamW learning rate for the nano GPT').meta({ zh: 'nano GPT 用 AdamW 时的峰值学习率' }),
  gptSchedules: z.array(z.enum(KINDS)).default(['constant', 'cosine', 'warmup-cosine', 'sgdr']).describe('schedules of the nano-GPT part').meta({ zh: 'GPT 部分比较的调度' }),
});
type P = z.infer<typeof Params>;

interface RunOut {
  kind: ScheduleKind;
  seed: number;
  trainLoss: number;
  testErr: number;
  drift: number;
}

const flatOf = (vars: Record<string, tf.Variable>, names: string[]) => names.map((n) => Float32Array.from(vars[n]!.dataSync()));
const dist = (a: Float32Array[], b: Float32Array[]) => {
  let s = 0;
  for (let l = 0; l < a.length; l++) for (let i = 0; i < a[l]!.length; i++) s += (a[l]![i]! - b[l]![i]!) ** 2;
  return Math.sqrt(s);
};

/** Loss barrier on the segment between two parameter sets: max_α L(θ_α) − ((1−α)L(θ_a) + αL(θ_b)). */
function barrier(
  spec: MLPSpec,
  names: string[],
  shapes: number[][],
  a: Float32Array[],
  b: Float32Array[],
  data: Digits,
  points = 11,
): { barrier: number; curve: number[] } {
  const curve: number[] = [];
  const { x, y } = digitsTensors(data);
  for (let k = 0; k < points; k++) {
    const al = k / (points - 1);
    const l = tf.tidy(() => {
      const prm: Record<string, tf.Tensor> = {};
      names.forEach((n, i) => {
        const v = new Float32Array(a[i]!.length);
        for (let j = 0; j < v.length; j++) v[j] = (1 - al) * a[i]![j]! + al * b[i]![j]!;
        prm[n] = tf.tensor(v, shapes[i]!);
      });
      return softmaxCrossEntropy(mlpForward(spec, prm, x).logits, y).dataSync()[0]!;
    });
    curve.push(l);
  }
  tf.dispose([x, y]);
  let bar = -Infinity;
  curve.forEach((l, k) => {
    const al = k / (points - 1);
    bar = Math.max(bar, l - ((1 - al) * curve[0]! + al * curve[points - 1]!));
  });
  return { barrier: bar, curve };
}

/** Criteria, declared before any run. */
const CRITERIA = {
  'control.cosine-convergence': [
    {
      level: 'reproduced',
      metric: 'trainLossDiffCiHigh',
      op: '<',
      value: 0,
      why: {
        en: 'convergence to a minimum, not just a step that shrinks to zero (η_t → η_min is true by construction): cosine ends at a lower training loss than constant η with the same budget — the 95% paired t interval over seeds of (cosine − constant) lies below 0',
        zh: '收敛到极小点，而不只是步长降到零（η_t → η_min 是公式本身决定的）：同样预算下余弦的最终训练损失低于恒定学习率——按种子配对的（余弦 − 恒定）95% t 区间整体小于 0',
      },
    },
  ],
  'control.warm-restarts': [
    {
      level: 'reproduced',
      metric: 'sgdrBarrierExcess',
      op: '>',
      value: 0.02,
      why: {
        en: "moves between basins: the loss barrier between consecutive SGDR cycle ends exceeds the cosine run's barrier between the same steps by > 0.02 nats (≈ 1% of the initial loss ln 10; connected minima have barriers ≈ 0, Garipov et al. 2018)",
        zh: '在盆地间迁移：SGDR 相邻周期终点之间的损失势垒比余弦运行在相同步数之间的势垒高出 0.02 nats 以上（约为初始损失 ln 10 的 1%；线性连通的极小点势垒 ≈ 0，Garipov 等 2018）',
      },
    },
    {
      level: 'reproduced',
      metric: 'sgdrMinusCosineCiHigh',
      op: '<',
      value: 0,
      why: {
        en: 'ends in a better minimum: the 95% paired t interval over seeds of test error (SGDR − cosine) lies below 0',
        zh: '最终找到更优的极小点：按种子配对的测试错误率之差（SGDR − 余弦）的 95% t 区间整体小于 0',
      },
    },
    {
      level: 'partly',
      metric: 'sgdrBarrierExcess',
      op: '>',
      value: 0.02,
      why: { en: 'half the claim: the restarts do reach other basins, even if they do not end lower', zh: '一半的说法：重启确实到达了别的盆地，即使终点并不更低' },
    },
  ],
} satisfies Record<string, readonly Criterion[]>;

/** Per-seed numbers the schedule verdicts are derived from (same seed order in every array). */
export interface ScheduleSeeds {
  cosineTrainLoss: number[];
  constantTrainLoss: number[];
  cosineTestErr: number[];
  sgdrTestErr: number[];
  cosineDrift: number;
  constantDrift: number;
  sgdrBarrier: number;
  cosineBarrier: number;
}

/** Evidence with paired intervals over seeds (pure; exported for tests). */
export function scheduleEvidence(s: ScheduleSeeds): { cosine: Record<string, number>; restarts: Record<string, number> } {
  const loss = s.cosineTrainLoss.length > 1 ? pairedDiffCi95(s.cosineTrainLoss, s.constantTrainLoss) : { mean: NaN, low: NaN, high: NaN };
  const err = s.sgdrTestErr.length > 1 ? pairedDiffCi95(s.sgdrTestErr, s.cosineTestErr) : { mean: NaN, low: NaN, high: NaN };
  return {
    cosine: { trainLossDiff: loss.mean, trainLossDiffCiHigh: loss.high, cosineDrift: s.cosineDrift, constantDrift: s.constantDrift, seeds: s.cosineTrainLoss.length },
    restarts: { sgdrMinusCosineTestErr: err.mean, sgdrMinusCosineCiHigh: err.high, sgdrBarrier: s.sgdrBarrier, cosineBarrier: s.cosineBarrier, sgdrBarrierExcess: s.sgdrBarrier - Math.max(0, s.cosineBarrier), seeds: s.sgdrTestErr.length },
  };
}

/** The verdicts, derived from the declared criteria (exported for tests). */
export function scheduleVerdicts(s: ScheduleSeeds): ClaimVerdict[] {
  const { cosine: c, restarts: r } = scheduleEvidence(s);
  return [
    verdictFor('control.cosine-convergence', CRITERIA['control.cosine-convergence'], c, (v) => ({
      en: `${VERDICT_WORD[v].en}: the step does go to zero — over the last 5% of the budget the parameters move ${c.cosineDrift!.toFixed(3)} under cosine against ${c.constantDrift!.toFixed(3)} at constant η — but where the iterate stops is ${c.trainLossDiff! < 0 ? 'lower' : 'not lower'} than constant η's: final training loss cosine − constant = ${c.trainLossDiff!.toFixed(4)} nats (95% interval upper bound ${c.trainLossDiffCiHigh!.toFixed(4)}, ${c.seeds} seeds). "Guarantees" holds for convex problems with decaying steps; here the schedule stops the iterate, it does not by itself bring it to a better point.`,
      zh: `${VERDICT_WORD[v].zh}：步长确实降到了零——在预算的最后 5% 里，余弦下参数只移动 ${c.cosineDrift!.toFixed(3)}，恒定学习率下移动 ${c.constantDrift!.toFixed(3)}——但迭代停下的位置${c.trainLossDiff! < 0 ? '比' : '并不比'}恒定学习率更低：最终训练损失之差（余弦 − 恒定）为 ${c.trainLossDiff!.toFixed(4)} nats（95% 区间上界 ${c.trainLossDiffCiHigh!.toFixed(4)}，${c.seeds} 个种子）。“保证收敛”只在凸问题加递减步长时成立；这里调度让迭代停了下来，却不会自己把它带到更好的点。`,
    }), 'Loshchilov & Hutter 2017 (SGDR)'),
    verdictFor('control.warm-restarts', CRITERIA['control.warm-restarts'], r, (v) => ({
      en: `${VERDICT_WORD[v].en}: the loss barrier between consecutive SGDR cycle ends is ${r.sgdrBarrier!.toFixed(3)} nats (cosine, same steps: ${r.cosineBarrier!.toFixed(3)}); SGDR's test error minus cosine's is ${(100 * r.sgdrMinusCosineTestErr!).toFixed(2)} points (95% interval upper bound ${(100 * r.sgdrMinusCosineCiHigh!).toFixed(2)}, paired over ${r.seeds} seeds). ${r.sgdrBarrierExcess! > 0.02 ? 'Restarts do leave the basin' : 'The cycle ends are linearly connected: the restarts stay in one basin'}; ${r.sgdrMinusCosineCiHigh! < 0 ? 'and they end lower.' : 'and they do not end in a better minimum than one cosine cycle.'}`,
      zh: `${VERDICT_WORD[v].zh}：SGDR 相邻周期终点之间的损失势垒为 ${r.sgdrBarrier!.toFixed(3)} nats（余弦在相同步数处：${r.cosineBarrier!.toFixed(3)}）；SGDR 与余弦的测试错误率之差为 ${(100 * r.sgdrMinusCosineTestErr!).toFixed(2)} 个百分点（按 ${r.seeds} 个种子配对，95% 区间上界 ${(100 * r.sgdrMinusCosineCiHigh!).toFixed(2)}）。${r.sgdrBarrierExcess! > 0.02 ? '重启确实离开了原来的盆地' : '各周期终点之间线性连通：重启一直留在同一个盆地里'}；${r.sgdrMinusCosineCiHigh! < 0 ? '而且终点更低。' : '也没有比单个余弦周期找到更好的极小点。'}`,
    }), 'Loshchilov & Hutter 2017 (SGDR); Garipov et al. 2018 / Draxler et al. 2018 (mode connectivity)'),
  ];
}

export const schedulesExperiment = defineExperiment({
  id: 'control.schedules',
  lens: 'control',
  title: { en: 'Learning-rate schedules, same budget: does cosine converge, do warm restarts find better minima?', zh: '同样的预算，不同的学习率调度：余弦会收敛吗？热重启能找到更好的极小点吗？' },
  summary: {
    en: 'The learning rate is the gain of the feedback loop, and a schedule is a gain that changes with time. We train the same digits MLP under eight schedules with the same number of steps and several seeds, measure final loss, test error and how still the parameters are at the end, and test whether SGDR\'s restarts hop to other basins and end lower.',
    zh: '学习率是反馈回路的增益，调度就是随时间变化的增益。我们用同样的步数、多个随机种子，在八种调度下训练同一个手写数字 MLP，测量最终损失、测试错误率和结束时参数是否已经停稳，并检验 SGDR 的重启是否跳到了别的盆地、终点是否更低。',
  },
  claims: ['control.cosine-convergence', 'control.warm-restarts'],
  criteria: CRITERIA,
  params: Params,
  presets: {
    quick: { schedules: ['constant', 'cosine', 'sgdr'], seeds: 1, epochs: 7, nTrain: 400, hidden: 32 },
    full: { seeds: 5, epochs: 30, gptSteps: 300 },
  },
  formulas: [
    { tex: '\\eta_t = \\eta_{\\min} + \\tfrac12(\\eta_{\\max}-\\eta_{\\min})\\big(1+\\cos(\\pi t/T)\\big)', label: { en: "cosine annealing (the seed's formula)", zh: '余弦退火（种子答案的公式）' } },
    { tex: '\\eta_t = \\eta_{\\min} + \\tfrac12(\\eta_{\\max}-\\eta_{\\min})\\big(1+\\cos(\\pi T_{cur}/T_i)\\big),\\ T_{i+1} = T_{mult}\\,T_i', label: { en: 'SGDR (warm restarts)', zh: 'SGDR（热重启）' } },
    { tex: 'B = \\max_{\\alpha\\in[0,1]} L\\big((1-\\alpha)\\theta_a + \\alpha\\theta_b\\big) - \\big((1-\\alpha)L(\\theta_a) + \\alpha L(\\theta_b)\\big)', label: { en: 'loss barrier between two solutions', zh: '两个解之间的损失势垒' } },
  ],

  async run(p: P, ctx) {
    const mlp = await measureMlp(p, ctx);
    const { total, sgdrSpec, runs, barriers } = mlp;
    const { gptRows, gptFinal } = await measureGpt(p, ctx);

    // --- summary -------------------------------------------------------------------------------------------
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)) * (xs.length / Math.max(1, xs.length - 1)));
    const by = (k: string) => runs.filter((r) => r.kind === k);
    const table = p.schedules.map((k) => {
      const rs = by(k);
      return {
        schedule: k,
        train_loss: +mean(rs.map((r) => r.trainLoss)).toFixed(5),
        test_error_pct: +(100 * mean(rs.map((r) => r.testErr))).toFixed(2),
        test_error_sd: +(100 * sd(rs.map((r) => r.testErr))).toFixed(2),
        drift_last5pct: +mean(rs.map((r) => r.drift)).toFixed(4),
        ...(gptFinal[k] !== undefined ? { gpt_val_bpc: +gptFinal[k]!.toFixed(3) } : {}),
      };
    });
    const metrics: Metric[] = [];
    for (const row of table) {
      metrics.push(
        { name: `test_error_${row.schedule}`, value: row.test_error_pct / 100, unit: '1', label: { en: `test error, ${row.schedule}`, zh: `测试错误率，${scheduleName(row.schedule).zh}` } },
        { name: `train_loss_${row.schedule}`, value: row.train_loss, unit: 'nats', label: { en: `final training loss, ${row.schedule}`, zh: `最终训练损失，${scheduleName(row.schedule).zh}` } },
        { name: `drift_${row.schedule}`, value: row.drift_last5pct, unit: 'L2', label: { en: `‖θ_T − θ_0.95T‖, ${row.schedule}`, zh: `‖θ_T − θ_0.95T‖，${scheduleName(row.schedule).zh}` } },
      );
      if (row.gpt_val_bpc !== undefined) metrics.push({ name: `gpt_val_bpc_${row.schedule}`, value: row.gpt_val_bpc, unit: 'bits/char', label: { en: `nano GPT validation bpc, ${row.schedule}`, zh: `nano GPT 验证集 bpc，${scheduleName(row.schedule).zh}` } });
    }
    const has = (k: string) => (p.schedules as readonly string[]).includes(k);
    const verdicts: ClaimVerdict[] = [];
    const findings: Bilingual[] = [];
    const best = [...table].sort((a, b) => a.test_error_pct - b.test_error_pct)[0]!;
    findings.push({
      en: `${p.seeds} seed(s), ${total} steps each, SGD-momentum peaking at η = ${p.lr}: ${table.map((r) => `${r.schedule} ${r.test_error_pct.toFixed(2)}±${r.test_error_sd.toFixed(2)}% (loss ${r.train_loss.toFixed(4)})`).join('; ')}. Best test error: ${best.schedule}.`,
      zh: `${p.seeds} 个种子，每次 ${total} 步，带动量 SGD，峰值学习率 η = ${p.lr}：${table.map((r) => `${scheduleName(r.schedule).zh} ${r.test_error_pct.toFixed(2)}±${r.test_error_sd.toFixed(2)}%（训练损失 ${r.train_loss.toFixed(4)}）`).join('；')}。测试错误率最低的调度：${scheduleName(best.schedule).zh}。`,
    });
    if (has('cosine') && has('constant') && has('sgdr')) {
      const cos = by('cosine');
      const con = by('constant');
      const sg = by('sgdr');
      const e = {
        cosineDrift: mean(cos.map((r) => r.drift)),
        constantDrift: mean(con.map((r) => r.drift)),
        sgdrMinusCosineTestErr: mean(sg.map((r, i) => r.testErr - cos[i]!.testErr)),
        sgdrBarrier: mean(barriers.sgdr!),
        cosineBarrier: mean(barriers.cosine!),
      };
      verdicts.push(...scheduleVerdicts({ ...e, cosineTrainLoss: cos.map((r) => r.trainLoss), constantTrainLoss: con.map((r) => r.trainLoss), cosineTestErr: cos.map((r) => r.testErr), sgdrTestErr: sg.map((r) => r.testErr) }));
      metrics.push(
        { name: 'sgdr_barrier', value: e.sgdrBarrier, unit: 'nats', label: { en: 'mean loss barrier between consecutive SGDR cycle ends', zh: 'SGDR 相邻周期终点之间的平均损失势垒' } },
        { name: 'cosine_barrier', value: e.cosineBarrier, unit: 'nats', label: { en: 'same, between the same steps of the cosine run', zh: '余弦运行在相同步数之间的同一指标' } },
        { name: 'sgdr_minus_cosine_test_error', value: e.sgdrMinusCosineTestErr, unit: '1', label: { en: 'test error SGDR − cosine (paired mean)', zh: 'SGDR 与余弦的测试错误率之差（配对均值）' } },
      );
      findings.push({
        en: `Warm restarts: SGDR (T₀ = ${sgdrSpec.T0}, T_mult = 2; restarts at steps ${sgdrRestarts(sgdrSpec.T0, 2, total).join(', ')}) ends at test error ${(100 * mean(sg.map((r) => r.testErr))).toFixed(2)}% vs cosine ${(100 * mean(cos.map((r) => r.testErr))).toFixed(2)}%. The straight line between consecutive cycle ends rises at most ${e.sgdrBarrier.toFixed(3)} nats above the chord (cosine between the same steps: ${e.cosineBarrier.toFixed(3)}). The parameters move ${e.cosineDrift.toFixed(3)} in the last 5% under cosine vs ${e.constantDrift.toFixed(3)} at constant η.`,
        zh: `热重启：SGDR（T₀ = ${sgdrSpec.T0}，T_mult = 2；在第 ${sgdrRestarts(sgdrSpec.T0, 2, total).join('、')} 步重启）最终测试错误率 ${(100 * mean(sg.map((r) => r.testErr))).toFixed(2)}%，余弦为 ${(100 * mean(cos.map((r) => r.testErr))).toFixed(2)}%。相邻周期终点之间的直线上，损失最多比弦高出 ${e.sgdrBarrier.toFixed(3)} nats（余弦在相同步数之间：${e.cosineBarrier.toFixed(3)}）。最后 5% 的步数里，余弦下参数移动 ${e.cosineDrift.toFixed(3)}，恒定学习率下移动 ${e.constantDrift.toFixed(3)}。`,
      });
    }
    if (p.gptSteps > 0) {
      findings.push({
        en: `Nano GPT, ${p.gptSteps} AdamW steps per schedule (one seed): validation bpc ${Object.entries(gptFinal).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}.`,
        zh: `nano GPT，每种调度 ${p.gptSteps} 步 AdamW（单个种子）：验证集 bpc ${Object.entries(gptFinal).map(([k, v]) => `${scheduleName(k).zh} ${v.toFixed(3)}`).join('，')}。`,
      });
    }

    const figures = figuresOf(p, mlp, table, gptRows);
    return { metrics, findings, verdicts, figures, tables: [{ id: 'schedules', title: { en: 'Schedules, same budget', zh: '同预算下的各调度' }, rows: table }] };
  },
});

/** The digits MLP under every schedule and seed: final loss, test error, drift, and the barriers between SGDR cycle ends. */
async function measureMlp(p: P, ctx: RunContext) {
  const ds = await loadDigits(ctx.data);
  const spec: MLPSpec = { sizes: [64, p.hidden, 10], activation: 'relu' };
  const stepsPerEpoch = Math.ceil(p.nTrain / p.batchSize);
  const total = p.epochs * stepsPerEpoch;
  const specs = Object.fromEntries(p.schedules.map((k) => [k, defaultSchedule(k, p.lr, total)])) as Record<ScheduleKind, ScheduleSpec>;
  const sgdrSpec = defaultSchedule('sgdr', p.lr, total) as Extract<ScheduleSpec, { kind: 'sgdr' }>;
  // snapshot steps: SGDR cycle ends (just before each restart) and the end; plus 95% of the budget
  const cycleEnds = [...sgdrRestarts(sgdrSpec.T0, sgdrSpec.Tmult, total), total];
  const driftStep = Math.floor(0.95 * total);
  const runs: RunOut[] = [];
  const curveRows: Row[] = [];
  const barriers: Record<string, number[]> = { sgdr: [], cosine: [] };
  const barrierRows: Row[] = [];
  let done = 0;
  for (let s = 0; s < p.seeds; s++) {
    const srng = ctx.rng.fork(`seed-${s}`);
    const { train, test } = splitDigits(ds, srng.fork('split'), 497, p.nTrain);
    for (const kind of p.schedules) {
      throwIfAborted(ctx.signal);
      ctx.progress(((p.gptSteps > 0 ? 0.85 : 1) * done) / (p.seeds * p.schedules.length), `${kind}, seed ${s}`);
      const vars = initMLP(spec, srng.fork('init'));
      const names = Object.keys(vars);
      const shapes = names.map((n) => vars[n]!.shape);
      const opt = createTensorOptimizer({ kind: 'momentum', beta: 0.9 });
      const sched = makeSchedule(specs[kind]);
      const snaps = new Map<number, Float32Array[]>();
      const want = new Set([driftStep, ...(kind === 'sgdr' || kind === 'cosine' ? cycleEnds : [])]);
      const hist = await trainMLP(spec, vars, train, {
        epochs: p.epochs,
        batchSize: p.batchSize,
        lr: (t) => sched(t),
        rng: srng.fork('order'),
        optimizer: opt,
        signal: ctx.signal,
        onStep: (step) => {
          if (want.has(step + 1)) snaps.set(step + 1, flatOf(vars, names));
        },
      });
      const final = flatOf(vars, names);
      const ev = mlpEvaluate(spec, vars, test);
      const trainEv = mlpEvaluate(spec, vars, train);
      runs.push({ kind, seed: s, trainLoss: trainEv.loss, testErr: 1 - ev.accuracy, drift: dist(final, snaps.get(driftStep) ?? final) });
      if (s === 0) {
        hist.forEach((l, e) => curveRows.push({ epoch: e + 1, loss: l, schedule: scheduleName(kind) }));
      }
      if (kind === 'sgdr' || kind === 'cosine') {
        const ends = cycleEnds.map((t) => (t === total ? final : snaps.get(t))).filter((x): x is Float32Array[] => !!x);
        for (let c = 1; c < ends.length; c++) {
          const b = barrier(spec, names, shapes, ends[c - 1]!, ends[c]!, train);
          barriers[kind]!.push(b.barrier);
          const pair: Bilingual = { en: `${kind}: step ${cycleEnds[c - 1]} → ${cycleEnds[c]}`, zh: `${scheduleName(kind).zh}：第 ${cycleEnds[c - 1]} → ${cycleEnds[c]} 步` };
          if (s === 0) b.curve.forEach((l, k) => barrierRows.push({ alpha: k / (b.curve.length - 1), loss: l, pair }));
        }
      }
      opt.dispose();
      tf.dispose(Object.values(vars));
      done++;
      await tick();
    }
  }

  return { total, specs, sgdrSpec, runs, curveRows, barriers, barrierRows };
}

/** Optional: the nano GPT under each schedule (one seed: a finding, not evidence). */
async function measureGpt(p: P, ctx: RunContext) {
  // --- optional: the nano GPT under each schedule ------------------------------------------------------
  const gptRows: Row[] = [];
  const gptFinal: Record<string, number> = {};
  if (p.gptSteps > 0) {
    const text = (await ctx.data.text('shakespeare')).slice(0, 300_000);
    const { train: tr, val } = splitText(text);
    const vocab = CharVocab.fromText(text);
    const data = vocab.encode(tr);
    for (const [gi, kind] of p.gptSchedules.entries()) {
      throwIfAborted(ctx.signal);
      ctx.progress(0.85 + (0.15 * gi) / p.gptSchedules.length, `nano GPT, ${kind}`);
      const model = GPT.init('nano', vocab.size, new Rng(ctx.seed).fork('gpt-init'));
      const cfg = GPT_CONFIGS.nano;
      const opt = createTensorOptimizer({ kind: 'adamw', beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 });
      const sched = makeSchedule(defaultSchedule(kind, p.gptLr, p.gptSteps));
      const brng = new Rng(ctx.seed).fork('gpt-batches');
      for (let t = 0; t < p.gptSteps; t++) {
        const { loss, grads } = localGradients(model, sampleBatch(data, cfg.train.batchSize, cfg.blockSize, brng));
        opt.step(model.params, grads, sched(t));
        tf.dispose(Object.values(grads));
        if (t % 20 === 0) gptRows.push({ step: t, loss, schedule: scheduleName(kind) });
        if (t % 50 === 49) await tick();
      }
      gptFinal[kind] = evalBpc(model, vocab, val.slice(0, 20_000));
      opt.dispose();
      model.dispose();
    }
  }

  return { gptRows, gptFinal };
}

/** The colour legend in the given order, in either language (rather than sorted by the localized names). */
function colourOrder(spec: Spec, domain: Bilingual[]): Spec {
  const main = (spec.layer as Spec[])[0]!;
  const enc = main.encoding as Spec;
  enc.color = { ...(enc.color as Spec), scale: { domain } };
  return spec;
}
/** colour by schedule, the legend in the order of KINDS */
const bySchedule = (spec: Spec, kinds: readonly string[]): Spec => colourOrder(spec, KINDS.filter((k) => kinds.includes(k)).map(scheduleName));

/** The figures: the schedules, test error, training loss, barriers, and the GPT. */
function figuresOf(p: P, mlp: Awaited<ReturnType<typeof measureMlp>>, table: { schedule: string; test_error_pct: number; test_error_sd: number }[], gptRows: Row[]): Figure[] {
  const { specs, total, curveRows, barrierRows } = mlp;
  const lrRows: Row[] = [];
  for (const k of p.schedules) {
    const f = makeSchedule(specs[k]);
    for (let t = 0; t < total; t += Math.max(1, Math.floor(total / 200))) lrRows.push({ step: t, lr: f(t), schedule: scheduleName(k) });
  }
  const SCHEDULE = { en: 'schedule', zh: '调度' };
  const STEP = { en: 'step', zh: '步数' };
  const TRAIN_LOSS = { en: 'training loss (nats)', zh: '训练损失（nats）' };
  return [
    {
      id: 'schedules',
      title: { en: 'The schedules', zh: '各调度曲线' },
      spec: bySchedule(lineChart({ title: { en: `η_t over the budget of ${total} steps`, zh: `${total} 步预算内的 η_t` }, data: lrRows, x: { field: 'step', title: STEP }, y: { field: 'lr', title: { en: 'learning rate η_t', zh: '学习率 η_t' } }, color: { field: 'schedule', title: SCHEDULE } }), p.schedules),
    },
    {
      id: 'test-error',
      title: { en: 'Test error per schedule', zh: '各调度的测试错误率' },
      spec: barChart({
        title: { en: `Test error (mean ± sd over ${p.seeds} seeds)`, zh: `测试错误率（${p.seeds} 个种子的均值 ± 标准差）` },
        data: table.map((r) => ({ schedule: scheduleName(r.schedule), err: r.test_error_pct, lo: r.test_error_pct - r.test_error_sd, hi: r.test_error_pct + r.test_error_sd })),
        x: { field: 'schedule', title: SCHEDULE },
        y: { field: 'err', title: { en: 'test error (%)', zh: '测试错误率（%）' } },
        errorLo: 'lo',
        errorHi: 'hi',
      }),
    },
    {
      id: 'train-loss',
      title: { en: 'Training loss per epoch (seed 0)', zh: '每轮训练损失（种子 0）' },
      spec: bySchedule(lineChart({ title: { en: 'Mean minibatch loss per epoch (log scale), seed 0', zh: '每轮的平均小批量损失（对数坐标），种子 0' }, data: curveRows, x: { field: 'epoch', title: { en: 'epoch', zh: '轮次' } }, y: { field: 'loss', title: TRAIN_LOSS, scale: 'log' }, color: { field: 'schedule', title: SCHEDULE } }), p.schedules),
    },
    ...(barrierRows.length
      ? [
          {
            id: 'barriers',
            title: { en: 'Loss on the line between cycle ends', zh: '周期终点连线上的损失' },
            spec: colourOrder(
              lineChart({ title: { en: 'Training loss along θ_a → θ_b (seed 0)', zh: '沿 θ_a → θ_b 的训练损失（种子 0）' }, data: barrierRows, x: { field: 'alpha', title: 'α' }, y: { field: 'loss', title: TRAIN_LOSS, scale: 'log' }, color: { field: 'pair', title: { en: 'segment', zh: '线段' } }, points: true }),
              [...new Map(barrierRows.map((r) => [(r.pair as Bilingual).en, r.pair as Bilingual])).values()], // cycles in time order, not as strings
            ),
            caption: { en: 'A bump above the chord is a barrier: the two points lie in different basins.', zh: '曲线若高出两端连线，就是势垒：两点位于不同的盆地。' },
          },
        ]
      : []),
    ...(gptRows.length
      ? [
          {
            id: 'gpt-loss',
            title: { en: 'Nano GPT training loss per schedule', zh: '各调度下 nano GPT 的训练损失' },
            spec: bySchedule(lineChart({ title: { en: 'Nano GPT minibatch loss', zh: 'nano GPT 的小批量损失' }, data: gptRows, x: { field: 'step', title: STEP }, y: { field: 'loss', title: { en: 'loss (nats)', zh: '损失（nats）' } }, color: { field: 'schedule', title: SCHEDULE } }), p.gptSchedules),
          },
        ]
      : []),
  ];
}
