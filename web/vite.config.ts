/**
 * Vite config of the browser lab. Root is web/, the build goes to web/dist.
 *
 * - `node:` built-ins (reachable from shared code such as src/engine/tf.ts's Node branch or a
 *   `*.node.ts` import by mistake) are replaced by stubs that throw when *called*, so a stray
 *   import never breaks the bundle; the real browser code paths never call them.
 * - the tfjs wasm binaries are copied into dist/tfjs/ (the worker calls setWasmPaths there).
 * - the dev server serves the shipped data/ and sends COOP/COEP like bin/start.mjs.
 */
import { defineConfig, type Plugin } from 'vite';
import { builtinModules, createRequire } from 'node:module';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const require = createRequire(import.meta.url);
const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function nodeStub(): Plugin {
  const PREFIX = '\0fivelens-node-stub:';
  return {
    name: 'fivelens-node-stub',
    enforce: 'pre',
    resolveId(id) {
      if (builtins.has(id)) return PREFIX + id.replace(/^node:/, '');
      return null;
    },
    transform(code, id) {
      // Emscripten's pthread workers are started from `factory.toString()`: a require() hoisted by
      // the bundler into a module-level import becomes a dangling variable in that blob
      // ("e is not defined"). These requires sit on Node-only branches, so drop them in place.
      if (!/tfjs-backend-wasm[\\/]wasm-out[\\/][^\\/]+\.js$/.test(id)) return null;
      // Likewise the closure variable `_scriptDir` (always undefined for an ES-module worker): the
      // minifier would fold its typeof-guard away and leave a dangling name in the blob.
      const out = code
        .replace(/require\("(fs|os|path|perf_hooks|worker_threads)"\)/g, 'undefined')
        .replace(/typeof _scriptDir !== "undefined" && _scriptDir/g, 'false')
        .replace(/\|\|_scriptDir,/g, '||undefined,');
      return { code: out, map: null };
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const mod = id.slice(PREFIX.length);
      let names: string[] = [];
      try {
        names = Object.keys(require(`node:${mod}`)).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');
      } catch {
        /* unknown module: default export only */
      }
      const fail = `function(){throw new Error(${JSON.stringify(`node:${mod} is not available in the browser`)})}`;
      const body = names.map((n) => `export const ${n} = ${fail};`).join('\n');
      return `${body}\nconst stub = new Proxy({}, { get: () => ${fail} });\nexport default stub;\n`;
    },
  };
}

const MIME: Record<string, string> = {
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.gz': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

function isolationHeaders(res: { setHeader(k: string, v: string): void }): void {
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function labAssets(): Plugin {
  return {
    name: 'fivelens-lab-assets',
    generateBundle() {
      for (const f of WASM_FILES) {
        this.emitFile({ type: 'asset', fileName: `tfjs/${f}`, source: readFileSync(path.join(wasmDir, f)) });
      }
    },
    configureServer(server) {
      const dataDir = path.join(root, 'data');
      server.middlewares.use((req, res, next) => {
        isolationHeaders(res);
        const url = new URL(req.url ?? '/', 'http://x');
        let file: string | undefined;
        const m = /^\/data\/([^/]+)$/.exec(url.pathname);
        if (m && readdirSync(dataDir).includes(decodeURIComponent(m[1]!))) file = path.join(dataDir, decodeURIComponent(m[1]!));
        const w = /^\/tfjs\/([^/]+\.wasm)$/.exec(url.pathname);
        if (w && WASM_FILES.includes(w[1]!)) file = path.join(wasmDir, w[1]!);
        if (file && existsSync(file) && statSync(file).isFile()) {
          res.setHeader('Content-Type', MIME[path.extname(file)] ?? 'application/octet-stream');
          res.end(readFileSync(file));
          return;
        }
        next();
      });
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  publicDir: false,
  plugins: [nodeStub(), labAssets()],
  worker: { format: 'es', plugins: () => [nodeStub()] },
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
    reportCompressedSize: false,
  },
  server: { host: '127.0.0.1', fs: { allow: [root] } },
  logLevel: 'warn',
});
