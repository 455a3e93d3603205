/**
 * `npm run bench:zip [-- --model CKPT] [--json FILE]`: fivelens zip against the classic compressors.
 *
 * Texts: the held-out 10% of tiny shakespeare (the split of src/data/corpora.ts), the whole of tiny
 * shakespeare (1.1 MB, for the anchors' whole-file numbers), tang300 (84 KB of Tang poems) and
 * tang300+song100 (110 KB: Chinese ≥ 100 KB). For each: bits per character of `--online` and, when a
 * checkpoint is given or cached (baby GPT, shakespeare, 2000 steps, seed 1), `--model` on shakespeare
 * (the checkpoint's size reported separately), beside gzip -9, brotli -q 11, xz -9e and zstd -19 on
 * the same bytes. Speeds are KB/s of input, on CPU time (process.cpuUsage, one thread) and wall time;
 * every zip is decoded again and checked byte for byte.
 *
 * Also on the shakespeare split: `--dict` with the 90% training text as the dictionary, and — the
 * float64 GPT runs at well under 1 KB/s — `--model` (± dict) on the first --model-chars (8192) held-out
 * characters beside `--online` on the same prefix. Model build time (dictionary priming) is measured
 * apart and excluded from KB/s.
 *
 * Targets (issue 7): --model ≤ 2.1 bpc on the shakespeare held-out split; --online ≥ 15% smaller than
 * xz -9e on natural text ≥ 100 KB; ≥ 10 KB/s.
 */
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { splitText } from '../src/data/corpora.js';
import { nodePlatform, fileCache, DATA_DIR } from '../src/experiments/node-host.js';
import { trainedGPTKey } from '../src/gpt/trained.js';
import { zipBytes, unzipBytes, type ZipModel } from '../src/lenses/compression/codec.js';
import { onlineModel, gptModel, dictModel } from '../src/lenses/compression/zipmodels.js';

/** The checkpoint the lens uses throughout (same key as the lens experiments: trained once, cached). */
export const BENCH_GPT = { corpus: 'shakespeare', config: 'baby' as const, steps: 2000, seed: 1337, hyper: { batchSize: 12 }, evalChars: 4096, finalEvalChars: 111000 };

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

interface Row {
  text: string;
  bytes: number;
  chars: number;
  method: string;
  size: number;
  bpc: number;
  bitsPerByte: number;
  kbpsCpu?: number;
  kbpsWall?: number;
  decodeKbpsCpu?: number;
  note?: string;
}

async function main(): Promise<void> {
  const enc = new TextEncoder();
  const shakes = readFileSync(path.join(DATA_DIR, 'tinyshakespeare.txt'), 'utf8');
  const tang = readFileSync(path.join(DATA_DIR, 'tang300.txt'), 'utf8');
  const song = readFileSync(path.join(DATA_DIR, 'song100.txt'), 'utf8');
  const texts: { name: string; text: string }[] = [
    { name: 'shakespeare val 10%', text: splitText(shakes).val },
    { name: 'tang300', text: tang },
    { name: 'tang300+song100', text: tang + '\n' + song },
  ];
  if (!process.argv.includes('--quick')) texts.push({ name: 'shakespeare (whole)', text: shakes });

  let ckpt: Uint8Array | undefined;
  const ckptPath = arg('--model');
  if (ckptPath) {
    if (!existsSync(ckptPath)) throw new Error(`--model ${ckptPath}: no such file`);
    ckpt = new Uint8Array(readFileSync(ckptPath));
  } else {
    ckpt = await fileCache().get(trainedGPTKey(BENCH_GPT));
    if (!ckpt) process.stderr.write(`no cached baby GPT (${JSON.stringify(BENCH_GPT)}); --model rows skipped (pass --model CKPT)\n`);
  }

  const rows: Row[] = [];
  const print = (r: Row) =>
    process.stdout.write(
      `${r.text.padEnd(22)} ${r.method.padEnd(16)} ${String(r.size).padStart(9)} B  ${r.bpc.toFixed(3).padStart(6)} bpc` +
        (r.kbpsCpu ? `  ${r.kbpsCpu.toFixed(1).padStart(7)} KB/s cpu  ${r.kbpsWall!.toFixed(1).padStart(7)} KB/s wall  decode ${r.decodeKbpsCpu!.toFixed(1)} KB/s cpu` : '') +
        (r.note ? `  (${r.note})` : '') +
        '\n',
    );
  const modelChars = Number(arg('--model-chars') ?? 8192);
  for (const { name, text } of texts) {
    const fullData = enc.encode(text);
    const data = fullData;
    const chars = Array.from(text).length;
    const base = { text: name, bytes: data.length, chars };
    process.stdout.write(`\n${name}: ${data.length} bytes, ${chars} characters\n`);
    for (const c of ['gzip', 'brotli', 'xz', 'zstd', 'bzip2']) {
      const size = await nodePlatform.compressedSize!(c, data);
      if (size === undefined) continue;
      const label = { gzip: 'gzip -9', brotli: 'brotli -q 11', xz: 'xz -9e', zstd: 'zstd -19', bzip2: 'bzip2 -9' }[c]!;
      const r = { ...base, method: label, size, bpc: (size * 8) / chars, bitsPerByte: (size * 8) / data.length };
      rows.push(r);
      print(r);
    }
    const models: { label: string; model: ZipModel; note?: string; data?: Uint8Array }[] = [{ label: 'fivelens online', model: onlineModel() }];
    if (name.startsWith('shakespeare val')) {
      const dict = enc.encode(splitText(shakes).train);
      models.push({ label: 'fivelens dict', model: dictModel(dict), note: `dictionary = the 90% training split, ${dict.length} B, not counted` });
      if (ckpt) {
        const prefix = enc.encode(Array.from(text).slice(0, modelChars).join(''));
        models.push({ label: `online ${modelChars}ch`, model: onlineModel(), data: prefix, note: `first ${modelChars} chars` });
        models.push({ label: `model ${modelChars}ch`, model: gptModel(ckpt), data: prefix, note: `first ${modelChars} chars; checkpoint ${ckpt.length} B not counted` });
        models.push({ label: `model+dict ${modelChars}ch`, model: gptModel(ckpt, {}, dict), data: prefix, note: `first ${modelChars} chars; checkpoint + dictionary ${ckpt.length + dict.length} B not counted` });
      }
    }
    for (const { label, model, note, data: only } of models) {
      const data = only ?? fullData;
      const chars = Array.from(new TextDecoder().decode(data)).length;
      const base = { text: name, bytes: data.length, chars };
      // the one-off cost of building the model (priming a dictionary), measured apart from coding
      const p0 = cpuSeconds();
      model.create();
      const prime = cpuSeconds() - p0;
      const c0 = cpuSeconds();
      const w0 = performance.now();
      const file = zipBytes(data, model);
      const cpu = Math.max(1e-6, cpuSeconds() - c0 - prime);
      const wall = Math.max(1e-6, (performance.now() - w0) / 1000 - prime);
      const d0 = cpuSeconds();
      const back = unzipBytes(file, model);
      const dcpu = Math.max(1e-6, cpuSeconds() - d0 - prime);
      if (Buffer.compare(Buffer.from(back), Buffer.from(data)) !== 0) throw new Error(`${label} on ${name}: round trip FAILED`);
      const kb = data.length / 1024;
      const r: Row = { ...base, method: label, size: file.length, bpc: (file.length * 8) / chars, bitsPerByte: (file.length * 8) / data.length, kbpsCpu: kb / cpu, kbpsWall: kb / wall, decodeKbpsCpu: kb / dcpu, ...(note || prime > 0.5 ? { note: [note, prime > 0.5 ? `model build ${prime.toFixed(1)} s cpu, excluded from speed` : ''].filter(Boolean).join('; ') } : {}) };
      rows.push(r);
      print(r);
    }
    const xz = rows.find((r) => r.text === name && r.method === 'xz -9e');
    const on = rows.find((r) => r.text === name && r.method === 'fivelens online');
    if (xz && on) process.stdout.write(`  online vs xz -9e: ${(100 * (1 - on.size / xz.size)).toFixed(1)}% smaller\n`);
  }
  const out = arg('--json');
  if (out) writeFileSync(out, JSON.stringify(rows, null, 2));
}

main().catch((e) => {
  process.stderr.write(`bench:zip: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
