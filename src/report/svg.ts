/**
 * Vega-Lite → SVG in Node (no browser): compile with vega-lite, render with vega's headless view.
 * Text is laid out with vega's built-in width estimates, so no canvas or fonts are needed.
 */
import * as vl from 'vega-lite';
import * as vega from 'vega';
import { localizeSpec, type Lang } from './i18n.js';

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
