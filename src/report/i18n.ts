/**
 * Bilingual figures. A figure's Vega-Lite spec may hold a `{ en, zh }` object wherever a learner
 * reads words — the title, axis and legend titles, tooltips, and label values inside `data.values`
 * (e.g. a legend's series names). `localizeSpec` turns such a spec into a plain Vega-Lite spec in
 * one language; the SVG renderer (Node) and the lab (browser) both call it, so chart text comes
 * from the same bilingual source as the findings.
 */
import type { Bilingual } from '../experiments/contract.js';

export type Lang = 'zh' | 'en';
/** text a learner reads: one string for both languages (symbols, proper names), or both */
export type Text = string | Bilingual;

/** is `x` exactly a `{ en, zh }` pair of strings? */
export function isBilingual(x: unknown): x is Bilingual {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const keys = Object.keys(x);
  return keys.length === 2 && typeof (x as Bilingual).en === 'string' && typeof (x as Bilingual).zh === 'string';
}

/** the text in one language */
export function tr(t: Text, lang: Lang): string {
  return typeof t === 'string' ? t : t[lang];
}

/** a copy of `spec` with every `{ en, zh }` pair replaced by its `lang` string (anywhere, data included) */
export function localizeSpec<T>(spec: T, lang: Lang): T {
  const walk = (x: unknown): unknown => {
    if (isBilingual(x)) return x[lang];
    if (Array.isArray(x)) return x.map(walk);
    if (typeof x === 'object' && x !== null) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, walk(v)]));
    return x;
  };
  return walk(spec) as T;
}

/** every `{ en, zh }` pair in a spec, and every plain string under a text key — for tests that no English is left in zh */
export function englishOnlyTexts(spec: unknown): string[] {
  const TEXT_KEYS = new Set(['title', 'text', 'subtitle']);
  const out: string[] = [];
  const walk = (x: unknown, key: string): void => {
    if (isBilingual(x)) return;
    if (typeof x === 'string') {
      if (TEXT_KEYS.has(key) && /[A-Za-z]{3,}/.test(x)) out.push(x);
      return;
    }
    if (Array.isArray(x)) x.forEach((v) => walk(v, key));
    else if (typeof x === 'object' && x !== null) for (const [k, v] of Object.entries(x)) walk(v, k);
  };
  walk(spec, '');
  return out;
}
