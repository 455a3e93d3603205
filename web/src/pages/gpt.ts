/**
 * GPT: train the tiny GPT of src/gpt in the browser (in the worker) with a live loss curve and
 * samples as it learns, then its attention maps, and score a pasted text with it (the ideal
 * arithmetic-coding length under the model, beside gzip). The last session is saved to IndexedDB,
 * and so is the trained model (one per corpus × model size): a reload brings it back, with a line
 * saying when it was trained and a button to forget it.
 */
import type { ExperimentResult } from '../../../src/experiments/contract.js';
import { GPT_CONFIGS, GPT_CONFIG_NAMES, parameterCount } from '../../../src/gpt/index.js';
import { h, svgEl, fmt } from '../dom.js';
import { LENS_INFO, t, tr, lang } from '../i18n.js';
import { replace, state } from '../state.js';
import { lab } from '../client.js';
import { allResults, saveResult } from '../db.js';
import { figureView } from '../ui/figure.js';
import { resultView } from '../ui/result.js';
import { tex } from '../ui/tex.js';
import type { TrainArgs, TrainEvent, ScoreResult, ModelInfo, LoadResult } from '../tasks.js';
import type { Page } from './page.js';
import { experimentsOfLens } from '../../../src/experiments/registry.js';
import { href } from '../state.js';
import { experimentView } from './lens.js';

const GPT_ID = 'gpt.browser-train';
const NANOGPT_BABY_BPC = 2.71;

const L = {
  intro: {
    zh: '这是一个完全用 TypeScript 写成、在你浏览器的 Web Worker 里训练的字符级 GPT（结构同 GPT-2：词嵌入、位置嵌入、多头因果自注意力、MLP、LayerNorm）。训练用 AdamW、预热加余弦退火和梯度裁剪——正是“控制论”透镜里讲的那一套。损失以“比特/字符”计，就是“信息论”透镜里的交叉熵。',
    en: 'A character-level GPT written entirely in TypeScript and trained in a Web Worker in your browser (the GPT-2 design: token and position embeddings, multi-head causal self-attention, MLP, LayerNorm). It trains with AdamW, warmup plus cosine decay and gradient clipping — the machinery of the control lens. Its loss, in bits per character, is the cross-entropy of the information lens.',
  },
  train: { zh: '开始训练', en: 'Train' },
  corpus: { zh: '语料', en: 'Corpus' },
  config: { zh: '模型规模', en: 'Model size' },
  steps: { zh: '训练步数', en: 'Steps' },
  curve: { zh: '损失曲线（比特/字符）', en: 'Loss curve (bits per character)' },
  samples: { zh: '边学边写：生成样例', en: 'Samples as it learns' },
  attention: { zh: '注意力热图', en: 'Attention maps' },
  attentionCap: {
    zh: '每一行是一个位置“看向”之前各位置的权重（因果掩码使右上角为零）。换一层看看：低层多看相邻字符，高层的模式更分散。',
    en: 'Each row is where one position looks among the earlier ones (the causal mask zeroes the upper right). Compare layers: lower layers tend to look at neighbours, higher ones spread out.',
  },
  layer: { zh: '层', en: 'Layer' },
  compress: { zh: '用模型压缩一段文字', en: 'Compress a text with the model' },
  compressHelp: {
    zh: '粘贴一段文字。模型给每个字符一个概率，算术编码能把它压到约 −log₂p 比特——下面给出这个理想长度（不计模型本身的大小），并与浏览器自带的 gzip 比较。颜色越深，模型越“意外”。',
    en: 'Paste a text. The model gives each character a probability; an arithmetic coder gets within two bytes of −log₂p bits in total — shown below (the model’s own size not counted), beside the browser’s built-in gzip. Darker means more surprising to the model.',
  },
  score: { zh: '压缩', en: 'Compress' },
  needModel: {
    zh: '先训练一个模型。训练好的模型会保存在这个浏览器里，重新加载页面后自动恢复。',
    en: 'Train a model first. A trained model is saved in this browser and comes back after a reload.',
  },
  sample: { zh: '生成一段', en: 'Sample' },
  training: { zh: '训练中……训练完成后模型会保存在这个浏览器里。', en: 'Training… the model is saved in this browser when it finishes.' },
  forget: { zh: '忘掉这个模型', en: 'Forget this model' },
  noSaved: { zh: '这个语料和规模还没有保存的模型：训练一个吧。', en: 'No saved model for this corpus and size: train one.' },
  loading: { zh: '正在查找保存的模型…', en: 'Looking for a saved model…' },
  forgotten: { zh: '已忘掉：浏览器里不再保存这个模型。', en: 'Forgotten: the model is no longer kept in this browser.' },
  last: { zh: '上一次训练（已保存）', en: 'Last training session (saved)' },
  stats: { zh: '状态', en: 'Status' },
};

interface Session {
  points: { step: number; loss: number }[];
  val: { step: number; bpc: number; trainBpc: number }[];
  samples: { step: number; text: string }[];
  start?: Extract<TrainEvent, { type: 'start' }>;
  tokensPerSec: number;
}

type TrainArgsUI = Omit<TrainArgs, 'prompt'>;

/** The training session lives outside the page, so switching language or page does not stop it. */
interface Live {
  id: number;
  args: TrainArgsUI;
  session: Session;
  status: 'running' | 'done' | 'cancelled' | 'error';
  error?: string;
  wallMs?: number;
  attention?: { tokens: string[]; layers: number[][][][] };
  handle?: { cancel(): void };
}
let live: Live | undefined;
let liveId = 0;
/** the model in the worker (trained or loaded), or null when there is none for the page's choice */
let modelInfo: ModelInfo | null = null;
let modelNote: 'none' | 'loading' | 'training' | 'forgotten' | 'error' = 'loading';
/** set by the page shown: bring back the saved model after a cancelled or failed training */
let reloadSaved: (() => void) | undefined;
let modelError = '';
/** the attention maps shown, and where they come from */
let attn: { id: string; tokens: string[]; layers: number[][][][] } | undefined;
let loads = 0;
/** a sample drawn outside training (after a load, or with the Sample button) */
let pageSample: string | undefined;
const liveListeners = new Set<() => void>();
function onLive(fn: () => void): () => void {
  liveListeners.add(fn);
  return () => liveListeners.delete(fn);
}
function emitLive(): void {
  for (const fn of [...liveListeners]) fn();
}

function startTraining(args: TrainArgsUI): void {
  if (live?.status === 'running') return;
  const l: Live = { id: ++liveId, args, session: { points: [], val: [], samples: [], tokensPerSec: 0 }, status: 'running' };
  live = l;
  pageSample = undefined;
  attn = undefined;
  modelInfo = null;
  modelNote = 'training';
  const t0 = performance.now();
  const task = lab.task<unknown>('gpt-train', args, (ev) => {
    const e = ev as TrainEvent;
    if (e.type === 'start') l.session.start = e;
    else if (e.type === 'steps') {
      for (const pt of e.points) l.session.points.push({ step: pt.step, loss: pt.loss / Math.LN2 });
      l.session.tokensPerSec = e.tokensPerSec;
    } else if (e.type === 'val') l.session.val.push({ step: e.step, bpc: e.bpc, trainBpc: e.trainBpc });
    else if (e.type === 'sample') l.session.samples.push({ step: e.step, text: e.text });
    else if (e.type === 'attention') {
      l.attention = { tokens: e.tokens, layers: e.layers };
      attn = { id: `train-${l.id}`, ...l.attention };
    }
    emitLive();
  });
  l.handle = task;
  emitLive();
  task.promise.then(
    async (value) => {
      l.wallMs = performance.now() - t0;
      l.status = 'done';
      modelInfo = (value as { model?: ModelInfo } | undefined)?.model ?? null;
      await saveResult(toResult(l.session, args, l.wallMs));
      emitLive();
    },
    (err: Error & { aborted?: boolean }) => {
      l.status = err.aborted ? 'cancelled' : 'error';
      l.error = err.message;
      modelNote = 'none';
      emitLive();
      reloadSaved?.(); // the worker dropped its model when training began; the saved one (if any) comes back
    },
  );
}

export function gptPage(): Page {
  const s = state();
  const p = s.params;
  const corpusSel = h('select', { name: 'corpus' }, ['shakespeare', 'tang', 'song'].map((c) => h('option', { value: c, selected: (p.train_corpus ?? 'shakespeare') === c }, c)));
  const configSel = h(
    'select',
    { name: 'config' },
    GPT_CONFIG_NAMES.map((c) => {
      const cfg = GPT_CONFIGS[c];
      return h('option', { value: c, selected: (p.train_config ?? 'nano') === c }, `${c} — ${cfg.nLayer}L ${cfg.nHead}H ${cfg.nEmbd}C T${cfg.blockSize} (~${fmt(Math.round(parameterCount(cfg, 65) / 1000))}k)`);
    }),
  );
  const stepsIn = h('input', { type: 'number', name: 'steps', min: '10', max: '20000', value: p.train_steps ?? '300', style: { width: '6rem' } });
  const seedIn = h('input', { type: 'number', name: 'seed', value: String(s.seed ?? 1337), style: { width: '6rem' } });
  const trainBtn = h('button', { class: 'primary', type: 'button', 'data-action': 'train' }, tr(L.train));
  const cancelBtn = h('button', { class: 'secondary', type: 'button', 'data-action': 'cancel', disabled: true }, t('cancel'));
  const status = h('div', { class: 'progress-text', 'data-gpt-status': 'idle' });
  const curveBox = h('div', { class: 'curve-box' });
  const samplesBox = h('pre', { class: 'samples' }, '—');
  const attnBox = h('div', { class: 'attn-box' }, h('p', { class: 'muted' }, tr(L.needModel)));
  const savedBox = h('div');
  const modelLine = h('div', { class: 'model-line muted small', 'data-model-state': 'loading' });
  const sampleBtn = h('button', { class: 'secondary', type: 'button', 'data-action': 'sample', disabled: true }, tr(L.sample));

  const when = (iso: string) => new Date(iso).toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  const renderModelLine = () => {
    const m = modelInfo;
    if (!m) {
      modelLine.setAttribute('data-model-state', modelNote);
      modelLine.replaceChildren(modelNote === 'loading' ? tr(L.loading) : modelNote === 'training' ? tr(L.training) : modelNote === 'forgotten' ? tr(L.forgotten) : modelNote === 'error' ? modelError : tr(L.noSaved));
      return;
    }
    const what =
      lang() === 'zh'
        ? `${m.config}，${m.corpus}，${m.steps} 步，种子 ${m.seed}${m.valBpc !== undefined ? `，留出集 ${fmt(m.valBpc, 3)} 比特/字符` : ''}`
        : `${m.config}, ${m.corpus}, ${m.steps} steps, seed ${m.seed}${m.valBpc !== undefined ? `, held-out ${fmt(m.valBpc, 3)} bpc` : ''}`;
    const head =
      m.source === 'loaded'
        ? lang() === 'zh'
          ? `已载入 ${when(m.trainedAt)} 训练的模型（${what}），无需重新训练。`
          : `Loaded the model trained at ${when(m.trainedAt)} (${what}); no retraining needed.`
        : m.saveError
          ? lang() === 'zh'
            ? `${when(m.trainedAt)} 训练的模型（${what}）没能保存：${m.saveError}`
            : `The model trained at ${when(m.trainedAt)} (${what}) could not be saved: ${m.saveError}`
          : lang() === 'zh'
            ? `${when(m.trainedAt)} 训练的模型（${what}）已保存在这个浏览器里，重新加载页面后会自动恢复。`
            : `The model trained at ${when(m.trainedAt)} (${what}) is saved in this browser and comes back after a reload.`;
    modelLine.setAttribute('data-model-state', m.source === 'loaded' ? 'loaded' : m.saveError ? 'unsaved' : 'saved');
    modelLine.setAttribute('data-trained-at', m.trainedAt);
    modelLine.replaceChildren(
      h('span', { 'data-model-text': '' }, head),
      ' ',
      h('button', { class: 'link-button', type: 'button', 'data-action': 'forget-model', disabled: live?.status === 'running', onclick: forget }, tr(L.forget)),
    );
  };

  /** Make the worker's model the saved one for the chosen corpus and size (none if none is saved). */
  const requestLoad = () => {
    if (live?.status === 'running') return;
    const corpus = corpusSel.value;
    const config = configSel.value;
    const n = ++loads;
    if (!modelInfo || modelInfo.corpus !== corpus || modelInfo.config !== config) {
      modelInfo = null;
      modelNote = 'loading';
      emitLive();
    }
    lab.task<LoadResult | null>('gpt-load', { corpus, config }, () => {}).promise.then(
      (r) => {
        if (n !== loads || live?.status === 'running') return; // a newer choice, or a training, took over
        modelInfo = r?.info ?? null;
        modelNote = 'none';
        if (r) {
          attn = { id: `load-${n}`, ...r.attention };
          pageSample = r.sample;
        } else {
          attn = undefined;
          pageSample = undefined;
        }
        emitLive();
      },
      (err: Error) => {
        if (n !== loads) return;
        modelInfo = null;
        modelNote = 'error';
        modelError = err.message;
        emitLive();
      },
    );
  };
  function forget(): void {
    const corpus = modelInfo?.corpus ?? corpusSel.value;
    const config = modelInfo?.config ?? configSel.value;
    lab.task<null>('gpt-forget', { corpus, config }, () => {}).promise.then(
      () => {
        loads++;
        modelInfo = null;
        modelNote = 'forgotten';
        attn = undefined;
        pageSample = undefined;
        emitLive();
      },
      (err: Error) => {
        modelNote = 'error';
        modelError = err.message;
        emitLive();
      },
    );
  }
  sampleBtn.addEventListener('click', () => {
    sampleBtn.disabled = true;
    lab.task<{ text: string }>('gpt-sample', { chars: 240 }, () => {}).promise.then(
      (r) => {
        pageSample = r.text;
        emitLive();
      },
      (err: Error) => {
        pageSample = /train the model first/.test(err.message) ? tr(L.needModel) : err.message;
        if (/train the model first/.test(err.message) && modelInfo) requestLoad();
        emitLive();
      },
    );
  });
  corpusSel.addEventListener('change', requestLoad);
  configSel.addEventListener('change', requestLoad);

  const redraw = () => {
    const session = live?.session ?? { points: [], val: [], samples: [], tokensPerSec: 0 };
    const args = live?.args;
    curveBox.replaceChildren(lossChart(session, (args?.config ?? configSel.value) === 'baby' && (args?.corpus ?? corpusSel.value) === 'shakespeare'));
    const texts = session.samples
      .slice(-4)
      .reverse()
      .map((x) => `── ${lang() === 'zh' ? `第 ${x.step} 步` : `step ${x.step}`} ──\n${x.text}`);
    if (pageSample !== undefined) texts.unshift(`── ${lang() === 'zh' ? '样例' : 'sample'} ──\n${pageSample}`);
    samplesBox.textContent = texts.length ? texts.join('\n\n') : '—';
    const running = live?.status === 'running';
    trainBtn.disabled = running || !lab.backend;
    cancelBtn.disabled = !running;
    sampleBtn.disabled = running || !modelInfo;
    renderModelLine();
    status.setAttribute('data-gpt-status', live?.status ?? 'idle');
    if (live) {
      const last = session.points[session.points.length - 1];
      const v = session.val[session.val.length - 1];
      const zh = lang() === 'zh';
      const val = v ? (zh ? ` · 留出集 ${fmt(v.bpc, 3)} 比特/字符` : ` · val ${fmt(v.bpc, 3)} bpc`) : '';
      status.textContent =
        live.status === 'running'
          ? last
            ? zh
              ? `${t('running')} · 第 ${last.step}/${live.args.steps} 步 · ${fmt(last.loss, 3)} 比特/字符（训练批次）${val} · 每秒 ${fmt(Math.round(session.tokensPerSec))} 个词元`
              : `${t('running')} · step ${last.step}/${live.args.steps} · ${fmt(last.loss, 3)} bpc (train batch)${val} · ${fmt(Math.round(session.tokensPerSec))} tok/s`
            : `${t('running')}…`
          : live.status === 'done'
            ? `${t('done')} · ${live.args.steps} ${zh ? '步' : 'steps'} · ${((live.wallMs ?? 0) / 1000).toFixed(1)} s${val}`
            : live.status === 'cancelled'
              ? t('cancelled')
              : `${t('failed')}: ${live.error ?? ''}`;
    }
    if (attn && attnBox.getAttribute('data-for') !== attn.id) {
      attnBox.setAttribute('data-for', attn.id);
      attnBox.replaceChildren(attentionView(attn.tokens, attn.layers));
    } else if (!attn && attnBox.getAttribute('data-for') !== 'none') {
      attnBox.setAttribute('data-for', 'none');
      attnBox.replaceChildren(h('p', { class: 'muted' }, tr(L.needModel)));
    }
  };
  redraw();
  const unsubLive = onLive(redraw);
  const unsubLab = lab.subscribe(redraw);

  trainBtn.addEventListener('click', () => {
    const args = {
      corpus: corpusSel.value,
      config: configSel.value,
      steps: Math.max(10, Math.min(20000, Number(stepsIn.value) || 300)),
      seed: Number(seedIn.value) || 1337,
      evalEvery: 0,
      sampleEvery: 0,
    };
    args.evalEvery = Math.max(10, Math.round(args.steps / 10));
    args.sampleEvery = Math.max(10, Math.round(args.steps / 5));
    replace({ seed: args.seed, params: { train_corpus: args.corpus, train_config: args.config, train_steps: String(args.steps) } });
    startTraining(args);
    savedBox.replaceChildren();
  });
  cancelBtn.addEventListener('click', () => live?.handle?.cancel());

  // ---- compress a pasted text
  const area = h('textarea', { name: 'text', placeholder: lang() === 'zh' ? '在这里粘贴文字…' : 'Paste a text here…' });
  area.value = 'To be, or not to be, that is the question:\nWhether \'tis nobler in the mind to suffer\nThe slings and arrows of outrageous fortune,';
  const scoreOut = h('div', { class: 'score-out' });
  const scoreBtn = h(
    'button',
    {
      class: 'primary',
      type: 'button',
      'data-action': 'score',
      onclick: () => {
        scoreOut.textContent = '…';
        lab.task<ScoreResult>('gpt-score', { text: area.value }, () => {}).promise.then(
          (r) => scoreOut.replaceChildren(scoreView(r)),
          (err: Error) => {
            scoreOut.replaceChildren(h('p', { class: 'muted' }, /train the model first/.test(err.message) ? tr(L.needModel) : err.message));
            // a restarted worker (after a run that ignored Cancel) lost its model: bring the saved one back
            if (/train the model first/.test(err.message) && modelInfo) requestLoad();
          },
        );
      },
    },
    tr(L.score),
  );

  const info = LENS_INFO.gpt;
  const el = h(
    'div',
    { class: 'page gpt', 'data-page': 'gpt', style: { '--lens': info.color } },
    h('header', { class: 'lens-hero' }, h('div', { class: 'lens-icon' }, info.icon), h('div', null, h('h1', null, t('gpt')), h('p', { class: 'lead' }, tr(L.intro)))),
    h(
      'div',
      { class: 'formulas' },
      h('div', { class: 'formula' }, tex('\\mathcal{L} = -\\frac{1}{T}\\sum_{t} \\log_2 p_\\theta(x_t \\mid x_{<t}) \\ \\text{bits/char}'), h('div', { class: 'formula-label muted' }, lang() === 'zh' ? '训练目标：交叉熵，也是压缩长度' : 'the objective: cross-entropy, which is also a code length')),
      h('div', { class: 'formula' }, tex('\\mathrm{Attn}(Q,K,V) = \\operatorname{softmax}\\!\\Big(\\frac{QK^\\top}{\\sqrt{D}} + M\\Big) V'), h('div', { class: 'formula-label muted' }, lang() === 'zh' ? '因果自注意力（M 为掩码）' : 'causal self-attention (M the mask)')),
    ),
    h(
      'section',
      { class: 'card' },
      h(
        'div',
        { class: 'planner-form', style: { marginTop: '0.8rem' } },
        h('label', { class: 'param' }, h('span', { class: 'param-key' }, tr(L.corpus)), corpusSel),
        h('label', { class: 'param' }, h('span', { class: 'param-key' }, tr(L.config)), configSel),
        h('label', { class: 'param' }, h('span', { class: 'param-key' }, tr(L.steps)), stepsIn),
        h('label', { class: 'param' }, h('span', { class: 'param-key' }, t('seed')), seedIn),
        trainBtn,
        cancelBtn,
      ),
      modelLine,
      h('p', { class: 'muted small' }, lang() === 'zh'
        ? `参考：nanoGPT 的 CPU “baby GPT”（4 层、4 头、128 宽、2000 步）在 tiny shakespeare 上验证损失 1.88 nats（${NANOGPT_BABY_BPC} 比特/字符），笔记本 CPU 约 3 分钟。nano 几十秒就能看到它从乱码学会单词。`
        : `Reference: nanoGPT's CPU "baby GPT" (4 layers, 4 heads, 128 wide, 2000 iterations) reaches val loss 1.88 nats (${NANOGPT_BABY_BPC} bits/char) on tiny shakespeare in about 3 minutes on a laptop CPU. nano goes from noise to words in under a minute.`),
      status,
    ),
    h(
      'div',
      { class: 'gpt-grid', style: { marginTop: '1rem' } },
      h('section', { class: 'card' }, h('h3', null, tr(L.curve)), curveBox),
      h('section', { class: 'card' }, h('h3', null, tr(L.samples)), samplesBox, h('div', { class: 'run-row' }, sampleBtn)),
    ),
    h('section', { class: 'card', style: { marginTop: '1rem' } }, h('h3', null, tr(L.attention)), h('p', { class: 'muted small' }, tr(L.attentionCap)), attnBox),
    h('section', { class: 'card', style: { marginTop: '1rem' } }, h('h3', null, tr(L.compress)), h('p', { class: 'muted small' }, tr(L.compressHelp)), area, h('div', { class: 'run-row' }, scoreBtn), scoreOut),
    savedBox,
  );
  // the GPT's registered experiments (src/gpt/experiments.ts), with the same panel as the lens pages
  const exps = experimentsOfLens('gpt');
  let expView: Page | undefined;
  if (exps.length) {
    const chosen = exps.find((e) => e.id === s.exp) ?? exps[0]!;
    expView = experimentView(chosen);
    el.append(
      h('h2', { style: { marginTop: '2rem' } }, lang() === 'zh' ? '小型 GPT 的实验' : 'Experiments of the tiny GPT'),
      h(
        'div',
        { class: 'lens-body' },
        h('nav', { class: 'exp-list' }, exps.map((e) => h('a', { href: href('gpt', { exp: e.id }), class: e.id === chosen.id ? 'active' : '', 'data-exp': e.id }, h('span', { class: 'exp-title' }, tr(e.title)), h('code', { class: 'exp-id' }, e.id)))),
        expView.el,
      ),
    );
  }
  void allResults().then((rs) => {
    const last = rs.find((r) => r.expId === GPT_ID);
    if (last && !live) savedBox.replaceChildren(h('section', { class: 'card', style: { marginTop: '1rem' } }, h('h3', null, tr(L.last)), resultView(last.result)));
  });
  // the model for this corpus and size: the one in the worker, or the one saved in IndexedDB
  reloadSaved = requestLoad;
  requestLoad();
  return {
    el,
    dispose: () => {
      if (reloadSaved === requestLoad) reloadSaved = undefined;
      unsubLive();
      unsubLab();
      expView?.dispose?.();
    },
  };
}

/** A hand-drawn SVG line chart (cheap to redraw at every update): train-batch bpc and held-out bpc. */
function lossChart(s: Session, showRef: boolean): SVGSVGElement {
  const W = 560, H = 280, m = { l: 44, r: 12, t: 12, b: 34 };
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', 'data-chart': 'loss' });
  const pts = s.points;
  const maxStep = Math.max(10, pts.length ? pts[pts.length - 1]!.step : 10);
  const ys = [...pts.map((p) => p.loss), ...s.val.map((v) => v.bpc), showRef ? NANOGPT_BABY_BPC : 2];
  // the range comes from the data (a large vocabulary such as the Tang corpus starts far above 8 bits)
  const finite = ys.filter((v) => Number.isFinite(v));
  const yMax = Math.max(...finite, 3) * 1.05;
  const yMin = Math.max(0, Math.min(...finite) * 0.9);
  const x = (st: number) => m.l + ((W - m.l - m.r) * st) / maxStep;
  const y = (v: number) => m.t + ((H - m.t - m.b) * (yMax - Math.min(v, yMax))) / (yMax - yMin);
  const axis = svgEl('g', { 'font-size': 10, fill: '#66707c' });
  for (let i = 0; i <= 4; i++) {
    const v = yMin + ((yMax - yMin) * i) / 4;
    axis.append(svgEl('line', { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v), stroke: '#eee' }));
    const tx = svgEl('text', { x: m.l - 6, y: y(v) + 3, 'text-anchor': 'end' });
    tx.textContent = v.toFixed(1);
    axis.append(tx);
  }
  for (let i = 0; i <= 4; i++) {
    const st = Math.round((maxStep * i) / 4);
    const tx = svgEl('text', { x: x(st), y: H - m.b + 14, 'text-anchor': 'middle' });
    tx.textContent = String(st);
    axis.append(tx);
  }
  const xl = svgEl('text', { x: (W + m.l) / 2, y: H - 4, 'text-anchor': 'middle' });
  xl.textContent = 'step';
  axis.append(xl);
  svg.append(axis);
  if (showRef) {
    svg.append(svgEl('line', { x1: m.l, x2: W - m.r, y1: y(NANOGPT_BABY_BPC), y2: y(NANOGPT_BABY_BPC), stroke: '#c0392b', 'stroke-dasharray': '4 3' }));
    const tx = svgEl('text', { x: W - m.r - 4, y: y(NANOGPT_BABY_BPC) - 4, 'text-anchor': 'end', 'font-size': 10, fill: '#c0392b' });
    tx.textContent = `nanoGPT baby ${NANOGPT_BABY_BPC}`;
    svg.append(tx);
  }
  if (pts.length > 1) {
    // raw batch losses (light) and an exponential moving average (dark)
    svg.append(svgEl('polyline', { points: pts.map((p) => `${x(p.step).toFixed(1)},${y(p.loss).toFixed(1)}`).join(' '), fill: 'none', stroke: '#34495e33', 'stroke-width': 1 }));
    let ema = pts[0]!.loss;
    const sm = pts.map((p) => ((ema = 0.9 * ema + 0.1 * p.loss), `${x(p.step).toFixed(1)},${y(ema).toFixed(1)}`));
    svg.append(svgEl('polyline', { points: sm.join(' '), fill: 'none', stroke: '#34495e', 'stroke-width': 2 }));
  }
  if (s.val.length) {
    svg.append(svgEl('polyline', { points: s.val.map((v) => `${x(v.step)},${y(v.bpc)}`).join(' '), fill: 'none', stroke: '#d68910', 'stroke-width': 2 }));
    for (const v of s.val) {
      const c = svgEl('circle', { cx: x(v.step), cy: y(v.bpc), r: 3.5, fill: '#d68910' });
      const title = svgEl('title');
      title.textContent = lang() === 'zh' ? `第 ${v.step} 步：留出集 ${v.bpc.toFixed(3)}，训练 ${v.trainBpc.toFixed(3)} 比特/字符` : `step ${v.step}: held-out ${v.bpc.toFixed(3)} bpc, train ${v.trainBpc.toFixed(3)} bpc`;
      c.append(title);
      svg.append(c);
    }
  }
  const legend = svgEl('g', { 'font-size': 11 });
  const item = (i: number, color: string, label: string) => {
    legend.append(svgEl('rect', { x: m.l + 10 + i * 150, y: m.t + 4, width: 12, height: 3, fill: color }));
    const tx = svgEl('text', { x: m.l + 26 + i * 150, y: m.t + 9, fill: '#333' });
    tx.textContent = label;
    legend.append(tx);
  };
  item(0, '#34495e', lang() === 'zh' ? '训练批次（平滑）' : 'train batch (smoothed)');
  item(1, '#d68910', lang() === 'zh' ? '留出集' : 'held-out');
  svg.append(legend);
  return svg;
}

function attentionView(tokens: string[], layers: number[][][][]): HTMLElement {
  const box = h('div');
  const show = (l: number) => {
    const heads = layers[l] ?? [];
    const values: { head: string; q: string; k: string; w: number }[] = [];
    const label = (i: number) => `${String(i).padStart(2, '0')} ${tokens[i] === '\n' ? '⏎' : tokens[i] === ' ' ? '␣' : tokens[i]}`;
    heads.forEach((mat, hh) => mat.forEach((row, qi) => row.forEach((w, ki) => {
      if (ki <= qi) values.push({ head: lang() === 'zh' ? `第 ${hh} 个头` : `head ${hh}`, q: label(qi), k: label(ki), w });
    })));
    const spec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      data: { values },
      facet: { field: 'head', type: 'nominal', title: null },
      columns: 2,
      spec: {
        width: 260,
        height: 260,
        mark: 'rect',
        encoding: {
          x: { field: 'k', type: 'ordinal', sort: null, title: lang() === 'zh' ? '被看的位置' : 'key (looked at)', axis: { labelFontSize: 7, labelAngle: -90 } },
          y: { field: 'q', type: 'ordinal', sort: null, title: lang() === 'zh' ? '当前位置' : 'query (looking)', axis: { labelFontSize: 7 } },
          color: { field: 'w', type: 'quantitative', scale: { scheme: 'greys', domain: [0, 1] }, title: { en: 'weight', zh: '权重' } },
          tooltip: [{ field: 'q', title: { en: 'query', zh: '当前位置' } }, { field: 'k', title: { en: 'key', zh: '被看的位置' } }, { field: 'w', format: '.3f', title: { en: 'weight', zh: '权重' } }],
        },
      },
    };
    figHolder.replaceChildren(figureView({ id: `attention-l${l}`, title: { zh: `第 ${l} 层`, en: `layer ${l}` }, spec }));
  };
  const figHolder = h('div');
  const sel = h('select', { name: 'layer', onchange: () => show(Number(sel.value)) }, layers.map((_, i) => h('option', { value: String(i) }, `${tr(L.layer)} ${i}`)));
  box.append(h('label', null, `${tr(L.layer)}: `, sel), h('div', { class: 'muted small' }, JSON.stringify(tokens.join(''))), figHolder);
  show(0);
  return box;
}

function scoreView(r: ScoreResult): HTMLElement {
  const maxBits = 12;
  const text = h('div', { class: 'surprisal', style: { fontFamily: 'ui-monospace, monospace', whiteSpace: 'pre-wrap', lineHeight: '1.6', marginTop: '0.6rem' } });
  for (const c of r.surprisal) {
    const a = Math.min(1, c.bits / maxBits);
    const sp = h('span', { title: `${JSON.stringify(c.ch)}: ${c.bits.toFixed(2)} bits`, style: { background: `rgba(192,57,43,${a.toFixed(3)})`, color: a > 0.55 ? '#fff' : '#111' } }, c.ch);
    text.append(sp);
  }
  const ratio = (b: number) => `${((100 * b) / r.utf8Bytes).toFixed(1)}%`;
  return h(
    'div',
    null,
    h(
      'table',
      { class: 'table', style: { maxWidth: '56rem' } },
      h('tbody', null,
        h('tr', null, h('td', null, lang() === 'zh' ? '字符数 / UTF-8 字节' : 'characters / UTF-8 bytes'), h('td', { class: 'num' }, `${r.chars} / ${r.utf8Bytes}`)),
        h('tr', null, h('td', null, lang() === 'zh' ? '模型：比特/字符' : 'model: bits per character'), h('td', { class: 'num', 'data-score': 'bpc' }, r.bpc.toFixed(3))),
        h('tr', null, h('td', null, lang() === 'zh' ? '模型：理想算术编码长度（不含模型）' : 'model: ideal arithmetic-coded size (model not counted)'), h('td', { class: 'num' }, `${r.modelBytes} B · ${ratio(r.modelBytes)}`)),
        r.gzipBytes !== undefined ? h('tr', null, h('td', null, lang() === 'zh' ? 'gzip（浏览器 CompressionStream，默认级别）' : 'gzip (browser CompressionStream, default level)'), h('td', { class: 'num' }, `${r.gzipBytes} B · ${ratio(r.gzipBytes)}`)) : null,
        r.zip
          ? [
              h('tr', null, h('td', null, lang() === 'zh' ? '实际压缩：GPT + 上下文混合 + 区间编码（fivelens zip 的编码器，含 54 字节文件头与分块信息）' : 'real file: GPT + context mixing + range coder (the fivelens zip codec, 54 bytes of header and block framing included)'), h('td', { class: 'num', 'data-score': 'zip' }, `${r.zip.gptBytes} B · ${ratio(r.zip.gptBytes)}`)),
              h('tr', null, h('td', null, lang() === 'zh' ? '实际压缩：只用上下文混合（不用 GPT）' : 'real file: context mixing alone (no GPT)'), h('td', { class: 'num' }, `${r.zip.onlineBytes} B · ${ratio(r.zip.onlineBytes)}`)),
              h('tr', null, h('td', null, lang() === 'zh' ? '解压后逐字节一致' : 'decompressed byte for byte'), h('td', { class: 'num', 'data-score': 'roundtrip' }, r.zip.roundTrip ? '✓' : '✗')),
              h('tr', null, h('td', null, lang() === 'zh' ? '模型检查点大小（解压双方都需要，未计入上面）' : 'the checkpoint both sides need (not counted above)'), h('td', { class: 'num' }, `${fmt(r.zip.checkpointBytes)} B`)),
            ]
          : h('tr', null, h('td', { colspan: 2, class: 'muted' }, r.zipError ?? '')),
        r.oov ? h('tr', null, h('td', null, lang() === 'zh' ? '模型词表外的字符（按替换符编码）' : 'characters outside the vocabulary (coded as the replacement)'), h('td', { class: 'num' }, String(r.oov))) : null,
      ),
    ),
    text,
  );
}

function toResult(s: Session, args: { corpus: string; config: string; steps: number; seed: number }, wallTimeMs: number): ExperimentResult {
  const v = s.val[s.val.length - 1];
  const ref = args.config === 'baby' && args.corpus === 'shakespeare' && args.steps >= 2000;
  const curve = [
    ...s.points.filter((_, i) => i % Math.max(1, Math.floor(s.points.length / 300)) === 0).map((p) => ({ step: p.step, bpc: p.loss, series: { en: 'train batch', zh: '训练批次' } })),
    ...s.val.map((x) => ({ step: x.step, bpc: x.bpc, series: { en: 'held-out', zh: '留出集' } })),
  ];
  return {
    id: GPT_ID,
    lens: 'gpt',
    preset: 'custom',
    params: args,
    seed: args.seed,
    backend: s.start?.backend ?? lab.backend?.name ?? 'unknown',
    versions: { fivelens: '0.1.0' },
    wallTimeMs,
    startedAt: new Date(Date.now() - wallTimeMs).toISOString(),
    metrics: [
      ...(v
        ? [{ name: 'val_bpc', value: v.bpc, unit: 'bits/char', label: { zh: '留出集比特/字符（浏览器里训练的 GPT）', en: 'held-out bits/char (GPT trained in the browser)' }, ...(ref ? { reference: { value: NANOGPT_BABY_BPC, source: 'nanoGPT baby GPT, 2000 iters' } } : {}) }]
        : []),
      { name: 'tokens_per_sec', value: Math.round(s.tokensPerSec), unit: 'tokens/s', label: { zh: '训练吞吐', en: 'training throughput' } },
      ...(s.start ? [{ name: 'parameters', value: s.start.params, unit: '1', label: { zh: '参数量', en: 'parameters' } }] : []),
    ],
    figures: [
      {
        id: 'gpt-loss',
        title: { zh: '训练曲线', en: 'Training curve' },
        spec: {
          $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
          width: 480,
          height: 240,
          data: { values: curve },
          mark: { type: 'line', point: false },
          encoding: {
            x: { field: 'step', type: 'quantitative', title: { en: 'step', zh: '步数' } },
            y: { field: 'bpc', type: 'quantitative', title: { en: 'bits per character', zh: '比特/字符' }, scale: { zero: false } },
            color: { field: 'series', type: 'nominal', title: { en: 'curve', zh: '曲线' } },
            tooltip: [{ field: 'step', title: { en: 'step', zh: '步数' } }, { field: 'bpc', format: '.3f', title: { en: 'bits per character', zh: '比特/字符' } }, { field: 'series', title: { en: 'curve', zh: '曲线' } }],
          },
        },
      },
    ],
    findings: v
      ? [{
          zh: `${args.config} 在 ${args.corpus} 上训练 ${args.steps} 步，留出集 ${v.bpc.toFixed(3)} 比特/字符${ref ? `（nanoGPT 同配置 ${NANOGPT_BABY_BPC}）` : ''}。最后的样例：${s.samples[s.samples.length - 1]?.text.slice(0, 80) ?? ''}`,
          en: `${args.config} trained ${args.steps} steps on ${args.corpus}: held-out ${v.bpc.toFixed(3)} bits/char${ref ? ` (nanoGPT, same config: ${NANOGPT_BABY_BPC})` : ''}. Last sample: ${s.samples[s.samples.length - 1]?.text.slice(0, 80) ?? ''}`,
        }]
      : [],
    verdicts: [],
  };
}
