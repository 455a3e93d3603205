/**
 * Claims: the audit table of the seed answer's claims (src/atlas/audit.ts over the committed
 * FULL-preset results, results/*.json), filtered by lens and verdict; each row links to the
 * experiments that test it. Quick runs in this browser are previews and never enter this table.
 */
import { auditClaims, verdictCounts, AUDIT_VERDICTS, type AuditVerdict, type ClaimAudit } from '../../../src/atlas/audit.js';
import { EXPERIMENTS, getExperiment } from '../../../src/experiments/registry.js';
import type { Lens } from '../../../src/experiments/contract.js';
import { h } from '../dom.js';
import { LENS_INFO, VERDICT_TEXT, t, tr, lang } from '../i18n.js';
import { go, href, state } from '../state.js';
import { allCommitted, committedIds } from '../results.js';
import { richText } from '../ui/tex.js';
import { presetTag } from '../ui/result.js';
import type { Page } from './page.js';

const NOT_RUN = { zh: '未运行', en: 'not run' };

function badge(v: AuditVerdict): HTMLElement {
  const text = v === 'not-run' ? tr(NOT_RUN) : tr(VERDICT_TEXT[v]);
  return h('span', { class: `badge v-${v === 'not-run' ? 'none' : v}`, 'data-verdict': v }, text);
}

const STATUS: Record<string, { zh: string; en: string }> = {
  ran: { zh: '已运行', en: 'ran' },
  failed: { zh: '失败', en: 'failed' },
  'not-run': { zh: '未运行', en: 'not run' },
  planned: { zh: '计划中', en: 'planned' },
};

export function claimsPage(): Page {
  const s = state();
  const body = h('tbody');
  const summary = h('div', { class: 'tally' });
  const lensSel = h(
    'select',
    { name: 'lens', onchange: () => go({ lens: lensSel.value || undefined }) },
    h('option', { value: '' }, t('all')),
    (['information', 'control', 'optimization', 'compression', 'perception'] as Lens[]).map((l) =>
      h('option', { value: l, selected: s.lens === l }, tr(LENS_INFO[l].name)),
    ),
  );
  const verdictSel = h(
    'select',
    { name: 'verdict', onchange: () => go({ verdict: verdictSel.value || undefined }) },
    h('option', { value: '' }, t('all')),
    AUDIT_VERDICTS.map((v) => h('option', { value: v, selected: s.verdict === v }, v === 'not-run' ? tr(NOT_RUN) : tr(VERDICT_TEXT[v]))),
  );
  const el = h(
    'div',
    { class: 'page claims', 'data-page': 'claims' },
    h('h1', null, t('claims')),
    h(
      'p',
      { class: 'lead' },
      lang() === 'zh'
        ? '原回答里的每一条事实性说法，都对应着检验它的实验。这里的判定全部来自提交进仓库的“完整”预设结果，由事先声明的判据算出，从不手写；你在本机跑的快速运行只是预览，不会改动这张表。'
        : "Every factual claim of the answer, with the experiments that test it. The verdicts here all come from the committed full-preset results, derived from criteria declared before the run, never typed in; a quick run in this browser is a preview and never changes this table.",
    ),
    h('div', { class: 'filters' }, h('label', null, `${t('lens')}: `, lensSel), h('label', null, `${t('verdict')}: `, verdictSel), summary),
    committedIds().length ? null : h('p', { class: 'notice', 'data-no-results': '' }, t('noCommitted')),
    h(
      'table',
      { class: 'table claims-table' },
      h(
        'thead',
        null,
        h('tr', null, h('th', null, t('lens')), h('th', null, t('seedSays')), h('th', null, t('verdict')), h('th', null, `${t('value')} / ${t('reference')}`), h('th', null, t('experiment'))),
      ),
      body,
    ),
  );
  void fill(body, summary);
  return { el };
}

async function fill(body: HTMLElement, summary: HTMLElement): Promise<void> {
  const s = state();
  const all = auditClaims(await allCommitted(), { registered: EXPERIMENTS });
  const counts = verdictCounts(all);
  summary.replaceChildren(...AUDIT_VERDICTS.map((v) => h('span', null, badge(v), ` ${counts[v]}`)));
  const rows = all.filter((a) => (!s.lens || a.lens === s.lens) && (!s.verdict || a.verdict === s.verdict));
  body.replaceChildren(...(rows.length ? rows.map(row) : [h('tr', null, h('td', { colspan: 5, class: 'muted' }, '—'))]));
  if (s.topic) document.querySelector(`tr[data-claim="${CSS.escape(s.topic)}"]`)?.scrollIntoView({ block: 'center' });
}

function row(a: ClaimAudit): HTMLElement {
  const s = state();
  const info = LENS_INFO[a.lens as Lens];
  const dot = h('span', { class: 'lens-dot' });
  dot.style.setProperty('--lens', info.color);
  return h(
    'tr',
    { 'data-claim': a.id, class: s.topic === a.id ? 'hl' : '' },
    h('td', null, dot, tr(info.name), h('div', null, h('code', { class: 'muted small' }, a.id))),
    h(
      'td',
      { class: 'quote' },
      lang() === 'zh' ? richText(a.quote, { inline: true }) : [h('div', null, a.en), h('div', { class: 'muted small', lang: 'zh' }, richText(a.quote, { inline: true }))],
      a.seedNumber ? h('div', { class: 'small' }, lang() === 'zh' ? '原文数字：' : 'Number stated: ', a.seedNumber) : null,
      h(
        'details',
        { class: 'small' },
        h('summary', { class: 'muted' }, lang() === 'zh' ? '理由与文献' : 'Why, and the literature'),
        h('p', null, richText(tr(a.because))),
        h('p', { class: 'muted' }, richText(tr(a.note))),
      ),
    ),
    h('td', null, badge(a.verdict), a.verdict !== 'not-run' && a.verdict !== 'untestable' ? h('div', null, presetTag('full')) : null),
    h('td', { class: 'small' }, a.measured ? h('div', null, h('code', null, a.measured)) : h('span', { class: 'muted' }, '—'), a.reference ? h('div', { class: 'muted' }, a.reference) : null),
    h(
      'td',
      { class: 'small' },
      a.experiments.map((e) => {
        const exp = getExperiment(e.id);
        return h(
          'div',
          null,
          exp ? h('a', { href: href(exp.lens, { exp: exp.id }), 'data-exp-link': exp.id }, e.id) : h('span', { class: 'muted' }, e.id),
          h('span', { class: 'muted' }, ` · ${tr(STATUS[e.status])}`),
        );
      }),
    ),
  );
}
