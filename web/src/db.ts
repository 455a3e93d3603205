/**
 * IndexedDB: one database `fivelens` with two stores, shared by the page and the worker.
 * - `results`: finished experiment runs (so a reload keeps them), key = run key, value = StoredResult
 * - `cache`: the experiments' `ctx.cache` (e.g. a trained tiny GPT), key → Uint8Array
 * - `models`: the GPT page's last trained model per corpus × model size (safetensors bytes with the
 *   config and vocabulary in its metadata), so a reload keeps it; key = {@link modelKey}
 */
import type { ExperimentResult } from '../../src/experiments/contract.js';

const DB_NAME = 'fivelens';
const DB_VERSION = 2;

let dbp: Promise<IDBDatabase> | undefined;

export function openDb(): Promise<IDBDatabase> {
  dbp ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('results')) {
        const s = db.createObjectStore('results', { keyPath: 'key' });
        s.createIndex('expId', 'expId');
      }
      if (!db.objectStoreNames.contains('cache')) db.createObjectStore('cache');
      if (!db.objectStoreNames.contains('models')) db.createObjectStore('models', { keyPath: 'key' });
    };
    req.onsuccess = () => {
      const db = req.result;
      // a newer version of the lab opened in another tab: let it upgrade the database
      db.onversionchange = () => {
        db.close();
        dbp = undefined;
      };
      resolve(db);
    };
    req.onerror = () => reject(req.error);
  });
  return dbp;
}

function wrap<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export async function idbGet<T>(store: string, key: IDBValidKey): Promise<T | undefined> {
  const db = await openDb();
  return wrap(db.transaction(store, 'readonly').objectStore(store).get(key)) as Promise<T | undefined>;
}

export async function idbPut(store: string, value: unknown, key?: IDBValidKey): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(store, 'readwrite');
  tx.objectStore(store).put(value, key);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export async function idbAll<T>(store: string): Promise<T[]> {
  const db = await openDb();
  return wrap(db.transaction(store, 'readonly').objectStore(store).getAll()) as Promise<T[]>;
}

export async function idbDelete(store: string, key: IDBValidKey): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(store, 'readwrite');
  tx.objectStore(store).delete(key);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

export interface StoredResult {
  key: string;
  expId: string;
  savedAt: number;
  result: ExperimentResult;
}

/** The key of a run: experiment, seed and the fully resolved parameters. */
export function runKey(expId: string, seed: number, params: Record<string, unknown>): string {
  const sorted = Object.keys(params)
    .sort()
    .map((k) => [k, params[k]]);
  return `${expId}|${seed}|${JSON.stringify(sorted)}`;
}

export async function saveResult(result: ExperimentResult): Promise<StoredResult> {
  const rec: StoredResult = { key: runKey(result.id, result.seed, result.params), expId: result.id, savedAt: Date.now(), result };
  await idbPut('results', rec);
  return rec;
}

export async function allResults(): Promise<StoredResult[]> {
  try {
    return (await idbAll<StoredResult>('results')).sort((a, b) => b.savedAt - a.savedAt);
  } catch {
    return [];
  }
}

export async function resultsOf(expId: string): Promise<StoredResult[]> {
  return (await allResults()).filter((r) => r.expId === expId);
}

/** Forget every saved run (the cache of trained models is kept). */
export async function clearResults(): Promise<void> {
  const db = await openDb();
  const tx = db.transaction('results', 'readwrite');
  tx.objectStore('results').clear();
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

/** A GPT trained on the GPT page, kept across reloads. */
export interface StoredModel {
  /** {@link modelKey}: corpus, model size and the exact config, so another choice never loads it */
  key: string;
  corpus: string;
  config: string;
  steps: number;
  seed: number;
  /** ISO time training finished */
  trainedAt: string;
  /** held-out bits/char at the end of training */
  valBpc?: number;
  parameters: number;
  /** safetensors (src/gpt/safetensors.ts via serializeModel): weights, with config and vocabulary in its metadata */
  bytes: Uint8Array;
}

/** FNV-1a of a string, as 8 hex digits. */
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * The key of the saved model for a corpus and a model size. The resolved config (layers, width,
 * block size, training hyper-parameters) is part of it, so a model saved before a config changed
 * is not loaded in place of the new one.
 */
export function modelKey(corpus: string, config: { name?: string } & Record<string, unknown>): string {
  const sorted = JSON.stringify(config, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
  return `gpt-lab|${corpus}|${config.name ?? '?'}|${fnv(sorted)}`;
}

export async function saveModel(m: StoredModel): Promise<void> {
  await idbPut('models', m);
}

export async function loadModel(key: string): Promise<StoredModel | undefined> {
  try {
    return await idbGet<StoredModel>('models', key);
  } catch {
    return undefined;
  }
}

export async function forgetModel(key: string): Promise<void> {
  await idbDelete('models', key);
}
