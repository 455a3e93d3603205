/**
 * A live figure on the page: labelled sliders (keyboard reachable), the chart, a readout. A slider
 * move recomputes the figure's pure function and swaps the data of the view on screen (no Run
 * button, no recompilation); the values go into the URL (`l.<figure>.<key>`), so a configuration
 * can be shared. A bad value in the URL is shown as an error beside its slider, never used.
 */
import embed, { type Result } from 'vega-embed';
import { h } from '../dom.js';
import { lang, t, tr } from '../i18n.js';
import { replace, state } from '../state.js';
import { localizeSpec } from '../../../src/report/i18n.js';
import { defaults, type LiveFigure } from '../live/index.js';
import type { LiveControl, Spec } from '../live/types.js';

const FONT = 'system-ui, -apple-system, "Noto Sans CJK SC", "PingFang SC", sans-serif';

/** the slider values of a figure from the URL: good ones, and the errors of bad ones (a bad one keeps the default) */
export function liveValuesFromUrl(fig: LiveFigure, live: Record<string, string> = {}): { values: Record<string, number>; errors: Record<string, string> } {
  const values = defaults(fig);
  const errors: Record<string, string> = {};
  for (const c of fig.controls) {
    const raw = live[`${fig.id}.${c.key}`];
    if (raw === undefined) continue;
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v) || v < c.min || v > c.max) errors[c.key] = rangeError(raw, c);
    else values[c.key] = v;
  }
  return { values, errors };
}

function rangeError(raw: string, c: LiveControl): string {
  return lang() === 'zh'
    ? `✗ 网址里的 “${raw}” 不是 [${c.min}, ${c.max}] 内的数；图里用的是默认值 ${c.value}，拖动滑块即可替换`
    : `✗ “${raw}” from the URL is not a number in [${c.min}, ${c.max}]; the figure uses the default ${c.value} until you move the slider`;
}

export function liveView(fig: LiveFigure): HTMLElement {
  const { values, errors } = liveValuesFromUrl(fig, state().live);
  const holder = h('div', { class: 'vega-holder live-holder' });
  const readout = h('p', { class: 'live-readout', 'aria-live': 'polite' });
  let view: Result['view'] | undefined;
  let pending = false;

  const localData = (spec: Spec) => localizeSpec(spec.datasets, lang());
  const draw = () => {
    pending = false;
    const t0 = performance.now();
    const out = fig.render(values);
    readout.textContent = tr(out.readout);
    if (!view) return;
    const data = localData(out.spec);
    for (const [name, rows] of Object.entries(data)) view.data(name, rows);
    void view.runAsync().then(() => el.setAttribute('data-redraw-ms', (performance.now() - t0).toFixed(1)));
  };
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(draw);
  };

  const controls = fig.controls.map((c) => {
    const id = `live-${fig.id}-${c.key}`;
    const out = h('output', { for: id, class: 'live-value' }, String(values[c.key]));
    const err = h('span', { class: 'param-error', 'data-live-error': c.key }, errors[c.key] ?? '');
    const input = h('input', { type: 'range', id, name: `${fig.id}.${c.key}`, min: String(c.min), max: String(c.max), step: String(c.step), value: String(values[c.key]) });
    input.addEventListener('input', () => {
      values[c.key] = Number(input.value);
      out.textContent = input.value;
      err.textContent = '';
      input.classList.remove('invalid');
      const live = { ...(state().live ?? {}), [`${fig.id}.${c.key}`]: input.value };
      replace({ live });
      schedule();
    });
    if (errors[c.key]) input.classList.add('invalid');
    return h('div', { class: 'live-control' }, h('label', { for: id }, tr(c.label), ' = ', out), input, err);
  });

  const el = h(
    'figure',
    { class: 'figure live-figure', 'data-live': fig.id },
    h('figcaption', { class: 'fig-title' }, tr(fig.title), h('span', { class: 'live-tag' }, lang() === 'zh' ? ' · 实时' : ' · live')),
    h('div', { class: 'live-controls' }, controls),
    holder,
    readout,
    h('p', { class: 'fig-caption' }, tr(fig.caption)),
  );
  const first = fig.render(values);
  readout.textContent = tr(first.readout);
  const spec = localizeSpec(first.spec, lang()) as Record<string, unknown>;
  spec.config = { font: FONT, ...(spec.config as object | undefined) };
  embed(holder, spec as never, { actions: false, renderer: 'svg', tooltip: true, mode: 'vega-lite' })
    .then((r) => {
      view = r.view;
      el.classList.add('rendered');
    })
    .catch((err: Error) => {
      holder.append(h('pre', { class: 'error' }, `${t('failed')}: ${fig.id}: ${err.message}`));
      el.classList.add('rendered', 'broken');
    });
  return el;
}
