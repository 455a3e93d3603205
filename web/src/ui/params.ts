/**
 * The parameter panel, generated from the experiment's zod schema via describeParams: one field per
 * parameter with its description, range and default; the preset fills the values; edits go into
 * the URL (so the view is a shareable link).
 */
import type { Experiment, PresetName } from '../../../src/experiments/contract.js';
import { describeParams, paramText, type ParamInfo } from '../../../src/experiments/params.js';
import { h } from '../dom.js';
import { lang, t } from '../i18n.js';

export interface PanelValues {
  preset: PresetName;
  seed: number;
  /** raw strings from the URL / inputs, by key */
  raw: Record<string, string>;
  /** the seed as typed (or as in the URL) when it is not an integer: an error, never replaced */
  seedRaw?: string;
  /** the preset as in the URL when it is neither quick nor full */
  presetRaw?: string;
}

/** every error of the panel: per field, the seed, the preset, and parameters the experiment does not have */
export function panelErrors(exp: Experiment, values: PanelValues): Record<string, string> {
  const { errors } = parseOverrides(exp, values);
  const known = new Set(describeParams(exp.params).map((i) => i.key));
  for (const k of Object.keys(values.raw)) if (!known.has(k)) errors[k] = t('unknownParam');
  if (values.seedRaw !== undefined) errors.seed = `${t('badSeed')}: “${values.seedRaw}”`;
  if (values.presetRaw !== undefined) errors.preset = `${t('badPreset')}: “${values.presetRaw}”`;
  return errors;
}

export function presetValue(exp: Experiment, preset: PresetName, info: ParamInfo): unknown {
  const p = exp.presets[preset] as Record<string, unknown>;
  return p[info.key] !== undefined ? p[info.key] : info.default;
}

export function showValue(v: unknown): string {
  if (Array.isArray(v)) return v.join(',');
  if (v === undefined || v === null) return '';
  return String(v);
}

/** Parse the panel's raw strings against the schema: overrides that differ from the preset, and errors. */
export function parseOverrides(exp: Experiment, values: PanelValues): { overrides: Record<string, unknown>; errors: Record<string, string> } {
  const infos = describeParams(exp.params);
  const overrides: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const info of infos) {
    const raw = values.raw[info.key];
    if (raw === undefined) continue;
    if (raw === showValue(presetValue(exp, values.preset, info))) continue;
    let v: unknown = raw;
    if (info.type === 'number' || info.type === 'integer') v = raw.trim() === '' ? NaN : Number(raw);
    else if (info.type === 'boolean') v = raw === 'true';
    else if (info.type === 'array') v = raw.split(',').map((x) => (x.trim() !== '' && !Number.isNaN(Number(x)) ? Number(x) : x.trim()));
    else if (info.type === 'enum' && info.enum?.every((e) => typeof e === 'number')) v = Number(raw);
    const schema = (exp.params.shape as unknown as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: { message: string }[] } } }>)[info.key];
    const r = schema?.safeParse(v);
    if (!r || !r.success) {
      const range = rangeText(info);
      errors[info.key] = `“${raw}”: ${t('expected')} ${typeWord(info.type)}${range ? ` ${range}` : ''}${info.enum ? `: ${info.enum.join(' | ')}` : ''}`;
    } else overrides[info.key] = r.data;
  }
  return { overrides, errors };
}

export function paramPanel(exp: Experiment, values: PanelValues, onChange: (v: PanelValues) => void): HTMLElement {
  const infos = describeParams(exp.params);
  const errorsEl = new Map<string, HTMLElement>();
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const seedErr = h('span', { class: 'param-error', 'data-error': 'seed' });
  const presetErr = h('span', { class: 'param-error', 'data-error': 'preset' });
  const unknownEl = h('p', { class: 'param-error unknown-params', 'data-error': 'unknown' });
  const known = new Set(infos.map((i) => i.key));
  const check = () => {
    const errors = panelErrors(exp, values);
    for (const [k, el] of errorsEl) {
      el.textContent = errors[k] ? `✗ ${errors[k]}` : '';
      inputs.get(k)?.classList.toggle('invalid', !!errors[k]);
    }
    seedErr.textContent = errors.seed ? `✗ ${errors.seed}` : '';
    seedIn.classList.toggle('invalid', !!errors.seed);
    presetErr.textContent = errors.preset ? `✗ ${errors.preset}` : '';
    const unknown = Object.keys(values.raw).filter((k) => !known.has(k));
    unknownEl.textContent = unknown.map((k) => `✗ p.${k}=“${values.raw[k]}”: ${t('unknownParam')}`).join(' · ');
    unknownEl.hidden = unknown.length === 0;
  };
  const fieldOf = (info: ParamInfo) => {
    const current = values.raw[info.key] ?? showValue(presetValue(exp, values.preset, info));
    const set = (v: string) => {
      values.raw[info.key] = v;
      onChange(values);
      check();
    };
    let input: HTMLInputElement | HTMLSelectElement;
    if (info.type === 'boolean') {
      input = h('input', { type: 'checkbox', checked: current === 'true', onchange: () => set(String((input as HTMLInputElement).checked)) });
    } else if (info.type === 'enum') {
      input = h(
        'select',
        { onchange: () => set(input.value) },
        (info.enum ?? []).map((e) => h('option', { value: String(e), selected: String(e) === current }, String(e))),
      );
    } else {
      const numeric = info.type === 'number' || info.type === 'integer';
      input = h('input', {
        type: 'text',
        inputmode: numeric ? 'decimal' : 'text',
        value: current,
        oninput: () => set(input.value),
      });
    }
    input.setAttribute('name', info.key);
    input.setAttribute('data-param', info.key);
    inputs.set(info.key, input);
    const err = h('span', { class: 'param-error' });
    errorsEl.set(info.key, err);
    // in Chinese the field's own .meta({ zh }) text (the English text stays as a tooltip)
    const desc = paramText(info, lang());
    const range = rangeText(info);
    return h(
      'label',
      { class: 'param' },
      h('span', { class: 'param-key' }, info.key, range ? h('small', { class: 'muted' }, ' ', range) : null),
      input,
      desc ? h('span', { class: 'param-desc', lang: lang() === 'zh' && desc !== info.description ? 'zh-CN' : 'en', ...(desc !== info.description && info.description ? { title: info.description } : {}) }, desc) : null,
      err,
    );
  };
  const presetSel = h(
    'select',
    {
      name: 'preset',
      onchange: () => {
        values.preset = presetSel.value as PresetName;
        values.presetRaw = undefined;
        values.raw = {};
        onChange(values);
        rebuild();
      },
    },
    (['quick', 'full'] as const).map((p) => h('option', { value: p, selected: values.preset === p }, t(p))),
  );
  const seedIn = h('input', {
    type: 'text',
    name: 'seed',
    inputmode: 'numeric',
    value: values.seedRaw ?? String(values.seed),
    oninput: () => {
      const n = Number(seedIn.value);
      if (seedIn.value.trim() !== '' && Number.isInteger(n)) {
        values.seed = n;
        values.seedRaw = undefined;
      } else values.seedRaw = seedIn.value;
      onChange(values);
      check();
    },
  });
  const fields = h('div', { class: 'param-grid' });
  const rebuild = () => {
    fields.replaceChildren(...infos.map(fieldOf));
    check();
  };
  rebuild();
  return h(
    'div',
    { class: 'param-panel' },
    panelTop([presetSel, presetErr], [seedIn, seedErr], () => {
      values.raw = {};
      onChange(values);
      rebuild();
    }),
    unknownEl,
    h('details', { class: 'param-details', open: true }, h('summary', null, `${t('params')} (${infos.length})`), fields),
  );
}

function panelTop(preset: HTMLElement[], seed: HTMLElement[], reset: () => void): HTMLElement {
  return h(
    'div',
    { class: 'param-top' },
    h('label', { class: 'param' }, h('span', { class: 'param-key' }, t('preset')), preset),
    h('label', { class: 'param' }, h('span', { class: 'param-key' }, t('seed')), seed),
    h('button', { class: 'link-button', type: 'button', onclick: reset }, t('reset')),
  );
}

function typeWord(type: string): string {
  const zh: Record<string, string> = { number: '数', integer: '整数', boolean: '真/假', enum: '以下之一', array: '逗号分隔的列表', string: '文本' };
  return lang() === 'zh' ? (zh[type] ?? type) : type === 'enum' ? 'one of' : type;
}

/** `[min, max]` of a numeric parameter; bounds zod sets only to stay integral (±2^53−1) read as ±∞. */
function rangeText(info: { minimum?: number; maximum?: number }): string {
  const lo = info.minimum !== undefined && info.minimum > Number.MIN_SAFE_INTEGER ? String(info.minimum) : undefined;
  const hi = info.maximum !== undefined && info.maximum < Number.MAX_SAFE_INTEGER ? String(info.maximum) : undefined;
  return lo !== undefined || hi !== undefined ? `[${lo ?? '−∞'}, ${hi ?? '∞'}]` : '';
}
