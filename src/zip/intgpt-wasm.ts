/**
 * The kernels of the fast `fivelens zip --model` GPT (intgpt.ts): WebAssembly SIMD functions,
 * assembled here byte by byte (no toolchain, nothing downloaded), on one linear memory.
 *
 * 1. The integer matrix product  out[r, n] = Σ_k x[r, k] · w[k, n],  x int16 [R, K], w int8 [K, N],
 *    out int32 [R, N].
 *    WebAssembly integer arithmetic is exact and fully specified (two's complement, no rounding), so
 *    it gives the same 32-bit sums on every engine, CPU and SIMD width: no summation-order or FMA
 *    question at all. The caller keeps |x| ≤ xMax(K) and |w| ≤ 127, so no partial sum can leave the
 *    int32 range (K·xMax·127 < 2³¹); the result equals the plain integer product in JavaScript
 *    ({@link matmulRef}), which the tests check, also at the bounds.
 *    Layout ({@link packWeights}): N padded to a multiple of 16, K to a multiple of 2; for each group g
 *    of 16 output columns and each pair p of input rows, 32 int8 ({@link W8}): [w[2p, n], w[2p+1, n]]
 *    for n = 16g … 16g+15. The inner step broadcasts x[r, 2p], x[r, 2p+1] as one 32-bit lane
 *    (v128.load32_splat), loads 4 × 8 weights sign-extended to int16 (v128.load8x8_s) and adds
 *    i32x4.dot_i16x8_s — x[r,2p]·w[2p,n] +
 *    x[r,2p+1]·w[2p+1,n] for four n at once — into 4 (one row) or 8 (two rows) accumulators.
 * 2. Float64 glue, each with exactly the operations, in the same order, as the plain JavaScript path
 *    of intgpt.ts (so the same doubles): per-row int16 quantization, dequantization, LayerNorm, GELU by
 *    table, residual adds, and one attention head (scores, softmax by table exp, weighted sum).
 *    WebAssembly f64 arithmetic is IEEE-754 binary64 with round-to-nearest and no fused multiply–add
 *    (the spec forbids contracting mul+add), like JavaScript's, so float64 lanes of f64x2 are as
 *    deterministic as scalar JS; only the order of additions matters, and it is fixed here.
 *    (NaN bit patterns may differ between engines; no NaN arises from a finite checkpoint.)
 */

// ---- a minimal WebAssembly binary writer (just what the kernel needs)
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}
const str = (s: string) => [...uleb(s.length), ...Array.from(new TextEncoder().encode(s))];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];

const I32 = 0x7f;
const V128 = 0x7b;
// instructions
const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const tee = (i: number) => [0x22, ...uleb(i)];
const i32c = (v: number) => [0x41, ...sleb(v)];
const I32_ADD = [0x6a];
const I32_MUL = [0x6c];
const I32_SHL = [0x74];
const I32_LT_U = [0x49];
const I32_NE = [0x47];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = [0x0b];
const BR_IF = (l: number) => [0x0d, ...uleb(l)];
const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
const memarg = (align: number, offset: number) => [...uleb(align), ...uleb(offset)];
const V_LOAD8X8_S = (off: number) => simd(0x01, ...memarg(3, off));
const V_LOAD32_SPLAT = (off: number) => simd(0x09, ...memarg(2, off));
const V_STORE = (off: number) => simd(0x0b, ...memarg(0, off));
const V_ZERO = simd(0x0c, ...new Array<number>(16).fill(0));
const I32X4_ADD = simd(0xae);
const I32X4_DOT = simd(0xba);
const V_LOAD = (off: number) => simd(0x00, ...memarg(4, off));
const V_LOAD64_SPLAT = (off: number) => simd(0x0a, ...memarg(3, off));
const F64X2_ADD = simd(0xf0);
const F64X2_MUL = simd(0xf2);
const F64X2_LANE = (l: number) => simd(0x21, l);
const F64_ADD = [0xa0];
const F64_STORE = (off: number) => [0x39, ...memarg(3, off)];

/**
 * scores(q, k, n, D, stride, out): out[s] = q · k_s for s < n, k_s at k + s·stride, D doubles (D % 4 = 0).
 * Lanes: acc0 = (Σ_{i≡0}, Σ_{i≡1}), acc1 = (Σ_{i≡2}, Σ_{i≡3}) (mod 4), each in increasing i; the result
 * is (Σ0 + Σ2) + (Σ1 + Σ3). Wasm f64 arithmetic is IEEE-754 round-to-nearest with no fused
 * multiply–add, so this is the same double on every machine ({@link scoresRef} computes it in JS).
 */
function scoresBody(): number[] {
  const [Q, Kk, Nn, D, STR, OUT] = [0, 1, 2, 3, 4, 5];
  const [QI, KI, QEND, KP, OP, SEND] = [6, 7, 8, 9, 10, 11];
  const [A0, A1, T] = [12, 13, 14];
  const b: number[] = [];
  const e = (...xs: number[][]) => xs.forEach((x) => b.push(...x));
  e(get(Kk), set(KP), get(OUT), set(OP), get(OUT), get(Nn), i32c(3), I32_SHL, I32_ADD, set(SEND));
  e(get(Q), get(D), i32c(3), I32_SHL, I32_ADD, set(QEND));
  e(BLOCK, LOOP);
  {
    e(get(OP), get(SEND), I32_LT_U, [0x45], BR_IF(1));
    e(V_ZERO, set(A0), V_ZERO, set(A1), get(Q), set(QI), get(KP), set(KI));
    e(BLOCK, LOOP);
    {
      e(get(A0), get(QI), V_LOAD(0), get(KI), V_LOAD(0), F64X2_MUL, F64X2_ADD, set(A0));
      e(get(A1), get(QI), V_LOAD(16), get(KI), V_LOAD(16), F64X2_MUL, F64X2_ADD, set(A1));
      e(get(KI), i32c(32), I32_ADD, set(KI), get(QI), i32c(32), I32_ADD, tee(QI), get(QEND), I32_NE, BR_IF(0));
    }
    e(END, END);
    e(get(A0), get(A1), F64X2_ADD, set(T), get(OP), get(T), F64X2_LANE(0), get(T), F64X2_LANE(1), F64_ADD, F64_STORE(0));
    e(get(KP), get(STR), I32_ADD, set(KP), get(OP), i32c(8), I32_ADD, set(OP), [0x0c, 0]);
  }
  e(END, END, END);
  return [...vec([
    [...uleb(6), I32],
    [...uleb(3), V128],
  ]), ...b];
}

/**
 * wsum(p, v, n, D, stride, out): out[i] = Σ_{s<n} p[s]·v_s[i] (s increasing), v_s at v + s·stride,
 * D doubles (D % 8 = 0), n ≥ 1. Each element is summed in its own lane in the order of s, exactly as
 * the plain loop in JS.
 */
function wsumBody(): number[] {
  const [P, Vv, Nn, D, STR, OUT] = [0, 1, 2, 3, 4, 5];
  const [CB, CEND, VP, PP, PEND] = [6, 7, 8, 9, 10];
  const A = (j: number) => 11 + j;
  const E = 15;
  const b: number[] = [];
  const e = (...xs: number[][]) => xs.forEach((x) => b.push(...x));
  e(i32c(0), set(CB), get(D), i32c(3), I32_SHL, set(CEND), get(P), get(Nn), i32c(3), I32_SHL, I32_ADD, set(PEND));
  e(BLOCK, LOOP);
  {
    e(get(CB), get(CEND), I32_LT_U, [0x45], BR_IF(1));
    for (let j = 0; j < 4; j++) e(V_ZERO, set(A(j)));
    e(get(Vv), get(CB), I32_ADD, set(VP), get(P), set(PP));
    e(BLOCK, LOOP);
    {
      e(get(PP), V_LOAD64_SPLAT(0), set(E));
      for (let j = 0; j < 4; j++) e(get(A(j)), get(E), get(VP), V_LOAD(16 * j), F64X2_MUL, F64X2_ADD, set(A(j)));
      e(get(VP), get(STR), I32_ADD, set(VP), get(PP), i32c(8), I32_ADD, tee(PP), get(PEND), I32_NE, BR_IF(0));
    }
    e(END, END);
    for (let j = 0; j < 4; j++) e(get(OUT), get(CB), I32_ADD, get(A(j)), V_STORE(16 * j));
    e(get(CB), i32c(64), I32_ADD, set(CB), [0x0c, 0]);
  }
  e(END, END, END);
  return [...vec([
    [...uleb(5), I32],
    [...uleb(5), V128],
  ]), ...b];
}

const F64 = 0x7c;
const f64c = (v: number) => [0x44, ...Array.from(new Uint8Array(new Float64Array([v]).buffer))];
const F64_LOAD = (off: number) => [0x2b, ...memarg(3, off)];
const I32_LOAD = (off: number) => [0x28, ...memarg(2, off)];
const I32_STORE16 = (off: number) => [0x3b, ...memarg(1, off)];
const F64_ABS = [0x99];
const F64_GT = [0x64];
const F64_MUL = [0xa2];
const F64_DIV = [0xa3];
const F64_CONVERT_I32_S = [0xb7];
const I32_TRUNC_SAT_F64_S = [0xfc, 0x02];
const SELECT = [0x1b];
const I32_SUB = [0x6b];
const IF = [0x04, 0x40];
const ELSE = [0x05];
const I32_GE_U = [0x4f];

type Emit = (e: (...xs: number[][]) => void) => void;

/**
 * The row loop of every quantization kernel (src, K, R, x, Kp, xMax, inv): per row r of src (f64 [R, K]),
 * SP, SEND = the row's start and end, XP, XEND = its int16 row in x (Kp wide); `max` leaves m = max |v|
 * in M; if m > 0: S = xMax / m, inv[r] = m / xMax, and `quant` writes the int16 values from SP to XP
 * (advancing both); else inv[r] = 0; then zeros up to XEND (the whole row when m = 0, else the padding).
 * Locals: i32 7 RR, 8 SP, 9 SEND, 10 XP, 11 XEND; f64 12 M, 13 S, 14 A; `nV128` v128 from 15.
 */
const Q = { SRC: 0, K: 1, R: 2, X: 3, KP: 4, XMAX: 5, INV: 6, RR: 7, SP: 8, SEND: 9, XP: 10, XEND: 11, M: 12, S: 13, A: 14, V: 15 } as const;
function quantFrame(nV128: number, parts: { init?: Emit; max: Emit; quant: Emit }): number[] {
  const { SRC, K, R, X, KP, XMAX, INV, RR, SP, SEND, XP, XEND, M, S } = Q;
  const b: number[] = [];
  const e = (...xs: number[][]) => xs.forEach((x) => b.push(...x));
  const rowStart = () => e(get(SRC), get(RR), get(K), I32_MUL, i32c(3), I32_SHL, I32_ADD, set(SP));
  parts.init?.(e);
  e(i32c(0), set(RR));
  e(BLOCK, LOOP);
  {
    e(get(RR), get(R), I32_LT_U, [0x45], BR_IF(1));
    rowStart();
    e(get(SP), get(K), i32c(3), I32_SHL, I32_ADD, set(SEND));
    e(get(X), get(RR), get(KP), I32_MUL, i32c(1), I32_SHL, I32_ADD, set(XP));
    e(get(XP), get(KP), i32c(1), I32_SHL, I32_ADD, set(XEND));
    parts.max(e);
    rowStart();
    e(get(M), f64c(0), F64_GT, IF);
    {
      e(get(XMAX), get(M), F64_DIV, set(S));
      e(get(INV), get(RR), i32c(3), I32_SHL, I32_ADD, get(M), get(XMAX), F64_DIV, F64_STORE(0));
      parts.quant(e);
    }
    e(ELSE);
    e(get(INV), get(RR), i32c(3), I32_SHL, I32_ADD, f64c(0), F64_STORE(0));
    e(END);
    e(BLOCK, LOOP);
    {
      e(get(XP), get(XEND), I32_GE_U, BR_IF(1));
      e(get(XP), i32c(0), I32_STORE16(0), get(XP), i32c(2), I32_ADD, set(XP), [0x0c, 0]);
    }
    e(END, END);
    e(get(RR), i32c(1), I32_ADD, set(RR), [0x0c, 0]);
  }
  e(END, END, END);
  return [...vec([[...uleb(5), I32], [...uleb(3), F64], ...(nV128 ? [[...uleb(nV128), V128]] : [])]), ...b];
}

/** A loop from SP to SEND, `step` bytes at a time, over `body`. */
const rowLoop = (e: (...xs: number[][]) => void, step: number, body: () => void) => {
  e(BLOCK, LOOP);
  e(get(Q.SP), get(Q.SEND), I32_GE_U, BR_IF(1));
  body();
  e(get(Q.SP), i32c(step), I32_ADD, set(Q.SP), [0x0c, 0]);
  e(END, END);
};

/**
 * quant: m = max |v| (first maximum kept, as `if (a > m) m = a`); x = floor(v·(xMax/m) + ½) as int16
 * (truncating v·s + 32768.5, then − 32768), inv[r] = m / xMax. Same operations, same order as the JS in
 * intgpt.ts (plain path).
 */
function quantBody(): number[] {
  const { SP, XP, M, A, S } = Q;
  return quantFrame(0, {
    max: (e) => {
      e(f64c(0), set(M));
      rowLoop(e, 8, () => e(get(SP), F64_LOAD(0), F64_ABS, tee(A), get(M), get(A), get(M), F64_GT, SELECT, set(M)));
    },
    quant: (e) =>
      rowLoop(e, 8, () => {
        e(get(XP), get(SP), F64_LOAD(0), get(S), F64_MUL, f64c(32768.5), F64_ADD, I32_TRUNC_SAT_F64_S, i32c(32768), I32_SUB, I32_STORE16(0));
        e(get(XP), i32c(2), I32_ADD, set(XP));
      }),
  });
}

/** quant for even K with f64x2 lanes: the same values as {@link quantBody} (max is order-free; the rest is per element). */
function quant2Body(): number[] {
  const { SP, XP, M, S } = Q;
  const [VM, VS, VH, VO] = [Q.V, Q.V + 1, Q.V + 2, Q.V + 3];
  const F64X2_SPLAT = simd(0x14);
  const TRUNC_SAT_ZERO = simd(0xfc);
  const NARROW = simd(0x85);
  const STORE32_LANE0 = simd(0x5a, ...memarg(2, 0), 0);
  return quantFrame(4, {
    init: (e) => e(f64c(32768.5), F64X2_SPLAT, set(VH), i32c(32768), simd(0x11) /* i32x4.splat */, set(VO)),
    max: (e) => {
      e(V_ZERO, set(VM));
      rowLoop(e, 16, () => e(get(SP), V_LOAD(0), simd(0xec) /* f64x2.abs */, get(VM), simd(0xf7) /* f64x2.pmax */, set(VM)));
      // m = max of the two lanes (as `a > m ? a : m`)
      e(get(VM), F64X2_LANE(1), get(VM), F64X2_LANE(0), get(VM), F64X2_LANE(1), get(VM), F64X2_LANE(0), F64_GT, SELECT, set(M));
    },
    quant: (e) => {
      e(get(S), F64X2_SPLAT, set(VS));
      rowLoop(e, 16, () => {
        e(get(XP), get(SP), V_LOAD(0), get(VS), F64X2_MUL, get(VH), F64X2_ADD, TRUNC_SAT_ZERO, get(VO), simd(0xb1) /* i32x4.sub */);
        e(tee(VM), get(VM), NARROW, STORE32_LANE0);
        e(get(XP), i32c(4), I32_ADD, set(XP));
      });
    },
  });
}

/**
 * quant8: {@link quantBody} for K % 8 = 0, the same int16 values: the maximum of |v| is order-free (four
 * f64x2 running maxima); each element is rounded as floor(v·s + 32768.5) − 32768, the very double
 * v·s + 32768.5 of the scalar code (positive, so its truncation is its floor), floored by f64x2.floor and
 * turned into an integer by adding 1.5·2⁵² − 32768: the sum is an exact integer whose low 16 bits are the
 * two's-complement int16 result (no float→int conversion).
 */
function quant8Body(): number[] {
  const { SP, XP, M, S } = Q;
  const [M0, M1, M2, M3, VS, VH, VM, T] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => Q.V + i) as [number, number, number, number, number, number, number, number];
  const F64X2_SPLAT = simd(0x14);
  const F64X2_PMAX = simd(0xf7);
  const F64X2_FLOOR = simd(0x75);
  // bytes 0–1 of lane 0 and 8–9 (the low 16 bits of each f64's pattern) of a and b → 4 int16 in the low 8 bytes
  const PACK4 = [0xfd, 0x0d, 0, 1, 8, 9, 16, 17, 24, 25, 0, 0, 0, 0, 0, 0, 0, 0];
  const STORE64_LANE = (byteOff: number) => simd(0x5b, ...memarg(3, byteOff), 0);
  return quantFrame(8, {
    init: (e) => e(f64c(32768.5), F64X2_SPLAT, set(VH), f64c(1.5 * 2 ** 52 - 32768), F64X2_SPLAT, set(VM)),
    max: (e) => {
      e(V_ZERO, set(M0), V_ZERO, set(M1), V_ZERO, set(M2), V_ZERO, set(M3));
      rowLoop(e, 64, () => [M0, M1, M2, M3].forEach((Mj, j) => e(get(SP), V_LOAD(16 * j), simd(0xec) /* f64x2.abs */, get(Mj), F64X2_PMAX, set(Mj))));
      e(get(M0), get(M1), F64X2_PMAX, get(M2), get(M3), F64X2_PMAX, F64X2_PMAX, tee(T));
      e(F64X2_LANE(1), get(T), F64X2_LANE(0), get(T), F64X2_LANE(1), get(T), F64X2_LANE(0), F64_GT, SELECT, set(M));
    },
    quant: (e) => {
      e(get(S), F64X2_SPLAT, set(VS));
      rowLoop(e, 64, () => {
        for (const o of [0, 32]) {
          e(get(XP));
          e(get(SP), V_LOAD(o), get(VS), F64X2_MUL, get(VH), F64X2_ADD, F64X2_FLOOR, get(VM), F64X2_ADD);
          e(get(SP), V_LOAD(o + 16), get(VS), F64X2_MUL, get(VH), F64X2_ADD, F64X2_FLOOR, get(VM), F64X2_ADD);
          e(PACK4, STORE64_LANE(o / 4));
        }
        e(get(XP), i32c(16), I32_ADD, set(XP));
      });
    },
  });
}

/**
 * gelu(x, n, tab, lim, step): x[i] ← GELU by the float32 table at `tab` (entries for −lim + j/step),
 * in place, with exactly the operations of intgpt.ts `geluTab` (x ≥ lim → x, x ≤ −lim → 0, else linear
 * interpolation in float64 between the two neighbouring entries).
 */
function geluBody(): number[] {
  const [X, N, TAB, LIM, STEP] = [0, 1, 2, 3, 4];
  const [XP, XEND, I, TP] = [5, 6, 7, 8];
  const [V, Y, T0] = [9, 10, 11];
  const b: number[] = [];
  const e = (...xs: number[][]) => xs.forEach((x) => b.push(...x));
  const F64_GE = [0x66];
  const F64_LE = [0x65];
  const F64_NEG = [0x9a];
  const F64_SUB = [0xa1];
  const F32_LOAD = (off: number) => [0x2a, ...memarg(2, off)];
  const F64_PROMOTE = [0xbb];
  e(get(X), tee(XP), get(N), i32c(3), I32_SHL, I32_ADD, set(XEND));
  e(BLOCK, LOOP);
  {
    e(get(XP), get(XEND), I32_GE_U, BR_IF(1));
    e(get(XP), F64_LOAD(0), tee(V), get(LIM), F64_GE, IF);
    e(ELSE);
    {
      e(get(V), get(LIM), F64_NEG, F64_LE, IF);
      e(get(XP), f64c(0), F64_STORE(0));
      e(ELSE);
      {
        // y = (v + lim)·step; i = trunc(y) (y ≥ 0); f = y − i
        e(get(V), get(LIM), F64_ADD, get(STEP), F64_MUL, tee(Y), I32_TRUNC_SAT_F64_S, set(I));
        e(get(TAB), get(I), i32c(2), I32_SHL, I32_ADD, tee(TP), F32_LOAD(0), F64_PROMOTE, set(T0));
        e(get(XP), get(T0), get(TP), F32_LOAD(4), F64_PROMOTE, get(T0), F64_SUB, get(Y), get(I), F64_CONVERT_I32_S, F64_SUB, F64_MUL, F64_ADD, F64_STORE(0));
      }
      e(END);
    }
    e(END);
    e(get(XP), i32c(8), I32_ADD, set(XP), [0x0c, 0]);
  }
  e(END, END, END);
  return [...vec([
    [...uleb(4), I32],
    [...uleb(3), F64],
  ]), ...b];
}

/**
 * gelu2(x, n, pairs, lim, step): {@link geluBody} two elements at a time (n even) on a table of float64
 * pairs (t_j, t_(j+1) − t_j) built from the same float32 table ({@link geluPairs}): every element gets
 * the same operations, so the same doubles — clamping to [−lim, lim] leaves every in-range x unchanged,
 * so y = (x + lim)·step, i = trunc y, f = y − i and t0 + (t1 − t0)·f are those of the scalar code (the
 * difference t1 − t0 is the same double whether taken here or when the table is built). One 16-byte
 * read per element gathers the pair; lanes with x ≥ lim (→ x) or x ≤ −lim (→ 0) are selected at the end.
 */
function gelu2Body(): number[] {
  const [X, N, TAB, LIM, STEP] = [0, 1, 2, 3, 4];
  const [XP, XEND] = [5, 6];
  const [V, Y, PA, PB, VL, VNL, VS, IV] = [7, 8, 9, 10, 11, 12, 13, 14];
  const b: number[] = [];
  const e = (...xs: number[][]) => xs.forEach((x) => b.push(...x));
  const F64X2_SPLAT = simd(0x14);
  const F64X2_PMIN = simd(0xf6);
  const F64X2_PMAX = simd(0xf7);
  const F64X2_GE = simd(0x4c);
  const F64X2_LE = simd(0x4b);
  const BITSELECT = simd(0x52);
  const TRUNC_SAT_ZERO = simd(0xfc);
  const CONVERT_LOW = simd(0xfe);
  const I32X4_LANE = (l: number) => simd(0x1b, l);
  const F64_NEG = [0x9a];
  const seq = (from: number) => Array.from({ length: 8 }, (_, i) => from + i);
  const SHUF_LO = [0xfd, 0x0d, ...seq(0), ...seq(16)]; // (a.lane0, b.lane0)
  const SHUF_HI = [0xfd, 0x0d, ...seq(8), ...seq(24)]; // (a.lane1, b.lane1)
  e(get(LIM), F64X2_SPLAT, set(VL), get(LIM), F64_NEG, F64X2_SPLAT, set(VNL), get(STEP), F64X2_SPLAT, set(VS));
  e(get(X), tee(XP), get(N), i32c(3), I32_SHL, I32_ADD, set(XEND));
  e(BLOCK, LOOP);
  {
    e(get(XP), get(XEND), I32_GE_U, BR_IF(1));
    // y = (clamp(x) + lim)·step, i = trunc y; gather the pairs of both lanes
    e(get(XP), V_LOAD(0), tee(V), get(VL), F64X2_PMIN, get(VNL), F64X2_PMAX, get(VL), F64X2_ADD, get(VS), F64X2_MUL, tee(Y));
    e(TRUNC_SAT_ZERO, set(IV));
    e(get(TAB), get(IV), I32X4_LANE(0), i32c(4), I32_SHL, I32_ADD, V_LOAD(0), set(PA));
    e(get(TAB), get(IV), I32X4_LANE(1), i32c(4), I32_SHL, I32_ADD, V_LOAD(0), set(PB));
    // r = t0 + d·(y − i), then x where x ≥ lim, 0 where x ≤ −lim
    e(get(XP), get(V));
    e(V_ZERO, get(PA), get(PB), SHUF_LO, get(PA), get(PB), SHUF_HI, get(Y), get(IV), CONVERT_LOW, simd(0xf1), F64X2_MUL, F64X2_ADD);
    e(get(V), get(VNL), F64X2_LE, BITSELECT);
    e(get(V), get(VL), F64X2_GE, BITSELECT, V_STORE(0));
    e(get(XP), i32c(16), I32_ADD, set(XP), [0x0c, 0]);
  }
  e(END, END, END);
  return [...vec([
    [...uleb(2), I32],
    [...uleb(8), V128],
  ]), ...b];
}

/** The table of {@link gelu2Body}: (t_j, t_(j+1) − t_j) as float64 pairs, j < t.length − 1 (t: the float32 GELU table). */
export function geluPairs(t: Float32Array): Float64Array {
  const n = t.length - 1;
  const out = new Float64Array(2 * n);
  for (let j = 0; j < n; j++) {
    const t0 = t[j]!;
    out[2 * j] = t0;
    out[2 * j + 1] = t[j + 1]! - t0;
  }
  return out;
}

/** addto(dst, src, n): dst[i] ← dst[i] + src[i] (f64x2; n even) — element-wise, so order-free. */
function addtoBody(): number[] {
  const [DST, SRC, N] = [0, 1, 2];
  const [DP, SP, DEND] = [3, 4, 5];
  const b: number[] = [];
  const e = (...xs: number[][]) => xs.forEach((x) => b.push(...x));
  e(get(DST), tee(DP), get(N), i32c(3), I32_SHL, I32_ADD, set(DEND), get(SRC), set(SP));
  e(BLOCK, LOOP);
  {
    e(get(DP), get(DEND), I32_GE_U, BR_IF(1));
    e(get(DP), get(DP), V_LOAD(0), get(SP), V_LOAD(0), F64X2_ADD, V_STORE(0));
    e(get(DP), i32c(16), I32_ADD, set(DP), get(SP), i32c(16), I32_ADD, set(SP), [0x0c, 0]);
  }
  e(END, END, END);
  return [...vec([[...uleb(3), I32]]), ...b];
}

/**
 * layernorm(src, dst, R, C, w, b): per row, mean = (Σ x, left to right) / C, var = (Σ (x − mean)², left
 * to right) / C, inv = 1 / √(var + 1e-5), y = (x − mean)·inv·w + b — the operations and order of the JS.
 */
function layernormBody(): number[] {
  const [SRC, DST, R, C, W, B] = [0, 1, 2, 3, 4, 5];
  const [RR, SP, SEND, DP, I] = [6, 7, 8, 9, 10];
  const [MEAN, VAR, D, INV, CF] = [11, 12, 13, 14, 15];
  const b: number[] = [];
  const e = (...xs: number[][]) => xs.forEach((x) => b.push(...x));
  const F64_SUB = [0xa1];
  const F64_SQRT = [0x9f];
  e(get(C), F64_CONVERT_I32_S, set(CF), i32c(0), set(RR));
  e(BLOCK, LOOP);
  {
    e(get(RR), get(R), I32_LT_U, [0x45], BR_IF(1));
    e(get(SRC), get(RR), get(C), I32_MUL, i32c(3), I32_SHL, I32_ADD, tee(SP), get(C), i32c(3), I32_SHL, I32_ADD, set(SEND));
    e(f64c(0), set(MEAN));
    e(BLOCK, LOOP);
    {
      e(get(SP), get(SEND), I32_GE_U, BR_IF(1));
      e(get(MEAN), get(SP), F64_LOAD(0), F64_ADD, set(MEAN), get(SP), i32c(8), I32_ADD, set(SP), [0x0c, 0]);
    }
    e(END, END);
    e(get(MEAN), get(CF), F64_DIV, set(MEAN));
    e(get(SRC), get(RR), get(C), I32_MUL, i32c(3), I32_SHL, I32_ADD, set(SP), f64c(0), set(VAR));
    e(BLOCK, LOOP);
    {
      e(get(SP), get(SEND), I32_GE_U, BR_IF(1));
      e(get(SP), F64_LOAD(0), get(MEAN), F64_SUB, tee(D), get(D), F64_MUL, get(VAR), [0xa0], set(VAR));
      e(get(SP), i32c(8), I32_ADD, set(SP), [0x0c, 0]);
    }
    e(END, END);
    e(f64c(1), get(VAR), get(CF), F64_DIV, f64c(1e-5), F64_ADD, F64_SQRT, F64_DIV, set(INV));
    e(get(SRC), get(RR), get(C), I32_MUL, i32c(3), I32_SHL, I32_ADD, set(SP));
    e(get(DST), get(RR), get(C), I32_MUL, i32c(3), I32_SHL, I32_ADD, set(DP), i32c(0), set(I));
    e(BLOCK, LOOP);
    {
      e(get(SP), get(SEND), I32_GE_U, BR_IF(1));
      e(get(DP), get(SP), F64_LOAD(0), get(MEAN), F64_SUB, get(INV), F64_MUL, get(W), get(I), I32_ADD, F64_LOAD(0), F64_MUL);
      e(get(B), get(I), I32_ADD, F64_LOAD(0), F64_ADD, F64_STORE(0));
      e(get(SP), i32c(8), I32_ADD, set(SP), get(DP), i32c(8), I32_ADD, set(DP), get(I), i32c(8), I32_ADD, set(I), [0x0c, 0]);
    }
    e(END, END);
    e(get(RR), i32c(1), I32_ADD, set(RR), [0x0c, 0]);
  }
  e(END, END, END);
  return [...vec([
    [...uleb(5), I32],
    [...uleb(5), F64],
  ]), ...b];
}

/**
 * layernorm8(src, dst, R, C, w, b): LayerNorm of scheme 2, C % 8 = 0: the sums are taken in eight lanes
 * (lane j sums the elements i ≡ j mod 8 in increasing i) and combined as ((s0 + s4) + (s2 + s6)) +
 * ((s1 + s5) + (s3 + s7)) ({@link sum8Ref}) — four f64x2 chains instead of one long chain of adds; mean
 * = Σx / C, var = Σ(x − mean)² / C, inv = 1 / √(var + 1e-5), y = (x − mean)·inv·w + b.
 */
function layernorm8Body(): number[] {
  const [SRC, DST, R, C, W, B] = [0, 1, 2, 3, 4, 5];
  const [RR, SP, SEND, DP, I] = [6, 7, 8, 9, 10];
  const [MEAN, VAR, INV, CF] = [11, 12, 13, 14];
  const [A0, A1, A2, A3, T, VMEAN, VINV] = [15, 16, 17, 18, 19, 20, 21];
  const b: number[] = [];
  const e = (...xs: number[][]) => xs.forEach((x) => b.push(...x));
  const F64_SQRT = [0x9f];
  const F64X2_SPLAT = simd(0x14);
  const F64X2_SUB = simd(0xf1);
  const rowStart = () => e(get(SRC), get(RR), get(C), I32_MUL, i32c(3), I32_SHL, I32_ADD, set(SP));
  // the four lane sums → one double: T = (A0 + A2) + (A1 + A3), then T.0 + T.1
  const combine = () => e(get(A0), get(A2), F64X2_ADD, get(A1), get(A3), F64X2_ADD, F64X2_ADD, tee(T), F64X2_LANE(0), get(T), F64X2_LANE(1), F64_ADD);
  const zero = () => e(V_ZERO, set(A0), V_ZERO, set(A1), V_ZERO, set(A2), V_ZERO, set(A3));
  e(get(C), F64_CONVERT_I32_S, set(CF), i32c(0), set(RR));
  e(BLOCK, LOOP);
  {
    e(get(RR), get(R), I32_LT_U, [0x45], BR_IF(1));
    rowStart();
    e(get(SP), get(C), i32c(3), I32_SHL, I32_ADD, set(SEND));
    zero();
    e(BLOCK, LOOP);
    {
      e(get(SP), get(SEND), I32_GE_U, BR_IF(1));
      for (let j = 0; j < 4; j++) e(get([A0, A1, A2, A3][j]!), get(SP), V_LOAD(16 * j), F64X2_ADD, set([A0, A1, A2, A3][j]!));
      e(get(SP), i32c(64), I32_ADD, set(SP), [0x0c, 0]);
    }
    e(END, END);
    combine();
    e(get(CF), F64_DIV, tee(MEAN), F64X2_SPLAT, set(VMEAN));
    rowStart();
    zero();
    e(BLOCK, LOOP);
    {
      e(get(SP), get(SEND), I32_GE_U, BR_IF(1));
      for (let j = 0; j < 4; j++) {
        const A = [A0, A1, A2, A3][j]!;
        e(get(A), get(SP), V_LOAD(16 * j), get(VMEAN), F64X2_SUB, tee(T), get(T), F64X2_MUL, F64X2_ADD, set(A));
      }
      e(get(SP), i32c(64), I32_ADD, set(SP), [0x0c, 0]);
    }
    e(END, END);
    combine();
    e(set(VAR));
    e(f64c(1), get(VAR), get(CF), F64_DIV, f64c(1e-5), F64_ADD, F64_SQRT, F64_DIV, tee(INV), F64X2_SPLAT, set(VINV));
    rowStart();
    e(get(DST), get(RR), get(C), I32_MUL, i32c(3), I32_SHL, I32_ADD, set(DP), i32c(0), set(I));
    e(BLOCK, LOOP);
    {
      e(get(SP), get(SEND), I32_GE_U, BR_IF(1));
      e(get(DP), get(SP), V_LOAD(0), get(VMEAN), F64X2_SUB, get(VINV), F64X2_MUL, get(W), get(I), I32_ADD, V_LOAD(0), F64X2_MUL);
      e(get(B), get(I), I32_ADD, V_LOAD(0), F64X2_ADD, V_STORE(0));
      e(get(SP), i32c(16), I32_ADD, set(SP), get(DP), i32c(16), I32_ADD, set(DP), get(I), i32c(16), I32_ADD, set(I), [0x0c, 0]);
    }
    e(END, END);
    e(get(RR), i32c(1), I32_ADD, set(RR), [0x0c, 0]);
  }
  e(END, END, END);
  return [...vec([
    [...uleb(5), I32],
    [...uleb(4), F64],
    [...uleb(7), V128],
  ]), ...b];
}

/**
 * Σ x[o + i], i < n, as {@link layernorm8Body} takes it: lane j sums i ≡ j (mod 8) in increasing i, then
 * ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7)). With `sq`, the sum of (x − mean)² instead.
 */
export function sum8Ref(m: Float64Array, o: number, n: number, mean = 0, sq = false): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
  for (let i = 0; i < n; i += 8) {
    const v = (j: number) => {
      if (i + j >= n) return 0;
      if (!sq) return m[o + i + j]!;
      const d = m[o + i + j]! - mean;
      return d * d;
    };
    s0 += v(0); s1 += v(1); s2 += v(2); s3 += v(3); s4 += v(4); s5 += v(5); s6 += v(6); s7 += v(7);
  }
  return (s0 + s4 + (s2 + s6)) + (s1 + s5 + (s3 + s7));
}

/** exp(x) for x ≤ 0 as tables e^(−j) (j < 64) and e^(−m/256) (m < 256) and a degree-4 polynomial. */
export const EXP_STEP = 256;
export const EXP_C6 = 1 / 6;
export const EXP_C24 = 1 / 24;

/** The locals of attnhead: its 11 parameters, then 10 i32, 6 f64, 10 v128, 1 i32 and 4 v128 (declared in attnheadBody). */
const AH = {
  Q: 0, Kk: 1, Vv: 2, Nn: 3, D: 4, STR: 5, OUT: 6, SCALE: 7, SC: 8, TA: 9, TB: 10,
  KP: 11, SP: 12, SEND: 13, QI: 14, KI: 15, QEND: 16, I: 17, VP: 18, CB: 19, CEND: 20,
  MX: 21, DD: 22, Z: 23, Y: 24, R: 25, IZ: 26,
  A0: 27, A1: 28, T: 29, EV: 30, B0: 35, B1: 36, KI2: 37,
} as const;
const ACC = (j: number) => 31 + j;
type Push = (...xs: number[][]) => void;

/** attnhead, part 1: sc[s] = (q · k_s)·scale for every position s, and their maximum in MX. */
function attnScores(e: Push): void {
  const { Q, Kk, Nn, D, STR, SCALE, SC, KP, SP, SEND, QI, KI, QEND, MX, DD, A0, A1, T, EV, B0, B1, KI2 } = AH;
  // scores → sc[s] = dot·scale, mx
  e(get(Kk), set(KP), get(SC), tee(SP), get(Nn), i32c(3), I32_SHL, I32_ADD, set(SEND));
  e(get(Q), get(D), i32c(3), I32_SHL, I32_ADD, set(QEND), f64c(-Infinity), set(MX));
  // two positions at a time (independent chains; each position's sum in the same order as below)
  e(BLOCK, LOOP);
  {
    e(get(SP), i32c(8), I32_ADD, get(SEND), I32_GE_U, BR_IF(1));
    e(V_ZERO, set(A0), V_ZERO, set(A1), V_ZERO, set(B0), V_ZERO, set(B1), get(Q), set(QI), get(KP), tee(KI), get(STR), I32_ADD, set(KI2));
    e(BLOCK, LOOP);
    {
      e(get(QI), V_LOAD(0), set(T), get(QI), V_LOAD(16), set(EV));
      e(get(A0), get(T), get(KI), V_LOAD(0), F64X2_MUL, F64X2_ADD, set(A0));
      e(get(A1), get(EV), get(KI), V_LOAD(16), F64X2_MUL, F64X2_ADD, set(A1));
      e(get(B0), get(T), get(KI2), V_LOAD(0), F64X2_MUL, F64X2_ADD, set(B0));
      e(get(B1), get(EV), get(KI2), V_LOAD(16), F64X2_MUL, F64X2_ADD, set(B1));
      e(get(KI), i32c(32), I32_ADD, set(KI), get(KI2), i32c(32), I32_ADD, set(KI2));
      e(get(QI), i32c(32), I32_ADD, tee(QI), get(QEND), I32_NE, BR_IF(0));
    }
    e(END, END);
    e(get(A0), get(A1), F64X2_ADD, set(T), get(T), F64X2_LANE(0), get(T), F64X2_LANE(1), F64_ADD, get(SCALE), F64_MUL, set(DD));
    e(get(SP), get(DD), F64_STORE(0));
    e(get(DD), get(MX), get(DD), get(MX), F64_GT, SELECT, set(MX));
    e(get(B0), get(B1), F64X2_ADD, set(T), get(T), F64X2_LANE(0), get(T), F64X2_LANE(1), F64_ADD, get(SCALE), F64_MUL, set(DD));
    e(get(SP), get(DD), F64_STORE(8));
    e(get(DD), get(MX), get(DD), get(MX), F64_GT, SELECT, set(MX));
    e(get(KP), get(STR), i32c(1), I32_SHL, I32_ADD, set(KP), get(SP), i32c(16), I32_ADD, set(SP), [0x0c, 0]);
  }
  e(END, END);
  e(BLOCK, LOOP);
  {
    e(get(SP), get(SEND), I32_GE_U, BR_IF(1));
    e(V_ZERO, set(A0), V_ZERO, set(A1), get(Q), set(QI), get(KP), set(KI));
    e(BLOCK, LOOP);
    {
      e(get(A0), get(QI), V_LOAD(0), get(KI), V_LOAD(0), F64X2_MUL, F64X2_ADD, set(A0));
      e(get(A1), get(QI), V_LOAD(16), get(KI), V_LOAD(16), F64X2_MUL, F64X2_ADD, set(A1));
      e(get(KI), i32c(32), I32_ADD, set(KI), get(QI), i32c(32), I32_ADD, tee(QI), get(QEND), I32_NE, BR_IF(0));
    }
    e(END, END);
    e(get(A0), get(A1), F64X2_ADD, set(T), get(T), F64X2_LANE(0), get(T), F64X2_LANE(1), F64_ADD, get(SCALE), F64_MUL, set(DD));
    e(get(SP), get(DD), F64_STORE(0));
    e(get(DD), get(MX), get(DD), get(MX), F64_GT, SELECT, set(MX));
    e(get(KP), get(STR), I32_ADD, set(KP), get(SP), i32c(8), I32_ADD, set(SP), [0x0c, 0]);
  }
  e(END, END);
}

/** attnhead, part 2: sc[s] ← expNeg(sc[s] − mx) and their sum in Z, in order of s. */
function attnExps(e: Push): void {
  const { SEND, SC, TA, TB, SP, I, MX, Z, Y, R } = AH;
  const F64_SUB = [0xa1];
  const F64_LT = [0x63];
  const F64_GE = [0x66];
  const F64_NEG = [0x9a];
  const I32_SHR_U = [0x76];
  const I32_AND = [0x71];
  // e_s = expNeg(d_s − mx), z = Σ e_s: two positions at a time (the same operations per lane; y is
  // clamped to 63·256 for the table index only, and lanes at or past it take the scalar code's 0 or 1),
  // z summed lane 0 then lane 1, in order of s; then the odd one out by the scalar code
  {
    const [VY, VI, VR, VP4, VMX] = [38, 39, 40, 41, 27];
    const F64X2_SPLAT = simd(0x14);
    const F64X2_SUB = simd(0xf1);
    const F64X2_DIV = simd(0xf3);
    const F64X2_NEG = simd(0xed);
    const F64X2_PMIN = simd(0xf6);
    const F64X2_LT = simd(0x49);
    const F64X2_GE = simd(0x4c);
    const BITSELECT = simd(0x52);
    const TRUNC_SAT_ZERO = simd(0xfc);
    const CONVERT_LOW = simd(0xfe);
    const I32X4_LANE = (l: number) => simd(0x1b, l);
    const F64X2_REPLACE = (l: number) => simd(0x22, l);
    const c2 = (v: number) => [...f64c(v), ...F64X2_SPLAT];
    // table entry of lane l: ta[i >> 8] or tb[i & 255]
    const ent = (tab: number, l: number, hi: boolean) => [
      ...get(tab), ...get(VI), ...I32X4_LANE(l), ...(hi ? [...i32c(8), ...I32_SHR_U] : [...i32c(255), ...I32_AND]), ...i32c(3), ...I32_SHL, ...I32_ADD, ...F64_LOAD(0),
    ];
    const gather = (tab: number, hi: boolean) => [...ent(tab, 0, hi), ...F64X2_SPLAT, ...ent(tab, 1, hi), ...F64X2_REPLACE(1)];
    e(get(SC), set(SP), f64c(0), set(Z), get(MX), F64X2_SPLAT, set(VMX));
    e(BLOCK, LOOP);
    {
      e(get(SP), i32c(16), I32_ADD, get(SEND), [0x4b] /* i32.gt_u */, BR_IF(1));
      e(get(SP), V_LOAD(0), get(VMX), F64X2_SUB, F64X2_NEG, c2(EXP_STEP), F64X2_MUL, set(VY));
      e(get(VY), c2(63 * EXP_STEP), F64X2_PMIN, tee(VR), TRUNC_SAT_ZERO, set(VI));
      e(get(VR), get(VI), CONVERT_LOW, F64X2_SUB, c2(EXP_STEP), F64X2_DIV, set(VR));
      e(get(SP));
      e(gather(TA, true), gather(TB, false), F64X2_MUL);
      e(c2(1), get(VR), c2(1), get(VR), c2(0.5), get(VR), c2(EXP_C6), get(VR), c2(EXP_C24), F64X2_MUL, F64X2_SUB, F64X2_MUL, F64X2_SUB, F64X2_MUL, F64X2_SUB, F64X2_MUL, F64X2_SUB);
      e(F64X2_MUL, set(VP4));
      // out of range (y ≥ 63·256, or NaN): y ≥ 0 ? 0 : 1
      e(get(VP4), V_ZERO, c2(1), get(VY), V_ZERO, F64X2_GE, BITSELECT, get(VY), c2(63 * EXP_STEP), F64X2_LT, BITSELECT, tee(VP4), V_STORE(0));
      e(get(Z), get(VP4), F64X2_LANE(0), F64_ADD, get(VP4), F64X2_LANE(1), F64_ADD, set(Z));
      e(get(SP), i32c(16), I32_ADD, set(SP), [0x0c, 0]);
    }
    e(END, END);
  }
  e(BLOCK, LOOP);
  {
    e(get(SP), get(SEND), I32_GE_U, BR_IF(1));
    e(get(SP), F64_LOAD(0), get(MX), F64_SUB, F64_NEG, f64c(EXP_STEP), F64_MUL, tee(Y), f64c(63 * EXP_STEP), F64_LT, IF);
    {
      e(get(Y), I32_TRUNC_SAT_F64_S, set(I));
      e(get(Y), get(I), F64_CONVERT_I32_S, F64_SUB, f64c(EXP_STEP), F64_DIV, set(R));
      e(get(SP));
      e(get(TA), get(I), i32c(8), I32_SHR_U, i32c(3), I32_SHL, I32_ADD, F64_LOAD(0));
      e(get(TB), get(I), i32c(255), I32_AND, i32c(3), I32_SHL, I32_ADD, F64_LOAD(0), F64_MUL);
      // 1 − r(1 − r(½ − r(1/6 − r/24)))
      e(f64c(1), get(R), f64c(1), get(R), f64c(0.5), get(R), f64c(EXP_C6), get(R), f64c(EXP_C24), F64_MUL, F64_SUB, F64_MUL, F64_SUB, F64_MUL, F64_SUB, F64_MUL, F64_SUB);
      e(F64_MUL, F64_STORE(0));
    }
    e(ELSE);
    e(get(SP), f64c(0), f64c(1), get(Y), f64c(0), F64_GE, SELECT, F64_STORE(0));
    e(END);
    e(get(Z), get(SP), F64_LOAD(0), F64_ADD, set(Z), get(SP), i32c(8), I32_ADD, set(SP), [0x0c, 0]);
  }
  e(END, END);
}

/** attnhead, part 3: out = (Σ_s e_s v_s) · (1/z), each element summed in order of s. */
function attnWeightedSum(e: Push): void {
  const { Vv, D, STR, OUT, SC, SP, SEND, VP, CB, CEND, Z, IZ, EV } = AH;
  const F64_SPLAT = simd(0x14);
  // out = Σ e_s v_s, then × (1/z)
  e(f64c(1), get(Z), F64_DIV, set(IZ));
  e(i32c(0), set(CB), get(D), i32c(3), I32_SHL, set(CEND));
  // blocks of 16 elements (8 independent f64x2 sums: more in flight than one add's latency), then of 8
  const ACC8 = (j: number) => (j < 4 ? ACC(j) : 38 + j - 4);
  e(BLOCK, LOOP);
  {
    e(get(CB), i32c(128), I32_ADD, get(CEND), [0x4b] /* i32.gt_u */, BR_IF(1));
    for (let j = 0; j < 8; j++) e(V_ZERO, set(ACC8(j)));
    e(get(Vv), get(CB), I32_ADD, set(VP), get(SC), set(SP));
    e(BLOCK, LOOP);
    {
      e(get(SP), V_LOAD64_SPLAT(0), set(EV));
      for (let j = 0; j < 8; j++) e(get(ACC8(j)), get(EV), get(VP), V_LOAD(16 * j), F64X2_MUL, F64X2_ADD, set(ACC8(j)));
      e(get(VP), get(STR), I32_ADD, set(VP), get(SP), i32c(8), I32_ADD, tee(SP), get(SEND), I32_NE, BR_IF(0));
    }
    e(END, END);
    e(get(IZ), F64_SPLAT, set(EV));
    for (let j = 0; j < 8; j++) e(get(OUT), get(CB), I32_ADD, get(ACC8(j)), get(EV), F64X2_MUL, V_STORE(16 * j));
    e(get(CB), i32c(128), I32_ADD, set(CB), [0x0c, 0]);
  }
  e(END, END);
  e(BLOCK, LOOP);
  {
    e(get(CB), get(CEND), I32_LT_U, [0x45], BR_IF(1));
    for (let j = 0; j < 4; j++) e(V_ZERO, set(ACC(j)));
    e(get(Vv), get(CB), I32_ADD, set(VP), get(SC), set(SP));
    e(BLOCK, LOOP);
    {
      e(get(SP), V_LOAD64_SPLAT(0), set(EV));
      for (let j = 0; j < 4; j++) e(get(ACC(j)), get(EV), get(VP), V_LOAD(16 * j), F64X2_MUL, F64X2_ADD, set(ACC(j)));
      e(get(VP), get(STR), I32_ADD, set(VP), get(SP), i32c(8), I32_ADD, tee(SP), get(SEND), I32_NE, BR_IF(0));
    }
    e(END, END);
    e(get(IZ), F64_SPLAT, set(EV));
    for (let j = 0; j < 4; j++) e(get(OUT), get(CB), I32_ADD, get(ACC(j)), get(EV), F64X2_MUL, V_STORE(16 * j));
    e(get(CB), i32c(64), I32_ADD, set(CB), [0x0c, 0]);
  }
  e(END, END);
}

/**
 * attnhead(q, k, v, n, D, stride, out, scale, sc, ta, tb): one head of causal attention for one row —
 *   d_s = (q · k_s)·scale (the dot as in `scores`), mx = max d_s, e_s = expNeg(d_s − mx), z = Σ e_s (in
 *   order), out = (Σ_s e_s v_s) · (1/z) (each element summed in order of s) —
 * with exactly the operations of intgpt.ts `attention` on its plain path. D % 8 = 0, n ≥ 1.
 */
function attnheadBody(): number[] {
  const b: number[] = [];
  const e: Push = (...xs) => xs.forEach((x) => b.push(...x));
  attnScores(e);
  attnExps(e);
  attnWeightedSum(e);
  e(END);
  return [...vec([
    [...uleb(10), I32],
    [...uleb(6), F64],
    [...uleb(10), V128],
    [...uleb(1), I32],
    [...uleb(4), V128],
  ]), ...b];
}

/** dequant for even N with f64x2 lanes (per element the same operations as {@link dequantBody}). */
function dequant2Body(): number[] {
  const [O, NP, N, R, SC, BI, INV, DST] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [RR, OP, DP, NN, NEND] = [8, 9, 10, 11, 12];
  const IV = 13;
  const b: number[] = [];
  const e = (...xs: number[][]) => xs.forEach((x) => b.push(...x));
  const LOAD64_ZERO = simd(0x5d, ...memarg(3, 0));
  const CONVERT_LOW = simd(0xfe);
  e(i32c(0), set(RR), get(N), i32c(3), I32_SHL, set(NEND));
  e(BLOCK, LOOP);
  {
    e(get(RR), get(R), I32_LT_U, [0x45], BR_IF(1));
    e(get(INV), get(RR), i32c(3), I32_SHL, I32_ADD, V_LOAD64_SPLAT(0), set(IV));
    e(get(O), get(RR), get(NP), I32_MUL, i32c(2), I32_SHL, I32_ADD, set(OP));
    e(get(DST), get(RR), get(N), I32_MUL, i32c(3), I32_SHL, I32_ADD, set(DP));
    e(i32c(0), set(NN));
    e(BLOCK, LOOP);
    {
      e(get(NN), get(NEND), I32_LT_U, [0x45], BR_IF(1));
      e(get(DP), get(OP), LOAD64_ZERO, CONVERT_LOW, get(SC), get(NN), I32_ADD, V_LOAD(0), F64X2_MUL, get(IV), F64X2_MUL);
      e(get(BI), get(NN), I32_ADD, V_LOAD(0), F64X2_ADD, V_STORE(0));
      e(get(OP), i32c(8), I32_ADD, set(OP), get(DP), i32c(16), I32_ADD, set(DP), get(NN), i32c(16), I32_ADD, set(NN), [0x0c, 0]);
    }
    e(END, END);
    e(get(RR), i32c(1), I32_ADD, set(RR), [0x0c, 0]);
  }
  e(END, END, END);
  return [...vec([
    [...uleb(5), I32],
    [...uleb(1), V128],
  ]), ...b];
}

/** dequant(O, Np, N, R, sc, b, inv, dst): dst[r, n] = O[r, n]·sc[n]·inv[r] + b[n] (f64, left to right). */
function dequantBody(): number[] {
  const [O, NP, N, R, SC, BI, INV, DST] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [RR, OP, DP, NN] = [8, 9, 10, 11];
  const IV = 12;
  const b: number[] = [];
  const e = (...xs: number[][]) => xs.forEach((x) => b.push(...x));
  e(i32c(0), set(RR));
  e(BLOCK, LOOP);
  {
    e(get(RR), get(R), I32_LT_U, [0x45], BR_IF(1));
    e(get(INV), get(RR), i32c(3), I32_SHL, I32_ADD, F64_LOAD(0), set(IV));
    e(get(O), get(RR), get(NP), I32_MUL, i32c(2), I32_SHL, I32_ADD, set(OP));
    e(get(DST), get(RR), get(N), I32_MUL, i32c(3), I32_SHL, I32_ADD, set(DP));
    e(i32c(0), set(NN));
    e(BLOCK, LOOP);
    {
      e(get(NN), get(N), I32_LT_U, [0x45], BR_IF(1));
      e(get(DP), get(OP), I32_LOAD(0), F64_CONVERT_I32_S, get(SC), get(NN), i32c(3), I32_SHL, I32_ADD, F64_LOAD(0), F64_MUL, get(IV), F64_MUL);
      e(get(BI), get(NN), i32c(3), I32_SHL, I32_ADD, F64_LOAD(0), F64_ADD, F64_STORE(0));
      e(get(OP), i32c(4), I32_ADD, set(OP), get(DP), i32c(8), I32_ADD, set(DP), get(NN), i32c(1), I32_ADD, set(NN), [0x0c, 0]);
    }
    e(END, END);
    e(get(RR), i32c(1), I32_ADD, set(RR), [0x0c, 0]);
  }
  e(END, END, END);
  return [...vec([
    [...uleb(4), I32],
    [...uleb(1), F64],
  ]), ...b];
}

/** JS reference of the wasm `scores` (same order of operations, hence the same doubles). */
export function scoresRef(m: Float64Array, q: number, k: number, n: number, D: number, stride: number, out: number): void {
  for (let s = 0; s < n; s++) {
    const ko = k + s * stride;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < D; i += 4) {
      s0 += m[q + i]! * m[ko + i]!;
      s1 += m[q + i + 1]! * m[ko + i + 1]!;
      s2 += m[q + i + 2]! * m[ko + i + 2]!;
      s3 += m[q + i + 3]! * m[ko + i + 3]!;
    }
    m[out + s] = s0 + s2 + (s1 + s3);
  }
}

/** JS reference of the wasm `wsum`. */
export function wsumRef(m: Float64Array, p: number, v: number, n: number, D: number, stride: number, out: number): void {
  for (let i = 0; i < D; i++) m[out + i] = 0;
  for (let s = 0; s < n; s++) {
    const e = m[p + s]!;
    const vo = v + s * stride;
    for (let i = 0; i < D; i++) m[out + i] = m[out + i]! + e * m[vo + i]!;
  }
}

/** The body of matmul for blocks of `rows` (1 or 2) rows; params w, x, o, R, K, N. */
function matmulBody(rows: 1 | 2, unroll: 1 | 2 = 1, w8 = false): number[] {
  // params: 0 w, 1 x, 2 o, 3 R, 4 K, 5 N
  // i32 locals: 6 g (byte offset of the weight group), 7 gEnd, 8 r, 9 xp0, 10 xp1, 11 wp, 12 wEnd, 13 op, 14 col
  // v128 locals: 15..22 acc, 23 x0, 24 x1, 25..28 w0..w3
  const [W, X, O, R, K, N] = [0, 1, 2, 3, 4, 5];
  const [G, GEND, RR, XP0, XP1, WP, WEND, OP, COL] = [6, 7, 8, 9, 10, 11, 12, 13, 14];
  const ACC = (i: number) => 15 + i;
  const X0 = 23;
  const X1 = 24;
  const WV = (i: number) => 25 + i;
  const body: number[] = [];
  const e = (...xs: number[][]) => xs.forEach((x) => body.push(...x));
  // weights are int16 in memory (values −127…127): no sign extension in the loop
  // gEnd = w + (N/16)·K·32 = w + 2·N·K ; a group's bytes = K·32
  e(get(W), set(G), get(W), get(N), get(K), I32_MUL, i32c(w8 ? 0 : 1), I32_SHL, I32_ADD, set(GEND), i32c(0), set(COL));
  e(BLOCK, LOOP); // over groups
  {
    e(get(G), get(GEND), I32_LT_U, [0x45] /* i32.eqz */, BR_IF(1));
    e(i32c(0), set(RR));
    e(BLOCK, LOOP); // over blocks of rows
    {
      e(get(RR), get(R), I32_LT_U, [0x45], BR_IF(1));
      // xp0 = x + r·K·2, xp1 = xp0 + K·2
      e(get(X), get(RR), get(K), I32_MUL, i32c(1), I32_SHL, I32_ADD, tee(XP0), get(K), i32c(1), I32_SHL, I32_ADD, set(XP1));
      e(get(G), tee(WP), get(K), i32c(w8 ? 4 : 5), I32_SHL, I32_ADD, set(WEND)); // wEnd = wp + K·32 (int8: K·16)
      for (let i = 0; i < 4 * rows; i++) e(V_ZERO, set(ACC(i)));
      e(BLOCK, LOOP); // over k pairs (`unroll` pairs per iteration; integer sums: any order is exact)
      {
        for (let u = 0; u < unroll; u++) {
          e(get(XP0), V_LOAD32_SPLAT(4 * u), set(X0));
          if (rows === 2) e(get(XP1), V_LOAD32_SPLAT(4 * u), set(X1));
          for (let j = 0; j < 4; j++) e(get(WP), w8 ? V_LOAD8X8_S(32 * u + 8 * j) : V_LOAD(64 * u + 16 * j), set(WV(j)));
          for (let j = 0; j < 4; j++) {
            e(get(ACC(j)), get(X0), get(WV(j)), I32X4_DOT, I32X4_ADD, set(ACC(j)));
            if (rows === 2) e(get(ACC(4 + j)), get(X1), get(WV(j)), I32X4_DOT, I32X4_ADD, set(ACC(4 + j)));
          }
        }
        e(get(XP0), i32c(4 * unroll), I32_ADD, set(XP0));
        if (rows === 2) e(get(XP1), i32c(4 * unroll), I32_ADD, set(XP1));
        e(get(WP), i32c((w8 ? 32 : 64) * unroll), I32_ADD, tee(WP), get(WEND), I32_NE, BR_IF(0));
      }
      e(END, END);
      // op = o + (r·N + col)·4
      e(get(O), get(RR), get(N), I32_MUL, get(COL), I32_ADD, i32c(2), I32_SHL, I32_ADD, set(OP));
      for (let j = 0; j < 4; j++) e(get(OP), get(ACC(j)), V_STORE(16 * j));
      if (rows === 2) {
        e(get(OP), get(N), i32c(2), I32_SHL, I32_ADD, set(OP));
        for (let j = 0; j < 4; j++) e(get(OP), get(ACC(4 + j)), V_STORE(16 * j));
      }
      e(get(RR), i32c(rows), I32_ADD, set(RR), [0x0c, 0] /* br 0 */);
    }
    e(END, END);
    e(get(G), get(K), i32c(w8 ? 4 : 5), I32_SHL, I32_ADD, set(G), get(COL), i32c(16), I32_ADD, set(COL), [0x0c, 0]);
  }
  e(END, END);
  e(END);
  const locals = vec([
    [...uleb(9), I32],
    [...uleb(14), V128],
  ]);
  return [...locals, ...body];
}

/** The module bytes: imports env.mem (memory), exports matmul2 (R even), matmul1 (any R), scores, wsum. */
function kernelModule(): Uint8Array<ArrayBuffer> {
  const f2 = matmulBody(2, 1, W8);
  const f1 = matmulBody(1, 1, W8);
  const f2u = matmulBody(2, 2, W8);
  const f1u = matmulBody(1, 2, W8);
  const fs = scoresBody();
  const fw = wsumBody();
  const fq = quantBody();
  const fd = dequantBody();
  const fq2 = quant2Body();
  const fg = geluBody();
  const fa = addtoBody();
  const fl = layernormBody();
  const fh = attnheadBody();
  const fd2 = dequant2Body();
  const fg2 = gelu2Body();
  const fq8 = quant8Body();
  const fl8 = layernorm8Body();
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([
      [0x60, ...uleb(6), I32, I32, I32, I32, I32, I32, 0],
      [0x60, ...uleb(7), I32, I32, I32, I32, I32, F64, I32, 0],
      [0x60, ...uleb(8), I32, I32, I32, I32, I32, I32, I32, I32, 0],
      [0x60, ...uleb(5), I32, I32, I32, F64, F64, 0],
      [0x60, ...uleb(3), I32, I32, I32, 0],
      [0x60, ...uleb(11), I32, I32, I32, I32, I32, I32, I32, F64, I32, I32, I32, 0],
    ])),
    ...section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([uleb(0), uleb(0), uleb(0), uleb(0), uleb(1), uleb(2), uleb(1), uleb(3), uleb(4), uleb(0), uleb(5), uleb(2), uleb(0), uleb(0), uleb(3), uleb(1), uleb(0)])),
    ...section(7, vec([
      [...str('matmul2'), 0x00, ...uleb(0)],
      [...str('matmul1'), 0x00, ...uleb(1)],
      [...str('scores'), 0x00, ...uleb(2)],
      [...str('wsum'), 0x00, ...uleb(3)],
      [...str('quant'), 0x00, ...uleb(4)],
      [...str('dequant'), 0x00, ...uleb(5)],
      [...str('quant2'), 0x00, ...uleb(6)],
      [...str('gelu'), 0x00, ...uleb(7)],
      [...str('addto'), 0x00, ...uleb(8)],
      [...str('layernorm'), 0x00, ...uleb(9)],
      [...str('attnhead'), 0x00, ...uleb(10)],
      [...str('dequant2'), 0x00, ...uleb(11)],
      [...str('matmul2u'), 0x00, ...uleb(12)],
      [...str('matmul1u'), 0x00, ...uleb(13)],
      [...str('gelu2'), 0x00, ...uleb(14)],
      [...str('quant8'), 0x00, ...uleb(15)],
      [...str('layernorm8'), 0x00, ...uleb(16)],
    ])),
    ...section(10, vec([
      [...uleb(f2.length), ...f2],
      [...uleb(f1.length), ...f1],
      [...uleb(fs.length), ...fs],
      [...uleb(fw.length), ...fw],
      [...uleb(fq.length), ...fq],
      [...uleb(fd.length), ...fd],
      [...uleb(fq2.length), ...fq2],
      [...uleb(fg.length), ...fg],
      [...uleb(fa.length), ...fa],
      [...uleb(fl.length), ...fl],
      [...uleb(fh.length), ...fh],
      [...uleb(fd2.length), ...fd2],
      [...uleb(f2u.length), ...f2u],
      [...uleb(f1u.length), ...f1u],
      [...uleb(fg2.length), ...fg2],
      [...uleb(fq8.length), ...fq8],
      [...uleb(fl8.length), ...fl8],
    ])),
  ];
  return new Uint8Array(bytes);
}

/** Largest |x| allowed for an inner dimension K: K·xMax·127 < 2³¹ (and xMax ≤ 32767). */
export function xMaxFor(K: number): number {
  return Math.min(32767, Math.floor((2 ** 31 - 1) / (127 * K)));
}

export const padN = (N: number) => (N + 15) & ~15;
export const padK = (K: number) => (K + 1) & ~1;

/**
 * Weights stored as int8 and sign-extended in the loop (v128.load8x8_s), rather than as int16: in the
 * micro-benchmark int16 is faster (no extension), but inside the coder, where the context mixer's
 * 60 MB of tables evict the caches, the half-size int8 weights win (7.8 vs 6.8 KB/s). Same sums either way.
 */
export const W8 = true;

/** Pack an int8 matrix q [K, N] (row-major, |q| ≤ 127) into the kernel layout. */
export function packWeights(q: Int8Array, K: number, N: number): Int16Array | Int8Array {
  const Kp = padK(K);
  const Np = padN(N);
  const out = W8 ? new Int8Array(Kp * Np) : new Int16Array(Kp * Np);
  let o = 0;
  for (let g = 0; g < Np / 16; g++) {
    for (let p = 0; p < Kp / 2; p++) {
      for (let j = 0; j < 16; j++) {
        const n = g * 16 + j;
        for (let h = 0; h < 2; h++) {
          const k = 2 * p + h;
          out[o++] = n < N && k < K ? q[k * N + n]! : 0;
        }
      }
    }
  }
  return out;
}

/** The plain reference: out[r, n] = Σ_k x[r, k] q[k, n] in exact integer arithmetic (JS doubles, |sum| < 2⁵³). */
export function matmulRef(x: Int16Array, q: Int8Array, R: number, K: number, N: number, out: Int32Array | Float64Array): void {
  for (let r = 0; r < R; r++) {
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += x[r * K + k]! * q[k * N + n]!;
      out[r * N + n] = s;
    }
  }
}

let simdAvailable: boolean | undefined;
/** Whether this engine runs WebAssembly SIMD (asked once, on first use: assembling the kernel to validate it costs ~25 ms). */
export function wasmSimdAvailable(): boolean {
  if (simdAvailable === undefined) {
    try {
      simdAvailable = typeof WebAssembly === 'object' && WebAssembly.validate(kernelModule());
    } catch {
      simdAvailable = false;
    }
  }
  return simdAvailable;
}

/**
 * A linear memory with a bump allocator, and (when WebAssembly SIMD is available and not switched
 * off) the kernels on byte offsets. Without them the caller runs the JS references on the same memory.
 */
export class IntKernel {
  readonly memory: WebAssembly.Memory;
  readonly simd: boolean;
  private readonly fn2?: (w: number, x: number, o: number, R: number, K: number, N: number) => void;
  private readonly fn1?: (w: number, x: number, o: number, R: number, K: number, N: number) => void;
  private readonly fn2u?: (w: number, x: number, o: number, R: number, K: number, N: number) => void;
  private readonly fn1u?: (w: number, x: number, o: number, R: number, K: number, N: number) => void;
  readonly scores?: (q: number, k: number, n: number, D: number, stride: number, out: number) => void;
  readonly wsum?: (p: number, v: number, n: number, D: number, stride: number, out: number) => void;
  readonly dequant2?: (o: number, Np: number, N: number, R: number, sc: number, b: number, inv: number, dst: number) => void;
  readonly attnhead?: (q: number, k: number, v: number, n: number, D: number, stride: number, out: number, scale: number, sc: number, ta: number, tb: number) => void;
  readonly gelu?: (x: number, n: number, tab: number, lim: number, step: number) => void;
  readonly gelu2?: (x: number, n: number, tab: number, lim: number, step: number) => void;
  readonly addto?: (dst: number, src: number, n: number) => void;
  readonly layernorm8?: (src: number, dst: number, R: number, C: number, w: number, b: number) => void;
  readonly layernorm?: (src: number, dst: number, R: number, C: number, w: number, b: number) => void;
  readonly quant8?: (src: number, K: number, R: number, x: number, Kp: number, xMax: number, inv: number) => void;
  readonly quant2?: (src: number, K: number, R: number, x: number, Kp: number, xMax: number, inv: number) => void;
  readonly quant?: (src: number, K: number, R: number, x: number, Kp: number, xMax: number, inv: number) => void;
  readonly dequant?: (o: number, Np: number, N: number, R: number, sc: number, b: number, inv: number, dst: number) => void;
  private top = 64;
  constructor(useSimd = true) {
    this.memory = new WebAssembly.Memory({ initial: 1 });
    this.simd = useSimd && wasmSimdAvailable();
    if (this.simd) {
      const mod = new WebAssembly.Module(kernelModule());
      const inst = new WebAssembly.Instance(mod, { env: { mem: this.memory } });
      const ex = inst.exports as Record<string, unknown>;
      this.fn2 = ex.matmul2 as typeof this.fn2;
      this.fn1 = ex.matmul1 as typeof this.fn1;
      this.fn2u = ex.matmul2u as typeof this.fn2u;
      this.fn1u = ex.matmul1u as typeof this.fn1u;
      this.scores = ex.scores as typeof this.scores;
      this.wsum = ex.wsum as typeof this.wsum;
      this.quant = ex.quant as typeof this.quant;
      this.quant2 = ex.quant2 as typeof this.quant2;
      this.quant8 = ex.quant8 as typeof this.quant8;
      this.gelu = ex.gelu as typeof this.gelu;
      this.gelu2 = ex.gelu2 as typeof this.gelu2;
      this.attnhead = ex.attnhead as typeof this.attnhead;
      this.dequant2 = ex.dequant2 as typeof this.dequant2;
      this.addto = ex.addto as typeof this.addto;
      this.layernorm = ex.layernorm as typeof this.layernorm;
      this.layernorm8 = ex.layernorm8 as typeof this.layernorm8;
      this.dequant = ex.dequant as typeof this.dequant;
    }
  }
  /** Reserve `bytes` (16-aligned); returns the byte offset. The memory may grow: re-make views after. */
  alloc(bytes: number): number {
    const off = this.top;
    this.top = (this.top + bytes + 15) & ~15;
    const need = Math.ceil(this.top / 65536) - this.memory.buffer.byteLength / 65536;
    if (need > 0) this.memory.grow(need);
    return off;
  }
  /** Copy packed weights in; returns the offset. */
  putWeights(packed: Int16Array | Int8Array): number {
    const off = this.alloc(packed.byteLength);
    if (packed instanceof Int8Array) new Int8Array(this.memory.buffer, off, packed.length).set(packed);
    else new Int16Array(this.memory.buffer, off, packed.length).set(packed);
    return off;
  }
  /** out[R, Np] int32 at `o` = x[R, Kp] int16 at `x` × packed w at `w` (Kp, Np padded; SIMD only). */
  matmul(w: number, x: number, o: number, R: number, Kp: number, Np: number): void {
    const R2 = R & ~1;
    const u = Kp % 4 === 0; // two k pairs per loop iteration
    if (R2 > 0) (u ? this.fn2u! : this.fn2!)(w, x, o, R2, Kp, Np);
    if (R & 1) (u ? this.fn1u! : this.fn1!)(w, x + R2 * Kp * 2, o + R2 * Np * 4, 1, Kp, Np);
  }
}
