/**
 * Runs one experiment: resolves parameters, seeds the RNG, starts the engine, times the run and
 * wraps the output with everything needed to reproduce it. No I/O: the host passes in a context.
 */
import type { ClaimVerdict, Experiment, ExperimentResult, PresetName, RunContext } from './contract.js';
import { resolveParams } from './params.js';
import { Rng } from '../engine/rng.js';
import { initEngine, tf } from '../engine/tf.js';
import { FIVELENS_VERSION } from '../version.js';
import { rederive } from './verdict.js';

export interface RunOptions {
  preset?: PresetName;
  seed?: number;
  /** already-parsed overrides (from --set or the web panel) */
  overrides?: Record<string, unknown>;
  backend?: string;
}

/** The host-provided parts of a RunContext (everything but rng/seed/backend). */
export type HostContext = Omit<RunContext, 'rng' | 'seed' | 'backend'>;

export const DEFAULT_SEED = 1337;

export async function runExperiment(exp: Experiment, host: HostContext, opts: RunOptions = {}): Promise<ExperimentResult> {
  const preset = opts.preset ?? 'quick';
  const seed = opts.seed ?? DEFAULT_SEED;
  const params = resolveParams(exp, preset, opts.overrides ?? {});
  const backend = await initEngine(opts.backend);
  const ctx: RunContext = { ...host, rng: new Rng(seed), seed, backend };
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const out = await exp.run(params as never, ctx);
  const wallTimeMs = performance.now() - t0;
  checkVerdicts(exp, out.verdicts);
  ctx.progress(1, 'done');
  return {
    id: exp.id,
    lens: exp.lens,
    preset: opts.overrides && Object.keys(opts.overrides).length > 0 ? 'custom' : preset,
    params,
    seed,
    backend,
    versions: { fivelens: FIVELENS_VERSION, tfjs: tf.version.tfjs, ...(typeof process !== 'undefined' && process.versions?.node ? { node: process.versions.node } : {}) },
    wallTimeMs,
    startedAt,
    ...out,
  };
}

/** Every testable verdict re-derives from its criteria, and carries exactly the criteria its experiment declared. */
export function checkVerdicts(exp: Experiment, verdicts: readonly ClaimVerdict[]): void {
  for (const v of verdicts) {
    const wrong = rederive(v);
    if (wrong) throw new Error(`${exp.id}: ${wrong}`);
    if (v.verdict === 'untestable') continue;
    const declared = exp.criteria?.[v.claim];
    if (!declared) throw new Error(`${exp.id}: the verdict on ${v.claim} has no criteria declared in the experiment`);
    if (JSON.stringify(declared) !== JSON.stringify(v.criteria)) throw new Error(`${exp.id}: the verdict on ${v.claim} carries criteria other than the declared ones`);
  }
}
