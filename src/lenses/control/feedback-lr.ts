/**
 * control.feedback-lr — closing a second loop: a PI controller that sets the learning rate from the
 * measured loss (beyond the seed answer).
 *
 * The seed treats the learning rate as a schedule fixed in advance (open loop). A control engineer would
 * measure the output and feed it back. Here the plant is SGD-momentum training of the digits MLP; the
 * measurement is the log-ratio of successive windowed losses r_k = log(L̄_k / L̄_{k−1}); the set point is a
 * target rate of progress r*; the actuator is log η:
 *
 *   e_k = clip(r* − r_k, −1, 0.1),   log η_{k+1} = log η_0 + K_p e_k + K_i Σ_{j≤k} e_j
 *
 * Faster progress than r* raises η; a rising loss (r_k > 0) cuts it; as progress slows late in training the
 * integral anneals η by itself. The error saturates asymmetrically (raise gently, cut hard): with a symmetric
 * ±1 saturation and gains high enough to matter, the loop on η itself oscillated into divergence in our
 * trials (K_p = 1, K_i = 2–3), and with low gains (K_i = 0.1) η hardly moved — the usual PI tuning trade-off. Related: "bold driver" (Battiti 1989), hypergradient descent (Baydin et al. 2018).
 *
 * Measured: final training loss and test error of the controller started from several η₀, against constant
 * η and cosine annealing at the same η₀ values (the best fixed schedule = the best of that grid), over seeds.
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Bilingual, type Figure, type Metric } from '../../experiments/contract.js';
import { loadDigits, splitDigits } from '../../data/corpora.js';
import { tf } from '../../engine/tf.js';
import { initMLP, mlpEvaluate, trainMLP, type MLPSpec } from '../../nn/mlp.js';
import { lineChart, type Row } from '../../report/charts.js';
import { createTensorOptimizer } from '../../optim/optimizers.js';
import { makeSchedule } from '../../optim/schedules.js';

const Params = z.object({
  lr0s: z.array(z.number().positive()).default([0.003, 0.01, 0.03, 0.1, 0.3, 1]).describe('initial / constant / peak learning rates compared').meta({ zh: '比较的学习率：初始值 / 常数学习率 / 峰值学习率' }),
  seeds: z.number().int().min(1).max(20).default(3).describe('seeds per configuration').meta({ zh: '每种配置跑几个随机种子' }),
  epochs: z.number().int().min(1).max(200).default(20).describe('epochs per run (same budget for all)').meta({ zh: '每次运行的训练轮数（所有配置预算相同）' }),
  batchSize: z.number().int().min(1).max(1300).default(64).describe('minibatch size').meta({ zh: '小批量大小' }),
  hidden: z.number().int().min(4).max(1024).default(64).describe('hidden width of the MLP [64, h, 10], ReLU').meta({ zh: 'MLP [64, h, 10] 的隐藏层宽度（ReLU）' }),
  nTrain: z.number().int().min(100).max(1300).default(1300).describe('training images').meta({ zh: '训练图片数' }),
  window: z.number().int().min(2).max(500).default(10).describe('steps per controller update (losses averaged over the window)').meta({ zh: '控制器每隔多少步更新一次（损失在这个窗口内取平均）' }),
  target: z.number().default(-0.005).describe('set point r*: target log-ratio of successive window losses (negative = falling)').meta({ zh: '设定值 r*：相邻两个窗口损失之比的目标对数（负数表示希望损失下降）' }),
  kp: z.number().nonnegative().default(0.5).describe('proportional gain on log η').meta({ zh: '作用在 log η 上的比例增益' }),
  ki: z.number().nonnegative().default(1).describe('integral gain on log η').meta({ zh: '作用在 log η 上的积分增益' }),
});
type P = z.infer<typeof Params>;

type Mode = 'constant' | 'cosine' | 'PI controller';
/** what a learner reads for each way of setting η (figures, Chinese findings) */
const MODE_NAME: Record<Mode, Bilingual> = {
  constant: { en: 'constant', zh: '恒定' },
  cosine: { en: 'cosine', zh: '余弦' },
  'PI controller': { en: 'PI controller', zh: 'PI 控制器' },
};

/** The controller as a pure object (exported for tests): feed window means, read η. */
export class LossFeedbackLR {
  private integral = 0;
  private prev: number | undefined;
  lr: number;
  constructor(
    readonly lr0: number,
    readonly target: number,
    readonly kp: number,
    readonly ki: number,
    readonly lrMax = 10,
    readonly eMax = 0.1,
  ) {
    this.lr = lr0;
  }
  /** One measurement (the mean loss of the last window); returns the new η. */
  update(windowLoss: number): number {
    if (!Number.isFinite(windowLoss)) {
      this.lr = this.lr / 10;
      return this.lr;
    }
    if (this.prev !== undefined) {
      const r = Math.log(windowLoss / this.prev);
      // asymmetric saturation: raise η gently, cut it hard (a rising loss is the dangerous direction)
      const e = Math.max(-1, Math.min(this.eMax, this.target - r));
      this.integral += e;
      this.lr = Math.min(this.lrMax, this.lr0 * Math.exp(this.kp * e + this.ki * this.integral));
    }
    this.prev = windowLoss;
    return this.lr;
  }
}

export const feedbackLr = defineExperiment({
  id: 'control.feedback-lr',
  lens: 'control',
  title: { en: 'Closing the loop on the learning rate: a PI controller on the loss', zh: '给学习率闭环：以损失为反馈的 PI 控制器' },
  summary: {
    en: 'A schedule is open-loop control: η_t is decided before training starts. A PI controller on the measured rate of progress sets η from the loss itself — raising it while the loss falls fast, cutting it when the loss rises, annealing it as progress slows. We compare it with constant and cosine schedules over a grid of starting learning rates.',
    zh: '学习率调度是开环控制：η_t 在训练开始前就定好了。以实测下降速度为反馈的 PI 控制器则根据损失本身来设定 η——损失降得快就调高，损失上升就调低，进展变慢时自动退火。我们在一组初始学习率上把它和恒定、余弦两种调度作比较。',
  },
  claims: [],
  params: Params,
  presets: {
    quick: { lr0s: [0.01, 0.3], seeds: 1, epochs: 3, nTrain: 300, hidden: 32 },
    full: {},
  },
  formulas: [
    { tex: 'e_k = \\operatorname{clip}_{[-1,\\,0.1]}\\Big(r^\\star - \\log\\frac{\\bar L_k}{\\bar L_{k-1}}\\Big),\\quad \\log\\eta_{k+1} = \\log\\eta_0 + K_p e_k + K_i \\textstyle\\sum_{j\\le k} e_j', label: { en: 'PI control of log η on the loss log-ratio', zh: '以损失对数比为误差、对 log η 做 PI 控制' } },
  ],

  async run(p: P, ctx) {
    const ds = await loadDigits(ctx.data);
    const spec: MLPSpec = { sizes: [64, p.hidden, 10], activation: 'relu' };
    const stepsPerEpoch = Math.ceil(p.nTrain / p.batchSize);
    const total = p.epochs * stepsPerEpoch;
    const modes: Mode[] = ['constant', 'cosine', 'PI controller'];
    const res: { mode: Mode; lr0: number; seed: number; trainLoss: number; testErr: number }[] = [];
    const lrRows: Row[] = [];
    const lossRows: Row[] = [];
    let k = 0;
    for (let s = 0; s < p.seeds; s++) {
      const srng = ctx.rng.fork(`seed-${s}`);
      const { train, test } = splitDigits(ds, srng.fork('split'), 497, p.nTrain);
      for (const lr0 of p.lr0s)
        for (const mode of modes) {
          throwIfAborted(ctx.signal);
          ctx.progress(k++ / (p.seeds * p.lr0s.length * modes.length), `${mode}, η₀ = ${lr0}, seed ${s}`);
          const vars = initMLP(spec, srng.fork('init'));
          const opt = createTensorOptimizer({ kind: 'momentum', beta: 0.9 });
          const ctl = new LossFeedbackLR(lr0, p.target, p.kp, p.ki);
          const cos = makeSchedule({ kind: 'cosine', lrMax: lr0, lrMin: 0, T: total });
          let acc = 0;
          let n = 0;
          const lrOf = (t: number) => (mode === 'constant' ? lr0 : mode === 'cosine' ? cos(t) : ctl.lr);
          await trainMLP(spec, vars, train, {
            epochs: p.epochs,
            batchSize: p.batchSize,
            lr: lrOf,
            rng: srng.fork('order'),
            optimizer: opt,
            signal: ctx.signal,
            onStep: (step, loss) => {
              acc += loss;
              n++;
              if (n === p.window) {
                if (mode === 'PI controller') ctl.update(acc / n);
                if (s === 0) {
                  if (mode === 'PI controller') lrRows.push({ step, lr: lrOf(step), lr0: `η₀ = ${lr0}` });
                  lossRows.push({ step, loss: Number.isFinite(acc / n) ? Math.min(acc / n, 10) : 10, mode: MODE_NAME[mode], lr0: `η₀ = ${lr0}` });
                }
                acc = 0;
                n = 0;
              }
            },
          });
          const ev = mlpEvaluate(spec, vars, test);
          const tr = mlpEvaluate(spec, vars, train);
          res.push({ mode, lr0, seed: s, trainLoss: Number.isFinite(tr.loss) ? tr.loss : 10, testErr: 1 - ev.accuracy });
          opt.dispose();
          tf.dispose(Object.values(vars));
          await tick();
        }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const cell = (mode: Mode, lr0: number) => res.filter((r) => r.mode === mode && r.lr0 === lr0);
    const rows = modes.flatMap((mode) =>
      p.lr0s.map((lr0) => ({ mode, lr0, train_loss: +mean(cell(mode, lr0).map((r) => r.trainLoss)).toFixed(5), test_error_pct: +(100 * mean(cell(mode, lr0).map((r) => r.testErr))).toFixed(2) })),
    );
    const bestOf = (mode: Mode) => rows.filter((r) => r.mode === mode).reduce((a, b) => (b.test_error_pct < a.test_error_pct ? b : a));
    const bestConst = bestOf('constant');
    const bestCos = bestOf('cosine');
    const bestFixed = bestConst.test_error_pct <= bestCos.test_error_pct ? bestConst : bestCos;
    const bestCtl = bestOf('PI controller');
    const worst = (mode: Mode) => Math.max(...rows.filter((r) => r.mode === mode).map((r) => r.test_error_pct));
    const spread = (mode: Mode) => worst(mode) - bestOf(mode).test_error_pct;
    /** mean test error over the η₀ grid: the expected result when η₀ is guessed from the grid */
    const gridMean = (mode: Mode) => mean(rows.filter((r) => r.mode === mode).map((r) => r.test_error_pct));
    const wins = p.lr0s.filter((lr0) => {
      const e = (m: Mode) => rows.find((r) => r.mode === m && r.lr0 === lr0)!.test_error_pct;
      return e('PI controller') < e('constant') && e('PI controller') < e('cosine');
    }).length;
    const metrics: Metric[] = [
      { name: 'best_fixed_test_error', value: bestFixed.test_error_pct / 100, unit: '1', label: { en: `best fixed schedule (${bestFixed.mode}, η = ${bestFixed.lr0})`, zh: `最佳固定调度（${MODE_NAME[bestFixed.mode].zh}，η = ${bestFixed.lr0}）` } },
      { name: 'best_controller_test_error', value: bestCtl.test_error_pct / 100, unit: '1', label: { en: `best PI controller (η₀ = ${bestCtl.lr0})`, zh: `最佳 PI 控制器（η₀ = ${bestCtl.lr0}）` } },
      { name: 'spread_constant', value: spread('constant') / 100, unit: '1', label: { en: 'worst − best test error over η₀, constant', zh: '不同 η₀ 下测试错误率的极差，恒定' } },
      { name: 'spread_cosine', value: spread('cosine') / 100, unit: '1', label: { en: 'worst − best test error over η₀, cosine', zh: '不同 η₀ 下测试错误率的极差，余弦' } },
      { name: 'grid_mean_error_constant', value: gridMean('constant') / 100, unit: '1', label: { en: 'mean test error over the η₀ grid, constant', zh: 'η₀ 网格上的平均测试错误率，恒定' } },
      { name: 'grid_mean_error_cosine', value: gridMean('cosine') / 100, unit: '1', label: { en: 'mean test error over the η₀ grid, cosine', zh: 'η₀ 网格上的平均测试错误率，余弦' } },
      { name: 'grid_mean_error_controller', value: gridMean('PI controller') / 100, unit: '1', label: { en: 'mean test error over the η₀ grid, PI controller', zh: 'η₀ 网格上的平均测试错误率，PI 控制器' } },
      { name: 'controller_wins', value: wins, unit: `of ${p.lr0s.length}`, label: { en: 'η₀ values where the controller beats both open-loop schedules', zh: '控制器同时胜过两种开环调度的 η₀ 个数' } },
      { name: 'spread_controller', value: spread('PI controller') / 100, unit: '1', label: { en: 'worst − best test error over η₀, PI controller', zh: '不同 η₀ 下测试错误率的极差，PI 控制器' } },
    ];
    const findings: Bilingual[] = [
      {
        en: `${p.seeds} seed(s), ${total} steps: the best fixed schedule is ${bestFixed.mode} at η = ${bestFixed.lr0} (test error ${bestFixed.test_error_pct.toFixed(2)}%, training loss ${bestFixed.train_loss.toFixed(4)}); the best PI controller starts at η₀ = ${bestCtl.lr0} (${bestCtl.test_error_pct.toFixed(2)}%, ${bestCtl.train_loss.toFixed(4)}). Across η₀ ∈ {${p.lr0s.join(', ')}} the test error ranges over ${spread('constant').toFixed(2)} points at constant η, ${spread('cosine').toFixed(2)} under cosine and ${spread('PI controller').toFixed(2)} under the controller.`,
        zh: `${p.seeds} 个种子，${total} 步：最佳固定调度是 η = ${bestFixed.lr0} 的${bestFixed.mode === 'cosine' ? '余弦调度' : '恒定学习率'}（测试错误率 ${bestFixed.test_error_pct.toFixed(2)}%，训练损失 ${bestFixed.train_loss.toFixed(4)}）；最佳 PI 控制器从 η₀ = ${bestCtl.lr0} 出发（${bestCtl.test_error_pct.toFixed(2)}%，${bestCtl.train_loss.toFixed(4)}）。在 η₀ ∈ {${p.lr0s.join(', ')}} 上，测试错误率的极差：恒定学习率 ${spread('constant').toFixed(2)} 个百分点，余弦 ${spread('cosine').toFixed(2)}，控制器 ${spread('PI controller').toFixed(2)}。`,
      },
      {
        en: `Averaged over the grid of starting points, the test error is ${gridMean('constant').toFixed(2)}% (constant), ${gridMean('cosine').toFixed(2)}% (cosine) and ${gridMean('PI controller').toFixed(2)}% (controller); the controller beats both open-loop schedules at ${wins} of ${p.lr0s.length} starting points. ${gridMean('PI controller') < Math.min(gridMean('constant'), gridMean('cosine')) ? 'The feedback loop buys robustness: from a badly chosen η₀ it finds a workable η, which an open-loop schedule cannot.' : 'Here the feedback loop did not make training less sensitive to the starting η than the open-loop schedules.'} ${bestCtl.test_error_pct <= bestFixed.test_error_pct ? 'Its best run matches or beats the best fixed schedule.' : `Its best run is ${(bestCtl.test_error_pct - bestFixed.test_error_pct).toFixed(2)} points behind the best fixed schedule, which was tuned on the same grid.`}`,
        zh: `在整个初始学习率网格上平均，测试错误率分别为 ${gridMean('constant').toFixed(2)}%（恒定）、${gridMean('cosine').toFixed(2)}%（余弦）和 ${gridMean('PI controller').toFixed(2)}%（控制器）；在 ${p.lr0s.length} 个起点中有 ${wins} 个，控制器同时胜过两种开环调度。${gridMean('PI controller') < Math.min(gridMean('constant'), gridMean('cosine')) ? '反馈回路换来的是鲁棒性：即使起点选得很差，它也能自己找到可用的 η，开环调度做不到这一点。' : '在这里，反馈回路并没有比开环调度更不依赖初始 η。'}${bestCtl.test_error_pct <= bestFixed.test_error_pct ? '它最好的一次与最佳固定调度持平或更好。' : `它最好的一次比在同一网格上调好的最佳固定调度差 ${(bestCtl.test_error_pct - bestFixed.test_error_pct).toFixed(2)} 个百分点。`}`,
      },
    ];
    const errRows: Row[] = rows.map((r) => ({ lr0: r.lr0, err: r.test_error_pct, mode: MODE_NAME[r.mode] }));
    return {
      metrics,
      findings,
      verdicts: [],
      tables: [{ id: 'grid', title: { en: 'Test error and training loss over the η₀ grid', zh: 'η₀ 网格上的测试错误率与训练损失' }, rows }],
      figures: figures(p, errRows, lrRows, lossRows),
    };
  },
});

/** Test error against η₀ per schedule; the controller's η over training; the window losses (seed 0). */
function figures(p: P, errRows: Row[], lrRows: Row[], lossRows: Row[]): Figure[] {
  return [
    {
      id: 'robustness',
      title: { en: 'Sensitivity to the starting learning rate', zh: '对初始学习率的敏感度' },
      spec: lineChart({
        title: { en: `Test error vs η₀ (mean of ${p.seeds} seed(s))`, zh: `测试错误率与 η₀（${p.seeds} 个种子的均值）` },
        data: errRows,
        x: { field: 'lr0', title: { en: 'η₀ (constant / peak / initial)', zh: 'η₀（恒定值 / 峰值 / 初始值）' }, scale: 'log' },
        y: { field: 'err', title: { en: 'test error (%)', zh: '测试错误率（%）' }, scale: 'log' },
        color: { field: 'mode', title: { en: 'control', zh: '控制方式' } },
        points: true,
      }),
      caption: { en: 'A flat curve means the result does not depend on guessing η well.', zh: '曲线越平，结果就越不依赖于把 η 猜准。' },
    },
    {
      id: 'controller-lr',
      title: { en: 'The learning rate the controller chose', zh: '控制器选出的学习率' },
      spec: lineChart({
        title: { en: 'η over training, PI controller (seed 0)', zh: '训练中的 η，PI 控制器（种子 0）' },
        data: lrRows,
        x: { field: 'step', title: { en: 'step', zh: '步数' } },
        y: { field: 'lr', title: 'η', scale: 'log' },
        color: { field: 'lr0', title: { en: 'start', zh: '起点' } },
      }),
      caption: { en: 'From any start the controller moves η toward a common band, then lowers it as progress slows.', zh: '无论从哪里出发，控制器都把 η 推向同一区间，之后随着进展变慢再逐步降低。' },
    },
    {
      id: 'loss',
      title: { en: 'Training loss (window means), seed 0', zh: '训练损失（窗口均值），种子 0' },
      spec: lineChart({
        title: { en: 'Training loss per window (log scale; 10 = diverged)', zh: '各窗口的训练损失（对数坐标；10 表示发散）' },
        data: lossRows,
        x: { field: 'step', title: { en: 'step', zh: '步数' } },
        y: { field: 'loss', title: { en: 'loss (nats)', zh: '损失（nats）' }, scale: 'log' },
        color: { field: 'lr0', title: 'η₀' },
        dash: { field: 'mode', title: { en: 'control', zh: '控制方式' } },
      }),
    },
  ];
}
