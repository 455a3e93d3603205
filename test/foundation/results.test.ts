/**
 * The committed full results (results/<id>.json): every registered experiment has one, made by the
 * full preset, and every verdict in it re-derives from its own criteria and evidence by the one rule.
 * Freshness (the source hash) is `npm run results:check`, which CI runs; here the hash itself is tested.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXPERIMENTS } from '../../src/experiments/registry.js';
import { experimentModule, importClosure, readResult, sourceOf } from '../../src/experiments/results.node.js';
import { deriveVerdict, rederive } from '../../src/experiments/verdict.js';
import { englishOnlyTexts } from '../../src/report/i18n.js';

describe('committed results', () => {
  const have = EXPERIMENTS.filter((e) => readResult(e.id));
  it('every registered experiment has a full-preset result', () => {
    expect(EXPERIMENTS.filter((e) => !readResult(e.id)).map((e) => e.id)).toEqual([]);
    for (const e of have) expect(readResult(e.id)!.preset, e.id).toBe('full');
  });
  it('every verdict re-derives from its criteria and evidence', () => {
    const wrong: string[] = [];
    for (const e of have)
      for (const v of readResult(e.id)!.verdicts) {
        const w = rederive(v);
        if (w) wrong.push(`${e.id}: ${w}`);
        if (v.verdict !== 'untestable') expect(deriveVerdict(v.criteria, v.evidence)).toBe(v.verdict);
      }
    expect(wrong).toEqual([]);
  });
  it('every word a learner reads in a figure exists in Chinese too (titles, axes, legends, label values)', () => {
    const english: string[] = [];
    for (const e of have) for (const f of readResult(e.id)!.figures) for (const t of englishOnlyTexts(f.spec)) english.push(`${e.id} ${f.id}: ${t}`);
    expect(english).toEqual([]);
  });
  it('every testable verdict carries the criteria its experiment declares', () => {
    for (const e of have)
      for (const v of readResult(e.id)!.verdicts)
        if (v.verdict !== 'untestable') expect(v.criteria, `${e.id} ${v.claim}`).toEqual(e.criteria?.[v.claim]);
  });
});

describe('the source hash', () => {
  it('finds each experiment module and its value imports, not type imports', () => {
    const f = experimentModule('information.entropy-rate');
    expect(f.endsWith(path.join('src', 'lenses', 'information', 'entropy-rate.ts'))).toBe(true);
    const files = importClosure(f).map((x) => path.relative(process.cwd(), x));
    expect(files).toContain('src/nn/ngram.ts');
    expect(files).toContain('src/experiments/verdict.ts');
  });
  it('follows static, dynamic and worker imports and skips `import type`', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'closure-'));
    writeFileSync(path.join(d, 'a.ts'), "import { b } from './b.js';\nimport type { T } from './t.js';\nconst w = new URL('./w.js', import.meta.url);\nexport const a = () => import('./c.js');\n");
    for (const n of ['b', 't', 'w', 'c']) writeFileSync(path.join(d, `${n}.ts`), 'export const x = 1;\n');
    const names = importClosure(path.join(d, 'a.ts')).map((x) => path.basename(x));
    expect(names.sort()).toEqual(['a.ts', 'b.ts', 'c.ts', 'w.ts']);
  });
  it('is stable for the same tree', () => {
    const e = EXPERIMENTS.find((x) => x.id === 'control.momentum-dynamics')!;
    expect(sourceOf(e).hash).toBe(sourceOf(e).hash);
    expect(existsSync(experimentModule(e.id))).toBe(true);
  });
});
