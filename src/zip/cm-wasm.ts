/**
 * The fast path of the default model: generation 4 of cm2.ts and the range coder of rangecoder.ts,
 * compiled from src/zip/asm/cm.as.ts to WebAssembly. Same integer steps in the same order, so the
 * same bytes as `predictorStream(new CM2({ …, ringBits }))` (the tests compare them byte for byte);
 * about twice as fast. No I/O here: the host loads the module (cm-wasm.node.ts) and registers it;
 * without one, the models fall back to the TypeScript reference.
 */
import { STRETCH, SQUASH, RATE } from './cm-parts.js';
import type { CM2Options } from './cm2.js';
import { concat, type StreamModel } from './stream.js';

interface Exports {
  memory: WebAssembly.Memory;
  CHUNK: WebAssembly.Global;
  init(tb: number, rb: number, mb: number, lim: number, lrMin: number, lrStart: number, lrHalf: number): number;
  squashAt(): number;
  rateAt(): number;
  start(): void;
  ioIn(cap: number): number;
  ioOut(): number;
  encode(n: number): number;
  taken(): void;
  flush(): number;
  learn(n: number): void;
  beginDecode(len: number): void;
  decode(n: number): void;
  endDecode(): number;
  readPast(): number;
}

let registered: WebAssembly.Module | undefined;

/** Make the compiled module available to every model made after this call. */
export function registerCMModule(mod: WebAssembly.Module): void {
  registered = mod;
}
export function cmModule(): WebAssembly.Module | undefined {
  return registered;
}

/** One file's generation-4 model and coder, in WebAssembly memory; state persists across calls. */
export class CMWasm implements StreamModel {
  private readonly e: Exports;
  private readonly chunk: number;
  private out: Uint8Array[] = [];

  constructor(mod: WebAssembly.Module, o: CM2Options & { ringBits: number }) {
    if (o.gen !== 4) throw new Error(`the WebAssembly model is generation 4 only (asked for ${o.gen})`);
    this.e = new WebAssembly.Instance(mod, {}).exports as unknown as Exports;
    const e = this.e;
    this.chunk = e.CHUNK.value as number;
    const st = e.init(o.tableBits, o.ringBits, Math.min(22, o.tableBits), o.limit, o.lrMin, o.lrStart, o.lrHalf);
    new Int16Array(e.memory.buffer, st, STRETCH.length).set(STRETCH);
    new Int16Array(e.memory.buffer, e.squashAt(), SQUASH.length).set(SQUASH);
    new Int32Array(e.memory.buffer, e.rateAt(), RATE.length).set(RATE);
    e.start();
  }

  /** Copy piece i of `data` into the module's input; returns its length. */
  private put(data: Uint8Array, from: number): number {
    const n = Math.min(this.chunk, data.length - from);
    const at = this.e.ioIn(n); // first: it may grow the memory, which detaches the old buffer
    new Uint8Array(this.e.memory.buffer, at, n).set(data.subarray(from, from + n));
    return n;
  }

  private takeOut(n: number): void {
    if (n > 0) this.out.push(new Uint8Array(this.e.memory.buffer, this.e.ioOut(), n).slice());
    this.e.taken();
  }

  /** Code bytes with the running coder; the coded bytes wait for {@link flush}. */
  encode(raw: Uint8Array): void {
    for (let i = 0; i < raw.length; ) {
      const n = this.put(raw, i);
      this.takeOut(this.e.encode(n));
      i += n;
    }
  }

  /** End the coded stream: every coded byte since the last flush. The next encode starts afresh. */
  flush(): Uint8Array {
    this.takeOut(this.e.flush());
    const all = concat(this.out);
    this.out = [];
    return all;
  }

  /** Learn bytes without coding them (a dictionary; a stored block). */
  learn(raw: Uint8Array): void {
    for (let i = 0; i < raw.length; ) {
      const n = this.put(raw, i);
      this.e.learn(n);
      i += n;
    }
  }

  /** Start decoding one coded stream (all of it). */
  beginDecode(coded: Uint8Array): void {
    const e = this.e;
    const at = e.ioIn(coded.length); // first: it may grow the memory, which detaches the old buffer
    new Uint8Array(e.memory.buffer, at, coded.length).set(coded);
    e.beginDecode(coded.length);
  }

  /** Decode out.length bytes of the stream begun; false once the coder has read past its end (damaged). */
  decode(out: Uint8Array): boolean {
    for (let i = 0; i < out.length && this.e.readPast() === 0; ) {
      const n = Math.min(this.chunk, out.length - i);
      this.e.decode(n);
      out.set(new Uint8Array(this.e.memory.buffer, this.e.ioOut(), n), i);
      i += n;
    }
    return this.e.readPast() === 0;
  }

  /** After the stream's last byte: true iff it ended exactly as the encoder wrote it. */
  endDecode(): boolean {
    return this.e.endDecode() === 1;
  }
}
