/**
 * The CLI, in-process (main(argv) with stdout/stderr captured) for every usage case, and real
 * child processes only where the process itself is the subject: signals and exit codes (issue 18).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/gpt/safetensors.js';

const BIN = path.resolve(__dirname, '../../bin/fivelens.mjs');
const ROOT = path.resolve(__dirname, '../..');
let base: string;
const tmp = () => mkdtempSync(path.join(base, 't-'));

/** main(argv) in this process: exit code, stdout and stderr. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string; ms: number }> {
  const [ow, ew] = [process.stdout.write, process.stderr.write];
  let out = '';
  let err = '';
  process.stdout.write = ((s: string | Uint8Array, ...rest: unknown[]) => {
    out += typeof s === 'string' ? s : Buffer.from(s).toString('latin1');
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((err += String(s)), true)) as typeof process.stderr.write;
  const t0 = performance.now();
  try {
    const code = await main(argv);
    return { code, out, err, ms: performance.now() - t0 };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}
const oneLine = (s: string) => s.trim().split('\n').length === 1;
/**
 * Issue 18 asks for a stop within 1 s, measured here from the signal to the process's end (pipes
 * closed). Before the fix `zip` and `sample` never stopped early at all; a loaded CI machine runs
 * many times slower than an idle one, so the default bound is loose: FIVELENS_STOP_MS=1000 holds
 * the bound exactly on an idle machine (train: the step in flight and the save come on top).
 */
const STOP_MS = Number(process.env.FIVELENS_STOP_MS ?? 10_000);

/** A real `fivelens` process in its own process group, sent `sig` once `ready(stderr)` holds. */
async function interrupted(argv: string[], sig: 'SIGINT' | 'SIGTERM', ready: (stderr: string, stdout: string) => boolean, cwd = ROOT) {
  const child = spawn(process.execPath, [BIN, ...argv], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  // 'close', not 'exit': the last lines of stderr may arrive after the exit
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (ready(stderr, stdout)) {
        clearInterval(t);
        resolve();
      }
    }, 20);
    void exited.then(() => (clearInterval(t), reject(new Error(`exited before the signal: ${stderr}`))));
  });
  const t0 = performance.now();
  process.kill(-child.pid!, sig);
  const r = await exited;
  return { ...r, stopMs: performance.now() - t0, stderr, stdout };
}

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'fivelens-cli-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('fivelens CLI (in-process)', () => {
  it('lists experiments, as text and as JSON; --version; run <id> --help lists parameters', async () => {
    const t = await cli('list');
    expect(t.code).toBe(0);
    expect(t.out).toContain('information.entropy-rate');
    const j = await cli('list', '--json', '--lens', 'information');
    const list = JSON.parse(j.out) as { id: string; lens: string; params: unknown[] }[];
    expect(list.every((e) => e.lens === 'information')).toBe(true);
    expect(list.find((e) => e.id === 'information.entropy-rate')?.params.length).toBeGreaterThan(0);
    const v = await cli('--version');
    expect(v.code).toBe(0);
    expect(v.out.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    const h = await cli('run', 'information.entropy-rate', '--help');
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/maxOrder\s+integer\s+\[1, 12\]\s+default \d+/);
    expect(h.out).toContain('--preset quick');
  });

  it('run --json prints only the result and writes result.json, result.md and SVGs; same seed, same numbers', async () => {
    const out = path.join(tmp(), 'run');
    const r = await cli('run', 'information.entropy-rate', '--json', '--seed', '5', '--out', out);
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out) as { id: string; metrics: { name: string; value: number }[] };
    expect(result.metrics.filter((m) => m.name.startsWith('heldout_bpc_order_')).length).toBe(5);
    expect(readFileSync(path.join(out, 'bpc-vs-order.svg'), 'utf8').startsWith('<svg')).toBe(true);
    expect(existsSync(path.join(out, 'result.md'))).toBe(true);
    expect(readdirSync(path.dirname(out))).toEqual(['run']);
    const again = await cli('run', 'information.entropy-rate', '--json', '--seed', '5', '--out', path.join(tmp(), 'b'));
    expect((JSON.parse(again.out) as typeof result).metrics).toEqual(result.metrics);
  });

  it('usage errors are one line and exit 2: unknown id, --set, --preset, --seed, a non-empty --out', async () => {
    const u = await cli('run', 'information.entropy-rat');
    expect([u.code, oneLine(u.err)]).toEqual([2, true]);
    expect(u.err).toContain('did you mean information.entropy-rate');
    const k = await cli('run', 'information.entropy-rate', '--set', 'order=3');
    expect([k.code, oneLine(k.err)]).toEqual([2, true]);
    expect(k.err).toContain('order: unknown parameter');
    expect((await cli('run', 'information.entropy-rate', '--set', 'maxOrder=2.5')).err).toContain('maxOrder=2.5: expected an integer in [1, 12]');
    expect((await cli('run', 'information.entropy-rate', '--preset', 'huge')).code).toBe(2);
    expect((await cli('run', 'information.entropy-rate', '--seed', '-1')).code).toBe(2);
    const dir = tmp();
    writeFileSync(path.join(dir, 'mine.txt'), 'keep me');
    const r = await cli('run', 'information.entropy-rate', '--out', dir);
    expect([r.code, oneLine(r.err)]).toEqual([2, true]);
    expect(readFileSync(path.join(dir, 'mine.txt'), 'utf8')).toBe('keep me');
  });

  it("cross-field parameter constraints are usage errors (exit 2): an experiment's own check, an out-of-range list", async () => {
    const b = await cli('run', 'information.bottleneck-curve', '--set', 'betaMin=10', '--set', 'betaMax=5', '--out', path.join(tmp(), 'x'));
    expect([b.code, oneLine(b.err)]).toEqual([2, true]);
    expect(b.err).toContain('betaMax');
    const d = await cli('run', 'compression.sensing', '--set', 'deltas=2,-1', '--out', path.join(tmp(), 'y'));
    expect([d.code, oneLine(d.err)]).toEqual([2, true]);
    expect(d.err).toContain('deltas');
  });

  it('impossible destinations fail at once in one line, exit 2, before any work and with nothing left behind', async () => {
    const dir = tmp();
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'x');
    for (const argv of [
      ['run', 'information.entropy-rate', '--out', '/proc/x'],
      ['run', 'information.entropy-rate', '--out', file],
      ['run', 'information.entropy-rate', '--out', path.join(file, 'sub')],
      ['zip', file, '-o', '/proc/x/y.flz'],
      ['zip', file, '-o', dir, '--force'],
      ['train', '--corpus', 'shakespeare', '--config', 'nano', '--out', '/proc/x'],
    ]) {
      const r = await cli(...argv);
      expect([r.code, oneLine(r.err)], `${argv.join(' ')}: ${r.err}`).toEqual([2, true]);
      expect(r.ms, argv.join(' ')).toBeLessThan(3000);
    }
    expect(readdirSync(dir)).toEqual(['a-file']);
  });

  it('path follows the system language (LC_ALL, LC_MESSAGES, LANG, LANGUAGE) as the lab follows the browser', async () => {
    const { systemLang } = await import('../../src/cli/commands/path.js');
    expect(systemLang({ LANG: 'zh_CN.UTF-8' })).toBe('zh');
    expect(systemLang({ LANG: 'en_US.UTF-8' })).toBe('en');
    expect(systemLang({ LC_ALL: 'zh_TW.UTF-8', LANG: 'en_US.UTF-8' })).toBe('zh');
    expect(systemLang({})).toBe('en');
  });

  it('zip and unzip take gzip-style -c, -d, -k; refuse binary output to a terminal; unzip names the flags the file needs', async () => {
    const dir = tmp();
    const inp = path.join(dir, 'a.txt');
    writeFileSync(inp, 'to be or not to be, that is the question. '.repeat(20));
    expect((await cli('zip', '-k', '-q', inp)).code).toBe(0);
    expect(existsSync(inp)).toBe(true);
    const c = await cli('zip', '-c', '-q', inp);
    expect(c.code).toBe(0);
    expect(Buffer.from(c.out, 'latin1').equals(readFileSync(inp + '.flz'))).toBe(true);
    rmSync(inp);
    expect((await cli('zip', '-d', inp + '.flz')).code).toBe(0);
    expect(readFileSync(inp, 'utf8')).toContain('to be or not');
    const wrong = await cli('unzip', inp + '.flz', '--dict', inp, '-o', path.join(dir, 'b.txt'));
    expect([wrong.code, oneLine(wrong.err)]).toEqual([1, true]);
    expect(wrong.err).toContain('--online');
    expect(wrong.err).not.toMatch(/pass --model|do not pass --model\b(?! or)/);
    const tty = process.stdout.isTTY;
    process.stdout.isTTY = true;
    try {
      const t = await cli('zip', '-c', inp);
      expect([t.code, oneLine(t.err), t.out]).toEqual([2, true, '']);
    } finally {
      process.stdout.isTTY = tty;
    }
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'a.txt.flz']);
  });
});

describe('fivelens train, sample, eval (in-process, nano)', () => {
  let ckpt: string;
  beforeAll(async () => {
    ckpt = path.join(tmp(), 'ckpt');
    const r = await cli('train', '--corpus', 'shakespeare', '--config', 'nano', '--steps', '2', '--workers', '1', '--out', ckpt, '--json');
    expect(r.code, r.err).toBe(0);
  });

  it('--batch-size 1 with 2 workers trains on one (a batch of 1 does not split), saying so', async () => {
    const r = await cli('train', '--corpus', 'shakespeare', '--config', 'nano', '--steps', '2', '--batch-size', '1', '--workers', '2', '--out', path.join(tmp(), 'b1'));
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('using 1 worker');
  });

  it('a diverging run stops naming the step, keeps no non-finite checkpoint; eval and sample refuse non-finite weights', async () => {
    const out = path.join(tmp(), 'div');
    const r = await cli('train', '--corpus', 'shakespeare', '--config', 'nano', '--steps', '30', '--eval-every', '1', '--workers', '1', '--set', 'lr=1e30', '--set', 'gradClip=1e30', '--set', 'warmupSteps=0', '--out', out);
    expect([r.code, oneLine(r.err.split('\n').filter((l) => l.startsWith('fivelens:')).join('\n'))]).toEqual([1, true]);
    expect(r.err).toMatch(/(diverged|failed) (at|before) step \d+/);
    if (existsSync(path.join(out, 'model.safetensors'))) {
      const { tensors } = decodeSafetensors(new Uint8Array(readFileSync(path.join(out, 'model.safetensors'))));
      for (const t of Object.values(tensors)) expect(Array.from(t.data as Float32Array).every(Number.isFinite)).toBe(true);
    }
    // a checkpoint whose weights hold a NaN (written by hand)
    const bad = path.join(tmp(), 'nan');
    mkdirSync(bad);
    for (const f of readdirSync(ckpt)) writeFileSync(path.join(bad, f), readFileSync(path.join(ckpt, f)));
    const st = decodeSafetensors(new Uint8Array(readFileSync(path.join(ckpt, 'model.safetensors'))));
    const first = Object.values(st.tensors)[0]!;
    (first.data as Float32Array)[0] = NaN;
    writeFileSync(path.join(bad, 'model.safetensors'), encodeSafetensors(st.tensors, st.metadata));
    const e = await cli('eval', '--ckpt', bad, '--corpus', 'shakespeare', '--max-chars', '100');
    const s = await cli('sample', '--ckpt', bad, '--tokens', '5');
    for (const x of [e, s]) {
      expect([x.code, oneLine(x.err)]).toEqual([1, true]);
      expect(x.err).toContain('NaN');
    }
  });

  it('--resume of a folder whose state.json is damaged answers in one line', async () => {
    for (const junk of ['null', '{"run": null}', '{"run": {"corpus": 3}}', '{']) {
      const dir = tmp();
      for (const f of readdirSync(ckpt)) writeFileSync(path.join(dir, f), readFileSync(path.join(ckpt, f)));
      writeFileSync(path.join(dir, 'state.json'), junk);
      const r = await cli('train', '--resume', dir, '--steps', '3');
      expect([r.code, oneLine(r.err)], junk).toEqual([1, true]);
      expect(r.err).toContain('state.json');
    }
  });
});

describe('signals (real processes, SIGINT/SIGTERM to the process group)', { timeout: 300_000 }, () => {
  it('run: Ctrl-C stops within a second, exits 130, leaves no output and no temporary folder', async () => {
    const dir = tmp();
    const out = path.join(dir, 'aborted');
    const r = await interrupted(['run', 'information.entropy-rate', '--preset', 'full', '--out', out], 'SIGINT', (e) => e.includes('characters'));
    expect(r.code, r.stderr).toBe(130);
    expect(r.stopMs).toBeLessThan(STOP_MS);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('sample --tokens 100000000: SIGTERM stops within a second, exit 143', async () => {
    const ckpt = path.join(tmp(), 'c');
    expect((await cli('train', '--corpus', 'shakespeare', '--config', 'nano', '--steps', '1', '--workers', '1', '--out', ckpt, '--json')).code).toBe(0);
    const r = await interrupted(['sample', '--ckpt', ckpt, '--tokens', '100000000'], 'SIGTERM', (_e, o) => o.length > 100);
    expect(r.code, r.stderr).toBe(143);
    expect(r.stopMs).toBeLessThan(STOP_MS);
  });

  it('zip: Ctrl-C leaves neither the output nor a temporary file; the input is untouched', async () => {
    const dir = tmp();
    const inp = path.join(dir, 'big.txt');
    // large enough that coding is still going when the signal comes (the context mixer codes ~60 KB/s)
    const text = readFileSync(path.join(ROOT, 'data', 'tinyshakespeare.txt'), 'utf8');
    writeFileSync(inp, text.repeat(2));
    const before = readFileSync(inp);
    const t0 = performance.now();
    const r = await interrupted(['zip', inp], 'SIGINT', () => performance.now() - t0 > 2500);
    // coding is synchronous: the signal takes its default action (the shell sees 130), or the handler exits 130
    expect(r.code === 130 || r.signal === 'SIGINT', r.stderr).toBe(true);
    expect(r.stopMs).toBeLessThan(STOP_MS);
    expect(readdirSync(dir)).toEqual(['big.txt']);
    expect(readFileSync(inp).equals(before)).toBe(true);
  });

  it('train: Ctrl-C saves the checkpoint first, exits 130, and --resume continues', async () => {
    const out = path.join(tmp(), 'tr');
    const r = await interrupted(['train', '--corpus', 'shakespeare', '--config', 'nano', '--steps', '100000', '--eval-every', '100000', '--workers', '1', '--out', out], 'SIGINT', (e) => e.includes('AdamW'));
    expect(r.code, r.stderr).toBe(130);
    expect(r.stopMs).toBeLessThan(STOP_MS * 2); // the step in flight and the checkpoint save
    expect(r.stderr).toContain('--resume');
    const step = (JSON.parse(readFileSync(path.join(out, 'state.json'), 'utf8')) as { step: number }).step;
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const again = await cli('train', '--resume', out, '--steps', String(step + 1), '--json');
    expect(again.code, again.err).toBe(0);
    expect((JSON.parse(again.out) as { steps: number }).steps).toBe(step + 1);
  });

  it('run: a signal that arrives after the measurement (while writing) leaves no result folder and no temporary one', async () => {
    // in-process and last: the interrupt controller is one per process
    const { writeRun, interrupt } = await import('../../src/cli/main.js');
    const { InterruptedError } = await import('../../src/cli/interrupt.js');
    const dir = tmp();
    interrupt.abort(new InterruptedError('interrupted; nothing was written', 'SIGINT'));
    const result = { figures: [], verdicts: [], findings: [], metrics: [] } as unknown as Parameters<typeof writeRun>[2];
    await expect(writeRun(path.join(dir, 'out'), { title: { en: 'x', zh: 'x' } } as Parameters<typeof writeRun>[1], result)).rejects.toThrow('interrupted');
    expect(readdirSync(dir)).toEqual([]);
  });
});
