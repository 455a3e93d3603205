/** Training hyper-parameters: the baby default, nanoGPT's recipe kept by name, and --set parsing. */
import { describe, expect, it } from 'vitest';
import { GPT_CONFIGS, NANOGPT_BABY_TRAIN, TRAIN_RECIPES, parseTrainOverrides, resolveConfig, withTrainHyper } from '../../src/gpt/config.js';
import { applyHyperOptions } from '../../src/cli/commands/train.js';
import { makeSchedule } from '../../src/optim/schedules.js';

describe('training hyper-parameters', () => {
  it("keeps nanoGPT's exact baby recipe by name", () => {
    expect(NANOGPT_BABY_TRAIN).toEqual({ batchSize: 12, lr: 1e-3, minLr: 1e-4, warmupSteps: 100, weightDecay: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, gradClip: 1 });
    expect(TRAIN_RECIPES.nanogpt).toBe(NANOGPT_BABY_TRAIN);
    const c = applyHyperOptions(resolveConfig('baby'), 'nanogpt', []);
    expect(c.train).toEqual(NANOGPT_BABY_TRAIN);
    expect(applyHyperOptions(resolveConfig('baby'), 'nanogpt', ['lr=2e-3']).train.lr).toBe(2e-3);
  });

  it('the baby architecture and the comparison settings stay fixed', () => {
    const b = GPT_CONFIGS.baby;
    expect([b.nLayer, b.nHead, b.nEmbd, b.blockSize, b.dropout, b.tieWeights]).toEqual([4, 4, 128, 64, 0, true]);
    expect([b.train.batchSize, b.train.eps, b.train.gradClip, b.train.beta1]).toEqual([12, 1e-8, 1, 0.9]);
  });

  it('parses key=value overrides and refuses bad ones in one line', () => {
    expect(parseTrainOverrides(['lr=3e-3', ' warmupSteps = 50 ', 'beta2=0.95'])).toEqual({ lr: 3e-3, warmupSteps: 50, beta2: 0.95 });
    expect(() => parseTrainOverrides(['lr'])).toThrow(/key=value/);
    expect(() => parseTrainOverrides(['foo=1'])).toThrow(/unknown hyper-parameter foo/);
    expect(() => parseTrainOverrides(['lr=abc'])).toThrow(/not a number/);
    const baby = resolveConfig('baby');
    expect(() => withTrainHyper(baby, { minLr: 1 })).toThrow(/minLr/);
    expect(() => withTrainHyper(baby, { beta2: 1 })).toThrow(/beta2/);
    expect(() => withTrainHyper(baby, { warmupSteps: 2.5 })).toThrow(/warmupSteps/);
    expect(() => withTrainHyper(baby, { batchSize: 0 })).toThrow(/batchSize/);
    expect(() => applyHyperOptions(baby, 'nope', [])).toThrow(/unknown recipe/);
  });

  it("the warmup-cosine schedule is nanoGPT's get_lr (warmup to the peak, cosine to minLr at the horizon)", () => {
    const h = NANOGPT_BABY_TRAIN;
    const s = makeSchedule({ kind: 'warmup-cosine', lrMax: h.lr, lrMin: h.minLr, warmup: h.warmupSteps, T: 2000 });
    // nanoGPT: lr·(it+1)/(warmup+1) in warmup; here lr·(it+1)/warmup — the same line within one step
    expect(s(0)).toBeCloseTo(h.lr / 100, 12);
    expect(s(99)).toBeCloseTo(h.lr, 12);
    expect(s(100)).toBeCloseTo(h.lr, 12);
    const nano = (it: number) => h.minLr + 0.5 * (1 + Math.cos((Math.PI * (it - 100)) / 1900)) * (h.lr - h.minLr);
    for (const it of [100, 500, 1050, 1999]) expect(s(it)).toBeCloseTo(nano(it), 12);
  });
});
