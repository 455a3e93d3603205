import { describe, expect, it } from 'vitest';
import { deriveVerdict, explainVerdict, rederive, verdictFor, type Criterion } from '../../src/experiments/verdict.js';

const C: Criterion[] = [
  { level: 'reproduced', metric: 'speedup_ci_low', op: '>', value: 1.2, why: 'Wager et al.' },
  { level: 'reproduced', metric: 'n_seeds', op: '>=', value: 3, why: 'three seeds at least' },
  { level: 'partly', metric: 'speedup_mean', op: '>', value: 1, why: { en: 'any speed-up on average', zh: '平均有加速' } },
];
const because = () => ({ en: 'x', zh: 'x' });

describe('deriveVerdict: the one rule', () => {
  it('reproduced when every reproduced criterion holds', () => {
    expect(deriveVerdict(C, { speedup_ci_low: 1.31, n_seeds: 3, speedup_mean: 1.5 })).toBe('reproduced');
  });
  it('partly when a reproduced criterion fails and every partly one holds', () => {
    expect(deriveVerdict(C, { speedup_ci_low: 1.1, n_seeds: 3, speedup_mean: 1.5 })).toBe('partly');
  });
  it('not reproduced when a partly criterion fails too', () => {
    expect(deriveVerdict(C, { speedup_ci_low: 0.9, n_seeds: 3, speedup_mean: 0.95 })).toBe('not-reproduced');
  });
  it('no partly criteria: a failed reproduced criterion is not reproduced', () => {
    expect(deriveVerdict(C.slice(0, 2), { speedup_ci_low: 1.1, n_seeds: 3 })).toBe('not-reproduced');
  });
  it('a missing or non-finite metric never holds', () => {
    expect(deriveVerdict(C, { n_seeds: 3, speedup_mean: 2 })).toBe('partly');
    expect(deriveVerdict(C, { speedup_ci_low: NaN, n_seeds: 3, speedup_mean: 2 })).toBe('partly');
  });
  it('boundaries follow the operator', () => {
    expect(deriveVerdict([{ level: 'reproduced', metric: 'a', op: '>', value: 1, why: 'w' }], { a: 1 })).toBe('not-reproduced');
    expect(deriveVerdict([{ level: 'reproduced', metric: 'a', op: '>=', value: 1, why: 'w' }], { a: 1 })).toBe('reproduced');
    expect(deriveVerdict([{ level: 'reproduced', metric: 'a', op: '<', value: 1, why: 'w' }], { a: 1 })).toBe('not-reproduced');
    expect(deriveVerdict([{ level: 'reproduced', metric: 'a', op: '<=', value: 1, why: 'w' }], { a: 1 })).toBe('reproduced');
  });
});

describe('verdictFor and rederive', () => {
  it('carries criteria and evidence, and refuses a criterion on a metric it did not measure', () => {
    const v = verdictFor('x.claim', C, { speedup_ci_low: 1.31, n_seeds: 5, speedup_mean: 1.4 }, because);
    expect(v.verdict).toBe('reproduced');
    expect(v.criteria).toEqual(C);
    expect(rederive(v)).toBeUndefined();
    expect(() => verdictFor('x.claim', C, { n_seeds: 5, speedup_mean: 1 }, because)).toThrow(/speedup_ci_low/);
    expect(() => verdictFor('x.claim', C.slice(2), { speedup_mean: 1 }, because)).toThrow(/no 'reproduced'/);
  });
  it('rederive catches a verdict its criteria do not give', () => {
    const v = verdictFor('x.claim', C, { speedup_ci_low: 1.31, n_seeds: 5, speedup_mean: 1.4 }, because);
    expect(rederive({ ...v, evidence: { ...v.evidence, speedup_ci_low: 1.0 } })).toMatch(/its criteria give partly/);
    expect(rederive({ ...v, criteria: [] })).toMatch(/without criteria/);
  });
  it('explains a verdict from its criteria, in both languages', () => {
    const v = verdictFor('x.claim', C, { speedup_ci_low: 1.31, n_seeds: 5, speedup_mean: 1.4 }, because);
    expect(explainVerdict(v, 'en')).toBe('reproduced because speedup_ci_low = 1.31 > 1.2 (Wager et al.); n_seeds = 5 ≥ 3 (three seeds at least)');
    const p = verdictFor('x.claim', C, { speedup_ci_low: 1.1, n_seeds: 5, speedup_mean: 1.4 }, because);
    expect(explainVerdict(p, 'en')).toBe('partly because speedup_ci_low = 1.1 ≤ 1.2 (Wager et al.); speedup_mean = 1.4 > 1 (any speed-up on average)');
    expect(explainVerdict(p, 'zh')).toContain('部分复现，因为');
  });
});
