/**
 * `npm run bench:gpt` — training speed of the `baby` GPT (4 layers, 4 heads, 128 wide, context 64)
 * with batch 16 on tiny shakespeare: fivelens (tfjs-wasm + our kernel fixes, data-parallel over
 * worker threads) against the same model and optimizer in PyTorch (bench/gpt_torch.py) at its BEST
 * thread count on this machine: PyTorch is measured with 1 thread and with every thread count up to
 * --cores, each is reported, and fivelens is compared with the fastest. Prints tokens/s of each (wall
 * clock, and per CPU-second, which is what survives a busy machine) and, last,
 * `ratio <fivelens/best pytorch>` (wall clock).
 *
 *   npm run bench:gpt [-- --cores 2 --steps 20 --batch 16 --rounds 1]
 *
 * Needs Debian's PyTorch: apt-get update && apt-get install -y python3-torch libopenblas0-pthread
 * (OpenBLAS with pthreads; without it Debian's torch is several times slower). CI does not run this.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initEngine } from '../src/engine/tf.js';
import { Rng } from '../src/engine/rng.js';
import { CharVocab, GPT, GPTTrainer } from '../src/gpt/index.js';
import { splitText } from '../src/data/corpora.js';
import { createParallelGradients } from '../src/gpt/parallel.node.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PY = '/usr/bin/python3';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const cores = arg('cores', Math.min(2, cpus().length));
const steps = arg('steps', 20);
const batch = arg('batch', 16);
const rounds = arg('rounds', 1);

function checkTorch(): void {
  const torch = spawnSync(PY, ['-c', 'import torch'], { encoding: 'utf8' });
  const blas = ['/usr/lib/x86_64-linux-gnu/openblas-pthread', '/usr/lib/aarch64-linux-gnu/openblas-pthread'].some((d) => existsSync(d));
  if (torch.status !== 0 || !blas) {
    process.stderr.write(
      `bench:gpt needs Debian's PyTorch with pthread OpenBLAS (${torch.status !== 0 ? 'python3-torch is missing' : 'libopenblas0-pthread is missing'}).\n` +
        'Install: apt-get update && apt-get install -y python3-torch libopenblas0-pthread\n',
    );
    process.exit(1);
  }
}

async function fivelens(): Promise<{ wall: number; cpu: number }> {
  await initEngine();
  const text = readFileSync(path.join(here, '..', 'data', 'tinyshakespeare.txt'), 'utf8');
  const vocab = CharVocab.fromText(text);
  const model = GPT.init('baby', vocab.size, new Rng(1));
  const par = cores > 1 ? await createParallelGradients(model, cores) : undefined;
  const tr = new GPTTrainer(model, vocab.encode(splitText(text).train), { steps: 1000, seed: 2, hyper: { batchSize: batch }, ...(par ? { gradients: par.gradients } : {}) });
  for (let i = 0; i < 3; i++) await tr.trainStep();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await tr.trainStep();
  const wallS = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0); // includes the worker threads (same process)
  await par?.close();
  tr.dispose();
  model.dispose();
  const tokens = steps * batch * 64;
  return { wall: tokens / wallS, cpu: tokens / ((c.user + c.system) / 1e6) };
}

function pytorch(threads: number): { wall: number; cpu: number } {
  // the BLAS thread pools must be capped too, or "1 thread" quietly uses every core (and 2 oversubscribe)
  const n = String(threads);
  const env = { ...process.env, OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n };
  const r = spawnSync(PY, [path.join(here, 'gpt_torch.py'), '--batch', String(batch), '--steps', String(steps), '--threads', n], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`gpt_torch.py failed: ${r.stderr.trim().split('\n').pop()}`);
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!) as { tokensPerSec: number; tokensPerCpuSec: number };
  return { wall: j.tokensPerSec, cpu: j.tokensPerCpuSec };
}

checkTorch();
const load0 = loadavg()[0]!;
const f: { wall: number; cpu: number }[] = [];
const threadCounts = Array.from({ length: cores }, (_, i) => i + 1);
const p: Record<number, { wall: number; cpu: number }[]> = Object.fromEntries(threadCounts.map((t) => [t, []]));
for (let r = 0; r < rounds; r++) {
  f.push(await fivelens());
  for (const t of threadCounts) p[t]!.push(pytorch(t));
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fw = mean(f.map((x) => x.wall));
const fc = mean(f.map((x) => x.cpu));
const byThreads = threadCounts.map((t) => ({ t, wall: mean(p[t]!.map((x) => x.wall)), cpu: mean(p[t]!.map((x) => x.cpu)) }));
const best = byThreads.reduce((a, b) => (b.wall > a.wall ? b : a));
const pw = best.wall;
const pc = best.cpu;
console.log(`baby GPT, batch ${batch}, context 64, ${steps} steps × ${rounds} round(s), ${cores} core(s); load average ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs`);
if (load0 > cpus().length) console.log('warning: the machine is busy; wall-clock numbers are shares of contended CPUs (per-CPU-second numbers are steadier)');
console.log(`fivelens (tfjs-wasm, ${cores} thread${cores > 1 ? 's' : ''})  ${Math.round(fw)} tokens/s   ${Math.round(fc)} tokens per CPU-second`);
for (const b of byThreads)
  console.log(`pytorch  (${b.t} thread${b.t > 1 ? 's' : ''})           ${Math.round(b.wall)} tokens/s   ${Math.round(b.cpu)} tokens per CPU-second${b === best ? '   ← fastest, compared below' : ''}`);
console.log(`cpu-ratio ${(fc / pc).toFixed(3)}`);
console.log(`ratio ${(fw / pw).toFixed(3)}   (against PyTorch at ${best.t} thread${best.t > 1 ? 's' : ''}, its fastest here)`);
