/**
 * Every parameter of every registered experiment carries its Chinese description beside the English
 * one, on the schema field itself (`.describe('en').meta({ zh: '中文' })`), so a new or renamed
 * parameter cannot go without it.
 */
import { describe, expect, it } from 'vitest';
import { EXPERIMENTS } from '../../src/experiments/registry.js';
import { describeParams, paramText } from '../../src/experiments/params.js';

const CJK = /[\u4e00-\u9fff]/;

describe('Chinese parameter descriptions', () => {
  it('every parameter of every registered experiment has one beside its English text, written in Chinese', () => {
    const missing: string[] = [];
    for (const e of EXPERIMENTS)
      for (const p of describeParams(e.params)) {
        if (!p.description) missing.push(`${e.id} → ${p.key}: no English .describe()`);
        if (!p.zh || !CJK.test(p.zh)) missing.push(`${e.id} → ${p.key}: no Chinese .meta({ zh })`);
      }
    expect(missing, missing.join('\n')).toEqual([]);
  });

  it('the panel text: Chinese in zh, the schema English in en, English as a fallback', () => {
    const e = EXPERIMENTS.find((x) => x.id === 'information.entropy-rate') ?? EXPERIMENTS[0]!;
    const info = describeParams(e.params)[0]!;
    expect(paramText(info, 'en')).toBe(info.description);
    expect(paramText(info, 'zh')).toBe(info.zh);
    expect(paramText({ key: 'x', type: 'number', description: 'english' }, 'zh')).toBe('english');
  });
});
