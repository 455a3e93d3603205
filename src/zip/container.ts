/**
 * The `.flz` container of `fivelens zip`. Little-endian, 40-byte header, then the coded payload:
 *
 *   off size field
 *     0   4  magic "FLZ\x1a"
 *     4   1  format version (1)
 *     5   1  mode: 0 = online (self-contained), 1 = model (needs the same checkpoint to decode)
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
export const FORMAT_VERSION = 1;
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

export interface Header {
  version: number;
  mode: ZipMode;
  modelHash: Uint8Array;
  originalLength: number;
  crc: number;
  payloadLength: number;
}

/** Build header + payload. */
export function writeContainer(h: Omit<Header, 'version' | 'payloadLength'>, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + payload.length);
  const v = new DataView(out.buffer);
  MAGIC.forEach((b, i) => (out[i] = b));
  out[4] = FORMAT_VERSION;
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

/** Parse and validate the header; returns it and the payload. Throws ContainerError. */
export function readContainer(file: Uint8Array): { header: Header; payload: Uint8Array } {
  if (file.length < 4 || MAGIC.some((b, i) => file[i] !== b)) {
    throw new ContainerError('not-flz', 'not a fivelens zip file (bad magic number)');
  }
  if (file.length < HEADER_BYTES) throw new ContainerError('truncated', `file truncated: ${file.length} bytes, the header alone needs ${HEADER_BYTES}`);
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (v.getUint32(36, true) !== crc32(file.subarray(0, 36))) throw new ContainerError('header-corrupt', 'header corrupted (header CRC-32 mismatch)');
  const version = file[4]!;
  if (version !== FORMAT_VERSION) throw new ContainerError('version', `unsupported format version ${version} (this fivelens reads version ${FORMAT_VERSION})`);
  const modeCode = file[5]!;
  const mode: ZipMode | undefined = modeCode === 0 ? 'online' : modeCode === 1 ? 'model' : undefined;
  if (!mode) throw new ContainerError('header-corrupt', `header corrupted (unknown mode ${modeCode})`);
  const originalLength = Number(v.getBigUint64(16, true));
  const payloadLength = Number(v.getBigUint64(28, true));
  checkLengths(originalLength, payloadLength);
  const have = file.length - HEADER_BYTES;
  if (have < payloadLength) throw new ContainerError('truncated', `file truncated: payload has ${have} of ${payloadLength} bytes`);
  if (have > payloadLength) throw new ContainerError('header-corrupt', `trailing garbage: ${have - payloadLength} bytes after the payload`);
  return {
    header: { version, mode, modelHash: file.slice(8, 16), originalLength, crc: v.getUint32(24, true), payloadLength },
    payload: file.subarray(HEADER_BYTES),
  };
}
