/**
 * control.momentum-dynamics — gradient descent and the heavy ball as linear feedback systems.
 *
 * Claims (seed, 控制论): 「考虑参数更新方程 θ_{t+1} = θ_t − η∇L(θ_t)，其本质上构成一个离散时间控制系统。
 * 动量法引入速度项 v_{t+1} = γv_t + (1−γ)∇L，相当于在系统中加入惯性环节，有效抑制参数空间的振荡」
 *
 * Paper: G. Goh, "Why Momentum Really Works", Distill 2017. On f = ½wᵀAw with condition number κ:
 * GD is stable for 0 < αλ < 2 and converges at best at (κ−1)/(κ+1) (α = 2/(λ₁+λ_n)); the heavy ball
 * z ← βz + g, w ← w − αz is stable for 0 < αλ < 2 + 2β and converges at best at (√κ−1)/(√κ+1).
 *
 * Measured: (1) the convergence rates of GD and heavy ball at their optimal parameters for
 * κ ∈ {10, 100, 1000}, against the two formulas; (2) the poles (eigenvalues of the 2×2 iteration
 * matrix) of every eigen-direction; (3) the stability map over (αλ, β), simulated, against the boundary
 * αλ = 2 + 2β; (4) the seed's EMA form v ← γv + (1−γ)g is the heavy ball with α = η(1−γ) (same trajectory);
 * (5) what momentum does to oscillation: the steep direction's zig-zag dies faster, but most
 * directions become under-damped (complex poles: they ring) — inertia both damps and creates oscillation.
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Bilingual, type ClaimVerdict, type Metric, type RunContext } from '../../experiments/contract.js';
import { verdictFor, type Criterion } from '../../experiments/verdict.js';
import { mean, pairedDiffCi95 } from '../../experiments/stats.js';
import { loadDigits } from '../../data/corpora.js';
import { VERDICT_WORD } from './words.js';
import { dampingRun, type DampingRun } from './damping-mlp.js';
import { lineChart, type Row, type Spec } from '../../report/charts.js';
import { StateSpaceOptimizer } from '../../optim/optimizers.js';
import {
  heavyBallMatrix,
  heavyBallPoles,
  heavyBallStable,
  heavyBallUnderdamped,
  logSpaced,
  measuredRate,
  optimalGD,
  optimalHeavyBall,
  spectralRadius2,
  stepResponse,
} from './dynamics.js';

const Params = z.object({
  kappas: z.array(z.number().min(2).max(1e5)).default([10, 100, 1000]).describe('condition numbers κ = λ_max/λ_min of the quadratics').meta({ zh: '二次函数的条件数 κ = λ_max/λ_min 的取值列表（κ 越大，问题越“病态”）' }),
  dims: z.number().int().min(2).max(512).default(32).describe('eigen-directions per quadratic, eigenvalues log-spaced in [1, κ]').meta({ zh: '每个二次函数的特征方向个数；特征值在 [1, κ] 上按对数均匀分布' }),
  decades: z.number().min(5).max(250).default(40).describe('run until theory predicts the error fell by 10^decades; the rate is measured over the second half').meta({ zh: '一直运行到理论预测误差下降 10^decades 倍为止；收敛率取后一半的实测值' }),
  grid: z.number().int().min(8).max(200).default(60).describe('stability map resolution (cells per axis)').meta({ zh: '稳定域图的分辨率（每条坐标轴的格子数）' }),
  mapSteps: z.number().int().min(50).max(5000).default(600).describe('steps simulated per stability-map cell').meta({ zh: '稳定域图中每个格子模拟的步数' }),
  responseSteps: z.number().int().min(20).max(2000).default(120).describe('steps drawn in the step-response panel').meta({ zh: '阶跃响应图里画出的步数' }),
  responseKappa: z.number().min(2).max(1e5).default(100).describe('κ of the step-response and poles panels').meta({ zh: '阶跃响应图和极点图所用的 κ' }),
  mlpSeeds: z.number().int().min(1).max(20).default(5).describe('seeds of the digits-MLP damping test (init and data split)').meta({ zh: '手写数字 MLP 阻尼检验的种子数（初始化与数据划分）' }),
  mlpSteps: z.number().int().min(10).max(5000).default(200).describe('full-batch steps per MLP run').meta({ zh: '每次 MLP 运行的全批量步数' }),
  mlpHidden: z.number().int().min(4).max(256).default(32).describe('hidden width of the tanh MLP [64, h, 10]').meta({ zh: 'tanh MLP [64, h, 10] 的隐藏层宽度' }),
  mlpTrain: z.number().int().min(50).max(1300).default(500).describe('training images of the MLP test (full batch)').meta({ zh: 'MLP 检验用的训练图片数（全批量）' }),
});
type P = z.infer<typeof Params>;

/** the two methods as a learner reads them in the figures */
const METHOD: Record<'GD' | 'heavy ball', Bilingual> = {
  GD: { en: 'GD', zh: '梯度下降' },
  'heavy ball': { en: 'heavy ball', zh: '重球法' },
};

interface RateRow {
  kappa: number;
  method: 'GD' | 'heavy ball';
  measured: number;
  theory: number;
  relErr: number;
  steps: number;
}

/** Run a float64 optimizer on f = ½ Σ λ_i w_i² from w = 1; return ‖w_t‖ for t = 0..T (and optionally the whole path). */
function runQuadratic(
  opt: StateSpaceOptimizer,
  lambdas: Float64Array,
  T: number,
  lr: number,
  keep?: number,
): { norms: Float64Array; path: Float64Array[] } {
  const n = lambdas.length;
  const w = new Float64Array(n).fill(1);
  const g = new Float64Array(n);
  const norms = new Float64Array(T + 1);
  const path: Float64Array[] = [];
  const nrm = () => Math.sqrt(w.reduce((s, x) => s + x * x, 0));
  norms[0] = nrm();
  if (keep) path.push(Float64Array.from(w));
  for (let t = 1; t <= T; t++) {
    for (let i = 0; i < n; i++) g[i] = lambdas[i]! * w[i]!;
    opt.step(w, g, lr);
    norms[t] = nrm();
    if (keep && t <= keep) path.push(Float64Array.from(w));
  }
  return { norms, path };
}

/** Agreement of simulated stability with the theory boundary, over cells away from it. Pure, for tests. */
export function stabilityAgreement(cells: { al: number; beta: number; simStable: boolean }[], margin = 0.05): { agreement: number; cells: number } {
  const far = cells.filter((c) => Math.abs(c.al - (2 + 2 * c.beta)) > margin && c.al > margin);
  const ok = far.filter((c) => c.simStable === heavyBallStable(c.al, c.beta)).length;
  return { agreement: ok / Math.max(1, far.length), cells: far.length };
}

/** Criteria, declared before any run. The quadratic's rates, poles and EMA = heavy-ball identity are unit tests. */
const CRITERIA = {
  'control.momentum-damping': [
    {
      level: 'reproduced',
      metric: 'reversalDropCiLow',
      op: '>',
      value: 0.1,
      why: {
        en: "momentum damps oscillation in parameter space: on the digits MLP at η = 1.5 × 2/λ₀ the fraction of steps whose update turns back (cos(Δθ_t, Δθ_{t−1}) < 0) is lower with the seed's EMA momentum than with GD by more than 0.1 (one step in ten, a stated effect size) — lower bound of the 95% paired t interval over seeds",
        zh: '动量抑制参数空间的振荡：在手写数字 MLP 上取 η = 1.5 × 2/λ₀，更新方向掉头（cos(Δθ_t, Δθ_{t−1}) < 0）的步数比例，种子答案的 EMA 动量比梯度下降低 0.1 以上（每十步少一步，事先声明的效应量）——按种子配对的 95% t 区间下界',
      },
    },
    {
      level: 'partly',
      metric: 'reversalDropCiLow',
      op: '>',
      value: 0,
      why: { en: 'weaker: fewer reversals with momentum, decided by the interval but smaller than the stated effect', zh: '较弱：动量下掉头更少，区间能分出高下，但小于声明的效应量' },
    },
  ],
} satisfies Record<string, readonly Criterion[]>;

/** Evidence from the per-seed MLP runs (pure; exported for tests). */
export function dampingEvidence(runs: readonly Pick<DampingRun, 'reversalsGd' | 'reversalsEma'>[]): Record<string, number> {
  const gd = runs.map((r) => r.reversalsGd);
  const ema = runs.map((r) => r.reversalsEma);
  const d = runs.length > 1 ? pairedDiffCi95(gd, ema) : { mean: NaN, low: NaN, high: NaN };
  return { reversalsGd: mean(gd), reversalsEma: mean(ema), reversalDrop: d.mean, reversalDropCiLow: d.low, seeds: runs.length };
}

/** The verdict on the damping claim, derived from the declared criteria (exported for tests). */
export function dampingVerdict(e: Record<string, number>, quad?: { steepDamping: number; underdampedFraction: number }): ClaimVerdict {
  const q = quad
    ? {
        en: ` On a quadratic (exact, not evidence) the same trade is visible: the steep direction's zig-zag dies ${quad.steepDamping.toExponential(2)}× faster, but ${(100 * quad.underdampedFraction).toFixed(0)}% of directions get complex poles and ring.`,
        zh: `在二次函数上（精确成立，不作证据）同样能看到这笔交换：陡峭方向的锯齿衰减快 ${quad.steepDamping.toExponential(2)} 倍，但 ${(100 * quad.underdampedFraction).toFixed(0)}% 的方向出现复数极点、发生振铃。`,
      }
    : { en: '', zh: '' };
  return verdictFor('control.momentum-damping', CRITERIA['control.momentum-damping'], e, (v) => ({
    en: `${VERDICT_WORD[v].en}: on the digits MLP at η = 1.5 × 2/λ₀ the update turns back on ${(100 * e.reversalsGd!).toFixed(1)}% of GD's steps and on ${(100 * e.reversalsEma!).toFixed(1)}% with the seed's EMA momentum (γ = 0.9), a drop of ${(100 * e.reversalDrop!).toFixed(1)} points (95% lower bound ${(100 * e.reversalDropCiLow!).toFixed(1)}, ${e.seeds} seeds).${q.en}`,
    zh: `${VERDICT_WORD[v].zh}：在手写数字 MLP 上取 η = 1.5 × 2/λ₀，梯度下降有 ${(100 * e.reversalsGd!).toFixed(1)}% 的步更新方向掉头，种子答案的 EMA 动量（γ = 0.9）为 ${(100 * e.reversalsEma!).toFixed(1)}%，下降 ${(100 * e.reversalDrop!).toFixed(1)} 个百分点（95% 下界 ${(100 * e.reversalDropCiLow!).toFixed(1)}，${e.seeds} 个种子）。${q.zh}`,
  }), 'Goh 2017 (Distill), "Why Momentum Really Works"; Polyak 1964');
}

export const momentumDynamics = defineExperiment({
  id: 'control.momentum-dynamics',
  lens: 'control',
  title: { en: 'Momentum as a second-order system: rates, poles, stability', zh: '动量是二阶系统：收敛率、极点与稳定域' },
  summary: {
    en: 'On a quadratic, gradient descent and the heavy ball are linear feedback loops whose poles can be written down. We measure their convergence rates for κ = 10, 100, 1000 against Goh\'s formulas, draw the poles of every eigen-direction, and simulate the stability region over (αλ, β). The seed says momentum damps oscillation; the poles show where it does and where it creates it.',
    zh: '在二次函数上，梯度下降和重球法都是线性反馈回路，极点可以直接写出来。我们在 κ = 10、100、1000 下实测二者的收敛率并与 Goh 的公式比较，画出每个特征方向的极点，并在 (αλ, β) 平面上模拟稳定区域。种子答案说动量抑制振荡；极点图告诉我们它在哪里抑制、又在哪里制造振荡。',
  },
  claims: ['control.momentum-damping'],
  criteria: CRITERIA,
  params: Params,
  presets: {
    quick: { dims: 16, decades: 40, grid: 24, mapSteps: 300, mlpSeeds: 2, mlpSteps: 60, mlpTrain: 200, mlpHidden: 16 },
    full: { dims: 32, decades: 100, grid: 80, mapSteps: 1000 },
  },
  formulas: [
    { tex: 'w_{t+1} = (1-\\alpha\\lambda)\\,w_t,\\quad \\rho^\\star_{GD} = \\frac{\\kappa-1}{\\kappa+1}\\ \\text{at}\\ \\alpha = \\frac{2}{\\lambda_1+\\lambda_n}', label: { en: 'gradient descent per eigen-direction', zh: '每个特征方向上的梯度下降' } },
    { tex: '\\begin{pmatrix} w \\\\ z \\end{pmatrix}_{t+1} = \\begin{pmatrix} 1-\\alpha\\lambda & -\\alpha\\beta \\\\ \\lambda & \\beta \\end{pmatrix} \\begin{pmatrix} w \\\\ z \\end{pmatrix}_{t},\\quad \\det = \\beta', label: { en: 'heavy-ball iteration matrix', zh: '重球法的迭代矩阵' } },
    { tex: '\\rho^\\star_{HB} = \\frac{\\sqrt\\kappa-1}{\\sqrt\\kappa+1},\\quad 0 < \\alpha\\lambda < 2 + 2\\beta', label: { en: 'optimal rate and stability region (Goh 2017)', zh: '最优收敛率与稳定域（Goh 2017）' } },
    { tex: 'v_{t+1} = \\gamma v_t + (1-\\gamma)g_t \\iff z = v/(1-\\gamma),\\ \\alpha = \\eta(1-\\gamma),\\ \\beta = \\gamma', label: { en: "the seed's EMA form is the heavy ball", zh: '种子答案的 EMA 形式就是重球法' } },
  ],

  async run(p: P, ctx) {
    const findings: Bilingual[] = [];

    const r = await measureRates(p, ctx);
    const { rates, curveRows, worstGd, worstHb } = r;
    const metrics: Metric[] = rates.map((x) => ({
      name: `rate_${x.method === 'GD' ? 'gd' : 'hb'}_kappa${x.kappa}`,
      value: x.measured,
      unit: '1',
      label: { en: `measured rate, ${x.method}, κ = ${x.kappa}`, zh: `实测收敛率，${x.method === 'GD' ? '梯度下降' : '重球法'}，κ = ${x.kappa}` },
      reference: { value: x.theory, source: x.method === 'GD' ? 'Goh 2017: (κ−1)/(κ+1)' : 'Goh 2017: (√κ−1)/(√κ+1)' },
    }));
    const q = measureResponses(p);
    const { kR, hbR, gdR, emaMaxDiff, at, steepDamping, steepPeakHb, steepPeakGd, underdampedFraction, midGd, midHb, flatGd, flatHb, maxPoleHb } = q;
    const m = await measureMap(p, ctx);
    const { mapAgreement, farCells } = m;

    // --- metrics ---------------------------------------------------------------------------------
    metrics.push(
      { name: 'worst_rate_rel_err_gd', value: worstGd, unit: '1', label: { en: 'worst relative error of GD rates vs (κ−1)/(κ+1)', zh: '梯度下降收敛率相对理论值的最大误差' } },
      { name: 'worst_rate_rel_err_hb', value: worstHb, unit: '1', label: { en: 'worst relative error of heavy-ball rates vs (√κ−1)/(√κ+1)', zh: '重球法收敛率相对理论值的最大误差' } },
      { name: 'stability_map_agreement', value: mapAgreement, unit: '1', label: { en: 'simulated vs αλ < 2+2β (cells off the boundary)', zh: '模拟稳定性与 αλ < 2+2β 的吻合率（边界外的格子）' } },
      { name: 'ema_vs_heavyball_max_diff', value: emaMaxDiff, unit: '1', label: { en: "max |θ| difference, seed's EMA momentum vs heavy ball", zh: 'EMA 动量与重球法轨迹的最大差' } },
      { name: 'steep_zigzag_damping_50', value: steepDamping, unit: '×', label: { en: `steep-direction amplitude after ${at} steps, GD / heavy ball (κ = ${kR})`, zh: `${at} 步后陡峭方向振幅之比：梯度下降 / 重球法（κ = ${kR}）` } },
      { name: 'steep_peak_amplitude_hb', value: steepPeakHb, unit: '1', label: { en: 'largest steep-direction swing under heavy ball (w₀ = 1)', zh: '重球法下陡峭方向的最大摆幅（w₀ = 1）' }, reference: { value: steepPeakGd, source: 'GD at α*, same start' } },
      { name: 'underdamped_fraction', value: underdampedFraction, unit: '1', label: { en: 'eigen-directions with complex (ringing) heavy-ball poles at the optimum', zh: '最优参数下重球法极点为复数（振铃）的特征方向比例' } },
      { name: 'hb_pole_radius_max', value: maxPoleHb, unit: '1', label: { en: 'largest heavy-ball pole modulus', zh: '重球法极点模的最大值' }, reference: { value: Math.sqrt(hbR.beta), source: '√β* (Goh 2017: det = β)' } },
      { name: 'mid_overshoot_hb', value: midHb.overshoot, unit: '1', label: { en: 'overshoot of the middle direction under heavy ball', zh: '重球法下中间方向的超调量' } },
    );

    const fmtRow = (r: RateRow) => `κ=${r.kappa}: ${r.measured.toFixed(4)} vs ${r.theory.toFixed(4)}`;
    findings.push(
      {
        en: `Rates at the optimal parameters — GD: ${rates.filter((r) => r.method === 'GD').map(fmtRow).join('; ')}; heavy ball: ${rates.filter((r) => r.method === 'heavy ball').map(fmtRow).join('; ')} (measured vs theory; worst relative errors ${(100 * worstGd).toFixed(3)}% and ${(100 * worstHb).toFixed(2)}%). At κ = ${Math.max(...p.kappas)} GD needs ${rates.find((r) => r.kappa === Math.max(...p.kappas) && r.method === 'GD')?.steps ?? '?'} steps for ${p.decades} decades, the heavy ball ${rates.find((r) => r.kappa === Math.max(...p.kappas) && r.method === 'heavy ball')?.steps ?? '?'}.`,
        zh: `最优参数下的收敛率——梯度下降：${rates.filter((r) => r.method === 'GD').map(fmtRow).join('；')}；重球法：${rates.filter((r) => r.method === 'heavy ball').map(fmtRow).join('；')}（实测 vs 理论；最大相对误差分别为 ${(100 * worstGd).toFixed(3)}% 和 ${(100 * worstHb).toFixed(2)}%）。κ 最大时，误差下降 ${p.decades} 个数量级，梯度下降要 ${rates.find((r) => r.kappa === Math.max(...p.kappas) && r.method === 'GD')?.steps ?? '?'} 步，重球法只要 ${rates.find((r) => r.kappa === Math.max(...p.kappas) && r.method === 'heavy ball')?.steps ?? '?'} 步。`,
      },
      {
        en: `κ = ${kR}: every heavy-ball pole has modulus ≤ ${maxPoleHb.toFixed(4)} = √β* (det M = β), while GD's steep and flat poles sit at ±${gdR.rate.toFixed(4)}. After ${at} steps the steep direction's zig-zag is ${steepDamping.toExponential(2)}× smaller with momentum, although its double pole first swings it out to ${steepPeakHb.toFixed(2)} (GD: ${steepPeakGd.toFixed(2)}) — and ${(100 * underdampedFraction).toFixed(0)}% of directions now ring: the middle direction crosses zero ${midHb.zeroCrossings} times with ${(100 * midHb.overshoot).toFixed(1)}% overshoot (GD: ${midGd.zeroCrossings} crossings, ${(100 * midGd.overshoot).toFixed(1)}%), and settles (2% band) in ${midHb.settling} steps vs ${midGd.settling}; the flat direction settles in ${flatHb.settling} vs ${flatGd.settling}.`,
        zh: `κ = ${kR} 时，重球法所有极点的模都不超过 ${maxPoleHb.toFixed(4)} = √β*（det M = β），而梯度下降陡峭方向与平坦方向的极点在 ±${gdR.rate.toFixed(4)}。${at} 步后，有动量时陡峭方向的锯齿振幅小了 ${steepDamping.toExponential(2)} 倍，尽管它的二重极点先让摆幅冲到 ${steepPeakHb.toFixed(2)}（梯度下降：${steepPeakGd.toFixed(2)}）——而且 ${(100 * underdampedFraction).toFixed(0)}% 的方向开始振铃：中间方向过零 ${midHb.zeroCrossings} 次、超调 ${(100 * midHb.overshoot).toFixed(1)}%（梯度下降：过零 ${midGd.zeroCrossings} 次、超调 ${(100 * midGd.overshoot).toFixed(1)}%），进入 2% 误差带需 ${midHb.settling} 步（梯度下降 ${midGd.settling} 步）；平坦方向则分别为 ${flatHb.settling} 步和 ${flatGd.settling} 步。`,
      },
      {
        en: `Stability map: the simulated region agrees with αλ < 2 + 2β in ${(100 * mapAgreement).toFixed(2)}% of the ${farCells} cells away from the boundary (|αλ − 2 − 2β| > 0.05). The seed's EMA momentum with η = α*/(1−β*), γ = β* follows the heavy ball to ${emaMaxDiff.toExponential(1)}: the (1−γ) only rescales the step.`,
        zh: `稳定域：在远离边界（|αλ − 2 − 2β| > 0.05）的 ${farCells} 个格子中，模拟结果与 αλ < 2 + 2β 的吻合率为 ${(100 * mapAgreement).toFixed(2)}%。种子答案的 EMA 动量取 η = α*/(1−β*)、γ = β* 时，与重球法的轨迹相差仅 ${emaMaxDiff.toExponential(1)}：(1−γ) 只是把步长缩放了一下。`,
      },
    );

    const { rateFig, poleFig, mapFig, respFig } = quadFigures(p, q, m, r);
    const damping = await measureDamping(p, ctx);
    const dEv = dampingEvidence(damping);
    const verdicts: ClaimVerdict[] = [dampingVerdict(dEv, { steepDamping, underdampedFraction })];
    metrics.push(
      { name: 'mlp_reversals_gd', value: dEv.reversalsGd!, unit: '1', label: { en: 'digits MLP: fraction of GD steps whose update turns back', zh: '手写数字 MLP：梯度下降更新方向掉头的步数比例' } },
      { name: 'mlp_reversals_ema', value: dEv.reversalsEma!, unit: '1', label: { en: 'digits MLP: same, EMA momentum', zh: '手写数字 MLP：同上，EMA 动量' } },
    );

    return {
      metrics,
      figures: [
        {
          id: 'convergence',
          title: { en: 'Error vs step at the optimal parameters', zh: '最优参数下误差随步数的变化' },
          spec: convergenceSpec(curveRows),
          caption: { en: 'Solid: GD; dashed: heavy ball. The slopes are the rates; momentum turns κ into √κ.', zh: '实线为梯度下降，虚线为重球法。斜率就是收敛率；动量把 κ 变成了 √κ。' },
        },
        { id: 'rates', title: { en: 'Measured rates against Goh 2017', zh: '实测收敛率与 Goh 2017 公式对比' }, spec: rateFig, caption: { en: 'Points: measured over the second half of each run; lines: (κ−1)/(κ+1) and (√κ−1)/(√κ+1).', zh: '点为每次运行后半段实测的收敛率；线为 (κ−1)/(κ+1) 与 (√κ−1)/(√κ+1)。' } },
        { id: 'poles', title: { en: 'Poles in the complex plane', zh: '复平面上的极点' }, spec: poleFig, caption: { en: 'Heavy-ball poles all lie on the circle of radius √β*: complex poles mean ringing, their modulus the decay rate.', zh: '重球法的极点都落在半径 √β* 的圆上：复数极点意味着振铃，模就是衰减率。' } },
        { id: 'stability-map', title: { en: 'Stability map over (αλ, β)', zh: '(αλ, β) 平面上的稳定域' }, spec: mapFig, caption: { en: 'Blue: spectral radius < 1 (converges). The dashed line αλ = 2 + 2β is the boundary; between the dotted curves the poles are complex.', zh: '蓝色：谱半径 < 1（收敛）。虚线 αλ = 2 + 2β 是稳定边界；两条点线之间极点为复数。' } },
        { id: 'step-response', title: { en: 'Step responses per direction', zh: '各方向的阶跃响应' }, spec: respFig, caption: { en: 'Steep direction: GD zig-zags, momentum kills it fast. Middle and flat: GD is monotone, momentum overshoots and rings.', zh: '陡峭方向：梯度下降来回锯齿，动量很快把它压下去。中间与平坦方向：梯度下降单调收敛，动量却超调、振铃。' } },
      ],
      findings,
      verdicts,
      tables: [
        { id: 'mlp-damping', title: { en: 'Digits MLP: GD vs EMA momentum at η = 1.5 × 2/λ₀', zh: '手写数字 MLP：η = 1.5 × 2/λ₀ 时的梯度下降与 EMA 动量' }, rows: damping.map((r) => ({ seed: r.seed, lambda0: +r.lambda0.toFixed(3), eta: +r.eta.toPrecision(3), reversals_gd: +r.reversalsGd.toFixed(3), reversals_ema: +r.reversalsEma.toFixed(3), final_loss_gd: +r.finalLossGd.toPrecision(4), final_loss_ema: +r.finalLossEma.toPrecision(4) })) },
        {
          id: 'rates',
          title: { en: 'Convergence rates', zh: '收敛率' },
          rows: rates.map((r) => ({ kappa: r.kappa, method: r.method, measured: +r.measured.toFixed(6), theory: +r.theory.toFixed(6), rel_err_pct: +(100 * r.relErr).toFixed(3), steps: r.steps })),
        },
      ],
    };
  },
});

/** The digits-MLP damping test over seeds (η = 1.5 × 2/λ₀, γ = 0.9: declared with the criteria). */
async function measureDamping(p: P, ctx: RunContext): Promise<DampingRun[]> {
  const ds = await loadDigits(ctx.data);
  const out: DampingRun[] = [];
  for (let s = 0; s < p.mlpSeeds; s++) {
    throwIfAborted(ctx.signal);
    ctx.progress(0.8 + (0.2 * s) / p.mlpSeeds, `MLP damping, seed ${s}`);
    out.push(dampingRun(ds, { hidden: p.mlpHidden, nTrain: p.mlpTrain, steps: p.mlpSteps, mult: 1.5, gamma: 0.9 }, s, ctx.rng.fork(`mlp-${s}`)));
    await tick();
  }
  return out;
}

/** Rates of GD and the heavy ball at their optimal parameters, κ by κ (a closed-form check: unit-tested, not evidence). */
async function measureRates(p: P, ctx: RunContext) {
  const rates: RateRow[] = [];
  const curveRows: Row[] = [];
  const lnTarget = p.decades * Math.LN10;
  // --- 1. rates at the optimal parameters --------------------------------------------------
  for (const [k, kappa] of p.kappas.entries()) {
    throwIfAborted(ctx.signal);
    ctx.progress((0.5 * k) / p.kappas.length, `κ = ${kappa}`);
    const lambdas = logSpaced(1, kappa, p.dims);
    const gd = optimalGD(1, kappa);
    const hb = optimalHeavyBall(1, kappa);
    for (const method of ['GD', 'heavy ball'] as const) {
      const theory = method === 'GD' ? gd.rate : hb.rate;
      const T = Math.ceil(lnTarget / -Math.log(theory));
      const opt = new StateSpaceOptimizer(method === 'GD' ? { kind: 'sgd' } : { kind: 'momentum', beta: hb.beta }, p.dims);
      const { norms } = runQuadratic(opt, lambdas, T, method === 'GD' ? gd.alpha : hb.alpha);
      const measured = measuredRate(norms, Math.floor(T / 2), T);
      rates.push({ kappa, method, measured, theory, relErr: Math.abs(measured - theory) / theory, steps: T });
      const stride = Math.max(1, Math.floor(T / 150));
      for (let t = 0; t <= T; t += stride) {
        if (norms[t]! < 1e-16 * norms[0]!) break;
        curveRows.push({ t1: t + 1, error: norms[t]! / norms[0]!, kappa: `κ = ${kappa}`, method: METHOD[method] });
      }
      await tick();
    }
  }
  const worstGd = Math.max(...rates.filter((r) => r.method === 'GD').map((r) => r.relErr));
  const worstHb = Math.max(...rates.filter((r) => r.method === 'heavy ball').map((r) => r.relErr));

  return { rates, curveRows, worstGd, worstHb };
}

/** κ = responseKappa: the EMA form vs the heavy ball, step responses per direction, and the poles. */
function measureResponses(p: P) {
  // --- 2. the seed's EMA form is the heavy ball --------------------------------------------
  const kR = p.responseKappa;
  const lamR = logSpaced(1, kR, p.dims);
  const hbR = optimalHeavyBall(1, kR);
  const T2 = 400;
  const hbPath = runQuadratic(new StateSpaceOptimizer({ kind: 'momentum', beta: hbR.beta }, p.dims), lamR, T2, hbR.alpha, T2).path;
  const emaPath = runQuadratic(
    new StateSpaceOptimizer({ kind: 'momentum-ema', gamma: hbR.beta }, p.dims),
    lamR,
    T2,
    hbR.alpha / (1 - hbR.beta),
    T2,
  ).path;
  let emaMaxDiff = 0;
  for (let t = 0; t <= T2; t++) for (let i = 0; i < p.dims; i++) emaMaxDiff = Math.max(emaMaxDiff, Math.abs(hbPath[t]![i]! - emaPath[t]![i]!));

  // --- 3. oscillation: step responses per direction, GD vs heavy ball at their optima -------
  const gdR = optimalGD(1, kR);
  const gdPath = runQuadratic(new StateSpaceOptimizer({ kind: 'sgd' }, p.dims), lamR, T2, gdR.alpha, T2).path;
  const steep = p.dims - 1;
  const mid = Math.floor((p.dims - 1) / 2);
  const responseRows: Row[] = [];
  const dirs: [number, Bilingual][] = [
    [steep, { en: `steep λ = ${lamR[steep]!.toFixed(0)}`, zh: `陡峭方向 λ = ${lamR[steep]!.toFixed(0)}` }],
    [mid, { en: `middle λ = ${lamR[mid]!.toFixed(1)}`, zh: `中间方向 λ = ${lamR[mid]!.toFixed(1)}` }],
    [0, { en: 'flat λ = 1', zh: '平坦方向 λ = 1' }],
  ];
  for (const [i, name] of dirs)
    for (let t = 0; t <= Math.min(p.responseSteps, T2); t++) {
      responseRows.push({ t, w: gdPath[t]![i]!, direction: name, method: METHOD.GD });
      responseRows.push({ t, w: hbPath[t]![i]!, direction: name, method: METHOD['heavy ball'] });
    }
  const at = 50;
  const steepDamping = Math.abs(gdPath[at]![steep]!) / Math.max(1e-300, Math.abs(hbPath[at]![steep]!));
  // the double pole −√β of the steep direction makes a transient t·ρ^t: the early swings are LARGER
  const steepPeakHb = Math.max(...hbPath.map((w) => Math.abs(w[steep]!)));
  const steepPeakGd = Math.max(...gdPath.slice(1).map((w) => Math.abs(w[steep]!)));
  let underdamped = 0;
  for (const l of lamR) if (heavyBallUnderdamped(hbR.alpha * l, hbR.beta) && Math.abs(hbR.alpha * l - (1 + Math.sqrt(hbR.beta)) ** 2) > 1e-9 && Math.abs(hbR.alpha * l - (1 - Math.sqrt(hbR.beta)) ** 2) > 1e-9) underdamped++;
  const underdampedFraction = underdamped / p.dims;
  const midGd = stepResponse(gdPath.map((w) => w[mid]!));
  const midHb = stepResponse(hbPath.map((w) => w[mid]!));
  const flatGd = stepResponse(gdPath.map((w) => w[0]!));
  const flatHb = stepResponse(hbPath.map((w) => w[0]!));

  // --- 4. poles of every direction ----------------------------------------------------------
  const poleRows: Row[] = [];
  for (const l of lamR) {
    const g = 1 - gdR.alpha * l;
    poleRows.push({ re: g, im: 0, method: { en: 'GD (α*)', zh: '梯度下降（α*）' }, lambda: l });
    for (const z of heavyBallPoles(hbR.alpha, hbR.beta, l)) poleRows.push({ re: z.re, im: z.im, method: { en: 'heavy ball (α*, β*)', zh: '重球法（α*, β*）' }, lambda: l });
  }
  const circle: Row[] = [];
  for (let k = 0; k <= 120; k++) {
    const a = (2 * Math.PI * k) / 120;
    circle.push({ re: Math.cos(a), im: Math.sin(a), curve: { en: 'unit circle', zh: '单位圆' }, k });
    circle.push({ re: Math.sqrt(hbR.beta) * Math.cos(a), im: Math.sqrt(hbR.beta) * Math.sin(a), curve: { en: `radius √β* = ${Math.sqrt(hbR.beta).toFixed(3)}`, zh: `半径 √β* = ${Math.sqrt(hbR.beta).toFixed(3)}` }, k });
  }
  const maxPoleHb = Math.max(...lamR.map((l) => spectralRadius2(heavyBallMatrix(hbR.alpha, hbR.beta, l))));

  return { kR, lamR, hbR, gdR, emaMaxDiff, responseRows, dirs, at, steepDamping, steepPeakHb, steepPeakGd, underdampedFraction, midGd, midHb, flatGd, flatHb, poleRows, circle, maxPoleHb };
}

/** The stability map over (αλ, β), simulated, against the boundary αλ = 2 + 2β. */
async function measureMap(p: P, ctx: RunContext) {
  // --- 5. stability map over (αλ, β) --------------------------------------------------------
  const cells: { al: number; beta: number; simStable: boolean }[] = [];
  const mapRows: Row[] = [];
  const alMax = 4.4;
  for (let bi = 0; bi < p.grid; bi++) {
    throwIfAborted(ctx.signal);
    ctx.progress(0.5 + (0.5 * bi) / p.grid, 'stability map');
    const beta = (bi + 0.5) / p.grid; // β in (0, 1)
    for (let ai = 0; ai < p.grid; ai++) {
      const al = ((ai + 0.5) / p.grid) * alMax;
      // simulate the 2×2 system with λ = 1, α = αλ from (w, z) = (1, 0)
      let w = 1;
      let zz = 0;
      let peak = 0;
      for (let t = 0; t < p.mapSteps; t++) {
        zz = beta * zz + w;
        w = w - al * zz;
        if (!Number.isFinite(w) || Math.abs(w) > 1e150) break;
      }
      peak = Math.abs(w) + Math.abs(zz);
      const growth = Number.isFinite(peak) && Math.abs(w) <= 1e150 ? Math.pow(Math.max(peak, 1e-300), 1 / p.mapSteps) : Infinity;
      const simStable = growth < 1;
      cells.push({ al, beta, simStable });
      const rho = spectralRadius2(heavyBallMatrix(al, beta, 1));
      mapRows.push({
        al: +al.toFixed(4),
        al2: +(al + alMax / p.grid).toFixed(4),
        al1: +(al - alMax / (2 * p.grid)).toFixed(4),
        alb: +(al + alMax / (2 * p.grid)).toFixed(4),
        b1: +(beta - 0.5 / p.grid).toFixed(4),
        b2: +(beta + 0.5 / p.grid).toFixed(4),
        beta: +beta.toFixed(4),
        rho: Math.min(rho, 1.5),
        simulated: simStable ? { en: 'stable', zh: '稳定' } : { en: 'diverges', zh: '发散' },
      });
    }
    if (bi % 8 === 0) await tick();
  }
  const { agreement: mapAgreement, cells: farCells } = stabilityAgreement(cells);

  return { cells, mapRows, alMax, mapAgreement, farCells };
}

/** The five figure specs of the quadratic (rates, poles, stability map, step responses). */
function quadFigures(p: P, q: ReturnType<typeof measureResponses>, m: Awaited<ReturnType<typeof measureMap>>, r: Awaited<ReturnType<typeof measureRates>>) {
  const { kR, hbR, responseRows, dirs, poleRows, circle } = q;
  const { mapRows, alMax } = m;
  const { rates } = r;
  const rateFig = rateFigure(rates);
  const mapFig: Spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { en: 'Heavy-ball stability: spectral radius over (αλ, β); dashed: αλ = 2 + 2β; dotted: complex-pole region', zh: '重球法的稳定域：(αλ, β) 上的谱半径；虚线：αλ = 2 + 2β；点线之间：复数极点区' },
    width: 420,
    height: 320,
    layer: [
      {
        data: { values: mapRows },
        mark: 'rect',
        encoding: {
          x: { field: 'al1', type: 'quantitative', title: 'αλ', scale: { domain: [0, alMax] } },
          x2: { field: 'alb' },
          y: { field: 'b1', type: 'quantitative', title: { en: 'momentum β', zh: '动量 β' }, scale: { domain: [0, 1] } },
          y2: { field: 'b2' },
          color: { field: 'rho', type: 'quantitative', title: { en: 'spectral radius', zh: '谱半径' }, scale: { scheme: 'redyellowblue', reverse: true, domainMid: 1, domain: [0, 1.5] } },
          tooltip: [{ field: 'al', title: 'αλ' }, { field: 'beta', title: 'β' }, { field: 'rho', format: '.3f', title: { en: 'spectral radius', zh: '谱半径' } }, { field: 'simulated', title: { en: 'simulated', zh: '模拟结果' } }],
        },
      },
      {
        data: { values: [0, 1].map((b) => ({ al: 2 + 2 * b, beta: b })) },
        mark: { type: 'line', color: 'black', strokeDash: [6, 3], strokeWidth: 2 },
        encoding: { x: { field: 'al', type: 'quantitative' }, y: { field: 'beta', type: 'quantitative' } },
      },
      {
        data: {
          values: Array.from({ length: 41 }, (_, i) => i / 40).flatMap((b) => [
            { al: (1 - Math.sqrt(b)) ** 2, beta: b, edge: 'lower' },
            { al: (1 + Math.sqrt(b)) ** 2, beta: b, edge: 'upper' },
          ]),
        },
        mark: { type: 'line', color: '#333', strokeDash: [2, 2] },
        encoding: { x: { field: 'al', type: 'quantitative' }, y: { field: 'beta', type: 'quantitative' }, detail: { field: 'edge' } },
      },
    ],
  };
  const poleFig: Spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { en: `Poles of every eigen-direction, κ = ${kR} (GD: real; heavy ball: on the circle √β*)`, zh: `κ = ${kR} 的极点：梯度下降在实轴上，重球法在半径 √β* 的圆上` },
    width: 320,
    height: 320,
    layer: [
      {
        data: { values: circle },
        mark: { type: 'line', strokeDash: [4, 3] },
        encoding: {
          x: { field: 're', type: 'quantitative', title: 'Re z', scale: { domain: [-1.1, 1.1] } },
          y: { field: 'im', type: 'quantitative', title: 'Im z', scale: { domain: [-1.1, 1.1] } },
          color: { field: 'curve', type: 'nominal', title: { en: 'reference', zh: '参考圆' }, scale: { range: ['#999', '#555'] } },
          order: { field: 'k' },
        },
      },
      {
        data: { values: poleRows },
        mark: { type: 'point', filled: true, size: 50 },
        encoding: {
          x: { field: 're', type: 'quantitative' },
          y: { field: 'im', type: 'quantitative' },
          shape: { field: 'method', type: 'nominal', title: { en: 'poles', zh: '极点' } },
          tooltip: [{ field: 'method', title: { en: 'method', zh: '方法' } }, { field: 'lambda', format: '.3f', title: 'λ' }, { field: 're', format: '.4f', title: 'Re z' }, { field: 'im', format: '.4f', title: 'Im z' }],
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  };
  const respFig: Spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { en: `Step responses per eigen-direction, κ = ${kR}: the error w_t from w₀ = 1 (target 0)`, zh: `κ = ${kR} 时各特征方向的阶跃响应：误差 w_t 从 w₀ = 1 出发（目标为 0）` },
    data: { values: responseRows },
    facet: { row: { field: 'direction', type: 'nominal', title: null, sort: dirs.map((d) => d[1]) } },
    spec: {
      width: 460,
      height: 120,
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: { field: 't', type: 'quantitative', title: { en: 'step t', zh: '步数 t' } },
        y: { field: 'w', type: 'quantitative', title: 'w_t' },
        color: { field: 'method', type: 'nominal', title: { en: 'method', zh: '方法' } },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };

  return { rateFig, poleFig, mapFig, respFig };
}

/** ‖w_t‖/‖w_0‖ per κ and method; GD solid, heavy ball dashed in both languages (the caption says so). */
function convergenceSpec(curveRows: Row[]): Spec {
  const spec = lineChart({
    title: { en: '‖w_t‖/‖w_0‖ at the optimal parameters (log scale)', zh: '最优参数下的 ‖w_t‖/‖w_0‖（对数坐标）' },
    data: curveRows,
    x: { field: 't1', title: { en: 'step t + 1 (log)', zh: '步数 t + 1（对数坐标）' }, scale: 'log' },
    y: { field: 'error', title: '‖w_t‖ / ‖w_0‖', scale: 'log' },
    color: { field: 'kappa', title: { en: 'condition number', zh: '条件数' } },
    dash: { field: 'method', title: { en: 'method', zh: '方法' } },
  });
  const main = (spec.layer as Spec[])[0]!;
  const enc = main.encoding as Spec;
  enc.strokeDash = { ...(enc.strokeDash as Spec), scale: { domain: [METHOD.GD, METHOD['heavy ball']] } };
  return spec;
}

/** Measured rates (points) against (κ−1)/(κ+1) and (√κ−1)/(√κ+1) (lines). */
function rateFigure(rates: readonly RateRow[]): Spec {
  const theoryRows: Row[] = [];
  for (let lk = 0.5; lk <= 3.51; lk += 0.05) {
    const k = Math.pow(10, lk);
    theoryRows.push({ kappa: k, rate: (k - 1) / (k + 1), method: METHOD.GD });
    theoryRows.push({ kappa: k, rate: (Math.sqrt(k) - 1) / (Math.sqrt(k) + 1), method: METHOD['heavy ball'] });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { en: 'Convergence rate at the optimal parameters: measured (points) vs theory (lines)', zh: '最优参数下的收敛率：实测（点）与理论（线）' },
    width: 420,
    height: 260,
    layer: [
      {
        data: { values: theoryRows },
        mark: 'line',
        encoding: {
          x: { field: 'kappa', type: 'quantitative', scale: { type: 'log' }, title: { en: 'condition number κ', zh: '条件数 κ' } },
          y: { field: 'rate', type: 'quantitative', title: { en: 'rate per step ρ', zh: '每步收敛率 ρ' }, scale: { zero: false } },
          color: { field: 'method', type: 'nominal', title: { en: 'method', zh: '方法' } },
        },
      },
      {
        data: { values: rates.map((r) => ({ kappa: r.kappa, rate: r.measured, method: METHOD[r.method] })) },
        mark: { type: 'point', filled: true, size: 90 },
        encoding: {
          x: { field: 'kappa', type: 'quantitative', scale: { type: 'log' } },
          y: { field: 'rate', type: 'quantitative' },
          color: { field: 'method', type: 'nominal' },
          tooltip: [{ field: 'kappa', title: 'κ' }, { field: 'rate', format: '.5f', title: 'ρ' }, { field: 'method', title: { en: 'method', zh: '方法' } }],
        },
      },
    ],
  };
}
