/** Home: the learner's question, the five lenses, the short answer with key figures from stored runs. */
import { LENSES, type ExperimentResult, type Lens, type Verdict } from '../../../src/experiments/contract.js';
import { experimentsOfLens, EXPERIMENTS } from '../../../src/experiments/registry.js';
import { CLAIM_IDS } from '../../../src/atlas/claim-ids.js';
import { auditClaims, verdictCounts } from '../../../src/atlas/audit.js';
import { DEFAULT_SEED } from '../../../src/experiments/runner.js';
import { lab } from '../client.js';
import { h, fmt } from '../dom.js';
import { LENS_INFO, t, tr, lang } from '../i18n.js';
import { href } from '../state.js';
import { allResults, clearResults } from '../db.js';
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
  const runBtn = h('button', { class: 'primary', type: 'button', 'data-action': 'run-all' }, lang() === 'zh' ? `运行全部 ${EXPERIMENTS.length} 个快速实验` : `Run all ${EXPERIMENTS.length} quick experiments`);
  const stopBtn = h('button', { class: 'secondary', type: 'button', 'data-action': 'cancel-all', onclick: () => lab.cancelAll() }, t('cancel'));
  const runText = h('span', { class: 'progress-text' }, lang() === 'zh' ? '每个几秒钟，全部在本机计算；结果会保存，核查表随之更新。' : 'A few seconds each, all on this machine; results are saved and the audit fills in.');
  runBtn.addEventListener('click', () => void lab.runAll(EXPERIMENTS.map((e) => e.id), 'quick', DEFAULT_SEED));
  const clearBtn = h(
    'button',
    {
      class: 'link-button',
      type: 'button',
      'data-action': 'clear-results',
      onclick: async () => {
        if (lab.batch) return;
        if (!confirm(t('clearResults') + '?')) return;
        await clearResults();
        await fill(figures, tally);
      },
    },
    t('clearResults'),
  );
  const runAll = h('div', { class: 'run-row' }, runBtn, stopBtn, runText, clearBtn);
  let wasRunning = false;
  const updateRunAll = () => {
    const b = lab.batch;
    runBtn.disabled = !!b || !lab.backend;
    stopBtn.hidden = !b;
    if (b) {
      runText.textContent = `${b.done}/${b.total}${b.current ? ` · ${b.current}` : ''}${b.cancelled ? ` · ${t('cancelled')}` : ''}`;
      wasRunning = true;
    } else if (wasRunning) {
      runText.textContent = lang() === 'zh' ? '完成。结果已保存，核查表已更新。' : 'Done. The results are saved and the audit is updated.';
      wasRunning = false;
    }
  };
  updateRunAll();
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
          h('span', { class: 'count' }, l === 'gpt' && n === 0 ? (lang() === 'zh' ? '在浏览器里训练' : 'train it in the browser') : lang() === 'zh' ? `${n} 个实验` : `${n} experiment${n === 1 ? '' : 's'}`),
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
      runAll,
      h('h3', null, t('keyFigures')),
      figures,
    ),
  );
  void fill(figures, tally);
  let lastDone = -1;
  const unsub = lab.subscribe(() => {
    updateRunAll();
    const done = lab.batch?.done ?? -1;
    if (done !== lastDone) {
      lastDone = done;
      void fill(figures, tally);
    }
  });
  return { el, dispose: unsub };
}

async function fill(figures: HTMLElement, tally: HTMLElement): Promise<void> {
  const stored = await allResults();
  // the newest run of each experiment
  const latest = new Map<string, ExperimentResult>();
  for (const s of stored) if (!latest.has(s.expId)) latest.set(s.expId, s.result);
  // the audit over these results (the same rule as the Claims page: src/atlas/audit.ts)
  const audits = auditClaims([...latest.values()], { registered: EXPERIMENTS });
  const counts = verdictCounts(audits);
  const checked = audits.length - counts['not-run'];
  tally.replaceChildren(
    h('span', null, lang() === 'zh' ? `原回答的 ${CLAIM_IDS.length} 条论断中，已有结论 ${checked} 条：` : `Of the answer's ${CLAIM_IDS.length} claims, ${checked} have a verdict so far:`),
    ...(['reproduced', 'partly', 'not-reproduced', 'untestable'] as Verdict[]).map((v) => h('a', { href: href('claims', { verdict: v }) }, verdictBadge(v), ` ${counts[v]}`)),
    h('span', { class: 'muted small' }, lang() === 'zh' ? `（本构建共 ${EXPERIMENTS.length} 个实验）` : `(${EXPERIMENTS.length} experiments in this build)`),
  );
  const cards: HTMLElement[] = [];
  const order = new Map(EXPERIMENTS.map((e, i) => [e.id, i] as const));
  const ordered = [...latest.values()].sort((a, b) => (order.get(a.id) ?? 999) - (order.get(b.id) ?? 999));
  for (const r of ordered) {
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
