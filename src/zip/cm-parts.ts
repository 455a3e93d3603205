/**
 * The stages of the context-mixing compressor (cm2.ts), each small and testable alone (after the
 * designs of Mahoney's lpaq1 and zpaq; written here from their descriptions, no code copied):
 *
 * - {@link adapt}: an adaptive probability with a hit count — moves by (bit − p)/(n + 1.5), n capped;
 * - {@link NibbleTable}: a hashed table of such counters, one 16-slot bucket per (context, nibble),
 *   with an 8-bit check so that two contexts that hash to the same bucket rarely share counters;
 * - {@link Mixer}: logistic mixing, online gradient descent on the code length, weight sets chosen by
 *   a small context, a learning rate that decays to a floor;
 * - {@link APM}: adaptive probability map (SSE) — refines a probability given a context;
 * - {@link MatchModel}: the longest earlier occurrence of the recent bytes predicts the next bit.
 *
 * Everything is integer (Int32 / typed arrays; products stay < 2⁵³, so float64 is exact), so the
 * decoder computes the very same probabilities on any machine.
 */
import { squash as squash1 } from './cm.js';

/** squash(d) = 4096/(1 + e^(−d/256)) for every d in [−2047, 2047] (lpaq1's interpolated table, cm.ts). */
export const SQUASH = (() => {
  const t = new Int16Array(4095);
  for (let d = -2047; d <= 2047; d++) t[d + 2047] = squash1(d);
  return t;
})();

/** stretch(p) = ln(p/(1−p))·256, the inverse of squash, for 12-bit p. */
export const STRETCH = (() => {
  const t = new Int16Array(4096);
  let pi = 0;
  for (let x = -2047; x <= 2047; x++) {
    const v = SQUASH[x + 2047]!;
    for (let j = pi; j <= v; j++) t[j] = x;
    pi = v + 1;
  }
  for (let j = pi; j < 4096; j++) t[j] = 2047;
  return t;
})();

export function squash(d: number): number {
  return d > 2047 ? 4095 : d < -2047 ? 1 : SQUASH[d + 2047]!;
}
export function stretch(p12: number): number {
  return STRETCH[p12]!;
}

/** RATE[n] = ⌊65536/(n + 1.5)⌋: the step of a counter seen n times. */
export const RATE = (() => {
  const r = new Int32Array(1024);
  for (let n = 0; n < 1024; n++) r[n] = Math.floor(65536 / (n + 1.5));
  return r;
})();

/**
 * Move the probability p[j] toward the bit. Probabilities are stored minus ½ (p − 32768, in
 * units of 2⁻¹⁶) so that a fresh, zeroed table means p = ½ everywhere; n[j] counts hits up to `limit`.
 */
export function adapt(p: Int16Array, n: Uint8Array, j: number, bit: number, limit: number): void {
  const pj = p[j]!;
  const nj = n[j]!;
  p[j] = pj + Math.trunc(((bit ? 32767 : -32768) - pj) * RATE[nj]! / 65536);
  if (nj < limit) n[j] = nj + 1;
}

/** The stretch (±2047) of a stored probability (p − 32768). */
export function stretchP(pm: number): number {
  return stretch((pm + 32768) >> 4);
}

/**
 * Counters of several hashed contexts in one table (a region of 2^slotBits slots per context): each
 * (context, nibble) owns a 16-slot bucket — one cache line — whose slot 0 holds an 8-bit check and
 * slots 1…15 the nodes of the nibble's binary tree. A slot packs three fields in an int32:
 * bits 0–15 the probability XOR 0x8000 (so a zeroed slot means p = ½), 16–23 the hit count n,
 * 24–31 the bit history. A context is looked for in 3 neighbouring buckets by its check; a missing
 * one takes the neighbour used least (its first node's count) and clears it.
 */
export class NibbleTable {
  readonly t: Int32Array;
  private readonly bucketBits: number;
  constructor(
    readonly regions: number,
    readonly slotBits: number,
  ) {
    this.t = new Int32Array(regions << slotBits);
    this.bucketBits = slotBits - 4;
  }
  /** The first slot of the bucket of context hash h (a 32-bit int) in region r. */
  find(r: number, h: number): number {
    const bb = this.bucketBits;
    const b0 = h >>> (32 - bb);
    const chk = (h & 255) | 1; // 0 = empty
    const m = (1 << bb) - 1;
    const off = r << bb;
    const t = this.t;
    let best = 0;
    let bestN = 256;
    for (let k = 0; k < 3; k++) {
      const s = (off + ((b0 ^ k) & m)) << 4;
      const c = t[s]!;
      if (c === chk) return s;
      const nb = c === 0 ? -1 : (t[s + 1]! >>> 16) & 255;
      if (nb < bestN) {
        bestN = nb;
        best = s;
      }
    }
    t.fill(0, best, best + 16);
    t[best] = chk;
    return best;
  }

}

/** The stretch of a packed slot's probability. */
export function slotStretch(v: number): number {
  return STRETCH[((v & 0xffff) ^ 0x8000) >> 4]!;
}

/** Learn the bit in a packed slot: probability (rate 1/(n + 1.5)), count (≤ limit) and history. */
export function slotUpdate(v: number, bit: number, limit: number): number {
  const p = (v & 0xffff) ^ 0x8000;
  const n = (v >>> 16) & 255;
  const np = p + Math.trunc(((bit ? 65535 : 0) - p) * RATE[n]! / 65536);
  return ((np ^ 0x8000) & 0xffff) | ((n < limit ? n + 1 : n) << 16) | (nextHistory(v >>> 24, bit) << 24);
}

/** The next bit history: append the bit, keep the last 6 (states 1…127; 0 counts as empty). */
export function nextHistory(h: number, bit: number): number {
  const x = ((h === 0 ? 1 : h) << 1) | bit;
  return x >= 128 ? (x & 63) | 64 : x;
}

/**
 * A gated linear mixer in the logistic domain: p = squash(Σ wᵢ·stᵢ), the weights (16.16 fixed point)
 * of the set chosen by `select`, trained by w += lr·err·st (the gradient of the code length).
 */
export class Mixer {
  readonly w: Int32Array;
  readonly x: Int32Array;
  /** the first weight of the set chosen by the last mix */
  base = 0;
  /** the last output, a 12-bit probability, and its stretch */
  pr = 2048;
  dot = 0;
  /** `x`: the input vector, which several mixers may share */
  constructor(
    readonly nInputs: number,
    readonly nSets: number,
    initWeight = Math.round(65536 / 4),
    x?: Int32Array,
  ) {
    this.w = new Int32Array(nInputs * nSets).fill(initWeight);
    this.x = x ?? new Int32Array(nInputs);
  }
  /** Mix the inputs (written into x) with weight set `select`; returns the stretch (±2047). */
  mix(select: number): number {
    const n = this.nInputs;
    const w = this.w;
    const x = this.x;
    const b = select * n;
    let dot = 0;
    for (let i = 0; i < n; i++) dot += x[i]! * w[b + i]!;
    return this.output(b, dot);
  }
  /** Set the output from the weighted sum `dot` of set `base`; returns its stretch (±2047). */
  output(base: number, dot: number): number {
    let d = Math.floor(dot / 65536);
    d = d < -2047 ? -2047 : d > 2047 ? 2047 : d;
    this.base = base;
    this.dot = d;
    this.pr = squash(d);
    return d;
  }
  /**
   * One step of gradient descent on −log₂ P(bit): Δw = st · (bit − p) · lr / 16 in 16.16 fixed point
   * (lr = 112 is lpaq1's rate); all products stay below 2³¹.
   */
  update(bit: number, lr: number): void {
    const err = (((bit << 12) - this.pr) * lr) >> 4;
    const n = this.nInputs;
    const w = this.w;
    const x = this.x;
    const b = this.base;
    for (let i = 0; i < n; i++) w[b + i] = w[b + i]! + ((x[i]! * err + 32768) >> 16);
  }

}

/**
 * Three mixers on one shared input vector, mixed in one pass over it: the same outputs as
 * `a.mix(sa); b.mix(sb); c.mix(sc)` (every sum is of integers below 2⁵³, so exact in any order).
 */
export function mix3(a: Mixer, sa: number, b: Mixer, sb: number, c: Mixer, sc: number): void {
  const x = a.x;
  const n = a.nInputs;
  const wa = a.w;
  const wb = b.w;
  const wc = c.w;
  const ba = sa * n;
  const bb = sb * n;
  const bc = sc * n;
  let da = 0;
  let db = 0;
  let dc = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    da += xi * wa[ba + i]!;
    db += xi * wb[bb + i]!;
    dc += xi * wc[bc + i]!;
  }
  a.output(ba, da);
  b.output(bb, db);
  c.output(bc, dc);
}

/** The updates of three mixers that share one input vector, in one pass: the same as three `update` calls (rates lrA, lrB, lrC). */
export function update3(a: Mixer, b: Mixer, c: Mixer, bit: number, lrA: number, lrB: number, lrC: number): void {
  const x = a.x;
  const n = a.nInputs;
  const wa = a.w;
  const wb = b.w;
  const wc = c.w;
  const ba = a.base;
  const bb = b.base;
  const bc = c.base;
  const ea = (((bit << 12) - a.pr) * lrA) >> 4;
  const eb = (((bit << 12) - b.pr) * lrB) >> 4;
  const ec = (((bit << 12) - c.pr) * lrC) >> 4;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    wa[ba + i] = wa[ba + i]! + ((xi * ea + 32768) >> 16);
    wb[bb + i] = wb[bb + i]! + ((xi * eb + 32768) >> 16);
    wc[bc + i] = wc[bc + i]! + ((xi * ec + 32768) >> 16);
  }
}

/** APM / SSE: (probability, context) → refined probability, interpolating 33 bins in the stretch domain. */
export class APM {
  private readonly t: Uint16Array; // 16-bit probabilities
  private idx = 0;
  private wt = 0;
  constructor(
    n: number,
    private readonly rateShift = 7,
  ) {
    this.t = new Uint16Array(n * 33);
    for (let j = 0; j < 33; j++) this.t[j] = squash((j - 16) * 128) * 16;
    for (let have = 33; have < this.t.length; have *= 2) this.t.copyWithin(have, 0, Math.min(have, this.t.length - have));
  }
  /** p12 in, 16-bit probability out */
  pp(p12: number, cx: number): number {
    const s = stretch(p12) + 2048;
    this.wt = s & 127;
    this.idx = cx * 33 + (s >> 7);
    return (this.t[this.idx]! * (128 - this.wt) + this.t[this.idx + 1]! * this.wt) >> 7;
  }
  update(bit: number): void {
    const g = bit ? 65535 : 0;
    const j = this.wt < 64 ? this.idx : this.idx + 1;
    this.t[j] = this.t[j]! + ((g - this.t[j]!) >> this.rateShift);
  }

}

/**
 * The match model: at each byte, if no match is running, the last `minLen` bytes are hashed to find
 * where they occurred last; the byte that followed is the prediction, its strength learned per match
 * length. `buf` is the shared history: byte p at buf[p & mask], the last `ring` bytes kept. The table
 * keeps positions modulo 2³² (0 = empty); a candidate must lie wholly inside the ring.
 */
export class MatchModel {
  readonly table: Uint32Array;
  ptr = 0;
  len = 0;
  /** the predicted bit of the current byte (valid while len > 0) */
  expected = 0;
  private predicted = 0;
  readonly p = new Int16Array(64 * 2);
  readonly n = new Uint8Array(64 * 2);
  private slot = 0;
  constructor(
    private readonly bits: number,
    readonly minLen: number,
  ) {
    this.table = new Uint32Array(1 << bits); // 0 = empty (a match starts at pos ≥ minLen)
  }
  /** At a byte boundary (pos = bytes seen). */
  byteUpdate(buf: Uint8Array, mask: number, ring: number, pos: number): void {
    if (this.len > 0) {
      if (buf[this.ptr & mask] === buf[(pos - 1) & mask]) {
        this.ptr++;
        if (this.len < 65535) this.len++;
      } else this.len = 0;
    }
    if (pos < this.minLen) return;
    let h = 0;
    for (let j = 1; j <= this.minLen; j++) h = Math.imul(h ^ buf[(pos - j) & mask]!, 0x2c9277b5) + j;
    const s = (h >>> 0) >>> (32 - this.bits);
    if (this.len === 0) {
      const cand = this.table[s]!;
      if (cand > 0) {
        const ca = pos - ((pos - cand) >>> 0); // the candidate's position, from its distance mod 2³²
        let l = 0;
        while (l < 400 && ca - l - 1 >= 0 && pos - (ca - l - 1) <= ring && buf[(ca - l - 1) & mask] === buf[(pos - l - 1) & mask]) l++;
        if (l >= this.minLen) {
          this.len = l;
          this.ptr = ca;
        }
      }
    }
    this.table[s] = pos >>> 0;
    if (this.len > 0) this.predicted = buf[this.ptr & mask]! | 256;
  }
  /** Before each bit: c0 = bits of this byte so far with a leading 1; returns the stretch input. */
  predict(c0: number, bitPos: number): number {
    if (this.len > 0 && this.predicted >> (8 - bitPos) !== c0) this.len = 0;
    if (this.len === 0) {
      this.slot = 0;
      return 0;
    }
    this.expected = (this.predicted >> (7 - bitPos)) & 1;
    const l = this.len;
    const q = l < 16 ? l : l < 32 ? 16 + ((l - 16) >> 2) : l < 64 ? 20 + ((l - 32) >> 3) : l < 512 ? 24 + ((l - 64) >> 6) : 31;
    this.slot = q * 2 + this.expected;
    return stretchP(this.p[this.slot]!);
  }
  /** A second input: the match length (up to 32) signed by the expected bit, after predict(); 0 without a match. */
  strength(): number {
    const l = this.len;
    return l === 0 ? 0 : (this.expected ? 1 : -1) * (l < 32 ? l * 32 : 1024);
  }
  /** Length bucket for mixer selection: 0 none, 1 short, 2 medium, 3 long. */
  lenClass(): number {
    return this.len === 0 ? 0 : this.len < 16 ? 1 : this.len < 32 ? 2 : 3;
  }
  update(bit: number): void {
    if (this.len > 0) {
      adapt(this.p, this.n, this.slot, bit, 255);
      if (bit !== this.expected) this.len = 0;
    }
  }

}
