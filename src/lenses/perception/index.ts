/** The perception lens: every experiment of this lens, in the order a learner should meet them. */
import type { Experiment } from '../../experiments/contract.js';
import { attentionMaps } from './attention-maps.js';
import { contrastiveAlignment } from './contrastive-alignment.js';
import { physicsPrior } from './physics-prior.js';

export const experiments: Experiment[] = [
  attentionMaps,
  contrastiveAlignment,
  physicsPrior,
];
