/**
 * `fivelens sample --ckpt DIR [--prompt TEXT] [--tokens N] [--temperature T] [--top-k K] [--seed S]`
 * prints text sampled from a trained GPT; the same seed gives the same text.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { initEngine } from '../../engine/tf.js';
import { Rng } from '../../engine/rng.js';
import { openCheckpoint } from '../args.js';
import { positiveInt, seedArg } from '../args.js';
import { throwIfInterrupted } from '../interrupt.js';

/** Characters generated between two looks at the event loop (Ctrl-C), written as they come. */
const CHUNK = 8;

interface SampleOpts {
  ckpt?: string;
  prompt?: string;
  tokens: string;
  temperature: string;
  topK?: string;
  seed: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('sample')
    .description('sample text from a trained GPT checkpoint (same seed, same text)')
    .requiredOption('--ckpt <dir>', 'checkpoint folder written by fivelens train')
    .option('--prompt <text>', 'text to continue (default: a newline)')
    .option('--tokens <n>', 'characters to generate', '500')
    .option('--temperature <t>', 'softmax temperature > 0', '1')
    .option('--top-k <k>', 'sample only among the k most likely characters')
    .option('--seed <n>', 'random seed', '1337')
    .option('--json', 'print {prompt, text} as JSON')
    .action(async (o: SampleOpts) => {
      if (!o.ckpt) throw new UsageError('--ckpt is required: a checkpoint folder written by fivelens train');
      const n = positiveInt('--tokens', o.tokens);
      const temperature = Number(o.temperature);
      if (!Number.isFinite(temperature) || temperature <= 0) throw new UsageError(`--temperature ${o.temperature}: expected a number > 0`);
      const topK = o.topK !== undefined ? positiveInt('--top-k', o.topK) : undefined;
      const seed = seedArg(o.seed);
      await initEngine();
      const loaded = await openCheckpoint(o.ckpt);
      const { model, vocab } = loaded;
      try {
        const prompt = o.prompt ?? (vocab.has('\n') ? '\n' : vocab.chars[0]!);
        if (prompt.length === 0) throw new UsageError('--prompt: must not be empty');
        const unknown = vocab.unknown(prompt);
        if (unknown.length) {
          throw new UsageError(`--prompt: ${unknown.map((c) => JSON.stringify(c)).slice(0, 8).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in the model's vocabulary of ${vocab.size} characters`);
        }
        // in chunks over one rng (the same text as one call: the model reads only its last blockSize tokens)
        const rng = new Rng(seed);
        const ctxLen = model.config.blockSize;
        let context = Array.from(vocab.encode(prompt));
        let text = '';
        if (!o.json) process.stdout.write(prompt);
        for (let done = 0; done < n; done += CHUNK) {
          throwIfInterrupted();
          const ids = model.generate(context, Math.min(CHUNK, n - done), rng, { temperature, ...(topK ? { topK } : {}) });
          context = [...context, ...ids].slice(-ctxLen);
          const piece = vocab.decode(ids);
          if (o.json) text += piece;
          else process.stdout.write(piece);
          await new Promise((r) => setImmediate(r));
        }
        if (o.json) process.stdout.write(JSON.stringify({ prompt, text, seed, temperature, topK: topK ?? null }) + '\n');
        else process.stdout.write('\n');
      } finally {
        model.dispose();
      }
    });
}
