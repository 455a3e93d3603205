/**
 * Small builders for the Vega-Lite specs experiments emit. Each returns a plain object with its
 * data inline, so a figure is self-contained: the CLI renders it to SVG, the browser embeds it.
 * Raw Vega-Lite is always allowed; these only remove repetition. Every text a learner reads may be
 * bilingual (`Text`, see ./i18n.ts).
 */
import type { Text } from './i18n.js';

/** a data row; a label value may be bilingual (`{ en, zh }`), localized when the figure is drawn */
export type Row = Record<string, string | number | boolean | null | Text>;
export type Spec = Record<string, unknown>;

export interface Axis {
  field: string;
  title: Text;
  /** 'log' for a log axis; default linear */
  scale?: 'log' | 'linear' | 'symlog';
  /** fixed domain [min, max] */
  domain?: [number, number];
  /** vega-lite type; default quantitative */
  type?: 'quantitative' | 'ordinal' | 'nominal' | 'temporal';
  /** d3 format for the axis labels, e.g. '.2f', '~s' */
  format?: string;
}

export interface Rule {
  /** horizontal line at y, or vertical at x */
  y?: number;
  x?: number;
  label: Text;
  color?: string;
}

export interface ChartOptions {
  title: Text;
  data: Row[];
  x: Axis;
  y: Axis;
  /** series field → colour */
  color?: { field: string; title: Text };
  /** dashed lines per value of this field */
  dash?: { field: string; title: Text };
  /** also draw points on lines */
  points?: boolean;
  rules?: Rule[];
  width?: number;
  height?: number;
  /** extra tooltip fields */
  tooltip?: string[];
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function enc(a: Axis): Spec {
  const e: Spec = { field: a.field, type: a.type ?? 'quantitative', title: a.title };
  const scale: Spec = {};
  if (a.scale && a.scale !== 'linear') scale.type = a.scale;
  if (a.domain) scale.domain = a.domain;
  if (a.domain) {
    scale.nice = false; // keep the domain as given (a log axis would otherwise round it out)
    if (a.scale !== 'log') scale.zero = false; // log scales never include zero; saying so only warns
  }
  if (Object.keys(scale).length) e.scale = scale;
  if (a.format) e.axis = { format: a.format };
  return e;
}

/** The tooltip: x, y, the series fields and any extra fields, each titled as on the axis or legend. */
function tooltip(o: ChartOptions): Spec[] {
  const titled: [string, Text | undefined, string][] = [
    [o.x.field, o.x.title, o.x.type ?? 'quantitative'],
    [o.y.field, o.y.title, o.y.type ?? 'quantitative'],
    ...(o.color ? [[o.color.field, o.color.title, 'nominal'] as [string, Text, string]] : []),
    ...(o.dash ? [[o.dash.field, o.dash.title, 'nominal'] as [string, Text, string]] : []),
    ...(o.tooltip ?? []).map((f): [string, Text | undefined, string] => [f, undefined, 'nominal']),
  ];
  const seen = new Set<string>();
  return titled.filter(([f]) => !seen.has(f) && seen.add(f)).map(([field, title, type]) => ({ field, type, ...(title !== undefined ? { title } : {}) }));
}

const RULE_TIP: Spec[] = [
  { field: 'label', title: { en: 'reference line', zh: '参考线' } },
  { field: 'v', title: { en: 'at', zh: '位置' } },
];

function ruleLayers(rules: Rule[] | undefined): Spec[] {
  if (!rules?.length) return [];
  return rules.flatMap((r) => {
    const color = r.color ?? '#888';
    const isY = r.y !== undefined;
    const datum = { v: isY ? r.y : r.x, label: r.label };
    const pos = isY ? { y: { field: 'v', type: 'quantitative' } } : { x: { field: 'v', type: 'quantitative' } };
    return [
      { data: { values: [datum] }, mark: { type: 'rule', strokeDash: [4, 3], color }, encoding: { ...pos, tooltip: RULE_TIP } },
      {
        data: { values: [datum] },
        mark: { type: 'text', align: isY ? 'left' : 'left', dx: 3, dy: isY ? -5 : 0, color, fontSize: 10, ...(isY ? { x: 2 } : { y: 8 }) },
        encoding: { ...pos, text: { field: 'label' } },
      },
    ];
  });
}

function base(o: ChartOptions): Spec {
  return { $schema: SCHEMA, title: o.title, width: o.width ?? 420, height: o.height ?? 260 };
}

/** Lines (one per colour/dash value), optional points and reference rules. */
export function lineChart(o: ChartOptions): Spec {
  const encoding: Spec = { x: enc(o.x), y: enc(o.y), tooltip: tooltip(o) };
  if (o.color) encoding.color = { field: o.color.field, type: 'nominal', title: o.color.title, legend: { labelLimit: 360 } };
  // a dashed series' legend entry is a short stroke in its dash pattern, not a dot
  if (o.dash) encoding.strokeDash = { field: o.dash.field, type: 'nominal', title: o.dash.title, legend: { symbolType: 'stroke', symbolSize: 300, symbolStrokeWidth: 2 } };
  const main = { data: { values: o.data }, mark: { type: 'line', point: o.points ?? false }, encoding };
  return { ...base(o), layer: [main, ...ruleLayers(o.rules)] };
}

/** Points (one colour per series), optional rules. */
export function scatterChart(o: ChartOptions & { size?: number }): Spec {
  const encoding: Spec = { x: enc(o.x), y: enc(o.y), tooltip: tooltip(o) };
  if (o.color) encoding.color = { field: o.color.field, type: 'nominal', title: o.color.title };
  const main = { data: { values: o.data }, mark: { type: 'point', filled: true, size: o.size ?? 40 }, encoding };
  return { ...base(o), layer: [main, ...ruleLayers(o.rules)] };
}

/** Bars: x nominal/ordinal category, y value; optional colour and error bars (fields lo/hi). */
export function barChart(o: ChartOptions & { errorLo?: string; errorHi?: string }): Spec {
  const x = { ...enc({ ...o.x, type: o.x.type ?? 'nominal' }), sort: null };
  const encoding: Spec = { x, y: enc(o.y), tooltip: tooltip(o) };
  if (o.color) encoding.color = { field: o.color.field, type: 'nominal', title: o.color.title };
  const layers: Spec[] = [{ data: { values: o.data }, mark: 'bar', encoding }];
  if (o.errorLo && o.errorHi)
    layers.push({
      data: { values: o.data },
      mark: { type: 'errorbar', ticks: true },
      encoding: { x, y: { field: o.errorLo, type: 'quantitative', title: o.y.title }, y2: { field: o.errorHi } },
    });
  return { ...base(o), layer: [...layers, ...ruleLayers(o.rules)] };
}

/** A heatmap: x and y ordinal (or binned), colour quantitative. */
export function heatmap(o: {
  title: Text;
  data: Row[];
  x: Axis;
  y: Axis;
  color: { field: string; title: Text; scheme?: string; domain?: [number, number] };
  width?: number;
  height?: number;
}): Spec {
  const ax = (a: Axis) => ({ ...enc({ ...a, type: a.type ?? 'ordinal' }), ...(a.type === 'quantitative' ? {} : { sort: null }) });
  return {
    $schema: SCHEMA,
    title: o.title,
    width: o.width ?? 320,
    height: o.height ?? 320,
    data: { values: o.data },
    mark: 'rect',
    encoding: {
      x: ax(o.x),
      y: ax(o.y),
      color: {
        field: o.color.field,
        type: 'quantitative',
        title: o.color.title,
        scale: { scheme: o.color.scheme ?? 'viridis', ...(o.color.domain ? { domain: o.color.domain } : {}) },
      },
      tooltip: [
        { field: o.x.field, title: o.x.title },
        { field: o.y.field, title: o.y.title },
        { field: o.color.field, type: 'quantitative', format: '.4g', title: o.color.title },
      ],
    },
  };
}

/** Several specs side by side (hconcat) or stacked (vconcat). */
export function concat(title: Text, specs: Spec[], direction: 'h' | 'v' = 'h'): Spec {
  const strip = specs.map(({ $schema: _s, ...rest }) => rest);
  return { $schema: SCHEMA, title, ...(direction === 'h' ? { hconcat: strip } : { vconcat: strip }) };
}

/** Layer several specs (each with its own inline data). */
export function layer(title: Text, specs: Spec[], size?: { width?: number; height?: number }): Spec {
  const strip = specs.map(({ $schema: _s, title: _t, width: _w, height: _h, ...rest }) => rest);
  return { $schema: SCHEMA, title, width: size?.width ?? 420, height: size?.height ?? 260, layer: strip };
}
