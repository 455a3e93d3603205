/**
 * information.cross-entropy-decomposition — a model's cross-entropy is the data's entropy plus a KL.
 *
 * Claim (seed, 信息论): 「香农熵公式 H(X) = −Σ p(x) log p(x) 直接指导着语言模型对词序列概率分布的建模」
 * — the cost a language model pays is cross-entropy, H(p, q) = H(p) + D_KL(p‖q): the entropy of
 * the data (no model can beat it) plus the model's excess (info.lm-entropy).
 *
 * References: Cover & Thomas, Elements of Information Theory, §2.3 and §5.4 (the penalty for the
 * wrong code is D(p‖q) bits per symbol); Shannon 1951; perplexity = 2^(bits per character).
 *
 * What is measured:
 * 1. A source whose entropy rate is known exactly: a character Markov chain of order k (default 2),
 *    its transitions taken from a Kneser–Ney model of the corpus. Its stationary distribution π and
 *    entropy rate H = Σ_c π(c) H(P(·|c)) are computed exactly; the chain is then sampled, Kneser–Ney
 *    models of order 0..M are fitted to one sample and scored on another. For model orders ≤ k the
 *    KL rate Σ_c π(c) D_KL(P(·|c) ‖ Q(·|c)) is also exact, so the identity CE = H + KL is checked
 *    number against number; for every order, CE − H is the KL the model still pays.
 * 2. The real corpus (90/10 split): held-out bpc and perplexity 2^bpc of Kneser–Ney models of order
 *    0..N and, when `gpt` is set, of the tiny GPT (trained once and shared through the cache with
 *    `gpt.train`); the lowest is our best upper bound on the entropy rate, and each model's gap to it
 *    is a lower bound on its extra KL.
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Bilingual, type ClaimVerdict, type Figure, type Metric, type RunContext } from '../../experiments/contract.js';
import { verdictFor, type Criterion } from '../../experiments/verdict.js';
import { splitText } from '../../data/corpora.js';
import type { Rng } from '../../engine/rng.js';
import { lineChart, type Row, type Spec } from '../../report/charts.js';
import { codePoints, countNGrams, KneserNey } from '../../nn/ngram.js';
import { LENS_GPT_OPTS } from '../../gpt/lens-options.js';

const Params = z.object({
  corpus: z.enum(['shakespeare']).default('shakespeare').describe('corpus for the source chain and the real-text models (an exact Markov source needs a small alphabet)').meta({ zh: '用来构造信源马尔可夫链和真实文本模型的语料（精确的马尔可夫信源需要较小的字母表）' }),
  sourceOrder: z.number().int().min(1).max(2).default(2).describe('order k of the Markov source (characters of context)').meta({ zh: '马尔可夫信源的阶数 k（看前几个字符）' }),
  sampleChars: z.number().int().min(1000).max(5_000_000).default(1_000_000).describe('characters sampled from the source to train the models').meta({ zh: '从信源采样多少个字符来训练模型' }),
  testChars: z.number().int().min(1000).max(2_000_000).default(200_000).describe('characters sampled from the source to score them').meta({ zh: '从信源采样多少个字符来给模型打分' }),
  modelOrders: z.number().int().min(0).max(8).default(5).describe('largest model order M fitted to the sample').meta({ zh: '在样本上拟合的模型最高阶数 M' }),
  realOrders: z.number().int().min(0).max(12).default(6).describe('largest Kneser–Ney order on the real text').meta({ zh: '在真实文本上用 Kneser–Ney 平滑拟合的最高阶数' }),
  maxChars: z.number().int().min(1000).max(2_000_000).default(2_000_000).describe('characters of the corpus used').meta({ zh: '使用语料的字符数' }),
  gpt: z.enum(['none', 'nano', 'baby']).default('none').describe('also score the tiny GPT (trainedGPT; nano is shared with information.attention-mi, baby/2000 steps with gpt.train full)').meta({ zh: '是否也给小型 GPT 打分（nano 与 information.attention-mi 共用同一个模型，baby 训练 2000 步，与 gpt.train 的 full 预设共用）；none 表示不用' }),
  gptSteps: z.number().int().min(1).max(100_000).default(2000).describe('GPT training steps (only when gpt ≠ none)').meta({ zh: 'GPT 的训练步数（只在 gpt 不是 none 时有用）' }),
  gptSeed: z.number().int().min(0).default(1337).describe('seed of the GPT training run (fixed, so the cached model is shared across runs; 1337 = the CLI default of gpt.train)').meta({ zh: 'GPT 训练用的随机种子（固定下来，缓存里的模型才能被多次运行共用；1337 是 gpt.train 命令行的默认值）' }),
  gptTrainIfMissing: z.boolean().default(false).describe('train the GPT when it is not in the cache yet (minutes); otherwise skip it and say so').meta({ zh: '缓存里还没有这个 GPT 时是否现场训练（要几分钟）；否则跳过 GPT 部分并说明原因' }),
});
type P = z.infer<typeof Params>;

/** A Markov chain of order k over an alphabet of size V: P[c·V + x] with contexts c in base V. */
export interface MarkovSource {
  alphabet: string[];
  order: number;
  /** transition probabilities [V^k · V] */
  P: Float64Array;
}

/** The chain's transitions from a Kneser–Ney model of order k, renormalised over the alphabet (no "unknown"). */
export function sourceFromModel(model: KneserNey, alphabet: string[], order: number): MarkovSource {
  const V = alphabet.length;
  const C = V ** order;
  const P = new Float64Array(C * V);
  const ctx: string[] = new Array(order);
  for (let c = 0; c < C; c++) {
    let r = c;
    for (let j = order - 1; j >= 0; j--) {
      ctx[j] = alphabet[r % V]!;
      r = Math.floor(r / V);
    }
    let s = 0;
    for (let x = 0; x < V; x++) s += P[c * V + x] = model.prob(ctx, alphabet[x]!);
    for (let x = 0; x < V; x++) P[c * V + x]! /= s;
  }
  return { alphabet, order, P };
}

/** Stationary distribution π over contexts (power iteration) and the exact entropy rate (bits/char). */
export function stationaryEntropyRate(src: MarkovSource, iters = 2000, tol = 1e-13): { pi: Float64Array; entropyRate: number } {
  const V = src.alphabet.length;
  const C = V ** src.order;
  let pi = new Float64Array(C).fill(1 / C);
  for (let it = 0; it < iters; it++) {
    const next = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      const w = pi[c]!;
      if (w === 0) continue;
      const base = (c * V) % C; // drop the oldest character, append x
      for (let x = 0; x < V; x++) next[base + x]! += w * src.P[c * V + x]!;
    }
    let d = 0;
    for (let c = 0; c < C; c++) d += Math.abs(next[c]! - pi[c]!);
    pi = next;
    if (d < tol) break;
  }
  let h = 0;
  for (let c = 0; c < C; c++) {
    let hc = 0;
    for (let x = 0; x < V; x++) {
      const p = src.P[c * V + x]!;
      if (p > 0) hc -= p * Math.log2(p);
    }
    h += pi[c]! * hc;
  }
  return { pi, entropyRate: h };
}

/** Sample n characters from the chain, starting from a context drawn from π. */
export function sampleSource(src: MarkovSource, pi: Float64Array, n: number, rng: Rng): string[] {
  const V = src.alphabet.length;
  const C = V ** src.order;
  const draw = (probs: ArrayLike<number>, off: number, len: number) => {
    let u = rng.next();
    for (let i = 0; i < len; i++) {
      u -= probs[off + i]!;
      if (u < 0) return i;
    }
    return len - 1;
  };
  let c = draw(pi, 0, C);
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const x = draw(src.P, c * V, V);
    out[i] = src.alphabet[x]!;
    c = (c * V + x) % C;
  }
  return out;
}

/** Exact KL rate Σ_c π(c) D_KL(P(·|c) ‖ Q(·|last m chars of c)) in bits, for a model of order m ≤ k. */
export function klRate(src: MarkovSource, pi: Float64Array, model: KneserNey): number {
  const V = src.alphabet.length;
  const C = V ** src.order;
  const ctx: string[] = new Array(src.order);
  let kl = 0;
  for (let c = 0; c < C; c++) {
    if (pi[c]! < 1e-15) continue;
    let r = c;
    for (let j = src.order - 1; j >= 0; j--) {
      ctx[j] = src.alphabet[r % V]!;
      r = Math.floor(r / V);
    }
    let d = 0;
    for (let x = 0; x < V; x++) {
      const p = src.P[c * V + x]!;
      if (p > 0) d += p * Math.log2(p / model.prob(ctx, src.alphabet[x]!));
    }
    kl += pi[c]! * d;
  }
  return kl;
}

/** The numbers the verdict is computed from. */
export interface DecompositionMeasurement {
  entropyRate: number;
  /** lowest measured CE of any model on the source's test sample */
  minCe: number;
  /** standard error of a CE estimate on the test sample (bits) */
  se: number;
}

/**
 * Criteria, declared before any run. The identity CE = H + KL and CE ≥ H hold by construction
 * (Gibbs' inequality); they are unit tests (test/lenses/information/cross-entropy.test.ts). What can
 * fail is whether minimising cross-entropy on a sample actually recovers the source: the best
 * model's excess over the exact entropy rate, i.e. the KL it still pays.
 */
const CRITERIA = {
  'info.lm-entropy': [
    {
      level: 'reproduced',
      metric: 'best_excess_bits',
      op: '<',
      value: 0.05,
      why: {
        en: 'a stated effect size: within 0.05 bit/char (under 2% of a ~2.8-bit entropy rate) of the exact entropy, the cross-entropy-trained model has found the source distribution up to that KL',
        zh: '事先给定的效应量：与精确熵率相差不到 0.05 比特/字符（不到约 2.8 比特熵率的 2%），说明以交叉熵训练的模型已经把信源分布学到只差这么多 KL',
      },
    },
    { level: 'partly', metric: 'best_excess_bits', op: '<', value: 0.25, why: { en: 'a looser stated size: within a quarter bit, the model is approaching H but still pays a visible KL', zh: '较宽的给定效应量：差距在四分之一比特以内，模型在逼近 H，但仍付出明显的 KL' } },
  ],
} satisfies Record<string, readonly Criterion[]>;

/** info.lm-entropy from the declared criteria: how close to the exact entropy rate minimising CE gets. */
export function judgeDecomposition(m: DecompositionMeasurement): ClaimVerdict {
  const f3 = (v: number) => v.toFixed(3);
  const excess = m.minCe - m.entropyRate;
  return verdictFor(
    'info.lm-entropy',
    CRITERIA['info.lm-entropy'],
    { entropy_rate_bits: m.entropyRate, min_model_ce_bits: m.minCe, best_excess_bits: excess, ce_se_bits: m.se },
    (v) =>
      v === 'reproduced'
        ? {
            en: `On a source of known entropy rate H = ${f3(m.entropyRate)} bits/char, the best cross-entropy-trained model pays ${f3(m.minCe)} (± ${f3(m.se)}): only ${f3(excess)} bits of KL above H. Minimising cross-entropy = H + KL drives the model to the source's distribution; the entropy is the floor it approaches.`,
            zh: `在熵率精确已知（H = ${f3(m.entropyRate)} 比特/字符）的信源上，以交叉熵训练的最好模型付出 ${f3(m.minCe)}（± ${f3(m.se)}）：只比 H 多 ${f3(excess)} 比特的 KL。最小化交叉熵 = H + KL，就是把模型推向信源的分布；熵是它逼近的下限。`,
          }
        : v === 'partly'
          ? {
              en: `The best model approaches H = ${f3(m.entropyRate)} but still pays ${f3(excess)} bits of KL (CE ${f3(m.minCe)}).`,
              zh: `最好的模型在逼近 H = ${f3(m.entropyRate)}，但仍多付 ${f3(excess)} 比特的 KL（交叉熵 ${f3(m.minCe)}）。`,
            }
          : {
              en: `The best model stays ${f3(excess)} bits above the entropy rate H = ${f3(m.entropyRate)}: minimising cross-entropy on this sample did not recover the source.`,
              zh: `最好的模型仍比熵率 H = ${f3(m.entropyRate)} 高 ${f3(excess)} 比特：在这个样本上最小化交叉熵没能学到信源。`,
            },
    'Cover & Thomas 2006, §5.4: the expected code length with the wrong distribution is H(p) + D(p‖q)',
  );
}

/** Per-character −log2 q of a text under a model: mean (bits) and its standard error. */
function scoreWithSe(model: KneserNey, text: readonly string[], history: readonly string[]): { ce: number; se: number } {
  const ctx: string[] = model.order > 0 ? history.slice(-model.order) : [];
  let s = 0;
  let s2 = 0;
  for (const w of text) {
    const b = -Math.log2(model.prob(ctx, w));
    s += b;
    s2 += b * b;
    if (model.order > 0) {
      ctx.push(w);
      if (ctx.length > model.order) ctx.shift();
    }
  }
  const n = text.length;
  const mean = s / n;
  return { ce: mean, se: Math.sqrt(Math.max(0, s2 / n - mean * mean) / n) };
}

async function gptBpc(p: P, ctx: RunContext, val: string): Promise<number | 'not-cached' | undefined> {
  if (p.gpt === 'none') return undefined;
  const { trainedGPT, trainedGPTKey, evalBpc } = await import('../../gpt/index.js');
  // the lenses' shared options, so the trained model comes from the cache when another lens made it
  const opts = { corpus: p.corpus, config: p.gpt, steps: p.gptSteps, seed: p.gptSeed, evalEvery: Math.max(1, Math.round(p.gptSteps / 20)), ...LENS_GPT_OPTS[p.gpt] };
  if (!p.gptTrainIfMissing && !(await ctx.cache.get(trainedGPTKey(opts)))) return 'not-cached';
  const t = await trainedGPT(ctx, opts);
  try {
    // scored on exactly the held-out text the n-gram models are scored on
    const bpc = evalBpc(t.model, t.vocab, val);
    ctx.log(`GPT ${p.gpt} ${p.gptSteps} steps ${t.fromCache ? '(from cache)' : '(trained now)'}: ${bpc.toFixed(3)} bpc on ${val.length} held-out characters`);
    return bpc;
  } finally {
    t.model.dispose();
  }
}

/** One model order fitted to the source sample: test CE (± se), validation CE, and the exact KL where known. */
interface PerOrder {
  order: number;
  ce: number;
  se: number;
  validCe: number;
  kl?: number;
}

interface Measured {
  k: number;
  entropyRate: number;
  perOrder: PerOrder[];
  synthRows: Row[];
  /** name: the English id (metric names derive from it); label: what the figure and the findings show */
  real: { name: string; label: Bilingual; bpc: number }[];
  gpt: number | undefined;
  gptResult: number | 'not-cached' | undefined;
}

/** The source of known entropy and the models fitted to its sample; then the real text's models. */
async function measure(p: P, ctx: RunContext): Promise<Measured> {
    // --- setup: the corpus and the source chain ---------------------------------------------------
    const full = codePoints(await ctx.data.text(p.corpus)).slice(0, p.maxChars);
    const { train, val } = splitText(full.join(''));
    const trainChars = codePoints(train);
    const valChars = codePoints(val);
    const alphabet = [...new Set(trainChars)].sort();
    let k = p.sourceOrder;
    while (k > 1 && alphabet.length ** (k + 1) > 2_000_000) k--; // large alphabets: lower the order
    if (alphabet.length ** (k + 1) > 4_000_000)
      throw new Error(`corpus "${p.corpus}" has ${alphabet.length} distinct characters: too many for an exact Markov source; use shakespeare`);
    ctx.progress(0.02, `source: order-${k} chain over ${alphabet.length} characters`);
    const grams = countNGrams(trainChars, Math.max(k, p.realOrders) + 1);
    const src = sourceFromModel(new KneserNey(trainChars, k, grams), alphabet, k);
    const { pi, entropyRate } = stationaryEntropyRate(src);
    const rng = ctx.rng.fork('source');
    const sample = sampleSource(src, pi, p.sampleChars, rng);
    const test = sampleSource(src, pi, p.testChars, rng);
    const valid = sampleSource(src, pi, p.testChars, rng); // drawn after the test sample, which stays as it was: the order is chosen on this one
    await tick();

    // --- loop 1: models fitted to the source sample -----------------------------------------------
    const sampleGrams = countNGrams(sample, p.modelOrders + 1);
    const synthRows: Row[] = [];
    const exact: { ce: number; hPlusKl: number }[] = [];
    const perOrder: PerOrder[] = [];
    for (let m = 0; m <= p.modelOrders; m++) {
      throwIfAborted(ctx.signal);
      ctx.progress(0.05 + (0.45 * m) / (p.modelOrders + 1), `source sample: order-${m} model`);
      await tick();
      const model = new KneserNey(sample, m, sampleGrams);
      const { ce, se } = scoreWithSe(model, test, sample);
      const row: PerOrder = { order: m, ce, se, validCe: scoreWithSe(model, valid, sample).ce };
      synthRows.push({ order: m, bits: ce, quantity: { en: 'measured cross-entropy on fresh samples', zh: '新样本上实测的交叉熵' } });
      if (m <= k) {
        const kl = klRate(src, pi, model);
        row.kl = kl;
        exact.push({ ce, hPlusKl: entropyRate + kl });
        synthRows.push({ order: m, bits: entropyRate + kl, quantity: { en: 'H + exact KL rate', zh: 'H + 精确 KL 率' } });
      }
      perOrder.push(row);
    }
    for (const m of [0, p.modelOrders]) synthRows.push({ order: m, bits: entropyRate, quantity: { en: `entropy rate H = ${entropyRate.toFixed(3)} (exact)`, zh: `熵率 H = ${entropyRate.toFixed(3)}（精确）` } });

    // --- loop 2: the real text --------------------------------------------------------------------
    const real: { name: string; label: Bilingual; bpc: number }[] = [];
    for (let m = 0; m <= p.realOrders; m++) {
      throwIfAborted(ctx.signal);
      ctx.progress(0.5 + (0.3 * m) / (p.realOrders + 1), `real text: order-${m} Kneser–Ney`);
      await tick();
      const model = new KneserNey(trainChars, m, grams);
      real.push({ name: `KN order ${m}`, label: { en: `KN order ${m}`, zh: `KN ${m} 阶` }, bpc: model.crossEntropyBits(valChars, m > 0 ? trainChars.slice(-m) : []) });
    }
    ctx.progress(0.82, p.gpt === 'none' ? 'done with n-grams' : `tiny GPT (${p.gpt})`);
    const gptResult = await gptBpc(p, ctx, val);
    const gpt = typeof gptResult === 'number' ? gptResult : undefined;
    if (gpt !== undefined) real.push({ name: `GPT ${p.gpt} ${p.gptSteps} steps`, label: { en: `GPT ${p.gpt} ${p.gptSteps} steps`, zh: `GPT ${p.gpt} ${p.gptSteps} 步` }, bpc: gpt });

    return { k, entropyRate, perOrder, synthRows, real, gpt, gptResult };
}

const f3 = (v: number) => v.toFixed(3);
const bestReal = (d: Measured) => d.real.reduce((a, b) => (b.bpc < a.bpc ? b : a));
/** the rows of the real-text table (plain English names) and, with `bilingual`, of its figure */
const realRowsOf = (d: Measured, bilingual = false): Row[] => d.real.map((r) => ({ model: bilingual ? r.label : r.name, bpc: r.bpc, perplexity: 2 ** r.bpc, gap: r.bpc - bestReal(d).bpc }));

function figures(p: P, d: Measured): Figure[] {
  const { k, synthRows } = d;
  const best = bestReal(d);
  const realRows = realRowsOf(d, true);
    const synthLines = lineChart({
      title: { en: `A source of known entropy: cross-entropy = H + KL (order-${k} chain from ${p.corpus})`, zh: `熵已知的信源：交叉熵 = H + KL（由 ${p.corpus} 构造的 ${k} 阶链）` },
      data: synthRows,
      x: { field: 'order', title: { en: 'model order m (characters of context)', zh: '模型阶数 m（上下文字符数）' } },
      y: { field: 'bits', title: { en: 'bits per character', zh: '每字符比特数' } },
      color: { field: 'quantity', title: '' },
      width: 460,
      height: 280,
    });
    // the colours of the English figure in both languages (a nominal scale sorts the localized names, so Chinese would reorder them)
    const quantities = [...new Map(synthRows.map((r) => [(r.quantity as Bilingual).en, r.quantity as Bilingual])).values()].sort((a, b) => (a.en < b.en ? -1 : a.en > b.en ? 1 : 0));
    (((synthLines.layer as Spec[])[0]!.encoding as Spec).color as Spec).scale = { domain: quantities };
    // the measured values again as large open circles, so they stay visible where they sit on H + KL
    const synthSpec = {
      ...synthLines,
      layer: [
        ...(synthLines.layer as object[]),
        {
          data: { values: synthRows.filter((r) => (r.quantity as Bilingual).en.startsWith('measured')) },
          mark: { type: 'point', size: 110, strokeWidth: 2 },
          encoding: { x: { field: 'order', type: 'quantitative' }, y: { field: 'bits', type: 'quantitative' }, color: { field: 'quantity', type: 'nominal' } },
        },
      ],
    };
    const realSpec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { en: `${p.corpus}, held-out: bits per character (bar) and perplexity 2^bpc (label)`, zh: `${p.corpus} 留出集：每字符比特数（柱）与困惑度 2^bpc（标注）` },
      width: 460,
      height: 260,
      data: { values: realRows },
      layer: [
        { mark: 'bar', encoding: { x: { field: 'model', type: 'nominal', sort: null, title: '' }, y: { field: 'bpc', type: 'quantitative', title: { en: 'held-out bits per character', zh: '留出集每字符比特数' } }, tooltip: [{ field: 'model' }, { field: 'bpc', format: '.3f' }, { field: 'perplexity', format: '.2f' }, { field: 'gap', format: '.3f' }] } },
        { mark: { type: 'text', dy: -6, fontSize: 10 }, encoding: { x: { field: 'model', type: 'nominal', sort: null }, y: { field: 'bpc', type: 'quantitative' }, text: { field: 'perplexity', type: 'quantitative', format: '.1f' } } },
        { data: { values: [{ v: best.bpc }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#888' }, encoding: { y: { field: 'v', type: 'quantitative' } } },
      ],
    };

  return [
        {
          id: 'source-decomposition',
          title: { en: 'Cross-entropy against the exact entropy rate', zh: '交叉熵与精确熵率' },
          spec: synthSpec,
          caption: {
            en: 'Measured cross-entropy (circles) sits on the H + exact KL line wherever both are known, and never below H.',
            zh: '凡是两者都能算出的地方，实测交叉熵（圆圈）都落在 H + 精确 KL 的线上，而且从不低于 H。',
          },
        },
        {
          id: 'real-text-bpc',
          title: { en: 'Real text: bits per character and perplexity', zh: '真实文本：每字符比特数与困惑度' },
          spec: realSpec,
          caption: { en: 'Labels are perplexities 2^bpc; the dashed line is the best model.', zh: '标注是困惑度 2^bpc；虚线是最好的模型。' },
        },
      ];
}

function verdicts(p: P, d: Measured): { metrics: Metric[]; findings: Bilingual[]; verdicts: ClaimVerdict[] } {
  const { k, entropyRate, perOrder, real, gpt, gptResult } = d;
  const best = bestReal(d);
  // the order is chosen on the validation sample; the verdict reads its test cross-entropy
  const chosen = perOrder.reduce((a, b) => (b.validCe < a.validCe ? b : a));
  const minCe = chosen.ce;
  const se = Math.max(...perOrder.map((r) => r.se));
    const metrics: Metric[] = [
      { name: 'source_entropy_rate', value: entropyRate, unit: 'bits/char', label: { en: `exact entropy rate of the order-${k} source`, zh: `${k} 阶信源的精确熵率` } },
      ...perOrder.flatMap((r) => [
        { name: `source_ce_order_${r.order}`, value: r.ce, unit: 'bits/char' },
        ...(r.kl !== undefined ? [{ name: `source_kl_exact_order_${r.order}`, value: r.kl, unit: 'bits/char' }] : []),
        { name: `source_kl_measured_order_${r.order}`, value: r.ce - entropyRate, unit: 'bits/char', label: { en: 'CE − H', zh: 'CE − H' } },
      ]),
      ...real.map((r) => ({ name: `real_bpc_${r.name.replace(/[^a-z0-9]+/gi, '_').replace(/^_+|_+$/g, '').toLowerCase()}`, value: r.bpc, unit: 'bits/char' })),
      { name: 'real_best_bpc', value: best.bpc, unit: 'bits/char', label: { en: `best estimate (${best.name})`, zh: `最佳估计（${best.label.zh}）` } },
      { name: 'real_best_perplexity', value: 2 ** best.bpc, unit: '1' },
      { name: 'source_chosen_order', value: chosen.order, unit: 'characters of context' },
      ...(gpt !== undefined ? [{ name: 'gpt_val_bpc', value: gpt, unit: 'bits/char', ...(p.gpt === 'baby' && p.gptSteps === 2000 && p.corpus === 'shakespeare' ? { reference: { value: 2.71, source: 'nanoGPT baby GPT: 1.88 nats' } } : {}) }] : []),
    ];

    const exactList = perOrder.filter((r) => r.kl !== undefined).map((r) => `order ${r.order}: measured ${f3(r.ce)} ≈ H ${f3(entropyRate)} + KL ${f3(r.kl!)} = ${f3(entropyRate + r.kl!)}`);
    const exactListZh = perOrder.filter((r) => r.kl !== undefined).map((r) => `${r.order} 阶：${f3(r.ce)} ≈ ${f3(entropyRate)} + ${f3(r.kl!)}`);
    const hi = perOrder.filter((r) => r.order > k);
    const findings: Bilingual[] = [
      {
        en: `The order-${k} source built from ${p.corpus} has an exact entropy rate of ${f3(entropyRate)} bits/char. Models fitted to ${p.sampleChars.toLocaleString('en')} sampled characters and scored on ${p.testChars.toLocaleString('en')} fresh ones: ${exactList.join('; ')} (± ${f3(se)} sampling error).`,
        zh: `由 ${p.corpus} 构造的 ${k} 阶信源，精确熵率为 ${f3(entropyRate)} 比特/字符。在 ${p.sampleChars} 个抽样字符上拟合模型、在另外 ${p.testChars} 个新样本上评分：${exactListZh.join('；')}（抽样误差 ± ${f3(se)}）。`,
      },
      ...(hi.length
        ? [
            {
              en: `Orders above the source's (${hi.map((r) => `${r.order}: ${f3(r.ce)}`).join(', ')}) cannot go below H = ${f3(entropyRate)}; their extra ${hi.map((r) => f3(r.ce - entropyRate)).join(', ')} bits are KL paid for estimating more contexts from the same sample.`,
              zh: `高于信源阶数的模型（${hi.map((r) => `${r.order} 阶 ${f3(r.ce)}`).join('，')}）都不可能低于 H = ${f3(entropyRate)}；多出来的 ${hi.map((r) => f3(r.ce - entropyRate)).join('、')} 比特，是用同样多的样本去估计更多上下文所付出的 KL。`,
            },
          ]
        : []),
      {
        en: `On real ${p.corpus} text: ${real.map((r) => `${r.name} ${f3(r.bpc)} bpc (perplexity ${(2 ** r.bpc).toFixed(2)})`).join(', ')}. The best, ${best.name} at ${f3(best.bpc)}, is our upper bound on the entropy rate; every other model pays at least its gap in extra KL.`,
        zh: `在真实的 ${p.corpus} 文本上：${real.map((r) => `${r.label.zh} ${f3(r.bpc)} 比特/字符（困惑度 ${(2 ** r.bpc).toFixed(2)}）`).join('，')}。最好的 ${best.label.zh}（${f3(best.bpc)}）是我们对熵率的上界估计；其他每个模型至少多付出与它之差那么多的 KL。`,
      },
    ];
    if (gptResult === 'not-cached')
      findings.push({
        en: `The tiny GPT (${p.gpt}, ${p.gptSteps} steps, seed ${p.gptSeed}) is not in the cache yet, so it is left out; run \`gpt.train --preset full --seed ${p.gptSeed}\` first, or set gptTrainIfMissing=true.`,
        zh: `小 GPT（${p.gpt}，${p.gptSteps} 步，种子 ${p.gptSeed}）还不在缓存里，所以这次没有算它；请先运行 \`gpt.train --preset full --seed ${p.gptSeed}\`，或设置 gptTrainIfMissing=true。`,
      });
  return { metrics, findings, verdicts: [judgeDecomposition({ entropyRate, minCe, se })] };
}

export const crossEntropyDecomposition = defineExperiment({
  id: 'information.cross-entropy-decomposition',
  lens: 'information',
  title: { en: 'Cross-entropy = entropy + KL', zh: '交叉熵 = 熵 + KL 散度' },
  summary: {
    en: "A language model's loss is its cross-entropy with the data: the data's own entropy, which nobody can beat, plus the KL divergence the model still pays. On a character source whose entropy rate we know exactly the split is checked number against number; on real text we show bits per character, perplexity 2^bpc and each model's gap to the best estimate.",
    zh: '语言模型的损失是它与数据之间的交叉熵：数据自身的熵（谁也越不过去）加上模型还要付出的 KL 散度。在熵率精确已知的字符信源上，我们逐个数字核对这一分解；在真实文本上，给出每字符比特数、困惑度 2^bpc，以及每个模型与最佳估计的差距。',
  },
  claims: ['info.lm-entropy'],
  params: Params,
  criteria: CRITERIA,
  presets: {
    quick: { sourceOrder: 1, sampleChars: 30_000, testChars: 20_000, modelOrders: 2, realOrders: 2, maxChars: 60_000 },
    full: { gpt: 'nano', gptSteps: 4000 },
  },
  formulas: [
    { tex: 'H(p,q) = -\\sum_x p(x)\\log_2 q(x) = H(p) + D_{\\mathrm{KL}}(p\\,\\|\\,q)', label: { en: 'the decomposition', zh: '分解式' } },
    { tex: 'H_\\infty = \\sum_c \\pi(c)\\, H\\big(P(\\cdot\\mid c)\\big)', label: { en: 'entropy rate of a Markov source', zh: '马尔可夫信源的熵率' } },
    { tex: '\\mathrm{PPL} = 2^{\\text{bits/char}} = e^{\\text{nats/char}}', label: { en: 'perplexity', zh: '困惑度' } },
  ],

  async run(p: P, ctx) {
    const d = await measure(p, ctx);
    return { ...verdicts(p, d), figures: figures(p, d), tables: [{ id: 'real-text', title: { en: 'Real text', zh: '真实文本' }, rows: realRowsOf(d) as Record<string, string | number>[] }] };
  },
});
