/** The control lens: every experiment of this lens, in the order a learner should meet them. */
import type { Experiment } from '../../experiments/contract.js';
import { momentumDynamics } from './momentum-dynamics.js';
import { lyapunovLr } from './lyapunov-lr.js';
import { pidOptimizer } from './pid-optimizer.js';
import { schedulesExperiment } from './schedules.js';
import { gradientClipping } from './gradient-clipping.js';
import { feedbackLr } from './feedback-lr.js';

export const experiments: Experiment[] = [
  momentumDynamics,
  lyapunovLr,
  pidOptimizer,
  schedulesExperiment,
  gradientClipping,
  feedbackLr,
];
