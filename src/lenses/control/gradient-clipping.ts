/**
 * control.gradient-clipping — exploding gradients in a small RNN, and clipping as a saturation.
 *
 * Claim (seed, 控制论): 「梯度裁剪操作 ĝ = g / max(1, ‖g‖₂/λ) 本质上是施加一个非线性饱和环节，将梯度范数限制在稳定区域」
 * — gradient clipping is a saturating nonlinearity that keeps training stable.
 *
 * Papers: Pascanu, Mikolov & Bengio 2013, "On the difficulty of training recurrent neural networks" (the
 * one-neuron cliff, norm clipping); Zhang et al. 2020 (ICLR), clipped GD under (L0, L1)-smoothness.
 *
 * Measured: (1) Pascanu's one-neuron RNN x_t = w·σ(x_{t−1}) + b: the loss surface over (w, b) with its cliff,
 * and GD from the same start with and without clipping; (2) a tanh RNN (hand-written BPTT, float64) on the
 * adding problem with a large recurrent gain, trained with SGD at two learning rates, with and without
 * global-norm clipping, over seeds: divergences, loss spikes, final loss, largest gradient norm; (3) the
 * saturation curve ‖ĝ‖ against ‖g‖ measured during training; (4) optionally the nano GPT at a too-large
 * learning rate with and without clipping.
 */
import { z } from 'zod';
import { defineExperiment, throwIfAborted, tick, type Bilingual, type ClaimVerdict, type Metric } from '../../experiments/contract.js';
import { verdictFor } from '../../experiments/verdict.js';
import { tf } from '../../engine/tf.js';
import { Rng } from '../../engine/rng.js';
import { lineChart, type Row, type Spec } from '../../report/charts.js';
import { clipByGlobalNorm, clipByGlobalNormF64 } from '../../optim/clipping.js';
import { createTensorOptimizer } from '../../optim/optimizers.js';
import { addingBatch, initRnn, oneNeuron, rnnLossGrad } from './rnn.js';
import { splitText } from '../../data/corpora.js';
import { CharVocab, GPT, GPT_CONFIGS, localGradients, sampleBatch, evalBpc } from '../../gpt/index.js';

const Params = z.object({
  hidden: z.number().int().min(2).max(128).default(12).describe('RNN hidden units H'),
  seqLen: z.number().int().min(2).max(200).default(25).describe('sequence length T of the adding problem'),
  batchSize: z.number().int().min(1).max(256).default(16).describe('sequences per step'),
  gain: z.number().positive().default(2.5).describe('spectral radius of the initial recurrent matrix (large → exploding gradients)'),
  lrs: z.array(z.number().positive()).default([0.05, 0.2]).describe('SGD learning rates'),
  clip: z.number().positive().default(1).describe('global-norm threshold λ of the clipped runs'),
  steps: z.number().int().min(10).max(20000).default(300).describe('SGD steps per run'),
  seeds: z.number().int().min(1).max(20).default(4).describe('seeds per (learning rate, clipping) pair'),
  cliffGrid: z.number().int().min(10).max(200).default(60).describe('grid cells per axis of the one-neuron loss surface'),
  gptSteps: z.number().int().min(0).max(5000).default(0).describe('nano-GPT steps per run (0 = skip)'),
  gptLr: z.number().positive().default(0.03).describe('a too-large AdamW learning rate for the nano GPT'),
});
type P = z.infer<typeof Params>;

interface Run {
  lr: number;
  clipped: boolean;
  seed: number;
  diverged: boolean;
  spikes: number;
  finalLoss: number;
  maxNorm: number;
}

/** Loss spikes: steps whose loss exceeds 3× the median of the previous 20. */
export function countSpikes(losses: number[]): number {
  let n = 0;
  for (let t = 20; t < losses.length; t++) {
    const w = losses.slice(t - 20, t).sort((a, b) => a - b);
    if (losses[t]! > 3 * w[10]!) n++;
  }
  return n;
}

/** Verdict from the measured numbers (exported for tests). */
export function clippingVerdict(e: { maxClippedOverThreshold: number; divergedNoClip: number; divergedClip: number; spikesNoClip: number; spikesClip: number }): ClaimVerdict {
  const saturates = e.maxClippedOverThreshold <= 1 + 1e-9;
  const stabilises = e.divergedClip < e.divergedNoClip || (e.divergedClip === e.divergedNoClip && e.spikesClip < e.spikesNoClip);
  return verdictFor(
    'control.clipping-saturation',
    { reproduced: saturates && stabilises && e.divergedClip === 0, partly: saturates && (stabilises || e.divergedClip <= e.divergedNoClip) },
    { ...e },
    (v) => ({
      en: `${v === 'reproduced' ? 'Reproduced' : v === 'partly' ? 'Partly' : 'Not reproduced'}: the clipped norm never exceeds λ (max ‖ĝ‖/λ = ${e.maxClippedOverThreshold.toFixed(6)}), a saturation; without clipping ${(100 * e.divergedNoClip).toFixed(0)}% of the RNN runs diverge and the loss spikes ${e.spikesNoClip.toFixed(1)} times per run, with clipping ${(100 * e.divergedClip).toFixed(0)}% and ${e.spikesClip.toFixed(1)}. Clipping bounds the step, not the gradient: it keeps the iterate from being thrown off a cliff.`,
      zh: `${v === 'reproduced' ? '复现' : v === 'partly' ? '部分复现' : '未能复现'}：裁剪后的范数从未超过 λ（‖ĝ‖/λ 最大为 ${e.maxClippedOverThreshold.toFixed(6)}），这正是饱和环节；不裁剪时 ${(100 * e.divergedNoClip).toFixed(0)}% 的 RNN 训练发散，平均每次出现 ${e.spikesNoClip.toFixed(1)} 次损失尖峰，裁剪后分别为 ${(100 * e.divergedClip).toFixed(0)}% 和 ${e.spikesClip.toFixed(1)} 次。裁剪限制的是步长而不是梯度本身：它让迭代点不会被悬崖甩飞。`,
    }),
    'Pascanu, Mikolov & Bengio 2013; Zhang et al. 2020 (ICLR)',
  );
}

export const gradientClipping = defineExperiment({
  id: 'control.gradient-clipping',
  lens: 'control',
  title: { en: 'Gradient clipping: a saturation against exploding gradients', zh: '梯度裁剪：对付梯度爆炸的饱和环节' },
  summary: {
    en: 'A recurrent network multiplies by its recurrent matrix at every step, so its gradients can explode: the loss surface has cliffs. Clipping the gradient norm, ĝ = g/max(1, ‖g‖/λ), is a saturating element in the loop. We draw Pascanu\'s one-neuron cliff, train a small RNN with and without clipping over seeds, and plot the measured saturation curve.',
    zh: '循环网络每一步都要乘一次循环矩阵，梯度因此可能爆炸：损失曲面上有悬崖。梯度范数裁剪 ĝ = g/max(1, ‖g‖/λ) 是回路中的一个饱和环节。我们画出 Pascanu 的单神经元悬崖，在多个种子上分别带与不带裁剪训练一个小 RNN，并画出实测的饱和曲线。',
  },
  claims: ['control.clipping-saturation'],
  params: Params,
  presets: {
    quick: { hidden: 8, seqLen: 15, batchSize: 8, steps: 80, seeds: 1, lrs: [0.2], cliffGrid: 24 },
    full: { gptSteps: 150 },
  },
  formulas: [
    { tex: '\\hat g = \\frac{g}{\\max(1, \\lVert g \\rVert_2/\\lambda)},\\quad \\lVert \\hat g \\rVert = \\min(\\lVert g \\rVert, \\lambda)', label: { en: "global-norm clipping (the seed's formula)", zh: '全局范数裁剪（种子答案的公式）' } },
    { tex: '\\frac{\\partial h_T}{\\partial h_t} = \\prod_{k=t+1}^{T} \\operatorname{diag}(1-h_k^2)\\, W_{hh}', label: { en: 'why RNN gradients explode or vanish', zh: 'RNN 梯度为何会爆炸或消失' } },
  ],

  async run(p: P, ctx) {
    const metrics: Metric[] = [];
    const findings: Bilingual[] = [];

    // --- 1. the one-neuron cliff ----------------------------------------------------------------------
    const T1 = 50;
    const target = 0.7;
    const cliffRows: Row[] = [];
    const wRange: [number, number] = [0, 12];
    const bRange: [number, number] = [-8, 2];
    for (let i = 0; i < p.cliffGrid; i++)
      for (let j = 0; j < p.cliffGrid; j++) {
        const w = wRange[0] + ((i + 0.5) / p.cliffGrid) * (wRange[1] - wRange[0]);
        const b = bRange[0] + ((j + 0.5) / p.cliffGrid) * (bRange[1] - bRange[0]);
        const dw = (wRange[1] - wRange[0]) / p.cliffGrid / 2;
        const db = (bRange[1] - bRange[0]) / p.cliffGrid / 2;
        cliffRows.push({ w1: w - dw, w2: w + dw, b1: b - db, b2: b + db, loss: Math.log10(1e-4 + oneNeuron(w, b, T1, target).loss) });
      }
    const trajRows: Row[] = [];
    const cliffStats: Record<string, { maxStep: number; maxGrad: number; finalLoss: number }> = {};
    for (const clipped of [false, true]) {
      let w = 10;
      let b = -5;
      const name = clipped ? `clipped (λ = ${p.clip})` : 'raw gradient';
      let maxStep = 0;
      let maxGrad = 0;
      const lr1 = 0.05;
      for (let t = 0; t < 150; t++) {
        trajRows.push({ w, b, t, run: name });
        const g = oneNeuron(w, b, T1, target);
        const c = clipped ? clipByGlobalNormF64([Float64Array.from([g.dw, g.db])], p.clip) : { grads: [Float64Array.from([g.dw, g.db])], norm: Math.hypot(g.dw, g.db) };
        maxGrad = Math.max(maxGrad, Math.hypot(g.dw, g.db));
        const dw = c.grads[0]![0]! * lr1;
        const db = c.grads[0]![1]! * lr1;
        maxStep = Math.max(maxStep, Math.hypot(dw, db));
        w -= dw;
        b -= db;
        if (!Number.isFinite(w) || Math.abs(w) > 1e6) break;
      }
      cliffStats[name] = { maxStep, maxGrad, finalLoss: oneNeuron(w, b, T1, target).loss };
    }
    ctx.progress(0.05, 'cliff done');

    // --- 2. the RNN on the adding problem ------------------------------------------------------------------
    const shape = { I: 2, H: p.hidden };
    const runs: Run[] = [];
    const satRows: Row[] = [];
    const lossRows: Row[] = [];
    let maxClippedOverThreshold = 0;
    let k = 0;
    const total = p.lrs.length * 2 * p.seeds;
    for (const lr of p.lrs)
      for (const clipped of [false, true])
        for (let s = 0; s < p.seeds; s++) {
          throwIfAborted(ctx.signal);
          ctx.progress(0.05 + (0.75 * k++) / total, `RNN lr ${lr}${clipped ? ' clipped' : ''}, seed ${s}`);
          const rng = ctx.rng.fork(`rnn-${s}`);
          const prm = initRnn(shape, p.gain, rng.fork('init'));
          const data = rng.fork('data');
          const losses: number[] = [];
          let maxNorm = 0;
          let diverged = false;
          for (let t = 0; t < p.steps; t++) {
            const { loss, grad } = rnnLossGrad(shape, prm, addingBatch(p.batchSize, p.seqLen, data));
            if (!Number.isFinite(loss) || loss > 1e6) {
              diverged = true;
              break;
            }
            losses.push(loss);
            const c = clipByGlobalNormF64([grad], clipped ? p.clip : Infinity);
            maxNorm = Math.max(maxNorm, c.norm);
            const gh = c.grads[0]!;
            if (clipped) {
              const n2 = Math.sqrt(gh.reduce((a, x) => a + x * x, 0));
              maxClippedOverThreshold = Math.max(maxClippedOverThreshold, n2 / p.clip);
              if (t % 2 === 0) satRows.push({ raw: c.norm, clipped: n2, lr: `η = ${lr}` });
            }
            for (let i = 0; i < prm.length; i++) prm[i]! -= lr * gh[i]!;
            if (!prm.every(Number.isFinite)) {
              diverged = true;
              break;
            }
            if (s === 0 && lr === p.lrs[p.lrs.length - 1]) lossRows.push({ t, loss, run: clipped ? `clipped, λ = ${p.clip}` : 'no clipping' });
            if (t % 25 === 24) await tick();
          }
          const tail = losses.slice(-Math.max(1, Math.floor(losses.length / 10)));
          const finalLoss = tail.reduce((a, b) => a + b, 0) / Math.max(1, tail.length);
          // a run that ends far above where it started also counts as diverged
          if (!diverged && finalLoss > 2 * (losses[0] ?? Infinity)) diverged = true;
          runs.push({ lr, clipped, seed: s, diverged, spikes: countSpikes(losses), finalLoss: diverged ? NaN : finalLoss, maxNorm });
        }

    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
    const sel = (clipped: boolean, lr?: number) => runs.filter((r) => r.clipped === clipped && (lr === undefined || r.lr === lr));
    const table = p.lrs.flatMap((lr) =>
      [false, true].map((clipped) => {
        const rs = sel(clipped, lr);
        const ok = rs.filter((r) => !r.diverged);
        return {
          lr,
          clipping: clipped ? `λ = ${p.clip}` : 'none',
          diverged_pct: +(100 * mean(rs.map((r) => (r.diverged ? 1 : 0)))).toFixed(0),
          spikes_per_run: +mean(rs.map((r) => r.spikes)).toFixed(2),
          final_loss: ok.length ? +mean(ok.map((r) => r.finalLoss)).toFixed(4) : NaN,
          max_grad_norm: +Math.max(...rs.map((r) => r.maxNorm)).toPrecision(3),
        };
      }),
    );
    const e = {
      maxClippedOverThreshold,
      divergedNoClip: mean(sel(false).map((r) => (r.diverged ? 1 : 0))),
      divergedClip: mean(sel(true).map((r) => (r.diverged ? 1 : 0))),
      spikesNoClip: mean(sel(false).map((r) => r.spikes)),
      spikesClip: mean(sel(true).map((r) => r.spikes)),
    };
    metrics.push(
      { name: 'diverged_fraction_no_clip', value: e.divergedNoClip, unit: '1', label: { en: 'RNN runs that diverged, no clipping', zh: '不裁剪时发散的 RNN 训练比例' } },
      { name: 'diverged_fraction_clip', value: e.divergedClip, unit: '1', label: { en: 'RNN runs that diverged, clipped', zh: '裁剪时发散的 RNN 训练比例' } },
      { name: 'spikes_no_clip', value: e.spikesNoClip, unit: 'per run', label: { en: 'loss spikes per run, no clipping', zh: '每次训练的损失尖峰数，不裁剪' } },
      { name: 'spikes_clip', value: e.spikesClip, unit: 'per run', label: { en: 'loss spikes per run, clipped', zh: '每次训练的损失尖峰数，裁剪' } },
      { name: 'max_clipped_over_threshold', value: maxClippedOverThreshold, unit: '1', label: { en: 'max ‖ĝ‖/λ over all clipped steps', zh: '所有裁剪步中 ‖ĝ‖/λ 的最大值' }, reference: { value: 1, source: 'saturation: ‖ĝ‖ = min(‖g‖, λ)' } },
      { name: 'max_raw_grad_norm', value: Math.max(...runs.map((r) => r.maxNorm)), unit: '1', label: { en: 'largest raw gradient norm seen', zh: '观测到的最大原始梯度范数' } },
    );
    const raw = cliffStats['raw gradient']!;
    const clp = cliffStats[`clipped (λ = ${p.clip})`]!;
    findings.push(
      {
        en: `One-neuron RNN (Pascanu et al.), T = ${T1}, from (w, b) = (10, −5): the raw gradient reaches ${raw.maxGrad.toExponential(2)} at the cliff and throws the parameters ${raw.maxStep.toFixed(1)} units in one step, off the map (final loss ${raw.finalLoss.toFixed(3)}, wherever it landed); clipped at λ = ${p.clip}, no step exceeds ${clp.maxStep.toFixed(3)} and after 150 steps the loss is ${clp.finalLoss.toFixed(3)} — bounded, but slow.`,
        zh: `单神经元 RNN（Pascanu 等），T = ${T1}，从 (w, b) = (10, −5) 出发：在悬崖处原始梯度达到 ${raw.maxGrad.toExponential(2)}，一步就把参数甩出 ${raw.maxStep.toFixed(1)} 个单位、飞出图外（最终损失 ${raw.finalLoss.toFixed(3)}，取决于落在哪里）；以 λ = ${p.clip} 裁剪后，每步不超过 ${clp.maxStep.toFixed(3)}，150 步后损失为 ${clp.finalLoss.toFixed(3)}——稳住了，但走得慢。`,
      },
      {
        en: `Tanh RNN (H = ${p.hidden}, T = ${p.seqLen}, recurrent gain ${p.gain}), adding problem, ${p.seeds} seed(s), ${p.steps} SGD steps: ${table.map((r) => `η = ${r.lr}, clipping ${r.clipping}: ${r.diverged_pct}% diverged, ${r.spikes_per_run} spikes/run, final loss ${Number.isFinite(r.final_loss) ? r.final_loss : '—'}, max ‖g‖ ${r.max_grad_norm}`).join('; ')}.`,
        zh: `tanh RNN（H = ${p.hidden}，T = ${p.seqLen}，循环增益 ${p.gain}），加法问题，${p.seeds} 个种子，${p.steps} 步 SGD：${table.map((r) => `η = ${r.lr}、裁剪 ${r.clipping === 'none' ? '无' : r.clipping}：发散 ${r.diverged_pct}%，每次 ${r.spikes_per_run} 个尖峰，最终损失 ${Number.isFinite(r.final_loss) ? r.final_loss : '—'}，最大 ‖g‖ ${r.max_grad_norm}`).join('；')}。`,
      },
    );

    // --- 3. optional nano GPT at a too-large learning rate ------------------------------------------------
    const gptRows: Row[] = [];
    const gptOut: Record<string, { final: number; spikes: number; bpc: number }> = {};
    if (p.gptSteps > 0) {
      const text = (await ctx.data.text('shakespeare')).slice(0, 300_000);
      const { train: tr, val } = splitText(text);
      const vocab = CharVocab.fromText(text);
      const data = vocab.encode(tr);
      const cfg = GPT_CONFIGS.nano;
      for (const clipped of [false, true]) {
        throwIfAborted(ctx.signal);
        const name = clipped ? `clipped λ = ${p.clip}` : 'no clipping';
        ctx.progress(0.8 + (clipped ? 0.1 : 0), `nano GPT, ${name}`);
        const model = GPT.init('nano', vocab.size, new Rng(ctx.seed).fork('gpt-init'));
        const opt = createTensorOptimizer({ kind: 'adamw', beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0 });
        const brng = new Rng(ctx.seed).fork('gpt-batches');
        const losses: number[] = [];
        for (let t = 0; t < p.gptSteps; t++) {
          const { loss, grads } = localGradients(model, sampleBatch(data, cfg.train.batchSize, cfg.blockSize, brng));
          if (!Number.isFinite(loss)) {
            tf.dispose(Object.values(grads));
            break;
          }
          losses.push(loss);
          if (clipped) {
            const c = clipByGlobalNorm(grads, p.clip);
            opt.step(model.params, c.grads, p.gptLr);
            tf.dispose(Object.values(c.grads));
          } else opt.step(model.params, grads, p.gptLr);
          tf.dispose(Object.values(grads));
          gptRows.push({ t, loss, run: name });
          if (t % 25 === 24) await tick();
        }
        const tail = losses.slice(-20);
        gptOut[name] = { final: mean(tail), spikes: countSpikes(losses), bpc: evalBpc(model, vocab, val.slice(0, 10_000)) };
        opt.dispose();
        model.dispose();
      }
      findings.push({
        en: `Nano GPT, AdamW at η = ${p.gptLr} (10× its default), ${p.gptSteps} steps: ${Object.entries(gptOut).map(([k, v]) => `${k}: final loss ${v.final.toFixed(3)}, ${v.spikes} spikes, val ${v.bpc.toFixed(3)} bpc`).join('; ')}. Adam already normalises the step, so clipping the global norm matters less here than under SGD.`,
        zh: `nano GPT，AdamW，η = ${p.gptLr}（默认值的 10 倍），${p.gptSteps} 步：${Object.entries(gptOut).map(([k, v]) => `${k === 'no clipping' ? '不裁剪' : k}：最终损失 ${v.final.toFixed(3)}，${v.spikes} 个尖峰，验证集 ${v.bpc.toFixed(3)} bpc`).join('；')}。Adam 本身已对步长做了归一化，所以全局范数裁剪在这里的作用不如在 SGD 下明显。`,
      });
      for (const [k2, v] of Object.entries(gptOut)) metrics.push({ name: `gpt_val_bpc_${k2.startsWith('no') ? 'no_clip' : 'clip'}`, value: v.bpc, unit: 'bits/char', label: { en: `nano GPT validation bpc, ${k2}`, zh: `nano GPT 验证集 bpc，${k2}` } });
    }

    // --- figures ----------------------------------------------------------------------------------------
    const satLine: Row[] = [];
    const rawNorms = satRows.map((r) => r.raw as number);
    const lo = Math.max(1e-3, Math.min(...rawNorms, 0.1));
    const hi = Math.max(...rawNorms, 10);
    for (let k2 = 0; k2 <= 60; k2++) {
      const x = lo * Math.pow(hi / lo, k2 / 60);
      satLine.push({ raw: x, clipped: Math.min(x, p.clip) });
    }
    const satSpec: Spec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: `Saturation curve: clipped vs raw gradient norm during training (λ = ${p.clip})`,
      width: 420,
      height: 280,
      layer: [
        { data: { values: satLine }, mark: { type: 'line', color: '#333', strokeDash: [5, 3] }, encoding: { x: { field: 'raw', type: 'quantitative', scale: { type: 'log' }, title: 'raw norm ‖g‖' }, y: { field: 'clipped', type: 'quantitative', scale: { type: 'log' }, title: 'clipped norm ‖ĝ‖' } } },
        { data: { values: satRows }, mark: { type: 'point', filled: true, size: 18, opacity: 0.5 }, encoding: { x: { field: 'raw', type: 'quantitative' }, y: { field: 'clipped', type: 'quantitative' }, color: { field: 'lr', type: 'nominal', title: 'learning rate' } } },
      ],
    };
    const cliffSpec: Spec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: `One-neuron RNN: log10 loss over (w, b), T = ${T1}, and GD (η = 0.05) from (10, −5)`,
      width: 380,
      height: 320,
      layer: [
        {
          data: { values: cliffRows },
          mark: 'rect',
          encoding: {
            x: { field: 'w1', type: 'quantitative', title: 'w', scale: { domain: wRange } },
            x2: { field: 'w2' },
            y: { field: 'b1', type: 'quantitative', title: 'b', scale: { domain: bRange } },
            y2: { field: 'b2' },
            color: { field: 'loss', type: 'quantitative', title: 'log10 loss', scale: { scheme: 'viridis' } },
          },
        },
        {
          data: { values: trajRows },
          mark: { type: 'line', point: true, strokeWidth: 2, clip: true },
          encoding: {
            x: { field: 'w', type: 'quantitative' },
            y: { field: 'b', type: 'quantitative' },
            order: { field: 't' },
            color: { field: 'run', type: 'nominal', title: 'GD', scale: { range: ['#e4572e', '#111111'] } },
          },
        },
      ],
      resolve: { scale: { color: 'independent' } },
    };
    return {
      metrics,
      findings,
      verdicts: [clippingVerdict(e)],
      tables: [{ id: 'rnn', title: { en: 'RNN on the adding problem', zh: '加法问题上的 RNN' }, rows: table }],
      figures: [
        { id: 'cliff', title: { en: "Pascanu's cliff", zh: 'Pascanu 的悬崖' }, spec: cliffSpec, caption: { en: 'The bright band is the cliff where the map bifurcates; the raw gradient there is huge and throws the iterate away.', zh: '亮带就是映射发生分岔的悬崖；那里的原始梯度极大，会把迭代点甩出去。' } },
        { id: 'saturation', title: { en: 'The saturation curve', zh: '饱和曲线' }, spec: satSpec, caption: { en: 'Every measured step lies on min(‖g‖, λ): linear below λ, flat above — a saturation element.', zh: '每一个实测点都落在 min(‖g‖, λ) 上：λ 以下是线性，λ 以上是平的——一个饱和环节。' } },
        {
          id: 'rnn-loss',
          title: { en: 'RNN training loss with and without clipping', zh: '带与不带裁剪的 RNN 训练损失' },
          spec: lineChart({ title: `Adding problem, η = ${p.lrs[p.lrs.length - 1]}, seed 0 (log scale)`, data: lossRows, x: { field: 't', title: 'step' }, y: { field: 'loss', title: 'minibatch loss', scale: 'log' }, color: { field: 'run', title: 'run' } }),
        },
        ...(gptRows.length
          ? [{ id: 'gpt-loss', title: { en: 'Nano GPT at a too-large learning rate', zh: '学习率过大的 nano GPT' }, spec: lineChart({ title: `Nano GPT, AdamW η = ${p.gptLr}`, data: gptRows, x: { field: 't', title: 'step' }, y: { field: 'loss', title: 'loss (nats)' }, color: { field: 'run', title: 'run' } }) }]
          : []),
      ],
    };
  },
});
