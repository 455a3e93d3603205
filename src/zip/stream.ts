/**
 * Streaming `zip` / `unzip` without the file system: container format version 2 (container.ts),
 * coded block by block with bounded memory. The caller feeds pieces and writes what comes back.
 *
 * - {@link StreamModel}: one file's model and coder state across all its blocks. The model learns
 *   every byte once, in order, whether it was coded or stored; only the range coder restarts at
 *   each coded block. {@link predictorStream} is the plain implementation over any BitPredictor.
 * - {@link Zipper}: raw pieces in, container bytes out; it holds one block's raw bytes (for the
 *   stored fallback) and its coder's output.
 * - {@link Unzipper}: container pieces in, raw bytes out, a block at a time and only once that
 *   block's CRC-32 matched; the work is done in steps of a few KB so a caller can stay responsive.
 */
import { RangeDecoder, RangeEncoder, decodeWith, encodeWith, learnBytes, type BitPredictor } from './rangecoder.js';
import {
  BLOCK_CODED,
  BLOCK_END,
  BLOCK_HEADER_BYTES,
  BLOCK_MAX,
  BLOCK_STORED,
  ContainerError,
  HEADER_V2_BYTES,
  MAGIC,
  crc32,
  readBlockHeader,
  readHeaderV2,
  versionOf,
  writeBlockHeader,
  writeEnd,
  writeHeaderV2,
  type HeaderV2,
  type ZipMode,
} from './container.js';

/** One file's model and coder state across all its blocks. */
export interface StreamModel {
  /** code bytes with the running coder (called per piece; a block is any number of calls) */
  encode(raw: Uint8Array): void;
  /** end the current coder stream; its bytes since the last flush (the next encode starts a new one) */
  flush(): Uint8Array;
  /** learn bytes without coding (a stored block, a dictionary): p() then update(bit) per bit */
  learn(raw: Uint8Array): void;
  /** start decoding one coded block's payload */
  beginDecode(coded: Uint8Array): void;
  /**
   * Fill `out` with the next out.length bytes of the block begun (called per piece). Returns false,
   * and may stop early, once the coder has read past the end of the payload: the block is damaged.
   */
  decode(out: Uint8Array): boolean;
  /** end the block: true iff its payload ended exactly where the encoder's flush put it */
  endDecode(): boolean;
}

/** Decode one whole coded block into `out` (its raw length); returns the coder's exact(). */
export function decodeBlock(m: StreamModel, coded: Uint8Array, out: Uint8Array): boolean {
  m.beginDecode(coded);
  const inside = m.decode(out);
  return m.endDecode() && inside;
}

/** The plain TypeScript StreamModel over a BitPredictor (MSB first in each byte, as rangecoder.ts). */
export function predictorStream(p: BitPredictor): StreamModel {
  // the coder's buffer starts small (tests use 1-byte blocks) and doubles as a block's payload grows
  const fresh = () => new RangeEncoder(4096);
  let enc = fresh();
  let dec: RangeDecoder | undefined;
  return {
    encode(raw) {
      encodeWith(enc, p, raw);
    },
    flush() {
      const out = enc.finish();
      enc = fresh();
      return out;
    },
    learn(raw) {
      learnBytes(p, raw);
    },
    beginDecode(coded) {
      dec = new RangeDecoder(coded);
    },
    decode(out) {
      if (!dec) throw new Error('decode before beginDecode');
      // a well-formed payload is never read past before its last bit: the encoder wrote every byte the decoder reads
      decodeWith(dec, p, out);
      return dec.overread === 0;
    },
    endDecode() {
      const ok = dec !== undefined && dec.exact();
      dec = undefined;
      return ok;
    },
  };
}

/** The pieces as one array (the piece itself when there is one). */
export function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface ZipperOptions {
  mode: ZipMode;
  /** the 8-byte model identity (codec.ts zipModelHash) */
  modelHash: Uint8Array;
  /** the input length when known before coding: written in the header (the model was sized from it) */
  lengthHint?: number;
  /** raw bytes per block, 1 … BLOCK_MAX (default BLOCK_MAX; small values let tests cross many blocks) */
  blockSize?: number;
}

/** Raw bytes in, container bytes out: `push` pieces of the input, then `end`. */
export class Zipper {
  private readonly blockSize: number;
  private header: Uint8Array | undefined;
  /** the current block's raw bytes so far (a stored block writes them); grows up to blockSize */
  private block: Uint8Array;
  private fill = 0;
  private blockCrc = 0;
  private total = 0;
  private totalCrc = 0;
  private ended = false;

  constructor(
    private readonly model: StreamModel,
    o: ZipperOptions,
  ) {
    const bs = o.blockSize ?? BLOCK_MAX;
    if (!Number.isInteger(bs) || bs < 1 || bs > BLOCK_MAX) throw new Error(`block size ${bs}: allowed 1…${BLOCK_MAX}`);
    this.blockSize = bs;
    this.header = writeHeaderV2({ mode: o.mode, modelHash: o.modelHash, lengthHint: o.lengthHint });
    this.block = new Uint8Array(Math.min(bs, 1 << 16));
  }

  /** raw bytes taken so far */
  get rawDone(): number {
    return this.total;
  }

  /** bytes this Zipper holds (its block buffer; the coder's output lives in the StreamModel) */
  get buffered(): number {
    return this.block.length;
  }

  /** Code `raw` (any length; ≤ 64 KB per call keeps each call short); returns the container bytes now ready. */
  push(raw: Uint8Array): Uint8Array {
    if (this.ended) throw new Error('Zipper: push after end');
    const out: Uint8Array[] = this.takeHeader();
    for (let i = 0; i < raw.length; ) {
      const piece = raw.subarray(i, i + Math.min(raw.length - i, this.blockSize - this.fill));
      this.keep(piece);
      this.model.encode(piece);
      i += piece.length;
      if (this.fill === this.blockSize) out.push(this.closeBlock());
    }
    return concat(out);
  }

  /** The input ended: the last block and the end record. */
  end(): Uint8Array {
    if (this.ended) throw new Error('Zipper: end twice');
    const out = this.takeHeader();
    if (this.fill > 0) out.push(this.closeBlock());
    out.push(writeEnd(this.total, this.totalCrc));
    this.ended = true;
    return concat(out);
  }

  private takeHeader(): Uint8Array[] {
    const h = this.header;
    this.header = undefined;
    return h ? [h] : [];
  }

  private keep(piece: Uint8Array): void {
    if (this.fill + piece.length > this.block.length) {
      const nb = new Uint8Array(Math.min(this.blockSize, Math.max(this.fill + piece.length, this.block.length * 2)));
      nb.set(this.block.subarray(0, this.fill));
      this.block = nb;
    }
    this.block.set(piece, this.fill);
    this.fill += piece.length;
    this.blockCrc = crc32(piece, this.blockCrc);
    this.totalCrc = crc32(piece, this.totalCrc);
    this.total += piece.length;
  }

  /** The block's header and payload: coded if that is shorter, else its raw bytes (the model learned them either way). */
  private closeBlock(): Uint8Array {
    const coded = this.model.flush();
    const stored = coded.length >= this.fill;
    const payload = stored ? this.block.subarray(0, this.fill) : coded;
    const out = new Uint8Array(BLOCK_HEADER_BYTES + payload.length);
    out.set(writeBlockHeader(stored ? BLOCK_STORED : BLOCK_CODED, this.fill, payload.length, this.blockCrc), 0);
    out.set(payload, BLOCK_HEADER_BYTES);
    this.fill = 0;
    this.blockCrc = 0;
    return out;
  }
}

/** What the Unzipper is waiting for or working on. */
type UnzipState =
  | { at: 'header' }
  | { at: 'block' }
  | { at: 'payload'; type: typeof BLOCK_CODED | typeof BLOCK_STORED; raw: number; payload: number; crc: number }
  | { at: 'work'; stored: boolean; out: Uint8Array; pos: number; crc: number }
  | { at: 'done' };

/**
 * Container bytes in, raw bytes out. `write` pieces of the file, then call `next` until it returns
 * null (it needs more input, or the file is complete), and `end` when the file has no more bytes.
 * A block's raw bytes are released only after its CRC-32 (and the coder's exact end) matched. It
 * keeps the file pieces written but not yet taken (the chunks are kept, not copied: do not reuse
 * them), one block's payload and one block's output.
 */
export class Unzipper {
  private queue: Uint8Array[] = [];
  private queued = 0;
  private state: UnzipState = { at: 'header' };
  private model: StreamModel | undefined;
  private payload: Uint8Array | undefined;
  private blocks = 0;
  /** file bytes taken from the queue so far (for messages) */
  private offset = 0;
  private total = 0;
  private totalCrc = 0;
  private failed: unknown;
  private head: HeaderV2 | undefined;

  /** `open`: the model the header names (check its mode and identity, throw ContainerError if it cannot decode this file) */
  constructor(private readonly open: (h: HeaderV2) => StreamModel) {}

  /** the end record was read and matched */
  get done(): boolean {
    return this.state.at === 'done';
  }

  /** raw bytes decoded so far, including the current block's (not yet released) */
  get rawDone(): number {
    return this.total + (this.state.at === 'work' ? this.state.pos : 0);
  }

  /** bytes held: file pieces not yet taken, the block's payload and its output (a stored block's payload is its output) */
  get buffered(): number {
    const out = this.state.at === 'work' ? this.state.out.length : 0;
    return this.queued + (this.payload?.length ?? 0) + out;
  }

  /** the header, once read */
  get header(): HeaderV2 | undefined {
    return this.head;
  }

  /** Take the next piece of the file (kept, not copied). */
  write(chunk: Uint8Array): void {
    this.rethrow();
    if (chunk.length === 0) return;
    this.queue.push(chunk);
    this.queued += chunk.length;
  }

  /**
   * Do at most `budget` raw bytes of model work. Returns a verified block's raw bytes when one is
   * complete, an empty array when there is more to do, and null when it needs more input (or the
   * file is complete).
   */
  next(budget = 1 << 16): Uint8Array | null {
    this.rethrow();
    try {
      return this.step(budget);
    } catch (err) {
      this.failed = err;
      this.queue = [];
      this.queued = 0;
      this.payload = undefined;
      throw err;
    }
  }

  /**
   * write + next until it needs input: the raw bytes verified so far. When it throws, blocks
   * verified within the same call are not returned; call next() to have every one before an error.
   */
  push(chunk: Uint8Array): Uint8Array {
    this.write(chunk);
    return this.drain();
  }

  /** The file ended: the last verified bytes; throws ContainerError if the file is incomplete. */
  end(): Uint8Array {
    const out = this.drain();
    if (this.state.at === 'header' && this.queued === 0) throw this.fail(new ContainerError('not-flz', 'not a fivelens zip file (it is empty)'));
    if (this.state.at !== 'done') throw this.fail(new ContainerError('truncated', `file truncated at byte ${this.offset + this.queued}: ${this.missing()}`));
    return out;
  }

  private drain(): Uint8Array {
    const out: Uint8Array[] = [];
    for (let r = this.next(); r !== null; r = this.next()) if (r.length) out.push(r);
    return out.length ? concat(out) : new Uint8Array(0);
  }

  private missing(): string {
    const s = this.state;
    if (s.at === 'header') return 'the header is incomplete';
    if (s.at === 'payload') return `block ${this.blocks + 1} has ${this.queued} of its ${s.payload} payload bytes`;
    return `no end record after ${this.blocks} block${this.blocks === 1 ? '' : 's'} (the file was cut short)`;
  }

  private rethrow(): void {
    if (this.failed !== undefined) throw this.failed;
  }

  private fail(err: ContainerError): ContainerError {
    this.failed = err;
    return err;
  }

  /** The first n (≤ queued) bytes, left in the queue (a view when they lie in one piece). */
  private peek(n: number): Uint8Array {
    if (n === 0) return new Uint8Array(0);
    const first = this.queue[0]!;
    if (first.length >= n) return first.subarray(0, n);
    const out = new Uint8Array(n);
    for (let at = 0, i = 0; at < n; i++) {
      const q = this.queue[i]!;
      const k = Math.min(q.length, n - at);
      out.set(q.subarray(0, k), at);
      at += k;
    }
    return out;
  }

  /** The first n (≤ queued) bytes, taken off the queue. */
  private take(n: number): Uint8Array {
    const out = this.peek(n);
    let left = n;
    while (left > 0) {
      const q = this.queue[0]!;
      if (q.length <= left) {
        this.queue.shift();
        left -= q.length;
      } else {
        this.queue[0] = q.subarray(left);
        left = 0;
      }
    }
    this.queued -= n;
    this.offset += n;
    return out;
  }

  private step(budget: number): Uint8Array | null {
    const s = this.state;
    switch (s.at) {
      case 'header':
        return this.readHeader();
      case 'block':
        return this.queued < BLOCK_HEADER_BYTES ? null : this.readBlock();
      case 'payload':
        return this.queued < s.payload ? null : this.startWork(s);
      case 'work':
        return this.work(s, budget);
      case 'done':
        if (this.queued > 0) throw new ContainerError('header-corrupt', `trailing garbage: bytes after the end record at byte ${this.offset}`);
        return null;
    }
  }

  private readHeader(): Uint8Array | null {
    // refuse a file that is not one as soon as its first bytes are in
    const head = this.peek(Math.min(HEADER_V2_BYTES, this.queued));
    if (MAGIC.some((b, i) => i < head.length && head[i] !== b)) versionOf(head); // throws not-flz
    if (head.length >= 5 && versionOf(head) !== 2) readHeaderV2(head); // throws version
    if (head.length < HEADER_V2_BYTES) return null;
    this.head = readHeaderV2(this.take(HEADER_V2_BYTES));
    this.model = this.open(this.head);
    this.state = { at: 'block' };
    return new Uint8Array(0);
  }

  private readBlock(): Uint8Array {
    const at = this.offset;
    const h = readBlockHeader(this.take(BLOCK_HEADER_BYTES), `block ${this.blocks + 1} at byte ${at}`);
    if (h.type === BLOCK_END) {
      if (h.totalLength !== BigInt(this.total)) {
        throw new ContainerError('crc-mismatch', `the end record says ${h.totalLength} bytes, the blocks hold ${this.total} (blocks are missing, repeated or altered)`);
      }
      if (h.crc !== this.totalCrc) throw new ContainerError('crc-mismatch', 'data corrupted: CRC-32 of all the decoded bytes does not match the end record (blocks swapped or altered)');
      this.state = { at: 'done' };
    } else {
      this.state = { at: 'payload', type: h.type, raw: h.rawLength, payload: h.payloadLength, crc: h.crc };
    }
    return new Uint8Array(0);
  }

  private startWork(s: Extract<UnzipState, { at: 'payload' }>): Uint8Array {
    const payload = this.take(s.payload);
    if (s.type === BLOCK_STORED) {
      if (crc32(payload) !== s.crc) throw new ContainerError('crc-mismatch', `data corrupted: block ${this.blocks + 1} (stored) fails its CRC-32 (the file was altered)`);
      this.state = { at: 'work', stored: true, out: payload, pos: 0, crc: s.crc };
    } else {
      this.payload = payload;
      this.model!.beginDecode(payload);
      this.state = { at: 'work', stored: false, out: new Uint8Array(s.raw), pos: 0, crc: s.crc };
    }
    return new Uint8Array(0);
  }

  private damaged(): ContainerError {
    return new ContainerError('crc-mismatch', `data corrupted: block ${this.blocks + 1} fails its CRC-32 (the file was altered)`);
  }

  private work(s: Extract<UnzipState, { at: 'work' }>, budget: number): Uint8Array {
    const n = Math.max(1, Math.min(budget, s.out.length - s.pos));
    const piece = s.out.subarray(s.pos, s.pos + n);
    if (s.stored) this.model!.learn(piece);
    else if (!this.model!.decode(piece)) throw this.damaged();
    s.pos += n;
    if (s.pos < s.out.length) return new Uint8Array(0);
    if (!s.stored) {
      const exact = this.model!.endDecode();
      this.payload = undefined;
      if (!exact || crc32(s.out) !== s.crc) throw this.damaged();
    }
    this.total += s.out.length;
    this.totalCrc = crc32(s.out, this.totalCrc);
    this.blocks++;
    this.state = { at: 'block' };
    return s.out;
  }
}
