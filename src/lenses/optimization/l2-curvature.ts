/**
 * optimization.l2-curvature
 *
 * Claim (seed, 优化理论): "L2正则化项 λ/2‖θ‖² 在优化目标中引入曲率约束，使Hessian矩阵的最小特征值保持正定，从而改善收敛性。"
 * References: Goodfellow, Bengio, Courville, Deep Learning (2016) §7.1.1 (L2 adds αI to the
 * Hessian, scales eigen-direction i by λ_i/(λ_i+α)); Ghorbani, Krishnan & Xiao 2019 (Hessian
 * spectra of trained nets: a bulk near zero with negative outliers); Goh 2017 (GD rate (κ−1)/(κ+1)).
 *
 * Measured (float64 MLP, Hessian-vector products by central differences of the exact gradient,
 * Lanczos for both ends of the spectrum; the tfjs double-backprop HVP cross-checks λ_max):
 * 1. at the net trained without L2, the spectrum of H + λI against that of H: the shift is
 *    exactly λ, so λ_min(H+λI) > 0 iff λ > −λ_min(H);
 * 2. nets trained with each λ of a sweep: λ_min, λ_max and the condition number at their own
 *    solution, and how far full-batch GD (step 1/λ_max) from that point drives ‖∇L_λ‖ in T steps.
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Figure, type Metric, type RunContext } from '../../experiments/contract.js';
import { verdictFor, type Criterion } from '../../experiments/verdict.js';
import { loadDigits, splitDigits } from '../../data/corpora.js';
import { layer, lineChart, scatterChart } from '../../report/charts.js';
import { tf } from '../../engine/tf.js';
import { fdHvp, lanczos, makeHvp, mlpFlatLoss, powerIteration } from './curvature.js';
import { norm } from './linalg.js';
import { accuracy64, initMlp64, lossGrad64, toBatch, train64, type MlpSpec64 } from '../../nn/mlp64.js';

const Params = z.object({
  hidden: z.number().int().min(2).default(16).describe('units, width of the one tanh hidden layer').meta({ zh: '唯一一个 tanh 隐藏层的宽度（单元数）' }),
  nTrain: z.number().int().min(20).default(500).describe('rows, training examples (the Hessian is of the full training loss)').meta({ zh: '训练样本数（Hessian 针对的是全部训练数据上的损失）' }),
  epochs: z.number().int().min(1).default(150).describe('epochs of Adam (batch 64, η=3e-3) per λ').meta({ zh: '每个 λ 用 Adam 训练的轮数（批大小 64，η=3e-3）' }),
  lambdas: z.array(z.number().min(0)).default([0, 1e-3, 1e-2, 3e-2, 1e-1]).describe('λ values of the L2 sweep (the first should be 0)').meta({ zh: 'L2 扫描的 λ 取值（第一个应为 0，作为不加正则的对照）' }),
  lanczosSteps: z.number().int().min(5).default(60).describe('Lanczos steps (Hessian-vector products) per spectrum').meta({ zh: '每条谱用多少步 Lanczos 迭代（即多少次 Hessian-向量乘积）' }),
  gdSteps: z.number().int().min(1).default(300).describe('steps of full-batch GD (η = 1/λ_max) from each trained point').meta({ zh: '从每个训练好的点出发做多少步全批量梯度下降（η = 1/λ_max）' }),
});

type P = z.infer<typeof Params>;

/**
 * Criteria, declared before any run. That H + λI has every eigenvalue shifted by exactly λ, and so is
 * positive definite at the same point once λ > −λ_min(H), is true by construction (the Hessian of
 * (λ/2)‖θ‖² is λI): a unit test (test/lenses/optimization/curvature.test.ts), not evidence. What can
 * fail is what the claim says happens where training with L2 actually lands, and to convergence.
 */
export const CRITERIA = {
  'opt.l2-curvature': [
    { level: 'reproduced', metric: 'min_lambda_min_own', op: '>', value: 0, why: { en: '"keeps the smallest eigenvalue positive": at every regularised solution of the sweep (λ > 0), the smallest Ritz value of ∇²L_λ (an upper bound on λ_min) is positive', zh: '“最小特征值保持正定”：扫描中每个正则化解（λ > 0）处，∇²L_λ 的最小 Ritz 值（λ_min 的上界）为正' } },
    { level: 'reproduced', metric: 'gd_rate_speedup', op: '>=', value: 1.5, why: { en: '"improves convergence": the late linear rate of full-batch GD (η = 1/λ_max) at the largest λ at least 1.5× that without L2 (a stated effect size)', zh: '“改善收敛性”：最大 λ 处全批量 GD（η = 1/λ_max）后半程的线性收敛率至少是无 L2 时的 1.5 倍（约定的效应量）' } },
    { level: 'partly', metric: 'min_lambda_min_own', op: '>', value: 0, why: { en: 'positive definite where training lands, without a faster GD', zh: '训练停下之处正定，但 GD 没有更快' } },
  ],
} satisfies Record<string, readonly Criterion[]>;

type Row = { lambda: number; theta: Float64Array; ritz: Float64Array; min: number; max: number; acc: number; gd: number[] };
const kappa = (r: Row) => (r.min > 0 ? r.max / r.min : Infinity);
const gdRatio = (r: Row) => r.gd[r.gd.length - 1]! / r.gd[0]!;
/** late linear rate of GD: mean log-decrease of ‖∇L_λ‖ per step over the second half */
const gdRate = (r: Row) => {
  const T = r.gd.length - 1;
  const h = Math.floor(T / 2);
  return Math.log(r.gd[T]! / r.gd[h]!) / Math.max(1, T - h);
};
/** how many times faster GD's late linear rate is at the largest λ than without L2 (capped at 1e6) */
function gdSpeedup(base: Row, last: Row): number {
  const b = -gdRate(base);
  const l = -gdRate(last);
  return b > 0 ? l / b : l > 0 ? 1e6 : NaN;
}

/** Train once per λ, find both ends of each spectrum, run GD from each trained point; then the exact-shift check. */
async function measure(p: P, ctx: RunContext) {
  const ds = await loadDigits(ctx.data);
  const { train, test } = splitDigits(ds, ctx.rng.fork('split'), 497, p.nTrain);
  const tb = toBatch(train);
  const teb = toBatch(test);
  const spec: MlpSpec64 = { sizes: [64, p.hidden, 10], activation: 'tanh' };
  const theta0 = initMlp64(spec, ctx.rng.fork('init'));
  const D = theta0.length;
  const gradOf = (l2: number) => (t: Float64Array) => lossGrad64(spec, t, tb, { l2 }).grad;
  const spectrum = (theta: Float64Array, l2: number, label: string) => {
    const g = gradOf(l2);
    return lanczos((v) => fdHvp(g, theta, v, 1e-5), D, p.lanczosSteps, ctx.rng.fork(`lanczos-${label}`)).ritz;
  };

  const rows: Row[] = [];
  for (let li = 0; li < p.lambdas.length; li++) {
    const lambda = p.lambdas[li]!;
    const theta = Float64Array.from(theta0);
    train64(spec, theta, tb, { epochs: p.epochs, batch: 64, lr: 3e-3, opt: { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 }, rng: ctx.rng.fork('order'), l2: lambda });
    await tick();
    throwIfAborted(ctx.signal);
    const ritz = spectrum(theta, lambda, `trained-${lambda}`);
    const min = ritz[0]!;
    const max = ritz[ritz.length - 1]!;
    // full-batch GD from the trained point, step 1/λ_max
    const th = Float64Array.from(theta);
    const g = gradOf(lambda);
    const gd: number[] = [];
    for (let t = 0; t <= p.gdSteps; t++) {
      const gr = g(th);
      gd.push(norm(gr));
      if (t === p.gdSteps) break;
      for (let i = 0; i < D; i++) th[i]! -= gr[i]! / max;
      if (t % 50 === 0) {
        await tick();
        throwIfAborted(ctx.signal);
      }
    }
    rows.push({ lambda, theta, ritz, min, max, acc: accuracy64(spec, theta, teb), gd });
    ctx.progress((0.8 * (li + 1)) / p.lambdas.length, `λ = ${lambda}`);
  }

  // 1. the exact shift at the unregularised solution
  const base = rows[0]!;
  const shifts = p.lambdas.slice(1).map((lambda) => {
    const r = spectrum(base.theta, lambda, `trained-${base.lambda}`); // same start vector as H's own spectrum
    return { lambda, min: r[0]!, max: r[r.length - 1]!, dMin: r[0]! - base.min - lambda, dMax: r[r.length - 1]! - base.max - lambda };
  });
  const shiftError = Math.max(0, ...shifts.map((s) => Math.max(Math.abs(s.dMin), Math.abs(s.dMax))));
  const threshold = Math.max(0, -base.min);
  ctx.progress(0.9, 'tfjs cross-check');

  // tfjs double-backprop HVP cross-check of λ_max at the unregularised solution
  const tfTop = tf.tidy(() => {
    const x = tf.tensor2d(train.x, [train.n, 64]);
    const y = tf.oneHot(tf.tensor1d(train.y, 'int32'), 10).toFloat() as tf.Tensor2D;
    const loss = mlpFlatLoss(spec.sizes, 'tanh', x, y, 0);
    return tf.scalar(powerIteration(makeHvp(loss, base.theta), D, ctx.rng.fork('tf-power'), { iters: 300, tol: 1e-7 }).value);
  });
  const tfTopValue = tfTop.dataSync()[0]!;
  tfTop.dispose();
  const tfRel = Math.abs(tfTopValue - base.max) / Math.abs(base.max);

  const lastRow = rows[rows.length - 1]!;
  /** κ of H + λI at the unregularised solution (finite once λ > −λ_min(H)) */
  const kappaShift = shifts.map((s) => ({ lambda: s.lambda, kappa: s.min > 0 ? s.max / s.min : Infinity }));
  return { D, rows, base, shifts, shiftError, threshold, tfRel, lastRow, kappaShift };
}
type Measured = Awaited<ReturnType<typeof measure>>;

const MEASURED = { en: 'λ_min(H+λI), Lanczos', zh: 'λ_min(H+λI)，Lanczos' };
const THEORY = { en: 'λ_min(H) + λ (theory)', zh: 'λ_min(H) + λ（理论）' };

function figures(p: P, m: Measured): Figure[] {
  const { rows, base, shifts, D } = m;
  const lamLabel = (l: number) => `λ=${l}`;
  const specRows = rows.flatMap((r) => Array.from(r.ritz).map((v) => ({ lambda: lamLabel(r.lambda), ritz: v })));
  const shiftRows = [
    { lambda: 0, which: MEASURED, value: base.min },
    { lambda: 0, which: THEORY, value: base.min },
    ...shifts.flatMap((s) => [
      { lambda: s.lambda, which: MEASURED, value: s.min },
      { lambda: s.lambda, which: THEORY, value: base.min + s.lambda },
    ]),
  ];
  const gdRows = rows.flatMap((r) => r.gd.map((g, t) => ({ lambda: lamLabel(r.lambda), step: t, grad: Math.max(g, 1e-16) })));
  return [
    {
      id: 'ritz-values',
      title: { zh: '各 λ 训练后的 Hessian Ritz 值', en: 'Hessian Ritz values after training with each λ' },
      spec: scatterChart({ title: { en: `Lanczos Ritz values of ∇²L_λ at each trained net (${D} parameters)`, zh: `各 λ 训练出的网络处 ∇²L_λ 的 Lanczos Ritz 值（${D} 个参数）` }, data: specRows, x: { field: 'lambda', title: { en: 'L2 coefficient', zh: 'L2 系数' }, type: 'ordinal' }, y: { field: 'ritz', title: { en: 'eigenvalue (symlog axis)', zh: '特征值（symlog 轴）' }, scale: 'symlog' }, color: { field: 'lambda', title: 'λ' }, size: 25 }),
      caption: { zh: '谱的两端：最大特征值是少数离群值，最小端在 0 附近；λ 越大，整个谱越往上抬。', en: 'Both ends of the spectrum: a few large outliers, the bottom near 0; larger λ lifts the whole spectrum.' },
    },
    {
      id: 'exact-shift',
      title: { zh: '同一点上 λ_min 的平移', en: 'the shift of λ_min at one point' },
      spec: layer({ en: 'λ_min(H + λI) at the unregularised solution (points) vs λ_min(H) + λ (line)', zh: '无 L2 解处的 λ_min(H + λI)（点）与 λ_min(H) + λ（线）' }, [
        lineChart({ title: '', data: shiftRows.filter((r) => r.which !== MEASURED), x: { field: 'lambda', title: 'λ' }, y: { field: 'value', title: { en: 'smallest eigenvalue', zh: '最小特征值' } }, color: { field: 'which', title: '' }, rules: [{ y: 0, label: '0' }] }),
        scatterChart({ title: '', data: shiftRows.filter((r) => r.which === MEASURED), x: { field: 'lambda', title: 'λ' }, y: { field: 'value', title: { en: 'smallest eigenvalue', zh: '最小特征值' } }, color: { field: 'which', title: '' }, size: 90 }),
      ]),
      caption: { zh: '点落在线上：L2 恰好平移 λ；最小特征值只有在 λ 超过 −λ_min(H) 后才变正。', en: 'The points sit on the line: L2 shifts by exactly λ; the smallest eigenvalue turns positive only once λ exceeds −λ_min(H).' },
    },
    {
      id: 'gd-convergence',
      title: { zh: '训练点出发的全批量梯度下降', en: 'full-batch GD from each trained point' },
      spec: lineChart({ title: { en: '‖∇L_λ‖ under GD with η = 1/λ_max', zh: 'η = 1/λ_max 的梯度下降下的 ‖∇L_λ‖' }, data: gdRows, x: { field: 'step', title: { en: 'GD step', zh: '梯度下降步数' } }, y: { field: 'grad', title: '‖∇L_λ‖', scale: 'log' }, color: { field: 'lambda', title: 'λ' } }),
      caption: { zh: '看后半程的斜率（线性收敛率），而不是起点的落差。', en: 'Compare the late slopes (the linear rates), not the initial drops.' },
    },
  ];
}

function report(p: P, m: Measured): { metrics: Metric[]; findings: { en: string; zh: string }[] } {
  const { rows, base, shiftError, threshold, tfRel, kappaShift, D } = m;
  const metrics: Metric[] = [
    { name: 'params', value: D, unit: '1' },
    { name: 'lambda_min_unreg', value: base.min, unit: '1', label: { zh: '无 L2 训练点处 H 的最小特征值', en: 'λ_min(H) at the unregularised solution' } },
    { name: 'lambda_max_unreg', value: base.max, unit: '1', label: { zh: '无 L2 训练点处 H 的最大特征值', en: 'λ_max(H) at the unregularised solution' } },
    { name: 'shift_error', value: shiftError, unit: '1', label: { zh: '平移误差 max|Δλ − λ|', en: 'shift error max|Δλ − λ|' }, reference: { value: 0, source: 'Goodfellow et al. 2016 §7.1.1' } },
    { name: 'positivity_threshold', value: threshold, unit: '1', label: { zh: '使 λ_min>0 所需的最小 λ', en: 'smallest λ that makes λ_min > 0' } },
    { name: 'tf_vs_f64_lambda_max_rel', value: tfRel, unit: '1', label: { zh: 'tfjs 双重反传与 float64 的 λ_max 相对差', en: 'relative gap of λ_max, tfjs double backprop vs float64' } },
    ...kappaShift.map((k) => ({ name: `kappa_shifted_${k.lambda}`, value: k.kappa, unit: '1', label: { zh: `无 L2 解处 H+λI 的条件数（λ=${k.lambda}）`, en: `condition number of H+λI at the unregularised solution (λ=${k.lambda})` } })),
    ...rows.flatMap((r) => [
      { name: `lambda_min_at_${r.lambda}`, value: r.min, unit: '1' },
      { name: `kappa_at_${r.lambda}`, value: kappa(r), unit: '1' },
      { name: `gd_ratio_at_${r.lambda}`, value: gdRatio(r), unit: '1', label: { zh: `GD ${p.gdSteps} 步后梯度范数之比`, en: `gradient-norm ratio after ${p.gdSteps} GD steps` } },
      { name: `gd_late_rate_at_${r.lambda}`, value: gdRate(r), unit: '1/step', label: { zh: '后半程 log‖∇L‖ 每步的变化', en: 'late change of log‖∇L‖ per step' } },
      { name: `test_acc_at_${r.lambda}`, value: r.acc, unit: '1' },
    ]),
  ];
  const fmt = (x: number) => (Number.isFinite(x) ? x.toExponential(2) : '∞');
  const findings = [
    {
      zh: `无 L2 训练后（${D} 个参数），Hessian 的 λ_max = ${base.max.toFixed(3)}，λ_min = ${base.min.toExponential(2)}；加 λI 后 Lanczos 测得的平移误差最大为 ${shiftError.toExponential(1)}，即平移恰好是 λ。只有 λ > ${threshold.toExponential(2)} 时最小特征值才为正——“保持正定”需要 λ 大过最负的曲率。tfjs 双重反传算出的 λ_max 与 float64 相差 ${(tfRel * 100).toFixed(3)}%。`,
      en: `Trained without L2 (${D} parameters), the Hessian has λ_max = ${base.max.toFixed(3)} and λ_min = ${base.min.toExponential(2)}; adding λI, Lanczos measures a shift error of at most ${shiftError.toExponential(1)}: the shift is exactly λ. The smallest eigenvalue is positive only for λ > ${threshold.toExponential(2)} — "keeping it positive definite" needs λ above the most negative curvature. tfjs double backprop gives λ_max within ${(tfRel * 100).toFixed(3)}% of float64.`,
    },
    {
      zh: `分别以各 λ 训练（λ_min 是该解处 ∇²L_λ 的最小特征值）：${rows.map((r) => `λ=${r.lambda} 时 λ_min=${r.min.toExponential(2)}、κ=${fmt(kappa(r))}、GD ${p.gdSteps} 步后梯度范数降为 ${gdRatio(r).toExponential(2)} 倍（后半程每步 ${gdRate(r).toExponential(1)}）、测试准确率 ${(r.acc * 100).toFixed(1)}%`).join('；')}。`,
      en: `Training with each λ (λ_min of ∇²L_λ at that solution): ${rows.map((r) => `λ=${r.lambda}: λ_min=${r.min.toExponential(2)}, κ=${fmt(kappa(r))}, GD shrinks the gradient norm ×${gdRatio(r).toExponential(2)} in ${p.gdSteps} steps (late rate ${gdRate(r).toExponential(1)}/step), test accuracy ${(r.acc * 100).toFixed(1)}%`).join('; ')}.`,
    },
  ];
  return { metrics, findings };
}

function verdicts(m: Measured) {
  const { rows, base, shiftError, threshold, lastRow } = m;
  const own = rows.slice(1);
  const minOwn = own.length ? Math.min(...own.map((r) => r.min)) : NaN;
  const worst = own.find((r) => r.min === minOwn);
  const speed = gdSpeedup(base, lastRow);
  const evidence = { min_lambda_min_own: minOwn, gd_rate_speedup: speed, gd_rate_unreg: gdRate(base), gd_rate_max_lambda: gdRate(lastRow), lambda_min_unreg: base.min, threshold, shift_error: shiftError };
  const e = (x: number) => x.toExponential(1);
  return [
    verdictFor('opt.l2-curvature', CRITERIA['opt.l2-curvature'], evidence, (v) => ({
      zh: `在同一点上 L2 把谱精确平移 λ（误差 ${e(shiftError)}，这是构造使然），λ > ${e(threshold)} 后 H+λI 正定。但在用各 λ 训练出来的解处，∇²L_λ 的最小 Ritz 值最小为 ${e(minOwn)}${worst ? `（λ=${worst.lambda}）` : ''}${minOwn > 0 ? '，都为正' : '：仍有负曲率（最小 Ritz 值是 λ_min 的上界，符号确定），有限步训练停下之处不是 L_λ 的严格极小点，数据项的 Hessian 也随权重变了'}；GD 后半程的线性收敛率在最大 λ 处是无 L2 时的 ${speed.toFixed(2)} 倍（每步 ${e(gdRate(lastRow))} 对 ${e(gdRate(base))}）。${v === 'reproduced' ? '两条都成立。' : v === 'partly' ? '正定成立，收敛没有明显变快。' : '“保持正定从而改善收敛”在这里不成立。'}`,
      en: `At one point L2 shifts the spectrum by exactly λ (error ${e(shiftError)}, true by construction) and H+λI is positive definite once λ > ${e(threshold)}. But at the solutions trained with each λ the smallest Ritz value of ∇²L_λ is as low as ${e(minOwn)}${worst ? ` (λ=${worst.lambda})` : ''}${minOwn > 0 ? ', positive everywhere' : ': negative curvature remains (the smallest Ritz value bounds λ_min from above, so the sign is certain); where finite training stops is not a strict minimum of L_λ, and the data term’s Hessian moves with the weights'}; GD's late linear rate at the largest λ is ${speed.toFixed(2)}× that without L2 (${e(gdRate(lastRow))} against ${e(gdRate(base))} per step). ${v === 'reproduced' ? 'Both hold.' : v === 'partly' ? 'Positive definite, but convergence is not clearly faster.' : '"Keeps it positive definite and so improves convergence" does not hold here.'}`,
    }), 'Goodfellow et al. 2016 §7.1.1'),
  ];
}

export const l2Curvature = defineExperiment({
  id: 'optimization.l2-curvature',
  lens: 'optimization',
  title: { zh: 'L2 正则化如何改变 Hessian 的谱', en: 'What L2 regularization does to the Hessian spectrum' },
  summary: {
    zh: '训练一个手写数字 MLP，用 Lanczos 求 Hessian 谱的两端：加 L2 项恰好把每个特征值平移 λ；再对一组 λ 分别训练，看最小特征值、条件数和梯度下降的收敛速度如何变化。',
    en: 'We train a digits MLP and find both ends of its Hessian spectrum with Lanczos: the L2 term shifts every eigenvalue by exactly λ. Then, training once per λ of a sweep, we watch the smallest eigenvalue, the condition number and the speed of gradient descent.',
  },
  claims: ['opt.l2-curvature'],
  params: Params,
  criteria: CRITERIA,
  presets: {
    quick: { hidden: 6, nTrain: 100, epochs: 60, lambdas: [0, 1e-2], lanczosSteps: 20, gdSteps: 30 },
    full: {},
  },
  formulas: [
    { tex: '\\nabla^2\\big(L + \\tfrac\\lambda2\\|\\theta\\|^2\\big) = H + \\lambda I \\;\\Rightarrow\\; \\lambda_i \\mapsto \\lambda_i + \\lambda', label: { zh: 'L2 精确平移谱', en: 'L2 shifts the spectrum exactly' } },
    { tex: '\\kappa = \\frac{\\lambda_{\\max}+\\lambda}{\\lambda_{\\min}+\\lambda},\\quad \\rho_{GD} = \\frac{\\kappa-1}{\\kappa+1}', label: { zh: '条件数与梯度下降的收敛率', en: 'condition number and GD rate' } },
  ],
  async run(p, ctx) {
    const m = await measure(p, ctx);
    const { metrics, findings } = report(p, m);
    return { metrics, figures: figures(p, m), findings, verdicts: verdicts(m) };
  },
});
