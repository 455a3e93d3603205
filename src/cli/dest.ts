/**
 * Destinations are checked before any work starts: a folder that can be written (probed by
 * creating and removing a temporary entry in the nearest existing ancestor), not a file, with
 * some free space. Every failure is one UsageError line naming the path (exit 2).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, statfsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';

function nearestExisting(p: string): string {
  let cur = path.resolve(p);
  while (!existsSync(cur)) {
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  return cur;
}

/** Throw unless new entries can be created under `target` (which may not exist yet). */
function checkWritableUnder(flag: string, shown: string, target: string, needBytes: number): void {
  const base = nearestExisting(target);
  if (!statSync(base).isDirectory()) throw new UsageError(`${flag} ${shown}: ${base} is a file, not a folder`);
  try {
    rmSync(mkdtempSync(path.join(base, '.fivelens-probe-')), { recursive: true, force: true });
  } catch (e) {
    throw new UsageError(`${flag} ${shown}: cannot write in ${base} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const fs = statfsSync(base);
    const free = Number(fs.bavail) * Number(fs.bsize);
    if (free < needBytes) throw new UsageError(`${flag} ${shown}: only ${(free / 1024 ** 2).toFixed(1)} MB free in ${base}, about ${(needBytes / 1024 ** 2).toFixed(1)} MB needed`);
  } catch (e) {
    if (e instanceof UsageError) throw e; // statfs unsupported: free space unknown
  }
}

/** An output folder: new or empty, creatable, not a file. Returns its absolute path. */
export function checkOutFolder(flag: string, dir: string, needBytes = 1 << 20, allowNonEmpty = false): string {
  const abs = path.resolve(dir);
  if (existsSync(abs)) {
    if (!statSync(abs).isDirectory()) throw new UsageError(`${flag} ${dir}: is a file; give a folder`);
    if (!allowNonEmpty && readdirSync(abs).length > 0) throw new UsageError(`${flag} ${dir}: folder exists and is not empty; choose a new or empty folder`);
  }
  checkWritableUnder(flag, dir, abs, needBytes);
  return abs;
}

/** An output file: not a folder, its folder writable, room for about `needBytes`. */
export function checkOutFile(flag: string, file: string, needBytes: number): void {
  const abs = path.resolve(file);
  if (existsSync(abs) && statSync(abs).isDirectory()) throw new UsageError(`${flag} ${file}: is a folder; give a file name`);
  checkWritableUnder(flag, file, path.dirname(abs), needBytes);
}
