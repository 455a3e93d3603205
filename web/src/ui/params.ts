/**
 * The parameter panel, generated from the experiment's zod schema via describeParams: one field per
 * parameter with its description, range and default; the preset fills the values; edits go into
 * the URL (so the view is a shareable link).
 */
import type { Experiment, PresetName } from '../../../src/experiments/contract.js';
import { describeParams, type ParamInfo } from '../../../src/experiments/params.js';
import { h } from '../dom.js';
import { lang, t } from '../i18n.js';
import { paramText } from '../../../src/experiments/param-text-zh.js';

export interface PanelValues {
  preset: PresetName;
  seed: number;
  /** raw strings from the URL / inputs, by key */
  raw: Record<string, string>;
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
      errors[info.key] = `${info.type}${range ? ` ${range}` : ''}${info.enum ? `: ${info.enum.join(' | ')}` : ''}`;
    } else overrides[info.key] = r.data;
  }
  return { overrides, errors };
}

export function paramPanel(exp: Experiment, values: PanelValues, onChange: (v: PanelValues) => void): HTMLElement {
  const infos = describeParams(exp.params);
  const errorsEl = new Map<string, HTMLElement>();
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const check = () => {
    const { errors } = parseOverrides(exp, values);
    for (const [k, el] of errorsEl) {
      el.textContent = errors[k] ? `✗ ${errors[k]}` : '';
      inputs.get(k)?.classList.toggle('invalid', !!errors[k]);
    }
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
    // in Chinese the table of src/experiments/param-text-zh.ts (the English text stays as a tooltip)
    const desc = paramText(exp.id, info.key, info.description, lang(), info.zh);
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
    value: String(values.seed),
    oninput: () => {
      const n = Number(seedIn.value);
      if (Number.isInteger(n)) {
        values.seed = n;
        onChange(values);
      }
      seedIn.classList.toggle('invalid', !Number.isInteger(n));
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
    h(
      'div',
      { class: 'param-top' },
      h('label', { class: 'param' }, h('span', { class: 'param-key' }, t('preset')), presetSel),
      h('label', { class: 'param' }, h('span', { class: 'param-key' }, t('seed')), seedIn),
      h(
        'button',
        {
          class: 'link-button',
          type: 'button',
          onclick: () => {
            values.raw = {};
            onChange(values);
            rebuild();
          },
        },
        t('reset'),
      ),
    ),
    h('details', { class: 'param-details', open: true }, h('summary', null, `${t('params')} (${infos.length})`), fields),
  );
}

/** `[min, max]` of a numeric parameter; bounds zod sets only to stay integral (±2^53−1) read as ±∞. */
function rangeText(info: { minimum?: number; maximum?: number }): string {
  const lo = info.minimum !== undefined && info.minimum > Number.MIN_SAFE_INTEGER ? String(info.minimum) : undefined;
  const hi = info.maximum !== undefined && info.maximum < Number.MAX_SAFE_INTEGER ? String(info.maximum) : undefined;
  return lo !== undefined || hi !== undefined ? `[${lo ?? '−∞'}, ${hi ?? '∞'}]` : '';
}
