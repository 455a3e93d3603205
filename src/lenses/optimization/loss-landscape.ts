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
 * with small and with large minibatches. With `gpt`, the same filter-normalised 2-D slice of the nano GPT's held-out loss.
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Figure, type Metric } from '../../experiments/contract.js';
import { loadDigits, splitDigits } from '../../data/corpora.js';
import { heatmap, lineChart } from '../../report/charts.js';
import type { Rng } from '../../engine/rng.js';
import { tf } from '../../engine/tf.js';
import { splitText } from '../../data/corpora.js';
import { trainedGPT } from '../../gpt/trained.js';
import { evalText } from '../../gpt/evaluate.js';
import { fdHvp, flatLayout, lanczos } from './curvature.js';
import { accuracy64, crossEntropy, forward64, initMlp64, lossGrad64, subBatch, toBatch, train64, type Batch64, type MlpSpec64 } from './mlp64.js';

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
  hidden: z.number().int().min(2).default(32).describe('units, hidden width of the MLP 64-h-10 (ReLU)'),
  epochs: z.number().int().min(1).default(30).describe('epochs of training (SGD-momentum β=0.9) for the small-batch net'),
  lr: z.number().positive().default(0.05).describe('η, SGD-momentum learning rate'),
  largeEpochs: z.number().int().min(1).default(120).describe('epochs for the large-batch net (more, so its training loss comes near the small-batch one)'),
  smallBatch: z.number().int().min(1).default(16).describe('examples per minibatch, small-batch run'),
  largeBatch: z.number().int().min(1).default(512).describe('examples per minibatch, large-batch run'),
  grid: z.number().int().min(3).default(25).describe('points per axis of the 2-D slice'),
  span: z.number().positive().default(1).describe('half-width of the 2-D slice, in units of the filter-normalised directions'),
  landscapeRows: z.number().int().min(20).default(500).describe('training rows used to evaluate the slices'),
  lanczosSteps: z.number().int().min(3).default(25).describe('Lanczos steps for the sharpness'),
  gpt: z.boolean().default(true).describe('also slice the loss of the nano GPT (trained once, then cached)'),
  gptSteps: z.number().int().min(1).default(300).describe('training steps of the nano GPT'),
  gptGrid: z.number().int().min(3).default(11).describe('points per axis of the GPT slice'),
  gptEvalChars: z.number().int().min(64).default(2048).describe('held-out characters scored at each GPT grid point'),
});

/** Small vs large batch sharpness ratio criterion — no seed claim, a check of Keskar et al. */
export function sharperWithLargeBatch(m: { sharpSmall: number; sharpLarge: number }): boolean {
  return m.sharpLarge > m.sharpSmall;
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
    quick: { hidden: 8, epochs: 3, largeEpochs: 6, grid: 7, landscapeRows: 100, lanczosSteps: 8, largeBatch: 256, gpt: false },
    full: {},
  },
  formulas: [
    { tex: 'L(\\theta_0 + \\alpha(\\theta^* - \\theta_0)),\\quad \\alpha\\in[-0.25, 1.25]', label: { zh: '一维线性插值', en: '1-D linear interpolation' } },
    { tex: 'L(\\theta^* + a\\,\\delta_1 + b\\,\\delta_2),\\quad \\delta_{i,j} \\leftarrow \\frac{\\delta_{i,j}}{\\|\\delta_{i,j}\\|}\\,\\|\\theta^*_{j}\\|', label: { zh: '滤波器归一化的二维切片', en: 'filter-normalised 2-D slice' } },
  ],
  async run(p, ctx) {
    const ds = await loadDigits(ctx.data);
    const { train, test } = splitDigits(ds, ctx.rng.fork('split'), 497);
    const tb = toBatch(train);
    const teb = toBatch(test);
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
      interp.push({ alpha, split: 'train', loss: lossAt(th, tb) }, { alpha, split: 'test', loss: lossAt(th, teb) });
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

    // the nano GPT: a filter-normalised 2-D slice of its held-out loss around the trained weights
    let gptRows: { a: number; b: number; loss: number }[] = [];
    let gptCenter = NaN;
    let gptParams = 0;
    if (p.gpt) {
      const tg = await trainedGPT(
        { data: ctx.data, cache: ctx.cache, signal: ctx.signal, log: ctx.log, progress: (f, m) => ctx.progress(0.95, `training the nano GPT (once, then cached): ${m ?? ''}`) },
        { corpus: 'shakespeare', config: 'nano', steps: p.gptSteps, seed: 1 },
      );
      const { val } = splitText(await ctx.data.text('shakespeare'));
      const names = Object.keys(tg.model.params);
      const base: Record<string, Float32Array> = {};
      const shapes: Record<string, number[]> = {};
      for (const n of names) {
        base[n] = tg.model.params[n]!.dataSync() as Float32Array;
        shapes[n] = tg.model.params[n]!.shape;
        gptParams += base[n]!.length;
      }
      const gr = ctx.rng.fork('gpt-dirs');
      /** per output column of every matrix, rescaled to the trained column's norm; vectors get 0 */
      const direction = () => {
        const d: Record<string, Float32Array> = {};
        for (const n of names) {
          const w = base[n]!;
          const out = new Float32Array(w.length);
          const sh = shapes[n]!;
          if (sh.length === 2) {
            const [rows, cols] = sh as [number, number];
            for (let j = 0; j < cols; j++) {
              let nd = 0;
              let nt = 0;
              for (let i = 0; i < rows; i++) {
                const v = gr.normal();
                out[i * cols + j] = v;
                nd += v * v;
                nt += w[i * cols + j]! ** 2;
              }
              const sc = Math.sqrt(nt / nd);
              for (let i = 0; i < rows; i++) out[i * cols + j]! *= sc;
            }
          }
          d[n] = out;
        }
        return d;
      };
      const d1 = direction();
      const d2 = direction();
      for (let i = 0; i < p.gptGrid; i++) {
        for (let j = 0; j < p.gptGrid; j++) {
          const a = -p.span + (2 * p.span * i) / (p.gptGrid - 1);
          const b = -p.span + (2 * p.span * j) / (p.gptGrid - 1);
          const weights: Record<string, tf.Tensor> = {};
          for (const n of names) {
            const w = base[n]!;
            const x = new Float32Array(w.length);
            const u = d1[n]!;
            const v = d2[n]!;
            for (let k = 0; k < w.length; k++) x[k] = w[k]! + a * u[k]! + b * v[k]!;
            weights[n] = tf.tensor(x, shapes[n]);
          }
          const r = evalText(tg.model, tg.vocab, val, { maxChars: p.gptEvalChars, weights, oov: 'skip' });
          for (const t of Object.values(weights)) t.dispose();
          gptRows.push({ a: Number(a.toFixed(3)), b: Number(b.toFixed(3)), loss: r.nats });
          if (i === (p.gptGrid - 1) / 2 && j === (p.gptGrid - 1) / 2) gptCenter = r.nats;
        }
        await tick();
        throwIfAborted(ctx.signal);
      }
    }

    const cap = (rows: { a: number; b: number; loss: number }[]) => rows.map((r) => ({ ...r, loss: Math.min(r.loss, 5) }));
    const figures: Figure[] = [
      {
        id: 'interpolation-1d',
        title: { zh: '初始化到解的一维插值', en: '1-D interpolation from initialisation to solution' },
        spec: lineChart({ title: 'L(θ₀ + α(θ* − θ₀))', data: interp, x: { field: 'alpha', title: 'α (0 = init, 1 = solution)' }, y: { field: 'loss', title: 'cross-entropy (nats)', scale: 'log' }, color: { field: 'split', title: 'data' }, rules: [{ x: 0, label: 'init' }, { x: 1, label: 'solution' }] }),
        caption: { zh: '沿这条直线，训练损失单调下降——非凸性在这个方向上看不出来。', en: 'Along this line the training loss falls monotonically: the non-convexity does not show in this direction.' },
      },
      {
        id: 'slice-2d-small-batch',
        title: { zh: '小批量解附近的二维切片', en: '2-D slice around the small-batch solution' },
        spec: heatmap({ title: `training loss (capped at 5) around the batch-${p.smallBatch} solution`, data: cap(sliceSmall), x: { field: 'a', title: 'δ₁ coefficient' }, y: { field: 'b', title: 'δ₂ coefficient' }, color: { field: 'loss', title: 'loss', scheme: 'viridis' } }),
        caption: { zh: '滤波器归一化后，不同解的切片可以直接比较宽窄。', en: 'Filter normalisation makes slices of different solutions comparable in width.' },
      },
      {
        id: 'slice-2d-large-batch',
        title: { zh: '大批量解附近的二维切片', en: '2-D slice around the large-batch solution' },
        spec: heatmap({ title: `training loss (capped at 5) around the batch-${p.largeBatch} solution`, data: cap(sliceLarge), x: { field: 'a', title: 'δ₁ coefficient' }, y: { field: 'b', title: 'δ₂ coefficient' }, color: { field: 'loss', title: 'loss', scheme: 'viridis' } }),
      },
      ...(gptRows.length
        ? [
            {
              id: 'slice-2d-nano-gpt',
              title: { zh: 'nano GPT 附近的二维切片', en: '2-D slice around the nano GPT' },
              spec: heatmap({ title: `held-out loss (nats/char, capped at 5) around the nano GPT (${gptParams} parameters)`, data: cap(gptRows), x: { field: 'a', title: 'δ₁ coefficient' }, y: { field: 'b', title: 'δ₂ coefficient' }, color: { field: 'loss', title: 'nats/char', scheme: 'viridis' } }),
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
    if (gptRows.length) {
      const gptArea = gptRows.filter((r) => r.loss < gptCenter + 0.5).length / gptRows.length;
      const centerIsMin = Math.min(...gptRows.map((r) => r.loss)) >= gptCenter - 1e-6;
      metrics.push(
        { name: 'gpt_center_loss', value: gptCenter, unit: 'nats/char', label: { zh: 'nano GPT 在切片中心的验证损失', en: 'nano GPT held-out loss at the slice centre' } },
        { name: 'gpt_max_slice_loss', value: Math.max(...gptRows.map((r) => r.loss)), unit: 'nats/char' },
        { name: 'gpt_basin_area', value: gptArea, unit: '1', label: { zh: '切片中损失比中心高不到 0.5 的比例', en: 'share of the slice within 0.5 nats of the centre' } },
      );
      findings.push({
        zh: `nano GPT（${gptParams} 个参数）在切片中心的验证损失为 ${gptCenter.toFixed(3)} nats/字符，切片内最高 ${Math.max(...gptRows.map((r) => r.loss)).toFixed(2)}；比中心高不到 0.5 nats 的区域占 ${(gptArea * 100).toFixed(0)}%。${centerIsMin ? '切片中心就是切片里的最低点：在这两个方向上它也是一个单一的盆地。' : '切片里有比中心更低的点：训练还没有走到这个盆地的底。'}`,
        en: `The nano GPT (${gptParams} parameters) has held-out loss ${gptCenter.toFixed(3)} nats/char at the slice centre and at most ${Math.max(...gptRows.map((r) => r.loss)).toFixed(2)} in the slice; ${(gptArea * 100).toFixed(0)}% of the square lies within 0.5 nats of the centre. ${centerIsMin ? 'The centre is the lowest point of the slice: along these two directions it is a single basin too.' : 'The slice has points below the centre: training has not reached the bottom of this basin.'}`,
      });
    }
    return { metrics, figures, findings, verdicts: [] };
  },
});
