/**
 * compression.quantization — quantizing the tiny GPT's weights, measured as a rate–distortion problem.
 *
 * Claims (seed, 量化编码的信息熵约束): 「将32位浮点权重量化为8位整数的过程，本质是在信息率-失真理论框架下的最优编码问题。」
 * and 「混合精度量化策略根据各层的敏感性差异分配量化位宽」 (with the "75% smaller, 99% of the accuracy" figure).
 * Papers: Shannon's D(R) = σ²·2^(−2R) for a Gaussian source (each bit buys 6.02 dB); Gish & Pierce 1968
 * (an entropy-coded uniform quantizer is πe/6 ≈ 1.53 dB from D(R) at high rate); Frantar et al. 2022
 * (GPTQ: OPT-175B 4-bit 8.37 ppl vs RTN 10.54, fp16 8.34); Dong et al. 2019 (HAWQ: Hessian-aware mixed
 * precision); Dettmers et al. 2022 (LLM.int8()).
 *
 * Measured, on the trained tiny GPT (src/gpt, cached): for round-to-nearest (symmetric / asymmetric;
 * per tensor / channel / group) at 8/6/4/3/2 bits, the weight MSE, the empirical entropy of the codes
 * (the real rate an entropy coder would pay), the side information, and held-out bpc and next-char
 * accuracy; the rate–distortion plane beside D(R) and the 6.02 dB/bit line; GPTQ against RTN at 4 and 3
 * bits; mixed precision chosen from a Fisher-weighted sensitivity under an average-bit budget against
 * uniform bits; and the smallest model keeping 99% of the accuracy. Every configuration is scored on a
 * validation split; the two the verdicts read (the configuration chosen on validation, and mixed against
 * uniform at the declared width) are scored once more on a separate test split, in blocks, so the verdicts
 * stand on paired 95% intervals.
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Figure, type Metric, type Bilingual, type ClaimVerdict, type RunContext } from '../../experiments/contract.js';
import type { Text } from '../../report/i18n.js';
import { verdictFor, type Criterion } from '../../experiments/verdict.js';
import { pairedDiffCi95 } from '../../experiments/stats.js';
import { quantizeRTN, quantizeGPTQ, codeEntropy, mse, variance, outputError, type QuantSpec, type Granularity } from './quantizers.js';
import { lensGPT, matrixNames, evalGPT, weightArrays, toTensors, disposeAll, diagFisher, linearInputHessians } from './tinygpt.js';

const Params = z.object({
  config: z.enum(['nano', 'baby', 'small']).default('baby').describe('the tiny GPT configuration (src/gpt)').meta({ zh: '小型 GPT 的规模（src/gpt）' }),
  steps: z.number().int().min(1).max(20000).default(2000).describe('training steps of the tiny GPT (trained once, then cached)').meta({ zh: '小型 GPT 的训练步数（只训练一次，之后缓存）' }),
  gptSeed: z.number().int().min(0).default(1337).describe('seed of the tiny GPT (shared by every lens experiment)').meta({ zh: '小型 GPT 的随机种子（所有透镜实验共用）' }),
  evalChars: z.number().int().min(256).max(100000).default(8192).describe('held-out characters in each of the two splits of the held-out 10%: validation (every configuration, the selection) then test (scored once, for the verdicts)').meta({ zh: '留出 10% 一分为二后每一份的字符数：验证集（给所有配置打分并做选择）和测试集（只为判定打一次分）' }),
  blocks: z.number().int().min(2).max(64).default(8).describe('equal blocks each split is scored in: the paired 95% intervals of the verdicts are over them').meta({ zh: '每一份切成的等长块数：判定用的配对 95% 区间就建立在这些块上' }),
  verdictBudget: z.number().min(2).max(8).default(4).describe('the average width (bits/weight) at which mixed precision is compared with uniform for the verdict (declared before the run)').meta({ zh: '判定时比较混合精度与统一位宽所用的平均位宽（比特/权重，运行前声明）' }),
  bits: z.array(z.number().int().min(2).max(8)).default([8, 6, 4, 3, 2]).describe('bit widths swept').meta({ zh: '扫描的量化位宽' }),
  groupSize: z.number().int().min(8).max(512).default(64).describe('inputs per quantization group').meta({ zh: '每个量化组包含的输入个数（同一组共用缩放系数）' }),
  calibChars: z.number().int().min(64).max(20000).default(1024).describe('training characters used for GPTQ Hessians').meta({ zh: '计算 GPTQ 所需 Hessian 的训练字符数' }),
  fisherBatches: z.number().int().min(1).max(200).default(8).describe('batches for the diagonal Fisher').meta({ zh: '估计对角 Fisher 信息用的批次数' }),
  budgets: z.array(z.number().min(2).max(8)).default([6, 4, 3]).describe('average bits per weight for mixed precision').meta({ zh: '混合精度的平均每权重比特数预算' }),
});

/** Gaussian rate–distortion bound and the entropy-coded scalar quantizer's high-rate curve (D/σ²). */
export function gaussianDR(R: number): number {
  return Math.pow(2, -2 * R);
}
export function ecsqHighRate(R: number): number {
  return ((Math.PI * Math.E) / 6) * Math.pow(2, -2 * R);
}

/** Least-squares slope of y on x. */
export function slope(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  return sxy / sxx;
}

/**
 * Criteria, declared before any run. 6.02 dB per bit holds for ANY uniform quantizer (a unit test in
 * test/lenses/compression/quantizers.test.ts), so it decides nothing here. The seed's claim has two halves:
 * quantization is "optimal coding" in rate–distortion terms — measured as the rate round-to-nearest
 * spends above the Shannon bound for the distortion it reaches; and allocating bits by layer sensitivity
 * "follows the R(D) principle" — measured as mixed precision beating uniform bits at the same average
 * width on the test split. comp.mixed-precision-75-99: the configuration chosen on validation (the
 * smallest one keeping 99% of the accuracy there) is scored once on test.
 */
export const CRITERIA = {
  'comp.quant-rate-distortion': [
    {
      level: 'reproduced',
      metric: 'rtn_gap_to_rd_bits',
      op: '<=',
      value: 0.1,
      why: { en: '"optimal coding": within 0.1 bit per weight of the Gaussian rate–distortion bound at the same distortion (an entropy-coded uniform quantizer is 0.254 bit away at high rate, Gish & Pierce 1968)', zh: '“最优编码”：在相同失真下比高斯率失真界多用不超过 0.1 比特/权重（熵编码均匀量化在高码率下差 0.254 比特，Gish & Pierce 1968）' },
    },
    {
      level: 'reproduced',
      metric: 'mixed_minus_uniform_test_bpc_ci_high',
      op: '<',
      value: 0,
      why: { en: 'bits by sensitivity beat uniform bits at the same average width (HAWQ, Dong et al. 2019): the upper end of the paired 95% interval over test blocks below zero', zh: '按敏感度分配位宽在相同平均位宽下优于统一位宽（HAWQ，Dong 等 2019）：测试分块配对 95% 区间上端低于零' },
    },
    {
      level: 'partly',
      metric: 'mixed_minus_uniform_test_bpc_ci_high',
      op: '<',
      value: 0,
      why: { en: 'the allocation half alone: rate–distortion allocation by sensitivity pays, though round-to-nearest is no optimal code', zh: '只有分配这一半：按敏感度做率失真分配有效，但就近取整并非最优编码' },
    },
  ],
  'comp.mixed-precision-75-99': [
    {
      level: 'reproduced',
      metric: 'selected_size_reduction',
      op: '>=',
      value: 0.75,
      why: { en: 'the seed: 75% smaller, counting the scales (16-bit) and the unquantized biases and LayerNorms (fp32)', zh: '种子：体积减少 75%，缩放因子（16 位）和未量化的偏置、LayerNorm（fp32）都计入' },
    },
    {
      level: 'reproduced',
      metric: 'selected_test_acc_kept_ci_low',
      op: '>=',
      value: 0.99,
      why: { en: 'the seed: 99% of the accuracy kept, on the test split, judged on the lower end of the paired 95% interval over test blocks', zh: '种子：保留 99% 的准确率，在测试集上按测试分块配对 95% 区间的下端判断' },
    },
  ],
} satisfies Record<string, readonly Criterion[]>;

/** Scores of one configuration on one split: per block, and their mean (blocks are of equal length). */
export interface SplitScore {
  bpc: number;
  acc: number;
  blocks: { bpc: number; acc: number }[];
}

/** accuracy kept, q/base, with the lower end of its paired 95% interval over blocks (pure; tested). */
export function accKept(q: SplitScore, base: SplitScore): { kept: number; low: number } {
  const d = pairedDiffCi95(q.blocks.map((b) => b.acc), base.blocks.map((b) => b.acc));
  return { kept: q.acc / base.acc, low: 1 + d.low / base.acc };
}

/**
 * The configuration the verdict reads, chosen on VALIDATION: the smallest whose accuracy kept has a
 * lower interval end ≥ 99% there; undefined if none does (pure; tested).
 */
export function selectOnValidation<C extends { sizeRatio: number; val: SplitScore }>(configs: readonly C[], base: SplitScore): C | undefined {
  return configs.filter((c) => accKept(c.val, base).low >= 0.99).sort((a, b) => a.sizeRatio - b.sizeRatio)[0];
}

/**
 * Choose bits per tensor minimising Σ cost[l][b] with Σ n_l·b_l ≤ budget·Σ n_l: a Lagrangian sweep
 * (each tensor picks argmin cost + λ·n·b; bisect λ) — the convex-hull solution of the knapsack.
 */
export function allocateBits(costs: number[][], sizes: number[], bitOptions: number[], budget: number): number[] {
  const N = sizes.reduce((a, b) => a + b, 0);
  const pick = (lam: number) =>
    costs.map((c, l) => {
      let best = 0;
      let bv = Infinity;
      bitOptions.forEach((b, k) => {
        const v = c[k]! + lam * sizes[l]! * b;
        if (v < bv) {
          bv = v;
          best = k;
        }
      });
      return best;
    });
  const avg = (ks: number[]) => ks.reduce((s, k, l) => s + bitOptions[k]! * sizes[l]!, 0) / N;
  let lo = 0;
  let hi = 1;
  while (avg(pick(hi)) > budget && hi < 1e12) hi *= 4;
  for (let it = 0; it < 100; it++) {
    const mid = (lo + hi) / 2;
    if (avg(pick(mid)) > budget) lo = mid;
    else hi = mid;
  }
  return pick(hi).map((k) => bitOptions[k]!);
}

type P = z.infer<typeof Params>;

/** The trained GPT, its weight matrices, the two held-out splits (validation, test) in blocks, and the scorer. */
async function setup(p: P, ctx: RunContext) {
  ctx.progress(0.01, 'tiny GPT');
  const g = await lensGPT(ctx, { config: p.config, steps: p.steps, seed: p.gptSeed });
  const model = g.model;
  // the held-out 10% in two: validation (every configuration; the selection) and test (scored once)
  const half = Math.min(p.evalChars + 1, Math.floor(g.valTok.length / 2));
  const splitBlocks = (tok: Int32Array) => {
    const L = Math.floor((tok.length - 1) / p.blocks);
    return Array.from({ length: p.blocks }, (_, i) => tok.subarray(i * L, i * L + L + 1));
  };
  const valBlocks = splitBlocks(g.valTok.subarray(0, half));
  const testBlocks = splitBlocks(g.valTok.subarray(half, 2 * half));
  const names = matrixNames(model);
  const W = weightArrays(model, names);
  const shape = (n: string) => model.params[n]!.shape as [number, number];
  const sizes = names.map((n) => W[n]!.length);
  const nQuant = sizes.reduce((a, b) => a + b, 0);
  const nOther = model.numParams - nQuant; // biases, LayerNorm: kept in fp32
  const score = (blocks: Int32Array[], arrays?: Record<string, Float32Array>): SplitScore => {
    const ts = arrays ? toTensors(model, arrays) : undefined;
    try {
      const bs = blocks.map((b) => evalGPT(model, b, ts));
      return { bpc: bs.reduce((a, b) => a + b.bpc, 0) / bs.length, acc: bs.reduce((a, b) => a + b.acc, 0) / bs.length, blocks: bs };
    } finally {
      if (ts) disposeAll(ts);
    }
  };
  const base = score(valBlocks);
  const baseTest = score(testBlocks);
  const evalWith = (arrays: Record<string, Float32Array>) => score(valBlocks, arrays);
  /** size in bits of the whole model: codes at nominal width + 16-bit side params + fp32 rest */
  const modelBits = (bitsPer: number[], side: number) => bitsPer.reduce((s, b, l) => s + b * sizes[l]!, 0) + 16 * side + 32 * nOther;
  const fp32Bits = 32 * model.numParams;
  return { model, g, names, W, shape, sizes, nQuant, score, base, baseTest, evalWith, modelBits, fp32Bits, valBlocks, testBlocks };
}
type Setup = Awaited<ReturnType<typeof setup>>;
type Row = Awaited<ReturnType<typeof rtnSweep>>['rows'][number];

/** Round-to-nearest at every width and scheme: distortion, code entropy, side information, validation scores. */
async function rtnSweep(p: P, ctx: RunContext, s: Setup) {
  const { model, names, W, shape, nQuant, evalWith, modelBits, fp32Bits, sizes } = s;
  // ---- RTN sweep
  type Row = { bits: number; scheme: string; mse: number; relD: number; entropy: number; sideBits: number; bpc: number; acc: number; sizeRatio: number; val: SplitScore; make: () => Record<string, Float32Array> };
  const rows: Row[] = [];
  const rdPoints: { tensor: string; bits: number; rate: number; relD: number; snrDb: number; scheme: string }[] = [];
  const schemes: { sym: boolean; gran: Granularity; label: string }[] = [
    { sym: true, gran: 'tensor', label: 'sym/tensor' },
    { sym: false, gran: 'tensor', label: 'asym/tensor' },
    { sym: true, gran: 'channel', label: 'sym/channel' },
    { sym: false, gran: 'channel', label: 'asym/channel' },
    { sym: true, gran: 'group', label: `sym/group${p.groupSize}` },
    { sym: false, gran: 'group', label: `asym/group${p.groupSize}` },
  ];
  const total = p.bits.length * schemes.length;
  let done = 0;
  for (const bits of p.bits) {
    for (const s of schemes) {
      throwIfAborted(ctx.signal);
      const spec: QuantSpec = { bits, symmetric: s.sym, granularity: s.gran, groupSize: p.groupSize };
      const q: Record<string, Float32Array> = {};
      let se = 0;
      let hSum = 0;
      let side = 0;
      let relSum = 0;
      for (const n of names) {
        const [I, J] = shape(n);
        const r = quantizeRTN(W[n]!, I, J, spec);
        q[n] = r.w;
        const m = mse(W[n]!, r.w);
        const v = variance(W[n]!);
        const h = codeEntropy(r.q);
        se += m * W[n]!.length;
        hSum += h * W[n]!.length;
        relSum += (m / v) * W[n]!.length;
        side += r.sideParams;
        if (s.label === 'sym/channel' || s.label === 'sym/tensor') rdPoints.push({ tensor: n, bits, rate: h, relD: m / v, snrDb: 10 * Math.log10(v / m), scheme: s.label });
      }
      const ev = evalWith(q);
      const make = () => Object.fromEntries(names.map((n) => [n, quantizeRTN(W[n]!, ...shape(n), spec).w]));
      rows.push({
        val: ev,
        make,
        bits,
        scheme: s.label,
        mse: se / nQuant,
        relD: relSum / nQuant,
        entropy: hSum / nQuant,
        sideBits: (16 * side) / nQuant,
        bpc: ev.bpc,
        acc: ev.acc,
        sizeRatio: modelBits(sizes.map(() => bits), side) / fp32Bits,
      });
      done++;
      ctx.progress(0.05 + 0.45 * (done / total), `RTN ${bits} bits ${s.label}`);
      await tick();
    }
  }

  return { rows, rdPoints };
}

/** GPTQ against round-to-nearest (per-channel symmetric) at 4 and 3 bits, on validation. */
async function gptqVsRtn(p: P, ctx: RunContext, s: Setup) {
  const { model, g, names, W, shape, evalWith } = s;
  // ---- GPTQ vs RTN (per-channel symmetric) at 4 and 3 bits on the linear layers
  ctx.progress(0.5, 'GPTQ Hessians');
  const calib = g.trainTok.subarray(0, Math.min(g.trainTok.length, p.calibChars));
  const Hs = linearInputHessians(model, g.vocab, calib);
  const gptqRows: { bits: number; method: string; bpc: number; acc: number; outErr: number }[] = [];
  for (const bits of [4, 3].filter((b) => p.bits.includes(b) || true)) {
    const spec: QuantSpec = { bits, symmetric: true, granularity: 'channel' };
    for (const method of ['RTN', 'GPTQ'] as const) {
      throwIfAborted(ctx.signal);
      const q: Record<string, Float32Array> = {};
      let oe = 0;
      let oeBase = 0;
      for (const n of names) {
        const [I, J] = shape(n);
        const Hn = Hs[n];
        const r = method === 'GPTQ' && Hn ? quantizeGPTQ(W[n]!, I, J, Hn.H, spec) : quantizeRTN(W[n]!, I, J, spec);
        q[n] = r.w;
        if (Hn) {
          oe += outputError(W[n]!, r.w, I, J, Hn.H);
          oeBase += outputError(W[n]!, new Float32Array(I * J), I, J, Hn.H);
        }
      }
      const ev = evalWith(q);
      gptqRows.push({ bits, method, bpc: ev.bpc, acc: ev.acc, outErr: oe / oeBase });
      await tick();
    }
  }
  ctx.progress(0.7, 'Fisher sensitivity');
  return gptqRows;
}

/** Bits per tensor from the diagonal Fisher under each average-bit budget, against uniform bits at that budget. */
async function mixedPrecision(p: P, ctx: RunContext, s: Setup) {
  const { model, g, names, W, shape, sizes, nQuant, evalWith, modelBits, fp32Bits } = s;
  // ---- mixed precision from the diagonal Fisher
  const F = diagFisher(model, g.trainTok, names, p.fisherBatches);
  const bitOptions = [2, 3, 4, 6, 8];
  const perTensor: Record<string, Record<number, { w: Float32Array; side: number }>> = {};
  const costs = names.map((n) => {
    const [I, J] = shape(n);
    perTensor[n] = {};
    return bitOptions.map((b) => {
      const r = quantizeRTN(W[n]!, I, J, { bits: b, symmetric: true, granularity: 'channel' });
      perTensor[n]![b] = { w: r.w, side: r.sideParams };
      let c = 0;
      const f = F[n]!;
      const w0 = W[n]!;
      for (let i = 0; i < w0.length; i++) c += 0.5 * f[i]! * (r.w[i]! - w0[i]!) ** 2;
      return c;
    });
  });
  const mixedRows: { budget: number; method: string; avgBits: number; bpc: number; acc: number; sizeRatio: number; alloc: string; val: SplitScore; q: Record<string, Float32Array> }[] = [];
  for (const budget of p.budgets) {
    throwIfAborted(ctx.signal);
    const alloc = allocateBits(costs, sizes, bitOptions, budget);
    const q: Record<string, Float32Array> = {};
    let side = 0;
    names.forEach((n, l) => {
      q[n] = perTensor[n]![alloc[l]!]!.w;
      side += perTensor[n]![alloc[l]!]!.side;
    });
    const ev = evalWith(q);
    const avgBits = alloc.reduce((s, b, l) => s + b * sizes[l]!, 0) / nQuant;
    mixedRows.push({ val: ev, q, budget, method: 'mixed (Fisher)', avgBits, bpc: ev.bpc, acc: ev.acc, sizeRatio: modelBits(alloc, side) / fp32Bits, alloc: names.map((n, l) => `${n.replace('.weight', '')}:${alloc[l]}`).join(' ') });
    // uniform at the same average (rounded down to an available width)
    const ub = [...bitOptions].reverse().find((b) => b <= budget + 1e-9) ?? 2;
    const uq: Record<string, Float32Array> = {};
    let us = 0;
    names.forEach((n) => {
      uq[n] = perTensor[n]![ub]!.w;
      us += perTensor[n]![ub]!.side;
    });
    const uev = evalWith(uq);
    mixedRows.push({ val: uev, q: uq, budget, method: `uniform ${ub}-bit`, avgBits: ub, bpc: uev.bpc, acc: uev.acc, sizeRatio: modelBits(sizes.map(() => ub), us) / fp32Bits, alloc: '' });
    await tick();
  }
  ctx.progress(0.95, 'figures');
  return mixedRows;
}

/** Everything measured, and the numbers the verdicts read (the only scores on the test split are here). */
async function measure(p: P, ctx: RunContext) {
  const s = await setup(p, ctx);
  const { score, base, baseTest, testBlocks } = s;
  const { rows, rdPoints } = await rtnSweep(p, ctx, s);
  const gptqRows = await gptqVsRtn(p, ctx, s);
  const mixedRows = await mixedPrecision(p, ctx, s);
  // ---- numbers for the verdicts
  const symCh = rows.filter((r) => r.scheme === 'sym/channel').sort((a, b) => a.bits - b.bits);
  const snr = (r: Row) => 10 * Math.log10(1 / r.relD);
  const hi = symCh.filter((r) => r.bits >= 3);
  const dbPerBit = hi.length >= 2 ? slope(hi.map((r) => r.bits), hi.map(snr)) : NaN;
  // gap to the Gaussian bound at the measured entropy rate: bits more than D(R) would need for that distortion
  const gapBits = hi.length ? hi.reduce((s, r) => s + (r.entropy - -0.5 * Math.log2(r.relD)), 0) / hi.length : NaN;
  const all = [
    ...rows.map((r) => ({ label: `RTN ${r.bits}b ${r.scheme}`, sizeRatio: r.sizeRatio, acc: r.acc, bpc: r.bpc })),
    ...mixedRows.map((r) => ({ label: `${r.method} @${r.budget}`, sizeRatio: r.sizeRatio, acc: r.acc, bpc: r.bpc })),
  ];
  // comp.mixed-precision-75-99: choose on validation, score the choice once on test
  const candidates = [
    ...rows.map((r) => ({ label: `RTN ${r.bits}b ${r.scheme}`, sizeRatio: r.sizeRatio, val: r.val, make: r.make })),
    ...mixedRows.map((r) => ({ label: `${r.method} @${r.budget}`, sizeRatio: r.sizeRatio, val: r.val, make: () => r.q })),
  ];
  const best = selectOnValidation(candidates, base);
  const bestTest = best ? score(testBlocks, best.make()) : undefined;
  const bestReduction = best ? 1 - best.sizeRatio : 0;
  const keptTest = bestTest ? accKept(bestTest, baseTest) : { kept: NaN, low: NaN };
  // comp.quant-rate-distortion: mixed against uniform at the declared average width, on test
  const atBudget = (m: string) => mixedRows.find((r) => r.budget === p.verdictBudget && r.method.startsWith(m));
  const mixB = atBudget('mixed');
  const uniB = atBudget('uniform');
  const mixTest = mixB && uniB && mixB.avgBits <= p.verdictBudget + 1e-9 ? score(testBlocks, mixB.q) : undefined;
  const uniTest = mixTest && uniB ? score(testBlocks, uniB.q) : undefined;
  const mvu = mixTest && uniTest ? pairedDiffCi95(mixTest.blocks.map((b) => b.bpc), uniTest.blocks.map((b) => b.bpc)) : { mean: NaN, low: NaN, high: NaN };
  const int8 = rows.find((r) => r.bits === 8 && r.scheme === 'sym/channel');
  const r4 = gptqRows.find((r) => r.bits === 4 && r.method === 'RTN');
  const q4 = gptqRows.find((r) => r.bits === 4 && r.method === 'GPTQ');
  const r3 = gptqRows.find((r) => r.bits === 3 && r.method === 'RTN');
  const q3 = gptqRows.find((r) => r.bits === 3 && r.method === 'GPTQ');
  return { base, rows, rdPoints, gptqRows, mixedRows, symCh, snr, dbPerBit, gapBits, all, best, bestReduction, keptTest, mvu, int8, r4, q4, r3, q3 };
}
type Measured = Awaited<ReturnType<typeof measure>>;

function quantMetrics(m: Measured): Metric[] {
  const { base, mixedRows, dbPerBit, gapBits, int8, r4, q4, r3, q3, best, bestReduction } = m;
  const metrics: Metric[] = [
    { name: 'fp32_val_bpc', value: base.bpc, unit: 'bits/char' },
    { name: 'fp32_val_acc', value: base.acc, unit: '1' },
    { name: 'db_per_bit', value: dbPerBit, unit: 'dB/bit', reference: { value: 6.02, source: '20·log10(2)' } },
    { name: 'gap_to_gaussian_RD_bits', value: gapBits, unit: 'bits', reference: { value: 0.254, source: 'Gish & Pierce 1968: ½·log2(πe/6)' } },
    { name: 'int8_channel_bpc', value: int8?.bpc ?? NaN, unit: 'bits/char' },
    { name: 'int8_channel_entropy', value: int8?.entropy ?? NaN, unit: 'bits/weight' },
    { name: 'rtn4_bpc', value: r4?.bpc ?? NaN, unit: 'bits/char', reference: { value: 10.54, source: 'GPTQ paper: OPT-175B RTN 4-bit ppl (fp16 8.34)' } },
    { name: 'gptq4_bpc', value: q4?.bpc ?? NaN, unit: 'bits/char', reference: { value: 8.37, source: 'GPTQ paper: OPT-175B GPTQ 4-bit ppl' } },
    { name: 'rtn3_bpc', value: r3?.bpc ?? NaN, unit: 'bits/char' },
    { name: 'gptq3_bpc', value: q3?.bpc ?? NaN, unit: 'bits/char' },
    { name: 'smallest_size_keeping_99pct_acc', value: best?.sizeRatio ?? NaN, unit: 'of fp32', label: { zh: '保留 99% 准确率的最小模型（相对 fp32）', en: 'smallest model keeping 99% of the accuracy (of fp32)' } },
    { name: 'size_reduction_keeping_99pct_acc', value: bestReduction, unit: '1', reference: { value: 0.75, source: 'seed: 75% smaller, 99% kept' } },
  ];
  for (const r of mixedRows) metrics.push({ name: `${r.method.startsWith('mixed') ? 'mixed' : 'uniform'}_${r.budget}b_bpc`, value: r.bpc, unit: 'bits/char' });
  return metrics;
}

/** an RTN scheme ('sym/channel', 'asym/group64') as a learner reads it */
function schemeText(scheme: string): Bilingual {
  const [sym, gran] = scheme.split('/') as [string, string];
  const g = /^group(\d+)$/.exec(gran);
  const granZh = gran === 'tensor' ? '按张量' : gran === 'channel' ? '按通道' : g ? `按组（${g[1]}）` : gran;
  return { en: scheme, zh: `${sym === 'asym' ? '非对称' : '对称'}/${granZh}` };
}
/** the schemes in the order they were swept, for a colour domain that is the same in both languages */
const schemeDomain = (rows: { scheme: string }[]) => [...new Set(rows.map((r) => r.scheme))].map(schemeText);
/** a configuration's label ('RTN 4b sym/channel', 'mixed (Fisher) @4', 'uniform 4-bit @4') in both languages */
function configText(label: string): Bilingual {
  const rtn = /^RTN (\d+)b (\S+)$/.exec(label);
  if (rtn) return { en: label, zh: `就近取整 ${rtn[1]} 比特 ${schemeText(rtn[2]!).zh}` };
  const mixed = /^mixed \(Fisher\) @(\S+)$/.exec(label);
  if (mixed) return { en: label, zh: `混合精度（Fisher）@${mixed[1]}` };
  const uni = /^uniform (\d+)-bit @(\S+)$/.exec(label);
  if (uni) return { en: label, zh: `统一 ${uni[1]} 比特 @${uni[2]}` };
  return { en: label, zh: label };
}
/** the embeddings by name; the other matrices' names (h.0.attn.c_attn.weight) are identifiers */
const tensorText = (n: string): Text => (n === 'wte' ? { en: 'wte (token embedding)', zh: 'wte（词元嵌入）' } : n === 'wpe' ? { en: 'wpe (position embedding)', zh: 'wpe（位置嵌入）' } : n);
const SCHEME: Bilingual = { en: 'scheme', zh: '量化方案' };
const METHOD: Bilingual = { en: 'method', zh: '方法' };
const NOMINAL_BITS: Bilingual = { en: 'nominal bits', zh: '名义位宽' };

/** The rate–distortion plane and SNR against bits. */
function rdFigures(m: Measured): Figure[] {
  const { rows, rdPoints, symCh, snr, dbPerBit } = m;
  // ---- figures
  const Rgrid = Array.from({ length: 41 }, (_, i) => i * 0.2);
  const figures: Figure[] = [
    {
      id: 'rate-distortion',
      title: { zh: '率失真平面：每个权重矩阵', en: 'Rate–distortion: every weight matrix' },
      caption: {
        zh: '横轴是码字的经验熵（熵编码后的真实码率），纵轴是相对失真 D/σ²。实线是高斯信源的香农界，虚线是熵编码均匀量化的高码率理论（差 1.53 dB）。',
        en: 'x: the empirical entropy of the codes (the real rate after entropy coding); y: relative distortion D/σ². Solid: the Gaussian Shannon bound; dashed: the entropy-coded uniform quantizer at high rate (1.53 dB above).',
      },
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: { en: 'Weight quantization on the rate–distortion plane', zh: '率失真平面上的权重量化' },
        width: 460,
        height: 300,
        layer: [
          {
            data: { values: [...Rgrid.map((R) => ({ R, D: gaussianDR(R), curve: 'D(R) = σ²2^(−2R)' })), ...Rgrid.map((R) => ({ R, D: ecsqHighRate(R), curve: '(πe/6)σ²2^(−2R)' }))] },
            mark: { type: 'line', color: 'black' },
            encoding: {
              x: { field: 'R', type: 'quantitative', title: { en: 'rate R (bits/weight)', zh: '码率 R（比特/权重）' }, scale: { domain: [0, 8] } },
              y: { field: 'D', type: 'quantitative', title: 'D/σ²', scale: { type: 'log', domain: [1e-5, 2] } },
              // the bound first, so it is the solid line the caption names
              strokeDash: { field: 'curve', type: 'nominal', title: { en: 'theory', zh: '理论' }, scale: { domain: ['D(R) = σ²2^(−2R)', '(πe/6)σ²2^(−2R)'] } },
            },
          },
          {
            data: { values: rdPoints.map((r) => ({ ...r, tensor: tensorText(r.tensor), scheme: schemeText(r.scheme) })) },
            mark: { type: 'point', filled: true, size: 30, opacity: 0.7 },
            encoding: {
              x: { field: 'rate', type: 'quantitative' },
              y: { field: 'relD', type: 'quantitative' },
              color: { field: 'bits', type: 'ordinal', title: NOMINAL_BITS },
              shape: { field: 'scheme', type: 'nominal', title: { en: 'RTN scheme', zh: '就近取整方案' }, scale: { domain: schemeDomain(rdPoints) } },
              tooltip: [
                { field: 'tensor', title: { en: 'tensor', zh: '张量' } },
                { field: 'bits', title: NOMINAL_BITS },
                { field: 'rate', title: { en: 'rate R (bits/weight)', zh: '码率 R（比特/权重）' } },
                { field: 'relD', title: 'D/σ²' },
              ],
            },
          },
        ],
      },
    },
    {
      id: 'snr-per-bit',
      title: { zh: '信噪比与位宽：每比特 6.02 dB', en: 'SNR against bits: 6.02 dB per bit' },
      caption: {
        zh: `各量化方案的平均信噪比；按通道对称量化的拟合斜率 ${dbPerBit.toFixed(2)} dB/bit，黑色虚线是每比特 6.02 dB 的理论斜率。`,
        en: `Mean SNR of each RTN scheme; per-channel symmetric fits a slope of ${dbPerBit.toFixed(2)} dB/bit; black dashed: the 6.02 dB per bit of theory.`,
      },
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: { en: 'SNR = 10·log10(σ²/D) vs nominal bits', zh: 'SNR = 10·log10(σ²/D) 与名义位宽' },
        width: 420,
        height: 260,
        layer: [
          {
            data: { values: rows.map((r) => ({ bits: r.bits, snr: snr(r), scheme: schemeText(r.scheme) })) },
            mark: { type: 'line', point: true },
            encoding: {
              x: { field: 'bits', type: 'quantitative', title: { en: 'bits', zh: '位宽（比特）' } },
              y: { field: 'snr', type: 'quantitative', title: { en: 'SNR (dB)', zh: '信噪比（dB）' } },
              color: { field: 'scheme', type: 'nominal', title: SCHEME, scale: { domain: schemeDomain(rows) } },
            },
          },
          {
            data: { values: [2, 8].map((b) => ({ bits: b, snr: (symCh.length ? snr(symCh[symCh.length - 1]!) : 0) + 6.02 * (b - (symCh[symCh.length - 1]?.bits ?? 8)) })) },
            mark: { type: 'line', color: 'black', strokeDash: [5, 4] },
            encoding: { x: { field: 'bits', type: 'quantitative' }, y: { field: 'snr', type: 'quantitative' } },
          },
        ],
      },
    },
  ];
  return figures;
}

/** Validation bpc against bits, GPTQ against RTN, size against accuracy. */
function modelFigures(m: Measured): Figure[] {
  const { base, rows, gptqRows, all } = m;
  const KIND = {
    rtn: { en: 'RTN sweep', zh: '就近取整扫描' },
    uniform: { en: 'uniform (per-channel)', zh: '统一位宽（按通道）' },
    mixed: { en: 'mixed (Fisher)', zh: '混合精度（Fisher）' },
  } satisfies Record<string, Bilingual>;
  return [
    {
      id: 'bpc-vs-bits',
      title: { zh: '验证集 bpc 与位宽', en: 'Held-out bpc against bits' },
      caption: { zh: `虚线为 fp32 的 ${base.bpc.toFixed(3)} bpc。`, en: `Dashed: fp32 at ${base.bpc.toFixed(3)} bpc.` },
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: { en: 'Held-out bpc of the quantized GPT', zh: '量化后 GPT 的验证集 bpc' },
        width: 420,
        height: 260,
        layer: [
          {
            data: { values: rows.map(({ val: _v, make: _m, ...r }) => ({ ...r, scheme: schemeText(r.scheme) })) },
            mark: { type: 'line', point: true },
            encoding: {
              x: { field: 'bits', type: 'quantitative', title: { en: 'bits per weight (nominal)', zh: '每权重比特数（名义）' } },
              y: { field: 'bpc', type: 'quantitative', title: { en: 'val bpc', zh: '验证集 bpc' }, scale: { zero: false } },
              color: { field: 'scheme', type: 'nominal', title: SCHEME, scale: { domain: schemeDomain(rows) } },
            },
          },
          { data: { values: [{ y: base.bpc }] }, mark: { type: 'rule', strokeDash: [4, 3], color: 'black' }, encoding: { y: { field: 'y', type: 'quantitative' } } },
        ],
      },
    },
    {
      id: 'gptq-vs-rtn',
      title: { zh: 'GPTQ 与就近取整', en: 'GPTQ vs round-to-nearest' },
      caption: { zh: '纵轴为相对 fp32 的 bpc 增量（越低越好）。', en: 'y: bpc increase over fp32 (lower is better).' },
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: { en: 'Per-channel symmetric; linear layers by GPTQ, embeddings RTN', zh: '按通道对称量化；线性层用 GPTQ，嵌入层就近取整' },
        width: 320,
        height: 240,
        data: { values: gptqRows.map((r) => ({ ...r, bitsLabel: { en: `${r.bits} bits`, zh: `${r.bits} 比特` }, dbpc: r.bpc - base.bpc })) },
        mark: 'bar',
        encoding: {
          x: { field: 'bitsLabel', type: 'nominal', title: null, axis: { labelAngle: 0 } },
          xOffset: { field: 'method', type: 'nominal' },
          y: { field: 'dbpc', type: 'quantitative', title: { en: 'bpc − fp32 bpc', zh: 'bpc 增量（减去 fp32 的 bpc）' } },
          color: { field: 'method', type: 'nominal', title: METHOD },
          tooltip: [
            { field: 'method', title: METHOD },
            { field: 'bits', title: { en: 'bits', zh: '位宽（比特）' } },
            { field: 'bpc', title: { en: 'val bpc', zh: '验证集 bpc' }, format: '.4f' },
            { field: 'outErr', title: { en: 'linear-layer output error (relative)', zh: '线性层输出误差（相对）' }, format: '.3e' },
          ],
        },
      },
    },
    {
      id: 'size-vs-accuracy',
      title: { zh: '模型大小与准确率', en: 'Model size against accuracy' },
      caption: {
        zh: '横轴为相对 fp32 的大小（含缩放因子与未量化的偏置），纵轴为下一字符准确率；虚线为 fp32 准确率的 99%，灰色点线为 fp32 大小的四分之一（缩小 75%）。',
        en: 'x: size relative to fp32 (scales and unquantized biases included); y: next-character accuracy; dashed: 99% of the fp32 accuracy; grey dotted: a quarter of the fp32 size (75% smaller).',
      },
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: { en: 'Size vs next-character accuracy', zh: '模型大小与下一字符准确率' },
        width: 420,
        height: 260,
        layer: [
          {
            data: { values: all.map((r) => ({ ...r, label: configText(r.label), kind: r.label.startsWith('mixed') ? KIND.mixed : r.label.startsWith('uniform') ? KIND.uniform : KIND.rtn })) },
            mark: { type: 'point', filled: true },
            encoding: {
              x: { field: 'sizeRatio', type: 'quantitative', title: { en: 'size / fp32', zh: '大小 / fp32' }, scale: { type: 'log' } },
              y: { field: 'acc', type: 'quantitative', title: { en: 'next-char accuracy', zh: '下一字符准确率' }, scale: { zero: false } },
              color: { field: 'kind', type: 'nominal', title: { en: 'configurations', zh: '配置' }, scale: { domain: [KIND.rtn, KIND.uniform, KIND.mixed] }, legend: { labelLimit: 300 } },
              tooltip: [
                { field: 'label', title: { en: 'configuration', zh: '配置' } },
                { field: 'sizeRatio', title: { en: 'size / fp32', zh: '大小 / fp32' } },
                { field: 'acc', title: { en: 'next-char accuracy', zh: '下一字符准确率' } },
                { field: 'bpc', title: { en: 'val bpc', zh: '验证集 bpc' } },
              ],
            },
          },
          { data: { values: [{ y: 0.99 * base.acc }] }, mark: { type: 'rule', strokeDash: [4, 3], color: 'black' }, encoding: { y: { field: 'y', type: 'quantitative' } } },
          { data: { values: [{ x: 0.25 }] }, mark: { type: 'rule', strokeDash: [2, 2], color: 'gray' }, encoding: { x: { field: 'x', type: 'quantitative' } } },
        ],
      },
    },
  ];

}

const f3 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(3));

function quantFindings(m: Measured): Bilingual[] {
  const { base, int8, dbPerBit, gapBits, q4, r4, q3, r3, best, bestReduction, mixedRows } = m;
  return [
    {
      zh: `fp32 小 GPT 的验证 bpc 为 ${f3(base.bpc)}、下一字符准确率 ${(100 * base.acc).toFixed(1)}%；按通道 int8 量化后 bpc ${f3(int8?.bpc)}，码字经验熵只有 ${f3(int8?.entropy)} 比特/权重——8 位的码字里有近 ${f3(int8 ? 8 - int8.entropy : NaN)} 比特是冗余。`,
      en: `The fp32 tiny GPT scores ${f3(base.bpc)} bpc and ${(100 * base.acc).toFixed(1)}% next-char accuracy; per-channel int8 gives ${f3(int8?.bpc)} bpc, and its codes carry only ${f3(int8?.entropy)} bits/weight of entropy — about ${f3(int8 ? 8 - int8.entropy : NaN)} of the 8 bits are redundant.`,
    },
    {
      zh: `每多 1 比特，信噪比提高 ${dbPerBit.toFixed(2)} dB（理论 6.02）；但在相同的熵码率下，就近取整比高斯率失真界多用约 ${gapBits.toFixed(2)} 比特（熵编码均匀量化的理论差距是 0.25 比特）——量化遵循率失真规律，却不是“最优编码”。`,
      en: `Each extra bit buys ${dbPerBit.toFixed(2)} dB of SNR (theory 6.02); at equal entropy rate RTN spends about ${gapBits.toFixed(2)} bits more than the Gaussian R(D) bound (the entropy-coded uniform quantizer's gap is 0.25 bit): quantization follows rate–distortion, but it is not "optimal coding".`,
    },
    {
      zh: `4 比特时 GPTQ 的 bpc 为 ${f3(q4?.bpc)}，就近取整 ${f3(r4?.bpc)}；3 比特时分别为 ${f3(q3?.bpc)} 与 ${f3(r3?.bpc)}（GPTQ 论文中 OPT-175B 4 比特困惑度 8.37 对 10.54）。`,
      en: `At 4 bits GPTQ reaches ${f3(q4?.bpc)} bpc against RTN's ${f3(r4?.bpc)}; at 3 bits ${f3(q3?.bpc)} against ${f3(r3?.bpc)} (GPTQ paper, OPT-175B at 4 bits: perplexity 8.37 vs 10.54).`,
    },
    {
      zh: `在验证集上选出的、保留 99% 准确率（区间下端）的最小配置是「${best?.label ?? '无'}」，只有 fp32 的 ${(100 * (best?.sizeRatio ?? NaN)).toFixed(1)}%（缩小 ${(100 * bestReduction).toFixed(1)}%）。${mixedRows.filter((r) => r.method.startsWith('mixed')).map((r) => `平均 ${r.budget} 比特时混合精度 bpc ${f3(r.bpc)}、统一位宽 ${f3(mixedRows.find((u) => u.budget === r.budget && u.method.startsWith('uniform'))?.bpc)}`).join('；')}。`,
      en: `The smallest configuration keeping 99% of the accuracy on validation (lower interval end) is "${best?.label ?? 'none'}", ${(100 * (best?.sizeRatio ?? NaN)).toFixed(1)}% of fp32 (${(100 * bestReduction).toFixed(1)}% smaller). ${mixedRows.filter((r) => r.method.startsWith('mixed')).map((r) => `At ${r.budget} bits on average, mixed precision gives ${f3(r.bpc)} bpc against uniform's ${f3(mixedRows.find((u) => u.budget === r.budget && u.method.startsWith('uniform'))?.bpc)}`).join('; ')}.`,
    },
  ];
}

function quantVerdicts(p: P, m: Measured): ClaimVerdict[] {
  const { base, int8, dbPerBit, gapBits, mvu, best, bestReduction, keptTest } = m;
  const rdEvidence = { rtn_gap_to_rd_bits: gapBits, mixed_minus_uniform_test_bpc_ci_high: mvu.high, mixed_minus_uniform_test_bpc_mean: mvu.mean, db_per_bit: dbPerBit, int8_entropy: int8?.entropy ?? NaN, budget_bits: p.verdictBudget };
  const mxEvidence = { selected_size_reduction: bestReduction, selected_test_acc_kept_ci_low: keptTest.low, selected_test_acc_kept: keptTest.kept, selected_val_acc_kept: best ? best.val.acc / base.acc : NaN };
  const mvuText = `${f3(mvu.mean)} (≤ ${f3(mvu.high)})`;
  const verdicts: ClaimVerdict[] = [
    verdictFor('comp.quant-rate-distortion', CRITERIA['comp.quant-rate-distortion'], rdEvidence, (v) => ({
      zh:
        v === 'reproduced'
          ? `成立：就近取整在相同失真下只比率失真界多用 ${gapBits.toFixed(2)} 比特/权重；平均 ${p.verdictBudget} 比特时，按敏感度分配位宽比统一位宽的测试 bpc 低 ${mvuText}。`
          : v === 'partly'
            ? `部分成立：按敏感度分配位宽符合率失真的分配原则——平均 ${p.verdictBudget} 比特时比统一位宽的测试 bpc 差 ${mvuText}（区间低于零）；但就近取整不是“最优编码”：相同失真下比 R(D) 界多用 ${gapBits.toFixed(2)} 比特/权重，int8 码字的熵只有 ${f3(int8?.entropy)} 比特。（每比特 ${dbPerBit.toFixed(2)} dB 对任何均匀量化器都成立，不作为证据。）`
            : `未复现：就近取整比 R(D) 界多用 ${gapBits.toFixed(2)} 比特/权重，平均 ${p.verdictBudget} 比特时混合精度与统一位宽的测试 bpc 差为 ${mvuText}，区间未低于零。`,
      en:
        v === 'reproduced'
          ? `Holds: round-to-nearest spends only ${gapBits.toFixed(2)} bits/weight above the R(D) bound at its distortion, and at ${p.verdictBudget} bits on average, bits by sensitivity beat uniform bits by ${mvuText} test bpc.`
          : v === 'partly'
            ? `Partly: allocating bits by sensitivity follows the rate–distortion principle — at ${p.verdictBudget} bits on average it changes test bpc by ${mvuText} against uniform bits, the interval below zero — but round-to-nearest is no "optimal code": it spends ${gapBits.toFixed(2)} bits/weight above R(D) at its distortion, and int8 codes carry only ${f3(int8?.entropy)} bits of entropy. (${dbPerBit.toFixed(2)} dB per bit holds for any uniform quantizer and is not evidence.)`
            : `Not reproduced: round-to-nearest spends ${gapBits.toFixed(2)} bits/weight above R(D), and at ${p.verdictBudget} bits on average mixed minus uniform test bpc is ${mvuText}, the interval not below zero.`,
    }), 'Shannon D(R); Gish & Pierce 1968; Dong et al. 2019'),
    verdictFor('comp.mixed-precision-75-99', CRITERIA['comp.mixed-precision-75-99'], mxEvidence, (v) => {
      const sel = best ? `「${best.label}」` : '—';
      const selEn = best ? `"${best.label}"` : 'none';
      const kept = `${(100 * keptTest.kept).toFixed(1)}% (≥ ${(100 * keptTest.low).toFixed(1)}%)`;
      return {
        zh:
          v === 'reproduced'
            ? `成立：在验证集上选出的最小配置 ${sel} 缩小 ${(100 * bestReduction).toFixed(1)}%，在测试集上保留 ${kept} 的准确率。“75%”本是 32→8 位的算术；在这个规模上统一位宽已经做到。`
            : `未复现：在验证集上选出的最小配置 ${sel} 缩小 ${(100 * bestReduction).toFixed(1)}%，在测试集上保留 ${kept} 的准确率（需要 ≥ 75% 且区间下端 ≥ 99%）。`,
        en:
          v === 'reproduced'
            ? `Holds: the smallest configuration chosen on validation, ${selEn}, is ${(100 * bestReduction).toFixed(1)}% smaller and keeps ${kept} of the accuracy on test. "75%" is the arithmetic of 32 → 8 bits; at this scale uniform widths already get there.`
            : `Not reproduced: the smallest configuration chosen on validation, ${selEn}, is ${(100 * bestReduction).toFixed(1)}% smaller and keeps ${kept} of the accuracy on test (needs ≥ 75% and a lower interval end ≥ 99%).`,
      };
    }, 'seed claim; Jacob et al. 2018; Dettmers et al. 2022'),
  ];
  return verdicts;
}

export const quantization = defineExperiment({
  id: 'compression.quantization',
  lens: 'compression',
  title: { zh: '量化：把 GPT 权重放到率失真平面上', en: 'Quantization: the GPT’s weights on the rate–distortion plane' },
  summary: {
    zh: '对训练好的小 GPT 做 8/6/4/3/2 位的就近取整量化（对称/非对称，按张量/通道/分组），测量权重误差、码字的经验熵（真实码率）和验证集 bpc；与高斯率失真界 D=σ²2^(−2R) 和每比特 6.02 dB 对照；再比较 GPTQ 与就近取整，以及按敏感度分配位宽的混合精度。',
    en: 'Round-to-nearest quantization of the trained tiny GPT at 8/6/4/3/2 bits (symmetric/asymmetric, per tensor/channel/group): weight error, the empirical entropy of the codes (the real rate) and held-out bpc, beside the Gaussian bound D = σ²2^(−2R) and 6.02 dB per bit; then GPTQ against round-to-nearest, and mixed precision by sensitivity.',
  },
  claims: ['comp.quant-rate-distortion', 'comp.mixed-precision-75-99'],
  criteria: CRITERIA,
  params: Params,
  presets: {
    quick: { config: 'nano', steps: 60, evalChars: 2048, blocks: 4, bits: [8, 4, 2], calibChars: 128, fisherBatches: 2, budgets: [4] },
    full: {},
  },
  formulas: [
    { tex: 'D(R)=\\sigma^2 2^{-2R}', label: { zh: '高斯信源的率失真函数', en: 'rate–distortion of a Gaussian source' } },
    { tex: 'D\\approx\\Delta^2/12,\\;\\Delta=\\frac{\\max|w|}{2^{b-1}-1}', label: { zh: '均匀量化噪声', en: 'uniform quantization noise' } },
    { tex: '\\Delta\\mathcal L\\approx\\tfrac12\\sum_i F_{ii}(\\hat w_i-w_i)^2', label: { zh: 'Fisher 加权敏感度', en: 'Fisher-weighted sensitivity' } },
  ],
  async run(p, ctx) {
    const m = await measure(p, ctx);
    const { rows, gptqRows, mixedRows } = m;
    return {
      metrics: quantMetrics(m),
      figures: [...rdFigures(m), ...modelFigures(m)],
      findings: quantFindings(m),
      verdicts: quantVerdicts(p, m),
      tables: [
        { id: 'rtn', title: { zh: '就近取整量化', en: 'Round-to-nearest sweep' }, rows: rows.map(({ val: _v, make: _m, ...r }) => ({ ...r, mse: Number(r.mse.toExponential(3)), relD: Number(r.relD.toExponential(3)), entropy: Number(r.entropy.toFixed(3)), sideBits: Number(r.sideBits.toFixed(3)), bpc: Number(r.bpc.toFixed(4)), acc: Number(r.acc.toFixed(4)), sizeRatio: Number(r.sizeRatio.toFixed(4)) })) },
        { id: 'gptq', title: { zh: 'GPTQ 与就近取整', en: 'GPTQ vs RTN' }, rows: gptqRows.map((r) => ({ ...r, bpc: Number(r.bpc.toFixed(4)), acc: Number(r.acc.toFixed(4)), outErr: Number(r.outErr.toExponential(3)) })) },
        { id: 'mixed', title: { zh: '混合精度', en: 'Mixed precision' }, rows: mixedRows.map(({ val: _v, q: _q, ...r }) => ({ ...r, bpc: Number(r.bpc.toFixed(4)), acc: Number(r.acc.toFixed(4)), sizeRatio: Number(r.sizeRatio.toFixed(4)), avgBits: Number(r.avgBits.toFixed(3)) })) },
      ],
    };
  },
});
