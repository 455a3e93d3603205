/**
 * Helpers for the browser end-to-end test: build + serve the lab through bin/start.mjs on a free
 * port, and launch Debian's chromium through playwright-core (headless, no sandbox, a fresh
 * profile, no background networking).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export interface Server {
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Run `node bin/start.mjs` with PORT=0 (build unless noBuild) and wait for the printed URL. */
export function startServer(opts: { noBuild?: boolean; timeoutMs?: number } = {}): Promise<Server> {
  const args = [path.join(ROOT, 'bin', 'start.mjs')];
  if (opts.noBuild) args.push('--no-build');
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGTERM');
      reject(new Error(`bin/start.mjs printed no URL within ${opts.timeoutMs ?? 120000} ms:\n${out}`));
    }, opts.timeoutMs ?? 120_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /fivelens lab: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1]!,
          proc,
          stop: () =>
            new Promise<void>((res) => {
              if (proc.exitCode !== null) return res();
              proc.once('exit', () => res());
              proc.kill('SIGTERM');
            }),
        });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bin/start.mjs exited with ${code}:\n${out}`));
    });
  });
}

export interface Chrome {
  browser: Browser;
  context: BrowserContext;
  close(): Promise<void>;
}

/** A persistent-profile-free chromium with a fresh user-data-dir. */
export async function launchChromium(locale = 'en-US'): Promise<Chrome> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'fivelens-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    locale,
    viewport: { width: 1360, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-gpu',
      '--disable-dev-shm-usage',
    ],
  });
  return {
    browser: context.browser()!,
    context,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
