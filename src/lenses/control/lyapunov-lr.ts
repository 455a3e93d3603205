/**
 * control.lyapunov-lr — the largest stable learning rate, Lyapunov functions, and the edge of stability.
 *
 * Claim (seed, 控制论): 「学习率调度策略的设计需要遵循Lyapunov稳定性理论」— learning-rate schedules must obey
 * Lyapunov stability.
 *
 * Papers: on a quadratic, GD is stable iff η < 2/λ_max, and then V = f − f* is a Lyapunov function (it falls
 * at every step) — textbook, e.g. Goh 2017. Cohen et al. 2021 (ICLR), "Gradient Descent on Neural Networks
 * Typically Occurs at the Edge of Stability": full-batch GD on networks drives the sharpness λ_max(∇²L) up to
 * 2/η and keeps it there while the loss goes on falling, non-monotonically. Lewkowycz et al. 2020: above
 * 2/λ_max at init, networks can "catapult" to a flatter region instead of diverging.
 *
 * Measured: (1) quadratic: λ_max by power iteration on Hessian-vector products, the largest stable η found
 * by bisection against 2/λ_max, and V_t below / above it; (2) digits MLP (tanh, MSE, full batch, as in Cohen
 * et al.): the sharpness at init λ₀, which multiples of 2/λ₀ still decrease the loss monotonically and which
 * still train; (3) the sharpness during training for several η against 2/η.
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Bilingual, type ClaimVerdict, type Figure, type Metric, type RunContext } from '../../experiments/contract.js';
import { verdictFor, type Criterion } from '../../experiments/verdict.js';
import { VERDICT_WORD } from './words.js';
import { loadDigits, splitDigits } from '../../data/corpora.js';
import { tf } from '../../engine/tf.js';
import type { Rng } from '../../engine/rng.js';
import { digitsTensors, initMLP, mlpForward, softmaxCrossEntropy, type MLPSpec } from '../../nn/mlp.js';
import { lineChart, scatterChart, type Row, type Spec } from '../../report/charts.js';
import { logSpaced } from './dynamics.js';
import { fdHvpF64, powerIterationF64, SharpnessTracker } from './sharpness.js';

const Params = z.object({
  quadDim: z.number().int().min(2).max(500).default(20).describe('dimension of the quadratic f = ½ wᵀAw').meta({ zh: '二次函数 f = ½ wᵀAw 的维数' }),
  quadLambdaMax: z.number().positive().default(5).describe('largest eigenvalue of A (its eigenvalues are log-spaced down to λ_max/κ)').meta({ zh: '矩阵 A 的最大特征值（其余特征值按对数间隔一直降到 λ_max/κ）' }),
  quadKappa: z.number().min(1.5).default(100).describe('condition number κ of A').meta({ zh: 'A 的条件数 κ' }),
  quadSteps: z.number().int().min(50).max(100000).default(2000).describe('GD steps per stability test on the quadratic').meta({ zh: '在二次函数上每做一次稳定性测试跑多少步梯度下降' }),
  powerIters: z.number().int().min(5).max(2000).default(100).describe('power iterations for λ_max at a fixed point').meta({ zh: '在不动点处用幂迭代估计 λ_max 的迭代次数' }),
  hidden: z.number().int().min(4).max(512).default(32).describe('hidden width of the digits MLP [64, hidden, 10], tanh').meta({ zh: '手写数字 MLP [64, hidden, 10] 的隐藏层宽度（tanh 激活）' }),
  nTrain: z.number().int().min(50).max(1300).default(500).describe('training images (full batch)').meta({ zh: '训练图片数（全批量训练）' }),
  loss: z.enum(['mse', 'ce']).default('mse').describe('MLP loss: squared error on one-hot targets (Cohen et al.) or cross-entropy').meta({ zh: 'MLP 的损失函数：mse 是对独热目标的平方误差（Cohen 等人的设定），ce 是交叉熵' }),
  scanMultipliers: z.array(z.number().positive()).default([0.5, 0.8, 0.95, 1.05, 1.25, 1.5, 2, 3, 4]).describe('η as multiples of 2/λ₀ (λ₀: sharpness at init)').meta({ zh: '扫描的学习率 η，以 2/λ₀ 的倍数给出（λ₀：初始化时的尖锐度，即 Hessian 最大特征值）' }),
  scanSteps: z.number().int().min(10).max(5000).default(150).describe('full-batch GD steps per η in the scan').meta({ zh: '扫描中每个 η 跑多少步全批量梯度下降' }),
  monotoneSteps: z.number().int().min(2).max(1000).default(20).describe('steps over which the loss must fall at every step to count as Lyapunov-monotone').meta({ zh: '损失要在这么多步里每一步都下降，才算“Lyapunov 单调”' }),
  eosMultipliers: z.array(z.number().positive()).default([0.7, 1.2, 1.8]).describe('learning rates of the edge-of-stability runs, as multiples of 2/λ₀').meta({ zh: '“稳定边缘”实验用的学习率，以 2/λ₀ 的倍数给出' }),
  eosSteps: z.number().int().min(10).max(20000).default(2500).describe('full-batch GD steps per edge-of-stability run').meta({ zh: '每个“稳定边缘”实验跑多少步全批量梯度下降' }),
  sharpEvery: z.number().int().min(1).max(1000).default(25).describe('measure the sharpness every this many steps').meta({ zh: '每隔多少步测一次尖锐度' }),
  sharpIters: z.number().int().min(1).max(100).default(6).describe('warm-started power iterations per sharpness measurement').meta({ zh: '每次测尖锐度时做多少次（从上一次结果热启动的）幂迭代' }),
});
type P = z.infer<typeof Params>;

/** A random orthogonal matrix (N×N, row-major) by Gram–Schmidt on Gaussian columns. */
function randomOrthogonal(n: number, rng: Rng): Float64Array {
  const q = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const col = Float64Array.from(rng.normalArray(n));
    for (let k = 0; k < j; k++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += col[i]! * q[i * n + k]!;
      for (let i = 0; i < n; i++) col[i]! -= d * q[i * n + k]!;
    }
    const s = Math.sqrt(col.reduce((a, x) => a + x * x, 0));
    for (let i = 0; i < n; i++) q[i * n + j] = col[i]! / s;
  }
  return q;
}

/** V_T / V_0 of GD on f = ½ wᵀAw from w0, and the fraction of steps where V fell. */
function runQuadGD(A: Float64Array, n: number, w0: Float64Array, eta: number, T: number, trace?: number[]): { ratio: number; monotone: number } {
  const w = Float64Array.from(w0);
  const g = new Float64Array(n);
  const V = () => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let j = 0; j < n; j++) r += A[i * n + j]! * w[j]!;
      g[i] = r;
      s += w[i]! * r;
    }
    return s / 2;
  };
  const v0 = V();
  let prev = v0;
  let falls = 0;
  trace?.push(1);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) w[i]! -= eta * g[i]!;
    const v = V();
    if (v <= prev) falls++;
    prev = v;
    trace?.push(v / v0);
    if (!Number.isFinite(v) || v > 1e200) return { ratio: Infinity, monotone: falls / (t + 1) };
  }
  return { ratio: prev / v0, monotone: falls / T };
}

const EDGE_WHY = {
  en: "the feedback loop's stability limit ηλ < 2 (λ: the sharpness at init) predicts where the network's loss stops falling at every step to within a factor 1.25 either way (a stated tolerance: the neighbouring points 0.8 and 1.25 of the declared η grid)",
  zh: '反馈回路的稳定条件 ηλ < 2（λ 为初始化处的锐度）能把网络损失“每步都下降”的边界预测到 1.25 倍以内（事先声明的容差：预先固定的 η 网格上相邻的 0.8 与 1.25 两点）',
};

/** Criteria, declared before any run. The quadratic's 2/λ_max is an identity of a linear map: a unit test, not a criterion. */
const CRITERIA = {
  'control.gd-feedback': [
    { level: 'reproduced', metric: 'mlpMonotoneMaxMult', op: '>=', value: 0.8, why: EDGE_WHY },
    { level: 'reproduced', metric: 'mlpMonotoneMaxMult', op: '<=', value: 1.25, why: EDGE_WHY },
    {
      level: 'reproduced',
      metric: 'eosSharpnessDev',
      op: '<=',
      value: 0.15,
      why: {
        en: 'the closed loop settles where the loop gain ηλ_max = 2: the sharpness over the second half of the run at the largest η is within 15% of 2/η (Cohen et al. 2021 report it hovering just above 2/η)',
        zh: '闭环停在回路增益 ηλ_max = 2 处：最大 η 那次运行后半程的锐度与 2/η 相差不超过 15%（Cohen 等 2021 报告锐度在略高于 2/η 处徘徊）',
      },
    },
  ],
  'control.lr-lyapunov': [
    {
      level: 'reproduced',
      metric: 'trainsOverMonotone',
      op: '<=',
      value: 1.25,
      why: {
        en: '"must follow Lyapunov": no η more than one grid step (×1.25) beyond the Lyapunov-monotone range still trains (halves the loss)',
        zh: '“必须遵循 Lyapunov”：超出 Lyapunov 单调区间一个网格步（×1.25）以上的 η 都不能训练（不能把损失减半）',
      },
    },
    {
      level: 'reproduced',
      metric: 'eosLossIncreaseFraction',
      op: '<',
      value: 0.01,
      why: {
        en: 'V = L − L* stays a Lyapunov function where training succeeds: the loss rises on < 1% of the second-half steps at the largest η',
        zh: '训练成功时 V = L − L* 仍是 Lyapunov 函数：最大 η 下后半程损失上升的步数不到 1%',
      },
    },
    { level: 'partly', metric: 'mlpMonotoneMaxMult', op: '>=', value: 0.8, why: EDGE_WHY },
    { level: 'partly', metric: 'mlpMonotoneMaxMult', op: '<=', value: 1.25, why: EDGE_WHY },
  ],
} satisfies Record<string, readonly Criterion[]>;

export interface LyapunovEvidence {
  [k: string]: number;
  mlpMonotoneMaxMult: number;
  mlpTrainsMaxMult: number;
  trainsOverMonotone: number;
  eosSharpnessRatio: number;
  eosSharpnessDev: number;
  eosLossIncreaseFraction: number;
}

/** Evidence from the MLP scan and the edge-of-stability run (pure). */
export function lyapunovEvidence(monotoneMax: number, trainsMax: number, eosSharpnessRatio: number, eosLossIncreaseFraction: number): LyapunovEvidence {
  return {
    mlpMonotoneMaxMult: monotoneMax,
    mlpTrainsMaxMult: trainsMax,
    trainsOverMonotone: monotoneMax > 0 ? trainsMax / monotoneMax : Infinity,
    eosSharpnessRatio,
    eosSharpnessDev: Math.abs(eosSharpnessRatio - 1),
    eosLossIncreaseFraction,
  };
}

/** "GD is a feedback system": does the loop's stability condition ηλ = 2 govern a real network? (exported for tests) */
export function feedbackVerdict(e: LyapunovEvidence): ClaimVerdict {
  return verdictFor('control.gd-feedback', CRITERIA['control.gd-feedback'], e, (v) => ({
    en: `${VERDICT_WORD[v].en}: read as a feedback loop with gain ηλ, GD on the digits MLP behaves as the loop predicts — the loss falls at every step up to η = ${e.mlpMonotoneMaxMult} × 2/λ₀ (predicted edge: 1), and at the largest η the sharpness settles at ${e.eosSharpnessRatio.toFixed(3)} × 2/η, the loop gain ηλ_max ≈ 2 (Cohen et al. 2021). On a quadratic the same statement is an identity of the linear map (checked in the unit tests).`,
    zh: `${VERDICT_WORD[v].zh}：把梯度下降看成回路增益为 ηλ 的反馈回路，它在手写数字 MLP 上的表现与回路的预测一致——η 不超过 ${e.mlpMonotoneMaxMult} × 2/λ₀ 时损失每步都下降（预测的边界为 1），最大 η 下锐度停在 ${e.eosSharpnessRatio.toFixed(3)} × 2/η，即回路增益 ηλ_max ≈ 2（Cohen 等 2021）。在二次函数上，这一说法只是线性映射的恒等式（放在单元测试里检查）。`,
  }), 'Lessard, Recht & Packard 2016; Cohen et al. 2021 (ICLR)');
}

/** "Schedules must follow Lyapunov stability": does training stay inside the Lyapunov-monotone range? (exported for tests) */
export function lyapunovVerdict(e: LyapunovEvidence): ClaimVerdict {
  return verdictFor('control.lr-lyapunov', CRITERIA['control.lr-lyapunov'], e, (v) => ({
    en: `${VERDICT_WORD[v].en}: on the digits MLP the loss falls monotonically (V = f − f* is a Lyapunov function) only up to ${e.mlpMonotoneMaxMult} × 2/λ₀, close to the Lyapunov bound, yet training still halves the loss at ${e.mlpTrainsMaxMult} × 2/λ₀ (${Number.isFinite(e.trainsOverMonotone) ? e.trainsOverMonotone.toFixed(2) : '∞'}× beyond it); at the edge of stability the sharpness sits at ${e.eosSharpnessRatio.toFixed(2)} × 2/η while the loss rises on ${(100 * e.eosLossIncreaseFraction).toFixed(1)}% of steps and still falls overall. ${v === 'reproduced' ? 'Training stays where the Lyapunov condition holds.' : 'Networks train outside the local Lyapunov condition: the dynamics adjust the curvature to the step, so "must follow" is too strong.'}`,
    zh: `${VERDICT_WORD[v].zh}：在手写数字 MLP 上，损失只在 ${e.mlpMonotoneMaxMult} × 2/λ₀ 以内单调下降（V = f − f* 是 Lyapunov 函数），与 Lyapunov 界相近；但到 ${e.mlpTrainsMaxMult} × 2/λ₀（超出 ${Number.isFinite(e.trainsOverMonotone) ? e.trainsOverMonotone.toFixed(2) : '∞'} 倍）仍能把损失减半；在稳定边缘，锐度停在 ${e.eosSharpnessRatio.toFixed(2)} × 2/η，损失在 ${(100 * e.eosLossIncreaseFraction).toFixed(1)}% 的步上反而上升，总体却仍在下降。${v === 'reproduced' ? '训练始终停留在 Lyapunov 条件成立的范围内。' : '网络是在局部 Lyapunov 条件之外训练的：是动力学把曲率调到与步长匹配，所以“必须遵循”说得太绝对。'}`,
  }), 'Cohen et al. 2021 (ICLR), edge of stability; Lewkowycz et al. 2020, catapult phase');
}

export const lyapunovLr = defineExperiment({
  id: 'control.lyapunov-lr',
  lens: 'control',
  title: { en: 'How large can the step be? Lyapunov, 2/λ_max and the edge of stability', zh: '步长能有多大？Lyapunov、2/λ_max 与稳定边缘' },
  summary: {
    en: 'For gradient descent on a quadratic, the step must stay below 2/λ_max, and then f − f* is a Lyapunov function that falls at every step. We find λ_max by power iteration on Hessian-vector products and the stability limit by bisection. Then the digits MLP: steps above 2/λ₀ still train, and during training the sharpness climbs to 2/η and hovers there — the edge of stability.',
    zh: '二次函数上的梯度下降，步长必须小于 2/λ_max，这时 f − f* 就是一个每步都下降的 Lyapunov 函数。我们用 Hessian-向量积的幂迭代求 λ_max，用二分法找稳定极限。然后换成手写数字 MLP：大于 2/λ₀ 的步长照样能训练，而且训练中锐度会爬升到 2/η 并停在那里——这就是“稳定边缘”。',
  },
  claims: ['control.gd-feedback', 'control.lr-lyapunov'],
  criteria: CRITERIA,
  params: Params,
  presets: {
    quick: { quadDim: 10, quadSteps: 600, powerIters: 60, nTrain: 150, hidden: 16, scanMultipliers: [0.5, 0.95, 1.5, 3], scanSteps: 40, eosMultipliers: [1.5], eosSteps: 120, sharpEvery: 20, sharpIters: 4 },
    full: {},
  },
  formulas: [
    { tex: 'V(\\theta) = f(\\theta) - f^\\star,\\quad V(\\theta_{t+1}) < V(\\theta_t) \\iff \\eta < 2/\\lambda_{\\max}\\ \\text{(quadratic)}', label: { en: 'the Lyapunov function of GD on a quadratic', zh: '二次函数上梯度下降的 Lyapunov 函数' } },
    { tex: 'v \\leftarrow \\frac{Hv}{\\lVert Hv \\rVert},\\quad Hv \\approx \\frac{\\nabla L(\\theta+\\epsilon v) - \\nabla L(\\theta-\\epsilon v)}{2\\epsilon}', label: { en: 'power iteration on Hessian-vector products', zh: 'Hessian-向量积上的幂迭代' } },
    { tex: '\\lambda_{\\max}\\big(\\nabla^2 L(\\theta_t)\\big) \\to 2/\\eta', label: { en: 'edge of stability (Cohen et al. 2021)', zh: '稳定边缘（Cohen 等 2021）' } },
  ],

  async run(p: P, ctx) {
    const metrics: Metric[] = [];
    const findings: Bilingual[] = [];

    const q = measureQuadratic(p, ctx, metrics);
    const { n, lamHat, etaCrit, quadCritRatio, monotoneBelow } = q;
    ctx.progress(0.1, 'quadratic done');
    await tick();
    const m = await measureMlp(p, ctx, metrics);
    const { lambda0, monotoneMax, trainsMax, eosRatios, eosIncrease, eosLrs } = m;


    // the η closest to the edge: the largest one that is still finite
    const iEdge = eosRatios.length - 1;
    const eosSharpnessRatio = eosRatios[iEdge] ?? NaN;
    const eosLossIncreaseFraction = eosIncrease[iEdge] ?? 0;
    const ev = lyapunovEvidence(monotoneMax, trainsMax, eosSharpnessRatio, eosLossIncreaseFraction);

    findings.push(
      {
        en: `Quadratic (n = ${n}, κ = ${p.quadKappa}): power iteration on HVPs gives λ_max = ${lamHat.toFixed(6)} (true ${p.quadLambdaMax}); bisection puts the largest stable step at ${etaCrit.toFixed(5)} = ${quadCritRatio.toFixed(4)} × 2/λ_max. Below it V = f − f* fell at ${(100 * Math.min(...monotoneBelow)).toFixed(0)}% of steps; at 1.01 × 2/λ_max it grows without bound.`,
        zh: `二次函数（n = ${n}，κ = ${p.quadKappa}）：HVP 幂迭代得到 λ_max = ${lamHat.toFixed(6)}（真值 ${p.quadLambdaMax}）；二分法求得最大稳定步长 ${etaCrit.toFixed(5)} = ${quadCritRatio.toFixed(4)} × 2/λ_max。在它以下，V = f − f* 在 ${(100 * Math.min(...monotoneBelow)).toFixed(0)}% 的步上下降；到 1.01 × 2/λ_max 就会无界增长。`,
      },
      {
        en: `Digits MLP [64, ${p.hidden}, 10], ${p.loss.toUpperCase()}, ${p.nTrain} images, full batch: sharpness at init λ₀ = ${lambda0.toFixed(2)}. The loss falls at every one of the first ${p.monotoneSteps} steps up to η = ${monotoneMax} × 2/λ₀, but training still halves the loss in ${p.scanSteps} steps at up to ${trainsMax} × 2/λ₀ — the quadratic limit is not the network's limit.`,
        zh: `手写数字 MLP [64, ${p.hidden}, 10]，${p.loss.toUpperCase()} 损失，${p.nTrain} 张图，全批量：初始化处锐度 λ₀ = ${lambda0.toFixed(2)}。η 不超过 ${monotoneMax} × 2/λ₀ 时，前 ${p.monotoneSteps} 步损失每步都在下降；可一直到 ${trainsMax} × 2/λ₀，${p.scanSteps} 步内仍能把损失减半——二次函数的极限并不是网络的极限。`,
      },
      {
        en: `Edge of stability: over the second half of training the sharpness averages ${eosLrs.map((eta, i) => `${eosRatios[i]!.toFixed(3)} × 2/η at η = ${eta}`).join(', ')}; the loss rose on ${eosLrs.map((eta, i) => `${(100 * eosIncrease[i]!).toFixed(1)}%`).join(', ')} of those steps and still went down overall.`,
        zh: `稳定边缘：训练后半程的平均锐度为 ${eosLrs.map((eta, i) => `η = ${eta} 时 ${eosRatios[i]!.toFixed(3)} × 2/η`).join('，')}；这些步中损失上升的比例分别为 ${eosLrs.map((eta, i) => `${(100 * eosIncrease[i]!).toFixed(1)}%`).join('、')}，但总体仍在下降。`,
      },
    );

    return {
      metrics,
      findings,
      verdicts: [feedbackVerdict(ev), lyapunovVerdict(ev)],
      figures: figures(p, q, m),
    };
  },
});

/** The quadratic: λ_max by power iteration, the stability limit by bisection, V_t below and above it (an identity: unit-tested). */
function measureQuadratic(p: P, ctx: RunContext, metrics: Metric[]) {
  // --- 1. the quadratic ----------------------------------------------------------------------
  const n = p.quadDim;
  const qrng = ctx.rng.fork('quadratic');
  const Q = randomOrthogonal(n, qrng);
  const lam = logSpaced(p.quadLambdaMax / p.quadKappa, p.quadLambdaMax, n);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += Q[i * n + k]! * lam[k]! * Q[j * n + k]!;
      A[i * n + j] = s;
    }
  const gradQ = (w: Float64Array) => {
    const g = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g[i]! += A[i * n + j]! * w[j]!;
    return g;
  };
  const origin = new Float64Array(n);
  const { lambda: lamHat } = powerIterationF64((v) => fdHvpF64(gradQ, origin, v), n, qrng, p.powerIters);
  const w0 = Float64Array.from(qrng.normalArray(n));
  let lo = 0.5 * (2 / lamHat);
  let hi = 1.5 * (2 / lamHat);
  for (let it = 0; it < 40; it++) {
    const mid = (lo + hi) / 2;
    if (runQuadGD(A, n, w0, mid, p.quadSteps).ratio < 1) lo = mid;
    else hi = mid;
  }
  const etaCrit = lo;
  const quadCritRatio = etaCrit / (2 / p.quadLambdaMax);
  const lyapRows: Row[] = [];
  const quadMultipliers = [0.5, 0.9, 0.99, 1.01, 1.1];
  const monotoneBelow: number[] = [];
  for (const c of quadMultipliers) {
    const trace: number[] = [];
    const r = runQuadGD(A, n, w0, (c * 2) / p.quadLambdaMax, 300, trace);
    if (c < 1) monotoneBelow.push(r.monotone);
    trace.forEach((v, t) => {
      // a symbol, the same in both languages (a pair, so no language reads it as untranslated English)
      if (Number.isFinite(v) && v > 1e-12 && v < 1e12) lyapRows.push({ t, V: v, eta: { en: `η = ${c} × 2/λ_max`, zh: `η = ${c} × 2/λ_max` } });
    });
  }
  const sweepRows: Row[] = [];
  for (let c = 0.9; c <= 1.1001; c += 0.005) {
    const r = runQuadGD(A, n, w0, (c * 2) / p.quadLambdaMax, p.quadSteps);
    sweepRows.push({ c: +c.toFixed(3), ratio: Math.min(Math.max(r.ratio, 1e-30), 1e30) });
  }
  metrics.push(
    { name: 'quad_lambda_max_power', value: lamHat, unit: '1', label: { en: 'λ_max by power iteration on HVPs', zh: 'HVP 幂迭代求得的 λ_max' }, reference: { value: p.quadLambdaMax, source: 'construction' } },
    { name: 'quad_eta_crit', value: etaCrit, unit: '1', label: { en: 'largest stable step (bisection)', zh: '最大稳定步长（二分法）' }, reference: { value: 2 / p.quadLambdaMax, source: '2/λ_max' } },
    { name: 'quad_monotone_fraction_below', value: Math.min(...monotoneBelow), unit: '1', label: { en: 'fraction of steps where V fell, η < 2/λ_max', zh: 'η < 2/λ_max 时 V 下降的步数比例' } },
  );

  return { n, lamHat, etaCrit, quadCritRatio, lyapRows, monotoneBelow, sweepRows };
}

/** The digits MLP: sharpness at init, the scan of η, and the edge-of-stability runs (pushes its metrics). */
async function measureMlp(p: P, ctx: RunContext, metrics: Metric[]) {
  // --- 2. the digits MLP: sharpness at init and a scan of η --------------------------------------
  const ds = await loadDigits(ctx.data);
  const { train } = splitDigits(ds, ctx.rng.fork('split'), 497, p.nTrain);
  const spec: MLPSpec = { sizes: [64, p.hidden, 10], activation: 'tanh' };
  const { x, y } = digitsTensors(train);
  const onehot = tf.oneHot(y, 10);
  const names = ['fc0.weight', 'fc0.bias', 'fc1.weight', 'fc1.bias'];
  const lossOf = (...ts: tf.Tensor[]): tf.Scalar => {
    const prm: Record<string, tf.Tensor> = {};
    names.forEach((nm, i) => (prm[nm] = ts[i]!));
    const { logits } = mlpForward(spec, prm, x);
    return p.loss === 'mse'
      ? (tf.mul(0.5, tf.mean(tf.sum(tf.square(tf.sub(logits, onehot)), 1))) as tf.Scalar)
      : softmaxCrossEntropy(logits, y);
  };
  const initRng = ctx.rng.fork('init');
  const init = initMLP(spec, initRng);
  const theta0 = names.map((nm) => init[nm]!);
  const tracker0 = new SharpnessTracker(lossOf, ctx.rng.fork('power'));
  const lambda0 = tracker0.estimate(theta0, p.powerIters);
  tracker0.dispose();

  /** Full-batch GD from the init; calls `each(step, loss, theta)`; returns the loss history. */
  const gdRun = async (eta: number, steps: number, each?: (t: number, loss: number, theta: tf.Variable[]) => void) => {
    const vars = theta0.map((t) => tf.variable(t.clone() as tf.Tensor, true));
    const hist: number[] = [];
    try {
      for (let t = 0; t < steps; t++) {
        const { value, grads } = tf.variableGrads(() => lossOf(...vars), vars);
        const l = value.dataSync()[0]!;
        value.dispose();
        hist.push(l);
        each?.(t, l, vars);
        tf.tidy(() => vars.forEach((v) => v.assign(tf.sub(v, tf.mul(grads[v.name]!, eta)))));
        tf.dispose(Object.values(grads));
        if (!Number.isFinite(l) || l > 1e6) break;
        if (t % 50 === 49) {
          throwIfAborted(ctx.signal);
          await tick();
        }
      }
    } finally {
      tf.dispose(vars);
    }
    return hist;
  };

  const scanRows: Row[] = [];
  let monotoneMax = 0;
  let trainsMax = 0;
  for (const [k, c] of p.scanMultipliers.entries()) {
    ctx.progress(0.1 + (0.3 * k) / p.scanMultipliers.length, `scan η = ${c} × 2/λ₀`);
    const hist = await gdRun((c * 2) / lambda0, p.scanSteps);
    const l0 = hist[0]!;
    const m = Math.min(p.monotoneSteps, hist.length - 1);
    let monotone = hist.length > m;
    for (let t = 1; t <= m && monotone; t++) if (!(hist[t]! < hist[t - 1]!)) monotone = false;
    const last = hist[hist.length - 1]!;
    const finished = hist.length === p.scanSteps && Number.isFinite(last);
    const trains = finished && last < 0.5 * l0;
    if (monotone) monotoneMax = Math.max(monotoneMax, c);
    if (trains) trainsMax = Math.max(trainsMax, c);
    scanRows.push({ c, final: finished ? last / l0 : 10, outcome: monotone ? { en: 'V falls every step', zh: 'V 每步下降' } : trains ? { en: 'trains, not monotone', zh: '能训练，但不单调' } : { en: 'fails / diverges', zh: '失败 / 发散' } });
  }
  metrics.push(
    { name: 'mlp_sharpness_init', value: lambda0, unit: '1', label: { en: 'λ₀ = sharpness of the MLP at init', zh: 'MLP 初始化处的锐度 λ₀' } },
    { name: 'mlp_monotone_max_mult', value: monotoneMax, unit: '× 2/λ₀', label: { en: `largest η (× 2/λ₀) with the loss falling at each of the first ${p.monotoneSteps} steps`, zh: `前 ${p.monotoneSteps} 步损失每步都下降的最大 η（× 2/λ₀）` } },
    { name: 'mlp_trains_max_mult', value: trainsMax, unit: '× 2/λ₀', label: { en: `largest η (× 2/λ₀) that halves the loss in ${p.scanSteps} steps`, zh: `${p.scanSteps} 步内能把损失减半的最大 η（× 2/λ₀）` } },
  );

  // --- 3. edge of stability --------------------------------------------------------------------
  const sharpRows: Row[] = [];
  const lossRows: Row[] = [];
  const eosRatios: number[] = [];
  const eosIncrease: number[] = [];
  const eosLrs = p.eosMultipliers.map((c) => +((c * 2) / lambda0).toPrecision(3));
  for (const [k, eta] of eosLrs.entries()) {
    const tracker = new SharpnessTracker(lossOf, ctx.rng.fork(`power-${eta}`));
    const sharp: { t: number; s: number }[] = [];
    const label = `η = ${eta} (2/η = ${(2 / eta).toFixed(1)})`;
    const hist = await gdRun(eta, p.eosSteps, (t, loss, theta) => {
      if (t % p.sharpEvery === 0) {
        const s = tracker.estimate(theta, t === 0 ? p.powerIters : p.sharpIters);
        sharp.push({ t, s });
        sharpRows.push({ t, sharpness: s, eta: label });
        ctx.progress(0.4 + 0.6 * ((k + t / p.eosSteps) / eosLrs.length), `edge of stability, η = ${eta}`);
      }
      if (t % 5 === 0 && Number.isFinite(loss)) lossRows.push({ t, loss, eta: label });
    });
    tracker.dispose();
    const half = sharp.filter((r) => r.t >= p.eosSteps / 2);
    const meanSharp = half.reduce((a, r) => a + r.s, 0) / Math.max(1, half.length);
    eosRatios.push(meanSharp / (2 / eta));
    let inc = 0;
    let cnt = 0;
    for (let t = Math.floor(hist.length / 2) + 1; t < hist.length; t++) {
      cnt++;
      if (hist[t]! > hist[t - 1]! * (1 + 1e-6)) inc++;
    }
    eosIncrease.push(inc / Math.max(1, cnt));
    metrics.push(
      { name: `eos_sharpness_ratio_lr${eta}`, value: meanSharp / (2 / eta), unit: '× 2/η', label: { en: `mean sharpness over the second half, η = ${eta}`, zh: `后半程平均锐度，η = ${eta}` }, reference: { value: 1, source: 'Cohen et al. 2021: λ_max → 2/η' } },
      { name: `eos_loss_increase_fraction_lr${eta}`, value: inc / Math.max(1, cnt), unit: '1', label: { en: `fraction of second-half steps where the loss rose, η = ${eta}`, zh: `后半程损失上升的步数比例，η = ${eta}` } },
      { name: `eos_final_loss_lr${eta}`, value: hist[hist.length - 1]!, unit: p.loss === 'mse' ? '½·squared error' : 'nats', label: { en: `final training loss, η = ${eta}`, zh: `最终训练损失，η = ${eta}` } },
    );
  }
  tf.dispose([x, y, onehot, ...Object.values(init)]);
  return { lambda0, scanRows, monotoneMax, trainsMax, sharpRows, lossRows, eosRatios, eosIncrease, eosLrs };
}

/** The five figures. */
function figures(p: P, q: ReturnType<typeof measureQuadratic>, m: Awaited<ReturnType<typeof measureMlp>>): Figure[] {
  const { lyapRows, sweepRows, quadCritRatio } = q;
  const { scanRows, sharpRows, lossRows, eosLrs } = m;
  const sharpSpec: Spec = lineChart({
    title: { en: 'Sharpness λ_max(∇²L) during full-batch GD; dashed: 2/η', zh: '全批量梯度下降中的锐度 λ_max(∇²L)；虚线：2/η' },
    data: sharpRows,
    x: { field: 't', title: { en: 'step', zh: '步数' } },
    y: { field: 'sharpness', title: { en: 'sharpness λ_max', zh: '锐度 λ_max' } },
    color: { field: 'eta', title: { en: 'learning rate', zh: '学习率' } },
    rules: eosLrs.map((eta) => ({ y: 2 / eta, label: `2/η = ${(2 / eta).toFixed(1)}` })),
  });
  const thresholdSpec: Spec = lineChart({
    title: { en: `V_T/V_0 after ${p.quadSteps} steps vs η/(2/λ_max)`, zh: `${p.quadSteps} 步后的 V_T/V_0 与 η/(2/λ_max)` },
    data: sweepRows,
    x: { field: 'c', title: { en: 'η / (2/λ_max)', zh: 'η / (2/λ_max)' } },
    y: { field: 'ratio', title: 'V_T / V_0', scale: 'log' },
    rules: [{ x: 1, label: '2/λ_max' }, { x: quadCritRatio, label: { en: 'bisection', zh: '二分法' }, color: '#c33' }],
    points: true,
  });
  // the two rules coincide (that is the finding): the bisection label goes left of its line, 2/λ_max right
  const bisectionText = (thresholdSpec.layer as Spec[])[4]!;
  bisectionText.mark = { ...(bisectionText.mark as Spec), align: 'right', dx: -3 };
  return [
    {
      id: 'quadratic-lyapunov',
      title: { en: 'V = f − f* under GD on a quadratic, below and above 2/λ_max', zh: '二次函数上梯度下降的 V = f − f*：低于与高于 2/λ_max' },
      spec: lineChart({ title: { en: 'V_t / V_0 on the quadratic (log scale)', zh: '二次函数上的 V_t / V_0（对数坐标）' }, data: lyapRows, x: { field: 't', title: { en: 'step', zh: '步数' } }, y: { field: 'V', title: 'V_t / V_0', scale: 'log' }, color: { field: 'eta', title: { en: 'step size', zh: '步长' } } }),
      caption: { en: 'Below 2/λ_max V falls at every step (a Lyapunov function); 1% above it, V eventually explodes.', zh: '低于 2/λ_max 时 V 每步都下降（Lyapunov 函数）；只高出 1%，V 终究会爆炸。' },
    },
    {
      id: 'quadratic-threshold',
      title: { en: 'The stability threshold on the quadratic', zh: '二次函数上的稳定阈值' },
      spec: thresholdSpec,
      caption: { en: 'The measured threshold sits on 2/λ_max.', zh: '实测阈值正好落在 2/λ_max 上。' },
    },
    {
      id: 'mlp-scan',
      title: { en: 'Steps above 2/λ₀ on the MLP', zh: 'MLP 上大于 2/λ₀ 的步长' },
      spec: scatterChart({
        title: { en: `Final/initial loss after ${p.scanSteps} steps vs η/(2/λ₀)`, zh: `${p.scanSteps} 步后的末/初损失比与 η/(2/λ₀)` },
        data: scanRows,
        x: { field: 'c', title: 'η / (2/λ₀)', scale: 'log' },
        y: { field: 'final', title: { en: 'L_T / L_0 (10 = diverged)', zh: 'L_T / L_0（10 表示发散）' }, scale: 'log' },
        color: { field: 'outcome', title: { en: 'outcome', zh: '结果' } },
        rules: [{ x: 1, label: '2/λ₀' }],
        size: 90,
      }),
      caption: { en: 'Left of the line the loss falls monotonically; right of it the network still trains for a while by flattening itself (catapult), until it no longer can.', zh: '竖线左侧损失单调下降；右侧网络靠把自己“压平”（弹射）仍能训练一段，直到再也压不住。' },
    },
    {
      id: 'edge-of-stability',
      title: { en: 'Sharpness during training: the edge of stability', zh: '训练中的锐度：稳定边缘' },
      spec: sharpSpec,
      caption: { en: 'Sharpness rises (or is knocked down) to 2/η and hovers there, as Cohen et al. 2021 found.', zh: '锐度上升（或被打落）到 2/η 后就在那里徘徊，与 Cohen 等 2021 的发现一致。' },
    },
    {
      id: 'eos-loss',
      title: { en: 'Training loss at the edge of stability', zh: '稳定边缘处的训练损失' },
      spec: lineChart({ title: { en: 'Full-batch training loss (log scale)', zh: '全批量训练损失（对数坐标）' }, data: lossRows, x: { field: 't', title: { en: 'step', zh: '步数' } }, y: { field: 'loss', title: { en: 'training loss', zh: '训练损失' }, scale: 'log' }, color: { field: 'eta', title: { en: 'learning rate', zh: '学习率' } } }),
      caption: { en: 'Not monotone, yet falling: V = L − L* is not a Lyapunov function here.', zh: '不单调，却在下降：这里 V = L − L* 已不是 Lyapunov 函数。' },
    },
  ];
}
