/**
 * The fast, bit-exact GPT of `fivelens zip --model`: integer matrix products, float64 everything else.
 *
 * Scheme "igpt2" (its name and parameters go into the model hash of every file, see {@link intGPTConfigString};
 * scheme 1, which `unzip` still reads, differs only in the order of LayerNorm's additions and keeps T/8):
 * - every linear layer's weight W [K, N] (and the tied output head) is quantized per output column to
 *   int8: s_n = max_k |W[k, n]| / 127, q = round(W / s_n) (measured lossless for the baby GPT);
 * - each activation row a [K] is quantized per row to int16: m = max |a|, x = round(a · xMax / m),
 *   with xMax = {@link xMaxFor}(K) so no integer sum can overflow int32;
 * - the product Σ_k x·q is exact integer arithmetic (WebAssembly SIMD, intgpt-wasm.ts, or plain JS —
 *   the same integers), then y_n = sum · s_n · m / xMax + b_n in float64;
 * - LayerNorm, attention, softmax, GELU, residuals: float64 with + − × ÷ √ and Math.round/floor, which
 *   IEEE 754 and ECMAScript define exactly (no FMA contraction in JS), and exp/GELU from tables built at
 *   start-up from our own polynomial exp ({@link expDet}); Math.exp / Math.tanh are never used (the spec
 *   leaves their last bit to the engine).
 * So the probabilities are the same bits on every machine, engine and backend; the tfjs backend is not
 * involved at all.
 *
 * Context: a KV cache per stream; when the window T is full, the stream restarts from its last `keep`
 * tokens (recomputed in one batch), so every prediction sees between keep and T−1 tokens of context.
 * Several streams can be advanced in one call: their rows are batched through the same matrix products.
 */
import { expDet, type GPTWeights } from './gptbits.js';
import { IntKernel, geluPairs, packWeights, sum8Ref, padK, padN, xMaxFor, matmulRef, scoresRef, wsumRef, EXP_STEP, EXP_C6, EXP_C24 } from './intgpt-wasm.js';

/** The arithmetic scheme: 2 = LayerNorm sums in eight lanes ({@link sum8Ref}); 1 (earlier files) = in one chain. */
export const INT_GPT_SCHEME = 2;

// ---- deterministic tables
export const EXP_A = (() => {
  const t = new Float64Array(64);
  for (let j = 0; j < 64; j++) t[j] = expDet(-j);
  return t;
})();
export const EXP_B = (() => {
  const t = new Float64Array(EXP_STEP);
  for (let m = 0; m < EXP_STEP; m++) t[m] = expDet(-m / EXP_STEP);
  return t;
})();

/**
 * e^x for x ≤ 0 (0 below −63): e^(−j) · e^(−m/256) · (1 − r + r²/2 − r³/6 + r⁴/24), r < 1/256, relative
 * error < 1e-14. The wasm `attnhead` evaluates exactly these operations.
 */
export function expNeg(x: number): number {
  const y = -x * EXP_STEP;
  if (!(y < 63 * EXP_STEP)) return y >= 0 ? 0 : 1;
  const i = y | 0; // y ≥ 0: truncation = floor
  const r = (y - i) / EXP_STEP;
  return EXP_A[i >> 8]! * EXP_B[i & 255]! * (1 - r * (1 - r * (0.5 - r * (EXP_C6 - r * EXP_C24))));
}

export const GELU_LIM = 6;
export const GELU_STEP = 256;
// float32 entries (12 KB: stays in L1); each is Math.fround of a deterministic double, so the table is
// the same everywhere, and interpolation is done in float64
export const GELU_T = (() => {
  const n = 2 * GELU_LIM * GELU_STEP + 1;
  const t = new Float32Array(n + 1);
  const k = Math.sqrt(2 / Math.PI);
  for (let i = 0; i < n; i++) {
    const x = -GELU_LIM + i / GELU_STEP;
    const u = 2 * k * (x + 0.044715 * x * x * x);
    // x·σ(2u) = ½x(1 + tanh u)
    t[i] = u < 0 ? (x * expDet(u)) / (1 + expDet(u)) : x / (1 + expDet(-u));
  }
  t[n] = t[n - 1]!;
  return t;
})();

/**
 * GELU (tanh form) by linear interpolation in a table of step 1/256 on [−6, 6] (error < 2e-6; outside,
 * x or 0, off by < 1e-9).
 */
export function geluTab(x: number): number {
  if (x >= GELU_LIM) return x;
  if (x <= -GELU_LIM) return 0;
  const y = (x + GELU_LIM) * GELU_STEP;
  const i = y | 0; // y ≥ 0: truncation = floor
  const f = y - i;
  const t0 = GELU_T[i]!;
  return t0 + (GELU_T[i + 1]! - t0) * f;
}

export interface IntGPTOptions {
  /** tokens kept when the window is full (1 ≤ keep < T); default T/16 (4 for the baby GPT: 6.7% extra rows
   *  instead of 14% for scheme 1's T/8; on the held-out split with --model --dict 28,198 vs 28,189 bytes,
   *  8% faster; files of scheme 1 still decode, see {@link LEGACY}). Older measurement (GPT alone, first
   *  baby): 8 vs 16 vs 32 kept: 2.719 / 2.714 / 2.709 bpc on 20k characters. */
  keep?: number;
  /** use the plain JavaScript integer product instead of the WebAssembly kernel (same results) */
  plain?: boolean;
  /** arithmetic scheme (default {@link INT_GPT_SCHEME}); 1 decodes files of earlier versions */
  scheme?: 1 | 2;
}

export function intGPTConfigString(w: GPTWeights, o: IntGPTOptions = {}): string {
  return `igpt${o.scheme ?? INT_GPT_SCHEME}:keep${resolveKeep(w, o)}:exp${EXP_STEP}p4:gelu${GELU_LIM}/${GELU_STEP}f32`;
}

/** The default window policy: keep T/16 tokens. */
export const DEFAULT_KEEP = (T: number) => Math.max(1, T >> 4);
/** The model of earlier versions (scheme 1, keep = T/8), whose files `unzip` still decodes. */
export const LEGACY: { scheme: 1; keep: (T: number) => number } = { scheme: 1, keep: (T) => Math.max(1, T >> 3) };

function resolveKeep(w: GPTWeights, o: IntGPTOptions): number {
  const k = o.keep ?? DEFAULT_KEEP(w.T);
  if (!(k >= 1 && k < w.T)) throw new Error(`keep must be in [1, ${w.T - 1}]`);
  return k;
}

interface QLinear {
  K: number;
  N: number;
  Kp: number;
  Np: number;
  q: Int8Array; // [K, N] row-major (the plain path)
  scale: Float64Array; // [N]
  bias: Float64Array; // [N] (zeros for the head)
  off: number; // packed weights in kernel memory (−1: plain)
  scOff: number; // scale and bias copies in kernel memory (byte offsets)
  bOff: number;
  xMax: number;
}

function quantLinear(W: Float32Array, b: Float32Array | undefined, K: number, N: number, transposed: boolean): Omit<QLinear, 'off' | 'Kp' | 'Np' | 'scOff' | 'bOff'> {
  // W[k, n] = transposed ? W[n·K + k] : W[k·N + n]
  const at = (k: number, n: number) => (transposed ? W[n * K + k]! : W[k * N + n]!);
  const scale = new Float64Array(N);
  const q = new Int8Array(K * N);
  for (let n = 0; n < N; n++) {
    let m = 0;
    for (let k = 0; k < K; k++) m = Math.max(m, Math.abs(at(k, n)));
    const s = m > 0 ? m / 127 : 1;
    scale[n] = s;
    for (let k = 0; k < K; k++) q[k * N + n] = Math.round(at(k, n) / s);
  }
  const bias = new Float64Array(N);
  if (b) for (let n = 0; n < N; n++) bias[n] = b[n]!;
  return { K, N, q, scale, bias, xMax: xMaxFor(padK(K)) };
}

/** LayerNorm parameters: JS copies (plain path) and byte offsets of copies in the kernel memory. */
interface LN {
  w: Float64Array;
  b: Float64Array;
  wOff: number;
  bOff: number;
}

interface QLayer {
  ln1: LN;
  ln2: LN;
  attn: QLinear;
  proj: QLinear;
  fc: QLinear;
  fc2: QLinear;
}

/** One sequence being predicted: its KV cache (in the model's memory) and the distribution of its next token. */
export class GPTStream {
  t = 0;
  readonly ctx: number[] = [];
  readonly probs: Float64Array;
  constructor(
    /** per layer: element offsets (Float64) of the K and V caches [T, C] */
    readonly kOff: number[],
    readonly vOff: number[],
    Vsize: number,
  ) {
    this.probs = new Float64Array(Vsize).fill(1 / Vsize);
  }
}

const f64 = (a: Float32Array) => Float64Array.from(a);

export class IntGPT {
  readonly C: number;
  readonly T: number;
  readonly H: number;
  readonly Vsize: number;
  readonly keep: number;
  readonly scheme: 1 | 2;
  private readonly layers: QLayer[];
  private readonly head: QLinear;
  private readonly lnf: LN;
  private readonly geluOff: number;
  private readonly expAOff: number;
  private readonly expBOff: number;
  private readonly wte: Float64Array;
  private readonly wpe: Float64Array;
  private readonly kernel: IntKernel;
  private readonly simd: boolean;
  private rMax = 0;
  // scratch, all in the kernel's memory (byte offsets; views re-made when the memory grows)
  private xOff = 0;
  private oOff = 0;
  private sOff = 0; // attention scores [T] f64
  private qOff = 0; // qkv [R, 3C] f64
  private aOff = 0; // [R, 4C] f64
  private X16!: Int16Array;
  private O32!: Int32Array;
  private M64!: Float64Array; // the whole memory as doubles
  private xsOff = 0; // residual stream [R, C] f64
  private hOff = 0; // [R, 4C] f64
  private invOff = 0; // [R] f64
  private buffer: ArrayBuffer | undefined;

  constructor(
    readonly w: GPTWeights,
    opts: IntGPTOptions = {},
  ) {
    this.C = w.C;
    this.T = w.T;
    this.H = w.nHead;
    this.Vsize = w.V;
    this.keep = resolveKeep(w, opts);
    this.scheme = opts.scheme ?? INT_GPT_SCHEME;
    const C = w.C;
    const D = C / w.nHead;
    this.kernel = new IntKernel(!opts.plain);
    // the SIMD attention needs D % 8 = 0; the matrix kernel any shape (padded)
    this.simd = this.kernel.simd;
    this.attnSimd = this.simd && D % 8 === 0;
    const fin = (l: Omit<QLinear, 'off' | 'Kp' | 'Np' | 'scOff' | 'bOff'>): QLinear => {
      const Kp = padK(l.K);
      const Np = padN(l.N);
      const scOff = this.kernel.alloc(l.N * 8);
      const bOff = this.kernel.alloc(l.N * 8);
      new Float64Array(this.kernel.memory.buffer, scOff, l.N).set(l.scale);
      new Float64Array(this.kernel.memory.buffer, bOff, l.N).set(l.bias);
      return { ...l, Kp, Np, scOff, bOff, off: this.simd ? this.kernel.putWeights(packWeights(l.q, l.K, l.N)) : -1 };
    };
    const ln = (wv: Float32Array, bv: Float32Array): LN => {
      const wOff = this.kernel.alloc(wv.length * 8);
      const bOff = this.kernel.alloc(bv.length * 8);
      new Float64Array(this.kernel.memory.buffer, wOff, wv.length).set(wv);
      new Float64Array(this.kernel.memory.buffer, bOff, bv.length).set(bv);
      return { w: f64(wv), b: f64(bv), wOff, bOff };
    };
    this.expAOff = this.kernel.alloc(EXP_A.length * 8);
    new Float64Array(this.kernel.memory.buffer, this.expAOff, EXP_A.length).set(EXP_A);
    this.expBOff = this.kernel.alloc(EXP_B.length * 8);
    new Float64Array(this.kernel.memory.buffer, this.expBOff, EXP_B.length).set(EXP_B);
    const pairs = geluPairs(GELU_T);
    this.geluOff = this.kernel.alloc(pairs.length * 8);
    new Float64Array(this.kernel.memory.buffer, this.geluOff, pairs.length).set(pairs);
    this.lnf = ln(w.lnfw, w.lnfb);
    this.layers = w.layers.map((L) => ({
      ln1: ln(L.ln1w, L.ln1b),
      ln2: ln(L.ln2w, L.ln2b),
      attn: fin(quantLinear(L.attnW, L.attnB, C, 3 * C, false)),
      proj: fin(quantLinear(L.projW, L.projB, C, C, false)),
      fc: fin(quantLinear(L.fcW, L.fcB, C, 4 * C, false)),
      fc2: fin(quantLinear(L.fc2W, L.fc2B, 4 * C, C, false)),
    }));
    this.head = fin(quantLinear(w.head, undefined, C, w.V, true));
    this.wte = f64(w.wte);
    this.wpe = f64(w.wpe);
    this.sOff = this.kernel.alloc(w.T * 8);
    this.ensureRows(2);
  }
  private readonly attnSimd: boolean;

  newStream(): GPTStream {
    const bytes = this.T * this.C * 8;
    const kOff = this.layers.map(() => this.kernel.alloc(bytes) / 8);
    const vOff = this.layers.map(() => this.kernel.alloc(bytes) / 8);
    this.views();
    return new GPTStream(kOff, vOff, this.Vsize);
  }

  private views(): void {
    const buf = this.kernel.memory.buffer;
    if (buf === this.buffer) return;
    this.buffer = buf;
    const C = this.C;
    const maxK = padK(4 * C);
    const maxN = Math.max(padN(4 * C), padN(3 * C), padN(this.Vsize));
    this.X16 = new Int16Array(buf, this.xOff, this.rMax * maxK);
    this.O32 = new Int32Array(buf, this.oOff, this.rMax * maxN);
    this.M64 = new Float64Array(buf);
  }

  private ensureRows(R: number): void {
    R = (R + 1) & ~1;
    if (R <= this.rMax) return;
    this.rMax = Math.max(R, this.rMax * 2);
    const C = this.C;
    const maxK = padK(4 * C);
    const maxN = Math.max(padN(4 * C), padN(3 * C), padN(this.Vsize));
    this.xOff = this.kernel.alloc(this.rMax * maxK * 2);
    this.oOff = this.kernel.alloc(this.rMax * maxN * 4);
    this.qOff = this.kernel.alloc(this.rMax * 3 * C * 8);
    this.aOff = this.kernel.alloc(this.rMax * 4 * C * 8);
    this.xsOff = this.kernel.alloc(this.rMax * C * 8);
    this.hOff = this.kernel.alloc(this.rMax * 4 * C * 8);
    this.invOff = this.kernel.alloc(this.rMax * 8);
    this.buffer = undefined;
    this.views();
  }

  /**
   * y[r] = x[r] W + b for R rows: src at element offset `so` of the memory (row stride K), dst at `dO`
   * (row stride N), through the integer product; the rows are quantized per row first.
   */
  private linear(L: QLinear, so: number, dO: number, R: number): void {
    const { K, N, Kp, Np, xMax } = L;
    const k = this.kernel;
    if (this.simd) {
      (K % 8 === 0 ? k.quant8! : K % 2 === 0 ? k.quant2! : k.quant!)(so * 8, K, R, this.xOff, Kp, xMax, this.invOff);
      k.matmul(L.off, this.xOff, this.oOff, R, Kp, Np);
      (N % 2 === 0 ? k.dequant2! : k.dequant!)(this.oOff, Np, N, R, L.scOff, L.bOff, this.invOff, dO * 8);
      return;
    }
    // the plain reference: the same operations in JavaScript
    const m = this.M64;
    const X = this.X16;
    const inv = this.invOff / 8;
    for (let r = 0; r < R; r++) {
      const o = so + r * K;
      const xo = r * Kp;
      let mx = 0;
      for (let i = 0; i < K; i++) {
        const a = Math.abs(m[o + i]!);
        if (a > mx) mx = a;
      }
      if (mx > 0) {
        const s = xMax / mx;
        m[inv + r] = mx / xMax;
        // round half up, floor(v·s + ½), by truncating a positive number (|v·s| ≤ xMax ≤ 32767)
        for (let i = 0; i < K; i++) X[xo + i] = ((m[o + i]! * s + 32768.5) | 0) - 32768;
        for (let i = K; i < Kp; i++) X[xo + i] = 0;
      } else {
        m[inv + r] = 0;
        for (let i = 0; i < Kp; i++) X[xo + i] = 0;
      }
    }
    const O = this.O32;
    const q = L.q;
    for (let r = 0; r < R; r++) {
      for (let n = 0; n < N; n++) {
        let acc = 0;
        for (let i = 0; i < K; i++) acc += X[r * Kp + i]! * q[i * N + n]!;
        O[r * Np + n] = acc;
      }
    }
    const sc = L.scOff / 8;
    const b = L.bOff / 8;
    for (let r = 0; r < R; r++) {
      const iv = m[inv + r]!;
      const oo = r * Np;
      const d = dO + r * N;
      for (let n = 0; n < N; n++) m[d + n] = O[oo + n]! * m[sc + n]! * iv + m[b + n]!;
    }
  }

  private layerNorm(so: number, dO: number, R: number, ln: LN): void {
    if (this.simd && this.scheme === 1) {
      this.kernel.layernorm!(so * 8, dO * 8, R, this.C, ln.wOff, ln.bOff);
      return;
    }
    if (this.simd && this.C % 8 === 0) {
      this.kernel.layernorm8!(so * 8, dO * 8, R, this.C, ln.wOff, ln.bOff);
      return;
    }
    const m = this.M64;
    this.layerNormJs(m, so, m, dO, R, ln.w, ln.b);
  }

  private layerNormJs(src: Float64Array, so: number, dst: Float64Array, dO: number, R: number, w: Float64Array, b: Float64Array): void {
    const C = this.C;
    for (let r = 0; r < R; r++) {
      const o = so + r * C;
      const d = dO + r * C;
      let mean = 0;
      let v = 0;
      if (this.scheme === 1) {
        for (let i = 0; i < C; i++) mean += src[o + i]!;
        mean /= C;
        for (let i = 0; i < C; i++) {
          const x = src[o + i]! - mean;
          v += x * x;
        }
      } else {
        mean = sum8Ref(src, o, C) / C;
        v = sum8Ref(src, o, C, mean, true);
      }
      const inv = 1 / Math.sqrt(v / C + 1e-5);
      for (let i = 0; i < C; i++) dst[d + i] = (src[o + i]! - mean) * inv * w[i]! + b[i]!;
    }
  }

  /** m[d + j] += m[s + j] for j < n (element-wise: any lane order gives the same doubles). */
  private addTo(d: number, s: number, n: number): void {
    if (this.simd && n % 2 === 0) {
      this.kernel.addto!(d * 8, s * 8, n);
      return;
    }
    const m = this.M64;
    for (let j = 0; j < n; j++) m[d + j] = m[d + j]! + m[s + j]!;
  }

  /** Causal attention of each row over its stream's cache (float64); output into M64 at aOff [R, C]. */
  private attention(l: number, rowsStream: GPTStream[], rowsPos: number[], R: number): void {
    const C = this.C;
    const H = this.H;
    const D = C / H;
    const m = this.M64;
    const q0 = this.qOff / 8;
    const a0 = this.aOff / 8;
    const sc = this.sOff / 8;
    const scale = 1 / Math.sqrt(D);
    const k = this.kernel;
    for (let r = 0; r < R; r++) {
      const st = rowsStream[r]!;
      const n = rowsPos[r]! + 1;
      const kc = st.kOff[l]!;
      const vc = st.vOff[l]!;
      for (let h = 0; h < H; h++) {
        const qo = q0 + r * 3 * C + h * D;
        const ao = a0 + r * C + h * D;
        if (this.attnSimd) {
          k.attnhead!(qo * 8, (kc + h * D) * 8, (vc + h * D) * 8, n, D, C * 8, ao * 8, scale, sc * 8, this.expAOff, this.expBOff);
          continue;
        }
        if (this.attnSimd) k.scores!(qo * 8, (kc + h * D) * 8, n, D, C * 8, sc * 8);
        else scoresRefAny(m, qo, kc + h * D, n, D, C, sc);
        let mx = -Infinity;
        for (let s = 0; s < n; s++) {
          const d = m[sc + s]! * scale;
          m[sc + s] = d;
          if (d > mx) mx = d;
        }
        let z = 0;
        for (let s = 0; s < n; s++) {
          const e = expNeg(m[sc + s]! - mx);
          m[sc + s] = e;
          z += e;
        }
        if (this.attnSimd) k.wsum!(sc * 8, (vc + h * D) * 8, n, D, C * 8, ao * 8);
        else wsumRef(m, sc, vc + h * D, n, D, C, ao);
        const iz = 1 / z;
        for (let i = 0; i < D; i++) m[ao + i] = m[ao + i]! * iz;
      }
    }
  }

  /**
   * Append one token to each of `streams` (tokens[i] to streams[i]) and recompute their `probs`.
   * A full window restarts from the last `keep` tokens (recomputed in the same batch).
   */
  push(streams: GPTStream[], tokens: ArrayLike<number>): void {
    const T = this.T;
    const rowsStream: GPTStream[] = [];
    const rowsTok: number[] = [];
    const rowsPos: number[] = [];
    const last: number[] = []; // row index of each stream's new token
    for (let i = 0; i < streams.length; i++) {
      const st = streams[i]!;
      if (st.t === T) {
        const kept = st.ctx.slice(st.ctx.length - this.keep);
        st.ctx.length = 0;
        st.t = 0;
        for (const k of kept) {
          rowsStream.push(st);
          rowsTok.push(k);
          rowsPos.push(st.t++);
          st.ctx.push(k);
        }
      }
      rowsStream.push(st);
      rowsTok.push(tokens[i]!);
      rowsPos.push(st.t++);
      st.ctx.push(tokens[i]!);
      last.push(rowsStream.length - 1);
    }
    const R = rowsStream.length;
    this.ensureRows(R);
    const C = this.C;
    const m = this.M64;
    const xs = this.xsOff / 8;
    const a0 = this.aOff / 8;
    const q0 = this.qOff / 8;
    const hb = this.hOff / 8;
    for (let r = 0; r < R; r++) {
      const eo = rowsTok[r]! * C;
      const po = rowsPos[r]! * C;
      for (let i = 0; i < C; i++) m[xs + r * C + i] = this.wte[eo + i]! + this.wpe[po + i]!;
    }
    for (let l = 0; l < this.layers.length; l++) {
      const L = this.layers[l]!;
      this.layerNorm(xs, a0, R, L.ln1);
      this.linear(L.attn, a0, q0, R);
      for (let r = 0; r < R; r++) {
        const st = rowsStream[r]!;
        const p = rowsPos[r]! * C;
        const o = q0 + r * 3 * C;
        m.copyWithin(st.kOff[l]! + p, o + C, o + 2 * C);
        m.copyWithin(st.vOff[l]! + p, o + 2 * C, o + 3 * C);
      }
      this.attention(l, rowsStream, rowsPos, R);
      this.linear(L.proj, a0, hb, R);
      this.addTo(xs, hb, R * C);
      this.layerNorm(xs, a0, R, L.ln2);
      this.linear(L.fc, a0, hb, R);
      if (this.simd) this.kernel.gelu2!(hb * 8, R * 4 * C, this.geluOff, GELU_LIM, GELU_STEP);
      else for (let j = 0; j < R * 4 * C; j++) m[hb + j] = geluTab(m[hb + j]!);
      this.linear(L.fc2, hb, a0, R);
      this.addTo(xs, a0, R * C);
    }
    // final LayerNorm and head for each stream's new token only
    const n = last.length;
    for (let i = 0; i < n; i++) {
      const r = last[i]!;
      for (let c = 0; c < C; c++) m[hb + i * C + c] = m[xs + r * C + c]!;
    }
    this.layerNorm(hb, a0, n, this.lnf);
    const V = this.Vsize;
    this.linear(this.head, a0, q0, n);
    for (let i = 0; i < n; i++) {
      const pr = streams[i]!.probs;
      const lo = q0 + i * V;
      let mx = -Infinity;
      for (let v = 0; v < V; v++) if (m[lo + v]! > mx) mx = m[lo + v]!;
      let z = 0;
      for (let v = 0; v < V; v++) {
        const e = expNeg(m[lo + v]! - mx);
        pr[v] = e;
        z += e;
      }
      const iz = 1 / z;
      for (let v = 0; v < V; v++) pr[v] = pr[v]! * iz;
    }
  }
}

/** One stream of an {@link IntGPT} as a single-sequence next-token predictor (gptbits' TokenPredictor). */
export class IntGPTPredictor {
  private readonly st: GPTStream;
  private readonly one = [0];
  constructor(private readonly g: IntGPT) {
    this.st = g.newStream();
  }
  get probs(): Float64Array {
    return this.st.probs;
  }
  push(id: number): void {
    this.one[0] = id;
    this.g.push([this.st], this.one);
  }
}

/** {@link scoresRef} for any D (the wasm kernel needs D % 4 = 0; the remainder goes to the first sum). */
function scoresRefAny(m: Float64Array, q: number, k: number, n: number, D: number, stride: number, out: number): void {
  if (D % 4 === 0) {
    scoresRef(m, q, k, n, D, stride, out);
    return;
  }
  for (let s = 0; s < n; s++) {
    const ko = k + s * stride;
    let d = 0;
    for (let i = 0; i < D; i++) d += m[q + i]! * m[ko + i]!;
    m[out + s] = d;
  }
}

export { matmulRef };
