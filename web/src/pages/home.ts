/** Home: the learner's question, the five lenses, the short answer with key figures from stored runs. */
import { LENSES, type ExperimentResult, type Lens, type Verdict } from '../../../src/experiments/contract.js';
import { experimentsOfLens, EXPERIMENTS } from '../../../src/experiments/registry.js';
import { CLAIM_IDS } from '../../../src/atlas/claim-ids.js';
import { h, fmt } from '../dom.js';
import { LENS_INFO, t, tr, lang } from '../i18n.js';
import { href } from '../state.js';
import { allResults } from '../db.js';
import { verdictBadge } from '../ui/result.js';
import type { Page } from './page.js';

const QUESTION_ZH =
  '有人推荐研究大模型的，要深入学习「信息论 控制论 优化 压缩 感知」，为什么？有什么资料能佐证这一点，这些前置学识是什么，相关教材又有哪些？';

const ANSWER = {
  intro: {
    zh: '因为训练一个大模型，就是同时在解五门学问里的问题。但一个流传很广的回答把这件事讲得过头了：里面有些说法能在本机复现，有些只是比喻，有些数字查无出处。这个实验室把每一条说法都变成了可以运行、可以核对的实验。',
    en: 'Because training a large model solves problems from all five sciences at once. But a widely shared answer oversells it: some of its claims reproduce on this machine, some are only analogies, and some numbers have no source. This lab turns each claim into an experiment you can run and check.',
  },
  outro: {
    zh: '先修什么、读哪几本书、按什么顺序，去“知识地图”里按你的目标规划；每条说法站不站得住，看“论断核查”。',
    en: 'What to learn first, which books and in what order: plan it in the Atlas for your goal. Whether each claim holds up: see Claims.',
  },
};

export function homePage(): Page {
  const figures = h('div', { class: 'key-figures' });
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
    h('h2', null, t('lenses')),
    h(
      'div',
      { class: 'lens-cards' },
      LENSES.map((l: Lens) => {
        const info = LENS_INFO[l];
        const n = experimentsOfLens(l).length;
        const card = h(
          'a',
          { class: 'lens-card', href: href(l), 'data-lens': l },
          h('h3', null, h('span', { class: 'mini-icon' }, info.icon), tr(info.name)),
          h('p', null, h('strong', null, tr(info.short))),
          h('p', { class: 'muted' }, tr(info.why)),
          h('span', { class: 'count' }, l === 'gpt' && n === 0 ? (lang() === 'zh' ? '在浏览器里训练' : 'train it in the browser') : `${n} ${t('experiments')}`),
        );
        card.style.setProperty('--lens', info.color);
        return card;
      }),
    ),
    h(
      'section',
      { class: 'answer' },
      h('h2', null, t('shortAnswer')),
      h('p', null, tr(ANSWER.intro)),
      h(
        'ol',
        null,
        LENSES.filter((l) => l !== 'gpt').map((l) =>
          h('li', null, h('a', { href: href(l) }, h('strong', null, tr(LENS_INFO[l].name))), ' — ', tr(LENS_INFO[l].why)),
        ),
      ),
      h('p', null, tr(ANSWER.outro), ' ', h('a', { href: href('atlas') }, `→ ${t('atlas')}`), ' · ', h('a', { href: href('claims') }, `→ ${t('claims')}`)),
      tally,
      h('h3', null, t('keyFigures')),
      figures,
    ),
  );
  void fill(figures, tally);
  return { el };
}

async function fill(figures: HTMLElement, tally: HTMLElement): Promise<void> {
  const stored = await allResults();
  // the newest run of each experiment
  const latest = new Map<string, ExperimentResult>();
  for (const s of stored) if (!latest.has(s.expId)) latest.set(s.expId, s.result);
  // verdict tally over claims (the latest verdict per claim)
  const perClaim = new Map<string, Verdict>();
  for (const r of latest.values()) for (const v of r.verdicts) if (!perClaim.has(v.claim)) perClaim.set(v.claim, v.verdict);
  const counts: Record<Verdict, number> = { reproduced: 0, partly: 0, 'not-reproduced': 0, untestable: 0 };
  for (const v of perClaim.values()) counts[v]++;
  tally.replaceChildren(
    h('span', null, lang() === 'zh' ? `原回答的 ${CLAIM_IDS.length} 条论断中，已核查 ${perClaim.size} 条：` : `Of the answer's ${CLAIM_IDS.length} claims, ${perClaim.size} checked so far:`),
    ...(Object.keys(counts) as Verdict[]).map((v) => h('span', null, verdictBadge(v), ` ${counts[v]}`)),
    h('span', { class: 'muted small' }, lang() === 'zh' ? `（本构建共 ${EXPERIMENTS.length} 个实验）` : `(${EXPERIMENTS.length} experiments in this build)`),
  );
  const cards: HTMLElement[] = [];
  for (const r of latest.values()) {
    const info = LENS_INFO[r.lens];
    const withRef = r.metrics.filter((m) => m.reference);
    const picks = (withRef.length ? withRef : r.metrics.slice(0, 1)).slice(0, 2);
    for (const m of picks) {
      const card = h(
        'a',
        { class: 'kf', href: href(r.lens, { exp: r.id }), 'data-kf': `${r.id}:${m.name}` },
        h('div', { class: 'kf-label' }, m.label ? tr(m.label) : m.name),
        h('div', { class: 'kf-value' }, fmt(m.value), ' ', h('small', { class: 'muted' }, m.unit === '1' ? '' : m.unit)),
        m.reference ? h('div', { class: 'kf-ref' }, `${t('reference')}: ${fmt(m.reference.value)} — ${m.reference.source}`) : null,
        h('div', { class: 'kf-ref' }, h('code', null, r.id)),
      );
      card.style.setProperty('--lens', info.color);
      cards.push(card);
    }
  }
  figures.replaceChildren(...(cards.length ? cards.slice(0, 12) : [h('p', { class: 'muted' }, t('noFigures'))]));
}
