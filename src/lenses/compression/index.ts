/** The compression lens: every experiment of this lens, in the order a learner should meet them. */
import type { Experiment } from '../../experiments/contract.js';
import { sensing } from './sensing.js';
import { quantization } from './quantization.js';

export const experiments: Experiment[] = [sensing as unknown as Experiment, quantization as unknown as Experiment];
