/**
 * The generation-4 model of `fivelens zip` (cm2.ts with gen 4) and its range coder (rangecoder.ts),
 * in AssemblyScript, compiled to WebAssembly by `npm run build` (scripts/build-wasm.mjs).
 *
 * This is the fast path; cm2.ts + rangecoder.ts are the reference. Every step is the same integer
 * operation in the same order, so the two give the same bytes — the tests code random and real
 * inputs with both and compare every byte. Where the TypeScript adds in float64 and wraps at the next
 * 32-bit operation, this wraps at once (the same value); products that pass 2³¹ are 64-bit here.
 *
 * State lives in globals and in one linear memory laid out by {@link init}; nothing is allocated
 * after it. The host copies input into `ioIn`, calls encode / learn / decode, and reads `ioOut`.
 * Shapes: N = 10 hashed contexts, I = 27 mixer inputs.
 */

// ---- constants (as cm2.ts, generation 3)
const N: i32 = 10; // hashed contexts: orders 2, 3, 4, 5, line, 8, word, word0, cp1, cp2
const I_LINE: i32 = 4;
const NI: i32 = 27; // mixer inputs
/** a weight row: the NI weights and one more whose input is always 0 (112 bytes: 16-byte SIMD lanes) */
const NW: i32 = 28;
const I_HIST: i32 = 12;
const I_MATCH: i32 = 22;
const I_MATCH2: i32 = 25;
/** weight sets of the mixers chosen by the order-1 context and partial byte (C) and by order 2 (D) */
const SETS_C: i32 = 65536;
const SETS_D: i32 = 65536;
/** bytes coded per host call at most (the host's chunk) */
export const CHUNK: i32 = 1 << 16;

// ---- memory layout (byte offsets), set by init
let STRETCH: usize = 0; // i16[4096]
let SQUASH: usize = 0; // i16[4095]
let RATE: usize = 0; // i32[1024]
let P0: usize = 0; // i16[256]
let N0: usize = 0; // u8[256]
let P1: usize = 0; // i16[65536]
let N1: usize = 0; // u8[65536]
let TAB: usize = 0; // i32[N << tableBits]
let HP: usize = 0; // i16[N*512]
let HN: usize = 0; // u8[N*512]
let ST: usize = 0; // i32[NW] the inputs of this bit (ST[27] = 0)
let STF: usize = 0; // f64[NW] the same as float64, for the dot products
let WA: usize = 0; // i32[NW*256]
let WB: usize = 0;
let WC: usize = 0;
let WD: usize = 0;
let WF: usize = 0; // i32[5*256]
let A1: usize = 0; // u16[65536*33]
let A2: usize = 0; // u16[65536*33]
let A3: usize = 0; // u16[64*256*33]
let APMT: usize = 0; // u16[33] an APM row as it starts
// rows set to their start on first use (the big tables would otherwise cost ~0.1 s of page faults
// at every start): one flag byte per weight set of C and D, per context of the APMs 1 and 2
let WCF: usize = 0;
let WDF: usize = 0;
let A1F: usize = 0;
let A2F: usize = 0;
let M1T: usize = 0; // u32[1 << mbits] match tables
let M2T: usize = 0;
let M1P: usize = 0; // i16[128] + u8[128]
let M2P: usize = 0;
let HIST: usize = 0; // u8[1 << ringBits]
let IO_IN: usize = 0; // u8[CHUNK] (decode: the coded block, grown on demand)
let IO_OUT: usize = 0; // u8[32*CHUNK+64]: a bit emits at most 4 bytes
let inCap: i32 = 0;

let tableBits: i32 = 22;
let bucketBits: i32 = 18;
let mBits: i32 = 22;
let ringMask: i32 = 0;
let limit: i32 = 60;
let lrMin: i32 = 96;
let lrStart: i32 = 480;
let lrHalf: i32 = 4096;

// ---- model state
let pos: i64 = 0;
let c0: i32 = 1;
let c4: i32 = 0;
let bitPos: i32 = 0;
let nib: i32 = 1;
let word: i32 = 0;
let prevWord: i32 = 0;
let cp1: i32 = 0;
let cp2: i32 = 0;
let cpPartial: i32 = 0;
let lineStart: i64 = 0;
let prevLineStart: i64 = -1;
let lr: i32 = 0;
let known: i32 = 0;
let prMix: i32 = 2048;
const ctxHash = memory.data(N * 4);
const bucket = memory.data(N * 4);
const slot = memory.data(N * 4);
const hslot = memory.data(N * 4);
// mixers: base of the chosen set, output pr and dot
let baseA: i32 = 0, prA: i32 = 2048, dotA: i32 = 0;
let baseB: i32 = 0, prB: i32 = 2048, dotB: i32 = 0;
let baseC: i32 = 0, prC: i32 = 2048, dotC: i32 = 0;
let baseD: i32 = 0, prD: i32 = 2048, dotD: i32 = 0;
let baseF: i32 = 0, prF: i32 = 2048;
// APMs: index and weight of the last pp
let a1i: i32 = 0, a1w: i32 = 0, a2i: i32 = 0, a2w: i32 = 0, a3i: i32 = 0, a3w: i32 = 0;
// match models: ptr (absolute), len, expected, predicted, slot
let m1ptr: i64 = 0, m1len: i32 = 0, m1exp: i32 = 0, m1pred: i32 = 0, m1slot: i32 = 0;
let m2ptr: i64 = 0, m2len: i32 = 0, m2exp: i32 = 0, m2pred: i32 = 0, m2slot: i32 = 0;
// coder
let x1: u32 = 0;
let x2: u32 = 0xffffffff;
let xd: u32 = 0;
let outN: i32 = 0;
let inPos: i32 = 0;
let inLen: i32 = 0;
let overread: i32 = 0;

// ---- memory helpers
@inline function ld16(base: usize, i: i32): i32 {
  return load<i16>(base + (<usize>i << 1));
}
@inline function st16(base: usize, i: i32, v: i32): void {
  store<i16>(base + (<usize>i << 1), <i16>v);
}
@inline function ldu16(base: usize, i: i32): i32 {
  return load<u16>(base + (<usize>i << 1));
}
@inline function stu16(base: usize, i: i32, v: i32): void {
  store<u16>(base + (<usize>i << 1), <u16>v);
}
@inline function ld32(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}
@inline function st32(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}
@inline function ld8(base: usize, i: i32): i32 {
  return load<u8>(base + <usize>i);
}
@inline function st8(base: usize, i: i32, v: i32): void {
  store<u8>(base + <usize>i, <u8>v);
}

let top: usize = 0;
function take(bytes: usize): usize {
  const p = (top + 63) & ~(<usize>63);
  top = p + bytes;
  const need = <i32>((top + 0xffff) >> 16);
  const have = memory.size();
  if (need > have) {
    if (memory.grow(need - have) < 0) unreachable();
  }
  return p;
}

/**
 * Lay out memory for a model with 2^tb counters per hashed context, a 2^rb-byte history ring and
 * 2^mb-entry match tables. Returns the address where the host writes STRETCH (i16[4096]), SQUASH
 * (i16[4095]) and RATE (i32[1024]) — the same tables as cm-parts.ts — before calling {@link start}.
 */
export function init(tb: i32, rb: i32, mb: i32, lim: i32, lrMn: i32, lrSt: i32, lrHf: i32): usize {
  top = __heap_base;
  tableBits = tb;
  bucketBits = tb - 4;
  mBits = mb;
  ringMask = (1 << rb) - 1;
  limit = lim;
  lrMin = lrMn;
  lrStart = lrSt;
  lrHalf = lrHf;
  STRETCH = take(4096 * 2);
  SQUASH = take(4095 * 2);
  RATE = take(1024 * 4);
  P0 = take(256 * 2);
  N0 = take(256);
  P1 = take(65536 * 2);
  N1 = take(65536);
  TAB = take(<usize>(N << tb) * 4);
  HP = take(N * 512 * 2);
  HN = take(N * 512);
  ST = take(NW * 4);
  STF = take(NW * 8);
  WA = take(NW * 256 * 4);
  WB = take(NW * 256 * 4);
  WC = take(NW * SETS_C * 4);
  WD = take(NW * SETS_D * 4);
  WF = take(5 * 256 * 4);
  A1 = take(65536 * 33 * 2);
  A2 = take(65536 * 33 * 2);
  A3 = take(64 * 256 * 33 * 2);
  APMT = take(33 * 2);
  WCF = take(SETS_C);
  WDF = take(SETS_D);
  A1F = take(65536);
  A2F = take(65536);
  M1T = take(<usize>4 << mb);
  M2T = take(<usize>4 << mb);
  M1P = take(128 * 3);
  M2P = take(128 * 3);
  HIST = take(<usize>1 << rb);
  IO_OUT = take(32 * CHUNK + 64);
  inCap = CHUNK;
  IO_IN = take(<usize>inCap);
  return STRETCH;
}

/** Where the host writes SQUASH and RATE (init returns STRETCH's address). */
export function squashAt(): usize {
  return SQUASH;
}
export function rateAt(): usize {
  return RATE;
}

/** Where the host writes input (`ioIn`, room for `cap` bytes) and reads output (`ioOut`). */
export function ioIn(cap: i32): usize {
  if (cap > inCap) {
    IO_IN = take(<usize>cap);
    inCap = cap;
  }
  return IO_IN;
}
export function ioOut(): usize {
  return IO_OUT;
}

@inline function squash(d: i32): i32 {
  return d > 2047 ? 4095 : d < -2047 ? 1 : ld16(SQUASH, d + 2047);
}
@inline function stretch(p12: i32): i32 {
  return ld16(STRETCH, p12);
}
@inline function stretchP(pm: i32): i32 {
  return ld16(STRETCH, (pm + 32768) >> 4);
}
@inline function adapt(p: usize, n: usize, j: i32, bit: i32, lim: i32): void {
  const pj = ld16(p, j);
  const nj = ld8(n, j);
  const target: i64 = bit ? 32767 : -32768;
  st16(p, j, pj + <i32>(((target - pj) * <i64>ld32(RATE, nj)) / 65536));
  if (nj < lim) st8(n, j, nj + 1);
}

function hash2(a: i32, b: i32): i32 {
  return (((a * 0x2f0b3c47) ^ ((b + 0x5bd1e995) * <i32>0x9e3779b1)) * <i32>0x85ebca6b) ^ <i32>(<u32>b >> 15);
}

/** After init and the tables: the state of a fresh model (cm2.ts constructor). */
export function start(): void {
  for (let j = 0; j < 33; j++) stu16(APMT, j, squash((j - 16) * 128) * 16);
  memory.copy(A3, APMT, 33 * 2);
  apmFill(A3, 64 * 256 * 33);
  fill32(WA, NW * 256, 6000);
  fill32(WB, NW * 256, 6000);
  for (let i = 0; i < 5 * 256; i++) st32(WF, i, i % 5 === 4 ? 0 : 16384);
  byteUpdate();
  nibbleUpdate();
  bitContexts();
}

/** n int32 values v from t: one row, then copies that double. */
function fill32(t: usize, n: i32, v: i32): void {
  for (let i = 0; i < 64 && i < n; i++) st32(t, i, v);
  for (let have = 64; have < n; have *= 2) memory.copy(t + (<usize>have << 2), t, <usize>(have < n - have ? have : n - have) << 2);
}

function apmFill(t: usize, n: i32): void {
  for (let have = 33; have < n; have *= 2) {
    const k = have < n - have ? have : n - have;
    memory.copy(t + (<usize>have << 1), t, <usize>k << 1);
  }
}

// ---- contexts
function byteUpdate(): void {
  let x: i32 = 0;
  let k = 0;
  for (let j = 1; j <= 8; j++) {
    const b = pos - j >= 0 ? ld8(HIST, <i32>(pos - j) & ringMask) : 0;
    x = (x ^ b) * 0x01000193 + j;
    if (j === 2 || j === 3 || j === 4 || j === 5 || j === 6 || j === 8) st32(ctxHash, k++, hash2(x, j));
  }
  st32(ctxHash, I_LINE, lineContext());
  st32(ctxHash, k++, hash2(word, prevWord + 11));
  st32(ctxHash, k++, hash2(word, (c4 & 255) + 12));
  st32(ctxHash, k++, hash2(cp1, cpPartial + 13));
  st32(ctxHash, k++, hash2(hash2(cp1, cp2), cpPartial + 14));
  touchBuckets(0);
  matchByte1();
  matchByte2();
  lr = lrMin + <i32>((<i64>lrStart * lrHalf) / (<i64>lrHalf + pos));
}

function lineContext(): i32 {
  const col: i64 = pos - lineStart;
  const above = prevLineStart >= 0 && prevLineStart + col < lineStart - 1 ? ld8(HIST, <i32>(prevLineStart + col) & ringMask) : 0;
  return hash2((above << 8) | (col < 63 ? <i32>col : 63), 22 + ((c4 & 255) << 8));
}

/** The first slot of the bucket of context hash h in region r (NibbleTable.find). */
function find(r: i32, h: i32): i32 {
  const bb = bucketBits;
  const b0 = <i32>(<u32>h >> (32 - bb));
  const chk = (h & 255) | 1;
  const m = (1 << bb) - 1;
  const off = r << bb;
  let best = 0;
  let bestN = 256;
  for (let k = 0; k < 3; k++) {
    const s = (off + ((b0 ^ k) & m)) << 4;
    const c = ld32(TAB, s);
    if (c === chk) return s;
    const nb = c === 0 ? -1 : (<i32>(<u32>ld32(TAB, s + 1) >> 16)) & 255;
    if (nb < bestN) {
      bestN = nb;
      best = s;
    }
  }
  memory.fill(TAB + (<usize>best << 2), 0, 64);
  st32(TAB, best, chk);
  return best;
}

let sink: i32 = 0;
/**
 * Load every context's first bucket before any is resolved, so that their cache misses overlap
 * (regions are disjoint: resolving one never moves another's bucket). Only a hint: no state changes.
 */
function touchBuckets(extra: i32): void {
  const bb = bucketBits;
  const m = (1 << bb) - 1;
  let touch = 0;
  for (let i = 0; i < N; i++) {
    const b0 = <i32>(<u32>(ld32(ctxHash, i) + extra) >> (32 - bb));
    touch += ld32(TAB, ((i << bb) + (b0 & m)) << 4);
  }
  sink += touch;
}

function nibbleUpdate(): void {
  const extra = bitPos === 0 ? 0 : c0 * 0x3c6ef372;
  // at a byte boundary byteUpdate touched them already, before the match models' own misses
  if (bitPos !== 0) touchBuckets(extra);
  let kn = 0;
  for (let i = 0; i < N; i++) {
    const b = find(i, ld32(ctxHash, i) + extra);
    st32(bucket, i, b);
    if (i >= 1 && i < 6 && <u32>ld32(TAB, b + 1) >> 16 !== 0) kn++;
  }
  known = kn;
}

@inline function bitContexts(): void {
  for (let i = 0; i < N; i++) st32(slot, i, ld32(bucket, i) + nib);
}

// ---- match models (MatchModel; two copies, minLen 7 and 5)
function matchFind(tbl: usize, minLen: i32, ptrIn: i64, lenIn: i32): i64 {
  // returns the new (ptr << 16 | len), both sides of MatchModel.byteUpdate
  let ptr = ptrIn;
  let len = lenIn;
  if (len > 0) {
    if (ld8(HIST, <i32>ptr & ringMask) === ld8(HIST, <i32>(pos - 1) & ringMask)) {
      ptr++;
      if (len < 65535) len++;
    } else len = 0;
  }
  if (pos < minLen) return (ptr << 16) | len;
  let h: i32 = 0;
  for (let j = 1; j <= minLen; j++) h = (h ^ ld8(HIST, <i32>(pos - j) & ringMask)) * 0x2c9277b5 + j;
  const s = <i32>(<u32>h >> (32 - mBits));
  if (len === 0) {
    const cand = <u32>ld32(tbl, s);
    if (cand > 0) {
      const ca: i64 = pos - <i64>(<u32>(<u32>pos - cand));
      let l = 0;
      while (l < 400 && ca - l - 1 >= 0 && pos - (ca - l - 1) <= <i64>ringMask + 1 && ld8(HIST, <i32>(ca - l - 1) & ringMask) === ld8(HIST, <i32>(pos - l - 1) & ringMask)) l++;
      if (l >= minLen) {
        len = l;
        ptr = ca;
      }
    }
  }
  st32(tbl, s, <i32>pos);
  return (ptr << 16) | len;
}

function matchByte1(): void {
  const r = matchFind(M1T, 7, m1ptr, m1len);
  m1ptr = r >> 16;
  m1len = <i32>(r & 0xffff);
  if (m1len > 0) m1pred = ld8(HIST, <i32>m1ptr & ringMask) | 256;
}
function matchByte2(): void {
  const r = matchFind(M2T, 5, m2ptr, m2len);
  m2ptr = r >> 16;
  m2len = <i32>(r & 0xffff);
  if (m2len > 0) m2pred = ld8(HIST, <i32>m2ptr & ringMask) | 256;
}

@inline function lenQ(l: i32): i32 {
  return l < 16 ? l : l < 32 ? 16 + ((l - 16) >> 2) : l < 64 ? 20 + ((l - 32) >> 3) : l < 512 ? 24 + ((l - 64) >> 6) : 31;
}
@inline function strength(l: i32, e: i32): i32 {
  return l === 0 ? 0 : (e ? 1 : -1) * (l < 32 ? l * 32 : 1024);
}

// ---- one bit
function predict(): i32 {
  const cc = c0;
  const c1 = c4 & 255;
  st32(ST, 0, stretchP(ld16(P0, cc)));
  st32(ST, 1, stretchP(ld16(P1, (c1 << 8) | cc)));
  for (let i = 0; i < N; i++) {
    const v = ld32(TAB, ld32(slot, i));
    st32(ST, 2 + i, ld16(STRETCH, ((v & 0xffff) ^ 0x8000) >> 4));
    const n = (v >>> 16) & 255;
    const hs = i * 512 + (<i32>(<u32>v >> 24)) + 128 * (n < 2 ? n : n < 8 ? 2 : 3);
    st32(hslot, i, hs);
    st32(ST, I_HIST + i, stretchP(ld16(HP, hs)));
  }
  // match 1
  if (m1len > 0 && m1pred >> (8 - bitPos) !== cc) m1len = 0;
  if (m1len === 0) {
    m1slot = 0;
    st32(ST, I_MATCH, 0);
  } else {
    m1exp = (m1pred >> (7 - bitPos)) & 1;
    m1slot = lenQ(m1len) * 2 + m1exp;
    st32(ST, I_MATCH, stretchP(ld16(M1P, m1slot)));
  }
  st32(ST, I_MATCH + 1, strength(m1len, m1exp));
  st32(ST, I_MATCH + 2, 256);
  if (m2len > 0 && m2pred >> (8 - bitPos) !== cc) m2len = 0;
  if (m2len === 0) {
    m2slot = 0;
    st32(ST, I_MATCH2, 0);
  } else {
    m2exp = (m2pred >> (7 - bitPos)) & 1;
    m2slot = lenQ(m2len) * 2 + m2exp;
    st32(ST, I_MATCH2, stretchP(ld16(M2P, m2slot)));
  }
  st32(ST, I_MATCH2 + 1, strength(m2len, m2exp));
  mix(cc, c1);
  return refine(cc, c1);
}

function lenClass(): i32 {
  return m1len === 0 ? 0 : m1len < 16 ? 1 : m1len < 32 ? 2 : 3;
}

@inline function clampDot(dot: i64): i32 {
  let d = <i32>(dot >> 16);
  return d < -2047 ? -2047 : d > 2047 ? 2047 : d;
}

/** Weight set `set` of a lazily started mixer gets its start weights (6000 each). */
function startRow(flags: usize, w: usize, set: i32): void {
  const v = i32x4.splat(6000);
  const row = w + ((<usize>set * NW) << 2);
  for (let i = 0; i < NW; i += 4) v128.store(row + (<usize>i << 2), v);
  st8(flags, set, 1);
}

/** Two float64 lanes of Σ x·w over one weight row (exact: every product < 2⁴², every sum < 2⁵³). */
@inline function rowDot(w: usize): v128 {
  let acc = f64x2.splat(0);
  for (let i = 0; i < NW; i += 4) {
    const w4 = v128.load(w + (<usize>i << 2));
    const wl = f64x2.convert_low_i32x4_s(w4);
    const wh = f64x2.convert_low_i32x4_s(i32x4.shuffle(w4, w4, 2, 3, 0, 1));
    acc = f64x2.add(acc, f64x2.add(f64x2.mul(v128.load(STF + (<usize>i << 3)), wl), f64x2.mul(v128.load(STF + (<usize>i << 3) + 16), wh)));
  }
  return acc;
}
@inline function lanesSum(v: v128): i64 {
  return <i64>(f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1));
}

/** The four mixers on the shared inputs, then the final mixer (cm2.ts: mix3, mD and mF). */
function mix(cc: i32, c1: i32): void {
  const kn = known < 7 ? known : 7;
  baseA = ((lenClass() * 8 + kn) * 8 + bitPos) * NW;
  baseB = cc * NW;
  const sc = (c1 << 8) | cc;
  const sd = c4 & 0xffff;
  if (ld8(WCF, sc) === 0) startRow(WCF, WC, sc);
  if (ld8(WDF, sd) === 0) startRow(WDF, WD, sd);
  baseC = sc * NW;
  baseD = sd * NW;
  for (let i = 0; i < NW; i++) store<f64>(STF + (<usize>i << 3), <f64>ld32(ST, i));
  const da = lanesSum(rowDot(WA + (<usize>baseA << 2)));
  const db = lanesSum(rowDot(WB + (<usize>baseB << 2)));
  const dc = lanesSum(rowDot(WC + (<usize>baseC << 2)));
  const dd = lanesSum(rowDot(WD + (<usize>baseD << 2)));
  dotA = clampDot(da);
  prA = squash(dotA);
  dotB = clampDot(db);
  prB = squash(dotB);
  dotC = clampDot(dc);
  prC = squash(dotC);
  dotD = clampDot(dd);
  prD = squash(dotD);
  baseF = cc * 5;
  const df: i64 =
    <i64>dotA * ld32(WF, baseF) + <i64>dotB * ld32(WF, baseF + 1) + <i64>dotC * ld32(WF, baseF + 2) + <i64>dotD * ld32(WF, baseF + 3) + <i64>256 * ld32(WF, baseF + 4);
  prF = squash(clampDot(df));
  prMix = prF;
}

function apm(t: usize, p12: i32, cx: i32, which: i32): i32 {
  if (which !== 3) {
    const flags = which === 1 ? A1F : A2F;
    if (ld8(flags, cx) === 0) {
      memory.copy(t + (<usize>cx * 66), APMT, 66);
      st8(flags, cx, 1);
    }
  }
  const s = stretch(p12) + 2048;
  const wt = s & 127;
  const idx = cx * 33 + (s >> 7);
  if (which === 1) {
    a1i = idx;
    a1w = wt;
  } else if (which === 2) {
    a2i = idx;
    a2w = wt;
  } else {
    a3i = idx;
    a3w = wt;
  }
  return (ldu16(t, idx) * (128 - wt) + ldu16(t, idx + 1) * wt) >> 7;
}
@inline function apmUpdate(t: usize, idx: i32, wt: i32, bit: i32): void {
  const g = bit ? 65535 : 0;
  const j = wt < 64 ? idx : idx + 1;
  const v = ldu16(t, j);
  stu16(t, j, v + ((g - v) >> 7));
}

function refine(cc: i32, c1: i32): i32 {
  const pr = prMix;
  const xa = apm(A1, pr, cc | (c1 << 8), 1);
  const xb = apm(A2, pr, (<i32>(<u32>hash2(c4 & 0xffff, cc) >> 16)) & 0xffff, 2);
  const ml = m1len;
  const mq = ml === 0 ? 0 : (ml < 16 ? ml : 16 + min(15, (ml - 16) >> 2)) * 2 + m1exp;
  let p = (pr * 16 + xa * 2 + xb * 3 + apm(A3, pr, (mq << 8) | cc, 3) * 2 + 4) >> 3;
  if (p < 1) p = 1;
  else if (p > 65535) p = 65535;
  return p;
}

function update(bit: i32): void {
  // the mixers with more weight sets see each set less often: larger steps (1, 3, 4, 4 × lr)
  const ea = (((bit << 12) - prA) * lr) >> 4;
  const eb = (((bit << 12) - prB) * (lr * 3)) >> 4;
  const ec = (((bit << 12) - prC) * (lr * 4)) >> 4;
  const ed = (((bit << 12) - prD) * (lr * 4)) >> 4;
  const ra = i32x4.splat(32768);
  const va = i32x4.splat(ea);
  const vb = i32x4.splat(eb);
  const vc = i32x4.splat(ec);
  const vd = i32x4.splat(ed);
  for (let i = 0; i < NW; i += 4) {
    const x = v128.load(ST + (<usize>i << 2));
    const pa = WA + (<usize>(baseA + i) << 2);
    const pb = WB + (<usize>(baseB + i) << 2);
    const pc = WC + (<usize>(baseC + i) << 2);
    const pd = WD + (<usize>(baseD + i) << 2);
    // w += (x·err + 32768) >> 16, lane by lane in 32-bit integers as the scalar reference
    v128.store(pa, i32x4.add(v128.load(pa), i32x4.shr_s(i32x4.add(i32x4.mul(x, va), ra), 16)));
    v128.store(pb, i32x4.add(v128.load(pb), i32x4.shr_s(i32x4.add(i32x4.mul(x, vb), ra), 16)));
    v128.store(pc, i32x4.add(v128.load(pc), i32x4.shr_s(i32x4.add(i32x4.mul(x, vc), ra), 16)));
    v128.store(pd, i32x4.add(v128.load(pd), i32x4.shr_s(i32x4.add(i32x4.mul(x, vd), ra), 16)));
  }
  const ef = (((bit << 12) - prF) * (lr >> 1)) >> 4;
  st32(WF, baseF, ld32(WF, baseF) + ((dotA * ef + 32768) >> 16));
  st32(WF, baseF + 1, ld32(WF, baseF + 1) + ((dotB * ef + 32768) >> 16));
  st32(WF, baseF + 2, ld32(WF, baseF + 2) + ((dotC * ef + 32768) >> 16));
  st32(WF, baseF + 3, ld32(WF, baseF + 3) + ((dotD * ef + 32768) >> 16));
  st32(WF, baseF + 4, ld32(WF, baseF + 4) + ((256 * ef + 32768) >> 16));
  apmUpdate(A1, a1i, a1w, bit);
  apmUpdate(A2, a2i, a2w, bit);
  apmUpdate(A3, a3i, a3w, bit);
  const cc = c0;
  adapt(P0, N0, cc, bit, 255);
  adapt(P1, N1, ((c4 & 255) << 8) | cc, bit, 255);
  updateSlots(bit);
  if (m1len > 0) {
    adapt(M1P, M1P + 256, m1slot, bit, 255);
    if (bit !== m1exp) m1len = 0;
  }
  if (m2len > 0) {
    adapt(M2P, M2P + 256, m2slot, bit, 255);
    if (bit !== m2exp) m2len = 0;
  }
  c0 = (cc << 1) | bit;
  nib = (nib << 1) | bit;
  bitPos++;
  if (bitPos === 8) {
    byteDone(c0 & 255);
    nib = 1;
    nibbleUpdate();
  } else if (bitPos === 4) {
    nib = 1;
    nibbleUpdate();
  }
  bitContexts();
  // the next bit's APM rows (order 1, hashed order 2) and mixer rows: start their cache misses now
  const r1 = (c0 | ((c4 & 255) << 8)) * 33;
  const r2 = ((<i32>(<u32>hash2(c4 & 0xffff, c0) >> 16)) & 0xffff) * 33;
  const rc = ((c4 & 255) << 8 | c0) * NW;
  sink += ldu16(A1, r1) + ldu16(A1, r1 + 32) + ldu16(A2, r2) + ldu16(A2, r2 + 32) + ld32(WC, rc) + ld32(WC, rc + 16) + ld32(WC, rc + 27);
  if (bitPos === 0) {
    const rd = (c4 & 0xffff) * NW;
    sink += ld32(WD, rd) + ld32(WD, rd + 16) + ld32(WD, rd + 27);
  }
}

function updateSlots(bit: i32): void {
  const lim = limit;
  for (let i = 0; i < N; i++) {
    const j = ld32(slot, i);
    const v = ld32(TAB, j);
    const p = (v & 0xffff) ^ 0x8000;
    const n = (v >>> 16) & 255;
    const target: i64 = bit ? 65535 : 0;
    const np = p + <i32>(((target - p) * <i64>ld32(RATE, n)) / 65536);
    const h0 = <i32>(<u32>v >> 24);
    let x = ((h0 === 0 ? 1 : h0) << 1) | bit;
    if (x >= 128) x = (x & 63) | 64;
    st32(TAB, j, ((np ^ 0x8000) & 0xffff) | ((n < lim ? n + 1 : n) << 16) | (x << 24));
    adapt(HP, HN, ld32(hslot, i), bit, 255);
  }
}

function byteDone(c: i32): void {
  st8(HIST, <i32>pos & ringMask, c);
  pos++;
  c4 = (c4 << 8) | c;
  if (c === 10) {
    prevLineStart = lineStart;
    lineStart = pos;
  }
  c0 = 1;
  bitPos = 0;
  const lower = c >= 65 && c <= 90 ? c + 32 : c;
  if (lower >= 97 && lower <= 122) word = (word ^ lower) * 0x01000193 + 1;
  else if (word !== 0) {
    prevWord = word;
    word = 0;
  }
  if (c < 0x80 || c >= 0xc0) {
    if (cpPartial !== 0) {
      cp2 = cp1;
      cp1 = cpPartial;
    }
    cpPartial = c < 0x80 ? 0 : c;
    if (c < 0x80) {
      cp2 = cp1;
      cp1 = c;
    }
  } else if (cpPartial !== 0) cpPartial = (cpPartial << 8) | c;
  byteUpdate();
}

// ---- the coder (rangecoder.ts)
@inline function put(b: u32): void {
  store<u8>(IO_OUT + <usize>outN, <u8>b);
  outN++;
}

/** Code n bytes from ioIn, appending to ioOut; returns the bytes in ioOut (the host takes them and calls taken()). */
export function encode(n: i32): i32 {
  for (let i = 0; i < n; i++) {
    const c = ld8(IO_IN, i);
    for (let b = 7; b >= 0; b--) {
      const bit = (c >> b) & 1;
      const p = predict();
      const xmid = x1 + <u32>((<u64>(x2 - x1) * <u64>p) >> 16);
      if (bit) x2 = xmid;
      else x1 = xmid + 1;
      while (((x1 ^ x2) & 0xff000000) === 0) {
        put(x2 >> 24);
        x1 = x1 << 8;
        x2 = (x2 << 8) | 255;
      }
      update(bit);
    }
  }
  return outN;
}
export function taken(): void {
  outN = 0;
}

/** End the coded stream: x1's four bytes; the next encode starts a fresh coder. Returns the bytes in ioOut. */
export function flush(): i32 {
  for (let i = 0; i < 4; i++) {
    put(x1 >> 24);
    x1 = x1 << 8;
  }
  x1 = 0;
  x2 = 0xffffffff;
  return outN;
}

/** Learn n bytes from ioIn without coding (a dictionary, a stored block). */
export function learn(n: i32): void {
  for (let i = 0; i < n; i++) {
    const c = ld8(IO_IN, i);
    for (let b = 7; b >= 0; b--) {
      predict();
      update((c >> b) & 1);
    }
  }
}

@inline function nextIn(): u32 {
  if (inPos < inLen) return ld8(IO_IN, inPos++);
  overread++;
  return 0;
}

/** Start decoding the len coded bytes the host put at ioIn(len). */
export function beginDecode(len: i32): void {
  inLen = len;
  inPos = 0;
  overread = 0;
  x1 = 0;
  x2 = 0xffffffff;
  xd = 0;
  for (let i = 0; i < 4; i++) xd = (xd << 8) | nextIn();
}

/** Decode n bytes into ioOut (from its start). */
export function decode(n: i32): void {
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let b = 0; b < 8; b++) {
      const p = predict();
      const xmid = x1 + <u32>((<u64>(x2 - x1) * <u64>p) >> 16);
      let bit = 0;
      if (xd <= xmid) {
        bit = 1;
        x2 = xmid;
      } else x1 = xmid + 1;
      while (((x1 ^ x2) & 0xff000000) === 0) {
        x1 = x1 << 8;
        x2 = (x2 << 8) | 255;
        xd = (xd << 8) | nextIn();
      }
      update(bit);
      c = (c << 1) | bit;
    }
    st8(IO_OUT, i, c);
  }
}

/** Coded bytes read past the end of the block so far (a damaged block; 0 when well formed). */
export function readPast(): i32 {
  return overread;
}

/** After the block's last byte: 1 iff the stream ended exactly as the encoder wrote it (RangeDecoder.exact). */
export function endDecode(): i32 {
  const ok = overread === 0 && inPos === inLen && xd === x1;
  x1 = 0;
  x2 = 0xffffffff;
  return ok ? 1 : 0;
}

/** The mixer output before the APM stages and the bytes seen (for tests). */
export function mixerP(): i32 {
  return prMix;
}
export function bytesSeen(): i64 {
  return pos;
}
