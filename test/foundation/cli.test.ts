import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BIN = path.resolve(__dirname, '../../bin/fivelens.mjs');
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
const tmp = () => mkdtempSync(path.join(tmpdir(), 'fivelens-cli-'));

describe('fivelens CLI', () => {
  it('lists experiments, as text and as JSON', () => {
    const t = cli('list');
    expect(t.status).toBe(0);
    expect(t.stdout).toContain('information.entropy-rate');
    const j = cli('list', '--json', '--lens', 'information');
    expect(j.status).toBe(0);
    const list = JSON.parse(j.stdout) as { id: string; lens: string; params: unknown[] }[];
    expect(list.every((e) => e.lens === 'information')).toBe(true);
    expect(list.find((e) => e.id === 'information.entropy-rate')?.params.length).toBeGreaterThan(0);
  });

  it('run --json prints only the result, with bpc per order, and writes result.json, result.md and SVGs', () => {
    const out = path.join(tmp(), 'run');
    const r = cli('run', 'information.entropy-rate', '--preset', 'quick', '--json', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { id: string; seed: number; metrics: { name: string; value: number }[]; verdicts: { verdict: string }[] };
    expect(result.id).toBe('information.entropy-rate');
    expect(result.metrics.filter((m) => m.name.startsWith('heldout_bpc_order_')).length).toBe(5);
    expect(existsSync(path.join(out, 'result.json'))).toBe(true);
    expect(existsSync(path.join(out, 'result.md'))).toBe(true);
    const svg = readFileSync(path.join(out, 'bpc-vs-order.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(readdirSync(path.dirname(out)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('same seed, same numbers', () => {
    const a = JSON.parse(cli('run', 'information.entropy-rate', '--json', '--seed', '5', '--out', path.join(tmp(), 'a')).stdout);
    const b = JSON.parse(cli('run', 'information.entropy-rate', '--json', '--seed', '5', '--out', path.join(tmp(), 'b')).stdout);
    expect(a.metrics).toEqual(b.metrics);
  });

  it('an unknown id gets one line suggesting the nearest ids, exit code 2', () => {
    const r = cli('run', 'information.entropy-rat');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('did you mean information.entropy-rate');
  });

  it('an unknown or ill-typed --set gets one line naming the key, type and range, exit code 2', () => {
    const unknown = cli('run', 'information.entropy-rate', '--set', 'order=3');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain('order: unknown parameter');
    const typed = cli('run', 'information.entropy-rate', '--set', 'maxOrder=2.5');
    expect(typed.status).toBe(2);
    expect(typed.stderr).toContain('maxOrder=2.5: expected an integer in [1, 12]');
    const range = cli('run', 'information.entropy-rate', '--set', 'trainFraction=2');
    expect(range.status).toBe(2);
    expect(range.stderr).toContain('expected a number in [0.5, 0.99]');
  });

  it('bad --preset, --seed and a non-empty --out are usage errors; nothing of the user is overwritten', () => {
    expect(cli('run', 'information.entropy-rate', '--preset', 'huge').status).toBe(2);
    expect(cli('run', 'information.entropy-rate', '--seed', '-1').status).toBe(2);
    const dir = tmp();
    writeFileSync(path.join(dir, 'mine.txt'), 'keep me');
    const r = cli('run', 'information.entropy-rate', '--out', dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not empty');
    expect(readFileSync(path.join(dir, 'mine.txt'), 'utf8')).toBe('keep me');
  });

  it('Ctrl-C aborts through the AbortSignal, exits 1 and leaves no half-written files', async () => {
    const out = path.join(tmp(), 'aborted');
    const child = spawn(process.execPath, [BIN, 'run', 'information.entropy-rate', '--preset', 'full', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // wait until the run has started (its first log line), then interrupt
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (stderr.includes('characters')) {
          clearInterval(t);
          resolve();
        }
      }, 50);
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('aborted');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(path.dirname(out))).toEqual([]);
  });
});
