/**
 * The experiment contract. Every mechanism fivelens teaches is one `Experiment`: a typed,
 * seeded computation that returns metrics, Vega-Lite figures, bilingual findings and, for each
 * claim of the seed answer it tests, a verdict computed from what it measured.
 *
 * The CLI, the tests, the audit and the browser lab all consume this one interface.
 * Nothing here touches the file system or the DOM: I/O comes in through {@link RunContext}.
 */
import type { z } from 'zod';
import type { Rng } from '../engine/rng.js';

/** The five sciences, plus the capstone GPT. */
export const LENSES = ['information', 'control', 'optimization', 'compression', 'perception', 'gpt'] as const;
export type Lens = (typeof LENSES)[number];

/** A text in both languages of the lab. */
export interface Bilingual {
  zh: string;
  en: string;
}

/**
 * How a claim of the seed answer fares against measurement and literature.
 * - `reproduced`: the measurement shows what the claim says, at our scale.
 * - `partly`: some of it holds (e.g. the mechanism, not the number).
 * - `not-reproduced`: the measurement contradicts it.
 * - `untestable`: an analogy or a claim no experiment can decide; the reason must be given.
 */
export const VERDICTS = ['reproduced', 'partly', 'not-reproduced', 'untestable'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** A named measured number. */
export interface Metric {
  /** machine name, e.g. `best_heldout_bpc` */
  name: string;
  value: number;
  /** e.g. `bits/char`, `s`, `%`, `1` for dimensionless */
  unit: string;
  /** what it is, for a learner */
  label?: Bilingual;
  /** the published number it stands beside, if any */
  reference?: { value: number; source: string };
}

/** A figure: a Vega-Lite spec (v5/v6 schema) with its data inline (`data.values`). */
export interface Figure {
  /** file-name safe id, unique within the result, e.g. `bpc-vs-order` */
  id: string;
  title: Bilingual;
  /** a complete Vega-Lite spec object; data must be inline so the figure is self-contained */
  spec: Record<string, unknown>;
  /** one sentence telling the learner what to look at */
  caption?: Bilingual;
}

/** A comparison a criterion makes: `metric op value`. */
export type CriterionOp = '<' | '<=' | '>' | '>=';

/**
 * One criterion of a verdict, declared before the run as data. The verdict is derived from the
 * criteria by `deriveVerdict` (src/experiments/verdict.ts), never computed by experiment code.
 */
export interface Criterion {
  /** which verdict this criterion is a condition of */
  level: 'reproduced' | 'partly';
  /** a key of the same verdict's `evidence` */
  metric: string;
  op: CriterionOp;
  /** the threshold */
  value: number;
  /** where the threshold comes from: a paper's number, a stated effect size, an interval bound */
  why: Bilingual | string;
}

/** The verdict on one claim, with the numbers that justify it. */
export interface ClaimVerdict {
  /** a claim id from `src/atlas/claim-ids.ts` */
  claim: string;
  verdict: Verdict;
  /** the reasoning, quoting the numbers, in both languages */
  because: Bilingual;
  /** the measured numbers the verdict was computed from */
  evidence: Record<string, number>;
  /** the declared criteria the verdict was derived from (empty for `untestable`) */
  criteria: Criterion[];
  /** the published reference, if any, e.g. "Goh 2017: (√κ−1)/(√κ+1)" */
  reference?: string;
}

/** What `run` returns. */
export interface ExperimentOutput {
  metrics: Metric[];
  figures: Figure[];
  /** sentences that quote the measured numbers */
  findings: Bilingual[];
  verdicts: ClaimVerdict[];
  /** optional extra tables for the report (rows of plain values) */
  tables?: { id: string; title: Bilingual; rows: Record<string, string | number>[] }[];
}

/** A finished run: the output plus everything needed to reproduce it. */
export interface ExperimentResult extends ExperimentOutput {
  id: string;
  lens: Lens;
  preset: PresetName | 'custom';
  params: Record<string, unknown>;
  seed: number;
  backend: string;
  versions: Record<string, string>;
  wallTimeMs: number;
  startedAt: string;
}

/** Where data and caches come from; Node reads files, the browser fetches and uses IndexedDB. */
export interface DataSource {
  /** a shipped corpus by name, or (Node only) a file path */
  text(name: string): Promise<string>;
  /** raw bytes of a shipped file in `data/` (e.g. `digits.csv.gz`), decompressed if it ends in .gz */
  bytes(name: string): Promise<Uint8Array>;
}

/** A key–value store for expensive intermediate results (e.g. a trained tiny GPT). */
export interface Cache {
  get(key: string): Promise<Uint8Array | undefined>;
  set(key: string, value: Uint8Array): Promise<void>;
}

/** Host capabilities an experiment may use if present. */
export interface Platform {
  /** 'node' or 'browser' */
  kind: 'node' | 'browser';
  /**
   * Compressed size in bytes of `data` by a named compressor (`gzip`, `brotli`, `xz`, `zstd`, `bzip2`),
   * or undefined when that compressor is not available here.
   */
  compressedSize?(compressor: string, data: Uint8Array): Promise<number | undefined>;
}

/** What an experiment gets besides its parameters. */
export interface RunContext {
  /** report progress in [0, 1] with a short message */
  progress(fraction: number, message?: string): void;
  /** aborted on Ctrl-C / Cancel; long loops must check it (use `throwIfAborted`) */
  signal: AbortSignal;
  /** the one seeded PRNG of this run (use `rng.fork(label)` for independent streams) */
  rng: Rng;
  /** the seed the rng was made from */
  seed: number;
  log(message: string): void;
  data: DataSource;
  cache: Cache;
  platform: Platform;
  /** the tfjs backend name in use (`wasm`, `cpu`, `webgl`, `webgpu`) */
  backend: string;
}

export type PresetName = 'quick' | 'full';

/**
 * One experiment. `S` is its zod parameter schema: a `z.object` whose every field has a default
 * and a `.describe()` text (unit, meaning) — the CLI's `--set` and the web panel are generated
 * from it.
 */
export interface Experiment<S extends z.ZodObject<z.ZodRawShape> = z.ZodObject<z.ZodRawShape>> {
  /** `lens.name`, e.g. `information.entropy-rate` */
  id: string;
  lens: Lens;
  title: Bilingual;
  /** two or three sentences for a learner: what is measured and why it matters */
  summary: Bilingual;
  /** ids of the seed's claims this experiment tests (see `src/atlas/claim-ids.ts`) */
  claims: string[];
  params: S;
  /** `quick`: seconds on one core (tests use it); `full`: the real result, minutes at most */
  presets: Record<PresetName, Partial<z.infer<S>>>;
  /**
   * The criteria of each testable claim, declared before any run: the verdict is derived from them
   * and the measured evidence by `deriveVerdict`, and the runner checks that every returned verdict
   * carries exactly these.
   */
  criteria?: Readonly<Record<string, readonly Criterion[]>>;
  /** KaTeX formulas shown beside the experiment */
  formulas?: { tex: string; label: Bilingual }[];
  run(params: z.infer<S>, ctx: RunContext): Promise<ExperimentOutput>;
}

/** Helper that keeps the generic parameter when declaring an experiment. */
export function defineExperiment<S extends z.ZodObject<z.ZodRawShape>>(e: Experiment<S>): Experiment<S> {
  return e;
}

/** Throws a DOMException('AbortError') if the run was cancelled. Call it inside every long loop. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new DOMException('run aborted', 'AbortError');
}

/** Yield to the event loop (lets Ctrl-C / Cancel and progress be seen during long synchronous work). */
export function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
