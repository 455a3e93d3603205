/**
 * The experiment worker: starts a tfjs backend, runs experiments from the shared registry through
 * `runExperiment`, streams progress, and stops on Cancel (AbortController). The page never freezes.
 */
import { getExperiment } from '../../src/experiments/registry.js';
import { runExperiment } from '../../src/experiments/runner.js';
import { browserHost } from './host.js';
import { startBackend, probeGflops } from './backend.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { runTask } from './tasks.js';

const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);

let baseUrl = '';
let ready: Promise<unknown> | undefined;
let backendName = 'wasm';
const controllers = new Map<number, AbortController>();

function throttled(runId: number) {
  let last = 0;
  return (fraction: number, message?: string) => {
    const now = performance.now();
    if (now - last < 80 && fraction < 1) return;
    last = now;
    post({ type: 'progress', runId, fraction, message });
  };
}

/**
 * An AbortController whose signal also reads a shared flag: the page sets it on Cancel, and the
 * run sees it at its next throwIfAborted even when it does not yield to the event loop (where the
 * 'cancel' message would wait). Needs cross-origin isolation; without it, the message alone works.
 */
function controller(flag?: SharedArrayBuffer): AbortController {
  const ac = new AbortController();
  if (flag) {
    const cell = new Int32Array(flag);
    const signal = ac.signal;
    Object.defineProperty(signal, 'aborted', { get: () => Atomics.load(cell, 0) === 1 || realAborted(signal) });
    Object.defineProperty(signal, 'throwIfAborted', {
      value: () => {
        if (signal.aborted) throw new DOMException('run aborted', 'AbortError');
      },
    });
  }
  return ac;
}

const abortedGetter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')!.get!;
function realAborted(signal: AbortSignal): boolean {
  return abortedGetter.call(signal) as boolean;
}

function isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (err instanceof DOMException && err.name === 'AbortError') || (err as Error)?.name === 'AbortError';
}

async function run(m: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  const ac = controller(m.cancelFlag);
  controllers.set(m.runId, ac);
  try {
    await ready;
    const exp = getExperiment(m.expId);
    if (!exp) throw new Error(`unknown experiment ${m.expId}`);
    const host = browserHost(baseUrl, {
      progress: throttled(m.runId),
      signal: ac.signal,
      log: (message) => post({ type: 'log', runId: m.runId, message }),
    });
    const result = await runExperiment(exp, host, { preset: m.preset, seed: m.seed, overrides: m.overrides, backend: backendName });
    post({ type: 'done', runId: m.runId, result: JSON.parse(JSON.stringify(result)) });
  } catch (err) {
    post({ type: 'error', runId: m.runId, message: (err as Error)?.message ?? String(err), aborted: isAbort(err, ac.signal) });
  } finally {
    controllers.delete(m.runId);
  }
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const m = ev.data;
  switch (m.type) {
    case 'init':
      baseUrl = m.baseUrl;
      ready = startBackend(baseUrl, m.backend).then(
        (info) => {
          backendName = info.name;
          post({ type: 'ready', backend: info });
        },
        (err) => post({ type: 'init-error', message: (err as Error).message }),
      );
      break;
    case 'run':
      void run(m);
      break;
    case 'cancel':
      controllers.get(m.runId)?.abort();
      break;
    case 'probe':
      void (async () => {
        await ready;
        post({ type: 'probe', gflops: await probeGflops() });
      })();
      break;
    case 'task': {
      const ac = controller(m.cancelFlag);
      controllers.set(m.runId, ac);
      void (async () => {
        try {
          await ready;
          const value = await runTask(m.task, m.args, {
            signal: ac.signal,
            baseUrl,
            emit: (event) => post({ type: 'task-event', runId: m.runId, event }),
          });
          post({ type: 'task-done', runId: m.runId, value });
        } catch (err) {
          post({ type: 'error', runId: m.runId, message: (err as Error)?.message ?? String(err), aborted: isAbort(err, ac.signal) });
        } finally {
          controllers.delete(m.runId);
        }
      })();
      break;
    }
  }
};
