/**
 * Verdicts are computed, never typed in. An experiment states its criteria as booleans over
 * measured numbers and this function picks the verdict: the strongest criterion that holds.
 */
import type { Bilingual, ClaimVerdict, Verdict } from './contract.js';

export interface Criteria {
  /** the measurement shows what the claim says */
  reproduced: boolean;
  /** part of it holds (the mechanism, not the number; the direction, not the size) */
  partly?: boolean;
}

/** The strongest verdict whose criterion holds; `not-reproduced` if none does. */
export function judge(c: Criteria): Verdict {
  if (c.reproduced) return 'reproduced';
  if (c.partly) return 'partly';
  return 'not-reproduced';
}

/** Build a ClaimVerdict from criteria, the evidence numbers and a reason per verdict. */
export function verdictFor(
  claim: string,
  criteria: Criteria,
  evidence: Record<string, number>,
  because: (v: Verdict) => Bilingual,
  reference?: string,
): ClaimVerdict {
  const verdict = judge(criteria);
  return { claim, verdict, because: because(verdict), evidence, ...(reference ? { reference } : {}) };
}

/** A claim no experiment can decide (an analogy, or a scale we cannot reach); the reason is required. */
export function untestable(claim: string, because: Bilingual, reference?: string): ClaimVerdict {
  return { claim, verdict: 'untestable', because, evidence: {}, ...(reference ? { reference } : {}) };
}
