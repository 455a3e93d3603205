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
 * drop in loss on the second copy. The same numbers for the untrained network are the control.
 * What is analogy: "borrowed from saccades and fixations", "like primate visual cortex".
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Figure, type Metric } from '../../experiments/contract.js';
import { untestable, verdictFor } from '../../experiments/verdict.js';
import { tf } from '../../engine/tf.js';
import { splitText } from '../../data/corpora.js';
import { GPT, trainedGPT, type GPTConfigName } from '../../gpt/index.js';
import { lineChart, type Row } from '../../report/charts.js';
import { headStats, inductionScores, median, saccadeCriteria, type HeadStats } from './attention-stats.js';

const Params = z.object({
  corpus: z.enum(['shakespeare', 'tang', 'song']).default('shakespeare').describe('corpus the GPT is trained on'),
  config: z.enum(['nano', 'baby', 'small']).default('baby').describe('GPT configuration (src/gpt GPT_CONFIGS)'),
  steps: z.number().int().min(1).max(100000).default(2000).describe('training steps of the GPT (trained once, then cached)'),
  gptSeed: z.number().int().min(0).default(1337).describe('seed of the GPT training (part of the cache key)'),
  gptBatchSize: z.number().int().min(1).max(256).default(12).describe('GPT training batch (part of the cache key; the defaults match gpt.train --preset full, so its model is reused)'),
  gptEvalChars: z.number().int().min(64).default(4096).describe('characters of periodic validation during GPT training (part of the cache key)'),
  gptFinalEvalChars: z.number().int().min(64).default(111000).describe('characters of the final validation (part of the cache key)'),
  windows: z.number().int().min(1).max(256).default(32).describe('held-out windows of blockSize characters for the statistics'),
  inductionTrials: z.number().int().min(1).max(256).default(32).describe('random sequences, each repeated twice, for the induction score'),
  showChars: z.number().int().min(8).max(128).default(40).describe('characters of the chosen text shown in the heatmaps'),
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
    const trained = await trainedGPT(
      { data: ctx.data, cache: ctx.cache, signal: ctx.signal, log: ctx.log, progress: (f, m) => ctx.progress(0.8 * f, `training the GPT: ${m ?? ''}`) },
      {
        corpus: p.corpus,
        config: p.config as GPTConfigName,
        steps: p.steps,
        seed: p.gptSeed,
        hyper: { batchSize: p.gptBatchSize },
        evalEvery: Math.max(1, Math.round(p.steps / 20)),
        evalChars: p.gptEvalChars,
        finalEvalChars: p.gptFinalEvalChars,
      },
    );
    const { model, vocab } = trained;
    // tidy frees the initial-value tensors GPT.init leaves behind (the variables survive)
    let untrained!: GPT;
    tf.tidy(() => {
      untrained = GPT.init(model.config, vocab.size, ctx.rng.fork('untrained-gpt'));
    });
    try {
      const T = model.config.blockSize;
      const L = model.config.nLayer;
      const H = model.config.nHead;
      const R = Math.floor(T / 2);
      ctx.progress(0.82, 'attention on held-out text');
      await tick();
      throwIfAborted(ctx.signal);

      // held-out windows: the first starts at a line break (the chosen text), the rest at random
      const text = await ctx.data.text(p.corpus);
      const val = Array.from(splitText(text).val);
      const rng = ctx.rng.fork('windows');
      let first = val.indexOf('\n', 200) + 1;
      if (first <= 0 || first + T > val.length) first = 0;
      const starts = [first];
      while (starts.length < p.windows) starts.push(rng.int(val.length - T));
      const toks = new Int32Array(p.windows * T);
      starts.forEach((s, b) => toks.set(vocab.encode(val.slice(s, s + T).join('')), b * T));
      const shown = val.slice(first, first + T);

      const run = (m: GPT) => attentionOf(m, toks, p.windows, T);
      const tr = run(model);
      const un = run(untrained);
      const statsT: HeadStats[][] = tr.att.map((a) => headStats(a, p.windows, H, T));
      const statsU: HeadStats[][] = un.att.map((a) => headStats(a, p.windows, H, T));

      // induction: random token blocks of length R, repeated twice
      ctx.progress(0.9, 'induction heads');
      await tick();
      // random characters drawn from the corpus's own character frequencies (in-distribution letter by
      // letter, unpredictable as a sequence): the first copy costs about the unigram entropy, the second
      // copy can be copied from context
      const irng = ctx.rng.fork('induction');
      const valTok = vocab.encode(val.join(''));
      const counts = new Float64Array(vocab.size);
      for (const t of valTok) counts[t]! += 1;
      let unigramNats = 0;
      for (const c of counts) if (c > 0) unigramNats -= (c / valTok.length) * Math.log(c / valTok.length);
      const rep = new Int32Array(p.inductionTrials * 2 * R);
      for (let b = 0; b < p.inductionTrials; b++)
        for (let i = 0; i < R; i++) {
          const t = valTok[irng.int(valTok.length)]!;
          rep[b * 2 * R + i] = t;
          rep[b * 2 * R + R + i] = t;
        }
      const indT = attentionOf(model, rep, p.inductionTrials, 2 * R);
      const indU = attentionOf(untrained, rep, p.inductionTrials, 2 * R);
      const scoresT = indT.att.map((a) => inductionScores(a, p.inductionTrials, H, R));
      const scoresU = indU.att.map((a) => inductionScores(a, p.inductionTrials, H, R));
      const chance = scoresT[0]!.chance;
      // loss per position on the repeated sequences (nats): first copy vs second copy
      const lossByPos = (nll: Float32Array) => {
        const out = new Float64Array(2 * R - 1);
        for (let b = 0; b < p.inductionTrials; b++) for (let i = 0; i < 2 * R - 1; i++) out[i] = out[i]! + nll[b * (2 * R - 1) + i]! / p.inductionTrials;
        return out;
      };
      const lpT = lossByPos(indT.nll);
      const lpU = lossByPos(indU.nll);
      const meanRange = (a: Float64Array, lo: number, hi: number) => {
        let s = 0;
        for (let i = lo; i < hi; i++) s += a[i]!;
        return s / (hi - lo);
      };
      // predicting token i+1 from position i: first copy i ∈ [0, R−1) (no help possible), second copy i ∈ [R, 2R−1)
      const lossFirst = meanRange(lpT, 0, R - 1);
      const lossSecond = meanRange(lpT, R, 2 * R - 1);

      // ---- summary numbers
      const heads: { layer: number; head: number; t: HeadStats; u: HeadStats; ind: number; indU: number }[] = [];
      for (let l = 0; l < L; l++) for (let h = 0; h < H; h++) heads.push({ layer: l, head: h, t: statsT[l]![h]!, u: statsU[l]![h]!, ind: scoresT[l]!.score[h]!, indU: scoresU[l]!.score[h]! });
      const medT = median(heads.map((x) => x.t.normEntropy));
      const medU = median(heads.map((x) => x.u.normEntropy));
      const minT = Math.min(...heads.map((x) => x.t.normEntropy));
      const bestPrev = heads.reduce((a, b) => (b.t.prevToken > a.t.prevToken ? b : a));
      const bestInd = heads.reduce((a, b) => (b.ind > a.ind ? b : a));
      const focused = heads.reduce((a, b) => (b.t.normEntropy < a.t.normEntropy ? b : a));
      const name = (x: { layer: number; head: number }) => `L${x.layer}H${x.head}`;
      const uniformPrev = median(heads.map((x) => x.u.prevToken));

      const metrics: Metric[] = [
        { name: 'gpt_val_bpc', value: trained.valBpc, unit: 'bits/char', label: { zh: '所用 GPT 的验证集 bpc', en: 'val bpc of the GPT analysed' }, reference: p.config === 'baby' && p.corpus === 'shakespeare' ? { value: 2.71, source: 'nanoGPT baby config, val loss 1.88 nats' } : undefined },
        { name: 'median_norm_entropy_trained', value: medT, unit: '1', label: { zh: '训练后各头归一化熵的中位数（1 = 均匀）', en: 'median normalised head entropy, trained (1 = uniform)' } },
        { name: 'median_norm_entropy_untrained', value: medU, unit: '1', label: { zh: '未训练网络各头归一化熵的中位数', en: 'median normalised head entropy, untrained' } },
        { name: 'min_norm_entropy_trained', value: minT, unit: '1', label: { zh: `最聚焦的头（${name(focused)}）的归一化熵`, en: `normalised entropy of the most focused head (${name(focused)})` } },
        { name: 'best_prev_token_score', value: bestPrev.t.prevToken, unit: 'attention', label: { zh: `前一字分数最高的头 ${name(bestPrev)}`, en: `best previous-token head ${name(bestPrev)}` } },
        { name: 'prev_token_score_untrained_median', value: uniformPrev, unit: 'attention', label: { zh: '未训练网络的前一字分数（中位数）', en: 'previous-token score of the untrained net (median)' } },
        { name: 'best_induction_score', value: bestInd.ind, unit: 'attention', label: { zh: `归纳分数最高的头 ${name(bestInd)}`, en: `best induction head ${name(bestInd)}` } },
        { name: 'induction_chance', value: chance, unit: 'attention', label: { zh: '均匀注意时的归纳分数', en: 'induction score of uniform attention' } },
        { name: 'repeat_loss_first_copy', value: lossFirst, unit: 'nats/token', label: { zh: '随机序列第一遍的损失', en: 'loss on the first copy of a random sequence' }, reference: { value: unigramNats, source: 'unigram entropy of the corpus (nats): what the first copy should cost' } },
        { name: 'repeat_loss_second_copy', value: lossSecond, unit: 'nats/token', label: { zh: '第二遍（可以照抄）的损失', en: 'loss on the second copy (copyable)' } },
      ];
      for (const x of heads) {
        metrics.push(
          { name: `L${x.layer}H${x.head}_norm_entropy`, value: x.t.normEntropy, unit: '1' },
          { name: `L${x.layer}H${x.head}_mean_distance`, value: x.t.meanDistance, unit: 'tokens' },
          { name: `L${x.layer}H${x.head}_prev_token`, value: x.t.prevToken, unit: 'attention' },
          { name: `L${x.layer}H${x.head}_induction`, value: x.ind, unit: 'attention' },
        );
      }

      // ---- figures
      const figures: Figure[] = [];
      const S = Math.min(p.showChars, T);
      const label = (i: number) => `${String(i).padStart(2, '0')} ${showChar(shown[i] ?? '')}`;
      const hmRows: Row[] = [];
      for (let l = 0; l < L; l++)
        for (let h = 0; h < H; h++)
          for (let i = 0; i < S; i++)
            for (let j = 0; j <= i; j++) hmRows.push({ layer: `layer ${l}`, head: `head ${h}`, query: label(i), key: label(j), a: +tr.att[l]![((0 * H + h) * T + i) * T + j]!.toFixed(4) });
      const panel = Math.max(120, Math.min(200, S * 5));
      figures.push({
        id: 'attention-heatmaps',
        title: { zh: '每层每头的注意力热图', en: 'Attention heatmaps per layer and head' },
        spec: {
          $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
          title: `Attention on "${shown.slice(0, S).join('').replace(/\n/g, '↵')}" (rows: query, columns: key)`,
          data: { values: hmRows },
          facet: { row: { field: 'layer', type: 'nominal', title: null }, column: { field: 'head', type: 'nominal', title: null } },
          spec: {
            width: panel,
            height: panel,
            mark: 'rect',
            encoding: {
              x: { field: 'key', type: 'ordinal', title: null, axis: { labelFontSize: 6, labelAngle: 0, labelExpr: "slice(datum.value, 3)" } },
              y: { field: 'query', type: 'ordinal', title: null, axis: { labelFontSize: 6, labelExpr: "slice(datum.value, 3)" } },
              color: { field: 'a', type: 'quantitative', title: 'attention', scale: { scheme: 'viridis', domain: [0, 1] } },
              tooltip: [{ field: 'query' }, { field: 'key' }, { field: 'a', type: 'quantitative' }],
            },
          },
          resolve: { scale: { x: 'shared', y: 'shared' } },
        },
        caption: { zh: '每格是一行查询（纵轴的字）分给各个键（横轴的字）的注意力；对角线下方一格亮说明是“前一字头”。', en: 'Each cell is how much the query (row character) attends to the key (column character); a bright sub-diagonal marks a previous-token head.' },
      });
      const scRows: Row[] = [];
      for (const x of heads) {
        scRows.push({ head: name(x), layer: `layer ${x.layer}`, model: 'trained', normEntropy: x.t.normEntropy, distance: x.t.meanDistance });
        scRows.push({ head: name(x), layer: `layer ${x.layer}`, model: 'untrained', normEntropy: x.u.normEntropy, distance: x.u.meanDistance });
      }
      figures.push({
        id: 'entropy-distance',
        title: { zh: '各头的聚焦程度与注意距离', en: 'Focus and reach of every head' },
        spec: {
          $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
          title: 'Per head: normalised entropy (1 = uniform) vs mean attention distance',
          width: 400,
          height: 280,
          data: { values: scRows },
          mark: { type: 'point', filled: true, size: 80 },
          encoding: {
            x: { field: 'distance', type: 'quantitative', title: 'mean attention distance (tokens)' },
            y: { field: 'normEntropy', type: 'quantitative', title: 'normalised entropy', scale: { domain: [0, 1.05] } },
            color: { field: 'model', type: 'nominal', title: 'network' },
            shape: { field: 'layer', type: 'nominal', title: 'layer' },
            tooltip: [{ field: 'head' }, { field: 'model' }, { field: 'normEntropy', type: 'quantitative', format: '.3f' }, { field: 'distance', type: 'quantitative', format: '.2f' }],
          },
        },
        caption: { zh: `未训练时每个头都接近均匀（熵≈1，距离≈${heads[0]!.u.uniformDistance.toFixed(1)}）；训练后多数头变得聚焦、看得更近。`, en: `Untrained, every head is near uniform (entropy ≈ 1, distance ≈ ${heads[0]!.u.uniformDistance.toFixed(1)}); trained heads become focused and look closer.` },
      });
      const scoreRows: Row[] = [];
      for (const x of heads) {
        scoreRows.push({ layer: `layer ${x.layer}`, head: `head ${x.head}`, score: x.t.prevToken, kind: 'previous-token score' });
        scoreRows.push({ layer: `layer ${x.layer}`, head: `head ${x.head}`, score: x.ind, kind: 'induction score' });
      }
      figures.push({
        id: 'head-scores',
        title: { zh: '前一字分数与归纳分数', en: 'Previous-token and induction scores' },
        spec: {
          $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
          title: `Head scores (uniform attention: previous-token ≈ ${uniformPrev.toFixed(2)}, induction ≈ ${chance.toFixed(3)})`,
          data: { values: scoreRows },
          facet: { column: { field: 'kind', type: 'nominal', title: null } },
          spec: {
            width: 200,
            height: 40 * L,
            encoding: {
              x: { field: 'head', type: 'ordinal', title: null, axis: { labelAngle: 0 } },
              y: { field: 'layer', type: 'ordinal', title: null },
            },
            layer: [
              { mark: 'rect', encoding: { color: { field: 'score', type: 'quantitative', title: 'score', scale: { scheme: 'blues', domain: [0, 1] } } } },
              { mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'score', type: 'quantitative', format: '.2f' }, color: { condition: { test: 'datum.score > 0.5', value: 'white' }, value: 'black' } } },
            ],
          },
        },
        caption: { zh: '前一字分数：看向紧邻前一个位置的平均注意力；归纳分数：随机序列重复时看向“上次出现之后那个字”的注意力。', en: 'Previous-token score: mean attention to the position just before; induction score: on a repeated random sequence, attention to the token after the previous occurrence.' },
      });
      // the best induction head on the first repeated sequence
      const indRows: Row[] = [];
      const bi = bestInd;
      for (let i = 0; i < 2 * R; i++) for (let j = 0; j <= i; j++) indRows.push({ query: i, key: j, a: +indT.att[bi.layer]![((0 * H + bi.head) * 2 * R + i) * 2 * R + j]!.toFixed(4) });
      figures.push({
        id: 'induction-pattern',
        title: { zh: '归纳头在重复随机序列上的注意力', en: 'The induction head on a repeated random sequence' },
        spec: {
          $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
          title: `${name(bi)} on a random sequence of ${R} tokens repeated twice`,
          width: 260,
          height: 260,
          data: { values: indRows },
          mark: 'rect',
          encoding: {
            x: { field: 'key', type: 'ordinal', title: 'key position', axis: { labelFontSize: 7 } },
            y: { field: 'query', type: 'ordinal', title: 'query position', axis: { labelFontSize: 7 } },
            color: { field: 'a', type: 'quantitative', title: 'attention', scale: { scheme: 'viridis', domain: [0, 1] } },
          },
        },
        caption: { zh: `归纳头会在下半部分出现一条偏移 ${R - 1} 的斜线：看向上一次出现的下一个字。`, en: `An induction head draws a stripe offset by ${R - 1} in the lower half: attention to the token after the previous occurrence.` },
      });
      const lpRows: Row[] = [];
      for (let i = 0; i < 2 * R - 1; i++) {
        lpRows.push({ position: i + 1, loss: lpT[i]!, model: 'trained' });
        lpRows.push({ position: i + 1, loss: lpU[i]!, model: 'untrained' });
      }
      figures.push({
        id: 'repeat-loss',
        title: { zh: '重复随机序列上的逐位损失', en: 'Loss per position on repeated random sequences' },
        spec: lineChart({ title: `Next-token loss on ${R} random tokens repeated twice`, data: lpRows, x: { field: 'position', title: 'position of the predicted token' }, y: { field: 'loss', title: 'nats' }, color: { field: 'model', title: 'network' }, rules: [{ x: R, label: 'second copy starts' }, { y: unigramNats, label: 'unigram entropy' }] }),
        caption: { zh: '第二遍的损失若明显低于第一遍，说明模型在上下文里“照抄”——这是归纳头的行为证据。', en: 'If the loss drops on the second copy, the model copies from context — behavioural evidence of induction heads.' },
      });

      // ---- findings and verdicts
      const f2 = (x: number) => x.toFixed(2);
      const findings = [
        {
          zh: `聚焦是可以测的：训练前各头的归一化熵中位数是 ${f2(medU)}（1 表示在可见前缀上完全均匀），训练后降到 ${f2(medT)}；最聚焦的头 ${name(focused)} 只有 ${f2(minT)}，平均只看 ${focused.t.meanDistance.toFixed(1)} 个字之前（均匀注意是 ${focused.t.uniformDistance.toFixed(1)}）。`,
          en: `Focus is measurable: before training the median normalised head entropy is ${f2(medU)} (1 = uniform over the visible prefix); after training ${f2(medT)}. The most focused head, ${name(focused)}, is at ${f2(minT)} and looks on average ${focused.t.meanDistance.toFixed(1)} characters back (uniform: ${focused.t.uniformDistance.toFixed(1)}).`,
        },
        {
          zh: `分工也能测：${name(bestPrev)} 把 ${(100 * bestPrev.t.prevToken).toFixed(0)}% 的注意力给了紧邻的前一个字（未训练时约 ${(100 * uniformPrev).toFixed(0)}%）；在重复两遍的随机序列上，${name(bestInd)} 的归纳分数是 ${f2(bestInd.ind)}（均匀注意为 ${chance.toFixed(3)}），第二遍的损失 ${f2(lossSecond)} nats 对第一遍 ${f2(lossFirst)} nats（字符频率的熵是 ${f2(unigramNats)}）。`,
          en: `Roles are measurable too: ${name(bestPrev)} gives ${(100 * bestPrev.t.prevToken).toFixed(0)}% of its attention to the character just before (untrained ≈ ${(100 * uniformPrev).toFixed(0)}%); on random sequences repeated twice, ${name(bestInd)} has induction score ${f2(bestInd.ind)} (uniform ${chance.toFixed(3)}), and the loss on the second copy is ${f2(lossSecond)} nats against ${f2(lossFirst)} on the first (unigram entropy ${f2(unigramNats)}).`,
        },
        {
          zh: '哪些是类比：说自注意力“借鉴了扫视—注视机制”“用查询向量模拟眼球运动”是历史叙述和比喻——注意力一次并行地给所有位置打分，没有眼动那样的先后序列；“与灵长类视觉皮层高度相似”需要把模型和神经记录放在同一刺激下比较，本实验没有这样的数据。能测的只是“选择性聚焦”：熵低于均匀分布。',
          en: 'What is analogy: "borrowed from saccades and fixations" and "query vectors simulate eye movements" are history and metaphor — attention scores all positions at once, in parallel, with no sequence of fixations; "highly similar to primate visual cortex" would need model and neural recordings under the same stimuli, which this experiment does not have. What can be measured is selective focus: entropy below uniform.',
        },
      ];
      const copies = lossSecond < lossFirst - 0.5 && bestInd.ind > 3 * chance;
      findings.splice(2, 0, copies
        ? { zh: `这个模型会在上下文里照抄：第二遍每个字的损失比第一遍低 ${f2(lossFirst - lossSecond)} nats，${name(bestInd)} 的归纳分数是均匀注意的 ${(bestInd.ind / chance).toFixed(0)} 倍。这是可测的“选择性聚焦”：它只看上一次出现之后的那一个位置。`, en: `This model copies from context: the second copy costs ${f2(lossFirst - lossSecond)} nats per character less than the first, and ${name(bestInd)}'s induction score is ${(bestInd.ind / chance).toFixed(0)}× uniform. That is selective focus one can measure: one position, the one after the previous occurrence.` }
        : { zh: `这个模型还没有归纳头：第二遍的损失（${f2(lossSecond)}）没有明显低于第一遍（${f2(lossFirst)}），最高归纳分数 ${f2(bestInd.ind)} 只是均匀注意（${chance.toFixed(3)}）的 ${(bestInd.ind / chance).toFixed(1)} 倍。模型太小或训练太短时常见这种情况。`, en: `This model has no induction head yet: the loss on the second copy (${f2(lossSecond)}) is not clearly below the first (${f2(lossFirst)}), and the best induction score ${f2(bestInd.ind)} is only ${(bestInd.ind / chance).toFixed(1)}× uniform (${chance.toFixed(3)}). Common when the model is small or briefly trained.` });
      const crit = saccadeCriteria({ medianTrained: medT, medianUntrained: medU, minTrained: minT });
      const verdicts = [
        verdictFor('perc.attention-saccade', crit, { median_norm_entropy_trained: medT, median_norm_entropy_untrained: medU, min_norm_entropy_trained: minT, best_prev_token: bestPrev.t.prevToken, best_induction: bestInd.ind }, (v) =>
          v === 'partly'
            ? { zh: `部分成立：“选择性聚焦”测得到——训练后各头归一化熵中位数从 ${f2(medU)} 降到 ${f2(medT)}，最聚焦的头 ${f2(minT)}；但“借鉴扫视—注视、模拟眼球运动”是类比，注意力是并行打分，没有注视的先后顺序，无法用测量证实。`, en: `Partly: selective focus is measured — the median normalised head entropy falls from ${f2(medU)} untrained to ${f2(medT)} trained, the most focused head at ${f2(minT)}; but "borrowed from saccades, simulating eye movements" is an analogy (attention scores every position in parallel, with no sequence of fixations) that no measurement confirms.` }
            : { zh: `未复现：训练后的头没有明显比未训练时聚焦（归一化熵中位数 ${f2(medT)} 对 ${f2(medU)}，降幅不到 0.1；最聚焦的头 ${f2(minT)}）。`, en: `Not reproduced: trained heads are not clearly more focused than untrained ones (median normalised entropy ${f2(medT)} vs ${f2(medU)}, a drop below 0.1; most focused head ${f2(minT)}).` },
        SRC),
        untestable('perc.attention-cortex', {
          zh: '无法检验：判断“与灵长类视觉皮层的神经活动高度相似”需要在同样的刺激下同时得到模型激活和神经记录，再做表征相似性分析（RSA）之类的比较；这里只有一个字符级语言模型，没有视觉刺激，也没有神经数据。原文引用的 [3] 也没有给出这样的研究。',
          en: 'Untestable here: "highly similar to neural activity in primate visual cortex" would need model activations and neural recordings for the same stimuli and a comparison such as representational similarity analysis; we have a character-level language model, no visual stimuli and no neural data. The seed’s citation [3] reports no such study.',
        }),
      ];

      return { metrics, figures, findings, verdicts };
    } finally {
      untrained.dispose();
      model.dispose();
    }
  },
});
