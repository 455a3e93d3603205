/**
 * A model as bytes: one safetensors file whose `__metadata__` carries the config, the vocabulary
 * and free-form JSON (training results). Used for the experiment cache (`ctx.cache`) and, split
 * into model.safetensors + config.json + vocab.json, for checkpoints on disk (checkpoint.node.ts).
 */
import { tf } from '../engine/tf.js';
import { GPT } from './model.js';
import { CharVocab } from './vocab.js';
import { type GPTConfig, validateConfig } from './config.js';
import { decodeSafetensors, encodeSafetensors, type NamedArray, SafetensorsError } from './safetensors.js';

export const FORMAT = 'fivelens-gpt/1';

/** Every parameter as a named float32 array (a copy). */
export function modelArrays(model: GPT): Record<string, NamedArray> {
  const out: Record<string, NamedArray> = {};
  for (const [name, v] of Object.entries(model.params)) out[name] = { shape: v.shape.slice(), data: v.dataSync() as Float32Array };
  return out;
}

export function tensorArrays(ts: Record<string, tf.Tensor>): Record<string, NamedArray> {
  const out: Record<string, NamedArray> = {};
  for (const [name, v] of Object.entries(ts)) out[name] = { shape: v.shape.slice(), data: v.dataSync() as Float32Array };
  return out;
}

export function serializeModel(model: GPT, vocab: CharVocab, extra: Record<string, unknown> = {}): Uint8Array {
  return encodeSafetensors(modelArrays(model), {
    format: FORMAT,
    config: JSON.stringify(model.config),
    vocab: JSON.stringify(vocab.toJSON()),
    extra: JSON.stringify(extra),
  });
}

/** Check a parsed config.json (throws one line on a bad one). */
export function parseConfig(j: unknown): GPTConfig {
  const c = j as GPTConfig;
  if (!c || typeof c !== 'object' || typeof c.nLayer !== 'number' || typeof c.nEmbd !== 'number' || !c.train) {
    throw new Error('not a fivelens GPT config (expected nLayer, nHead, nEmbd, blockSize, train …)');
  }
  validateConfig(c);
  return c;
}

export function deserializeModel(bytes: Uint8Array): { model: GPT; vocab: CharVocab; extra: Record<string, unknown> } {
  const { tensors, metadata } = decodeSafetensors(bytes);
  if (metadata.format !== FORMAT || !metadata.config || !metadata.vocab) {
    throw new SafetensorsError(`not a ${FORMAT} model (missing config/vocab metadata)`);
  }
  const config = parseConfig(JSON.parse(metadata.config));
  const vocab = CharVocab.fromJSON(JSON.parse(metadata.vocab));
  const model = GPT.fromWeights(config, vocab.size, tensors);
  return { model, vocab, extra: metadata.extra ? (JSON.parse(metadata.extra) as Record<string, unknown>) : {} };
}
