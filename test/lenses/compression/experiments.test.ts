import { describe, it, expect } from 'vitest';
import { runExperiment } from '../../../src/experiments/runner.js';
import { nodeHost } from '../../../src/experiments/node-host.js';
import type { Experiment } from '../../../src/experiments/contract.js';
import { judge } from '../../../src/experiments/verdict.js';
import { experiments } from '../../../src/lenses/compression/index.js';
import { quantization } from '../../../src/lenses/compression/quantization.js';
import { lottery, lotteryCriteria, bertCriteria } from '../../../src/lenses/compression/lottery.js';
import { lmIsCompression, lmCompressionCriteria } from '../../../src/lenses/compression/lm-is-compression.js';

const run = (e: unknown) => runExperiment(e as Experiment, nodeHost(), { preset: 'quick', seed: 1 });

describe('compression lens registry', () => {
  it('registers its experiments with comp.* claims', () => {
    const ids = experiments.map((e) => e.id);
    expect(ids).toEqual(['compression.sensing', 'compression.quantization', 'compression.lottery-ticket', 'compression.lm-is-compression']);
    for (const e of experiments) for (const c of e.claims) expect(c.startsWith('comp.')).toBe(true);
  });
});

describe('verdict functions follow the numbers', () => {
  it('lottery / bert / lm-is-compression', () => {
    expect(judge(lotteryCriteria({ matchFraction: 0.1, ticketBeatsReinit: true }))).toBe('partly');
    expect(judge(lotteryCriteria({ matchFraction: 0.6, ticketBeatsReinit: true }))).toBe('not-reproduced');
    expect(judge(bertCriteria({ bpcLossAt70: 0.01, accLossAt70: 0.01, retrained: true }))).toBe('reproduced');
    expect(judge(bertCriteria({ bpcLossAt70: 0.3, accLossAt70: 0.2, retrained: false }))).toBe('not-reproduced');
    expect(judge(lmCompressionCriteria({ codedBits: 10000 + 300, idealBits: 10000, overheadBytes: 48 }))).toBe('reproduced');
    expect(judge(lmCompressionCriteria({ codedBits: 10300 + 3000, idealBits: 10000, overheadBytes: 48 }))).toBe('not-reproduced');
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
    const b = await run(lmIsCompression);
    expect(b.verdicts[0]!.verdict).toBe('reproduced');
    const gap = b.metrics.find((m) => m.name === 'online_coded_minus_ideal_bytes')!.value;
    expect(gap).toBeGreaterThan(39);
    expect(gap).toBeLessThan(48);
  });
});
