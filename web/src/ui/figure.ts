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
    const width = holder.clientWidth || window.innerWidth;
    if (opts.narrow ?? width < NARROW_PX) {
      // legends go under the plot, and a long chart title becomes wrapping text above it
      const title = takeTitle(spec);
      if (title) holder.before(h('p', { class: 'fig-subtitle small' }, title));
      legendsBelow(spec);
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

/** every legend of the spec (config and encodings, layers included) placed below the plot */
function legendsBelow(spec: Record<string, unknown>): void {
  const cfg = (spec.config ??= {}) as Record<string, unknown>;
  cfg.legend = { ...(cfg.legend as object | undefined), orient: 'bottom', direction: 'vertical' };
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.legend && typeof o.legend === 'object') {
      const l = o.legend as Record<string, unknown>;
      if (l.orient !== undefined && l.orient !== 'none') l.orient = 'bottom';
      delete l.legendX;
      delete l.legendY;
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'data' && k !== 'datasets') walk(v);
  };
  walk(spec);
}
