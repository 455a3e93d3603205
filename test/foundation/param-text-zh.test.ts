/**
 * The Chinese parameter descriptions (src/experiments/param-text-zh.ts) cannot rot: every parameter
 * of every registered experiment has one, and no entry names an experiment or a parameter that
 * does not exist (renamed or removed).
 */
import { describe, expect, it } from 'vitest';
import { EXPERIMENTS } from '../../src/experiments/registry.js';
import { describeParams } from '../../src/experiments/params.js';
import { PARAM_TEXT_ZH, paramText, paramTextZh } from '../../src/experiments/param-text-zh.js';

const CJK = /[\u4e00-\u9fff]/;

describe('Chinese parameter descriptions', () => {
  it('every parameter of every registered experiment has one, written in Chinese', () => {
    const missing: string[] = [];
    const notChinese: string[] = [];
    for (const e of EXPERIMENTS) {
      const infos = describeParams(e.params);
      for (const key of Object.keys(e.params.shape)) {
        const zh = infos.find((i) => i.key === key)?.zh ?? paramTextZh(e.id, key);
        if (zh === undefined || zh.trim() === '') missing.push(`${e.id} → ${key}`);
        else if (!CJK.test(zh)) notChinese.push(`${e.id} → ${key}: ${zh}`);
      }
    }
    expect(missing, `add these to src/experiments/param-text-zh.ts:\n${missing.join('\n')}`).toEqual([]);
    expect(notChinese, notChinese.join('\n')).toEqual([]);
  });

  it('no entry is stale: each names a registered experiment and one of its parameters', () => {
    const stale: string[] = [];
    for (const [id, params] of Object.entries(PARAM_TEXT_ZH)) {
      const e = EXPERIMENTS.find((x) => x.id === id);
      if (!e) {
        stale.push(`${id} (no such experiment)`);
        continue;
      }
      const keys = new Set(Object.keys(e.params.shape));
      for (const p of Object.keys(params)) if (!keys.has(p)) stale.push(`${id} → ${p} (no such parameter)`);
    }
    expect(stale, `remove or rename these in src/experiments/param-text-zh.ts:\n${stale.join('\n')}`).toEqual([]);
  });

  it('the panel text: Chinese in zh, the schema English in en, English as a fallback', () => {
    const e = EXPERIMENTS.find((x) => x.id === 'information.entropy-rate') ?? EXPERIMENTS[0]!;
    const info = describeParams(e.params)[0]!;
    expect(paramText(e.id, info.key, info.description, 'en')).toBe(info.description);
    expect(paramText(e.id, info.key, info.description, 'zh', info.zh)).toBe(info.zh ?? paramTextZh(e.id, info.key));
    expect(paramText(e.id, info.key, info.description, 'zh', '字段自己的中文')).toBe('字段自己的中文');
    expect(paramText('no.such', 'x', 'english', 'zh')).toBe('english');
  });
});
