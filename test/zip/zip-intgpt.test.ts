import { describe, it, expect } from 'vitest';
import { Rng } from '../../src/engine/rng.js';
import { initEngine } from '../../src/engine/tf.js';
import { IntKernel, wasmSimdAvailable, geluPairs, packWeights, matmulRef, padK, padN, xMaxFor, scoresRef, wsumRef } from '../../src/zip/intgpt-wasm.js';
import { IntGPT, EXP_A, EXP_B, GELU_LIM, GELU_STEP, GELU_T, expNeg, geluTab, intGPTConfigString } from '../../src/zip/intgpt.js';
import { GPT64, loadGPTWeights } from '../../src/zip/gptbits.js';
import { gptModel, dictModel } from '../../src/zip/zipmodels.js';
import { CM2 } from '../../src/zip/cm2.js';
import { encodeBytes } from '../../src/zip/rangecoder.js';
import { zipBytes, unzipBytes } from '../../src/zip/codec.js';
import { encodeSafetensors, decodeSafetensors } from '../../src/gpt/safetensors.js';
import { parameterShapes } from '../../src/gpt/model.js';

/** A random GPT checkpoint (trained-like scales: LayerNorm weights 1, others N(0, std)). */
function randomCheckpoint(seed: number, chars: string[], o: { T?: number; C?: number; H?: number; L?: number; std?: number } = {}): Uint8Array {
  const rng = new Rng(seed);
  const config = { name: 'test', nLayer: o.L ?? 2, nHead: o.H ?? 2, nEmbd: o.C ?? 16, blockSize: o.T ?? 8, dropout: 0, tieWeights: true, train: { batchSize: 1, lr: 1e-3, minLr: 1e-4, warmupSteps: 1, weightDecay: 0, beta1: 0.9, beta2: 0.99, eps: 1e-8, gradClip: 1 } };
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [name, shape] of parameterShapes(config, chars.length)) {
    const n = shape.reduce((a, b) => a * b, 1);
    tensors[name] = { shape, data: name.includes('ln_') && name.endsWith('weight') ? new Float32Array(n).fill(1) : rng.normalArray(n, o.std ?? 0.3) };
  }
  return encodeSafetensors(tensors, { format: 'fivelens-gpt/1', config: JSON.stringify(config), vocab: JSON.stringify({ type: 'char', chars }), extra: '{}' });
}

const CHARS = [...new Set('\n abcdefghijklmnopqrstuvwxyz.,'.split(''))].sort();

/** Run a model over a token sequence, returning every next-token distribution (copied). */
function allProbs(g: IntGPT, toks: number[]): Float64Array[] {
  const st = g.newStream();
  const out: Float64Array[] = [];
  for (const t of toks) {
    g.push([st], [t]);
    out.push(st.probs.slice());
  }
  return out;
}

describe('integer matrix kernel (WebAssembly SIMD)', () => {
  it('is available in Node and equals the exact integer product, also at the overflow bounds', () => {
    expect(wasmSimdAvailable()).toBe(true);
    const rng = new Rng(1);
    const k = new IntKernel();
    for (const [R, K, N, extreme] of [
      [1, 16, 16, false],
      [3, 18, 20, false],
      [6, 128, 65, false],
      [2, 512, 33, true],
      [5, 7, 3, true],
    ] as const) {
      const Kp = padK(K);
      const Np = padN(N);
      const xm = xMaxFor(Kp);
      const q = new Int8Array(K * N).map(() => (extreme ? (rng.next() < 0.5 ? -127 : 127) : rng.int(255) - 127));
      const x = new Int16Array(R * Kp);
      for (let r = 0; r < R; r++) for (let i = 0; i < K; i++) x[r * Kp + i] = extreme ? (q[i * N]! > 0 ? xm : -xm) : rng.int(2 * xm + 1) - xm;
      const wOff = k.putWeights(packWeights(q, K, N));
      const xOff = k.alloc(R * Kp * 2);
      const oOff = k.alloc(R * Np * 4);
      new Int16Array(k.memory.buffer, xOff, R * Kp).set(x);
      k.matmul(wOff, xOff, oOff, R, Kp, Np);
      const got = new Int32Array(k.memory.buffer, oOff, R * Np);
      const xr = new Int16Array(R * K);
      for (let r = 0; r < R; r++) for (let i = 0; i < K; i++) xr[r * K + i] = x[r * Kp + i]!;
      const ref = new Float64Array(R * N);
      matmulRef(xr, q, R, K, N, ref);
      for (let r = 0; r < R; r++) for (let n = 0; n < N; n++) expect(got[r * Np + n]).toBe(ref[r * N + n]);
      if (extreme) expect(Math.max(...Array.from(ref, Math.abs))).toBeGreaterThan(2 ** 24); // past float32's exact range
    }
  });
  it('attention kernels (f64x2) give the same doubles as their JS references', () => {
    const rng = new Rng(2);
    const k = new IntKernel();
    const D = 16;
    const C = 48;
    const n = 13;
    const q = k.alloc(D * 8) / 8;
    const kv = k.alloc(n * C * 8) / 8;
    const p = k.alloc(n * 8) / 8;
    const o1 = k.alloc(64 * 8) / 8;
    const o2 = k.alloc(64 * 8) / 8;
    const m = new Float64Array(k.memory.buffer);
    for (let i = 0; i < D; i++) m[q + i] = rng.normal() * 3;
    for (let i = 0; i < n * C; i++) m[kv + i] = rng.normal() * 2;
    for (let i = 0; i < n; i++) m[p + i] = rng.next();
    k.scores!(q * 8, (kv + 8) * 8, n, D, C * 8, o1 * 8);
    scoresRef(m, q, kv + 8, n, D, C, o2);
    for (let s = 0; s < n; s++) expect(Object.is(m[o1 + s], m[o2 + s])).toBe(true);
    k.wsum!(p * 8, (kv + 16) * 8, n, D, C * 8, o1 * 8);
    wsumRef(m, p, kv + 16, n, D, C, o2);
    for (let i = 0; i < D; i++) expect(Object.is(m[o1 + i], m[o2 + i])).toBe(true);
  });
  it('one attention head (scores, table exp two at a time, 8- and 16-wide weighted sums) equals the scalar operations', () => {
    const rng = new Rng(3);
    const k = new IntKernel();
    const C = 96;
    const T = 40;
    const q0 = k.alloc(C * 8) / 8;
    const kc = k.alloc(T * C * 8) / 8;
    const vc = k.alloc(T * C * 8) / 8;
    const sc = k.alloc(T * 8) / 8;
    const out = k.alloc(C * 8) / 8;
    const ref = k.alloc(C * 8) / 8;
    const ta = k.alloc(EXP_A.length * 8);
    const tb = k.alloc(EXP_B.length * 8);
    const m = new Float64Array(k.memory.buffer);
    m.set(EXP_A, ta / 8);
    m.set(EXP_B, tb / 8);
    for (let i = 0; i < C; i++) m[q0 + i] = rng.normal() * 2;
    for (let i = 0; i < T * C; i++) {
      m[kc + i] = rng.normal() * 2;
      m[vc + i] = rng.normal();
    }
    m[kc + 3 * C] = 400; // a position far above the rest: the others' e^(d − max) underflow to 0 (the table's edge)
    for (const D of [8, 16, 24, 32, 48]) {
      for (const n of [1, 2, 3, 13, 36, 40]) {
        const scale = 1 / Math.sqrt(D);
        k.attnhead!(q0 * 8, kc * 8, vc * 8, n, D, C * 8, out * 8, scale, sc * 8, ta, tb);
        // the scalar operations (intgpt.ts, plain path)
        const s = new Float64Array(n);
        scoresRef(m, q0, kc, n, D, C, ref);
        let mx = -Infinity;
        for (let j = 0; j < n; j++) mx = Math.max(mx, (s[j] = m[ref + j]! * scale));
        let z = 0;
        for (let j = 0; j < n; j++) z += m[ref + j] = expNeg(s[j]! - mx);
        wsumRef(m, ref, vc, n, D, C, ref + 48);
        for (let i = 0; i < D; i++) expect(Object.is(m[out + i], m[ref + 48 + i]! * (1 / z))).toBe(true);
      }
    }
  });
  it('GELU two at a time and int16 quantization eight at a time equal their scalar kernels', () => {
    const rng = new Rng(4);
    const k = new IntKernel();
    const n = 512;
    const x = k.alloc(n * 8) / 8;
    const pairs = geluPairs(GELU_T);
    const tab = k.alloc(pairs.length * 8);
    const tab32 = k.alloc(GELU_T.length * 4);
    const m = new Float64Array(k.memory.buffer);
    m.set(pairs, tab / 8);
    new Float32Array(k.memory.buffer, tab32, GELU_T.length).set(GELU_T);
    const vals = Float64Array.from({ length: n }, (_, i) => (i < 16 ? [6, -6, 6 + 1e-12, -6 - 1e-12, 5.999999, -5.999999, 0, -0, 1e300, -1e300, 7, -7, 1 / 256, -1 / 512, 3.0039, -2.5][i]! : rng.normal() * 3));
    m.set(vals, x);
    k.gelu2!(x * 8, n, tab, GELU_LIM, GELU_STEP);
    for (let i = 0; i < n; i++) expect(Object.is(m[x + i], geluTab(vals[i]!))).toBe(true);
    // quant8 against the scalar quant, on rows with values at rounding ties of x·s + 32768.5
    const K = 128;
    const R = 3;
    const src = k.alloc(R * K * 8) / 8;
    const x1 = k.alloc(R * K * 2);
    const x2 = k.alloc(R * K * 2);
    const inv1 = k.alloc(R * 8);
    const inv2 = k.alloc(R * 8);
    const xMax = xMaxFor(K);
    const mm = new Float64Array(k.memory.buffer);
    for (let i = 0; i < R * K; i++) mm[src + i] = rng.normal() * 4;
    for (let i = 0; i < 20; i++) mm[src + K + i] = ((i - 10 + 0.5) * 4) / xMax; // ties, with row 1's max = 4·… below
    mm[src + K + 20] = 4;
    for (let i = 0; i < K; i++) mm[src + 2 * K + i] = 0; // an all-zero row
    k.quant!(src * 8, K, R, x1, K, xMax, inv1);
    k.quant8!(src * 8, K, R, x2, K, xMax, inv2);
    expect(Array.from(new Int16Array(k.memory.buffer, x2, R * K))).toEqual(Array.from(new Int16Array(k.memory.buffer, x1, R * K)));
    expect(Array.from(new Float64Array(k.memory.buffer, inv2, R))).toEqual(Array.from(new Float64Array(k.memory.buffer, inv1, R)));
  });
  it('deterministic exp and GELU tables are accurate', () => {
    for (const x of [0, -1e-9, -0.3, -1, -7.77, -30, -62.9]) expect(Math.abs(expNeg(x) / Math.exp(x) - 1)).toBeLessThan(1e-14);
    expect(expNeg(-70)).toBe(0);
    const k = Math.sqrt(2 / Math.PI);
    for (let x = -8; x <= 8; x += 0.0371) expect(Math.abs(geluTab(x) - 0.5 * x * (1 + Math.tanh(k * (x + 0.044715 * x ** 3))))).toBeLessThan(3e-6);
  });
});

describe('integer GPT', () => {
  const rng = new Rng(5);
  const toks = Array.from({ length: 40 }, () => rng.int(CHARS.length));
  it('fast path (wasm SIMD) and plain JS path give bit-identical probabilities, across window restarts', () => {
    for (const o of [
      { C: 16, H: 2 }, // D = 8: SIMD attention
      { C: 32, H: 1 }, // D = 32: 16-wide weighted sums, 8-lane LayerNorm over 4 blocks
      { C: 12, H: 3 }, // D = 4: JS attention, quant2 path, LayerNorm in JS (C % 8 ≠ 0)
      { C: 10, H: 2 }, // D = 5: odd head size, scalar fallbacks
    ]) {
      const w = loadGPTWeights(randomCheckpoint(3, CHARS, { ...o, T: 8 }));
      for (const scheme of [2, 1] as const) {
        const fast = allProbs(new IntGPT(w, { keep: 3, scheme }), toks);
        const plain = allProbs(new IntGPT(w, { keep: 3, scheme, plain: true }), toks);
        fast.forEach((p, i) => expect(Array.from(p)).toEqual(Array.from(plain[i]!)));
      }
      // the two schemes differ only in the last bits (the order of LayerNorm's additions)
      const one = allProbs(new IntGPT(w, { keep: 3, scheme: 1 }), toks);
      const two = allProbs(new IntGPT(w, { keep: 3 }), toks);
      two.forEach((p, i) => p.forEach((v, j) => expect(Math.abs(v - one[i]![j]!)).toBeLessThan(1e-6)));
    }
  });
  it('tracks the float64 reference model (int8 weights, int16 activations)', () => {
    const w = loadGPTWeights(randomCheckpoint(4, CHARS, { C: 32, H: 4, T: 64, std: 0.15 }));
    const g = new IntGPT(w);
    const ref = new GPT64(w);
    const st = g.newStream();
    let maxKl = 0;
    for (const t of toks.slice(0, 30)) {
      g.push([st], [t]);
      ref.push(t);
      let kl = 0;
      for (let v = 0; v < w.V; v++) kl += ref.probs[v]! * Math.log(ref.probs[v]! / st.probs[v]!);
      maxKl = Math.max(maxKl, kl);
    }
    expect(maxKl).toBeLessThan(1e-3);
  });
  it('several streams in one batch equal each stream run alone', () => {
    const w = loadGPTWeights(randomCheckpoint(6, CHARS, { C: 16, H: 2, T: 8 }));
    const g = new IntGPT(w, { keep: 2 });
    const a = g.newStream();
    const b = g.newStream();
    const toksB = toks.slice().reverse();
    const pa: number[][] = [];
    const pb: number[][] = [];
    for (let i = 0; i < toks.length; i++) {
      if (i % 3 === 2) g.push([b], [toksB[i]!]);
      else g.push([a, b], [toks[i]!, toksB[i]!]);
      if (i % 3 !== 2) pa.push(Array.from(a.probs));
      pb.push(Array.from(b.probs));
    }
    const soloA = allProbs(new IntGPT(w, { keep: 2 }), toks.filter((_, i) => i % 3 !== 2));
    const soloB = allProbs(new IntGPT(w, { keep: 2 }), toksB);
    soloA.forEach((p, i) => expect(Array.from(p)).toEqual(pa[i]));
    soloB.forEach((p, i) => expect(Array.from(p)).toEqual(pb[i]));
  });
  it('gives the same probability bits whichever tfjs backend is active (it never uses tfjs)', async () => {
    const w = loadGPTWeights(randomCheckpoint(7, CHARS, { C: 16, H: 2, T: 8 }));
    expect(await initEngine('wasm')).toBe('wasm');
    const onWasm = allProbs(new IntGPT(w), toks);
    expect(await initEngine('cpu')).toBe('cpu');
    const onCpu = allProbs(new IntGPT(w, { plain: true }), toks);
    await initEngine('wasm');
    onWasm.forEach((p, i) => expect(Array.from(p)).toEqual(Array.from(onCpu[i]!)));
  });
});

describe('zip --model with the integer GPT', () => {
  const enc = new TextEncoder();
  const data = enc.encode('the cat sat on the mat, and the dog sat on the log.\n'.repeat(6) + 'ünïcödé \u0000\xff');
  it('encodes on the SIMD path and decodes on the plain JS path (bit-exact), far past the context', () => {
    const ck = randomCheckpoint(8, CHARS, { C: 16, H: 2, T: 8 });
    const file = zipBytes(data, gptModel(ck, { tableBits: 16 }));
    expect(Array.from(unzipBytes(file, gptModel(ck, { tableBits: 16 }, undefined, { plain: true })))).toEqual(Array.from(data));
  });
  it('the model hash covers the scheme: another window policy or the float64 engine is a wrong model', () => {
    const ck = randomCheckpoint(9, CHARS, { C: 16, H: 2, T: 8 });
    const file = zipBytes(data.subarray(0, 40), gptModel(ck, { tableBits: 16 }));
    expect(() => unzipBytes(file, gptModel(ck, { tableBits: 16 }, undefined, { keep: 5 }))).toThrow(/wrong model/);
    expect(() => unzipBytes(file, gptModel(ck, { tableBits: 16 }, undefined, { engine: 'float64' }))).toThrow(/wrong model/);
    expect(intGPTConfigString(loadGPTWeights(ck))).toMatch(/^igpt2:keep1:/);
  });
  it('files of the previous version (scheme 1, keep T/8) still decode; any other variant is a wrong model', () => {
    const ck = randomCheckpoint(11, CHARS, { C: 16, H: 2, T: 32 });
    const w = loadGPTWeights(ck);
    expect(intGPTConfigString(w)).toMatch(/^igpt2:keep2:/);
    expect(intGPTConfigString(w, { scheme: 1, keep: 4 })).toBe('igpt1:keep4:exp256p4:gelu6/256f32'); // the previous version's string, unchanged
    // the identities a file of today's default may have been written with: the GPT in the first
    // context mixer (cm1) with today's scheme, then with scheme 1 (keep T/8)
    const older = gptModel(ck, { tableBits: 16 }).alternatives!();
    expect(older.map((m) => m.config.replace(/^(igpt\d):.*\|(cm\d):.*$/, '$1 $2'))).toEqual(['igpt2 cm1', 'igpt1 cm1']);
    for (const m of older) expect(Array.from(unzipBytes(zipBytes(data, m), gptModel(ck, { tableBits: 16 })))).toEqual(Array.from(data));
    expect(gptModel(ck, { tableBits: 16 }).config).toMatch(/\|cm4:/);
    for (const g of [{ keep: 3 }, { keep: 4 }, { scheme: 1 as const }]) {
      const other = zipBytes(data.subarray(0, 50), gptModel(ck, { tableBits: 16 }, undefined, g));
      expect(() => unzipBytes(other, gptModel(ck, { tableBits: 16 }))).toThrow(/wrong model/);
    }
  });
  it('reads a run folder checkpoint (config and vocabulary beside the weights) and hashes them', () => {
    const ck = randomCheckpoint(10, CHARS, { C: 16, H: 2, T: 8 });
    const { tensors, metadata } = decodeSafetensors(ck);
    const bare = encodeSafetensors(tensors, { format: 'fivelens-gpt/1' });
    expect(() => loadGPTWeights(bare)).toThrow(/config/);
    const meta = { config: metadata.config!, vocab: metadata.vocab! };
    const m = gptModel(bare, { tableBits: 16 }, undefined, { meta });
    const file = zipBytes(data.subarray(0, 60), m);
    expect(Array.from(unzipBytes(file, gptModel(bare, { tableBits: 16 }, undefined, { meta })))).toEqual(Array.from(data.subarray(0, 60)));
    const otherVocab = { ...meta, vocab: JSON.stringify({ type: 'char', chars: [...CHARS].reverse() }) };
    expect(() => unzipBytes(file, gptModel(bare, { tableBits: 16 }, undefined, { meta: otherVocab }))).toThrow(/wrong model/);
  });
});

describe('dictionary priming done once', () => {
  it('a copied primed mixer codes exactly as a freshly primed one (and files decode across both)', () => {
    const enc = new TextEncoder();
    const dict = enc.encode('ROMEO: What say you to my love? JULIET: I say my love is yours.\n'.repeat(30));
    const data = enc.encode('JULIET: What say you, Romeo, to my love?\nROMEO: I say my love is yours.\n');
    const direct = new CM2({ tableBits: 16 });
    direct.prime(dict);
    const m = dictModel(dict, { tableBits: 16 });
    const viaCopy = encodeBytes(data, m.create());
    expect(Array.from(encodeBytes(data, direct))).toEqual(Array.from(viaCopy));
    const file = zipBytes(data, m);
    expect(Array.from(unzipBytes(file, m))).toEqual(Array.from(data));
    expect(Array.from(unzipBytes(file, dictModel(dict, { tableBits: 16 })))).toEqual(Array.from(data));
  });
});
