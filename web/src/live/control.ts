/** Live figures of the control lens: momentum's poles, a PID on the loss, schedule shapes, clipping. */
import { makeSchedule } from '../../../src/optim/schedules.js';
import { clampPos, f3, gauss, lineChart, rng, type LiveFigure } from './types.js';

const STEP = { en: 'step k', zh: '步数 k' };
const SERIES = { en: 'curve', zh: '曲线' };

/** the largest |pole| of heavy-ball momentum on one eigen-direction: z² − (1+β−αλ)z + β = 0 */
export function momentumRate(alpha: number, beta: number, lambda: number): number {
  const b = 1 + beta - alpha * lambda;
  const disc = b * b - 4 * beta;
  if (disc < 0) return Math.sqrt(beta);
  const s = Math.sqrt(disc);
  return Math.max(Math.abs((b + s) / 2), Math.abs((b - s) / 2));
}

/** Goh (2017): the optimal α, β and the rate (√κ−1)/(√κ+1) on a quadratic with μ = 1/κ, L = 1 */
export function gohOptimum(kappa: number): { alpha: number; beta: number; rate: number } {
  const sk = Math.sqrt(kappa);
  return { alpha: (2 / (1 + 1 / sk)) ** 2, beta: ((sk - 1) / (sk + 1)) ** 2, rate: (sk - 1) / (sk + 1) };
}

export const momentum: LiveFigure = {
  id: 'momentum',
  lens: 'control',
  title: { en: 'Momentum on a quadratic: two directions, one rate', zh: '二次函数上的动量：两个方向，一个收敛率' },
  caption: {
    en: 'The curvature runs from μ = 1/κ to L = 1. Move α and β: the error falls as the largest pole |z|ᵏ. The curve “Goh’s optimal rate” is the best any α, β can do at this κ.',
    zh: '曲率从 μ = 1/κ 到 L = 1。拖动 α 和 β：误差按最大极点的 |z|ᵏ 衰减。图例中“Goh 最优收敛率”那条线是 Goh 给出的最优值——在这个 κ 下任何 α、β 都快不过它。',
  },
  controls: [
    { key: 'alpha', label: { en: 'step α (× 1/L)', zh: '步长 α（单位 1/L）' }, min: 0.01, max: 4, step: 0.01, value: 1 },
    { key: 'beta', label: { en: 'momentum β', zh: '动量 β' }, min: 0, max: 0.99, step: 0.01, value: 0.5 },
    { key: 'kappa', label: { en: 'condition number κ', zh: '条件数 κ' }, min: 1, max: 1000, step: 1, value: 100 },
  ],
  render({ alpha = 1, beta = 0.5, kappa = 100 }) {
    const K = 150;
    const dirs = [
      { lambda: 1 / kappa, name: { en: 'slow direction (λ = μ)', zh: '慢方向（λ = μ）' } },
      { lambda: 1, name: { en: 'fast direction (λ = L)', zh: '快方向（λ = L）' } },
    ];
    const rows: Record<string, unknown>[] = [];
    for (const d of dirs) {
      let x = 1;
      let prev = 1;
      for (let k = 0; k <= K; k++) {
        rows.push({ x: k, y: clampPos(x), series: d.name });
        const next = x - alpha * d.lambda * x + beta * (x - prev);
        prev = x;
        x = next;
      }
    }
    const g = gohOptimum(kappa);
    for (let k = 0; k <= K; k += 5) rows.push({ x: k, y: clampPos(g.rate ** k), series: { en: 'Goh’s optimal rate', zh: 'Goh 最优收敛率' } });
    let rate = 0;
    for (let i = 0; i <= 40; i++) rate = Math.max(rate, momentumRate(alpha, beta, 1 / kappa + ((1 - 1 / kappa) * i) / 40));
    return {
      spec: lineChart({ data: 'err', x: STEP, y: { en: '|error| (log)', zh: '|误差|（对数）' }, yLog: true, series: SERIES, yDomain: [1e-8, 1e4], datasets: { err: rows } }),
      readout: {
        en: `rate max|z| = ${f3(rate)}${rate >= 1 ? ' (diverges)' : ''} · Goh’s optimum at κ = ${kappa}: ${f3(g.rate)} with α = ${f3(g.alpha)}, β = ${f3(g.beta)}`,
        zh: `收敛率 max|z| = ${f3(rate)}${rate >= 1 ? '（发散）' : ''} · κ = ${kappa} 时 Goh 的最优值：${f3(g.rate)}（α = ${f3(g.alpha)}，β = ${f3(g.beta)}）`,
      },
    };
  },
};

export const pid: LiveFigure = {
  id: 'pid',
  lens: 'control',
  title: { en: 'A PID controller on the loss', zh: '作用在损失上的 PID 控制器' },
  caption: {
    en: 'The gradient is the error signal. P alone is gradient descent; I accumulates past gradients (momentum is a leaky I); D damps the overshoot that I causes.',
    zh: '梯度就是误差信号。只有 P 就是梯度下降；I 累积过去的梯度（动量就是一个会遗忘的 I）；D 抑制 I 带来的超调。',
  },
  controls: [
    { key: 'kp', label: { en: 'K_P (proportional)', zh: 'K_P（比例）' }, min: 0, max: 2, step: 0.01, value: 1 },
    { key: 'ki', label: { en: 'K_I (integral)', zh: 'K_I（积分）' }, min: 0, max: 0.3, step: 0.005, value: 0.05 },
    { key: 'kd', label: { en: 'K_D (derivative)', zh: 'K_D（微分）' }, min: 0, max: 5, step: 0.05, value: 0.5 },
  ],
  render({ kp = 1, ki = 0.05, kd = 0.5 }) {
    const lambdas = [1, 0.02];
    const run = (p: number, i: number, d: number) => {
      const x = [1, 1];
      const sum = [0, 0];
      const prev = [0, 0];
      const out: number[] = [];
      for (let k = 0; k <= 200; k++) {
        out.push(clampPos(0.5 * (lambdas[0]! * x[0]! ** 2 + lambdas[1]! * x[1]! ** 2)));
        for (let j = 0; j < 2; j++) {
          const g = lambdas[j]! * x[j]!;
          sum[j]! += g;
          x[j] = x[j]! - (p * g + i * sum[j]! + d * (k ? g - prev[j]! : 0));
          prev[j] = g;
        }
      }
      return out;
    };
    const a = run(kp, ki, kd);
    const b = run(kp, 0, 0);
    const rows = [
      ...a.map((y, x) => ({ x, y, series: { en: 'PID', zh: 'PID' } })),
      ...b.map((y, x) => ({ x, y, series: { en: 'P only (gradient descent)', zh: '只有 P（梯度下降）' } })),
    ];
    return {
      spec: lineChart({ data: 'loss', x: STEP, y: { en: 'loss (log)', zh: '损失（对数）' }, yLog: true, series: SERIES, yDomain: [1e-10, 1e4], datasets: { loss: rows } }),
      readout: {
        en: `loss after 200 steps: PID ${f3(a[200]!)} · gradient descent ${f3(b[200]!)}`,
        zh: `200 步后的损失：PID ${f3(a[200]!)} · 梯度下降 ${f3(b[200]!)}`,
      },
    };
  },
};

export const schedules: LiveFigure = {
  id: 'schedules',
  lens: 'control',
  title: { en: 'Learning-rate schedules: cosine, warm-up, restarts', zh: '学习率调度：余弦、预热、重启' },
  caption: {
    en: 'A schedule is gain scheduling: a large gain to move, a small one to settle. Warm-up protects the first steps; restarts (SGDR) kick the system out of a basin.',
    zh: '调度就是增益调度：大增益用来前进，小增益用来稳住。预热保护最初几步；重启（SGDR）把系统从一个盆地里踢出去。',
  },
  controls: [
    { key: 'warmup', label: { en: 'warm-up steps', zh: '预热步数' }, min: 1, max: 300, step: 1, value: 50 },
    { key: 'T0', label: { en: 'first restart period T₀', zh: '首个重启周期 T₀' }, min: 50, max: 600, step: 10, value: 200 },
    { key: 'Tmult', label: { en: 'period multiplier T_mult', zh: '周期倍增 T_mult' }, min: 1, max: 3, step: 1, value: 2 },
    { key: 'floor', label: { en: 'lr_min / lr_max', zh: 'lr_min / lr_max' }, min: 0, max: 0.5, step: 0.01, value: 0.05 },
  ],
  render({ warmup = 50, T0 = 200, Tmult = 2, floor = 0.05 }) {
    const T = 1000;
    const kinds = [
      { name: { en: 'cosine', zh: '余弦' }, f: makeSchedule({ kind: 'cosine', lrMax: 1, lrMin: floor, T }) },
      { name: { en: 'warm-up + cosine', zh: '预热 + 余弦' }, f: makeSchedule({ kind: 'warmup-cosine', lrMax: 1, lrMin: floor, warmup, T }) },
      { name: { en: 'cosine with restarts (SGDR)', zh: '带重启的余弦（SGDR）' }, f: makeSchedule({ kind: 'sgdr', lrMax: 1, lrMin: floor, T0, Tmult }) },
    ];
    const rows = kinds.flatMap((k) => Array.from({ length: 201 }, (_, i) => ({ x: i * 5, y: k.f(i * 5), series: k.name })));
    const restarts: number[] = [];
    for (let t = 0, p = T0; t + p < T; t += p, p *= Tmult) restarts.push(t + p);
    return {
      spec: lineChart({ data: 'lr', x: STEP, y: { en: 'lr / lr_max', zh: 'lr / lr_max' }, series: { en: 'schedule', zh: '调度' }, yDomain: [0, 1.05], datasets: { lr: rows } }),
      readout: {
        en: `restarts at steps ${restarts.join(', ') || '— (none before step 1000)'} · the warm-up reaches lr_max at step ${warmup}`,
        zh: `重启发生在第 ${restarts.join('、') || '—（1000 步内没有）'} 步 · 预热在第 ${warmup} 步到达 lr_max`,
      },
    };
  },
};

export const clipping: LiveFigure = {
  id: 'clipping',
  lens: 'control',
  title: { en: 'Gradient clipping: a saturation on heavy-tailed gradients', zh: '梯度裁剪：重尾梯度上的饱和环节' },
  caption: {
    en: 'Gradient norms with a heavy tail (smaller tail index = wilder spikes). Clipping at c keeps each step’s direction and caps its length: the spikes vanish, the typical steps stay.',
    zh: '梯度范数带着重尾（尾指数越小，尖峰越猛）。在 c 处裁剪保留每一步的方向，只限制长度：尖峰消失，普通的步子不受影响。',
  },
  controls: [
    { key: 'c', label: { en: 'threshold c', zh: '阈值 c' }, min: 0.1, max: 10, step: 0.1, value: 2 },
    { key: 'tail', label: { en: 'tail index a', zh: '尾指数 a' }, min: 1.1, max: 5, step: 0.1, value: 1.5 },
  ],
  render({ c = 2, tail = 1.5 }) {
    const r = rng(7);
    const raw: number[] = [];
    for (let k = 0; k < 300; k++) raw.push(Math.abs(gauss(r)) * 0.3 + Math.pow(Math.max(r(), 1e-9), -1 / tail) - 1 + 0.2);
    const rows = [
      ...raw.map((y, x) => ({ x, y: clampPos(y), series: { en: 'gradient norm ‖g‖', zh: '梯度范数 ‖g‖' } })),
      ...raw.map((y, x) => ({ x, y: clampPos(Math.min(y, c)), series: { en: 'clipped step min(‖g‖, c)', zh: '裁剪后 min(‖g‖, c)' } })),
    ];
    const clipped = raw.filter((y) => y > c).length;
    const sorted = [...raw].sort((a, b) => a - b);
    const median = sorted[150]!;
    return {
      spec: lineChart({ data: 'g', x: STEP, y: { en: 'norm (log)', zh: '范数（对数）' }, yLog: true, series: SERIES, datasets: { g: rows } }),
      readout: {
        en: `${clipped} of 300 steps clipped (${f3((100 * clipped) / 300)}%) · median ‖g‖ = ${f3(median)}, largest ${f3(sorted[299]!)}`,
        zh: `300 步中被裁剪 ${clipped} 步（${f3((100 * clipped) / 300)}%）· ‖g‖ 中位数 ${f3(median)}，最大 ${f3(sorted[299]!)}`,
      },
    };
  },
};
