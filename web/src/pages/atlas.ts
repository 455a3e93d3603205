/**
 * Atlas: the prerequisite graph of src/atlas (zoom with the wheel, pan by dragging, click a topic
 * for its books, papers and experiments) and the study-path planner.
 */
import { TOPICS, TOPIC_BY_ID, topoSort, ancestorsOf, cite, citePaper, PAPER_BY_ID, type Topic } from '../../../src/atlas/index.js';
import { getExperiment } from '../../../src/experiments/registry.js';
import type { Lens } from '../../../src/experiments/contract.js';
import { h, svgEl } from '../dom.js';
import { LENS_INFO, t, tr, lang } from '../i18n.js';
import { href, replace, state } from '../state.js';
import type { Page } from './page.js';

const NODE_W = 150;
const NODE_H = 34;
const COL_GAP = 46;
const ROW_GAP = 10;
const GREY = '#7f8c8d';

function colorOf(tp: Topic): string {
  if (tp.lens) return LENS_INFO[tp.lens as Lens].color;
  return tp.kind === 'goal' ? '#111' : GREY;
}

/** Width of a label in px at 11px (CJK ≈ 11, Latin ≈ 6). */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u2e80-\uffff]/.test(ch) ? 11 : /[A-Z]/.test(ch) ? 7 : 5.8;
  return w;
}

/** One or two lines that fit a node; the rest is elided with … (the full name is in the tooltip). */
function wrapLabel(label: string, max = NODE_W - 10): string[] {
  if (textWidth(label) <= max) return [label];
  const cjk = /[\u2e80-\uffff]/.test(label);
  const parts = cjk ? Array.from(label) : label.split(' ');
  const sep = cjk ? '' : ' ';
  let first = '';
  let i = 0;
  while (i < parts.length && textWidth(first + (first ? sep : '') + parts[i]) <= max) first += (first ? sep : '') + parts[i++];
  if (!first) first = parts[i++] ?? '';
  let second = parts.slice(i).join(sep);
  if (textWidth(second) > max) {
    const chars = Array.from(second);
    while (chars.length && textWidth(chars.join('') + '…') > max) chars.pop();
    second = chars.join('') + '…';
  }
  return second ? [first, second] : [first];
}

interface Placed {
  topic: Topic;
  x: number;
  y: number;
  depth: number;
}

/** Columns by longest prerequisite chain; rows ordered by lens, then by the parents' mean row. */
function layout(topics: readonly Topic[]): Map<string, Placed> {
  const order = topoSort(topics);
  const depth = new Map<string, number>();
  for (const tp of order) depth.set(tp.id, Math.max(-1, ...tp.requires.filter((r) => depth.has(r)).map((r) => depth.get(r)!)) + 1);
  const cols: Topic[][] = [];
  for (const tp of order) (cols[depth.get(tp.id)!] ??= []).push(tp);
  const lensRank = (tp: Topic) => (tp.lens ? ['information', 'control', 'optimization', 'compression', 'perception', 'gpt'].indexOf(tp.lens) : -1);
  const row = new Map<string, number>();
  const placed = new Map<string, Placed>();
  const maxRows = Math.max(...cols.map((c) => c.length));
  cols.forEach((col, d) => {
    const bary = (tp: Topic) => {
      const rs = tp.requires.filter((r) => row.has(r)).map((r) => row.get(r)!);
      return rs.length ? rs.reduce((a, b) => a + b, 0) / rs.length : 0;
    };
    col.sort((a, b) => lensRank(a) - lensRank(b) || bary(a) - bary(b));
    const offset = ((maxRows - col.length) * (NODE_H + ROW_GAP)) / 2;
    col.forEach((tp, i) => {
      row.set(tp.id, i + (maxRows - col.length) / 2);
      placed.set(tp.id, { topic: tp, depth: d, x: d * (NODE_W + COL_GAP), y: offset + i * (NODE_H + ROW_GAP) });
    });
  });
  return placed;
}

/** Topics still to learn for `goal` given `known`, in prerequisite order. */
function planPath(goal: string, known: string[]): Topic[] {
  const knownAll = new Set<string>();
  for (const k of known) {
    knownAll.add(k);
    for (const a of ancestorsOf(k)) knownAll.add(a);
  }
  const need = new Set([...ancestorsOf(goal), goal]);
  return topoSort(TOPICS).filter((tp) => need.has(tp.id) && !knownAll.has(tp.id));
}

export function atlasPage(): Page {
  const s = state();
  const placed = layout(TOPICS);
  const width = Math.max(...[...placed.values()].map((p) => p.x)) + NODE_W + 40;
  const height = Math.max(...[...placed.values()].map((p) => p.y)) + NODE_H + 40;

  const svg = svgEl('svg', { role: 'img', 'aria-label': t('atlas') });
  const world = svgEl('g');
  svg.append(world);
  const edgesG = svgEl('g');
  const nodesG = svgEl('g');
  world.append(edgesG, nodesG);
  const edgeEls: { from: string; to: string; el: SVGPathElement }[] = [];
  for (const p of placed.values()) {
    for (const r of p.topic.requires) {
      const q = placed.get(r);
      if (!q) continue;
      const x1 = q.x + NODE_W, y1 = q.y + NODE_H / 2, x2 = p.x, y2 = p.y + NODE_H / 2;
      const mx = (x1 + x2) / 2;
      const path = svgEl('path', { d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`, class: 'edge' });
      edgesG.append(path);
      edgeEls.push({ from: r, to: p.topic.id, el: path });
    }
  }
  const nodeEls = new Map<string, SVGGElement>();
  for (const p of placed.values()) {
    const c = colorOf(p.topic);
    const g = svgEl('g', { class: 'node', transform: `translate(${p.x},${p.y})`, 'data-topic': p.topic.id });
    const strong = p.topic.kind === 'science' || p.topic.kind === 'goal' || p.topic.kind === 'capstone';
    g.append(
      svgEl('rect', { width: NODE_W, height: NODE_H, rx: 7, fill: strong ? c : '#fff', stroke: c }),
    );
    const text = svgEl('text', { x: NODE_W / 2, y: NODE_H / 2 + 4, 'text-anchor': 'middle', fill: strong ? '#fff' : '#1d232b', 'font-weight': strong ? 700 : 400 });
    const lines = wrapLabel(tr(p.topic.name));
    lines.forEach((line, i) => {
      const span = svgEl('tspan', { x: NODE_W / 2, y: NODE_H / 2 + 4 + (i - (lines.length - 1) / 2) * 12 });
      span.textContent = line;
      text.append(span);
    });
    const title = svgEl('title');
    title.textContent = `${tr(p.topic.name)} · ${p.topic.hours} ${t('hours')}`;
    g.append(text, title);
    nodesG.append(g);
    nodeEls.set(p.topic.id, g);
  }

  // ---- zoom and pan (viewBox-free: a transform on the world group)
  let k = 1, tx = 0, ty = 0;
  const apply = () => world.setAttribute('transform', `translate(${tx},${ty}) scale(${k})`);
  const fit = () => {
    const r = svg.getBoundingClientRect();
    const w = r.width || 900, hgt = r.height || 620;
    k = Math.max(0.72, Math.min(w / width, hgt / height) * 0.98);
    tx = Math.max(w - width * k, (w - width * k) / 2) + 20 * k;
    ty = (hgt - height * k) / 2 + 20 * k;
    apply();
  };
  const zoomAt = (factor: number, cx: number, cy: number) => {
    const nk = Math.min(4, Math.max(0.2, k * factor));
    tx = cx - ((cx - tx) * nk) / k;
    ty = cy - ((cy - ty) * nk) / k;
    k = nk;
    apply();
  };
  svg.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const r = svg.getBoundingClientRect();
    zoomAt(Math.exp(-ev.deltaY * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
  }, { passive: false });
  let drag: { x: number; y: number; tx: number; ty: number; moved: boolean } | undefined;
  svg.addEventListener('pointerdown', (ev) => {
    drag = { x: ev.clientX, y: ev.clientY, tx, ty, moved: false };
    svg.setPointerCapture(ev.pointerId);
  });
  svg.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
    if (drag.moved) {
      svg.classList.add('dragging');
      tx = drag.tx + dx;
      ty = drag.ty + dy;
      apply();
    }
  });
  svg.addEventListener('pointerup', (ev) => {
    const d = drag;
    drag = undefined;
    svg.classList.remove('dragging');
    if (d && !d.moved) {
      const target = document.elementFromPoint(ev.clientX, ev.clientY)?.closest('.node');
      const id = target?.getAttribute('data-topic');
      if (id) select(id);
    }
  });

  // ---- side panel
  const side = h('aside', { class: 'side', 'data-side': '' });
  const select = (id: string | undefined) => {
    replace({ topic: id });
    for (const [tid, g] of nodeEls) g.classList.toggle('selected', tid === id);
    for (const e of edgeEls) e.el.classList.toggle('hi', e.to === id || e.from === id);
    side.replaceChildren(...sideContent(id));
  };

  // ---- planner
  const params = s.params;
  const goalSel = h(
    'select',
    { name: 'goal' },
    topoSort(TOPICS)
      .filter((tp) => tp.kind !== 'prerequisite')
      .reverse()
      .map((tp) => h('option', { value: tp.id, selected: tp.id === (params.goal ?? 'five-lenses') }, tr(tp.name))),
  );
  const knownSet = new Set((params.know ?? '').split(',').filter(Boolean));
  const knownBoxes = TOPICS.filter((tp) => tp.kind === 'prerequisite').map((tp) =>
    h('label', { class: 'small' }, h('input', { type: 'checkbox', value: tp.id, checked: knownSet.has(tp.id) }), ' ', tr(tp.name)),
  );
  const hpw = h('input', { type: 'number', name: 'hours', min: '1', max: '80', value: params.hpw ?? '8', style: { width: '5rem' } });
  const planOut = h('div', { class: 'plan-out' });
  const runPlan = () => {
    const goal = goalSel.value;
    const known = knownBoxes.map((l) => l.querySelector('input')!).filter((i) => i.checked).map((i) => i.value);
    const perWeek = Math.max(1, Number(hpw.value) || 8);
    replace({ params: { goal, know: known.join(','), hpw: String(perWeek) } });
    const steps = planPath(goal, known);
    const total = steps.reduce((a, tp) => a + tp.hours, 0);
    const onPath = new Set(steps.map((tp) => tp.id));
    for (const [tid, g] of nodeEls) {
      g.classList.toggle('on-path', onPath.has(tid));
      g.classList.toggle('dim', onPath.size > 0 && !onPath.has(tid));
    }
    planOut.replaceChildren(
      h(
        'p',
        null,
        lang() === 'zh'
          ? `还需学习 ${steps.length} 个主题，共约 ${total} 小时；每周 ${perWeek} 小时，约 ${Math.ceil(total / perWeek)} 周。`
          : `${steps.length} topics to go, about ${total} hours; at ${perWeek} hours a week, about ${Math.ceil(total / perWeek)} weeks.`,
      ),
      h(
        'ol',
        { class: 'path-steps', 'data-plan': goal },
        steps.map((tp) => {
          const li = h('li', null, h('a', { href: '#', onclick: (e: Event) => (e.preventDefault(), select(tp.id)) }, tr(tp.name)), h('span', { class: 'muted small' }, ` ${tp.hours}h`));
          li.style.setProperty('--lens', colorOf(tp));
          return li;
        }),
      ),
    );
  };
  const planner = h(
    'section',
    { class: 'planner' },
    h('h2', null, t('planner')),
    h(
      'div',
      { class: 'planner-form' },
      h('label', null, h('div', { class: 'small muted' }, t('goal')), goalSel),
      h('label', null, h('div', { class: 'small muted' }, lang() === 'zh' ? '每周小时数' : 'Hours per week'), hpw),
      h('button', { class: 'primary', type: 'button', onclick: runPlan, 'data-action': 'plan' }, t('plan')),
    ),
    h('div', { class: 'small muted', style: { marginTop: '0.6rem' } }, t('known'), ':'),
    h('div', { style: { display: 'flex', gap: '0.8rem', flexWrap: 'wrap' } }, knownBoxes),
    planOut,
  );

  const legend = h(
    'div',
    { class: 'graph-legend' },
    (['information', 'control', 'optimization', 'compression', 'perception', 'gpt'] as Lens[]).map((l) => {
      const sp = h('span', null, tr(LENS_INFO[l].name));
      sp.style.setProperty('--c', LENS_INFO[l].color);
      return sp;
    }),
    (() => {
      const sp = h('span', null, t('prereqs'));
      sp.style.setProperty('--c', GREY);
      return sp;
    })(),
  );
  const tools = h(
    'div',
    { class: 'graph-tools' },
    h('button', { type: 'button', onclick: () => zoomAt(1.25, svg.clientWidth / 2, svg.clientHeight / 2) }, '+'),
    h('button', { type: 'button', onclick: () => zoomAt(0.8, svg.clientWidth / 2, svg.clientHeight / 2) }, '−'),
    h('button', { type: 'button', onclick: fit }, t('resetView')),
  );
  const el = h(
    'div',
    { class: 'page atlas', 'data-page': 'atlas' },
    h('h1', null, t('atlas')),
    h('p', { class: 'muted' }, t('zoomHint')),
    h('div', { class: 'graph-box' }, svg, tools, legend),
    h('div', { class: 'atlas-layout' }, side, planner),
  );
  requestAnimationFrame(() => {
    fit();
    select(s.topic && TOPIC_BY_ID.has(s.topic) ? s.topic : 'five-lenses');
    runPlan();
  });
  const onResize = () => fit();
  window.addEventListener('resize', onResize);
  return { el, dispose: () => window.removeEventListener('resize', onResize) };
}

function sideContent(id: string | undefined): HTMLElement[] {
  const tp = id ? TOPIC_BY_ID.get(id) : undefined;
  if (!tp) return [h('p', { class: 'muted' }, t('zoomHint'))];
  const kindText: Record<string, { zh: string; en: string }> = {
    prerequisite: { zh: '前置知识', en: 'prerequisite' },
    science: { zh: '学科', en: 'science' },
    part: { zh: '分支', en: 'topic' },
    capstone: { zh: '综合项目', en: 'capstone' },
    goal: { zh: '目标', en: 'goal' },
  };
  return [
    h('h2', null, tr(tp.name)),
    h('p', { class: 'muted small' }, `${tr(kindText[tp.kind])}${tp.lens ? ` · ${tr(LENS_INFO[tp.lens as Lens].name)}` : ''} · ${tp.hours} ${t('hours')}`),
    h('p', null, tr(tp.why)),
    tp.requires.length
      ? h('div', null, h('h4', null, t('prereqs')), h('p', null, tp.requires.map((r, i) => [i ? ' · ' : '', h('a', { href: href('atlas', { topic: r }) }, tr(TOPIC_BY_ID.get(r)?.name ?? { zh: r, en: r }))])))
      : null,
    tp.readings.length ? h('div', null, h('h4', null, t('books')), h('ul', null, tp.readings.map((r) => h('li', null, cite(r.book, lang()), h('div', { class: 'muted small' }, r.chapters))))) : null,
    tp.papers.length
      ? h('div', null, h('h4', null, t('papers')), h('ul', null, tp.papers.map((p) => h('li', null, citePaper(p), PAPER_BY_ID.get(p)?.numbers ? h('div', { class: 'muted small' }, PAPER_BY_ID.get(p)!.numbers!) : null))))
      : null,
    tp.experiments.length
      ? h(
          'div',
          null,
          h('h4', null, t('experiment')),
          h(
            'ul',
            null,
            tp.experiments.map((x) => {
              const e = getExperiment(x);
              return h('li', null, e ? h('a', { href: href(e.lens, { exp: e.id }) }, tr(e.title)) : h('span', { class: 'muted' }, x, lang() === 'zh' ? '（尚未实现）' : ' (planned)'), ' ', h('code', { class: 'muted small' }, e ? x : ''));
            }),
          ),
        )
      : null,
  ].filter((x): x is HTMLDivElement | HTMLHeadingElement | HTMLParagraphElement => x !== null);
}
