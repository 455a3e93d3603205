/** The information lens: every experiment of this lens, in the order a learner should meet them. */
import type { Experiment } from '../../experiments/contract.js';
import { entropyRate } from './entropy-rate.js';

export const experiments: Experiment[] = [
  entropyRate as unknown as Experiment,
];
