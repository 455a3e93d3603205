import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine, tf } from '../../../src/engine/tf.js';
import { Rng } from '../../../src/engine/rng.js';
import {
  COMBOS,
  PIXELS,
  bagOfTokens,
  buildVocab,
  caption,
  comboIndex,
  contrastiveLoss,
  infoNCE64,
  renderShape,
  seedObjective64,
  tokenize,
} from '../../../src/lenses/perception/contrastive.js';
import { binomialTail, clipEvidence, contrastiveAlignment, heldOutCombos, recallAtK } from '../../../src/lenses/perception/contrastive-alignment.js';
import { deriveVerdict } from '../../../src/experiments/verdict.js';
import { runExperiment } from '../../../src/experiments/runner.js';
import { nodeHost } from '../../../src/experiments/node-host.js';
import type { Experiment } from '../../../src/experiments/contract.js';

beforeAll(async () => {
  await initEngine();
});

/** N orthonormal rows in D ≥ N dimensions (a rotated identity). */
function orthonormal(n: number, d: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));
}

describe('InfoNCE', () => {
  it('of perfectly aligned embeddings goes to 0 as the temperature goes to 0', () => {
    const z = orthonormal(8, 8);
    let prev = Infinity;
    for (const tau of [1, 0.3, 0.1, 0.03, 0.01]) {
      const { loss, i2t, t2i } = infoNCE64(z, z, 1 / tau);
      // closed form: every row has one logit 1/τ and N−1 logits 0 → log(1 + (N−1) e^{−1/τ})
      expect(loss).toBeCloseTo(Math.log(1 + 7 * Math.exp(-1 / tau)), 10);
      expect(i2t).toBeCloseTo(t2i, 12);
      expect(loss).toBeLessThan(prev);
      prev = loss;
    }
    expect(prev).toBeLessThan(1e-30);
    // misaligned pairs do not go to 0: the loss grows without bound instead
    const shuffled = [z[1]!, z[0]!, ...z.slice(2)];
    expect(infoNCE64(z, shuffled, 100).loss).toBeGreaterThan(20); // two rows and two columns cost ≈ 100 each
  });

  it('log N − L never exceeds log N, and is log N for perfect alignment at τ → 0', () => {
    const rng = new Rng(4);
    const a = Array.from({ length: 16 }, () => Array.from({ length: 6 }, () => rng.normal()));
    const b = a.map((r) => r.map((v) => v + 0.3 * rng.normal()));
    for (const s of [1, 10, 100]) expect(Math.log(16) - infoNCE64(a, b, s).i2t).toBeLessThanOrEqual(Math.log(16) + 1e-12);
    const z = orthonormal(16, 16);
    expect(Math.log(16) - infoNCE64(z, z, 1e4).loss).toBeCloseTo(Math.log(16), 8);
  });

  it('the tensor losses equal the float64 references, and the seed objective is a different function', () => {
    const rng = new Rng(7);
    const a = Array.from({ length: 5 }, () => Array.from({ length: 4 }, () => rng.normal()));
    const b = Array.from({ length: 5 }, () => Array.from({ length: 4 }, () => rng.normal()));
    const s = 3.5;
    const [clip, seed] = tf.tidy(() => {
      const ta = tf.tensor2d(a);
      const tb = tf.tensor2d(b);
      const ls = tf.scalar(Math.log(s));
      return [contrastiveLoss(ta, tb, ls, 'clip').dataSync()[0]!, contrastiveLoss(ta, tb, ls, 'seed').dataSync()[0]!];
    });
    expect(clip).toBeCloseTo(infoNCE64(a, b, s).loss, 4);
    expect(seed).toBeCloseTo(seedObjective64(a, b, s), 4);
    // −seed is a mean of probabilities in (0, 1); CLIP's loss is a mean of −log-probabilities
    expect(-seed).toBeGreaterThan(0);
    expect(-seed).toBeLessThan(1);
    expect(Math.abs(clip - seed)).toBeGreaterThan(0.1);
  });
});

describe('the shapes world', () => {
  it('captions, tokens and vocabulary', () => {
    const c = COMBOS.find((x) => x.shape === 0 && x.colour === 0 && x.size === 0 && x.pos === 0)!;
    expect(caption(c, 'en')).toBe('a small red circle on the left');
    expect(caption(c, 'zh')).toBe('左边的小红圆');
    expect(tokenize('左边的小红圆')).toEqual(['左', '边', '的', '小', '红', '圆']);
    const vocab = buildVocab();
    const bag = new Float32Array(vocab.size);
    bagOfTokens('a small red circle on the left', vocab, bag);
    expect(bag.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    expect(COMBOS.length).toBe(96);
    COMBOS.forEach((x, i) => expect(comboIndex(x)).toBe(i));
  });

  it('renders colour where the shape is and the position on the right side', () => {
    const rng = new Rng(11);
    const img = new Float32Array(PIXELS);
    const c = COMBOS.find((x) => x.shape === 1 && x.colour === 2 && x.size === 1 && x.pos === 2)!; // large blue square, right
    renderShape(c, rng, img);
    let blueLeft = 0;
    let blueRight = 0;
    for (let y = 0; y < 16; y++)
      for (let x = 0; x < 16; x++) {
        const k = (y * 16 + x) * 3;
        if (img[k + 2]! > 0.6 && img[k]! < 0.4) (x < 8 ? (blueLeft += 1) : (blueRight += 1));
      }
    expect(blueRight).toBeGreaterThan(20);
    expect(blueRight).toBeGreaterThan(3 * blueLeft);
  });

  it('held-out pairs remove whole colour–shape pairs but keep every colour and shape in training', () => {
    const { pairs, held } = heldOutCombos(4, new Rng(2));
    expect(new Set(pairs.map(([s, c]) => `${s},${c}`)).size).toBe(4);
    expect(held.size).toBe(24);
    const train = COMBOS.filter((_, i) => !held.has(i));
    for (let s = 0; s < 4; s++) expect(train.some((c) => c.shape === s)).toBe(true);
    for (let c = 0; c < 4; c++) expect(train.some((x) => x.colour === c)).toBe(true);
  });

  it('recall@k and the binomial tail', () => {
    const sim = [
      [0.9, 0.1, 0.2],
      [0.8, 0.5, 0.1],
      [0.1, 0.2, 0.3],
    ];
    expect(recallAtK(sim, 1)).toBeCloseTo(2 / 3, 12);
    expect(recallAtK(sim, 2)).toBe(1);
    expect(binomialTail(0, 10, 0.1)).toBe(1);
    expect(binomialTail(10, 10, 0.5)).toBeCloseTo(1 / 1024, 12);
  });

  const good = { r1i2t: 0.5, r1t2i: 0.6, r1enzh: 0.7, zeroShotLow: 0.3, zeroShot: 0.4, fewShotLow: 0.5, seedZeroShotLow: 0.3, seedMinusClipLow: -0.02, seedBoundMax: 3.9, clipBoundMax: 4.1, seedR1t2i: 0.55 };
  const judge = (claim: string, m: typeof good) => deriveVerdict(contrastiveAlignment.criteria![claim]!, clipEvidence(m)[claim]!);
  it('joint space: reproduced needs every direction ≥ 20× chance at its 95% lower bound (n = 96)', () => {
    expect(judge('perc.clip-joint', good)).toBe('reproduced');
    // 25% of 96 has a Wilson lower bound of ~17%, under 20/96 = 20.8%
    expect(judge('perc.clip-joint', { ...good, r1enzh: 0.25 })).toBe('partly');
    expect(judge('perc.clip-joint', { ...good, r1i2t: 0.02, r1t2i: 0.03, r1enzh: 0.05 })).toBe('not-reproduced');
  });
  it('zero-shot: reproduced needs zero-shot and few-shot ≥ 10× chance at the lower bound; above chance is partly', () => {
    expect(judge('perc.clip-zero-shot', good)).toBe('reproduced');
    expect(judge('perc.clip-zero-shot', { ...good, fewShotLow: 0.05 })).toBe('partly');
    expect(judge('perc.clip-zero-shot', { ...good, zeroShotLow: 0.05 })).toBe('partly');
    expect(judge('perc.clip-zero-shot', { ...good, zeroShotLow: 0.005 })).toBe('not-reproduced');
  });
  it('formula: reproduced only if training as written loses ≤ 5 points and keeps 90% of the bound', () => {
    expect(judge('perc.clip-formula', good)).toBe('reproduced');
    expect(judge('perc.clip-formula', { ...good, seedBoundMax: 2.0 })).toBe('partly');
    expect(judge('perc.clip-formula', { ...good, seedMinusClipLow: -0.2 })).toBe('partly');
    expect(judge('perc.clip-formula', { ...good, seedMinusClipLow: -0.2, seedZeroShotLow: 0.02 })).toBe('not-reproduced');
    // not trained: nothing to judge
    expect(judge('perc.clip-formula', { ...good, seedZeroShotLow: NaN, seedMinusClipLow: NaN, seedBoundMax: NaN, seedR1t2i: NaN })).toBe('not-reproduced');
  });
});

describe('perception.contrastive-alignment', () => {
  it('quick preset: zero-shot accuracy on unseen combinations is clearly above chance', async () => {
    const before = tf.memory().numTensors;
    const r = await runExperiment(contrastiveAlignment as unknown as Experiment, nodeHost(), { preset: 'quick', seed: 1 });
    const m = Object.fromEntries(r.metrics.map((x) => [x.name, x.value]));
    const chance = 1 / 96;
    expect(m.zero_shot_heldout_en!).toBeGreaterThan(5 * chance);
    expect(m.zero_shot_heldout_zh!).toBeGreaterThan(5 * chance);
    expect(m.zero_shot_heldout_p_value!).toBeLessThan(1e-6);
    expect(m.recall5_image_to_text!).toBeGreaterThan(m.recall1_image_to_text!);
    expect(m.logit_scale!).toBeLessThanOrEqual(100 + 1e-6);
    for (const N of [2, 4, 8, 16]) expect(m[`mi_bound_N${N}`]!).toBeLessThanOrEqual(Math.log(N) + 1e-5);
    expect(r.verdicts.map((x) => x.claim)).toEqual(['perc.clip-joint', 'perc.clip-zero-shot', 'perc.clip-formula']);
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });
});
