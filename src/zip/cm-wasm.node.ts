/**
 * Node: load the compiled model (dist/zip/asm/cm.wasm, written by `npm run build`) and register it.
 * From dist/ it sits beside this module; from the TypeScript sources (tsx, vitest) it is read from
 * dist/. Without it the models run the TypeScript reference: the same bytes, slower.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { registerCMModule, cmModule } from './cm-wasm.js';

const CANDIDATES = ['./asm/cm.wasm', '../../dist/zip/asm/cm.wasm'];

/** Register the module if it was built; returns whether the fast path is on. */
export function loadCMWasm(): boolean {
  if (cmModule()) return true;
  for (const rel of CANDIDATES) {
    const file = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(file)) {
      registerCMModule(new WebAssembly.Module(readFileSync(file)));
      return true;
    }
  }
  return false;
}
