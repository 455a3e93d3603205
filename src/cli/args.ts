/** Argument checks and loaders shared by the CLI commands: each failure is one UsageError/RunError line. */
import { UsageError, RunError } from './errors.js';
import type { loadCheckpoint } from '../gpt/checkpoint.node.js';

export function positiveInt(flag: string, s: string, min = 1): number {
  const n = Number(s);
  if (!/^\d+$/.test(s.trim()) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} ${s}: expected an integer ≥ ${min}`);
  return n;
}

export function seedArg(s: string): number {
  const n = Number(s);
  if (!/^\d+$/.test(s.trim()) || n > 0xffffffff) throw new UsageError(`--seed ${s}: expected an integer in [0, 4294967295]`);
  return n;
}

/** A checkpoint folder written by `fivelens train`; a corrupt or missing one, or one with non-finite weights, is a RunError naming the file. */
export async function openCheckpoint(dir: string): ReturnType<typeof loadCheckpoint> {
  const { CheckpointError, loadCheckpoint } = await import('../gpt/checkpoint.node.js');
  let loaded: Awaited<ReturnType<typeof loadCheckpoint>>;
  try {
    loaded = await loadCheckpoint(dir);
  } catch (e) {
    if (e instanceof CheckpointError) throw new RunError(e.message);
    throw e;
  }
  const bad = nonFiniteParam(loaded.model.params);
  if (bad) {
    loaded.model.dispose();
    throw new RunError(`${dir}: weight ${bad} holds NaN or ±Infinity (a diverged training); use an earlier checkpoint`);
  }
  return loaded;
}

/** The name of the first parameter with a NaN or infinite entry, if any. */
export function nonFiniteParam(params: Record<string, { dataSync(): ArrayLike<number> }>): string | undefined {
  for (const [name, v] of Object.entries(params)) {
    const d = v.dataSync();
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) return name;
  }
  return undefined;
}
