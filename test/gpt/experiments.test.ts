/** gpt.train: the quick preset runs and its verdict follows the numbers. */
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiments/runner.js';
import { nodeHost } from '../../src/experiments/node-host.js';
import type { Cache } from '../../src/experiments/contract.js';
import { gptTrain, lmEntropyVerdict, unigramCrossEntropy } from '../../src/gpt/experiments.js';
import { rederive } from '../../src/experiments/verdict.js';

const memCache = (): Cache => {
  const m = new Map<string, Uint8Array>();
  return { get: async (k) => m.get(k), set: async (k, v) => void m.set(k, v) };
};

describe('gpt.train', () => {
  it('quick preset: metrics, a loss curve and a computed verdict', async () => {
    const r = await runExperiment(gptTrain, nodeHost({ cache: memCache() }), { preset: 'quick', seed: 1 });
    const m = Object.fromEntries(r.metrics.map((x) => [x.name, x.value]));
    expect(m.val_bpc).toBeGreaterThan(1);
    expect(m.val_bpc).toBeLessThan(Math.log2(65));
    expect(m.tokens_per_sec).toBeGreaterThan(0);
    expect(r.figures[0]!.id).toBe('loss-curve');
    expect(r.verdicts[0]!.claim).toBe('info.lm-entropy');
    // the nano quick run has no published anchor: its verdict can be partly at best
    expect(r.verdicts[0]!.evidence.val_loss_excess_nanogpt).toBeNaN();
    expect(r.verdicts[0]!.verdict).not.toBe('reproduced');
  });

  it('reproduced needs ≥ 1 bit saved and nanoGPT’s 1.88 nats within 0.1; without the anchor at most partly', () => {
    const v = (valBpc: number, anchor: boolean) => lmEntropyVerdict({ valBpc, unigramBpc: 4.7, firstLoss: 4, lastLoss: 1.6, anchor });
    // 2.71 bpc = 1.878 nats: nanoGPT's own number
    expect(v(2.71, true).verdict).toBe('reproduced');
    expect(v(2.50, true).verdict).toBe('reproduced');
    // 2.90 bpc = 2.01 nats: saves 1.8 bits but misses 1.88 + 0.1
    expect(v(2.9, true).verdict).toBe('partly');
    expect(v(2.71, false).verdict).toBe('partly');
    expect(v(3.8, true).verdict).toBe('not-reproduced');
    for (const x of [v(2.71, true), v(2.9, true), v(3.8, false)]) expect(rederive(x)).toBeUndefined();
  });

  it('unigram cross-entropy of a uniform text is log2 V', () => {
    expect(unigramCrossEntropy('abcd'.repeat(1000), 'abcd'.repeat(100))).toBeCloseTo(2, 2);
  });
});
