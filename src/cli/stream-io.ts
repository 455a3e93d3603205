/**
 * Streamed input and output for commands that work through files larger than memory (`zip`):
 * the input in pieces (a file handle, or stdin), the output to stdout or to a temporary file in the
 * destination's folder that is renamed over it only when everything was written. The temporary file
 * is tracked (interrupt.ts), so Ctrl-C removes it.
 */
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { throwIfInterrupted, trackTemp, untrackTemp } from './interrupt.js';

/** Bytes read at a time. */
export const READ_BYTES = 1 << 16;

/** The input in fresh pieces of at most `size` bytes (a piece is never reused: consumers may keep it). */
export async function* readChunks(inp: string, size = READ_BYTES): AsyncGenerator<Uint8Array> {
  if (inp === '-') {
    for await (const c of process.stdin) {
      const b = c as Buffer;
      for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
    }
    return;
  }
  const fh = await open(inp, 'r');
  try {
    for (;;) {
      const buf = new Uint8Array(size);
      const { bytesRead } = await fh.read(buf, 0, size, null);
      if (bytesRead === 0) return;
      yield bytesRead === size ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/** Where output goes: `commit` when complete, `abort` on any failure (a file sink then leaves nothing). */
export interface Sink {
  write(b: Uint8Array): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
  /** bytes written so far */
  readonly written: number;
}

function stdoutSink(): Sink {
  let written = 0;
  return {
    write: (b) =>
      b.length === 0
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) =>
            process.stdout.write(b, (err) => {
              if (err) return reject(err);
              written += b.length;
              resolve();
            }),
          ),
    commit: async () => {},
    abort: async () => {},
    get written() {
      return written;
    },
  };
}

/** A temporary file beside `file` (tracked for Ctrl-C), renamed over it on commit. */
async function fileSink(file: string): Promise<Sink> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  trackTemp(tmp);
  let fh: FileHandle | undefined;
  let written = 0;
  const close = async () => {
    const h = fh;
    fh = undefined;
    await h?.close();
  };
  try {
    fh = await open(tmp, 'wx');
  } catch (err) {
    untrackTemp(tmp);
    throw err;
  }
  return {
    async write(b) {
      for (let at = 0; at < b.length; ) at += (await fh!.write(b, at, b.length - at)).bytesWritten;
      written += b.length;
    },
    async commit() {
      await fh!.sync();
      await close();
      await rename(tmp, file);
      untrackTemp(tmp);
    },
    async abort() {
      await close().catch(() => {});
      await rm(tmp, { force: true });
      untrackTemp(tmp);
    },
    get written() {
      return written;
    },
  };
}

/** `-` = stdout, else a file written atomically. */
export function openSink(out: string): Promise<Sink> {
  return out === '-' ? Promise.resolve(stdoutSink()) : fileSink(out);
}

/** Let the event loop run (a signal's handler among others), then stop if a signal arrived. */
export async function breathe(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  throwIfInterrupted();
}
