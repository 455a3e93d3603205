import { describe, expect, it } from 'vitest';
import { EXPERIMENTS } from '../../src/experiments/registry.js';
import { LENSES } from '../../src/experiments/contract.js';
import { describeParams, parseSets, resolveParams, ParamError } from '../../src/experiments/params.js';
import { CLAIM_IDS } from '../../src/atlas/claim-ids.js';
import { Rng } from '../../src/engine/rng.js';
import { entropyRate } from '../../src/lenses/information/entropy-rate.js';

describe('the experiment contract', () => {
  it('has registered experiments with unique ids of the form lens.name', () => {
    expect(EXPERIMENTS.length).toBeGreaterThan(0);
    const ids = EXPERIMENTS.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of EXPERIMENTS) {
      expect(e.id).toMatch(/^[a-z]+\.[a-z0-9-]+$/);
      expect(e.id.split('.')[0]).toBe(e.lens);
      expect(LENSES).toContain(e.lens);
    }
  });

  it.each(EXPERIMENTS.map((e) => [e.id, e] as const))('%s: bilingual texts, documented schema, both presets valid, known claims', (_id, e) => {
    for (const t of [e.title, e.summary]) {
      expect(t.en.trim().length).toBeGreaterThan(3);
      expect(t.zh.trim().length).toBeGreaterThan(1);
      expect(t.zh).toMatch(/[\u4e00-\u9fff]/);
    }
    const params = describeParams(e.params);
    expect(params.length).toBeGreaterThan(0);
    for (const p of params) {
      expect(p.description, `${e.id}.${p.key} needs .describe()`).toBeTruthy();
      expect(p.default, `${e.id}.${p.key} needs a default`).not.toBeUndefined();
    }
    expect(e.presets.quick).toBeDefined();
    expect(e.presets.full).toBeDefined();
    expect(() => resolveParams(e, 'quick')).not.toThrow();
    expect(() => resolveParams(e, 'full')).not.toThrow();
    for (const c of e.claims) expect(CLAIM_IDS as readonly string[]).toContain(c);
  });
});

describe('--set parsing', () => {
  it('parses typed values and rejects unknown keys, wrong types and out-of-range values with one line', () => {
    expect(parseSets(entropyRate as never, ['maxOrder=3', 'corpus=tang'])).toEqual({ maxOrder: 3, corpus: 'tang' });
    expect(() => parseSets(entropyRate as never, ['maxOrdr=3'])).toThrow(/maxOrdr: unknown parameter.*did you mean maxOrder/);
    expect(() => parseSets(entropyRate as never, ['maxOrder=abc'])).toThrow(/maxOrder=abc: expected an integer in \[1, 12\]/);
    expect(() => parseSets(entropyRate as never, ['maxOrder=99'])).toThrow(ParamError);
    expect(() => parseSets(entropyRate as never, ['corpus=latin'])).toThrow(/expected one of shakespeare, tang, song/);
    expect(() => parseSets(entropyRate as never, ['noequals'])).toThrow(/expected key=value/);
    for (const bad of ['maxOrdr=3', 'maxOrder=abc', 'corpus=latin']) {
      try {
        parseSets(entropyRate as never, [bad]);
      } catch (err) {
        expect((err as Error).message).not.toContain('\n');
      }
    }
  });
});

describe('the seeded rng', () => {
  it('is reproducible, forks independent streams and restores its state', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(new Rng(43).next()).not.toBe(xs[0]);
    const f1 = new Rng(42).fork('init').next();
    const f2 = new Rng(42).fork('data').next();
    expect(f1).not.toBe(f2);
    const c = new Rng(7);
    c.next();
    const s = c.getState();
    const next = c.next();
    const d = new Rng(0);
    d.setState(s);
    expect(d.next()).toBe(next);
    // normals have mean ≈ 0 and variance ≈ 1
    const n = new Rng(1).normalArray(20000);
    const mean = n.reduce((x, y) => x + y, 0) / n.length;
    const v = n.reduce((x, y) => x + (y - mean) ** 2, 0) / n.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(v - 1)).toBeLessThan(0.05);
  });
});
