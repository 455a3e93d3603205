/**
 * The ids of the seed answer's claims (`../shared/seed/seed.md`). Experiments cite these ids in
 * `claims` and in their verdicts; the atlas (`src/atlas/claims.ts`) holds, for each, the quoted
 * Chinese sentence, an English paraphrase, the literature note and the experiments that test it.
 * The comment after each id is its short English gloss.
 */
export const CLAIM_IDS = [
  // 信息论 — information
  'info.lm-entropy', // language modelling is probability modelling whose cost is (cross-)entropy
  'info.attention-mi', // self-attention computes / captures the mutual information between tokens
  'info.mi-threshold', // capability jumps once a head's captured MI passes a threshold
  'info.ib-phases', // IB: pre-training raises I(X;T), fine-tuning raises I(T;Y)
  'info.ib-compression-phase', // (Shwartz-Ziv & Tishby) training has a fitting then a compression phase
  'info.distill-kl', // distillation minimises D_KL(p_τ‖q_θ) and transfers dark knowledge
  'info.distill-gpt3-1-40', // distillation shrinks GPT-3 to 1/40 keeping ≥90% performance
  // 控制论 — control
  'control.gd-feedback', // gradient descent is a discrete-time (negative-feedback) control system
  'control.momentum-damping', // momentum (v ← γv + (1−γ)g) is an inertia element that damps oscillation
  'control.adam-pi', // Adam's adaptive learning rate is proportional–integral control
  'control.lr-lyapunov', // learning-rate schedules must obey Lyapunov stability
  'control.cosine-convergence', // cosine annealing guarantees asymptotic convergence
  'control.warm-restarts', // warm restarts move between basins and find better minima
  'control.clipping-saturation', // gradient clipping is a saturating nonlinearity that keeps training stable
  // 优化 — optimization
  'opt.low-dim-manifold', // training lives on a low-dimensional manifold: 亿 parameters optimised in 千 dimensions
  'opt.l2-curvature', // L2 keeps the Hessian's smallest eigenvalue positive and improves convergence
  'opt.dropout-implicit', // dropout is implicit regularisation (Bernoulli noise reshapes the loss surface)
  'opt.decay-dropout-15-20', // weight decay + dropout lowers test error by 15–20%
  'opt.newton-quadratic', // Newton converges quadratically at O(n³) cost
  'opt.kfac-n15', // K-FAC's Kronecker factorisation lowers the cost to O(n^1.5)
  'opt.kfac-finetune', // K-FAC-like methods show a clear advantage fine-tuning 10^10-parameter models
  // 压缩感知 — compression
  'comp.sub-nyquist', // sparse signals are recovered exactly from far fewer samples than Nyquist's
  'comp.lottery-from-cs', // the lottery-ticket hypothesis follows from compressed sensing; sparse subnetworks match the full net
  'comp.bert-30-2', // iterative magnitude pruning takes BERT to 30% of its weights losing <2% accuracy
  'comp.quant-rate-distortion', // 8-bit quantization is optimal coding under rate–distortion, R(D) = min I(X;Q)
  'comp.mixed-precision-75-99', // layer-wise mixed precision cuts 75% of the size keeping 99% of the accuracy
  'comp.distill-coding', // teacher–student is a two-stage encoder/decoder obeying R(D) = min I(X;Y)
  'comp.distill-gpt3-1-100', // distillation made GPT-3 175B a model needing 1/100 of the compute
  'comp.lm-is-compression', // language modelling is compression (the link between the five sciences)
  // 感知 — perception
  'perc.attention-saccade', // self-attention borrows the saccade–fixation mechanism, focusing selectively
  'perc.attention-cortex', // attention's soft focus resembles primate visual-cortex activity
  'perc.clip-joint', // CLIP's contrastive objective learns a joint cross-modal representation
  'perc.clip-zero-shot', // CLIP's zero-shot / few-shot ability validates the unified representation
  'perc.clip-formula', // the seed's objective max exp(sim/τ)/Σ exp(sim/τ) is CLIP's loss
  'perc.physics-prior', // encoding F = ma as a prior makes outputs more physically consistent
] as const;

export type ClaimId = (typeof CLAIM_IDS)[number];
