/**
 * The safetensors format (huggingface/safetensors), written and read in plain TypeScript:
 *   8 bytes   N, the header length, unsigned 64-bit little-endian
 *   N bytes   a UTF-8 JSON header: { name: { dtype: "F32", shape: [...], data_offsets: [begin, end] }, …,
 *             "__metadata__": { string: string } }, padded with spaces to a multiple of 8
 *   the data  little-endian float32, each tensor at [begin, end) counted from the end of the header
 * so any safetensors reader (Python `safetensors.torch.load_file`) loads our checkpoints.
 * Only F32 is written; F32 is all we read. Errors say what is wrong in one line.
 */
export interface NamedArray {
  shape: number[];
  data: Float32Array;
}

export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

const LITTLE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export function encodeSafetensors(tensors: Record<string, NamedArray>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const names = Object.keys(tensors);
  for (const name of names) {
    const t = tensors[name]!;
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new SafetensorsError(`tensor "${name}": shape [${t.shape}] needs ${n} values, got ${t.data.length}`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * n] };
    offset += 4 * n;
  }
  let json = JSON.stringify(header);
  const enc = new TextEncoder();
  let hb = enc.encode(json);
  const pad = (8 - (hb.length % 8)) % 8;
  if (pad) {
    json += ' '.repeat(pad);
    hb = enc.encode(json);
  }
  const out = new Uint8Array(8 + hb.length + offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, hb.length, true);
  dv.setUint32(4, 0, true);
  out.set(hb, 8);
  let p = 8 + hb.length;
  for (const name of names) {
    const d = tensors[name]!.data;
    if (LITTLE) out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), p);
    else for (let i = 0; i < d.length; i++) dv.setFloat32(p + 4 * i, d[i]!, true);
    p += d.byteLength;
  }
  return out;
}

export function decodeSafetensors(bytes: Uint8Array): { tensors: Record<string, NamedArray>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new SafetensorsError(`truncated: ${bytes.length} bytes, shorter than the 8-byte header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = dv.getUint32(0, true);
  const hi = dv.getUint32(4, true);
  const n = hi * 2 ** 32 + lo;
  if (n > bytes.length - 8) throw new SafetensorsError(`truncated or corrupt: the header claims ${n} bytes but only ${bytes.length - 8} follow`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  } catch {
    throw new SafetensorsError('corrupt: the header is not valid UTF-8 JSON');
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) throw new SafetensorsError('corrupt: the header is not a JSON object');
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const tensors: Record<string, NamedArray> = {};
  let metadata: Record<string, string> = {};
  let maxEnd = 0;
  for (const [name, v] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = (v ?? {}) as Record<string, string>;
      continue;
    }
    const e = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (!e || typeof e !== 'object' || !Array.isArray(e.shape) || !Array.isArray(e.data_offsets) || e.data_offsets.length !== 2) {
      throw new SafetensorsError(`corrupt: entry "${name}" lacks dtype/shape/data_offsets`);
    }
    if (e.dtype !== 'F32') throw new SafetensorsError(`tensor "${name}" has dtype ${String(e.dtype)}; only F32 is supported`);
    const shape = e.shape as number[];
    const [b, en] = e.data_offsets as [number, number];
    const count = shape.reduce((a, x) => a * x, 1);
    if (!shape.every((x) => Number.isInteger(x) && x >= 0) || !Number.isInteger(b) || !Number.isInteger(en) || en - b !== 4 * count || b < 0) {
      throw new SafetensorsError(`corrupt: tensor "${name}" has inconsistent shape [${shape}] and offsets [${b}, ${en}]`);
    }
    if (en > dataLen) throw new SafetensorsError(`truncated: tensor "${name}" ends at byte ${en} of the data but only ${dataLen} bytes are there`);
    maxEnd = Math.max(maxEnd, en);
    const data = new Float32Array(count);
    if (LITTLE && (bytes.byteOffset + dataStart + b) % 4 === 0) data.set(new Float32Array(bytes.buffer, bytes.byteOffset + dataStart + b, count));
    else for (let i = 0; i < count; i++) data[i] = dv.getFloat32(dataStart + b + 4 * i, true);
    tensors[name] = { shape, data };
  }
  if (maxEnd !== dataLen) throw new SafetensorsError(`corrupt: ${dataLen - maxEnd} bytes after the last tensor`);
  return { tensors, metadata };
}
