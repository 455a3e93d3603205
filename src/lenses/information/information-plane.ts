/**
 * information.information-plane — Shwartz-Ziv & Tishby against Saxe et al., on the digits.
 *
 * Claim (seed, 信息论): 「神经网络在预训练阶段先最大化输入信息捕获（增大 I(X;T)），在微调阶段则专注于任务相关
 * 信息的强化（提升 I(T;Y)）」 — read with the information-plane picture it rests on: training has a
 * fitting phase (I(X;T) and I(T;Y) rise) and then a compression phase (I(X;T) falls)
 * (info.ib-compression-phase); 「神经网络在预训练阶段先最大化输入信息捕获（增大 I(X;T)），在微调阶段则专注于
 * 任务相关信息的强化（提升 I(T;Y)）」 (info.ib-phases).
 *
 * Papers: R. Shwartz-Ziv, N. Tishby, "Opening the black box of deep neural networks via information"
 * (2017): tanh networks, mutual information by binning each unit's activation into 30 equal bins,
 * fitting then compression. A. Saxe et al., "On the information bottleneck theory of deep learning"
 * (ICLR 2018): the compression comes from tanh saturating under binning; ReLU networks, measured the
 * same way, do not compress, and compression is not what makes a network generalize.
 *
 * What is measured: the same narrowing MLP (64→10→7→5→10, as Saxe's 12-10-7-5-4-3-2 narrows) trained
 * on the digits with tanh and with ReLU, same data order and seed. At log-spaced epochs every hidden
 * layer T is binned (`bins` equal bins per unit: over [−1, 1] for tanh, [0, max activation] for
 * ReLU) on all 1,797 digits; with a deterministic network I(X;T) = H(T) and I(T;Y) = H(T) − H(T|Y),
 * plug-in. Per network: the largest drop of I(X;T) after its peak over the layers (compression, bits)
 * and, on that layer, the change of I(T;Y) from that peak to the end. Repeated over seeds (split,
 * init and data order each drawn anew); the verdicts rest on 95% t intervals over seeds.
 * Also judges info.ib-phases: the seed's "first capture input information, then task information"
 * read as Shwartz-Ziv & Tishby's fitting → compression with I(T;Y) still rising.
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Bilingual, type ClaimVerdict, type Figure, type Metric, type RunContext } from '../../experiments/contract.js';
import { verdictFor, type Criterion } from '../../experiments/verdict.js';
import { meanCi95, pairedDiffCi95 } from '../../experiments/stats.js';
import { loadDigits, splitDigits } from '../../data/corpora.js';
import { barChart, lineChart, type Row } from '../../report/charts.js';
import { binRows, entropyFromCounts, mutualInformationPlugIn } from './measures.js';
import { errors64, forwardNet64 as forward64, initNet64, trainNet64 as train64 } from '../../nn/mlp64.js';

const Params = z.object({
  seeds: z.number().int().min(1).max(20).default(5).describe('independent repetitions (split, init, data order); the verdicts use 95% intervals over them').meta({ zh: '独立重复的次数（数据划分、初始化、数据顺序都重新抽取）；结论依据这些重复上的 95% 置信区间' }),
  hidden: z.array(z.number().int().min(1).max(256)).default([10, 7, 5]).describe('hidden widths (input 64, output 10)').meta({ zh: '各隐藏层的宽度（输入 64 维，输出 10 类）' }),
  bins: z.number().int().min(2).max(1000).default(30).describe('equal-width bins per unit for the binning estimator (Shwartz-Ziv & Tishby used 30)').meta({ zh: '分箱估计互信息时，每个神经元的取值被均分成多少个箱（Shwartz-Ziv 与 Tishby 用的是 30）' }),
  epochs: z.number().int().min(2).max(20000).default(800).describe('training epochs (Adam, batch 64)').meta({ zh: '训练轮数（Adam，批大小 64）' }),
  lr: z.number().positive().default(1e-3).describe('Adam learning rate').meta({ zh: 'Adam 的学习率' }),
  snapshots: z.number().int().min(3).max(200).default(30).describe('log-spaced epochs at which the information is measured').meta({ zh: '在多少个（对数间隔的）训练轮次上测量信息量' }),
});
type P = z.infer<typeof Params>;

const HALF_BIT = {
  en: 'half a bit, a stated effect size: the layer tells apart 2^0.5 ≈ 1.4× fewer input patterns; Shwartz-Ziv & Tishby show tanh layers losing several bits',
  zh: '半个比特，事先给定的效应量：该层能区分的输入模式少了 2^0.5 ≈ 1.4 倍；Shwartz-Ziv 与 Tishby 报告 tanh 层会丢掉好几个比特',
};
const TENTH_BIT = {
  en: 'a tenth of a bit, a stated effect size (3% of H(Y) = 3.32 bits): task information still growing during compression',
  zh: '十分之一比特，事先给定的效应量（H(Y) = 3.32 比特的 3%）：压缩期间任务信息仍在增长',
};

/** Criteria, declared before any run. */
const CRITERIA = {
  'info.ib-compression-phase': [
    { level: 'reproduced', metric: 'tanh_compression_ci_low', op: '>', value: 0.5, why: HALF_BIT },
    { level: 'reproduced', metric: 'relu_compression_ci_low', op: '>', value: 0.5, why: { en: 'the same half bit with ReLU: a phase of training, not of one nonlinearity (Shwartz-Ziv & Tishby)', zh: 'ReLU 同样下降半个比特：压缩是训练的阶段，而不是某一种激活函数的性质（Shwartz-Ziv 与 Tishby 的说法）' } },
    { level: 'partly', metric: 'tanh_compression_ci_low', op: '>', value: 0.5, why: HALF_BIT },
    { level: 'partly', metric: 'tanh_minus_relu_ci_low', op: '>', value: 0, why: { en: 'tanh compresses more than ReLU on the same seeds (Saxe et al. 2018: it depends on the nonlinearity)', zh: '同样的种子下 tanh 比 ReLU 压缩得更多（Saxe 等 2018：取决于非线性）' } },
  ],
  'info.ib-phases': [
    { level: 'reproduced', metric: 'tanh_compression_ci_low', op: '>', value: 0.5, why: HALF_BIT },
    { level: 'reproduced', metric: 'relu_compression_ci_low', op: '>', value: 0.5, why: { en: 'the seed states the two phases as how networks train, so they must appear with ReLU too', zh: '种子把两个阶段说成网络训练的普遍规律，所以 ReLU 下也必须出现' } },
    { level: 'reproduced', metric: 'tanh_late_ity_gain_ci_low', op: '>', value: 0.1, why: TENTH_BIT },
    { level: 'reproduced', metric: 'relu_late_ity_gain_ci_low', op: '>', value: 0.1, why: TENTH_BIT },
    { level: 'partly', metric: 'tanh_compression_ci_low', op: '>', value: 0.5, why: HALF_BIT },
    { level: 'partly', metric: 'tanh_late_ity_gain_ci_low', op: '>', value: 0.1, why: TENTH_BIT },
  ],
} satisfies Record<string, readonly Criterion[]>;

/** Binned I(X;T) and I(T;Y) (bits, plug-in) of one layer's activations [N·C] on N examples with labels y. */
export function binnedInformation(h: Float64Array, n: number, c: number, y: Int32Array, bins: number, activation: 'tanh' | 'relu'): { ixt: number; ity: number } {
  let lo = -1;
  let hi = 1;
  if (activation === 'relu') {
    lo = 0;
    hi = 0;
    for (let i = 0; i < h.length; i++) if (h[i]! > hi) hi = h[i]!;
    if (hi === 0) hi = 1;
  }
  const { ids } = binRows(h, n, c, bins, lo, hi);
  const counts = new Map<number, number>();
  for (const i of ids) counts.set(i, (counts.get(i) ?? 0) + 1);
  // X = the N distinct inputs (uniform), T a deterministic function of X: I(X;T) = H(T)
  return { ixt: entropyFromCounts([...counts.values()], { millerMadow: false }), ity: mutualInformationPlugIn(ids, y, { millerMadow: false }) };
}

/** Largest drop of a series after its running maximum (≥ 0). */
export function dropAfterPeak(series: readonly number[]): number {
  let peak = -Infinity;
  let drop = 0;
  for (const v of series) {
    peak = Math.max(peak, v);
    drop = Math.max(drop, peak - v);
  }
  return drop;
}

/** One network's trajectory, per layer: I(X;T) and I(T;Y) at each snapshot. */
export interface Trajectory {
  ixt: number[][];
  ity: number[][];
}

/** Compression (largest I(X;T) drop after its peak over the layers) and, on that layer, I(T;Y) at the end minus at the I(X;T) peak. */
export function phaseNumbers(t: Trajectory): { compression: number; lateItyGain: number; layer: number } {
  const drops = t.ixt.map(dropAfterPeak);
  const layer = drops.indexOf(Math.max(...drops));
  const ixt = t.ixt[layer]!;
  const peakAt = ixt.indexOf(Math.max(...ixt));
  const ity = t.ity[layer]!;
  return { compression: drops[layer]!, lateItyGain: ity[ity.length - 1]! - ity[peakAt]!, layer };
}

/** Per seed, per activation: compression and late I(T;Y) gain (bits). */
export interface PlaneMeasurement {
  tanh: { compression: number[]; lateItyGain: number[] };
  relu: { compression: number[]; lateItyGain: number[] };
}

/** The evidence both claims are judged on: 95% t intervals over seeds. */
export function planeEvidence(m: PlaneMeasurement): Record<string, number> {
  const t = meanCi95(m.tanh.compression);
  const r = meanCi95(m.relu.compression);
  const tg = meanCi95(m.tanh.lateItyGain);
  const rg = meanCi95(m.relu.lateItyGain);
  return {
    tanh_compression_mean: t.mean,
    tanh_compression_ci_low: t.low,
    relu_compression_mean: r.mean,
    relu_compression_ci_low: r.low,
    relu_compression_ci_high: r.high,
    tanh_minus_relu_ci_low: pairedDiffCi95(m.tanh.compression, m.relu.compression).low,
    tanh_late_ity_gain_ci_low: tg.low,
    relu_late_ity_gain_ci_low: rg.low,
    seeds: m.tanh.compression.length,
  };
}

const f2 = (v: number) => v.toFixed(2);

/** info.ib-compression-phase, from the declared criteria. */
export function judgeCompression(ev: Record<string, number>): ClaimVerdict {
  const nums = `tanh ${f2(ev.tanh_compression_mean!)} bits (95% low ${f2(ev.tanh_compression_ci_low!)}), ReLU ${f2(ev.relu_compression_mean!)} bits (low ${f2(ev.relu_compression_ci_low!)}) over ${ev.seeds} seeds`;
  const zhNums = `tanh ${f2(ev.tanh_compression_mean!)} 比特（95% 下限 ${f2(ev.tanh_compression_ci_low!)}），ReLU ${f2(ev.relu_compression_mean!)} 比特（下限 ${f2(ev.relu_compression_ci_low!)}），共 ${ev.seeds} 个种子`;
  return verdictFor('info.ib-compression-phase', CRITERIA['info.ib-compression-phase'], ev, (v) =>
    v === 'reproduced'
      ? { en: `Both networks compress after their peak: ${nums} — a compression phase independent of the nonlinearity.`, zh: `两种网络在峰值后都出现压缩：${zhNums}——压缩阶段与非线性无关。` }
      : v === 'partly'
        ? { en: `Compression depends on the nonlinearity, as Saxe et al. found: ${nums}. The "compression phase" is a property of saturating units under binning, not of training as such.`, zh: `是否压缩取决于非线性，与 Saxe 等人的发现一致：${zhNums}。“压缩阶段”是饱和单元在分箱估计下的性质，而不是训练本身的规律。` }
        : { en: `No robust compression phase: ${nums}.`, zh: `没有稳健的压缩阶段：${zhNums}。` },
    'Shwartz-Ziv & Tishby 2017; Saxe et al. 2018 (ICLR)',
  );
}

/** info.ib-phases, from the declared criteria. */
export function judgePhases(ev: Record<string, number>): ClaimVerdict {
  const nums = `I(X;T) falls after its peak by ${f2(ev.tanh_compression_mean!)} bits (tanh) and ${f2(ev.relu_compression_mean!)} bits (ReLU); meanwhile I(T;Y) changes by ≥ ${f2(ev.tanh_late_ity_gain_ci_low!)} (tanh) and ≥ ${f2(ev.relu_late_ity_gain_ci_low!)} bits (ReLU) (95% lows, ${ev.seeds} seeds)`;
  const zhNums = `I(X;T) 在峰值后下降 ${f2(ev.tanh_compression_mean!)} 比特（tanh）和 ${f2(ev.relu_compression_mean!)} 比特（ReLU）；同期 I(T;Y) 的变化至少 ${f2(ev.tanh_late_ity_gain_ci_low!)}（tanh）和 ${f2(ev.relu_late_ity_gain_ci_low!)} 比特（ReLU）（95% 下限，${ev.seeds} 个种子）`;
  const map = { en: ' The seed maps the phases onto pre-training and fine-tuning; that mapping has no source, and what we test is the within-training order the literature describes.', zh: ' 种子把两个阶段对应到预训练与微调，这种对应没有出处；我们检验的是文献描述的同一次训练内的先后次序。' };
  return verdictFor('info.ib-phases', CRITERIA['info.ib-phases'], ev, (v) => {
    const head =
      v === 'reproduced'
        ? { en: `Two phases with both nonlinearities: ${nums}.`, zh: `两种非线性下都有两个阶段：${zhNums}。` }
        : v === 'partly'
          ? { en: `The two phases appear only with tanh (Saxe et al. 2018): ${nums}.`, zh: `两个阶段只在 tanh 下出现（Saxe 等 2018）：${zhNums}。` }
          : { en: `No robust two-phase trajectory: ${nums}.`, zh: `没有稳健的两阶段轨迹：${zhNums}。` };
    return { en: head.en + map.en, zh: head.zh + map.zh };
  }, 'Shwartz-Ziv & Tishby 2017; Saxe et al. 2018 (ICLR)');
}

const ACTS = ['tanh', 'relu'] as const;

interface Measured {
  rows: Row[];
  m: PlaneMeasurement;
  layers: Record<'tanh' | 'relu', number[]>;
  finalErrors: Record<'tanh' | 'relu', number[]>;
  nDigits: number;
  nTest: number;
}

/** Train both networks on every seed, binning every hidden layer at log-spaced epochs. */
async function measure(p: P, ctx: RunContext): Promise<Measured> {
  const digits = await loadDigits(ctx.data);
  const sizes = [64, ...p.hidden, 10];
  const snapEpochs = new Set<number>([0]);
  for (let i = 0; i < p.snapshots; i++) snapEpochs.add(Math.min(p.epochs - 1, Math.round(Math.pow(p.epochs, i / (p.snapshots - 1))) - 1));
  snapEpochs.add(p.epochs - 1);
  const out: Measured = { rows: [], m: { tanh: { compression: [], lateItyGain: [] }, relu: { compression: [], lateItyGain: [] } }, layers: { tanh: [], relu: [] }, finalErrors: { tanh: [], relu: [] }, nDigits: digits.n, nTest: 0 };
  for (let s = 0; s < p.seeds; s++) {
    const rng = ctx.rng.fork(`seed-${s}`);
    const { train, test } = splitDigits(digits, rng.fork('split'));
    out.nTest = test.n;
    for (let ai = 0; ai < ACTS.length; ai++) {
      const act = ACTS[ai]!;
      const net = initNet64(sizes, act, rng.fork('init')); // same draws for both; scale differs (Glorot vs He)
      const traj: Trajectory = { ixt: p.hidden.map(() => []), ity: p.hidden.map(() => []) };
      await train64(net, train.x, train.y, {
        epochs: p.epochs,
        batchSize: 64,
        lr: p.lr,
        rng: rng.fork('order'),
        onEpoch: async (epoch) => {
          throwIfAborted(ctx.signal);
          if (!snapEpochs.has(epoch)) return;
          const { hidden } = forward64(net, digits.x, digits.n);
          const err = s === 0 ? errors64(net, test.x, test.y) : 0;
          hidden.forEach((h, l) => {
            const { ixt, ity } = binnedInformation(h, digits.n, p.hidden[l]!, digits.y, p.bins, act);
            traj.ixt[l]!.push(ixt);
            traj.ity[l]!.push(ity);
            if (s === 0) out.rows.push({ activation: act, layer: l + 1, units: p.hidden[l]!, epoch: epoch + 1, ixt, ity, test_errors: err });
          });
          ctx.progress((s * 2 + ai + (epoch + 1) / p.epochs) / (2 * p.seeds), `seed ${s + 1}/${p.seeds}, ${act}: epoch ${epoch + 1}/${p.epochs}`);
          await tick();
        },
      });
      const ph = phaseNumbers(traj);
      out.m[act].compression.push(ph.compression);
      out.m[act].lateItyGain.push(ph.lateItyGain);
      out.layers[act].push(ph.layer + 1);
      out.finalErrors[act].push(errors64(net, test.x, test.y));
    }
  }
  return out;
}

/** Information plane and I(X;T) against epoch (seed 0), and the compression per network over seeds. */
function figures(p: P, d: Measured): Figure[] {
  const hX = Math.log2(d.nDigits);
  const named = d.rows.map((r) => ({ ...r, layer: { en: `layer ${r.layer} (${r.units} units)`, zh: `第 ${r.layer} 层（${r.units} 个单元）` } }));
  const planeSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { en: `Information plane, ${p.bins} bins per unit (all ${d.nDigits} digits, seed 0)`, zh: `信息平面，每个单元 ${p.bins} 个箱（全部 ${d.nDigits} 个数字，种子 0）` },
    data: { values: named },
    facet: { column: { field: 'activation', type: 'nominal', title: { en: 'activation', zh: '激活函数' } } },
    spec: {
      width: 300,
      height: 260,
      layer: [
        { mark: { type: 'line', color: '#bbb', strokeWidth: 1 }, encoding: { x: { field: 'ixt', type: 'quantitative', title: { en: 'I(X;T) (bits)', zh: 'I(X;T)（比特）' }, scale: { zero: false } }, y: { field: 'ity', type: 'quantitative', title: { en: 'I(T;Y) (bits)', zh: 'I(T;Y)（比特）' }, scale: { zero: false } }, detail: { field: 'layer' }, order: { field: 'epoch' } } },
        {
          mark: { type: 'point', filled: true, size: 40 },
          encoding: {
            x: { field: 'ixt', type: 'quantitative' },
            y: { field: 'ity', type: 'quantitative' },
            color: { field: 'epoch', type: 'quantitative', scale: { type: 'log', scheme: 'viridis' }, title: { en: 'epoch', zh: '训练轮数' } },
            shape: { field: 'layer', type: 'nominal', title: { en: 'layer', zh: '层' } },
            tooltip: [{ field: 'layer' }, { field: 'epoch' }, { field: 'ixt', format: '.3f' }, { field: 'ity', format: '.3f' }, { field: 'test_errors' }],
          },
        },
      ],
    },
  };
  const ixtSpec = lineChart({
    title: { en: 'I(X;T) of each layer during training, seed 0 (a fall = compression)', zh: '训练中各层的 I(X;T)，种子 0（下降 = 压缩）' },
    data: named.map((r) => ({ ...r, series: { en: `${String((r as Row).activation)} · ${r.layer.en}`, zh: `${String((r as Row).activation)} · ${r.layer.zh}` } })),
    x: { field: 'epoch', title: { en: 'epoch (log scale)', zh: '训练轮数（对数刻度）' }, scale: 'log' },
    y: { field: 'ixt', title: { en: 'I(X;T) (bits)', zh: 'I(X;T)（比特）' }, domain: [Math.floor(Math.min(...d.rows.map((r) => r.ixt as number))), Math.ceil(hX)] },
    color: { field: 'series', title: { en: 'network · layer', zh: '网络 · 层' } },
    dash: { field: 'activation', title: { en: 'activation', zh: '激活函数' } },
    points: true,
    rules: [{ y: hX, label: { en: `log2 N = ${f2(hX)} (ceiling)`, zh: `log2 N = ${f2(hX)}（上限）` } }],
    width: 480,
    height: 300,
  });
  const bars: Row[] = ACTS.map((a) => {
    const c = meanCi95(d.m[a].compression);
    return { activation: a, compression: c.mean, lo: Number.isFinite(c.low) ? c.low : c.mean, hi: Number.isFinite(c.high) ? c.high : c.mean };
  });
  const barSpec = barChart({
    title: { en: `Compression after the peak, mean and 95% interval over ${p.seeds} seeds`, zh: `峰值后的压缩量：${p.seeds} 个种子的均值与 95% 区间` },
    data: bars,
    x: { field: 'activation', title: { en: 'activation', zh: '激活函数' } },
    y: { field: 'compression', title: { en: 'largest I(X;T) drop after its peak (bits)', zh: 'I(X;T) 峰值后的最大下降（比特）' } },
    color: { field: 'activation', title: { en: 'activation', zh: '激活函数' } },
    errorLo: 'lo',
    errorHi: 'hi',
    width: 260,
    height: 240,
  });
  return [
    {
      id: 'information-plane',
      title: { en: 'Information plane trajectories, tanh against ReLU', zh: '信息平面轨迹：tanh 对比 ReLU' },
      spec: planeSpec,
      caption: { en: 'Each shape is a hidden layer; colour runs from early (dark) to late (yellow) epochs. Moving left late in training is "compression".', zh: '每种形状是一个隐藏层；颜色从早期（深）到后期（黄）。训练后期向左移动就是所谓的“压缩”。' },
    },
    { id: 'ixt-vs-epoch', title: { en: 'I(X;T) against epoch', zh: 'I(X;T) 随训练轮数的变化' }, spec: ixtSpec, caption: { en: 'Rising is fitting; a fall after the peak is compression.', zh: '上升是拟合；峰值之后的下降就是压缩。' } },
    { id: 'compression-by-activation', title: { en: 'Compression over seeds', zh: '各种子上的压缩量' }, spec: barSpec, caption: { en: 'Whiskers: 95% t interval over seeds; the verdicts read the lower ends.', zh: '须线：各种子上的 95% t 区间；结论看的是区间下端。' } },
  ];
}

/** Metrics, findings and the two verdicts. */
function verdicts(p: P, d: Measured): { metrics: Metric[]; findings: Bilingual[]; verdicts: ClaimVerdict[] } {
  const ev = planeEvidence(d.m);
  const hX = Math.log2(d.nDigits);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const metrics: Metric[] = [
    { name: 'bins', value: p.bins, unit: 'bins per unit', reference: { value: 30, source: 'Shwartz-Ziv & Tishby 2017' } },
    { name: 'H_X', value: hX, unit: 'bits', label: { en: 'log2 N: the ceiling of I(X;T)', zh: 'log2 N：I(X;T) 的上限' } },
    ...Object.entries(ev).map(([name, value]) => ({ name, value, unit: name === 'seeds' ? '1' : 'bits' })),
    ...ACTS.map((a) => ({ name: `${a}_test_errors_mean`, value: mean(d.finalErrors[a]), unit: `errors of ${d.nTest}` })),
  ];
  const findings: Bilingual[] = [
    {
      en: `Over ${p.seeds} seeds, I(X;T) falls after its peak by ${d.m.tanh.compression.map(f2).join(', ')} bits with tanh and ${d.m.relu.compression.map(f2).join(', ')} bits with ReLU (largest drop over the layers; binning: ${p.bins} equal bins per unit on all ${d.nDigits} digits, so I(X;T) ≤ log2 N = ${f2(hX)} bits).`,
      zh: `在 ${p.seeds} 个种子上，I(X;T) 在峰值后的下降：tanh 为 ${d.m.tanh.compression.map(f2).join('、')} 比特，ReLU 为 ${d.m.relu.compression.map(f2).join('、')} 比特（取各层中最大的下降；分箱：每个单元 ${p.bins} 个等宽箱，在全部 ${d.nDigits} 个数字上估计，因此 I(X;T) ≤ log2 N = ${f2(hX)} 比特）。`,
    },
    {
      en: `Both networks still generalize: ${f2(mean(d.finalErrors.tanh))} (tanh) and ${f2(mean(d.finalErrors.relu))} (ReLU) test errors of ${d.nTest} on average. Compression is not needed for that — Saxe et al.'s point.`,
      zh: `两个网络都能泛化：测试集 ${d.nTest} 个中平均分别错 ${f2(mean(d.finalErrors.tanh))} 个（tanh）和 ${f2(mean(d.finalErrors.relu))} 个（ReLU）。泛化并不需要“压缩”——这正是 Saxe 等人的观点。`,
    },
    {
      en: `Wide layers sit at the ceiling: with ${p.hidden[0]} units × ${p.bins} bins almost every digit gets its own bin pattern, so I(X;T) ≈ log2 N and I(T;Y) ≈ H(Y) — the binning estimator measures the bin size as much as the network.`,
      zh: `较宽的层停在上限：${p.hidden[0]} 个单元 × ${p.bins} 个箱，几乎每个数字都落在自己独有的箱组合里，于是 I(X;T) ≈ log2 N、I(T;Y) ≈ H(Y)——分箱估计测到的，既是网络，也是箱子的大小。`,
    },
  ];
  return { metrics, findings, verdicts: [judgeCompression(ev), judgePhases(ev)] };
}

export const informationPlane = defineExperiment({
  id: 'information.information-plane',
  lens: 'information',
  title: { en: 'The information plane: is there a compression phase?', zh: '信息平面：真的有“压缩阶段”吗？' },
  summary: {
    en: 'Shwartz-Ziv and Tishby saw deep networks first fit, then compress their inputs; Saxe et al. answered that this happens with tanh and not with ReLU. Over several seeds we train the same small network on the digits with both, bin every hidden layer and follow I(X;T) and I(T;Y) epoch by epoch.',
    zh: 'Shwartz-Ziv 和 Tishby 观察到深度网络先“拟合”、再“压缩”输入；Saxe 等人反驳说这只在 tanh 下出现，ReLU 下没有。我们用多个种子、在手写数字上用两种激活训练同一个小网络，对每个隐藏层分箱，逐轮跟踪 I(X;T) 与 I(T;Y)。',
  },
  claims: ['info.ib-compression-phase', 'info.ib-phases'],
  params: Params,
  criteria: CRITERIA,
  presets: {
    quick: { seeds: 2, epochs: 15, snapshots: 6 },
    full: {},
  },
  formulas: [
    { tex: 'I(X;T) = H(T) - H(T\\mid X) = H(T)\\quad(T = f(X)\\text{ deterministic})', label: { en: 'why I(X;T) is the entropy of the binned layer', zh: '为什么 I(X;T) 等于分箱后该层的熵' } },
    { tex: 'I(T;Y) = H(T) - \\sum_y p(y)\\,H(T\\mid Y=y)', label: { en: 'relevant information', zh: '相关信息' } },
  ],

  async run(p: P, ctx) {
    const d = await measure(p, ctx);
    const v = verdicts(p, d);
    return { ...v, figures: figures(p, d), tables: [{ id: 'trajectory', title: { en: 'Per layer per snapshot (seed 0)', zh: '各层各时刻（种子 0）' }, rows: d.rows as Record<string, string | number>[] }] };
  },
});
