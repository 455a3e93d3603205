/**
 * compression.context-mixing — inside the compressor of `fivelens zip`: which context predicts what.
 *
 * Claim (seed, 「语言建模就是压缩」): a language model is a compressor, and a compressor is many small
 * models whose opinions are mixed. Papers: Mahoney 2005, "Adaptive weighing of context models for
 * lossless data compression" (logistic mixing, online gradient descent on the code length); lpaq1 and
 * zpaq (Mahoney 2007, 2009: order-k, word and match models, APM/SSE stages). No verdict: the figure
 * shows the mechanism; how well the whole does against zpaq and PPMd is `npm run bench:zip`.
 *
 * The text is coded by the default model (src/zip/cm2.ts) bit by bit; for every model the cost its own
 * prediction would have had, −log₂ p(bit), is added up per window of bytes beside the cost of the
 * mixer's output and of the final probability (after the APM stages), and the mixer's weights are
 * read at the end of every window.
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Figure, type Metric, type Bilingual } from '../../experiments/contract.js';
import { CM2, CM2_MODELS, CM2_MODEL_INPUTS } from '../../zip/cm2.js';
import { squash } from '../../zip/cm-parts.js';
import { lineChart, concat, type Row, type Spec } from '../../report/charts.js';

const Params = z.object({
  corpora: z
    .array(z.enum(['shakespeare', 'tang']))
    .default(['shakespeare', 'tang'])
    .describe('texts coded (English: tiny shakespeare; Chinese: 300 Tang poems)')
    .meta({ zh: '要编码的文本（英文：tiny shakespeare；中文：唐诗三百首）' }),
  bytes: z.number().int().min(1000).max(2_000_000).default(80000).describe('bytes coded from the start of each text').meta({ zh: '从每段文本开头编码的字节数' }),
  window: z.number().int().min(100).max(100000).default(2000).describe('bytes per point of the curves').meta({ zh: '曲线上每个点对应的字节数' }),
  tableBits: z.number().int().min(12).max(24).default(22).describe('log2 of the counters per hashed context').meta({ zh: '每个哈希上下文的计数器个数（log2）' }),
});
type P = z.infer<typeof Params>;

/** The models drawn (a selection, so the figure stays readable), by name in CM2_MODELS. */
const SHOWN = ['order 0', 'order 1', 'order 2', 'order 3', 'order 4', 'line', 'word', 'char 1', 'chars 2', 'match'] as const;

/** What a learner reads for each model in the legends. */
const MODEL_LABEL: Record<string, Bilingual> = {
  'order 0': { en: 'order 0', zh: '0 阶' },
  'order 1': { en: 'order 1', zh: '1 阶' },
  'order 2': { en: 'order 2', zh: '2 阶' },
  'order 3': { en: 'order 3', zh: '3 阶' },
  'order 4': { en: 'order 4', zh: '4 阶' },
  line: { en: 'line (column, byte above)', zh: '行（列位置、上一行同列的字节）' },
  word: { en: 'word', zh: '单词' },
  'char 1': { en: 'last character', zh: '前 1 个字符' },
  'chars 2': { en: 'last 2 characters', zh: '前 2 个字符' },
  match: { en: 'match (long repeats)', zh: '匹配（长重复）' },
  mixer: { en: 'mixer', zh: '混合器' },
  'final (APM)': { en: 'final (after APM)', zh: '最终（APM 之后）' },
};

interface Trace {
  corpus: string;
  /** per window: bits per byte of each shown model, of the mixer and of the final probability */
  cost: Row[];
  /** per window: the mixer's mean weight on each shown model */
  weights: Row[];
  total: Record<string, number>;
  bytes: number;
}

const bitCost = (p12: number, bit: number) => -Math.log2(bit ? p12 / 4096 : 1 - p12 / 4096);

/** Code `data` with cm2, metering every model. */
async function trace(corpus: string, data: Uint8Array, p: P, signal: AbortSignal): Promise<Trace> {
  const m = new CM2({ tableBits: p.tableBits });
  const shown = SHOWN.map((n) => CM2_MODELS.indexOf(n));
  const acc = new Float64Array(shown.length + 2);
  const total = new Float64Array(shown.length + 2);
  const cost: Row[] = [];
  const weights: Row[] = [];
  const names = [...SHOWN, 'mixer', 'final (APM)'];
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    for (let b = 7; b >= 0; b--) {
      const bit = (c >> b) & 1;
      const pf = m.p();
      shown.forEach((mi, k) => (acc[k] = acc[k]! + bitCost(Math.min(4095, Math.max(1, squash(m.st[CM2_MODEL_INPUTS[mi]![0]!]!))), bit)));
      acc[shown.length] = acc[shown.length]! + bitCost(m.mixerP(), bit);
      acc[shown.length + 1] = acc[shown.length + 1]! - Math.log2(bit ? pf / 65536 : 1 - pf / 65536);
      m.update(bit);
    }
    if ((i + 1) % p.window === 0 || i === data.length - 1) {
      const n = (i % p.window) + 1;
      names.forEach((name, k) => {
        cost.push({ corpus, byte: i + 1, model: MODEL_LABEL[name]!, bpb: +(acc[k]! / n).toFixed(4) });
        total[k] = total[k]! + acc[k]!;
        acc[k] = 0;
      });
      shown.forEach((mi, k) => weights.push({ corpus, byte: i + 1, model: MODEL_LABEL[SHOWN[k]!]!, weight: +meanWeight(m, mi).toFixed(4) }));
      throwIfAborted(signal);
      await tick();
    }
  }
  return { corpus, cost, weights, bytes: data.length, total: Object.fromEntries(names.map((n, k) => [n, total[k]! / data.length])) };
}

/** Mean over the weight sets of the partial-byte mixer of the weights on one model's inputs (1 = 65536). */
function meanWeight(m: CM2, model: number): number {
  const w = m.mB.w;
  const n = m.mB.nInputs;
  let s = 0;
  for (let set = 0; set < m.mB.nSets; set++) for (const i of CM2_MODEL_INPUTS[model]!) s += w[set * n + i]!;
  return s / m.mB.nSets / 65536;
}

async function measure(p: P, text: (c: string) => Promise<string>, progress: (f: number, msg: string) => void, signal: AbortSignal): Promise<Trace[]> {
  const out: Trace[] = [];
  for (const [k, c] of p.corpora.entries()) {
    progress(k / p.corpora.length, c);
    const data = new TextEncoder().encode(await text(c)).subarray(0, p.bytes);
    out.push(await trace(c, data, p, signal));
  }
  return out;
}

const LABEL: Record<string, Bilingual> = { shakespeare: { en: 'English (tiny shakespeare)', zh: '英文（tiny shakespeare）' }, tang: { en: 'Chinese (Tang poems)', zh: '中文（唐诗）' } };

/** Twelve curves: the default palette has ten colours (order 1 and line, order 0 and the mixer shared one); use twenty. */
function manyColours(spec: Spec): Spec {
  const color = ((spec.layer as Spec[])[0]!.encoding as Spec).color as Spec;
  color.scale = { scheme: 'tableau20' };
  return spec;
}

function figures(traces: Trace[], p: P): Figure[] {
  const charts = (rows: (t: Trace) => Row[], y: Parameters<typeof lineChart>[0]['y']) =>
    traces.map((t) => manyColours(lineChart({ title: LABEL[t.corpus]!, data: rows(t), x: { field: 'byte', title: { en: 'bytes coded', zh: '已编码字节数' } }, y, color: { field: 'model', title: { en: 'model', zh: '模型' } } })));
  const costCharts = charts((t) => t.cost, { field: 'bpb', title: { en: `bits per byte (mean of ${p.window} bytes)`, zh: `每字节比特数（每 ${p.window} 字节的平均）` }, domain: [0, 8] });
  const weightCharts = charts((t) => t.weights, { field: 'weight', title: { en: 'mixer weight (mean over weight sets)', zh: '混合器权重（各权重组的平均）' } });
  return [
    {
      id: 'bits-per-model',
      title: { en: 'What each context would cost alone, and what mixing costs', zh: '每个上下文单独使用的代价，与混合后的代价' },
      spec: concat({ en: 'Bits per byte along the text', zh: '沿文本的每字节比特数' }, costCharts),
      caption: {
        en: 'No single context is best everywhere: low orders win at the start, high orders and the match model once the text repeats itself; the mixer follows the best of them and the APM stages shave a little more.',
        zh: '没有哪个上下文处处最好：开头低阶上下文占优，文本开始重复后高阶上下文和匹配模型占优；混合器紧跟其中最好的，APM 阶段再省下一点。',
      },
    },
    {
      id: 'mixer-weights',
      title: { en: 'The mixer learns whom to trust', zh: '混合器学会信任谁' },
      spec: concat({ en: 'Mixer weights along the text', zh: '沿文本的混合器权重' }, weightCharts),
      caption: {
        en: 'Online gradient descent on the code length moves weight toward the contexts that predict this text: in Chinese the whole-character contexts (char 1, chars 2) gain where byte orders would split a character.',
        zh: '以码长为目标的在线梯度下降把权重移向能预测这段文本的上下文：在中文里，整字上下文（char 1、chars 2）在字节阶会把一个汉字切开的地方占了上风。',
      },
    },
  ];
}

function metrics(traces: Trace[]): Metric[] {
  return traces.flatMap((t) => [
    { name: `${t.corpus}_final_bpb`, value: +t.total['final (APM)']!.toFixed(4), unit: 'bits/byte', label: { en: `${LABEL[t.corpus]!.en}: the whole model`, zh: `${LABEL[t.corpus]!.zh}：整个模型` } },
    { name: `${t.corpus}_mixer_bpb`, value: +t.total.mixer!.toFixed(4), unit: 'bits/byte', label: { en: `${LABEL[t.corpus]!.en}: the mixer, before APM`, zh: `${LABEL[t.corpus]!.zh}：混合器（APM 之前）` } },
    ...SHOWN.map((n) => ({ name: `${t.corpus}_${n.replace(/ /g, '_')}_bpb`, value: +t.total[n]!.toFixed(4), unit: 'bits/byte', label: { en: `${LABEL[t.corpus]!.en}: ${n} alone`, zh: `${LABEL[t.corpus]!.zh}：仅 ${n}` } })),
  ]);
}

function findings(traces: Trace[]): Bilingual[] {
  return traces.map((t) => {
    const best = SHOWN.reduce((a, b) => (t.total[b]! < t.total[a]! ? b : a));
    const f = t.total['final (APM)']!;
    return {
      en: `${LABEL[t.corpus]!.en}, ${t.bytes} bytes: the best single context (${best}) costs ${t.total[best]!.toFixed(3)} bits/byte alone; mixing all of them costs ${t.total.mixer!.toFixed(3)}, and ${f.toFixed(3)} after the APM stages (${((1 - f / t.total[best]!) * 100).toFixed(1)}% less than the best single one).`,
      zh: `${LABEL[t.corpus]!.zh}，${t.bytes} 字节：最好的单个上下文（${best}）单独用每字节 ${t.total[best]!.toFixed(3)} 比特；全部混合后为 ${t.total.mixer!.toFixed(3)}，经过 APM 阶段后为 ${f.toFixed(3)}（比最好的单个上下文少 ${((1 - f / t.total[best]!) * 100).toFixed(1)}%）。`,
    };
  });
}

export const contextMixing = defineExperiment({
  id: 'compression.context-mixing',
  lens: 'compression',
  title: { en: 'Context mixing: many small models, one code length', zh: '上下文混合：许多小模型，一个码长' },
  summary: {
    en: 'The compressor of fivelens zip mixes order-0…8 byte contexts, word and whole-character contexts and a match model with a logistic mixer trained online on the code length. Along an English and a Chinese text we draw what each context would cost alone, what the mixture costs, and how the mixer’s weights move.',
    zh: 'fivelens zip 的压缩器用一个以码长为目标、在线训练的逻辑混合器，混合 0…8 阶字节上下文、词上下文、整字上下文和匹配模型。我们沿一段英文和一段中文文本，画出每个上下文单独使用的代价、混合后的代价，以及混合器权重如何变化。',
  },
  claims: [],
  params: Params,
  presets: {
    quick: { corpora: ['shakespeare'], bytes: 6000, window: 1000, tableBits: 16 },
    full: {},
  },
  formulas: [
    { tex: 'p = \\sigma\\Big(\\sum_i w_i \\,\\operatorname{st}(p_i)\\Big),\\quad w_i \\leftarrow w_i + \\eta\\,(y - p)\\,\\operatorname{st}(p_i)', label: { en: 'logistic mixing, one gradient step on −log₂ p per bit', zh: '逻辑混合：每个比特对 −log₂ p 做一步梯度下降' } },
  ],
  async run(p, ctx) {
    const traces = await measure(p, (c) => ctx.data.text(c), (f, msg) => ctx.progress(f, msg), ctx.signal);
    return { metrics: metrics(traces), findings: findings(traces), verdicts: [], tables: [], figures: figures(traces, p) };
  },
});
