/** The control lens: every experiment of this lens, in the order a learner should meet them. */
import type { Experiment } from '../../experiments/contract.js';

export const experiments: Experiment[] = [];
