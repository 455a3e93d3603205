/**
 * The training options under which the lenses share their tiny GPTs. `trainedGPT` caches a model
 * by corpus, config, steps, seed and these options, so every lens that uses the same row reuses one
 * trained model instead of training its own. `baby` matches `gpt.train`'s full preset.
 * (No imports: lenses can take this statically without loading the model code.)
 */
export const LENS_GPT_OPTS = {
  nano: { hyper: { batchSize: 16 }, evalChars: 1024, finalEvalChars: 8192 },
  baby: { hyper: { batchSize: 12 }, evalChars: 4096, finalEvalChars: 111000 },
  shallow: { hyper: { batchSize: 12 }, evalChars: 4096, finalEvalChars: 111000 },
  small: { hyper: { batchSize: 12 }, evalChars: 4096, finalEvalChars: 111000 },
} as const;
