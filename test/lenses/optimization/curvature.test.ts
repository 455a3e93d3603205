import { describe, expect, it, beforeAll } from 'vitest';
import { tf, initEngine } from '../../../src/engine/tf.js';
import { Rng } from '../../../src/engine/rng.js';
import {
  extremeEigenvaluesPower, fdHvp, fullMatrix, lanczos, makeHvp, mlpFlatLoss, powerIteration, tfGradient,
} from '../../../src/lenses/optimization/curvature.js';
import { cholesky, cholSolve, matVec, spdInverse, symEigenvalues } from '../../../src/lenses/optimization/linalg.js';
import { logregHessian, logregHvp, logregLossGrad, type LogRegData } from '../../../src/lenses/optimization/logreg.js';
import { initMlp64, lossGrad64, type MlpSpec64 } from '../../../src/nn/mlp64.js';

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

function randomData(rng: Rng, n: number, c: number, k: number): LogRegData {
  const x = new Float64Array(n * c);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = rng.int(k);
  return { x, y, n, c, k };
}

function oneHot(y: Int32Array, k: number): tf.Tensor2D {
  return tf.oneHot(tf.tensor1d(y, 'int32'), k).toFloat() as tf.Tensor2D;
}

beforeAll(async () => {
  await initEngine();
});

describe('float64 linear algebra', () => {
  it('symEigenvalues matches a matrix built from known eigenvalues', () => {
    const rng = new Rng(3);
    const n = 30;
    // Q from Gram–Schmidt of a random matrix, A = Q diag(λ) Qᵀ
    const q: Float64Array[] = [];
    for (let j = 0; j < n; j++) {
      const v = Float64Array.from({ length: n }, () => rng.normal());
      for (const u of q) {
        let c = 0;
        for (let i = 0; i < n; i++) c += u[i]! * v[i]!;
        for (let i = 0; i < n; i++) v[i]! -= c * u[i]!;
      }
      const s = Math.hypot(...v);
      for (let i = 0; i < n; i++) v[i]! /= s;
      q.push(v);
    }
    const lam = Array.from({ length: n }, (_, i) => i - 10.5);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j]! += q[k]![i]! * lam[k]! * q[k]![j]!;
    const ev = symEigenvalues(a, n);
    for (let i = 0; i < n; i++) expect(ev[i]).toBeCloseTo(lam[i]!, 9);
  });

  it('Cholesky solves and inverts an SPD system', () => {
    const rng = new Rng(4);
    const n = 25;
    const m = Float64Array.from({ length: n * n }, () => rng.normal());
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { let s = i === j ? 1 : 0; for (let k = 0; k < n; k++) s += m[i * n + k]! * m[j * n + k]!; a[i * n + j] = s; }
    const b = Float64Array.from({ length: n }, () => rng.normal());
    const x = cholSolve(cholesky(Float64Array.from(a), n), b, n);
    expect(relErr(matVec(a, x, n), b)).toBeLessThan(1e-12);
    const inv = spdInverse(a, n);
    expect(relErr(matVec(inv, b, n), x)).toBeLessThan(1e-10);
  });
});

describe('Hessian-vector products by double backprop', () => {
  it('tfjs HVP of multinomial logistic regression equals the closed form (float64)', () => {
    const rng = new Rng(5);
    const d = randomData(rng, 60, 7, 4);
    const theta = Float64Array.from({ length: 32 }, () => rng.normal(0, 0.5));
    const l2 = 0.01;
    const loss = mlpFlatLoss([7, 4], 'relu', tf.tensor2d(Float32Array.from(d.x), [60, 7]), oneHot(d.y, 4), l2);
    const g32 = tfGradient(loss, theta);
    expect(relErr(g32, logregLossGrad(d, theta, l2).grad)).toBeLessThan(1e-5);
    const hvp = makeHvp(loss, theta);
    const exact = logregHvp(d, theta, l2);
    for (let t = 0; t < 3; t++) {
      const v = Float64Array.from({ length: 32 }, () => rng.normal());
      expect(relErr(hvp(v), exact(v))).toBeLessThan(1e-5);
    }
    // and the closed-form Hessian is the matrix of the closed-form HVP
    const h = logregHessian(d, theta, l2);
    const v = Float64Array.from({ length: 32 }, () => rng.normal());
    expect(relErr(matVec(h, v, 32), exact(v))).toBeLessThan(1e-12);
  });

  it('tfjs HVP of a tanh MLP matches finite differences of the float64 gradient', () => {
    const rng = new Rng(6);
    const spec: MlpSpec64 = { sizes: [6, 5, 3], activation: 'tanh' };
    const d = randomData(rng, 40, 6, 3);
    const theta = initMlp64(spec, rng);
    for (let i = 0; i < theta.length; i++) theta[i]! += rng.normal(0, 0.3);
    const loss = mlpFlatLoss(spec.sizes, 'tanh', tf.tensor2d(Float32Array.from(d.x), [40, 6]), oneHot(d.y, 3));
    const hvp = makeHvp(loss, theta);
    const g64 = (t: Float64Array) => lossGrad64(spec, t, { x: d.x, y: d.y, n: d.n }).grad;
    for (let t = 0; t < 3; t++) {
      const v = Float64Array.from({ length: theta.length }, () => rng.normal());
      const fd = fdHvp(g64, theta, v, 1e-5);
      expect(relErr(hvp(v), fd)).toBeLessThan(2e-4);
    }
  });

  it('full Hessian of a tiny MLP: Lanczos and power iteration find both ends', () => {
    const rng = new Rng(7);
    const spec: MlpSpec64 = { sizes: [5, 4, 3], activation: 'tanh' };
    const d = randomData(rng, 50, 5, 3);
    const theta = initMlp64(spec, rng);
    const n = theta.length; // 39
    const loss = mlpFlatLoss(spec.sizes, 'tanh', tf.tensor2d(Float32Array.from(d.x), [50, 5]), oneHot(d.y, 3));
    const hvp = makeHvp(loss, theta);
    const before = tf.memory().numTensors;
    const full = fullMatrix(hvp, n);
    expect(tf.memory().numTensors).toBe(before);
    const ev = symEigenvalues(full, n);
    // float64 reference: the full Hessian by finite differences of the float64 gradient
    const g64 = (t: Float64Array) => lossGrad64(spec, t, { x: d.x, y: d.y, n: d.n }).grad;
    const ref = symEigenvalues(fullMatrix((v) => fdHvp(g64, theta, v, 1e-5), n), n);
    const scale = Math.abs(ref[n - 1]!);
    for (let i = 0; i < n; i++) expect(Math.abs(ev[i]! - ref[i]!)).toBeLessThan(1e-4 * scale);
    expect(ref[0]!).toBeLessThan(0); // a random point of a tanh net: indefinite
    const lz = lanczos(hvp, n, 25, new Rng(8));
    expect(Math.abs(lz.ritz[lz.ritz.length - 1]! - ref[n - 1]!)).toBeLessThan(1e-4 * scale);
    expect(Math.abs(lz.ritz[0]! - ref[0]!)).toBeLessThan(1e-3 * scale);
    const pw = extremeEigenvaluesPower(hvp, n, new Rng(9), 2000);
    expect(Math.abs(pw.max - ref[n - 1]!)).toBeLessThan(1e-3 * scale);
    expect(Math.abs(pw.min - ref[0]!)).toBeLessThan(1e-2 * scale);
  });

  it('Lanczos on the closed-form logistic-regression Hessian (float64) gets both ends to 1e-8', () => {
    const rng = new Rng(10);
    const d = randomData(rng, 200, 15, 5);
    const theta = Float64Array.from({ length: 80 }, () => rng.normal(0, 0.3));
    const h = logregHessian(d, theta, 1e-3);
    const ev = symEigenvalues(h, 80);
    const lz = lanczos((v) => matVec(h, v, 80), 80, 50, new Rng(11));
    expect(lz.ritz[lz.ritz.length - 1]!).toBeCloseTo(ev[79]!, 8);
    expect(lz.ritz[0]!).toBeCloseTo(ev[0]!, 8);
    // the L2 term shifts every eigenvalue by exactly λ
    const ev2 = symEigenvalues(logregHessian(d, theta, 1e-3 + 0.5), 80);
    for (let i = 0; i < 80; i++) expect(ev2[i]! - ev[i]!).toBeCloseTo(0.5, 10);
    const top = powerIteration((v) => matVec(h, v, 80), 80, new Rng(12), { iters: 3000, tol: 1e-13 });
    expect(top.value).toBeCloseTo(ev[79]!, 7);
  });
});
