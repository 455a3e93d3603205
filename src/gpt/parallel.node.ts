/**
 * Data parallelism over worker threads (Node only). The wasm backend is single-threaded, so a
 * training step splits its batch: this thread computes the gradients of the first rows while
 * W−1 worker threads (each its own tfjs-wasm instance holding a replica of the model) compute the
 * rest; the gradients are averaged, weighted by rows, so the result is the full batch's mean
 * gradient. Parameters are sent to the workers at every step (3 MB for `baby`), so replicas never drift.
 * The split is fixed by the worker count, so a run is reproducible for a given --workers.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { tf } from '../engine/tf.js';
import type { Rng } from '../engine/rng.js';
import type { GPT } from './model.js';
import { type Batch, type GradientProvider, localGradients } from './train.js';

interface Reply {
  id: number;
  loss?: number;
  grads?: Float32Array;
  error?: string;
}

export interface ParallelGradients {
  gradients: GradientProvider;
  close(): Promise<void>;
}

function sliceBatch(b: Batch, from: number, to: number): Batch {
  return { x: b.x.slice(from * b.T, to * b.T), y: b.y.slice(from * b.T, to * b.T), B: to - from, T: b.T };
}

/** Flatten the model's parameters into one Float32Array (fixed name order). */
export function flatParams(model: GPT): Float32Array {
  const total = Object.values(model.params).reduce((s, v) => s + v.size, 0);
  const out = new Float32Array(total);
  let o = 0;
  for (const n of model.names) {
    const d = model.params[n]!.dataSync() as Float32Array;
    out.set(d, o);
    o += d.length;
  }
  return out;
}

/** The ESM entry of tsx's register API (the CJS one cannot register hooks inside a worker). */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const cjs = require.resolve('tsx/esm/api');
  return pathToFileURL(cjs.replace(/index\.cjs$/, 'index.mjs')).href;
}

export async function createParallelGradients(model: GPT, workers: number): Promise<ParallelGradients> {
  // compiled (dist/): the worker is plain JavaScript; from the sources it goes through tsx
  const compiled = import.meta.url.endsWith('.js');
  const entry = new URL(compiled ? './parallel-worker.node.js' : './parallel-worker.node.ts', import.meta.url).href;
  const load = compiled ? `import(${JSON.stringify(entry)})` : `import(${JSON.stringify(tsxEsmApi())}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  const boot = `${load}.catch((e) => { require('node:worker_threads').parentPort.postMessage({ id: -1, error: String(e && e.stack || e) }); });`;
  const shapes = model.names.map((n) => [n, model.params[n]!.shape] as [string, number[]]);
  const pool: Worker[] = [];
  const pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  const ready: Promise<void>[] = [];
  for (let w = 0; w < workers - 1; w++) {
    const worker = new Worker(boot, { eval: true, workerData: { config: model.config, vocabSize: model.vocabSize, shapes } });
    ready.push(
      new Promise((resolve, reject) => {
        const onMsg = (m: Reply) => {
          if (m.id === -1) {
            worker.off('message', onMsg);
            if (m.error) reject(new Error(`worker failed to start: ${m.error}`));
            else resolve();
          }
        };
        worker.on('message', onMsg);
        worker.once('error', reject);
      }),
    );
    worker.on('message', (m: Reply) => {
      if (m.id < 0) return;
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.error) p.reject(new Error(m.error));
      else p.resolve(m);
    });
    worker.on('error', (e) => {
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    });
    pool.push(worker);
  }
  await Promise.all(ready);

  const gradients: GradientProvider = async (batch: Batch, dropoutRng: Rng) => {
    const parts = Math.min(pool.length + 1, batch.B); // a batch of B rows splits into at most B parts
    const rows = Array.from({ length: parts }, (_, i) => Math.floor((batch.B * (i + 1)) / parts) - Math.floor((batch.B * i) / parts));
    const starts = rows.map((_, i) => Math.floor((batch.B * i) / parts));
    const params = flatParams(model);
    const replies = pool.slice(0, parts - 1).map((worker, i) => {
      const id = nextId++;
      const sub = sliceBatch(batch, starts[i + 1]!, starts[i + 1]! + rows[i + 1]!);
      const seed = dropoutRng.nextUint32();
      return new Promise<Reply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, params, batch: sub, seed });
      });
    });
    const mine = localGradients(model, sliceBatch(batch, 0, rows[0]!), model.config.dropout > 0 ? dropoutRng : undefined);
    const others = await Promise.all(replies);
    let loss = (mine.loss * rows[0]!) / batch.B;
    others.forEach((r, i) => (loss += (r.loss! * rows[i + 1]!) / batch.B));
    const grads: Record<string, tf.Tensor> = {};
    let o = 0;
    for (const n of model.names) {
      const g = mine.grads[n]!;
      const acc = Float32Array.from(g.dataSync() as Float32Array);
      const w0 = rows[0]! / batch.B;
      for (let j = 0; j < acc.length; j++) acc[j] = acc[j]! * w0;
      others.forEach((r, i) => {
        const wi = rows[i + 1]! / batch.B;
        const src = r.grads!;
        for (let j = 0; j < acc.length; j++) acc[j] = acc[j]! + wi * src[o + j]!;
      });
      o += acc.length;
      grads[n] = tf.tensor(acc, g.shape, 'float32');
      g.dispose();
    }
    return { loss, grads };
  };

  return {
    gradients,
    async close() {
      await Promise.all(pool.map((w) => w.terminate()));
    },
  };
}
