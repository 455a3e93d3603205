/**
 * The shipped corpora and the digits set (see data/DATA.md for provenance). Pure parsing only:
 * bytes come in through a DataSource, so the same code serves Node, tests and the browser.
 */
import type { DataSource } from '../experiments/contract.js';
import type { Rng } from '../engine/rng.js';

/** Short corpus names → files in data/. */
export const CORPORA = {
  shakespeare: 'tinyshakespeare.txt',
  tang: 'tang300.txt',
  song: 'song100.txt',
} as const;
export type CorpusName = keyof typeof CORPORA;

export function isCorpusName(s: string): s is CorpusName {
  return Object.prototype.hasOwnProperty.call(CORPORA, s);
}

/** Split a text into the first `trainFraction` and the rest (by code points, never inside a surrogate pair). */
export function splitText(text: string, trainFraction = 0.9): { train: string; val: string } {
  const chars = Array.from(text);
  const cut = Math.floor(chars.length * trainFraction);
  return { train: chars.slice(0, cut).join(''), val: chars.slice(cut).join('') };
}

/** The 8×8 handwritten digits: N rows of 64 pixels scaled to [0, 1], labels 0..9. */
export interface Digits {
  /** N×64 row-major, values in [0, 1] (raw 0..16 divided by 16) */
  x: Float32Array;
  y: Int32Array;
  n: number;
  /** 64 */
  d: number;
}

/** Parse digits.csv (65 comma-separated integers a row: 64 pixels 0..16, then the label). */
export function parseDigits(csv: string): Digits {
  const lines = csv.split('\n').filter((l) => l.trim().length > 0);
  const n = lines.length;
  const x = new Float32Array(n * 64);
  const y = new Int32Array(n);
  lines.forEach((line, i) => {
    const v = line.split(',').map(Number);
    if (v.length !== 65) throw new Error(`digits.csv line ${i + 1}: expected 65 values, got ${v.length}`);
    for (let j = 0; j < 64; j++) x[i * 64 + j] = v[j]! / 16;
    y[i] = v[64]!;
  });
  return { x, y, n, d: 64 };
}

export async function loadDigits(data: DataSource): Promise<Digits> {
  const bytes = await data.bytes('digits.csv.gz');
  return parseDigits(new TextDecoder().decode(bytes));
}

/** Rows `idx` of a digits set. */
export function subsetDigits(ds: Digits, idx: ArrayLike<number>): Digits {
  const x = new Float32Array(idx.length * ds.d);
  const y = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i]!;
    x.set(ds.x.subarray(r * ds.d, (r + 1) * ds.d), i * ds.d);
    y[i] = ds.y[r]!;
  }
  return { x, y, n: idx.length, d: ds.d };
}

/**
 * A seeded train/test split: `nTest` rows for test, then up to `nTrain` rows for training
 * (all the rest when omitted). Same rng state → same split.
 */
export function splitDigits(ds: Digits, rng: Rng, nTest = 497, nTrain?: number): { train: Digits; test: Digits } {
  const perm = rng.permutation(ds.n);
  const test = perm.subarray(0, nTest);
  const rest = perm.subarray(nTest);
  const train = nTrain === undefined ? rest : rest.subarray(0, nTrain);
  return { train: subsetDigits(ds, train), test: subsetDigits(ds, test) };
}
