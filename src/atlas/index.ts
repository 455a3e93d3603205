/**
 * The atlas, loaded: every data module parsed through its zod schema at import (a malformed
 * record throws here, naming the record), plus lookups and `checkAtlas`, which checks every
 * cross-reference — topic → topic/book/paper/experiment, claim → paper/experiment — and that the
 * topic graph is a DAG. No I/O: the browser imports this as it is.
 */
import { z } from 'zod';
import { CLAIM_IDS } from './claim-ids.js';
import { Claim, Paper, Textbook, Topic } from './schema.js';
import { TOPICS_DATA } from './topics.js';
import { TEXTBOOKS_DATA } from './textbooks.js';
import { PAPERS_DATA } from './papers.js';
import { CLAIMS_DATA } from './claims.js';
import { PLANNED_EXPERIMENTS } from './experiment-plan.js';

export type { Topic, Textbook, Paper, Claim } from './schema.js';
export { CLAIM_IDS, type ClaimId } from './claim-ids.js';
export { PLANNED_EXPERIMENTS } from './experiment-plan.js';

function parseAll<T>(kind: string, schema: z.ZodType<T>, rows: unknown[]): T[] {
  return rows.map((row, i) => {
    const r = schema.safeParse(row);
    if (!r.success) {
      const id = (row as { id?: string }).id ?? `#${i}`;
      throw new Error(`atlas: invalid ${kind} "${id}": ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    }
    return r.data;
  });
}

export const TOPICS: readonly Topic[] = parseAll('topic', Topic, TOPICS_DATA);
export const TEXTBOOKS: readonly Textbook[] = parseAll('textbook', Textbook, TEXTBOOKS_DATA);
export const PAPERS: readonly Paper[] = parseAll('paper', Paper, PAPERS_DATA);
export const CLAIMS: readonly Claim[] = parseAll('claim', Claim, CLAIMS_DATA);

const byId = <T extends { id: string }>(xs: readonly T[]) => new Map(xs.map((x) => [x.id, x] as const));
export const TOPIC_BY_ID: ReadonlyMap<string, Topic> = byId(TOPICS);
export const TEXTBOOK_BY_ID: ReadonlyMap<string, Textbook> = byId(TEXTBOOKS);
export const PAPER_BY_ID: ReadonlyMap<string, Paper> = byId(PAPERS);
export const CLAIM_BY_ID: ReadonlyMap<string, Claim> = byId(CLAIMS);

export function getTopic(id: string): Topic | undefined {
  return TOPIC_BY_ID.get(id);
}
export function getClaim(id: string): Claim | undefined {
  return CLAIM_BY_ID.get(id);
}

/**
 * Topological order of `topics` (Kahn's algorithm; ties broken by the order of the list, so the
 * result is deterministic). Throws if the graph has a cycle, naming the topics on it.
 */
export function topoSort(topics: readonly Topic[]): Topic[] {
  const index = new Map(topics.map((t, i) => [t.id, i] as const));
  const indeg = new Map<string, number>(topics.map((t) => [t.id, 0]));
  const children = new Map<string, string[]>(topics.map((t) => [t.id, []]));
  for (const t of topics)
    for (const r of t.requires) {
      if (!index.has(r)) continue; // edges to topics outside the set are ignored here
      indeg.set(t.id, indeg.get(t.id)! + 1);
      children.get(r)!.push(t.id);
    }
  const ready = topics.filter((t) => indeg.get(t.id) === 0).map((t) => t.id);
  const out: Topic[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => index.get(a)! - index.get(b)!);
    const id = ready.shift()!;
    out.push(topics[index.get(id)!]!);
    for (const c of children.get(id)!) {
      indeg.set(c, indeg.get(c)! - 1);
      if (indeg.get(c) === 0) ready.push(c);
    }
  }
  if (out.length !== topics.length) {
    const stuck = topics.filter((t) => indeg.get(t.id)! > 0).map((t) => t.id);
    throw new Error(`atlas: the topic graph has a cycle through ${stuck.join(', ')}`);
  }
  return out;
}

/** All topics `id` depends on, directly or not (not including itself). */
export function ancestorsOf(id: string, topics: ReadonlyMap<string, Topic> = TOPIC_BY_ID): Set<string> {
  const seen = new Set<string>();
  const stack = [...(topics.get(id)?.requires ?? [])];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    stack.push(...(topics.get(t)?.requires ?? []));
  }
  return seen;
}

export interface AtlasCheckOptions {
  /** ids of the experiments registered now; an experiment id must be registered or planned */
  registered?: readonly string[];
  /** the experiments as registered (id + the claims they cite), to check their claim ids */
  experiments?: readonly { id: string; claims: readonly string[] }[];
}

/** Every broken reference and structural problem of the atlas, as one line each (empty = fine). */
export function checkAtlas(opts: AtlasCheckOptions = {}): string[] {
  const problems: string[] = [];
  const known = new Set<string>([...PLANNED_EXPERIMENTS, ...(opts.registered ?? [])]);
  const dup = (kind: string, xs: readonly { id: string }[]) => {
    const seen = new Set<string>();
    for (const x of xs) {
      if (seen.has(x.id)) problems.push(`duplicate ${kind} id ${x.id}`);
      seen.add(x.id);
    }
  };
  dup('topic', TOPICS);
  dup('textbook', TEXTBOOKS);
  dup('paper', PAPERS);
  dup('claim', CLAIMS);

  for (const t of TOPICS) {
    for (const r of t.requires) if (!TOPIC_BY_ID.has(r)) problems.push(`topic ${t.id} requires unknown topic ${r}`);
    for (const r of t.readings) if (!TEXTBOOK_BY_ID.has(r.book)) problems.push(`topic ${t.id} cites unknown book ${r.book}`);
    for (const p of t.papers) if (!PAPER_BY_ID.has(p)) problems.push(`topic ${t.id} cites unknown paper ${p}`);
    for (const e of t.experiments) if (!known.has(e)) problems.push(`topic ${t.id} names unknown experiment ${e}`);
    if (t.requires.includes(t.id)) problems.push(`topic ${t.id} requires itself`);
  }
  try {
    topoSort(TOPICS);
  } catch (err) {
    problems.push((err as Error).message);
  }

  const claimIds = new Set<string>(CLAIM_IDS);
  for (const id of CLAIM_IDS) if (!CLAIM_BY_ID.has(id)) problems.push(`claim ${id} has no record in claims.ts`);
  for (const c of CLAIMS) {
    for (const p of c.papers) if (!PAPER_BY_ID.has(p)) problems.push(`claim ${c.id} cites unknown paper ${p}`);
    for (const e of c.experiments) if (!known.has(e)) problems.push(`claim ${c.id} names unknown experiment ${e}`);
    if (c.experiments.length === 0 && !c.untestable) problems.push(`claim ${c.id} has neither an experiment nor an untestable reason`);
  }
  for (const e of opts.experiments ?? [])
    for (const c of e.claims) if (!claimIds.has(c)) problems.push(`experiment ${e.id} cites unknown claim ${c}`);
  return problems;
}

/** Experiments that bear on a claim: those the atlas names plus those that cite it in `claims`. */
export function experimentsForClaim(claimId: string, registered: readonly { id: string; claims: readonly string[] }[]): string[] {
  const fromAtlas = CLAIM_BY_ID.get(claimId)?.experiments ?? [];
  const fromRegistry = registered.filter((e) => e.claims.includes(claimId)).map((e) => e.id);
  return [...new Set([...fromAtlas, ...fromRegistry])];
}

/** Short citation for a book: "Cover & Thomas, Elements of Information Theory (2nd ed., 2006)". */
export function cite(bookId: string, lang: 'zh' | 'en' = 'en'): string {
  const b = TEXTBOOK_BY_ID.get(bookId);
  if (!b) return bookId;
  const surname = (a: string) => {
    if (/[\u4e00-\u9fff]/.test(a)) return a;
    const w = a.replace(/,? (Jr\.|II|III|IV)$/, '').split(' ');
    const last = w.length - 1;
    return last > 0 && /^(van|von|de|der|den|Van|Von|De)$/.test(w[last - 1]!) ? `${w[last - 1]} ${w[last]}` : w[last]!;
  };
  const who = b.authors.length > 2 ? `${surname(b.authors[0]!)} et al.` : b.authors.map(surname).join(' & ');
  if (b.chinese) return `${who}《${b.title}》${b.edition ? `（${b.edition}）` : ''}`;
  const ed = b.edition ? `${b.edition} ed., ` : '';
  const base = `${who}, ${b.title} (${ed}${b.year})`;
  return lang === 'zh' && b.zh ? `${base}，中译本《${b.zh.title}》` : base;
}

/** Short citation for a paper: "Hinton, Vinyals, Dean 2015 (NIPS Deep Learning Workshop)". */
export function citePaper(paperId: string): string {
  const p = PAPER_BY_ID.get(paperId);
  return p ? `${p.authors} ${p.year}, "${p.title}" (${p.venue})` : paperId;
}
