/** A result as Markdown: metrics, verdicts, findings and the figures (as linked SVG files). */
import type { ExperimentResult } from '../experiments/contract.js';
import { explainVerdict } from '../experiments/verdict.js';

const fmt = (v: number): string =>
  Number.isInteger(v) ? String(v) : Math.abs(v) >= 1000 || Math.abs(v) < 1e-3 ? v.toExponential(3) : v.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');

export function resultMarkdown(r: ExperimentResult, title: { zh: string; en: string }, lang: 'en' | 'zh' = 'en'): string {
  const L = (b: { zh: string; en: string }) => b[lang];
  const lines: string[] = [];
  lines.push(`# ${L(title)} (\`${r.id}\`)`, '');
  lines.push(`preset **${r.preset}**, seed ${r.seed}, backend ${r.backend}, ${(r.wallTimeMs / 1000).toFixed(1)} s, ${r.startedAt}`, '');
  lines.push(`versions: ${Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`, '');
  if (r.verdicts.length) {
    lines.push(lang === 'zh' ? '## 结论' : '## Verdicts', '');
    if (r.preset !== 'full') lines.push(lang === 'zh' ? `*预览：${r.preset} 预设的结论不是最终结论；最终结论来自完整预设（results/）。*` : `*Preview: verdicts of the ${r.preset} preset are not final; the final ones come from the full preset (results/).*`, '');
    lines.push(lang === 'zh' ? '| 论断 | 结论 | 理由 | 判据 |' : '| claim | verdict | because | criteria |', '| --- | --- | --- | --- |');
    for (const v of r.verdicts) lines.push(`| ${v.claim} | **${v.verdict}** | ${L(v.because).replace(/\|/g, '\\|')} | ${explainVerdict(v, lang).replace(/\|/g, '\\|')} |`);
    lines.push('');
  }
  if (r.findings.length) {
    lines.push(lang === 'zh' ? '## 发现' : '## Findings', '');
    for (const f of r.findings) lines.push(`- ${L(f)}`);
    lines.push('');
  }
  lines.push(lang === 'zh' ? '## 指标' : '## Metrics', '', '| metric | value | unit | reference |', '| --- | --- | --- | --- |');
  for (const m of r.metrics)
    lines.push(`| ${m.label ? L(m.label) : m.name} | ${fmt(m.value)} | ${m.unit} | ${m.reference ? `${fmt(m.reference.value)} (${m.reference.source})` : ''} |`);
  lines.push('');
  for (const t of r.tables ?? []) {
    lines.push(`## ${L(t.title)}`, '');
    const cols = Object.keys(t.rows[0] ?? {});
    lines.push(`| ${cols.join(' | ')} |`, `| ${cols.map(() => '---').join(' | ')} |`);
    for (const row of t.rows) lines.push(`| ${cols.map((c) => (typeof row[c] === 'number' ? fmt(row[c] as number) : String(row[c] ?? ''))).join(' | ')} |`);
    lines.push('');
  }
  if (r.figures.length) {
    lines.push(lang === 'zh' ? '## 图' : '## Figures', '');
    for (const f of r.figures) lines.push(`### ${L(f.title)}`, '', ...(f.caption ? [L(f.caption), ''] : []), `![${f.id}](${f.id}.svg)`, '');
  }
  lines.push(lang === 'zh' ? '## 参数' : '## Parameters', '', '```json', JSON.stringify(r.params, null, 2), '```', '');
  return lines.join('\n');
}
