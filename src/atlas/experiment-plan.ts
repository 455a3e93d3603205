/**
 * The experiments the lens issues (2–8) promise. The atlas may name an experiment before it is
 * registered; the audit and the planner then mark it "planned" (a topic or claim never points to
 * an id outside this list or the registry — `checkAtlas` enforces it).
 */
export const PLANNED_EXPERIMENTS = [
  'information.entropy-rate',
  'information.cross-entropy-decomposition',
  'information.attention-mi',
  'information.bottleneck-curve',
  'information.information-plane',
  'information.distillation',
  'control.momentum-dynamics',
  'control.lyapunov-lr',
  'control.pid-optimizer',
  'control.schedules',
  'control.gradient-clipping',
  'control.feedback-lr',
  'optimization.l2-curvature',
  'optimization.newton-vs-first-order',
  'optimization.kfac',
  'optimization.intrinsic-dimension',
  'optimization.regularization',
  'optimization.loss-landscape',
  'compression.sensing',
  'compression.lottery-ticket',
  'compression.quantization',
  'compression.distill-gpt',
  'compression.lm-is-compression',
  'perception.attention-maps',
  'perception.contrastive-alignment',
  'perception.physics-prior',
  'gpt.train',
] as const;
