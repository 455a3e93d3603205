/**
 * Verdicts are derived, never typed in. An experiment declares its criteria as data before it runs
 * — metric, comparison, threshold and why that threshold — and {@link deriveVerdict}, the one shared
 * rule, turns criteria plus measured evidence into the verdict:
 *   `reproduced`      if every `reproduced` criterion holds on the evidence,
 *   else `partly`     if there is at least one `partly` criterion and every one of them holds,
 *   else `not-reproduced`.
 * A criterion whose metric is missing from the evidence or is not a finite number does not hold.
 * The criteria and the evidence travel with every verdict, so anyone can redo the derivation by hand.
 */
import type { Bilingual, ClaimVerdict, Criterion, CriterionOp, Verdict } from './contract.js';

export type { Criterion } from './contract.js';

const OPS: Record<CriterionOp, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/** Does one criterion hold on the evidence? (a missing or non-finite metric never holds) */
export function holds(c: Criterion, evidence: Readonly<Record<string, number>>): boolean {
  const v = evidence[c.metric];
  return typeof v === 'number' && Number.isFinite(v) && OPS[c.op](v, c.value);
}

/** The one rule: criteria + evidence → verdict (see the header). */
export function deriveVerdict(criteria: readonly Criterion[], evidence: Readonly<Record<string, number>>): Exclude<Verdict, 'untestable'> {
  const rep = criteria.filter((c) => c.level === 'reproduced');
  const part = criteria.filter((c) => c.level === 'partly');
  if (rep.length > 0 && rep.every((c) => holds(c, evidence))) return 'reproduced';
  if (part.length > 0 && part.every((c) => holds(c, evidence))) return 'partly';
  return 'not-reproduced';
}

/** Checks a declared criteria list: at least one `reproduced` criterion, finite thresholds, a reason each. */
export function checkCriteria(claim: string, criteria: readonly Criterion[]): void {
  if (!criteria.some((c) => c.level === 'reproduced')) throw new Error(`criteria of ${claim}: no 'reproduced' criterion`);
  for (const c of criteria) {
    if (!Number.isFinite(c.value)) throw new Error(`criteria of ${claim}: ${c.metric} has a non-finite threshold`);
    const why = typeof c.why === 'string' ? c.why : c.why.en;
    if (why.trim().length === 0) throw new Error(`criteria of ${claim}: ${c.metric} says no why`);
  }
}

/**
 * Build a ClaimVerdict: the verdict is derived from the declared `criteria` and the `evidence`
 * (every criterion's metric must be a key of `evidence`); `because` words the derived verdict.
 */
export function verdictFor(
  claim: string,
  criteria: readonly Criterion[],
  evidence: Record<string, number>,
  because: (v: Verdict) => Bilingual,
  reference?: string,
): ClaimVerdict {
  checkCriteria(claim, criteria);
  for (const c of criteria) if (!(c.metric in evidence)) throw new Error(`criteria of ${claim}: metric '${c.metric}' is not in the evidence`);
  const verdict = deriveVerdict(criteria, evidence);
  return { claim, verdict, because: because(verdict), evidence, criteria: [...criteria], ...(reference ? { reference } : {}) };
}

/** A claim no experiment at our scale can decide; the reason (why no experiment could) is required. */
export function untestable(claim: string, because: Bilingual, reference?: string): ClaimVerdict {
  return { claim, verdict: 'untestable', because, evidence: {}, criteria: [], ...(reference ? { reference } : {}) };
}

/** Re-derive a stored verdict from its own criteria and evidence; `undefined` if it agrees, else what is wrong. */
export function rederive(v: ClaimVerdict): string | undefined {
  if (v.verdict === 'untestable') return v.criteria && v.criteria.length > 0 ? `${v.claim}: untestable but carries criteria` : undefined;
  if (!v.criteria || v.criteria.length === 0) return `${v.claim}: ${v.verdict} without criteria`;
  const d = deriveVerdict(v.criteria, v.evidence);
  return d === v.verdict ? undefined : `${v.claim}: says ${v.verdict}, its criteria give ${d}`;
}

const num = (v: number): string => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(2) : String(Number(v.toPrecision(3))));
const NEG: Record<CriterionOp, string> = { '<': '≥', '<=': '>', '>': '≤', '>=': '<' };

/** One criterion as measured: "speedup_ci_low = 1.31 > 1.2" or, failing, "… = 1.1 ≤ 1.2". */
export function criterionText(c: Criterion, evidence: Readonly<Record<string, number>>): string {
  const v = evidence[c.metric];
  const ok = holds(c, evidence);
  const shown = typeof v === 'number' ? num(v) : 'missing';
  return `${c.metric} = ${shown} ${ok ? c.op.replace('<=', '≤').replace('>=', '≥') : NEG[c.op]} ${num(c.value)}`;
}

const whyText = (c: Criterion, lang: 'zh' | 'en'): string => (typeof c.why === 'string' ? c.why : c.why[lang]);

/**
 * Why the verdict came out as it did, from its criteria alone:
 * "reproduced because speedup_ci_low = 1.31 > 1.2 (Wager et al.)".
 */
export function explainVerdict(v: ClaimVerdict, lang: 'zh' | 'en' = 'en'): string {
  const crit = v.criteria ?? [];
  if (v.verdict === 'untestable' || crit.length === 0) return '';
  const rep = crit.filter((c) => c.level === 'reproduced');
  const part = crit.filter((c) => c.level === 'partly');
  // the criteria that decided: all reproduced ones if it is reproduced; the failed reproduced ones and the partly ones otherwise
  const shown = v.verdict === 'reproduced' ? rep : [...rep.filter((c) => !holds(c, v.evidence)), ...(v.verdict === 'partly' ? part : part.filter((c) => !holds(c, v.evidence)))];
  const parts = shown.map((c) => `${criterionText(c, v.evidence)} (${whyText(c, lang)})`);
  const word = { reproduced: { en: 'reproduced', zh: '复现' }, partly: { en: 'partly', zh: '部分复现' }, 'not-reproduced': { en: 'not reproduced', zh: '未复现' } }[v.verdict][lang];
  return lang === 'zh' ? `${word}，因为 ${parts.join('；')}` : `${word} because ${parts.join('; ')}`;
}
