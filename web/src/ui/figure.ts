/** Vega-Lite figures through vega-embed, with tooltips; no actions menu (nothing leaves the page). */
import embed from 'vega-embed';
import { h } from '../dom.js';
import { lang, tr } from '../i18n.js';
import { localizeSpec } from '../../../src/report/i18n.js';
import type { Figure } from '../../../src/experiments/contract.js';

/** a column narrower than this gets the narrow layout (legends below, the title as wrapping text) */
const NARROW_PX = 560;

/**
 * `narrow`: lay the figure out for a narrow column; default: decided by the width of the column the
 * figure lands in (an essay's column is narrow even on a wide screen), measured once it is on the page.
 */
export function figureView(fig: Figure, opts: { narrow?: boolean } = {}): HTMLElement {
  const holder = h('div', { class: 'vega-holder' });
  const el = h(
    'figure',
    { class: 'figure', 'data-figure': fig.id },
    h('figcaption', { class: 'fig-title' }, tr(fig.title)),
    holder,
    fig.caption ? h('p', { class: 'fig-caption' }, tr(fig.caption)) : null,
  );
  whenOnPage(el, () => {
    const spec = localizeSpec(fig.spec, lang());
    if (spec.config === undefined) spec.config = {};
    const cfg = spec.config as Record<string, unknown>;
    fitToColumn(spec);
    // the chart's own title becomes wrapping text above it (an SVG title does not wrap, and a long one
    // was cut in any column); in a narrow column the legends also go under the plot, one above the other
    const title = takeTitle(spec);
    if (title) holder.before(h('p', { class: 'fig-subtitle small' }, title));
    const width = holder.clientWidth || window.innerWidth;
    if (opts.narrow ?? width < NARROW_PX) {
      legendsBelow(spec, width);
    }
    cfg.font ??= 'system-ui, -apple-system, "Noto Sans CJK SC", "PingFang SC", sans-serif';
    embed(holder, spec as never, { actions: false, renderer: 'svg', tooltip: true, mode: 'vega-lite' })
      .then(() => el.classList.add('rendered'))
      .catch((err: Error) => {
        holder.append(h('pre', { class: 'error' }, `figure ${fig.id}: ${err.message}`));
        el.classList.add('rendered', 'broken');
      });
  });
  return el;
}

/** run `fn` once `el` is in the document (checked each frame, for up to ~1 s; then run anyway) */
function whenOnPage(el: HTMLElement, fn: () => void, frames = 60): void {
  if (el.isConnected || frames === 0) fn();
  else requestAnimationFrame(() => whenOnPage(el, fn, frames - 1));
}

/** a single or layered view takes the column's width (Vega `autosize: fit`); compound views are scaled down by CSS */
function fitToColumn(spec: Record<string, unknown>): void {
  const compound = ['hconcat', 'vconcat', 'concat', 'facet', 'repeat'].some((k) => k in spec) || (spec.encoding as Record<string, unknown> | undefined)?.row !== undefined || (spec.encoding as Record<string, unknown> | undefined)?.column !== undefined || (spec.encoding as Record<string, unknown> | undefined)?.facet !== undefined;
  if (compound) return;
  spec.width = 'container';
  // fit the width only: the height stays the spec's, so legends below do not squash the plot
  spec.autosize = { type: 'fit-x', contains: 'padding' };
}

function takeTitle(spec: Record<string, unknown>): string {
  const t = spec.title as unknown;
  delete spec.title;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.join(' ');
  if (t && typeof t === 'object') {
    const o = t as { text?: unknown; subtitle?: unknown };
    return [o.text, o.subtitle].flat().filter((x) => typeof x === 'string').join(' — ');
  }
  return '';
}

/**
 * Every legend of the spec (config and encodings, layers included) placed below the plot, its labels
 * no wider than the column; long axis labels (a bar per compressor) are cut with "…" at a third of it,
 * rather than push the plot out of the column.
 */
function legendsBelow(spec: Record<string, unknown>, width: number): void {
  const cfg = (spec.config ??= {}) as Record<string, unknown>;
  const labelLimit = Math.max(120, width - 60);
  const axisLimit = Math.max(80, Math.floor(width * 0.35));
  cfg.axis = { ...(cfg.axis as object | undefined), labelLimit: axisLimit, titleLimit: Math.max(120, width - 50) };
  cfg.legend = { ...(cfg.legend as object | undefined), orient: 'bottom', direction: 'vertical', labelLimit, layout: { bottom: { anchor: 'start', direction: 'vertical' } } };
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.legend && typeof o.legend === 'object') {
      const l = o.legend as Record<string, unknown>;
      if (l.orient !== undefined && l.orient !== 'none') l.orient = 'bottom';
      if (typeof l.labelLimit === 'number' && l.labelLimit > labelLimit) l.labelLimit = labelLimit;
      delete l.legendX;
      delete l.legendY;
    }
    if (o.axis && typeof o.axis === 'object') {
      const a = o.axis as Record<string, unknown>;
      if (typeof a.labelLimit === 'number' && a.labelLimit > axisLimit) a.labelLimit = axisLimit;
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'data' && k !== 'datasets') walk(v);
  };
  walk(spec);
}
