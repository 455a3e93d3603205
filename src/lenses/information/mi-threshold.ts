/**
 * info.mi-threshold — does a head's captured mutual information jump before a capability appears?
 *
 * Claim (seed, 信息论): 「研究表明，当注意力头捕获到的互信息超过某个阈值时，其对应的语言理解能力会出现质的飞跃」.
 * The seed names no threshold, no ability and no scale; the nearest published phase change is the
 * abrupt formation of induction heads together with in-context copying (Olsson et al. 2022).
 *
 * What is measured, over several seeds: a tiny GPT (2 layers × 2 heads, 16 wide, context 16) trained
 * from scratch on a copy stream — blocks of 16 tokens, each a random pattern of `period` tokens
 * (vocabulary `vocab`) repeated; every token after the first period of a block is predictable by
 * looking `period` tokens back. At checkpoints, on held-out blocks:
 *  (a) per head, the mutual information (bits, plug-in) between the token under the head's most
 *      attended key and the token to be predicted — "the MI a head captures"; the best head counts;
 *  (b) the capability: accuracy of the arg-max prediction on the predictable positions.
 * The MI "passes its threshold" at the first checkpoint where it reaches half of log2 V; the
 * capability "appears" at the first checkpoint where accuracy reaches 1/2 (chance is 1/V). The claim
 * holds at our scale if, in every seed, the capability appears, rises sharply, and the head's MI
 * passes its threshold no later than the capability appears (one checkpoint of tolerance).
 */
import type { ClaimVerdict, RunContext } from '../../experiments/contract.js';
import { throwIfAborted, tick } from '../../experiments/contract.js';
import { verdictFor, type Criterion } from '../../experiments/verdict.js';
import { tf } from '../../engine/tf.js';
import type { Rng } from '../../engine/rng.js';
import type { GPTConfig } from '../../gpt/config.js';
import { mutualInformationPlugIn } from './measures.js';

/** The copy task and its training run. */
export interface ThresholdSetup {
  seeds: number;
  steps: number;
  every: number;
  vocab: number;
  period: number;
}

/** Block length = model context. */
export const COPY_BLOCK = 16;

/** The model: 2 layers × 2 heads, 16 wide, context = one block. */
export function copyConfig(): GPTConfig {
  return {
    name: 'copy-2x2',
    nLayer: 2,
    nHead: 2,
    nEmbd: 16,
    blockSize: COPY_BLOCK,
    dropout: 0,
    tieWeights: true,
    train: { batchSize: 16, lr: 1e-2, minLr: 1e-3, warmupSteps: 10, weightDecay: 0, beta1: 0.9, beta2: 0.99, eps: 1e-8, gradClip: 1 },
  };
}

/** `n` blocks of COPY_BLOCK tokens, each a random pattern of `period` tokens from [0, vocab) repeated. */
export function copyStream(n: number, vocab: number, period: number, rng: Rng): Int32Array {
  const out = new Int32Array(n * COPY_BLOCK);
  for (let b = 0; b < n; b++) {
    const pattern = Array.from({ length: period }, () => rng.int(vocab));
    for (let i = 0; i < COPY_BLOCK; i++) out[b * COPY_BLOCK + i] = pattern[i % period]!;
  }
  return out;
}

/**
 * Per head, I(target; token under the head's arg-max key) in bits (plug-in), over the positions i
 * (block-aligned windows) whose target x[i+1] is predictable (i + 1 ≥ period).
 * `att[l]` is [B, H, T, T] row-major.
 */
export function headCapturedMi(att: Float32Array[], tokens: Int32Array, B: number, H: number, T: number, period: number): number[] {
  const out: number[] = [];
  for (const a of att) {
    for (let h = 0; h < H; h++) {
      const keyTok: number[] = [];
      const target: number[] = [];
      for (let b = 0; b < B; b++) {
        for (let i = period - 1; i < T - 1; i++) {
          const row = ((b * H + h) * T + i) * T;
          let arg = 0;
          for (let j = 1; j <= i; j++) if (a[row + j]! > a[row + arg]!) arg = j;
          keyTok.push(tokens[b * T + arg]!);
          target.push(tokens[b * T + i + 1]!);
        }
      }
      out.push(mutualInformationPlugIn(keyTok, target, { millerMadow: false }));
    }
  }
  return out;
}

/** Accuracy of the arg-max next-token prediction on the predictable positions. */
export function copyAccuracy(pred: Int32Array, tokens: Int32Array, B: number, T: number, period: number): number {
  let ok = 0;
  let n = 0;
  for (let b = 0; b < B; b++)
    for (let i = period - 1; i < T - 1; i++) {
      n++;
      if (pred[b * T + i] === tokens[b * T + i + 1]) ok++;
    }
  return ok / n;
}

/** First step at which `values` reaches `level` (NaN if never). */
export function firstReach(steps: readonly number[], values: readonly number[], level: number): number {
  const i = values.findIndex((v) => v >= level);
  return i < 0 ? NaN : steps[i]!;
}

/** One seed's trajectory: at each checkpoint step, the best head's MI (bits) and the copy accuracy. */
export interface ThresholdTrajectory {
  steps: number[];
  mi: number[];
  accuracy: number[];
}

/** The evidence over seeds (the worst seed decides every criterion). */
export function thresholdEvidence(traj: readonly ThresholdTrajectory[], vocab: number, every: number, totalSteps: number): Record<string, number> {
  const half = Math.log2(vocab) / 2;
  const lag: number[] = [];
  const rise: number[] = [];
  const finalAcc: number[] = [];
  for (const t of traj) {
    const miAt = firstReach(t.steps, t.mi, half);
    const capAt = firstReach(t.steps, t.accuracy, 0.5);
    lag.push((miAt - capAt) / every); // > 0: the MI crosses after the capability appeared
    const lo = firstReach(t.steps, t.accuracy, 0.25);
    const hi = firstReach(t.steps, t.accuracy, 0.75);
    rise.push((hi - lo) / totalSteps);
    finalAcc.push(t.accuracy[t.accuracy.length - 1]!);
  }
  const worst = (xs: number[]) => (xs.some((x) => !Number.isFinite(x)) ? NaN : Math.max(...xs));
  return {
    seeds: traj.length,
    min_final_copy_accuracy: Math.min(...finalAcc),
    max_mi_lag_checkpoints: worst(lag),
    max_rise_fraction: worst(rise),
    mi_threshold_bits: half,
  };
}

/** Criteria, declared before any run. */
export const THRESHOLD_CRITERIA = [
  {
    level: 'reproduced',
    metric: 'min_final_copy_accuracy',
    op: '>',
    value: 0.75,
    why: { en: 'the capability must appear in every seed: 3/4 of the predictable tokens right (chance is 1/V)', zh: '每个种子都必须出现这种能力：可预测位置上答对 3/4（随机猜是 1/V）' },
  },
  {
    level: 'reproduced',
    metric: 'max_rise_fraction',
    op: '<',
    value: 0.2,
    why: { en: 'a "qualitative jump", stated: accuracy goes from 1/4 to 3/4 within a fifth of training, in every seed', zh: '“质的飞跃”的给定标准：每个种子里准确率从 1/4 升到 3/4 只用不到五分之一的训练' },
  },
  {
    level: 'reproduced',
    metric: 'max_mi_lag_checkpoints',
    op: '<=',
    value: 1,
    why: { en: "the head's MI reaches half of log2 V no later than one checkpoint after accuracy reaches 1/2, in every seed (one checkpoint of tolerance for the grid)", zh: '每个种子里，注意力头的互信息达到 log2 V 的一半，不晚于准确率达到 1/2 之后一个检查点（检查点网格留一格容差）' },
  },
  {
    level: 'partly',
    metric: 'max_mi_lag_checkpoints',
    op: '<=',
    value: 1,
    why: { en: "the head's MI passes its threshold no later than the capability appears, but the rise is not a sharp jump", zh: '头的互信息越过阈值不晚于能力出现，但上升并非陡然跳变' },
  },
  { level: 'partly', metric: 'min_final_copy_accuracy', op: '>', value: 0.75, why: { en: 'the capability appears in every seed', zh: '每个种子都出现这种能力' } },
] satisfies readonly Criterion[];

/** info.mi-threshold from the declared criteria. */
export function judgeMiThreshold(ev: Record<string, number>): ClaimVerdict {
  const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'never');
  const nums = {
    en: `over ${ev.seeds} seeds: final copy accuracy ≥ ${f2(ev.min_final_copy_accuracy!)}, 1/4 → 3/4 within ≤ ${f2(ev.max_rise_fraction!)} of training, the best head's MI passing ${f2(ev.mi_threshold_bits!)} bits at most ${f2(ev.max_mi_lag_checkpoints!)} checkpoints after accuracy passes 1/2`,
    zh: `${ev.seeds} 个种子上：最终复制准确率 ≥ ${f2(ev.min_final_copy_accuracy!)}，从 1/4 到 3/4 用了不超过 ${f2(ev.max_rise_fraction!)} 的训练，最好的头的互信息越过 ${f2(ev.mi_threshold_bits!)} 比特最多比准确率越过 1/2 晚 ${f2(ev.max_mi_lag_checkpoints!)} 个检查点`,
  };
  const scale = {
    en: ' This is a tiny GPT and one copying capability; it says nothing about "language understanding" at LLM scale, for which the seed gives no threshold and no source.',
    zh: ' 这只是一个极小的 GPT 和一种复制能力；对大模型规模上的“语言理解”说明不了什么，种子也没有给出阈值或出处。',
  };
  return verdictFor(
    'info.mi-threshold',
    THRESHOLD_CRITERIA,
    ev,
    (v) => {
      const head =
        v === 'reproduced'
          ? { en: `At our scale, yes: the capability jumps, and a head's captured MI crosses its threshold first or with it — ${nums.en}.`, zh: `在我们的规模上成立：能力陡然出现，而某个头捕获的互信息先于它或与它同时越过阈值——${nums.zh}。` }
          : v === 'partly'
            ? { en: `The head's MI crosses its threshold no later than the capability appears, but the capability does not jump — ${nums.en}.`, zh: `头的互信息越过阈值不晚于能力出现，但能力并不是跳变出现的——${nums.zh}。` }
            : { en: `Not at our scale: ${nums.en}.`, zh: `在我们的规模上不成立：${nums.zh}。` };
      return { en: head.en + scale.en, zh: head.zh + scale.zh };
    },
    'Olsson et al. 2022 (induction heads and the in-context-learning phase change)',
  );
}

/** Train one copy GPT per seed, measuring the best head's MI and the copy accuracy at every checkpoint. */
export async function measureThreshold(s: ThresholdSetup, ctx: RunContext, progress: (f: number, msg: string) => void): Promise<ThresholdTrajectory[]> {
  const { GPT, GPTTrainer } = await import('../../gpt/index.js');
  const out: ThresholdTrajectory[] = [];
  const B = 32;
  for (let seed = 0; seed < s.seeds; seed++) {
    const rng = ctx.rng.fork(`copy-seed-${seed}`);
    const train = copyStream(4000, s.vocab, s.period, rng.fork('train'));
    const probe = copyStream(B, s.vocab, s.period, rng.fork('probe'));
    const model = GPT.init(copyConfig(), s.vocab, rng.fork('init'));
    const trainer = new GPTTrainer(model, train, { steps: s.steps, seed: rng.fork('order').int(2 ** 31) });
    const t: ThresholdTrajectory = { steps: [], mi: [], accuracy: [] };
    try {
      for (let step = 0; step <= s.steps; step++) {
        if (step % s.every === 0 || step === s.steps) {
          const { att, pred } = tf.tidy(() => {
            const r = model.forward(tf.tensor2d(probe, [B, COPY_BLOCK], 'int32'), { returnAttention: true });
            return { att: r.attention!.map((a) => a.dataSync() as Float32Array), pred: r.logits.argMax(-1).dataSync() as Int32Array };
          });
          t.steps.push(step);
          t.mi.push(Math.max(...headCapturedMi(att, probe, B, model.config.nHead, COPY_BLOCK, s.period)));
          t.accuracy.push(copyAccuracy(pred, probe, B, COPY_BLOCK, s.period));
          progress((seed + step / s.steps) / s.seeds, `copy GPT seed ${seed + 1}/${s.seeds}, step ${step}: accuracy ${t.accuracy.at(-1)!.toFixed(2)}, head MI ${t.mi.at(-1)!.toFixed(2)} bits`);
          await tick();
          throwIfAborted(ctx.signal);
        }
        if (step < s.steps) await trainer.trainStep();
      }
    } finally {
      trainer.dispose();
      model.dispose();
    }
    out.push(t);
  }
  return out;
}
