/**
 * The `.flz` container of `fivelens zip`. Little-endian throughout. Two versions exist; this reader
 * decodes both, the writer writes version 2.
 *
 * Version 2 (streamed: a file of any length is coded in blocks with bounded memory)
 *
 *   header, 28 bytes
 *     off size field
 *       0   4  magic "FLZ\x1a"
 *       4   1  format version (2)
 *       5   1  mode: 0 = online (self-contained), 1 = model (needs the same checkpoint to decode)
 *       6   2  reserved (0)
 *       8   8  model hash (as version 1)
 *      16   8  length hint (uint64): the input length when it was known before coding, 2⁶⁴−1 when
 *              not (stdin). The model sizes its tables from it, so both sides read it; it is a
 *              hint, not a promise — the end record has the true length.
 *      24   4  CRC-32 of header bytes 0..23
 *   blocks, each 13 bytes + payload
 *       0   1  type: 0 = coded (range-coded bits), 1 = stored (the raw bytes)
 *       1   4  raw length (uint32, 1 … BLOCK_MAX when written; a reader takes up to READ_BLOCK_MAX)
 *       5   4  payload length (uint32; stored: = raw length; coded: ≤ 16·raw + 64, and
 *              raw ≤ (payload + 8)·MAX_EXPANSION as in version 1)
 *       9   4  CRC-32 of the block's raw bytes
 *      13   …  payload
 *   end record, 13 bytes
 *       0   1  type 255
 *       1   8  total raw length (uint64)
 *       9   4  CRC-32 of all raw bytes
 *   and nothing after it. An empty input is the header and the end record.
 *
 * The model keeps its state across blocks; only the range coder restarts at each coded block. A
 * block is stored when its coded payload would not be shorter than its raw bytes (random data): the
 * decoder's model then learns those bytes as the encoder's did while coding them, so both stay in
 * step, and no file is more than 13 bytes per block (per MB) larger than its input.
 *
 * Version 1 (every file written before version 2; read whole, as then): a 40-byte header, then the
 * payload of one range coder over the whole input.
 *
 *     0   4  magic "FLZ\x1a"
 *     4   1  format version (1)
 *     5   1  mode (as above)
 *     6   2  reserved (0)
 *     8   8  model hash: CRC-32 and FNV-1a-32 of the model identity (online: its config string;
 *            model: the checkpoint bytes plus the config string)
 *    16   8  original length in bytes (uint64, < 2⁵³)
 *    24   4  CRC-32 of the original bytes
 *    28   8  payload length in bytes (uint64)
 *    36   4  CRC-32 of header bytes 0..35
 *    40   …  payload (range-coded bits)
 *
 * CRC-32 is the IEEE 802.3 / zlib polynomial (reflected 0xEDB88320), written here and checked in the
 * tests against the standard check value crc32("123456789") = 0xCBF43926 and Node's zlib.crc32.
 * Every way a file can be wrong maps to exactly one {@link ContainerError} code.
 */

export const MAGIC = [0x46, 0x4c, 0x5a, 0x1a] as const; // "FLZ\x1a"
/** the version this fivelens writes */
export const FORMAT_VERSION = 2;
/** version 1's header (version 1 files are still read) */
export const HEADER_BYTES = 40;
export type ZipMode = 'online' | 'model';
const MODE_CODE: Record<ZipMode, number> = { online: 0, model: 1 };

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE, as zlib/gzip/PNG). `prev` continues a running CRC. */
export function crc32(data: Uint8Array, prev = 0): number {
  let c = (prev ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** FNV-1a 32-bit over bytes. */
export function fnv1a32(data: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i]!, 0x01000193) >>> 0;
  return h >>> 0;
}

/** The 8-byte identity of a model: CRC-32 and FNV-1a of (config string ‖ checkpoint bytes). */
export function modelHash(config: string, checkpoint?: Uint8Array): Uint8Array {
  const cfg = new TextEncoder().encode(config);
  const all = new Uint8Array(cfg.length + (checkpoint?.length ?? 0));
  all.set(cfg, 0);
  if (checkpoint) all.set(checkpoint, cfg.length);
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  v.setUint32(0, crc32(all), true);
  v.setUint32(4, fnv1a32(all), true);
  return out;
}

export function hashHex(h: Uint8Array): string {
  return Array.from(h, (b) => b.toString(16).padStart(2, '0')).join('');
}

export type ContainerErrorCode = 'not-flz' | 'version' | 'header-corrupt' | 'truncated' | 'wrong-mode' | 'wrong-model' | 'crc-mismatch';

/** One clear reason a container cannot be decoded. */
export class ContainerError extends Error {
  constructor(
    readonly code: ContainerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ContainerError';
  }
}

/** A version-1 header. */
export interface Header {
  version: 1;
  mode: ZipMode;
  modelHash: Uint8Array;
  originalLength: number;
  crc: number;
  payloadLength: number;
}

/** Build a version-1 file: header + payload (kept to test the version-1 reader; fivelens writes version 2). */
export function writeContainer(h: Omit<Header, 'version' | 'payloadLength'>, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + payload.length);
  const v = new DataView(out.buffer);
  MAGIC.forEach((b, i) => (out[i] = b));
  out[4] = 1;
  out[5] = MODE_CODE[h.mode];
  if (h.modelHash.length !== 8) throw new Error('model hash must be 8 bytes');
  out.set(h.modelHash, 8);
  v.setBigUint64(16, BigInt(h.originalLength), true);
  v.setUint32(24, h.crc >>> 0, true);
  v.setBigUint64(28, BigInt(payload.length), true);
  v.setUint32(36, crc32(out.subarray(0, 36)), true);
  out.set(payload, HEADER_BYTES);
  return out;
}

/** The largest file decoded in memory (a typed array's practical limit in Node and browsers). */
export const MAX_ORIGINAL = 2 ** 31 - 1;
/**
 * Every model clamps P(bit) to [1, 65535]/65536, so a coded bit costs at least −log₂(65535/65536) ≈
 * 2.2·10⁻⁵ bits: n bytes need ≥ n·1.76·10⁻⁴ bits of payload, at most ~45,000 bytes per payload byte.
 * A header claiming more (with a margin for the coder's rounding) is refused before any allocation.
 */
export const MAX_EXPANSION = 40000;

/** Header bounds: refuse impossible lengths before allocating or decoding. */
export function checkLengths(originalLength: number, payloadLength: number): void {
  if (originalLength > MAX_ORIGINAL) {
    throw new ContainerError('header-corrupt', `header claims ${originalLength} bytes, above this reader's limit of ${MAX_ORIGINAL} (a damaged or crafted file)`);
  }
  if (originalLength > (payloadLength + 8) * MAX_EXPANSION) {
    throw new ContainerError('header-corrupt', `header claims ${originalLength} bytes from a ${payloadLength}-byte payload, more than any model can expand (a damaged or crafted file)`);
  }
}

function modeOf(code: number): ZipMode {
  const mode: ZipMode | undefined = code === 0 ? 'online' : code === 1 ? 'model' : undefined;
  if (!mode) throw new ContainerError('header-corrupt', `header corrupted (unknown mode ${code})`);
  return mode;
}

/** Magic and version byte of a file's first bytes (at least 5, or it is refused as not-flz / truncated). */
export function versionOf(file: Uint8Array): number {
  if (MAGIC.some((b, i) => i < file.length && file[i] !== b)) throw new ContainerError('not-flz', 'not a fivelens zip file (bad magic number)');
  if (file.length === 0) throw new ContainerError('not-flz', 'not a fivelens zip file (it is empty)');
  if (file.length < 5) throw new ContainerError('truncated', `file truncated: ${file.length} bytes, the header alone needs ${HEADER_V2_BYTES}`);
  const version = file[4]!;
  if (version !== 1 && version !== 2) throw new ContainerError('version', `unsupported format version ${version} (this fivelens reads versions 1 and 2; the file is damaged or from a newer fivelens)`);
  return version;
}

/** A version-1 header from the file's first 40 bytes (at least); throws ContainerError. */
export function readHeaderV1(file: Uint8Array): Header {
  if (versionOf(file) !== 1) throw new ContainerError('version', `format version ${file[4]}, not 1`);
  if (file.length < HEADER_BYTES) throw new ContainerError('truncated', `file truncated: ${file.length} bytes, the header alone needs ${HEADER_BYTES}`);
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (v.getUint32(36, true) !== crc32(file.subarray(0, 36))) throw new ContainerError('header-corrupt', 'header corrupted (header CRC-32 mismatch)');
  const mode = modeOf(file[5]!);
  const originalLength = Number(v.getBigUint64(16, true));
  const payloadLength = Number(v.getBigUint64(28, true));
  checkLengths(originalLength, payloadLength);
  return { version: 1, mode, modelHash: file.slice(8, 16), originalLength, crc: v.getUint32(24, true), payloadLength };
}

/** Parse and validate a whole version-1 file; returns its header and payload. Throws ContainerError. */
export function readContainer(file: Uint8Array): { header: Header; payload: Uint8Array } {
  const header = readHeaderV1(file);
  const have = file.length - HEADER_BYTES;
  if (have < header.payloadLength) throw new ContainerError('truncated', `file truncated: payload has ${have} of ${header.payloadLength} bytes`);
  if (have > header.payloadLength) throw new ContainerError('header-corrupt', `trailing garbage: ${have - header.payloadLength} bytes after the payload`);
  return { header, payload: file.subarray(HEADER_BYTES) };
}

// ---- version 2 ----

export const HEADER_V2_BYTES = 28;
/** a block's header, and the end record: 13 bytes each */
export const BLOCK_HEADER_BYTES = 13;
export const END_BYTES = 13;
/** raw bytes per block the encoder writes (its default block size) */
export const BLOCK_MAX = 2 ** 20;
/** the largest raw length of a block a decoder accepts (other encoders may use larger blocks) */
export const READ_BLOCK_MAX = 2 ** 24;
/** the length hint of an input whose length was not known before coding */
const UNKNOWN_LENGTH = 2n ** 64n - 1n;
export const BLOCK_CODED = 0;
export const BLOCK_STORED = 1;
export const BLOCK_END = 255;

/** A version-2 header. */
export interface HeaderV2 {
  version: 2;
  mode: ZipMode;
  modelHash: Uint8Array;
  /** the input length when known before coding (the model sized its tables from it) */
  lengthHint: number | undefined;
}

/** The largest coded payload a block of `raw` bytes may have: 16 bits per bit at P = 2⁻¹⁶, plus the coder's flush. */
export function maxCodedPayload(raw: number): number {
  return 16 * raw + 64;
}

export function writeHeaderV2(h: Omit<HeaderV2, 'version'>): Uint8Array {
  const out = new Uint8Array(HEADER_V2_BYTES);
  const v = new DataView(out.buffer);
  MAGIC.forEach((b, i) => (out[i] = b));
  out[4] = 2;
  out[5] = MODE_CODE[h.mode];
  if (h.modelHash.length !== 8) throw new Error('model hash must be 8 bytes');
  out.set(h.modelHash, 8);
  const n = h.lengthHint;
  if (n !== undefined && !(Number.isSafeInteger(n) && n >= 0)) throw new Error(`length hint ${n}: not a byte count`);
  v.setBigUint64(16, n === undefined ? UNKNOWN_LENGTH : BigInt(n), true);
  v.setUint32(24, crc32(out.subarray(0, 24)), true);
  return out;
}

/** A version-2 header from the file's first 28 bytes (at least); throws ContainerError. */
export function readHeaderV2(file: Uint8Array): HeaderV2 {
  if (versionOf(file) !== 2) throw new ContainerError('version', 'format version 1 is read whole (unzipBytes), not streamed');
  if (file.length < HEADER_V2_BYTES) throw new ContainerError('truncated', `file truncated: ${file.length} bytes, the header alone needs ${HEADER_V2_BYTES}`);
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (v.getUint32(24, true) !== crc32(file.subarray(0, 24))) throw new ContainerError('header-corrupt', 'header corrupted (header CRC-32 mismatch)');
  const mode = modeOf(file[5]!);
  if (file[6] !== 0 || file[7] !== 0) throw new ContainerError('header-corrupt', 'header corrupted (reserved bytes are not zero)');
  const hint = v.getBigUint64(16, true);
  if (hint !== UNKNOWN_LENGTH && hint > BigInt(Number.MAX_SAFE_INTEGER)) throw new ContainerError('header-corrupt', `header corrupted (length hint ${hint})`);
  return { version: 2, mode, modelHash: file.slice(8, 16), lengthHint: hint === UNKNOWN_LENGTH ? undefined : Number(hint) };
}

/** Either version's header from the file's first bytes (40 for version 1, 28 for version 2). */
export function readAnyHeader(file: Uint8Array): Header | HeaderV2 {
  return versionOf(file) === 1 ? readHeaderV1(file) : readHeaderV2(file);
}

/** One block's header, or the end record. */
export type BlockHeader = { type: typeof BLOCK_CODED | typeof BLOCK_STORED; rawLength: number; payloadLength: number; crc: number } | { type: typeof BLOCK_END; totalLength: bigint; crc: number };

export function writeBlockHeader(type: typeof BLOCK_CODED | typeof BLOCK_STORED, rawLength: number, payloadLength: number, crc: number): Uint8Array {
  const out = new Uint8Array(BLOCK_HEADER_BYTES);
  const v = new DataView(out.buffer);
  out[0] = type;
  v.setUint32(1, rawLength, true);
  v.setUint32(5, payloadLength, true);
  v.setUint32(9, crc >>> 0, true);
  return out;
}

export function writeEnd(totalLength: number, crc: number): Uint8Array {
  const out = new Uint8Array(END_BYTES);
  const v = new DataView(out.buffer);
  out[0] = BLOCK_END;
  v.setBigUint64(1, BigInt(totalLength), true);
  v.setUint32(9, crc >>> 0, true);
  return out;
}

/**
 * Parse the 13 bytes of a block header or the end record; `where` names it in messages
 * (e.g. "block 3 at byte 1048631"). Lengths are checked here, before anything is allocated.
 */
export function readBlockHeader(b: Uint8Array, where: string): BlockHeader {
  const v = new DataView(b.buffer, b.byteOffset, BLOCK_HEADER_BYTES);
  const type = b[0]!;
  if (type === BLOCK_END) return { type, totalLength: v.getBigUint64(1, true), crc: v.getUint32(9, true) };
  if (type !== BLOCK_CODED && type !== BLOCK_STORED) throw new ContainerError('header-corrupt', `${where}: unknown block type ${type} (0 coded, 1 stored, 255 end; a damaged file)`);
  const rawLength = v.getUint32(1, true);
  const payloadLength = v.getUint32(5, true);
  if (rawLength === 0 || rawLength > READ_BLOCK_MAX) throw new ContainerError('header-corrupt', `${where}: raw length ${rawLength}, allowed 1…${READ_BLOCK_MAX} (a damaged or crafted file)`);
  if (type === BLOCK_STORED && payloadLength !== rawLength) throw new ContainerError('header-corrupt', `${where}: a stored block of ${rawLength} bytes with a ${payloadLength}-byte payload (a damaged file)`);
  if (type === BLOCK_CODED && payloadLength > maxCodedPayload(rawLength)) {
    throw new ContainerError('header-corrupt', `${where}: a ${payloadLength}-byte payload for ${rawLength} bytes, above the ${maxCodedPayload(rawLength)} any model can write (a damaged or crafted file)`);
  }
  if (type === BLOCK_CODED && rawLength > (payloadLength + 8) * MAX_EXPANSION) {
    throw new ContainerError('header-corrupt', `${where}: ${rawLength} bytes from a ${payloadLength}-byte payload, more than any model can expand (a damaged or crafted file)`);
  }
  return { type, rawLength, payloadLength, crc: v.getUint32(9, true) };
}

/** The blocks of a whole version-2 file, without decoding (for reports and tests): their types and lengths. */
export function blocksOf(file: Uint8Array): { type: number; rawLength: number; payloadLength: number; offset: number }[] {
  readHeaderV2(file);
  const out: { type: number; rawLength: number; payloadLength: number; offset: number }[] = [];
  let at = HEADER_V2_BYTES;
  for (;;) {
    if (file.length - at < BLOCK_HEADER_BYTES) throw new ContainerError('truncated', `file truncated at byte ${at}: no end record`);
    const h = readBlockHeader(file.subarray(at, at + BLOCK_HEADER_BYTES), `block ${out.length} at byte ${at}`);
    if (h.type === BLOCK_END) return out;
    out.push({ type: h.type, rawLength: h.rawLength, payloadLength: h.payloadLength, offset: at });
    at += BLOCK_HEADER_BYTES + h.payloadLength;
  }
}
