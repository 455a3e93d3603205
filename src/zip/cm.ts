/**
 * An adaptive byte-level context-mixing model (after Mahoney's lpaq1, simplified), the n-gram half
 * of `fivelens zip`. Bits are predicted one at a time, most significant first.
 *
 * Inputs (each a probability in the logistic "stretch" domain, st = ln(p/(1−p)) · 256):
 * - order-0 and order-1 counters indexed directly by (previous byte, bits of this byte so far);
 * - hashed order-2, 3, 4, 6 contexts and a word context (letters since the last non-letter, with
 *   the previous word), each a table of 2^tableBits adaptive counters;
 * - a match model: the longest earlier occurrence of the last MINLEN bytes predicts the next bit,
 *   with a strength learned per match length.
 * A counter is a 16-bit probability with a hit count n; it moves by (bit − p)/(n + 1.5), n capped,
 * so young contexts learn fast and old ones average. The mixer is a single-layer logistic regression
 * (weights chosen by the match state and bit position) trained online to minimise coding cost; two
 * APM/SSE stages then refine its output by order-0 and order-1 context.
 *
 * Determinism: tables are integers, stretch/squash are integer tables, hashes use Math.imul; the
 * mixer and APM use float64 with only + − × / and Math.round/floor, which IEEE 754 and the
 * ECMAScript spec make bit-exact on every machine and engine. No Math.exp/log at coding time.
 */
import type { BitPredictor } from './rangecoder.js';

// ---- squash / stretch (lpaq1's tables: 12-bit probabilities, logits ×256 in [−2047, 2047])
const SQ = [1, 2, 3, 6, 10, 16, 27, 45, 73, 120, 194, 310, 488, 747, 1101, 1546, 2047, 2549, 2994, 3348, 3607, 3785, 3901, 3975, 4024, 4050, 4068, 4079, 4085, 4089, 4092, 4093, 4094];

/** 1/(1+e^(−d/256)) as a 12-bit probability, by interpolating a 33-point table. */
export function squash(d: number): number {
  if (d > 2047) return 4095;
  if (d < -2047) return 1;
  const w = d & 127;
  const i = (d >> 7) + 16;
  return (SQ[i]! * (128 - w) + SQ[i + 1]! * w + 64) >> 7;
}

const STRETCH = (() => {
  const t = new Int16Array(4096);
  let pi = 0;
  for (let x = -2047; x <= 2047; x++) {
    const v = squash(x);
    for (let j = pi; j <= v; j++) t[j] = x;
    pi = v + 1;
  }
  for (let j = pi; j < 4096; j++) t[j] = 2047;
  return t;
})();

/** ln(p/(1−p))·256 for a 12-bit probability p. */
export function stretch(p12: number): number {
  return STRETCH[p12]!;
}

/** Counter learning rates: 65536/(n+1.5). */
const RATE = (() => {
  const r = new Float64Array(256);
  for (let n = 0; n < 256; n++) r[n] = 65536 / (n + 1.5);
  return r;
})();

/** Options that define the model; both sides must use the same (they are hashed into the container). */
export interface CMOptions {
  /** log₂ of the number of counters per hashed context table */
  tableBits: number;
  /** cap of a counter's hit count (higher = more averaging, lower = faster adaptation) */
  counterLimit: number;
  /** mixer learning rate */
  mixerLr: number;
}

export const DEFAULT_CM: CMOptions = { tableBits: 22, counterLimit: 255, mixerLr: 0.0025 };

export function cmConfigString(o: CMOptions): string {
  return `cm1:tb${o.tableBits}:lim${o.counterLimit}:lr${o.mixerLr}`;
}

const ORDERS = [2, 3, 4, 6] as const; // hashed byte orders
const N_HASHED = ORDERS.length + 1; // + word
const MINLEN = 6; // match model: bytes hashed to find a candidate
const N_BASE = 2 + N_HASHED + 2 + 1; // o0, o1, hashed…, match(2), bias

/**
 * Extra inputs from another model (the GPT): `fill` writes `count` stretch values at `off` and
 * returns 1 if the model has an opinion on this bit (0: its inputs are 0); `update` learns the bit
 * (byteDone = the finished byte at a byte boundary).
 */
export interface ExternalInput {
  count: number;
  fill(st: Float64Array | Int32Array, off: number): number;
  update(bit: number, byteDone: number | undefined): void;
}

/** An adaptive probability with a hit count, stored in two parallel arrays. */
class CounterTable {
  readonly p: Uint16Array;
  readonly n: Uint8Array;
  constructor(size: number) {
    this.p = new Uint16Array(size).fill(32768);
    this.n = new Uint8Array(size);
  }
}

function updCounter(t: CounterTable, j: number, target: number, lim: number): void {
  const p = t.p[j]!;
  const n = t.n[j]!;
  t.p[j] = p + Math.trunc(((target - p) * RATE[n]!) / 65536);
  if (n < lim) t.n[j] = n + 1;
}

/** APM / SSE: maps (probability, context) → refined probability by interpolating 33 bins. */
class APM {
  private readonly t: Float32Array; // float32 storage: rounding on store is exact IEEE, the same everywhere
  private idx = 0;
  private w = 0;
  constructor(
    n: number,
    private readonly rate: number,
  ) {
    this.t = new Float32Array(n * 33);
    const row = new Float32Array(33);
    for (let j = 0; j < 33; j++) row[j] = squash((j - 16) * 128) * 16;
    for (let i = 0; i < n; i++) this.t.set(row, i * 33);
  }
  /** p12 in, p16 out */
  pp(p12: number, cx: number): number {
    const s = stretch(p12) + 2048; // 1..4095
    const lo = s >> 7;
    this.w = (s & 127) / 128;
    this.idx = cx * 33 + lo;
    return this.t[this.idx]! * (1 - this.w) + this.t[this.idx + 1]! * this.w;
  }
  copyFrom(src: APM): void {
    this.t.set(src.t);
    this.idx = src.idx;
    this.w = src.w;
  }
  update(bit: number): void {
    const g = bit ? 65535 : 0;
    const a = this.t[this.idx]!;
    const b = this.t[this.idx + 1]!;
    this.t[this.idx] = a + ((g - a) * (1 - this.w)) / this.rate;
    this.t[this.idx + 1] = b + ((g - b) * this.w) / this.rate;
  }
}

export class ContextMixer implements BitPredictor {
  private readonly o: CMOptions;
  private readonly mask: number;
  private readonly t0 = new CounterTable(256);
  private readonly t1 = new CounterTable(65536);
  private readonly th: CounterTable[];
  private readonly hashes = new Int32Array(N_HASHED); // per byte
  private readonly idx = new Int32Array(2 + N_HASHED); // per bit: counter slot per input
  private readonly nIn: number;
  private readonly st: Float64Array;
  private readonly weights: Float64Array;
  private wsel = 0;
  private wselNow = 0;
  private extOff = false;
  private readonly apm1 = new APM(256, 40);
  private readonly apm2 = new APM(65536, 40);
  private prMix = 2048;
  private prFinal = 32768;
  // history
  private hist: Uint8Array;
  private pos = 0;
  private c0 = 1; // bits of the current byte with a leading 1
  private c4 = 0; // last 4 bytes
  private bitPos = 0;
  private wordHash = 0;
  private prevWordHash = 0;
  // match model
  private readonly matchTable: Int32Array;
  private readonly matchBits: number;
  private matchPtr = 0;
  private matchLen = 0;
  private expectedBit = 0;
  private readonly matchCounters = new CounterTable(64 * 2);
  private matchIdx = 0;

  constructor(
    opts: Partial<CMOptions> = {},
    private readonly ext?: ExternalInput,
  ) {
    this.o = { ...DEFAULT_CM, ...opts };
    this.nIn = N_BASE + (ext?.count ?? 0);
    this.st = new Float64Array(this.nIn);
    this.mask = (1 << this.o.tableBits) - 1;
    this.th = Array.from({ length: N_HASHED }, () => new CounterTable(1 << this.o.tableBits));
    this.weights = new Float64Array(this.nIn * 128).fill(0.3);
    this.hist = new Uint8Array(1 << 16);
    this.matchBits = Math.min(22, this.o.tableBits);
    this.matchTable = new Int32Array(1 << this.matchBits).fill(-1);
    this.byteUpdate();
    this.bitContexts();
  }

  /**
   * Make this mixer's state a copy of `src` (same options and number of inputs): tables, weights,
   * history and match state, so that coding continues exactly as `src` would. The external model is
   * not copied (used to reuse one dictionary priming for many files).
   */
  copyFrom(src: ContextMixer): void {
    if (src.nIn !== this.nIn || cmConfigString(src.o) !== cmConfigString(this.o)) throw new Error('copyFrom: different mixer shapes');
    const tab = (a: CounterTable, b: CounterTable) => {
      a.p.set(b.p);
      a.n.set(b.n);
    };
    tab(this.t0, src.t0);
    tab(this.t1, src.t1);
    this.th.forEach((t, i) => tab(t, src.th[i]!));
    tab(this.matchCounters, src.matchCounters);
    this.hashes.set(src.hashes);
    this.idx.set(src.idx);
    this.st.set(src.st);
    this.weights.set(src.weights);
    this.apm1.copyFrom(src.apm1);
    this.apm2.copyFrom(src.apm2);
    this.matchTable.set(src.matchTable);
    this.hist = src.hist.slice();
    this.wsel = src.wsel;
    this.wselNow = src.wselNow;
    this.extOff = src.extOff;
    this.prMix = src.prMix;
    this.prFinal = src.prFinal;
    this.pos = src.pos;
    this.c0 = src.c0;
    this.c4 = src.c4;
    this.bitPos = src.bitPos;
    this.wordHash = src.wordHash;
    this.prevWordHash = src.prevWordHash;
    this.matchPtr = src.matchPtr;
    this.matchLen = src.matchLen;
    this.expectedBit = src.expectedBit;
    this.matchIdx = src.matchIdx;
  }

  /** Learn from `data` as if it had been coded (a shared dictionary both sides hold); nothing is output. */
  prime(data: Uint8Array): void {
    // the external model (the GPT) sits this out: it is too slow for a dictionary, and its weights
    // already hold what it learned; its mixer inputs are 0 and its weight sets untouched meanwhile
    this.extOff = true;
    for (let i = 0; i < data.length; i++) {
      const c = data[i]!;
      for (let b = 7; b >= 0; b--) {
        this.p();
        this.update((c >>> b) & 1);
      }
    }
    this.extOff = false;
  }

  /** At a byte boundary: recompute the per-order hashes and the match pointer. */
  private byteUpdate(): void {
    const h = this.hist;
    const pos = this.pos;
    for (let i = 0; i < ORDERS.length; i++) {
      const k = ORDERS[i]!;
      let x = Math.imul(k + 1, 0x2f0b3c47);
      for (let j = 1; j <= k && pos - j >= 0; j++) x = Math.imul(x ^ h[pos - j]!, 0x01000193) + 0x7f4a7c15;
      this.hashes[i] = x;
    }
    this.hashes[ORDERS.length] = Math.imul(this.wordHash + Math.imul(this.prevWordHash, 0x3c6ef372), 0x9e3779b1) ^ 0x55555555;
    // match model: find/extend the longest match
    if (pos >= MINLEN) {
      let mh = 0;
      for (let j = 1; j <= MINLEN; j++) mh = Math.imul(mh ^ h[pos - j]!, 0x2c9277b5) + j;
      const slot = (mh >>> 0) >>> (32 - this.matchBits);
      if (this.matchLen > 0 && this.matchPtr < pos && h[this.matchPtr] === h[pos - 1]) {
        // (the pointer was advanced in update(); check it still agrees)
      }
      if (this.matchLen === 0) {
        const cand = this.matchTable[slot]!;
        if (cand >= 0) {
          let len = 0;
          while (len < 32 && cand - len - 1 >= 0 && h[cand - len - 1] === h[pos - len - 1]) len++;
          if (len >= MINLEN) {
            this.matchPtr = cand;
            this.matchLen = len;
          }
        }
      }
      this.matchTable[slot] = pos;
    }
  }

  /** Per bit: the counter slot of every input. */
  private bitContexts(): void {
    const c0 = this.c0;
    this.idx[0] = c0;
    this.idx[1] = ((this.c4 & 0xff) << 8) | c0;
    for (let i = 0; i < N_HASHED; i++) {
      this.idx[2 + i] = (Math.imul(this.hashes[i]! + Math.imul(c0, 0x6f4f2c45), 0x9e3779b1) >>> (32 - this.o.tableBits)) & this.mask;
    }
    if (this.matchLen > 0) {
      const b = this.hist[this.matchPtr]!;
      // the predicted byte must agree with the bits of this byte seen so far
      if (((b | 256) >> (8 - this.bitPos)) === c0) {
        this.expectedBit = (b >> (7 - this.bitPos)) & 1;
      } else {
        this.matchLen = 0;
      }
    }
    const lenBucket = this.matchLen === 0 ? 0 : Math.min(31, this.matchLen);
    this.matchIdx = lenBucket * 2 + this.expectedBit;
    this.wsel = (Math.min(this.matchLen, 15) >> 2) * 8 * 2 + this.bitPos * 2 + (this.matchLen > 0 ? this.expectedBit : 0);
  }

  p(): number {
    const st = this.st;
    st[0] = stretch(this.t0.p[this.idx[0]!]! >> 4);
    st[1] = stretch(this.t1.p[this.idx[1]!]! >> 4);
    for (let i = 0; i < N_HASHED; i++) st[2 + i] = stretch(this.th[i]!.p[this.idx[2 + i]!]! >> 4);
    if (this.matchLen > 0) {
      const pm = stretch(this.matchCounters.p[this.matchIdx]! >> 4);
      st[2 + N_HASHED] = pm;
      st[3 + N_HASHED] = this.expectedBit ? Math.min(this.matchLen, 32) * 32 : -Math.min(this.matchLen, 32) * 32;
    } else {
      st[2 + N_HASHED] = 0;
      st[3 + N_HASHED] = 0;
    }
    st[N_BASE - 1] = 256;
    let sel = this.wsel;
    if (this.ext) {
      if (this.extOff) {
        for (let i = N_BASE; i < this.nIn; i++) st[i] = 0;
        sel = sel * 2;
      } else sel = sel * 2 + this.ext.fill(st, N_BASE);
    }
    this.wselNow = sel;
    const w = this.weights;
    const n = this.nIn;
    const base = sel * n;
    let dot = 0;
    for (let i = 0; i < n; i++) dot += w[base + i]! * st[i]!;
    const d = Math.round(dot);
    this.prMix = squash(d < -2047 ? -2047 : d > 2047 ? 2047 : d);
    const a1 = this.apm1.pp(this.prMix, this.c0);
    const a2 = this.apm2.pp(this.prMix, (this.c0 | ((this.c4 & 0xff) << 8)) & 0xffff);
    const mix16 = this.prMix * 16;
    let p = Math.round((mix16 + a1 + 2 * a2) / 4);
    if (p < 1) p = 1;
    else if (p > 65535) p = 65535;
    this.prFinal = p;
    return p;
  }

  update(bit: number): void {
    // mixer
    const err = ((bit ? 4095 : 0) - this.prMix) / 4096;
    const w = this.weights;
    const n = this.nIn;
    const base = this.wselNow * n;
    const lr = this.o.mixerLr * err;
    for (let i = 0; i < n; i++) w[base + i] = w[base + i]! + lr * this.st[i]! / 256 * 4;
    this.apm1.update(bit);
    this.apm2.update(bit);
    // counters
    const lim = this.o.counterLimit;
    const target = bit ? 65535 : 0;
    updCounter(this.t0, this.idx[0]!, target, lim);
    updCounter(this.t1, this.idx[1]!, target, lim);
    for (let i = 0; i < N_HASHED; i++) updCounter(this.th[i]!, this.idx[2 + i]!, target, lim);
    if (this.matchLen > 0) {
      updCounter(this.matchCounters, this.matchIdx, target, lim);
      if (bit !== this.expectedBit) this.matchLen = 0;
    }
    // advance
    this.c0 = (this.c0 << 1) | bit;
    this.bitPos++;
    if (this.ext && !this.extOff && this.bitPos < 8) this.ext.update(bit, undefined);
    if (this.bitPos === 8) {
      const c = this.c0 & 255;
      if (this.pos === this.hist.length) {
        const nh = new Uint8Array(this.hist.length * 2);
        nh.set(this.hist);
        this.hist = nh;
      }
      this.hist[this.pos++] = c;
      this.c4 = ((this.c4 << 8) | c) >>> 0;
      this.c0 = 1;
      this.bitPos = 0;
      if (!this.extOff) this.ext?.update(bit, c);
      // word context: letters (ASCII, lower-cased) and any byte ≥ 128 (UTF-8 text) extend the word
      const isLetter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 128;
      if (isLetter) {
        const lc = c >= 65 && c <= 90 ? c + 32 : c;
        this.wordHash = Math.imul(this.wordHash ^ lc, 0x01000193) + 1;
      } else if (this.wordHash !== 0) {
        this.prevWordHash = this.wordHash;
        this.wordHash = 0;
      }
      if (this.matchLen > 0) {
        this.matchPtr++;
        if (this.matchLen < 65535) this.matchLen++;
      }
      this.byteUpdate();
    }
    this.bitContexts();
    void this.prFinal;
  }
}
