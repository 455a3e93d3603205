/**
 * `fivelens zip` / `unzip` without the file system: bytes in, container bytes out, and back.
 * A {@link ZipModel} names the model both sides must share; its identity (config string, plus the
 * checkpoint bytes in model mode) is hashed into the container, so decoding with another model is
 * refused before any byte is produced. The original bytes' CRC-32 is checked after decoding.
 */
import { encodeBytes, decodeBytes, type BitPredictor } from './rangecoder.js';
import { writeContainer, readContainer, crc32, modelHash, hashHex, ContainerError, type ZipMode } from './container.js';

export interface ZipModel {
  mode: ZipMode;
  /** everything that defines the predictor besides the checkpoint (e.g. `cm1:tb22:…`) */
  config: string;
  /** model mode: the checkpoint bytes (their size is reported separately, never counted in the file) */
  checkpoint?: Uint8Array;
  /** a fresh predictor in its initial state (called once per zip and once per unzip with the length
   *  of the data, which a model may use to size its tables: both sides know it) */
  create(length?: number): BitPredictor;
  /** older identities of the same model (e.g. an earlier window policy) that `unzip` still decodes */
  alternatives?: () => ZipModel[];
}

export function zipModelHash(m: ZipModel): Uint8Array {
  return modelHash(`${m.mode}|${m.config}`, m.checkpoint);
}

/**
 * Compress `data` into a self-describing container. `predictor`: one `model.create(data.length)` made
 * beforehand (so a caller can time building the model apart); by default it is made here.
 */
export function zipBytes(data: Uint8Array, model: ZipModel, onProgress?: (done: number, total: number) => void, predictor?: BitPredictor): Uint8Array {
  const payload = encodeBytes(data, predictor ?? model.create(data.length), onProgress && ((d) => onProgress(d, data.length)));
  return writeContainer({ mode: model.mode, modelHash: zipModelHash(model), originalLength: data.length, crc: crc32(data) }, payload);
}

/** Read just the header (for `unzip` to pick the model, and for error messages). */
export function inspectContainer(file: Uint8Array) {
  return readContainer(file).header;
}

/** Decompress; throws {@link ContainerError} for a wrong model, a truncated or an altered file. */
export function unzipBytes(file: Uint8Array, model: ZipModel, onProgress?: (done: number, total: number) => void): Uint8Array {
  const { header, payload } = readContainer(file);
  if (header.mode !== model.mode) {
    throw new ContainerError(
      'wrong-mode',
      header.mode === 'model' ? 'this file was compressed with --model CKPT; pass the same checkpoint with --model' : 'this file was compressed with --online; do not pass --model',
    );
  }
  const want = zipModelHash(model);
  if (hashHex(want) !== hashHex(header.modelHash)) {
    const older = model.alternatives?.().find((m) => hashHex(zipModelHash(m)) === hashHex(header.modelHash));
    if (!older) throw new ContainerError('wrong-model', `wrong model: the file needs model ${hashHex(header.modelHash)}, this one is ${hashHex(want)}`);
    model = older;
  }
  const { data, overread, exact } = decodeBytes(payload, header.originalLength, model.create(header.originalLength), onProgress && ((d) => onProgress(d, header.originalLength)));
  if (overread > 0 || !exact || crc32(data) !== header.crc) {
    throw new ContainerError('crc-mismatch', 'data corrupted: CRC-32 of the decoded bytes does not match (the file was altered)');
  }
  return data;
}
