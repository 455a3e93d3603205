/** Data-parallel gradients over a worker thread equal the single-thread gradients of the whole batch. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine, tf } from '../../src/engine/tf.js';
import { Rng } from '../../src/engine/rng.js';
import { GPT, localGradients, sampleBatch } from '../../src/gpt/index.js';
import { createParallelGradients } from '../../src/gpt/parallel.node.js';

beforeAll(async () => {
  await initEngine();
});

describe('parallel gradients', () => {
  it('match the full-batch gradient of one thread', async () => {
    const m = GPT.init('nano', 17, new Rng(1));
    const data = Int32Array.from({ length: 400 }, (_, i) => (i * 13) % 17);
    const batch = sampleBatch(data, 5, 32, new Rng(2)); // odd: rows split 2 + 3
    const par = await createParallelGradients(m, 2);
    try {
      const p = await par.gradients(batch, new Rng(3));
      const l = localGradients(m, batch);
      expect(p.loss).toBeCloseTo(l.loss, 5);
      for (const n of m.names) {
        const a = p.grads[n]!.dataSync();
        const b = l.grads[n]!.dataSync();
        let md = 0;
        let mx = 0;
        for (let i = 0; i < a.length; i++) {
          md = Math.max(md, Math.abs(a[i]! - b[i]!));
          mx = Math.max(mx, Math.abs(b[i]!));
        }
        expect(md, n).toBeLessThan(1e-5 + 1e-4 * mx);
      }
      tf.dispose([...Object.values(p.grads), ...Object.values(l.grads)]);
    } finally {
      await par.close();
      m.dispose();
    }
  });

  it('a batch of one row is not split (two threads, one part): the gradient of that row', async () => {
    const m = GPT.init('nano', 17, new Rng(4));
    const data = Int32Array.from({ length: 200 }, (_, i) => (i * 7) % 17);
    const batch = sampleBatch(data, 1, 32, new Rng(5));
    const par = await createParallelGradients(m, 2);
    try {
      const p = await par.gradients(batch, new Rng(6));
      const l = localGradients(m, batch);
      expect(Number.isFinite(p.loss)).toBe(true);
      expect(p.loss).toBeCloseTo(l.loss, 6);
      for (const n of m.names) expect(Array.from(p.grads[n]!.dataSync())).toEqual(Array.from(l.grads[n]!.dataSync()));
      tf.dispose([...Object.values(p.grads), ...Object.values(l.grads)]);
    } finally {
      await par.close();
      m.dispose();
    }
  });
});
