import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as zlib from 'node:zlib';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Rng } from '../../src/engine/rng.js';
import { initEngine } from '../../src/engine/tf.js';
import { crc32, ContainerError, HEADER_V2_BYTES, BLOCK_HEADER_BYTES } from '../../src/zip/container.js';
import { RangeEncoder, RangeDecoder, encodeBytes, decodeBytes, type BitPredictor } from '../../src/zip/rangecoder.js';
import { zipBytes, unzipBytes } from '../../src/zip/codec.js';
import { onlineModel, gptModel, dictModel } from '../../src/zip/zipmodels.js';
import { expDet } from '../../src/zip/gptbits.js';
import { encodeSafetensors } from '../../src/gpt/safetensors.js';
import { parameterShapes } from '../../src/gpt/model.js';
import { main } from '../../src/cli/main.js';

const small = onlineModel({ tableBits: 16 });
/** where the first block's payload starts in a version-2 file (header, then the block's header) */
const PAYLOAD = HEADER_V2_BYTES + BLOCK_HEADER_BYTES;

/** A random (untrained) GPT checkpoint with a short context, so inputs are far longer than it. */
function randomCheckpoint(seed: number, chars: string[], T = 8): Uint8Array {
  const rng = new Rng(seed);
  const config = { name: 'test', nLayer: 1, nHead: 2, nEmbd: 16, blockSize: T, dropout: 0, tieWeights: true, train: { batchSize: 1, lr: 1e-3, minLr: 1e-4, warmupSteps: 1, weightDecay: 0, beta1: 0.9, beta2: 0.99, eps: 1e-8, gradClip: 1 } };
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [name, shape] of parameterShapes(config, chars.length)) {
    const n = shape.reduce((a, b) => a * b, 1);
    tensors[name] = { shape, data: name.includes('ln_') && name.endsWith('weight') ? new Float32Array(n).fill(1) : rng.normalArray(n, 0.3) };
  }
  return encodeSafetensors(tensors, { format: 'fivelens-gpt/1', config: JSON.stringify(config), vocab: JSON.stringify({ type: 'char', chars }), extra: '{}' });
}

function randomBuffer(rng: Rng, kind: number, len: number): Uint8Array {
  const b = new Uint8Array(len);
  const words = ['the ', 'king ', 'and ', 'ROMEO:\n', '春', '风', '。', 'a', '\n'];
  const enc = new TextEncoder();
  let i = 0;
  while (i < len) {
    if (kind === 0) b[i++] = rng.int(256); // binary
    else if (kind === 1) b[i++] = 0; // one repeated byte
    else if (kind === 2) {
      // text with repeats (and multi-byte UTF-8 that may be cut in the middle)
      for (const x of enc.encode(words[rng.int(words.length)]!)) if (i < len) b[i++] = x;
    } else b[i++] = 0x80 + rng.int(0x40); // invalid UTF-8: lone continuation bytes
  }
  return b;
}

describe('CRC-32', () => {
  it('gives the standard check value and agrees with zlib', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    const rng = new Rng(3);
    const z = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;
    for (let t = 0; t < 5; t++) {
      const d = randomBuffer(rng, 0, rng.int(3000));
      if (z) expect(crc32(d)).toBe(z(d));
      expect(crc32(d.subarray(100), crc32(d.subarray(0, 100)))).toBe(crc32(d));
    }
  });
});

describe('range coder', () => {
  it('round-trips bits under extreme and random probabilities, costing ≈ −log₂ P', () => {
    const rng = new Rng(11);
    const bits: number[] = [];
    const ps: number[] = [];
    let ideal = 0;
    for (let i = 0; i < 20000; i++) {
      const p = i % 7 === 0 ? (rng.next() < 0.5 ? 1 : 65535) : 1 + rng.int(65535);
      const bit = rng.next() < p / 65536 ? 1 : 0;
      bits.push(bit);
      ps.push(p);
      ideal += -Math.log2(bit ? p / 65536 : 1 - p / 65536);
    }
    const enc = new RangeEncoder();
    bits.forEach((b, i) => enc.encode(b, ps[i]!));
    const out = enc.finish();
    const dec = new RangeDecoder(out);
    bits.forEach((b, i) => expect(dec.decode(ps[i]!)).toBe(b));
    expect(dec.overread).toBe(0);
    expect(out.length * 8).toBeLessThan(ideal * 1.01 + 64);
  });
  it('with a fixed order-0 model codes a biased source near its entropy', () => {
    class Fixed implements BitPredictor {
      p() {
        return 6554; // P(1) ≈ 0.1
      }
      update() {}
    }
    const rng = new Rng(5);
    const data = new Uint8Array(4000).map(() => {
      let c = 0;
      for (let b = 0; b < 8; b++) c = (c << 1) | (rng.next() < 0.1 ? 1 : 0);
      return c;
    });
    const coded = encodeBytes(data, new Fixed());
    expect(Array.from(decodeBytes(coded, data.length, new Fixed()).data)).toEqual(Array.from(data));
    const h = -(0.1 * Math.log2(0.1) + 0.9 * Math.log2(0.9)) * 8 * data.length;
    expect(coded.length * 8).toBeGreaterThan(h * 0.97);
    expect(coded.length * 8).toBeLessThan(h * 1.03);
  });
});

describe('zip container (online mode)', () => {
  it('round-trips random buffers of random lengths: empty, binary, runs, text, invalid UTF-8', () => {
    const rng = new Rng(2024);
    const lens = [0, 1, 2, 7, 255, 256, 1000, ...Array.from({ length: 12 }, () => rng.int(4000))];
    lens.forEach((len, i) => {
      const data = randomBuffer(rng, i % 4, len);
      const file = zipBytes(data, small);
      expect(Array.from(unzipBytes(file, small))).toEqual(Array.from(data));
    });
  });
  it('compresses text and repeats', () => {
    const text = new TextEncoder().encode('To be, or not to be, that is the question. '.repeat(50));
    expect(zipBytes(text, small).length).toBeLessThan(200);
  });
  it('gives one clear error for a flipped byte, a truncated file, a wrong model, a wrong mode, not-a-zip', () => {
    const data = new TextEncoder().encode('Whether tis nobler in the mind to suffer the slings and arrows. '.repeat(20));
    const file = zipBytes(data, small);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ContainerError);
        return (e as ContainerError).code;
      }
      return 'no error';
    };
    // a flip in the block's CRC, its payload, the end record, the length hint, the header CRC, the raw length is caught
    for (const pos of [PAYLOAD - 1, PAYLOAD + 5, file.length - 5, file.length - 1, 17, 25, 30]) {
      const bad = file.slice();
      bad[pos] = bad[pos]! ^ 0x01;
      expect(['crc-mismatch', 'header-corrupt']).toContain(code(() => unzipBytes(bad, small)));
    }
    const flipped = file.slice();
    flipped[PAYLOAD + 3] = flipped[PAYLOAD + 3]! ^ 0x40;
    expect(code(() => unzipBytes(flipped, small))).toBe('crc-mismatch');
    expect(code(() => unzipBytes(file.subarray(0, file.length - 3), small))).toBe('truncated');
    expect(code(() => unzipBytes(file.subarray(0, 20), small))).toBe('truncated');
    expect(code(() => unzipBytes(file, onlineModel({ tableBits: 17 })))).toBe('wrong-model');
    expect(code(() => unzipBytes(new TextEncoder().encode('hello world, not a zip'), small))).toBe('not-flz');
    const ck = randomCheckpoint(1, ['a', 'b', ' ']);
    expect(code(() => unzipBytes(file, gptModel(ck, { tableBits: 16 })))).toBe('wrong-mode');
  });
});

describe('zip with a dictionary', () => {
  it('round-trips, helps on related text, and refuses another dictionary', () => {
    const enc = new TextEncoder();
    const dict = enc.encode('ROMEO: What say you to my love? JULIET: I say my love is yours.\n'.repeat(20));
    const data = enc.encode('JULIET: What say you, Romeo, to my love?\nROMEO: I say my love is yours.\n');
    const m = dictModel(dict, { tableBits: 16 });
    const file = zipBytes(data, m);
    expect(new TextDecoder().decode(unzipBytes(file, m))).toBe(new TextDecoder().decode(data));
    expect(file.length).toBeLessThan(zipBytes(data, small).length);
    expect(() => unzipBytes(file, dictModel(enc.encode('another dictionary'), { tableBits: 16 }))).toThrow(/wrong model/);
    expect(() => unzipBytes(file, small)).toThrow(/--model/);
  });
  it('round-trips random buffers (empty, binary, runs, text, invalid UTF-8) and refuses damage, as online does', () => {
    const rng = new Rng(77);
    const m = dictModel(randomBuffer(rng, 3, 3000), { tableBits: 16 });
    [0, 1, 2, 300, 2000].forEach((len, i) => {
      const data = randomBuffer(rng, i % 4, len);
      expect(Array.from(unzipBytes(zipBytes(data, m), m))).toEqual(Array.from(data));
    });
    const file = zipBytes(new TextEncoder().encode('JULIET: What say you, Romeo?\n'.repeat(30)), m);
    for (const pos of [PAYLOAD + 2, file.length - 2]) {
      const bad = file.slice();
      bad[pos] = bad[pos]! ^ 0x10;
      expect(() => unzipBytes(bad, m)).toThrow(ContainerError);
    }
    expect(() => unzipBytes(file.subarray(0, file.length - 4), m)).toThrow(/truncated/);
  });
});

describe('zip model mode: the GPT in float64', () => {
  it('expDet matches Math.exp to 1 ulp-ish', () => {
    for (const x of [-50, -3.3, -1, -1e-9, 0, 0.5, 1, 2.7, 30, 88]) expect(Math.abs(expDet(x) / Math.exp(x) - 1)).toBeLessThan(2e-15);
  });
  it('round-trips inputs far longer than the context, with characters outside the vocabulary', () => {
    const chars = [...new Set('\n abcdefghijklmnopqrstuvwxyz春风。'.split(''))].sort();
    const model = gptModel(randomCheckpoint(9, chars, 8), { tableBits: 16 });
    const rng = new Rng(4);
    for (const kind of [2, 0, 3]) {
      const data = randomBuffer(rng, kind, 700);
      expect(Array.from(unzipBytes(zipBytes(data, model), model))).toEqual(Array.from(data));
    }
    const other = gptModel(randomCheckpoint(10, chars, 8), { tableBits: 16 });
    expect(() => unzipBytes(zipBytes(new Uint8Array([1, 2, 3]), model), other)).toThrow(/wrong model/);
  });
  it('encodes while tfjs runs on wasm and decodes while it runs on cpu (identical bytes)', async () => {
    const chars = [...new Set('\n abcdefghijklmnopqrstuvwxyz'.split(''))].sort();
    const ck = randomCheckpoint(12, chars, 16);
    const data = new TextEncoder().encode('the king and the queen walk in the garden and talk of the war\n'.repeat(8));
    expect(await initEngine('wasm')).toBe('wasm');
    const file = zipBytes(data, gptModel(ck, { tableBits: 16 }));
    expect(await initEngine('cpu')).toBe('cpu');
    const back = unzipBytes(file, gptModel(ck, { tableBits: 16 }));
    await initEngine('wasm');
    expect(new TextDecoder().decode(back)).toBe(new TextDecoder().decode(data));
  });
});

describe('fivelens zip / unzip (CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'flz-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const quiet = async (argv: string[]) => {
    const w = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      return await main(argv);
    } finally {
      process.stderr.write = w;
    }
  };

  it('zips and unzips a file; refuses to overwrite the input; altered file → exit 1, no output', async () => {
    const inp = path.join(dir, 'a.txt');
    const data = randomBuffer(new Rng(8), 2, 3000);
    writeFileSync(inp, data);
    expect(await quiet(['zip', inp])).toBe(0);
    expect(existsSync(inp + '.flz')).toBe(true);
    expect(await quiet(['unzip', inp + '.flz', '-o', path.join(dir, 'b.txt')])).toBe(0);
    expect(Buffer.compare(readFileSync(path.join(dir, 'b.txt')), Buffer.from(data))).toBe(0);
    // input never overwritten
    expect(await quiet(['unzip', inp + '.flz', '-o', inp])).toBe(2);
    expect(Buffer.compare(readFileSync(inp), Buffer.from(data))).toBe(0);
    expect(await quiet(['zip', inp, '-o', inp])).toBe(2);
    // existing output without --force
    expect(await quiet(['zip', inp])).toBe(2);
    // altered and truncated files: exit 1 and no output file
    const f = readFileSync(inp + '.flz');
    f[f.length - 2] = f[f.length - 2]! ^ 0xff;
    writeFileSync(path.join(dir, 'bad.flz'), f);
    expect(await quiet(['unzip', path.join(dir, 'bad.flz')])).toBe(1);
    expect(existsSync(path.join(dir, 'bad'))).toBe(false);
    writeFileSync(path.join(dir, 'short.flz'), readFileSync(inp + '.flz').subarray(0, 50));
    expect(await quiet(['unzip', path.join(dir, 'short.flz')])).toBe(1);
    expect(existsSync(path.join(dir, 'short'))).toBe(false);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    // missing input
    expect(await quiet(['zip', path.join(dir, 'nope.txt')])).toBe(2);
  });

  it('--json prints the statistics as one JSON object on stdout, and is refused where stdout carries the data', async () => {
    const inp = path.join(dir, 'j.txt');
    const data = randomBuffer(new Rng(9), 2, 2500);
    writeFileSync(inp, data);
    const captured = async (argv: string[]) => {
      const w = process.stdout.write;
      let text = '';
      process.stdout.write = ((s: string | Uint8Array) => ((text += String(s)), true)) as typeof process.stdout.write;
      try {
        return { code: await quiet(argv), text };
      } finally {
        process.stdout.write = w;
      }
    };
    const z = await captured(['zip', inp, '-o', path.join(dir, 'j.flz'), '--json']);
    expect(z.code).toBe(0);
    const zj = JSON.parse(z.text);
    expect(zj).toMatchObject({ command: 'zip', bytesIn: data.length, bytesOut: statSync(path.join(dir, 'j.flz')).size, mode: 'online' });
    expect(zj.bitsPerByte).toBeCloseTo((zj.bytesOut * 8) / data.length, 9);
    const u = await captured(['unzip', path.join(dir, 'j.flz'), '-o', path.join(dir, 'j.back'), '--json']);
    expect(u.code).toBe(0);
    expect(JSON.parse(u.text)).toMatchObject({ command: 'unzip', format: 2, bytesOut: data.length });
    expect(Buffer.compare(readFileSync(path.join(dir, 'j.back')), Buffer.from(data))).toBe(0);
    expect((await captured(['zip', inp, '-c', '--json'])).code).toBe(2);
    expect((await captured(['unzip', path.join(dir, 'j.flz'), '-o', '-', '--json'])).code).toBe(2);
  });
});
