/**
 * Node: load the compiled model (dist/zip/asm/cm3.wasm, written by `npm run build`) and register it.
 * From dist/ it sits beside this module; from the TypeScript sources (tsx, vitest) it is read from
 * dist/. Without it the models run the TypeScript reference: the same bytes, slower.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { registerCM3Module, cm3Module } from './cm3-wasm.js';

const CANDIDATES = ['./asm/cm3.wasm', '../../dist/zip/asm/cm3.wasm'];

/** Register the module if it was built; returns whether the fast path is on. */
export function loadCM3Wasm(): boolean {
  if (cm3Module()) return true;
  for (const rel of CANDIDATES) {
    const file = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(file)) {
      registerCM3Module(new WebAssembly.Module(readFileSync(file)));
      return true;
    }
  }
  return false;
}
