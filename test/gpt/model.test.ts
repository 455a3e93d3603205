/** The tiny GPT: shapes, loss at init, gradients against float64 finite differences, overfitting, memory. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine, tf } from '../../src/engine/tf.js';
import { Rng } from '../../src/engine/rng.js';
import { CharVocab, GPT, GPTTrainer, GPT_CONFIGS, localGradients, resolveConfig, sampleBatch, type GPTConfig } from '../../src/gpt/index.js';
import { referenceLogits, referenceLoss, type F64Params } from '../../src/gpt/reference.js';

beforeAll(async () => {
  await initEngine();
});

const tiny: GPTConfig = { ...resolveConfig('nano'), name: 'tiny', nLayer: 2, nHead: 2, nEmbd: 8, blockSize: 6 };

function f64Params(model: GPT): F64Params {
  const out: F64Params = {};
  for (const [k, v] of Object.entries(model.params)) out[k] = { shape: v.shape, data: Float64Array.from(v.dataSync()) };
  return out;
}

describe('GPT', () => {
  it('has GPT-2 names and shapes; forward returns logits, attention and hidden states', () => {
    const m = GPT.init('nano', 11, new Rng(1));
    const c = GPT_CONFIGS.nano;
    expect(m.params.wte!.shape).toEqual([11, c.nEmbd]);
    expect(m.params['h.0.attn.c_attn.weight']!.shape).toEqual([c.nEmbd, 3 * c.nEmbd]);
    expect(m.params['h.1.mlp.c_proj.weight']!.shape).toEqual([4 * c.nEmbd, c.nEmbd]);
    expect(Object.values(m.params).reduce((s, v) => s + v.size, 0)).toBe(m.numParams);
    tf.tidy(() => {
      const idx = tf.tensor2d([[1, 2, 3, 4, 5], [5, 4, 3, 2, 1]], [2, 5], 'int32');
      const r = m.forward(idx, { returnAttention: true, returnHidden: true });
      expect(r.logits.shape).toEqual([2, 5, 11]);
      expect(r.attention!.length).toBe(c.nLayer);
      expect(r.attention![0]!.shape).toEqual([2, c.nHead, 5, 5]);
      expect(r.hidden![1]!.shape).toEqual([2, 5, c.nEmbd]);
      const a = r.attention![0]!.arraySync() as number[][][][];
      // causal: no weight on the future; each row sums to 1
      expect(a[0]![0]![1]![3]).toBeLessThan(1e-9);
      expect(a[1]![1]![4]!.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 5);
      // substituted weights change the output; the same weights give the same output
      const same = m.forward(idx, { weights: { wte: m.params.wte! } }).logits;
      expect(tf.max(tf.abs(tf.sub(same, r.logits))).dataSync()[0]).toBe(0);
      const zeroed = m.forward(idx, { weights: { 'h.0.mlp.c_fc.weight': tf.zerosLike(m.params['h.0.mlp.c_fc.weight']!) } }).logits;
      expect(tf.max(tf.abs(tf.sub(zeroed, r.logits))).dataSync()[0]).toBeGreaterThan(1e-4);
    });
    m.dispose();
  });

  it('untrained loss is ln V', () => {
    const V = 65;
    const m = GPT.init('nano', V, new Rng(2));
    const data = Int32Array.from({ length: 2000 }, (_, i) => (i * 7919) % V);
    const b = sampleBatch(data, 8, 32, new Rng(3));
    const loss = tf.tidy(() => m.loss(tf.tensor2d(b.x, [8, 32], 'int32'), tf.tensor2d(b.y, [8, 32], 'int32')).dataSync()[0]!);
    expect(Math.abs(loss - Math.log(V))).toBeLessThan(0.05);
    m.dispose();
  });

  it('matches a float64 forward pass, and its gradients match float64 finite differences', () => {
    const V = 7;
    const m = GPT.init({ ...tiny, tieWeights: false }, V, new Rng(4));
    // larger weights than the 0.02 init so every path matters
    const rr = new Rng(5);
    for (const v of Object.values(m.params)) v.assign(tf.tensor(rr.normalArray(v.size, 0.3), v.shape));
    const B = 2;
    const T = 5;
    const x = Int32Array.from({ length: B * T }, () => rr.int(V));
    const y = Int32Array.from({ length: B * T }, () => rr.int(V));
    const P = f64Params(m);
    const logits = tf.tidy(() => m.forward(tf.tensor2d(x, [B, T], 'int32')).logits.dataSync());
    const ref = referenceLogits(m.config, V, P, x, B, T);
    let md = 0;
    for (let i = 0; i < ref.length; i++) md = Math.max(md, Math.abs(ref[i]! - logits[i]!));
    expect(md).toBeLessThan(1e-4);
    const { loss, grads } = localGradients(m, { x, y, B, T });
    expect(loss).toBeCloseTo(referenceLoss(m.config, V, P, x, y, B, T), 4);
    const h = 1e-5;
    let checked = 0;
    for (const name of m.names) {
      const g = grads[name]!.dataSync();
      const p = P[name]!;
      // a few entries of every parameter, including the largest-gradient one
      let big = 0;
      for (let i = 0; i < g.length; i++) if (Math.abs(g[i]!) > Math.abs(g[big]!)) big = i;
      for (const i of [big, rr.int(g.length), rr.int(g.length)]) {
        const old = p.data[i]!;
        p.data[i] = old + h;
        const lp = referenceLoss(m.config, V, P, x, y, B, T);
        p.data[i] = old - h;
        const lm = referenceLoss(m.config, V, P, x, y, B, T);
        p.data[i] = old;
        const fd = (lp - lm) / (2 * h);
        expect(Math.abs(fd - g[i]!)).toBeLessThan(2e-4 + 2e-3 * Math.abs(fd));
        checked++;
      }
    }
    expect(checked).toBe(3 * m.names.length);
    Object.values(grads).forEach((g) => g.dispose());
    m.dispose();
  });

  it('nano overfits a 200-character string to near-zero loss', async () => {
    const text = 'First Citizen: Before we proceed any further, hear me speak. All: Speak, speak. First Citizen: You are all resolved rather to die than to famish? All: Resolved. resolved. First Citizen: First, you know Caius.'.slice(0, 200);
    expect(text.length).toBe(200);
    const vocab = CharVocab.fromText(text);
    const m = GPT.init('nano', vocab.size, new Rng(6));
    const steps = 250;
    const tr = new GPTTrainer(m, vocab.encode(text), { steps, seed: 7, hyper: { lr: 2e-2, minLr: 2e-3, warmupSteps: 10, batchSize: 8 } });
    let last = Infinity;
    for (let i = 0; i < steps; i++) last = (await tr.trainStep()).loss;
    const tail = tr.history.loss.slice(-10).reduce((a, b) => a + b, 0) / 10;
    // from ln V ≈ 3.3 nats to a memorised string
    expect(tail).toBeLessThan(0.2);
    expect(last).toBeLessThan(0.3);
    tr.dispose();
    m.dispose();
  });

  it('does not grow tf.memory().numTensors during training (step 10 vs step 100)', async () => {
    const m = GPT.init('nano', 20, new Rng(8));
    const data = Int32Array.from({ length: 500 }, (_, i) => (i * 31) % 20);
    const tr = new GPTTrainer(m, data, { steps: 100, seed: 9, hyper: { batchSize: 4 } });
    let at10 = 0;
    for (let i = 1; i <= 100; i++) {
      await tr.trainStep();
      if (i === 10) at10 = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(at10);
    tr.dispose();
    m.dispose();
  });

  it('seeded sampling is reproducible and respects top-k', () => {
    const m = GPT.init('nano', 12, new Rng(10));
    const a = m.generate([1, 2, 3], 20, new Rng(11), { temperature: 0.9, topK: 5 });
    const b = m.generate([1, 2, 3], 20, new Rng(11), { temperature: 0.9, topK: 5 });
    const c = m.generate([1, 2, 3], 20, new Rng(12), { temperature: 0.9, topK: 5 });
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    const one = m.generate([1], 5, new Rng(13), { topK: 1 });
    const greedy = m.nextLogProbs([1]);
    expect(one[0]).toBe(greedy.indexOf(Math.max(...greedy)));
    m.dispose();
  });

  it('logProbs scores every position once and agrees with the loss', () => {
    const m = GPT.init('nano', 9, new Rng(14));
    const toks = Int32Array.from({ length: 70 }, (_, i) => (i * 5) % 9);
    const lp = m.logProbs(toks);
    expect(lp.length).toBe(70);
    expect(lp[0]).toBeCloseTo(-Math.log(9), 6);
    // the first window (full context from position 0) equals the forward pass
    const T = m.config.blockSize;
    const direct = tf.tidy(() => {
      const l = m.forward(tf.tensor2d(toks.subarray(0, T), [1, T], 'int32')).logits;
      return tf.logSoftmax(l.reshape([T, 9])).arraySync() as number[][];
    });
    for (let t = 1; t <= T; t++) expect(lp[t]).toBeCloseTo(direct[t - 1]![toks[t]!]!, 4);
    expect(Array.from(lp).every((x) => x < 0 && Number.isFinite(x))).toBe(true);
    m.dispose();
  });
});
