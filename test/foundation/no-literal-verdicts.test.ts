import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../../src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('verdicts are computed, never typed in', () => {
  it('no source file assigns a reproduced / partly / not-reproduced verdict as a literal', () => {
    const literal = /verdict\s*:\s*['"](reproduced|partly|not-reproduced)['"]/;
    const offenders = tsFiles(SRC).flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ f: path.relative(SRC, f), i: i + 1, line }))
        .filter(({ line }) => literal.test(line)),
    );
    expect(offenders.map(({ f, i, line }) => `${f}:${i}: ${line.trim()}`)).toEqual([]);
  });
});
