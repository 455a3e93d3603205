/**
 * `fivelens audit [--preset quick|full] [--lens L] [--seed N] [--json] [--out DIR] [--from results.json]`
 *
 * Runs every registered experiment that bears on the seed's claims (all of them, or one lens's),
 * one after another under one progress bar; an experiment that throws is reported, not fatal.
 * Then prints the claim table — claim, verdict, measured, reference — and writes a static HTML
 * report (figures inline as SVG, Chinese and English), audit.json and results.json into DIR, all or nothing.
 * `--json` prints `{ "claims": [ { "id", "verdict", ... } ], "experiments": [...] }` instead.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import path from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { ExperimentResult, PresetName } from '../../experiments/contract.js';
import { EXPERIMENTS, getExperiment } from '../../experiments/registry.js';
import { runExperiment } from '../../experiments/runner.js';
import { nodeHost } from '../../experiments/node-host.js';
import { renderSvg } from '../../report/svg.js';
import { auditClaims, experimentsToRun, verdictCounts, type ClaimAudit, type ExperimentFailure } from '../../atlas/audit.js';
import { buildAuditHtml } from '../../atlas/report-html.js';
import { createProgress } from '../progress.js';
import { RunError, UsageError } from '../errors.js';

export const CLAIM_LENSES = ['information', 'control', 'optimization', 'compression', 'perception'] as const;

export interface AuditCommandOptions {
  preset?: PresetName;
  lens?: string;
  seed?: number;
  json?: boolean;
  /** output folder; default runs/audit/<timestamp>/; `false` writes nothing */
  out?: string | false;
  /** show the progress bar (default: stderr is a TTY and not --json) */
  progress?: boolean;
  signal?: AbortSignal;
  /** restrict to these experiment ids (tests) */
  only?: readonly string[];
  /** reuse the results of an earlier audit (its results.json) instead of running the experiments */
  from?: string;
  /** where text goes (default stdout) */
  print?: (line: string) => void;
}

export interface AuditRun {
  audits: ClaimAudit[];
  results: ExperimentResult[];
  failures: ExperimentFailure[];
  /** the folder written, if any */
  dir?: string;
}

/** The JSON shape of `--json` (and of audit.json). */
export function auditJson(run: AuditRun, preset: string, seed: number): Record<string, unknown> {
  return {
    preset,
    seed,
    counts: verdictCounts(run.audits),
    claims: run.audits.map((a) => ({
      id: a.id,
      lens: a.lens,
      verdict: a.verdict,
      measured: a.measured,
      reference: a.reference,
      ...(a.seedNumber ? { seedNumber: a.seedNumber } : {}),
      because: a.because,
      experiments: a.experiments,
      evidence: a.verdicts.map((v) => ({ experiment: v.experiment, verdict: v.verdict, evidence: v.evidence, ...(v.reference ? { reference: v.reference } : {}) })),
      quote: a.quote,
      en: a.en,
      note: a.note,
      ...(a.untestable ? { untestable: a.untestable } : {}),
    })),
    experiments: [
      ...run.results.map((r) => ({ id: r.id, status: 'ran', wallTimeMs: Math.round(r.wallTimeMs), verdicts: r.verdicts.map((v) => ({ claim: v.claim, verdict: v.verdict })) })),
      ...run.failures.map((f) => ({ id: f.id, status: 'failed', error: f.error })),
    ],
  };
}

const VERDICT_MARK: Record<string, string> = {
  reproduced: 'reproduced',
  partly: 'partly',
  'not-reproduced': 'NOT reproduced',
  untestable: 'untestable',
  'not-run': 'not run',
};

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

/** The claim table as plain text lines. */
export function auditTable(audits: readonly ClaimAudit[]): string[] {
  const rows = audits.map((a) => [a.id, VERDICT_MARK[a.verdict]!, clip(a.measured || '—', 48), clip(a.reference || '—', 60)]);
  const head = ['claim', 'verdict', 'measured', 'reference'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(w[i]!)).join('  ').trimEnd();
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)];
}

function defaultDir(): string {
  return path.join(process.cwd(), 'runs', 'audit', new Date().toISOString().replace(/[:.]/g, '-'));
}

/** Run the audit; the CLI action and the tests both call this. */
export async function runAudit(opts: AuditCommandOptions = {}): Promise<AuditRun> {
  let preset: string = opts.preset ?? 'quick';
  let seed = opts.seed ?? 1337;
  const print = opts.print ?? ((s: string) => void process.stdout.write(s + '\n'));
  if (opts.lens !== undefined && !(CLAIM_LENSES as readonly string[]).includes(opts.lens))
    throw new UsageError(`--lens ${opts.lens}: expected one of ${CLAIM_LENSES.join(', ')}`);
  let dir: string | undefined;
  if (opts.out !== false) {
    dir = opts.out ? path.resolve(opts.out) : defaultDir();
    if (existsSync(dir) && readdirSync(dir).length > 0) throw new UsageError(`--out ${opts.out}: folder exists and is not empty; choose a new or empty folder`);
  }

  const registered = EXPERIMENTS.map((e) => ({ id: e.id, lens: e.lens, claims: e.claims }));
  let ids = experimentsToRun(registered, opts.lens ? { lens: opts.lens } : {});
  if (opts.only) ids = ids.filter((id) => opts.only!.includes(id));

  const results: ExperimentResult[] = [];
  const failures: ExperimentFailure[] = [];
  if (opts.from) {
    let saved: { results?: ExperimentResult[]; failures?: ExperimentFailure[] };
    try {
      saved = JSON.parse(await readFile(opts.from, 'utf8')) as typeof saved;
    } catch (err) {
      throw new UsageError(`--from ${opts.from}: cannot read it as the results.json of an audit (${(err as Error).message})`);
    }
    if (!Array.isArray(saved.results)) throw new UsageError(`--from ${opts.from}: no "results" array; expected the results.json an audit writes`);
    const keep = new Set(ids);
    results.push(...saved.results.filter((r) => keep.has(r.id)));
    failures.push(...(saved.failures ?? []).filter((f) => keep.has(f.id)));
    ids = [];
    if (results[0]) ({ preset, seed } = { preset: String(results[0].preset), seed: results[0].seed });
  }
  const showBar = opts.progress ?? (!opts.json && process.stderr.isTTY === true);
  const bar = createProgress('audit', showBar && ids.length > 0);
  const signal = opts.signal ?? new AbortController().signal;
  // without a bar (not a TTY), one line per experiment on stderr, unless --json or progress: false
  const note = !showBar && !opts.json && opts.progress !== false ? (s: string) => void process.stderr.write(s + '\n') : () => {};
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const exp = getExperiment(id)!;
    const label = `${i + 1}/${ids.length} ${id}`;
    bar.update(i / ids.length, label);
    note(`audit: ${label} (${preset})…`);
    const t0 = performance.now();
    try {
      const r = await runExperiment(
        exp,
        nodeHost({ signal, progress: (f, m) => bar.update((i + Math.min(1, Math.max(0, f))) / ids.length, m ? `${label}: ${m}` : label) }),
        { preset: preset as PresetName, seed },
      );
      results.push(r);
      note(`audit: ${label} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      if ((err as Error).name === 'AbortError' || signal.aborted) {
        bar.stop();
        throw new RunError('audit aborted; nothing was written');
      }
      failures.push({ id, error: (err as Error).message ?? String(err) });
      note(`audit: ${label} FAILED: ${(err as Error).message ?? String(err)}`);
    }
  }
  bar.update(1, 'done');
  bar.stop();

  const audits = auditClaims(results, { registered, failures, ...(opts.lens ? { lens: opts.lens } : {}) });
  const run: AuditRun = { audits, results, failures };

  if (dir) {
    const svgs: Record<string, Record<string, string>> = {};
    // vega-lite logs a WARN line per questionable spec option; keep them out of the audit's output
    const warn = console.warn;
    let vegaWarnings = 0;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith('WARN')) vegaWarnings++;
      else warn(...args);
    };
    try {
      for (const r of results) {
        svgs[r.id] = {};
        for (const f of r.figures) {
          try {
            svgs[r.id]![f.id] = await renderSvg(f.spec);
          } catch (err) {
            failures.push({ id: `${r.id}#${f.id}`, error: `figure did not render: ${(err as Error).message}` });
          }
        }
      }
    } finally {
      console.warn = warn;
    }
    void vegaWarnings;
    const titles = Object.fromEntries(EXPERIMENTS.map((e) => [e.id, e.title]));
    const html = buildAuditHtml({
      audits,
      results,
      failures,
      svgs,
      titles,
      preset,
      seed,
      generatedAt: new Date().toISOString(),
      ...(results[0] ? { versions: results[0].versions } : {}),
    });
    // all or nothing: write into a sibling temp folder, then rename it into place
    const tmp = `${dir}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    try {
      await writeFile(path.join(tmp, 'index.html'), html);
      await writeFile(path.join(tmp, 'audit.json'), JSON.stringify(auditJson(run, preset, seed), null, 2));
      // the raw results, so the report can be rebuilt (or loaded by the web lab) without rerunning
      await writeFile(path.join(tmp, 'results.json'), JSON.stringify({ results, failures }));
      if (existsSync(dir)) await rm(dir, { recursive: true }); // only ever an empty folder (checked above)
      await mkdir(path.dirname(dir), { recursive: true });
      await rename(tmp, dir);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw err;
    }
    run.dir = dir;
  }

  if (opts.json) {
    print(JSON.stringify(auditJson(run, preset, seed)));
  } else {
    const counts = verdictCounts(audits);
    print('');
    for (const l of auditTable(audits)) print(l);
    print('');
    print(
      `${audits.length} claims: ${Object.entries(counts)
        .filter(([, n]) => n > 0)
        .map(([v, n]) => `${n} ${VERDICT_MARK[v]}`)
        .join(', ')} · ${results.length} experiments ran${failures.length ? `, ${failures.length} failed` : ''}`,
    );
    for (const f of failures) print(`  failed: ${f.id}: ${f.error}`);
    if (run.dir) {
      const file = path.join(run.dir, 'index.html');
      const rel = path.relative(process.cwd(), file);
      print(`report: ${rel.startsWith('..') ? file : rel}`);
    }
  }
  return run;
}

export function register(program: Command): void {
  program
    .command('audit')
    .description("run the experiments behind the seed answer's claims; print and write the verdicts (HTML report, zh + en)")
    .addOption(new Option('--preset <preset>', 'quick (seconds each) or full (the real results)').choices(['quick', 'full']).default('quick'))
    .addOption(new Option('--lens <lens>', 'only the claims of one lens').choices([...CLAIM_LENSES]))
    .option('--seed <n>', 'random seed', '1337')
    .option('--out <dir>', 'report folder (default runs/audit/<timestamp>/)')
    .option('--json', 'print only JSON on stdout: { "claims": [ { "id", "verdict", ... } ] }')
    .option('--from <results.json>', 'rebuild the verdicts and the report from an earlier audit, without running anything')
    .action(async (o: { preset: PresetName; lens?: string; seed: string; out?: string; json?: boolean; from?: string }) => {
      const seed = Number(o.seed);
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError(`--seed ${o.seed}: expected an integer in [0, 4294967295]`);
      const ac = new AbortController();
      const onInt = () => ac.abort();
      process.on('SIGINT', onInt);
      try {
        await runAudit({
          preset: o.preset,
          seed,
          signal: ac.signal,
          ...(o.lens ? { lens: o.lens } : {}),
          ...(o.out ? { out: o.out } : {}),
          ...(o.json ? { json: true } : {}),
          ...(o.from ? { from: o.from } : {}),
        });
      } finally {
        process.off('SIGINT', onInt);
      }
    });
}
