/**
 * `fivelens zip` / `unzip` without the file system: bytes in, container bytes out, and back.
 * A {@link ZipModel} names the model both sides must share; its identity (config string, plus the
 * checkpoint bytes in model mode) is hashed into the container, so decoding with another model is
 * refused before any byte is produced. Every block's raw bytes, and the whole, are checked by CRC-32.
 *
 * Files are written in container version 2 (streamed in blocks: stream.ts); version-1 files decode
 * whole, as they always did.
 */
import { decodeBytes, type BitPredictor } from './rangecoder.js';
import { readContainer, crc32, modelHash, hashHex, ContainerError, readAnyHeader, versionOf, type Header, type HeaderV2, type ZipMode } from './container.js';
import { Unzipper, Zipper, concat, predictorStream, type StreamModel } from './stream.js';

export interface ZipModel {
  mode: ZipMode;
  /** everything that defines the predictor besides the checkpoint (e.g. `cm1:tb22:…`) */
  config: string;
  /** model mode: the checkpoint bytes (their size is reported separately, never counted in the file) */
  checkpoint?: Uint8Array;
  /** a fresh predictor in its initial state (called once per zip and once per unzip with the length
   *  hint of the data, which a model may use to size its tables: both sides know it) */
  create(length?: number): BitPredictor;
  /** the model as a stream (a faster implementation of the same predictor); default:
   *  `predictorStream(create(lengthHint))`. It must code exactly as that default does. */
  stream?: (lengthHint?: number) => StreamModel;
  /** older identities of the same model (e.g. an earlier window policy) that `unzip` still decodes */
  alternatives?: () => ZipModel[];
}

export function zipModelHash(m: ZipModel): Uint8Array {
  return modelHash(`${m.mode}|${m.config}`, m.checkpoint);
}

/** A fresh stream of `model`, sized for `lengthHint` bytes (unknown: undefined). */
export function openStream(model: ZipModel, lengthHint?: number): StreamModel {
  return model.stream ? model.stream(lengthHint) : predictorStream(model.create(lengthHint));
}

/**
 * The model that decodes a file with this header: `model` itself or one of its older identities.
 * Throws ContainerError (wrong-mode, wrong-model) otherwise.
 */
export function pickModel(header: { mode: ZipMode; modelHash: Uint8Array }, model: ZipModel): ZipModel {
  if (header.mode !== model.mode) {
    throw new ContainerError(
      'wrong-mode',
      header.mode === 'model' ? 'this file was compressed with --model CKPT; pass the same checkpoint with --model' : 'this file was compressed with --online; do not pass --model',
    );
  }
  const want = zipModelHash(model);
  if (hashHex(want) === hashHex(header.modelHash)) return model;
  const older = model.alternatives?.().find((m) => hashHex(zipModelHash(m)) === hashHex(header.modelHash));
  if (!older) throw new ContainerError('wrong-model', `wrong model: the file needs model ${hashHex(header.modelHash)}, this one is ${hashHex(want)}`);
  return older;
}

export interface ZipperSetup {
  /** the input length when known before coding (written in the header; sizes the model's tables) */
  lengthHint?: number;
  /** raw bytes per block (default BLOCK_MAX = 1 MB; small values let tests cross many blocks) */
  blockSize?: number;
  /** a stream made beforehand with openStream(model, lengthHint) (so a caller can time building it apart) */
  stream?: StreamModel;
}

/** A Zipper writing `model`'s files. */
export function zipper(model: ZipModel, s: ZipperSetup = {}): Zipper {
  const stream = s.stream ?? openStream(model, s.lengthHint);
  return new Zipper(stream, { mode: model.mode, modelHash: zipModelHash(model), lengthHint: s.lengthHint, blockSize: s.blockSize });
}

/**
 * An Unzipper decoding `model`'s files (or its older identities'). `stream`: one made beforehand
 * with openStream(pickModel(header, model), header.lengthHint), for the file whose header that is.
 */
export function unzipper(model: ZipModel, stream?: StreamModel): Unzipper {
  return new Unzipper((h) => {
    const m = pickModel(h, model);
    return stream ?? openStream(m, h.lengthHint);
  });
}

/** Pieces the whole-buffer functions feed at a time (progress is reported between them). */
const PIECE = 1 << 16;

/**
 * Compress `data` into a self-describing container (version 2). `predictor`: one
 * `model.create(data.length)` made beforehand (so a caller can time building the model apart); by
 * default the model's stream is made here.
 */
export function zipBytes(data: Uint8Array, model: ZipModel, onProgress?: (done: number, total: number) => void, predictor?: BitPredictor, opts: { blockSize?: number } = {}): Uint8Array {
  const z = zipper(model, { lengthHint: data.length, blockSize: opts.blockSize, ...(predictor ? { stream: predictorStream(predictor) } : {}) });
  const parts: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += PIECE) {
    parts.push(z.push(data.subarray(i, i + PIECE)));
    onProgress?.(Math.min(data.length, i + PIECE), data.length);
  }
  parts.push(z.end());
  return concat(parts);
}

/** Read just the header of either version (for `unzip` to pick the model, and for error messages). */
export function inspectContainer(file: Uint8Array): Header | HeaderV2 {
  return readAnyHeader(file);
}

/** Decompress either version; throws {@link ContainerError} for a wrong model, a truncated or an altered file. */
export function unzipBytes(file: Uint8Array, model: ZipModel, onProgress?: (done: number, total: number) => void): Uint8Array {
  if (file.length >= 5 && versionOf(file) === 1) return unzipV1(file, model, onProgress);
  const u = unzipper(model);
  u.write(file);
  const parts: Uint8Array[] = [];
  for (let r = u.next(PIECE); r !== null; r = u.next(PIECE)) {
    if (r.length) parts.push(r);
    onProgress?.(u.rawDone, u.header?.lengthHint ?? u.rawDone);
  }
  parts.push(u.end());
  return concat(parts);
}

/** Version 1: one range coder over the whole file, decoded in memory. */
function unzipV1(file: Uint8Array, model: ZipModel, onProgress?: (done: number, total: number) => void): Uint8Array {
  const { header, payload } = readContainer(file);
  const m = pickModel(header, model);
  const { data, overread, exact } = decodeBytes(payload, header.originalLength, m.create(header.originalLength), onProgress && ((d) => onProgress(d, header.originalLength)));
  if (overread > 0 || !exact || crc32(data) !== header.crc) {
    throw new ContainerError('crc-mismatch', 'data corrupted: CRC-32 of the decoded bytes does not match (the file was altered)');
  }
  return data;
}
