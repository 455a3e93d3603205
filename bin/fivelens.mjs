#!/usr/bin/env node
// The fivelens CLI. Runs the compiled JavaScript in dist/ (built by `npm run build`, which `npm ci`
// runs through `prepare`) when it is there and newer than every source file; otherwise the
// TypeScript sources through tsx. FIVELENS_TSX=1 forces the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist', 'experiments', 'catalog.json'); // the build's last output

function newestSource(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return t;
}

const useDist = process.env.FIVELENS_TSX !== '1' && existsSync(built) && statSync(built).mtimeMs >= newestSource(path.join(root, 'src'));
if (!useDist) (await import('tsx/esm/api')).register();
const { cli } = await import(pathToFileURL(path.join(root, useDist ? 'dist/cli/main.js' : 'src/cli/main.ts')).href);
await cli(process.argv.slice(2));
