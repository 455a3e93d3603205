/**
 * compression.distill-gpt — distilling the trained tiny GPT into students of ¼ and 1/16 of its size.
 *
 * Claims (seed, 知识蒸馏的编码解码范式): 「教师-学生框架可建模为两级编码系统：教师网络将输入数据编码为概率分布，
 * 学生网络则学习解码该分布。此过程满足率失真理论中的信息压缩定律 R(D) = min I(X;Y)」 (comp.distill-coding),
 * and the scale figures 「可将GPT-3规模的模型压缩至原体积的1/40，同时保持90%以上的任务性能」
 * (info.distill-gpt3-1-40) and 「将1750亿参数的GPT-3压缩为仅需1/100计算资源的轻量级模型」 (comp.distill-gpt3-1-100).
 * Papers: G. Hinton, O. Vinyals, J. Dean, "Distilling the Knowledge in a Neural Network" (2015) — soft
 * targets at temperature T, the soft term scaled by T²; Sanh et al. 2019 (DistilBERT: 40% smaller, 97%
 * of GLUE); Kaplan et al. 2020, Table 1 (forward FLOPs per token ≈ 2N + 2·n_layer·n_ctx·d_model).
 *
 * What is measured. The teacher is the lens's trained GPT (`baby` on the full preset, `nano` on quick;
 * trained once and cached). Students keep the teacher's depth, heads and context and shrink its width
 * (C/2 → ≈ ¼ of the parameters, C/4 → ≈ 1/16). Every student size is trained twice from the SAME
 * initial weights on the SAME batches with the SAME AdamW warmup-cosine schedule (the GPT's own
 * GPTTrainer): (a) on the data alone — next-character cross-entropy on the one-hot targets; (b) on the
 * teacher's soft targets — α·T²·D_KL(p_T‖q_T) + (1 − α)·CE, the lab's one distillation loss
 * (src/lenses/information/distill.ts) applied to every position of every window, the teacher run
 * forward on each batch. Held-out bpc (src/gpt/evaluate.ts, the GPT's own evaluation) against
 * parameters and against training compute: 3 forward passes per token for the student (forward +
 * backward), plus ONE teacher forward per token for the distilled students (counted; the teacher's own
 * training is a sunk cost, shown as its own point). Also D_KL(teacher ‖ student) on held-out text: how
 * well each student "decodes" the teacher's distribution.
 */
import { z } from 'zod';
import { tf } from '../../engine/tf.js';
import { defineExperiment, throwIfAborted, tick, type Bilingual, type ClaimVerdict, type Figure, type Metric, type RunContext } from '../../experiments/contract.js';
import { untestable, verdictFor, type Criterion } from '../../experiments/verdict.js';
import { pairedDiffCi95 } from '../../experiments/stats.js';
import { GPT, GPTTrainer, evalTokens, parameterCount, resolveConfig, type Batch, type GPTConfig, type GradientProvider } from '../../gpt/index.js';
import { lineChart, type Row } from '../../report/charts.js';
import { distillationLoss } from '../../nn/distill.js';
import { lensGPT, SHARED_GPT_OPTS } from './tinygpt.js';

const Params = z.object({
  teacher: z.enum(['nano', 'baby', 'small']).default('baby').describe('the teacher: the lens’s trained tiny GPT of this configuration (cached)').meta({ zh: '教师模型：透镜实验里训练好的这个规模的小型 GPT（缓存）' }),
  teacherSteps: z.number().int().min(1).max(20000).default(2000).describe('training steps of the teacher (part of its cache key)').meta({ zh: '教师的训练步数（取值相同就复用已训练好的模型，不同则重新训练）' }),
  teacherSeed: z.number().int().min(0).default(1337).describe('seed of the teacher (shared by every lens experiment)').meta({ zh: '教师的随机种子（所有透镜实验共用）' }),
  studentWidths: z.array(z.number().int().min(4).max(512)).default([64, 32]).describe('student residual widths C (teacher’s depth, heads and context kept); C/2 ≈ ¼, C/4 ≈ 1/16 of the parameters').meta({ zh: '学生模型的残差宽度 C（层数、头数和上下文与教师相同）；宽度减半约为 ¼ 的参数，减到四分之一约为 1/16' }),
  studentHeads: z.number().int().min(1).max(16).default(4).describe('attention heads of every student (each width must be divisible by it)').meta({ zh: '每个学生的注意力头数（每个宽度都必须能被它整除）' }),
  seeds: z.number().int().min(2).max(10).default(3).describe('seeds per student size (each: its own initial weights and batches, shared by the hard and soft students); the verdict reads the 95% interval over them').meta({ zh: '每个学生大小的种子数（每个种子有自己的初始权重和批次，硬目标与软目标学生共用）；判定看它们的 95% 区间' }),
  steps: z.number().int().min(1).max(20000).default(500).describe('optimisation steps per student (the same for hard and soft targets)').meta({ zh: '每个学生的优化步数（硬目标和软目标相同）' }),
  temperature: z.number().min(0.5).max(20).default(1).describe('distillation temperature T (teacher and student logits divided by T; soft term × T²); a 150-step pilot on the 1/16 student: T = 1 beat T = 2').meta({ zh: '蒸馏温度 T（教师和学生的 logits 都除以 T，软目标项乘以 T²）；在 1/16 学生上 150 步的预实验里 T = 1 胜过 T = 2' }),
  alpha: z.number().min(0).max(1).default(0.9).describe('weight α of the soft term; 1 − α goes to the cross-entropy on the data').meta({ zh: '软目标项的权重 α；剩下的 1 − α 给数据上的交叉熵' }),
  evalChars: z.number().int().min(256).max(200000).default(16384).describe('held-out characters scored for the final bpc (the first ones of the held-out 10%; 16384 since 3 seeds: the seed-to-seed spread is larger than the sampling error of 16K characters)').meta({ zh: '计算最终 bpc 时打分的留出字符数（取留出 10% 的开头部分；3 个种子时用 16384：种子间的差异大于 16K 字符的抽样误差）' }),
  klChars: z.number().int().min(128).max(200000).default(8192).describe('held-out characters over which D_KL(teacher ‖ student) is measured').meta({ zh: '测量 D_KL(教师 ‖ 学生) 所用的留出字符数' }),
  curvePoints: z.number().int().min(2).max(50).default(8).describe('evaluations during training (for the bpc-vs-compute curves; first seed only)').meta({ zh: '训练过程中评估几次（用来画 bpc–计算量曲线；只对第一个种子）' }),
  curveChars: z.number().int().min(128).max(50000).default(8192).describe('held-out characters scored at each curve point').meta({ zh: '曲线上每个点打分的留出字符数' }),
});
type P = z.infer<typeof Params>;

/** A student: the teacher's config with width C (and the teacher's depth, context and training recipe). */
export function studentConfig(teacher: GPTConfig, nEmbd: number, nHead: number): GPTConfig {
  return resolveConfig({ ...teacher, name: `student-C${nEmbd}`, nEmbd, nHead, train: { ...teacher.train } });
}

/**
 * Forward FLOPs per token (Kaplan et al. 2020, Table 1): 2 per multiply-add of every weight matrix
 * (QKV, projection, MLP: 12·L·C²) and of the de-embedding (V·C), plus 2·L·T·C for the attention
 * scores. Training costs ≈ 3× forward (the backward pass is twice the forward).
 */
export function forwardFlopsPerToken(c: GPTConfig, V: number): number {
  return 2 * (12 * c.nLayer * c.nEmbd * c.nEmbd + V * c.nEmbd) + 2 * c.nLayer * c.blockSize * c.nEmbd;
}

/**
 * The soft-target loss on a GPT batch. studentLogits z [B, T, V], teacherLogits v [B, T, V] (fixed),
 * targets [B, T] int32: α·T²·D_KL(softmax(v/T) ‖ softmax(z/T)) + (1 − α)·CE(targets, softmax(z)),
 * averaged over the B·T positions (nats). With T = 1, α = 1 and a one-hot teacher it is the cross-entropy.
 */
export function gptDistillLoss(studentLogits: tf.Tensor3D, teacherProbsT: tf.Tensor2D, targets: tf.Tensor2D, T: number, alpha: number): tf.Scalar {
  const [B, S, V] = studentLogits.shape;
  return distillationLoss(tf.reshape(studentLogits, [B * S, V]) as tf.Tensor2D, teacherProbsT, tf.reshape(targets, [B * S]) as tf.Tensor1D, T, alpha);
}

/** softmax(v/T) of the teacher's logits on a batch, [B·T, V] (no gradient). */
export function teacherSoftTargets(teacher: GPT, x: tf.Tensor2D, T: number): tf.Tensor2D {
  return tf.tidy(() => {
    const { logits } = teacher.forward(x);
    const [B, S, V] = logits.shape;
    return tf.softmax(tf.div(tf.reshape(logits, [B * S, V]), T)) as tf.Tensor2D;
  });
}

/** A GradientProvider for GPTTrainer: gradients of the soft-target loss (the model code is untouched). */
export function distillGradients(student: GPT, teacher: GPT, T: number, alpha: number): GradientProvider {
  const names = student.names;
  const vars = names.map((n) => student.params[n]!);
  const byVar = new Map(vars.map((v, i) => [v.name, names[i]!]));
  return async (batch: Batch) => {
    const x = tf.tensor2d(batch.x, [batch.B, batch.T], 'int32');
    const y = tf.tensor2d(batch.y, [batch.B, batch.T], 'int32');
    const pT = teacherSoftTargets(teacher, x, T);
    const { value, grads } = tf.variableGrads(() => gptDistillLoss(student.forward(x, { training: true }).logits, pT, y, T, alpha), vars);
    x.dispose();
    y.dispose();
    pT.dispose();
    const loss = value.dataSync()[0]!;
    value.dispose();
    const out: Record<string, tf.Tensor> = {};
    for (const [k, g] of Object.entries(grads)) out[byVar.get(k)!] = g;
    return { loss, grads: out };
  };
}

/** Mean D_KL(teacher ‖ student) in bits per character on `tokens` (non-overlapping windows, T = 1). */
export function heldOutKLBits(teacher: GPT, student: GPT, tokens: Int32Array, batch = 32): number {
  const S = Math.min(teacher.config.blockSize, student.config.blockSize);
  const nWin = Math.floor((tokens.length - 1) / S);
  let sum = 0;
  let n = 0;
  for (let w0 = 0; w0 < nWin; w0 += batch) {
    const B = Math.min(batch, nWin - w0);
    const x = new Int32Array(B * S);
    for (let b = 0; b < B; b++) x.set(tokens.subarray((w0 + b) * S, (w0 + b) * S + S), b * S);
    sum += tf.tidy(() => {
      const xt = tf.tensor2d(x, [B, S], 'int32');
      const V = teacher.vocabSize;
      const lp = tf.logSoftmax(tf.reshape(teacher.forward(xt).logits, [B * S, V]));
      const lq = tf.logSoftmax(tf.reshape(student.forward(xt).logits, [B * S, V]));
      return tf.sum(tf.mul(tf.exp(lp), tf.sub(lp, lq))).dataSync()[0]!;
    });
    n += B * S;
  }
  return sum / n / Math.LN2;
}

/** A point of a training curve: held-out bpc of a student after `step` steps (`flops` training FLOPs). */
export interface CurvePoint {
  width: number;
  mode: 'hard' | 'soft';
  step: number;
  flops: number;
  bpc: number;
}

/**
 * bpc of a curve at `flops` training FLOPs (linear in log FLOPs between measured points); undefined
 * outside the measured range.
 */
export function bpcAtCompute(curve: CurvePoint[], flops: number): number | undefined {
  const pts = curve.filter((c) => c.flops > 0).sort((a, b) => a.flops - b.flops);
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    if (flops >= a.flops && flops <= b.flops) {
      const t = (Math.log(flops) - Math.log(a.flops)) / (Math.log(b.flops) - Math.log(a.flops));
      return a.bpc + t * (b.bpc - a.bpc);
    }
  }
  return undefined;
}

/** The two figures, from the measured numbers (exported so a saved result can be re-drawn). */
export function distillFigures(d: {
  teacher: { name: string; params: number; bpc: number; trainFlops: number; steps: number };
  unigramBpc: number;
  students: { width: number; mode: 'hard' | 'soft'; params: number; ratio: number; bpc: number }[];
  curves: CurvePoint[];
  p: Pick<P, 'temperature' | 'alpha' | 'steps' | 'curveChars'>;
}): Figure[] {
  const { teacher, p } = d;
  const f3 = (v: number) => v.toFixed(3);
  const domainOf = (v: number[]): [number, number] => [Math.floor(Math.min(...v) * 10 - 1) / 10, Math.ceil(Math.max(...v) * 10 + 1) / 10];
  // every label a learner reads, one { en, zh } pair per series
  const HARD: Bilingual = { en: 'data alone (hard targets)', zh: '只用数据（硬目标）' };
  const SOFT: Bilingual = { en: `distilled (T=${p.temperature}, α=${p.alpha})`, zh: `蒸馏（T=${p.temperature}，α=${p.alpha}）` };
  const TEACHER: Bilingual = { en: 'teacher', zh: '教师' };
  const DATA_ALONE: Bilingual = { en: 'data alone', zh: '只用数据' };
  const DISTILLED: Bilingual = { en: 'distilled', zh: '蒸馏' };
  const TRAINED_ON: Bilingual = { en: 'trained on', zh: '训练方式' };
  const BPC_AXIS: Bilingual = { en: 'held-out bits per character', zh: '留出集 bpc（比特/字符）' };
  const teacherRule: Bilingual = { en: `teacher ${f3(teacher.bpc)}`, zh: `教师 ${f3(teacher.bpc)}` };
  const byParams: Row[] = [
    ...d.students.map((r) => ({ series: r.mode === 'hard' ? HARD : SOFT, params: r.params, bpc: r.bpc, ratio: Number(r.ratio.toFixed(4)) })),
    { series: TEACHER, params: teacher.params, bpc: teacher.bpc, ratio: 1 },
  ];
  const ratioOf = (C: number) => d.students.find((r) => r.width === C)?.ratio ?? NaN;
  const studentText = (C: number): Bilingual => ({ en: `C=${C} (${(100 * ratioOf(C)).toFixed(1)}% of the teacher)`, zh: `C=${C}（教师的 ${(100 * ratioOf(C)).toFixed(1)}%）` });
  const computeRows: Row[] = [
    ...d.curves.filter((r) => r.flops > 0).map((r) => ({ student: studentText(r.width), targets: r.mode === 'hard' ? DATA_ALONE : DISTILLED, step: r.step, flops: r.flops, bpc: r.bpc })),
    { student: { en: `teacher (${teacher.steps} steps, its own training)`, zh: `教师（自身训练 ${teacher.steps} 步）` }, targets: DATA_ALONE, step: teacher.steps, flops: teacher.trainFlops, bpc: teacher.bpc },
  ];
  const paramsSpec = lineChart({
    title: { en: `Students of ${teacher.name}: held-out bpc after ${p.steps} steps`, zh: `${teacher.name} 的学生：训练 ${p.steps} 步后的留出集 bpc` },
    data: byParams,
    x: { field: 'params', title: { en: 'parameters (log)', zh: '参数量（对数坐标）' }, scale: 'log' },
    y: { field: 'bpc', title: BPC_AXIS, domain: domainOf([...byParams.map((r) => r.bpc as number), d.unigramBpc]) },
    color: { field: 'series', title: TRAINED_ON },
    points: true,
    rules: [
      { y: teacher.bpc, label: teacherRule },
      { y: d.unigramBpc, label: { en: `unigram ${f3(d.unigramBpc)}`, zh: `一元模型 ${f3(d.unigramBpc)}` } },
    ],
    tooltip: ['ratio'],
  });
  // the same colour per series in both languages (Vega-Lite would otherwise sort the localized names)
  const main = (paramsSpec.layer as { encoding: { color: Record<string, unknown> } }[])[0]!;
  main.encoding.color.scale = { domain: [HARD, SOFT, TEACHER] };
  return [
    {
      id: 'bpc-vs-params',
      title: { zh: '留出集 bpc 与参数量', en: 'Held-out bpc against parameters' },
      caption: {
        zh: `同一大小的两个学生步数、批次、初始权重都相同；灰线：教师 ${f3(teacher.bpc)} bpc 和一元模型 ${f3(d.unigramBpc)} bpc。`,
        en: `Both students of a size share steps, batches and initial weights; grey lines: the teacher at ${f3(teacher.bpc)} bpc and the unigram model at ${f3(d.unigramBpc)}.`,
      },
      spec: paramsSpec,
    },
    {
      id: 'bpc-vs-compute',
      title: { zh: '留出集 bpc 与训练计算量', en: 'Held-out bpc against training compute' },
      caption: {
        zh: `曲线是第一个种子训练过程中的留出集 bpc（前 ${p.curveChars} 个字符）；蒸馏学生（虚线）的计算量包含每个 token 一次教师前向。教师的点是它自己训练的计算量（沉没成本）。`,
        en: `Curves: held-out bpc during training, first seed (first ${p.curveChars} characters); the distilled students' compute (dashed) includes one teacher forward per token. The teacher's point is its own training compute (a sunk cost).`,
      },
      spec: lineChart({
        title: { en: `Held-out bpc against training FLOPs (distilled: T=${p.temperature}, α=${p.alpha})`, zh: `留出集 bpc 与训练浮点运算量（蒸馏：T=${p.temperature}，α=${p.alpha}）` },
        data: computeRows,
        x: { field: 'flops', title: { en: 'training FLOPs (log)', zh: '训练浮点运算量（对数坐标）' }, scale: 'log', format: '.0e' },
        y: { field: 'bpc', title: BPC_AXIS, domain: domainOf(computeRows.map((r) => r.bpc as number)) },
        color: { field: 'student', title: { en: 'model', zh: '模型' } },
        dash: { field: 'targets', title: TRAINED_ON },
        points: true,
        rules: [{ y: teacher.bpc, label: teacherRule }],
        tooltip: ['step'],
      }),
    },
  ];
}

/** The unigram cross-entropy (bits/char) of `val` under the character frequencies of `train` (add-one). */
export function unigramBpc(train: Int32Array, val: Int32Array, V: number): number {
  const c = new Float64Array(V).fill(1);
  for (const t of train) c[t] = c[t]! + 1;
  const tot = c.reduce((a, b) => a + b, 0);
  let s = 0;
  for (const t of val) s -= Math.log2(c[t]! / tot);
  return s / val.length;
}

/**
 * Criteria, declared before any run. comp.distill-coding has two halves. "The student learns to decode
 * the teacher's distribution" is measured as: the student trained on the teacher's soft targets ends
 * with lower held-out bpc than the same student (same init, same batches) trained on the data alone,
 * at every size, the 95% interval over seeds of the paired difference below zero. "Obeys R(D)" is read
 * in its one operational sense: a smaller code has more distortion — the 1/16 student ends further
 * from the teacher (held-out D_KL) than the ¼ student, the interval over seeds above zero. (R(D) as a
 * formula every code satisfies is no test; the because-text says so.)
 */
export const CRITERIA = {
  'comp.distill-coding': [
    {
      level: 'reproduced',
      metric: 'soft_minus_hard_bpc_ci_high_max',
      op: '<',
      value: 0,
      why: { en: 'distilled beats data alone at every student size: the upper end of the 95% interval over seeds (paired) below zero (Hinton et al. 2015)', zh: '每个学生大小上蒸馏都优于只用数据：各种子配对差的 95% 区间上端低于零（Hinton 等 2015）' },
    },
    {
      level: 'reproduced',
      metric: 'kl_smallest_minus_largest_ci_low',
      op: '>',
      value: 0,
      why: { en: 'rate–distortion, operationally: the smaller student (lower rate) ends further from the teacher; the lower end of the 95% interval over seeds above zero', zh: '率失真的可操作含义：更小的学生（更低的码率）离教师更远；各种子 95% 区间下端高于零' },
    },
    {
      level: 'partly',
      metric: 'soft_minus_hard_bpc_ci_high_max',
      op: '<',
      value: 0,
      why: { en: 'the decoding half alone: distilled beats data alone at every size (interval below zero)', zh: '只有“解码”这一半：每个大小上蒸馏都优于只用数据（区间低于零）' },
    },
  ],
} satisfies Record<string, readonly Criterion[]>;

/** The evidence of comp.distill-coding from per-seed results (pure; tested): widths largest first. */
export function distillEvidence(r: { width: number; hard: number[]; soft: number[]; softKl: number[] }[]): Record<string, number> {
  const ev: Record<string, number> = {};
  let worst = -Infinity;
  for (const w of r) {
    const d = pairedDiffCi95(w.soft, w.hard);
    ev[`soft_minus_hard_bpc_mean_C${w.width}`] = d.mean;
    ev[`soft_minus_hard_bpc_ci_high_C${w.width}`] = d.high;
    worst = Math.max(worst, d.high);
  }
  ev.soft_minus_hard_bpc_ci_high_max = r.length ? worst : NaN;
  const big = [...r].sort((a, b) => b.width - a.width);
  const kl = big.length >= 2 ? pairedDiffCi95(big[big.length - 1]!.softKl, big[0]!.softKl) : { mean: NaN, low: NaN };
  ev.kl_smallest_minus_largest_mean = kl.mean;
  ev.kl_smallest_minus_largest_ci_low = kl.low;
  return ev;
}

/** A trained student: its size, training compute, held-out bpc and distance to the teacher. */
type Res = { seed: number; width: number; mode: 'hard' | 'soft'; params: number; ratio: number; flops: number; bpc: number; klBits: number; trainMs: number; finalLoss: number };

/** The teacher, the held-out slices, and the teacher's own numbers. */
async function setupTeacher(p: P, ctx: RunContext) {
  // ---- setup: the teacher, the data, the students' configs --------------------------------------
  ctx.progress(0.01, 'teacher');
  const g = await lensGPT(ctx, { config: p.teacher, steps: p.teacherSteps, seed: p.teacherSeed });
  const teacher = g.model;
  const V = teacher.vocabSize;
  const evalTok = g.valTok.subarray(0, Math.min(g.valTok.length, p.evalChars + 1));
  const klTok = g.valTok.subarray(0, Math.min(g.valTok.length, p.klChars + 1));
  const curveTok = g.valTok.subarray(0, Math.min(g.valTok.length, p.curveChars + 1));
  const batchSize = SHARED_GPT_OPTS[p.teacher].hyper.batchSize;
  const tokensPerStep = batchSize * teacher.config.blockSize;
  const teacherParams = teacher.numParams;
  const fT = forwardFlopsPerToken(teacher.config, V);
  const teacherTrainFlops = 3 * fT * p.teacherSteps * tokensPerStep;
  const teacherBpc = evalTokens(teacher, evalTok).bpc;
  const uni = unigramBpc(g.trainTok, evalTok, V);
  for (const C of p.studentWidths) if (C % p.studentHeads !== 0) throw new Error(`student width ${C} is not divisible by studentHeads ${p.studentHeads}`);
  return { g, teacher, V, evalTok, klTok, curveTok, batchSize, tokensPerStep, teacherParams, fT, teacherTrainFlops, teacherBpc, uni };
}
type Setup = Awaited<ReturnType<typeof setupTeacher>>;

/** Every seed and student size, hard then soft targets, from the same init on the same batches. */
async function trainStudents(p: P, ctx: RunContext, s: Setup) {
  const { g, teacher, V, evalTok, klTok, curveTok, batchSize, tokensPerStep, teacherParams, fT } = s;
  // ---- the loop: every seed and student size, hard then soft targets, same init and batches -----
  const all: Res[] = [];
  const curves: CurvePoint[] = [];
  const runs = p.seeds * p.studentWidths.length * 2;
  let done = 0;
  for (let seed = 0; seed < p.seeds; seed++) {
    const rng = ctx.rng.fork(seed === 0 ? 'students' : `students-${seed}`); // seed 0: the single seed of earlier versions
    const batchSeed = rng.fork('batches').nextUint32();
    for (const C of p.studentWidths) {
      const cfg = studentConfig(teacher.config, C, p.studentHeads);
      const nParams = parameterCount(cfg, V);
      const fS = forwardFlopsPerToken(cfg, V);
      for (const mode of ['hard', 'soft'] as const) {
        const student = GPT.init(cfg, V, rng.fork(`init-C${C}`)); // the same weights for both modes
        const perStep = (3 * fS + (mode === 'soft' ? fT : 0)) * tokensPerStep;
        const trainer = new GPTTrainer(student, g.trainTok, {
          steps: p.steps,
          seed: batchSeed, // the same batches for both modes
          hyper: { batchSize },
          ...(mode === 'soft' ? { gradients: distillGradients(student, teacher, p.temperature, p.alpha) } : {}),
        });
        const every = Math.max(1, Math.round(p.steps / p.curvePoints));
        const curve = seed === 0; // the curves of the first seed only
        try {
          if (curve) curves.push({ width: C, mode, step: 0, flops: 0, bpc: evalTokens(student, curveTok).bpc });
          while (trainer.step < p.steps) {
            throwIfAborted(ctx.signal);
            await trainer.trainStep();
            if (curve && (trainer.step % every === 0 || trainer.step === p.steps)) {
              curves.push({ width: C, mode, step: trainer.step, flops: perStep * trainer.step, bpc: evalTokens(student, curveTok).bpc });
            }
            if (trainer.step % 10 === 0) {
              ctx.progress(0.05 + (0.9 * (done + trainer.step / p.steps)) / runs, `seed ${seed + 1}/${p.seeds}, C=${C} ${mode}: step ${trainer.step}/${p.steps}`);
              await tick();
            }
          }
        } finally {
          trainer.dispose();
        }
        const bpc = evalTokens(student, evalTok).bpc;
        const klBits = heldOutKLBits(teacher, student, klTok);
        const h = trainer.history.loss;
        const tail = h.slice(Math.floor(h.length * 0.9));
        all.push({ seed, width: C, mode, params: nParams, ratio: nParams / teacherParams, flops: perStep * p.steps, bpc, klBits, trainMs: trainer.history.trainMs, finalLoss: tail.reduce((a, b) => a + b, 0) / Math.max(1, tail.length) });
        student.dispose();
        done++;
        ctx.progress(0.05 + (0.9 * done) / runs, `seed ${seed + 1}, C=${C} ${mode}: ${bpc.toFixed(3)} bpc`);
        await tick();
      }
    }
  }
  return { all, curves };
}

/** Everything measured, the means over seeds, and the evidence of the verdict. */
async function measure(p: P, ctx: RunContext) {
  const s = await setupTeacher(p, ctx);
  const { teacher, V, teacherParams, fT, teacherTrainFlops, teacherBpc, uni } = s;
  const { all, curves } = await trainStudents(p, ctx, s);
  const ofSeeds = (C: number, mode: 'hard' | 'soft') => all.filter((r) => r.width === C && r.mode === mode).sort((a, b) => a.seed - b.seed);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  // the figures and the table show the mean over seeds
  const results: Res[] = p.studentWidths.flatMap((C) =>
    (['hard', 'soft'] as const).map((mode) => {
      const rs = ofSeeds(C, mode);
      return { ...rs[0]!, seed: -1, bpc: mean(rs.map((r) => r.bpc)), klBits: mean(rs.map((r) => r.klBits)), trainMs: mean(rs.map((r) => r.trainMs)), finalLoss: mean(rs.map((r) => r.finalLoss)) };
    }),
  );
  const evidence = distillEvidence(p.studentWidths.map((C) => ({ width: C, hard: ofSeeds(C, 'hard').map((r) => r.bpc), soft: ofSeeds(C, 'soft').map((r) => r.bpc), softKl: ofSeeds(C, 'soft').map((r) => r.klBits) })));

  // ---- measurement ------------------------------------------------------------------------------
  const get = (C: number, mode: 'hard' | 'soft') => results.find((r) => r.width === C && r.mode === mode)!;
  const f3 = (v: number) => v.toFixed(3);
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const sci = (v: number) => v.toExponential(2);
  /** share of the teacher's gain over the unigram model that a student keeps */
  const kept = (bpc: number) => (uni - bpc) / (uni - teacherBpc);
  const smallest = p.studentWidths[p.studentWidths.length - 1]!;
  const sm = { hard: get(smallest, 'hard'), soft: get(smallest, 'soft') };
  const teacherCfgStr = `${teacher.config.name} (L=${teacher.config.nLayer}, H=${teacher.config.nHead}, C=${teacher.config.nEmbd}, T=${teacher.config.blockSize})`;
  // at equal training compute (teacher forwards counted): the distilled curve where the data-alone student ends
  const equalCompute = p.studentWidths.map((C) => {
    const hardCurve = curves.filter((c) => c.width === C && c.mode === 'hard');
    const last = hardCurve[hardCurve.length - 1]!;
    return { C, flops: last.flops, hard: last.bpc, soft: bpcAtCompute(curves.filter((c) => c.width === C && c.mode === 'soft'), last.flops) };
  });
  return { teacher, V, teacherParams, fT, teacherTrainFlops, teacherBpc, uni, curves, results, evidence, get, kept, smallest, sm, teacherCfgStr, equalCompute };
}
type Measured = Awaited<ReturnType<typeof measure>>;

const f3 = (v: number) => v.toFixed(3);
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const sci = (v: number) => v.toExponential(2);

function distillMetrics(p: P, m: Measured): Metric[] {
  const { teacher, V, teacherParams, fT, teacherTrainFlops, teacherBpc, uni, curves, results, evidence, get, kept, smallest, sm, teacherCfgStr, equalCompute } = m;
  const metrics: Metric[] = [
    { name: 'teacher_params', value: teacherParams, unit: 'parameters' },
    { name: 'teacher_val_bpc', value: teacherBpc, unit: 'bits/char', reference: { value: 2.71, source: 'nanoGPT baby GPT on tiny shakespeare (1.88 nats, GPU/CPU recipe)' } },
    { name: 'unigram_val_bpc', value: uni, unit: 'bits/char' },
    ...results.flatMap((r): Metric[] => [
      { name: `student_C${r.width}_${r.mode}_bpc`, value: r.bpc, unit: 'bits/char', label: { en: `student C=${r.width} (${r.params} params), ${r.mode === 'hard' ? 'data alone' : 'distilled'}`, zh: `学生 C=${r.width}（${r.params} 个参数），${r.mode === 'hard' ? '只用数据' : '蒸馏'}` } },
      { name: `student_C${r.width}_${r.mode}_kl_to_teacher`, value: r.klBits, unit: 'bits/char' },
      { name: `student_C${r.width}_${r.mode}_train_flops`, value: r.flops, unit: 'FLOP' },
    ]),
    ...p.studentWidths.map((C): Metric => ({ name: `student_C${C}_param_ratio`, value: get(C, 'hard').ratio, unit: 'of the teacher' })),
    ...p.studentWidths.map((C): Metric => ({ name: `student_C${C}_soft_minus_hard_bpc`, value: get(C, 'soft').bpc - get(C, 'hard').bpc, unit: 'bits/char' })),
    { name: 'smallest_soft_gain_kept', value: kept(sm.soft.bpc), unit: '1', label: { en: 'share of the teacher’s gain over unigram kept by the smallest distilled student', zh: '最小蒸馏学生保留的教师相对一元模型的增益' }, reference: { value: 0.9, source: 'seed: 1/40 of the size keeping ≥ 90% (unsourced); DistilBERT: 60% of the size, 97% of GLUE' } },
    { name: 'teacher_train_flops', value: teacherTrainFlops, unit: 'FLOP' },
  ];

  for (const e of equalCompute) if (e.soft !== undefined) metrics.push({ name: `student_C${e.C}_soft_minus_hard_bpc_at_equal_compute`, value: e.soft - e.hard, unit: 'bits/char' });
  return metrics;
}

function distillFindings(p: P, m: Measured): Bilingual[] {
  const { teacher, V, teacherParams, fT, teacherTrainFlops, teacherBpc, uni, curves, results, evidence, get, kept, smallest, sm, teacherCfgStr, equalCompute } = m;
  // ---- findings and verdicts ------------------------------------------------------------------
  const rowsText = p.studentWidths
    .map((C) => {
      const h = get(C, 'hard');
      const s = get(C, 'soft');
      return { C, h, s };
    });
  const findings: Bilingual[] = [
    {
      zh: `教师 ${teacherCfgStr} 有 ${teacherParams} 个参数，留出集 ${f3(teacherBpc)} bpc（一元模型 ${f3(uni)}）。${rowsText.map(({ C, h, s }) => `宽度 ${C} 的学生（${h.params} 个参数，教师的 ${(100 * h.ratio).toFixed(1)}%）训练 ${p.steps} 步（${p.seeds} 个种子的平均）：只用数据 ${f3(h.bpc)}，蒸馏 ${f3(s.bpc)}（差 ${(s.bpc - h.bpc).toFixed(3)}）`).join('；')}。`,
      en: `The teacher ${teacherCfgStr} has ${teacherParams} parameters and ${f3(teacherBpc)} held-out bpc (unigram ${f3(uni)}). ${rowsText.map(({ C, h, s }) => `The width-${C} student (${h.params} parameters, ${(100 * h.ratio).toFixed(1)}% of the teacher) after ${p.steps} steps (mean of ${p.seeds} seeds): ${f3(h.bpc)} on the data alone, ${f3(s.bpc)} distilled (${(s.bpc - h.bpc).toFixed(3)})`).join('; ')}.`,
    },
    {
      zh: `计算量：每个训练 token，蒸馏要多做一次教师前向（${sci(fT)} FLOP，学生训练本身 ${rowsText.map(({ C }) => `C=${C} 为 ${sci(3 * forwardFlopsPerToken(studentConfig(teacher.config, C, p.studentHeads), V))}`).join('、')}），所以在计算量坐标上蒸馏曲线右移；教师自己的训练花了 ${sci(teacherTrainFlops)} FLOP。`,
      en: `Compute: distillation adds one teacher forward per training token (${sci(fT)} FLOP, against ${rowsText.map(({ C }) => `${sci(3 * forwardFlopsPerToken(studentConfig(teacher.config, C, p.studentHeads), V))} for training C=${C}`).join(', ')}), which shifts the distilled curves right on the compute axis; the teacher's own training took ${sci(teacherTrainFlops)} FLOP.`,
    },
    {
      zh: `学生离教师有多远（留出集上的 D_KL(教师‖学生)）：${rowsText.map(({ C, h, s }) => `C=${C} 只用数据 ${f3(h.klBits)}、蒸馏 ${f3(s.klBits)} 比特/字符`).join('；')}。`,
      en: `How far each student is from the teacher (held-out D_KL(teacher‖student)): ${rowsText.map(({ C, h, s }) => `C=${C} ${f3(h.klBits)} bits/char on the data alone, ${f3(s.klBits)} distilled`).join('; ')}.`,
    },
  ];
  findings.push({
    zh: `在相同的训练计算量下（把教师前向算进去）：${equalCompute.map((e) => `C=${e.C} 在 ${sci(e.flops)} FLOP 时只用数据 ${f3(e.hard)}、蒸馏 ${e.soft === undefined ? '（曲线未覆盖）' : f3(e.soft)}`).join('；')}（前 ${p.curveChars} 个留出字符）。蒸馏按步数划算；若教师前向要自己付费，则要看预算。`,
    en: `At equal training compute, teacher forwards counted: ${equalCompute.map((e) => `C=${e.C} at ${sci(e.flops)} FLOP, ${f3(e.hard)} on the data alone against ${e.soft === undefined ? '(outside the curve)' : f3(e.soft)} distilled`).join('; ')} (first ${p.curveChars} held-out characters). Distillation pays per step; whether it pays per FLOP depends on who pays for the teacher's forward passes.`,
  });
  return findings;
}

function distillVerdicts(p: P, m: Measured): ClaimVerdict[] {
  const { teacher, V, teacherParams, fT, teacherTrainFlops, teacherBpc, uni, curves, results, evidence, get, kept, smallest, sm, teacherCfgStr, equalCompute } = m;
  const rowsText = p.studentWidths.map((C) => ({ C, h: get(C, 'hard'), s: get(C, 'soft') }));
  const verdicts: ClaimVerdict[] = [
    verdictFor('comp.distill-coding', CRITERIA['comp.distill-coding'], evidence, (v) => {
      const diffs = p.studentWidths.map((C) => `C=${C}: ${(evidence[`soft_minus_hard_bpc_mean_C${C}`] ?? NaN).toFixed(3)} (≤ ${(evidence[`soft_minus_hard_bpc_ci_high_C${C}`] ?? NaN).toFixed(3)})`).join(', ');
      const kl = `${(evidence.kl_smallest_minus_largest_mean ?? NaN).toFixed(3)} (≥ ${(evidence.kl_smallest_minus_largest_ci_low ?? NaN).toFixed(3)})`;
      const n = `${p.seeds}`;
      if (v === 'reproduced')
        return {
          zh: `在可测的意义上成立（${n} 个种子，95% 区间）：学教师软化分布的学生在每个大小上都比只看数据的同一学生好（蒸馏 − 只用数据 bpc：${diffs}），更小的学生离教师更远（D_KL 差 ${kl} 比特/字符），即码率越低失真越大。“满足 R(D) = min I(X;Y)”作为公式本身没有可检验的内容：R(D) 是任何编码都满足的下界，公式也漏了失真约束。`,
          en: `Holds in its measurable sense (${n} seeds, 95% intervals): the student trained on the teacher's softened distribution beats the same student trained on the data at every size (distilled − data bpc: ${diffs}), and the smaller student ends further from the teacher (D_KL difference ${kl} bits/char): less rate, more distortion. "Obeys R(D) = min I(X;Y)" as a formula has no testable content: R(D) is a bound every code satisfies, and the formula drops the distortion constraint.`,
        };
      if (v === 'partly')
        return {
          zh: `部分成立（${n} 个种子）：蒸馏在每个大小上都优于只用数据（${diffs}），但更小的学生并未可靠地离教师更远（D_KL 差 ${kl}）。`,
          en: `Partly (${n} seeds): distillation beats the data alone at every size (${diffs}), but the smaller student is not reliably further from the teacher (D_KL difference ${kl}).`,
        };
      return {
        zh: `未复现（${n} 个种子）：蒸馏 − 只用数据的 bpc 差 ${diffs}，并非每个大小的 95% 区间都低于零——“学生解码教师的分布”在此没有可靠的好处。`,
        en: `Not reproduced (${n} seeds): distilled − data bpc ${diffs}; the 95% interval is not below zero at every size — "the student decodes the teacher's distribution" brings no reliable gain here.`,
      };
    },
      'Hinton, Vinyals, Dean 2015',
    ),
    untestable(
      'info.distill-gpt3-1-40',
      {
        zh: `GPT-3 无法触及，种子的 1/40、90% 也没有出处。在小 GPT 上：参数为教师 ${(100 * sm.soft.ratio).toFixed(1)}%（约 1/${Math.round(1 / sm.soft.ratio)}）的蒸馏学生达到 ${f3(sm.soft.bpc)} bpc（教师 ${f3(teacherBpc)}），保留了教师相对一元模型增益的 ${pct(kept(sm.soft.bpc))}（只用数据：${pct(kept(sm.hard.bpc))}）；bpc 比值 ${pct(teacherBpc / sm.soft.bpc)}。这是小规模上的曲线，不是对这个数字的检验。`,
        en: `GPT-3 is out of reach and the seed's 1/40 and 90% have no source. On the tiny GPT, the distilled student with ${(100 * sm.soft.ratio).toFixed(1)}% of the teacher's parameters (≈ 1/${Math.round(1 / sm.soft.ratio)}) reaches ${f3(sm.soft.bpc)} bpc (teacher ${f3(teacherBpc)}), keeping ${pct(kept(sm.soft.bpc))} of the teacher's gain over the unigram model (data alone: ${pct(kept(sm.hard.bpc))}); the bpc ratio is ${pct(teacherBpc / sm.soft.bpc)}. A small-scale curve, not a test of that number.`,
      },
      'Sanh et al. 2019 (DistilBERT): 40% smaller, 97% of GLUE',
    ),
    untestable(
      'comp.distill-gpt3-1-100',
      {
        zh: `需要 GPT-3 本身，且没有出处。在小 GPT 上：最小学生每个 token 的推理计算量是教师的 ${pct(forwardFlopsPerToken(studentConfig(teacher.config, smallest, p.studentHeads), V) / fT)}，蒸馏后 ${f3(sm.soft.bpc)} bpc（教师 ${f3(teacherBpc)}）；而蒸馏训练每步要多付一次教师前向。`,
        en: `It needs GPT-3 itself and has no source. On the tiny GPT, the smallest student costs ${pct(forwardFlopsPerToken(studentConfig(teacher.config, smallest, p.studentHeads), V) / fT)} of the teacher's inference FLOPs per token and reaches ${f3(sm.soft.bpc)} bpc distilled (teacher ${f3(teacherBpc)}); distillation pays one teacher forward per training token for it.`,
      },
      'Sanh et al. 2019 (DistilBERT): 40% smaller, 60% faster',
    ),
  ];

  return verdicts;
}

export const distillGPT = defineExperiment({
  id: 'compression.distill-gpt',
  lens: 'compression',
  title: { zh: '把小 GPT 蒸馏成 1/4 和 1/16 大小的学生', en: 'Distilling the tiny GPT into students of ¼ and 1/16 its size' },
  summary: {
    zh: '以训练好的小 GPT 为教师，把宽度减半、减到四分之一的学生（约 1/4、1/16 的参数）各训练两次：一次只看数据（独热目标），一次学教师在温度 T 下的软化分布；步数、批次、初始权重和学习率日程完全相同。比较留出集 bpc 随参数量和训练计算量（蒸馏要算上教师的前向）的变化。',
    en: 'The trained tiny GPT teaches students of half and a quarter of its width (≈ ¼ and 1/16 of its parameters), each trained twice — on the data alone (one-hot targets) and on the teacher’s softened distribution at temperature T — with the same steps, batches, initial weights and schedule. Held-out bpc against parameters and against training compute (the teacher’s forward passes counted for distillation).',
  },
  claims: ['comp.distill-coding', 'info.distill-gpt3-1-40', 'comp.distill-gpt3-1-100'],
  criteria: CRITERIA,
  params: Params,
  presets: {
    quick: { teacher: 'nano', teacherSteps: 60, studentWidths: [16, 8], studentHeads: 2, seeds: 2, steps: 40, evalChars: 2048, klChars: 1024, curvePoints: 2, curveChars: 512 },
    full: {},
  },
  formulas: [
    { tex: '\\mathcal L = \\alpha\\,T^2\\,D_{\\mathrm{KL}}\\big(\\mathrm{softmax}(v/T)\\,\\|\\,\\mathrm{softmax}(z/T)\\big) + (1-\\alpha)\\,\\mathrm{CE}(y, \\mathrm{softmax}(z))', label: { zh: '软目标损失（每个位置）', en: 'the soft-target loss (every position)' } },
    { tex: 'C_{\\text{train}} \\approx \\underbrace{3\\,F_{\\text{student}}}_{\\text{fwd + bwd}} + \\underbrace{F_{\\text{teacher}}}_{\\text{distilled only}},\\quad F \\approx 2(12LC^2 + VC) + 2LTC', label: { zh: '每个训练 token 的浮点运算量（Kaplan 等 2020）', en: 'training FLOPs per token (Kaplan et al. 2020)' } },
  ],
  async run(p: P, ctx) {
    const m = await measure(p, ctx);
    const { teacher, V, teacherParams, fT, teacherTrainFlops, teacherBpc, uni, curves, results, evidence, get, kept, smallest, sm, teacherCfgStr, equalCompute } = m;
    const metrics = distillMetrics(p, m);
    // ---- figures ------------------------------------------------------------------------------------
    const figures = distillFigures({
      teacher: { name: teacher.config.name, params: teacherParams, bpc: teacherBpc, trainFlops: teacherTrainFlops, steps: p.teacherSteps },
      unigramBpc: uni,
      students: results,
      curves,
      p,
    });
    const findings = distillFindings(p, m);
    const verdicts = distillVerdicts(p, m);
    const table = [
      { model: `teacher ${teacher.config.name}`, width: teacher.config.nEmbd, params: teacherParams, ratio: 1, trainFlops: Number(teacherTrainFlops.toPrecision(4)), bpc: Number(teacherBpc.toFixed(4)), klToTeacher: 0, trainSeconds: NaN },
      ...results.map((r) => ({ model: `student ${r.mode === 'hard' ? 'data alone' : `distilled T=${p.temperature} α=${p.alpha}`}`, width: r.width, params: r.params, ratio: Number(r.ratio.toFixed(4)), trainFlops: Number(r.flops.toPrecision(4)), bpc: Number(r.bpc.toFixed(4)), klToTeacher: Number(r.klBits.toFixed(4)), trainSeconds: Number((r.trainMs / 1000).toFixed(1)) })),
    ];
    return {
      metrics,
      figures,
      findings,
      verdicts,
      tables: [
        { id: 'students', title: { zh: '教师与学生', en: 'Teacher and students' }, rows: table },
        { id: 'curves', title: { zh: '训练中的留出集 bpc', en: 'Held-out bpc during training' }, rows: curves.map((r) => ({ width: r.width, targets: r.mode === 'hard' ? 'data alone' : 'distilled', step: r.step, flops: Number(r.flops.toPrecision(4)), bpc: Number(r.bpc.toFixed(4)) })) },
      ],
    };
  },
});
