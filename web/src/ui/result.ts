/** A finished run: verdicts, findings, measurements beside the published numbers, figures, tables. */
import type { ClaimVerdict, ExperimentResult } from '../../../src/experiments/contract.js';
import { h, fmt } from '../dom.js';
import { t, tr, verdictText, lang } from '../i18n.js';
import { figureView } from './figure.js';
import { explainVerdict } from '../../../src/experiments/verdict.js';
import { richText } from './tex.js';

export function verdictBadge(v: ClaimVerdict['verdict']): HTMLElement {
  return h('span', { class: `badge v-${v}`, 'data-verdict': v }, verdictText(v));
}

export function presetTag(preset: string): HTMLElement {
  return h('span', { class: 'preset-tag', 'data-preset': preset }, preset === 'full' ? t('presetFull') : t('presetQuick'));
}

export function verdictView(v: ClaimVerdict, preset: string): HTMLElement {
  const ev = Object.entries(v.evidence);
  const why = v.criteria?.length ? explainVerdict(v, lang()) : '';
  return h(
    'div',
    { class: `verdict v-${v.verdict}` },
    h('div', { class: 'verdict-head' }, verdictBadge(v.verdict), presetTag(preset), h('code', { class: 'claim-id' }, v.claim)),
    h('p', null, richText(tr(v.because))),
    why ? h('p', { class: 'muted small criteria-line' }, `${lang() === 'zh' ? '判据' : 'Criteria'}: ${why}`) : null,
    ev.length
      ? h('p', { class: 'evidence muted' }, `${t('evidence')}: `, ev.map(([k, x], i) => [i ? ', ' : '', h('code', null, k), ' = ', fmt(x)]))
      : null,
    v.reference ? h('p', { class: 'muted small' }, `${t('literature')}: ${v.reference}`) : null,
  );
}

export function resultView(r: ExperimentResult, opts: { stale?: boolean } = {}): HTMLElement {
  const date = new Date(r.startedAt);
  return h(
    'section',
    { class: 'result', 'data-result': r.id, 'data-preset': r.preset },
    opts.stale ? h('p', { class: 'notice' }, t('olderResult')) : null,
    r.preset !== 'full' ? h('p', { class: 'notice preview-note' }, presetTag(r.preset), ' ', t('previewNote')) : null,
    r.verdicts.length ? h('div', { class: 'verdicts' }, h('h4', null, t('verdicts')), r.verdicts.map((v) => verdictView(v, r.preset))) : null,
    r.findings.length
      ? h('div', { class: 'findings' }, h('h4', null, t('findings')), h('ul', null, r.findings.map((f) => h('li', null, richText(tr(f))))))
      : null,
    r.figures.length ? h('div', { class: 'figures' }, r.figures.map((f) => figureView(f))) : null,
    r.metrics.length
      ? h(
          'div',
          { class: 'metrics' },
          h('h4', null, t('metrics')),
          h(
            'table',
            { class: 'table' },
            h('thead', null, h('tr', null, h('th', null, t('metric')), h('th', { class: 'num' }, t('value')), h('th', { class: 'num' }, t('reference')))),
            h(
              'tbody',
              null,
              r.metrics.map((m) =>
                h(
                  'tr',
                  null,
                  h('td', null, m.label ? tr(m.label) : m.name, m.label ? h('div', { class: 'muted small' }, h('code', null, m.name)) : null),
                  h('td', { class: 'num' }, fmt(m.value), ' ', h('span', { class: 'muted' }, m.unit === '1' ? '' : m.unit)),
                  h(
                    'td',
                    { class: 'num' },
                    m.reference ? [fmt(m.reference.value), h('div', { class: 'muted small' }, m.reference.source)] : '—',
                  ),
                ),
              ),
            ),
          ),
        )
      : null,
    (r.tables ?? []).map((tb) =>
      h(
        'div',
        { class: 'extra-table' },
        h('h4', null, tr(tb.title)),
        tb.rows.length
          ? h(
              'table',
              { class: 'table' },
              h('thead', null, h('tr', null, Object.keys(tb.rows[0]!).map((k) => h('th', null, k)))),
              h(
                'tbody',
                null,
                tb.rows.map((row) => h('tr', null, Object.values(row).map((v) => h('td', { class: typeof v === 'number' ? 'num' : '' }, typeof v === 'number' ? fmt(v) : v)))),
              ),
            )
          : null,
      ),
    ),
    h(
      'details',
      { class: 'run-info' },
      h('summary', null, t('runInfo')),
      h(
        'dl',
        null,
        h('dt', null, t('preset')), h('dd', null, r.preset),
        h('dt', null, t('seed')), h('dd', null, String(r.seed)),
        h('dt', null, t('backend')), h('dd', null, r.backend),
        h('dt', null, t('wallTime')), h('dd', null, `${(r.wallTimeMs / 1000).toFixed(2)} s`),
        h('dt', null, t('savedAt')), h('dd', null, date.toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB')),
        h('dt', null, t('params')), h('dd', null, h('code', null, JSON.stringify(r.params))),
        h('dt', null, 'versions'), h('dd', null, h('code', null, JSON.stringify(r.versions))),
      ),
    ),
  );
}
