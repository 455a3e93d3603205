/**
 * Ctrl-C and SIGTERM. The first signal aborts the command through `interrupt.signal`; the command
 * stops, removes what it was writing and exits 130 (SIGINT) or 143 (SIGTERM). Whatever is still
 * running `graceMs` later is cut short: the temporary files are removed synchronously and the
 * process exits with the same code. A second signal exits at once (after the same cleanup).
 */
import { rmSync } from 'node:fs';
import { pendingTemps } from '../experiments/node-host.js';

export const interrupt = new AbortController();

/** Exit code of a signal, as a shell reports it: 128 + its number. */
export const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/** A command stopped by a signal (main turns it into exit code 130 or 143). */
export class InterruptedError extends Error {
  readonly exitCode: number;
  constructor(
    message: string,
    readonly signal: 'SIGINT' | 'SIGTERM' = received ?? 'SIGINT',
  ) {
    super(message);
    this.name = 'InterruptedError';
    this.exitCode = SIGNAL_EXIT[signal];
  }
}

let received: 'SIGINT' | 'SIGTERM' | undefined;
const temps = new Set<string>();
/** How long a command may take to stop after the first signal (train raises it to save its checkpoint). */
let graceMs = 900;

export function receivedSignal(): 'SIGINT' | 'SIGTERM' | undefined {
  return received;
}

/** A file or folder this command is writing: removed if the process is interrupted. */
export function trackTemp(p: string): void {
  temps.add(p);
}
export function untrackTemp(p: string): void {
  temps.delete(p);
}
export function setGrace(ms: number): void {
  graceMs = ms;
}

function cleanupSync(): void {
  for (const p of [...temps, ...pendingTemps]) rmSync(p, { recursive: true, force: true });
}

function onSignal(sig: 'SIGINT' | 'SIGTERM'): void {
  if (received) {
    cleanupSync();
    process.exit(SIGNAL_EXIT[received]);
  }
  received = sig;
  process.stderr.write(`\nfivelens: ${sig === 'SIGINT' ? 'interrupted' : 'terminated'}, cleaning up…\n`);
  interrupt.abort(new InterruptedError(`${sig === 'SIGINT' ? 'interrupted' : 'terminated'}; nothing was written`, sig));
  setTimeout(() => {
    cleanupSync();
    process.exit(SIGNAL_EXIT[sig]);
  }, graceMs).unref();
}

const handlers = { SIGINT: () => onSignal('SIGINT'), SIGTERM: () => onSignal('SIGTERM') };

/** Install the handlers (the CLI entry point does, once). */
export function installSignalHandlers(): void {
  process.on('SIGINT', handlers.SIGINT);
  process.on('SIGTERM', handlers.SIGTERM);
}

/** Throw the InterruptedError if a signal arrived. */
export function throwIfInterrupted(): void {
  if (interrupt.signal.aborted) throw interrupt.signal.reason as Error;
}

/**
 * Run a synchronous stretch of work (coding a file, a tight loop) during which a signal takes its
 * default action and ends the process at once: the JavaScript handlers cannot run while it holds
 * the thread, and nothing of the output exists yet. The shell still sees 130 / 143.
 */
export function killable<T>(fn: () => T): T {
  const installed = process.listeners('SIGINT').includes(handlers.SIGINT);
  if (installed) {
    process.off('SIGINT', handlers.SIGINT);
    process.off('SIGTERM', handlers.SIGTERM);
  }
  try {
    return fn();
  } finally {
    if (installed) installSignalHandlers();
  }
}
