/** Live figure of the optimization lens: gradient descent's step size against 2/λ_max. */
import { clampPos, f3, lineChart, type LiveFigure } from './types.js';

export const stepSize: LiveFigure = {
  id: 'step-size',
  lens: 'optimization',
  title: { en: 'Step size against 2/λ_max', zh: '步长与 2/λ_max' },
  caption: {
    en: 'Gradient descent on f = ½(λ_max x² + y²). Each direction multiplies its error by (1 − ηλ) per step: past η = 2/λ_max the sharp direction flips sign and grows.',
    zh: '在 f = ½(λ_max x² + y²) 上做梯度下降。每个方向每一步把误差乘以 (1 − ηλ)：η 一旦超过 2/λ_max，陡峭方向就来回翻转并越来越大。',
  },
  controls: [
    { key: 'eta', label: { en: 'step size η', zh: '步长 η' }, min: 0.005, max: 0.5, step: 0.005, value: 0.15 },
    { key: 'lmax', label: { en: 'sharpest curvature λ_max', zh: '最大曲率 λ_max' }, min: 1, max: 20, step: 0.5, value: 10 },
  ],
  render({ eta = 0.15, lmax = 10 }) {
    const rows: Record<string, unknown>[] = [];
    let x = 1;
    let y = 1;
    for (let k = 0; k <= 60; k++) {
      rows.push({ x: k, y: clampPos(0.5 * (lmax * x * x + y * y), 1e-12, 1e8) });
      x -= eta * lmax * x;
      y -= eta * y;
    }
    const ratio = (eta * lmax) / 2;
    const chart = lineChart({ data: 'loss', x: { en: 'step k', zh: '步数 k' }, y: { en: 'loss (log)', zh: '损失（对数）' }, yLog: true, yDomain: [1e-12, 1e8], datasets: { loss: rows } });
    return {
      spec: chart,
      readout: {
        en: `η = ${f3(eta)}, 2/λ_max = ${f3(2 / lmax)}: η is ${f3(ratio)}× the edge — ${ratio < 1 ? 'stable' : ratio === 1 ? 'on the edge (oscillates forever)' : 'diverges'}; the sharp direction’s factor |1 − ηλ_max| = ${f3(Math.abs(1 - eta * lmax))}`,
        zh: `η = ${f3(eta)}，2/λ_max = ${f3(2 / lmax)}：η 是边界的 ${f3(ratio)} 倍——${ratio < 1 ? '稳定' : ratio === 1 ? '正好在边界上（永远振荡）' : '发散'}；陡峭方向每步的放大倍数 |1 − ηλ_max| = ${f3(Math.abs(1 - eta * lmax))}`,
      },
    };
  },
};
