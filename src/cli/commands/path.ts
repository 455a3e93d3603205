/** `fivelens path` — placeholder until its issue lands (registers nothing yet). */
import type { Command } from 'commander';

export function register(_program: Command): void {}
