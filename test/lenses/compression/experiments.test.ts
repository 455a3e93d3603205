import { describe, it, expect } from 'vitest';
import { runExperiment } from '../../../src/experiments/runner.js';
import { nodeHost } from '../../../src/experiments/node-host.js';
import type { Experiment } from '../../../src/experiments/contract.js';
import { experiments } from '../../../src/lenses/compression/index.js';
import { quantization } from '../../../src/lenses/compression/quantization.js';
import { lottery, globalMagnitudeMasks } from '../../../src/lenses/compression/lottery.js';
import { lmIsCompression } from '../../../src/lenses/compression/lm-is-compression.js';

const run = (e: unknown) => runExperiment(e as Experiment, nodeHost(), { preset: 'quick', seed: 1 });

describe('compression lens registry', () => {
  it('registers its experiments with comp.* claims', () => {
    const ids = experiments.map((e) => e.id);
    expect(ids).toEqual(['compression.sensing', 'compression.quantization', 'compression.lottery-ticket', 'compression.distill-gpt', 'compression.lm-is-compression', 'compression.context-mixing']);
    // distill-gpt also speaks to the information lens's scale claim on distillation (the atlas maps it there)
    for (const e of experiments) for (const c of e.claims) expect(c.startsWith('comp.') || (e.id === 'compression.distill-gpt' && c === 'info.distill-gpt3-1-40')).toBe(true);
  });
});

describe('global magnitude masks (GPT iterative pruning)', () => {
  it('keep exactly (1 − s)·N of the largest weights over all tensors, and never revive a pruned one', () => {
    const W = { a: Float32Array.from([0.1, -5, 0.3, 2]), b: Float32Array.from([-0.2, 0.05, 4, -1, 0.3, 0.3]) };
    const m1 = globalMagnitudeMasks(W, undefined, 0.5);
    const kept = (m: Record<string, Uint8Array>) => Object.values(m).reduce((a, x) => a + x.reduce((u, v) => u + v, 0), 0);
    expect(kept(m1)).toBe(5);
    expect(Array.from(m1.a!)).toEqual([0, 1, 0, 1]);
    expect(Array.from(m1.b!)).toEqual([0, 0, 1, 1, 0, 1]); // of the three tied 0.3s, the first two (in order) go
    // a pruned weight that grew back (it cannot under masked training, but the masks must not care) stays pruned
    const W2 = { a: Float32Array.from([9, -5, 0.3, 2]), b: W.b };
    const m2 = globalMagnitudeMasks(W2, m1, 0.7);
    expect(kept(m2)).toBe(3);
    expect(m2.a![0]).toBe(0);
    expect(Array.from(m2.a!)).toEqual([0, 1, 0, 1]);
    expect(Array.from(m2.b!)).toEqual([0, 0, 1, 0, 0, 0]);
  });
});

describe('quick presets', () => {
  it('quantization: int8 keeps bpc, 2-bit per-tensor hurts; GPTQ rows exist', async () => {
    const r = await run(quantization);
    const rtn = r.tables!.find((t) => t.id === 'rtn')!.rows;
    const int8 = rtn.find((x) => x.bits === 8 && x.scheme === 'sym/channel')!;
    const two = rtn.find((x) => x.bits === 2 && x.scheme === 'sym/tensor')!;
    const base = r.metrics.find((m) => m.name === 'fp32_val_bpc')!.value;
    expect(Math.abs((int8.bpc as number) - base)).toBeLessThan(0.01);
    expect(two.bpc as number).toBeGreaterThan(base);
    expect((int8.entropy as number) <= 8).toBe(true);
    expect(r.tables!.find((t) => t.id === 'gptq')!.rows.length).toBe(4);
    expect(r.verdicts.map((v) => v.claim)).toEqual(['comp.quant-rate-distortion', 'comp.mixed-precision-75-99']);
  });
  it('lottery ticket and lm-is-compression run', async () => {
    const a = await run(lottery);
    expect(a.verdicts.map((v) => v.claim)).toEqual(['comp.lottery-from-cs', 'comp.bert-30-2']);
    expect(a.metrics.find((m) => m.name === 'full_net_test_acc')!.value).toBeGreaterThan(0.5);
    // retraining recovers what one-shot pruning loses: at 70% sparsity IMP + fine-tuning beats one-shot
    const one = a.tables!.find((t) => t.id === 'gpt')!.rows.find((x) => x.mode === 'global' && x.sparsity === 0.7)!;
    const base = a.tables!.find((t) => t.id === 'gpt')!.rows.find((x) => x.mode === 'global' && x.sparsity === 0)!;
    const impRows = a.tables!.find((t) => t.id === 'gpt-imp')!.rows;
    const imp = impRows.find((x) => x.mode === 'IMP + fine-tune' && x.target === 0.7)!;
    expect(one.bpc as number).toBeGreaterThan(base.bpc as number);
    expect(imp.bpc as number).toBeLessThan(one.bpc as number);
    expect(Math.abs((imp.sparsity as number) - 0.7)).toBeLessThan(1e-3); // the mask held through fine-tuning
    expect(impRows.some((x) => x.mode === 'dense control')).toBe(true);
    const b = await run(lmIsCompression);
    // the arithmetic coder reaches the metered ideal code length of its own predictor up to the framing
    // (54 bytes of header, block header and end record in format 2) and a few bytes of flush (a coder test, not evidence)
    const gap = b.metrics.find((m) => m.name === 'online_coded_minus_ideal_bytes')!.value;
    expect(gap).toBeGreaterThan(53);
    expect(gap).toBeLessThan(62);
    // the GPT alone, coded: its file follows its cross-entropy from the tfjs forward (the nano model of the quick preset)
    const ratio = b.metrics.find((m) => m.name === 'gpt_alone_code_over_cross_entropy')!.value;
    expect(Math.abs(ratio - 1)).toBeLessThan(0.05);
  });
});
