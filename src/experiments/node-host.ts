/**
 * The Node host: data from the project's data/ folder (or a path), a file cache, and the
 * system's compressors. Used by the CLI and the tests; the browser has its own host in web/.
 */
import { readFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { gunzipSync, gzipSync, brotliCompressSync, constants as zc } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cache, DataSource, Platform } from './contract.js';
import type { HostContext } from './runner.js';
import { CORPORA, isCorpusName } from '../data/corpora.js';

/** The project root (where package.json and data/ are). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DATA_DIR = path.join(PROJECT_ROOT, 'data');

export const nodeData: DataSource = {
  async text(name) {
    const file = isCorpusName(name) ? path.join(DATA_DIR, CORPORA[name]) : path.resolve(name);
    if (!existsSync(file)) {
      throw new Error(`corpus "${name}" not found: use one of ${Object.keys(CORPORA).join(', ')} or a path to a UTF-8 text file`);
    }
    return readFile(file, 'utf8');
  },
  async bytes(name) {
    const file = path.join(DATA_DIR, path.basename(name));
    const buf = await readFile(file);
    return new Uint8Array(name.endsWith('.gz') ? gunzipSync(buf) : buf);
  },
};

/** Temporary files being written right now (an interrupted process removes them before it exits). */
export const pendingTemps = new Set<string>();

/** Write a file atomically: to a temporary name in the same folder, then rename; a failure leaves no temporary file. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  pendingTemps.add(tmp);
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true, recursive: true });
    throw err;
  } finally {
    pendingTemps.delete(tmp);
  }
}

/** A file cache under FIVELENS_CACHE or <project>/.cache/fivelens. */
export function fileCache(dir = process.env.FIVELENS_CACHE ?? path.join(PROJECT_ROOT, '.cache', 'fivelens')): Cache {
  const fileOf = (key: string) => path.join(dir, createHash('sha256').update(key).digest('hex').slice(0, 32));
  return {
    async get(key) {
      const f = fileOf(key);
      return existsSync(f) ? new Uint8Array(await readFile(f)) : undefined;
    },
    async set(key, value) {
      await writeFileAtomic(fileOf(key), value);
    },
  };
}

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const EXTERNAL: Record<string, string[]> = { xz: ['xz', '-9e', '-c'], zstd: ['zstd', '-19', '-c', '-q'], bzip2: ['bzip2', '-9', '-c'] };

export const nodePlatform: Platform = {
  kind: 'node',
  async compressedSize(name, data) {
    if (name === 'gzip') return gzipSync(data, { level: 9 }).length;
    if (name === 'brotli')
      return brotliCompressSync(data, {
        params: { [zc.BROTLI_PARAM_QUALITY]: 11, [zc.BROTLI_PARAM_LGWIN]: 24, [zc.BROTLI_PARAM_SIZE_HINT]: data.length },
      }).length;
    const argv = EXTERNAL[name];
    if (!argv || !onPath(argv[0]!)) return undefined;
    const r = spawnSync(argv[0]!, argv.slice(1), { input: data, maxBuffer: 1 << 30 });
    return r.status === 0 ? r.stdout.length : undefined;
  },
};

export interface NodeHostOptions {
  signal?: AbortSignal;
  progress?: (fraction: number, message?: string) => void;
  log?: (message: string) => void;
  cache?: Cache;
}

export function nodeHost(opts: NodeHostOptions = {}): HostContext {
  return {
    progress: opts.progress ?? (() => {}),
    signal: opts.signal ?? new AbortController().signal,
    log: opts.log ?? (() => {}),
    data: nodeData,
    cache: opts.cache ?? fileCache(),
    platform: nodePlatform,
  };
}
