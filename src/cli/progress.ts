/**
 * A progress bar for long runs: drawn on stderr when it is a TTY and --json is off; silent otherwise.
 */
import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';

/** cli-progress, loaded only when a bar is drawn (~20 ms of start-up otherwise). */
const loadBar = () => createRequire(import.meta.url)('cli-progress') as typeof CliProgress;

export interface Progress {
  update(fraction: number, message?: string): void;
  stop(): void;
}

export function createProgress(label: string, enabled = process.stderr.isTTY === true): Progress {
  if (!enabled) return { update() {}, stop() {} };
  const cliProgress = loadBar();
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {eta_formatted} left | {message}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1000, 0, { message: '' });
  let last = 0;
  return {
    update(fraction, message) {
      const v = Math.max(last, Math.round(Math.min(1, Math.max(0, fraction)) * 1000));
      last = v;
      bar.update(v, { message: message ?? '' });
    },
    stop() {
      bar.stop();
    },
  };
}
