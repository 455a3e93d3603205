import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClaimVerdict, ExperimentResult, Verdict } from '../../src/experiments/contract.js';
import { untestable, verdictFor } from '../../src/experiments/verdict.js';
import { auditClaims, combineVerdicts, experimentsToRun, resultsFromJson, resultsToJson, verdictCounts, whyNotReusable } from '../../src/atlas/audit.js';
import { buildAuditHtml, escapeHtml } from '../../src/atlas/report-html.js';
import { CLAIM_IDS } from '../../src/atlas/index.js';
import { AUDIT_MANIFEST, AUDIT_RESULTS_DIR, auditTable, runAudit } from '../../src/cli/commands/audit.js';
import { UsageError } from '../../src/cli/errors.js';
import { EXPERIMENTS, getExperiment } from '../../src/experiments/registry.js';
import { resolveParams } from '../../src/experiments/params.js';

/** a minimal result carrying the given verdicts */
function fakeResult(id: string, verdicts: ClaimVerdict[]): ExperimentResult {
  return {
    id,
    lens: id.split('.')[0] as ExperimentResult['lens'],
    preset: 'quick',
    params: {},
    seed: 1,
    backend: 'cpu',
    versions: {},
    wallTimeMs: 1,
    startedAt: '2026-01-01T00:00:00Z',
    metrics: [],
    figures: [],
    findings: [],
    verdicts,
  };
}

/** a verdict on info.lm-entropy computed, as an experiment would, from measured numbers */
function lmEntropyVerdict(bestBpc: number, gzipBpc: number): ClaimVerdict {
  return verdictFor(
    'info.lm-entropy',
    [
      { level: 'reproduced', metric: 'best_over_gzip', op: '<', value: 0.85, why: 'test: 15% below gzip' },
      { level: 'partly', metric: 'best_over_gzip', op: '<', value: 1, why: 'test: below gzip' },
    ],
    { best_heldout_bpc: bestBpc, gzip_bpc: gzipBpc, best_over_gzip: bestBpc / gzipBpc },
    (v) => ({ zh: `结论 ${v}`, en: `verdict ${v}` }),
    'Shannon 1951',
  );
}

const one = (results: ExperimentResult[], id: string) => auditClaims(results, { claims: [id] })[0]!;

describe('combining verdicts', () => {
  it('all reproduced → reproduced; all not → not; a mix or a partly → partly; untestable set aside', () => {
    const c = (...v: Verdict[]) => combineVerdicts(v);
    expect(c('reproduced', 'reproduced')).toBe('reproduced');
    expect(c('not-reproduced', 'not-reproduced')).toBe('not-reproduced');
    expect(c('reproduced', 'not-reproduced')).toBe('partly');
    expect(c('reproduced', 'partly')).toBe('partly');
    expect(c('untestable', 'reproduced')).toBe('reproduced');
    expect(c('untestable')).toBe('untestable');
    expect(c()).toBeUndefined();
  });
});

describe('audit', () => {
  it('with no results every testable claim is not-run, and there is one row per claim id', () => {
    const audits = auditClaims([]);
    expect(audits.map((a) => a.id)).toEqual([...CLAIM_IDS]);
    expect(audits.every((a) => a.verdict === 'not-run')).toBe(true); // every claim names an experiment
    expect(verdictCounts(audits)['not-run']).toBe(CLAIM_IDS.length);
  });

  it('the verdict comes from the results: a contradicting measurement flips it', () => {
    const good = one([fakeResult('information.entropy-rate', [lmEntropyVerdict(2.3, 3.11)])], 'info.lm-entropy');
    expect(good.verdict).toBe('reproduced');
    expect(good.measured).toContain('best_heldout_bpc=2.3');
    expect(good.reference).toBe('Shannon 1951');
    expect(good.experiments.find((e) => e.id === 'information.entropy-rate')?.status).toBe('ran');

    const bad = one([fakeResult('information.entropy-rate', [lmEntropyVerdict(3.5, 3.11)])], 'info.lm-entropy');
    expect(bad.verdict).toBe('not-reproduced');

    const mixed = one(
      [fakeResult('information.entropy-rate', [lmEntropyVerdict(2.3, 3.11)]), fakeResult('gpt.train', [lmEntropyVerdict(3.5, 3.11)])],
      'info.lm-entropy',
    );
    expect(mixed.verdict).toBe('partly');
    expect(mixed.measured).toContain('gpt.train:');
  });

  it('an experiment saying untestable gives untestable, with its reason; the atlas reference fills in when none is given', () => {
    const a = one([fakeResult('perception.attention-maps', [untestable('perc.attention-cortex', { zh: '没有数据', en: 'no primate data' })])], 'perc.attention-cortex');
    expect(a.verdict).toBe('untestable');
    expect(a.because.en).toBe('no primate data');
    const b = one([fakeResult('information.distillation', [verdictFor('info.distill-kl', [{ level: 'reproduced', metric: 'errors', op: '<', value: 100, why: 'test' }], { errors: 70 }, () => ({ zh: 'x', en: 'y' }))])], 'info.distill-kl');
    expect(b.verdict).toBe('reproduced');
    expect(b.reference).toMatch(/Hinton/);
  });

  it('a verdict from an experiment the atlas did not list still counts', () => {
    const a = one([fakeResult('optimization.loss-landscape', [verdictFor('opt.l2-curvature', [{ level: 'reproduced', metric: 'shift', op: '>', value: 0, why: 'test' }], { shift: 0 }, () => ({ zh: 'x', en: 'y' }))])], 'opt.l2-curvature');
    expect(a.verdict).toBe('not-reproduced');
    expect(a.experiments.map((e) => e.id)).toContain('optimization.loss-landscape');
  });

  it('failed and unregistered experiments are reported per claim', () => {
    const registered = [{ id: 'information.attention-mi', claims: ['info.attention-mi'] }];
    const a = auditClaims([], { registered, failures: [{ id: 'information.attention-mi', error: 'boom' }], claims: ['info.attention-mi', 'perc.clip-joint'] });
    expect(a[0]!.verdict).toBe('not-run');
    expect(a[0]!.experiments[0]).toEqual({ id: 'information.attention-mi', status: 'failed', error: 'boom' });
    expect(a[0]!.because.en).toMatch(/failed/);
    expect(a[1]!.experiments[0]!.status).toBe('planned');
  });

  it('filters by lens; picks the registered experiments behind the claims', () => {
    expect(auditClaims([], { lens: 'control' }).every((a) => a.lens === 'control')).toBe(true);
    const reg = [
      { id: 'control.momentum-dynamics', lens: 'control', claims: ['control.momentum-damping'] },
      { id: 'information.entropy-rate', lens: 'information', claims: ['info.lm-entropy'] },
      { id: 'control.unrelated', lens: 'control', claims: [] },
    ];
    expect(experimentsToRun(reg, { lens: 'control' })).toEqual(['control.momentum-dynamics']);
    expect(experimentsToRun(reg)).toEqual(['control.momentum-dynamics', 'information.entropy-rate']);
  });

  it('HTML report: both languages, escaped text, badges, inline SVG', () => {
    const r = fakeResult('information.entropy-rate', [lmEntropyVerdict(2.3, 3.11)]);
    r.figures = [{ id: 'f1', title: { zh: '图', en: 'fig' }, spec: {} }];
    r.findings = [{ zh: '<b>粗</b>', en: 'a < b' }];
    const html = buildAuditHtml({
      audits: auditClaims([r]),
      results: [r],
      failures: [{ id: 'x.y', error: 'bad <thing>' }],
      svgs: { 'information.entropy-rate': { f1: '<svg id="inline"></svg>' } },
      titles: {},
      preset: 'quick',
      seed: 1,
      generatedAt: 'now',
    });
    expect(html).toContain('<svg id="inline"></svg>');
    expect(html).toContain('lang="zh"');
    expect(html).toContain('lang="en"');
    expect(html).toContain('v-reproduced');
    expect(html).toContain('bad &lt;thing&gt;');
    expect(html).not.toContain('<b>粗</b>');
    expect(escapeHtml('"&"')).toBe('&quot;&amp;&quot;');
    expect(html).toContain('信息论基础'); // the reading list, with Chinese editions
    expect(html).toContain('<code>H(X) = -\\sum p(x)\\log p(x)</code>'); // the seed's formulas shown as code
    expect(auditTable(auditClaims([r]))[0]).toMatch(/^claim\s+verdict\s+measured\s+reference$/);
  });

  it('runAudit rejects an unknown lens with a UsageError', async () => {
    await expect(runAudit({ lens: 'astrology', out: false, print: () => {} })).rejects.toBeInstanceOf(UsageError);
  });

  const quick = EXPERIMENTS.some((e) => e.id === 'information.entropy-rate') ? 'information.entropy-rate' : undefined;
  it.skipIf(!quick)('end to end: runs an experiment, prints JSON, writes index.html with inline SVG and audit.json', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'fivelens-audit-')), 'report');
    const lines: string[] = [];
    const run = await runAudit({ only: [quick!], preset: 'quick', out, json: true, progress: false, print: (s) => lines.push(s) });
    expect(run.failures.filter((f) => !f.id.includes('#'))).toEqual([]);
    const j = JSON.parse(lines.join('\n')) as { preview: boolean; claims: { id: string; verdict: string; preview?: boolean }[] };
    expect(j.claims.length).toBe(CLAIM_IDS.length);
    // a quick audit is a preview, and says so on every claim
    expect(j.preview).toBe(true);
    expect(j.claims.every((c) => c.preview === true)).toBe(true);
    const exp = getExperiment(quick!)!;
    for (const c of exp.claims) expect(j.claims.find((x) => x.id === c)?.verdict).not.toBe('not-run');
    const html = readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(existsSync(path.join(out, 'audit.json'))).toBe(true);
    expect(existsSync(path.join(out, 'results.json'))).toBe(true);
    // --from rebuilds the same verdicts without running anything
    const again: string[] = [];
    await runAudit({ from: path.join(out, 'results.json'), out: false, json: true, print: (s) => again.push(s) });
    const j2 = JSON.parse(again.join('\n')) as { claims: { id: string; verdict: string }[] };
    expect(j2.claims.map((c) => c.verdict)).toEqual(j.claims.map((c) => c.verdict));
    expect(existsSync(`${out}.tmp-${process.pid}`)).toBe(false);
  });
});

describe('audit: the committed full results', () => {
  it('without --preset nothing runs: results/ answers, not a preview, and missing or stale results are named', async () => {
    const lines: string[] = [];
    const run = await runAudit({ only: ['information.entropy-rate'], json: true, print: (s) => lines.push(s) });
    expect(run.dir).toBeUndefined();
    const j = JSON.parse(lines.join('\n')) as { preset: string; preview: boolean; stale?: { id: string }[] };
    expect(j.preset).toBe('full');
    expect(j.preview).toBe(false);
    const fresh = run.results.map((r) => r.id);
    const named = (j.stale ?? []).map((s) => s.id);
    expect([...fresh, ...named.filter((id) => !fresh.includes(id))].sort()).toContain('information.entropy-rate');
    for (const r of run.results) expect(r.preset).toBe('full');
  });
});

describe('audit: saved results and --resume', () => {
  it('a saved result is reusable only for the same id, preset, seed and parameters (key order ignored)', () => {
    const r = { ...fakeResult('information.entropy-rate', []), params: { a: 1, b: [2, 3] } };
    const key = { id: r.id, preset: 'quick', seed: 1, params: { b: [2, 3], a: 1 } };
    expect(whyNotReusable(r, key)).toBeUndefined();
    expect(whyNotReusable(r, { ...key, id: 'x.y' })).toMatch(/result of information.entropy-rate/);
    expect(whyNotReusable(r, { ...key, preset: 'full' })).toMatch(/preset quick/);
    expect(whyNotReusable(r, { ...key, seed: 2 })).toMatch(/seed 1/);
    expect(whyNotReusable(r, { ...key, params: { a: 1, b: [2, 4] } })).toMatch(/parameters differ/);
    expect(whyNotReusable({ id: r.id }, key)).toBe('not a result');
    expect(whyNotReusable(undefined, key)).toBe('not a result');
  });

  it('results JSON keeps NaN and ±Infinity (plain JSON would turn them into null)', () => {
    const v = { a: NaN, b: [Infinity, -Infinity, 1.5], c: null, d: { $number: 'x' } };
    const back = resultsFromJson<typeof v>(resultsToJson(v));
    expect(back.a).toBeNaN();
    expect(back.b).toEqual([Infinity, -Infinity, 1.5]);
    expect(back.c).toBeNull();
    expect(back.d).toEqual({ $number: 'x' });
  });

  const ids = ['information.entropy-rate', 'information.cross-entropy-decomposition'].filter((id) => getExperiment(id));
  it.skipIf(ids.length < 2)('each result is saved as it finishes; --resume reuses matching ones and reruns one whose params changed', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'fivelens-audit-')), 'report');
    const first = await runAudit({ only: ids, preset: 'quick', out, json: true, progress: false, print: () => {} });
    expect(first.results.map((r) => r.id)).toEqual(ids);
    const files = readdirSync(path.join(out, AUDIT_RESULTS_DIR)).sort();
    expect(files).toEqual(ids.map((id) => `${id}.json`).sort());
    const manifest = JSON.parse(readFileSync(path.join(out, AUDIT_MANIFEST), 'utf8')) as { preset: string; seed: number; only: string[] };
    expect(manifest).toMatchObject({ preset: 'quick', seed: 1337, only: ids });

    // a fresh run into the (now non-empty) folder is still refused; --resume is the way to continue
    await expect(runAudit({ only: ids, preset: 'quick', out, print: () => {}, progress: false })).rejects.toBeInstanceOf(UsageError);
    await expect(runAudit({ resume: out, preset: 'full', print: () => {}, progress: false })).rejects.toThrow(/started with --preset quick/);
    await expect(runAudit({ resume: path.dirname(out), print: () => {}, progress: false })).rejects.toThrow(/not an audit folder/);

    // the second result was made with other parameters (as if the experiment's defaults changed since)
    const f2 = path.join(out, AUDIT_RESULTS_DIR, `${ids[1]}.json`);
    const saved2 = resultsFromJson<{ params: Record<string, unknown>; startedAt: string }>(readFileSync(f2, 'utf8'));
    expect(saved2.params).toEqual(JSON.parse(JSON.stringify(resolveParams(getExperiment(ids[1]!)!, 'quick', {}))));
    writeFileSync(f2, resultsToJson({ ...saved2, params: { ...saved2.params, stale: 1 } }));
    const before1 = readFileSync(path.join(out, AUDIT_RESULTS_DIR, `${ids[0]}.json`), 'utf8');

    const lines: string[] = [];
    const again = await runAudit({ resume: out, json: true, progress: false, print: (s) => lines.push(s) });
    expect(again.reused).toEqual([ids[0]]);
    expect(again.results.find((r) => r.id === ids[0])!.startedAt).toBe(first.results[0]!.startedAt);
    expect(again.results.find((r) => r.id === ids[1])!.startedAt).not.toBe(saved2.startedAt);
    expect(readFileSync(path.join(out, AUDIT_RESULTS_DIR, `${ids[0]}.json`), 'utf8')).toBe(before1);
    const j = JSON.parse(lines.join('\n')) as { experiments: { id: string; reused?: boolean }[]; claims: { verdict: string }[] };
    expect(j.experiments.map((e) => [e.id, e.reused ?? false])).toEqual([[ids[0], true], [ids[1], false]]);
    // the same verdicts as the uninterrupted run
    expect(auditClaims(again.results).map((a) => a.verdict)).toEqual(auditClaims(first.results).map((a) => a.verdict));
    expect(existsSync(path.join(out, 'index.html'))).toBe(true);
  });

  const BIN = path.resolve(__dirname, '../../bin/fivelens.mjs');
  // a fast first experiment, then a few seconds more of others (none needs a trained GPT)
  const chain = ['information.entropy-rate', 'information.distillation', 'compression.sensing'].filter((id) => getExperiment(id));
  it.skipIf(chain.length < 3)('the real CLI: Ctrl-C after the first result keeps it (no half-written file); --resume reuses it and finishes', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'fivelens-audit-')), 'stopped');
    const child = spawn(process.execPath, [BIN, 'audit', '--preset', 'quick', '--only', chain.join(','), '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // the "done" line is printed after the result file was renamed into place
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        if (/audit: 1\/\d+ \S+ done in/.test(stderr)) {
          clearInterval(t);
          resolve();
        } else if (child.exitCode !== null) {
          clearInterval(t);
          reject(new Error(`audit exited before its first result: ${stderr}`));
        }
      }, 20);
    });
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(1);
    expect(stderr).toContain('--resume');
    const resultsDir = path.join(out, AUDIT_RESULTS_DIR);
    const kept = readdirSync(resultsDir);
    expect(kept.every((f) => f.endsWith('.json'))).toBe(true); // no temp file left
    expect(kept).toContain(`${chain[0]}.json`);
    expect(kept.length).toBeLessThan(chain.length);
    expect(existsSync(path.join(out, 'index.html'))).toBe(false);
    const firstText = readFileSync(path.join(resultsDir, `${chain[0]}.json`), 'utf8');
    const firstSaved = resultsFromJson<{ startedAt: string; wallTimeMs: number; metrics: unknown[] }>(firstText);

    const r = spawnSync(process.execPath, [BIN, 'audit', '--resume', out, '--json'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { preset: string; experiments: { id: string; status: string; reused?: boolean; wallTimeMs: number }[] };
    expect(j.preset).toBe('quick');
    expect(j.experiments.map((e) => e.id)).toEqual(chain);
    expect(j.experiments.every((e) => e.status === 'ran')).toBe(true);
    for (const f of kept) expect(j.experiments.find((e) => `${e.id}.json` === f)?.reused).toBe(true);
    expect(j.experiments.filter((e) => !e.reused).length).toBe(chain.length - kept.length);
    // the reused result is the saved one, not recomputed: same start time, wall time and numbers
    expect(readFileSync(path.join(resultsDir, `${chain[0]}.json`), 'utf8')).toBe(firstText);
    const all = resultsFromJson<{ results: { id: string; startedAt: string; wallTimeMs: number; metrics: unknown[] }[] }>(readFileSync(path.join(out, 'results.json'), 'utf8'));
    const reused = all.results.find((x) => x.id === chain[0])!;
    expect(reused.startedAt).toBe(firstSaved.startedAt);
    expect(reused.wallTimeMs).toBe(firstSaved.wallTimeMs);
    expect(reused.metrics).toEqual(firstSaved.metrics);
    expect(readdirSync(resultsDir).sort()).toEqual(chain.map((id) => `${id}.json`).sort());
    expect(existsSync(path.join(out, 'index.html'))).toBe(true);
    expect(readdirSync(path.dirname(out))).toEqual(['stopped']);
  });
});
