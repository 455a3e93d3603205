/**
 * The WebAssembly model (cm-wasm.ts, from src/zip/asm/cm.as.ts) against its TypeScript reference
 * (CM2 generation 3 + rangecoder.ts): the same coded bytes, stream by stream, on text, binary, runs,
 * invalid UTF-8, a dictionary, a ring that wraps many times, and inputs longer than one host chunk.
 */
import { readFileSync } from 'node:fs';
import { describe, it, expect, beforeAll } from 'vitest';
import { Rng } from '../../src/engine/rng.js';
import { CM2, DEFAULT_CM2, type CM2Options } from '../../src/zip/cm2.js';
import { RangeEncoder, RangeDecoder } from '../../src/zip/rangecoder.js';
import { CMWasm, cmModule } from '../../src/zip/cm-wasm.js';
import { loadCMWasm } from '../../src/zip/cm-wasm.node.js';

type Opts = CM2Options & { ringBits: number };

/** The reference: CM2 coding with a fresh range coder per stream. */
function refStreams(o: Opts, dict: Uint8Array | undefined, streams: Uint8Array[]): Uint8Array[] {
  const m = new CM2(o);
  if (dict) m.prime(dict);
  return streams.map((s) => {
    const enc = new RangeEncoder();
    for (const c of s)
      for (let b = 7; b >= 0; b--) {
        const bit = (c >>> b) & 1;
        enc.encode(bit, m.p());
        m.update(bit);
      }
    return enc.finish();
  });
}

function wasmStreams(o: Opts, dict: Uint8Array | undefined, streams: Uint8Array[], piece: number): Uint8Array[] {
  const w = new CMWasm(cmModule()!, o);
  if (dict) w.learn(dict);
  return streams.map((s) => {
    for (let i = 0; i < s.length; i += piece) w.encode(s.subarray(i, i + piece));
    return w.flush();
  });
}

function decodeWasm(o: Opts, dict: Uint8Array | undefined, coded: Uint8Array[], lengths: number[]): Uint8Array[] {
  const w = new CMWasm(cmModule()!, o);
  if (dict) w.learn(dict);
  return coded.map((c, i) => {
    const out = new Uint8Array(lengths[i]!);
    w.beginDecode(c);
    w.decode(out.subarray(0, out.length >> 1));
    w.decode(out.subarray(out.length >> 1));
    expect(w.endDecode()).toBe(true);
    return out;
  });
}

function randomBytes(rng: Rng, kind: number, len: number): Uint8Array {
  const b = new Uint8Array(len);
  const words = ['the ', 'king ', 'and ', 'ROMEO:\n', '春', '风', '。', 'a', '\n', '    let x = 1;\n'];
  const enc = new TextEncoder();
  let i = 0;
  while (i < len) {
    if (kind === 0) b[i++] = rng.int(256);
    else if (kind === 1) b[i++] = 0;
    else if (kind === 2) {
      for (const x of enc.encode(words[rng.int(words.length)]!)) if (i < len) b[i++] = x;
    } else b[i++] = 0x80 + rng.int(0x40);
  }
  return b;
}

const hex = (a: Uint8Array[]) => a.map((x) => Buffer.from(x).toString('hex'));

describe('the WebAssembly model gives the reference bytes', () => {
  beforeAll(() => {
    // the build (npm run build) compiles it; a missing module is a failure here, not a skip
    expect(loadCMWasm()).toBe(true);
  });

  it('random inputs of every kind, several streams, pieces that do not align', () => {
    const rng = new Rng(19);
    const o: Opts = { ...DEFAULT_CM2, tableBits: 16, ringBits: 24 };
    for (let t = 0; t < 8; t++) {
      const streams = [0, 1, 2].map(() => randomBytes(rng, rng.int(4), rng.int(3000)));
      const ref = refStreams(o, undefined, streams);
      expect(hex(wasmStreams(o, undefined, streams, 1 + rng.int(700)))).toEqual(hex(ref));
      expect(hex(decodeWasm(o, undefined, ref, streams.map((s) => s.length)))).toEqual(hex(streams));
    }
  });

  it('with a dictionary, and with a 1 KB ring that wraps (matches and lines read across the wrap)', () => {
    const rng = new Rng(5);
    const dict = randomBytes(rng, 2, 5000);
    const streams = [randomBytes(rng, 2, 9000), randomBytes(rng, 3, 500), randomBytes(rng, 2, 4000)];
    for (const o of [
      { ...DEFAULT_CM2, tableBits: 16, ringBits: 24 },
      { ...DEFAULT_CM2, tableBits: 17, ringBits: 10, limit: 127, lrMin: 64 },
    ]) {
      const ref = refStreams(o, dict, streams);
      expect(hex(wasmStreams(o, dict, streams, 4096))).toEqual(hex(ref));
      expect(hex(decodeWasm(o, dict, ref, streams.map((s) => s.length)))).toEqual(hex(streams));
    }
  });

  it('real text longer than one host chunk (64 KB), at the default table size', () => {
    const text = new Uint8Array(readFileSync(new URL('../../data/tinyshakespeare.txt', import.meta.url))).subarray(0, 150_000);
    const o: Opts = { ...DEFAULT_CM2, tableBits: 19, ringBits: 24 };
    const ref = refStreams(o, undefined, [text]);
    expect(hex(wasmStreams(o, undefined, [text], 100_000))).toEqual(hex(ref));
    expect(ref[0]!.length).toBeLessThan(text.length * 0.3);
  });

  it('a coded stream longer than the host chunk decodes (its buffer grows the memory)', () => {
    const o: Opts = { ...DEFAULT_CM2, tableBits: 16, ringBits: 24 };
    const s = randomBytes(new Rng(4), 0, 100_000);
    const coded = wasmStreams(o, undefined, [s], 65536);
    expect(coded[0]!.length).toBeGreaterThan(65536);
    expect(hex(decodeWasm(o, undefined, coded, [s.length]))).toEqual(hex([s]));
  });

  it('a damaged stream does not end exactly', () => {
    const o: Opts = { ...DEFAULT_CM2, tableBits: 16, ringBits: 24 };
    const s = randomBytes(new Rng(3), 2, 2000);
    const [c] = refStreams(o, undefined, [s]);
    const bad = c!.slice();
    bad[bad.length - 2] = bad[bad.length - 2]! ^ 4;
    const w = new CMWasm(cmModule()!, o);
    w.beginDecode(bad);
    w.decode(new Uint8Array(s.length));
    expect(w.endDecode()).toBe(false);
    // the reference decoder agrees
    const m = new CM2(o);
    const d = new RangeDecoder(bad);
    for (let i = 0; i < s.length * 8; i++) m.update(d.decode(m.p()));
    expect(d.exact()).toBe(false);
  });
});
