/**
 * The default model of `fivelens zip` (issue 19): context mixing in the lpaq / zpaq style.
 *
 * Per bit, every context below gives the mixers one input, the stretched probability st = ln(p/(1−p))
 * of its counter (cm-parts.ts):
 * - order 0 and order 1: counters indexed directly by the partial byte (and the previous byte);
 * - orders 2, 3, 4, 5, 8: hashed byte contexts in nibble buckets with checks; each also gives its
 *   bit history (the last 6 bits seen in that slot, with how often it was hit) mapped to a probability;
 * - line: the column, the byte at the same column of the line above, and the last byte;
 * - word: the letters of this word and the previous word; word0: this word and the byte before;
 * - UTF-8: the previous 1 and 2 whole code points (a Chinese character is 3 bytes: these contexts
 *   see characters where order-k sees bytes), with the bytes of the current code point so far;
 * - match and short match: the latest earlier repeat of the last 7 (5) bytes, its predicted bit and
 *   strength.
 * Four mixers (weights chosen by match length × how many high orders are known, by the partial byte,
 * by the previous byte with the partial byte, by the previous two bytes) are mixed by a final mixer
 * chosen by the partial byte; three APM/SSE stages (order 1, hashed order 2, match state) refine the
 * result. The mixers' learning rate decays from fast to a floor as the file goes on. This is
 * generation 4 (`gen`); generations 2 and 3 are kept, option for option, so that their files decode.
 * Generation 4 also runs as WebAssembly (asm/cm.as.ts, cm-wasm.ts): the same bytes, faster.
 */
import { learnBytes, type BitPredictor } from './rangecoder.js';
import type { ExternalInput } from './cm.js';
import { APM, Mixer, MatchModel, mix3, update3, NibbleTable, adapt, slotStretch, slotUpdate, stretchP, squash } from './cm-parts.js';

export interface CM2Options {
  /** log₂ of the counters of each hashed context */
  tableBits: number;
  /** hit-count cap of the hashed counters (higher = more averaging) */
  limit: number;
  /** mixer learning rate floor and its extra at the start (1/16 of lpaq's units) */
  lrMin: number;
  lrStart: number;
  /** bytes over which the extra learning rate halves */
  lrHalf: number;
  /**
   * The model's generation; files name it, and every generation still decodes.
   * 2: as first released. 3: the order-6 context gives way to a line context (column and the byte
   * above), a bit history is read together with its hit count, a second match model from 5 bytes,
   * and a third APM (on the match state) shares the final average with the mixer and the other two.
   * 4: a fourth mixer chosen by the previous two bytes; the third chosen by the previous byte and the
   * partial byte (was: the previous byte); the final mixer chosen by the partial byte (was: the bit
   * position); the mixers with more weight sets learn faster (1, 3, 4, 4 × the rate); the final
   * average weighs the APMs 2 : 3 : 2 beside the mixer's 1.
   */
  gen: 2 | 3 | 4;
  /**
   * log₂ of the byte history the match models and the line context read, a ring: a stream of any
   * length holds only its last 2^ringBits bytes. Unset: the history grows with the input (how the
   * in-memory format 1 has always read; the same bytes for inputs up to 2^ringBits).
   */
  ringBits?: number;
}

export const DEFAULT_CM2: CM2Options = { tableBits: 22, limit: 60, lrMin: 96, lrStart: 480, lrHalf: 4096, gen: 4 };

export function cm2ConfigString(o: CM2Options): string {
  return `${o.gen === 2 ? 'cm2' : `cm${o.gen}`}:tb${o.tableBits}:lim${o.limit}:lr${o.lrMin}+${o.lrStart}/${o.lrHalf}`;
}

/** Names of the inputs, in mixer order (the lens draws them). */
export const CM2_MODELS = ['order 0', 'order 1', 'order 2', 'order 3', 'order 4', 'order 5', 'line', 'order 8', 'word', 'word+byte', 'char 1', 'chars 2', 'match', 'short match'] as const;
/** generation 2 had order 6 where generation 3 has the line context */
const I_LINE = 4;
const HASHED_ORDERS = [2, 3, 4, 5, 6, 8] as const;
const N_HASHED = HASHED_ORDERS.length + 4; // + word, word0, cp1, cp2
/** inputs: one per model (its counter), then one per hashed model (its bit history), match and its strength,
 *  bias, short match and its strength (generation 2 has no short match: its two inputs stay 0) */
const N_IN = 2 + N_HASHED + N_HASHED + 3 + 2;
const I_HIST = 2 + N_HASHED;
const I_MATCH = I_HIST + N_HASHED;
/** For each of CM2_MODELS: the mixer inputs it owns (its counter, its bit history where it has one). */
const I_MATCH2 = I_MATCH + 3;
export const CM2_MODEL_INPUTS: readonly (readonly number[])[] = CM2_MODELS.map((_, m) =>
  m < 2 ? [m] : m < 2 + N_HASHED ? [m, I_HIST + m - 2] : m === 2 + N_HASHED ? [I_MATCH, I_MATCH + 1] : [I_MATCH2, I_MATCH2 + 1],
);

function hash2(a: number, b: number): number {
  return Math.imul(Math.imul(a, 0x2f0b3c47) ^ Math.imul(b + 0x5bd1e995, 0x9e3779b1), 0x85ebca6b) ^ (b >>> 15);
}

export class CM2 implements BitPredictor {
  readonly o: CM2Options;
  private readonly p0 = new Int16Array(256);
  private readonly n0 = new Uint8Array(256);
  private readonly p1 = new Int16Array(65536);
  private readonly n1 = new Uint8Array(65536);
  private readonly table: NibbleTable;
  private readonly ctxHash = new Int32Array(N_HASHED); // per byte
  private readonly bucket = new Int32Array(N_HASHED); // per nibble
  private readonly slot = new Int32Array(N_HASHED); // per bit
  private readonly hp = new Int16Array(N_HASHED * 512); // (bit history, hit count class) → probability, per model
  private readonly hn = new Uint8Array(N_HASHED * 512);
  private readonly hslot = new Int32Array(N_HASHED);
  /** the inputs of this bit, one vector the mixers share (the external model's, if any, at the end) */
  readonly st: Int32Array;
  private known = 0; // hashed high orders whose bucket existed at this nibble
  readonly match: MatchModel;
  /** generation 3: a second match model from 5 bytes (the first waits for 7) */
  readonly match2: MatchModel;
  readonly mA: Mixer;
  readonly mB: Mixer;
  readonly mC: Mixer;
  /** generation 4: chosen by the previous two bytes */
  readonly mD: Mixer;
  readonly mF: Mixer;
  private readonly a1 = new APM(65536);
  private readonly a2 = new APM(65536);
  /** generation 3: the match state (length class, expected bit) with the partial byte */
  private readonly a3: APM;
  private readonly g3: boolean;
  private readonly g4: boolean;
  private prMix = 2048;
  private hist: Uint8Array;
  /** hist.length − 1: a position p is at hist[p & mask] */
  private mask: number;
  /** the ring's size, or Infinity while the history grows */
  private readonly ring: number;
  pos = 0;
  private c0 = 1;
  private c4 = 0;
  private bitPos = 0;
  private nib = 1;
  private word = 0;
  private prevWord = 0;
  private cp1 = 0;
  private cp2 = 0;
  private cpPartial = 0;
  /** where the current and the previous line start (one past their newline) */
  private lineStart = 0;
  private prevLineStart = -1;
  private lr = 0;

  /** the external model (the GPT of `zip --model`) sits out a dictionary: too slow, and it learned already */
  private extOff = false;

  /** `ext`: another model's opinion as extra mixer inputs (the GPT); mixer A's weight sets are then
   *  doubled by whether it has one on this bit */
  constructor(
    opts: Partial<CM2Options> = {},
    private readonly ext?: ExternalInput,
  ) {
    this.o = { ...DEFAULT_CM2, ...opts };
    const nIn = N_IN + (ext?.count ?? 0);
    this.st = new Int32Array(nIn);
    this.mA = new Mixer(nIn, 4 * 8 * 8 * (ext ? 2 : 1), 6000, this.st);
    this.mB = new Mixer(nIn, 256, 6000, this.st);
    this.g3 = this.o.gen >= 3;
    this.g4 = this.o.gen >= 4;
    this.mC = new Mixer(nIn, this.g4 ? 65536 : 256, 6000, this.st);
    this.mD = new Mixer(nIn, this.g4 ? 65536 : 1, 6000, this.st);
    this.mF = this.g4 ? new Mixer(5, 256, 16384) : new Mixer(4, 8, 21845);
    this.a3 = new APM(this.g3 ? 64 * 256 : 1);
    this.table = new NibbleTable(N_HASHED, this.o.tableBits);
    const rb = this.o.ringBits;
    this.hist = new Uint8Array(rb === undefined ? 1 << 16 : 2 ** rb);
    this.mask = this.hist.length - 1;
    this.ring = rb === undefined ? Infinity : this.hist.length;
    this.match = new MatchModel(Math.min(22, this.o.tableBits), 7);
    this.match2 = new MatchModel(this.g3 ? Math.min(22, this.o.tableBits) : 1, 5);
    // the final mixer starts as the mean of the others (its bias weight 0)
    const nF = this.mF.nInputs;
    for (let s = 0; s < this.mF.nSets; s++) this.mF.w[s * nF + nF - 1] = 0;
    this.byteUpdate();
    this.nibbleUpdate();
    this.bitContexts();
  }

  /** Learn from bytes both sides hold (a dictionary) as if they had been coded; nothing is output. */
  prime(data: Uint8Array): void {
    this.extOff = true;
    learnBytes(this, data);
    this.extOff = false;
  }

  /** The hashes of every context, at a byte boundary. */
  private byteUpdate(): void {
    const h = this.hist;
    const pos = this.pos;
    const mask = this.mask;
    let x = 0;
    let k = 0;
    for (let j = 1; j <= 8; j++) {
      x = Math.imul(x ^ (pos - j >= 0 ? h[(pos - j) & mask]! : 0), 0x01000193) + j;
      if (j === HASHED_ORDERS[k]) this.ctxHash[k++] = hash2(x, j);
    }
    if (this.g3) this.ctxHash[I_LINE] = this.lineContext();
    this.ctxHash[k++] = hash2(this.word, this.prevWord + 11);
    this.ctxHash[k++] = hash2(this.word, (this.c4 & 255) + 12);
    this.ctxHash[k++] = hash2(this.cp1, this.cpPartial + 13);
    this.ctxHash[k++] = hash2(hash2(this.cp1, this.cp2), this.cpPartial + 14);
    this.match.byteUpdate(h, mask, this.ring, pos);
    if (this.g3) this.match2.byteUpdate(h, mask, this.ring, pos);
    const lrX = Math.floor((this.o.lrStart * this.o.lrHalf) / (this.o.lrHalf + pos));
    this.lr = this.o.lrMin + lrX;
  }

  /**
   * The line context: the column (up to 63), the byte at the same column of the line above, and the
   * last byte — verse, tables and indented code line up with the line before.
   */
  private lineContext(): number {
    const col = this.pos - this.lineStart;
    const above = this.prevLineStart >= 0 && this.prevLineStart + col < this.lineStart - 1 ? this.hist[(this.prevLineStart + col) & this.mask]! : 0;
    return hash2((above << 8) | (col < 63 ? col : 63), 22 + ((this.c4 & 255) << 8));
  }

  /** At bit 0 and bit 4: find each hashed context's bucket for this nibble. */
  private nibbleUpdate(): void {
    const extra = this.bitPos === 0 ? 0 : Math.imul(this.c0, 0x3c6ef372);
    let known = 0;
    const t = this.table;
    for (let i = 0; i < N_HASHED; i++) {
      const b = t.find(i, this.ctxHash[i]! + extra);
      this.bucket[i] = b;
      if (i >= 1 && i < HASHED_ORDERS.length && t.t[b + 1]! >>> 16 !== 0) known++;
    }
    this.known = known;
  }

  private bitContexts(): void {
    for (let i = 0; i < N_HASHED; i++) this.slot[i] = this.bucket[i]! + this.nib;
  }

  /** The mixers' output before the APM stages (12-bit), after p(). */
  mixerP(): number {
    return this.prMix;
  }

  p(): number {
    const st = this.st;
    const c0 = this.c0;
    const c1 = this.c4 & 255;
    st[0] = stretchP(this.p0[c0]!);
    st[1] = stretchP(this.p1[(c1 << 8) | c0]!);
    const t = this.table.t;
    for (let i = 0; i < N_HASHED; i++) {
      const v = t[this.slot[i]!]!;
      st[2 + i] = slotStretch(v);
      let hs = i * 128 + (v >>> 24);
      if (this.g3) {
        const n = (v >>> 16) & 255;
        hs = i * 512 + (v >>> 24) + 128 * (n < 2 ? n : n < 8 ? 2 : 3);
      }
      this.hslot[i] = hs;
      st[I_HIST + i] = stretchP(this.hp[hs]!);
    }
    st[I_MATCH] = this.match.predict(c0, this.bitPos);
    st[I_MATCH + 1] = this.match.strength();
    st[I_MATCH + 2] = 256;
    if (this.g3) {
      const m2 = this.match2;
      st[I_MATCH2] = m2.predict(c0, this.bitPos);
      st[I_MATCH2 + 1] = m2.strength();
    }
    let opinion = 0;
    if (this.ext) {
      if (this.extOff) st.fill(0, N_IN);
      else opinion = this.ext.fill(st, N_IN);
    }
    this.prMix = this.mixAll(c0, c1, opinion);
    const pr = this.prMix;
    const x1 = this.a1.pp(pr, c0 | (c1 << 8));
    const x2 = this.a2.pp(pr, (hash2(this.c4 & 0xffff, c0) >>> 16) & 0xffff);
    let p = (pr * 32 + x1 + x2 + 2) >> 2;
    if (this.g3) {
      const ml = this.match.len;
      const mq = ml === 0 ? 0 : (ml < 16 ? ml : 16 + Math.min(15, (ml - 16) >> 2)) * 2 + this.match.expected;
      const x3 = this.a3.pp(pr, (mq << 8) | c0);
      p = this.g4 ? (pr * 16 + x1 * 2 + x2 * 3 + x3 * 2 + 4) >> 3 : (pr * 16 + x1 + x2 + x3 + 2) >> 2;
    }
    if (p < 1) p = 1;
    else if (p > 65535) p = 65535;
    return p;
  }

  /** The mixers on this bit's inputs, then the final mixer; its 12-bit probability. */
  private mixAll(c0: number, c1: number, opinion: number): number {
    const { mA, mB, mC, mD, mF } = this;
    const kn = this.known < 7 ? this.known : 7;
    const selA = ((this.match.lenClass() * 8 + kn) * 8 + this.bitPos) * (this.ext ? 2 : 1) + opinion;
    mix3(mA, selA, mB, c0, mC, this.g4 ? (c1 << 8) | c0 : c1);
    mF.x[0] = mA.dot;
    mF.x[1] = mB.dot;
    mF.x[2] = mC.dot;
    if (this.g4) {
      mD.mix(this.c4 & 0xffff);
      mF.x[3] = mD.dot;
      mF.x[4] = 256;
      mF.mix(c0);
    } else {
      mF.x[3] = 256;
      mF.mix(this.bitPos);
    }
    return mF.pr;
  }

  update(bit: number): void {
    const lr = this.lr;
    if (this.g4) {
      // the mixers with more weight sets see each set less often: larger steps
      update3(this.mA, this.mB, this.mC, bit, lr, lr * 3, lr * 4);
      this.mD.update(bit, lr * 4);
    } else update3(this.mA, this.mB, this.mC, bit, lr, lr, lr);
    this.mF.update(bit, lr >> 1);
    this.a1.update(bit);
    this.a2.update(bit);
    if (this.g3) this.a3.update(bit);
    const c0 = this.c0;
    adapt(this.p0, this.n0, c0, bit, 255);
    adapt(this.p1, this.n1, ((this.c4 & 255) << 8) | c0, bit, 255);
    const lim = this.o.limit;
    const t = this.table.t;
    for (let i = 0; i < N_HASHED; i++) {
      const j = this.slot[i]!;
      t[j] = slotUpdate(t[j]!, bit, lim);
      adapt(this.hp, this.hn, this.hslot[i]!, bit, 255);
    }
    this.match.update(bit);
    if (this.g3) this.match2.update(bit);
    this.c0 = (c0 << 1) | bit;
    this.nib = (this.nib << 1) | bit;
    this.bitPos++;
    if (this.ext && !this.extOff) this.ext.update(bit, this.bitPos === 8 ? this.c0 & 255 : undefined);
    if (this.bitPos === 8) {
      this.byteDone(this.c0 & 255);
      this.nib = 1;
      this.nibbleUpdate();
    } else if (this.bitPos === 4) {
      this.nib = 1;
      this.nibbleUpdate();
    }
    this.bitContexts();
  }

  private byteDone(c: number): void {
    if (this.pos === this.hist.length && this.ring === Infinity) {
      const nh = new Uint8Array(this.hist.length * 2);
      nh.set(this.hist);
      this.hist = nh;
      this.mask = nh.length - 1;
    }
    this.hist[this.pos++ & this.mask] = c;
    this.c4 = (this.c4 << 8) | c;
    if (c === 10) {
      this.prevLineStart = this.lineStart;
      this.lineStart = this.pos;
    }
    this.c0 = 1;
    this.bitPos = 0;
    const lower = c >= 65 && c <= 90 ? c + 32 : c;
    if (lower >= 97 && lower <= 122) this.word = Math.imul(this.word ^ lower, 0x01000193) + 1;
    else if (this.word !== 0) {
      this.prevWord = this.word;
      this.word = 0;
    }
    // UTF-8: a byte that is not a continuation byte ends the previous code point (ASCII: itself)
    if (c < 0x80 || c >= 0xc0) {
      if (this.cpPartial !== 0) {
        this.cp2 = this.cp1;
        this.cp1 = this.cpPartial;
      }
      this.cpPartial = c < 0x80 ? 0 : c;
      if (c < 0x80) {
        this.cp2 = this.cp1;
        this.cp1 = c;
      }
    } else if (this.cpPartial !== 0) this.cpPartial = (this.cpPartial << 8) | c;
    this.byteUpdate();
  }
}

/** P(bit = 1) of one input, for the lens (12-bit). */
export function inputProbability(st: number): number {
  return squash(st);
}
