/**
 * The catalogue: what `fivelens list` and `run --help` show, without importing any experiment.
 * `npm run build` (run by `npm ci` through `prepare`) writes it as catalog.json beside the compiled
 * catalog.js; when it is absent (running the TypeScript sources through tsx, or in the tests) it
 * is computed from the experiments themselves. `loadExperiment(id)` imports only the one module
 * (a lens index) that defines the experiment, so a run never loads the other lenses.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bilingual, Experiment, Lens, PresetName } from './contract.js';
import type { ParamInfo } from './params.js';

/** The modules that define experiments (the lens index files and the GPT's), each imported only when needed. */
const MODULES = {
  information: () => import('../lenses/information/index.js'),
  control: () => import('../lenses/control/index.js'),
  optimization: () => import('../lenses/optimization/index.js'),
  compression: () => import('../lenses/compression/index.js'),
  perception: () => import('../lenses/perception/index.js'),
  gpt: () => import('../gpt/experiments.js'),
} satisfies Record<string, () => Promise<{ experiments: readonly Experiment[] }>>;
type ModuleKey = keyof typeof MODULES;

export interface CatalogEntry {
  id: string;
  lens: Lens;
  title: Bilingual;
  summary: Bilingual;
  claims: string[];
  params: ParamInfo[];
  presets: Record<PresetName, Record<string, unknown>>;
  /** the module that defines it (a key of MODULES) */
  module: ModuleKey;
}

export const CATALOG_FILE = fileURLToPath(new URL('./catalog.json', import.meta.url));

/** Every experiment's entry, by importing every module (the build step and the tsx fallback). */
export async function buildCatalog(): Promise<CatalogEntry[]> {
  const { describeParams } = await import('./params.js');
  const out: CatalogEntry[] = [];
  for (const module of Object.keys(MODULES) as ModuleKey[]) {
    const { experiments } = await MODULES[module]();
    for (const e of experiments) {
      out.push({ id: e.id, lens: e.lens, title: e.title, summary: e.summary, claims: [...e.claims], params: describeParams(e.params), presets: e.presets as CatalogEntry['presets'], module });
    }
  }
  return out;
}

let cached: CatalogEntry[] | undefined;

/** The catalogue: the built catalog.json when present, else computed. */
export async function readCatalog(): Promise<CatalogEntry[]> {
  if (cached) return cached;
  try {
    cached = JSON.parse(readFileSync(CATALOG_FILE, 'utf8')) as CatalogEntry[];
  } catch {
    cached = await buildCatalog();
  }
  return cached;
}

/** The experiment `id`, importing only the module that defines it (undefined when unknown). */
export async function loadExperiment(id: string): Promise<Experiment | undefined> {
  const entry = (await readCatalog()).find((e) => e.id === id);
  if (!entry) return undefined;
  const { experiments } = await MODULES[entry.module]();
  return experiments.find((e) => e.id === id);
}
