/**
 * information.bottleneck-curve — the information bottleneck, computed exactly.
 *
 * Claim (seed, 信息论): 「信息瓶颈原理通过最小化 I(X;T) − βI(T;Y) 的形式化表达，为解释深度学习的特征提取过程
 * 提供了理论框架。在大模型训练中，这一理论表现为神经网络在预训练阶段先最大化输入信息捕获（增大 I(X;T)），
 * 在微调阶段则专注于任务相关信息的强化（提升 I(T;Y)）」.
 *
 * Paper: N. Tishby, F. C. Pereira, W. Bialek, "The information bottleneck method" (1999): the
 * self-consistent equations and the iterative algorithm; deterministic annealing over β traces the
 * optimal trade-off curve I(T;Y) against I(X;T), which is monotone and concave with slope 1/β.
 * Wu, Fischer, Chuang, Tegmark (2019), "Learnability for the information bottleneck": the trivial
 * solution T ⟂ X becomes unstable at β = 1/ρ_m², ρ_m the maximal correlation of X and Y.
 *
 * What is measured, on two joints p(x, y):
 * 1. a synthetic one, 8 x's in a hierarchy (2 super-groups × 2 groups × 2 members) over 4 y's;
 * 2. a text one: x = previous character, y = next character, counted on a corpus.
 * For each: the IB curve over a β sweep, the number of effective clusters against β (it grows in
 * steps: phase transitions), the first split beside the theoretical 1/ρ_m², and checks that the
 * curve is monotone and concave.
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Bilingual, type Figure, type Metric, type RunContext } from '../../experiments/contract.js';
import { lineChart, type Row } from '../../report/charts.js';
import { hardClusters, ibProblem, ibSweep, maximalCorrelation, type IBPoint, type IBProblem } from './ib.js';
import { mutualInformation, entropy } from './measures.js';

const Params = z.object({
  corpus: z.enum(['shakespeare', 'tang', 'song']).default('shakespeare').describe('corpus for the previous-char → next-char joint').meta({ zh: '用哪份语料来统计“前一个字符 → 下一个字符”的联合分布' }),
  maxChars: z.number().int().min(1000).max(2_000_000).default(2_000_000).describe('characters of the corpus counted (tiny shakespeare has 1,115,394)').meta({ zh: '参与计数的语料字符数（tiny shakespeare 共 1,115,394 个）' }),
  topChars: z.number().int().min(4).max(200).default(65).describe('keep the most frequent characters only (x and y both among them); 65 = all of tiny shakespeare').meta({ zh: '只保留出现最多的这么多个字符（x 和 y 都在其中）；65 即 tiny shakespeare 的全部字符' }),
  clusters: z.number().int().min(2).max(200).default(32).describe('cardinality of T for the text joint (slots; the effective number is measured)').meta({ zh: '文本联合分布中压缩变量 T 的取值个数上限（槽位数；实际用到的个数会被测出来）' }),
  betaMin: z.number().positive().default(0.5).describe('smallest β (dimensionless trade-off)').meta({ zh: '最小的 β（无量纲的权衡系数：β 越大越看重保留关于 y 的信息）' }),
  betaMax: z.number().positive().default(200).describe('largest β').meta({ zh: '最大的 β' }),
  betaSteps: z.number().int().min(5).max(400).default(70).describe('β values, log-spaced').meta({ zh: '取多少个 β 值（在对数尺度上均匀分布）' }),
  maxIter: z.number().int().min(10).max(10000).default(1500).describe('IB iterations per β at most (stops when p(t|x) moves < 1e-7)').meta({ zh: '每个 β 最多迭代多少次信息瓶颈算法（p(t|x) 的变化小于 1e-7 时提前停止）' }),
});
type P = z.infer<typeof Params>;

/** The synthetic hierarchical joint: 8 x's (uniform) over 4 y's. Shape [8][4]. */
export function syntheticJoint(): number[][] {
  const rows: number[][] = [];
  for (let x = 0; x < 8; x++) {
    const a = x < 4 ? [0.4, 0.4, 0.1, 0.1] : [0.1, 0.1, 0.4, 0.4]; // super-group: which half of y
    const g = (x >> 1) & 1 ? 0.5 : -0.5; // group: odd vs even y within the half
    const b = a.map((v, y) => v * (1 + g * (y & 1 ? 1 : -1)));
    const s = x & 1 ? 0.15 : -0.15; // member: a small twist
    const c = b.map((v, y) => v * (1 + s * (y < 2 ? 1 : -1) * (y & 1 ? 1 : -1)));
    const z = c.reduce((p, q) => p + q, 0);
    rows.push(c.map((v) => v / z / 8));
  }
  return rows;
}

/** Previous-character → next-character counts over the `top` most frequent characters. */
export function bigramJoint(text: string, top: number): { table: Float64Array[]; alphabet: string[] } {
  const chars = Array.from(text);
  const freq = new Map<string, number>();
  for (const c of chars) freq.set(c, (freq.get(c) ?? 0) + 1);
  const alphabet = [...freq.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, top).map((e) => e[0]);
  const idx = new Map(alphabet.map((c, i) => [c, i]));
  const table = alphabet.map(() => new Float64Array(alphabet.length));
  for (let i = 1; i < chars.length; i++) {
    const a = idx.get(chars[i - 1]!);
    const b = idx.get(chars[i]!);
    if (a !== undefined && b !== undefined) table[a]![b]! += 1;
  }
  return { table, alphabet };
}

export interface CurveShape {
  /** largest drop of I(T;Y) when I(X;T) grows (bits; 0 = monotone) */
  monotoneViolation: number;
  /** largest increase of the slope between consecutive chords (bits/bit; ≤ 0 = concave) */
  concavityViolation: number;
}

/**
 * Monotonicity and concavity of a curve given as points (ixt, ity), after sorting by ixt and
 * dropping points closer than `minGap` bits in ixt (near-identical solutions add only noise).
 */
export function curveShape(points: readonly { ixt: number; ity: number }[], minGap = 0.02): CurveShape {
  const sorted = [...points].sort((a, b) => a.ixt - b.ixt);
  const kept: { ixt: number; ity: number }[] = [];
  for (const p of sorted) if (!kept.length || p.ixt - kept[kept.length - 1]!.ixt >= minGap) kept.push(p);
  let monotoneViolation = 0;
  let concavityViolation = -Infinity;
  for (let i = 1; i < kept.length; i++) monotoneViolation = Math.max(monotoneViolation, kept[i - 1]!.ity - kept[i]!.ity);
  for (let i = 2; i < kept.length; i++) {
    const s1 = (kept[i - 1]!.ity - kept[i - 2]!.ity) / (kept[i - 1]!.ixt - kept[i - 2]!.ixt);
    const s2 = (kept[i]!.ity - kept[i - 1]!.ity) / (kept[i]!.ixt - kept[i - 1]!.ixt);
    concavityViolation = Math.max(concavityViolation, s2 - s1);
  }
  return { monotoneViolation, concavityViolation: Number.isFinite(concavityViolation) ? concavityViolation : 0 };
}

/** β values at which the effective cluster count first reaches a new maximum. */
export function splitBetas(points: readonly IBPoint[]): { beta: number; clusters: number }[] {
  const out: { beta: number; clusters: number }[] = [];
  let best = points.length ? points[0]!.clusters : 0;
  for (const p of points)
    if (p.clusters > best) {
      best = p.clusters;
      out.push({ beta: p.beta, clusters: p.clusters });
    }
  return out;
}

interface Analysed {
  name: string;
  points: IBPoint[];
  ixy: number;
  hx: number;
  betaCrit: number;
  firstSplit: number;
  /** the β just before the first split (the bracket's lower end) */
  beforeSplit: number;
  shape: CurveShape;
  splits: { beta: number; clusters: number }[];
}

function analyse(name: string, pb: IBProblem, points: IBPoint[]): Analysed {
  const rows: number[][] = [];
  for (let x = 0; x < pb.nx; x++) rows.push(Array.from(pb.pxy.subarray(x * pb.ny, (x + 1) * pb.ny)));
  const px = rows.map((r) => r.reduce((a, b) => a + b, 0));
  const rho = maximalCorrelation(pb);
  const firstIdx = points.findIndex((p) => p.ixt > 1e-3);
  return {
    name,
    points,
    ixy: mutualInformation(rows),
    hx: entropy(px),
    betaCrit: 1 / (rho * rho),
    firstSplit: firstIdx >= 0 ? points[firstIdx]!.beta : NaN,
    beforeSplit: firstIdx > 0 ? points[firstIdx - 1]!.beta : NaN,
    shape: curveShape(points),
    splits: splitBetas(points),
  };
}

interface Measured {
  S: Analysed & { label: Bilingual };
  T: Analysed & { label: Bilingual };
  alphabet: string[];
  bigram: ReturnType<typeof ibProblem>;
  firstGroups: number[][] | undefined;
}

/** The two joints, each annealed over β, and what the sweeps show. */
async function measure(p: P, ctx: RunContext): Promise<Measured> {
    if (!(p.betaMax > p.betaMin)) throw new Error(`betaMax (${p.betaMax}) must exceed betaMin (${p.betaMin})`);
    const betas = Array.from({ length: p.betaSteps }, (_, i) => p.betaMin * Math.pow(p.betaMax / p.betaMin, i / (p.betaSteps - 1)));

    // --- setup: the two joints ------------------------------------------------------------------
    const synth = ibProblem(syntheticJoint());
    const text = Array.from(await ctx.data.text(p.corpus)).slice(0, p.maxChars).join('');
    const { table, alphabet } = bigramJoint(text, p.topChars);
    const bigram = ibProblem(table);
    ctx.log(`${p.corpus}: ${alphabet.length} characters, ${bigram.nx}×${bigram.ny} joint`);

    // --- the loop: anneal β upwards on each joint ---------------------------------------------------
    const synthPoints = await ibSweep(synth, betas, 8, ctx.rng.fork('ib-synthetic'), {
      maxIter: Math.max(p.maxIter, 2000),
      onBeta: async (i) => {
        throwIfAborted(ctx.signal);
        ctx.progress((0.1 * (i + 1)) / betas.length, `synthetic β = ${betas[i]!.toFixed(2)}`);
        if (i % 8 === 0) await tick();
      },
    });
    let firstGroups: number[][] | undefined; // the characters of the first two text clusters
    const textPoints = await ibSweep(bigram, betas, Math.min(p.clusters, bigram.nx), ctx.rng.fork('ib-text'), {
      maxIter: p.maxIter,
      onBeta: async (i, pt, state) => {
        if (!firstGroups && pt.clusters >= 2 && pt.ixt > 0.05) firstGroups = hardClusters(state, bigram.nx);
        throwIfAborted(ctx.signal);
        ctx.progress(0.1 + (0.88 * (i + 1)) / betas.length, `text β = ${betas[i]!.toFixed(2)}: ${pt.clusters} clusters`);
        await tick();
      },
    });

    const S = { ...analyse('synthetic hierarchy', synth, synthPoints), label: { en: 'synthetic hierarchy', zh: '合成层级数据' } };
    const T = { ...analyse(`${p.corpus} prev→next char`, bigram, textPoints), label: { en: `${p.corpus} prev→next char`, zh: `${p.corpus} 前一字→后一字` } };
    return { S, T, alphabet, bigram, firstGroups };
}

const f2 = (v: number) => v.toFixed(2);
const f3 = (v: number) => v.toFixed(3);

function metricsOf(d: Measured): Metric[] {
  const { S, T } = d;
    const metrics: Metric[] = [];
    for (const [key, a] of [
      ['synthetic', S],
      ['text', T],
    ] as const) {
      metrics.push(
        { name: `${key}_I_XY`, value: a.ixy, unit: 'bits', label: { en: `${a.name}: I(X;Y), the ceiling of I(T;Y)`, zh: `${a.name}：I(X;Y)，I(T;Y) 的上限` } },
        { name: `${key}_max_I_TY`, value: Math.max(...a.points.map((q) => q.ity)), unit: 'bits', label: { en: 'largest I(T;Y) reached', zh: '达到的最大 I(T;Y)' } },
        { name: `${key}_beta_crit_theory`, value: a.betaCrit, unit: '1', label: { en: 'first critical β = 1/ρ_m²', zh: '第一临界 β = 1/ρ_m²' } },
        { name: `${key}_first_split_beta`, value: a.firstSplit, unit: '1', label: { en: 'first β with I(X;T) > 0.001 bit', zh: '首个 I(X;T) > 0.001 比特的 β' }, reference: { value: a.betaCrit, source: 'Wu et al. 2019: β₀ = 1/ρ_m²' } },
        { name: `${key}_max_clusters`, value: Math.max(...a.points.map((q) => q.clusters)), unit: 'clusters' },
        { name: `${key}_monotone_violation`, value: a.shape.monotoneViolation, unit: 'bits' },
        { name: `${key}_concavity_violation`, value: a.shape.concavityViolation, unit: 'bits/bit' },
      );
    }

  return metrics;
}

function figures(p: P, d: Measured): Figure[] {
  const { S, T } = d;
    const curveRows: Row[] = [];
    const clusterRows: Row[] = [];
    for (const a of [S, T]) {
      for (const q of a.points) {
        curveRows.push({ ixt: q.ixt, ity: q.ity, joint: a.label, beta: q.beta, clusters: q.clusters });
        clusterRows.push({ beta: q.beta, clusters: q.clusters, joint: a.label });
      }
    }
    const curveSpec = lineChart({
      title: { en: 'Information bottleneck curves: I(T;Y) against I(X;T)', zh: '信息瓶颈曲线：I(T;Y) 对 I(X;T)' },
      data: curveRows,
      x: { field: 'ixt', title: { en: 'I(X;T) (bits) — how much of X the clusters keep', zh: 'I(X;T)（比特）——簇保留了多少关于 X 的信息' } },
      y: { field: 'ity', title: { en: 'I(T;Y) (bits) — how much they tell about Y', zh: 'I(T;Y)（比特）——簇能说明多少关于 Y 的信息' } },
      color: { field: 'joint', title: { en: 'joint p(x,y)', zh: '联合分布 p(x,y)' } },
      points: true,
      tooltip: ['beta', 'clusters'],
      rules: [
        // vega's category10 gives the text joint (first alphabetically) blue, the synthetic orange
        { y: S.ixy, label: { en: `synthetic I(X;Y) = ${f3(S.ixy)}`, zh: `合成数据 I(X;Y) = ${f3(S.ixy)}` }, color: '#f58518' },
        { y: T.ixy, label: { en: `text I(X;Y) = ${f3(T.ixy)}`, zh: `文本 I(X;Y) = ${f3(T.ixy)}` }, color: '#4c78a8' },
      ],
      width: 480,
      height: 320,
    });
    const clusterLines = lineChart({
      title: { en: 'Effective clusters against β (phase transitions)', zh: '有效簇数随 β 的变化（相变）' },
      data: clusterRows,
      x: { field: 'beta', title: { en: 'β (log scale)', zh: 'β（对数刻度）' }, scale: 'log', domain: [p.betaMin, p.betaMax] },
      y: { field: 'clusters', title: { en: 'effective clusters', zh: '有效簇数' }, scale: 'log' },
      color: { field: 'joint', title: { en: 'joint p(x,y)', zh: '联合分布 p(x,y)' } },
      points: true,
      width: 480,
      height: 280,
    });
    // the two critical-β rules, labelled at different heights so the labels do not collide
    const critRules = [
      { v: T.betaCrit, label: { en: `text 1/ρ² = ${f2(T.betaCrit)}`, zh: `文本 1/ρ² = ${f2(T.betaCrit)}` }, color: '#4c78a8', y: 60 },
      { v: S.betaCrit, label: { en: `synthetic 1/ρ² = ${f2(S.betaCrit)}`, zh: `合成数据 1/ρ² = ${f2(S.betaCrit)}` }, color: '#f58518', y: 90 },
    ].flatMap((r) => [
      { data: { values: [r] }, mark: { type: 'rule', strokeDash: [4, 3], color: r.color }, encoding: { x: { field: 'v', type: 'quantitative' } } },
      { data: { values: [r] }, mark: { type: 'text', align: 'left', dx: 4, color: r.color, fontSize: 10 }, encoding: { x: { field: 'v', type: 'quantitative' }, y: { datum: r.y }, text: { field: 'label' } } },
    ]);
    const clusterSpec = { ...clusterLines, layer: [...(clusterLines.layer as object[]), ...critRules] };

  return [

        {
          id: 'ib-curve',
          title: { en: 'The information bottleneck curve', zh: '信息瓶颈曲线' },
          spec: curveSpec,
          caption: {
            en: 'Each point is the optimum at one β; the dashed lines are I(X;Y), which no clustering can exceed.',
            zh: '每个点是一个 β 下的最优解；虚线是 I(X;Y)，任何聚类都不可能超过它。',
          },
        },
        {
          id: 'clusters-vs-beta',
          title: { en: 'Phase transitions: clusters against β', zh: '相变：簇数随 β 变化' },
          spec: clusterSpec,
          caption: {
            en: 'Below 1/ρ_m² (dashed) the best T knows nothing about X; above it clusters split in steps.',
            zh: '在 1/ρ_m²（虚线）以下，最优的 T 对 X 一无所知；越过它之后簇一级一级地分裂。',
          },
        },
       ];
}

function findingsOf(p: P, d: Measured): Bilingual[] {
  const { S, T, alphabet, bigram, firstGroups } = d;
    const show = (xs: number[]) =>
      xs
        .slice(0, 14)
        .map((x) => JSON.stringify(alphabet[bigram.keptX[x]!]!))
        .join(' ') + (xs.length > 14 ? ` …(+${xs.length - 14})` : '');
    const smaller = firstGroups && firstGroups.length >= 2 ? firstGroups[firstGroups.length - 1]! : undefined;
    const splitList = (a: Analysed) => a.splits.map((s) => `β≈${f2(s.beta)}→${s.clusters}`).join(', ');
    const findings: Bilingual[] = [
      {
        en: `Synthetic hierarchy: I(X;T) stays 0 up to β = ${f2(S.beforeSplit)} and the first split appears at β = ${f2(S.firstSplit)}, bracketing the theoretical 1/ρ_m² = ${f2(S.betaCrit)}; the clusters then grow in steps (${splitList(S)}), the hierarchy's 2 → 4 → 8 levels.`,
        zh: `合成层级数据：β 到 ${f2(S.beforeSplit)} 为止 I(X;T) 一直是 0，β = ${f2(S.firstSplit)} 时第一次分裂，恰好夹住理论值 1/ρ_m² = ${f2(S.betaCrit)}；之后簇数一级一级增长（${splitList(S)}），对应层级的 2 → 4 → 8。`,
      },
      {
        en: `${T.name} (${alphabet.length} characters): the first split at β = ${f2(T.firstSplit)} (theory ${f2(T.betaCrit)}); I(T;Y) climbs to ${f3(Math.max(...T.points.map((q) => q.ity)))} of the available I(X;Y) = ${f3(T.ixy)} bits with up to ${Math.max(...T.points.map((q) => q.clusters))} effective clusters (of ${Math.min(p.clusters, bigram.nx)} slots).${smaller ? ` The first split sets apart the previous characters ${show(smaller)} from the other ${bigram.nx - smaller.length}.` : ''}`,
        zh: `${p.corpus} 的“前一字→后一字”（${alphabet.length} 个字符）：第一次分裂在 β = ${f2(T.firstSplit)}（理论 ${f2(T.betaCrit)}）；有效簇数最多 ${Math.max(...T.points.map((q) => q.clusters))} 个（共 ${Math.min(p.clusters, bigram.nx)} 个槽位）时，I(T;Y) 达到 ${f3(Math.max(...T.points.map((q) => q.ity)))} 比特，上限 I(X;Y) = ${f3(T.ixy)} 比特。${smaller ? `第一次分裂把前一字为 ${show(smaller)} 的情形和其余 ${bigram.nx - smaller.length} 个字符分开。` : ''}`,
      },
      {
        en: `Both curves are monotone (largest drop ${f3(Math.max(S.shape.monotoneViolation, T.shape.monotoneViolation))} bits) and concave (largest slope increase ${f3(Math.max(S.shape.concavityViolation, T.shape.concavityViolation))} bits/bit): on the optimal frontier, more about Y costs more about X, with diminishing returns — the slope is 1/β.`,
        zh: `两条曲线都单调（最大回落 ${f3(Math.max(S.shape.monotoneViolation, T.shape.monotoneViolation))} 比特）且是凹的（斜率最大增幅 ${f3(Math.max(S.shape.concavityViolation, T.shape.concavityViolation))}）：在最优前沿上，多保留一点关于 Y 的信息就得多付出一点关于 X 的信息，而且收益递减——斜率就是 1/β。`,
      },
    ];

  return findings;
}

export const bottleneckCurve = defineExperiment({
  id: 'information.bottleneck-curve',
  lens: 'information',
  title: { en: 'The information bottleneck curve, computed exactly', zh: '精确计算的信息瓶颈曲线' },
  summary: {
    en: 'The iterative algorithm of Tishby, Pereira and Bialek compresses X into clusters T that keep as much as possible about Y. Sweeping the trade-off β traces the best achievable I(T;Y) for each I(X;T): a monotone, concave curve along which clusters split at critical β values — on a synthetic hierarchy and on previous-character → next-character statistics of real text.',
    zh: 'Tishby、Pereira 和 Bialek 的迭代算法把 X 压缩成簇 T，同时尽量保留关于 Y 的信息。扫描权衡系数 β，就得到每个 I(X;T) 下能达到的最大 I(T;Y)：一条单调、凹的曲线；β 越过临界值时簇会分裂——在合成的层级数据和真实文本的“前一字→后一字”统计上都能看到。',
  },
  claims: [], // info.ib-phases is judged from training dynamics in information.information-plane; this curve is the IB itself, at fixed β
  params: Params,
  presets: {
    quick: { maxChars: 100_000, topChars: 20, clusters: 10, betaSteps: 24, betaMax: 60, maxIter: 300 },
    full: {},
  },
  formulas: [
    { tex: '\\min_{p(t\\mid x)}\\; I(X;T) - \\beta\\, I(T;Y)', label: { en: 'the IB Lagrangian', zh: '信息瓶颈拉格朗日量' } },
    {
      tex: 'p(t\\mid x) = \\frac{p(t)}{Z(x,\\beta)}\\exp\\!\\big(-\\beta\\, D_{\\mathrm{KL}}[p(y\\mid x)\\,\\|\\,p(y\\mid t)]\\big)',
      label: { en: 'the self-consistent update (Tishby et al. 1999)', zh: '自洽更新式（Tishby 等 1999）' },
    },
    { tex: '\\frac{\\partial I(T;Y)}{\\partial I(X;T)} = \\beta^{-1},\\qquad \\beta_c = 1/\\rho_m^2(X;Y)', label: { en: 'slope of the curve; the first critical β', zh: '曲线斜率；第一个临界 β' } },
  ],

  async run(p: P, ctx) {
    const d = await measure(p, ctx);
    const { S, T } = d;
    return {
      metrics: metricsOf(d),
      figures: figures(p, d),
      findings: findingsOf(p, d),
      verdicts: [],
      tables: [
        {
          id: 'sweep',
          title: { en: 'The β sweep', zh: 'β 扫描' },
          rows: [S, T].flatMap((a) => a.points.map((q) => ({ joint: a.name, beta: q.beta, I_XT_bits: q.ixt, I_TY_bits: q.ity, clusters: q.clusters, iterations: q.iterations }))),
        },
      ],
    };
  },
});
