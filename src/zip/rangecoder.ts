/**
 * A 32-bit binary arithmetic (range) coder, carry-less in the style of lpaq1 / paq8 (Mahoney).
 * Bytes are coded as 8 binary decisions, most significant bit first; for each bit a model gives
 * P(bit = 1) as an integer p in [1, 65535] (units of 2⁻¹⁶), so coder and decoder only ever see
 * integers and every machine computes the same interval.
 *
 * State: the interval [x1, x2] of 32-bit unsigned integers. A bit splits it at
 * xmid = x1 + ⌊(x2 − x1)·p / 2¹⁶⌋ (exact in float64: (x2−x1)·p < 2⁴⁸); bit 1 keeps [x1, xmid],
 * bit 0 keeps [xmid+1, x2]. While the top bytes of x1 and x2 agree, that byte is settled and
 * shifted out. Cost: −log₂ P(bit) per bit plus ≲ 4 bytes of flush and a tiny precision loss.
 */

/** The probability interface every model implements: P(next bit = 1), then learn the bit. */
export interface BitPredictor {
  /** P(next bit = 1) as an integer in [1, 65535] (×2⁻¹⁶) */
  p(): number;
  /** learn the bit that was actually coded */
  update(bit: number): void;
}

/** Clamp a probability (×2⁻¹⁶) into the coder's legal range. */
export function clampP(p: number): number {
  return p < 1 ? 1 : p > 65535 ? 65535 : p;
}

export class RangeEncoder {
  private x1 = 0;
  private x2 = 0xffffffff;
  private buf: Uint8Array;
  private n = 0;

  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }

  private put(b: number): void {
    if (this.n === this.buf.length) {
      const nb = new Uint8Array(this.buf.length * 2);
      nb.set(this.buf);
      this.buf = nb;
    }
    this.buf[this.n++] = b;
  }

  /** Code one bit with P(1) = p/65536. */
  encode(bit: number, p: number): void {
    const xmid = this.x1 + Math.floor(((this.x2 - this.x1) * p) / 65536);
    if (bit) this.x2 = xmid;
    else this.x1 = xmid + 1;
    while (((this.x1 ^ this.x2) & 0xff000000) === 0) {
      this.put(this.x2 >>> 24);
      this.x1 = (this.x1 << 8) >>> 0;
      this.x2 = ((this.x2 << 8) | 255) >>> 0;
    }
  }

  /** Flush: write all four bytes of x1 (the decoder then starts exactly inside the interval). */
  finish(): Uint8Array {
    for (let i = 0; i < 4; i++) {
      this.put(this.x1 >>> 24);
      this.x1 = (this.x1 << 8) >>> 0;
    }
    return this.buf.slice(0, this.n);
  }
}

export class RangeDecoder {
  private x1 = 0;
  private x2 = 0xffffffff;
  private x = 0;
  private pos = 0;
  /** bytes read past the end of the input (0 for a well-formed stream) */
  overread = 0;

  constructor(private readonly src: Uint8Array) {
    for (let i = 0; i < 4; i++) this.x = ((this.x << 8) | this.next()) >>> 0;
  }

  private next(): number {
    if (this.pos < this.src.length) return this.src[this.pos++]!;
    this.overread++;
    return 0;
  }

  /**
   * After the last bit: true iff the stream ends exactly as the encoder wrote it — the 4 bytes ahead
   * are the flushed x1 and nothing follows. (Without this, a flipped bit in the flush can still land
   * inside the final interval and decode the same data: an altered file that would pass.)
   */
  exact(): boolean {
    return this.overread === 0 && this.pos === this.src.length && this.x === this.x1;
  }

  /** Decode one bit, given the same P(1) = p/65536 the encoder used. */
  decode(p: number): number {
    const xmid = this.x1 + Math.floor(((this.x2 - this.x1) * p) / 65536);
    let bit: number;
    if (this.x <= xmid) {
      bit = 1;
      this.x2 = xmid;
    } else {
      bit = 0;
      this.x1 = xmid + 1;
    }
    while (((this.x1 ^ this.x2) & 0xff000000) === 0) {
      this.x1 = (this.x1 << 8) >>> 0;
      this.x2 = ((this.x2 << 8) | 255) >>> 0;
      this.x = ((this.x << 8) | this.next()) >>> 0;
    }
    return bit;
  }
}

/** Code `data` with `enc` and the model, most significant bit first. */
export function encodeWith(enc: RangeEncoder, model: BitPredictor, data: Uint8Array): void {
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    for (let b = 7; b >= 0; b--) {
      const bit = (c >>> b) & 1;
      enc.encode(bit, clampP(model.p()));
      model.update(bit);
    }
  }
}

/** Decode out.length bytes with `dec` and the model (the encoder's twin). */
export function decodeWith(dec: RangeDecoder, model: BitPredictor, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) {
    let c = 0;
    for (let b = 0; b < 8; b++) {
      const bit = dec.decode(clampP(model.p()));
      model.update(bit);
      c = (c << 1) | bit;
    }
    out[i] = c;
  }
}

/** The model learns bytes as if they had been coded (p() then update, bit by bit); nothing is output. */
export function learnBytes(model: BitPredictor, data: Uint8Array): void {
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    for (let b = 7; b >= 0; b--) {
      model.p();
      model.update((c >>> b) & 1);
    }
  }
}

/** Progress is reported after every full 64 KB. */
const PROGRESS_STEP = 1 << 16;

/** Code `data` with a fresh predictor (MSB first in each byte). */
export function encodeBytes(data: Uint8Array, model: BitPredictor, onProgress?: (done: number) => void): Uint8Array {
  const enc = new RangeEncoder(Math.max(1024, data.length >>> 1));
  for (let i = 0; i < data.length; i += PROGRESS_STEP) {
    const piece = data.subarray(i, i + PROGRESS_STEP);
    encodeWith(enc, model, piece);
    if (onProgress && piece.length === PROGRESS_STEP) onProgress(i + PROGRESS_STEP);
  }
  return enc.finish();
}

/** Decode `n` bytes from `coded` with a fresh predictor identical to the encoder's. */
export function decodeBytes(coded: Uint8Array, n: number, model: BitPredictor, onProgress?: (done: number) => void): { data: Uint8Array; overread: number; exact: boolean } {
  const dec = new RangeDecoder(coded);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += PROGRESS_STEP) {
    const piece = out.subarray(i, i + PROGRESS_STEP);
    decodeWith(dec, model, piece);
    if (onProgress && piece.length === PROGRESS_STEP) onProgress(i + PROGRESS_STEP);
  }
  return { data: out, overread: dec.overread, exact: dec.exact() };
}
