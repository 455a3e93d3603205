import { describe, it, expect } from 'vitest';
import { runExperiment } from '../../../src/experiments/runner.js';
import { nodeHost } from '../../../src/experiments/node-host.js';
import { contextMixing } from '../../../src/lenses/compression/context-mixing.js';

describe('compression.context-mixing', () => {
  it('the mixture costs less than its best single context; figures carry both languages', async () => {
    const r = await runExperiment(contextMixing, nodeHost(), { preset: 'quick' });
    const m = Object.fromEntries(r.metrics.map((x) => [x.name, x.value]));
    const singles = Object.entries(m).filter(([k]) => k.startsWith('shakespeare_') && !/final|mixer/.test(k)).map(([, v]) => v);
    expect(singles.length).toBeGreaterThan(5);
    expect(m.shakespeare_mixer_bpb!).toBeLessThan(0.9 * Math.min(...singles));
    expect(m.shakespeare_final_bpb!).toBeLessThan(m.shakespeare_mixer_bpb! + 0.05);
    expect(r.verdicts).toEqual([]);
    const titles = JSON.stringify(r.figures.map((f) => f.spec));
    expect(titles).toMatch(/"zh":"已编码字节数"/);
  }, 60000);
});
