/**
 * optimization.kfac
 *
 * Claim (seed, 优化理论): "K-FAC等近似二阶方法通过块对角化假设，将Hessian矩阵分解为Kronecker积形式，成功将计算复杂度降至 O(n^{1.5})。
 * 这类方法在百亿参数量级的模型微调中展现出显著优势。"
 * References: Martens & Grosse 2015 (K-FAC); Ba, Grosse & Martens 2017 (KL clipping);
 * Gupta et al. 2018 (Shampoo); AlgoPerf 2024 (Kasimbeg et al. 2025: distributed Shampoo won external tuning).
 *
 * Measured, float64 plain JS:
 * 1. an MLP 64-64-64-10 on the digits trained from scratch by K-FAC (sampled-label Fisher, running
 *    factor averages, factored Tikhonov damping, KL clip), SGD with momentum and Adam: loss per
 *    epoch and per second (figures only);
 * 2. for a square hidden layer of width d (n = d² weights), the wall time of inverting the damped
 *    full Gauss–Newton (Fisher) block, n×n, against inverting K-FAC's two d×d factors: the fastest of
 *    interleaved timing sweeps, the log-log slope in n with a 95% interval over sweeps. The O(n^1.5)
 *    holds per square layer under K-FAC's independence assumption (the block is A ⊗ G);
 * 3. fine-tuning: the MLP pretrained on digits is fine-tuned on mirrored digits by K-FAC and by Adam
 *    from the same start, over seeds; wall time (and steps) to the best validation loss Adam reaches,
 *    with learning rate and damping chosen on validation from grids fixed in Params.
 * (That the program's counted multiply–adds scale as n³ and n^1.5 is true by construction; it is a
 * unit test, test/lenses/optimization/newton-kfac.test.ts.)
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Figure, type Metric, type RunContext } from '../../experiments/contract.js';
import { verdictFor, type Criterion } from '../../experiments/verdict.js';
import { loadDigits, splitDigits } from '../../data/corpora.js';
import { lineChart, scatterChart, type Spec } from '../../report/charts.js';
import { Rng } from '../../engine/rng.js';
import { spdInverse, timeExponent } from './linalg.js';
import { factorG, kfacStep, newKfacState, sampleLabels } from './kfac-core.js';
import { bestLoss, fineTune, mirrorDigits, speedups, type FtCurve, type FtOpt } from './kfac-finetune.js';
import { accuracy64, backward64, crossEntropy, forward64, initMlp64, lossGrad64, newOptState, optStep, subBatch, toBatch, train64, type Batch64, type MlpSpec64, type Opt64 } from '../../nn/mlp64.js';

const Params = z.object({
  hidden: z.number().int().min(4).default(64).describe('units, width of each of the two hidden layers').meta({ zh: '两个隐藏层各自的宽度（单元数）' }),
  epochs: z.number().int().min(1).default(20).describe('epochs of training for every optimizer').meta({ zh: '每种优化器的训练轮数' }),
  batch: z.number().int().min(8).default(128).describe('examples per minibatch (all optimizers)').meta({ zh: '每个小批量的样本数（所有优化器相同）' }),
  kfacLr: z.number().positive().default(0.3).describe('η, K-FAC learning rate').meta({ zh: 'K-FAC 的学习率 η' }),
  damping: z.number().positive().default(1e-2).describe('γ, K-FAC Tikhonov damping').meta({ zh: 'K-FAC 的 Tikhonov 阻尼 γ（给曲率矩阵加上 γI，防止求逆不稳）' }),
  decay: z.number().min(0).max(1).default(0.95).describe('ε, running-average decay of the K-FAC factors').meta({ zh: 'K-FAC 因子滑动平均的衰减系数 ε' }),
  invEvery: z.number().int().min(1).default(10).describe('steps between refreshes of the factor inverses').meta({ zh: '每隔多少步重新计算一次因子的逆' }),
  klClip: z.number().min(0).default(1e-2).describe('c, KL clip of the K-FAC step (0 = off)').meta({ zh: 'K-FAC 步长的 KL 裁剪阈值 c（0 表示不裁剪）' }),
  adamLrs: z.array(z.number().positive()).default([1e-3, 3e-3, 1e-2]).describe('learning rates tried for Adam (best kept)').meta({ zh: 'Adam 尝试的学习率（保留最好的）' }),
  sgdLrs: z.array(z.number().positive()).default([0.03, 0.1, 0.3]).describe('learning rates tried for SGD-momentum β=0.9 (best kept)').meta({ zh: 'SGD 动量法（β=0.9）尝试的学习率（保留最好的）' }),
  fullWidths: z.array(z.number().int().min(2)).default([12, 16, 20, 24, 28, 32]).describe('units d, square-layer widths at which the full n×n block is inverted (n = d²)').meta({ zh: '方形层宽度 d 的取值：在这些宽度上对完整的 n×n 曲率块求逆（n = d²）' }),
  kfacWidths: z.array(z.number().int().min(2)).default([12, 16, 24, 32, 48, 64, 96, 128, 192, 256]).describe('units d, square-layer widths at which K-FAC’s two d×d factors are inverted').meta({ zh: '方形层宽度 d 的取值：在这些宽度上对 K-FAC 的两个 d×d 因子求逆' }),
  costBatch: z.number().int().min(8).default(128).describe('examples used to build the curvature blocks of the cost sweep').meta({ zh: '代价扫描中构造曲率块所用的样本数' }),
  costRounds: z.number().int().min(3).default(15).describe('interleaved timing sweeps over all sizes (fastest per size; bootstrap interval over sweeps)').meta({ zh: '交替计时扫描的轮数（每个规模取最快的一次；区间来自对各轮的自助重采样）' }),
  ftSeeds: z.number().int().min(3).default(10).describe('seeds of the fine-tuning comparison (init, pretraining order, fine-tuning order)').meta({ zh: '微调对比的随机种子数（初始化、预训练顺序、微调顺序）' }),
  pretrainEpochs: z.number().int().min(1).default(10).describe('epochs of Adam (η = 3e-3) pretraining on ordinary digits').meta({ zh: '在普通手写数字上用 Adam（η = 3e-3）预训练的轮数' }),
  ftTrain: z.number().int().min(32).default(300).describe('mirrored digits used for fine-tuning').meta({ zh: '用于微调的镜像数字样本数' }),
  ftEpochs: z.number().int().min(1).default(15).describe('epochs of fine-tuning (the budget of both optimizers)').meta({ zh: '微调轮数（两种优化器的预算相同）' }),
  ftBatch: z.number().int().min(8).default(50).describe('examples per fine-tuning minibatch').meta({ zh: '微调时每个小批量的样本数' }),
  ftAdamLrs: z.array(z.number().positive()).default([3e-4, 1e-3, 3e-3]).describe('Adam learning rates tried on the validation set (grid fixed before the run)').meta({ zh: 'Adam 在验证集上试的学习率（网格在运行前固定）' }),
  ftKfacLrs: z.array(z.number().positive()).default([0.03, 0.1, 0.3]).describe('K-FAC learning rates tried on the validation set').meta({ zh: 'K-FAC 在验证集上试的学习率' }),
  ftDampings: z.array(z.number().positive()).default([1e-2, 1e-1]).describe('K-FAC dampings γ tried on the validation set').meta({ zh: 'K-FAC 在验证集上试的阻尼 γ' }),
});
type P = z.infer<typeof Params>;

/** Criteria, declared before any run. */
export const CRITERIA = {
  'opt.kfac-n15': [
    { level: 'reproduced', metric: 'kfac_time_exponent_ci_low', op: '>=', value: 1.2, why: { en: 'O(n^1.5) within ±0.3 (20%): the whole 95% interval of the wall-time exponent must sit in [1.2, 1.8]', zh: 'O(n^1.5) 允许 ±0.3（20%）：墙钟时间指数的整个 95% 区间须落在 [1.2, 1.8] 内' } },
    { level: 'reproduced', metric: 'kfac_time_exponent_ci_high', op: '<=', value: 1.8, why: { en: 'the upper end of the same ±0.3 band around 1.5', zh: '同一 ±0.3 区间的上端' } },
    { level: 'reproduced', metric: 'full_time_exponent_ci_low', op: '>=', value: 2.5, why: { en: 'the full block is the O(n³) cost the claim reduces from (±0.5)', zh: '完整块是论断所说被降下来的 O(n³)（±0.5）' } },
    { level: 'partly', metric: 'exponent_gap_low', op: '>', value: 0.5, why: { en: 'K-FAC scales at least half a power of n better than the full block (full lower bound − K-FAC upper bound)', zh: 'K-FAC 的增长至少比完整块低半个 n 的幂（完整块下界 − K-FAC 上界）' } },
  ],
  'opt.kfac-finetune': [
    { level: 'reproduced', metric: 'ft_time_speedup_ci_low', op: '>', value: 1, why: { en: '显著 = significant: K-FAC reaches Adam’s best validation loss in less wall time, at the lower 95% bound over seeds', zh: '“显著”：K-FAC 达到 Adam 最佳验证损失所用的墙钟时间更短，按跨种子 95% 区间下界' } },
    { level: 'partly', metric: 'ft_steps_speedup_ci_low', op: '>', value: 1, why: { en: 'fewer steps to the same validation loss (lower 95% bound): a per-step advantage not paid back in time', zh: '达到同一验证损失所需步数更少（95% 下界）：每步的优势，但没有换回时间' } },
  ],
} satisfies Record<string, readonly Criterion[]>;

type Run = { name: string; lr: number; losses: number[]; ms: number[]; acc: number };
type Fit = Awaited<ReturnType<typeof timeExponent>> & { n: number[] };
interface Finetune {
  adamLr: number;
  kfac: { lr: number; damping: number };
  tune: { opt: string; valLoss: number }[];
  pairs: { adam: FtCurve; kfac: FtCurve }[];
  sp: ReturnType<typeof speedups>;
  testAcc: { adam: number[]; kfac: number[] };
}

/** From-scratch training of the 64-h-h-10 MLP: K-FAC and the best of each first-order lr grid. */
async function measureTraining(p: P, ctx: RunContext, spec: MlpSpec64, tb: Batch64, teb: Batch64, theta0: Float64Array): Promise<Run[]> {
  const runOne = async (name: string, lr: number, step: (th: Float64Array, mb: Batch64, rng: Rng) => void): Promise<Run> => {
    const th = Float64Array.from(theta0);
    const rng = ctx.rng.fork('order'); // same minibatch order for every optimizer
    const stepRng = ctx.rng.fork(`step-${name}`);
    const losses = [crossEntropy(forward64(spec, th, tb), tb.y)];
    const ms = [0];
    let clock = 0;
    for (let e = 0; e < p.epochs; e++) {
      const perm = rng.permutation(tb.n);
      const t0 = performance.now();
      for (let s = 0; s + p.batch <= tb.n; s += p.batch) step(th, subBatch(tb, perm.subarray(s, s + p.batch), 64), stepRng);
      clock += performance.now() - t0;
      const l = crossEntropy(forward64(spec, th, tb), tb.y);
      losses.push(Number.isFinite(l) ? l : 10);
      ms.push(clock);
      await tick();
      throwIfAborted(ctx.signal);
    }
    return { name, lr, losses, ms, acc: accuracy64(spec, th, teb) };
  };
  const firstOrder = (opt: Opt64, lr: number) => {
    const st = newOptState(theta0.length);
    return (th: Float64Array, mb: Batch64) => optStep(opt, st, th, lossGrad64(spec, th, mb).grad, lr);
  };
  const nRuns = p.adamLrs.length + p.sgdLrs.length + 1;
  let done = 0;
  const best = async (name: string, lrs: number[], opt: Opt64): Promise<Run> => {
    let b: Run | undefined;
    for (const lr of lrs) {
      const r = await runOne(name, lr, firstOrder(opt, lr));
      ctx.progress((0.4 * ++done) / nRuns, `${name} lr=${lr}`);
      if (!b || r.losses[r.losses.length - 1]! < b.losses[b.losses.length - 1]!) b = r;
    }
    return b!;
  };
  const st = newKfacState();
  const ko = { lr: p.kfacLr, damping: p.damping, decay: p.decay, invEvery: p.invEvery, klClip: p.klClip };
  const kf = await runOne('K-FAC', p.kfacLr, (th, mb, rng) => kfacStep(spec, th, mb, st, ko, rng));
  ctx.progress((0.4 * ++done) / nRuns, 'K-FAC');
  const adam = await best('Adam', p.adamLrs, { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  const sgdm = await best('SGD-momentum', p.sgdLrs, { kind: 'momentum', beta: 0.9 });
  return [kf, adam, sgdm];
}

/** The damped curvature blocks of a square d×d layer: K-FAC's A and G (d×d each) and the full n×n block. */
export function squareLayerBlocks(tb: Batch64, d: number, damping: number, rng: Rng, full: boolean): { A: Float64Array; G: Float64Array; F?: Float64Array } {
  const sp: MlpSpec64 = { sizes: [64, d, d, 10], activation: 'relu' };
  const th = initMlp64(sp, rng.fork('init'));
  const f = forward64(sp, th, tb);
  const ys = sampleLabels(f.probs, tb.n, 10, rng.fork('labels'));
  const a = f.acts[1]!;
  const dl = backward64(sp, th, f, ys, { keepDeltas: true }).deltas[1]!;
  const A = new Float64Array(d * d);
  for (let r = 0; r < tb.n; r++) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) A[i * d + j]! += (a[r * d + i]! * a[r * d + j]!) / tb.n;
  const G = factorG(dl, tb.n, d);
  const sg = Math.sqrt(damping);
  for (let i = 0; i < d; i++) {
    A[i * d + i]! += sg;
    G[i * d + i]! += sg;
  }
  if (!full) return { A, G };
  // full Fisher block of the d×d weights: (1/B) Σ vec(a δᵀ) vec(a δᵀ)ᵀ + γI
  const n = d * d;
  const F = new Float64Array(n * n);
  const g = new Float64Array(n);
  for (let r = 0; r < tb.n; r++) {
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) g[i * d + j] = a[r * d + i]! * dl[r * d + j]!;
    for (let i = 0; i < n; i++) {
      const gi = g[i]! / tb.n;
      if (gi !== 0) for (let j = 0; j <= i; j++) F[i * n + j]! += gi * g[j]!;
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) F[j * n + i] = F[i * n + j]!;
    F[i * n + i]! += damping;
  }
  return { A, G, F };
}

/** Wall time of the two inversions across sizes, as interleaved sweeps; exponents with intervals. */
async function measureCost(p: P, ctx: RunContext, tb: Batch64): Promise<{ kf: Fit; full: Fit }> {
  const cb = subBatch(tb, ctx.rng.fork('cost').permutation(tb.n).subarray(0, Math.min(p.costBatch, tb.n)), 64);
  const kfJobs: (() => void)[] = [];
  const fullJobs: (() => void)[] = [];
  for (const d of [...new Set([...p.fullWidths, ...p.kfacWidths])].sort((x, y) => x - y)) {
    const { A, G, F } = squareLayerBlocks(cb, d, p.damping, ctx.rng.fork(`cost-${d}`), p.fullWidths.includes(d));
    if (p.kfacWidths.includes(d))
      kfJobs.push(() => {
        spdInverse(A, d);
        spdInverse(G, d);
      });
    if (F) fullJobs.push(() => spdInverse(F, d * d));
  }
  const upper = (k: number) => Math.max(0, Math.floor(k / 3)); // fit the upper two thirds: fixed overheads dominate the smallest sizes
  const onRound = (what: string, from: number) => async (r: number) => {
    ctx.progress(from + (0.15 * (r + 1)) / p.costRounds, `${what}: timing sweep ${r + 1}/${p.costRounds}`);
    await tick();
    throwIfAborted(ctx.signal);
  };
  const kfN = [...p.kfacWidths].sort((x, y) => x - y).map((d) => d * d);
  const fullN = [...p.fullWidths].sort((x, y) => x - y).map((d) => d * d);
  const kf = await timeExponent(kfN, kfJobs, { rounds: p.costRounds, minMs: 5, fitFrom: upper(kfN.length), onRound: onRound('K-FAC factors', 0.4) });
  const full = await timeExponent(fullN, fullJobs, { rounds: p.costRounds, minMs: 5, fitFrom: upper(fullN.length), onRound: onRound('full block', 0.55) });
  return { kf: { ...kf, n: kfN }, full: { ...full, n: fullN } };
}

/** Pretrain on digits, fine-tune on mirrored digits: K-FAC vs Adam, hyper-parameters picked on validation. */
async function measureFinetune(p: P, ctx: RunContext, tb: Batch64, teb: Batch64): Promise<Finetune> {
  const spec: MlpSpec64 = { sizes: [64, p.hidden, p.hidden, 10], activation: 'relu' };
  const nPre = tb.n - p.ftTrain - 200;
  if (nPre < 100) throw new Error(`ftTrain = ${p.ftTrain} leaves ${nPre} < 100 rows for pretraining`);
  const rows = (a: number, b: number) => Int32Array.from({ length: b - a }, (_, i) => a + i);
  const pre = subBatch(tb, rows(0, nPre), 64);
  const ft = mirrorDigits(subBatch(tb, rows(nPre, nPre + p.ftTrain), 64));
  const val = mirrorDigits(subBatch(tb, rows(nPre + p.ftTrain, tb.n), 64));
  const test = mirrorDigits(teb);
  const o = { epochs: p.ftEpochs, batch: p.ftBatch };
  const pretrained = (rng: Rng) => {
    const th = initMlp64(spec, rng.fork('init'));
    train64(spec, th, pre, { epochs: p.pretrainEpochs, batch: 64, lr: 3e-3, opt: { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 }, rng: rng.fork('pre-order') });
    return th;
  };
  // the grids are Params, fixed before the run; one tuning seed, scored by the best validation loss in the budget
  const tuneRng = ctx.rng.fork('ft-tune');
  const th0 = pretrained(tuneRng);
  const tune: Finetune['tune'] = [];
  const score = async (opt: FtOpt) => {
    const l = bestLoss(fineTune(spec, th0, ft, val, opt, o, tuneRng.fork('ft')));
    tune.push({ opt: opt.kind === 'adam' ? `Adam η=${opt.lr}` : `K-FAC η=${opt.lr} γ=${opt.damping}`, valLoss: l });
    await tick();
    throwIfAborted(ctx.signal);
    return l;
  };
  const argmin = async <T extends FtOpt>(cands: T[]): Promise<T> => {
    const s: number[] = [];
    for (const c of cands) s.push(await score(c));
    return cands[s.indexOf(Math.min(...s))]!;
  };
  const adamOpt = await argmin(p.ftAdamLrs.map((lr) => ({ kind: 'adam' as const, lr })));
  const kfOpt = await argmin(p.ftKfacLrs.flatMap((lr) => p.ftDampings.map((damping) => ({ kind: 'kfac' as const, lr, damping }))));
  ctx.progress(0.8, 'fine-tuning: hyper-parameters chosen on validation');
  const pairs: Finetune['pairs'] = [];
  const testAcc: Finetune['testAcc'] = { adam: [], kfac: [] };
  for (let s = 0; s < p.ftSeeds; s++) {
    const rng = ctx.rng.fork(`ft-seed-${s}`);
    const start = pretrained(rng);
    const adam = fineTune(spec, start, ft, val, adamOpt, o, rng.fork('ft'));
    const kfac = fineTune(spec, start, ft, val, kfOpt, o, rng.fork('ft'));
    pairs.push({ adam, kfac });
    // test accuracy once, at the end of each budget (reported, never used for a choice)
    testAcc.adam.push(accuracy64(spec, adam.theta, test));
    testAcc.kfac.push(accuracy64(spec, kfac.theta, test));
    ctx.progress(0.8 + (0.2 * (s + 1)) / p.ftSeeds, `fine-tuning seed ${s + 1}/${p.ftSeeds}`);
    await tick();
    throwIfAborted(ctx.signal);
  }
  return { adamLr: adamOpt.lr, kfac: { lr: kfOpt.lr, damping: kfOpt.damping }, tune, pairs, sp: speedups(pairs), testAcc };
}

const OPT_TEXT: Record<string, { en: string; zh: string }> = {
  'K-FAC': { en: 'K-FAC', zh: 'K-FAC' },
  Adam: { en: 'Adam', zh: 'Adam' },
  'SGD-momentum': { en: 'SGD-momentum', zh: '带动量的 SGD' },
};
const KF_BLOCK = { en: 'K-FAC factors A, G (2 × √n×√n)', zh: 'K-FAC 因子 A、G（2 个 √n×√n）' };
const FULL_BLOCK = { en: 'full Gauss–Newton block (n×n)', zh: '完整 Gauss–Newton 块（n×n）' };

/** A line chart with a second title line (one line would be wider than a figure column). */
function titledLineChart(o: Parameters<typeof lineChart>[0] & { subtitle: { en: string; zh: string } }): Spec {
  const { subtitle, ...rest } = o;
  return { ...lineChart(rest), title: { text: rest.title, subtitle } };
}

/** A chart whose colour legend keeps this order (the English one) in both languages: a nominal scale sorts the localized names. */
function withColourDomain(domain: { en: string; zh: string }[], spec: Spec): Spec {
  const colour = ((spec.layer as Spec[])[0]!.encoding as Spec).color as Spec;
  colour.scale = { domain };
  return spec;
}

function figures(spec: MlpSpec64, runs: Run[], cost: { kf: Fit; full: Fit }, ft: Finetune): Figure[] {
  const lossRows = runs.flatMap((r) => r.losses.map((l, e) => ({ optimizer: { en: `${OPT_TEXT[r.name]!.en} (η=${r.lr})`, zh: `${OPT_TEXT[r.name]!.zh}（η=${r.lr}）` }, epoch: e, s: r.ms[e]! / 1000, loss: Math.max(l, 1e-6) })));
  const ce = { en: 'training cross-entropy (nats)', zh: '训练交叉熵（nats）' };
  const opt = { en: 'optimizer', zh: '优化器' };
  const costRows = [
    ...cost.kf.n.map((n, i) => ({ n, what: KF_BLOCK, ms: cost.kf.fastest[i]! })),
    ...cost.full.n.map((n, i) => ({ n, what: FULL_BLOCK, ms: cost.full.fastest[i]! })),
  ];
  const ftRows = ft.pairs.flatMap((pr, s) =>
    (['adam', 'kfac'] as const).flatMap((k) => pr[k].loss.map((l, i) => ({ run: `${k === 'adam' ? 'Adam' : 'K-FAC'} #${s + 1}`, s: pr[k].ms[i]! / 1000, loss: l }))),
  );
  const WALL = { en: 'wall time', zh: '墙钟时间' };
  const STEPS = { en: 'steps', zh: '步数' };
  const band = (f: Fit) => `${f.slope.toFixed(2)} [${f.low.toFixed(2)}, ${f.high.toFixed(2)}]`;
  return [
    {
      id: 'loss-vs-epoch',
      title: { zh: '训练损失随 epoch', en: 'training loss vs epoch' },
      spec: lineChart({ title: { en: `MLP ${spec.sizes.join('-')} on digits: training loss per epoch`, zh: `手写数字上的 MLP ${spec.sizes.join('-')}：每个 epoch 的训练损失` }, data: lossRows, x: { field: 'epoch', title: { en: 'epoch', zh: '训练轮数（epoch）' } }, y: { field: 'loss', title: ce, scale: 'log' }, color: { field: 'optimizer', title: opt } }),
      caption: { zh: '按 epoch 计，K-FAC 的每一步走得更远。', en: 'Per epoch, each K-FAC step goes further.' },
    },
    {
      id: 'loss-vs-time',
      title: { zh: '训练损失随时间', en: 'training loss vs wall time' },
      spec: lineChart({ title: { en: 'the same runs against training wall time', zh: '同样的训练，横轴换成墙钟时间' }, data: lossRows, x: { field: 's', title: { en: 'training wall time (s, float64 JS)', zh: '训练墙钟时间（秒，float64 JS）' } }, y: { field: 'loss', title: ce, scale: 'log' }, color: { field: 'optimizer', title: opt } }),
      caption: { zh: '按时间算，K-FAC 每步多付的因子统计与求逆开销要扣回来。', en: 'In wall time K-FAC pays for its factor statistics and inverses.' },
    },
    {
      id: 'inversion-cost',
      title: { zh: '曲率块求逆的耗时随权重数 n', en: 'curvature-block inversion time vs weights n' },
      spec: titledLineChart({
        // two lines: one would be wider than a figure column
        title: { en: 'square layer, n = d²: inversion wall time', zh: '方形层，n = d²：求逆的墙钟时间' },
        subtitle: { en: `full ∝ n^${band(cost.full)}, K-FAC ∝ n^${band(cost.kf)} (95% CI)`, zh: `完整块 ∝ n^${band(cost.full)}，K-FAC ∝ n^${band(cost.kf)}（95% 区间）` },
        data: costRows,
        x: { field: 'n', title: { en: 'weights in the layer, n = d²', zh: '该层权重数 n = d²' }, scale: 'log' },
        y: { field: 'ms', title: { en: 'inversion wall time (ms, fastest of sweeps)', zh: '求逆墙钟时间（毫秒，各轮中最快的一次）' }, scale: 'log' },
        color: { field: 'what', title: { en: 'curvature block', zh: '曲率块' } },
        points: true,
      }),
      caption: { zh: '两条线的斜率就是两种求逆的实测代价指数；最小的三分之一规模不参与拟合（固定开销）。', en: 'The slopes of the two lines are the measured cost exponents; the smallest third of the sizes is left out of the fit (fixed overheads).' },
    },
    {
      id: 'finetune-val-loss',
      title: { zh: '微调：验证损失随墙钟时间', en: 'fine-tuning: validation loss vs wall time' },
      spec: titledLineChart({
        title: { en: 'pretrained on digits, fine-tuned on mirrored digits', zh: '在数字上预训练、在镜像数字上微调' },
        subtitle: { en: `Adam η=${ft.adamLr}, K-FAC η=${ft.kfac.lr} γ=${ft.kfac.damping} (chosen on validation)`, zh: `Adam η=${ft.adamLr}，K-FAC η=${ft.kfac.lr} γ=${ft.kfac.damping}（在验证集上选出）` },
        data: ftRows,
        x: { field: 's', title: { en: 'optimizer wall time (s)', zh: '优化器墙钟时间（秒）' } },
        y: { field: 'loss', title: { en: 'validation cross-entropy (nats)', zh: '验证交叉熵（nats）' }, scale: 'log' },
        color: { field: 'run', title: { en: 'optimizer, seed', zh: '优化器、种子' } },
      }),
      caption: { zh: '每条线是一个种子；同一种子的两条线从同一个预训练网络出发。', en: 'One line per seed; both lines of a seed start from the same pretrained net.' },
    },
    {
      id: 'finetune-speedup',
      title: { zh: '微调：K-FAC 相对 Adam 的加速', en: 'fine-tuning: K-FAC’s speed-up over Adam' },
      spec: withColourDomain([STEPS, WALL], scatterChart({
        title: { en: 'Adam ÷ K-FAC to Adam’s best validation loss, per seed (1 = equal)', zh: '达到 Adam 最佳验证损失：Adam ÷ K-FAC，每个种子（1 = 持平）' },
        data: ft.sp.time.flatMap((t, s) => [
          { seed: s + 1, what: WALL, ratio: t },
          { seed: s + 1, what: STEPS, ratio: ft.sp.steps[s]! },
        ]),
        x: { field: 'seed', title: { en: 'seed', zh: '种子' }, type: 'ordinal' },
        y: { field: 'ratio', title: { en: 'speed-up of K-FAC (×)', zh: 'K-FAC 的加速倍数（×）' }, scale: 'log' },
        color: { field: 'what', title: { en: 'counted in', zh: '计量' } },
        rules: [{ y: 1, label: '1' }],
        size: 80,
      })),
      caption: { zh: '点在 1 以上表示 K-FAC 更快。', en: 'Points above 1 mean K-FAC is faster.' },
    },
  ];
}

const last = (r: Run) => r.losses[r.losses.length - 1]!;
const secs = (r: Run) => r.ms[r.ms.length - 1]! / 1000;
const f2 = (x: number) => x.toFixed(2);

function evidence(cost: { kf: Fit; full: Fit }, ft: Finetune) {
  return {
    n15: {
      kfac_time_exponent: cost.kf.slope,
      kfac_time_exponent_ci_low: cost.kf.low,
      kfac_time_exponent_ci_high: cost.kf.high,
      full_time_exponent: cost.full.slope,
      full_time_exponent_ci_low: cost.full.low,
      exponent_gap_low: cost.full.low - cost.kf.high,
      n_max: cost.kf.n[cost.kf.n.length - 1]!,
    },
    finetune: {
      ft_time_speedup: ft.sp.timeCi.mean,
      ft_time_speedup_ci_low: ft.sp.timeCi.low,
      ft_time_speedup_ci_high: ft.sp.timeCi.high,
      ft_steps_speedup: ft.sp.stepsCi.mean,
      ft_steps_speedup_ci_low: ft.sp.stepsCi.low,
      seeds: ft.pairs.length,
      kfac_reached_target: ft.sp.reached,
    },
  };
}

function report(p: P, runs: Run[], cost: { kf: Fit; full: Fit }, ft: Finetune, params: number): { metrics: Metric[]; findings: { en: string; zh: string }[] } {
  const [kf, adam, sgdm] = runs as [Run, Run, Run];
  const ev = evidence(cost, ft);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const metrics: Metric[] = [
    ...runs.flatMap((r) => {
      const k = r.name.replace(/[^a-zA-Z]/g, '').toLowerCase();
      return [
        { name: `final_loss_${k}`, value: last(r), unit: 'nats', label: { zh: `${OPT_TEXT[r.name]!.zh} 最终训练损失`, en: `${r.name} final training loss` } },
        { name: `train_s_${k}`, value: secs(r), unit: 's', label: { zh: `${OPT_TEXT[r.name]!.zh} 训练用时`, en: `${r.name} training time` } },
        { name: `test_acc_${k}`, value: r.acc, unit: '1', label: { zh: `${OPT_TEXT[r.name]!.zh} 测试准确率`, en: `${r.name} test accuracy` } },
      ];
    }),
    { name: 'full_block_exponent', value: cost.full.slope, unit: '1', label: { zh: '完整块求逆耗时对 n 的指数', en: 'exponent of full-block inversion time in n' }, reference: { value: 3, source: 'Martens & Grosse 2015' } },
    { name: 'kfac_exponent', value: cost.kf.slope, unit: '1', label: { zh: 'K-FAC 两因子求逆耗时对 n 的指数', en: 'exponent of K-FAC factor inversion time in n' }, reference: { value: 1.5, source: 'Martens & Grosse 2015, square layer' } },
    { name: 'ft_time_speedup', value: ft.sp.timeCi.mean, unit: '×', label: { zh: '微调：K-FAC 相对 Adam 的时间加速（几何平均）', en: 'fine-tuning: K-FAC time speed-up over Adam (geometric mean)' } },
    { name: 'ft_steps_speedup', value: ft.sp.stepsCi.mean, unit: '×', label: { zh: '微调：K-FAC 相对 Adam 的步数加速（几何平均）', en: 'fine-tuning: K-FAC step speed-up over Adam (geometric mean)' } },
    { name: 'ft_test_acc_adam', value: mean(ft.testAcc.adam), unit: '1', label: { zh: '微调后 Adam 的镜像测试准确率', en: 'mirrored test accuracy after fine-tuning, Adam' } },
    { name: 'ft_test_acc_kfac', value: mean(ft.testAcc.kfac), unit: '1', label: { zh: '微调后 K-FAC 的镜像测试准确率', en: 'mirrored test accuracy after fine-tuning, K-FAC' } },
  ];
  const sp = ft.sp;
  const findings = [
    {
      zh: `从头训练 ${p.epochs} 个 epoch 后的训练损失：K-FAC ${last(kf).toFixed(4)}，Adam（η=${adam.lr}）${last(adam).toFixed(4)}，带动量 SGD（η=${sgdm.lr}）${last(sgdm).toFixed(4)}；训练用时分别为 ${secs(kf).toFixed(1)} s、${secs(adam).toFixed(1)} s、${secs(sgdm).toFixed(1)} s（共享机器，计时偏慢且有噪声）。`,
      en: `Trained from scratch for ${p.epochs} epochs the training loss is ${last(kf).toFixed(4)} for K-FAC, ${last(adam).toFixed(4)} for Adam (η=${adam.lr}) and ${last(sgdm).toFixed(4)} for SGD-momentum (η=${sgdm.lr}), in ${secs(kf).toFixed(1)} s, ${secs(adam).toFixed(1)} s and ${secs(sgdm).toFixed(1)} s (shared machine: slow and noisy timings).`,
    },
    {
      zh: `方形层（n = d²）上实测求逆耗时：完整 Gauss–Newton 块 ∝ n^${f2(cost.full.slope)}（${p.costRounds} 轮的 95% 区间 ${f2(cost.full.low)}…${f2(cost.full.high)}），K-FAC 两个 d×d 因子 ∝ n^${f2(cost.kf.slope)}（${f2(cost.kf.low)}…${f2(cost.kf.high)}）。这依赖“激活与反传梯度独立”的 Kronecker 假设，且只是求逆这一项；非方形层的代价是 O(d_in³ + d_out³)。`,
      en: `Measured inversion time on a square layer (n = d²): the full Gauss–Newton block ∝ n^${f2(cost.full.slope)} (95% interval over ${p.costRounds} sweeps ${f2(cost.full.low)}…${f2(cost.full.high)}), K-FAC's two d×d factors ∝ n^${f2(cost.kf.slope)} (${f2(cost.kf.low)}…${f2(cost.kf.high)}). It rests on the Kronecker assumption that activations and back-propagated gradients are independent, and covers the inversion only; a non-square layer costs O(d_in³ + d_out³).`,
    },
    {
      zh: `微调（${params} 个参数的 MLP 在数字上预训练，再在镜像数字上微调，${ev.finetune.seeds} 个种子）：达到 Adam 的最佳验证损失，K-FAC 的墙钟时间加速为 ${f2(sp.timeCi.mean)}×（95% 区间 ${f2(sp.timeCi.low)}…${f2(sp.timeCi.high)}），步数加速 ${f2(sp.stepsCi.mean)}×（${f2(sp.stepsCi.low)}…${f2(sp.stepsCi.high)}）；K-FAC 在 ${sp.reached}/${ev.finetune.seeds} 个种子上达到了目标。镜像测试准确率：Adam ${(100 * mean(ft.testAcc.adam)).toFixed(1)}%，K-FAC ${(100 * mean(ft.testAcc.kfac)).toFixed(1)}%。这是 10⁴ 参数的规模，论断说的是 10¹⁰。`,
      en: `Fine-tuning (the ${params}-parameter MLP pretrained on digits, fine-tuned on mirrored digits, ${ev.finetune.seeds} seeds): to Adam's best validation loss K-FAC's wall-time speed-up is ${f2(sp.timeCi.mean)}× (95% interval ${f2(sp.timeCi.low)}…${f2(sp.timeCi.high)}) and its step speed-up ${f2(sp.stepsCi.mean)}× (${f2(sp.stepsCi.low)}…${f2(sp.stepsCi.high)}); K-FAC reached the target on ${sp.reached}/${ev.finetune.seeds} seeds. Mirrored test accuracy: Adam ${(100 * mean(ft.testAcc.adam)).toFixed(1)}%, K-FAC ${(100 * mean(ft.testAcc.kfac)).toFixed(1)}%. This is at 10⁴ parameters; the claim speaks of 10¹⁰.`,
    },
  ];
  return { metrics, findings };
}

function verdicts(cost: { kf: Fit; full: Fit }, ft: Finetune) {
  const ev = evidence(cost, ft);
  const word = { reproduced: { en: 'holds', zh: '成立' }, partly: { en: 'partly holds', zh: '部分成立' }, 'not-reproduced': { en: 'does not hold', zh: '不成立' }, untestable: { en: '', zh: '' } };
  return [
    verdictFor('opt.kfac-n15', CRITERIA['opt.kfac-n15'], ev.n15, (v) => ({
      zh: `实测求逆墙钟时间：K-FAC ∝ n^${f2(cost.kf.slope)}（95% 区间 ${f2(cost.kf.low)}…${f2(cost.kf.high)}），完整块 ∝ n^${f2(cost.full.slope)}（${f2(cost.full.low)}…${f2(cost.full.high)}）：每个方形层上的 O(n^1.5) ${word[v].zh}；前提是 Kronecker 独立性近似，且仅指求逆这一项。`,
      en: `Measured inversion wall time: K-FAC ∝ n^${f2(cost.kf.slope)} (95% interval ${f2(cost.kf.low)}…${f2(cost.kf.high)}), full block ∝ n^${f2(cost.full.slope)} (${f2(cost.full.low)}…${f2(cost.full.high)}): O(n^1.5) per square layer ${word[v].en}, under the Kronecker independence approximation and for the inversion only.`,
    }), 'Martens & Grosse 2015'),
    verdictFor('opt.kfac-finetune', CRITERIA['opt.kfac-finetune'], ev.finetune, (v) => ({
      zh: `在 10⁴ 参数的 MLP 微调上，K-FAC 达到 Adam 最佳验证损失的时间加速 ${f2(ft.sp.timeCi.mean)}×（95% 区间 ${f2(ft.sp.timeCi.low)}…${f2(ft.sp.timeCi.high)}），步数加速 ${f2(ft.sp.stepsCi.mean)}×（下界 ${f2(ft.sp.stepsCi.low)}）：“微调中的显著优势”在这个规模上${word[v].zh}。10¹⁰ 参数的规模我们测不到；大模型上占上风的近似二阶方法是 Shampoo（AlgoPerf 2024）。`,
      en: `Fine-tuning a 10⁴-parameter MLP, K-FAC reaches Adam's best validation loss ${f2(ft.sp.timeCi.mean)}× faster in wall time (95% interval ${f2(ft.sp.timeCi.low)}…${f2(ft.sp.timeCi.high)}) and in ${f2(ft.sp.stepsCi.mean)}× fewer steps (lower bound ${f2(ft.sp.stepsCi.low)}): "a clear advantage in fine-tuning" ${word[v].en} at this scale. The 10¹⁰-parameter scale is beyond us; at scale the approximate second-order method that wins is Shampoo (AlgoPerf 2024).`,
    }), 'Martens & Grosse 2015; AlgoPerf 2024'),
  ];
}

export const kfac = defineExperiment({
  id: 'optimization.kfac',
  lens: 'optimization',
  title: { zh: 'K-FAC：Kronecker 分解的自然梯度', en: 'K-FAC: natural gradient through Kronecker factors' },
  summary: {
    zh: '用 K-FAC 训练手写数字 MLP，和带动量的 SGD、Adam 比较；测量一层的曲率块求逆的墙钟时间（完整 Gauss–Newton 块对比 K-FAC 的两个小因子）并按权重数 n 拟合指数；再把预训练好的网络在镜像数字上微调，比较 K-FAC 与 Adam 达到同一验证损失的时间。',
    en: 'K-FAC trains the digits MLP beside SGD with momentum and Adam; we time inverting one layer’s curvature block — the full Gauss–Newton block against K-FAC’s two small factors — and fit exponents in the number of weights n; then a pretrained net is fine-tuned on mirrored digits by K-FAC and by Adam, timed to the same validation loss.',
  },
  claims: ['opt.kfac-n15', 'opt.kfac-finetune'],
  params: Params,
  criteria: CRITERIA,
  presets: {
    quick: { hidden: 16, epochs: 2, adamLrs: [3e-3], sgdLrs: [0.1], fullWidths: [6, 8, 10, 12], kfacWidths: [8, 16, 32, 48], costBatch: 32, costRounds: 3, ftSeeds: 3, pretrainEpochs: 2, ftTrain: 100, ftEpochs: 2, ftAdamLrs: [1e-3], ftKfacLrs: [0.1], ftDampings: [0.1] },
    full: {},
  },
  formulas: [
    { tex: 'F_\\ell = \\mathbb E[\\bar a\\bar a^\\top \\otimes \\delta\\delta^\\top] \\approx \\mathbb E[\\bar a\\bar a^\\top]\\otimes\\mathbb E[\\delta\\delta^\\top] = A\\otimes G', label: { zh: 'K-FAC 的独立性假设', en: 'K-FAC’s independence assumption' } },
    { tex: '(A\\otimes G)^{-1}\\mathrm{vec}(V) = \\mathrm{vec}(A^{-1} V G^{-1})', label: { zh: '两个小逆矩阵代替一个大逆矩阵', en: 'two small inverses instead of one big one' } },
    { tex: 'd_{in}=d_{out}=d,\\ n=d^2:\\quad O(n^3)\\ \\to\\ O(2d^3)=O(n^{1.5})', label: { zh: '方形层上的代价', en: 'cost on a square layer' } },
  ],
  async run(p, ctx) {
    const ds = await loadDigits(ctx.data);
    const { train, test } = splitDigits(ds, ctx.rng.fork('split'), 497);
    const tb = toBatch(train);
    const teb = toBatch(test);
    const spec: MlpSpec64 = { sizes: [64, p.hidden, p.hidden, 10], activation: 'relu' };
    const theta0 = initMlp64(spec, ctx.rng.fork('init'));
    const runs = await measureTraining(p, ctx, spec, tb, teb, theta0);
    const cost = await measureCost(p, ctx, tb);
    const ft = await measureFinetune(p, ctx, tb, teb);
    const { metrics, findings } = report(p, runs, cost, ft, theta0.length);
    return { metrics, figures: figures(spec, runs, cost, ft), findings, verdicts: verdicts(cost, ft) };
  },
});
