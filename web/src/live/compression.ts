/** Live figures of the compression lens: quantization bits against SNR; OMP's phase transition. */
import { f3, gauss, lineChart, rng, type LiveFigure } from './types.js';

const SAMPLES = (() => {
  const r = rng(11);
  return Array.from({ length: 4000 }, () => gauss(r));
})();

/** SNR (dB) of a b-bit uniform quantizer clipping a unit Gaussian at ±c */
export function quantSnrDb(bits: number, c: number, xs: readonly number[] = SAMPLES): number {
  const levels = 2 ** bits;
  const delta = (2 * c) / levels;
  let sig = 0;
  let err = 0;
  for (const x of xs) {
    const i = Math.min(levels - 1, Math.max(0, Math.floor((x + c) / delta)));
    const q = -c + (i + 0.5) * delta;
    sig += x * x;
    err += (x - q) ** 2;
  }
  return 10 * Math.log10(sig / Math.max(err, 1e-300));
}

export const quantization: LiveFigure = {
  id: 'quantization',
  lens: 'compression',
  title: { en: 'Quantization: bits against signal-to-noise ratio', zh: '量化：比特数与信噪比' },
  caption: {
    en: 'A uniform quantizer on Gaussian weights, clipped at ±c·σ. Each extra bit halves the step and buys ≈ 6 dB — until the clipping error (the tails cut off at ±c) dominates; a wider range costs resolution.',
    zh: '对高斯分布的权重做均匀量化，范围截在 ±c·σ。每多一个比特，步长减半，信噪比多出约 6 dB——直到截断误差（±c 之外被砍掉的尾巴）成为主导；范围越宽，分辨率越差。',
  },
  controls: [
    { key: 'bits', label: { en: 'bits b', zh: '比特数 b' }, min: 1, max: 12, step: 1, value: 4 },
    { key: 'c', label: { en: 'clipping range c (σ)', zh: '截断范围 c（σ）' }, min: 0.5, max: 8, step: 0.1, value: 3 },
  ],
  render({ bits = 4, c = 3 }) {
    const rows: Record<string, unknown>[] = [];
    for (let b = 1; b <= 12; b++) {
      rows.push({ x: b, y: quantSnrDb(b, c), series: { en: `measured, c = ${f3(c)}σ`, zh: `实测，c = ${f3(c)}σ` } });
      rows.push({ x: b, y: 6.02 * b, series: { en: '6.02·b dB rule', zh: '6.02·b dB 规则' } });
    }
    const snr = quantSnrDb(bits, c);
    const chart = lineChart({
      data: 'snr',
      x: { en: 'bits b', zh: '比特数 b' },
      y: { en: 'SNR (dB)', zh: '信噪比（dB）' },
      series: { en: 'curve', zh: '曲线' },
      yDomain: [0, 80],
      datasets: { snr: rows, here: [{ x: bits, y: snr }] },
      extra: [{ data: { name: 'here' }, mark: { type: 'point', filled: true, size: 90, color: 'black' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } }],
    });
    return {
      spec: chart,
      readout: {
        en: `${bits} bits at c = ${f3(c)}σ: SNR = ${f3(snr)} dB · one more bit: +${f3(quantSnrDb(Math.min(bits + 1, 16), c) - snr)} dB`,
        zh: `${bits} 比特、c = ${f3(c)}σ：信噪比 ${f3(snr)} dB · 再加一个比特：+${f3(quantSnrDb(Math.min(bits + 1, 16), c) - snr)} dB`,
      },
    };
  },
};

/** orthogonal matching pursuit: does it recover the exact support of a k-sparse x from y = A x (A: m × n, random ±1/√m)? */
export function ompRecovers(m: number, n: number, k: number, r: () => number): boolean {
  const s = 1 / Math.sqrt(m);
  const A = Array.from({ length: n }, () => Array.from({ length: m }, () => (r() < 0.5 ? -s : s)));
  const support = new Set<number>();
  while (support.size < k) support.add(Math.floor(r() * n));
  const y = new Array<number>(m).fill(0);
  for (const j of support) {
    const v = (r() < 0.5 ? -1 : 1) * (0.5 + r());
    for (let i = 0; i < m; i++) y[i]! += A[j]![i]! * v;
  }
  const Q: number[][] = [];
  const chosen = new Set<number>();
  const res = [...y];
  for (let it = 0; it < k; it++) {
    let best = -1;
    let bestC = -1;
    for (let j = 0; j < n; j++) {
      if (chosen.has(j)) continue;
      let c = 0;
      for (let i = 0; i < m; i++) c += A[j]![i]! * res[i]!;
      if (Math.abs(c) > bestC) [bestC, best] = [Math.abs(c), j];
    }
    chosen.add(best);
    const v = [...A[best]!];
    for (const q of Q) {
      let d = 0;
      for (let i = 0; i < m; i++) d += q[i]! * v[i]!;
      for (let i = 0; i < m; i++) v[i]! -= d * q[i]!;
    }
    const nv = Math.hypot(...v);
    if (nv < 1e-10) break;
    const q = v.map((x) => x / nv);
    Q.push(q);
    let d = 0;
    for (let i = 0; i < m; i++) d += q[i]! * res[i]!;
    for (let i = 0; i < m; i++) res[i]! -= d * q[i]!;
  }
  return [...support].every((j) => chosen.has(j));
}

const N = 40;
const memo = new Map<string, number>();

/** the fraction of TRIALS seeded problems OMP solves exactly at (m, k); memoised, so a slider move recomputes only new points */
function successRate(m: number, k: number): number {
  const key = `${m},${k}`;
  let v = memo.get(key);
  if (v === undefined) {
    const r = rng(1000 + m * 31 + k);
    let ok = 0;
    for (let t = 0; t < TRIALS; t++) if (ompRecovers(m, N, k, r)) ok++;
    v = ok / TRIALS;
    memo.set(key, v);
  }
  return v;
}
const TRIALS = 8;
const RHOS = [0.1, 0.2, 0.3, 0.45, 0.6, 0.8];

export const ompPhase: LiveFigure = {
  id: 'omp-phase',
  lens: 'compression',
  title: { en: 'Compressed sensing: OMP’s phase transition', zh: '压缩感知：OMP 的相变' },
  caption: {
    en: 'n = 40 unknowns, m = δ·n random ±1 measurements, k = ρ·m non-zeros. Below a critical sparsity OMP recovers the signal almost always; above it, almost never — a sharp transition, not a slow decline.',
    zh: 'n = 40 个未知数，m = δ·n 次随机 ±1 测量，k = ρ·m 个非零元。稀疏度低于某个临界值时 OMP 几乎总能恢复信号，高于它就几乎总是失败——这是陡峭的相变，不是缓慢的下降。',
  },
  controls: [
    { key: 'delta', label: { en: 'undersampling δ = m/n', zh: '欠采样率 δ = m/n' }, min: 0.2, max: 0.9, step: 0.05, value: 0.5 },
    { key: 'rho', label: { en: 'sparsity ρ = k/m', zh: '稀疏度 ρ = k/m' }, min: 0.05, max: 0.8, step: 0.05, value: 0.2 },
  ],
  render({ delta = 0.5, rho = 0.2 }) {
    const m = Math.max(2, Math.round(delta * N));
    const rate = (rh: number) => successRate(m, Math.max(1, Math.round(rh * m)));
    const rows = RHOS.map((x) => ({ x, y: rate(x) }));
    const here = rate(rho);
    const spec = lineChart({
      data: 'curve',
      x: { en: 'sparsity ρ = k/m', zh: '稀疏度 ρ = k/m' },
      y: { en: 'exact recoveries', zh: '精确恢复的比例' },
      yDomain: [0, 1],
      datasets: { curve: rows, here: [{ x: rho, y: here }] },
      extra: [{ data: { name: 'here' }, mark: { type: 'point', filled: true, size: 90, color: 'black' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } }],
    });

    const k = Math.max(1, Math.round(rho * m));
    return {
      spec,
      readout: {
        en: `m = ${m} measurements, k = ${k} non-zeros: ${Math.round(here * TRIALS)}/${TRIALS} trials recovered exactly`,
        zh: `m = ${m} 次测量，k = ${k} 个非零元：${TRIALS} 次试验中 ${Math.round(here * TRIALS)} 次精确恢复`,
      },
    };
  },
};
