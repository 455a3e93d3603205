/**
 * Held-out evaluation in bits per character: bpc = −(1/n) Σ log₂ p(x_t | x_<t).
 * By default windows of the model's context do not overlap (stride T), so each character is
 * predicted from 0…T−1 characters of context — the same quantity nanoGPT's `estimate_loss`
 * averages over random windows, so our numbers stand beside its 1.88 nats / 2.71 bpc.
 */
import type { tf } from '../engine/tf.js';
import type { GPT } from './model.js';
import { scoreWindows } from './model.js';
import type { CharVocab, OovPolicy } from './vocab.js';

export interface EvalResult {
  /** mean negative log-likelihood in nats per character */
  nats: number;
  /** bits per character */
  bpc: number;
  /** e^nats */
  perplexity: number;
  /** characters scored */
  chars: number;
}

export interface EvalOptions {
  /** window stride (default: the context length, non-overlapping windows) */
  stride?: number;
  /** score at most this many characters (from the start of the text) */
  maxChars?: number;
  /** what to do with characters outside the vocabulary (default 'error') */
  oov?: OovPolicy;
  /** substituted weights (pruned, quantized …) */
  weights?: Record<string, tf.Tensor>;
  batchSize?: number;
}

/** Mean loss of the model on already-encoded tokens. */
export function evalTokens(model: GPT, tokens: ArrayLike<number>, opts: Omit<EvalOptions, 'oov' | 'maxChars'> = {}): EvalResult {
  let sum = 0;
  let n = 0;
  scoreWindows(model, tokens, opts.stride ?? model.config.blockSize, opts.batchSize ?? 32, opts.weights, (_t, lp) => {
    sum -= lp;
    n += 1;
  });
  if (n === 0) throw new Error('nothing to evaluate: the text needs at least 2 characters');
  const nats = sum / n;
  return { nats, bpc: nats / Math.LN2, perplexity: Math.exp(nats), chars: n };
}

/** Loss, bpc and perplexity of the model on a text. */
export function evalText(model: GPT, vocab: CharVocab, text: string, opts: EvalOptions = {}): EvalResult {
  let tokens = vocab.encode(text, opts.oov ?? 'error');
  if (opts.maxChars !== undefined && tokens.length > opts.maxChars + 1) tokens = tokens.subarray(0, opts.maxChars + 1);
  return evalTokens(model, tokens, opts);
}

/** Bits per character of the model on a text (held-out evaluation). */
export function evalBpc(model: GPT, vocab: CharVocab, text: string, opts: EvalOptions = {}): number {
  return evalText(model, vocab, text, opts).bpc;
}
