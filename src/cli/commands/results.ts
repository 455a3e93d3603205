/**
 * `fivelens results [ids...] [--jobs N] [--force] [--check] [--readme-only] [--json]` — the committed full results.
 *
 * Without --check: runs the full preset (default seed) of every registered experiment whose
 * `results/<id>.json` is missing or stale (or of the given ids; `--force` reruns fresh ones too), one
 * at a time under one progress bar, and writes each result as it finishes (temp file + rename), with
 * its figures as SVG in `results/<id>/`. A stopped run keeps what finished: run it again to go on.
 * Then it rewrites the generated tables of the READMEs from results/.
 * `--check` runs nothing: it exits 1 if a result is missing, stale (its experiment's code, data or
 * parameters changed) or does not re-derive its verdicts from their criteria.
 */
import type { Command } from 'commander';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Experiment } from '../../experiments/contract.js';
import { EXPERIMENTS, getExperiment } from '../../experiments/registry.js';
import { nearest } from '../../experiments/registry-names.js';
import { runExperiment, DEFAULT_SEED } from '../../experiments/runner.js';
import { nodeHost, writeFileAtomic, PROJECT_ROOT } from '../../experiments/node-host.js';
import { RESULTS_DIR, readResult, resultFile, resultStatus, sourceOf, type CommittedResult } from '../../experiments/results.node.js';
import { renderSvg } from '../../report/svg.js';
import { auditClaims } from '../../atlas/audit.js';
import { readmeTable, replaceGenerated } from '../../atlas/readme-table.js';
import { createProgress } from '../progress.js';
import { RunError, UsageError } from '../errors.js';

export interface ResultsOptions {
  ids?: readonly string[];
  /** run this many experiments at once, each in its own process (default 1: in this process) */
  jobs?: number;
  /** do not rewrite the READMEs' tables afterwards */
  noReadme?: boolean;
  force?: boolean;
  check?: boolean;
  json?: boolean;
  signal?: AbortSignal;
  print?: (line: string) => void;
}

function pick(ids: readonly string[] | undefined): Experiment[] {
  if (!ids || ids.length === 0) return [...EXPERIMENTS];
  return ids.map((id) => {
    const e = getExperiment(id);
    if (!e) {
      const near = nearest(id, EXPERIMENTS.map((x) => x.id));
      throw new UsageError(`${id}: unknown experiment${near.length ? `; did you mean ${near.join(', ')}?` : ''}`);
    }
    return e;
  });
}

/** `--check`: the status of every committed result; throws RunError when any is not fresh. */
export function checkResults(opts: ResultsOptions = {}): { id: string; status: string; why: string }[] {
  const rows = pick(opts.ids).map((e) => ({ id: e.id, ...resultStatus(e) }));
  const print = opts.print ?? ((s: string) => void process.stdout.write(s + '\n'));
  const bad = rows.filter((r) => r.status !== 'fresh');
  if (opts.json) print(JSON.stringify({ ok: bad.length === 0, results: rows }));
  else {
    for (const r of bad) print(`${r.status.padEnd(7)} ${r.id}: ${r.why}`);
    print(bad.length === 0 ? `results: all ${rows.length} fresh` : `results: ${bad.length} of ${rows.length} not fresh; run: npm run results`);
  }
  if (bad.length > 0) throw new RunError(`${bad.length} committed result${bad.length === 1 ? ' is' : 's are'} not fresh (${bad.map((r) => r.id).join(', ')})`);
  return rows;
}

async function writeFigures(r: CommittedResult): Promise<void> {
  const dir = path.join(RESULTS_DIR, r.id);
  if (existsSync(dir)) for (const f of readdirSync(dir)) if (f.endsWith('.svg')) await rm(path.join(dir, f), { force: true });
  for (const f of r.figures) await writeFileAtomic(path.join(dir, `${f.id}.svg`), await renderSvg(f.spec));
}

/** Rewrite the generated tables of README.md and README.zh-CN.md from results/. */
export async function writeReadmes(): Promise<void> {
  const results = EXPERIMENTS.map((e) => readResult(e.id)).filter((r): r is CommittedResult => r !== undefined);
  const audits = auditClaims(results, { registered: EXPERIMENTS.map((e) => ({ id: e.id, claims: e.claims })) });
  for (const [file, lang] of [['README.md', 'en'], ['README.zh-CN.md', 'zh']] as const) {
    const f = path.join(PROJECT_ROOT, file);
    if (!existsSync(f)) continue;
    const text = await readFile(f, 'utf8');
    const next = replaceGenerated(text, readmeTable(audits, lang));
    if (next !== text) await writeFileAtomic(f, next);
  }
}

/** Run the full preset of every missing or stale result (or the given ids). */
export async function makeResults(opts: ResultsOptions = {}): Promise<string[]> {
  const print = opts.print ?? ((s: string) => void process.stderr.write(s + '\n'));
  const todo = pick(opts.ids).filter((e) => opts.force || (opts.ids?.length ?? 0) > 0 || resultStatus(e).status !== 'fresh');
  if ((opts.jobs ?? 1) > 1 && todo.length > 1) return makeInParallel(todo, opts.jobs!, opts, print);
  const signal = opts.signal ?? new AbortController().signal;
  const bar = createProgress('results', !opts.json && process.stderr.isTTY === true && todo.length > 0);
  const done: string[] = [];
  await mkdir(RESULTS_DIR, { recursive: true });
  try {
    for (let i = 0; i < todo.length; i++) {
      const exp = todo[i]!;
      const label = `${i + 1}/${todo.length} ${exp.id}`;
      if (signal.aborted) throw new RunError(`results stopped; ${done.length} written; run it again to go on`);
      bar.update(i / todo.length, label);
      const t0 = performance.now();
      const source = sourceOf(exp); // hashed before the run: the result says which tree made it
      const r = await runExperiment(exp, nodeHost({ signal, progress: (f, m) => bar.update((i + Math.min(1, Math.max(0, f))) / todo.length, m ? `${label}: ${m}` : label) }), { preset: 'full', seed: DEFAULT_SEED });
      const committed: CommittedResult = { ...r, source };
      await writeFigures(committed);
      await writeFileAtomic(resultFile(exp.id), JSON.stringify(committed, null, 1) + '\n');
      done.push(exp.id);
      if (!process.stderr.isTTY || opts.json) print(`results: ${label} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  } catch (err) {
    if ((err as Error).name === 'AbortError' || signal.aborted) throw new RunError(`results stopped; ${done.length} written, each whole; run it again to go on`);
    throw err;
  } finally {
    bar.stop();
  }
  if (!opts.noReadme) await writeReadmes();
  return done;
}

/**
 * `--jobs N`: N child processes, each running `fivelens results <id> --no-readme` for one experiment
 * at a time (the longest known first); each child writes its own result whole. Ctrl-C stops them all.
 */
async function makeInParallel(todo: Experiment[], jobs: number, opts: ResultsOptions, print: (s: string) => void): Promise<string[]> {
  const { spawn } = await import('node:child_process');
  const bin = path.join(PROJECT_ROOT, 'bin', 'fivelens.mjs');
  const known = (e: Experiment) => readResult(e.id)?.wallTimeMs ?? 0;
  const queue = [...todo].sort((a, b) => known(b) - known(a));
  const done: string[] = [];
  const failed: string[] = [];
  const children = new Set<import('node:child_process').ChildProcess>();
  const onAbort = () => children.forEach((c) => c.kill('SIGINT'));
  opts.signal?.addEventListener('abort', onAbort);
  const worker = async (): Promise<void> => {
    for (let e = queue.shift(); e && !opts.signal?.aborted; e = queue.shift()) {
      const exp = e;
      const t0 = performance.now();
      const code = await new Promise<number>((resolve) => {
        const c = spawn(process.execPath, [bin, 'results', exp.id, '--no-readme'], { stdio: ['ignore', 'ignore', 'pipe'] });
        children.add(c);
        let err = '';
        c.stderr!.on('data', (d: Buffer) => void (err = (err + d.toString()).slice(-2000)));
        c.on('close', (n) => {
          children.delete(c);
          if (n !== 0) print(`results: ${exp.id} FAILED (exit ${n}): ${err.trim().split('\n').pop()}`);
          resolve(n ?? 1);
        });
      });
      (code === 0 ? done : failed).push(exp.id);
      if (code === 0) print(`results: ${done.length + failed.length}/${todo.length} ${exp.id} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  opts.signal?.removeEventListener('abort', onAbort);
  if (opts.signal?.aborted) throw new RunError(`results stopped; ${done.length} written, each whole; run it again to go on`);
  if (!opts.noReadme) await writeReadmes();
  if (failed.length > 0) throw new RunError(`${failed.length} experiment${failed.length === 1 ? '' : 's'} failed: ${failed.join(', ')}`);
  return done;
}

export function register(program: Command): void {
  program
    .command('results')
    .description('make the committed full results (results/<id>.json) of stale or missing experiments, or --check them')
    .argument('[ids...]', 'only these experiments (default: every stale or missing one)')
    .option('--force', 'rerun even fresh results')
    .option('--check', 'run nothing: exit 1 if a committed result is missing, stale or inconsistent')
    .option('--readme-only', "run nothing: only rewrite the READMEs' generated tables from results/")
    .option('--no-readme', "do not rewrite the READMEs' tables afterwards")
    .option('--jobs <n>', 'run n experiments at once, each in its own process (default 1)')
    .option('--json', 'JSON on stdout')
    .action(async (ids: string[], o: { force?: boolean; check?: boolean; readme?: boolean; readmeOnly?: boolean; json?: boolean; jobs?: string }) => {
      const jobs = o.jobs === undefined ? 1 : Number(o.jobs);
      if (!Number.isInteger(jobs) || jobs < 1 || jobs > 16) throw new UsageError(`--jobs ${o.jobs}: expected an integer in [1, 16]`);
      if (o.check) {
        checkResults({ ids, ...(o.json ? { json: true } : {}) });
        return;
      }
      if (o.readmeOnly) return writeReadmes();
      const ac = new AbortController();
      const onInt = () => ac.abort();
      process.on('SIGINT', onInt);
      try {
        const done = await makeResults({ ids, jobs, signal: ac.signal, ...(o.readme === false ? { noReadme: true } : {}), ...(o.force ? { force: true } : {}), ...(o.json ? { json: true } : {}) });
        if (o.json) process.stdout.write(JSON.stringify({ written: done }) + '\n');
      } finally {
        process.off('SIGINT', onInt);
      }
    });
}
