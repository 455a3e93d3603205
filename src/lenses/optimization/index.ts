/** The optimization lens: every experiment of this lens, in the order a learner should meet them. */
import type { Experiment } from '../../experiments/contract.js';
import { newtonVsFirstOrder } from './newton-vs-first-order.js';
import { kfac } from './kfac.js';
import { l2Curvature } from './l2-curvature.js';
import { regularization } from './regularization.js';
import { intrinsicDimension } from './intrinsic-dimension.js';
import { lossLandscape } from './loss-landscape.js';

export const experiments: Experiment[] = [newtonVsFirstOrder, kfac, l2Curvature, regularization, intrinsicDimension, lossLandscape];
