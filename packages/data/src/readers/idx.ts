/**
 * The IDX format of MNIST and Fashion-MNIST: two zero bytes, a type code, the number of dims, each dim
 * as a big-endian uint32, then the values, big-endian, row-major.
 */
import { DataFormatError } from '../errors.js';
import { gunzip, isGzip } from '../io/gzip.js';

/** The element types IDX can hold, by type code. */
const TYPES = {
  8: { name: 'uint8', bytes: 1 },
  9: { name: 'int8', bytes: 1 },
  11: { name: 'int16', bytes: 2 },
  12: { name: 'int32', bytes: 4 },
  13: { name: 'float32', bytes: 4 },
  14: { name: 'float64', bytes: 8 },
} as const;

/** The element type of an IDX file. */
export type IdxType = (typeof TYPES)[keyof typeof TYPES]['name'];

/**
 * A decoded IDX array. `data` is a Uint8Array for uint8 files (MNIST), an Int8Array, Int16Array,
 * Int32Array, Float32Array or Float64Array otherwise. Byte data are a view of the bytes that were parsed.
 */
export interface IdxArray {
  type: IdxType;
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/** The largest array this reader accepts (2^31 elements), to reject absurd dims from corrupt headers early. */
const MAX_ELEMENTS = 2 ** 31;

/**
 * Decodes uncompressed IDX bytes, checking the magic number, the dims and the data length.
 * `what` names the source in error messages (a file name, say).
 *
 * @example
 * ```ts
 * const labels = parseIdx(bytes); // { type: 'uint8', shape: [10000], data: Uint8Array(10000) }
 * ```
 */
export function parseIdx(bytes: Uint8Array, what = 'IDX data'): IdxArray {
  const fail = (msg: string): never => {
    throw new DataFormatError('parseIdx', `${what}: ${msg}`);
  };
  if (bytes.length < 4)
    fail(`only ${bytes.length} bytes: too short for an IDX header (truncated or empty file)`);
  if (isGzip(bytes))
    fail('is still gzip-compressed: use decodeIdx (or readIdx in Node), which decompress first');
  const code = bytes[2] as number;
  const type = TYPES[code as keyof typeof TYPES];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !type) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    fail(
      `bad magic number ${magic}: an IDX file starts with 00 00, a type code (08 09 0b 0c 0d 0e) and the number of dims`,
    );
  }
  const t = type as (typeof TYPES)[keyof typeof TYPES];
  const rank = bytes[3] as number;
  if (rank === 0) fail('declares 0 dims');
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes)
    fail(`truncated header: ${rank} dims need ${headerBytes} bytes, the data has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((p, d) => p * d, 1);
  if (count > MAX_ELEMENTS) fail(`dims [${shape.join(',')}] give ${count} elements: the header is corrupt`);
  const expected = count * t.bytes;
  const found = bytes.length - headerBytes;
  if (found < expected) {
    fail(`truncated: dims [${shape.join(',')}] of ${t.name} need ${expected} bytes of data, found ${found}`);
  }
  if (found > expected)
    fail(
      `${found - expected} bytes after the data that dims [${shape.join(',')}] describe: not an IDX file, or corrupt`,
    );
  return { type: t.name, shape, data: decodeValues(view, headerBytes, count, t.name) };
}

function decodeValues(view: DataView, at: number, count: number, type: IdxType): IdxArray['data'] {
  switch (type) {
    // Bytes need no decoding: a view of the input spares a copy of up to tens of MB.
    case 'uint8':
      return new Uint8Array(view.buffer, view.byteOffset + at, count);
    case 'int8':
      return new Int8Array(view.buffer, view.byteOffset + at, count);
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(at + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(at + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(at + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(at + 8 * i, false);
      return out;
    }
  }
}

/**
 * Decodes IDX bytes that may be gzipped (detected by their magic number), in any runtime.
 *
 * @example
 * ```ts
 * const images = await decodeIdx(new Uint8Array(await (await fetch('t10k-images-idx3-ubyte.gz')).arrayBuffer()));
 * ```
 */
export async function decodeIdx(bytes: Uint8Array, what = 'IDX data'): Promise<IdxArray> {
  return parseIdx(isGzip(bytes) ? await gunzip(bytes, what) : bytes, what);
}

/** IDX bytes for `array` (the inverse of `parseIdx`), for tests and for writing data sets. */
export function encodeIdx(array: IdxArray): Uint8Array {
  const entry = Object.entries(TYPES).find(([, t]) => t.name === array.type);
  if (!entry) throw new DataFormatError('encodeIdx', `unknown IDX type ${array.type}`);
  const [code, t] = entry;
  const count = array.shape.reduce((p, d) => p * d, 1);
  if (count !== array.data.length)
    throw new DataFormatError(
      'encodeIdx',
      `${array.data.length} values do not fill [${array.shape.join(',')}]`,
    );
  const header = 4 + 4 * array.shape.length;
  const out = new Uint8Array(header + count * t.bytes);
  const view = new DataView(out.buffer);
  out[2] = Number(code);
  out[3] = array.shape.length;
  array.shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  for (let i = 0; i < count; i++) {
    const v = array.data[i] as number;
    const at = header + i * t.bytes;
    if (t.name === 'uint8') view.setUint8(at, v);
    else if (t.name === 'int8') view.setInt8(at, v);
    else if (t.name === 'int16') view.setInt16(at, v, false);
    else if (t.name === 'int32') view.setInt32(at, v, false);
    else if (t.name === 'float32') view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return out;
}
