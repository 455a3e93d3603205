/**
 * The browser host of an experiment run (inside the worker): data fetched from the served data/
 * folder (.gz decompressed with DecompressionStream), the cache in IndexedDB, and gzip sizes from
 * CompressionStream. Mirrors src/experiments/node-host.ts.
 */
import type { Cache, DataSource, Platform } from '../../src/experiments/contract.js';
import type { HostContext } from '../../src/experiments/runner.js';
import { CORPORA, isCorpusName } from '../../src/data/corpora.js';
import { idbGet, idbPut } from './db.js';

async function streamBytes(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function browserData(baseUrl: string): DataSource {
  const fetchData = async (file: string): Promise<Response> => {
    const res = await fetch(new URL(`data/${encodeURIComponent(file)}`, baseUrl));
    if (!res.ok) throw new Error(`data/${file}: HTTP ${res.status}`);
    return res;
  };
  const textCache = new Map<string, Promise<string>>();
  return {
    text(name) {
      if (!isCorpusName(name)) {
        return Promise.reject(new Error(`corpus "${name}" is not shipped with the lab; use one of ${Object.keys(CORPORA).join(', ')}`));
      }
      let p = textCache.get(name);
      if (!p) {
        p = fetchData(CORPORA[name]).then((r) => r.text());
        p.catch(() => textCache.delete(name));
        textCache.set(name, p);
      }
      return p;
    },
    async bytes(name) {
      const file = name.split('/').pop()!;
      const res = await fetchData(file);
      if (file.endsWith('.gz')) return streamBytes(res.body!.pipeThrough(new DecompressionStream('gzip')));
      return new Uint8Array(await res.arrayBuffer());
    },
  };
}

export const idbCache: Cache = {
  async get(key) {
    try {
      const v = await idbGet<Uint8Array>('cache', key);
      return v instanceof Uint8Array ? v : undefined;
    } catch {
      return undefined;
    }
  },
  async set(key, value) {
    try {
      await idbPut('cache', value, key);
    } catch {
      /* a full or unavailable IndexedDB only costs a recomputation */
    }
  },
};

export const browserPlatform: Platform = {
  kind: 'browser',
  async compressedSize(compressor, data) {
    // CompressionStream's gzip is deflate at its default level (not gzip -9); nothing else is native.
    if (compressor !== 'gzip' || typeof CompressionStream === 'undefined') return undefined;
    const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
    const reader = stream.getReader();
    let n = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.length;
    }
    return n;
  },
};

export function browserHost(baseUrl: string, opts: Pick<HostContext, 'progress' | 'signal' | 'log'>): HostContext {
  return { ...opts, data: browserData(baseUrl), cache: idbCache, platform: browserPlatform };
}
