/** gpt.train: the quick preset runs and its verdict follows the numbers. */
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiments/runner.js';
import { nodeHost } from '../../src/experiments/node-host.js';
import type { Cache } from '../../src/experiments/contract.js';
import { gptTrain, lmEntropyVerdict, unigramCrossEntropy } from '../../src/gpt/experiments.js';

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
  });

  it('the verdict changes with the numbers', () => {
    expect(lmEntropyVerdict({ valBpc: 2.2, unigramBpc: 3.3, firstLoss: 4, lastLoss: 1.6 }).verdict).toBe('reproduced');
    expect(lmEntropyVerdict({ valBpc: 3.2, unigramBpc: 3.3, firstLoss: 4, lastLoss: 2.3 }).verdict).toBe('partly');
    expect(lmEntropyVerdict({ valBpc: 4.5, unigramBpc: 3.3, firstLoss: 4, lastLoss: 4.1 }).verdict).toBe('not-reproduced');
  });

  it('unigram cross-entropy of a uniform text is log2 V', () => {
    expect(unigramCrossEntropy('abcd'.repeat(1000), 'abcd'.repeat(100))).toBeCloseTo(2, 2);
  });
});
