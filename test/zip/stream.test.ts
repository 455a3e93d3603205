/**
 * Container format version 2: `zip` / `unzip` streamed in blocks (src/zip/stream.ts), through the
 * codec (zipBytes / unzipBytes, zipper / unzipper) and the CLI.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src/engine/rng.js';
import type { BitPredictor } from '../../src/zip/rangecoder.js';
import {
  BLOCK_CODED,
  BLOCK_HEADER_BYTES,
  BLOCK_MAX,
  BLOCK_STORED,
  ContainerError,
  END_BYTES,
  HEADER_V2_BYTES,
  blocksOf,
  crc32,
  modelHash,
  writeBlockHeader,
  writeEnd,
  writeHeaderV2,
  type ContainerErrorCode,
} from '../../src/zip/container.js';
import { Unzipper, Zipper, concat, decodeBlock, predictorStream } from '../../src/zip/stream.js';
import { inspectContainer, openStream, unzipBytes, unzipper, zipBytes, zipModelHash, zipper, type ZipModel } from '../../src/zip/codec.js';
import { CM2 } from '../../src/zip/cm2.js';
import { onlineModel } from '../../src/zip/zipmodels.js';
import { main } from '../../src/cli/main.js';

const small = onlineModel({ tableBits: 16 });
const enc = new TextEncoder();

/** An order-0 adaptive bit counter: the tiny, fast predictor of the memory test. */
class Order0 implements BitPredictor {
  private readonly t = new Uint16Array(256).fill(32768);
  private c0 = 1;
  p(): number {
    return this.t[this.c0]!;
  }
  update(bit: number): void {
    const p = this.t[this.c0]!;
    this.t[this.c0] = bit ? p + ((65536 - p) >> 4) : p - (p >> 4);
    this.c0 = (this.c0 << 1) | bit;
    if (this.c0 >= 256) this.c0 = 1;
  }
}
const order0: ZipModel = { mode: 'online', config: 'test-order0', create: () => new Order0() };

function text(rng: Rng, len: number): Uint8Array {
  const words = ['the ', 'king ', 'and ', 'ROMEO:\n', '春', '风', '。', 'a', '\n', 'garden ', 'of '];
  const out = new Uint8Array(len);
  for (let i = 0; i < len; ) for (const b of enc.encode(words[rng.int(words.length)]!)) if (i < len) out[i++] = b;
  return out;
}
const binary = (rng: Rng, len: number) => Uint8Array.from({ length: len }, () => rng.int(256));
const invalidUtf8 = (rng: Rng, len: number) => Uint8Array.from({ length: len }, () => 0x80 + rng.int(0x40));

/** Zip with a Zipper fed `piece` bytes at a time. */
function zipPieces(data: Uint8Array, model: ZipModel, blockSize: number, piece: number): Uint8Array {
  const z = zipper(model, { lengthHint: data.length, blockSize });
  const parts: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += piece) parts.push(z.push(data.subarray(i, i + piece)));
  parts.push(z.end());
  return concat(parts);
}

/** Unzip with an Unzipper fed `piece` bytes at a time; every block it released before any error, and the error. */
function unzipPieces(file: Uint8Array, model: ZipModel, piece: number): { out: Uint8Array; err?: unknown } {
  const u = unzipper(model);
  const parts: Uint8Array[] = [];
  try {
    for (let i = 0; i < file.length; i += piece) {
      u.write(file.subarray(i, i + piece));
      for (let r = u.next(); r !== null; r = u.next()) parts.push(r);
    }
    parts.push(u.end());
    return { out: concat(parts) };
  } catch (err) {
    return { out: concat(parts), err };
  }
}

function codeOf(f: () => unknown): ContainerErrorCode | 'no error' {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ContainerError);
    expect((e as Error).message).not.toMatch(/\n/);
    return (e as ContainerError).code;
  }
  return 'no error';
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

describe('container v2: round trips across blocks', () => {
  it('blocks of 1, 7 and 1000 bytes, pieces that do not align with them: text, binary, invalid UTF-8, empty', () => {
    const rng = new Rng(31);
    const inputs = [text(rng, 2500), binary(rng, 1200), invalidUtf8(rng, 900), new Uint8Array(0), text(rng, 1)];
    for (const data of inputs)
      for (const bs of [1, 7, 1000]) {
        const file = zipBytes(data, small, undefined, undefined, { blockSize: bs });
        expect(blocksOf(file).length).toBe(Math.ceil(data.length / bs));
        expect(same(unzipBytes(file, small), data)).toBe(true);
        for (const piece of [3, 13, 4096]) {
          expect(zipPieces(data, small, bs, piece)).toEqual(file);
          const back = unzipPieces(file, small, piece + 2);
          expect(back.err).toBeUndefined();
          expect(same(back.out, data)).toBe(true);
        }
      }
  });

  it('an empty input is the header and the end record', () => {
    const file = zipBytes(new Uint8Array(0), small);
    expect(file.length).toBe(HEADER_V2_BYTES + END_BYTES);
    expect(unzipBytes(file, small).length).toBe(0);
  });

  it('random binary is stored: no more than 13 bytes per block over its size; text is coded', () => {
    const rng = new Rng(5);
    const data = binary(rng, 20000);
    for (const bs of [100, 4096]) {
      const file = zipBytes(data, small, undefined, undefined, { blockSize: bs });
      const blocks = blocksOf(file);
      expect(blocks.every((b) => b.type === BLOCK_STORED)).toBe(true);
      expect(file.length).toBeLessThanOrEqual(data.length + BLOCK_HEADER_BYTES * blocks.length + HEADER_V2_BYTES + END_BYTES);
      expect(same(unzipBytes(file, small), data)).toBe(true);
    }
    // stored and coded blocks in one file, the model in step across both
    const mixed = concat([text(rng, 3000), binary(rng, 3000), text(rng, 3000)]);
    const file = zipBytes(mixed, small, undefined, undefined, { blockSize: 1000 });
    const types = blocksOf(file).map((b) => b.type);
    expect(types).toContain(BLOCK_STORED);
    expect(types).toContain(BLOCK_CODED);
    expect(same(unzipBytes(file, small), mixed)).toBe(true);
  });

  it('a Zipper fed one byte at a time writes the same file as one push of everything', () => {
    const data = text(new Rng(8), 1500);
    for (const bs of [7, 1000, BLOCK_MAX]) {
      const whole = zipper(small, { lengthHint: data.length, blockSize: bs });
      const once = concat([whole.push(data), whole.end()]);
      expect(zipPieces(data, small, bs, 1)).toEqual(once);
    }
  });

  it('the length hint is written and read back, known or not, and both sides size the model from it', () => {
    const hints: (number | undefined)[] = [];
    const spy: ZipModel = { mode: 'online', config: 'spy', create: (n) => (hints.push(n), new Order0()) };
    const data = text(new Rng(2), 3000);
    const known = zipBytes(data, spy);
    expect(inspectContainer(known)).toMatchObject({ version: 2, mode: 'online', lengthHint: 3000 });
    const z = zipper(spy);
    const unknown = concat([z.push(data), z.end()]);
    expect(inspectContainer(unknown)).toMatchObject({ version: 2, lengthHint: undefined });
    expect(hints).toEqual([3000, undefined]);
    hints.length = 0;
    expect(same(unzipBytes(known, spy), data)).toBe(true);
    expect(same(unzipBytes(unknown, spy), data)).toBe(true);
    expect(hints).toEqual([3000, undefined]);
  });

  it('a model with its own stream is used on both sides; decodeBlock = begin/decode/end in pieces', () => {
    let made = 0;
    const fast: ZipModel = { ...order0, stream: (n) => (made++, predictorStream(order0.create(n))) };
    const data = text(new Rng(3), 5000);
    const file = zipBytes(data, fast, undefined, undefined, { blockSize: 2000 });
    expect(file).toEqual(zipBytes(data, order0, undefined, undefined, { blockSize: 2000 }));
    expect(same(unzipBytes(file, fast), data)).toBe(true);
    expect(made).toBe(2);
    // one block, decoded whole and in uneven pieces
    const s = predictorStream(new Order0());
    s.encode(data.subarray(0, 3000));
    const coded = s.flush();
    const whole = new Uint8Array(3000);
    expect(decodeBlock(predictorStream(new Order0()), coded, whole)).toBe(true);
    expect(same(whole, data.subarray(0, 3000))).toBe(true);
    const d = predictorStream(new Order0());
    const pieces = new Uint8Array(3000);
    d.beginDecode(coded);
    for (let i = 0; i < 3000; i += 777) d.decode(pieces.subarray(i, Math.min(3000, i + 777)));
    expect(d.endDecode()).toBe(true);
    expect(same(pieces, whole)).toBe(true);
  });

  it('learn() leaves a model exactly as CM2.prime does', () => {
    const dict = text(new Rng(4), 2000);
    const a = new CM2({ tableBits: 12 });
    a.prime(dict);
    const b = new CM2({ tableBits: 12 });
    predictorStream(b).learn(dict);
    const probe = text(new Rng(5), 300);
    const sa = predictorStream(a);
    const sb = predictorStream(b);
    sa.encode(probe);
    sb.encode(probe);
    expect(sa.flush()).toEqual(sb.flush());
  });
});

describe('container v2: damage is refused', () => {
  const data = text(new Rng(11), 400);
  const BS = 64;
  const file = zipBytes(data, small, undefined, undefined, { blockSize: BS });
  const blocks = blocksOf(file);
  /** the raw bytes before the block that holds file position `pos` (what may be released before it) */
  const rawBefore = (pos: number) => blocks.filter((b) => b.offset + BLOCK_HEADER_BYTES + b.payloadLength <= pos).reduce((n, b) => n + b.rawLength, 0);

  it('every single-byte flip of a multi-block file: a ContainerError, and only whole verified blocks before it were released', () => {
    expect(blocks.length).toBeGreaterThan(5);
    for (let pos = 0; pos < file.length; pos++) {
      const bad = file.slice();
      bad[pos] = bad[pos]! ^ 0x01;
      const { out, err } = unzipPieces(bad, small, 50);
      expect(err).toBeInstanceOf(ContainerError);
      expect(out.length).toBeLessThanOrEqual(rawBefore(pos));
      expect(same(out, data.subarray(0, out.length))).toBe(true);
      bad[pos] = file[pos]! ^ 0xff;
      expect(codeOf(() => unzipBytes(bad, small))).not.toBe('no error');
    }
  });

  it('truncation at every length', () => {
    for (let n = 0; n < file.length; n++) {
      expect(codeOf(() => unzipBytes(file.subarray(0, n), small))).toBe(n === 0 ? 'not-flz' : 'truncated');
      if (n % 5 === 0) expect((unzipPieces(file.subarray(0, n), small, 37).err as ContainerError).code).toBe(n === 0 ? 'not-flz' : 'truncated');
    }
  });

  it('trailing bytes after the end record, even a whole second file', () => {
    expect(codeOf(() => unzipBytes(concat([file, new Uint8Array([0])]), small))).toBe('header-corrupt');
    expect(codeOf(() => unzipBytes(concat([file, file]), small))).toBe('header-corrupt');
    expect(unzipPieces(concat([file, file]), small, 64).err).toBeInstanceOf(ContainerError);
  });

  it('swapped, missing and repeated blocks', () => {
    const rec = (f: Uint8Array, b: { offset: number; payloadLength: number }) => f.subarray(b.offset, b.offset + BLOCK_HEADER_BYTES + b.payloadLength);
    const rebuild = (f: Uint8Array, order: number[]) => {
      const bs = blocksOf(f);
      const last = bs[bs.length - 1]!;
      return concat([f.subarray(0, HEADER_V2_BYTES), ...order.map((i) => rec(f, bs[i]!)), f.subarray(last.offset + BLOCK_HEADER_BYTES + last.payloadLength)]);
    };
    const n = blocks.length;
    const ids = [...Array(n).keys()];
    expect(same(unzipBytes(rebuild(file, ids), small), data)).toBe(true);
    const swapped = [...ids];
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    expect(codeOf(() => unzipBytes(rebuild(file, swapped), small))).toBe('crc-mismatch');
    expect(codeOf(() => unzipBytes(rebuild(file, ids.slice(0, -1)), small))).toBe('crc-mismatch');
    expect(codeOf(() => unzipBytes(rebuild(file, [...ids, n - 1]), small))).toBe('crc-mismatch');
    // stored blocks each pass their own CRC-32: the end record's total CRC-32 catches the order
    const noise = binary(new Rng(12), 500);
    const stored = zipBytes(noise, small, undefined, undefined, { blockSize: 100 });
    expect(blocksOf(stored).every((b) => b.type === BLOCK_STORED)).toBe(true);
    let err: unknown;
    try {
      unzipBytes(rebuild(stored, [0, 1, 2, 4, 3]), small);
    } catch (e) {
      err = e;
    }
    expect((err as ContainerError).code).toBe('crc-mismatch');
    expect((err as Error).message).toMatch(/end record/);
  });

  it('a block claiming 2^25 raw bytes, a 2^31-byte payload, or impossible lengths is refused from its 13 header bytes', () => {
    const head = writeHeaderV2({ mode: 'online', modelHash: zipModelHash(small), lengthHint: 100 });
    const cases: [number, number, number][] = [
      [BLOCK_CODED, 2 ** 25, 100],
      [BLOCK_CODED, 1000, 2 ** 31],
      [BLOCK_CODED, 2 ** 24, 16 * 2 ** 24 + 65],
      [BLOCK_CODED, 0, 10],
      [BLOCK_CODED, 2 ** 24, 100], // more than 40,000 bytes per payload byte
      [BLOCK_STORED, 100, 99],
      [7, 10, 10],
    ];
    for (const [type, raw, payload] of cases) {
      const u = unzipper(small);
      u.write(concat([head, writeBlockHeader(type as typeof BLOCK_CODED, raw, payload, 0)]));
      const t = performance.now();
      expect(codeOf(() => u.end())).toBe('header-corrupt');
      expect(u.buffered).toBe(0);
      expect(performance.now() - t).toBeLessThan(200);
    }
    // a legal block of the reader's largest size is waited for, not refused: header, block header, then input
    const u = unzipper(small);
    u.write(concat([head, writeBlockHeader(BLOCK_CODED, 2 ** 24, 1000, 0)]));
    let steps = 0;
    while (u.next() !== null) steps++;
    expect(steps).toBe(2);
    expect(u.buffered).toBe(0);
    expect(codeOf(() => u.end())).toBe('truncated');
  });

  it('an Unzipper never releases the bytes of a block whose CRC-32 fails', () => {
    const big = text(new Rng(13), 5000);
    const f = zipBytes(big, small, undefined, undefined, { blockSize: 1000 });
    const bs = blocksOf(f);
    const bad = f.slice();
    const third = bs[2]!;
    bad[third.offset + 9] = bad[third.offset + 9]! ^ 0x20; // the stored CRC-32 of block 3: its data decodes fine
    const { out, err } = unzipPieces(bad, small, 300);
    expect((err as ContainerError).code).toBe('crc-mismatch');
    expect((err as Error).message).toMatch(/block 3/);
    expect(same(out, big.subarray(0, 2000))).toBe(true);
    // and after the error it stays failed
    const u = unzipper(small);
    expect(() => u.push(bad)).toThrow(ContainerError);
    expect(() => u.next()).toThrow(ContainerError);
  });

  it('the header: not a zip, another version, a damaged header, the wrong model', () => {
    const good = zipBytes(data, small);
    expect(codeOf(() => unzipBytes(enc.encode('hello world, not a zip'), small))).toBe('not-flz');
    expect(unzipPieces(enc.encode('PK'), small, 1).err).toMatchObject({ code: 'not-flz' });
    const v9 = good.slice();
    v9[4] = 9;
    expect(codeOf(() => unzipBytes(v9, small))).toBe('version');
    const reserved = writeHeaderV2({ mode: 'online', modelHash: zipModelHash(small), lengthHint: 0 });
    reserved[6] = 1;
    expect(codeOf(() => unzipBytes(concat([reserved, writeEnd(0, 0)]), small))).toBe('header-corrupt');
    expect(codeOf(() => unzipBytes(good, onlineModel({ tableBits: 17 })))).toBe('wrong-model');
    const other = writeHeaderV2({ mode: 'model', modelHash: modelHash('x'), lengthHint: 0 });
    expect(codeOf(() => unzipBytes(concat([other, writeEnd(0, crc32(new Uint8Array(0)))]), small))).toBe('wrong-mode');
  });
});

describe('container v2: bounded memory', () => {
  it('8 MB of text streams through Zipper and Unzipper in 64 KB pieces holding at most ~2 blocks each', () => {
    const N = 8 << 20;
    const PIECE = 1 << 16;
    const rng = new Rng(21);
    const zs = openStream(order0, N);
    const z = new Zipper(zs, { mode: 'online', modelHash: zipModelHash(order0), lengthHint: N });
    const u = new Unzipper((h) => openStream(order0, h.lengthHint));
    let inCrc = 0;
    let outCrc = 0;
    let outLen = 0;
    let maxZ = 0;
    let maxU = 0;
    let fileLen = 0;
    const feed = (bytes: Uint8Array) => {
      fileLen += bytes.length;
      for (let i = 0; i < bytes.length; i += PIECE) {
        u.write(bytes.subarray(i, i + PIECE));
        for (let r = u.next(); r !== null; r = u.next()) {
          outCrc = crc32(r, outCrc);
          outLen += r.length;
          maxU = Math.max(maxU, u.buffered);
        }
        maxU = Math.max(maxU, u.buffered);
      }
    };
    for (let done = 0; done < N; done += PIECE) {
      const piece = text(rng, PIECE);
      inCrc = crc32(piece, inCrc);
      feed(z.push(piece));
      maxZ = Math.max(maxZ, z.buffered);
    }
    feed(z.end());
    u.end();
    expect(outLen).toBe(N);
    expect(outCrc).toBe(inCrc);
    expect(fileLen).toBeLessThan(N * 0.6);
    expect(maxZ).toBeLessThanOrEqual(BLOCK_MAX);
    expect(maxU).toBeLessThanOrEqual(2 * BLOCK_MAX + 2 * PIECE);
  });
});

describe('fivelens zip / unzip streamed (CLI)', () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const bin = path.join(root, 'bin', 'fivelens.mjs');
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'flz-stream-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const quiet = async (argv: string[]) => {
    const w = process.stderr.write;
    let err = '';
    process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
    try {
      return { code: await main(argv), err };
    } finally {
      process.stderr.write = w;
    }
  };
  const temps = () => readdirSync(dir).filter((n) => n.endsWith('.tmp'));
  const run = (args: string[], input?: Uint8Array) => spawnSync(process.execPath, [bin, ...args], { input, cwd: root, maxBuffer: 1 << 26 });

  it('file → file across many blocks; a damaged middle block → exit 1, no output and no temporary file', async () => {
    const data = text(new Rng(40), 40000);
    const inp = path.join(dir, 'many.txt');
    writeFileSync(inp, data);
    expect((await quiet(['zip', inp, '--block-size', '4096'])).code).toBe(0);
    const file = new Uint8Array(readFileSync(inp + '.flz'));
    expect(blocksOf(file).length).toBe(10);
    expect(inspectContainer(file)).toMatchObject({ version: 2, lengthHint: 40000 });
    expect((await quiet(['unzip', inp + '.flz', '-o', path.join(dir, 'many.out')])).code).toBe(0);
    expect(same(readFileSync(path.join(dir, 'many.out')), data)).toBe(true);
    const sixth = blocksOf(file)[5]!;
    const bad = file.slice();
    bad[sixth.offset + BLOCK_HEADER_BYTES + 10] = bad[sixth.offset + BLOCK_HEADER_BYTES + 10]! ^ 0x04;
    writeFileSync(path.join(dir, 'bad.flz'), bad);
    const r = await quiet(['unzip', path.join(dir, 'bad.flz')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/block 6.*nothing was written/);
    expect(existsSync(path.join(dir, 'bad'))).toBe(false);
    expect(temps()).toEqual([]);
    expect((await quiet(['zip', inp, '-o', path.join(dir, 'x.flz'), '--block-size', '0'])).code).toBe(2);
  });

  it('stdin → stdout both ways; to stdout a damaged block stops it with the verified blocks written and exit 1', () => {
    const data = text(new Rng(41), 30000);
    const z = run(['zip', '-', '-c', '-q', '--block-size', '5000'], data);
    expect(z.status).toBe(0);
    const file = new Uint8Array(z.stdout);
    expect(inspectContainer(file)).toMatchObject({ version: 2, lengthHint: undefined });
    const u = run(['unzip', '-', '-c'], file);
    expect(u.status).toBe(0);
    expect(same(u.stdout, data)).toBe(true);
    const bad = file.slice();
    const fourth = blocksOf(file)[3]!;
    bad[fourth.offset + BLOCK_HEADER_BYTES + 3] = bad[fourth.offset + BLOCK_HEADER_BYTES + 3]! ^ 0x10;
    const b = run(['zip', '-d', '-c', '-'], bad);
    expect(b.status).toBe(1);
    expect(b.stderr.toString()).toMatch(/output so far .* is incomplete/);
    expect(same(b.stdout, data.subarray(0, 15000))).toBe(true);
  });

  it('Ctrl-C during zip exits 130 within a second, leaving neither the output nor a temporary file', async () => {
    const inp = path.join(dir, 'big.txt');
    writeFileSync(inp, text(new Rng(42), 1 << 20));
    const out = path.join(dir, 'big.flz');
    const child = spawn(process.execPath, [bin, 'zip', inp, '-o', out], { cwd: root, stdio: 'ignore' });
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: performance.now() })));
    // wait until it is coding (its temporary file exists), then a little more
    for (let t = 0; t < 600 && temps().length === 0; t++) await new Promise((r) => setTimeout(r, 50));
    expect(temps().length).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    const sent = performance.now();
    child.kill('SIGINT');
    const { code, at } = await exited;
    expect(code).toBe(130);
    expect(at - sent).toBeLessThan(1000);
    expect(existsSync(out)).toBe(false);
    expect(temps()).toEqual([]);
  });
});
