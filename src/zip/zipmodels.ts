/**
 * The two models of `fivelens zip`:
 * - online: the adaptive context-mixing model alone (cm2.ts; files of the first model, cm.ts, still decode). Both sides start from the same fixed
 *   initial state and learn from the bytes already coded, so the file is self-contained.
 * - model: a trained GPT checkpoint (the integer GPT of intgpt.ts: int8 weights, int16 activations,
 *   WebAssembly SIMD, bit-exact on every machine) whose per-bit opinion is one more input of the same
 *   context mixer, which keeps adapting while coding; optionally with a dictionary priming the mixer.
 */
import { ContextMixer, DEFAULT_CM, cmConfigString, stretch, type CMOptions, type ExternalInput } from './cm.js';
import { CM2, DEFAULT_CM2, cm2ConfigString, type CM2Options } from './cm2.js';
import { GPTBitModel, loadGPTWeights, type GPTWeights } from './gptbits.js';
import { IntGPT, IntGPTPredictor, LEGACY, intGPTConfigString, type IntGPTOptions } from './intgpt.js';
import type { ZipModel } from './codec.js';
import type { BitPredictor } from './rangecoder.js';
import { predictorStream, type StreamModel } from './stream.js';
import { CMWasm, cmModule } from './cm-wasm.js';

/**
 * log₂ of the byte history a stream keeps (container format 2): 16 MB, a ring, so a stream of any
 * length holds the same memory. Format-1 files were coded with a growing history (`create`); up to
 * 16 MB the two are the same.
 */
export const STREAM_RING_BITS = 24;

/**
 * The context-mixing model as a stream: the WebAssembly build when it is loaded (cm-wasm.node.ts)
 * and the model is generation 4, else the TypeScript reference — the same bytes either way.
 */
function cmStream(o: CM2Options, dict?: Uint8Array): StreamModel {
  const ring = { ...o, ringBits: STREAM_RING_BITS };
  const mod = cmModule();
  const s = mod && o.gen === 4 ? new CMWasm(mod, ring) : predictorStream(new CM2(ring));
  if (dict) s.learn(dict);
  return s;
}

/** Options of the default (cm2) model; `tableBits` is the one both generations share. */
export type OnlineOptions = Partial<CM2Options>;

function cm2Options(opts: OnlineOptions | Partial<CMOptions>): CM2Options {
  return { ...DEFAULT_CM2, ...(opts as Partial<CM2Options>), ...(opts.tableBits !== undefined ? { tableBits: opts.tableBits } : {}) };
}

/** Files of the first generation (cm1, cm.ts) still decode: the same options on the old model. */
function legacyOnline(opts: Partial<CMOptions>): ZipModel {
  const o = { ...DEFAULT_CM, ...(opts.tableBits !== undefined ? { tableBits: opts.tableBits } : {}) };
  return { mode: 'online', config: cmConfigString(o), create: () => new ContextMixer(o) };
}

/**
 * Table size from the input length, when not given: 2^(⌈log₂ n⌉ + extra) counters per context,
 * between 2^16 and 2^22 — a 20 KB file does not pay for touching 160 MB of tables, a few MB get the
 * largest. `extra`: 2 for generations 2 and 3 and for dictionaries; 1 for generation 4 alone, whose
 * halved tables cost 0.1–0.2% on the held-out texts and save 13–18% of the time (the first touch of
 * each table page is a large part of it).
 */
export function autoTableBits(n: number, extra = 2): number {
  return Math.max(16, Math.min(22, Math.ceil(Math.log2(Math.max(1, n))) + extra));
}

/** The self-contained default: context mixing (cm2.ts) learning from the bytes already coded. */
export function onlineModel(opts: OnlineOptions = {}): ZipModel {
  const o = cm2Options(opts);
  const auto = opts.tableBits === undefined;
  const extra = o.gen >= 4 ? 1 : 2;
  const sized = (n: number | undefined): CM2Options => (auto ? { ...o, tableBits: autoTableBits(n ?? 1 << 22, extra) } : o);
  return {
    mode: 'online',
    config: auto ? cm2ConfigString(o).replace(/:tb\d+/, ':tbauto') : cm2ConfigString(o),
    create: (n) => new CM2(sized(n)),
    stream: (n) => cmStream(sized(n)),
    // files of earlier generations still decode
    alternatives: () => [...(o.gen === 4 ? [onlineModel({ ...opts, gen: 3 })] : []), ...(o.gen !== 2 ? [onlineModel({ ...opts, gen: 2 })] : []), legacyOnline(opts)],
  };
}

/**
 * A dictionary (like zstd's --dict): text both sides hold, run through the context-mixing model
 * before coding. It is part of the model (mode 'model'): its bytes are hashed into the file and its
 * size is reported separately, never hidden.
 */
export function dictModel(dict: Uint8Array, opts: OnlineOptions = {}): ZipModel {
  const o = cm2Options(opts);
  // generation 2 always used 2^22 counters; later ones size them from dictionary + data, like online
  const auto = opts.tableBits === undefined && o.gen !== 2;
  const sized = (n: number | undefined): CM2Options => ({ ...o, tableBits: auto ? autoTableBits(dict.length + (n ?? 1 << 22)) : o.tableBits });
  return {
    mode: 'model',
    config: `dict|${auto ? cm2ConfigString(o).replace(/:tb\d+/, ':tbauto') : cm2ConfigString(o)}`,
    checkpoint: dict,
    // priming costs as much as coding the dictionary: the first predictor is the primed model itself
    // (a zip or an unzip creates one); a later call primes afresh rather than keep a copy of the tables
    create: (n) => {
      const m = new CM2(sized(n));
      m.prime(dict);
      return m;
    },
    stream: (n) => cmStream(sized(n), dict),
    alternatives: () => [...(o.gen === 4 ? [dictModel(dict, { ...opts, gen: 3 })] : []), ...(o.gen !== 2 ? [dictModel(dict, { ...opts, gen: 2 })] : []), legacyDict(dict, opts)],
  };
}

function legacyDict(dict: Uint8Array, opts: Partial<CMOptions>): ZipModel {
  const o = { ...DEFAULT_CM, ...(opts.tableBits !== undefined ? { tableBits: opts.tableBits } : {}) };
  const primed = primedOnce(o, dict, undefined);
  return {
    mode: 'model',
    config: `dict|${cmConfigString(o)}`,
    checkpoint: dict,
    create: () => {
      const m = new ContextMixer(o);
      m.copyFrom(primed());
      return m;
    },
  };
}

/** An input slot that is never asked (priming turns the external model off). */
const SILENT: ExternalInput = { count: 1, fill: () => 0, update: () => {} };

/** The dictionary-primed mixer, built on first use and then copied for every file (priming 1 MB takes ~10 s). */
function primedOnce(o: CMOptions, dict: Uint8Array, ext: ExternalInput | undefined): () => ContextMixer {
  let m: ContextMixer | undefined;
  return () => {
    if (!m) {
      m = new ContextMixer(o, ext);
      m.prime(dict);
    }
    return m;
  };
}

/** The GPT's opinion as mixer inputs: its stretched probability, 0 when it has none. */
class GPTInput implements ExternalInput {
  readonly count = 1;
  private readonly g: GPTBitModel;
  constructor(w: GPTWeights, engine: 'int' | 'float64', io: IntGPTOptions) {
    this.g = new GPTBitModel(w, engine === 'int' ? new IntGPTPredictor(new IntGPT(w, io)) : undefined);
  }
  fill(st: Float64Array | Int32Array, off: number): number {
    const p = this.g.p1();
    if (p < 0) {
      st[off] = 0;
      return 0;
    }
    let p12 = Math.round(p * 4096);
    if (p12 < 1) p12 = 1;
    else if (p12 > 4095) p12 = 4095;
    st[off] = stretch(p12);
    return 1;
  }
  update(bit: number, byteDone: number | undefined): void {
    this.g.update(bit, byteDone);
  }
}

/** The GPT's per-bit probability straight to the coder (½ where it has no opinion). */
class GPTAlone implements BitPredictor {
  private readonly g: GPTBitModel;
  private bits = 0;
  private byte = 0;
  constructor(w: GPTWeights, engine: 'int' | 'float64', io: IntGPTOptions) {
    this.g = new GPTBitModel(w, engine === 'int' ? new IntGPTPredictor(new IntGPT(w, io)) : undefined);
  }
  p(): number {
    const p = this.g.p1();
    return p < 0 ? 32768 : Math.min(65535, Math.max(1, Math.round(p * 65536)));
  }
  update(bit: number): void {
    this.byte = (this.byte << 1) | bit;
    if (++this.bits === 8) {
      this.g.update(bit, this.byte & 255);
      this.bits = 0;
      this.byte = 0;
    } else this.g.update(bit, undefined);
  }
}

export interface GPTModelOptions extends IntGPTOptions {
  /** 'int' (default): the integer GPT of intgpt.ts (WebAssembly SIMD, bit-exact everywhere);
   *  'float64': the slow float64 reference GPT64 of gptbits.ts (a different model identity) */
  engine?: 'int' | 'float64';
  /** the GPT alone, no context mixing (for measuring its share; bits without an opinion cost 1 bit) */
  alone?: boolean;
  /** config / vocabulary JSON when the checkpoint file does not carry them (a run folder's config.json, vocab.json) */
  meta?: { config?: string; vocab?: string };
}

/**
 * A model-mode ZipModel from checkpoint bytes (safetensors, fivelens-gpt/1). The model identity hashed
 * into every file covers the checkpoint bytes, its config/vocabulary JSON, the dictionary, the context-
 * mixing options and the GPT scheme (engine, quantization version, window policy, tables).
 */
export function gptModel(checkpoint: Uint8Array, opts: Partial<CM2Options> = {}, dict?: Uint8Array, g: GPTModelOptions = {}): ZipModel {
  const o: CM2Options = { ...DEFAULT_CM2, ...opts };
  const w = loadGPTWeights(checkpoint, g.meta ?? {});
  const engine = g.engine ?? 'int';
  const io: IntGPTOptions = { ...(g.keep !== undefined ? { keep: g.keep } : {}), ...(g.plain ? { plain: true } : {}), ...(g.scheme !== undefined ? { scheme: g.scheme } : {}) };
  const metaBytes = new TextEncoder().encode(g.meta ? `|config=${g.meta.config ?? ''}|vocab=${g.meta.vocab ?? ''}` : '');
  const all = new Uint8Array(checkpoint.length + metaBytes.length + (dict?.length ?? 0));
  all.set(checkpoint, 0);
  all.set(metaBytes, checkpoint.length);
  if (dict) all.set(dict, checkpoint.length + metaBytes.length);
  const scheme = engine === 'int' ? intGPTConfigString(w, io) : 'gpt64-1';
  if (g.alone) {
    return {
      mode: 'model',
      config: `${scheme}|alone`,
      checkpoint: all.subarray(0, checkpoint.length + metaBytes.length),
      create: () => new GPTAlone(w, engine, io),
    };
  }
  const gptScheme = (gio: IntGPTOptions) => (engine === 'int' ? intGPTConfigString(w, gio) : scheme);
  const dictTag = dict ? `dict${checkpoint.length + metaBytes.length}|` : '';
  // the GPT mixed into today's context-mixing model; the dictionary primes the context mixing only
  // (the GPT already learned from its training text)
  const model: ZipModel = {
    mode: 'model',
    config: `${gptScheme(io)}|${dictTag}${cm2ConfigString(o)}`,
    checkpoint: all,
    create: () => {
      const m = new CM2(o, new GPTInput(w, engine, io));
      if (dict) m.prime(dict);
      return m;
    },
  };
  // files written before (the GPT in the first context mixer, cm1; and scheme 1, keep = T/8) still decode
  const o1: CMOptions = { ...DEFAULT_CM, ...(opts.tableBits !== undefined ? { tableBits: opts.tableBits } : {}) };
  const primed = dict ? primedOnce(o1, dict, SILENT) : undefined;
  const cm1 = (gio: IntGPTOptions): ZipModel => ({
    mode: 'model',
    config: `${gptScheme(gio)}|${dictTag}${cmConfigString(o1)}`,
    checkpoint: all,
    create: () => {
      const m = new ContextMixer(o1, new GPTInput(w, engine, gio));
      if (primed) m.copyFrom(primed());
      return m;
    },
  });
  const legacy = engine === 'int' && g.keep === undefined && g.scheme === undefined;
  model.alternatives = () => [cm1(io), ...(legacy ? [cm1({ ...io, scheme: LEGACY.scheme, keep: LEGACY.keep(w.T) })] : [])];
  return model;
}
