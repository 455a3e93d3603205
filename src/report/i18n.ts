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

/** channels whose categorical values a learner reads (legend entries, category axis labels, facet headers, tooltips) */
const LABEL_CHANNELS = new Set(['x', 'y', 'color', 'fill', 'stroke', 'shape', 'strokeDash', 'detail', 'row', 'column', 'facet', 'text', 'tooltip']);

/** the fields of categorical (nominal / ordinal) encodings anywhere in a spec, layers and facets included */
function labelFields(spec: unknown): Set<string> {
  const fields = new Set<string>();
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (typeof x !== 'object' || x === null) return;
    for (const [k, v] of Object.entries(x)) {
      if (k === 'encoding' && typeof v === 'object' && v !== null) {
        for (const [ch, e] of Object.entries(v)) {
          if (!LABEL_CHANNELS.has(ch)) continue;
          for (const d of Array.isArray(e) ? e : [e]) {
            const def = d as { field?: unknown; type?: unknown };
            if (typeof def?.field === 'string' && (def.type === 'nominal' || def.type === 'ordinal' || ch === 'text' || ch === 'tooltip')) fields.add(def.field);
          }
        }
      } else if (k !== 'values') walk(v);
    }
  };
  walk(spec);
  return fields;
}

/** function names and identifiers (tanh, h.0.attn.c_attn.weight, sym/tensor) are symbols, not words */
const SYMBOLS = new Set(['tanh', 'relu', 'gelu', 'sigmoid', 'softmax', 'sign', 'exp', 'log', 'max', 'min']);
function isWords(v: string): boolean {
  if (!/(^|[^A-Za-z])[a-z]{3,}($|[^A-Za-z])/.test(v)) return false;
  if (/^\S+$/.test(v) && (SYMBOLS.has(v) || /[._/0-9]/.test(v))) return false;
  return true;
}

/**
 * Words a learner would read in English only, whatever the language: every plain string under a
 * text key (title, text, subtitle) with a run of 3 letters, and every plain label value of a
 * categorical encoding in the inline data with an all-lowercase English word (so "Adam", "SGD",
 * "K-FAC", "λ = 0.1" may stay: symbols and proper names). A `{ en, zh }` pair is never reported.
 */
export function englishOnlyTexts(spec: unknown): string[] {
  const TEXT_KEYS = new Set(['title', 'text', 'subtitle']);
  const out: string[] = [];
  const fields = labelFields(spec);
  const seen = new Set<string>();
  const walk = (x: unknown, key: string): void => {
    if (isBilingual(x)) return;
    if (typeof x === 'string') {
      if (TEXT_KEYS.has(key) && /[A-Za-z]{3,}/.test(x) && !seen.has(x)) {
        seen.add(x);
        out.push(x);
      }
      return;
    }
    if (Array.isArray(x)) x.forEach((v) => walk(v, key));
    else if (typeof x === 'object' && x !== null) {
      for (const [k, v] of Object.entries(x)) {
        if (k === 'values' && Array.isArray(v)) dataLabels(v);
        else walk(v, k);
      }
    }
  };
  const dataLabels = (rows: unknown[]): void => {
    for (const row of rows) {
      if (typeof row !== 'object' || row === null) continue;
      for (const f of fields) {
        const v = (row as Record<string, unknown>)[f];
        if (typeof v === 'string' && isWords(v) && !seen.has(v)) {
          seen.add(v);
          out.push(v);
        }
      }
    }
  };
  walk(spec, '');
  return out;
}
