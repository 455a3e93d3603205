/** The compression lens: every experiment of this lens, in the order a learner should meet them. */
import type { Experiment } from '../../experiments/contract.js';
import { sensing } from './sensing.js';
import { quantization } from './quantization.js';
import { lottery } from './lottery.js';
import { distillGPT } from './distill-gpt.js';
import { lmIsCompression } from './lm-is-compression.js';
import { contextMixing } from './context-mixing.js';

export const experiments: Experiment[] = [
  sensing,
  quantization,
  lottery,
  distillGPT,
  lmIsCompression,
  contextMixing,
];
