/**
 * A plain-JavaScript float64 forward pass of the same GPT (no tfjs), the outside reference the
 * tests check the tfjs model and its gradients against (finite differences in float64).
 * Slow: for tiny models only. Same maths as model.ts: pre-LN blocks, causal softmax attention,
 * tanh-GELU MLP, final LN, tied (or separate) head; no dropout.
 */
import type { GPTConfig } from './config.js';

export type F64Params = Record<string, { shape: number[]; data: Float64Array }>;

const LN_EPS = 1e-5;
const GELU_K = Math.sqrt(2 / Math.PI);

function ln(x: Float64Array, rows: number, C: number, w: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    let m = 0;
    for (let c = 0; c < C; c++) m += x[r * C + c]!;
    m /= C;
    let v = 0;
    for (let c = 0; c < C; c++) v += (x[r * C + c]! - m) ** 2;
    v /= C;
    const s = 1 / Math.sqrt(v + LN_EPS);
    for (let c = 0; c < C; c++) out[r * C + c] = (x[r * C + c]! - m) * s * w[c]! + b[c]!;
  }
  return out;
}

/** x [rows, K] · W [K, N] + b */
function lin(x: Float64Array, rows: number, K: number, W: Float64Array, N: number, b?: Float64Array): Float64Array {
  const out = new Float64Array(rows * N);
  for (let r = 0; r < rows; r++)
    for (let n = 0; n < N; n++) {
      let s = b ? b[n]! : 0;
      for (let k = 0; k < K; k++) s += x[r * K + k]! * W[k * N + n]!;
      out[r * N + n] = s;
    }
  return out;
}

/** Logits [B·T, V] of idx [B, T] in float64. */
export function referenceLogits(c: GPTConfig, V: number, P: F64Params, idx: ArrayLike<number>, B: number, T: number): Float64Array {
  const C = c.nEmbd;
  const H = c.nHead;
  const D = C / H;
  const N = B * T;
  const g = (n: string) => {
    const p = P[n];
    if (!p) throw new Error(`missing ${n}`);
    return p.data;
  };
  let x = new Float64Array(N * C);
  const wte = g('wte');
  const wpe = g('wpe');
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++) for (let ch = 0; ch < C; ch++) x[(b * T + t) * C + ch] = wte[idx[b * T + t]! * C + ch]! + wpe[t * C + ch]!;
  for (let l = 0; l < c.nLayer; l++) {
    const h = `h.${l}`;
    const a = ln(x, N, C, g(`${h}.ln_1.weight`), g(`${h}.ln_1.bias`));
    const qkv = lin(a, N, C, g(`${h}.attn.c_attn.weight`), 3 * C, g(`${h}.attn.c_attn.bias`));
    const y = new Float64Array(N * C);
    for (let b = 0; b < B; b++)
      for (let hh = 0; hh < H; hh++)
        for (let i = 0; i < T; i++) {
          const s = new Float64Array(i + 1);
          let mx = -Infinity;
          for (let j = 0; j <= i; j++) {
            let d = 0;
            for (let e = 0; e < D; e++) d += qkv[(b * T + i) * 3 * C + hh * D + e]! * qkv[(b * T + j) * 3 * C + C + hh * D + e]!;
            s[j] = d / Math.sqrt(D);
            mx = Math.max(mx, s[j]!);
          }
          let z = 0;
          for (let j = 0; j <= i; j++) {
            s[j] = Math.exp(s[j]! - mx);
            z += s[j]!;
          }
          for (let e = 0; e < D; e++) {
            let acc = 0;
            for (let j = 0; j <= i; j++) acc += (s[j]! / z) * qkv[(b * T + j) * 3 * C + 2 * C + hh * D + e]!;
            y[(b * T + i) * C + hh * D + e] = acc;
          }
        }
    const o = lin(y, N, C, g(`${h}.attn.c_proj.weight`), C, g(`${h}.attn.c_proj.bias`));
    x = x.map((v, i) => v + o[i]!);
    const m = ln(x, N, C, g(`${h}.ln_2.weight`), g(`${h}.ln_2.bias`));
    const f = lin(m, N, C, g(`${h}.mlp.c_fc.weight`), 4 * C, g(`${h}.mlp.c_fc.bias`)).map(
      (u) => 0.5 * u * (1 + Math.tanh(GELU_K * (u + 0.044715 * u * u * u))),
    );
    const o2 = lin(f, N, 4 * C, g(`${h}.mlp.c_proj.weight`), C, g(`${h}.mlp.c_proj.bias`));
    x = x.map((v, i) => v + o2[i]!);
  }
  const xf = ln(x, N, C, g('ln_f.weight'), g('ln_f.bias'));
  const head = c.tieWeights ? wte : g('lm_head.weight'); // [V, C]
  const logits = new Float64Array(N * V);
  for (let r = 0; r < N; r++)
    for (let v = 0; v < V; v++) {
      let s = 0;
      for (let ch = 0; ch < C; ch++) s += xf[r * C + ch]! * head[v * C + ch]!;
      logits[r * V + v] = s;
    }
  return logits;
}

/** Mean next-token cross-entropy (nats) in float64. */
export function referenceLoss(c: GPTConfig, V: number, P: F64Params, idx: ArrayLike<number>, targets: ArrayLike<number>, B: number, T: number): number {
  const logits = referenceLogits(c, V, P, idx, B, T);
  let total = 0;
  for (let r = 0; r < B * T; r++) {
    let mx = -Infinity;
    for (let v = 0; v < V; v++) mx = Math.max(mx, logits[r * V + v]!);
    let z = 0;
    for (let v = 0; v < V; v++) z += Math.exp(logits[r * V + v]! - mx);
    total += mx + Math.log(z) - logits[r * V + targets[r]!]!;
  }
  return total / (B * T);
}
