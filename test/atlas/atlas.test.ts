import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  ancestorsOf,
  cite,
  CLAIM_BY_ID,
  CLAIM_IDS,
  CLAIMS,
  checkAtlas,
  PAPER_BY_ID,
  PAPERS,
  PLANNED_EXPERIMENTS,
  TEXTBOOK_BY_ID,
  TEXTBOOKS,
  TOPIC_BY_ID,
  TOPICS,
  topoSort,
} from '../../src/atlas/index.js';
import { Topic } from '../../src/atlas/schema.js';
import { EXPERIMENTS } from '../../src/experiments/registry.js';

/** The seed answer, shipped verbatim in docs/seed.md (a copy of ../shared/seed/seed.md). */
const SEED = path.resolve(__dirname, '../../docs/seed.md');
const squash = (s: string) => s.replace(/\s+/g, '');

describe('atlas data', () => {
  it('has the five sciences, the seven prerequisites, ≥ 25 real textbooks and a record for every claim id', () => {
    for (const id of ['information', 'control', 'optimization', 'compression', 'perception']) expect(TOPIC_BY_ID.get(id)?.kind).toBe('science');
    for (const id of ['calculus', 'linear-algebra', 'probability-statistics', 'numerical-methods', 'machine-learning', 'deep-learning', 'transformers'])
      expect(TOPIC_BY_ID.get(id)?.kind).toBe('prerequisite');
    expect(TEXTBOOKS.length).toBeGreaterThanOrEqual(25);
    expect(CLAIM_IDS.length).toBeGreaterThanOrEqual(25);
    expect(CLAIMS.map((c) => c.id).sort()).toEqual([...CLAIM_IDS].sort());
  });

  it('every cross-reference resolves, against the registry as it is now', () => {
    const problems = checkAtlas({ registered: EXPERIMENTS.map((e) => e.id), experiments: EXPERIMENTS });
    expect(problems).toEqual([]);
  });

  it('every referenced topic, book and paper exists; experiments are registered or planned', () => {
    const known = new Set<string>([...PLANNED_EXPERIMENTS, ...EXPERIMENTS.map((e) => e.id)]);
    for (const t of TOPICS) {
      for (const r of t.requires) expect(TOPIC_BY_ID.has(r), `${t.id} → ${r}`).toBe(true);
      for (const r of t.readings) expect(TEXTBOOK_BY_ID.has(r.book), `${t.id} → ${r.book}`).toBe(true);
      for (const p of t.papers) expect(PAPER_BY_ID.has(p), `${t.id} → ${p}`).toBe(true);
      for (const e of t.experiments) expect(known.has(e), `${t.id} → ${e}`).toBe(true);
    }
    for (const c of CLAIMS) {
      for (const p of c.papers) expect(PAPER_BY_ID.has(p), `${c.id} → ${p}`).toBe(true);
      for (const e of c.experiments) expect(known.has(e), `${c.id} → ${e}`).toBe(true);
    }
  });

  it('registered experiments cite only claim ids that exist', () => {
    for (const e of EXPERIMENTS) for (const c of e.claims) expect(CLAIM_BY_ID.has(c), `${e.id} cites ${c}`).toBe(true);
  });

  it('every claim has an experiment or an untestable reason, a quote, a paraphrase and a literature note', () => {
    for (const c of CLAIMS) {
      expect(c.experiments.length > 0 || c.untestable !== undefined, c.id).toBe(true);
      expect(c.note.zh.length).toBeGreaterThan(20);
      expect(c.note.en.length).toBeGreaterThan(20);
    }
  });

  it('the notes say that the seed cites blog posts where it cites [1] or [3]', () => {
    for (const c of CLAIMS.filter((c) => c.seedCites.includes(3) || c.seedCites.includes(1))) expect(c.note.en, c.id).toMatch(/blog post/);
  });

  it('quotes the seed verbatim (whitespace aside)', () => {
    const seed = squash(readFileSync(SEED, 'utf8'));
    for (const c of CLAIMS) expect(seed.includes(squash(c.quote)), `${c.id}: ${c.quote}`).toBe(true);
  });

  it('stores no verdicts: claim records have no verdict field', () => {
    for (const c of CLAIMS) expect(Object.keys(c)).not.toContain('verdict');
  });

  it('has every paper of ANCHORS.md', () => {
    const anchors = [
      'shannon-1951', 'nanogpt', 'ltcb', 'deletang-2024', 'tishby-1999', 'shwartz-ziv-2017', 'saxe-2018', 'hinton-2015', 'vandenoord-2018',
      'goh-2017', 'an-2018', 'loshchilov-2017', 'loshchilov-2019', 'pascanu-2013', 'zhang-2020-clipping',
      'li-2018-intrinsic', 'aghajanyan-2021', 'hu-2022-lora', 'wager-2013', 'martens-2015', 'gupta-2018-shampoo', 'kasimbeg-2025-algoperf',
      'candes-2006', 'donoho-2006', 'donoho-tanner-2009', 'tropp-2007', 'frankle-2019', 'chen-2020-bert-lottery', 'dettmers-2022',
      'frantar-2023-gptq', 'dong-2019-hawq', 'sanh-2019', 'radford-2021-clip', 'greydanus-2019', 'raissi-2019',
    ];
    for (const a of anchors) expect(PAPER_BY_ID.has(a), a).toBe(true);
    expect(PAPERS.every((p) => p.venue.length > 0 && p.year >= 1900)).toBe(true);
  });

  it('books: every Chinese edition has a title; translators only with the Chinese title', () => {
    for (const b of TEXTBOOKS) {
      if (b.zh) expect(b.zh.title.length).toBeGreaterThan(0);
      expect(b.authors.length).toBeGreaterThan(0);
      expect(b.publisher.length).toBeGreaterThan(0);
    }
    expect(TEXTBOOK_BY_ID.get('cover-thomas')?.zh?.title).toContain('信息论基础');
    expect(TEXTBOOK_BY_ID.get('goodfellow-dl')?.zh?.title).toBe('深度学习');
    expect(cite('golub-van-loan')).toBe('Golub & Van Loan, Matrix Computations (4th ed., 2013)');
    expect(cite('trefethen-bau')).toMatch(/^Trefethen & Bau,/);
    expect(cite('cover-thomas', 'zh')).toContain('中译本《信息论基础');
    expect(cite('zhou-ml')).toBe('周志华《机器学习》');
  });
});

describe('topic DAG', () => {
  it('is acyclic: a topological order exists and respects every edge', () => {
    const order = topoSort(TOPICS);
    expect(order.length).toBe(TOPICS.length);
    const pos = new Map(order.map((t, i) => [t.id, i] as const));
    for (const t of TOPICS) for (const r of t.requires) expect(pos.get(r)!, `${r} before ${t.id}`).toBeLessThan(pos.get(t.id)!);
  });

  it('topoSort detects a cycle', () => {
    const mk = (id: string, requires: string[]): Topic => ({
      id,
      kind: 'part',
      name: { zh: id, en: id },
      why: { zh: id, en: id },
      requires,
      experiments: [],
      readings: [],
      papers: [],
      hours: 1,
    });
    expect(() => topoSort([mk('a', ['c']), mk('b', ['a']), mk('c', ['b'])])).toThrow(/cycle/);
    expect(topoSort([mk('b', ['a']), mk('a', [])]).map((t) => t.id)).toEqual(['a', 'b']);
  });

  it('every science requires all its parts, and every part of a lens leads to its science', () => {
    for (const s of TOPICS.filter((t) => t.kind === 'science')) {
      const parts = TOPICS.filter((t) => t.kind === 'part' && t.lens === s.lens).map((t) => t.id);
      expect(parts.length).toBeGreaterThanOrEqual(4);
      expect([...s.requires].sort()).toEqual([...parts].sort());
    }
    const all = ancestorsOf('five-lenses');
    for (const t of TOPICS) if (t.id !== 'five-lenses') expect(all.has(t.id), t.id).toBe(true);
  });

  it('topics are valid against the zod schema (re-parse)', () => {
    expect(() => z.array(Topic).parse(TOPICS)).not.toThrow();
    for (const t of TOPICS.filter((t) => t.kind === 'part')) {
      expect(t.readings.length, t.id).toBeGreaterThan(0);
      expect(t.why.zh.length).toBeGreaterThan(30);
    }
  });
});
