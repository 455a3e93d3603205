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
import { defineExperiment, throwIfAborted, tick, type Bilingual, type ClaimVerdict, type Metric } from '../../experiments/contract.js';
import { untestable, verdictFor } from '../../experiments/verdict.js';
import { tf } from '../../engine/tf.js';
import { splitText } from '../../data/corpora.js';
import { concat, heatmap, type Row } from '../../report/charts.js';
import { LENS_GPT_OPTS } from '../../gpt/lens-options.js';

const Params = z.object({
  config: z.enum(['nano', 'baby']).default('nano').describe('tiny GPT configuration (nano: 2 layers × 2 heads, context 32; baby: 4 × 4, context 64)'),
  steps: z.number().int().min(1).max(100_000).default(4000).describe('GPT training steps (trained once, then served from the cache)'),
  gptSeed: z.number().int().min(0).default(1337).describe('seed of the GPT training run (fixed so the cached model is shared across runs)'),
  windows: z.number().int().min(1).max(512).default(64).describe('held-out windows of one context length each, on which attention is read'),
  smoothing: z.number().min(0).max(10).default(0.5).describe('add-α smoothing of the pair counts behind PMI'),
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

/**
 * info.attention-mi: reproduced when the trained heads' mean within-offset correlation with PMI
 * exceeds 0.3 and beats initialisation by 0.2; partly when at least one head exceeds 0.3.
 */
export function judgeAttentionMi(m: { meanWithin: number; maxWithin: number; initMeanWithin: number; meanRecency: number }): ClaimVerdict {
  const f2 = (v: number) => v.toFixed(2);
  return verdictFor(
    'info.attention-mi',
    { reproduced: m.meanWithin > 0.3 && m.meanWithin > m.initMeanWithin + 0.2, partly: m.maxWithin > 0.3 },
    { mean_within_offset_spearman: m.meanWithin, max_within_offset_spearman: m.maxWithin, init_mean_within_offset_spearman: m.initMeanWithin, mean_recency_spearman: m.meanRecency },
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

export const attentionMi = defineExperiment({
  id: 'information.attention-mi',
  lens: 'information',
  title: { en: 'Does attention follow mutual information?', zh: '注意力在跟随互信息吗？' },
  summary: {
    en: 'The seed says self-attention computes the mutual information between tokens. We train a tiny character GPT and compare, head by head, where it attends with the pointwise mutual information of the character pair at that distance, counted on the corpus — at initialisation and after training, with and without the effect of distance.',
    zh: '种子答案说自注意力在计算词元之间的互信息。我们训练一个小的字符级 GPT，逐个注意力头比较它关注的位置与该距离上字符对的点互信息（在语料上计数得到）——对照初始化与训练之后，并区分是否扣除距离的影响。',
  },
  claims: ['info.attention-mi', 'info.mi-threshold'],
  params: Params,
  presets: {
    quick: { steps: 30, windows: 8 },
    full: {},
  },
  formulas: [
    { tex: '\\mathrm{PMI}_d(a,b) = \\log_2 \\frac{p(x_{t-d}=a,\\, x_t=b)}{p(a)\\,p(b)}', label: { en: 'pointwise mutual information at offset d', zh: '距离 d 上的点互信息' } },
    { tex: 'a_{ij} = \\mathrm{softmax}_j\\big(q_i\\cdot k_j/\\sqrt{D}\\big)', label: { en: 'what attention actually computes', zh: '注意力实际计算的量' } },
  ],

  async run(p: P, ctx) {
    const { trainedGPT, GPT } = await import('../../gpt/index.js');
    ctx.progress(0.01, `tiny GPT ${p.config}, ${p.steps} steps (trained once, then cached)`);
    const t = await trainedGPT(
      { ...ctx, progress: (f, m) => ctx.progress(0.01 + 0.8 * f, m) },
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
      ctx.progress(0.82, 'pair counts and PMI');
      await tick();
      const pmi = pmiTables(vocab.encode(train), V, T - 1, p.smoothing);
      const valTok = vocab.encode(val);
      const B = Math.min(p.windows, Math.floor(valTok.length / T));
      const tokens = valTok.slice(0, B * T);
      throwIfAborted(ctx.signal);

      const measure = (m: typeof model) => {
        const att = tf.tidy(() => {
          const { attention } = m.forward(tf.tensor2d(tokens, [B, T], 'int32'), { returnAttention: true });
          return attention!.map((a) => a.dataSync() as Float32Array);
        });
        return headCorrelations(att, tokens, B, H, T, V, pmi);
      };
      ctx.progress(0.88, 'attention of the trained model');
      await tick();
      const trained = measure(model);
      ctx.progress(0.94, 'attention at initialisation');
      await tick();
      const untrained = measure(init);

      // --- measurement ---------------------------------------------------------------------------
      const mean = (xs: number[]) => xs.filter(Number.isFinite).reduce((a, b) => a + b, 0) / Math.max(1, xs.filter(Number.isFinite).length);
      const meanWithin = mean(trained.map((h) => h.withinOffset));
      const maxWithin = Math.max(...trained.map((h) => h.withinOffset).filter(Number.isFinite));
      const initMeanWithin = mean(untrained.map((h) => h.withinOffset));
      const meanRecency = mean(trained.map((h) => h.recency));
      const meanOverall = mean(trained.map((h) => h.overall));
      const f2 = (v: number) => v.toFixed(2);
      const metrics: Metric[] = [
        { name: 'gpt_val_bpc', value: t.valBpc, unit: 'bits/char', label: { en: 'the GPT analysed, held-out', zh: '所分析 GPT 的留出集比特/字符' } },
        { name: 'mean_within_offset_spearman', value: meanWithin, unit: '1' },
        { name: 'max_within_offset_spearman', value: maxWithin, unit: '1' },
        { name: 'init_mean_within_offset_spearman', value: initMeanWithin, unit: '1' },
        { name: 'mean_overall_spearman', value: meanOverall, unit: '1' },
        { name: 'mean_recency_spearman', value: meanRecency, unit: '1' },
        ...trained.flatMap((h) => [
          { name: `L${h.layer}H${h.head}_within_offset_spearman`, value: h.withinOffset, unit: '1' },
          { name: `L${h.layer}H${h.head}_overall_spearman`, value: h.overall, unit: '1' },
        ]),
      ];

      // --- figures ------------------------------------------------------------------------------
      const cell = (hs: HeadCorrelation[], key: 'withinOffset' | 'overall' | 'recency', model: string): Row[] =>
        hs.map((h) => ({ layer: `layer ${h.layer}`, head: `head ${h.head}`, rho: h[key], model }));
      const hm = (rows: Row[], title: string) =>
        heatmap({ title, data: rows, x: { field: 'head', title: 'head' }, y: { field: 'layer', title: 'layer' }, color: { field: 'rho', title: 'Spearman ρ', scheme: 'redblue', domain: [-1, 1] }, width: 160, height: 120 });
      const spec = concat('Spearman(attention, PMI) per head', [
        hm(cell(trained, 'withinOffset', 'trained'), 'trained, within offset'),
        hm(cell(trained, 'overall', 'trained'), 'trained, all pairs'),
        hm(cell(trained, 'recency', 'trained'), 'trained, vs −offset (recency)'),
        hm(cell(untrained, 'withinOffset', 'init'), 'initialisation, within offset'),
      ]);

      // --- findings and verdicts -------------------------------------------------------------------
      const best = trained.reduce((a, b) => (b.withinOffset > a.withinOffset ? b : a));
      const findings: Bilingual[] = [
        {
          en: `The ${p.config} GPT (${model.config.nLayer} layers × ${H} heads, ${p.steps} steps, ${f2(t.valBpc)} bpc held out), read on ${B} held-out windows of ${T} characters: Spearman between attention and PMI over all pairs averages ${f2(meanOverall)} per head; within a fixed offset it averages ${f2(meanWithin)} (best: layer ${best.layer} head ${best.head}, ${f2(best.withinOffset)}), against ${f2(initMeanWithin)} at initialisation.`,
          zh: `${p.config} GPT（${model.config.nLayer} 层 × ${H} 头，训练 ${p.steps} 步，留出集 ${f2(t.valBpc)} 比特/字符），在 ${B} 个长 ${T} 字的留出窗口上读取注意力：所有字符对上注意力与 PMI 的 Spearman 相关平均为 ${f2(meanOverall)}；固定距离内平均为 ${f2(meanWithin)}（最好的是第 ${best.layer} 层第 ${best.head} 个头，${f2(best.withinOffset)}），初始化时为 ${f2(initMeanWithin)}。`,
        },
        {
          en: `PMI falls with distance and so does most attention (mean Spearman with −offset ${f2(meanRecency)}): the all-pairs correlation is largely recency, which is why the within-offset number is the test.`,
          zh: `PMI 随距离衰减，大多数注意力也是（与 −距离 的平均 Spearman 为 ${f2(meanRecency)}）：所有字符对上的相关性很大程度上只是“关注最近的字”，所以固定距离内的相关才是真正的检验。`,
        },
      ];
      const keys = (h: HeadCorrelation) => h.topKeys.map((k) => `${JSON.stringify(vocab.decode([k.token]))} ×${k.relAttention.toFixed(1)}`).join(' ');
      findings.push({
        en: `What the heads prefer instead (mean attention relative to uniform, by key character): ${trained.map((h) => `L${h.layer}H${h.head} ${keys(h)}`).join('; ')}.`,
        zh: `这些注意力头实际偏好的是（按被关注的字符统计，相对均匀分布的平均注意力倍数）：${trained.map((h) => `L${h.layer}H${h.head} ${keys(h)}`).join('；')}。`,
      });
      const verdicts: ClaimVerdict[] = [
        judgeAttentionMi({ meanWithin, maxWithin, initMeanWithin, meanRecency }),
        untestable(
          'info.mi-threshold',
          {
            en: `No source: we know of no study showing that a head's captured mutual information passing a threshold makes language ability jump; the seed cites a blog. The closest published phase change is the abrupt formation of induction heads with in-context learning (Olsson et al. 2022), which concerns copying, not an MI threshold. Our heads' PMI correlations (mean ${f2(meanWithin)} within offset) give no threshold to test.`,
            zh: `没有出处：我们不知道有研究表明“注意力头捕获的互信息超过阈值时语言能力会飞跃”；种子引用的是一篇博客。最接近的已发表“相变”是归纳头（induction heads）形成时上下文学习能力的突然出现（Olsson 等 2022），那关乎复制，而不是互信息阈值。我们测得的 PMI 相关（固定距离内平均 ${f2(meanWithin)}）也给不出可检验的阈值。`,
          },
          'Olsson et al. 2022, "In-context learning and induction heads"',
        ),
      ];

      return {
        metrics,
        figures: [
          {
            id: 'attention-pmi-heads',
            title: { en: 'Attention against PMI, per head', zh: '各注意力头：注意力与 PMI 的相关' },
            spec,
            caption: {
              en: 'Blue: the head attends more to pairs with higher PMI (or, third panel, to nearer keys); the within-offset panel removes the shared effect of distance.',
              zh: '蓝色表示该头更关注 PMI 高的字符对（第三栏：更关注近处的字）；“固定距离内”一栏扣除了距离带来的共同效应。',
            },
          },
        ],
        findings,
        verdicts,
        tables: [
          {
            id: 'heads',
            title: { en: 'Per head', zh: '各头' },
            rows: trained.map((h, i) => ({ layer: h.layer, head: h.head, within_offset: h.withinOffset, overall: h.overall, recency: h.recency, init_within_offset: untrained[i]!.withinOffset, top_keys: keys(h) })),
          },
        ],
      };
    } finally {
      model.dispose();
      init.dispose();
    }
  },
});
