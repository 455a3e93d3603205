/**
 * The committed full-preset results (results/<experiment-id>.json at the repo root), loaded lazily
 * per experiment through Vite's import.meta.glob: the home, lens and claims pages show them on a
 * first visit — no click, no compute. A quick run in the lab never replaces them (it is shown as a
 * preview beside them). A build without results/ gets an empty table and says so.
 */
import type { ExperimentResult } from '../../src/experiments/contract.js';

const FILES = import.meta.glob<ExperimentResult>('../../results/*.json', { import: 'default' });

const byId = new Map<string, () => Promise<ExperimentResult>>();
for (const [file, load] of Object.entries(FILES)) {
  const id = /([^/]+)\.json$/.exec(file)?.[1];
  if (id) byId.set(id, load);
}

const cache = new Map<string, Promise<ExperimentResult | undefined>>();

/** ids of the experiments with a committed result */
export function committedIds(): string[] {
  return [...byId.keys()].sort();
}

export function hasCommitted(id: string): boolean {
  return byId.has(id);
}

/** the committed full result of one experiment, or undefined (not built yet, or unreadable) */
export function committedResult(id: string): Promise<ExperimentResult | undefined> {
  let p = cache.get(id);
  if (!p) {
    const load = byId.get(id);
    p = load ? load().catch(() => undefined) : Promise.resolve(undefined);
    cache.set(id, p);
  }
  return p;
}

/** every committed result (for the claims audit) */
export async function allCommitted(): Promise<ExperimentResult[]> {
  const rs = await Promise.all(committedIds().map(committedResult));
  return rs.filter((r): r is ExperimentResult => !!r);
}
