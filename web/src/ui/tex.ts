/** KaTeX rendering (fonts bundled by Vite; no network). */
import katex from 'katex';
import 'katex/dist/katex.min.css';
import { h } from '../dom.js';

export function tex(src: string, display = true): HTMLElement {
  const el = h(display ? 'div' : 'span', { class: display ? 'tex display' : 'tex' });
  try {
    katex.render(src, el, { displayMode: display, throwOnError: false, output: 'html', strict: 'ignore' });
  } catch {
    el.textContent = src;
  }
  return el;
}

/** Render inline `$…$` and display `$$…$$` maths inside a plain text. */
export function richText(text: string, opts: { inline?: boolean } = {}): HTMLElement {
  const el = h('span');
  const re = /\$\$([^$]+)\$\$|\$([^$]+)\$/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) el.append(text.slice(last, m.index));
    el.append(tex(m[1] ?? m[2] ?? '', m[1] !== undefined && !opts.inline));
    last = re.lastIndex;
  }
  if (last < text.length) el.append(text.slice(last));
  return el;
}
