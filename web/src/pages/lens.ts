/** One page per lens: the list of its experiments, and the chosen one with its panel and result. */
import type { Experiment, Lens } from '../../../src/experiments/contract.js';
import { experimentsOfLens } from '../../../src/experiments/registry.js';
import { DEFAULT_SEED } from '../../../src/experiments/runner.js';
import { h } from '../dom.js';
import { LENS_INFO, t, tr } from '../i18n.js';
import { go, href, replace, state } from '../state.js';
import { lab } from '../client.js';
import { resultsOf, runKey, type StoredResult } from '../db.js';
import { panelErrors, paramPanel, parseOverrides, presetValue, showValue, type PanelValues } from '../ui/params.js';
import { committedResult } from '../results.js';
import { essayOf } from '../essays/index.js';
import { essayView } from '../ui/essay.js';
import { liveOfLens } from '../live/index.js';
import { liveView } from '../ui/live.js';
import { describeParams } from '../../../src/experiments/params.js';
import type { ExperimentResult } from '../../../src/experiments/contract.js';
import { resultView } from '../ui/result.js';
import { tex } from '../ui/tex.js';
import { resolveParams } from '../../../src/experiments/params.js';
import type { Page } from './page.js';
import { TOPICS } from '../../../src/atlas/index.js';
import { lang } from '../i18n.js';

export async function lensPage(lens: Lens): Promise<Page> {
  const info = LENS_INFO[lens];
  const exps = experimentsOfLens(lens);
  const s = state();
  const exp = exps.find((e) => e.id === s.exp) ?? exps[0];
  const essay = await essayOf(lens);
  const root = h(
    'div',
    { class: 'page lens-page', 'data-page': lens, style: { '--lens': info.color } },
    h(
      'header',
      { class: 'lens-hero' },
      h('div', { class: 'lens-icon' }, info.icon),
      h('div', null, h('h1', null, tr(info.name)), h('p', { class: 'lead' }, tr(info.why)), atlasChips(lens)),
    ),
  );
  if (essay) root.append(essayView(essay));
  else {
    const lives = liveOfLens(lens);
    if (lives.length) root.append(h('section', { class: 'live-section' }, h('h2', null, t('liveFigures')), lives.map(liveView)));
  }
  if (!exp) {
    root.append(h('p', { class: 'notice' }, t('noExperiments')));
    return { el: root };
  }
  const menu = h(
    'select',
    { class: 'exp-menu', 'aria-label': t('experimentsMenu'), onchange: () => go({ page: lens, exp: menu.value, params: {}, preset: undefined, seed: undefined, badSeed: undefined, badPreset: undefined }) },
    exps.map((e) => h('option', { value: e.id, selected: e.id === exp.id }, tr(e.title))),
  );
  const nav = h(
    'nav',
    { class: 'exp-list' },
    h('h3', null, lang() === 'zh' ? `${exps.length} 个实验` : `${exps.length} experiment${exps.length === 1 ? '' : 's'}`),
    h('label', { class: 'exp-menu-label' }, h('span', null, t('experimentsMenu')), menu),
    exps.map((e) =>
      h(
        'a',
        { href: href(lens, { exp: e.id }), class: e.id === exp.id ? 'active' : '', 'data-exp': e.id },
        h('span', { class: 'exp-title' }, tr(e.title)),
        h('code', { class: 'exp-id' }, e.id),
      ),
    ),
  );
  const view = experimentView(exp);
  root.append(
    h(
      'section',
      { class: 'experiments' },
      h('h2', null, lang() === 'zh' ? '全部实验：参数、预设、种子、运行' : 'All experiments: parameters, presets, seeds, Run'),
      h('div', { class: 'lens-body' }, nav, view.el),
    ),
  );
  return { el: root, dispose: view.dispose };
}

export function experimentView(exp: Experiment): Page {
  const s = state();
  const values: PanelValues = { preset: s.preset ?? 'quick', seed: s.seed ?? DEFAULT_SEED, raw: { ...s.params }, seedRaw: s.badSeed, presetRaw: s.badPreset };
  const known = new Set(describeParams(exp.params).map((i) => i.key));
  const syncUrl = () => {
    // every value the reader typed stays in the URL, a wrong one too (it is shown as an error, never dropped or replaced)
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(values.raw)) {
      const info = describeParams(exp.params).find((i) => i.key === k);
      if (!known.has(k) || !info || v !== showValue(presetValue(exp, values.preset, info))) params[k] = v;
    }
    replace({ exp: exp.id, preset: values.presetRaw === undefined ? values.preset : undefined, badPreset: values.presetRaw, seed: values.seedRaw === undefined ? values.seed : undefined, badSeed: values.seedRaw, params });
    void refreshResult();
  };

  const runBtn = h('button', { class: 'primary', type: 'button', 'data-action': 'run' }, t('run'));
  const cancelBtn = h('button', { class: 'secondary', type: 'button', 'data-action': 'cancel' }, t('cancel'));
  const bar = h('div', { class: 'bar-fill' });
  const progressText = h('span', { class: 'progress-text' });
  const errorEl = h('p', { class: 'error', hidden: true });
  const logEl = h('pre', { class: 'log' });
  const logBox = h('details', { class: 'log-box', hidden: true }, h('summary', null, t('log')), logEl);
  const progress = h('div', { class: 'progress', hidden: true, 'data-status': '' }, h('div', { class: 'bar' }, bar), progressText);
  const resultBox = h('div', { class: 'result-box' });

  runBtn.addEventListener('click', () => {
    const { overrides } = parseOverrides(exp, values);
    const errors = panelErrors(exp, values);
    if (Object.keys(errors).length) {
      errorEl.hidden = false;
      errorEl.setAttribute('data-error', 'run-blocked');
      errorEl.textContent = `${t('fixFirst')} ${Object.entries(errors)
        .map(([k, e]) => `${k}: ${e}`)
        .join('; ')}`;
      return;
    }
    shownFraction = 0;
    errorEl.hidden = true;
    lab.run(exp.id, values.preset, values.seed, overrides);
  });
  cancelBtn.addEventListener('click', () => lab.cancel(exp.id));

  let shownKey: string | undefined;
  let shownFraction = 0;
  let lastStatus: string | undefined;
  const wantedKey = (): string | undefined => {
    try {
      const { overrides } = parseOverrides(exp, values);
      return runKey(exp.id, values.seed, resolveParams(exp, values.preset, overrides));
    } catch {
      return undefined;
    }
  };
  const refreshResult = async () => {
    const stored: StoredResult[] = await resultsOf(exp.id);
    const want = Object.keys(panelErrors(exp, values)).length ? undefined : wantedKey();
    const exact = stored.find((r) => r.key === want);
    const chosen = exact ?? stored[0];
    const key = chosen ? `${chosen.key}@${chosen.savedAt}|${exact ? 'x' : 's'}` : 'none';
    if (key === shownKey) return;
    shownKey = key;
    resultBox.replaceChildren(
      chosen ? resultView(chosen.result, { stale: !exact }) : h('p', { class: 'muted no-result' }, t('noResult')),
      stored.length > 1 || (stored.length === 1 && !exact) ? savedRuns(exp, stored, chosen?.key) : '',
    );
  };

  const update = () => {
    const r = lab.runs.get(exp.id);
    const running = r?.status === 'running';
    runBtn.disabled = running || !lab.backend;
    cancelBtn.disabled = !running;
    if (!r) {
      progress.hidden = true;
    } else {
      progress.hidden = false;
      progress.setAttribute('data-status', r.status);
      // the bar never moves back within a run (phases may report their own fractions)
      shownFraction = r.status === 'running' ? Math.max(shownFraction, Math.min(1, Math.max(0, r.fraction))) : r.status === 'done' ? 1 : shownFraction;
      bar.style.width = `${Math.round(shownFraction * 100)}%`;
      const label =
        r.status === 'running' ? t('running') : r.status === 'done' ? t('done') : r.status === 'cancelled' ? t('cancelled') : t('failed');
      // the experiments' progress messages are English only: in Chinese they stay out of the line (a tooltip keeps them)
      const msg = r.message && (lang() === 'en' || /[\u4e00-\u9fff]/.test(r.message)) ? ` · ${r.message}` : '';
      progressText.textContent = `${label} · ${Math.round(shownFraction * 100)}%${msg}`;
      progressText.title = r.message ?? '';
      errorEl.hidden = r.status !== 'error';
      if (r.status === 'error') errorEl.textContent = r.error ?? '';
      logBox.hidden = r.logs.length === 0;
      logEl.textContent = r.logs.slice(-40).join('\n');
    }
    if (r && r.status !== lastStatus) {
      lastStatus = r.status;
      if (r.status === 'done') void refreshResult();
    }
  };

  const el = h(
    'article',
    { class: 'experiment', 'data-exp': exp.id },
    experimentHead(exp),
    committedBox(exp.id),
    h('h3', null, t('yourRun')),
    paramPanel(exp, values, syncUrl),
    h('div', { class: 'run-row' }, runBtn, cancelBtn, progress),
    errorEl,
    logBox,
    resultBox,
  );
  const unsub = lab.subscribe(update);
  update();
  void refreshResult();
  return { el, dispose: unsub };
}

/** title, id, summary, the claims it tests and its formulas */
function experimentHead(exp: Experiment): HTMLElement[] {
  return [
    h('h2', null, tr(exp.title)),
    h('p', { class: 'exp-id muted' }, h('code', null, exp.id)),
    h('p', { class: 'summary' }, tr(exp.summary)),
    exp.claims.length
      ? h('p', { class: 'claims-line' }, `${t('claimsTested')}: `, exp.claims.map((c) => h('a', { class: 'chip', href: href('claims', { topic: c }) }, c)))
      : h('span'),
    exp.formulas?.length
      ? h('div', { class: 'formulas' }, exp.formulas.map((f) => h('div', { class: 'formula' }, tex(f.tex), h('div', { class: 'formula-label muted' }, tr(f.label)))))
      : h('span'),
  ];
}

/** the committed full-preset result (results/), shown above the panel; a quick run below never replaces it */
function committedBox(id: string): HTMLElement {
  const box = h('div', { class: 'committed-box' });
  void committedResult(id).then((r) =>
    box.replaceChildren(h('h3', null, t('committed')), r ? resultView(r) : h('p', { class: 'notice', 'data-no-results': '' }, t('noCommitted'))),
  );
  return box;
}

export function goToExperiment(expId: string, lens: Lens): void {
  go({ page: lens, exp: expId, params: {}, preset: undefined, seed: undefined });
}

/** The lens's topics in the atlas (its parts), each a link to its books and papers. */
function atlasChips(lens: Lens): HTMLElement | null {
  const topics = TOPICS.filter((tp) => tp.lens === lens && tp.kind === 'part');
  if (!topics.length) return null;
  return h(
    'p',
    { class: 'small' },
    lang() === 'zh' ? '知识地图里的分支：' : 'In the atlas: ',
    topics.map((tp) => h('a', { class: 'chip', href: href('atlas', { topic: tp.id }) }, tr(tp.name))),
  );
}

/** The link (preset, seed, parameter overrides) that reproduces a stored run's panel. */
function linkOf(exp: Experiment, r: ExperimentResult): string {
  const base = r.preset === 'full' ? 'full' : 'quick';
  const params: Record<string, string> = {};
  for (const info of describeParams(exp.params)) {
    const v = showValue(r.params[info.key]);
    if (v !== showValue(presetValue(exp, base, info))) params[info.key] = v;
  }
  return href(exp.lens, { exp: exp.id, preset: base, seed: r.seed, params });
}

function savedRuns(exp: Experiment, stored: StoredResult[], shown: string | undefined): HTMLElement {
  return h(
    'details',
    { class: 'run-info saved-runs' },
    h('summary', null, `${t('stored')} (${stored.length})`),
    h(
      'ul',
      null,
      stored.slice(0, 30).map((s) => {
        const r = s.result;
        const when = new Date(s.savedAt).toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB');
        const verdicts = r.verdicts.map((v) => v.verdict).join(', ');
        return h(
          'li',
          null,
          h('a', { href: linkOf(exp, r), class: s.key === shown ? 'active' : '' }, `${when} · ${r.preset} · seed ${r.seed}`),
          h('span', { class: 'muted small' }, ` · ${(r.wallTimeMs / 1000).toFixed(1)} s · ${r.backend}${verdicts ? ` · ${verdicts}` : ''}`),
        );
      }),
    ),
  );
}
