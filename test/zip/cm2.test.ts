import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { Rng } from '../../src/engine/rng.js';
import { APM, MatchModel, Mixer, NibbleTable, adapt, mix3, update3, nextHistory, slotStretch, slotUpdate, squash, stretch } from '../../src/zip/cm-parts.js';
import { CM2 } from '../../src/zip/cm2.js';
import { encodeBytes, decodeBytes } from '../../src/zip/rangecoder.js';
import { zipBytes, unzipBytes } from '../../src/zip/codec.js';
import { writeContainer, readContainer, ContainerError, crc32, modelHash } from '../../src/zip/container.js';
import { onlineModel, dictModel } from '../../src/zip/zipmodels.js';

const enc = new TextEncoder();

describe('cm2 stages, each alone', () => {
  it('a counter converges to the frequency of its bits', () => {
    const p = new Int16Array(1);
    const n = new Uint8Array(1);
    const rng = new Rng(1);
    for (let i = 0; i < 4000; i++) adapt(p, n, 0, rng.next() < 0.8 ? 1 : 0, 255);
    expect((p[0]! + 32768) / 65536).toBeGreaterThan(0.75);
    expect((p[0]! + 32768) / 65536).toBeLessThan(0.85);
  });

  it('three mixers on one input vector: mix3/update3 give exactly what three mix/update calls give', () => {
    const rng = new Rng(7);
    const n = 25;
    const xa = new Int32Array(n);
    const xb = new Int32Array(n);
    const fast = [new Mixer(n, 8, 6000, xa), new Mixer(n, 8, 6000, xa), new Mixer(n, 8, 6000, xa)] as const;
    const plain = [new Mixer(n, 8, 6000, xb), new Mixer(n, 8, 6000, xb), new Mixer(n, 8, 6000, xb)] as const;
    for (let step = 0; step < 3000; step++) {
      for (let i = 0; i < n; i++) xa[i] = xb[i] = Math.floor(rng.next() * 4095) - 2047;
      const sel = [0, 1, 2].map(() => Math.floor(rng.next() * 8));
      mix3(fast[0], sel[0]!, fast[1], sel[1]!, fast[2], sel[2]!);
      plain.forEach((m, k) => m.mix(sel[k]!));
      expect(fast.map((m) => m.pr)).toEqual(plain.map((m) => m.pr));
      const bit = rng.next() < 0.5 ? 1 : 0;
      const lr = 96 + Math.floor(rng.next() * 400);
      update3(fast[0], fast[1], fast[2], bit, lr, lr * 3, lr * 4);
      plain.forEach((m, k) => m.update(bit, lr * [1, 3, 4][k]!));
    }
    fast.forEach((m, k) => expect(m.w).toEqual(plain[k]!.w));
  });

  it('a bit history keeps the last 6 bits behind a leading 1', () => {
    let h = 0;
    for (const b of [1, 0, 1, 1, 0, 0, 1, 1]) h = nextHistory(h, b);
    expect(h).toBe(0b1110011);
  });

  it('the mixer learns a fixed mixture: the informative input gets the weight, cost → entropy', () => {
    const m = new Mixer(3, 1, 0);
    const rng = new Rng(2);
    let cost = 0;
    let ideal = 0;
    const N = 40000;
    for (let t = 0; t < N; t++) {
      const s = Math.round((rng.next() * 2 - 1) * 1500); // the truth's stretch
      const bit = rng.next() < squash(s) / 4096 ? 1 : 0;
      m.x[0] = s;
      m.x[1] = Math.round((rng.next() * 2 - 1) * 1500); // noise
      m.x[2] = 256;
      m.mix(0);
      if (t >= N / 2) {
        cost -= Math.log2(bit ? m.pr / 4096 : 1 - m.pr / 4096);
        ideal -= Math.log2(bit ? squash(s) / 4096 : 1 - squash(s) / 4096);
      }
      m.update(bit, 96);
    }
    expect(m.w[0]! / 65536).toBeGreaterThan(0.8);
    expect(m.w[0]! / 65536).toBeLessThan(1.2);
    expect(Math.abs(m.w[1]! / 65536)).toBeLessThan(0.1);
    expect(cost / ideal).toBeLessThan(1.02);
  });

  it('an APM trained on calibrated bits stays monotone in its input probability', () => {
    const a = new APM(1);
    const rng = new Rng(3);
    for (let t = 0; t < 60000; t++) {
      const p12 = 1 + rng.int(4094);
      a.pp(p12, 0);
      a.update(rng.next() < p12 / 4096 ? 1 : 0);
    }
    // monotone on a grid coarser than its noise (rate 1/128: ±~2000 in 16-bit units), and calibrated
    const qs = [256, 768, 1280, 1792, 2304, 2816, 3328, 3840].map((p12) => a.pp(p12, 0));
    for (let i = 1; i < qs.length; i++) expect(qs[i]!).toBeGreaterThan(qs[i - 1]!);
    qs.forEach((q, i) => expect(Math.abs(q / 65536 - (256 + 512 * i) / 4096)).toBeLessThan(0.09)); // ± the noise of a bin
  });

  it('the match model finds a repeat and predicts its bits', () => {
    const text = enc.encode('the quick brown fox jumps over the lazy dog; ');
    const n = text.length * 2;
    const buf = new Uint8Array(128);
    buf.set(text);
    buf.set(text, text.length);
    const mm = new MatchModel(16, 7);
    let right = 0;
    let asked = 0;
    for (let pos = 1; pos <= n; pos++) {
      mm.byteUpdate(buf, 127, Infinity, pos);
      if (pos >= text.length + 8 && pos < n) {
        const c = buf[pos]!;
        let c0 = 1;
        for (let b = 7; b >= 0; b--) {
          mm.predict(c0, 7 - b);
          const bit = (c >> b) & 1;
          asked++;
          if (mm.len > 0 && mm.expected === bit) right++;
          mm.update(bit);
          c0 = (c0 << 1) | bit;
        }
      }
    }
    expect(right).toBe(asked);
    expect(mm.len).toBeGreaterThan(30);
  });

  it('the nibble table keeps two contexts apart and finds each again', () => {
    const t = new NibbleTable(2, 12);
    const a = t.find(0, 0x12345678);
    const b = t.find(0, 0x7654321f);
    for (let k = 0; k < 5; k++) t.t[a + 1] = slotUpdate(t.t[a + 1]!, 1, 60);
    expect(b).not.toBe(a);
    expect(t.find(0, 0x12345678)).toBe(a);
    expect(slotStretch(t.t[a + 1]!)).toBeGreaterThan(700); // five 1s at rates 1/(n + 1.5): p ≈ 0.955, stretch ≈ 780
    expect((t.t[a + 1]! >>> 16) & 255).toBe(5);
    expect(t.t[a + 1]! >>> 24).toBe(0b111111); // history: 1 then five 1s
    expect(t.find(1, 0x12345678)).not.toBe(a); // another region
  });

  it('squash and stretch invert each other', () => {
    for (let d = -1500; d <= 1500; d += 37) expect(Math.abs(stretch(squash(d)) - d)).toBeLessThan(40);
  });
});

describe('cm2, the whole model', () => {
  it('round-trips text, binary, invalid UTF-8 and the empty input', () => {
    const rng = new Rng(4);
    const inputs = [new Uint8Array(0), enc.encode('春眠不觉晓，处处闻啼鸟。 spring sleep '.repeat(20)), Uint8Array.from({ length: 3000 }, () => rng.int(256)), Uint8Array.from({ length: 500 }, () => 0x80 + rng.int(64))];
    for (const d of inputs) {
      const z = encodeBytes(d, new CM2({ tableBits: 14 }));
      expect(Array.from(decodeBytes(z, d.length, new CM2({ tableBits: 14 })).data)).toEqual(Array.from(d));
    }
  });

  it('codes a long repeat almost for free (the match model)', () => {
    const rng = new Rng(5);
    const block = Uint8Array.from({ length: 4000 }, () => 97 + rng.int(26));
    const once = encodeBytes(block, new CM2({ tableBits: 14 })).length;
    const twice = new Uint8Array(8000);
    twice.set(block);
    twice.set(block, 4000);
    const both = encodeBytes(twice, new CM2({ tableBits: 14 })).length;
    expect(both - once).toBeLessThan(4000 * 0.02); // < 0.16 bits per repeated byte
  });

  it('decodes files of the first model (cm1) and of a cm1 dictionary', () => {
    const d = enc.encode('To be, or not to be, that is the question. 春风又绿江南岸。'.repeat(5));
    const m = onlineModel({ tableBits: 14 });
    const old = m.alternatives!().find((a) => a.config.startsWith('cm1'))!;
    expect(old.config).toMatch(/^cm1/);
    expect(Array.from(unzipBytes(zipBytes(d, old), m))).toEqual(Array.from(d));
    const dict = enc.encode('To be or not to be');
    const dm = dictModel(dict, { tableBits: 14 });
    expect(Array.from(unzipBytes(zipBytes(d, dm.alternatives!().find((a) => a.config.includes('cm1'))!), dm))).toEqual(Array.from(d));
    expect(Array.from(unzipBytes(zipBytes(d, dm), dm))).toEqual(Array.from(d));
  });
});

describe('every generation still decodes', () => {
  const fx = (f: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${f}`, import.meta.url)));
  it('files the released generation-2 and generation-3 models wrote (online and with a dictionary) decode with today\'s default', () => {
    const text = fx('gen2.txt');
    expect(onlineModel().config).toMatch(/^cm4:/);
    for (const g of ['gen2', 'gen3']) {
      expect(Array.from(unzipBytes(fx(`${g}-online.flz`), onlineModel()))).toEqual(Array.from(text));
      expect(Array.from(unzipBytes(fx(`${g}-dict.flz`), dictModel(fx('gen2.dict'))))).toEqual(Array.from(text));
    }
  });
  it('generation 4 round-trips, alone and primed, and is not generation 3', () => {
    const text = fx('gen2.txt');
    const z4 = zipBytes(text, onlineModel());
    expect(Array.from(unzipBytes(z4, onlineModel()))).toEqual(Array.from(text));
    expect(Buffer.compare(Buffer.from(z4), Buffer.from(fx('gen3-online.flz')))).not.toBe(0);
    const dm = dictModel(fx('gen2.dict'));
    expect(Array.from(unzipBytes(zipBytes(text, dm), dm))).toEqual(Array.from(text));
  });
});

describe('header bounds (issue 18.4)', () => {
  const craft = (originalLength: number, payload: Uint8Array) => writeContainer({ mode: 'online', modelHash: modelHash('x'), originalLength, crc: crc32(new Uint8Array(0)) }, payload);
  it('refuses a header claiming 200 MB or 2^50 bytes from a tiny payload, at once, in one line', () => {
    for (const n of [200e6, 2 ** 50]) {
      const t = performance.now();
      let err: unknown;
      try {
        unzipBytes(craft(n, new Uint8Array(16)), onlineModel({ tableBits: 12 }));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ContainerError);
      expect((err as ContainerError).code).toBe('header-corrupt');
      expect((err as Error).message).not.toMatch(/\n/);
      expect(performance.now() - t).toBeLessThan(500);
    }
  });
  it('accepts lengths a model could reach', () => {
    expect(readContainer(craft(16 * 40000, new Uint8Array(16))).header.originalLength).toBe(640000);
  });
});
