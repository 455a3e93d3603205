/** The information lens: every experiment of this lens, in the order a learner should meet them. */
import type { Experiment } from '../../experiments/contract.js';
import { entropyRate } from './entropy-rate.js';
import { bottleneckCurve } from './bottleneck-curve.js';
import { distillation } from './distillation.js';
import { informationPlane } from './information-plane.js';
import { crossEntropyDecomposition } from './cross-entropy-decomposition.js';
import { attentionMi } from './attention-mi.js';

export const experiments: Experiment[] = [
  entropyRate,
  bottleneckCurve,
  distillation,
  informationPlane,
  crossEntropyDecomposition,
  attentionMi,
];
