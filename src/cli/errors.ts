/** CLI errors: one line for the user, and the exit code that goes with it. */

/** Bad input from the user (unknown id, ill-typed --set, missing file…): exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A run that started and failed (corrupt checkpoint, diverged training…): exit code 1. */
export class RunError extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'RunError';
  }
}
