/**
 * The audit: for each claim of the seed, the verdict the experiments' results give it, the number
 * they measured and the reference number. Pure: results in, a table out (the CLI runs the
 * experiments; the browser feeds it the results it has).
 *
 * THE RULE that combines several experiments' verdicts on one claim:
 *  1. only verdicts an experiment actually returned count (never a verdict typed into the atlas);
 *  2. `untestable` verdicts are set aside when any experiment returned a testable one;
 *  3. of the testable verdicts: all `reproduced` → reproduced; all `not-reproduced` →
 *     not-reproduced; any other mix (a `partly`, or experiments that disagree) → partly;
 *  4. no testable verdict: `untestable` if an experiment said so, or if the atlas names no
 *     experiment and gives an untestable reason; otherwise `not-run`.
 */
import type { Bilingual, ClaimVerdict, ExperimentResult, Verdict } from '../experiments/contract.js';
import { CLAIM_IDS, type ClaimId } from './claim-ids.js';
import { CLAIM_BY_ID, experimentsForClaim } from './index.js';

export type AuditVerdict = Verdict | 'not-run';
export const AUDIT_VERDICTS: readonly AuditVerdict[] = ['reproduced', 'partly', 'not-reproduced', 'untestable', 'not-run'];

/** an experiment that was started and threw */
export interface ExperimentFailure {
  id: string;
  error: string;
}

/** how one experiment stands with respect to a claim */
export type ExperimentStatus = 'ran' | 'failed' | 'not-run' | 'planned';

export interface ClaimAudit {
  id: ClaimId;
  lens: string;
  quote: string;
  en: string;
  verdict: AuditVerdict;
  /** one line: why this verdict (the deciding experiments' reasons, joined) */
  because: Bilingual;
  /** the measured numbers, as `name=value` (from the deciding verdicts' evidence) */
  measured: string;
  /** the published (or the seed's) number the measurement stands beside */
  reference: string;
  seedNumber?: string;
  experiments: { id: string; status: ExperimentStatus; verdict?: Verdict; error?: string }[];
  /** every verdict returned on this claim, with the experiment that returned it */
  verdicts: (ClaimVerdict & { experiment: string })[];
  note: Bilingual;
  untestable?: Bilingual;
}

/** Rule 2–3 of the header: combine the verdicts several experiments returned on one claim. */
export function combineVerdicts(verdicts: readonly Verdict[]): Verdict | undefined {
  const testable = verdicts.filter((v) => v !== 'untestable');
  if (testable.length === 0) return verdicts.length > 0 ? 'untestable' : undefined;
  if (testable.every((v) => v === 'reproduced')) return 'reproduced';
  if (testable.every((v) => v === 'not-reproduced')) return 'not-reproduced';
  return 'partly';
}

const fmt = (v: number): string =>
  !Number.isFinite(v) ? String(v) : Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(2) : String(Number(v.toPrecision(4)));

/** `a=1.23, b=4` from evidence, at most `max` entries. */
export function formatEvidence(evidence: Record<string, number>, max = 3): string {
  const entries = Object.entries(evidence);
  const s = entries.slice(0, max).map(([k, v]) => `${k}=${fmt(v)}`);
  if (entries.length > max) s.push('…');
  return s.join(', ');
}

export interface AuditOptions {
  /** the registered experiments (id + claims), to know what could have run */
  registered?: readonly { id: string; claims: readonly string[] }[];
  failures?: readonly ExperimentFailure[];
  /** only claims of this lens */
  lens?: string;
  /** only these claims */
  claims?: readonly string[];
}

/** The audit of every claim (or those selected) from the results at hand. */
export function auditClaims(results: readonly ExperimentResult[], opts: AuditOptions = {}): ClaimAudit[] {
  const registered = opts.registered ?? [];
  const registeredIds = new Set(registered.map((e) => e.id));
  const failures = new Map((opts.failures ?? []).map((f) => [f.id, f.error] as const));
  const resultById = new Map(results.map((r) => [r.id, r] as const));
  const out: ClaimAudit[] = [];

  for (const id of CLAIM_IDS) {
    const claim = CLAIM_BY_ID.get(id)!;
    if (opts.lens && claim.lens !== opts.lens) continue;
    if (opts.claims && !opts.claims.includes(id)) continue;

    // every verdict on this claim, from any result (an experiment may test a claim the atlas did not list)
    const verdicts: (ClaimVerdict & { experiment: string })[] = [];
    for (const r of results) for (const v of r.verdicts) if (v.claim === id) verdicts.push({ ...v, experiment: r.id });

    const expIds = [...new Set([...experimentsForClaim(id, registered), ...verdicts.map((v) => v.experiment)])];
    const experiments = expIds.map((e) => {
      const r = resultById.get(e);
      const mine = verdicts.filter((v) => v.experiment === e).map((v) => v.verdict);
      const combined = combineVerdicts(mine);
      if (r) return { id: e, status: 'ran' as const, ...(combined ? { verdict: combined } : {}) };
      if (failures.has(e)) return { id: e, status: 'failed' as const, error: failures.get(e)! };
      return { id: e, status: registeredIds.has(e) ? ('not-run' as const) : ('planned' as const) };
    });

    let verdict: AuditVerdict = combineVerdicts(verdicts.map((v) => v.verdict)) ?? 'not-run';
    if (verdict === 'not-run' && claim.experiments.length === 0 && claim.untestable) verdict = 'untestable';

    // the deciding verdicts: the testable ones if any, else all
    const testable = verdicts.filter((v) => v.verdict !== 'untestable');
    const deciding = testable.length > 0 ? testable : verdicts;
    const multi = deciding.length > 1;
    const measured = deciding
      .filter((v) => Object.keys(v.evidence).length > 0)
      .map((v) => (multi ? `${v.experiment}: ` : '') + formatEvidence(v.evidence))
      .join('; ');
    const because: Bilingual =
      deciding.length > 0
        ? { zh: deciding.map((v) => v.because.zh).join(' '), en: deciding.map((v) => v.because.en).join(' ') }
        : verdict === 'untestable' && claim.untestable
          ? claim.untestable
          : {
              zh: experiments.some((e) => e.status === 'failed') ? '检验它的实验运行失败。' : '还没有检验它的实验结果。',
              en: experiments.some((e) => e.status === 'failed') ? 'The experiments that test it failed.' : 'No result of an experiment that tests it yet.',
            };
    const reference = deciding.find((v) => v.reference)?.reference ?? claim.published ?? '';

    out.push({
      id,
      lens: claim.lens,
      quote: claim.quote,
      en: claim.en,
      verdict,
      because,
      measured,
      reference,
      ...(claim.seedNumber ? { seedNumber: claim.seedNumber } : {}),
      experiments,
      verdicts,
      note: claim.note,
      ...(claim.untestable ? { untestable: claim.untestable } : {}),
    });
  }
  return out;
}

/** How many claims got each verdict. */
export function verdictCounts(audits: readonly ClaimAudit[]): Record<AuditVerdict, number> {
  const c = Object.fromEntries(AUDIT_VERDICTS.map((v) => [v, 0])) as Record<AuditVerdict, number>;
  for (const a of audits) c[a.verdict]++;
  return c;
}

/** The experiment ids that bear on the selected claims (atlas + registry), registered ones only. */
export function experimentsToRun(registered: readonly { id: string; lens?: string; claims: readonly string[] }[], opts: { lens?: string } = {}): string[] {
  const want = new Set<string>();
  for (const id of CLAIM_IDS) {
    const claim = CLAIM_BY_ID.get(id)!;
    if (opts.lens && claim.lens !== opts.lens) continue;
    for (const e of experimentsForClaim(id, registered)) want.add(e);
  }
  return registered.filter((e) => want.has(e.id)).map((e) => e.id);
}

/** JSON with object keys sorted at every level, so equal values give equal strings. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

/** What a saved result must match to be reused by a resumed audit. */
export interface ReuseKey {
  id: string;
  preset: string;
  seed: number;
  /** the parameters the experiment would run with now (schema defaults + preset) */
  params: Record<string, unknown>;
}

/**
 * Why a saved result cannot stand in for a fresh run of `key`, or undefined when it can:
 * same experiment id, preset, seed and (after a JSON round trip, key order ignored) parameters.
 */
export function whyNotReusable(saved: unknown, key: ReuseKey): string | undefined {
  if (!saved || typeof saved !== 'object') return 'not a result';
  const r = saved as Partial<ExperimentResult>;
  if (typeof r.id !== 'string' || !Array.isArray(r.verdicts) || !Array.isArray(r.metrics) || !Array.isArray(r.figures)) return 'not a result';
  if (r.id !== key.id) return `it is the result of ${r.id}`;
  if (r.preset !== key.preset) return `preset ${String(r.preset)}, not ${key.preset}`;
  if (r.seed !== key.seed) return `seed ${String(r.seed)}, not ${key.seed}`;
  const now = stableJson(JSON.parse(JSON.stringify(key.params)));
  if (stableJson(r.params ?? null) !== now) return 'its parameters differ from the current ones';
  return undefined;
}

/**
 * Results as JSON that keeps NaN and ±Infinity (plain JSON turns them into null, which the
 * report cannot format): a non-finite number is written as `{"$number": "NaN"}` and read back.
 */
export function resultsToJson(value: unknown): string {
  return JSON.stringify(value, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? { $number: String(x) } : x));
}

export function resultsFromJson<T = unknown>(text: string): T {
  return JSON.parse(text, (_k, x: unknown) => {
    if (x && typeof x === 'object' && !Array.isArray(x)) {
      const keys = Object.keys(x);
      const n = (x as { $number?: unknown }).$number;
      if (keys.length === 1 && typeof n === 'string' && ['NaN', 'Infinity', '-Infinity'].includes(n)) return Number(n);
    }
    return x;
  }) as T;
}
