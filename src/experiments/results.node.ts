/**
 * The committed full results: `results/<experiment-id>.json`, one per registered experiment, made by
 * `npm run results` (the full preset, the default seed) and checked by `npm run results:check`.
 *
 * Each result records the hash of the source that produced it: the experiment's module and every
 * module it imports (value imports, transitively, and workers it starts), the shipped data, the
 * tfjs version, the resolved full-preset parameters and the seed. A result whose recorded hash
 * differs from the hash of the tree at hand is stale.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Experiment, ExperimentResult } from './contract.js';
import { resolveParams } from './params.js';
import { DEFAULT_SEED } from './runner.js';
import { rederive } from './verdict.js';
import { DATA_DIR, PROJECT_ROOT } from './node-host.js';

export const RESULTS_DIR = path.join(PROJECT_ROOT, 'results');
const SRC = path.join(PROJECT_ROOT, 'src');

/** What a committed result carries beyond the ExperimentResult. */
export interface ResultSource {
  /** sha256 (hex) of the sources, data, versions, parameters and seed */
  hash: string;
  /** the source files hashed, relative to the project root */
  files: string[];
}
export type CommittedResult = ExperimentResult & { source: ResultSource };

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const f = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listTs(f));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(f);
  }
  return out;
}

let moduleById: Map<string, string> | undefined;
const EXP_ID = /\bid:\s*'((?:information|control|optimization|compression|perception|gpt)\.[a-z0-9-]+)'/g;

/** The source file that defines experiment `id` (the file calling defineExperiment with that id). */
export function experimentModule(id: string): string {
  if (!moduleById) {
    moduleById = new Map();
    for (const f of listTs(SRC)) {
      const text = readFileSync(f, 'utf8');
      if (!text.includes('defineExperiment(')) continue;
      for (const m of text.matchAll(EXP_ID)) if (!moduleById.has(m[1]!)) moduleById.set(m[1]!, f);
    }
  }
  const f = moduleById.get(id);
  if (!f) throw new Error(`no source file defines experiment ${id}`);
  return f;
}

// value imports and re-exports (not `import type`), dynamic imports, and workers started from a URL
const STATIC = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;
const DYNAMIC = /(?:import\(|new URL\()\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function resolveSpec(from: string, spec: string): string | undefined {
  const abs = path.resolve(path.dirname(from), spec);
  for (const c of [abs.replace(/\.js$/, '.ts'), abs, `${abs}.ts`, path.join(abs, 'index.ts')]) if (existsSync(c) && c.endsWith('.ts')) return c;
  return undefined;
}

/** The experiment module and everything it imports, transitively (absolute paths, sorted). */
export function importClosure(entry: string): string[] {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const text = readFileSync(f, 'utf8');
    for (const re of [STATIC, DYNAMIC])
      for (const m of text.matchAll(re)) {
        const dep = resolveSpec(f, m[1]!);
        if (dep && !seen.has(dep)) stack.push(dep);
      }
  }
  return [...seen].sort();
}

function tfjsVersion(): string {
  const f = path.join(PROJECT_ROOT, 'node_modules', '@tensorflow', 'tfjs', 'package.json');
  return existsSync(f) ? String((JSON.parse(readFileSync(f, 'utf8')) as { version?: string }).version) : 'unknown';
}

let dataHash: string | undefined;
function hashData(): string {
  if (dataHash) return dataHash;
  const h = createHash('sha256');
  for (const name of readdirSync(DATA_DIR).sort()) {
    if (name.endsWith('.md')) continue;
    h.update(name).update('\0').update(readFileSync(path.join(DATA_DIR, name)));
  }
  return (dataHash = h.digest('hex'));
}

/** The source hash a full-preset result of `exp` made from this tree would record. */
export function sourceOf(exp: Experiment): ResultSource {
  const files = importClosure(experimentModule(exp.id));
  const h = createHash('sha256');
  for (const f of files) h.update(path.relative(PROJECT_ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
  h.update(`data:${hashData()}\0tfjs:${tfjsVersion()}\0`);
  h.update(`params:${JSON.stringify(resolveParams(exp, 'full', {}))}\0seed:${DEFAULT_SEED}`);
  return { hash: h.digest('hex'), files: files.map((f) => path.relative(PROJECT_ROOT, f)) };
}

export const resultFile = (id: string): string => path.join(RESULTS_DIR, `${id}.json`);

/** The committed result of `id`, or undefined if there is none (or it cannot be read). */
export function readResult(id: string): CommittedResult | undefined {
  const f = resultFile(id);
  if (!existsSync(f)) return undefined;
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as CommittedResult;
  } catch {
    return undefined;
  }
}

export type ResultStatus = 'fresh' | 'stale' | 'missing' | 'invalid';

/** How the committed result of `exp` stands, and why. */
export function resultStatus(exp: Experiment): { status: ResultStatus; why: string } {
  const r = readResult(exp.id);
  if (!r) return { status: 'missing', why: existsSync(resultFile(exp.id)) ? 'cannot be read as JSON' : 'no results/' + `${exp.id}.json` };
  if (r.id !== exp.id || r.preset !== 'full' || r.seed !== DEFAULT_SEED) return { status: 'invalid', why: `made with preset ${r.preset}, seed ${r.seed}; expected the full preset, seed ${DEFAULT_SEED}` };
  for (const v of r.verdicts) {
    const wrong = rederive(v);
    if (wrong) return { status: 'invalid', why: wrong };
  }
  const now = sourceOf(exp);
  if (r.source?.hash !== now.hash) {
    const before = new Set(r.source?.files ?? []);
    const added = now.files.filter((f) => !before.has(f));
    return { status: 'stale', why: `its sources, data or parameters changed since it was made${added.length ? ` (new imports: ${added.slice(0, 3).join(', ')})` : ''}` };
  }
  return { status: 'fresh', why: '' };
}
