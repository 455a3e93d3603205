/**
 * The capstone GPT's registered experiments.
 *
 * `gpt.train` — train the tiny GPT on a corpus and measure its held-out bits per character and
 * its training speed. Claim (seed, 信息论): 语言建模本质上是概率建模，其代价函数就是交叉熵 — language
 * modelling is probability modelling whose cost is the cross-entropy. What is measured: the
 * cross-entropy the model reaches on the held-out 10% (in bits per character) beside the order-0
 * (unigram) entropy of the same text, i.e. how many bits per character minimising cross-entropy
 * saves over counting letters; and beside nanoGPT's published CPU "baby GPT" result on tiny
 * shakespeare (val loss 1.88 nats = 2.71 bpc; Karpathy, nanoGPT README). The `baby` default trains
 * with a tuned schedule (peak lr 4e-3, see src/gpt/config.ts); `recipe: 'nanogpt'` trains with
 * nanoGPT's exact hyper-parameters instead, so the comparison stays reproducible. The verdict asks
 * for a real code (≥ 1 bit/char below unigram) and, where nanoGPT published one, its number.
 */
import { z } from 'zod';
import { defineExperiment, type Bilingual } from '../experiments/contract.js';
import { verdictFor, type Criterion } from '../experiments/verdict.js';
import { splitText } from '../data/corpora.js';
import { trainedGPT } from './trained.js';
import { lossCurveSpec, runTitle } from './charts.js';
import { resolveConfig, TRAIN_RECIPES } from './config.js';

const Params = z.object({
  corpus: z.enum(['shakespeare', 'tang', 'song']).default('shakespeare').describe('training text (90/10 split)').meta({ zh: '训练文本（按 90/10 划分训练集和留出集）' }),
  config: z.enum(['nano', 'baby', 'small']).default('nano').describe('model size: nano (tests), baby (nanoGPT CPU config), small').meta({ zh: '模型规模：nano（测试用）、baby（nanoGPT 的 CPU 配置）、small' }),
  steps: z.number().int().min(1).max(20000).default(60).describe('optimisation steps').meta({ zh: '优化步数' }),
  batchSize: z.number().int().min(1).max(64).default(12).describe('sequences per step').meta({ zh: '每步用多少条序列' }),
  evalChars: z.number().int().min(64).max(200000).default(4096).describe('held-out characters for the periodic validation').meta({ zh: '定期验证时打分的留出字符数' }),
  finalEvalChars: z.number().int().min(64).max(2000000).default(20000).describe('held-out characters for the final val bpc').meta({ zh: '计算最终验证 bpc 时打分的留出字符数' }),
  recipe: z.enum(['default', 'nanogpt']).default('default').describe("training hyper-parameters: the config's (default) or nanoGPT's exact baby-GPT recipe (lr 1e-3 → 1e-4)").meta({ zh: '训练超参数：default 用模型配置自带的（baby 的峰值学习率为 4e-3），nanogpt 用 nanoGPT 原版 baby 配方（学习率 1e-3 → 1e-4），便于对照' }),
});

/** nanoGPT's published baby GPT on tiny shakespeare (README): val loss 1.88 nats after 2000 iterations on CPU. */
export const NANOGPT_BABY_VAL_LOSS = 1.88;

/** Criteria, declared before any run. */
const CRITERIA = {
  'info.lm-entropy': [
    {
      level: 'reproduced',
      metric: 'bits_saved',
      op: '>=',
      value: 1,
      why: { en: 'minimising cross-entropy buys a real code: at least 1 bit/char below the unigram code of the same text (a stated effect size; nanoGPT’s 2.71 bpc is ~2 bits below)', zh: '最小化交叉熵换来真正更短的编码：比同一文本的一阶字频编码至少短 1 比特/字符（事先定的效应量；nanoGPT 的 2.71 bpc 约短 2 比特）' },
    },
    {
      level: 'reproduced',
      metric: 'val_loss_excess_nanogpt',
      op: '<=',
      value: 0.1,
      why: { en: 'the same model trained the same length reaches nanoGPT’s published 1.88 nats, or is at most 0.1 above it (a stated tolerance, ~5%); only the baby config on shakespeare has this anchor', zh: '同样的模型训练同样长，留出损失达到 nanoGPT 公布的 1.88 奈特，或至多高 0.1（事先定的容差，约 5%）；只有 shakespeare 上的 baby 配置有这个参照' },
    },
    {
      level: 'partly',
      metric: 'bits_saved',
      op: '>=',
      value: 1,
      why: { en: 'a real code (≥ 1 bit/char below unigram) without the published anchor', zh: '编码确实更短（比一阶字频少 ≥ 1 比特/字符），但没有对上公布的数字' },
    },
  ],
} satisfies Record<string, readonly Criterion[]>;

/** Order-0 entropy (bits/char) of `val` under the character frequencies of `train` (add-one smoothed). */
export function unigramCrossEntropy(train: string, val: string): number {
  const counts = new Map<string, number>();
  for (const ch of train) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  for (const ch of val) if (!counts.has(ch)) counts.set(ch, 0);
  const V = counts.size;
  let total = 0;
  for (const c of counts.values()) total += c + 1;
  let bits = 0;
  let n = 0;
  for (const ch of val) {
    bits -= Math.log2((counts.get(ch)! + 1) / total);
    n++;
  }
  return n > 0 ? bits / n : Math.log2(V);
}

/** The evidence of info.lm-entropy (pure); `anchor` says whether nanoGPT's published number applies. */
export function lmEntropyEvidence(m: { valBpc: number; unigramBpc: number; firstLoss: number; lastLoss: number; anchor: boolean }): Record<string, number> {
  const valLoss = m.valBpc * Math.LN2;
  return {
    val_bpc: m.valBpc,
    val_loss: valLoss,
    unigram_bpc: m.unigramBpc,
    bits_saved: m.unigramBpc - m.valBpc,
    val_loss_excess_nanogpt: m.anchor ? valLoss - NANOGPT_BABY_VAL_LOSS : NaN,
    first_loss: m.firstLoss,
    last_loss: m.lastLoss,
  };
}

/** The verdict on info.lm-entropy from the numbers (pure, testable). */
export function lmEntropyVerdict(m: { valBpc: number; unigramBpc: number; firstLoss: number; lastLoss: number; anchor: boolean }) {
  const ev = lmEntropyEvidence(m);
  const saved = ev.bits_saved!;
  const nums = { en: `${m.valBpc.toFixed(2)} bits/char (${ev.val_loss!.toFixed(2)} nats) on held-out text, ${saved.toFixed(2)} bits below the ${m.unigramBpc.toFixed(2)} of letter frequencies`, zh: `留出文本上 ${m.valBpc.toFixed(2)} 比特/字符（${ev.val_loss!.toFixed(2)} 奈特），比一阶字频的 ${m.unigramBpc.toFixed(2)} 少 ${saved.toFixed(2)} 比特` };
  return verdictFor(
    'info.lm-entropy',
    CRITERIA['info.lm-entropy'],
    ev,
    (v): Bilingual =>
      v === 'reproduced'
        ? { zh: `把交叉熵当作代价函数去最小化，模型做到${nums.zh}，不比 nanoGPT 公布的 1.88 奈特高出 0.1 以上（差 ${ev.val_loss_excess_nanogpt!.toFixed(2)}）：训练目标就是平均编码长度。`, en: `Minimising cross-entropy brings the model to ${nums.en}, no more than 0.1 nats above nanoGPT's published 1.88 (difference ${ev.val_loss_excess_nanogpt!.toFixed(2)}): the training objective is a mean code length.` }
        : v === 'partly'
          ? { zh: `编码确实变短（${nums.zh}），但${m.anchor ? '没有达到 nanoGPT 公布的 1.88 奈特（容差 0.1）' : '这个配置或语料没有公布的参照数字'}。`, en: `The code is shorter (${nums.en}), but ${m.anchor ? "it misses nanoGPT's published 1.88 nats (tolerance 0.1)" : 'this config or corpus has no published number to match'}.` }
          : { zh: `未复现：${nums.zh}，不到事先定的 1 比特（训练损失 ${m.firstLoss.toFixed(2)} → ${m.lastLoss.toFixed(2)} 奈特）。`, en: `Not reproduced: ${nums.en}, short of the declared 1 bit (training loss ${m.firstLoss.toFixed(2)} → ${m.lastLoss.toFixed(2)} nats).` },
    'Shannon 1948; nanoGPT baby GPT: val 1.88 nats = 2.71 bpc on tiny shakespeare',
  );
}

export const gptTrain = defineExperiment({
  id: 'gpt.train',
  lens: 'gpt',
  title: { zh: '训练一个小 GPT', en: 'Training a tiny GPT' },
  summary: {
    zh: '在浏览器或 Node 里用 TensorFlow.js 从零训练一个字符级 GPT，测它在留出 10% 文本上的比特/字符和每秒处理的 token 数。交叉熵损失就是平均编码长度，所以这个数字可以直接和压缩器比较。',
    en: 'Train a character-level GPT from scratch in TensorFlow.js and measure its bits per character on the held-out 10% and its tokens per second. The cross-entropy loss is a mean code length, so the number stands beside compressors.',
  },
  claims: ['info.lm-entropy'],
  params: Params,
  criteria: CRITERIA,
  presets: {
    quick: { config: 'nano', steps: 60, batchSize: 8, evalChars: 512, finalEvalChars: 4096 },
    full: { config: 'baby', steps: 2000, batchSize: 12, evalChars: 4096, finalEvalChars: 111000 },
  },
  formulas: [
    { tex: '\\mathcal{L} = -\\frac{1}{N}\\sum_t \\ln p_\\theta(x_t \\mid x_{<t})', label: { zh: '交叉熵损失（奈特/字符）', en: 'cross-entropy loss (nats/char)' } },
    { tex: '\\text{bpc} = \\mathcal{L} / \\ln 2', label: { zh: '比特/字符', en: 'bits per character' } },
  ],
  async run(p, ctx) {
    const t = await trainedGPT(ctx, {
      corpus: p.corpus,
      config: p.config,
      steps: p.steps,
      seed: ctx.seed,
      // the default recipe keeps the cache key the lenses' full presets use (lens-options.ts)
      hyper: p.recipe === 'nanogpt' ? { ...TRAIN_RECIPES.nanogpt, batchSize: p.batchSize } : { batchSize: p.batchSize },
      evalEvery: Math.max(1, Math.round(p.steps / 10)),
      evalChars: p.evalChars,
      finalEvalChars: p.finalEvalChars,
    });
    const text = await ctx.data.text(p.corpus);
    const { train, val } = splitText(text);
    const unigramBpc = unigramCrossEntropy(train, val);
    const h = t.history;
    const k = Math.max(1, Math.round(h.loss.length / 20));
    const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / Math.max(1, a.length);
    const firstLoss = mean(h.loss.slice(0, k));
    const lastLoss = mean(h.loss.slice(-k));
    const isAnchor = p.corpus === 'shakespeare' && p.config === 'baby';
    const valLoss = t.valBpc * Math.LN2;
    const hy = p.recipe === 'nanogpt' ? TRAIN_RECIPES.nanogpt : resolveConfig(p.config).train;
    const sched = `lr ${hy.lr} → ${hy.minLr}, warmup ${hy.warmupSteps}, β2 ${hy.beta2}, weight decay ${hy.weightDecay}`;
    t.model.dispose();
    return {
      metrics: [
        { name: 'val_bpc', value: t.valBpc, unit: 'bits/char', label: { zh: '留出集比特/字符', en: 'held-out bits per character' }, ...(isAnchor ? { reference: { value: 2.71, source: 'nanoGPT baby GPT, 2000 iters (1.88 nats)' } } : {}) },
        { name: 'val_loss', value: valLoss, unit: 'nats/char', ...(isAnchor ? { reference: { value: 1.88, source: 'nanoGPT baby GPT, 2000 iters' } } : {}) },
        { name: 'tokens_per_sec', value: t.tokensPerSec, unit: 'tokens/s', label: { zh: '训练速度', en: 'training speed' } },
        { name: 'unigram_bpc', value: unigramBpc, unit: 'bits/char' },
        { name: 'final_train_loss', value: t.finalTrainLoss, unit: 'nats/char' },
      ],
      figures: [
        {
          id: 'loss-curve',
          title: { zh: '训练与验证损失', en: 'Training and validation loss' },
          spec: lossCurveSpec(h, { title: runTitle(p.config, p.corpus), reference: isAnchor ? undefined : null }),
          caption: { zh: '验证曲线贴着训练曲线，说明还没有过拟合。', en: 'The validation curve tracks the training curve: no overfitting yet.' },
        },
      ],
      findings: [
        {
          zh: `${p.config} 在 ${p.corpus} 上训练 ${p.steps} 步后，留出集为 ${t.valBpc.toFixed(3)} 比特/字符（${valLoss.toFixed(3)} 奈特）${isAnchor ? `，nanoGPT 公布的同配置 CPU 结果是 1.88 奈特（2.71 比特，它的配方是 lr 1e-3 → 1e-4）；本次用的是${p.recipe === 'nanogpt' ? ' nanoGPT 的原配方' : '调过的默认学习率计划'}（${sched}）` : ''}；一阶字频熵为 ${unigramBpc.toFixed(3)}。训练速度约 ${Math.round(t.tokensPerSec)} token/秒。`,
          en: `After ${p.steps} steps, ${p.config} on ${p.corpus} reaches ${t.valBpc.toFixed(3)} bits/char (${valLoss.toFixed(3)} nats) on held-out text${isAnchor ? `; nanoGPT reports 1.88 nats (2.71 bits) for the same CPU config with its recipe (lr 1e-3 → 1e-4), this run used ${p.recipe === 'nanogpt' ? "nanoGPT's exact recipe" : 'the tuned default schedule'} (${sched})` : ''}; the unigram entropy is ${unigramBpc.toFixed(3)}. Training ran at about ${Math.round(t.tokensPerSec)} tokens/s.`,
        },
      ],
      verdicts: [lmEntropyVerdict({ valBpc: t.valBpc, unigramBpc, firstLoss, lastLoss, anchor: isAnchor && p.steps === 2000 })],
    };
  },
});

export const experiments = [gptTrain];
