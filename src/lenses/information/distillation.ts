/**
 * information.distillation — Hinton's knowledge distillation, on the 8×8 digits.
 *
 * Claims (seed, 信息论 and 压缩感知):
 *  「教师模型输出的概率分布 p_τ(y|x) 蕴含了类别间相似性等暗知识（Dark Knowledge），学生模型通过最小化KL散度
 *    D_KL(p_τ||q_θ) 实现信息的高效压缩」 (info.distill-kl);
 *  「该方法可将GPT-3规模的模型压缩至原体积的1/40，同时保持90%以上的任务性能」 (info.distill-gpt3-1-40);
 *  「该方法已成功将1750亿参数的GPT-3压缩为仅需1/100计算资源的轻量级模型」 (comp.distill-gpt3-1-100).
 *
 * Paper: G. Hinton, O. Vinyals, J. Dean, "Distilling the Knowledge in a Neural Network" (2015):
 * on MNIST a 2×800 student makes 146 test errors trained on labels and 74 distilled from a
 * 2×1200 teacher (67 errors) at T = 20; the soft term is multiplied by T². Section 5: soft targets
 * let a model learn from few examples (3% of the speech data) without overfitting.
 *
 * What is measured, over several seeds (each: its own split, teacher, student data and inits):
 * `valRows` validation digits are carved from the training rows; a teacher MLP 64→128→10 trained on
 * the rest; a student 64→20→10 trained on only the first `studentRows` of them — once on labels,
 * once per temperature T on α·T²·D_KL(p_T‖q_T) + (1−α)·CE — all students of a seed starting from
 * the same weights. T is chosen on the validation digits (mean over seeds); the test errors (of 497
 * test digits) are then read once, for that T, beside Hinton's 146 → 74. The verdict rests on the
 * 95% paired interval of (label errors − distilled errors) over seeds.
 * Which KL direction the loss uses (forward, as the seed writes it) is true by construction of
 * src/nn/distill.ts: a unit test checks it (klDirectionCheck), not the verdict.
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Bilingual, type ClaimVerdict, type Figure, type Metric, type RunContext } from '../../experiments/contract.js';
import { untestable, verdictFor, type Criterion } from '../../experiments/verdict.js';
import { meanCi95, pairedDiffCi95 } from '../../experiments/stats.js';
import { tf } from '../../engine/tf.js';
import { loadDigits, splitDigits, subsetDigits } from '../../data/corpora.js';
import { barChart, type Row } from '../../report/charts.js';
import { distillationLoss, distillGradF64 } from '../../nn/distill.js';
import { errors64, forwardNet64 as forward64, initNet64, softmaxRows, trainNet64 as train64 } from '../../nn/mlp64.js';

const Params = z.object({
  seeds: z.number().int().min(2).max(30).default(6).describe('independent repetitions (split, teacher, student data and init); the verdict uses a 95% paired interval over them').meta({ zh: '独立重复的次数（数据划分、教师、学生数据和初始化都重新抽取）；结论依据这些重复上的 95% 配对置信区间' }),
  temperatures: z.array(z.number().positive()).default([1, 2, 4, 8, 20]).describe('distillation temperatures T (one is chosen on the validation digits)').meta({ zh: '蒸馏温度 T 的候选值（在验证集上选出一个）；温度越高，教师给出的软目标越平滑' }),
  alpha: z.number().min(0).max(1).default(0.9).describe('weight of the soft (KL) term; 1 − α goes to the label cross-entropy').meta({ zh: '软目标（KL 散度）项的权重 α；剩下的 1 − α 给真实标签上的交叉熵' }),
  teacherHidden: z.number().int().min(8).max(1024).default(128).describe('teacher hidden width (one ReLU layer)').meta({ zh: '教师网络的隐藏层宽度（一层 ReLU）' }),
  teacherEpochs: z.number().int().min(1).max(500).default(30).describe('teacher training epochs (Adam, lr 2e-3, batch 32)').meta({ zh: '教师网络训练的轮数（Adam，学习率 2e-3，批大小 32）' }),
  studentHidden: z.number().int().min(2).max(256).default(20).describe('student hidden width (one ReLU layer)').meta({ zh: '学生网络的隐藏层宽度（一层 ReLU）' }),
  studentRows: z.number().int().min(20).max(1100).default(300).describe('training rows the student sees (the teacher sees all training rows but the validation ones)').meta({ zh: '学生能看到的训练样本数（教师看到除验证集外的全部训练样本）' }),
  studentEpochs: z.number().int().min(1).max(1000).default(60).describe('student training epochs (Adam, lr 3e-3, batch 32)').meta({ zh: '学生网络训练的轮数（Adam，学习率 3e-3，批大小 32）' }),
  valRows: z.number().int().min(50).max(400).default(200).describe('validation digits carved from the training rows, on which T is chosen').meta({ zh: '从训练样本中划出的验证集大小，温度 T 在它上面选' }),
  testRows: z.number().int().min(100).max(897).default(497).describe('held-out test digits').meta({ zh: '留作测试的手写数字样本数' }),
});
type P = z.infer<typeof Params>;

/** Criteria, declared before any run. */
const CRITERIA = {
  'info.distill-kl': [
    {
      level: 'reproduced',
      metric: 'error_reduction_ci_low',
      op: '>',
      value: 0,
      why: {
        en: 'the distilled student makes fewer test errors than the same student on labels alone, on the same seeds: the 95% paired interval excludes 0 (Hinton et al. 2015: 146 → 74 on MNIST)',
        zh: '蒸馏出的学生在同样的种子上比只用标签的同一学生错得少：95% 配对区间不含 0（Hinton 等 2015：MNIST 上 146 → 74）',
      },
    },
    { level: 'partly', metric: 'error_reduction_mean', op: '>', value: 0, why: { en: 'fewer errors on average, the direction Hinton reports, but not beyond seed noise', zh: '平均错得更少，方向与 Hinton 一致，但没有超出种子噪声' } },
  ],
} satisfies Record<string, readonly Criterion[]>;

/** The numbers the verdict on info.distill-kl is computed from. */
export interface DistillMeasurement {
  /** test errors per seed, trained on labels */
  labelErrors: number[];
  /** test errors per seed, distilled at the temperature chosen on validation */
  distilledErrors: number[];
  /** the temperature chosen on the validation digits */
  chosenT: number;
}

/** The evidence: paired test-error reduction (labels − distilled) over seeds. */
export function distillEvidence(m: DistillMeasurement): Record<string, number> {
  const d = pairedDiffCi95(m.labelErrors, m.distilledErrors);
  const lab = meanCi95(m.labelErrors).mean;
  const dis = meanCi95(m.distilledErrors).mean;
  return { label_errors_mean: lab, distilled_errors_mean: dis, error_reduction_mean: d.mean, error_reduction_ci_low: d.low, error_reduction_ci_high: d.high, relative_error_reduction: 1 - dis / lab, chosen_T: m.chosenT, seeds: m.labelErrors.length };
}

/** info.distill-kl from the declared criteria. */
export function judgeDistillKl(m: DistillMeasurement): ClaimVerdict {
  const ev = distillEvidence(m);
  const f1 = (v: number) => v.toFixed(1);
  const nums = {
    en: `at T = ${m.chosenT} (chosen on validation digits) the student makes ${f1(ev.distilled_errors_mean!)} test errors against ${f1(ev.label_errors_mean!)} on labels; paired reduction ${f1(ev.error_reduction_mean!)} errors, 95% interval [${f1(ev.error_reduction_ci_low!)}, ${f1(ev.error_reduction_ci_high!)}] over ${ev.seeds} seeds`,
    zh: `在 T = ${m.chosenT}（在验证集上选出）时，学生平均错 ${f1(ev.distilled_errors_mean!)} 个，只用标签错 ${f1(ev.label_errors_mean!)} 个；配对减少 ${f1(ev.error_reduction_mean!)} 个，95% 区间 [${f1(ev.error_reduction_ci_low!)}, ${f1(ev.error_reduction_ci_high!)}]（${ev.seeds} 个种子）`,
  };
  return verdictFor(
    'info.distill-kl',
    CRITERIA['info.distill-kl'],
    ev,
    (v) =>
      v === 'reproduced'
        ? { en: `Distillation works: ${nums.en}. The teacher's soft targets carry knowledge the labels do not.`, zh: `蒸馏有效：${nums.zh}。教师的软目标里有标签里没有的知识。` }
        : v === 'partly'
          ? { en: `Fewer errors on average but not beyond seed noise: ${nums.en}.`, zh: `平均错误更少，但没有超出种子噪声：${nums.zh}。` }
          : { en: `No gain from the soft targets: ${nums.en}.`, zh: `软目标没有带来收益：${nums.zh}。` },
    'Hinton, Vinyals, Dean 2015: MNIST 146 → 74 errors at T = 20',
  );
}

/**
 * Which direction does `distillationLoss` use? tfjs autodiff of the loss (α = 1) on rows of random
 * logits against the closed-form gradients of T²·KL(p‖q) and T²·KL(q‖p). Returns the max gaps.
 * (A unit test: the direction is fixed by construction, it is not evidence for the claim.)
 */
export function klDirectionCheck(zs: Float64Array[], ps: Float64Array[], T: number): { forwardGap: number; reverseGap: number } {
  const n = zs.length;
  const K = zs[0]!.length;
  const zFlat = new Float32Array(n * K);
  const pFlat = new Float32Array(n * K);
  zs.forEach((z, i) => zFlat.set(z, i * K));
  ps.forEach((p, i) => pFlat.set(p, i * K));
  const g = tf.tidy(() => {
    const z = tf.tensor2d(zFlat, [n, K]);
    const p = tf.tensor2d(pFlat, [n, K]);
    const y = tf.zeros([n], 'int32') as tf.Tensor1D;
    return tf.grad((zz: tf.Tensor) => distillationLoss(zz as tf.Tensor2D, p, y, T, 1))(z).dataSync() as Float32Array;
  });
  let forwardGap = 0;
  let reverseGap = 0;
  for (let i = 0; i < n; i++) {
    const { forward, reverse } = distillGradF64(zs[i]!, ps[i]!, T);
    for (let k = 0; k < K; k++) {
      const a = g[i * K + k]! * n; // the loss is a mean over rows
      forwardGap = Math.max(forwardGap, Math.abs(a - forward[k]!));
      reverseGap = Math.max(reverseGap, Math.abs(a - reverse[k]!));
    }
  }
  return { forwardGap, reverseGap };
}

/** Per condition ('labels', 'T=4', …) the errors per seed on validation and on test, and the teacher's. */
interface Measured {
  conds: string[];
  val: Record<string, number[]>;
  test: Record<string, number[]>;
  teacher: number[];
}

/** Train the teacher and every student on every seed; count validation and test errors. */
async function measure(p: P, ctx: RunContext): Promise<Measured> {
  const digits = await loadDigits(ctx.data);
  const K = 10;
  const conds = ['labels', ...p.temperatures.map((T) => `T=${T}`)];
  const out: Measured = { conds, val: Object.fromEntries(conds.map((c) => [c, []])), test: Object.fromEntries(conds.map((c) => [c, []])), teacher: [] };
  const total = p.seeds * (1 + conds.length);
  let done = 0;
  for (let s = 0; s < p.seeds; s++) {
    const rng = ctx.rng.fork(`seed-${s}`);
    const { train, test } = splitDigits(digits, rng.fork('split'), p.testRows);
    const nFit = train.n - p.valRows;
    const fit = subsetDigits(train, Int32Array.from({ length: nFit }, (_, i) => i));
    const val = subsetDigits(train, Int32Array.from({ length: p.valRows }, (_, i) => nFit + i));
    const teacher = initNet64([64, p.teacherHidden, K], 'relu', rng.fork('teacher-init'));
    await train64(teacher, fit.x, fit.y, { epochs: p.teacherEpochs, batchSize: 32, lr: 2e-3, rng: rng.fork('teacher-order') });
    out.teacher.push(errors64(teacher, test.x, test.y));
    ctx.progress(++done / total, `seed ${s + 1}/${p.seeds}: teacher ${out.teacher[s]} errors`);
    await tick();
    const sub = subsetDigits(fit, Int32Array.from({ length: Math.min(p.studentRows, nFit) }, (_, i) => i));
    const teacherLogits = forward64(teacher, sub.x, sub.n).logits;
    for (const c of conds) {
      throwIfAborted(ctx.signal);
      const T = c === 'labels' ? 1 : Number(c.slice(2));
      const student = initNet64([64, p.studentHidden, K], 'relu', rng.fork('student-init')); // same start for every condition
      await train64(student, sub.x, sub.y, {
        epochs: p.studentEpochs,
        batchSize: 32,
        lr: 3e-3,
        rng: rng.fork('student-order'),
        ...(c === 'labels' ? {} : { loss: { T, alpha: p.alpha }, soft: softmaxRows(teacherLogits, sub.n, K, T) }),
      });
      out.val[c]!.push(errors64(student, val.x, val.y));
      out.test[c]!.push(errors64(student, test.x, test.y));
      ctx.progress(++done / total, `seed ${s + 1}/${p.seeds}: student (${c}) ${out.val[c]![s]} validation errors`);
      await tick();
    }
  }
  return out;
}

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sdv = (xs: number[]) => (xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - avg(xs)) ** 2, 0) / (xs.length - 1)) : 0);

/** The temperature with the fewest validation errors (mean over seeds); the test set plays no part. */
export function chooseTemperature(val: Record<string, number[]>, temps: readonly number[]): number {
  return temps.reduce((a, b) => (avg(val[`T=${b}`]!) < avg(val[`T=${a}`]!) ? b : a));
}

function figures(p: P, d: Measured): Figure[] {
  const bar = (condition: Bilingual, xs: number[], kind: Bilingual): Row => ({ condition, errors: avg(xs), lo: avg(xs) - sdv(xs), hi: avg(xs) + sdv(xs), kind });
  const teacherKind = { en: 'teacher', zh: '教师' };
  const labelKind = { en: 'labels', zh: '标签' };
  const distKind = { en: 'distilled', zh: '蒸馏' };
  const bars: Row[] = [
    bar(teacherKind, d.teacher, teacherKind),
    ...d.conds.map((c) => (c === 'labels' ? bar(labelKind, d.test[c]!, labelKind) : bar({ en: `KL, ${c}`, zh: `KL，${c}` }, d.test[c]!, distKind))),
  ];
  const spec = barChart({
    title: { en: `Test errors of ${p.testRows} digits, mean ± std over ${p.seeds} seeds`, zh: `${p.testRows} 个测试数字上的错误数：${p.seeds} 个种子的均值 ± 标准差` },
    data: bars,
    x: { field: 'condition', title: { en: 'teacher · student on labels · student distilled at T', zh: '教师 · 只用标签的学生 · 在温度 T 下蒸馏的学生' } },
    y: { field: 'errors', title: { en: `test errors (of ${p.testRows})`, zh: `测试错误数（共 ${p.testRows} 个）` } },
    color: { field: 'kind', title: { en: 'trained on', zh: '训练信号' } },
    errorLo: 'lo',
    errorHi: 'hi',
    width: 460,
    height: 280,
  });
  return [
    {
      id: 'errors-by-temperature',
      title: { en: 'Student test errors: labels against distillation', zh: '学生测试错误：标签训练对比蒸馏' },
      spec,
      caption: {
        en: 'Bars are means over seeds, whiskers ± one standard deviation; every student of a seed starts from the same weights. All temperatures are shown for the picture; the verdict uses only the one chosen on validation digits.',
        zh: '柱子是各种子的平均，须线是 ± 一个标准差；同一种子下的所有学生从相同的初始权重出发。图中画出所有温度，结论只用在验证集上选出的那一个。',
      },
    },
  ];
}

function verdicts(p: P, d: Measured): { metrics: Metric[]; findings: Bilingual[]; verdicts: ClaimVerdict[] } {
  const chosenT = chooseTemperature(d.val, p.temperatures);
  const lab = d.test.labels!;
  const dis = d.test[`T=${chosenT}`]!;
  const verdict = judgeDistillKl({ labelErrors: lab, distilledErrors: dis, chosenT });
  const ev = verdict.evidence;
  const f1 = (v: number) => v.toFixed(1);
  const nTest = p.testRows;
  const metrics: Metric[] = [
    { name: 'teacher_errors_mean', value: avg(d.teacher), unit: `errors of ${nTest}`, label: { en: 'teacher test errors', zh: '教师测试错误数' }, reference: { value: 67, source: 'Hinton et al. 2015, MNIST teacher, errors of 10,000' } },
    { name: 'student_label_errors_mean', value: avg(lab), unit: `errors of ${nTest}`, label: { en: 'student on labels', zh: '只用标签的学生' }, reference: { value: 146, source: 'Hinton et al. 2015, MNIST student on labels, errors of 10,000' } },
    { name: 'student_distilled_errors_mean', value: avg(dis), unit: `errors of ${nTest}`, label: { en: 'student distilled at the chosen T', zh: '在选定温度下蒸馏的学生' }, reference: { value: 74, source: 'Hinton et al. 2015, MNIST distilled at T = 20, errors of 10,000' } },
    ...d.conds.map((c) => ({ name: `student_${c.replace('=', '')}_val_errors_mean`, value: avg(d.val[c]!), unit: `errors of ${p.valRows}` })),
    { name: 'chosen_T', value: chosenT, unit: '1' },
    { name: 'error_reduction_ci_low', value: ev.error_reduction_ci_low!, unit: 'errors' },
    { name: 'relative_error_reduction', value: ev.relative_error_reduction!, unit: '1', label: { en: 'fewer errors at the chosen T', zh: '选定 T 下错误减少的比例' }, reference: { value: 1 - 74 / 146, source: 'Hinton et al. 2015: 146 → 74' } },
  ];
  const findings: Bilingual[] = [
    {
      en: `On ${p.studentRows} training digits a ${p.studentHidden}-unit student makes ${f1(avg(lab))} ± ${f1(sdv(lab))} test errors of ${nTest} from labels; distilled from the teacher (${f1(avg(d.teacher))} errors) at T = ${chosenT}, chosen on ${p.valRows} validation digits, it makes ${f1(avg(dis))} ± ${f1(sdv(dis))}.`,
      zh: `只用 ${p.studentRows} 个训练样本、${p.studentHidden} 个隐藏单元的学生，看标签训练时在 ${nTest} 个测试数字上错 ${f1(avg(lab))} ± ${f1(sdv(lab))} 个；向教师（错 ${f1(avg(d.teacher))} 个）在 T = ${chosenT}（在 ${p.valRows} 个验证数字上选出）蒸馏时错 ${f1(avg(dis))} ± ${f1(sdv(dis))} 个。`,
    },
    {
      en: `${(100 * ev.relative_error_reduction!).toFixed(0)}% fewer errors. Hinton et al. report 146 → 74 errors of 10,000 on MNIST (49% fewer) for a 2×800 student — a different data set and scale; the direction is what carries over. The loss is the forward D_KL(p_T‖q_T), teacher first, as the seed writes it (checked in a unit test).`,
      zh: `错误减少 ${(100 * ev.relative_error_reduction!).toFixed(0)}%。Hinton 等人在 MNIST 上的 2×800 学生从 146 个错误（一万张中）降到 74 个（少 49%）——数据集和规模都不同，可比的是方向。损失是教师在前的正向 D_KL(p_T‖q_T)，与种子的写法一致（由单元测试核对）。`,
    },
  ];
  const scale = {
    en: 'No experiment at our scale can decide it: the claim is about GPT-3 itself (175B parameters), whose weights are not public and whose task suite we cannot run; a ratio like 1/40 or 1/100 at 90% of the performance depends on the teacher size, the tasks and the training budget, so a digits or tiny-GPT distillation says nothing about it.',
    zh: '我们这个规模的任何实验都无法判定：这个说法针对的是 GPT-3 本身（1750 亿参数），其权重不公开、任务集我们也跑不了；“1/40”“1/100”而保留 90% 性能这样的比例取决于教师规模、任务和训练预算，手写数字或小 GPT 上的蒸馏对它说明不了什么。',
  };
  return {
    metrics,
    findings,
    verdicts: [
      verdict,
      untestable(
        'info.distill-gpt3-1-40',
        {
          en: `${scale.en} No source either: no published distillation of GPT-3 to 1/40 of its size keeping 90% is known to us (the seed cites a blog); the nearest published figure is DistilBERT (Sanh et al. 2019): 40% smaller (not 1/40), 97% of BERT's GLUE score.`,
          zh: `${scale.zh}也没有出处：我们不知道有哪篇论文把 GPT-3 蒸馏到 1/40 还保留 90% 的性能（种子引用的是博客）；最接近的公开数字是 DistilBERT（Sanh 等 2019）：小 40%（不是 1/40），保留 BERT 在 GLUE 上 97% 的分数。`,
        },
        'Sanh et al. 2019 (DistilBERT): 40% smaller, 97% of GLUE, 60% faster',
      ),
      untestable(
        'comp.distill-gpt3-1-100',
        {
          en: `${scale.en} No source either: no published work distils GPT-3 175B into a model needing 1/100 of the compute (the seed cites a blog); published distillations of that era are of BERT-sized models.`,
          zh: `${scale.zh}也没有出处：没有公开工作把 1750 亿参数的 GPT-3 蒸馏成只需 1/100 计算量的模型（种子引用的是博客）；同时期公开的蒸馏是 BERT 量级的。`,
        },
        'Sanh et al. 2019 (DistilBERT)',
      ),
    ],
  };
}

export const distillation = defineExperiment({
  id: 'information.distillation',
  lens: 'information',
  title: { en: 'Knowledge distillation: dark knowledge in soft targets', zh: '知识蒸馏：软目标里的“暗知识”' },
  summary: {
    en: "A small student network learns digits from few examples — once from the labels, once from a bigger teacher's softened probabilities at temperature T (chosen on validation digits). Over several seeds we count test errors and set the result beside Hinton's MNIST figures and the seed's unsourced GPT-3 numbers.",
    zh: '一个小的学生网络只用少量样本学认数字——一次只看标签，一次看大教师网络在温度 T（在验证集上选出）下软化的概率。多次重复统计测试错误数，并与 Hinton 的 MNIST 数字以及种子答案中没有出处的 GPT-3 数字对照。',
  },
  claims: ['info.distill-kl', 'info.distill-gpt3-1-40', 'comp.distill-gpt3-1-100'],
  params: Params,
  criteria: CRITERIA,
  presets: {
    quick: { seeds: 2, temperatures: [4], teacherHidden: 64, teacherEpochs: 6, studentEpochs: 15, studentRows: 150 },
    full: {},
  },
  formulas: [
    { tex: 'p_T = \\mathrm{softmax}(v/T),\\quad q_T = \\mathrm{softmax}(z/T)', label: { en: 'softened teacher and student', zh: '软化后的教师与学生分布' } },
    {
      tex: '\\mathcal{L} = \\alpha\\,T^2\\,D_{\\mathrm{KL}}(p_T\\,\\|\\,q_T) + (1-\\alpha)\\,\\mathrm{CE}(y, q_1)',
      label: { en: 'the distillation loss (forward KL, T² factor)', zh: '蒸馏损失（正向 KL，乘 T²）' },
    },
    { tex: '\\frac{\\partial\\, T^2 D_{\\mathrm{KL}}(p_T\\|q_T)}{\\partial z_i} = T\\,(q_{T,i} - p_{T,i})', label: { en: 'its gradient: why T² keeps the scale', zh: '它的梯度：T² 为何保持梯度量级' } },
  ],

  async run(p: P, ctx) {
    const d = await measure(p, ctx);
    const v = verdicts(p, d);
    return {
      ...v,
      figures: figures(p, d),
      tables: [
        {
          id: 'per-seed',
          title: { en: 'Test errors per seed', zh: '各种子的测试错误数' },
          rows: d.teacher.map((t, s) => ({ seed: s, teacher: t, ...Object.fromEntries(d.conds.map((c) => [c, d.test[c]![s]!])) })),
        },
      ],
    };
  },
});
