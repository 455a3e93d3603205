/** Every CLI command besides `list` and `run`, one module each. */
import type { Command } from 'commander';
import * as train from './train.js';
import * as sample from './sample.js';
import * as evalCmd from './eval.js';
import * as zip from './zip.js';
import * as audit from './audit.js';
import * as pathCmd from './path.js';
import * as results from './results.js';

export const COMMANDS: { register(program: Command): void }[] = [train, sample, evalCmd, zip, audit, pathCmd, results];
