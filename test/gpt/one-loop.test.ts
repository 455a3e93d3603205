/**
 * One GPT training loop: for the same seed and config, the cached models (trainedGPT), the CLI's
 * `train` and the lab's live training give bit-identical weights (issue 20).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initEngine } from '../../src/engine/tf.js';
import { nodeData } from '../../src/experiments/node-host.js';
import type { Cache } from '../../src/experiments/contract.js';
import { trainedGPT } from '../../src/gpt/trained.js';
import { decodeSafetensors } from '../../src/gpt/safetensors.js';
import { deserializeModel, modelArrays } from '../../src/gpt/io.js';
import { main } from '../../src/cli/main.js';

// the lab's worker, with its browser pieces replaced: data from disk, the IndexedDB save captured
const saved: Uint8Array[] = [];
vi.mock('../../web/src/host.js', () => ({ browserData: () => nodeData, browserPlatform: {} }));
vi.mock('../../web/src/db.js', () => ({
  saveModel: async (m: { bytes: Uint8Array }) => void saved.push(m.bytes),
  loadModel: async () => undefined,
  forgetModel: async () => undefined,
  modelKey: (corpus: string) => corpus,
}));

const STEPS = 3;
const SEED = 7;
const memoryCache = (): Cache => {
  const m = new Map<string, Uint8Array>();
  return { get: async (k) => m.get(k), set: async (k, v) => void m.set(k, v) };
};
const flat = (arrays: Record<string, { data: ArrayLike<number> }>) =>
  Object.keys(arrays)
    .sort()
    .map((k) => [k, Array.from(arrays[k]!.data)] as const);

beforeAll(async () => {
  await initEngine();
});

describe('one training loop', () => {
  it('trainedGPT, `fivelens train` and the lab give the same weights for the same seed and config (nano, 3 steps)', async () => {
    const cached = await trainedGPT({ data: nodeData, cache: memoryCache() }, { corpus: 'shakespeare', config: 'nano', steps: STEPS, seed: SEED, finalEvalChars: 2000 });
    expect(cached.fromCache).toBe(false);
    const reference = flat(modelArrays(cached.model));
    cached.model.dispose();

    const out = path.join(mkdtempSync(path.join(tmpdir(), 'one-loop-')), 'ckpt');
    const w = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    const so = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main(['train', '--corpus', 'shakespeare', '--config', 'nano', '--steps', String(STEPS), '--seed', String(SEED), '--workers', '1', '--out', out]);
    } finally {
      process.stderr.write = w;
      process.stdout.write = so;
    }
    expect(code).toBe(0);
    const cliWeights = flat(decodeSafetensors(new Uint8Array(readFileSync(path.join(out, 'model.safetensors')))).tensors);
    expect(cliWeights).toEqual(reference);

    const { runTask } = await import('../../web/src/tasks.js');
    await runTask('gpt-train', { corpus: 'shakespeare', config: 'nano', steps: STEPS, seed: SEED, evalEvery: 100, sampleEvery: 100 }, { signal: new AbortController().signal, baseUrl: 'http://x/', emit: () => {} });
    expect(saved).toHaveLength(1);
    const lab = deserializeModel(saved[0]!);
    expect(flat(modelArrays(lab.model))).toEqual(reference);
    lab.model.dispose();
  }, 300_000); // three trainings and the CLI's evaluation on the whole held-out 10%: seconds idle, minutes on a loaded machine
});
