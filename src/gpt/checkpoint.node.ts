/**
 * Checkpoint folders (Node only):
 *   model.safetensors      the weights under GPT-2 names (F32, little-endian), any safetensors reader loads it
 *   config.json            the GPTConfig (nLayer, nHead, nEmbd, blockSize, dropout, tieWeights, train …)
 *   vocab.json             {"type": "char", "chars": [...]} — token id i is chars[i]
 *   optimizer.safetensors  AdamW memory (`m/<name>`, `s/<name>`), for --resume
 *   state.json             step, rng state, corpus, seed, total steps, curves — for --resume
 * Every file is written atomically (temporary name, then rename); state.json is written last and
 * the step is recorded in each file, so a folder caught mid-save is detected on load. A corrupt or
 * truncated file raises CheckpointError with one line naming the file and what is wrong.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { tf } from '../engine/tf.js';
import { writeFileAtomic } from '../experiments/node-host.js';
import { GPT } from './model.js';
import { CharVocab } from './vocab.js';
import type { GPTConfig } from './config.js';
import { decodeSafetensors, encodeSafetensors, type NamedArray } from './safetensors.js';
import { modelArrays, parseConfig, tensorArrays } from './io.js';
import type { GPTTrainer, TrainerState, TrainHistory } from './train.js';

export class CheckpointError extends Error {
  constructor(
    readonly file: string,
    what: string,
  ) {
    super(`${file}: ${what}`);
    this.name = 'CheckpointError';
  }
}

export interface RunInfo {
  corpus: string;
  seed: number;
  /** total steps of the run (the schedule's horizon) */
  steps: number;
  batchSize: number;
}

export interface SavedState {
  format: 'fivelens-gpt-train/1';
  step: number;
  rng: number[];
  optimizerSteps: number;
  run: RunInfo;
  history: TrainHistory;
}

export const FILES = { model: 'model.safetensors', config: 'config.json', vocab: 'vocab.json', optimizer: 'optimizer.safetensors', state: 'state.json' } as const;

/** Write a full checkpoint (model, config, vocab; plus optimizer and state when a trainer is given). */
export async function saveCheckpoint(dir: string, model: GPT, vocab: CharVocab, trainer?: GPTTrainer, run?: RunInfo): Promise<void> {
  const step = trainer?.step ?? 0;
  await writeFileAtomic(path.join(dir, FILES.config), JSON.stringify(model.config, null, 2) + '\n');
  await writeFileAtomic(path.join(dir, FILES.vocab), JSON.stringify(vocab.toJSON()) + '\n');
  await writeFileAtomic(path.join(dir, FILES.model), encodeSafetensors(modelArrays(model), { format: 'fivelens-gpt/1', step: String(step) }));
  if (trainer && run) {
    const st: TrainerState = trainer.getState();
    let opt: Record<string, NamedArray>;
    try {
      opt = tensorArrays(st.optimizer);
    } finally {
      Object.values(st.optimizer).forEach((t) => t.dispose());
    }
    await writeFileAtomic(path.join(dir, FILES.optimizer), encodeSafetensors(opt, { step: String(step) }));
    const saved: SavedState = { format: 'fivelens-gpt-train/1', step, rng: st.rng, optimizerSteps: st.optimizerSteps, run, history: st.history };
    await writeFileAtomic(path.join(dir, FILES.state), JSON.stringify(saved) + '\n');
  }
}

async function readBytes(file: string): Promise<Uint8Array> {
  if (!existsSync(file)) throw new CheckpointError(file, 'missing (is this a fivelens checkpoint folder?)');
  return new Uint8Array(await readFile(file));
}

async function readJson(file: string): Promise<unknown> {
  const text = new TextDecoder().decode(await readBytes(file));
  try {
    return JSON.parse(text);
  } catch {
    throw new CheckpointError(file, text.length === 0 ? 'empty file' : 'not valid JSON (corrupt or truncated)');
  }
}

function safetensorsOf(file: string, bytes: Uint8Array) {
  try {
    return decodeSafetensors(bytes);
  } catch (e) {
    throw new CheckpointError(file, (e as Error).message);
  }
}

/** Load the model of a checkpoint folder (for sample / eval / lenses). */
export async function loadCheckpoint(dir: string): Promise<{ model: GPT; vocab: CharVocab; config: GPTConfig; step: number }> {
  if (!existsSync(dir)) throw new CheckpointError(dir, 'no such checkpoint folder');
  const cfgFile = path.join(dir, FILES.config);
  let config: GPTConfig;
  try {
    config = parseConfig(await readJson(cfgFile));
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    throw new CheckpointError(cfgFile, (e as Error).message);
  }
  const vocabFile = path.join(dir, FILES.vocab);
  let vocab: CharVocab;
  try {
    vocab = CharVocab.fromJSON(await readJson(vocabFile));
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    throw new CheckpointError(vocabFile, (e as Error).message);
  }
  const modelFile = path.join(dir, FILES.model);
  const { tensors, metadata } = safetensorsOf(modelFile, await readBytes(modelFile));
  let model: GPT;
  try {
    model = GPT.fromWeights(config, vocab.size, tensors);
  } catch (e) {
    throw new CheckpointError(modelFile, `${(e as Error).message} (does it match config.json and vocab.json?)`);
  }
  return { model, vocab, config, step: Number(metadata.step ?? 0) };
}

/** Load everything --resume needs; the trainer is restored in place. */
export async function loadTrainingState(dir: string, trainer: GPTTrainer): Promise<SavedState> {
  const stFile = path.join(dir, FILES.state);
  const st = (await readJson(stFile)) as SavedState;
  if (!st || st.format !== 'fivelens-gpt-train/1' || !Number.isInteger(st.step) || !Array.isArray(st.rng) || !st.run) {
    throw new CheckpointError(stFile, 'not a fivelens training state (cannot resume from it)');
  }
  const optFile = path.join(dir, FILES.optimizer);
  const { tensors, metadata } = safetensorsOf(optFile, await readBytes(optFile));
  if (Number(metadata.step) !== st.step) throw new CheckpointError(optFile, `is from step ${metadata.step} but state.json is from step ${st.step} (interrupted save?)`);
  const opt: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(tensors)) opt[k] = tf.tensor(v.data, v.shape, 'float32');
  try {
    trainer.setState({ step: st.step, rng: st.rng, optimizer: opt, optimizerSteps: st.optimizerSteps, history: st.history });
  } finally {
    Object.values(opt).forEach((t) => t.dispose());
  }
  return st;
}

/** Check that model.safetensors is from the same step as state.json. */
export async function checkModelStep(dir: string, step: number): Promise<void> {
  const modelFile = path.join(dir, FILES.model);
  const { metadata } = safetensorsOf(modelFile, await readBytes(modelFile));
  if (Number(metadata.step ?? 0) !== step) throw new CheckpointError(modelFile, `is from step ${metadata.step} but state.json is from step ${step} (interrupted save?)`);
}
