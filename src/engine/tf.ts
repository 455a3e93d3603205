/**
 * The one place that knows how TensorFlow.js is set up. Everything else imports `tf` from here.
 *
 * Node: the wasm backend (its .wasm files resolved from node_modules, never the network), `cpu`
 * as the fallback. Browser: webgpu → webgl → wasm, measured rather than assumed (see
 * `web/`). `FIVELENS_BACKEND` or `--backend` chooses explicitly.
 *
 * The wasm performance fixes (transposed / batched matMul routed to XNNPACK, no SplitV, a
 * gather gradient) are installed from `./wasm-fixes.ts` and live nowhere else.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { installWasmFixes } from './wasm-fixes.js';

export { tf };

export const NODE_BACKENDS = ['wasm', 'cpu'] as const;
export const BROWSER_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = 'wasm' | 'cpu' | 'webgl' | 'webgpu';

let ready: Promise<string> | undefined;
let chosen: string | undefined;

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

/** Directory of the wasm binaries inside node_modules, as a file-system prefix ending in '/'. */
async function nodeWasmDir(): Promise<string> {
  const { createRequire } = await import('node:module');
  const path = await import('node:path');
  const require = createRequire(import.meta.url);
  const main = require.resolve('@tensorflow/tfjs-backend-wasm');
  // main is .../tfjs-backend-wasm/dist/tf-backend-wasm.node.js (or similar); the .wasm files sit in dist/
  return path.dirname(main) + path.sep;
}

/**
 * Initialise tfjs once. `requested` (or FIVELENS_BACKEND) picks the backend; otherwise wasm in
 * Node. Returns the backend actually in use. Safe to call many times.
 */
export function initEngine(requested?: string): Promise<string> {
  const want = requested ?? (isNode ? process.env.FIVELENS_BACKEND : undefined);
  if (ready && (!want || want === chosen)) return ready;
  ready = (async () => {
    tf.env().set('IS_TEST', false);
    if (isNode) {
      const order = want ? [want] : ['wasm', 'cpu'];
      for (const name of order) {
        if (!(NODE_BACKENDS as readonly string[]).includes(name)) {
          throw new Error(`backend "${name}" is not available in Node; choose one of: ${NODE_BACKENDS.join(', ')}`);
        }
        if (name === 'wasm') setWasmPaths(await nodeWasmDir());
        try {
          if (await tf.setBackend(name)) {
            await tf.ready();
            chosen = name;
            break;
          }
        } catch (err) {
          if (want) throw new Error(`could not start the ${name} backend: ${(err as Error).message}`);
        }
      }
    } else {
      const order = want ? [want] : ['webgpu', 'webgl', 'wasm', 'cpu'];
      for (const name of order) {
        try {
          if (await tf.setBackend(name)) {
            await tf.ready();
            chosen = name;
            break;
          }
        } catch {
          /* try the next */
        }
      }
    }
    if (!chosen) throw new Error('no TensorFlow.js backend could be started');
    if (chosen === 'wasm') installWasmFixes();
    return chosen;
  })();
  return ready;
}

/** The backend in use (after initEngine). */
export function backendName(): string {
  return chosen ?? tf.getBackend() ?? 'none';
}
