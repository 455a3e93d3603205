/** Schedules against their formulas (at the boundaries too) and clipping against its formulas. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine, tf } from '../../src/engine/tf.js';
import {
  cosineAnneal,
  defaultSchedule,
  makeSchedule,
  ScheduleSpecSchema,
  sgdrPosition,
  sgdrRestarts,
  type ScheduleKind,
} from '../../src/optim/schedules.js';
import {
  adaptiveClip,
  adaptiveClipF64,
  clipByGlobalNorm,
  clipByGlobalNormF64,
  clipByValue,
  clipByValueF64,
} from '../../src/optim/clipping.js';

beforeAll(async () => {
  await initEngine();
});

describe('schedules', () => {
  it('constant, step, exponential', () => {
    expect(makeSchedule({ kind: 'constant', lr: 0.3 })(1234)).toBe(0.3);
    const st = makeSchedule({ kind: 'step', lr: 1, stepSize: 10, gamma: 0.5 });
    expect([st(0), st(9), st(10), st(19), st(20)]).toEqual([1, 1, 0.5, 0.5, 0.25]);
    const ex = makeSchedule({ kind: 'exponential', lr: 2, gamma: 0.9 });
    expect(ex(0)).toBe(2);
    expect(ex(7)).toBeCloseTo(2 * 0.9 ** 7, 14);
  });

  it('linear warmup reaches lr exactly at t = W−1 and stays', () => {
    const w = makeSchedule({ kind: 'warmup', lr: 1, warmup: 4 });
    expect([w(0), w(1), w(2), w(3), w(4), w(100)]).toEqual([0.25, 0.5, 0.75, 1, 1, 1]);
  });

  it("cosine = the seed's formula: η_max at 0, midpoint at T/2, η_min at T and after", () => {
    const c = makeSchedule({ kind: 'cosine', lrMax: 1, lrMin: 0.1, T: 100 });
    expect(c(0)).toBe(1);
    expect(c(50)).toBeCloseTo(0.55, 14);
    expect(c(100)).toBeCloseTo(0.1, 14);
    expect(c(150)).toBeCloseTo(0.1, 14);
    for (const t of [1, 13, 77]) expect(c(t)).toBeCloseTo(0.1 + 0.5 * 0.9 * (1 + Math.cos((t / 100) * Math.PI)), 14);
  });

  it('warmup-cosine: ramps to η_max at t = W−1, η_max again at t = W, η_min at T', () => {
    const s = makeSchedule({ kind: 'warmup-cosine', lrMax: 1, lrMin: 0.01, warmup: 10, T: 110 });
    expect(s(0)).toBeCloseTo(0.1, 14);
    expect(s(9)).toBe(1);
    expect(s(10)).toBe(1);
    expect(s(60)).toBeCloseTo(0.505, 14);
    expect(s(110)).toBeCloseTo(0.01, 14);
  });

  it('SGDR (T0 = 10, Tmult = 2): restarts at 10, 30, 70; η_max there, near η_min just before', () => {
    const s = makeSchedule({ kind: 'sgdr', lrMax: 1, lrMin: 0, T0: 10, Tmult: 2 });
    expect(sgdrRestarts(10, 2, 100)).toEqual([10, 30, 70]);
    for (const r of [0, 10, 30, 70]) expect(s(r)).toBe(1);
    expect(s(9)).toBeCloseTo(0.5 * (1 + Math.cos((9 / 10) * Math.PI)), 14);
    expect(s(29)).toBeCloseTo(0.5 * (1 + Math.cos((19 / 20) * Math.PI)), 14);
    expect(s(50)).toBeCloseTo(0.5, 14); // cycle [30, 70) has T_i = 40; T_cur = 20 is its middle
    expect(sgdrPosition(50, 10, 2)).toEqual({ cycle: 2, Tcur: 20, Ti: 40 });
    const s1 = makeSchedule({ kind: 'sgdr', lrMax: 1, lrMin: 0.2, T0: 7, Tmult: 1 });
    expect(s1(7)).toBe(1);
    expect(s1(14 + 3)).toBeCloseTo(cosineAnneal(3, 7, 1, 0.2), 14);
  });

  it("one-cycle = PyTorch's OneCycleLR (cos): η_max/div at 0, η_max at pct·N−1, η_max/(div·finalDiv) at N−1", () => {
    const s = makeSchedule({ kind: 'one-cycle', lrMax: 1, total: 100, pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4 });
    expect(s(0)).toBeCloseTo(0.04, 14);
    expect(s(29)).toBeCloseTo(1, 14);
    expect(s(99)).toBeCloseTo(0.04 / 1e4, 14);
    // PyTorch: phase 2 value at step 64 = end + (start-end)/2 (cos(pi*pct)+1), pct = (64-29)/(99-29) = 0.5
    expect(s(64)).toBeCloseTo(0.04e-4 + ((1 - 0.04e-4) / 2) * (Math.cos(Math.PI * 0.5) + 1), 14);
    expect(s(14.5)).toBeCloseTo(1 + ((0.04 - 1) / 2) * (Math.cos(Math.PI * 0.5) + 1), 14);
  });

  it('every default spec parses with the zod schema and stays positive over the budget', () => {
    const kinds: ScheduleKind[] = ['constant', 'step', 'exponential', 'warmup', 'cosine', 'warmup-cosine', 'sgdr', 'one-cycle'];
    for (const k of kinds) {
      const spec = ScheduleSpecSchema.parse(defaultSchedule(k, 0.1, 700));
      const f = makeSchedule(spec);
      for (let t = 0; t < 700; t += 7) {
        expect(f(t)).toBeGreaterThanOrEqual(0);
        expect(f(t)).toBeLessThanOrEqual(0.1 + 1e-12);
      }
    }
    expect(() => ScheduleSpecSchema.parse({ kind: 'sgdr', lrMax: 1, lrMin: 0, T0: 0, Tmult: 2 })).toThrow();
  });
});

describe('clipping', () => {
  it("global norm: the seed's ĝ = g / max(1, ‖g‖/λ), tensors = float64", () => {
    const a = [3, 4];
    const b = [[12, 0], [0, 0]];
    const g = { a: tf.tensor1d(a), b: tf.tensor2d(b) };
    const { grads, norm, scale } = clipByGlobalNorm(g, 6.5); // ‖g‖ = 13
    expect(norm).toBeCloseTo(13, 5);
    expect(scale).toBeCloseTo(0.5, 6);
    expect(Array.from(grads.a.dataSync())).toEqual([1.5, 2]);
    const ref = clipByGlobalNormF64([Float64Array.from(a), Float64Array.from(b.flat())], 6.5);
    expect(ref.norm).toBe(13);
    expect(Array.from(ref.grads[1]!)).toEqual([6, 0, 0, 0]);
    const loose = clipByGlobalNorm(g, 100);
    expect(loose.scale).toBe(1);
    expect(Array.from(loose.grads.b.dataSync())).toEqual([12, 0, 0, 0]);
    tf.dispose([...Object.values(g), ...Object.values(grads), ...Object.values(loose.grads)]);
  });

  it('by value', () => {
    const g = { x: tf.tensor1d([-3, 0.2, 5]) };
    const c = clipByValue(g, 1);
    expect(Array.from(c.x.dataSync())).toEqual([-1, 0.2, 1].map((v) => Math.fround(v)));
    expect(Array.from(clipByValueF64(Float64Array.from([-3, 0.2, 5]), 1))).toEqual([-1, 0.2, 1]);
    tf.dispose([g.x, c.x]);
  });

  it('AGC: unit-wise (columns of [in,out]) against the float64 reference and the formula', () => {
    const w = [1, 0, 0, 2, 0, 0]; // [3, 2]: column norms 1 and 2
    const gv = [0.3, 0.5, 0.4, 0, 0, 0]; // column norms 0.5 and 0.5
    const params = { w: tf.tensor2d(w, [3, 2]), b: tf.tensor1d([0.5, 0]) };
    const grads = { w: tf.tensor2d(gv, [3, 2]), b: tf.tensor1d([1, 1]) };
    const out = adaptiveClip(params, grads, 0.3);
    // column 0: ‖G‖ = 0.5 > 0.3·1 → scaled by 0.6; column 1: ‖G‖ = 0.5 < 0.3·2 → unchanged
    const expected = [0.18, 0.5, 0.24, 0, 0, 0];
    const got = Array.from(out.w.dataSync());
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    const ref = adaptiveClipF64(Float64Array.from(w), Float64Array.from(gv), [3, 2], 0.3);
    Array.from(ref).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
    // bias: element-wise; |W| = 0.5 → max 0.15; |W| = 0 → max 0.3·1e-3
    const bb = Array.from(out.b.dataSync());
    expect(bb[0]).toBeCloseTo(0.15, 6);
    expect(bb[1]).toBeCloseTo(3e-4, 8);
    tf.dispose([...Object.values(params), ...Object.values(grads), ...Object.values(out)]);
  });
});
