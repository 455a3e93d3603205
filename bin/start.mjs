#!/usr/bin/env node
/**
 * `npm start`: build the browser lab with Vite (web/ → web/dist), then serve ONLY web/dist and the
 * shipped data/ files on 127.0.0.1. PORT overrides the port (0 picks a free one). Every response
 * carries COOP/COEP so the page is cross-origin isolated and the tfjs wasm backend can use threads.
 *
 *   node bin/start.mjs [--no-build] [--build-only]
 */
import http from 'node:http';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'web', 'dist');
const DATA = path.join(ROOT, 'data');
const args = new Set(process.argv.slice(2));

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.gz': 'application/octet-stream', // served as bytes; the lab decompresses with DecompressionStream
  '.map': 'application/json; charset=utf-8',
};

async function build() {
  const { build: viteBuild } = await import('vite');
  const t0 = Date.now();
  process.stdout.write('fivelens: building the lab with Vite…\n');
  await viteBuild({ configFile: path.join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
  process.stdout.write(`fivelens: built web/dist in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

/** Resolve a URL path to a file under DIST or DATA, or undefined (never outside them). */
async function resolveFile(urlPath) {
  let p;
  try {
    p = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (p.includes('\0')) return undefined;
  const data = /^\/data\/([^/]+)$/.exec(p);
  if (data) {
    const names = await readdir(DATA);
    return names.includes(data[1]) ? path.join(DATA, data[1]) : undefined;
  }
  if (p === '/' || p === '') p = '/index.html';
  const file = path.resolve(DIST, '.' + path.posix.normalize(p));
  if (file !== DIST && !file.startsWith(DIST + path.sep)) return undefined;
  return file;
}

function send(res, status, body, type = 'text/plain; charset=utf-8') {
  res.writeHead(status, {
    'Content-Type': type,
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  res.end(body);
}

async function serve() {
  try {
    await stat(path.join(DIST, 'index.html'));
  } catch {
    process.stderr.write('fivelens: web/dist/index.html is missing; run `npm start` without --no-build\n');
    process.exit(1);
  }
  const server = http.createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = await resolveFile(url.pathname);
    if (!file) return send(res, 404, 'not found\n');
    try {
      const st = await stat(file);
      if (!st.isFile()) return send(res, 404, 'not found\n');
      const body = req.method === 'HEAD' ? undefined : await readFile(file);
      send(res, 200, body, MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
    } catch {
      send(res, 404, 'not found\n');
    }
  });
  const port = process.env.PORT !== undefined && process.env.PORT !== '' ? Number(process.env.PORT) : 4173;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`fivelens: PORT=${process.env.PORT} is not a port number (0..65535)\n`);
    process.exit(2);
  }
  server.on('error', (err) => {
    process.stderr.write(`fivelens: cannot listen on 127.0.0.1:${port}: ${err.message} (set PORT to another port)\n`);
    process.exit(1);
  });
  server.listen(port, '127.0.0.1', () => {
    const addr = server.address();
    process.stdout.write(`fivelens lab: http://127.0.0.1:${addr.port}/\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (!args.has('--no-build')) await build();
if (!args.has('--build-only')) await serve();
