/**
 * A live figure: a pure function from slider values to a Vega-Lite spec (text may be `{ en, zh }`,
 * localized by the page) and a one-line readout of the numbers that matter. The spec keeps its
 * rows in top-level `datasets`, so the page redraws a slider move by swapping the data of the
 * view already on screen (no recompilation): ≪ 100 ms.
 */
import type { Bilingual, Lens } from '../../../src/experiments/contract.js';

export interface LiveControl {
  key: string;
  label: Bilingual;
  min: number;
  max: number;
  step: number;
  value: number;
}

export type Spec = Record<string, unknown> & { datasets: Record<string, Record<string, unknown>[]> };

export interface LiveOutput {
  spec: Spec;
  /** the numbers that matter for these values, in words */
  readout: Bilingual;
}

export interface LiveFigure {
  id: string;
  lens: Exclude<Lens, 'gpt'>;
  title: Bilingual;
  /** what to try: one or two sentences */
  caption: Bilingual;
  controls: LiveControl[];
  render(values: Record<string, number>): LiveOutput;
}

export type Text = string | Bilingual;

/** a line chart over named datasets: x, y (optionally log), colour by `series` */
export function lineChart(o: {
  data: string;
  x: Text;
  y: Text;
  yLog?: boolean;
  xLog?: boolean;
  series?: Text;
  yDomain?: [number, number];
  extra?: Record<string, unknown>[];
  datasets: Spec['datasets'];
}): Spec {
  const line = {
    data: { name: o.data },
    mark: { type: 'line', clip: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: o.x, scale: o.xLog ? { type: 'log' } : { zero: false } },
      y: { field: 'y', type: 'quantitative', title: o.y, scale: { ...(o.yLog ? { type: 'log' } : { zero: false }), ...(o.yDomain ? { domain: o.yDomain } : {}) } },
      ...(o.series ? { color: { field: 'series', type: 'nominal', title: o.series, legend: { orient: 'bottom', direction: 'vertical' } }, strokeDash: { field: 'series', type: 'nominal', legend: null } } : {}),
      tooltip: [{ field: 'x', type: 'quantitative', title: o.x }, { field: 'y', type: 'quantitative', title: o.y, format: '.4g' }, ...(o.series ? [{ field: 'series', type: 'nominal', title: o.series }] : [])],
    },
  };
  return base({ layer: [line, ...(o.extra ?? [])] }, o.datasets);
}

export function base(body: Record<string, unknown>, datasets: Spec['datasets']): Spec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: 220,
    autosize: { type: 'fit', contains: 'padding' },
    datasets,
    ...body,
  };
}

/** a deterministic PRNG (mulberry32), so a slider position always draws the same figure */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gauss(r: () => number): number {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

/** keep a value a log scale can draw */
export function clampPos(y: number, lo = 1e-12, hi = 1e12): number {
  if (!Number.isFinite(y)) return hi;
  return Math.min(hi, Math.max(lo, Math.abs(y)));
}

export const f3 = (x: number): string => (Number.isFinite(x) ? Number(x.toPrecision(3)).toString() : '∞');
