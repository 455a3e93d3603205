/**
 * Vega-Lite → SVG in Node (no browser): compile with vega-lite, render with vega's headless view.
 * Text is laid out with vega's built-in width estimates, so no canvas or fonts are needed.
 */
import * as vl from 'vega-lite';
import * as vega from 'vega';
import { localizeSpec, type Lang } from './i18n.js';

/**
 * Vega's width estimate without a canvas is 0.8 em per character; a Chinese (or any full-width)
 * character is about 1 em, so Chinese legends and titles were measured short and cut at the edge.
 * This estimate gives a wide character 1.05 em. Vega calls it for every text (and for each candidate
 * while truncating), so it is a pure function of the text; installed once, for every render.
 */
const WIDE = /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/g;
function estimateWidth(item: { fontSize?: number }, text: unknown): number {
  const lines = Array.isArray(text) ? text.map(String) : [String(text ?? '')];
  const em = item.fontSize ?? 11;
  return Math.max(0, ...lines.map((s) => ~~(0.8 * s.length * em + 0.25 * (s.match(WIDE)?.length ?? 0) * em)));
}
(vega as unknown as { textMetrics: { width: typeof estimateWidth } }).textMetrics.width = estimateWidth;

/** Render a (possibly bilingual, see ./i18n.ts) Vega-Lite spec to SVG text in one language. */
export async function renderSvg(spec: Record<string, unknown>, lang: Lang = 'en'): Promise<string> {
  // errors only: vega-lite's advice (e.g. "zero is dropped on a log scale") is not for the reader
  const logger = vega.logger(vega.Error);
  const compiled = vl.compile(localizeSpec(spec, lang) as unknown as vl.TopLevelSpec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    // a white background so the figure reads in any viewer
    return svg.replace(/<svg([^>]*)>/, '<svg$1><rect width="100%" height="100%" fill="white"/>');
  } finally {
    view.finalize();
  }
}
