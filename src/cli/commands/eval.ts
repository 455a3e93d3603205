/**
 * `fivelens eval --ckpt DIR --corpus C [--json]`: bits per character and perplexity of a trained
 * GPT on the held-out 10% of a corpus (non-overlapping windows of the model's context, as nanoGPT).
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { initEngine } from '../../engine/tf.js';
import { splitText } from '../../data/corpora.js';
import { openCheckpoint } from '../args.js';
import { evalText } from '../../gpt/evaluate.js';
import type { OovPolicy } from '../../gpt/vocab.js';
import { corpusText } from './train.js';
import { positiveInt } from '../args.js';

interface EvalOpts {
  ckpt?: string;
  corpus?: string;
  maxChars?: string;
  oov: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('eval')
    .description('bits per character and perplexity of a checkpoint on the held-out 10% of a corpus')
    .requiredOption('--ckpt <dir>', 'checkpoint folder written by fivelens train')
    .requiredOption('--corpus <corpus>', 'shakespeare | tang | song | PATH')
    .option('--max-chars <n>', 'score only the first n held-out characters')
    .option('--oov <policy>', 'characters outside the vocabulary: error | skip | replace', 'error')
    .option('--json', 'print JSON')
    .action(async (o: EvalOpts) => {
      if (!o.ckpt) throw new UsageError('--ckpt is required: a checkpoint folder written by fivelens train');
      if (!o.corpus) throw new UsageError('--corpus is required: shakespeare, tang, song or a path');
      if (!['error', 'skip', 'replace'].includes(o.oov)) throw new UsageError(`--oov ${o.oov}: expected error, skip or replace`);
      const maxChars = o.maxChars !== undefined ? positiveInt('--max-chars', o.maxChars) : undefined;
      const text = await corpusText(o.corpus);
      await initEngine();
      const loaded = await openCheckpoint(o.ckpt);
      const { model, vocab, config, step } = loaded;
      try {
        const { val } = splitText(text);
        const unknown = vocab.unknown(val);
        if (unknown.length && o.oov === 'error') {
          throw new UsageError(
            `--corpus ${o.corpus}: ${unknown.length} held-out characters are not in the model's vocabulary (${unknown.slice(0, 5).map((c) => JSON.stringify(c)).join(', ')}…); pass --oov skip or --oov replace`,
          );
        }
        const r = evalText(model, vocab, val, { oov: o.oov as OovPolicy, ...(maxChars ? { maxChars } : {}) });
        const out = { ckpt: o.ckpt, corpus: o.corpus, config: config.name, step, chars: r.chars, loss: r.nats, bpc: r.bpc, perplexity: r.perplexity, oovChars: unknown.length };
        if (o.json) process.stdout.write(JSON.stringify(out) + '\n');
        else process.stdout.write(`${o.corpus} held-out 10% (${r.chars.toLocaleString('en')} characters): ${r.bpc.toFixed(4)} bpc, loss ${r.nats.toFixed(4)} nats, perplexity ${r.perplexity.toFixed(3)}\n`);
      } finally {
        model.dispose();
      }
    });
}
