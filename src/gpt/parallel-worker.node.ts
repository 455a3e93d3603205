/** A gradient worker thread for parallel.node.ts: a replica of the model, one batch slice per message. */
import { parentPort, workerData } from 'node:worker_threads';
import { initEngine, tf } from '../engine/tf.js';
import { Rng } from '../engine/rng.js';
import { GPT } from './model.js';
import { localGradients, type Batch } from './train.js';
import type { GPTConfig } from './config.js';

const { config, vocabSize, shapes } = workerData as { config: GPTConfig; vocabSize: number; shapes: [string, number[]][] };
const port = parentPort!;

await initEngine();
const init: Record<string, { shape: number[]; data: Float32Array }> = {};
for (const [n, s] of shapes) init[n] = { shape: s, data: new Float32Array(s.reduce((a, b) => a * b, 1)) };
const model = GPT.fromWeights(config, vocabSize, init);
port.postMessage({ id: -1 });

port.on('message', (m: { id: number; params: Float32Array; batch: Batch; seed: number }) => {
  try {
    let o = 0;
    for (const [n, s] of shapes) {
      const size = s.reduce((a, b) => a * b, 1);
      const v = model.params[n]!;
      tf.tidy(() => v.assign(tf.tensor(m.params.subarray(o, o + size), s, 'float32')));
      o += size;
    }
    const { loss, grads } = localGradients(model, m.batch, config.dropout > 0 ? new Rng(m.seed) : undefined);
    const flat = new Float32Array(o);
    let p = 0;
    for (const [n] of shapes) {
      const g = grads[n]!;
      const d = g.dataSync() as Float32Array;
      flat.set(d, p);
      p += d.length;
      g.dispose();
    }
    port.postMessage({ id: m.id, loss, grads: flat }, [flat.buffer]);
  } catch (e) {
    port.postMessage({ id: m.id, error: (e as Error).message });
  }
});
