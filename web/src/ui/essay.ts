/**
 * An essay on the page: per section the seed's claim, the idea (paragraphs with light markup), the
 * formulas, a live figure, the committed full result (its figure and its verdicts with their
 * criteria, labelled with the preset that produced them), what it means for an LLM, and where to
 * read next. Measured numbers come only from results/, never from the essay's text.
 */
import { TEXTBOOK_BY_ID, TOPIC_BY_ID } from '../../../src/atlas/index.js';
import { getExperiment } from '../../../src/experiments/registry.js';
import type { Essay, EssaySection } from '../essays/types.js';
import { h } from '../dom.js';
import { lang, t, tr } from '../i18n.js';
import { href, state } from '../state.js';
import { committedResult } from '../results.js';
import { figureView } from './figure.js';
import { liveView } from './live.js';
import { liveFigure } from '../live/index.js';
import { tex } from './tex.js';
import { verdictView } from './result.js';

/** `**bold**`, `*italic*`, `$tex$`, `[text](#/route?…)` (the route keeps the current language) */
export function markup(text: string): HTMLElement {
  const el = h('span');
  const re = /\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|\$([^$]+)\$|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) el.append(text.slice(last, m.index));
    if (m[1] !== undefined) el.append(h('strong', null, m[1]));
    else if (m[2] !== undefined) el.append(h('em', null, m[2]));
    else if (m[3] !== undefined) el.append(tex(m[3], false));
    else el.append(h('a', { href: withLang(m[5]!) }, m[4]!));
    last = re.lastIndex;
  }
  if (last < text.length) el.append(text.slice(last));
  return el;
}

function withLang(link: string): string {
  if (!link.startsWith('#/')) return link;
  const [path, query = ''] = link.split('?');
  const q = new URLSearchParams(query);
  q.set('lang', state().lang);
  return `${path}?${q.toString()}`;
}

export function essayView(essay: Essay): HTMLElement {
  return h(
    'article',
    { class: 'essay', 'data-essay': essay.lens },
    h('div', { class: 'essay-intro' }, essay.intro.map((p) => h('p', null, markup(tr(p))))),
    h(
      'nav',
      { class: 'essay-toc' },
      h('strong', null, lang() === 'zh' ? '本章内容' : 'In this chapter'),
      h('ol', null, essay.sections.map((s) => h('li', null, h('a', { href: '#', 'data-anchor': s.id, onclick: (e: Event) => jump(e, s.id) }, tr(s.title))))),
    ),
    essay.sections.map(sectionView),
    h('section', { class: 'essay-outro' }, h('h2', null, lang() === 'zh' ? '接下来读什么' : 'What to read next'), essay.outro.map((p) => h('p', null, markup(tr(p)))), books(essay.textbooks ?? [])),
  );
}

function jump(e: Event, id: string): void {
  e.preventDefault();
  document.getElementById(`s-${id}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

function sectionView(s: EssaySection): HTMLElement {
  const committed = h('div', { class: 'essay-result' });
  if (s.experiment) void fillCommitted(committed, s);
  const live = s.live ? liveFigure(s.live) : undefined;
  return h(
    'section',
    { class: 'essay-section', id: `s-${s.id}`, 'data-section': s.id },
    h('h2', null, tr(s.title)),
    s.seed ? h('blockquote', { class: 'seed-claim' }, h('span', { class: 'q-label' }, t('seedSays')), markup(tr(s.seed))) : null,
    s.body.map((p) => h('p', null, markup(tr(p)))),
    s.formulas?.length ? h('div', { class: 'formulas' }, s.formulas.map((f) => h('div', { class: 'formula' }, tex(f.tex), h('div', { class: 'formula-label muted' }, tr(f.label))))) : null,
    live ? liveView(live) : null,
    committed,
    h('div', { class: 'llm-box' }, h('strong', null, lang() === 'zh' ? '对训练大模型意味着什么　' : 'What it means for training an LLM: '), markup(tr(s.llm))),
    s.topics?.length
      ? h(
          'p',
          { class: 'small' },
          lang() === 'zh' ? '知识地图：' : 'In the atlas: ',
          s.topics.map((id) => {
            const tp = TOPIC_BY_ID.get(id);
            return tp ? h('a', { class: 'chip', href: href('atlas', { topic: id }) }, tr(tp.name)) : null;
          }),
        )
      : null,
  );
}

/** the committed full result of the section's experiment: its figures and the verdicts on the section's claims */
async function fillCommitted(box: HTMLElement, s: EssaySection): Promise<void> {
  const id = s.experiment!;
  const r = await committedResult(id);
  const exp = getExperiment(id);
  const link = exp ? h('a', { href: href(exp.lens, { exp: id }) + '', 'data-exp-link': id, onclick: (e: Event) => jumpToExperiment(e, id) }, lang() === 'zh' ? '在下方打开这个实验的全部参数 →' : 'open this experiment’s full controls below →') : null;
  if (!r) {
    box.replaceChildren(h('p', { class: 'notice', 'data-no-results': '' }, t('noCommitted')), link ?? '');
    return;
  }
  const figs = s.figures?.length ? r.figures.filter((f) => s.figures!.includes(f.id)) : r.figures.slice(0, 1);
  const verdicts = r.verdicts.filter((v) => !s.claims?.length || s.claims.includes(v.claim));
  box.replaceChildren(
    h('p', { class: 'muted small result-label' }, lang() === 'zh' ? '我们测到的（' : 'What we measured (', h('code', null, id), ` · ${t('presetFull')} · ${t('seed')} ${r.seed})`),
    ...figs.map((f) => figureView(f)),
    ...verdicts.map((v) => verdictView(v, r.preset)),
    link ?? '',
  );
}

function jumpToExperiment(e: Event, id: string): void {
  const target = document.querySelector(`.exp-list a[data-exp="${CSS.escape(id)}"]`) as HTMLAnchorElement | null;
  if (!target) return;
  e.preventDefault();
  target.click();
  document.querySelector('.experiments')?.scrollIntoView({ behavior: 'smooth' });
}

function books(ids: string[]): HTMLElement | null {
  const list = ids.map((id) => TEXTBOOK_BY_ID.get(id)).filter((b) => !!b);
  if (!list.length) return null;
  return h('ul', { class: 'books' }, list.map((b) => h('li', null, `${b!.authors.join(', ')}. `, h('em', null, b!.title), ` (${b!.year})`)));
}
