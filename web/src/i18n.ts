/** UI strings in Chinese and English, and the lenses' names and introductions. */
import type { Bilingual, Lens, Verdict } from '../../src/experiments/contract.js';
import { state, type Lang } from './state.js';

export function lang(): Lang {
  return state().lang;
}

/** Pick the current language's text. */
export function tr(b: Bilingual | undefined | null): string {
  if (!b) return '';
  return b[lang()] || b.en || b.zh || '';
}

const S = {
  appName: { zh: '五透镜实验室', en: 'fivelens lab' },
  tagline: { zh: '用可运行的实验检验“大模型为什么需要五门学问”', en: 'Why LLMs rest on five sciences — checked by experiments you can run' },
  home: { zh: '首页', en: 'Home' },
  atlas: { zh: '知识地图', en: 'Atlas' },
  claims: { zh: '论断核查', en: 'Claims' },
  gpt: { zh: '小型 GPT', en: 'Tiny GPT' },
  lenses: { zh: '五个透镜', en: 'The five lenses' },
  question: { zh: '学习者的问题', en: "The learner's question" },
  questionEn: {
    zh: '有人推荐研究大模型的，要深入学习「信息论、控制论、优化、压缩、感知」，为什么？有什么资料能佐证这一点，这些前置学识是什么，相关教材又有哪些？',
    en: 'Someone told me that to research large models I should study information theory, control theory, optimization, compression and perception in depth. Why? What evidence supports this, what are the prerequisites, and which textbooks cover them?',
  },
  shortAnswer: { zh: '简短的回答', en: 'The short answer' },
  keyFigures: { zh: '关键数字（来自你在本机跑出的结果）', en: 'Key figures (from runs on this machine)' },
  noFigures: {
    zh: '还没有结果。打开任意一个透镜，点“运行”，数字就会出现在这里。',
    en: 'No results yet. Open any lens and press Run; the numbers will appear here.',
  },
  experiments: { zh: '个实验', en: 'experiments' }, // (counts are pluralised where used)
  open: { zh: '打开', en: 'Open' },
  run: { zh: '运行', en: 'Run' },
  cancel: { zh: '取消', en: 'Cancel' },
  running: { zh: '运行中', en: 'Running' },
  queued: { zh: '排队中', en: 'Queued' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
  failed: { zh: '运行出错', en: 'Failed' },
  done: { zh: '完成', en: 'Done' },
  preset: { zh: '预设', en: 'Preset' },
  quick: { zh: '快速（几秒）', en: 'quick (seconds)' },
  full: { zh: '完整（几分钟）', en: 'full (minutes)' },
  custom: { zh: '自定义', en: 'custom' },
  seed: { zh: '随机种子', en: 'Seed' },
  params: { zh: '参数', en: 'Parameters' },
  reset: { zh: '恢复预设', en: 'Reset to preset' },
  formulas: { zh: '公式', en: 'Formulas' },
  figures: { zh: '图', en: 'Figures' },
  findings: { zh: '发现', en: 'Findings' },
  verdicts: { zh: '判定', en: 'Verdicts' },
  metrics: { zh: '测量值', en: 'Measurements' },
  metric: { zh: '量', en: 'Quantity' },
  value: { zh: '我们的测量', en: 'Measured' },
  reference: { zh: '文献值', en: 'Published' },
  evidence: { zh: '依据', en: 'Evidence' },
  claimsTested: { zh: '检验的论断', en: 'Claims tested' },
  result: { zh: '结果', en: 'Result' },
  noResult: { zh: '还没有运行过。选好参数，点“运行”。', en: 'Not run yet. Choose parameters and press Run.' },
  olderResult: {
    zh: '下面显示的是此前一次运行的结果（参数或种子与面板不同）。点“运行”按面板设置重新计算。',
    en: 'Showing an earlier run (its parameters or seed differ from the panel). Press Run to compute with the panel’s settings.',
  },
  runInfo: { zh: '运行信息', en: 'Run details' },
  backend: { zh: '计算后端', en: 'Backend' },
  wallTime: { zh: '耗时', en: 'Wall time' },
  savedAt: { zh: '保存于', en: 'Saved' },
  noExperiments: {
    zh: '这个透镜的实验还没有进入这次构建。它们写好之后会自动出现在这里。',
    en: 'No experiments of this lens are in this build yet. They appear here as soon as they land.',
  },
  language: { zh: 'English', en: '中文' },
  footerOffline: { zh: '全部在本机计算，不联网。', en: 'Everything runs on this machine, offline.' },
  starting: { zh: '启动中…', en: 'starting…' },
  verdict: { zh: '判定', en: 'Verdict' },
  lens: { zh: '透镜', en: 'Lens' },
  all: { zh: '全部', en: 'All' },
  claim: { zh: '论断', en: 'Claim' },
  experiment: { zh: '实验', en: 'Experiment' },
  notRun: { zh: '未运行', en: 'not run' },
  seedSays: { zh: '原回答的说法', en: 'What the answer says' },
  literature: { zh: '文献', en: 'Literature' },
  books: { zh: '教材', en: 'Books' },
  papers: { zh: '论文', en: 'Papers' },
  prereqs: { zh: '前置知识', en: 'Prerequisites' },
  planner: { zh: '学习路径规划', en: 'Study-path planner' },
  plan: { zh: '规划', en: 'Plan' },
  goal: { zh: '目标', en: 'Goal' },
  known: { zh: '已掌握', en: 'Already known' },
  hours: { zh: '小时', en: 'hours' },
  atlasMissing: {
    zh: '知识地图的数据（src/atlas/）还没有进入这次构建。',
    en: 'The atlas data (src/atlas/) is not in this build yet.',
  },
  zoomHint: { zh: '滚轮缩放，拖动平移，点击主题查看资料。', en: 'Scroll to zoom, drag to pan, click a topic for its materials.' },
  resetView: { zh: '复位', en: 'Reset view' },
  gptMissing: {
    zh: '小型 GPT（src/gpt/）还没有进入这次构建，这一页暂时只能说明它将做什么。',
    en: 'The tiny GPT (src/gpt/) is not in this build yet; this page can only describe what it will do.',
  },
  clearResults: { zh: '清除已保存的结果', en: 'Clear saved results' },
  log: { zh: '日志', en: 'Log' },
  stored: { zh: '已保存的运行', en: 'Saved runs' },
  noCommitted: {
    zh: '完整结果还没有构建（仓库里没有 results/ 目录）。用 `fivelens run <id> --preset full --json` 生成后，这里就会显示判定与图。',
    en: 'The full results are not built yet (no results/ folder in the repository). Once `fivelens run <id> --preset full --json` has produced them, their verdicts and figures appear here.',
  },
  committed: { zh: '提交的完整结果', en: 'Committed full result' },
  presetFull: { zh: '完整预设', en: 'full preset' },
  presetQuick: { zh: '快速预设 · 预览', en: 'quick preset · preview' },
  previewNote: {
    zh: '这是你在本机跑的快速预览，不是最终判定；最终判定见上方提交的完整结果。',
    en: 'This is a quick preview run on this machine, not the final verdict; the final verdict is the committed full result above.',
  },
  yourRun: { zh: '你的运行', en: 'Your run' },
  readingOrder: { zh: '建议的阅读顺序', en: 'A suggested reading order' },
  liveFigures: { zh: '拖动试试', en: 'Drag it yourself' },
  expected: { zh: '应为', en: 'expected' },
  unknownParam: { zh: '没有这个参数', en: 'no such parameter' },
  badSeed: { zh: '种子必须是整数', en: 'the seed must be an integer' },
  badPreset: { zh: '没有这个预设（只有 quick、full）', en: 'no such preset (only quick, full)' },
  fixFirst: { zh: '先改正标红的输入，才能运行。', en: 'Fix the fields marked in red before running.' },
  experimentsMenu: { zh: '实验列表', en: 'Experiments' },
} satisfies Record<string, Bilingual>;

export type Key = keyof typeof S;

export function t(key: Key): string {
  return tr(S[key]);
}

export const LENS_INFO: Record<Lens, { name: Bilingual; short: Bilingual; why: Bilingual; color: string; icon: string }> = {
  information: {
    name: { zh: '信息论', en: 'Information' },
    short: { zh: '语言模型就是概率模型', en: 'A language model is a probability model' },
    why: {
      zh: '训练语言模型就是在最小化交叉熵：每个字符的损失就是“还剩多少比特不确定”。熵给出了任何模型都跨不过去的下界，也让“压缩”和“预测”成为同一件事。',
      en: 'Training a language model minimises cross-entropy: the loss per character is the number of bits of surprise left. Entropy sets the floor no model can pass, and makes prediction and compression the same thing.',
    },
    color: '#2f6fb5',
    icon: 'H',
  },
  control: {
    name: { zh: '控制论', en: 'Control' },
    short: { zh: '训练是一个反馈系统', en: 'Training is a feedback loop' },
    why: {
      zh: '梯度下降每一步都根据误差修正参数，这正是离散时间反馈控制。动量、学习率调度和梯度裁剪分别对应惯性环节、增益调度和饱和环节，稳定性可以直接算出来。',
      en: 'Each gradient step corrects the parameters by the error: a discrete-time feedback loop. Momentum, learning-rate schedules and clipping are inertia, gain scheduling and saturation, and their stability can be computed.',
    },
    color: '#c0392b',
    icon: 'K',
  },
  optimization: {
    name: { zh: '优化', en: 'Optimization' },
    short: { zh: '在巨大的非凸地形里找低谷', en: 'Finding valleys in a huge non-convex landscape' },
    why: {
      zh: '模型的能力来自优化器在高维非凸地形上找到的解。曲率、正则化、子空间维度与二阶近似，决定了能否训得动、训得快、泛化得好。',
      en: 'A model is what the optimizer finds in a huge non-convex landscape. Curvature, regularisation, subspace dimension and second-order approximations decide whether it trains, how fast, and how well it generalises.',
    },
    color: '#27864a',
    icon: '∇',
  },
  compression: {
    name: { zh: '压缩', en: 'Compression' },
    short: { zh: '少量测量、稀疏结构与量化', en: 'Few measurements, sparse structure, quantization' },
    why: {
      zh: '稀疏信号能用远少于奈奎斯特率的测量恢复；大网络里也藏着稀疏的子网络，权重可以量化成几个比特。这些都是“用更少的比特保留要紧的信息”。',
      en: 'Sparse signals are recovered from far fewer measurements than Nyquist asks; large networks hide sparse subnetworks and their weights survive a few bits. All of it is keeping what matters in fewer bits.',
    },
    color: '#8e44ad',
    icon: '▦',
  },
  perception: {
    name: { zh: '感知', en: 'Perception' },
    short: { zh: '注意力、对比学习与物理先验', en: 'Attention, contrastive learning, physical priors' },
    why: {
      zh: '注意力决定模型“看”哪里，对比学习把图像和文字放进同一个表示空间，物理先验让输出守恒。它们把感知科学的问题变成了可以训练的目标。',
      en: 'Attention decides where a model looks, contrastive learning puts images and words in one space, and physical priors keep outputs conserved. They turn questions of perception into trainable objectives.',
    },
    color: '#d68910',
    icon: '◉',
  },
  gpt: {
    name: { zh: '小型 GPT', en: 'Tiny GPT' },
    short: { zh: '五个透镜汇于一处', en: 'Where the five lenses meet' },
    why: {
      zh: '一个在浏览器里就能训练的字符级 GPT：它的损失是信息论，训练是控制与优化，权重可以压缩，注意力就是它的“感知”。',
      en: 'A character-level GPT you can train in the browser: its loss is information theory, its training control and optimization, its weights compressible, and attention is its perception.',
    },
    color: '#34495e',
    icon: 'G',
  },
};

export const VERDICT_TEXT: Record<Verdict, Bilingual> = {
  reproduced: { zh: '复现', en: 'reproduced' },
  partly: { zh: '部分成立', en: 'partly' },
  'not-reproduced': { zh: '未复现', en: 'not reproduced' },
  untestable: { zh: '无法检验', en: 'untestable' },
};

export function verdictText(v: Verdict): string {
  return tr(VERDICT_TEXT[v]);
}
