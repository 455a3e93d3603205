/** The control lens: every experiment of this lens, in the order a learner should meet them. */
import type { Experiment } from '../../experiments/contract.js';
import { momentumDynamics } from './momentum-dynamics.js';
import { lyapunovLr } from './lyapunov-lr.js';
import { pidOptimizer } from './pid-optimizer.js';
import { schedulesExperiment } from './schedules-exp.js';
import { gradientClipping } from './gradient-clipping.js';
import { feedbackLr } from './feedback-lr.js';

export const experiments: Experiment[] = [
  momentumDynamics as unknown as Experiment,
  lyapunovLr as unknown as Experiment,
  pidOptimizer as unknown as Experiment,
  schedulesExperiment as unknown as Experiment,
  gradientClipping as unknown as Experiment,
  feedbackLr as unknown as Experiment,
];
