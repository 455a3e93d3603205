/**
 * The tiny GPT (issue 3): what the lenses code against.
 *
 *   GPT_CONFIGS (nano | baby | small), CharVocab (char-level, explicit OOV policy),
 *   GPT.init(config, V, rng) → .params (GPT-2 names) .forward(idx, {weights, returnAttention,
 *   returnHidden, training}) .loss .logProbs .nextLogProbs .generate,
 *   trainedGPT(ctx, {corpus, config, steps, seed}) (cached), evalBpc / evalText / evalTokens,
 *   GPTTrainer (step-wise training with AdamW + warmup-cosine + clipping from the control lens),
 *   safetensors encode/decode and model (de)serialisation.
 * Node-only pieces (checkpoint directories, worker-thread data parallelism) are in *.node.ts.
 */
export { GPT_CONFIGS, GPT_CONFIG_NAMES, isGPTConfigName, resolveConfig, validateConfig, parameterCount, trainingMemoryEstimate } from './config.js';
export type { GPTConfig, GPTConfigName, TrainHyper } from './config.js';
export { CharVocab, OovError } from './vocab.js';
export type { OovPolicy } from './vocab.js';
export { GPT, crossEntropy, layerNorm, gelu, parameterShapes, sampleFromLogits, scoreWindows } from './model.js';
export type { ForwardOptions, ForwardResult } from './model.js';
export { GPTTrainer, sampleBatch, localGradients } from './train.js';
export type { Batch, GradientProvider, StepInfo, TrainerState, TrainHistory } from './train.js';
export { evalBpc, evalText, evalTokens } from './evaluate.js';
export type { EvalOptions, EvalResult } from './evaluate.js';
export { trainedGPT, trainedGPTKey, setGradientProviderFactory } from './trained.js';
export type { TrainedGPT, TrainedGPTOptions } from './trained.js';
export { encodeSafetensors, decodeSafetensors, SafetensorsError } from './safetensors.js';
export type { NamedArray } from './safetensors.js';
export { serializeModel, deserializeModel, modelArrays, tensorArrays, parseConfig, FORMAT } from './io.js';
