/**
 * compression.lm-is-compression — the figure of the mission: bits per character of every model and
 * every compressor on the same held-out text.
 *
 * Claim (seed): language modelling is compression — the deepest link between the five sciences
 * (「信息论指导着知识的表示与压缩」). Papers: Shannon 1948 (the ideal code length of x under a model p is
 * −log₂ p(x)); Rissanen & Langdon 1979 (arithmetic coding reaches it within a few bytes); Delétang et al.
 * 2024, "Language Modeling Is Compression" (enwik9: gzip 32.3%, LZMA2 23.0%, Chinchilla 70B 8.3% raw
 * but 14008% with its weights counted; transformers trained on the data 200K/800K/3.2M parameters:
 * 30.9/21.7/17.0%).
 *
 * Measured on the held-out 10% of tiny shakespeare: Kneser–Ney n-gram models (information lens),
 * the trained tiny GPT (raw, and with its fp32 / int8 weights counted), `fivelens zip --online`
 * (adaptive context mixing) and `--model` (GPT + context mixing, on a prefix: the float64 GPT is slow),
 * and the system's gzip/brotli/xz/zstd/bzip2. The verdict checks the equivalence itself: the real file
 * the arithmetic coder writes with the GPT alone against the GPT's cross-entropy from its own forward.
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Figure, type Metric, type Bilingual, type RunContext } from '../../experiments/contract.js';
import { verdictFor, type Criterion } from '../../experiments/verdict.js';
import { splitText } from '../../data/corpora.js';
import { KneserNey } from '../../nn/ngram.js';
import { zipBytes, type ZipModel } from '../../zip/codec.js';
import { BLOCK_CODED, blocksOf } from '../../zip/container.js';
import { onlineModel, gptModel, dictModel } from '../../zip/zipmodels.js';
import type { BitPredictor } from '../../zip/rangecoder.js';
import { lensGPT } from './tinygpt.js';
import { serializeModel, evalTokens } from '../../gpt/index.js';

const Params = z.object({
  orders: z.array(z.number().int().min(0).max(10)).default([0, 1, 2, 3, 5, 7]).describe('Kneser–Ney context lengths').meta({ zh: 'Kneser–Ney 模型的上下文长度列表' }),
  config: z.enum(['nano', 'baby', 'small']).default('baby').describe('the tiny GPT configuration').meta({ zh: '小型 GPT 的规模' }),
  steps: z.number().int().min(1).max(20000).default(2000).describe('training steps of the tiny GPT (cached)').meta({ zh: '小型 GPT 的训练步数（缓存）' }),
  gptSeed: z.number().int().min(0).default(1337).describe('seed of the tiny GPT').meta({ zh: '小型 GPT 的随机种子' }),
  valChars: z.number().int().min(1000).max(200000).default(111540).describe('held-out characters used (all by default)').meta({ zh: '使用的留出字符数（默认全部）' }),
  modelChars: z.number().int().min(100).max(200000).default(4096).describe('prefix coded with --model, and with the GPT alone on the float64 reference (slow): the verdict reads the latter').meta({ zh: '用 --model 以及单独用 GPT（float64 参考实现，较慢）编码的开头字符数：判定看后者' }),
  tableBits: z.number().int().min(12).max(24).default(22).describe('context-mixing hash table size (log2)').meta({ zh: '上下文混合哈希表的大小（以 2 为底的对数）' }),
  dict: z.boolean().default(true).describe('also code with the training split as a dictionary (zip --dict)').meta({ zh: '是否也把训练集当作字典来编码（zip --dict）' }),
});

/** Wraps a predictor and adds up −log₂ P(bit) — the ideal code length the coder should reach. */
class Metered implements BitPredictor {
  bits = 0;
  private last = 32768;
  constructor(private readonly inner: BitPredictor) {}
  p(): number {
    this.last = this.inner.p();
    return this.last;
  }
  update(bit: number): void {
    const p1 = Math.min(65535, Math.max(1, this.last)) / 65536;
    this.bits -= Math.log2(bit ? p1 : 1 - p1);
    this.inner.update(bit);
  }
}

function metered(m: ZipModel): { model: ZipModel; ideal: () => number } {
  let meter: Metered | undefined;
  // without its own stream, the model codes through the metered predictor (the same bytes)
  const { stream: _fast, ...plain } = m;
  return {
    model: { ...plain, create: (n) => (meter = new Metered(m.create(n))) },
    ideal: () => meter?.bits ?? NaN,
  };
}

/**
 * Criteria, declared before any run. The claim's testable form: a model with cross-entropy H bits/char
 * gives a code of about H bits/char. Two independent computations meet: the GPT's cross-entropy from
 * the tfjs forward (float32, windows of stride T/2, so every character sees T/2…T−1 characters of
 * context, as the coder's window does), and the size of the real file the arithmetic coder writes
 * when the float64 reimplementation of the same network (src/zip, the GPT alone, no mixing) drives it,
 * less the container header (the size of an empty file under the same model).
 */
const WITHIN = {
  en: 'within 2%: the coder loses < 0.01% to its 16-bit probabilities and ≤ 2 bits to the flush; the rest is float32 vs float64 and the coder\'s window restarting at slightly other places than the evaluation windows',
  zh: '相差 2% 以内：16 位概率的损失小于 0.01%，收尾不超过 2 比特；其余来自 float32 与 float64 的差别，以及编码器的窗口与评估窗口重启的位置略有不同',
};
const WITHIN5 = { en: 'within 5%: the code follows the cross-entropy, but with a loss the coder or the window cannot explain', zh: '相差 5% 以内：码长跟随交叉熵，但有编码器与窗口解释不了的损失' };
export const CRITERIA = {
  'comp.lm-is-compression': [
    { level: 'reproduced', metric: 'code_over_cross_entropy', op: '<=', value: 1.02, why: WITHIN },
    { level: 'reproduced', metric: 'code_over_cross_entropy', op: '>=', value: 0.98, why: WITHIN },
    { level: 'partly', metric: 'code_over_cross_entropy', op: '<=', value: 1.05, why: WITHIN5 },
    { level: 'partly', metric: 'code_over_cross_entropy', op: '>=', value: 0.95, why: WITHIN5 },
  ],
} satisfies Record<string, readonly Criterion[]>;

/** Delétang et al. 2024, Table 1 (enwik9), compression rate in % of the raw size. */
export const DELETANG = [
  { method: 'gzip', rate: 32.3 },
  { method: 'LZMA2', rate: 23.0 },
  { method: 'transformer 200K', rate: 30.9 },
  { method: 'transformer 800K', rate: 21.7 },
  { method: 'transformer 3.2M', rate: 17.0 },
  { method: 'Chinchilla 70B (raw)', rate: 8.3 },
];

type P = z.infer<typeof Params>;

/** the families of the figure's bars, in the order of its legend; Delétang et al.'s reported rates in grey */
const FAMILIES = {
  'n-gram (trained on the 90%)': { text: { en: 'n-gram (trained on the 90%)', zh: 'n-gram（在 90% 的训练集上训练）' }, color: '#72b7b2' },
  'tiny GPT': { text: { en: 'tiny GPT', zh: '小 GPT' }, color: '#54a24b' },
  'fivelens zip': { text: { en: 'fivelens zip', zh: 'fivelens zip' }, color: '#e45756' },
  'classic compressor': { text: { en: 'classic compressor', zh: '经典压缩器' }, color: '#f58518' },
  'Delétang et al. 2024': { text: { en: 'Delétang et al. 2024 (enwik9)', zh: 'Delétang 等 2024（enwik9）' }, color: '#9d9d9d' },
} satisfies Record<string, { text: Bilingual; color: string }>;
type Family = keyof typeof FAMILIES;

/** Every model and compressor on the same held-out text, and the GPT alone as a real code against its cross-entropy. */
/** The bytes of a .flz file that are not range-coded payload: its header, block headers and end record. */
function framingBytes(file: Uint8Array): number {
  return file.length - blocksOf(file).reduce((n, b) => n + (b.type === BLOCK_CODED ? b.payloadLength : 0), 0);
}

async function measure(p: P, ctx: RunContext) {
  const text = await ctx.data.text('shakespeare');
  const { train, val: valAll } = splitText(text);
  const val = Array.from(valAll).slice(0, p.valChars).join('');
  const valBytes = new TextEncoder().encode(val);
  const nChars = Array.from(val).length;
  /** `method` is the row's key (metric names, tables); `zh` is how the figure names it in Chinese */
  type Row = { method: string; zh: string; family: Family; bpc: number; note?: string };
  const rows: Row[] = [];

  // n-grams
  for (const k of p.orders) {
    throwIfAborted(ctx.signal);
    const kn = new KneserNey(train, k);
    rows.push({ method: `KN ${k + 1}-gram`, zh: `KN ${k + 1}-gram`, family: 'n-gram (trained on the 90%)', bpc: kn.crossEntropyBits(val) });
    ctx.progress(0.05 + (0.2 * rows.length) / p.orders.length, `n-gram order ${k}`);
    await tick();
  }
  // classic compressors
  for (const c of ['gzip', 'brotli', 'bzip2', 'xz', 'zstd']) {
    const size = await ctx.platform.compressedSize?.(c, valBytes);
    const method = { gzip: 'gzip -9', brotli: 'brotli -q 11', bzip2: 'bzip2 -9', xz: 'xz -9e', zstd: 'zstd -19' }[c]!;
    if (size !== undefined) rows.push({ method, zh: method, family: 'classic compressor', bpc: (8 * size) / nChars });
  }
  // online CM
  ctx.progress(0.3, 'zip --online');
  const on = metered(onlineModel({ tableBits: p.tableBits }));
  const onFile = zipBytes(valBytes, on.model);
  const onIdeal = on.ideal();
  rows.push({ method: 'fivelens zip --online', zh: 'fivelens zip --online', family: 'fivelens zip', bpc: (8 * onFile.length) / nChars });
  await tick();
  if (p.dict) {
    ctx.progress(0.35, 'zip --dict');
    const dictFile = zipBytes(valBytes, dictModel(new TextEncoder().encode(train), { tableBits: p.tableBits }));
    rows.push({ method: 'fivelens zip --dict (90% split, not counted)', zh: 'fivelens zip --dict（字典为 90% 训练集，不计入）', family: 'fivelens zip', bpc: (8 * dictFile.length) / nChars });
    await tick();
  }
  // GPT
  ctx.progress(0.4, 'tiny GPT');
  const g = await lensGPT(ctx, { config: p.config, steps: p.steps, seed: p.gptSeed });
  const nParams = g.model.numParams;
  const gptBpc = evalTokens(g.model, g.vocab.encode(val)).bpc;
  rows.push({ method: `GPT ${p.config} (raw)`, zh: `GPT ${p.config}（原始）`, family: 'tiny GPT', bpc: gptBpc });
  rows.push({ method: `GPT ${p.config} + fp32 weights`, zh: `GPT ${p.config} + fp32 权重`, family: 'tiny GPT', bpc: gptBpc + (32 * nParams) / nChars });
  rows.push({ method: `GPT ${p.config} + int8 weights`, zh: `GPT ${p.config} + int8 权重`, family: 'tiny GPT', bpc: gptBpc + (8 * nParams) / nChars });
  // --model on a prefix, beside --online on the same prefix
  ctx.progress(0.6, 'zip --model');
  const prefix = Array.from(val).slice(0, p.modelChars).join('');
  const prefBytes = new TextEncoder().encode(prefix);
  const prefChars = Array.from(prefix).length;
  const ckpt = serializeModel(g.model, g.vocab);
  const md = metered(gptModel(ckpt, { tableBits: p.tableBits }));
  const t0 = performance.now();
  const mdFile = zipBytes(prefBytes, md.model);
  const mdSecs = (performance.now() - t0) / 1000;
  const mdIdeal = md.ideal();
  const onPref = zipBytes(prefBytes, onlineModel({ tableBits: p.tableBits }));
  const gptPref = evalTokens(g.model, g.vocab.encode(prefix)).bpc;
  rows.push({ method: `fivelens zip --model (first ${prefChars} chars)`, zh: `fivelens zip --model（前 ${prefChars} 个字符）`, family: 'fivelens zip', bpc: (8 * mdFile.length) / prefChars, note: 'prefix' });
  rows.push({ method: `fivelens zip --online (first ${prefChars} chars)`, zh: `fivelens zip --online（前 ${prefChars} 个字符）`, family: 'fivelens zip', bpc: (8 * onPref.length) / prefChars, note: 'prefix' });
  rows.push({ method: `GPT ${p.config} raw (first ${prefChars} chars)`, zh: `GPT ${p.config} 原始（前 ${prefChars} 个字符）`, family: 'tiny GPT', bpc: gptPref, note: 'prefix' });
  // the claim itself: the real file of the GPT alone against its cross-entropy from the tfjs forward
  ctx.progress(0.75, 'the GPT alone as a code');
  const alone = gptModel(ckpt, {}, undefined, { engine: 'float64', alone: true });
  const aloneFile = zipBytes(prefBytes, alone);
  const headerBytes = framingBytes(aloneFile);
  const prefTok = g.vocab.encode(prefix);
  const ceBits = evalTokens(g.model, prefTok, { stride: Math.max(1, g.model.config.blockSize >> 1) }).bpc * (prefTok.length - 1);
  const payloadBits = 8 * (aloneFile.length - headerBytes);
  rows.push({ method: `GPT ${p.config} alone, coded (first ${prefChars} chars)`, zh: `GPT ${p.config} 单独编码（前 ${prefChars} 个字符）`, family: 'tiny GPT', bpc: (8 * aloneFile.length) / prefChars, note: 'prefix' });
  ctx.progress(0.9, 'figures');

  const evidence = { code_over_cross_entropy: payloadBits / ceBits, coded_payload_bits: payloadBits, cross_entropy_bits: ceBits, header_bytes: headerBytes, chars: prefTok.length - 1 };
  return { nChars, valBytes, rows, onFile, onFraming: framingBytes(onFile), onIdeal, nParams, gptBpc, prefChars, prefBytes, mdFile, mdSecs, mdIdeal, payloadBits, ceBits, evidence };
}

/** Metrics, the figure, findings and the verdict, from the measured numbers. */
function report(p: P, m: Awaited<ReturnType<typeof measure>>) {
  const { nChars, valBytes, rows, onFile, onFraming, onIdeal, nParams, gptBpc, prefChars, prefBytes, mdFile, mdSecs, mdIdeal, payloadBits, ceBits, evidence } = m;
  const xz = rows.find((r) => r.method === 'xz -9e');
  const onRow = rows.find((r) => r.method === 'fivelens zip --online')!;
  const metrics: Metric[] = [
    ...rows.map((r) => ({ name: `bpc_${r.method.replace(/[^a-zA-Z0-9]+/g, '_').toLowerCase()}`, value: r.bpc, unit: 'bits/char' })),
    { name: 'online_coded_minus_ideal_bytes', value: onFile.length - onIdeal / 8, unit: 'bytes' },
    { name: 'model_coded_minus_ideal_bytes', value: mdFile.length - mdIdeal / 8, unit: 'bytes' },
    { name: 'gpt_params', value: nParams, unit: '1' },
    { name: 'gpt_alone_code_over_cross_entropy', value: payloadBits / ceBits, unit: '1', reference: { value: 1, source: 'Shannon 1948; arithmetic coding (Witten et al. 1987)' } },
    { name: 'model_mode_kb_per_s', value: prefBytes.length / 1024 / mdSecs, unit: 'KB/s' },
    { name: 'online_rate_pct', value: (100 * onFile.length) / valBytes.length, unit: '% of raw', reference: { value: 23.0, source: 'Delétang et al. 2024: LZMA2 on enwik9' } },
  ];
  const figRows = [
    ...rows.map((r) => ({ method: r.method, family: r.family, bpc: r.bpc, rate: (100 * r.bpc) / 8, source: 'measured (shakespeare val)' })),
    ...DELETANG.map((d) => ({ method: `${d.method} [enwik9]`, family: 'Delétang et al. 2024' as Family, bpc: (d.rate * 8) / 100, rate: d.rate, source: 'Delétang et al. 2024 (enwik9)' })),
  ];
  // the figure's rows: every label in both languages (the table above keeps the plain keys)
  const deletangZh = (m: string) => m.replace(/^transformer/, 'Transformer').replace(' (raw)', '（原始）');
  const MEASURED: Bilingual = { en: 'measured (shakespeare val)', zh: '实测（shakespeare 留出集）' };
  const REPORTED: Bilingual = { en: 'Delétang et al. 2024 (enwik9)', zh: 'Delétang 等 2024（enwik9）' };
  const barRows = [
    ...rows.map((r) => ({ method: { en: r.method, zh: r.zh }, family: FAMILIES[r.family].text, bpc: r.bpc, rate: (100 * r.bpc) / 8, source: MEASURED })),
    ...DELETANG.map((d) => ({ method: { en: `${d.method} [enwik9]`, zh: `${deletangZh(d.method)} [enwik9]` }, family: FAMILIES['Delétang et al. 2024'].text, bpc: (d.rate * 8) / 100, rate: d.rate, source: REPORTED })),
  ];
  const offChart = barRows.filter((r) => r.bpc >= 40);
  const offZh = offChart.length ? `超出横轴（≥ 40 bpc）未画：${offChart.map((r) => `${r.method.zh} ${r.bpc.toFixed(0)} bpc`).join('、')}。` : '';
  const offEn = offChart.length ? ` Off the chart (≥ 40 bpc): ${offChart.map((r) => `${r.method.en} at ${r.bpc.toFixed(0)} bpc`).join(', ')}.` : '';
  const families = Object.values(FAMILIES);
  const figures: Figure[] = [
    {
      id: 'bpc-all',
      title: { zh: '同一段文本上的每字符比特数', en: 'Bits per character on the same text' },
      caption: {
        zh: `灰色为 Delétang 等人在 enwik9 上的压缩率（换算成 8 比特/字节的比例）；计入 fp32 权重后小 GPT 的代价远高于任何经典压缩器——和 Chinchilla 的 14008% 同理。${offZh}`,
        en: `Grey: Delétang et al.’s enwik9 rates (as a fraction of 8 bits/byte); with its fp32 weights counted the tiny GPT costs far more than any classic compressor — the same effect as Chinchilla’s 14008%.${offEn}`,
      },
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: { en: 'Language models and compressors, bits per character', zh: '语言模型与压缩器的每字符比特数' },
        width: 460,
        height: 420,
        data: { values: barRows.filter((r) => r.bpc < 40) },
        mark: 'bar',
        encoding: {
          y: { field: 'method', type: 'nominal', sort: { field: 'bpc' }, title: null, axis: { labelLimit: 400 } },
          x: { field: 'bpc', type: 'quantitative', title: { en: 'bits per character', zh: '每字符比特数（bpc）' } },
          color: { field: 'family', type: 'nominal', title: null, scale: { domain: families.map((f) => f.text), range: families.map((f) => f.color) }, legend: { labelLimit: 260 } },
          tooltip: [
            { field: 'method', title: { en: 'model or compressor', zh: '模型或压缩器' } },
            { field: 'bpc', title: { en: 'bits per character', zh: '每字符比特数' }, format: '.3f' },
            { field: 'rate', title: { en: 'rate (% of 8 bits/char)', zh: '压缩率（占 8 比特/字符的 %）' }, format: '.1f' },
            { field: 'source', title: { en: 'source', zh: '来源' } },
          ],
        },
      },
    },
  ];
  const f3 = (v: number) => v.toFixed(3);
  const kn = rows.filter((r) => r.family.startsWith('n-gram')).sort((a, b) => a.bpc - b.bpc)[0];
  const findings: Bilingual[] = [
    {
      zh: `在 tiny shakespeare 留出的 ${nChars} 个字符上：最好的 n-gram（${kn?.method}）${f3(kn?.bpc ?? NaN)} bpc，小 GPT ${f3(gptBpc)} bpc，fivelens zip --online ${f3(onRow.bpc)} bpc，xz -9e ${f3(xz?.bpc ?? NaN)} bpc。`,
      en: `On the ${nChars} held-out characters of tiny shakespeare: the best n-gram (${kn?.method}) ${f3(kn?.bpc ?? NaN)} bpc, the tiny GPT ${f3(gptBpc)} bpc, fivelens zip --online ${f3(onRow.bpc)} bpc, xz -9e ${f3(xz?.bpc ?? NaN)} bpc.`,
    },
    {
      zh: `算术编码写出的真实文件只比模型的理想码长 Σ−log₂p 多 ${(onFile.length - onIdeal / 8).toFixed(1)} 字节（在线模式，含 ${onFraming} 字节文件头与分块信息）和 ${(mdFile.length - mdIdeal / 8).toFixed(1)} 字节（模型模式）：预测得好就是压缩得好。`,
      en: `The real file written by the arithmetic coder exceeds the model's ideal code length Σ −log₂ p by only ${(onFile.length - onIdeal / 8).toFixed(1)} bytes (online, including ${onFraming} bytes of header and block framing) and ${(mdFile.length - mdIdeal / 8).toFixed(1)} bytes (model mode): predicting well is compressing well.`,
    },
    {
      zh: `计入权重后：小 GPT 有 ${nParams} 个参数，fp32 权重摊到这 ${nChars} 个字符上是 ${f3((32 * nParams) / nChars)} bpc，远超它省下的比特——正如 Chinchilla 70B 在 enwik9 上 8.3% 变成 14008%。`,
      en: `With the weights counted: the tiny GPT's ${nParams} parameters in fp32 cost ${f3((32 * nParams) / nChars)} bpc spread over these ${nChars} characters, far more than it saves — as Chinchilla 70B goes from 8.3% to 14008% on enwik9.`,
    },
  ];
  const verdicts = [
    verdictFor('comp.lm-is-compression', CRITERIA['comp.lm-is-compression'], evidence, (v) => {
      const ratio = (payloadBits / ceBits).toFixed(4);
      const nums = `${(payloadBits / 8).toFixed(0)} / ${(ceBits / 8).toFixed(0)}`;
      return {
        zh:
          v === 'reproduced'
            ? `成立（作为可实现的等价）：GPT 单独驱动算术编码，前 ${prefChars} 个字符写出的文件（去掉文件头）与它的交叉熵之比为 ${ratio}（${nums} 字节）：交叉熵 H 比特/字符的模型给出约 H 比特/字符的编码。但“五门学科之间最深的联系”是一种评价，测量无法判定；而且计入模型本身的大小后，大模型并不是好的压缩器。`
            : v === 'partly'
              ? `部分成立：编码长度与交叉熵之比为 ${ratio}（${nums} 字节），在 5% 以内但超出 2%。`
              : `未复现：编码长度与交叉熵之比为 ${ratio}（${nums} 字节）。`,
        en:
          v === 'reproduced'
            ? `Holds (as an equivalence one can build): the file the arithmetic coder writes with the GPT alone on the first ${prefChars} characters, header removed, is ${ratio} of the GPT's cross-entropy (${nums} bytes): a model of H bits/char gives a code of about H bits/char. "The deepest link between the five sciences" is a judgement no measurement decides, and once the model's own size is counted a large LM is not a good compressor.`
            : v === 'partly'
              ? `Partly: the code is ${ratio} of the cross-entropy (${nums} bytes) — within 5% but not within 2%.`
              : `Not reproduced: the code is ${ratio} of the cross-entropy (${nums} bytes).`,
      };
    }, 'Shannon 1948; Delétang et al. 2024'),
  ];
  return { metrics, figures, findings, verdicts, tables: [{ id: 'bpc', title: { zh: '每字符比特数', en: 'Bits per character' }, rows: figRows.map((r) => ({ ...r, bpc: Number(r.bpc.toFixed(4)), rate: Number(r.rate.toFixed(2)) })) }] };
}

export const lmIsCompression = defineExperiment({
  id: 'compression.lm-is-compression',
  lens: 'compression',
  title: { zh: '语言模型就是压缩器', en: 'Language modelling is compression' },
  summary: {
    zh: '在同一段留出文本上比较 n-gram、小 GPT（原始、计入权重）、fivelens zip 的在线与模型模式，以及 gzip/xz 等经典压缩器的每字符比特数，并核对算术编码写出的真实文件与模型的理想码长 Σ−log₂p 是否一致。',
    en: 'Bits per character on the same held-out text for n-gram models, the tiny GPT (raw and with its weights counted), fivelens zip online and model modes, and gzip/xz and friends — and a check that the real file written by the arithmetic coder equals the model’s ideal code length Σ −log₂ p.',
  },
  claims: ['comp.lm-is-compression'],
  criteria: CRITERIA,
  params: Params,
  presets: {
    quick: { orders: [0, 2], config: 'nano', steps: 60, valChars: 4000, modelChars: 300, tableBits: 16, dict: false },
    full: {},
  },
  formulas: [
    { tex: 'L(x)=\\lceil -\\log_2 p(x)\\rceil + O(1)', label: { zh: '算术编码的码长', en: 'arithmetic-code length' } },
    { tex: '\\text{bpc}_{\\text{counted}} = \\text{bpc} + \\frac{8\\,|\\theta|_{\\text{bytes}}}{n}', label: { zh: '计入模型权重', en: 'with the weights counted' } },
  ],
  async run(p, ctx) {
    return report(p, await measure(p, ctx));
  },
});
