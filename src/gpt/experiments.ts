/** The capstone GPT's registered experiments (e.g. `gpt.train`). */
import type { Experiment } from '../experiments/contract.js';

export const experiments: Experiment[] = [];
