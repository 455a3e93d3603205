/**
 * information.attention-mi — do attention weights follow the mutual information between characters?
 *
 * Claims (seed, 信息论): 「在Transformer架构中，自注意力机制通过计算词元间的互信息 I(X;Y) 来捕获长程依赖关系」
 * (info.attention-mi) and 「研究表明，当注意力头捕获到的互信息超过某个阈值时，其对应的语言理解能力会出现质的飞跃」
 * (info.mi-threshold).
 *
 * Literature: attention computes softmax(q·k/√d), a learned similarity, not an MI estimate; what heads
 * attend to is a mix of position, delimiters and syntax (Clark et al. 2019, "What does BERT look
 * at?"); attention weights are a weak explanation of what a model uses (Jain & Wallace 2019;
 * Wiegreffe & Pinter 2019). The nearest published "jump" is the induction-head phase change of
 * Olsson et al. 2022 (in-context learning appears abruptly when induction heads form) — about
 * copying, not about a mutual-information threshold. We know of no source for the threshold claim.
 *
 * What is measured: a tiny character GPT trained on tiny shakespeare (once, then cached). On held-out
 * windows, for every head and every pair of positions j < i (offset d = i − j), the attention a_ij
 * beside the pointwise mutual information of the character pair at that offset, from counts on the
 * training text: PMI_d(a, b) = log2 p_d(a, b) / (p(a) p(b)). Spearman rank correlation per head,
 * overall and within each offset (PMI and attention both fall with distance, so the within-offset
 * number is the one that says whether a head prefers informative pairs beyond mere recency), beside
 * the same network at initialisation.
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Bilingual, type ClaimVerdict, type Figure, type Metric, type RunContext } from '../../experiments/contract.js';
import { verdictFor, type Criterion } from '../../experiments/verdict.js';
import { tf } from '../../engine/tf.js';
import { splitText } from '../../data/corpora.js';
import { concat, heatmap, lineChart, type Row, type Spec } from '../../report/charts.js';
import { judgeMiThreshold, measureThreshold, thresholdEvidence, THRESHOLD_CRITERIA, type ThresholdTrajectory } from './mi-threshold.js';
import { LENS_GPT_OPTS } from '../../gpt/lens-options.js';

const Params = z.object({
  config: z.enum(['nano', 'baby']).default('nano').describe('tiny GPT configuration (nano: 2 layers × 2 heads, context 32; baby: 4 × 4, context 64)').meta({ zh: '小型 GPT 的规模（nano：2 层 × 2 头，上下文 32；baby：4 层 × 4 头，上下文 64）' }),
  steps: z.number().int().min(1).max(100_000).default(4000).describe('GPT training steps (trained once, then served from the cache)').meta({ zh: 'GPT 的训练步数（只训练一次，之后从缓存读取）' }),
  gptSeed: z.number().int().min(0).default(1337).describe('seed of the GPT training run (fixed so the cached model is shared across runs)').meta({ zh: 'GPT 训练用的随机种子（固定下来，缓存里的模型才能被多次运行共用）' }),
  windows: z.number().int().min(1).max(512).default(64).describe('held-out windows of one context length each, on which attention is read').meta({ zh: '在多少段留出文本窗口（每段一个上下文长度）上读取注意力' }),
  smoothing: z.number().min(0).max(10).default(0.5).describe('add-α smoothing of the pair counts behind PMI').meta({ zh: '统计字符对、计算点互信息（PMI）时的加 α 平滑量' }),
  thresholdSeeds: z.number().int().min(1).max(10).default(3).describe('info.mi-threshold: copy GPTs trained from scratch, one per seed').meta({ zh: 'info.mi-threshold：从零训练的复制任务 GPT 个数（每个种子一个）' }),
  thresholdSteps: z.number().int().min(10).max(5000).default(200).describe('info.mi-threshold: training steps of each copy GPT').meta({ zh: 'info.mi-threshold：每个复制任务 GPT 的训练步数' }),
  thresholdEvery: z.number().int().min(1).max(500).default(10).describe('info.mi-threshold: steps between checkpoints (head MI and copy accuracy are measured at each)').meta({ zh: 'info.mi-threshold：相邻检查点之间的步数（每个检查点测一次头的互信息和复制准确率）' }),
  copyVocab: z.number().int().min(2).max(64).default(8).describe('info.mi-threshold: vocabulary of the copy task').meta({ zh: 'info.mi-threshold：复制任务的词表大小' }),
  copyPeriod: z.number().int().min(2).max(8).default(4).describe('info.mi-threshold: length of the pattern repeated within each block of 16 tokens').meta({ zh: 'info.mi-threshold：每个 16 词元的块里重复的模式长度' }),
});
type P = z.infer<typeof Params>;


/** Ranks (average ranks for ties), 0-based. */
function ranks(v: ArrayLike<number>): Float64Array {
  const idx = Array.from({ length: v.length }, (_, i) => i).sort((a, b) => v[a]! - v[b]!);
  const r = new Float64Array(v.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && v[idx[j + 1]!] === v[idx[i]!]) j++;
    for (let k = i; k <= j; k++) r[idx[k]!] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}

/** Spearman rank correlation (Pearson on average ranks); NaN when either side is constant. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n !== b.length) throw new Error('spearman: lengths differ');
  const ra = ranks(a);
  const rb = ranks(b);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += ra[i]!;
    mb += rb[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (ra[i]! - ma) * (rb[i]! - mb);
    saa += (ra[i]! - ma) ** 2;
    sbb += (rb[i]! - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/**
 * PMI tables from token ids: pmi[d][a·V + b] = log2 p_d(a, b)/(p(a)p(b)) for the pair (x_{t−d} = a,
 * x_t = b), d = 1..maxOffset, add-α smoothed. Shape [maxOffset + 1][V·V] (index 0 unused).
 */
export function pmiTables(tokens: ArrayLike<number>, V: number, maxOffset: number, alpha: number): Float64Array[] {
  const n = tokens.length;
  const uni = new Float64Array(V);
  for (let t = 0; t < n; t++) uni[tokens[t]!]! += 1;
  const out: Float64Array[] = [new Float64Array(0)];
  for (let d = 1; d <= maxOffset; d++) {
    const c = new Float64Array(V * V);
    for (let t = d; t < n; t++) c[tokens[t - d]! * V + tokens[t]!]! += 1;
    const total = n - d + alpha * V * V;
    const pmi = new Float64Array(V * V);
    for (let a = 0; a < V; a++)
      for (let b = 0; b < V; b++) {
        const pa = (uni[a]! + alpha) / (n + alpha * V);
        const pb = (uni[b]! + alpha) / (n + alpha * V);
        pmi[a * V + b] = Math.log2((c[a * V + b]! + alpha) / total / (pa * pb));
      }
    out.push(pmi);
  }
  return out;
}

export interface HeadCorrelation {
  layer: number;
  head: number;
  /** Spearman(attention, PMI) over all pairs j < i */
  overall: number;
  /** pair-count-weighted mean over offsets of Spearman(attention, PMI) at that offset */
  withinOffset: number;
  /** Spearman(attention, −offset): how much the head is just "attend to recent" */
  recency: number;
  /** key tokens with the highest mean attention relative to uniform (≥ 30 occurrences), best first */
  topKeys: { token: number; relAttention: number }[];
}

/**
 * Correlations per head. att[l] is [B·H·T·T] row-major (query i, key j) for layer l; tokens [B·T].
 */
export function headCorrelations(att: Float32Array[], tokens: Int32Array, B: number, H: number, T: number, V: number, pmi: Float64Array[]): HeadCorrelation[] {
  const out: HeadCorrelation[] = [];
  const maxD = pmi.length - 1;
  for (let l = 0; l < att.length; l++) {
    const A = att[l]!;
    for (let h = 0; h < H; h++) {
      const a: number[] = [];
      const m: number[] = [];
      const negD: number[] = [];
      const byD: { a: number[]; m: number[] }[] = Array.from({ length: maxD + 1 }, () => ({ a: [], m: [] }));
      const keySum = new Float64Array(V);
      const keyN = new Float64Array(V);
      for (let b = 0; b < B; b++)
        for (let i = 1; i < T; i++)
          for (let j = Math.max(0, i - maxD); j < i; j++) {
            // attention relative to uniform over the i + 1 visible keys: early queries have fewer keys
            // and so larger weights, a scale that has nothing to do with which pair they look at
            const w = A[((b * H + h) * T + i) * T + j]! * (i + 1);
            const d = i - j;
            const v = pmi[d]![tokens[b * T + j]! * V + tokens[b * T + i]!]!;
            a.push(w);
            m.push(v);
            negD.push(-d);
            byD[d]!.a.push(w);
            byD[d]!.m.push(v);
            keySum[tokens[b * T + j]!]! += w;
            keyN[tokens[b * T + j]!]! += 1;
          }
      let wsum = 0;
      let wn = 0;
      for (let d = 1; d <= maxD; d++) {
        const g = byD[d]!;
        if (g.a.length < 20) continue;
        const r = spearman(g.a, g.m);
        if (Number.isFinite(r)) {
          wsum += r * g.a.length;
          wn += g.a.length;
        }
      }
      const topKeys = [...keySum.keys()]
        .filter((k) => keyN[k]! >= 30)
        .map((k) => ({ token: k, relAttention: keySum[k]! / keyN[k]! }))
        .sort((x, y) => y.relAttention - x.relAttention)
        .slice(0, 3);
      out.push({ layer: l, head: h, overall: spearman(a, m), withinOffset: wn ? wsum / wn : NaN, recency: spearman(a, negD), topKeys });
    }
  }
  return out;
}

/** Criteria of info.attention-mi, declared before any run (info.mi-threshold's are in ./mi-threshold.ts). */
const ATTENTION_CRITERIA = [
  {
    level: 'reproduced',
    metric: 'mean_within_offset_spearman',
    op: '>',
    value: 0.3,
    why: { en: "a medium correlation by Cohen's convention (ρ = 0.3), across all heads, at a fixed distance (so not recency)", zh: '按 Cohen 的惯例属于中等相关（ρ = 0.3），对所有头平均，且在固定距离内（排除“就近”效应）' },
  },
  {
    level: 'reproduced',
    metric: 'trained_minus_init_within_offset',
    op: '>',
    value: 0.2,
    why: { en: 'training must add it: 0.2 of correlation over the same network at initialisation, a stated effect size', zh: '必须是训练带来的：比初始化时的同一网络高 0.2 的相关，事先给定的效应量' },
  },
  { level: 'partly', metric: 'max_within_offset_spearman', op: '>', value: 0.3, why: { en: 'at least one head reaches a medium correlation (Cohen) at a fixed distance', zh: '至少有一个头在固定距离内达到中等相关（Cohen）' } },
] satisfies readonly Criterion[];

/** info.attention-mi from the declared criteria. */
export function judgeAttentionMi(m: { meanWithin: number; maxWithin: number; initMeanWithin: number; meanRecency: number }): ClaimVerdict {
  const f2 = (v: number) => v.toFixed(2);
  return verdictFor(
    'info.attention-mi',
    ATTENTION_CRITERIA,
    { mean_within_offset_spearman: m.meanWithin, max_within_offset_spearman: m.maxWithin, init_mean_within_offset_spearman: m.initMeanWithin, trained_minus_init_within_offset: m.meanWithin - m.initMeanWithin, mean_recency_spearman: m.meanRecency },
    (v) =>
      v === 'reproduced'
        ? {
            en: `Trained heads put more attention on high-PMI character pairs even at a fixed distance (mean Spearman ${f2(m.meanWithin)}, ${f2(m.initMeanWithin)} at initialisation): attention does track co-occurrence statistics. It computes a learned similarity, not I(X;Y) itself.`,
            zh: `训练后的注意力头即使在固定距离上，也更关注 PMI 高的字符对（平均 Spearman ${f2(m.meanWithin)}，初始化时为 ${f2(m.initMeanWithin)}）：注意力确实跟踪了共现统计。但它算的是学到的相似度，而不是 I(X;Y) 本身。`,
          }
        : v === 'partly'
          ? {
              en: `Only some heads follow PMI at a fixed distance (best Spearman ${f2(m.maxWithin)}, mean ${f2(m.meanWithin)}, ${f2(m.initMeanWithin)} at initialisation); much of the overall correlation is recency (mean Spearman with −offset ${f2(m.meanRecency)}). Attention is a learned similarity that sometimes aligns with co-occurrence, not a computation of mutual information.`,
              zh: `只有部分注意力头在固定距离上跟随 PMI（最好的 Spearman ${f2(m.maxWithin)}，平均 ${f2(m.meanWithin)}，初始化时 ${f2(m.initMeanWithin)}）；整体相关性很大一部分来自“关注最近的字”（与 −距离 的平均 Spearman 为 ${f2(m.meanRecency)}）。注意力是学到的相似度，有时与共现统计一致，但并不是在计算互信息。`,
            }
          : {
              en: `At a fixed distance attention does not follow PMI (mean Spearman ${f2(m.meanWithin)}, best head ${f2(m.maxWithin)}); what correlation there is comes from recency (${f2(m.meanRecency)}). Self-attention does not "compute the mutual information between tokens".`,
              zh: `在固定距离上，注意力并不跟随 PMI（平均 Spearman ${f2(m.meanWithin)}，最好的头 ${f2(m.maxWithin)}）；已有的相关性来自“关注最近的字”（${f2(m.meanRecency)}）。自注意力并没有“计算词元之间的互信息”。`,
            },
    'Clark et al. 2019; Jain & Wallace 2019',
  );
}

interface Measured {
  trained: HeadCorrelation[];
  untrained: HeadCorrelation[];
  valBpc: number;
  nLayer: number;
  H: number;
  B: number;
  T: number;
  keys: (h: HeadCorrelation) => string;
  copy: ThresholdTrajectory[];
}

/** The cached GPT's attention against PMI (trained and at init), then the copy GPTs' checkpoints. */
async function measure(p: P, ctx: RunContext): Promise<Measured> {
  const { trainedGPT, GPT } = await import('../../gpt/index.js');
  ctx.progress(0.01, `tiny GPT ${p.config}, ${p.steps} steps (trained once, then cached)`);
  const t = await trainedGPT(
    { ...ctx, progress: (f, m) => ctx.progress(0.01 + 0.4 * f, m) },
    { corpus: 'shakespeare', config: p.config, steps: p.steps, seed: p.gptSeed, evalEvery: Math.max(1, Math.round(p.steps / 10)), ...LENS_GPT_OPTS[p.config] },
  );
  const { model, vocab } = t;
  const init = GPT.init(p.config, vocab.size, ctx.rng.fork('untrained'));
  try {
    const text = await ctx.data.text('shakespeare');
    const { train, val } = splitText(text);
    const V = vocab.size;
    const T = model.config.blockSize;
    const H = model.config.nHead;
    ctx.progress(0.42, 'pair counts and PMI');
    await tick();
    const pmi = pmiTables(vocab.encode(train), V, T - 1, p.smoothing);
    const valTok = vocab.encode(val);
    const B = Math.min(p.windows, Math.floor(valTok.length / T));
    const tokens = valTok.slice(0, B * T);
    throwIfAborted(ctx.signal);
    const read = (m: typeof model) => {
      const att = tf.tidy(() => {
        const { attention } = m.forward(tf.tensor2d(tokens, [B, T], 'int32'), { returnAttention: true });
        return attention!.map((a) => a.dataSync() as Float32Array);
      });
      return headCorrelations(att, tokens, B, H, T, V, pmi);
    };
    ctx.progress(0.45, 'attention of the trained model and at initialisation');
    await tick();
    const trained = read(model);
    const untrained = read(init);
    const keys = (h: HeadCorrelation) => h.topKeys.map((k) => `${JSON.stringify(vocab.decode([k.token]))} ×${k.relAttention.toFixed(1)}`).join(' ');
    const copy = await measureThreshold({ seeds: p.thresholdSeeds, steps: p.thresholdSteps, every: p.thresholdEvery, vocab: p.copyVocab, period: p.copyPeriod }, ctx, (f, m) => ctx.progress(0.5 + 0.5 * f, m));
    return { trained, untrained, valBpc: t.valBpc, nLayer: model.config.nLayer, H, B, T, keys, copy };
  } finally {
    model.dispose();
    init.dispose();
  }
}

/** Fix the order of a line chart's colour legend (series names may be bilingual; the scale would otherwise sort them per language). */
function colourDomain(spec: Spec, domain: Bilingual[]): void {
  const colour = ((spec.layer as Spec[])[0]!.encoding as Spec).color as Spec;
  colour.scale = { domain };
}

function figures(p: P, d: Measured): Figure[] {
  const cell = (hs: HeadCorrelation[], key: 'withinOffset' | 'overall' | 'recency'): Row[] => hs.map((h) => ({ layer: `L${h.layer}`, head: `H${h.head}`, rho: h[key] }));
  const hm = (rows: Row[], title: Bilingual) =>
    heatmap({ title, data: rows, x: { field: 'head', title: { en: 'head', zh: '头' } }, y: { field: 'layer', title: { en: 'layer', zh: '层' } }, color: { field: 'rho', title: { en: 'Spearman ρ', zh: 'Spearman 秩相关 ρ' }, scheme: 'redblue', domain: [-1, 1] }, width: 160, height: 120 });
  const spec = concat({ en: 'Spearman(attention, PMI) per head', zh: '各头的 Spearman(注意力, PMI)' }, [
    hm(cell(d.trained, 'withinOffset'), { en: 'trained, within offset', zh: '训练后，固定距离内' }),
    hm(cell(d.trained, 'overall'), { en: 'trained, all pairs', zh: '训练后，所有字符对' }),
    hm(cell(d.trained, 'recency'), { en: 'trained, vs −offset (recency)', zh: '训练后，与 −距离（就近）' }),
    hm(cell(d.untrained, 'withinOffset'), { en: 'initialisation, within offset', zh: '初始化时，固定距离内' }),
  ]);
  const half = Math.log2(p.copyVocab) / 2;
  const miSeries = (s: number): Bilingual => ({ en: `seed ${s}: best head's MI / log2 V`, zh: `种子 ${s}：最好的头的互信息 / log2 V` });
  const accSeries = (s: number): Bilingual => ({ en: `seed ${s}: copy accuracy`, zh: `种子 ${s}：复制准确率` });
  const rows: Row[] = d.copy.flatMap((t, s) =>
    t.steps.flatMap((step, i) => [
      { step, value: t.mi[i]! / Math.log2(p.copyVocab), series: miSeries(s) },
      { step, value: t.accuracy[i]!, series: accSeries(s) },
    ]),
  );
  const copySpec = lineChart({
    title: { en: `Copy GPTs: head MI and capability per checkpoint (MI threshold ${half.toFixed(1)} bits = 0.5 on this scale)`, zh: `复制任务 GPT：各检查点上头的互信息与能力（互信息阈值 ${half.toFixed(1)} 比特，即本刻度上的 0.5）` },
    data: rows,
    x: { field: 'step', title: { en: 'training step', zh: '训练步数' } },
    y: { field: 'value', title: { en: 'fraction', zh: '比例' }, domain: [0, 1] },
    color: { field: 'series', title: { en: 'seed · quantity', zh: '种子 · 量' } },
    points: true,
    rules: [{ y: 0.5, label: '1/2' }],
    width: 480,
    height: 280,
  });
  // the same colours in both languages: each seed's MI, then its accuracy (a nominal scale would sort the localized names)
  colourDomain(copySpec, d.copy.flatMap((_, s) => [miSeries(s), accSeries(s)]));
  return [
    {
      id: 'attention-pmi-heads',
      title: { en: 'Attention against PMI, per head', zh: '各注意力头：注意力与 PMI 的相关' },
      spec,
      caption: {
        en: 'Blue: the head attends more to pairs with higher PMI (or, third panel, to nearer keys); the within-offset panel removes the shared effect of distance.',
        zh: '蓝色表示该头更关注 PMI 高的字符对（第三栏：更关注近处的字）；“固定距离内”一栏扣除了距离带来的共同效应。',
      },
    },
    {
      id: 'mi-threshold-checkpoints',
      title: { en: 'Does the head MI pass its threshold before the capability jumps?', zh: '头的互信息是否先越过阈值、能力才跳变？' },
      spec: copySpec,
      caption: {
        en: "Per seed: the best head's captured MI as a fraction of log2 V, and the copy accuracy on the predictable tokens; both cross 1/2 at the steps the verdict compares.",
        zh: '每个种子：最好的头捕获的互信息（占 log2 V 的比例）与可预测位置上的复制准确率；结论比较的就是两者越过 1/2 的步数。',
      },
    },
  ];
}

function verdicts(p: P, d: Measured): { metrics: Metric[]; findings: Bilingual[]; verdicts: ClaimVerdict[] } {
  const { trained, untrained, H, B, T } = d;
  const mean = (xs: number[]) => xs.filter(Number.isFinite).reduce((a, b) => a + b, 0) / Math.max(1, xs.filter(Number.isFinite).length);
  const meanWithin = mean(trained.map((h) => h.withinOffset));
  const maxWithin = Math.max(...trained.map((h) => h.withinOffset).filter(Number.isFinite));
  const initMeanWithin = mean(untrained.map((h) => h.withinOffset));
  const meanRecency = mean(trained.map((h) => h.recency));
  const meanOverall = mean(trained.map((h) => h.overall));
  const f2 = (v: number) => v.toFixed(2);
  const tev = thresholdEvidence(d.copy, p.copyVocab, p.thresholdEvery, p.thresholdSteps);
  const metrics: Metric[] = [
    { name: 'gpt_val_bpc', value: d.valBpc, unit: 'bits/char', label: { en: 'the GPT analysed, held-out', zh: '所分析 GPT 的留出集比特/字符' } },
    { name: 'mean_within_offset_spearman', value: meanWithin, unit: '1' },
    { name: 'max_within_offset_spearman', value: maxWithin, unit: '1' },
    { name: 'init_mean_within_offset_spearman', value: initMeanWithin, unit: '1' },
    { name: 'mean_overall_spearman', value: meanOverall, unit: '1' },
    { name: 'mean_recency_spearman', value: meanRecency, unit: '1' },
    ...trained.flatMap((h) => [
      { name: `L${h.layer}H${h.head}_within_offset_spearman`, value: h.withinOffset, unit: '1' },
      { name: `L${h.layer}H${h.head}_overall_spearman`, value: h.overall, unit: '1' },
    ]),
    ...Object.entries(tev).map(([name, value]) => ({ name: `copy_${name}`, value, unit: '1' })),
  ];
  const best = trained.reduce((a, b) => (b.withinOffset > a.withinOffset ? b : a));
  const findings: Bilingual[] = [
    {
      en: `The ${p.config} GPT (${d.nLayer} layers × ${H} heads, ${p.steps} steps, ${f2(d.valBpc)} bpc held out), read on ${B} held-out windows of ${T} characters: Spearman between attention and PMI over all pairs averages ${f2(meanOverall)} per head; within a fixed offset it averages ${f2(meanWithin)} (best: layer ${best.layer} head ${best.head}, ${f2(best.withinOffset)}), against ${f2(initMeanWithin)} at initialisation.`,
      zh: `${p.config} GPT（${d.nLayer} 层 × ${H} 头，训练 ${p.steps} 步，留出集 ${f2(d.valBpc)} 比特/字符），在 ${B} 个长 ${T} 字的留出窗口上读取注意力：所有字符对上注意力与 PMI 的 Spearman 相关平均为 ${f2(meanOverall)}；固定距离内平均为 ${f2(meanWithin)}（最好的是第 ${best.layer} 层第 ${best.head} 个头，${f2(best.withinOffset)}），初始化时为 ${f2(initMeanWithin)}。`,
    },
    {
      en: `PMI falls with distance and so does most attention (mean Spearman with −offset ${f2(meanRecency)}): the all-pairs correlation is largely recency, which is why the within-offset number is the test.`,
      zh: `PMI 随距离衰减，大多数注意力也是（与 −距离 的平均 Spearman 为 ${f2(meanRecency)}）：所有字符对上的相关性很大程度上只是“关注最近的字”，所以固定距离内的相关才是真正的检验。`,
    },
    {
      en: `What the heads prefer instead (mean attention relative to uniform, by key character): ${trained.map((h) => `L${h.layer}H${h.head} ${d.keys(h)}`).join('; ')}.`,
      zh: `这些注意力头实际偏好的是（按被关注的字符统计，相对均匀分布的平均注意力倍数）：${trained.map((h) => `L${h.layer}H${h.head} ${d.keys(h)}`).join('；')}。`,
    },
    {
      en: `Copy GPTs (${p.thresholdSeeds} seeds, ${p.thresholdSteps} steps, checkpoints every ${p.thresholdEvery}): final accuracy ${d.copy.map((t) => f2(t.accuracy.at(-1)!)).join(', ')}; best head's MI at the end ${d.copy.map((t) => f2(t.mi.at(-1)!)).join(', ')} bits of ${f2(Math.log2(p.copyVocab))}.`,
      zh: `复制任务 GPT（${p.thresholdSeeds} 个种子，${p.thresholdSteps} 步，每 ${p.thresholdEvery} 步一个检查点）：最终准确率 ${d.copy.map((t) => f2(t.accuracy.at(-1)!)).join('、')}；最后最好的头的互信息 ${d.copy.map((t) => f2(t.mi.at(-1)!)).join('、')} 比特（上限 ${f2(Math.log2(p.copyVocab))}）。`,
    },
  ];
  return { metrics, findings, verdicts: [judgeAttentionMi({ meanWithin, maxWithin, initMeanWithin, meanRecency }), judgeMiThreshold(tev)] };
}

export const attentionMi = defineExperiment({
  id: 'information.attention-mi',
  lens: 'information',
  title: { en: 'Does attention follow mutual information?', zh: '注意力在跟随互信息吗？' },
  summary: {
    en: 'The seed says self-attention computes the mutual information between tokens. We train a tiny character GPT and compare, head by head, where it attends with the pointwise mutual information of the character pair at that distance, counted on the corpus — at initialisation and after training, with and without the effect of distance. Then, on a copy task, we train tiny GPTs from scratch and check, checkpoint by checkpoint, whether a head’s captured mutual information passes a threshold before the copying ability jumps.',
    zh: '种子答案说自注意力在计算词元之间的互信息。我们训练一个小的字符级 GPT，逐个注意力头比较它关注的位置与该距离上字符对的点互信息（在语料上计数得到）——对照初始化与训练之后，并区分是否扣除距离的影响。接着在一个复制任务上从零训练小 GPT，逐个检查点核对：某个头捕获的互信息是否先越过阈值，复制能力才陡然出现。',
  },
  claims: ['info.attention-mi', 'info.mi-threshold'],
  params: Params,
  criteria: { 'info.attention-mi': ATTENTION_CRITERIA, 'info.mi-threshold': THRESHOLD_CRITERIA },
  presets: {
    quick: { steps: 30, windows: 8, thresholdSeeds: 2, thresholdSteps: 20, thresholdEvery: 10 },
    full: {},
  },
  formulas: [
    { tex: '\\mathrm{PMI}_d(a,b) = \\log_2 \\frac{p(x_{t-d}=a,\\, x_t=b)}{p(a)\\,p(b)}', label: { en: 'pointwise mutual information at offset d', zh: '距离 d 上的点互信息' } },
    { tex: 'a_{ij} = \\mathrm{softmax}_j\\big(q_i\\cdot k_j/\\sqrt{D}\\big)', label: { en: 'what attention actually computes', zh: '注意力实际计算的量' } },
  ],

  async run(p: P, ctx) {
    const d = await measure(p, ctx);
    return {
      ...verdicts(p, d),
      figures: figures(p, d),
      tables: [
        {
          id: 'heads',
          title: { en: 'Per head', zh: '各头' },
          rows: d.trained.map((h, i) => ({ layer: h.layer, head: h.head, within_offset: h.withinOffset, overall: h.overall, recency: h.recency, init_within_offset: d.untrained[i]!.withinOffset, top_keys: d.keys(h) })),
        },
        {
          id: 'copy-checkpoints',
          title: { en: 'Copy GPTs per checkpoint', zh: '复制任务 GPT 各检查点' },
          rows: d.copy.flatMap((t, s) => t.steps.map((step, i) => ({ seed: s, step, head_mi_bits: t.mi[i]!, copy_accuracy: t.accuracy[i]! }))),
        },
      ],
    };
  },
});
