import { describe, expect, it } from 'vitest';
import { KneserNey, codePoints, countNGrams, plugInConditionalEntropy, plugInEntropyBits } from '../../src/nn/ngram.js';
import { entropy, crossEntropy } from '../../src/lenses/information/measures.js';
import { entropyRate, judgeLmEntropy } from '../../src/lenses/information/entropy-rate.js';
import { runExperiment } from '../../src/experiments/runner.js';
import { nodeHost } from '../../src/experiments/node-host.js';
import { Rng } from '../../src/engine/rng.js';

describe('entropy maths', () => {
  it('the entropy of a uniform distribution over n outcomes is log2 n', () => {
    for (const n of [2, 3, 27, 65, 1000]) {
      expect(plugInEntropyBits(new Array(n).fill(7))).toBeCloseTo(Math.log2(n), 12);
      expect(entropy(new Array(n).fill(1 / n))).toBeCloseTo(Math.log2(n), 12);
    }
  });

  it('cross-entropy is at least the entropy, with equality only at q = p', () => {
    const rng = new Rng(3);
    for (let t = 0; t < 50; t++) {
      const p = Array.from({ length: 6 }, () => rng.next());
      const q = Array.from({ length: 6 }, () => rng.next());
      const sp = p.reduce((a, b) => a + b);
      const sq = q.reduce((a, b) => a + b);
      const pn = p.map((v) => v / sp);
      const qn = q.map((v) => v / sq);
      expect(crossEntropy(pn, qn)).toBeGreaterThan(entropy(pn));
      expect(crossEntropy(pn, pn)).toBeCloseTo(entropy(pn), 12);
    }
  });

  it("F_N from block entropies: F1 is the unigram entropy, and F2 = H(bigrams) − H(unigrams)", () => {
    const chars = codePoints('abracadabra');
    const g = countNGrams(chars, 2);
    const F = plugInConditionalEntropy(g);
    // unigram counts a5 b2 r2 c1 d1
    const H1 = -[5, 2, 2, 1, 1].reduce((s, c) => s + (c / 11) * Math.log2(c / 11), 0);
    expect(F[0]).toBeCloseTo(H1, 12);
    // bigrams ab br ra ac ca ad da ab br ra: ab2 br2 ra2 ac1 ca1 ad1 da1 (10 total)
    const H2 = -[2, 2, 2, 1, 1, 1, 1].reduce((s, c) => s + (c / 10) * Math.log2(c / 10), 0);
    expect(F[1]).toBeCloseTo(H2 - H1, 12);
  });
});

describe('Kneser–Ney character model', () => {
  it('gives every character, seen or unseen, non-zero probability, and sums to 1', () => {
    const m = new KneserNey('the cat sat on the mat. the rat sat on the hat.', 3);
    for (const ctx of [[], ['t', 'h'], ['x', 'y', 'z'], [' ', 't', 'h']]) {
      const d = m.distribution(ctx);
      let s = 0;
      for (const v of d.values()) {
        expect(v).toBeGreaterThan(0);
        s += v;
      }
      expect(s).toBeCloseTo(1, 10);
      expect(m.prob(ctx, 'Q')).toBeGreaterThan(0); // never seen in training
    }
  });

  it('order-0 held-out bpc equals the unigram cross-entropy computed by hand', () => {
    // train "aab": counts a2 b1, N = 3, types 2, D = n1/(n1+2n2) = 1/(1+2) = 1/3, V = 2 (+1 unknown)
    const m = new KneserNey('aab', 0);
    const D = 1 / 3;
    const uniform = 1 / 3;
    const p = (c: number) => Math.max(c - D, 0) / 3 + ((D * 2) / 3) * uniform;
    const pa = p(2);
    const pb = p(1);
    const pz = p(0); // an unseen character
    expect(pa + pb + pz).toBeCloseTo(1, 12);
    const test = 'abz';
    const byHand = -(Math.log2(pa) + Math.log2(pb) + Math.log2(pz)) / 3;
    expect(m.crossEntropyBits(test)).toBeCloseTo(byHand, 12);
  });

  it('counts Chinese by character, not by byte', () => {
    const m = new KneserNey('床前明月光疑是地上霜', 1);
    expect(m.alphabet.size).toBe(10);
    expect(codePoints('唐诗𝄞').length).toBe(3);
  });
});

describe('information.entropy-rate (quick preset)', () => {
  it('held-out bpc falls with context, beats gzip, and the verdict follows the numbers', async () => {
    const r = await runExperiment(entropyRate as never, nodeHost(), { preset: 'quick', seed: 1 });
    const m = Object.fromEntries(r.metrics.map((x) => [x.name, x.value]));
    expect(m.heldout_bpc_order_0).toBeGreaterThan(m.best_heldout_bpc! + 1);
    expect(m.best_heldout_bpc).toBeLessThan(m.gzip_bpc!);
    expect(r.verdicts[0]!.claim).toBe('info.lm-entropy');
    expect(r.verdicts[0]!.verdict).toBe('reproduced');
    expect(r.figures[0]!.spec).toHaveProperty('layer');
  });

  it('the verdict is computed from the numbers: contradicting measurements change it', () => {
    expect(judgeLmEntropy({ bestBpc: 2.2, unigramBpc: 4.7, bestOrder: 5, gzipBpc: 3.1 }).verdict).toBe('reproduced');
    expect(judgeLmEntropy({ bestBpc: 3.3, unigramBpc: 4.7, bestOrder: 5, gzipBpc: 3.1 }).verdict).toBe('partly');
    expect(judgeLmEntropy({ bestBpc: 4.5, unigramBpc: 4.7, bestOrder: 1, gzipBpc: 5 }).verdict).toBe('not-reproduced');
  });
});
