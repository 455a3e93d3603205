/**
 * Learning-rate schedules as pure functions of the step t = 0, 1, 2, … (control issue, item 2).
 * A schedule is the time-varying gain η_t of the feedback loop θ ← θ − η_t g.
 *
 *   constant       η_t = η
 *   step           η_t = η · γ^⌊t / s⌋
 *   exponential    η_t = η · γ^t
 *   linear         η_t = η · (s + (e − s) · min(t, N)/N)            (torch.optim.lr_scheduler.LinearLR:
 *                  start_factor s, end_factor e, total_iters N)
 *   warmup         η_t = η · min(1, (t+1)/W)                       (reaches η exactly at t = W−1; the same as
 *                  linear with s = 1/W, e = 1, N = W − 1)
 *   cosine         η_t = η_min + ½(η_max − η_min)(1 + cos(π t / T))  for t ≤ T, η_min after  (the seed's formula)
 *   warmup-cosine  linear warmup over W steps, then cosine from η_max at t = W to η_min at t = T (nanoGPT)
 *   sgdr           cosine with warm restarts (Loshchilov & Hutter 2017): T_cur = steps since the last restart,
 *                  η_t = η_min + ½(η_max − η_min)(1 + cos(π T_cur / T_i)), T_0 first, T_{i+1} = T_mult · T_i
 *   one-cycle      Smith & Topin 2019 as in PyTorch's OneCycleLR (cosine annealing, two phases):
 *                  η_max/div → η_max over the first pct·N − 1 steps, then → η_max/(div·finalDiv) at step N − 1
 */
import { z } from 'zod';

export type ScheduleSpec =
  | { kind: 'constant'; lr: number }
  | { kind: 'step'; lr: number; stepSize: number; gamma: number }
  | { kind: 'exponential'; lr: number; gamma: number }
  | { kind: 'linear'; lr: number; startFactor: number; endFactor: number; totalIters: number }
  | { kind: 'warmup'; lr: number; warmup: number }
  | { kind: 'cosine'; lrMax: number; lrMin: number; T: number }
  | { kind: 'warmup-cosine'; lrMax: number; lrMin: number; warmup: number; T: number }
  | { kind: 'sgdr'; lrMax: number; lrMin: number; T0: number; Tmult: number }
  | {
      kind: 'one-cycle';
      lrMax: number;
      total: number;
      pctStart: number;
      divFactor: number;
      finalDivFactor: number;
    };

export type ScheduleKind = ScheduleSpec['kind'];
export type Schedule = (step: number) => number;

const pos = z.number().positive();
const nonneg = z.number().nonnegative();
const count = z.number().int().positive();

/** zod schema of ScheduleSpec (for params and the CLI). */
export const ScheduleSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant'), lr: pos }),
  z.object({ kind: z.literal('step'), lr: pos, stepSize: count, gamma: pos }),
  z.object({ kind: z.literal('exponential'), lr: pos, gamma: pos }),
  z.object({ kind: z.literal('linear'), lr: pos, startFactor: z.number().gt(0).max(1), endFactor: z.number().min(0).max(1), totalIters: count }),
  z.object({ kind: z.literal('warmup'), lr: pos, warmup: count }),
  z.object({ kind: z.literal('cosine'), lrMax: pos, lrMin: nonneg, T: count }),
  z.object({ kind: z.literal('warmup-cosine'), lrMax: pos, lrMin: nonneg, warmup: z.number().int().nonnegative(), T: count }),
  z.object({ kind: z.literal('sgdr'), lrMax: pos, lrMin: nonneg, T0: count, Tmult: z.number().int().positive() }),
  z.object({
    kind: z.literal('one-cycle'),
    lrMax: pos,
    total: z.number().int().min(2),
    pctStart: z.number().gt(0).lt(1),
    divFactor: pos,
    finalDivFactor: pos,
  }),
]);

/** The seed's cosine annealing formula η_min + ½(η_max − η_min)(1 + cos(π t / T)), t clamped to [0, T]. */
export function cosineAnneal(t: number, T: number, lrMax: number, lrMin: number): number {
  const c = Math.min(Math.max(t, 0), T);
  return lrMin + 0.5 * (lrMax - lrMin) * (1 + Math.cos((Math.PI * c) / T));
}

/** Where step t sits in SGDR: the cycle index i, steps since its restart T_cur and its length T_i. */
export function sgdrPosition(t: number, T0: number, Tmult: number): { cycle: number; Tcur: number; Ti: number } {
  if (Tmult === 1) return { cycle: Math.floor(t / T0), Tcur: t % T0, Ti: T0 };
  let start = 0;
  let Ti = T0;
  let cycle = 0;
  while (t >= start + Ti) {
    start += Ti;
    Ti *= Tmult;
    cycle += 1;
  }
  return { cycle, Tcur: t - start, Ti };
}

/** The steps at which SGDR restarts (η jumps back to η_max), below `total`. */
export function sgdrRestarts(T0: number, Tmult: number, total: number): number[] {
  const out: number[] = [];
  let start = T0;
  let Ti = T0 * Tmult;
  while (start < total) {
    out.push(start);
    start += Ti;
    Ti *= Tmult;
  }
  return out;
}

/** PyTorch's cosine interpolation from `start` (pct = 0) to `end` (pct = 1). */
function annealCos(start: number, end: number, pct: number): number {
  return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
}

/** The schedule of a spec: a pure function of the step t ≥ 0. */
export function makeSchedule(spec: ScheduleSpec): Schedule {
  switch (spec.kind) {
    case 'constant':
      return () => spec.lr;
    case 'step':
      return (t) => spec.lr * Math.pow(spec.gamma, Math.floor(t / spec.stepSize));
    case 'exponential':
      return (t) => spec.lr * Math.pow(spec.gamma, t);
    case 'linear':
      return (t) => spec.lr * (spec.startFactor + ((spec.endFactor - spec.startFactor) * Math.min(Math.max(t, 0), spec.totalIters)) / spec.totalIters);
    case 'warmup':
      return (t) => spec.lr * Math.min(1, (t + 1) / spec.warmup);
    case 'cosine':
      return (t) => cosineAnneal(t, spec.T, spec.lrMax, spec.lrMin);
    case 'warmup-cosine':
      return (t) => {
        if (t < spec.warmup) return (spec.lrMax * (t + 1)) / spec.warmup;
        const span = Math.max(1, spec.T - spec.warmup);
        return cosineAnneal(t - spec.warmup, span, spec.lrMax, spec.lrMin);
      };
    case 'sgdr':
      return (t) => {
        const { Tcur, Ti } = sgdrPosition(t, spec.T0, spec.Tmult);
        return cosineAnneal(Tcur, Ti, spec.lrMax, spec.lrMin);
      };
    case 'one-cycle': {
      const initial = spec.lrMax / spec.divFactor;
      const final = initial / spec.finalDivFactor;
      const end1 = spec.pctStart * spec.total - 1;
      const end2 = spec.total - 1;
      return (t) => {
        if (t <= end1) return annealCos(initial, spec.lrMax, end1 <= 0 ? 1 : t / end1);
        const pct = Math.min(1, (t - end1) / (end2 - end1));
        return annealCos(spec.lrMax, final, pct);
      };
    }
  }
}

/** A typical spec of each kind for a run of `total` steps peaking at `lr` (for experiments and the web panel). */
export function defaultSchedule(kind: ScheduleKind, lr: number, total: number): ScheduleSpec {
  const w = Math.max(1, Math.round(total * 0.05));
  switch (kind) {
    case 'constant':
      return { kind, lr };
    case 'step':
      return { kind, lr, stepSize: Math.max(1, Math.round(total / 3)), gamma: 0.1 };
    case 'exponential':
      return { kind, lr, gamma: Math.pow(0.01, 1 / Math.max(1, total)) };
    case 'linear':
      // torch's defaults: start_factor 1/3, end_factor 1, here over the first 5% of the run
      return { kind, lr, startFactor: 1 / 3, endFactor: 1, totalIters: w };
    case 'warmup':
      return { kind, lr, warmup: w };
    case 'cosine':
      return { kind, lrMax: lr, lrMin: 0, T: total };
    case 'warmup-cosine':
      return { kind, lrMax: lr, lrMin: lr / 100, warmup: w, T: total };
    case 'sgdr': {
      // T0 chosen so that cycles T0, 2T0, 4T0 fill the budget exactly (T0 = total / 7)
      return { kind, lrMax: lr, lrMin: 0, T0: Math.max(1, Math.round(total / 7)), Tmult: 2 };
    }
    case 'one-cycle':
      return { kind, lrMax: lr, total, pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4 };
  }
}
