/** safetensors, checkpoints, bit-for-bit resume, and the CLI's answers to bad input. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initEngine, tf } from '../../src/engine/tf.js';
import { Rng } from '../../src/engine/rng.js';
import { CharVocab, GPT, GPTTrainer, decodeSafetensors, deserializeModel, encodeSafetensors, serializeModel, OovError, trainedGPT } from '../../src/gpt/index.js';
import { loadCheckpoint, loadTrainingState, saveCheckpoint } from '../../src/gpt/checkpoint.node.js';
import type { Cache } from '../../src/experiments/contract.js';
import { nodeData } from '../../src/experiments/node-host.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fivelens-gpt-'));
beforeAll(async () => {
  await initEngine();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = 'To be, or not to be, that is the question: whether tis nobler in the mind to suffer the slings and arrows of outrageous fortune.\n'.repeat(3);

describe('safetensors', () => {
  it('round-trips, with the documented layout', () => {
    const t = { a: { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }, b: { shape: [1], data: Float32Array.from([-0.5]) } };
    const bytes = encodeSafetensors(t, { k: 'v' });
    const n = new DataView(bytes.buffer).getUint32(0, true);
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.a).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] });
    expect(header.__metadata__).toEqual({ k: 'v' });
    expect(new DataView(bytes.buffer).getFloat32(8 + n + 24, true)).toBe(-0.5);
    const back = decodeSafetensors(bytes);
    expect(Array.from(back.tensors.a!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(back.metadata.k).toBe('v');
  });

  it('names what is wrong with truncated or corrupt bytes', () => {
    const bytes = encodeSafetensors({ a: { shape: [4], data: new Float32Array(4) } });
    expect(() => decodeSafetensors(bytes.subarray(0, 5))).toThrow(/truncated/);
    expect(() => decodeSafetensors(bytes.subarray(0, bytes.length - 3))).toThrow(/truncated: tensor "a"/);
    const bad = bytes.slice();
    bad[10] = 0x7b; // break the JSON
    bad[9] = 0xff;
    expect(() => decodeSafetensors(bad)).toThrow(/corrupt/);
  });
});

describe('vocabulary', () => {
  it('handles Chinese and astral characters and has an explicit OOV policy', () => {
    const v = CharVocab.fromText('床前明月光，疑是地上霜。𠀀');
    expect(v.size).toBe(13);
    expect(v.decode(v.encode('明月𠀀'))).toBe('明月𠀀');
    expect(() => v.encode('明日')).toThrow(OovError);
    expect(v.decode(v.encode('明日', 'skip'))).toBe('明');
    expect(v.encode('明日', 'replace').length).toBe(2);
    expect(CharVocab.fromJSON(JSON.parse(JSON.stringify(v.toJSON()))).chars).toEqual(v.chars);
  });
});

describe('checkpoints', () => {
  it('a round trip gives identical logits', () => {
    const vocab = CharVocab.fromText(text);
    const m = GPT.init('nano', vocab.size, new Rng(1));
    const { model: m2, vocab: v2 } = deserializeModel(serializeModel(m, vocab));
    expect(v2.chars).toEqual(vocab.chars);
    const idx = tf.tensor2d(vocab.encode(text.slice(0, 20)), [1, 20], 'int32');
    const a = tf.tidy(() => m.forward(idx).logits.dataSync());
    const b = tf.tidy(() => m2.forward(idx).logits.dataSync());
    expect(Array.from(b)).toEqual(Array.from(a));
    tf.dispose([idx]);
    m.dispose();
    m2.dispose();
  });

  it('resume continues bit for bit (weights, optimizer, rng)', async () => {
    const vocab = CharVocab.fromText(text);
    const data = vocab.encode(text);
    const hyper = { batchSize: 4 };
    const straight = GPT.init('nano', vocab.size, new Rng(2));
    const t1 = new GPTTrainer(straight, data, { steps: 8, seed: 3, hyper });
    for (let i = 0; i < 8; i++) await t1.trainStep();

    const first = GPT.init('nano', vocab.size, new Rng(2));
    const t2 = new GPTTrainer(first, data, { steps: 8, seed: 3, hyper });
    for (let i = 0; i < 4; i++) await t2.trainStep();
    const ck = path.join(dir, 'ck');
    await saveCheckpoint(ck, first, vocab, t2, { corpus: 'x', seed: 3, steps: 8, batchSize: 4 });
    expect(readdirSync(ck).sort()).toEqual(['config.json', 'model.safetensors', 'optimizer.safetensors', 'state.json', 'vocab.json']);
    t2.dispose();
    first.dispose();

    const { model: resumed } = await loadCheckpoint(ck);
    const t3 = new GPTTrainer(resumed, data, { steps: 8, seed: 999, hyper });
    await loadTrainingState(ck, t3);
    expect(t3.step).toBe(4);
    for (let i = 0; i < 4; i++) await t3.trainStep();
    expect(t3.history.loss).toEqual(t1.history.loss);
    for (const n of straight.names) expect(Array.from(resumed.params[n]!.dataSync())).toEqual(Array.from(straight.params[n]!.dataSync()));
    [t1, t3].forEach((t) => t.dispose());
    straight.dispose();
    resumed.dispose();
  });

  it('a corrupted or truncated checkpoint gives one line naming the file', async () => {
    const vocab = CharVocab.fromText(text);
    const m = GPT.init('nano', vocab.size, new Rng(4));
    const ck = path.join(dir, 'bad');
    await saveCheckpoint(ck, m, vocab);
    m.dispose();
    const file = path.join(ck, 'model.safetensors');
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 100));
    await expect(loadCheckpoint(ck)).rejects.toThrow(/model\.safetensors: truncated: tensor/);
    writeFileSync(file, bytes);
    writeFileSync(path.join(ck, 'config.json'), '{"nLayer": 2,');
    await expect(loadCheckpoint(ck)).rejects.toThrow(/config\.json: not valid JSON/);
    await expect(loadCheckpoint(path.join(dir, 'nope'))).rejects.toThrow(/no such checkpoint folder/);
  });
});

describe('trainedGPT', () => {
  it('trains once, then serves the same model from the cache', async () => {
    const store = new Map<string, Uint8Array>();
    const cache: Cache = { get: async (k) => store.get(k), set: async (k, v) => void store.set(k, v) };
    const ctx = { data: { text: async () => text, bytes: nodeData.bytes }, cache };
    const a = await trainedGPT(ctx, { corpus: 'tiny', config: 'nano', steps: 6, seed: 5, hyper: { batchSize: 2 }, evalChars: 64 });
    expect(a.fromCache).toBe(false);
    expect(a.history.loss.length).toBe(6);
    expect(a.valBpc).toBeGreaterThan(0);
    const b = await trainedGPT(ctx, { corpus: 'tiny', config: 'nano', steps: 6, seed: 5, hyper: { batchSize: 2 }, evalChars: 64 });
    expect(b.fromCache).toBe(true);
    expect(b.valBpc).toBe(a.valBpc);
    expect(Array.from(b.model.params.wte!.dataSync())).toEqual(Array.from(a.model.params.wte!.dataSync()));
    a.model.dispose();
    b.model.dispose();
  });
});

describe('CLI bad input', () => {
  async function cli(args: string[]): Promise<{ code: number; err: string }> {
    const { main } = await import('../../src/cli/main.js');
    let err = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      err += String(s);
      return true;
    });
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      return { code: await main(args), err };
    } finally {
      spy.mockRestore();
      out.mockRestore();
    }
  }

  it('answers in one line with exit 2 (usage) or 1 (failure), writing nothing', async () => {
    const empty = path.join(dir, 'empty.txt');
    writeFileSync(empty, '');
    const short = path.join(dir, 'short.txt');
    writeFileSync(short, 'abc def');
    const out = path.join(dir, 'out');
    const cases: [string[], number, RegExp][] = [
      [['train', '--corpus', empty, '--config', 'nano', '--out', out], 2, /empty/],
      [['train', '--corpus', short, '--config', 'nano', '--out', out], 2, /too short/],
      [['train', '--corpus', 'shakespeare', '--config', 'nano', '--steps', '0', '--out', out], 2, /--steps 0/],
      [['train', '--corpus', 'shakespeare', '--config', 'huge', '--out', out], 2, /unknown config/],
      [['train', '--corpus', path.join(dir, 'missing.txt'), '--out', out], 2, /not found/],
      [['train', '--corpus', 'shakespeare', '--config', 'nano', '--set', 'lr=abc', '--out', out], 2, /lr=abc.*not a number/],
      [['train', '--corpus', 'shakespeare', '--config', 'nano', '--set', 'foo=1', '--out', out], 2, /unknown hyper-parameter foo/],
      [['train', '--corpus', 'shakespeare', '--config', 'nano', '--set', 'warmupSteps=-3', '--out', out], 2, /warmupSteps/],
      [['train', '--corpus', 'shakespeare', '--config', 'nano', '--recipe', 'nope', '--out', out], 2, /unknown recipe/],
      [['sample', '--ckpt', path.join(dir, 'bad')], 1, /config\.json: not valid JSON/],
    ];
    const big = path.join(dir, 'big.json');
    writeFileSync(big, JSON.stringify({ name: 'big', nLayer: 48, nHead: 16, nEmbd: 2048, blockSize: 1024, dropout: 0, tieWeights: true, train: { batchSize: 32 } }));
    cases.push([['train', '--corpus', 'shakespeare', '--config', big, '--out', out], 2, /GiB/]);
    for (const [args, code, re] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.err.trim().split('\n').length, r.err).toBe(1);
      expect(r.err).toMatch(re);
    }
    expect(existsSync(out)).toBe(false);
  });
});
