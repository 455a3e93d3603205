/** Live figure of the perception lens: softmax attention and its temperature. */
import { base, f3, type LiveFigure } from './types.js';
import { entropyBits } from './information.js';

const TOKENS: { en: string; zh: string; score: number }[] = [
  { en: 'The', zh: '那只', score: 0.2 },
  { en: 'animal', zh: '动物', score: 3.0 },
  { en: "didn't", zh: '没有', score: 0.1 },
  { en: 'cross', zh: '穿过', score: 0.8 },
  { en: 'the', zh: '这条', score: 0.2 },
  { en: 'street', zh: '马路', score: 2.2 },
  { en: 'because', zh: '因为', score: 0.5 },
  { en: 'it', zh: '它', score: 1.0 },
  { en: 'was', zh: '太', score: 0.3 },
  { en: 'tired', zh: '累了', score: 1.5 },
];

export function softmax(scores: readonly number[], T: number): number[] {
  const z = scores.map((s) => s / T);
  const mx = Math.max(...z);
  const e = z.map((x) => Math.exp(x - mx));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

export const attentionTemperature: LiveFigure = {
  id: 'attention-temperature',
  lens: 'perception',
  title: { en: 'Where “it” looks: softmax attention with a temperature', zh: '“它”在看哪里：带温度的 softmax 注意力' },
  caption: {
    en: 'The query “it” scores every key (q·k/√d, fixed here). Softmax with temperature T turns scores into weights: a low T stares at one word, a high T spreads its gaze evenly.',
    zh: '查询“它”给每个键打分（q·k/√d，这里固定）。带温度 T 的 softmax 把分数变成权重：T 低时只盯着一个词，T 高时目光平均地散开。',
  },
  controls: [{ key: 'T', label: { en: 'temperature T', zh: '温度 T' }, min: 0.05, max: 5, step: 0.05, value: 1 }],
  render({ T = 1 }) {
    const w = softmax(TOKENS.map((t) => t.score), Math.max(T, 1e-3));
    const rows = TOKENS.map((t, i) => ({ i, token: { en: t.en, zh: t.zh }, weight: w[i] }));
    const H = entropyBits(w);
    const spec = base(
      {
        data: { name: 'attn' },
        mark: 'bar',
        encoding: {
          x: { field: 'token', type: 'nominal', sort: { field: 'i' }, title: { en: 'key token', zh: '键（词）' }, axis: { labelAngle: -40 } },
          y: { field: 'weight', type: 'quantitative', title: { en: 'attention weight', zh: '注意力权重' }, scale: { domain: [0, 1] } },
          tooltip: [{ field: 'token', type: 'nominal', title: { en: 'key token', zh: '键（词）' } }, { field: 'weight', type: 'quantitative', format: '.3f', title: { en: 'attention weight', zh: '注意力权重' } }],
        },
      },
      { attn: rows },
    );
    const top = w.indexOf(Math.max(...w));
    return {
      spec,
      readout: {
        en: `entropy of the weights ${f3(H)} bits (uniform: ${f3(Math.log2(TOKENS.length))}) · about ${f3(2 ** H)} words attended · the largest weight ${f3(w[top]!)} on “${TOKENS[top]!.en}”`,
        zh: `权重的熵 ${f3(H)} 比特（均匀分布：${f3(Math.log2(TOKENS.length))}）· 大约关注 ${f3(2 ** H)} 个词 · 最大权重 ${f3(w[top]!)} 落在“${TOKENS[top]!.zh}”上`,
      },
    };
  },
};
