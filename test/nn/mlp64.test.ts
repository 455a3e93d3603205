import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng.js';
import { mlpForwardReference } from '../../src/nn/mlp.js';
import {
  accuracy64,
  affine64,
  errors64,
  flatCount,
  flatLayout,
  forward64,
  forwardNet64,
  initMlp64,
  initNet64,
  lossAndGrad64,
  lossGrad64,
  net64FromFlat,
  net64Params,
  softmaxRows,
  type Batch64,
  type MlpSpec64,
} from '../../src/nn/mlp64.js';

function batch(rng: Rng, n: number, c: number, k: number): Batch64 {
  return { x: Float64Array.from({ length: n * c }, () => rng.normal()), y: Int32Array.from({ length: n }, () => rng.int(k)), n };
}

describe('src/nn/mlp64: one layout, two interfaces', () => {
  it('flat layout and the affine kernel', () => {
    expect(flatLayout([3, 4, 2])).toEqual([
      { w: 0, b: 12, din: 3, dout: 4 },
      { w: 16, b: 24, din: 4, dout: 2 },
    ]);
    expect(flatCount([3, 4, 2])).toBe(26);
    // s = aW + b, with W and b at offsets inside one array
    const buf = Float64Array.from([9, 1, 2, 3, 4, 5, 6, 0.5, -0.5]); // W 3×2 at 1, b at 7
    const s = affine64([1, 0, 2, -1, 1, 1], 2, 3, 2, buf, 1, buf, 7);
    expect(Array.from(s)).toEqual([1 + 10 + 0.5, 2 + 12 - 0.5, -1 + 3 + 5 + 0.5, -2 + 4 + 6 - 0.5]);
  });

  it('both forwards equal src/nn/mlp.ts’s float64 reference and each other, bit for bit', () => {
    const rng = new Rng(11);
    for (const act of ['relu', 'tanh'] as const) {
      const spec: MlpSpec64 = { sizes: [6, 5, 4, 3], activation: act };
      const theta = initMlp64(spec, rng);
      for (const L of flatLayout(spec.sizes)) for (let j = 0; j < L.dout; j++) theta[L.b + j] = 0.1 * rng.normal();
      const net = net64FromFlat(spec, theta);
      const b = batch(rng, 7, 6, 3);
      const ref = mlpForwardReference(spec, net64Params(net), b.x, b.n);
      const logits = forwardNet64(net, b.x, b.n).logits;
      for (let i = 0; i < ref.length; i++) expect(logits[i]).toBeCloseTo(ref[i]!, 12);
      const f = forward64(spec, theta, b);
      expect(Array.from(f.probs)).toEqual(Array.from(softmaxRows(logits, b.n, 3)));
      // hidden post-activations agree too
      const hid = forwardNet64(net, b.x, b.n).hidden;
      hid.forEach((h, l) => expect(Array.from(h)).toEqual(Array.from(f.pre[l]!)));
      expect(errors64(net, b.x, b.y)).toBe(Math.round((1 - accuracy64(spec, theta, b)) * b.n));
    }
  });

  it('Net64 arrays are views of θ; initNet64 fills them', () => {
    const net = initNet64([4, 3, 2], 'relu', new Rng(1));
    expect(net.theta.length).toBe(flatCount([4, 3, 2]));
    net.W[1]![2] = 42;
    expect(net.theta[flatLayout([4, 3, 2])[1]!.w + 2]).toBe(42);
    expect(net.b[0]!.every((v) => v === 0)).toBe(true);
    // He-normal draws from rng.normalArray: the same numbers as before the merge
    const again = Float64Array.from(new Rng(1).normalArray(12, Math.sqrt(2 / 4)));
    expect(Array.from(initNet64([4, 3, 2], 'relu', new Rng(1)).W[0]!)).toEqual(Array.from(again));
    expect(() => net64FromFlat({ sizes: [4, 3, 2], activation: 'relu' }, new Float64Array(5))).toThrow(/needs 23/);
  });

  it('the two backward passes agree (labels only) and match finite differences', () => {
    const rng = new Rng(3);
    for (const act of ['relu', 'tanh'] as const) {
      const spec: MlpSpec64 = { sizes: [5, 6, 4], activation: act };
      const theta = initMlp64(spec, rng);
      const net = net64FromFlat(spec, theta);
      const b = batch(rng, 9, 5, 4);
      const { loss, grad } = lossGrad64(spec, theta, b);
      const g2 = lossAndGrad64(net, b.x, b.y, undefined, b.n, { T: 1, alpha: 0 });
      expect(g2.loss).toBeCloseTo(loss, 12);
      flatLayout(spec.sizes).forEach((L, l) => {
        for (let i = 0; i < L.din * L.dout; i++) expect(Math.abs(g2.dW[l]![i]! - grad[L.w + i]!)).toBeLessThan(1e-14);
        for (let j = 0; j < L.dout; j++) expect(Math.abs(g2.db[l]![j]! - grad[L.b + j]!)).toBeLessThan(1e-14);
      });
      const h = 1e-6;
      for (let i = 0; i < theta.length; i += 7) {
        const v = theta[i]!;
        theta[i] = v + h;
        const lp = lossGrad64(spec, theta, b).loss;
        theta[i] = v - h;
        const lm = lossGrad64(spec, theta, b).loss;
        theta[i] = v;
        expect(grad[i]).toBeCloseTo((lp - lm) / (2 * h), 7);
      }
    }
  });
});
