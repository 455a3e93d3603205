/** Live figure of the information lens: entropy and KL divergence of a distribution you shape. */
import { base, f3, type LiveFigure } from './types.js';

const SYMBOLS = ['a', 'b', 'c', 'd', 'e', 'f'];
/** the model q: a Zipf-like distribution, what a unigram model of text looks like */
const Q = (() => {
  const w = SYMBOLS.map((_, i) => 1 / (i + 1));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / s);
})();

export function entropyBits(p: readonly number[]): number {
  return -p.reduce((s, x) => (x > 0 ? s + x * Math.log2(x) : s), 0);
}

export function klBits(p: readonly number[], q: readonly number[]): number {
  return p.reduce((s, x, i) => (x > 0 ? s + x * Math.log2(x / q[i]!) : s), 0);
}

export const entropyKl: LiveFigure = {
  id: 'entropy-kl',
  lens: 'information',
  title: { en: 'Entropy and KL of a distribution you shape', zh: '你亲手塑造的分布：熵与 KL 散度' },
  caption: {
    en: 'p is the data (your sliders); q is a fixed model. Cross-entropy H(p, q) — the loss a language model pays — is H(p) plus KL(p‖q): the entropy is the floor, the KL is what a better model can still win.',
    zh: 'p 是数据（由滑块决定），q 是一个固定的模型。交叉熵 H(p, q)——语言模型付出的损失——等于 H(p) 加上 KL(p‖q)：熵是地板，KL 是更好的模型还能赢回来的部分。',
  },
  controls: SYMBOLS.map((s, i) => ({ key: s, label: { en: `weight of “${s}”`, zh: `“${s}” 的权重` }, min: 0, max: 10, step: 0.1, value: [8, 4, 2, 1, 1, 0.5][i]! })),
  render(v) {
    const w = SYMBOLS.map((s) => Math.max(0, v[s] ?? 0));
    const total = w.reduce((a, b) => a + b, 0) || 1;
    const p = w.map((x) => (total ? x / total : 0));
    const rows = SYMBOLS.flatMap((s, i) => [
      { symbol: s, prob: p[i], who: { en: 'p (data)', zh: 'p（数据）' } },
      { symbol: s, prob: Q[i], who: { en: 'q (model)', zh: 'q（模型）' } },
    ]);
    const H = entropyBits(p);
    const kl = klBits(p, Q);
    const spec = base(
      {
        data: { name: 'dist' },
        mark: 'bar',
        encoding: {
          x: { field: 'symbol', type: 'nominal', title: { en: 'symbol', zh: '符号' }, axis: { labelAngle: 0 } },
          xOffset: { field: 'who', type: 'nominal' },
          y: { field: 'prob', type: 'quantitative', title: { en: 'probability', zh: '概率' }, scale: { domain: [0, 1] } },
          color: { field: 'who', type: 'nominal', title: { en: 'distribution', zh: '分布' }, legend: { orient: 'bottom' } },
          tooltip: [{ field: 'symbol', type: 'nominal', title: { en: 'symbol', zh: '符号' } }, { field: 'prob', type: 'quantitative', format: '.3f', title: { en: 'probability', zh: '概率' } }],
        },
      },
      { dist: rows },
    );
    return {
      spec,
      readout: {
        en: `H(p) = ${f3(H)} bits (max log₂6 = 2.58) · KL(p‖q) = ${f3(kl)} bits · cross-entropy H(p, q) = ${f3(H + kl)} bits · KL(q‖p) = ${p.some((x) => x === 0) ? '∞ (q puts mass where p has none)' : f3(klBits(Q, p))} bits`,
        zh: `H(p) = ${f3(H)} 比特（上限 log₂6 = 2.58）· KL(p‖q) = ${f3(kl)} 比特 · 交叉熵 H(p, q) = ${f3(H + kl)} 比特 · KL(q‖p) = ${p.some((x) => x === 0) ? '∞（q 在 p 为零处仍有概率）' : f3(klBits(Q, p))} 比特`,
      },
    };
  },
};
