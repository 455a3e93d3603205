/**
 * The study planner: from what a learner knows to a goal topic, the topics still missing in an
 * order that respects every edge of the DAG, each with what to read, which experiment to run,
 * the hours, and the weeks at a given pace. Pure (the CLI and the browser both call it).
 *
 * Knowing a topic is taken to mean knowing its prerequisites too (whoever knows transformers is
 * not sent back to calculus); the plan lists those as "assumed".
 */
import { ancestorsOf, TOPIC_BY_ID, TOPICS, topoSort, type Topic } from './index.js';
import { nearest } from '../experiments/registry-names.js';

export const DEFAULT_GOAL = 'five-lenses';

export class UnknownTopicError extends Error {
  constructor(
    readonly topic: string,
    readonly suggestions: string[],
  ) {
    super(`unknown topic "${topic}"${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}`);
    this.name = 'UnknownTopicError';
  }
}

/** The topic with this id, or with this name in either language (case-insensitive). */
export function resolveTopic(query: string): Topic {
  const q = query.trim().toLowerCase();
  const t = TOPIC_BY_ID.get(q) ?? TOPICS.find((x) => x.name.en.toLowerCase() === q || x.name.zh === query.trim());
  if (t) return t;
  throw new UnknownTopicError(query, nearest(q, TOPICS.map((x) => x.id)));
}

export interface PlanStep {
  topic: Topic;
  hours: number;
  /** 1-based week in which the topic starts and ends at the given pace */
  startWeek: number;
  endWeek: number;
  /** experiments of the topic; `registered` tells whether `fivelens run <id>` works today */
  experiments: { id: string; registered: boolean }[];
}

export interface StudyPlan {
  goal: Topic;
  hoursPerWeek: number;
  /** topics named in --know */
  known: string[];
  /** prerequisites of known topics, skipped as known */
  assumed: string[];
  steps: PlanStep[];
  totalHours: number;
  weeks: number;
}

export interface PlanOptions {
  know?: readonly string[];
  goal?: string;
  hoursPerWeek?: number;
  /** ids of the registered experiments */
  registered?: readonly string[];
}

export function planStudy(opts: PlanOptions = {}): StudyPlan {
  const hoursPerWeek = opts.hoursPerWeek ?? 8;
  if (!(hoursPerWeek > 0) || !Number.isFinite(hoursPerWeek)) throw new RangeError(`hours per week must be a positive number, got ${hoursPerWeek}`);
  const goal = resolveTopic(opts.goal ?? DEFAULT_GOAL);
  const known = (opts.know ?? []).map((k) => resolveTopic(k).id);
  const assumed = new Set<string>();
  for (const k of known) for (const a of ancestorsOf(k)) assumed.add(a);
  for (const k of known) assumed.delete(k);
  const skip = new Set([...known, ...assumed]);

  const needed = new Set([...ancestorsOf(goal.id), goal.id]);
  const todo = topoSort(TOPICS.filter((t) => needed.has(t.id) && !skip.has(t.id)));
  const registered = new Set(opts.registered ?? []);
  const steps: PlanStep[] = [];
  let cum = 0;
  for (const t of todo) {
    const start = cum;
    cum += t.hours;
    steps.push({
      topic: t,
      hours: t.hours,
      startWeek: Math.floor(start / hoursPerWeek) + 1,
      endWeek: Math.max(Math.floor(start / hoursPerWeek) + 1, Math.ceil(cum / hoursPerWeek)),
      experiments: t.experiments.map((id) => ({ id, registered: registered.has(id) })),
    });
  }
  return {
    goal,
    hoursPerWeek,
    known,
    assumed: [...assumed].filter((a) => needed.has(a)).sort(),
    steps,
    totalHours: cum,
    weeks: Math.ceil(cum / hoursPerWeek),
  };
}
