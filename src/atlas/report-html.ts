/**
 * The audit report as one static, self-contained HTML page in Chinese and English: the claim
 * table (verdict, measured number, reference, literature note), then each experiment with its
 * findings, metrics and figures inlined as SVG. Pure: the caller renders the SVGs (in Node with
 * `src/report/svg.ts`) and writes the file.
 */
import type { Bilingual, ExperimentResult } from '../experiments/contract.js';
import type { ClaimAudit, ExperimentFailure } from './audit.js';
import { verdictCounts } from './audit.js';
import { citePaper, CLAIM_BY_ID, PAPERS, TEXTBOOKS } from './index.js';
import { explainVerdict } from '../experiments/verdict.js';

export interface AuditReportInput {
  audits: readonly ClaimAudit[];
  results: readonly ExperimentResult[];
  failures: readonly ExperimentFailure[];
  /** rendered figures: svgs[resultId][figureId] = '<svg…>' (missing ones are skipped) */
  svgs: Record<string, Record<string, string>>;
  /** experiment titles by id */
  titles: Record<string, Bilingual>;
  preset: string;
  seed: number;
  generatedAt: string;
  versions?: Record<string, string>;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** escaped text with the seed's display formulas ($$…$$) shown as code */
const withTex = (s: string): string => escapeHtml(s).replace(/\$\$\s*([\s\S]*?)\s*\$\$/g, (_, tex: string) => `<code>${tex}</code>`);

/** both languages, each in its own span; CSS shows one or both */
const bi = (b: Bilingual): string => `<span lang="zh">${escapeHtml(b.zh)}</span><span lang="en">${escapeHtml(b.en)}</span>`;

const VERDICT_TEXT: Record<string, Bilingual> = {
  reproduced: { zh: '复现', en: 'reproduced' },
  partly: { zh: '部分成立', en: 'partly' },
  'not-reproduced': { zh: '未复现', en: 'not reproduced' },
  untestable: { zh: '无法检验', en: 'untestable' },
  'not-run': { zh: '未运行', en: 'not run' },
};

const fmt = (v: number): string =>
  Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(3) : String(Number(v.toPrecision(4)));

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC",sans-serif;margin:0 auto;max-width:1200px;padding:1em 2em;color:#222}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}h3{margin-bottom:.2em}
table{border-collapse:collapse;width:100%;font-size:.92em}th,td{border:1px solid #ddd;padding:.35em .5em;vertical-align:top;text-align:left}
th{background:#f5f5f5}code{font-size:.9em}
.v{display:inline-block;padding:.05em .5em;border-radius:.8em;font-weight:600;white-space:nowrap}
.v-reproduced{background:#d6f5d6;color:#145214}.v-partly{background:#fff0c2;color:#6b4d00}
.v-not-reproduced{background:#fbd3d3;color:#7a1212}.v-untestable{background:#e3e3f7;color:#30306b}.v-not-run{background:#eee;color:#555}
.quote{color:#444}.note{color:#555;font-size:.9em}.fail{color:#a00}
figure{margin:1em 0}figure svg{max-width:100%;height:auto}figcaption{color:#555;font-size:.9em}
.langs button{margin-right:.4em}
body.zh [lang=en]{display:none}body.en [lang=zh]{display:none}
body.both [lang=zh]::after{content:" / ";color:#aaa}
`;

const SCRIPT = `
(function(){var b=document.body;function set(l){b.className=l;try{localStorage.setItem('fivelens-lang',l)}catch(e){}}
var s=null;try{s=localStorage.getItem('fivelens-lang')}catch(e){}set(s||'zh');
document.querySelectorAll('[data-lang]').forEach(function(x){x.addEventListener('click',function(){set(x.getAttribute('data-lang'))})});})();
`;

export function buildAuditHtml(input: AuditReportInput): string {
  const { audits, results, failures, svgs, titles } = input;
  const counts = verdictCounts(audits);
  const h: string[] = [];
  h.push('<!doctype html><html lang="zh"><head><meta charset="utf-8">');
  h.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  h.push('<title>fivelens audit · 审计报告</title>');
  h.push(`<style>${CSS}</style></head><body class="both">`);
  h.push('<div class="langs"><button data-lang="zh">中文</button><button data-lang="en">English</button><button data-lang="both">中文 + English</button></div>');
  h.push(`<h1>${bi({ zh: 'fivelens 审计：种子回答的每个论断与证据', en: 'fivelens audit: every claim of the seed answer, with evidence' })}</h1>`);
  h.push(
    `<p>${bi({
      zh: `预设 ${input.preset}，随机种子 ${input.seed}，生成于 ${input.generatedAt}。结论全部来自实验的测量结果，没有手写的结论；多个实验检验同一论断时：全部复现才算“复现”，全部未复现才算“未复现”，其余为“部分成立”。`,
      en: `Preset ${input.preset}, seed ${input.seed}, generated ${input.generatedAt}. Every verdict comes from what the experiments measured, none is typed in; when several experiments test one claim, it is "reproduced" only if all reproduce it, "not reproduced" only if none does, and "partly" otherwise.`,
    })}</p>`,
  );
  h.push(
    `<p>${Object.entries(counts)
      .map(([v, n]) => `<span class="v v-${v}">${bi(VERDICT_TEXT[v]!)}</span> ${n}`)
      .join(' &nbsp; ')}</p>`,
  );
  if (input.versions) h.push(`<p class="note">${escapeHtml(Object.entries(input.versions).map(([k, v]) => `${k} ${v}`).join(', '))}</p>`);

  // ---- the claim table
  h.push(`<h2>${bi({ zh: '论断', en: 'Claims' })}</h2>`);
  h.push(
    `<table><thead><tr><th>${bi({ zh: '论断', en: 'claim' })}</th><th>${bi({ zh: '结论', en: 'verdict' })}</th><th>${bi({ zh: '测量值', en: 'measured' })}</th><th>${bi({ zh: '参考值', en: 'reference' })}</th><th>${bi({ zh: '实验', en: 'experiments' })}</th></tr></thead><tbody>`,
  );
  for (const a of audits) {
    const exps = a.experiments
      .map((e) => `<a href="#${escapeHtml(e.id)}"><code>${escapeHtml(e.id)}</code></a> <span class="note">${escapeHtml(e.status)}${e.verdict ? ` → ${escapeHtml(e.verdict)}` : e.status === 'ran' ? ' · no verdict on this claim' : ''}</span>`)
      .join('<br>');
    h.push(`<tr id="claim-${escapeHtml(a.id)}"><td><code>${escapeHtml(a.id)}</code><div class="quote" lang="zh">「${withTex(a.quote)}」</div><div lang="en">${escapeHtml(a.en)}</div>`);
    h.push(`<div class="note">${bi(a.because)}</div>`);
    h.push(`<details><summary>${bi({ zh: '文献说明', en: 'literature note' })}</summary><div class="note">${bi(a.note)}</div>`);
    if (a.untestable) h.push(`<div class="note"><b>${bi({ zh: '不可检验的部分：', en: 'What cannot be tested:' })}</b> ${bi(a.untestable)}</div>`);
    const papers = CLAIM_BY_ID.get(a.id)?.papers ?? [];
    if (papers.length) h.push(`<ul class="note">${papers.map((p) => `<li>${escapeHtml(citePaper(p))}</li>`).join('')}</ul>`);
    h.push('</details></td>');
    h.push(`<td><span class="v v-${a.verdict}">${bi(VERDICT_TEXT[a.verdict]!)}</span></td>`);
    h.push(`<td>${escapeHtml(a.measured || '—')}</td>`);
    h.push(`<td>${escapeHtml(a.reference || '—')}${a.seedNumber ? `<div class="note">${bi({ zh: '种子说：', en: 'seed says: ' })}${escapeHtml(a.seedNumber)}</div>` : ''}</td>`);
    h.push(`<td>${exps || '—'}</td></tr>`);
  }
  h.push('</tbody></table>');

  // ---- failures
  if (failures.length) {
    h.push(`<h2>${bi({ zh: '运行失败的实验', en: 'Experiments that failed' })}</h2><ul>`);
    for (const f of failures) h.push(`<li class="fail"><code>${escapeHtml(f.id)}</code>: ${escapeHtml(f.error)}</li>`);
    h.push('</ul>');
  }

  // ---- the experiments
  h.push(`<h2>${bi({ zh: '实验', en: 'Experiments' })}</h2>`);
  if (results.length === 0) h.push(`<p>${bi({ zh: '没有运行任何实验。', en: 'No experiment ran.' })}</p>`);
  for (const r of results) {
    const title = titles[r.id] ?? { zh: r.id, en: r.id };
    h.push(`<section id="${escapeHtml(r.id)}"><h3>${bi(title)} <code>${escapeHtml(r.id)}</code></h3>`);
    h.push(`<p class="note">${r.preset === 'full' ? '' : bi({ zh: '预览（非完整预设）· ', en: 'PREVIEW (not the full preset) · ' })}preset ${escapeHtml(String(r.preset))}, seed ${r.seed}, ${escapeHtml(r.backend)}, ${(r.wallTimeMs / 1000).toFixed(1)} s</p>`);
    if (r.verdicts.length) {
      h.push('<ul>');
      for (const v of r.verdicts)
        h.push(
          `<li><a href="#claim-${escapeHtml(v.claim)}"><code>${escapeHtml(v.claim)}</code></a> <span class="v v-${v.verdict}">${bi(VERDICT_TEXT[v.verdict]!)}</span> ${bi(v.because)}` +
            (v.verdict !== 'untestable' ? `<div class="note">${bi({ zh: explainVerdict(v, 'zh'), en: explainVerdict(v, 'en') })}</div>` : '') +
            '</li>',
        );
      h.push('</ul>');
    }
    if (r.findings.length) h.push(`<ul>${r.findings.map((f) => `<li>${bi(f)}</li>`).join('')}</ul>`);
    if (r.metrics.length) {
      h.push(`<table><thead><tr><th>${bi({ zh: '指标', en: 'metric' })}</th><th>${bi({ zh: '值', en: 'value' })}</th><th>${bi({ zh: '单位', en: 'unit' })}</th><th>${bi({ zh: '参考', en: 'reference' })}</th></tr></thead><tbody>`);
      for (const m of r.metrics)
        h.push(
          `<tr><td>${m.label ? bi(m.label) : `<code>${escapeHtml(m.name)}</code>`}</td><td>${escapeHtml(fmt(m.value))}</td><td>${escapeHtml(m.unit)}</td><td>${m.reference ? `${escapeHtml(fmt(m.reference.value))} (${escapeHtml(m.reference.source)})` : ''}</td></tr>`,
        );
      h.push('</tbody></table>');
    }
    for (const f of r.figures) {
      const svg = svgs[r.id]?.[f.id];
      if (!svg) continue;
      h.push(`<figure>${svg}<figcaption>${bi(f.title)}${f.caption ? ` — ${bi(f.caption)}` : ''}</figcaption></figure>`);
    }
    h.push('</section>');
  }
  // ---- the reading list the seed was asked for
  h.push(`<h2>${bi({ zh: '教材', en: 'Textbooks' })}</h2><ul class="note">`);
  for (const b of TEXTBOOKS) {
    const ed = b.edition ? `, ${b.edition}${b.chinese ? '' : ' ed.'}` : '';
    const zh = b.zh
      ? ` · 中文版《${escapeHtml(b.zh.title)}》${b.zh.translators ? `，${escapeHtml(b.zh.translators.join('、'))} 译` : ''}${b.zh.publisher ? `，${escapeHtml(b.zh.publisher)}` : ''}${b.zh.year ? `，${b.zh.year}` : ''}`
      : '';
    const title = b.url ? `<a href="${escapeHtml(b.url)}">${escapeHtml(b.title)}</a>` : escapeHtml(b.title);
    h.push(`<li>${escapeHtml(b.authors.join(', '))}. <i>${title}</i> (${escapeHtml(b.publisher)}${escapeHtml(ed)}, ${b.year})${zh}</li>`);
  }
  h.push('</ul>');
  h.push(`<h2>${bi({ zh: '论文与原始文献', en: 'Papers and primary sources' })}</h2><ul class="note">`);
  for (const p of PAPERS) h.push(`<li>${escapeHtml(citePaper(p.id))}${p.numbers ? ` — ${escapeHtml(p.numbers)}` : ''}</li>`);
  h.push('</ul>');
  h.push(`<script>${SCRIPT}</script></body></html>`);
  return h.join('\n');
}
