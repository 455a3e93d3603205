/**
 * Backend choice in the browser (inside the worker). src/engine/tf.ts would try webgpu → webgl →
 * wasm blindly; here we look first: a WebGPU *fallback* adapter or a WebGL context drawn by a
 * software rasterizer (SwiftShader, llvmpipe — what headless Chromium without a GPU gives) is far
 * slower than the wasm backend with SIMD and threads, so those are skipped. The wasm binaries
 * are served from the build (dist/tfjs/) and never fetched from a CDN.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { initEngine, tf } from '../../src/engine/tf.js';

export interface BackendInfo {
  name: string;
  /** why this one, for the footer tooltip */
  reason: string;
  /** the WebGL renderer string, if a context could be made */
  glRenderer?: string;
  /** WebGPU adapter description, if any */
  gpuAdapter?: string;
  /** wasm: threads in use (SharedArrayBuffer + cross-origin isolation + the threaded build) */
  threads: boolean;
  /** wasm: SIMD build in use */
  simd: boolean;
  crossOriginIsolated: boolean;
}

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen|lavapipe/i;

function webglRenderer(): string | undefined {
  try {
    if (typeof OffscreenCanvas === 'undefined') return undefined;
    const c = new OffscreenCanvas(1, 1);
    const gl = (c.getContext('webgl2') ?? c.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return undefined;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const r = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return r;
  } catch {
    return undefined;
  }
}

async function webgpuAdapter(): Promise<{ ok: boolean; desc: string } | undefined> {
  try {
    const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
    if (!gpu) return undefined;
    const a = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!a) return undefined;
    const info = (a as GPUAdapter & { info?: GPUAdapterInfo }).info;
    const fallback = (a as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter ?? (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter ?? false;
    const desc = info ? [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') : 'adapter';
    return { ok: !fallback && !SOFTWARE.test(desc), desc: desc || 'adapter' };
  } catch {
    return undefined;
  }
}

/** Pick and start a backend. `requested` ('webgpu' | 'webgl' | 'wasm' | 'cpu') forces one. */
export async function startBackend(baseUrl: string, requested?: string): Promise<BackendInfo> {
  setWasmPaths(new URL('tfjs/', baseUrl).href);
  const coi = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const threads = coi && typeof SharedArrayBuffer !== 'undefined';
  const glRenderer = webglRenderer();
  let name = 'wasm';
  let reason = '';
  let gpuAdapter: string | undefined;
  if (requested && requested !== 'auto') {
    name = requested;
    reason = 'chosen in the URL (?backend=)';
  } else {
    const gpu = await webgpuAdapter();
    gpuAdapter = gpu?.desc;
    if (gpu?.ok) {
      name = 'webgpu';
      reason = `WebGPU adapter: ${gpu.desc}`;
    } else if (glRenderer && !SOFTWARE.test(glRenderer)) {
      name = 'webgl';
      reason = `hardware WebGL: ${glRenderer}`;
    } else {
      name = 'wasm';
      reason = glRenderer
        ? `WebGL is a software renderer (${glRenderer}); wasm is faster`
        : 'no GPU backend available';
    }
  }
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  let used: string;
  try {
    used = await initEngine(name);
  } catch (err) {
    if (name === 'wasm') throw err;
    reason = `${name} failed (${(err as Error).message}); fell back to wasm`;
    used = await initEngine('wasm');
  }
  let simd = false;
  let wasmThreads = false;
  if (used === 'wasm') {
    // what the wasm backend itself detected (threads need cross-origin isolation: COOP/COEP)
    simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    wasmThreads = threads && (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
  }
  return { name: used, reason, glRenderer, gpuAdapter, threads: wasmThreads, simd, crossOriginIsolated: coi };
}

/** A quick matMul throughput probe (GFLOP/s) of the current backend. */
export async function probeGflops(n = 384, reps = 6): Promise<number> {
  const a = tf.tidy(() => tf.ones([n, n]).mul(0.5));
  (await tf.matMul(a, a).data());
  const t0 = performance.now();
  let last: tf.Tensor | undefined;
  for (let i = 0; i < reps; i++) {
    last?.dispose();
    last = tf.matMul(a, a);
    await last.data();
  }
  const dt = (performance.now() - t0) / 1000;
  last?.dispose();
  a.dispose();
  return (2 * n ** 3 * reps) / dt / 1e9;
}
