/**
 * The essays, loaded lazily per lens: any `web/src/essays/<lens>.ts` exporting `essay` drops in; a
 * lens without one still renders its live figures and experiments.
 */
import type { Lens } from '../../../src/experiments/contract.js';
import type { Essay } from './types.js';

const FILES = import.meta.glob<Essay>(['./*.ts', '!./types.ts', '!./index.ts'], { import: 'essay' });

export async function essayOf(lens: Lens): Promise<Essay | undefined> {
  const load = FILES[`./${lens}.ts`];
  if (!load) return undefined;
  try {
    const e = await load();
    return e?.lens === lens ? e : undefined;
  } catch {
    return undefined;
  }
}
