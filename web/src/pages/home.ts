/**
 * Home: the learner's question, the five lenses — each with a figure from the committed full
 * results, visible on the first visit (no click, no compute) — a suggested reading order from the
 * atlas's prerequisites, and the tally of the claims over the committed results.
 */
import { LENSES, type ExperimentResult, type Lens, type Verdict } from '../../../src/experiments/contract.js';
import { experimentsOfLens, EXPERIMENTS } from '../../../src/experiments/registry.js';
import { CLAIM_IDS } from '../../../src/atlas/claim-ids.js';
import { auditClaims, verdictCounts } from '../../../src/atlas/audit.js';
import { TOPICS, topoSort } from '../../../src/atlas/index.js';
import { h } from '../dom.js';
import { LENS_INFO, t, tr, lang } from '../i18n.js';
import { href } from '../state.js';
import { allCommitted, committedResult, hasCommitted } from '../results.js';
import { verdictBadge } from '../ui/result.js';
import { figureView } from '../ui/figure.js';
import type { Page } from './page.js';

const QUESTION_ZH =
  '有人推荐研究大模型的，要深入学习「信息论 控制论 优化 压缩 感知」，为什么？有什么资料能佐证这一点，这些前置学识是什么，相关教材又有哪些？';

const ANSWER = {
  intro: {
    zh: '因为训练一个大模型，就是同时在解五门学问里的问题。但一个流传很广的回答把这件事讲得过头了：里面有些说法能在本机复现，有些只是比喻，有些数字查无出处。这个实验室把每一条说法都变成了可以运行、可以核对的实验。下面每个透镜旁边的图，都是提交进仓库的完整运行结果。',
    en: 'Because training a large model solves problems from all five sciences at once. But a widely shared answer oversells it: some of its claims reproduce on this machine, some are only analogies, and some numbers have no source. This lab turns each claim into an experiment you can run and check. The figure beside each lens below comes from a committed full-preset run.',
  },
  outro: {
    zh: '先修什么、读哪几本书、按什么顺序，去“知识地图”里按你的目标规划；每条说法站不站得住，看“论断核查”。',
    en: 'What to learn first, which books and in what order: plan it in the Atlas for your goal. Whether each claim holds up: see Claims.',
  },
};

/** the experiment whose committed figure stands for each lens on the home page (first one present wins) */
const HOME_FIGURE: Record<Exclude<Lens, 'gpt'>, { exp: string; fig?: string }[]> = {
  information: [{ exp: 'information.entropy-rate' }],
  control: [{ exp: 'control.momentum-dynamics', fig: 'rates' }, { exp: 'control.schedules' }],
  optimization: [{ exp: 'optimization.newton-vs-first-order' }, { exp: 'optimization.regularization' }],
  compression: [{ exp: 'compression.sensing' }, { exp: 'compression.quantization' }],
  perception: [],
};

function homeFigureOf(lens: Exclude<Lens, 'gpt'>): { exp: string; fig?: string } | undefined {
  const picks = [...HOME_FIGURE[lens], ...experimentsOfLens(lens).map((e) => ({ exp: e.id }))];
  return picks.find((p) => hasCommitted(p.exp));
}

export function homePage(): Page {
  const tally = h('div', { class: 'tally' });
  const el = h(
    'div',
    { class: 'page home', 'data-page': 'home' },
    h('section', { class: 'hero' }, h('h1', null, t('appName')), h('p', { class: 'lead' }, t('tagline'))),
    h(
      'blockquote',
      { class: 'question' },
      h('span', { class: 'q-label' }, t('question')),
      lang() === 'zh' ? QUESTION_ZH : [h('span', null, t('questionEn')), h('div', { class: 'muted small', lang: 'zh' }, QUESTION_ZH)],
    ),
    h('p', null, tr(ANSWER.intro)),
    h('h2', null, t('lenses')),
    h('div', { class: 'lens-cards' }, LENSES.map(lensCard)),
    readingOrder(),
    h(
      'section',
      { class: 'answer' },
      h('h2', null, t('shortAnswer')),
      h('p', null, tr(ANSWER.outro), ' ', h('a', { href: href('atlas') }, `→ ${t('atlas')}`), ' · ', h('a', { href: href('claims') }, `→ ${t('claims')}`)),
      tally,
    ),
  );
  void fillTally(tally);
  return { el };
}

function lensCard(l: Lens): HTMLElement {
  const info = LENS_INFO[l];
  const n = experimentsOfLens(l).length;
  const figBox = h('div', { class: 'lens-card-figure' });
  const card = h(
    'div',
    { class: 'lens-card', 'data-lens': l },
    h('h3', null, h('a', { href: href(l) }, h('span', { class: 'mini-icon' }, info.icon), tr(info.name))),
    h('p', null, h('strong', null, tr(info.short))),
    h('p', { class: 'muted' }, tr(info.why)),
    figBox,
    h(
      'a',
      { class: 'count', href: href(l) },
      l === 'gpt' && n === 0 ? (lang() === 'zh' ? '在浏览器里训练 →' : 'train it in the browser →') : lang() === 'zh' ? `读这一章，${n} 个实验 →` : `read the chapter, ${n} experiment${n === 1 ? '' : 's'} →`,
    ),
  );
  card.style.setProperty('--lens', info.color);
  if (l !== 'gpt') {
    const pick = homeFigureOf(l);
    if (!pick) figBox.append(h('p', { class: 'muted small', 'data-no-results': '' }, t('noCommitted')));
    else void showCommittedFigure(figBox, pick.exp, pick.fig);
  }
  return card;
}

async function showCommittedFigure(box: HTMLElement, expId: string, figId?: string): Promise<void> {
  const r = await committedResult(expId);
  const fig = r?.figures.find((f) => f.id === figId) ?? r?.figures[0];
  if (!r || !fig) return;
  box.replaceChildren(figureView(fig, { narrow: true }), h('p', { class: 'muted small' }, h('code', null, expId), ` · ${t('presetFull')}`));
}

/** prerequisites first (the atlas's DAG, in topological order), then the five sciences in the order their parts allow */
function readingOrder(): HTMLElement {
  const order = topoSort(TOPICS);
  const prereqs = order.filter((tp) => tp.kind === 'prerequisite');
  const sciences = order.filter((tp) => tp.kind === 'science' && tp.lens && tp.lens !== 'gpt');
  return h(
    'section',
    { class: 'reading-order' },
    h('h2', null, t('readingOrder')),
    h(
      'p',
      { class: 'muted' },
      lang() === 'zh'
        ? '顺序来自知识地图里每个主题的“前置知识”：先把下面的基础打牢，再按这个次序读五个透镜；每一章都会告诉你它依赖什么。'
        : "The order comes from the atlas's prerequisites: settle the foundations first, then read the lenses in this order; each chapter says what it builds on.",
    ),
    h(
      'ol',
      { class: 'order-list' },
      h('li', null, h('strong', null, lang() === 'zh' ? '基础：' : 'Foundations: '), prereqs.map((tp, i) => [i ? ' → ' : '', h('a', { href: href('atlas', { topic: tp.id }) }, tr(tp.name))])),
      sciences.map((tp) => h('li', null, h('a', { href: href(tp.lens!) }, h('strong', null, tr(LENS_INFO[tp.lens as Lens].name))), ' — ', tr(LENS_INFO[tp.lens as Lens].short))),
    ),
  );
}

async function fillTally(tally: HTMLElement): Promise<void> {
  const results: ExperimentResult[] = await allCommitted();
  if (!results.length) {
    tally.replaceChildren(h('p', { class: 'notice', 'data-no-results': '' }, t('noCommitted')));
    return;
  }
  const audits = auditClaims(results, { registered: EXPERIMENTS });
  const counts = verdictCounts(audits);
  const checked = audits.length - counts['not-run'];
  tally.replaceChildren(
    h('span', null, lang() === 'zh' ? `原回答的 ${CLAIM_IDS.length} 条论断中，完整结果已给出结论的有 ${checked} 条：` : `Of the answer's ${CLAIM_IDS.length} claims, ${checked} have a verdict from the committed full results:`),
    ...(['reproduced', 'partly', 'not-reproduced', 'untestable'] as Verdict[]).map((v) => h('a', { href: href('claims', { verdict: v }) }, verdictBadge(v), ` ${counts[v]}`)),
  );
}
