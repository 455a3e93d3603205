/**
 * information.information-plane — Shwartz-Ziv & Tishby against Saxe et al., on the digits.
 *
 * Claim (seed, 信息论): 「神经网络在预训练阶段先最大化输入信息捕获（增大 I(X;T)），在微调阶段则专注于任务相关
 * 信息的强化（提升 I(T;Y)）」 — read with the information-plane picture it rests on: training has a
 * fitting phase (I(X;T) and I(T;Y) rise) and then a compression phase (I(X;T) falls)
 * (info.ib-compression-phase).
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
 * plug-in. Per layer: the largest drop of I(X;T) after its peak — compression if above a threshold.
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Bilingual, type ClaimVerdict, type Metric } from '../../experiments/contract.js';
import { verdictFor } from '../../experiments/verdict.js';
import { loadDigits, splitDigits } from '../../data/corpora.js';
import { lineChart, type Row } from '../../report/charts.js';
import { binRows, entropyFromCounts, mutualInformationPlugIn } from './measures.js';
import { errors64, forwardNet64 as forward64, initNet64 } from '../../nn/mlp64.js';
import { trainNet64 as train64 } from '../../nn/mlp64.js';

const Params = z.object({
  hidden: z.array(z.number().int().min(1).max(256)).default([10, 7, 5]).describe('hidden widths (input 64, output 10)'),
  bins: z.number().int().min(2).max(1000).default(30).describe('equal-width bins per unit for the binning estimator (Shwartz-Ziv & Tishby used 30)'),
  epochs: z.number().int().min(2).max(20000).default(800).describe('training epochs (Adam, batch 64)'),
  lr: z.number().positive().default(1e-3).describe('Adam learning rate'),
  snapshots: z.number().int().min(3).max(200).default(30).describe('log-spaced epochs at which the information is measured'),
  compressionBits: z.number().positive().default(0.5).describe('a drop of I(X;T) after its peak larger than this (bits) counts as compression; ReLU layers, binned over [0, max] with a max that moves each epoch, wobble by ~0.2 bits'),
});
type P = z.infer<typeof Params>;

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

/**
 * info.ib-compression-phase: reproduced when some layer compresses both with tanh and with ReLU (a
 * general phase of training, as Shwartz-Ziv & Tishby claim); partly when only tanh compresses (Saxe
 * et al.: it depends on the saturating nonlinearity); not reproduced when neither does.
 */
export function judgeCompression(m: { tanhDrop: number; reluDrop: number; threshold: number }): ClaimVerdict {
  const t = m.tanhDrop > m.threshold;
  const r = m.reluDrop > m.threshold;
  const f2 = (v: number) => v.toFixed(2);
  return verdictFor(
    'info.ib-compression-phase',
    { reproduced: t && r, partly: t || r },
    { tanh_max_drop_bits: m.tanhDrop, relu_max_drop_bits: m.reluDrop, threshold_bits: m.threshold },
    (v) =>
      v === 'reproduced'
        ? {
            en: `Both networks compress: I(X;T) falls by up to ${f2(m.tanhDrop)} bits (tanh) and ${f2(m.reluDrop)} bits (ReLU) after its peak — a compression phase independent of the nonlinearity.`,
            zh: `两种网络都出现压缩：I(X;T) 在峰值之后最多下降 ${f2(m.tanhDrop)} 比特（tanh）和 ${f2(m.reluDrop)} 比特（ReLU）——压缩阶段与非线性无关。`,
          }
        : v === 'partly'
          ? {
              en: `Compression depends on the nonlinearity, as Saxe et al. found: after its peak I(X;T) falls by ${f2(m.tanhDrop)} bits with tanh but only ${f2(m.reluDrop)} bits with ReLU (threshold ${f2(m.threshold)}). The "compression phase" is a property of saturating units under binning, not of training as such.`,
              zh: `是否压缩取决于非线性，与 Saxe 等人的发现一致：I(X;T) 在峰值后，tanh 网络下降 ${f2(m.tanhDrop)} 比特，ReLU 网络只下降 ${f2(m.reluDrop)} 比特（阈值 ${f2(m.threshold)}）。“压缩阶段”是饱和单元在分箱估计下的性质，而不是训练本身的规律。`,
            }
          : {
              en: `No compression phase: I(X;T) falls after its peak by at most ${f2(m.tanhDrop)} bits (tanh) and ${f2(m.reluDrop)} bits (ReLU), below the ${f2(m.threshold)}-bit threshold.`,
              zh: `没有出现压缩阶段：I(X;T) 在峰值后最多只下降 ${f2(m.tanhDrop)} 比特（tanh）和 ${f2(m.reluDrop)} 比特（ReLU），低于 ${f2(m.threshold)} 比特的阈值。`,
            },
    'Shwartz-Ziv & Tishby 2017; Saxe et al. 2018 (ICLR)',
  );
}

export const informationPlane = defineExperiment({
  id: 'information.information-plane',
  lens: 'information',
  title: { en: 'The information plane: is there a compression phase?', zh: '信息平面：真的有“压缩阶段”吗？' },
  summary: {
    en: 'Shwartz-Ziv and Tishby saw deep networks first fit, then compress their inputs; Saxe et al. answered that this happens with tanh and not with ReLU. We train the same small network on the digits with both, bin every hidden layer and follow I(X;T) and I(T;Y) epoch by epoch.',
    zh: 'Shwartz-Ziv 和 Tishby 观察到深度网络先“拟合”、再“压缩”输入；Saxe 等人反驳说这只在 tanh 下出现，ReLU 下没有。我们在手写数字上用两种激活训练同一个小网络，对每个隐藏层分箱，逐轮跟踪 I(X;T) 与 I(T;Y)。',
  },
  claims: ['info.ib-compression-phase'],
  params: Params,
  presets: {
    quick: { epochs: 15, snapshots: 6 },
    full: {},
  },
  formulas: [
    { tex: 'I(X;T) = H(T) - H(T\\mid X) = H(T)\\quad(T = f(X)\\text{ deterministic})', label: { en: 'why I(X;T) is the entropy of the binned layer', zh: '为什么 I(X;T) 等于分箱后该层的熵' } },
    { tex: 'I(T;Y) = H(T) - \\sum_y p(y)\\,H(T\\mid Y=y)', label: { en: 'relevant information', zh: '相关信息' } },
  ],

  async run(p: P, ctx) {
    const digits = await loadDigits(ctx.data);
    const { train, test } = splitDigits(digits, ctx.rng.fork('split'));
    const sizes = [64, ...p.hidden, 10];
    const snapEpochs = new Set<number>([0]);
    for (let i = 0; i < p.snapshots; i++) snapEpochs.add(Math.min(p.epochs - 1, Math.round(Math.pow(p.epochs, i / (p.snapshots - 1))) - 1));
    snapEpochs.add(p.epochs - 1);
    ctx.log(`snapshots at epochs ${[...snapEpochs].sort((a, b) => a - b).join(', ')}; ${p.bins} bins per unit`);

    const rows: Row[] = [];
    const drops: Record<string, number[]> = {};
    const finalErrors: Record<string, number> = {};
    const acts = ['tanh', 'relu'] as const;
    for (let ai = 0; ai < acts.length; ai++) {
      const act = acts[ai]!;
      const net = initNet64(sizes, act, ctx.rng.fork('init')); // same draws for both; scale differs (Glorot vs He)
      const series: number[][] = p.hidden.map(() => []);
      const measure = (epoch: number) => {
        const { hidden } = forward64(net, digits.x, digits.n);
        const err = errors64(net, test.x, test.y);
        hidden.forEach((h, l) => {
          const { ixt, ity } = binnedInformation(h, digits.n, p.hidden[l]!, digits.y, p.bins, act);
          series[l]!.push(ixt);
          rows.push({ activation: act, layer: `layer ${l + 1} (${p.hidden[l]} units)`, epoch: epoch + 1, ixt, ity, test_errors: err });
        });
      };
      await train64(net, train.x, train.y, {
        epochs: p.epochs,
        batchSize: 64,
        lr: p.lr,
        rng: ctx.rng.fork('order'),
        onEpoch: async (epoch) => {
          throwIfAborted(ctx.signal);
          if (snapEpochs.has(epoch)) {
            measure(epoch);
            ctx.progress((ai + (epoch + 1) / p.epochs) / acts.length, `${act}: epoch ${epoch + 1}/${p.epochs}`);
            await tick();
          }
        },
      });
      drops[act] = series.map(dropAfterPeak);
      finalErrors[act] = errors64(net, test.x, test.y);
    }

    // --- measurement ---------------------------------------------------------------------------
    const tanhDrop = Math.max(...drops.tanh!);
    const reluDrop = Math.max(...drops.relu!);
    const f2 = (v: number) => v.toFixed(2);
    const hX = Math.log2(digits.n);
    const metrics: Metric[] = [
      { name: 'bins', value: p.bins, unit: 'bins per unit', reference: { value: 30, source: 'Shwartz-Ziv & Tishby 2017' } },
      { name: 'H_X', value: hX, unit: 'bits', label: { en: 'log2 N: the ceiling of I(X;T)', zh: 'log2 N：I(X;T) 的上限' } },
      ...acts.flatMap((a) => [
        ...drops[a]!.map((d, l) => ({ name: `${a}_layer${l + 1}_IXT_drop`, value: d, unit: 'bits', label: { en: `${a} layer ${l + 1}: I(X;T) drop after its peak`, zh: `${a} 第 ${l + 1} 层：I(X;T) 峰值后的下降` } })),
        { name: `${a}_test_errors`, value: finalErrors[a]!, unit: `errors of ${test.n}` },
      ]),
    ];

    // --- figures ------------------------------------------------------------------------------
    const planeSpec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: `Information plane, ${p.bins} bins per unit (all ${digits.n} digits)`,
      data: { values: rows },
      facet: { column: { field: 'activation', type: 'nominal', title: 'activation' } },
      spec: {
        width: 300,
        height: 260,
        layer: [
          { mark: { type: 'line', color: '#bbb', strokeWidth: 1 }, encoding: { x: { field: 'ixt', type: 'quantitative', title: 'I(X;T) (bits)', scale: { zero: false } }, y: { field: 'ity', type: 'quantitative', title: 'I(T;Y) (bits)', scale: { zero: false } }, detail: { field: 'layer' }, order: { field: 'epoch' } } },
          {
            mark: { type: 'point', filled: true, size: 40 },
            encoding: {
              x: { field: 'ixt', type: 'quantitative' },
              y: { field: 'ity', type: 'quantitative' },
              color: { field: 'epoch', type: 'quantitative', scale: { type: 'log', scheme: 'viridis' }, title: 'epoch' },
              shape: { field: 'layer', type: 'nominal', title: 'layer' },
              tooltip: [{ field: 'layer' }, { field: 'epoch' }, { field: 'ixt', format: '.3f' }, { field: 'ity', format: '.3f' }, { field: 'test_errors' }],
            },
          },
        ],
      },
    };
    const ixtSpec = lineChart({
      title: 'I(X;T) of each layer during training (a fall = compression)',
      data: rows.map((r) => ({ ...r, series: `${r.activation} · ${r.layer}` })),
      x: { field: 'epoch', title: 'epoch (log scale)', scale: 'log' },
      y: { field: 'ixt', title: 'I(X;T) (bits)', domain: [Math.floor(Math.min(...rows.map((r) => r.ixt as number))), Math.ceil(hX)] },
      color: { field: 'series', title: 'network · layer' },
      dash: { field: 'activation', title: 'activation' },
      points: true,
      rules: [{ y: hX, label: `log2 N = ${f2(hX)}` }],
      width: 480,
      height: 300,
    });

    const worst = (a: string) => drops[a]!.indexOf(Math.max(...drops[a]!)) + 1;
    const findings: Bilingual[] = [
      {
        en: `With tanh, I(X;T) of layer ${worst('tanh')} falls by ${f2(tanhDrop)} bits after its peak; with ReLU the largest fall is ${f2(reluDrop)} bits (layer ${worst('relu')}). Binning: ${p.bins} equal bins per unit, on all ${digits.n} digits (so I(X;T) ≤ log2 N = ${f2(hX)} bits).`,
        zh: `tanh 网络第 ${worst('tanh')} 层的 I(X;T) 在峰值后下降了 ${f2(tanhDrop)} 比特；ReLU 网络最大的下降只有 ${f2(reluDrop)} 比特（第 ${worst('relu')} 层）。分箱方式：每个单元 ${p.bins} 个等宽箱，在全部 ${digits.n} 个数字上估计（因此 I(X;T) ≤ log2 N = ${f2(hX)} 比特）。`,
      },
      {
        en: `Both networks still generalize: ${finalErrors.tanh} (tanh) and ${finalErrors.relu} (ReLU) test errors of ${test.n}. Compression is not needed for that — Saxe et al.'s point.`,
        zh: `两个网络都能泛化：测试集 ${test.n} 个中分别错 ${finalErrors.tanh} 个（tanh）和 ${finalErrors.relu} 个（ReLU）。泛化并不需要“压缩”——这正是 Saxe 等人的观点。`,
      },
      {
        en: `Wide layers sit at the ceiling: with ${p.hidden[0]} units × ${p.bins} bins almost every digit gets its own bin pattern, so I(X;T) ≈ log2 N and I(T;Y) ≈ H(Y) — the binning estimator measures the bin size as much as the network.`,
        zh: `较宽的层停在上限：${p.hidden[0]} 个单元 × ${p.bins} 个箱，几乎每个数字都落在自己独有的箱组合里，于是 I(X;T) ≈ log2 N、I(T;Y) ≈ H(Y)——分箱估计测到的，既是网络，也是箱子的大小。`,
      },
    ];
    const verdicts: ClaimVerdict[] = [judgeCompression({ tanhDrop, reluDrop, threshold: p.compressionBits })];

    return {
      metrics,
      figures: [
        {
          id: 'information-plane',
          title: { en: 'Information plane trajectories, tanh against ReLU', zh: '信息平面轨迹：tanh 对比 ReLU' },
          spec: planeSpec,
          caption: {
            en: 'Each shape is a hidden layer; colour runs from early (dark) to late (yellow) epochs. Moving left late in training is "compression".',
            zh: '每种形状是一个隐藏层；颜色从早期（深）到后期（黄）。训练后期向左移动就是所谓的“压缩”。',
          },
        },
        {
          id: 'ixt-vs-epoch',
          title: { en: 'I(X;T) against epoch', zh: 'I(X;T) 随训练轮数的变化' },
          spec: ixtSpec,
          caption: { en: 'Rising is fitting; a fall after the peak is compression.', zh: '上升是拟合；峰值之后的下降就是压缩。' },
        },
      ],
      findings,
      verdicts,
      tables: [{ id: 'trajectory', title: { en: 'Per layer per snapshot', zh: '各层各时刻' }, rows: rows as Record<string, string | number>[] }],
    };
  },
});
