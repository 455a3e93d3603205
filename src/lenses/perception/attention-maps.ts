/**
 * perception.attention-maps — what the trained tiny GPT's attention heads look at, measured.
 *
 * Claims (seed, 感知理论 · 注意力机制的视觉启發): 「Transformer中的自注意力机制借鉴了人类视觉系统的扫视-固定机制。
 * 当处理长序列时，模型通过可学习的查询向量模拟眼球运动，选择性地聚焦关键信息片段。神经科学研究显示，这种注意力的软聚焦方式
 * 与灵长类动物视觉皮层的神经活动模式具有高度相似性。」
 *
 * Papers: Vaswani et al. 2017 (scaled dot-product attention); Clark et al. 2019, "What does BERT look
 * at?" (per-head entropy, positional heads such as previous-token heads); Olsson et al. 2022,
 * "In-context learning and induction heads" (induction heads on repeated random sequences).
 *
 * Measured: per layer and head of the trained tiny GPT (src/gpt `trainedGPT`), on held-out text:
 * the row entropy against the uniform causal row (selective focus), the mean attention distance,
 * the previous-token score; on random token sequences repeated twice, the induction score and the
 * drop in loss on the second copy; and how each head's focus moves as the query advances (how
 * long its most-attended key stays put before it jumps: a fixation, read against the saccades of
 * reading, Rayner 1998). The same numbers for the untrained network are the control.
 * What is analogy: "borrowed from saccades and fixations", "like primate visual cortex".
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Bilingual, type ClaimVerdict, type Figure, type Metric, type RunContext } from '../../experiments/contract.js';
import { untestable, verdictFor, type Criterion } from '../../experiments/verdict.js';
import type { Rng } from '../../engine/rng.js';
import { tf } from '../../engine/tf.js';
import { splitText } from '../../data/corpora.js';
import { GPT, trainedGPT, type CharVocab, type GPTConfigName } from '../../gpt/index.js';
import { lineChart, type Row } from '../../report/charts.js';
import { fixationStats, headStats, inductionScores, median, type FixationStats, type HeadStats } from './attention-stats.js';

const Params = z.object({
  corpus: z.enum(['shakespeare', 'tang', 'song']).default('shakespeare').describe('corpus the GPT is trained on').meta({ zh: 'GPT 训练用的语料' }),
  config: z.enum(['nano', 'baby', 'small']).default('baby').describe('GPT configuration (src/gpt GPT_CONFIGS)').meta({ zh: 'GPT 的规模（src/gpt 的 GPT_CONFIGS）' }),
  steps: z.number().int().min(1).max(100000).default(2000).describe('training steps of the GPT (trained once, then cached)').meta({ zh: 'GPT 的训练步数（只训练一次，之后缓存）' }),
  gptSeed: z.number().int().min(0).default(1337).describe('seed of the GPT training (part of the cache key)').meta({ zh: 'GPT 训练的随机种子（取值相同就复用已训练好的模型，不同则重新训练）' }),
  gptBatchSize: z.number().int().min(1).max(256).default(12).describe('GPT training batch (part of the cache key; the defaults match gpt.train --preset full, so its model is reused)').meta({ zh: 'GPT 训练的批大小（默认值与 gpt.train 的 full 预设一致，可直接复用它训练好的模型；改了会重新训练）' }),
  gptEvalChars: z.number().int().min(64).default(4096).describe('characters of periodic validation during GPT training (part of the cache key)').meta({ zh: 'GPT 训练中定期验证用的字符数（取值相同就复用已训练好的模型，不同则重新训练）' }),
  gptFinalEvalChars: z.number().int().min(64).default(111000).describe('characters of the final validation (part of the cache key)').meta({ zh: '最终验证用的字符数（取值相同就复用已训练好的模型，不同则重新训练）' }),
  windows: z.number().int().min(1).max(256).default(32).describe('held-out windows of blockSize characters for the statistics').meta({ zh: '统计用的留出文本窗口数（每个窗口 blockSize 个字符）' }),
  inductionTrials: z.number().int().min(1).max(256).default(32).describe('random sequences, each repeated twice, for the induction score').meta({ zh: '测“归纳头”得分用的随机序列数（每条序列重复两遍）' }),
  showChars: z.number().int().min(8).max(128).default(40).describe('characters of the chosen text shown in the heatmaps').meta({ zh: '热图中显示的所选文本字符数' }),
});
type P = z.infer<typeof Params>;

const SRC = 'Clark et al. 2019 (head entropy, positional heads); Olsson et al. 2022 (induction heads)';

/** Run the model on windows idx [B, T] and return every layer's attention as flat arrays [B, H, T, T] and per-token loss. */
function attentionOf(model: GPT, tokens: Int32Array, B: number, T: number): { att: Float32Array[]; nll: Float32Array } {
  return tf.tidy(() => {
    const idx = tf.tensor2d(tokens, [B, T], 'int32');
    const { logits, attention } = model.forward(idx, { returnAttention: true });
    // next-token loss at every position but the last: nll [B, T−1]
    const lsm = tf.logSoftmax(tf.slice(logits, [0, 0, 0], [B, T - 1, model.vocabSize]));
    const tgt = tf.oneHot(tf.reshape(tf.slice(idx, [0, 1], [B, T - 1]), [-1]), model.vocabSize);
    const nll = tf.neg(tf.sum(tf.mul(tf.reshape(lsm, [-1, model.vocabSize]), tgt), 1));
    return { att: attention!.map((a) => a.dataSync() as Float32Array), nll: nll.dataSync() as Float32Array };
  });
}

const showChar = (c: string) => (c === ' ' ? '␣' : c === '\n' ? '↵' : c);

/** Criteria, declared before any run. */
const CRITERIA = {
  'perc.attention-saccade': [
    {
      level: 'partly',
      metric: 'median_norm_entropy_drop',
      op: '>=',
      value: 0.1,
      why: { en: 'selective focus: training lowers the median head’s normalised entropy (1 = uniform) by at least a tenth of the range, against the same network untrained', zh: '选择性聚焦：与未训练的同一网络相比，训练使各头归一化熵的中位数（1 = 均匀）至少降低全程的十分之一' },
    },
    {
      level: 'partly',
      metric: 'min_norm_entropy_trained',
      op: '<',
      value: 0.5,
      why: { en: 'at least one head is nearer to one position than to uniform (normalised entropy below half)', zh: '至少有一个头更接近只看一个位置而不是均匀（归一化熵低于一半）' },
    },
    {
      level: 'reproduced',
      metric: 'median_norm_entropy_drop',
      op: '>=',
      value: 0.1,
      why: { en: 'the focus above, as for partly', zh: '同上的聚焦条件' },
    },
    {
      level: 'reproduced',
      metric: 'min_norm_entropy_trained',
      op: '<',
      value: 0.5,
      why: { en: 'one head nearer to one position than to uniform, as for partly', zh: '同上：一个头更接近只看一个位置' },
    },
    {
      level: 'reproduced',
      metric: 'fixation_dwell_best',
      op: '>=',
      value: 4,
      why: {
        en: 'moving like eye fixations: some focused head (top key ≥ 50% of the row) holds one key for at least 4 consecutive characters before jumping — half the 7–9-letter mean saccade of skilled reading (Rayner 1998); a focus that slides with the query scores 1',
        zh: '像注视那样移动：某个聚焦的头（最高的键占一行 ≥ 50%）在跳开之前至少连续 4 个字盯着同一个键——熟练阅读中平均扫视 7–9 个字母（Rayner 1998）的一半；随查询一起滑动的焦点得 1',
      },
    },
  ],
} satisfies Record<string, readonly Criterion[]>;

/** A head's focused-enough threshold for the fixation reading (declared with the criteria). */
const FIXATION_TOP = 0.5;

/** One head of the trained network beside the same head untrained. */
interface Head {
  layer: number;
  head: number;
  t: HeadStats;
  u: HeadStats;
  fx: FixationStats;
  fxU: FixationStats;
  ind: number;
}

/** Everything measured, for the figures, findings and verdicts. */
interface Measured {
  valBpc: number;
  corpus: string;
  config: string;
  T: number;
  L: number;
  H: number;
  R: number;
  shown: string[];
  /** trained attention on the held-out windows, per layer [B, H, T, T] */
  att: Float32Array[];
  heads: Head[];
  /** trained attention on the repeated random sequences, per layer [B, H, 2R, 2R] */
  indAtt: Float32Array[];
  chance: number;
  unigramNats: number;
  /** loss per position on the repeated sequences, trained and untrained */
  lpT: Float64Array;
  lpU: Float64Array;
  lossFirst: number;
  lossSecond: number;
}

const name = (x: { layer: number; head: number }) => `L${x.layer}H${x.head}`;
const f2 = (x: number) => x.toFixed(2);
const lay = (l: number): Bilingual => ({ en: `layer ${l}`, zh: `第 ${l} 层` });
const hd = (h: number): Bilingual => ({ en: `head ${h}`, zh: `头 ${h}` });
const TRAINED: Bilingual = { en: 'trained', zh: '训练后' };
const UNTRAINED: Bilingual = { en: 'untrained', zh: '未训练' };

/** The trained GPT (cached) and an untrained one of the same shape, the control. */
async function loadModels(p: P, ctx: RunContext): Promise<{ model: GPT; untrained: GPT; vocab: CharVocab; valBpc: number }> {
  const trained = await trainedGPT(
    { data: ctx.data, cache: ctx.cache, signal: ctx.signal, log: ctx.log, progress: (f, m) => ctx.progress(0.8 * f, `training the GPT: ${m ?? ''}`) },
    { corpus: p.corpus, config: p.config as GPTConfigName, steps: p.steps, seed: p.gptSeed, hyper: { batchSize: p.gptBatchSize }, evalEvery: Math.max(1, Math.round(p.steps / 20)), evalChars: p.gptEvalChars, finalEvalChars: p.gptFinalEvalChars },
  );
  // tidy frees the initial-value tensors GPT.init leaves behind (the variables survive)
  let untrained!: GPT;
  tf.tidy(() => {
    untrained = GPT.init(trained.model.config, trained.vocab.size, ctx.rng.fork('untrained-gpt'));
  });
  return { model: trained.model, untrained, vocab: trained.vocab, valBpc: trained.valBpc };
}

/** Held-out windows: the first starts at a line break (the text shown), the rest at random. */
function heldOutWindows(val: string[], vocab: CharVocab, T: number, windows: number, rng: Rng): { toks: Int32Array; shown: string[] } {
  let first = val.indexOf('\n', 200) + 1;
  if (first <= 0 || first + T > val.length) first = 0;
  const starts = [first];
  while (starts.length < windows) starts.push(rng.int(val.length - T));
  const toks = new Int32Array(windows * T);
  starts.forEach((s, b) => toks.set(vocab.encode(val.slice(s, s + T).join('')), b * T));
  return { toks, shown: val.slice(first, first + T) };
}

/**
 * Induction probe: random characters drawn from the corpus's own frequencies (in-distribution letter
 * by letter, unpredictable as a sequence), R of them repeated twice. The first copy costs about the
 * unigram entropy; the second can be copied from context.
 */
function inductionProbe(model: GPT, untrained: GPT, valTok: Int32Array, vocabSize: number, trials: number, R: number, rng: Rng) {
  const counts = new Float64Array(vocabSize);
  for (const t of valTok) counts[t]! += 1;
  let unigramNats = 0;
  for (const c of counts) if (c > 0) unigramNats -= (c / valTok.length) * Math.log(c / valTok.length);
  const rep = new Int32Array(trials * 2 * R);
  for (let b = 0; b < trials; b++)
    for (let i = 0; i < R; i++) {
      const t = valTok[rng.int(valTok.length)]!;
      rep[b * 2 * R + i] = t;
      rep[b * 2 * R + R + i] = t;
    }
  const indT = attentionOf(model, rep, trials, 2 * R);
  const indU = attentionOf(untrained, rep, trials, 2 * R);
  // loss per position (nats), averaged over trials
  const lossByPos = (nll: Float32Array) => {
    const out = new Float64Array(2 * R - 1);
    for (let b = 0; b < trials; b++) for (let i = 0; i < 2 * R - 1; i++) out[i] = out[i]! + nll[b * (2 * R - 1) + i]! / trials;
    return out;
  };
  const meanRange = (a: Float64Array, lo: number, hi: number) => a.slice(lo, hi).reduce((s, v) => s + v, 0) / (hi - lo);
  const lpT = lossByPos(indT.nll);
  // predicting token i+1 from position i: first copy i ∈ [0, R−1) (no help possible), second copy i ∈ [R, 2R−1)
  return { indAtt: indT.att, unigramNats, lpT, lpU: lossByPos(indU.nll), lossFirst: meanRange(lpT, 0, R - 1), lossSecond: meanRange(lpT, R, 2 * R - 1) };
}

/** Load the GPTs, run them on held-out text and on repeated random sequences, and measure every head. */
async function measure(p: P, ctx: RunContext): Promise<Measured> {
  const { model, untrained, vocab, valBpc } = await loadModels(p, ctx);
  try {
    const { blockSize: T, nLayer: L, nHead: H } = model.config;
    const R = Math.floor(T / 2);
    ctx.progress(0.82, 'attention on held-out text');
    await tick();
    throwIfAborted(ctx.signal);
    const val = Array.from(splitText(await ctx.data.text(p.corpus)).val);
    const { toks, shown } = heldOutWindows(val, vocab, T, p.windows, ctx.rng.fork('windows'));
    const tr = attentionOf(model, toks, p.windows, T);
    const un = attentionOf(untrained, toks, p.windows, T);
    ctx.progress(0.9, 'induction heads');
    await tick();
    const probe = inductionProbe(model, untrained, vocab.encode(val.join('')), vocab.size, p.inductionTrials, R, ctx.rng.fork('induction'));
    const scores = probe.indAtt.map((a) => inductionScores(a, p.inductionTrials, H, R));
    const heads: Head[] = [];
    for (let l = 0; l < L; l++) {
      const t = headStats(tr.att[l]!, p.windows, H, T);
      const u = headStats(un.att[l]!, p.windows, H, T);
      const fx = fixationStats(tr.att[l]!, p.windows, H, T);
      const fxU = fixationStats(un.att[l]!, p.windows, H, T);
      for (let h = 0; h < H; h++) heads.push({ layer: l, head: h, t: t[h]!, u: u[h]!, fx: fx[h]!, fxU: fxU[h]!, ind: scores[l]!.score[h]! });
    }
    const { lpT, lpU, lossFirst, lossSecond, unigramNats, indAtt } = probe;
    return { valBpc, corpus: p.corpus, config: p.config, T, L, H, R, shown, att: tr.att, heads, indAtt, chance: scores[0]!.chance, unigramNats, lpT, lpU, lossFirst, lossSecond };
  } finally {
    untrained.dispose();
    model.dispose();
  }
}

/** The head whose focus holds longest before jumping, among heads focused enough (top key ≥ FIXATION_TOP). */
export function bestFixation(fx: readonly FixationStats[]): { index: number; dwell: number } {
  let index = -1;
  let dwell = 0;
  fx.forEach((f, i) => {
    if (f.topWeight >= FIXATION_TOP && Number.isFinite(f.dwell) && f.dwell > dwell) {
      dwell = f.dwell;
      index = i;
    }
  });
  return { index, dwell };
}

/** The summary numbers every output part uses. */
function summary(m: Measured) {
  const { heads } = m;
  const medT = median(heads.map((x) => x.t.normEntropy));
  const medU = median(heads.map((x) => x.u.normEntropy));
  const focused = heads.reduce((a, b) => (b.t.normEntropy < a.t.normEntropy ? b : a));
  const bestPrev = heads.reduce((a, b) => (b.t.prevToken > a.t.prevToken ? b : a));
  const bestInd = heads.reduce((a, b) => (b.ind > a.ind ? b : a));
  const fix = bestFixation(heads.map((x) => x.fx));
  const fixU = bestFixation(heads.map((x) => x.fxU));
  return { medT, medU, minT: focused.t.normEntropy, focused, bestPrev, bestInd, uniformPrev: median(heads.map((x) => x.u.prevToken)), fix, fixHead: fix.index >= 0 ? heads[fix.index]! : undefined, fixU };
}
type Summary = ReturnType<typeof summary>;

function metricsOf(m: Measured, s: Summary, p: P): Metric[] {
  const metrics: Metric[] = [
    { name: 'gpt_val_bpc', value: m.valBpc, unit: 'bits/char', label: { zh: '所用 GPT 的验证集 bpc', en: 'val bpc of the GPT analysed' }, reference: p.config === 'baby' && p.corpus === 'shakespeare' ? { value: 2.71, source: 'nanoGPT baby config, val loss 1.88 nats' } : undefined },
    { name: 'median_norm_entropy_trained', value: s.medT, unit: '1', label: { zh: '训练后各头归一化熵的中位数（1 = 均匀）', en: 'median normalised head entropy, trained (1 = uniform)' } },
    { name: 'median_norm_entropy_untrained', value: s.medU, unit: '1', label: { zh: '未训练网络各头归一化熵的中位数', en: 'median normalised head entropy, untrained' } },
    { name: 'min_norm_entropy_trained', value: s.minT, unit: '1', label: { zh: `最聚焦的头（${name(s.focused)}）的归一化熵`, en: `normalised entropy of the most focused head (${name(s.focused)})` } },
    { name: 'fixation_dwell_best', value: s.fix.dwell, unit: 'characters', label: { zh: `聚焦的头里，焦点跳开前停留最久的（${s.fixHead ? name(s.fixHead) : '无'}）：平均停留的字数`, en: `among focused heads, the longest hold before the focus jumps (${s.fixHead ? name(s.fixHead) : 'none'}): mean characters per fixation` }, reference: { value: 8, source: 'Rayner 1998: mean saccade of skilled reading, 7–9 letter spaces' } },
    { name: 'fixation_dwell_best_untrained', value: s.fixU.dwell, unit: 'characters', label: { zh: '未训练网络的同一数字（0 = 没有足够聚焦的头）', en: 'the same for the untrained net (0 = no head focused enough)' } },
    { name: 'best_prev_token_score', value: s.bestPrev.t.prevToken, unit: 'attention', label: { zh: `前一字分数最高的头 ${name(s.bestPrev)}`, en: `best previous-token head ${name(s.bestPrev)}` } },
    { name: 'prev_token_score_untrained_median', value: s.uniformPrev, unit: 'attention', label: { zh: '未训练网络的前一字分数（中位数）', en: 'previous-token score of the untrained net (median)' } },
    { name: 'best_induction_score', value: s.bestInd.ind, unit: 'attention', label: { zh: `归纳分数最高的头 ${name(s.bestInd)}`, en: `best induction head ${name(s.bestInd)}` } },
    { name: 'induction_chance', value: m.chance, unit: 'attention', label: { zh: '均匀注意时的归纳分数', en: 'induction score of uniform attention' } },
    { name: 'repeat_loss_first_copy', value: m.lossFirst, unit: 'nats/token', label: { zh: '随机序列第一遍的损失', en: 'loss on the first copy of a random sequence' }, reference: { value: m.unigramNats, source: 'unigram entropy of the corpus (nats): what the first copy should cost' } },
    { name: 'repeat_loss_second_copy', value: m.lossSecond, unit: 'nats/token', label: { zh: '第二遍（可以照抄）的损失', en: 'loss on the second copy (copyable)' } },
  ];
  for (const x of m.heads) {
    const id = name(x);
    metrics.push(
      { name: `${id}_norm_entropy`, value: x.t.normEntropy, unit: '1' },
      { name: `${id}_mean_distance`, value: x.t.meanDistance, unit: 'tokens' },
      { name: `${id}_prev_token`, value: x.t.prevToken, unit: 'attention' },
      { name: `${id}_induction`, value: x.ind, unit: 'attention' },
      { name: `${id}_top_weight`, value: x.fx.topWeight, unit: 'attention' },
      { name: `${id}_fixation_dwell`, value: Number.isFinite(x.fx.dwell) ? x.fx.dwell : 0, unit: 'characters' },
    );
  }
  return metrics;
}

/** Every layer's and head's attention on the text shown. */
function heatmapFigure(m: Measured, p: P): Figure {
  const S = Math.min(p.showChars, m.T);
  const label = (i: number) => `${String(i).padStart(2, '0')} ${showChar(m.shown[i] ?? '')}`;
  const rows: Row[] = [];
  for (let l = 0; l < m.L; l++)
    for (let h = 0; h < m.H; h++)
      for (let i = 0; i < S; i++) for (let j = 0; j <= i; j++) rows.push({ layer: lay(l), head: hd(h), query: label(i), key: label(j), a: +m.att[l]![(h * m.T + i) * m.T + j]!.toFixed(4) });
  const panel = Math.max(120, Math.min(200, S * 5));
  const text = m.shown.slice(0, S).join('').replace(/\n/g, '↵');
  return {
    id: 'attention-heatmaps',
    title: { zh: '每层每头的注意力热图', en: 'Attention heatmaps per layer and head' },
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { en: `Attention on "${text}" (rows: query, columns: key)`, zh: `“${text}”上的注意力（行：查询，列：键）` },
      data: { values: rows },
      facet: { row: { field: 'layer', type: 'nominal', title: null }, column: { field: 'head', type: 'nominal', title: null } },
      spec: {
        width: panel,
        height: panel,
        mark: 'rect',
        encoding: {
          x: { field: 'key', type: 'ordinal', title: null, axis: { labelFontSize: 6, labelAngle: 0, labelExpr: 'slice(datum.value, 3)' } },
          y: { field: 'query', type: 'ordinal', title: null, axis: { labelFontSize: 6, labelExpr: 'slice(datum.value, 3)' } },
          color: { field: 'a', type: 'quantitative', title: { en: 'attention', zh: '注意力' }, scale: { scheme: 'viridis', domain: [0, 1] } },
          tooltip: [{ field: 'query' }, { field: 'key' }, { field: 'a', type: 'quantitative' }],
        },
      },
      resolve: { scale: { x: 'shared', y: 'shared' } },
    },
    caption: { zh: '每格是一行查询（纵轴的字）分给各个键（横轴的字）的注意力；对角线下方一格亮说明是“前一字头”。', en: 'Each cell is how much the query (row character) attends to the key (column character); a bright sub-diagonal marks a previous-token head.' },
  };
}

/** Per head: focus (normalised entropy) against reach (mean distance), trained and untrained. */
function focusFigure(m: Measured): Figure {
  const rows: Row[] = [];
  for (const x of m.heads) {
    rows.push({ head: name(x), layer: lay(x.layer), model: TRAINED, normEntropy: x.t.normEntropy, distance: x.t.meanDistance });
    rows.push({ head: name(x), layer: lay(x.layer), model: UNTRAINED, normEntropy: x.u.normEntropy, distance: x.u.meanDistance });
  }
  const ud = m.heads[0]!.u.uniformDistance.toFixed(1);
  return {
    id: 'entropy-distance',
    title: { zh: '各头的聚焦程度与注意距离', en: 'Focus and reach of every head' },
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { en: 'Per head: normalised entropy (1 = uniform) vs mean attention distance', zh: '每个头：归一化熵（1 = 均匀）与平均注意距离' },
      width: 400,
      height: 280,
      data: { values: rows },
      mark: { type: 'point', filled: true, size: 80 },
      encoding: {
        x: { field: 'distance', type: 'quantitative', title: { en: 'mean attention distance (tokens)', zh: '平均注意距离（字）' } },
        y: { field: 'normEntropy', type: 'quantitative', title: { en: 'normalised entropy', zh: '归一化熵' }, scale: { domain: [0, 1.05] } },
        color: { field: 'model', type: 'nominal', title: { en: 'network', zh: '网络' } },
        shape: { field: 'layer', type: 'nominal', title: { en: 'layer', zh: '层' } },
        tooltip: [{ field: 'head' }, { field: 'model' }, { field: 'normEntropy', type: 'quantitative', format: '.3f' }, { field: 'distance', type: 'quantitative', format: '.2f' }],
      },
    },
    caption: { zh: `未训练时每个头都接近均匀（熵≈1，距离≈${ud}）；训练后多数头变得聚焦、看得更近。`, en: `Untrained, every head is near uniform (entropy ≈ 1, distance ≈ ${ud}); trained heads become focused and look closer.` },
  };
}

/** Previous-token, induction and fixation-dwell scores per layer and head. */
function scoresFigure(m: Measured, s: Summary): Figure {
  const KIND = { prev: { en: 'previous-token score', zh: '前一字分数' }, ind: { en: 'induction score', zh: '归纳分数' }, top: { en: 'top-key weight', zh: '最高键的权重' } };
  const rows: Row[] = [];
  for (const x of m.heads) {
    rows.push({ layer: lay(x.layer), head: hd(x.head), score: x.t.prevToken, kind: KIND.prev });
    rows.push({ layer: lay(x.layer), head: hd(x.head), score: x.ind, kind: KIND.ind });
    rows.push({ layer: lay(x.layer), head: hd(x.head), score: x.fx.topWeight, kind: KIND.top });
  }
  return {
    id: 'head-scores',
    title: { zh: '前一字分数、归纳分数与最高键的权重', en: 'Previous-token, induction and top-key scores' },
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { en: `Head scores (uniform attention: previous-token ≈ ${s.uniformPrev.toFixed(2)}, induction ≈ ${m.chance.toFixed(3)})`, zh: `各头的分数（均匀注意：前一字 ≈ ${s.uniformPrev.toFixed(2)}，归纳 ≈ ${m.chance.toFixed(3)}）` },
      data: { values: rows },
      facet: { column: { field: 'kind', type: 'nominal', title: null } },
      spec: {
        width: 200,
        height: 40 * m.L,
        encoding: { x: { field: 'head', type: 'ordinal', title: null, axis: { labelAngle: 0 } }, y: { field: 'layer', type: 'ordinal', title: null } },
        layer: [
          { mark: 'rect', encoding: { color: { field: 'score', type: 'quantitative', title: { en: 'score', zh: '分数' }, scale: { scheme: 'blues', domain: [0, 1] } } } },
          { mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'score', type: 'quantitative', format: '.2f' }, color: { condition: { test: 'datum.score > 0.5', value: 'white' }, value: 'black' } } },
        ],
      },
    },
    caption: { zh: '前一字分数：看向紧邻前一个位置的平均注意力；归纳分数：随机序列重复时看向“上次出现之后那个字”的注意力；最高键的权重：一行里最大的那个注意力（≥ 0.5 才算“注视”）。', en: 'Previous-token score: mean attention to the position just before; induction score: on a repeated random sequence, attention to the token after the previous occurrence; top-key weight: the largest attention in a row (≥ 0.5 counts as a fixation).' },
  };
}

/** The best induction head on the first repeated sequence, and the loss per position. */
function inductionFigures(m: Measured, s: Summary): Figure[] {
  const R = m.R;
  const bi = s.bestInd;
  const indRows: Row[] = [];
  for (let i = 0; i < 2 * R; i++) for (let j = 0; j <= i; j++) indRows.push({ query: i, key: j, a: +m.indAtt[bi.layer]![(bi.head * 2 * R + i) * 2 * R + j]!.toFixed(4) });
  const lpRows: Row[] = [];
  for (let i = 0; i < 2 * R - 1; i++) lpRows.push({ position: i + 1, loss: m.lpT[i]!, model: TRAINED }, { position: i + 1, loss: m.lpU[i]!, model: UNTRAINED });
  return [
    {
      id: 'induction-pattern',
      title: { zh: '归纳头在重复随机序列上的注意力', en: 'The induction head on a repeated random sequence' },
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: { en: `${name(bi)} on a random sequence of ${R} tokens repeated twice`, zh: `${name(bi)} 在重复两遍的 ${R} 个随机字上` },
        width: 260,
        height: 260,
        data: { values: indRows },
        mark: 'rect',
        encoding: {
          x: { field: 'key', type: 'ordinal', title: { en: 'key position', zh: '键的位置' }, axis: { labelFontSize: 7 } },
          y: { field: 'query', type: 'ordinal', title: { en: 'query position', zh: '查询的位置' }, axis: { labelFontSize: 7 } },
          color: { field: 'a', type: 'quantitative', title: { en: 'attention', zh: '注意力' }, scale: { scheme: 'viridis', domain: [0, 1] } },
        },
      },
      caption: { zh: `归纳头会在下半部分出现一条偏移 ${R - 1} 的斜线：看向上一次出现的下一个字。`, en: `An induction head draws a stripe offset by ${R - 1} in the lower half: attention to the token after the previous occurrence.` },
    },
    {
      id: 'repeat-loss',
      title: { zh: '重复随机序列上的逐位损失', en: 'Loss per position on repeated random sequences' },
      spec: lineChart({ title: { en: `Next-token loss on ${R} random tokens repeated twice`, zh: `重复两遍的 ${R} 个随机字上的下一字损失` }, data: lpRows, x: { field: 'position', title: { en: 'position of the predicted token', zh: '被预测字的位置' } }, y: { field: 'loss', title: { en: 'nats', zh: '奈特' } }, color: { field: 'model', title: { en: 'network', zh: '网络' } }, rules: [{ x: R, label: { en: 'second copy starts', zh: '第二遍开始' } }, { y: m.unigramNats, label: { en: 'unigram entropy', zh: '字频熵' } }] }),
      caption: { zh: '第二遍的损失若明显低于第一遍，说明模型在上下文里“照抄”——这是归纳头的行为证据。', en: 'If the loss drops on the second copy, the model copies from context — behavioural evidence of induction heads.' },
    },
  ];
}

function figures(m: Measured, s: Summary, p: P): Figure[] {
  return [heatmapFigure(m, p), focusFigure(m), scoresFigure(m, s), ...inductionFigures(m, s)];
}

function findings(m: Measured, s: Summary): Bilingual[] {
  const { medT, medU, minT, focused, bestPrev, bestInd, uniformPrev, fix, fixHead } = s;
  const { chance, lossFirst, lossSecond, unigramNats } = m;
  const copies = lossSecond < lossFirst - 0.5 && bestInd.ind > 3 * chance;
  const fixText: Bilingual = fixHead
    ? { zh: `焦点怎样移动：聚焦的头里，${name(fixHead)} 的焦点（一行里注意力最大的键，平均占 ${(100 * fixHead.fx.topWeight).toFixed(0)}%）平均停在同一个字上 ${fix.dwell.toFixed(1)} 个查询才跳开；熟练阅读时眼睛每次扫视约 7–9 个字母（Rayner 1998）。`, en: `How the focus moves: among focused heads, ${name(fixHead)} keeps its focus (the row's most-attended key, ${(100 * fixHead.fx.topWeight).toFixed(0)}% of the row on average) on one character for ${fix.dwell.toFixed(1)} queries before jumping; in skilled reading the eye jumps about 7–9 letters per saccade (Rayner 1998).` }
    : { zh: '焦点怎样移动：没有一个头把一行一半以上的注意力放在同一个键上并且会跳开，谈不上“注视”。', en: 'How the focus moves: no head puts half of a row on one key and then jumps; there is nothing to call a fixation.' };
  return [
    {
      zh: `聚焦是可以测的：训练前各头的归一化熵中位数是 ${f2(medU)}（1 表示在可见前缀上完全均匀），训练后降到 ${f2(medT)}；最聚焦的头 ${name(focused)} 只有 ${f2(minT)}，平均只看 ${focused.t.meanDistance.toFixed(1)} 个字之前（均匀注意是 ${focused.t.uniformDistance.toFixed(1)}）。`,
      en: `Focus is measurable: before training the median normalised head entropy is ${f2(medU)} (1 = uniform over the visible prefix); after training ${f2(medT)}. The most focused head, ${name(focused)}, is at ${f2(minT)} and looks on average ${focused.t.meanDistance.toFixed(1)} characters back (uniform: ${focused.t.uniformDistance.toFixed(1)}).`,
    },
    fixText,
    {
      zh: `分工也能测：${name(bestPrev)} 把 ${(100 * bestPrev.t.prevToken).toFixed(0)}% 的注意力给了紧邻的前一个字（未训练时约 ${(100 * uniformPrev).toFixed(0)}%）；在重复两遍的随机序列上，${name(bestInd)} 的归纳分数是 ${f2(bestInd.ind)}（均匀注意为 ${chance.toFixed(3)}），第二遍的损失 ${f2(lossSecond)} nats 对第一遍 ${f2(lossFirst)} nats（字符频率的熵是 ${f2(unigramNats)}）。`,
      en: `Roles are measurable too: ${name(bestPrev)} gives ${(100 * bestPrev.t.prevToken).toFixed(0)}% of its attention to the character just before (untrained ≈ ${(100 * uniformPrev).toFixed(0)}%); on random sequences repeated twice, ${name(bestInd)} has induction score ${f2(bestInd.ind)} (uniform ${chance.toFixed(3)}), and the loss on the second copy is ${f2(lossSecond)} nats against ${f2(lossFirst)} on the first (unigram entropy ${f2(unigramNats)}).`,
    },
    copies
      ? { zh: `这个模型会在上下文里照抄：第二遍每个字的损失比第一遍低 ${f2(lossFirst - lossSecond)} nats，${name(bestInd)} 的归纳分数是均匀注意的 ${(bestInd.ind / chance).toFixed(0)} 倍。这是可测的“选择性聚焦”：它只看上一次出现之后的那一个位置。`, en: `This model copies from context: the second copy costs ${f2(lossFirst - lossSecond)} nats per character less than the first, and ${name(bestInd)}'s induction score is ${(bestInd.ind / chance).toFixed(0)}× uniform. That is selective focus one can measure: one position, the one after the previous occurrence.` }
      : { zh: `这个模型还没有归纳头：第二遍的损失（${f2(lossSecond)}）没有明显低于第一遍（${f2(lossFirst)}），最高归纳分数 ${f2(bestInd.ind)} 只是均匀注意（${chance.toFixed(3)}）的 ${(bestInd.ind / chance).toFixed(1)} 倍。模型太小或训练太短时常见这种情况。`, en: `This model has no induction head yet: the loss on the second copy (${f2(lossSecond)}) is not clearly below the first (${f2(lossFirst)}), and the best induction score ${f2(bestInd.ind)} is only ${(bestInd.ind / chance).toFixed(1)}× uniform (${chance.toFixed(3)}). Common when the model is small or briefly trained.` },
    {
      zh: '哪些是类比：说自注意力“借鉴了扫视—注视机制”是历史叙述——Transformer 的注意力来自机器翻译里的对齐（Bahdanau 等 2015）；注意力一次并行地给所有位置打分，没有眼动那样的先后序列。“与灵长类视觉皮层高度相似”需要把模型和神经记录放在同一刺激下比较，本实验没有这样的数据。能测的是“选择性聚焦”（熵低于均匀分布）和焦点随查询怎样移动。',
      en: 'What is analogy: "borrowed from saccades and fixations" is history, and not this history — Transformer attention descends from alignment in machine translation (Bahdanau et al. 2015); attention scores all positions at once, in parallel, with no sequence of fixations. "Highly similar to primate visual cortex" would need model and neural recordings under the same stimuli, which this experiment does not have. What can be measured is selective focus (entropy below uniform) and how the focus moves as the query advances.',
    },
  ];
}

function verdicts(s: Summary): ClaimVerdict[] {
  const evidence = {
    median_norm_entropy_trained: s.medT,
    median_norm_entropy_untrained: s.medU,
    median_norm_entropy_drop: s.medU - s.medT,
    min_norm_entropy_trained: s.minT,
    fixation_dwell_best: s.fix.dwell,
    fixation_dwell_best_untrained: s.fixU.dwell,
    best_prev_token: s.bestPrev.t.prevToken,
    best_induction: s.bestInd.ind,
  };
  const focus = { en: `the median normalised head entropy falls from ${f2(s.medU)} untrained to ${f2(s.medT)} trained, the most focused head at ${f2(s.minT)}`, zh: `训练后各头归一化熵中位数从 ${f2(s.medU)} 降到 ${f2(s.medT)}，最聚焦的头 ${f2(s.minT)}` };
  const dwell = { en: `the longest-holding focused head keeps one key for ${s.fix.dwell.toFixed(1)} characters before jumping (needed: 4)`, zh: `停留最久的聚焦头在跳开前盯着同一个键 ${s.fix.dwell.toFixed(1)} 个字（要求 4）` };
  const history = { en: 'That attention was borrowed from saccades is history (it came from alignment in translation), not graded here.', zh: '“注意力借鉴了扫视”是历史叙述（它来自翻译中的对齐），这里不评判。' };
  return [
    verdictFor('perc.attention-saccade', CRITERIA['perc.attention-saccade'], evidence, (v) =>
      v === 'reproduced'
        ? { zh: `复现（机制层面）：选择性聚焦——${focus.zh}；焦点像注视那样停留再跳开——${dwell.zh}。${history.zh}`, en: `Reproduced as a mechanism: selective focus — ${focus.en}; and a focus that holds and jumps like fixations — ${dwell.en}. ${history.en}` }
        : v === 'partly'
          ? { zh: `部分成立：“选择性聚焦”测得到——${focus.zh}；但焦点不像注视那样移动：${dwell.zh}。${history.zh}`, en: `Partly: selective focus is measured — ${focus.en}; but the focus does not move like fixations: ${dwell.en}. ${history.en}` }
          : { zh: `未复现：训练后的头没有明显更聚焦，或者没有一个头接近只看一个位置（${focus.zh}）。`, en: `Not reproduced: trained heads are not clearly more focused, or no head comes near one position (${focus.en}).` },
    SRC),
    untestable('perc.attention-cortex', {
      zh: '无法检验：判断“与灵长类视觉皮层的神经活动高度相似”需要在同样的刺激下同时得到模型激活和神经记录，再做表征相似性分析（RSA）之类的比较；这里只有一个字符级语言模型，没有视觉刺激，也没有神经数据。原文引用的 [3] 也没有给出这样的研究。',
      en: 'Untestable here: "highly similar to neural activity in primate visual cortex" would need model activations and neural recordings for the same stimuli and a comparison such as representational similarity analysis; we have a character-level language model, no visual stimuli and no neural data. The seed’s citation [3] reports no such study.',
    }),
  ];
}

export const attentionMaps = defineExperiment({
  id: 'perception.attention-maps',
  lens: 'perception',
  title: { zh: '注意力图：训练好的小 GPT 在看哪里', en: 'Attention maps: where the trained tiny GPT looks' },
  summary: {
    zh: '逐层、逐头画出小 GPT 在一段文本上的注意力，并量化每个头有多“聚焦”（熵相对均匀分布）、看多远、是否专看前一个字、是否是“归纳头”。“借鉴扫视—注视”和“像灵长类视觉皮层”是类比，这里分清哪些能测、哪些不能。',
    en: 'Per layer and head, the attention of the tiny GPT on a text, with numbers: how focused each head is (entropy against uniform), how far it looks, whether it attends to the previous character, whether it is an induction head. "Borrowed from saccades" and "like primate visual cortex" are analogies; we separate what can be measured from what cannot.',
  },
  claims: ['perc.attention-saccade', 'perc.attention-cortex'],
  params: Params,
  criteria: CRITERIA,
  presets: {
    quick: { config: 'nano', steps: 300, gptBatchSize: 8, gptEvalChars: 1024, gptFinalEvalChars: 4096, windows: 8, inductionTrials: 8, showChars: 24 },
    full: { config: 'baby', steps: 2000, gptBatchSize: 12, gptEvalChars: 4096, gptFinalEvalChars: 111000, windows: 32, inductionTrials: 32, showChars: 40 },
  },
  formulas: [
    { tex: 'a_{ij} = \\operatorname{softmax}_j\\Big(\\frac{q_i^\\top k_j}{\\sqrt{D}}\\Big),\\; j \\le i', label: { zh: '因果自注意力的一行', en: 'one row of causal self-attention' } },
    { tex: '\\tilde H_i = \\frac{-\\sum_j a_{ij} \\log a_{ij}}{\\log (i+1)}', label: { zh: '归一化熵：1 为均匀，0 为只看一个位置', en: 'normalised entropy: 1 uniform, 0 one position' } },
    { tex: 'd_i = \\sum_j a_{ij}\\,(i-j)', label: { zh: '平均注意距离', en: 'mean attention distance' } },
    { tex: 's_{\\text{ind}} = \\frac1R \\sum_{i=R}^{2R-1} a_{i,\\,i-R+1}', label: { zh: '归纳分数：随机序列重复两次时，看向“上次出现之后的那个字”', en: 'induction score: on a random sequence repeated twice, attention to the token after the previous occurrence' } },
  ],
  async run(p: P, ctx) {
    const m = await measure(p, ctx);
    const s = summary(m);
    return { metrics: metricsOf(m, s, p), figures: figures(m, s, p), findings: findings(m, s), verdicts: verdicts(s) };
  },
});
