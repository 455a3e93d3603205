/**
 * optimization.loss-landscape
 *
 * Context for the seed's "大模型的损失函数具有高维非凸特性" (优化理论): what does a real loss surface
 * look like along the directions we can plot?
 * References: Goodfellow, Vinyals & Saxe 2015 (1-D linear interpolation from initialisation to
 * solution is typically monotone); Li, Xu, Taylor, Studer & Goldstein 2018 (filter-normalised
 * random 2-D slices); Keskar et al. 2017 (large-batch training finds sharper minima; sharpness as
 * the top Hessian eigenvalue); Cohen et al. 2021 (edge of stability: GD sharpness hovers at 2/η; (2+2β)/η with momentum).
 *
 * Measured (float64 MLP on the digits): the training and test loss along θ₀ + α(θ* − θ₀); a 2-D
 * slice θ* + a·δ₁ + b·δ₂ with filter-normalised Gaussian directions (each unit's incoming weights
 * rescaled to the norm of θ*'s, biases left at 0); and the top Hessian eigenvalue (Lanczos on
 * finite-difference HVPs of the float64 gradient) of nets trained from the same initialisation
 * with small and with large minibatches.
 * With `gpt`, the nano GPT (tfjs, trained once by `trainedGPT`, then cached): the training and
 * held-out loss along θ₀ + α(θ* − θ₀) for α ∈ [−0.5, 1.5] from the very initialisation θ₀ its
 * training started from (barrier above the chord, curvature along the line at α = 1), a
 * filter-normalised 2-D slice of its held-out loss around θ*, and its sharpness (Lanczos on
 * central differences of the tfjs gradient on a fixed training batch).
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Figure, type Metric, type RunContext } from '../../experiments/contract.js';
import { loadDigits, splitDigits } from '../../data/corpora.js';
import { heatmap, lineChart } from '../../report/charts.js';
import { Rng } from '../../engine/rng.js';
import { splitText } from '../../data/corpora.js';
import { trainedGPT } from '../../gpt/trained.js';
import { evalTokens } from '../../gpt/evaluate.js';
import { GPT } from '../../gpt/model.js';
import { sampleBatch } from '../../gpt/train.js';
import { LENS_GPT_OPTS } from '../../gpt/lens-options.js';
import { gptFilterDirection, gptLayout, gptLossGrad, readTheta, thetaWeights } from './gpt-subspace.js';
import { fdHvp, flatLayout, lanczos } from './curvature.js';
import { accuracy64, crossEntropy, forward64, initMlp64, lossGrad64, subBatch, toBatch, train64, type Batch64, type MlpSpec64 } from '../../nn/mlp64.js';

/** A filter-normalised random direction (Li et al. 2018) for an MLP at θ: biases get 0. */
export function filterNormalizedDirection(sizes: number[], theta: Float64Array, rng: Rng): Float64Array {
  const d = new Float64Array(theta.length);
  for (const L of flatLayout(sizes)) {
    for (let j = 0; j < L.dout; j++) {
      let nd = 0;
      let nt = 0;
      for (let i = 0; i < L.din; i++) {
        const v = rng.normal();
        d[L.w + i * L.dout + j] = v;
        nd += v * v;
        nt += theta[L.w + i * L.dout + j]! ** 2;
      }
      const s = Math.sqrt(nt / nd);
      for (let i = 0; i < L.din; i++) d[L.w + i * L.dout + j]! *= s;
    }
  }
  return d;
}

const Params = z.object({
  hidden: z.number().int().min(2).default(32).describe('units, hidden width of the MLP 64-h-10 (ReLU)').meta({ zh: 'MLP 64-h-10 的隐藏层宽度（ReLU）' }),
  epochs: z.number().int().min(1).default(30).describe('epochs of training (SGD-momentum β=0.9) for the small-batch net').meta({ zh: '小批量网络的训练轮数（SGD 动量 β=0.9）' }),
  lr: z.number().positive().default(0.05).describe('η, SGD-momentum learning rate').meta({ zh: 'SGD 动量法的学习率 η' }),
  largeEpochs: z.number().int().min(1).default(120).describe('epochs for the large-batch net (more, so its training loss comes near the small-batch one)').meta({ zh: '大批量网络的训练轮数（更多一些，让它的训练损失接近小批量网络）' }),
  smallBatch: z.number().int().min(1).default(16).describe('examples per minibatch, small-batch run').meta({ zh: '小批量运行的批大小' }),
  largeBatch: z.number().int().min(1).default(512).describe('examples per minibatch, large-batch run').meta({ zh: '大批量运行的批大小' }),
  grid: z.number().int().min(3).default(25).describe('points per axis of the 2-D slice').meta({ zh: '二维切片每条坐标轴上的点数' }),
  span: z.number().positive().default(1).describe('half-width of the 2-D slice, in units of the filter-normalised directions').meta({ zh: '二维切片的半宽度，以按滤波器归一化的方向为单位' }),
  landscapeRows: z.number().int().min(20).default(500).describe('training rows used to evaluate the slices').meta({ zh: '计算切片时用的训练样本数' }),
  lanczosSteps: z.number().int().min(3).default(25).describe('Lanczos steps for the sharpness').meta({ zh: '估计尖锐度用的 Lanczos 步数' }),
  gpt: z.boolean().default(true).describe('also the nano GPT: 1-D line, 2-D slice, sharpness (trained once, then cached)').meta({ zh: '是否也对 nano GPT 画一维连线、二维切片并测尖锐度（只训练一次，之后缓存）' }),
  gptSteps: z.number().int().min(1).default(500).describe('training steps of the nano GPT (trained once, then cached)').meta({ zh: 'nano GPT 的训练步数（只训练一次，之后缓存）' }),
  gptSeed: z.number().int().min(0).default(1).describe('seed of the nano GPT (θ₀ is the initialisation its training started from)').meta({ zh: 'nano GPT 的随机种子（θ₀ 是它训练开始时的初始化）' }),
  gptGrid: z.number().int().min(3).default(21).describe('points per axis of the GPT slice (odd, so the centre is on the grid)').meta({ zh: 'GPT 切片每条坐标轴上的点数（取奇数，中心才落在格点上）' }),
  gptLinePoints: z.number().int().min(5).default(41).describe('points on the GPT’s 1-D line α ∈ [−0.5, 1.5]').meta({ zh: 'GPT 一维连线 α ∈ [−0.5, 1.5] 上的点数' }),
  gptEvalChars: z.number().int().min(64).default(2048).describe('held-out (and training) characters scored at each GPT point').meta({ zh: '每个 GPT 点上打分的留出（以及训练）字符数' }),
  gptLanczos: z.number().int().min(2).default(20).describe('Lanczos steps for the GPT’s sharpness').meta({ zh: '估计 GPT 尖锐度用的 Lanczos 步数' }),
  gptHvpEps: z.number().positive().default(1e-2).describe('step of the central difference of tfjs gradients for the GPT’s Hessian-vector products').meta({ zh: '用 tfjs 梯度的中心差分求 GPT 的 Hessian-向量乘积时的步长' }),
  gptHvpBatch: z.number().int().min(1).default(32).describe('windows of the fixed training batch for the GPT’s sharpness').meta({ zh: '测 GPT 尖锐度时固定训练批次里的窗口数' }),
});
type P = z.infer<typeof Params>;

/**
 * Along a 1-D path sampled at `alphas`: rises of the loss on [0, 1]; over the interior points 0 < α < 1, the
 * largest excess over the chord between α = 0 and α = 1 (the barrier; negative = below the chord all the way)
 * and the largest excess over the start (negative = never back up at the initial loss); and the second
 * difference at α = 1.
 */
export function lineStats(alphas: number[], loss: number[]): { rises: number; barrier: number; aboveStart: number; curvatureAtEnd: number } {
  const i0 = alphas.findIndex((a) => Math.abs(a) < 1e-9);
  const i1 = alphas.findIndex((a) => Math.abs(a - 1) < 1e-9);
  if (i0 < 0 || i1 < 0) throw new Error('lineStats: α = 0 and α = 1 must be on the grid');
  const L0 = loss[i0]!;
  const L1 = loss[i1]!;
  let rises = 0;
  let barrier = -Infinity;
  let aboveStart = -Infinity;
  for (let i = i0; i <= i1; i++) {
    if (i > i0 && loss[i]! > loss[i - 1]! + 1e-12) rises++;
    if (i === i0 || i === i1) continue; // the chord meets the curve at both ends: interior points only
    const a = alphas[i]!;
    barrier = Math.max(barrier, loss[i]! - ((1 - a) * L0 + a * L1));
    aboveStart = Math.max(aboveStart, loss[i]! - L0);
  }
  let curvatureAtEnd = NaN;
  if (i1 > 0 && i1 + 1 < alphas.length) {
    const h = alphas[i1 + 1]! - alphas[i1]!;
    curvatureAtEnd = (loss[i1 + 1]! - 2 * L1 + loss[i1 - 1]!) / (h * h);
  }
  return { rises, barrier, aboveStart, curvatureAtEnd };
}

/** Small vs large batch sharpness ratio criterion — no seed claim, a check of Keskar et al. */
export function sharperWithLargeBatch(m: { sharpSmall: number; sharpLarge: number }): boolean {
  return m.sharpLarge > m.sharpSmall;
}

/** The digits MLP: small- and large-batch nets from one initialisation, the 1-D line, 2-D slices, sharpness. */
async function measureMlp(p: P, ctx: RunContext) {
  const ds = await loadDigits(ctx.data);
  const { train, test } = splitDigits(ds, ctx.rng.fork('split'), 497);
  const [tb, teb] = [toBatch(train), toBatch(test)];
  const spec: MlpSpec64 = { sizes: [64, p.hidden, 10], activation: 'relu' };
  const theta0 = initMlp64(spec, ctx.rng.fork('init'));
  const D = theta0.length;
  const trainNet = (batch: number, label: string, epochs: number) => {
    const th = Float64Array.from(theta0);
    train64(spec, th, tb, { epochs, batch, lr: p.lr, opt: { kind: 'momentum', beta: 0.9 }, rng: ctx.rng.fork(`order-${label}`) });
    return th;
  };
  const small = trainNet(p.smallBatch, 'small', p.epochs);
  ctx.progress(0.2, 'small-batch net');
  await tick();
  const large = trainNet(p.largeBatch, 'large', p.largeEpochs);
  ctx.progress(0.35, 'large-batch net');
  await tick();
  throwIfAborted(ctx.signal);

  const lrows = subBatch(tb, ctx.rng.fork('rows').permutation(tb.n).subarray(0, Math.min(p.landscapeRows, tb.n)), 64);
  const lossAt = (th: Float64Array, b: Batch64) => crossEntropy(forward64(spec, th, b), b.y);
  const mix = (a: Float64Array, da: Float64Array, s: number, db?: Float64Array, t = 0) => {
    const out = new Float64Array(D);
    for (let i = 0; i < D; i++) out[i] = a[i]! + s * da[i]! + (db ? t * db[i]! : 0);
    return out;
  };

  // 1-D interpolation init → small-batch solution
  const dir = new Float64Array(D);
  for (let i = 0; i < D; i++) dir[i] = small[i]! - theta0[i]!;
  const interp: { alpha: number; split: string; loss: number }[] = [];
  for (let k = 0; k <= 30; k++) {
    const alpha = -0.25 + (1.5 * k) / 30;
    const th = mix(theta0, dir, alpha);
    interp.push({ alpha, split: 'train', loss: lossAt(th, tb) }, { alpha, split: 'test', loss: lossAt(th, teb) }); // split names are keys; figures translate them
  }
  const trainPath = interp.filter((r) => r.split === 'train' && r.alpha >= 0 && r.alpha <= 1).map((r) => r.loss);
  let rises = 0;
  for (let i = 1; i < trainPath.length; i++) if (trainPath[i]! > trainPath[i - 1]! + 1e-12) rises++;
  const monotone = rises === 0;
  await tick();

  // 2-D filter-normalised slices around both solutions
  const slice = async (th: Float64Array, label: string) => {
    const r = ctx.rng.fork(`dirs-${label}`);
    const d1 = filterNormalizedDirection(spec.sizes, th, r);
    const d2 = filterNormalizedDirection(spec.sizes, th, r);
    const rows: { a: number; b: number; loss: number }[] = [];
    for (let i = 0; i < p.grid; i++) {
      for (let j = 0; j < p.grid; j++) {
        const a = -p.span + (2 * p.span * i) / (p.grid - 1);
        const b = -p.span + (2 * p.span * j) / (p.grid - 1);
        rows.push({ a: Number(a.toFixed(3)), b: Number(b.toFixed(3)), loss: lossAt(mix(th, d1, a, d2, b), lrows) });
      }
      throwIfAborted(ctx.signal);
      await tick();
    }
    return rows;
  };
  const sliceSmall = await slice(small, 'small');
  ctx.progress(0.6, '2-D slice (small batch)');
  const sliceLarge = await slice(large, 'large');
  ctx.progress(0.8, '2-D slice (large batch)');

  // sharpness: top Hessian eigenvalue of the full training loss, Lanczos on FD-HVPs
  const sharp = (th: Float64Array, label: string) => {
    const g = (t: Float64Array) => lossGrad64(spec, t, tb).grad;
    const ritz = lanczos((v) => fdHvp(g, th, v, 1e-5), D, p.lanczosSteps, ctx.rng.fork(`lanczos-${label}`)).ritz;
    return ritz[ritz.length - 1]!;
  };
  const sharpSmall = sharp(small, 'small');
  const sharpLarge = sharp(large, 'large');
  ctx.progress(0.95, 'sharpness');
  const accSmall = accuracy64(spec, small, teb);
  const accLarge = accuracy64(spec, large, teb);
  const lossSmall = lossAt(small, tb);
  const lossLarge = lossAt(large, tb);
  return { D, spec, dir, interp, rises, monotone, sliceSmall, sliceLarge, sharpSmall, sharpLarge, accSmall, accLarge, lossSmall, lossLarge };
}
type Mlp = Awaited<ReturnType<typeof measureMlp>>;

/** The nano GPT (trained once, cached): the 1-D line from its own initialisation, then slice and sharpness. */
async function measureGpt(p: P, ctx: RunContext) {
  const tg = await trainedGPT(
    { data: ctx.data, cache: ctx.cache, signal: ctx.signal, log: ctx.log, progress: (f, m) => ctx.progress(0.95, `training the nano GPT (once, then cached): ${m ?? ''}`) },
    { corpus: 'shakespeare', config: 'nano', steps: p.gptSteps, seed: p.gptSeed, ...LENS_GPT_OPTS.nano },
  );
  const { train, val } = splitText(await ctx.data.text('shakespeare'));
  const valTok = tg.vocab.encode(val).subarray(0, p.gptEvalChars + 1);
  const trainAll = tg.vocab.encode(train);
  const trainTok = trainAll.subarray(0, p.gptEvalChars + 1);
  const m = GPT.init('nano', tg.vocab.size, new Rng(p.gptSeed).fork('gpt-init')); // θ₀ of ordinary training
  try {
    const lay = gptLayout(m);
    const theta0 = readTheta(m, lay);
    const thetaS = readTheta(tg.model, lay);
    const D = lay.D;
    const lossOf = (th: Float64Array, tok: Int32Array) => {
      const w = thetaWeights(lay, th);
      try {
        return evalTokens(m, tok, { weights: w }).nats;
      } finally {
        Object.values(w).forEach((t) => t.dispose());
      }
    };
    const comb = (a: Float64Array, u: Float64Array, s: number, v?: Float64Array, t = 0) => {
      const out = new Float64Array(D);
      for (let i = 0; i < D; i++) out[i] = a[i]! + s * u[i]! + (v ? t * v[i]! : 0);
      return out;
    };
    // 1-D: θ₀ + α(θ* − θ₀)
    const dir = new Float64Array(D);
    let dist = 0;
    let n0 = 0;
    for (let i = 0; i < D; i++) {
      dir[i] = thetaS[i]! - theta0[i]!;
      dist += dir[i]! ** 2;
      n0 += theta0[i]! ** 2;
    }
    dist = Math.sqrt(dist);
    n0 = Math.sqrt(n0);
    const alphas = Array.from({ length: p.gptLinePoints }, (_, k) => Number((-0.5 + (2 * k) / (p.gptLinePoints - 1)).toFixed(6)));
    const line: { alpha: number; split: string; loss: number }[] = [];
    const lineTrain: number[] = [];
    const lineVal: number[] = [];
    for (const alpha of alphas) {
      const th = comb(theta0, dir, alpha);
      const lt = lossOf(th, trainTok);
      const lv = lossOf(th, valTok);
      lineTrain.push(lt);
      lineVal.push(lv);
      line.push({ alpha, split: 'train', loss: lt }, { alpha, split: 'held-out', loss: lv }); // keys; figures translate them
      throwIfAborted(ctx.signal);
      await tick();
    }
    const statsTrain = lineStats(alphas, lineTrain);
    const statsVal = lineStats(alphas, lineVal);
    ctx.progress(0.96, 'nano GPT: 1-D line');
    const sl = await gptSliceAndSharpness(p, ctx, { m, lay, thetaS, trainAll, valTok, lossOf, comb });
    return { D, tg, line, alphas, lineTrain, lineVal, statsTrain, statsVal, dist, n0, ...sl };
  } finally {
    m.dispose();
  }
}
type Gpt = Awaited<ReturnType<typeof measureGpt>>;

/** A filter-normalised 2-D slice of the GPT's held-out loss around θ*, and its sharpness on a fixed batch. */
async function gptSliceAndSharpness(
  p: P,
  ctx: RunContext,
  o: { m: GPT; lay: ReturnType<typeof gptLayout>; thetaS: Float64Array; trainAll: Int32Array; valTok: Int32Array; lossOf: (th: Float64Array, tok: Int32Array) => number; comb: (a: Float64Array, u: Float64Array, s: number, v?: Float64Array, t?: number) => Float64Array },
) {
  const { m, lay, thetaS, trainAll, valTok, lossOf, comb } = o;
  const D = lay.D;
  // 2-D filter-normalised slice of the held-out loss around θ*
  const gr = ctx.rng.fork('gpt-dirs');
  const d1 = gptFilterDirection(lay, thetaS, gr);
  const d2 = gptFilterDirection(lay, thetaS, gr);
  const rows: { a: number; b: number; loss: number }[] = [];
  const half = (p.gptGrid - 1) / 2;
  const h = p.span / half;
  const grid: number[][] = [];
  for (let i = 0; i < p.gptGrid; i++) {
    grid.push([]);
    for (let j = 0; j < p.gptGrid; j++) {
      const a = (i - half) * h;
      const b = (j - half) * h;
      const loss = lossOf(comb(thetaS, d1, a, d2, b), valTok);
      grid[i]!.push(loss);
      rows.push({ a: Number(a.toFixed(3)), b: Number(b.toFixed(3)), loss });
    }
    ctx.progress(0.96 + (0.03 * (i + 1)) / p.gptGrid, 'nano GPT: 2-D slice');
    await tick();
    throwIfAborted(ctx.signal);
  }
  const ci = Math.round(half);
  const center = grid[ci]![ci]!;
  const curvA = Number.isInteger(half) && p.gptGrid >= 3 ? (grid[ci + 1]![ci]! - 2 * center + grid[ci - 1]![ci]!) / (h * h) : NaN;
  const curvB = Number.isInteger(half) && p.gptGrid >= 3 ? (grid[ci]![ci + 1]! - 2 * center + grid[ci]![ci - 1]!) / (h * h) : NaN;
  // sharpness: λ_max of the Hessian of the training loss on one fixed batch, Lanczos on central differences of tfjs gradients
  const batch = sampleBatch(trainAll, p.gptHvpBatch, m.config.blockSize, ctx.rng.fork('gpt-hvp-batch'));
  const g = (th: Float64Array) => gptLossGrad(m, lay, th, batch).grad;
  const ritz = lanczos((v) => fdHvp(g, thetaS, v, p.gptHvpEps), D, p.gptLanczos, ctx.rng.fork('gpt-lanczos')).ritz;
  const sharp = ritz[ritz.length - 1]!;
  const batchLoss = gptLossGrad(m, lay, thetaS, batch).loss;
  return { rows, center, curvA, curvB, h, sharp, ritzMin: ritz[0]!, batchLoss, dirNorm: Math.sqrt(d1.reduce((s, x) => s + x * x, 0)), thetaNorm: Math.sqrt(thetaS.reduce((s, x) => s + x * x, 0)) };
}

const SPLIT: Record<string, { en: string; zh: string }> = { train: { en: 'train', zh: '训练集' }, test: { en: 'test', zh: '测试集' }, 'held-out': { en: 'held-out', zh: '留出集' } };
const COEF1 = { en: 'δ₁ coefficient', zh: 'δ₁ 系数' };
const COEF2 = { en: 'δ₂ coefficient', zh: 'δ₂ 系数' };

function mlpOutputs(p: P, mlp: Mlp, gpt: Gpt | undefined) {
  const { D, dir, interp, rises, monotone, sliceSmall, sliceLarge, sharpSmall, sharpLarge, accSmall, accLarge, lossSmall, lossLarge } = mlp;
  const gptRows = gpt ? gpt.rows : [];
  const gptParams = gpt ? gpt.D : 0;
  const dist2 = (v: Float64Array) => v.reduce((a, x) => a + x * x, 0);
  const cap = (rows: { a: number; b: number; loss: number }[]) => rows.map((r) => ({ ...r, loss: Math.min(r.loss, 5) }));
  const figures: Figure[] = [
    {
      id: 'interpolation-1d',
      title: { zh: '初始化到解的一维插值', en: '1-D interpolation from initialisation to solution' },
      spec: lineChart({ title: 'L(θ₀ + α(θ* − θ₀))', data: interp.map((r) => ({ ...r, split: SPLIT[r.split]! })), x: { field: 'alpha', title: { en: 'α (0 = init, 1 = solution)', zh: 'α（0 = 初始化，1 = 解）' } }, y: { field: 'loss', title: { en: 'cross-entropy (nats)', zh: '交叉熵（nats）' }, scale: 'log' }, color: { field: 'split', title: { en: 'data', zh: '数据' } }, rules: [{ x: 0, label: { en: 'init', zh: '初始化' } }, { x: 1, label: { en: 'solution', zh: '解' } }] }),
      caption: { zh: '沿这条直线，训练损失单调下降——非凸性在这个方向上看不出来。', en: 'Along this line the training loss falls monotonically: the non-convexity does not show in this direction.' },
    },
    {
      id: 'slice-2d-small-batch',
      title: { zh: '小批量解附近的二维切片', en: '2-D slice around the small-batch solution' },
      spec: heatmap({ title: { en: `training loss (capped at 5) around the batch-${p.smallBatch} solution`, zh: `批量 ${p.smallBatch} 的解附近的训练损失（上限 5）` }, data: cap(sliceSmall), x: { field: 'a', title: COEF1 }, y: { field: 'b', title: COEF2 }, color: { field: 'loss', title: { en: 'loss', zh: '损失' }, scheme: 'viridis' } }),
      caption: { zh: '滤波器归一化后，不同解的切片可以直接比较宽窄。', en: 'Filter normalisation makes slices of different solutions comparable in width.' },
    },
    {
      id: 'slice-2d-large-batch',
      title: { zh: '大批量解附近的二维切片', en: '2-D slice around the large-batch solution' },
      spec: heatmap({ title: { en: `training loss (capped at 5) around the batch-${p.largeBatch} solution`, zh: `批量 ${p.largeBatch} 的解附近的训练损失（上限 5）` }, data: cap(sliceLarge), x: { field: 'a', title: COEF1 }, y: { field: 'b', title: COEF2 }, color: { field: 'loss', title: { en: 'loss', zh: '损失' }, scheme: 'viridis' } }),
    },
    ...(gptRows.length
      ? [
          {
            id: 'slice-2d-nano-gpt',
            title: { zh: 'nano GPT 附近的二维切片', en: '2-D slice around the nano GPT' },
            spec: heatmap({ title: { en: `held-out loss (nats/char, capped at 5) around the nano GPT (${gptParams} parameters)`, zh: `nano GPT（${gptParams} 个参数）附近的留出损失（nats/字符，上限 5）` }, data: cap(gptRows), x: { field: 'a', title: COEF1 }, y: { field: 'b', title: COEF2 }, color: { field: 'loss', title: { en: 'nats/char', zh: 'nats/字符' }, scheme: 'viridis' } }),
            caption: { zh: '同样的滤波器归一化方向，用在 Transformer 上。', en: 'The same filter-normalised directions, on a transformer.' },
          },
        ]
      : []),
  ];
  const limit = (2 + 2 * 0.9) / p.lr;
  /** share of the 2-D slice whose training loss is below 0.5 nats: a basin-width measure */
  const area = (rows: { loss: number }[]) => rows.filter((r) => r.loss < 0.5).length / rows.length;
  const areaSmall = area(sliceSmall);
  const areaLarge = area(sliceLarge);
  const metrics: Metric[] = [
    { name: 'params', value: D, unit: '1' },
    { name: 'interp_rises', value: rises, unit: '1', label: { zh: '插值路径上训练损失上升的次数', en: 'rises of the training loss along the path' } },
    { name: 'sharpness_small_batch', value: sharpSmall, unit: '1', label: { zh: `批量 ${p.smallBatch} 解的 λ_max`, en: `λ_max at the batch-${p.smallBatch} solution` } },
    { name: 'sharpness_large_batch', value: sharpLarge, unit: '1', label: { zh: `批量 ${p.largeBatch} 解的 λ_max`, en: `λ_max at the batch-${p.largeBatch} solution` } },
    { name: 'stability_limit', value: limit, unit: '1', label: { zh: '带动量 SGD 的稳定上限 (2+2β)/η', en: 'stability limit of heavy ball (2+2β)/η' }, reference: { value: limit, source: 'Goh 2017; Cohen et al. 2021' } },
    { name: 'basin_area_small_batch', value: areaSmall, unit: '1', label: { zh: '二维切片中损失 < 0.5 的比例（小批量）', en: 'share of the 2-D slice with loss < 0.5 (small batch)' } },
    { name: 'basin_area_large_batch', value: areaLarge, unit: '1', label: { zh: '二维切片中损失 < 0.5 的比例（大批量）', en: 'share of the 2-D slice with loss < 0.5 (large batch)' } },
    { name: 'train_loss_small_batch', value: lossSmall, unit: 'nats' },
    { name: 'train_loss_large_batch', value: lossLarge, unit: 'nats' },
    { name: 'test_acc_small_batch', value: accSmall, unit: '1' },
    { name: 'test_acc_large_batch', value: accLarge, unit: '1' },
  ];
  const sharper = sharperWithLargeBatch({ sharpSmall, sharpLarge });
  const findings: { zh: string; en: string }[] = [
    {
      zh: `从初始化到解的直线上，训练损失${monotone ? '单调下降' : `有 ${rises} 处上升`}（Goodfellow 等 2015 的观察）；高维非凸并不意味着沿每个方向都崎岖。`,
      en: `Along the straight line from initialisation to solution the training loss ${monotone ? 'falls monotonically' : `rises ${rises} times`} (as Goodfellow et al. 2015 observed); high-dimensional non-convexity does not mean every direction is rugged.`,
    },
    {
      zh: `同一初始化（小批量 ${p.epochs} 个 epoch，大批量 ${p.largeEpochs} 个）：批量 ${p.smallBatch} 的解 λ_max = ${sharpSmall.toFixed(2)}（训练损失 ${lossSmall.toFixed(4)}，测试准确率 ${(accSmall * 100).toFixed(1)}%），批量 ${p.largeBatch} 的解 λ_max = ${sharpLarge.toFixed(2)}（训练损失 ${lossLarge.toFixed(4)}，测试准确率 ${(accLarge * 100).toFixed(1)}%）。${sharper ? '大批量的解更尖锐，与 Keskar 等（2017）一致' : '这里大批量的解并不更尖锐，与 Keskar 等（2017）的结论不同'}；滤波器归一化的二维切片中损失低于 0.5 的面积分别占 ${(areaSmall * 100).toFixed(0)}% 与 ${(areaLarge * 100).toFixed(0)}%；注意两者的训练损失不同，尖锐度也受步长约束（带动量时的稳定上限 (2+2β)/η = ${limit.toFixed(0)}）。`,
      en: `Same initialisation (${p.epochs} epochs at the small batch, ${p.largeEpochs} at the large one): the batch-${p.smallBatch} solution has λ_max = ${sharpSmall.toFixed(2)} (training loss ${lossSmall.toFixed(4)}, test accuracy ${(accSmall * 100).toFixed(1)}%), the batch-${p.largeBatch} one λ_max = ${sharpLarge.toFixed(2)} (training loss ${lossLarge.toFixed(4)}, test accuracy ${(accLarge * 100).toFixed(1)}%). ${sharper ? 'The large-batch solution is sharper, as Keskar et al. (2017) report' : 'Here the large-batch solution is not sharper, unlike Keskar et al. (2017)'}; in the filter-normalised 2-D slices the loss stays below 0.5 on ${(areaSmall * 100).toFixed(0)}% and ${(areaLarge * 100).toFixed(0)}% of the square; note the two training losses differ, and sharpness is also bounded by the step size (heavy ball's stability limit (2+2β)/η = ${limit.toFixed(0)}).`,
    },
  ];
  // the MLP's line, in the same terms as the GPT's
  const mlpLine = lineStats(interp.filter((r) => r.split === 'train').map((r) => r.alpha), interp.filter((r) => r.split === 'train').map((r) => r.loss));
  metrics.push(
    { name: 'interp_barrier', value: mlpLine.barrier, unit: 'nats', label: { zh: 'MLP 一维插值高出弦线的最大值（训练损失）', en: 'MLP: largest excess of the training loss over the chord on α ∈ [0, 1]' } },
    { name: 'interp_curvature_at_solution', value: mlpLine.curvatureAtEnd / dist2(dir), unit: 'nats per unit ‖θ‖²', label: { zh: 'MLP 沿插值方向在解处的曲率', en: 'MLP: curvature along the line at the solution, per unit length²' } },
  );
  return { figures, metrics, findings };
}

function gptOutputs(p: P, gpt: Gpt, out: { figures: Figure[]; metrics: Metric[]; findings: { zh: string; en: string }[] }): void {
  const { figures, metrics, findings } = out;
  const gptRows = gpt.rows;
  const gptCenter = gpt.center;
  const gptArea = gptRows.filter((r) => r.loss < gptCenter + 0.5).length / gptRows.length;
  const minSlice = Math.min(...gptRows.map((r) => r.loss));
  const centerIsMin = minSlice >= gptCenter - 1e-6;
  const maxSlice = Math.max(...gptRows.map((r) => r.loss));
  const st = gpt.statsTrain;
  const sv = gpt.statsVal;
  const lineCurv = st.curvatureAtEnd / (gpt.dist * gpt.dist);
  const i1 = gpt.alphas.findIndex((a) => Math.abs(a - 1) < 1e-9);
  const lo = Math.min(...gpt.lineVal);
  const aLo = gpt.alphas[gpt.lineVal.indexOf(lo)]!;
  figures.push({
    id: 'interpolation-1d-nano-gpt',
    title: { zh: 'nano GPT：初始化到解的一维插值', en: 'nano GPT: 1-D interpolation from initialisation to solution' },
    spec: lineChart({ title: { en: `nano GPT (${gpt.D} params): L(θ₀ + α(θ* − θ₀))`, zh: `nano GPT（${gpt.D} 个参数）：L(θ₀ + α(θ* − θ₀))` }, data: gpt.line.map((r) => ({ ...r, split: SPLIT[r.split]! })), x: { field: 'alpha', title: { en: 'α (0 = init, 1 = trained)', zh: 'α（0 = 初始化，1 = 训练后）' } }, y: { field: 'loss', title: { en: 'cross-entropy (nats/char)', zh: '交叉熵（nats/字符）' }, scale: 'log' }, color: { field: 'split', title: { en: 'text', zh: '文本' } }, rules: [{ x: 0, label: { en: 'init', zh: '初始化' } }, { x: 1, label: { en: 'trained', zh: '训练后' } }] }),
    caption: {
      zh: `从初始化到训练解的直线上，训练损失${st.rises === 0 ? '单调下降' : `有 ${st.rises} 处上升`}，高出弦线最多 ${st.barrier.toFixed(3)} nats（负数表示整段都在弦线之下）。`,
      en: `Along the straight line from initialisation to the trained weights the training loss ${st.rises === 0 ? 'falls monotonically' : `rises ${st.rises} times`}; its largest excess over the chord is ${st.barrier.toFixed(3)} nats (negative: below the chord all the way).`,
    },
  });
  metrics.push(
    { name: 'gpt_params', value: gpt.D, unit: '1' },
    { name: 'gpt_val_bpc', value: gpt.tg.valBpc, unit: 'bits/char', label: { zh: 'nano GPT 的验证 bpc（trainedGPT）', en: 'nano GPT held-out bpc (trainedGPT)' } },
    { name: 'gpt_init_distance', value: gpt.dist, unit: '1', label: { zh: '‖θ* − θ₀‖', en: '‖θ* − θ₀‖' } },
    { name: 'gpt_init_distance_relative', value: gpt.dist / gpt.n0, unit: '1', label: { zh: '‖θ* − θ₀‖ / ‖θ₀‖', en: '‖θ* − θ₀‖ / ‖θ₀‖' } },
    { name: 'gpt_interp_rises', value: st.rises, unit: '1', label: { zh: 'GPT 插值路径上训练损失上升的次数（α∈[0,1]）', en: 'GPT: rises of the training loss along the path (α ∈ [0, 1])' } },
    { name: 'gpt_interp_barrier', value: st.barrier, unit: 'nats/char', label: { zh: 'GPT 训练损失高出弦线的最大值', en: 'GPT: largest excess of the training loss over the chord' } },
    { name: 'gpt_interp_barrier_heldout', value: sv.barrier, unit: 'nats/char' },
    { name: 'gpt_interp_above_init', value: st.aboveStart, unit: 'nats/char', label: { zh: 'GPT 路径上训练损失高出初始值的最大值（0 = 从不高于起点）', en: 'GPT: largest rise of the training loss above its value at init (0 = never above)' } },
    { name: 'gpt_line_loss_init', value: gpt.lineTrain[gpt.alphas.findIndex((a) => Math.abs(a) < 1e-9)]!, unit: 'nats/char' },
    { name: 'gpt_line_loss_trained', value: gpt.lineTrain[i1]!, unit: 'nats/char' },
    { name: 'gpt_line_loss_alpha_1_5', value: gpt.lineTrain[gpt.lineTrain.length - 1]!, unit: 'nats/char', label: { zh: 'α = 1.5 处（越过解）的训练损失', en: 'training loss at α = 1.5 (past the solution)' } },
    { name: 'gpt_line_min_alpha_heldout', value: aLo, unit: '1', label: { zh: '直线上验证损失最低的 α', en: 'α of the lowest held-out loss on the line' } },
    { name: 'gpt_line_curvature_alpha', value: st.curvatureAtEnd, unit: 'nats/char per α²', label: { zh: 'α = 1 处 d²L/dα²', en: 'd²L/dα² at α = 1' } },
    { name: 'gpt_line_curvature', value: lineCurv, unit: 'nats/char per unit ‖θ‖²', label: { zh: '沿插值方向的曲率（单位长度）', en: 'curvature along the line per unit length²' } },
    { name: 'gpt_sharpness', value: gpt.sharp, unit: 'nats/char per unit ‖θ‖²', label: { zh: 'nano GPT 解处的 λ_max（固定批次，Lanczos）', en: 'λ_max at the nano GPT solution (fixed batch, Lanczos)' } },
    { name: 'gpt_lanczos_min_ritz', value: gpt.ritzMin, unit: 'nats/char per unit ‖θ‖²', label: { zh: 'Lanczos 最小 Ritz 值（负数 = 有负曲率方向）', en: 'smallest Lanczos Ritz value (negative = a direction of negative curvature)' } },
    { name: 'gpt_center_loss', value: gptCenter, unit: 'nats/char', label: { zh: 'nano GPT 在切片中心的验证损失', en: 'nano GPT held-out loss at the slice centre' } },
    { name: 'gpt_max_slice_loss', value: maxSlice, unit: 'nats/char' },
    { name: 'gpt_min_slice_loss', value: minSlice, unit: 'nats/char' },
    { name: 'gpt_basin_area', value: gptArea, unit: '1', label: { zh: '切片中损失比中心高不到 0.5 的比例', en: 'share of the slice within 0.5 nats of the centre' } },
    { name: 'gpt_slice_curvature_a', value: gpt.curvA, unit: 'nats/char per coefficient²', label: { zh: '切片中心沿 δ₁ 的二阶差分', en: 'second difference along δ₁ at the centre' } },
    { name: 'gpt_slice_curvature_b', value: gpt.curvB, unit: 'nats/char per coefficient²' },
    { name: 'gpt_direction_norm_ratio', value: gpt.dirNorm / gpt.thetaNorm, unit: '1', label: { zh: '滤波器归一化方向的范数 / ‖θ*‖（向量参数置 0，所以略小于 1）', en: 'norm of a filter-normalised direction / ‖θ*‖ (vectors get 0, so a little below 1)' } },
  );
  findings.push(
    {
      zh: `nano GPT（${gpt.D} 个参数，验证 ${gpt.tg.valBpc.toFixed(3)} bpc）：‖θ* − θ₀‖ = ${gpt.dist.toFixed(2)}（‖θ₀‖ 的 ${((100 * gpt.dist) / gpt.n0).toFixed(0)}%）。沿 θ₀ + α(θ* − θ₀)，训练损失从 ${gpt.lineTrain[gpt.alphas.findIndex((a) => Math.abs(a) < 1e-9)]!.toFixed(3)} 降到 ${gpt.lineTrain[i1]!.toFixed(3)} nats/字符，${st.rises === 0 ? '一路单调' : `中间上升 ${st.rises} 次`}，${st.barrier <= 0 ? `整段在弦线之下（没有势垒；内部点离弦线最近处也低 ${(-st.barrier).toFixed(3)} nats）` : `最多高出弦线 ${st.barrier.toFixed(3)} nats（一个势垒）`}；越过解到 α = 1.5 时${gpt.lineTrain[gpt.lineTrain.length - 1]! > gpt.lineTrain[i1]! ? '回升到' : '仍在下降，到'} ${gpt.lineTrain[gpt.lineTrain.length - 1]!.toFixed(3)}。验证损失在 α = ${aLo} 处最低。α = 1 处 d²L/dα² = ${st.curvatureAtEnd.toFixed(2)}，即每单位参数长度 ${lineCurv.toExponential(2)}；固定批次上 Hessian 的 λ_max = ${gpt.sharp.toFixed(2)}${gpt.ritzMin < 0 ? `，最小 Ritz 值 ${gpt.ritzMin.toFixed(2)} 为负：解附近仍有负曲率方向` : ''}。${st.rises === 0 && st.barrier <= 0 ? '与 MLP 一样（Goodfellow 等 2015），这条直线上看不到非凸性。' : '这条直线上能看到非凸的痕迹。'}`,
      en: `nano GPT (${gpt.D} parameters, ${gpt.tg.valBpc.toFixed(3)} held-out bpc): ‖θ* − θ₀‖ = ${gpt.dist.toFixed(2)} (${((100 * gpt.dist) / gpt.n0).toFixed(0)}% of ‖θ₀‖). Along θ₀ + α(θ* − θ₀) the training loss goes from ${gpt.lineTrain[gpt.alphas.findIndex((a) => Math.abs(a) < 1e-9)]!.toFixed(3)} to ${gpt.lineTrain[i1]!.toFixed(3)} nats/char, ${st.rises === 0 ? 'monotonically' : `rising ${st.rises} times on the way`}, ${st.barrier <= 0 ? `below the chord all the way (no barrier; the interior point closest to it is still ${(-st.barrier).toFixed(3)} nats under)` : `at most ${st.barrier.toFixed(3)} nats above the chord (a barrier)`}; past the solution, at α = 1.5, it ${gpt.lineTrain[gpt.lineTrain.length - 1]! > gpt.lineTrain[i1]! ? 'is back up at' : 'is still falling, to'} ${gpt.lineTrain[gpt.lineTrain.length - 1]!.toFixed(3)}. The held-out loss is lowest at α = ${aLo}. At α = 1, d²L/dα² = ${st.curvatureAtEnd.toFixed(2)}, i.e. ${lineCurv.toExponential(2)} per unit parameter length²; the Hessian on a fixed batch has λ_max = ${gpt.sharp.toFixed(2)}${gpt.ritzMin < 0 ? `, and its smallest Ritz value ${gpt.ritzMin.toFixed(2)} is negative: directions of negative curvature remain near the solution` : ''}. ${st.rises === 0 && st.barrier <= 0 ? 'As for the MLP (Goodfellow et al. 2015), this line shows no non-convexity.' : 'This line does show traces of non-convexity.'}`,
    },
    {
      zh: `nano GPT 附近滤波器归一化的二维切片（系数 ±${p.span}）：中心验证损失 ${gptCenter.toFixed(3)} nats/字符，切片内最低 ${minSlice.toFixed(3)}、最高 ${maxSlice.toFixed(2)}；比中心高不到 0.5 nats 的区域占 ${(gptArea * 100).toFixed(0)}%；中心处沿两个方向的二阶差分为 ${gpt.curvA.toFixed(2)} 与 ${gpt.curvB.toFixed(2)}。${centerIsMin ? '切片中心就是切片里的最低点：在这两个方向上是一个单一的盆地。' : '切片里有比中心更低的点：在这些随机方向上训练还没有走到盆地的底。'}`,
      en: `The filter-normalised 2-D slice around the nano GPT (coefficients ±${p.span}): held-out loss ${gptCenter.toFixed(3)} nats/char at the centre, ${minSlice.toFixed(3)} at the lowest and ${maxSlice.toFixed(2)} at the highest point; ${(gptArea * 100).toFixed(0)}% of the square lies within 0.5 nats of the centre; second differences at the centre ${gpt.curvA.toFixed(2)} and ${gpt.curvB.toFixed(2)} along the two directions. ${centerIsMin ? 'The centre is the lowest point of the slice: along these two directions it is a single basin.' : 'The slice has points below the centre: along these random directions training has not reached the bottom of the basin.'}`,
    },
  );
}

export const lossLandscape = defineExperiment({
  id: 'optimization.loss-landscape',
  lens: 'optimization',
  title: { zh: '损失曲面：一维插值、二维切片与尖锐度', en: 'Loss landscape: 1-D interpolation, 2-D slices and sharpness' },
  summary: {
    zh: '沿初始化到解的直线看训练与测试损失；在解附近画滤波器归一化的二维随机切片；比较小批量与大批量训练得到的解的尖锐度（Hessian 最大特征值）。',
    en: 'The training and test loss along the straight line from initialisation to solution; filter-normalised random 2-D slices around the solution; and the sharpness (top Hessian eigenvalue) of solutions found with small and with large minibatches.',
  },
  claims: [],
  params: Params,
  presets: {
    quick: { hidden: 8, epochs: 3, largeEpochs: 6, grid: 7, landscapeRows: 100, lanczosSteps: 8, largeBatch: 256, gptSteps: 12, gptGrid: 3, gptLinePoints: 9, gptEvalChars: 128, gptLanczos: 3, gptHvpBatch: 4 },
    full: {},
  },
  formulas: [
    { tex: 'L(\\theta_0 + \\alpha(\\theta^* - \\theta_0)),\\quad \\alpha\\in[-0.25, 1.25]\\ (\\text{MLP}),\\ [-0.5, 1.5]\\ (\\text{GPT})', label: { zh: '一维线性插值', en: '1-D linear interpolation' } },
    { tex: '\\text{barrier} = \\max_{\\alpha\\in[0,1]} \\big[L(\\alpha) - (1-\\alpha)L(0) - \\alpha L(1)\\big]', label: { zh: '高出弦线的势垒', en: 'barrier above the chord' } },
    { tex: 'L(\\theta^* + a\\,\\delta_1 + b\\,\\delta_2),\\quad \\delta_{i,j} \\leftarrow \\frac{\\delta_{i,j}}{\\|\\delta_{i,j}\\|}\\,\\|\\theta^*_{j}\\|', label: { zh: '滤波器归一化的二维切片', en: 'filter-normalised 2-D slice' } },
  ],
  async run(p, ctx) {
    const mlp = await measureMlp(p, ctx);
    const gpt = p.gpt ? await measureGpt(p, ctx) : undefined;
    const out = mlpOutputs(p, mlp, gpt);
    if (gpt) gptOutputs(p, gpt, out);
    return { ...out, verdicts: [] };
  },
});
