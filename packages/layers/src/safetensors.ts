/**
 * The safetensors format (https://github.com/huggingface/safetensors), in memory, with no Node APIs:
 * 8 bytes little-endian header length N, N bytes of JSON header, then the tensor bytes (little-endian,
 * row-major). The header maps each name to `{dtype, shape, data_offsets: [begin, end]}` (offsets into
 * the byte buffer after the header) and may hold `"__metadata__"`, an object of string → string.
 *
 * Myelin writes F32, I32 and BOOL; it reads those and converts F64, F16, BF16 (→ float32) and I64, I16,
 * I8, U8 (→ int32) so PyTorch files load. Every malformed input is rejected with a `SafetensorsError`.
 */
import { MyelinError, type Tensor, tensor } from '@myelin/core';

/** Raised for a malformed or unsupported safetensors file. */
export class SafetensorsError extends MyelinError {}

/** The largest header Myelin reads (100 MB), as the reference implementation. */
export const MAX_HEADER_BYTES = 100_000_000;

/** A tensor as raw data: Myelin's three dtypes. */
export interface RawTensor {
  dtype: 'float32' | 'int32' | 'bool';
  shape: number[];
  /** Row-major values (bool as 0/1 bytes). */
  data: Float32Array | Int32Array | Uint8Array;
}

/** A decoded file: tensors by name (in file order) and the metadata. */
export interface DecodedSafetensors {
  tensors: Record<string, RawTensor>;
  metadata: Record<string, string>;
}

const WRITE_DTYPE = { float32: 'F32', int32: 'I32', bool: 'BOOL' } as const;

/** Bytes per element of every dtype Myelin reads, and what it becomes. */
const READ_DTYPES: Record<string, { bytes: number; to: RawTensor['dtype'] }> = {
  F32: { bytes: 4, to: 'float32' },
  I32: { bytes: 4, to: 'int32' },
  BOOL: { bytes: 1, to: 'bool' },
  F64: { bytes: 8, to: 'float32' },
  F16: { bytes: 2, to: 'float32' },
  BF16: { bytes: 2, to: 'float32' },
  I64: { bytes: 8, to: 'int32' },
  I16: { bytes: 2, to: 'int32' },
  I8: { bytes: 1, to: 'int32' },
  U8: { bytes: 1, to: 'int32' },
};

function fail(message: string): never {
  throw new SafetensorsError('safetensors', message);
}

/**
 * Encodes tensors and metadata into a safetensors file. Entries are written in the given order, each
 * after the previous; the header is padded with spaces to a multiple of 8 bytes (as the reference writer).
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors({ w: { dtype: 'float32', shape: [2], data: new Float32Array([1, 2]) } }, { epoch: '3' });
 * ```
 */
export function encodeSafetensors(
  tensors: Record<string, RawTensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') fail(`metadata value of '${k}' must be a string, got ${typeof v}`);
  }
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const parts: Array<{ data: RawTensor['data']; begin: number; bytes: number }> = [];
  for (const [name, t] of Object.entries(tensors)) {
    if (name === '__metadata__') fail(`'__metadata__' cannot name a tensor`);
    const dtype = WRITE_DTYPE[t.dtype];
    if (!dtype) fail(`tensor '${name}' has dtype ${String(t.dtype)}; Myelin writes float32, int32 and bool`);
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0) || size !== t.data.length) {
      fail(`tensor '${name}': shape [${t.shape.join(',')}] does not hold ${t.data.length} values`);
    }
    const bytes = t.data.byteLength;
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    parts.push({ data: t.data, begin: offset, bytes });
    offset += bytes;
  }
  let json = JSON.stringify(header);
  let headerBytes = new TextEncoder().encode(json);
  const padded = Math.ceil(headerBytes.length / 8) * 8;
  if (padded !== headerBytes.length) {
    json += ' '.repeat(padded - headerBytes.length);
    headerBytes = new TextEncoder().encode(json);
  }
  if (headerBytes.length > MAX_HEADER_BYTES)
    fail(`the header would be ${headerBytes.length} bytes, over the ${MAX_HEADER_BYTES}-byte limit`);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  const base = 8 + headerBytes.length;
  for (const p of parts) writeLE(out, base + p.begin, p.data);
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function writeLE(out: Uint8Array, at: number, data: RawTensor['data']): void {
  if (LITTLE_ENDIAN || data instanceof Uint8Array) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset);
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float32Array) view.setFloat32(at + 4 * i, data[i] as number, true);
    else view.setInt32(at + 4 * i, data[i] as number, true);
  }
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

function readValues(name: string, dtype: string, bytes: Uint8Array, count: number): RawTensor['data'] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'F32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
      return out;
    }
    case 'I32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, true);
      return out;
    }
    case 'BOOL': {
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) {
        const b = bytes[i] as number;
        if (b > 1) fail(`tensor '${name}': BOOL byte ${i} is ${b}, not 0 or 1`);
        out[i] = b;
      }
      return out;
    }
    case 'F64': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
      return out;
    }
    case 'F16': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      return out;
    }
    case 'BF16': {
      const out = new Float32Array(count);
      const tmp = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < count; i++) {
        tmp.setUint32(0, view.getUint16(2 * i, true) << 16);
        out[i] = tmp.getFloat32(0);
      }
      return out;
    }
    case 'I64': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = view.getBigInt64(8 * i, true);
        if (v > 2147483647n || v < -2147483648n)
          fail(`tensor '${name}': I64 value ${v} does not fit in int32`);
        out[i] = Number(v);
      }
      return out;
    }
    case 'I16': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(2 * i, true);
      return out;
    }
    case 'I8': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      return out;
    }
    case 'U8':
      return Int32Array.from(bytes);
    default:
      return fail(`tensor '${name}': unsupported dtype ${dtype}`);
  }
}

/**
 * Decodes and validates a safetensors file: the header length is within bounds (at most
 * `MAX_HEADER_BYTES` and inside the file), the header is a JSON object, every entry has a known dtype,
 * a shape of non-negative integers and offsets in range whose length matches the shape, the tensors do
 * not overlap and cover the byte buffer exactly, and metadata values are strings.
 *
 * @throws SafetensorsError with a message saying what is wrong.
 * @example
 * ```ts
 * const { tensors, metadata } = decodeSafetensors(bytes);
 * ```
 */
export function decodeSafetensors(file: Uint8Array): DecodedSafetensors {
  if (!(file instanceof Uint8Array)) fail('expected the file as a Uint8Array');
  if (file.length < 8)
    fail(`the file has ${file.length} bytes, fewer than the 8-byte header length (truncated?)`);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES))
    fail(`header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit (not a safetensors file?)`);
  const headerLength = Number(n);
  if (headerLength < 2) fail(`header length ${headerLength} is too small for a JSON object`);
  if (8 + headerLength > file.length) {
    fail(`header length ${headerLength} runs past the end of the ${file.length}-byte file (truncated?)`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file.subarray(8, 8 + headerLength));
  } catch {
    return fail('the header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    return fail(`the header is not valid JSON: ${(e as Error).message}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    fail('the header must be a JSON object');
  const data = file.subarray(8 + headerLength);
  const metadata: Record<string, string> = {};
  const entries: Array<{ name: string; dtype: string; shape: number[]; begin: number; end: number }> = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
        fail('__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string')
          fail(`__metadata__['${k}'] must be a string, got ${v === null ? 'null' : typeof v}`);
        metadata[k] = v;
      }
      continue;
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      fail(`entry '${name}' must be an object`);
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
    if (typeof dtype !== 'string') fail(`entry '${name}' has no dtype`);
    const info = READ_DTYPES[dtype];
    if (!info) fail(`entry '${name}' has unknown or unsupported dtype '${dtype}'`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(`entry '${name}' has an invalid shape ${JSON.stringify(shape)}`);
    }
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)
    ) {
      fail(`entry '${name}' has invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end) fail(`entry '${name}' has data_offsets [${begin}, ${end}] with begin after end`);
    if (end > data.length) {
      fail(
        `entry '${name}' ends at byte ${end} of the data, but the data has only ${data.length} bytes (truncated?)`,
      );
    }
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (count * info.bytes !== end - begin) {
      fail(
        `entry '${name}': shape [${(shape as number[]).join(',')}] of ${dtype} needs ${count * info.bytes} bytes, data_offsets give ${end - begin}`,
      );
    }
    entries.push({ name, dtype, shape: shape as number[], begin, end });
  }
  // The tensors must tile the data buffer: sorted by offset, each starts where the previous ended.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of sorted) {
    if (e.begin < at)
      fail(`entry '${e.name}' overlaps the previous tensor (starts at ${e.begin}, previous ends at ${at})`);
    if (e.begin > at) fail(`there is a gap of unused bytes before entry '${e.name}' (${at} to ${e.begin})`);
    at = e.end;
  }
  if (at !== data.length)
    fail(`the tensors cover ${at} bytes but the data has ${data.length} (trailing bytes)`);
  const tensors: Record<string, RawTensor> = {};
  for (const e of entries) {
    const count = e.shape.reduce((a, b) => a * b, 1);
    const info = READ_DTYPES[e.dtype] as { to: RawTensor['dtype'] };
    tensors[e.name] = {
      dtype: info.to,
      shape: e.shape,
      data: readValues(e.name, e.dtype, data.subarray(e.begin, e.end), count),
    };
  }
  return { tensors, metadata };
}

/**
 * Reads tensors' values into raw form (async: reading tensors is).
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors(await toRawTensors(model.stateDict()));
 * ```
 */
export async function toRawTensors(tensors: Record<string, Tensor>): Promise<Record<string, RawTensor>> {
  const out: Record<string, RawTensor> = {};
  for (const [k, t] of Object.entries(tensors)) {
    out[k] = { dtype: t.dtype, shape: [...t.shape], data: await t.data() };
  }
  return out;
}

/**
 * Makes tensors from raw values (on the active backend). The caller owns them.
 *
 * @example
 * ```ts
 * model.loadStateDict(fromRawTensors(decodeSafetensors(bytes).tensors));
 * ```
 */
export function fromRawTensors(raw: Record<string, RawTensor>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [k, r] of Object.entries(raw)) out[k] = tensor(r.data, { dtype: r.dtype, shape: r.shape });
  return out;
}
