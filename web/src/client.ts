/**
 * The page side of the experiment worker: starts it, sends runs, tracks their progress, saves
 * finished results to IndexedDB, and cancels (politely through AbortController; if the run does
 * not stop within a few seconds, the worker is terminated and restarted).
 */
import type { ExperimentResult, PresetName } from '../../src/experiments/contract.js';
import type { BackendInfo } from './backend.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { saveResult } from './db.js';

export type RunStatus = 'running' | 'done' | 'error' | 'cancelled';

export interface RunState {
  runId: number;
  expId: string;
  status: RunStatus;
  fraction: number;
  message?: string;
  logs: string[];
  error?: string;
  result?: ExperimentResult;
  startedAt: number;
}

type Listener = () => void;

interface TaskHandlers {
  onEvent(ev: unknown): void;
  resolve(v: unknown): void;
  reject(e: Error & { aborted?: boolean }): void;
}

class Lab {
  private worker: Worker | undefined;
  private nextId = 1;
  private listeners = new Set<Listener>();
  private tasks = new Map<number, TaskHandlers>();
  private requestedBackend: string | undefined;
  readonly runs = new Map<string, RunState>();
  backend: BackendInfo | undefined;
  backendError: string | undefined;
  gflops: number | undefined;

  start(requestedBackend?: string): void {
    this.requestedBackend = requestedBackend;
    this.spawn();
  }

  private spawn(): void {
    this.worker?.terminate();
    this.backend = undefined;
    const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'fivelens-experiments' });
    w.onmessage = (ev: MessageEvent<FromWorker>) => this.onMessage(ev.data);
    w.onerror = (ev) => {
      this.backendError = ev.message || 'worker failed to start';
      this.emit();
    };
    this.worker = w;
    this.send({ type: 'init', baseUrl: new URL('.', location.href).href, backend: this.requestedBackend });
  }

  private send(m: ToWorker): void {
    this.worker?.postMessage(m);
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(): void {
    for (const fn of [...this.listeners]) fn();
  }

  private byRunId(runId: number): RunState | undefined {
    for (const r of this.runs.values()) if (r.runId === runId) return r;
    return undefined;
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'done' || m.type === 'error' || m.type === 'task-done') this.flags.delete(m.runId);
    switch (m.type) {
      case 'ready':
        this.backend = m.backend;
        this.backendError = undefined;
        this.send({ type: 'probe' });
        break;
      case 'init-error':
        this.backendError = m.message;
        break;
      case 'probe':
        this.gflops = m.gflops;
        break;
      case 'progress': {
        const r = this.byRunId(m.runId);
        if (r && r.status === 'running') {
          r.fraction = m.fraction;
          if (m.message) r.message = m.message;
        }
        break;
      }
      case 'log': {
        const r = this.byRunId(m.runId);
        if (r) r.logs = [...r.logs.slice(-199), m.message];
        break;
      }
      case 'done': {
        const r = this.byRunId(m.runId);
        if (r) {
          r.status = 'done';
          r.fraction = 1;
          r.result = m.result;
          void saveResult(m.result).then(() => this.emit());
        }
        break;
      }
      case 'error': {
        const task = this.tasks.get(m.runId);
        if (task) {
          this.tasks.delete(m.runId);
          task.reject(Object.assign(new Error(m.message), { aborted: m.aborted }));
          return;
        }
        const r = this.byRunId(m.runId);
        if (r && r.status === 'running') {
          r.status = m.aborted ? 'cancelled' : 'error';
          r.error = m.aborted ? undefined : m.message;
        }
        break;
      }
      case 'task-event':
        this.tasks.get(m.runId)?.onEvent(m.event);
        return;
      case 'task-done': {
        const task = this.tasks.get(m.runId);
        this.tasks.delete(m.runId);
        task?.resolve(m.value);
        return;
      }
    }
    this.emit();
  }

  private flags = new Map<number, Int32Array>();

  /** A shared cancel flag for a run (only when the page is cross-origin isolated). */
  private flagFor(runId: number): SharedArrayBuffer | undefined {
    if (!globalThis.crossOriginIsolated || typeof SharedArrayBuffer === 'undefined') return undefined;
    const sab = new SharedArrayBuffer(4);
    this.flags.set(runId, new Int32Array(sab));
    return sab;
  }

  private raiseFlag(runId: number): void {
    const f = this.flags.get(runId);
    if (f) Atomics.store(f, 0, 1);
    this.flags.delete(runId);
  }

  run(expId: string, preset: PresetName, seed: number, overrides: Record<string, unknown>): RunState {
    const runId = this.nextId++;
    const r: RunState = { runId, expId, status: 'running', fraction: 0, logs: [], startedAt: Date.now() };
    this.runs.set(expId, r);
    this.send({ type: 'run', runId, expId, preset, seed, overrides, cancelFlag: this.flagFor(runId) });
    this.emit();
    return r;
  }

  cancel(expId: string): void {
    const r = this.runs.get(expId);
    if (!r || r.status !== 'running') return;
    this.raiseFlag(r.runId);
    this.send({ type: 'cancel', runId: r.runId });
    r.message = '…';
    this.emit();
    const runId = r.runId;
    setTimeout(() => {
      const still = this.runs.get(expId);
      if (still && still.runId === runId && still.status === 'running') {
        // the run did not reach a cancellation point: stop the worker itself
        for (const other of this.runs.values()) {
          if (other.status === 'running') {
            other.status = 'cancelled';
            other.message = 'worker restarted';
          }
        }
        for (const [id, t] of this.tasks) {
          t.reject(Object.assign(new Error('cancelled'), { aborted: true }));
          this.tasks.delete(id);
        }
        this.spawn();
        this.emit();
      }
    }, 4000);
  }

  /** Wait until the run of `expId` is no longer running. */
  settled(expId: string): Promise<RunState | undefined> {
    return new Promise((resolve) => {
      const check = () => {
        const r = this.runs.get(expId);
        if (!r || r.status !== 'running') {
          unsub();
          resolve(r);
        }
      };
      const unsub = this.subscribe(check);
      check();
    });
  }

  batch: { total: number; done: number; current?: string; cancelled: boolean } | undefined;

  /** Run experiments one after another (Home's "run every quick experiment"). */
  async runAll(ids: string[], preset: PresetName, seed: number): Promise<void> {
    if (this.batch) return;
    this.batch = { total: ids.length, done: 0, cancelled: false };
    this.emit();
    try {
      for (const id of ids) {
        if (this.batch.cancelled) break;
        this.batch.current = id;
        this.emit();
        while (!this.backend) await new Promise((r) => setTimeout(r, 200));
        this.run(id, preset, seed, {});
        await this.settled(id);
        this.batch.done++;
        this.emit();
      }
    } finally {
      this.batch = undefined;
      this.emit();
    }
  }

  cancelAll(): void {
    if (!this.batch) return;
    this.batch.cancelled = true;
    if (this.batch.current) this.cancel(this.batch.current);
  }

  /** Run a worker task (GPT page) with a stream of events. Returns a handle with cancel(). */
  task<T>(task: string, args: unknown, onEvent: (ev: unknown) => void): { promise: Promise<T>; cancel(): void } {
    const runId = this.nextId++;
    const promise = new Promise<T>((resolve, reject) => {
      this.tasks.set(runId, { onEvent, resolve: resolve as (v: unknown) => void, reject });
    });
    this.send({ type: 'task', runId, task, args, cancelFlag: this.flagFor(runId) });
    return {
      promise,
      cancel: () => {
        this.raiseFlag(runId);
        this.send({ type: 'cancel', runId });
        setTimeout(() => {
          const t = this.tasks.get(runId);
          if (t) {
            this.tasks.delete(runId);
            t.reject(Object.assign(new Error('cancelled'), { aborted: true }));
            this.spawn();
            this.emit();
          }
        }, 4000);
      },
    };
  }
}

export const lab = new Lab();
