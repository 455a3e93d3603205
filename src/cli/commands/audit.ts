/**
 * `fivelens audit [--preset quick|full] [--lens L] [--only ids] [--seed N] [--json] [--out DIR | --resume DIR] [--from results.json]`
 *
 * Without --preset (or --from / --resume) nothing runs: the committed full-preset results in results/
 * (made by `npm run results`) answer in seconds, and stale or missing ones are named.
 * With --preset it runs every registered experiment that bears on the seed's claims (all of them, one lens's, or the
 * `--only` ones), one after another under one progress bar; an experiment that throws is reported, not fatal.
 * Each finished result is saved at once as DIR/results/<id>.json (temp file + rename, never half-written),
 * after DIR/audit-run.json records preset, seed and selection; so a stopped audit (Ctrl-C, a kill) keeps
 * what finished, and `--resume DIR` reuses every saved result whose id, preset, params and seed match,
 * runs the rest and writes the report. Then it prints the claim table — claim, verdict, measured,
 * reference — and writes a static HTML report (figures inline as SVG, Chinese and English),
 * audit.json and results.json into DIR, each file whole or not at all.
 * `--json` prints `{ "claims": [ { "id", "verdict", ... } ], "experiments": [...] }` instead. Verdicts of a
 * quick preset are previews and labelled so, in the table and in the JSON.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import path from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import type { Experiment, ExperimentResult, PresetName } from '../../experiments/contract.js';
import { EXPERIMENTS, getExperiment } from '../../experiments/registry.js';
import { runExperiment } from '../../experiments/runner.js';
import { nodeHost, writeFileAtomic } from '../../experiments/node-host.js';
import { resolveParams } from '../../experiments/params.js';
import { nearest } from '../../experiments/registry-names.js';
import { renderSvg } from '../../report/svg.js';
import { auditClaims, experimentsToRun, resultsFromJson, resultsToJson, stableJson, verdictCounts, whyNotReusable, type ClaimAudit, type ExperimentFailure } from '../../atlas/audit.js';
import { buildAuditHtml } from '../../atlas/report-html.js';
import { createProgress } from '../progress.js';
import { readResult, resultStatus } from '../../experiments/results.node.js';
import { explainVerdict } from '../../experiments/verdict.js';
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
  /**
   * continue the audit in this folder: its manifest gives preset, seed and selection; experiments whose
   * saved result matches (id, preset, params, seed) are reused, the rest run
   */
  resume?: string;
  /** where text goes (default stdout) */
  print?: (line: string) => void;
}

export interface AuditRun {
  audits: ClaimAudit[];
  results: ExperimentResult[];
  failures: ExperimentFailure[];
  /** ids whose saved result a resumed audit reused instead of running them again */
  reused: string[];
  /** the folder written, if any */
  dir?: string;
  /** committed results that are stale, missing or inconsistent (the default, committed audit) */
  stale?: { id: string; status: string; why: string }[];
  /** verdicts from a quick preset: previews, not the full verdicts */
  preview?: boolean;
}

/** The JSON shape of `--json` (and of audit.json). */
export function auditJson(run: AuditRun, preset: string, seed: number): Record<string, unknown> {
  return {
    preset,
    seed,
    preview: run.preview === true,
    ...(run.stale && run.stale.length > 0 ? { stale: run.stale } : {}),
    counts: verdictCounts(run.audits),
    claims: run.audits.map((a) => ({
      id: a.id,
      lens: a.lens,
      verdict: a.verdict,
      ...(run.preview ? { preview: true } : {}),
      measured: a.measured,
      reference: a.reference,
      ...(a.seedNumber ? { seedNumber: a.seedNumber } : {}),
      because: a.because,
      experiments: a.experiments,
      evidence: a.verdicts.map((v) => ({
        experiment: v.experiment,
        verdict: v.verdict,
        evidence: v.evidence,
        criteria: v.criteria ?? [],
        ...(v.verdict !== 'untestable' ? { why: { en: explainVerdict(v, 'en'), zh: explainVerdict(v, 'zh') } } : {}),
        ...(v.reference ? { reference: v.reference } : {}),
      })),
      quote: a.quote,
      en: a.en,
      note: a.note,
      ...(a.untestable ? { untestable: a.untestable } : {}),
    })),
    experiments: [
      ...run.results.map((r) => ({ id: r.id, status: 'ran', ...(run.reused.includes(r.id) ? { reused: true } : {}), wallTimeMs: Math.round(r.wallTimeMs), verdicts: r.verdicts.map((v) => ({ claim: v.claim, verdict: v.verdict })) })),
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
export function auditTable(audits: readonly ClaimAudit[], preview = false): string[] {
  const rows = audits.map((a) => [a.id, VERDICT_MARK[a.verdict]! + (preview && a.verdict !== 'not-run' ? ' (preview)' : ''), clip(a.measured || '—', 48), clip(a.reference || '—', 60)]);
  const head = ['claim', 'verdict', 'measured', 'reference'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(w[i]!)).join('  ').trimEnd();
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)];
}

function defaultDir(): string {
  return path.join(process.cwd(), 'runs', 'audit', new Date().toISOString().replace(/[:.]/g, '-'));
}

/** The file in an audit folder that says what the audit is (preset, seed, selection), written first. */
export const AUDIT_MANIFEST = 'audit-run.json';
/** The sub-folder holding one `<experiment id>.json` per finished experiment, each written as it finishes. */
export const AUDIT_RESULTS_DIR = 'results';

interface AuditManifest {
  kind: 'fivelens-audit';
  preset: string;
  seed: number;
  lens?: string;
  only?: string[];
  createdAt: string;
}

const shown = (dir: string) => {
  const rel = path.relative(process.cwd(), dir);
  return rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
};

/** What an audit is about to do: where its inputs come from, its preset, seed, selection and folder. */
interface AuditPlan {
  /** no --preset, --from or --resume: the committed full results answer */
  committed: boolean;
  preset: string;
  seed: number;
  lens?: string;
  only?: string[];
  dir?: string;
  manifest?: AuditManifest;
}

/** --resume DIR: the folder's manifest decides preset, seed and selection; a flag that says otherwise is a mistake. */
async function readResumeManifest(opts: AuditCommandOptions, dir: string): Promise<AuditManifest> {
  const file = path.join(dir, AUDIT_MANIFEST);
  if (!existsSync(file)) throw new UsageError(`--resume ${opts.resume}: not an audit folder (no ${AUDIT_MANIFEST}); start an audit with --out`);
  let m: Partial<AuditManifest>;
  try {
    m = JSON.parse(await readFile(file, 'utf8')) as Partial<AuditManifest>;
  } catch (err) {
    throw new UsageError(`--resume ${opts.resume}: cannot read ${AUDIT_MANIFEST} (${(err as Error).message})`);
  }
  if (m.kind !== 'fivelens-audit' || typeof m.preset !== 'string' || typeof m.seed !== 'number')
    throw new UsageError(`--resume ${opts.resume}: ${AUDIT_MANIFEST} is not the manifest of a fivelens audit`);
  const clash = (flag: string, given: unknown, saved: unknown) => {
    if (given !== undefined && stableJson(given) !== stableJson(saved))
      throw new UsageError(`--resume ${opts.resume}: this audit was started with ${flag} ${Array.isArray(saved) ? saved.join(',') : String(saved ?? '(none)')}; drop ${flag} or start a new audit with --out`);
  };
  clash('--preset', opts.preset, m.preset);
  clash('--seed', opts.seed, m.seed);
  clash('--lens', opts.lens, m.lens);
  clash('--only', opts.only ? [...opts.only] : undefined, m.only);
  return m as AuditManifest;
}

/** Check the flags against each other and settle the plan. */
async function planAudit(opts: AuditCommandOptions): Promise<AuditPlan> {
  const committed = opts.preset === undefined && !opts.from && opts.resume === undefined;
  if (opts.lens !== undefined && !(CLAIM_LENSES as readonly string[]).includes(opts.lens)) throw new UsageError(`--lens ${opts.lens}: expected one of ${CLAIM_LENSES.join(', ')}`);
  if (opts.resume !== undefined && opts.from) throw new UsageError('--resume and --from: choose one (--from rebuilds a finished audit, --resume continues a stopped one)');
  if (opts.resume !== undefined && opts.out !== undefined) throw new UsageError('--resume DIR writes into DIR; drop --out');
  const plan: AuditPlan = {
    committed,
    preset: opts.preset ?? (committed ? 'full' : 'quick'),
    seed: opts.seed ?? 1337,
    ...(opts.lens ? { lens: opts.lens } : {}),
    ...(opts.only ? { only: [...opts.only] } : {}),
  };
  if (opts.resume !== undefined) {
    const dir = path.resolve(opts.resume);
    const m = await readResumeManifest(opts, dir);
    return { committed, preset: m.preset, seed: m.seed, ...(m.lens ? { lens: m.lens } : {}), ...(m.only ? { only: m.only } : {}), dir, manifest: m };
  }
  // the default, committed audit writes nothing unless --out is given
  const out = opts.out ?? (committed ? false : undefined);
  if (out !== false) {
    plan.dir = out ? path.resolve(out) : defaultDir();
    if (existsSync(plan.dir) && readdirSync(plan.dir).length > 0)
      throw new UsageError(`--out ${out}: folder exists and is not empty; choose a new or empty folder (or continue a stopped audit with --resume)`);
  }
  return plan;
}

/** The experiments behind the selected claims (one lens's, or the --only ones). */
function selectExperiments(plan: AuditPlan): string[] {
  const ids = experimentsToRun(EXPERIMENTS.map((e) => ({ id: e.id, lens: e.lens, claims: e.claims })), plan.lens ? { lens: plan.lens } : {});
  if (!plan.only) return ids;
  for (const id of plan.only) {
    if (!getExperiment(id)) {
      const near = nearest(id, EXPERIMENTS.map((e) => e.id));
      throw new UsageError(`--only ${id}: unknown experiment${near.length ? `; did you mean ${near.join(', ')}?` : ''}`);
    }
    if (!ids.includes(id)) throw new UsageError(`--only ${id}: it tests none of the seed's claims${plan.lens ? ` of the ${plan.lens} lens` : ''}, so the audit does not run it`);
  }
  return ids.filter((id) => plan.only!.includes(id));
}

/** Results and failures gathered so far, and which were reused or are not fresh. */
interface Gathered {
  results: ExperimentResult[];
  failures: ExperimentFailure[];
  reused: string[];
  stale: { id: string; status: string; why: string }[];
}

/** The committed results (default) or an earlier audit's (--from): nothing left to run. */
async function gatherSaved(plan: AuditPlan, ids: readonly string[], from: string | undefined): Promise<Gathered> {
  const g: Gathered = { results: [], failures: [], reused: [], stale: [] };
  if (plan.committed) {
    for (const id of ids) {
      const st = resultStatus(getExperiment(id)!);
      if (st.status !== 'fresh') g.stale.push({ id, ...st });
      const r = readResult(id);
      if (r && st.status !== 'missing' && st.status !== 'invalid') g.results.push(r);
    }
    g.reused.push(...g.results.map((r) => r.id));
    return g;
  }
  let saved: { results?: ExperimentResult[]; failures?: ExperimentFailure[] };
  try {
    saved = resultsFromJson<typeof saved>(await readFile(from!, 'utf8'));
  } catch (err) {
    throw new UsageError(`--from ${from}: cannot read it as the results.json of an audit (${(err as Error).message})`);
  }
  if (!Array.isArray(saved.results)) throw new UsageError(`--from ${from}: no "results" array; expected the results.json an audit writes`);
  const keep = new Set(ids);
  g.results.push(...saved.results.filter((r) => keep.has(r.id)));
  g.failures.push(...(saved.failures ?? []).filter((f) => keep.has(f.id)));
  if (g.results[0]) {
    plan.preset = String(g.results[0].preset);
    plan.seed = g.results[0].seed;
  }
  return g;
}

/** The audit folder is made (and described) before the first experiment, so a stopped run can be resumed. */
async function prepareFolder(plan: AuditPlan): Promise<string | undefined> {
  if (!plan.dir) return undefined;
  const resultsDir = path.join(plan.dir, AUDIT_RESULTS_DIR);
  await mkdir(resultsDir, { recursive: true });
  // a write cut short by a hard kill leaves only a temp file (writes are temp + rename); clear those
  for (const f of readdirSync(resultsDir)) if (f.endsWith('.tmp')) await rm(path.join(resultsDir, f), { force: true });
  if (!plan.manifest) {
    plan.manifest = { kind: 'fivelens-audit', preset: plan.preset, seed: plan.seed, ...(plan.lens ? { lens: plan.lens } : {}), ...(plan.only ? { only: plan.only } : {}), createdAt: new Date().toISOString() };
    await writeFileAtomic(path.join(plan.dir, AUDIT_MANIFEST), JSON.stringify(plan.manifest, null, 2));
  }
  return resultsDir;
}

/** A result saved by a stopped audit, if it matches this audit (same id, preset, params, seed). */
async function reusable(file: string, plan: AuditPlan, exp: Experiment): Promise<{ result?: ExperimentResult; why?: string }> {
  let saved: unknown;
  try {
    saved = resultsFromJson(await readFile(file, 'utf8'));
  } catch {
    saved = undefined;
  }
  const why = whyNotReusable(saved, { id: exp.id, preset: plan.preset, seed: plan.seed, params: resolveParams(exp, plan.preset as PresetName, {}) });
  return why ? { why } : { result: saved as ExperimentResult };
}

/** Run the selected experiments one after another under one progress bar, saving each as it finishes. */
async function runPending(plan: AuditPlan, ids: readonly string[], g: Gathered, opts: AuditCommandOptions): Promise<void> {
  const resultsDir = await prepareFolder(plan);
  const fileOf = (id: string) => path.join(resultsDir!, `${id}.json`);
  const showBar = opts.progress ?? (!opts.json && process.stderr.isTTY === true);
  const bar = createProgress('audit', showBar && ids.length > 0);
  const signal = opts.signal ?? new AbortController().signal;
  // without a bar (not a TTY), one line per experiment on stderr, unless --json or progress: false
  const note = !showBar && !opts.json && opts.progress !== false ? (s: string) => void process.stderr.write(s + '\n') : () => {};
  const stopped = () => {
    bar.stop();
    if (!plan.dir) return new RunError('audit aborted; nothing was written');
    const kept = g.results.length;
    return new RunError(`audit stopped; ${kept} finished result${kept === 1 ? '' : 's'} kept in ${shown(plan.dir)}; continue with: fivelens audit --resume ${shown(plan.dir)}`);
  };
  for (let i = 0; i < ids.length; i++) {
    const exp = getExperiment(ids[i]!)!;
    const label = `${i + 1}/${ids.length} ${exp.id}`;
    if (signal.aborted) throw stopped();
    bar.update(i / ids.length, label);
    if (opts.resume !== undefined && existsSync(fileOf(exp.id))) {
      const { result, why } = await reusable(fileOf(exp.id), plan, exp);
      if (result) {
        g.results.push(result);
        g.reused.push(exp.id);
        note(`audit: ${label} reused (saved result of ${result.startedAt})`);
        continue;
      }
      note(`audit: ${label}: the saved result cannot be reused (${why}); running it again`);
    }
    note(`audit: ${label} (${plan.preset})…`);
    const t0 = performance.now();
    try {
      const host = nodeHost({ signal, progress: (f, m) => bar.update((i + Math.min(1, Math.max(0, f))) / ids.length, m ? `${label}: ${m}` : label) });
      const r = await runExperiment(exp, host, { preset: plan.preset as PresetName, seed: plan.seed });
      g.results.push(r);
      if (resultsDir) await writeFileAtomic(fileOf(exp.id), resultsToJson(r));
      note(`audit: ${label} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      if ((err as Error).name === 'AbortError' || signal.aborted) throw stopped();
      g.failures.push({ id: exp.id, error: (err as Error).message ?? String(err) });
      note(`audit: ${label} FAILED: ${(err as Error).message ?? String(err)}`);
    }
  }
  bar.update(1, 'done');
  bar.stop();
}

/** Every figure as SVG (vega-lite's WARN lines kept out of the output); a figure that fails is a failure. */
async function renderFigures(results: readonly ExperimentResult[], failures: ExperimentFailure[], signal: AbortSignal | undefined): Promise<Record<string, Record<string, string>>> {
  const svgs: Record<string, Record<string, string>> = {};
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!(typeof args[0] === 'string' && args[0].startsWith('WARN'))) warn(...args);
  };
  try {
    for (const r of results) {
      // Ctrl-C while the figures render: every result is saved already; --resume writes the report
      if (signal?.aborted) throw new RunError('audit stopped while drawing the report; every result is saved: continue with fivelens audit --resume');
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
  return svgs;
}

/** The report folder: results.json, audit.json, then index.html (its presence means a finished report). */
async function writeReport(run: AuditRun, plan: AuditPlan, signal: AbortSignal | undefined): Promise<void> {
  const dir = plan.dir!;
  const svgs = await renderFigures(run.results, run.failures, signal);
  const html = buildAuditHtml({
    audits: run.audits,
    results: run.results,
    failures: run.failures,
    svgs,
    titles: Object.fromEntries(EXPERIMENTS.map((e) => [e.id, e.title])),
    preset: plan.preset,
    seed: plan.seed,
    generatedAt: new Date().toISOString(),
    ...(run.results[0] ? { versions: run.results[0].versions } : {}),
  });
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(path.join(dir, 'results.json'), resultsToJson({ results: run.results, failures: run.failures }));
  await writeFileAtomic(path.join(dir, 'audit.json'), JSON.stringify(auditJson(run, plan.preset, plan.seed), null, 2));
  await writeFileAtomic(path.join(dir, 'index.html'), html);
  run.dir = dir;
}

/** The claim table and the tally, as text. */
function printAudit(run: AuditRun, plan: AuditPlan, print: (line: string) => void): void {
  const counts = verdictCounts(run.audits);
  print('');
  if (run.preview) print(`PREVIEW — ${plan.preset} preset: these verdicts are not the final ones; the full verdicts are committed in results/ (fivelens audit, no flags).`);
  else if (plan.committed) print(`The full-preset verdicts committed in results/ (made by npm run results).`);
  for (const s of run.stale ?? []) print(`  ${s.status}: ${s.id}: ${s.why}`);
  for (const l of auditTable(run.audits, run.preview === true)) print(l);
  print('');
  const tally = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `${n} ${VERDICT_MARK[v]}`)
    .join(', ');
  const reused = run.reused.length ? ` (${run.reused.length} reused from the saved results)` : '';
  print(`${run.audits.length} claims: ${tally} · ${run.results.length} experiments ran${reused}${run.failures.length ? `, ${run.failures.length} failed` : ''}`);
  for (const f of run.failures) print(`  failed: ${f.id}: ${f.error}`);
  if (run.dir) {
    const file = path.join(run.dir, 'index.html');
    const rel = path.relative(process.cwd(), file);
    print(`report: ${rel.startsWith('..') ? file : rel}`);
  }
}

/** Run the audit; the CLI action and the tests both call this. */
export async function runAudit(opts: AuditCommandOptions = {}): Promise<AuditRun> {
  const print = opts.print ?? ((s: string) => void process.stdout.write(s + '\n'));
  const plan = await planAudit(opts);
  const ids = selectExperiments(plan);
  const saved = plan.committed || opts.from;
  const g = saved ? await gatherSaved(plan, ids, opts.from) : { results: [], failures: [], reused: [], stale: [] };
  if (!saved) await runPending(plan, ids, g, opts);
  const registered = EXPERIMENTS.map((e) => ({ id: e.id, lens: e.lens, claims: e.claims }));
  const audits = auditClaims(g.results, { registered, failures: g.failures, ...(plan.lens ? { lens: plan.lens } : {}) });
  const run: AuditRun = { audits, ...g, preview: plan.preset !== 'full' };
  if (plan.dir) await writeReport(run, plan, opts.signal);
  if (opts.json) print(JSON.stringify(auditJson(run, plan.preset, plan.seed)));
  else printAudit(run, plan, print);
  return run;
}

export function register(program: Command): void {
  program
    .command('audit')
    .description("the verdicts on the seed answer's claims: from the committed full results (default), or by running the experiments (--preset); HTML report with --out")
    .addOption(new Option('--preset <preset>', 'run the experiments: quick (seconds each; verdicts are previews) or full; without it, the committed full results in results/ answer').choices(['quick', 'full']))
    .addOption(new Option('--lens <lens>', 'only the claims of one lens').choices([...CLAIM_LENSES]))
    .option('--only <ids>', 'only these experiments (comma-separated ids)')
    .option('--seed <n>', 'random seed (default 1337)')
    .option('--out <dir>', 'report folder, new or empty (default runs/audit/<timestamp>/); each result is saved there as soon as it finishes')
    .option('--resume <dir>', 'continue a stopped audit in <dir>: reuse its saved results (same id, preset, params, seed), run the rest, write the report')
    .option('--json', 'print only JSON on stdout: { "claims": [ { "id", "verdict", ... } ] }')
    .option('--from <results.json>', 'rebuild the verdicts and the report from an earlier audit, without running anything')
    .action(async (o: { preset?: PresetName; lens?: string; only?: string; seed?: string; out?: string; resume?: string; json?: boolean; from?: string }) => {
      let seed: number | undefined;
      if (o.seed !== undefined) {
        seed = Number(o.seed);
        if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError(`--seed ${o.seed}: expected an integer in [0, 4294967295]`);
      }
      const only = o.only?.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
      if (o.only !== undefined && only!.length === 0) throw new UsageError('--only: expected comma-separated experiment ids (fivelens list shows them)');
      const ac = new AbortController();
      const onInt = () => ac.abort();
      process.on('SIGINT', onInt);
      try {
        await runAudit({
          signal: ac.signal,
          ...(o.preset ? { preset: o.preset } : {}),
          ...(seed !== undefined ? { seed } : {}),
          ...(o.lens ? { lens: o.lens } : {}),
          ...(only ? { only } : {}),
          ...(o.out ? { out: o.out } : {}),
          ...(o.resume ? { resume: o.resume } : {}),
          ...(o.json ? { json: true } : {}),
          ...(o.from ? { from: o.from } : {}),
        });
      } finally {
        process.off('SIGINT', onInt);
      }
    });
}
