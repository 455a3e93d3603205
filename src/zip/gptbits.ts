/**
 * The tiny GPT as a bit predictor for the range coder: the UTF-8 trie from characters to bits
 * ({@link GPTBitModel}, shared by both engines) and the float64 reference GPT ({@link GPT64}).
 * `fivelens zip --model` now runs the integer GPT of intgpt.ts (WebAssembly SIMD, ~30× faster, the
 * same bits everywhere); GPT64 stays as the unquantized reference (engine 'float64', and GPTQ's
 * activation recorder), computed in plain float64 JavaScript.
 *
 * Weights are kept as float32 (as trained; half the memory traffic) and every product and sum is
 * taken in float64.
 *
 * Why not tfjs: decoding must reproduce the encoder's probabilities bit for bit on any machine and
 * any backend. float32 kernels on wasm, cpu, webgl… differ in the last bits (summation order, FMA,
 * transcendental approximations). Here every operation is an IEEE-754 double +, −, ×, ÷ or √, which
 * ECMAScript defines exactly, and exp is our own polynomial ({@link expDet}) instead of Math.exp
 * (whose last bit the spec leaves to the engine). The checkpoint is read straight from its
 * safetensors bytes, so coding never touches a tfjs backend at all: encoding while tfjs runs on wasm
 * and decoding while it runs on cpu give the same bytes (tested).
 *
 * From characters to bits: the GPT predicts the next character (code point) from the previous ones
 * (a KV cache; when the context window fills, it restarts from the last half). The UTF-8 bytes of
 * every vocabulary character form a binary trie; at each bit, P(1) = mass of the 1-child / mass of
 * the current node. Bytes that leave the trie (characters outside the vocabulary, invalid UTF-8)
 * get no opinion from the GPT (its input is 0 and a flag tells the mixer) and are skipped in the
 * GPT's context.
 */
import { decodeSafetensors } from '../gpt/safetensors.js';

// ln 2 split in two (Cody–Waite): k·LN2_HI is exact for |k| < 2^11
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.4426950408889634;

/** e^x using only + − × ÷ (range reduction by ln 2, a degree-13 Taylor polynomial, exact 2^k). */
export function expDet(x: number): number {
  if (x > 700) return Infinity;
  if (x < -700) return 0;
  const k = Math.round(x * INV_LN2);
  const r = x - k * LN2_HI - k * LN2_LO; // |r| ≤ ln2/2
  // Horner for Σ r^i / i!, i ≤ 13 (error < 1e-16 relative for |r| ≤ 0.35)
  let p = 1 / 6227020800;
  p = p * r + 1 / 479001600;
  p = p * r + 1 / 39916800;
  p = p * r + 1 / 3628800;
  p = p * r + 1 / 362880;
  p = p * r + 1 / 40320;
  p = p * r + 1 / 5040;
  p = p * r + 1 / 720;
  p = p * r + 1 / 120;
  p = p * r + 1 / 24;
  p = p * r + 1 / 6;
  p = p * r + 0.5;
  p = p * r + 1;
  p = p * r + 1;
  // 2^k by repeated squaring of exact powers of two
  let s = 1;
  let b = k < 0 ? 0.5 : 2;
  let e = Math.abs(k);
  while (e > 0) {
    if (e & 1) s *= b;
    b *= b;
    e >>= 1;
  }
  return p * s;
}

function tanhDet(x: number): number {
  if (x > 20) return 1;
  if (x < -20) return -1;
  const e = expDet(2 * x);
  return (e - 1) / (e + 1);
}

interface Layer {
  ln1w: Float32Array;
  ln1b: Float32Array;
  attnW: Float32Array; // [C, 3C]
  attnB: Float32Array;
  projW: Float32Array; // [C, C]
  projB: Float32Array;
  ln2w: Float32Array;
  ln2b: Float32Array;
  fcW: Float32Array; // [C, 4C]
  fcB: Float32Array;
  fc2W: Float32Array; // [4C, C]
  fc2B: Float32Array;
}

export interface GPTWeights {
  nLayer: number;
  nHead: number;
  C: number;
  T: number;
  V: number;
  chars: string[];
  wte: Float32Array; // [V, C]
  wpe: Float32Array; // [T, C]
  layers: Layer[];
  lnfw: Float32Array;
  lnfb: Float32Array;
  head: Float32Array; // [V, C]
}

/**
 * Parse a fivelens-gpt/1 safetensors checkpoint (no tfjs). `meta` supplies the config / vocabulary JSON
 * when the file does not carry them (a run folder keeps them in config.json and vocab.json).
 */
export function loadGPTWeights(bytes: Uint8Array, meta: { config?: string; vocab?: string } = {}): GPTWeights {
  const { tensors, metadata: fileMeta } = decodeSafetensors(bytes);
  const metadata = { ...fileMeta, ...(meta.config ? { config: meta.config } : {}), ...(meta.vocab ? { vocab: meta.vocab } : {}) };
  if (!metadata.config || !metadata.vocab) throw new Error('missing config/vocab metadata');
  const cfg = JSON.parse(metadata.config) as { nLayer: number; nHead: number; nEmbd: number; blockSize: number; tieWeights: boolean };
  const vj = JSON.parse(metadata.vocab) as { chars?: string[] } | string[];
  const chars = Array.isArray(vj) ? vj : vj.chars;
  if (!chars) throw new Error('vocabulary metadata has no chars');
  const get = (n: string) => {
    const t = tensors[n];
    if (!t) throw new Error(`missing tensor ${n}`);
    return Float32Array.from(t.data);
  };
  const layers: Layer[] = [];
  for (let l = 0; l < cfg.nLayer; l++) {
    const h = `h.${l}`;
    layers.push({
      ln1w: get(`${h}.ln_1.weight`),
      ln1b: get(`${h}.ln_1.bias`),
      attnW: get(`${h}.attn.c_attn.weight`),
      attnB: get(`${h}.attn.c_attn.bias`),
      projW: get(`${h}.attn.c_proj.weight`),
      projB: get(`${h}.attn.c_proj.bias`),
      ln2w: get(`${h}.ln_2.weight`),
      ln2b: get(`${h}.ln_2.bias`),
      fcW: get(`${h}.mlp.c_fc.weight`),
      fcB: get(`${h}.mlp.c_fc.bias`),
      fc2W: get(`${h}.mlp.c_proj.weight`),
      fc2B: get(`${h}.mlp.c_proj.bias`),
    });
  }
  const wte = get('wte');
  return {
    nLayer: cfg.nLayer,
    nHead: cfg.nHead,
    C: cfg.nEmbd,
    T: cfg.blockSize,
    V: chars.length,
    chars,
    wte,
    wpe: get('wpe'),
    layers,
    lnfw: get('ln_f.weight'),
    lnfb: get('ln_f.bias'),
    head: cfg.tieWeights ? wte : get('lm_head.weight'),
  };
}

function layerNormInto(out: Float64Array, x: Float64Array, w: Float32Array, b: Float32Array, C: number): void {
  let mean = 0;
  for (let i = 0; i < C; i++) mean += x[i]!;
  mean /= C;
  let v = 0;
  for (let i = 0; i < C; i++) v += (x[i]! - mean) ** 2;
  const inv = 1 / Math.sqrt(v / C + 1e-5);
  for (let i = 0; i < C; i++) out[i] = (x[i]! - mean) * inv * w[i]! + b[i]!;
}

/** out[j] = b[j] + Σ_i x[i] W[i, j], W [I, J] row-major. */
function linearInto(out: Float64Array, x: Float64Array, W: Float32Array, b: Float32Array, I: number, J: number): void {
  for (let j = 0; j < J; j++) out[j] = b[j]!;
  for (let i = 0; i < I; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const o = i * J;
    for (let j = 0; j < J; j++) out[j] = out[j]! + xi * W[o + j]!;
  }
}

/** Incremental float64 GPT with a KV cache: feed tokens one at a time, read next-token probabilities. */
export class GPT64 {
  private readonly K: Float64Array[]; // per layer [T, C]
  private readonly Vc: Float64Array[];
  private t = 0;
  private readonly ctx: number[] = [];
  private readonly x: Float64Array;
  private readonly a: Float64Array;
  private readonly qkv: Float64Array;
  private readonly att: Float64Array;
  private readonly y: Float64Array;
  private readonly h: Float64Array;
  private readonly scores: Float64Array;
  readonly probs: Float64Array;
  /** if set, sees the input of every linear layer (for GPTQ's Hessians) */
  recorder: ((layer: number, kind: 'attn.c_attn' | 'attn.c_proj' | 'mlp.c_fc' | 'mlp.c_proj', x: Float64Array) => void) | undefined;

  constructor(readonly w: GPTWeights) {
    const { C, T, V } = w;
    this.K = w.layers.map(() => new Float64Array(T * C));
    this.Vc = w.layers.map(() => new Float64Array(T * C));
    this.x = new Float64Array(C);
    this.a = new Float64Array(C);
    this.qkv = new Float64Array(3 * C);
    this.att = new Float64Array(C);
    this.y = new Float64Array(C);
    this.h = new Float64Array(4 * C);
    this.scores = new Float64Array(T);
    this.probs = new Float64Array(V).fill(1 / V);
  }

  /** Append token `id` and compute the distribution of the next one into `probs`. */
  push(id: number): void {
    const T = this.w.T;
    if (this.t === T) {
      // window full: restart from the last half of the context
      const keep = this.ctx.slice(this.ctx.length - (T >> 1));
      this.ctx.length = 0;
      this.t = 0;
      for (const k of keep) this.step(k, false);
    }
    this.step(id, true);
  }

  private step(id: number, wantProbs: boolean): void {
    const { C, nHead: H, layers, V } = this.w;
    const D = C / H;
    const t = this.t;
    const x = this.x;
    for (let i = 0; i < C; i++) x[i] = this.w.wte[id * C + i]! + this.w.wpe[t * C + i]!;
    const scale = 1 / Math.sqrt(D);
    for (let l = 0; l < layers.length; l++) {
      const L = layers[l]!;
      layerNormInto(this.a, x, L.ln1w, L.ln1b, C);
      this.recorder?.(l, 'attn.c_attn', this.a);
      linearInto(this.qkv, this.a, L.attnW, L.attnB, C, 3 * C);
      const K = this.K[l]!;
      const Vv = this.Vc[l]!;
      for (let i = 0; i < C; i++) {
        K[t * C + i] = this.qkv[C + i]!;
        Vv[t * C + i] = this.qkv[2 * C + i]!;
      }
      for (let hh = 0; hh < H; hh++) {
        const o = hh * D;
        let mx = -Infinity;
        for (let s = 0; s <= t; s++) {
          let d = 0;
          for (let i = 0; i < D; i++) d += this.qkv[o + i]! * K[s * C + o + i]!;
          d *= scale;
          this.scores[s] = d;
          if (d > mx) mx = d;
        }
        let z = 0;
        for (let s = 0; s <= t; s++) {
          const e = expDet(this.scores[s]! - mx);
          this.scores[s] = e;
          z += e;
        }
        for (let i = 0; i < D; i++) this.att[o + i] = 0;
        for (let s = 0; s <= t; s++) {
          const pr = this.scores[s]! / z;
          for (let i = 0; i < D; i++) this.att[o + i] = this.att[o + i]! + pr * Vv[s * C + o + i]!;
        }
      }
      this.recorder?.(l, 'attn.c_proj', this.att);
      linearInto(this.y, this.att, L.projW, L.projB, C, C);
      for (let i = 0; i < C; i++) x[i] = x[i]! + this.y[i]!;
      layerNormInto(this.a, x, L.ln2w, L.ln2b, C);
      this.recorder?.(l, 'mlp.c_fc', this.a);
      linearInto(this.h, this.a, L.fcW, L.fcB, C, 4 * C);
      const K2 = Math.sqrt(2 / Math.PI);
      for (let i = 0; i < 4 * C; i++) {
        const v = this.h[i]!;
        this.h[i] = 0.5 * v * (1 + tanhDet(K2 * (v + 0.044715 * v * v * v)));
      }
      this.recorder?.(l, 'mlp.c_proj', this.h);
      linearInto(this.y, this.h, L.fc2W, L.fc2B, 4 * C, C);
      for (let i = 0; i < C; i++) x[i] = x[i]! + this.y[i]!;
    }
    this.ctx.push(id);
    this.t = t + 1;
    if (!wantProbs) return;
    layerNormInto(this.a, x, this.w.lnfw, this.w.lnfb, C);
    let mx = -Infinity;
    const head = this.w.head;
    for (let v = 0; v < V; v++) {
      let d = 0;
      const o = v * C;
      for (let i = 0; i < C; i++) d += this.a[i]! * head[o + i]!;
      this.probs[v] = d;
      if (d > mx) mx = d;
    }
    let z = 0;
    for (let v = 0; v < V; v++) {
      const e = expDet(this.probs[v]! - mx);
      this.probs[v] = e;
      z += e;
    }
    for (let v = 0; v < V; v++) this.probs[v] = this.probs[v]! / z;
  }
}

/**
 * Binary trie over the UTF-8 bits of the vocabulary. Node 0 is the root; child[2n+b] is the node
 * after bit b (or −1). leafOf[v] is the path of token v, as node ids per bit (8 per byte).
 */
class Utf8Trie {
  readonly child: Int32Array;
  readonly paths: Int32Array[];
  readonly nodes: number;
  constructor(chars: string[]) {
    const enc = new TextEncoder();
    const kids: number[] = [-1, -1];
    let n = 1;
    this.paths = chars.map((ch) => {
      const bytes = enc.encode(ch);
      const path = new Int32Array(bytes.length * 8 + 1);
      let node = 0;
      path[0] = 0;
      let k = 1;
      for (const by of bytes) {
        for (let b = 7; b >= 0; b--) {
          const bit = (by >> b) & 1;
          let c = kids[2 * node + bit]!;
          if (c < 0) {
            c = n++;
            kids[2 * node + bit] = c;
            kids.push(-1, -1);
          }
          node = c;
          path[k++] = node;
        }
      }
      return path;
    });
    this.child = Int32Array.from(kids);
    this.nodes = n;
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Expected UTF-8 sequence length from a lead byte (1 for ASCII and for invalid leads). */
function utf8Len(b: number): number {
  return b < 0xc0 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : b < 0xf8 ? 4 : 1;
}

/** A next-character model: `push` appends a token and refreshes `probs` (the next token's distribution). */
export interface TokenPredictor {
  readonly probs: Float64Array;
  push(id: number): void;
}

/** Per-bit GPT opinion: stretch-domain logit ×256 (deterministic) or "none". */
export class GPTBitModel {
  private readonly gpt: TokenPredictor;
  private readonly trie: Utf8Trie;
  private readonly mass: Float64Array;
  private readonly idOf = new Map<string, number>();
  private node = 0; // current trie node (−1: left the trie)
  private charBytes: number[] = [];
  private started = false;

  constructor(
    readonly weights: GPTWeights,
    predictor?: TokenPredictor,
  ) {
    this.gpt = predictor ?? new GPT64(weights);
    this.trie = new Utf8Trie(weights.chars);
    this.mass = new Float64Array(this.trie.nodes);
    weights.chars.forEach((c, i) => this.idOf.set(c, i));
    // the first character has no context: start from a newline if the vocabulary has one, else token 0
    this.gpt.push(this.idOf.get('\n') ?? 0);
    this.recomputeMass();
    this.started = true;
  }

  private recomputeMass(): void {
    const m = this.mass;
    m.fill(0);
    const probs = this.gpt.probs;
    const paths = this.trie.paths;
    for (let v = 0; v < paths.length; v++) {
      const q = probs[v]!;
      const path = paths[v]!;
      for (let k = 0; k < path.length; k++) m[path[k]!] = m[path[k]!]! + q;
    }
  }

  /** P(next bit = 1) as a float in (0,1), or −1 when the GPT has no opinion. */
  p1(): number {
    if (this.node < 0) return -1;
    const c1 = this.trie.child[2 * this.node + 1]!;
    const c0 = this.trie.child[2 * this.node]!;
    const m1 = c1 >= 0 ? this.mass[c1]! : 0;
    const m0 = c0 >= 0 ? this.mass[c0]! : 0;
    const tot = m0 + m1;
    if (!(tot > 0)) return -1;
    return m1 / tot;
  }

  update(bit: number, byteDone: number | undefined): void {
    if (this.node >= 0) this.node = this.trie.child[2 * this.node + bit]!;
    if (byteDone === undefined) return;
    this.charBytes.push(byteDone);
    const need = utf8Len(this.charBytes[0]!);
    if (this.charBytes.length < need) return;
    // a whole character (or an invalid byte) is done
    let id: number | undefined;
    const cb = this.charBytes;
    if (cb.length === 1) {
      id = cb[0]! < 128 ? this.idOf.get(String.fromCharCode(cb[0]!)) : undefined;
    } else {
      try {
        id = this.idOf.get(STRICT_UTF8.decode(Uint8Array.from(cb)));
      } catch {
        id = undefined;
      }
    }
    this.charBytes = [];
    if (id !== undefined && this.started) {
      this.gpt.push(id);
      this.recomputeMass();
    }
    this.node = 0;
  }
}
