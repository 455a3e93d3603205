/**
 * A progress bar for long runs: drawn on stderr when it is a TTY and --json is off; silent otherwise.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(fraction: number, message?: string): void;
  stop(): void;
}

export function createProgress(label: string, enabled = process.stderr.isTTY === true): Progress {
  if (!enabled) return { update() {}, stop() {} };
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
