/** The safetensors codec: round trips, the exact byte layout, and a typed error for every malformed file. */
import { describe, expect, it } from 'vitest';
import {
  decodeSafetensors,
  encodeSafetensors,
  MAX_HEADER_BYTES,
  type RawTensor,
  SafetensorsError,
} from '../src/index.js';

function file(header: unknown, data: Uint8Array = new Uint8Array(0), lengthOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const sample: Record<string, RawTensor> = {
  '0.weight': { dtype: 'float32', shape: [2, 3], data: new Float32Array([1, -2.5, 3, 0.125, 1e-8, -0]) },
  '2.num_batches_tracked': { dtype: 'int32', shape: [], data: new Int32Array([7]) },
  mask: { dtype: 'bool', shape: [3], data: new Uint8Array([1, 0, 1]) },
  empty: { dtype: 'float32', shape: [0, 4], data: new Float32Array(0) },
};

describe('encodeSafetensors / decodeSafetensors', () => {
  it('round-trips every dtype, shape and the metadata', () => {
    const bytes = encodeSafetensors(sample, { epoch: '3', note: 'héllo' });
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ epoch: '3', note: 'héllo' });
    expect(Object.keys(tensors)).toEqual(Object.keys(sample));
    for (const [k, t] of Object.entries(sample)) {
      expect(tensors[k]?.dtype).toBe(t.dtype);
      expect(tensors[k]?.shape).toEqual(t.shape);
      expect(Array.from(tensors[k]?.data ?? [])).toEqual(Array.from(t.data));
    }
  });

  it('writes the documented layout: u64 LE header length, space-padded JSON, LE data', () => {
    const bytes = encodeSafetensors({ w: { dtype: 'float32', shape: [1], data: new Float32Array([1]) } });
    const view = new DataView(bytes.buffer);
    const n = Number(view.getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header).toEqual({ w: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } });
    expect(view.getFloat32(8 + n, true)).toBe(1);
    expect(bytes.length).toBe(8 + n + 4);
  });

  it('reads PyTorch dtypes: I64 (num_batches_tracked), F64, F16, BF16, U8', () => {
    const data = new Uint8Array(8 + 8 + 2 + 2 + 1);
    const v = new DataView(data.buffer);
    v.setBigInt64(0, 42n, true);
    v.setFloat64(8, 0.5, true);
    v.setUint16(16, 0x3c00, true); // F16 1.0
    v.setUint16(18, 0xc000, true); // BF16 -2.0
    data[20] = 200;
    const { tensors } = decodeSafetensors(
      file(
        {
          n: { dtype: 'I64', shape: [], data_offsets: [0, 8] },
          d: { dtype: 'F64', shape: [1], data_offsets: [8, 16] },
          h: { dtype: 'F16', shape: [1], data_offsets: [16, 18] },
          b: { dtype: 'BF16', shape: [1], data_offsets: [18, 20] },
          u: { dtype: 'U8', shape: [1], data_offsets: [20, 21] },
        },
        data,
      ),
    );
    expect(tensors.n).toEqual({ dtype: 'int32', shape: [], data: new Int32Array([42]) });
    expect(Array.from(tensors.d!.data)).toEqual([0.5]);
    expect(Array.from(tensors.h!.data)).toEqual([1]);
    expect(Array.from(tensors.b!.data)).toEqual([-2]);
    expect(Array.from(tensors.u!.data)).toEqual([200]);
  });

  const good = encodeSafetensors(sample);
  const malformed: Array<[string, Uint8Array, RegExp]> = [
    ['empty file', new Uint8Array(0), /fewer than the 8-byte header length/],
    ['7 bytes', new Uint8Array(7), /fewer than the 8-byte/],
    ['header length past the end (truncated)', good.subarray(0, 20), /runs past the end/],
    ['truncated data', good.subarray(0, good.length - 3), /truncated|cover/],
    [
      'huge header length',
      file({}, new Uint8Array(0), BigInt(MAX_HEADER_BYTES) + 1n),
      /exceeds the 100000000-byte limit/,
    ],
    ['header length 2^64-1', file({}, new Uint8Array(0), 0xffffffffffffffffn), /exceeds/],
    ['invalid JSON', file('{"a": [1,'), /not valid JSON/],
    ['JSON array', file('[1,2]'), /must be a JSON object/],
    ['invalid UTF-8', file('{"a":1}').map((b, i) => (i === 10 ? 0xff : b)), /not valid UTF-8/],
    [
      'unknown dtype',
      file({ a: { dtype: 'Q7', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)),
      /unknown or unsupported dtype 'Q7'/,
    ],
    ['missing dtype', file({ a: { shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)), /has no dtype/],
    [
      'negative dim',
      file({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)),
      /invalid shape/,
    ],
    [
      'fractional dim',
      file({ a: { dtype: 'F32', shape: [1.5], data_offsets: [0, 4] } }, new Uint8Array(4)),
      /invalid shape/,
    ],
    [
      'bad offsets',
      file({ a: { dtype: 'F32', shape: [1], data_offsets: [0] } }, new Uint8Array(4)),
      /invalid data_offsets/,
    ],
    [
      'begin after end',
      file({ a: { dtype: 'F32', shape: [0], data_offsets: [4, 0] } }, new Uint8Array(4)),
      /begin after end/,
    ],
    [
      'offsets out of range',
      file({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, new Uint8Array(4)),
      /only 4 bytes/,
    ],
    [
      'shape/bytes mismatch',
      file({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, new Uint8Array(4)),
      /needs 8 bytes, data_offsets give 4/,
    ],
    [
      'overlapping tensors',
      file(
        {
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
        },
        new Uint8Array(8),
      ),
      /overlaps/,
    ],
    [
      'gap between tensors',
      file({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, new Uint8Array(8)),
      /gap/,
    ],
    [
      'trailing bytes',
      file({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(6)),
      /trailing bytes/,
    ],
    ['metadata not an object', file({ __metadata__: 'x' }), /__metadata__ must be an object/],
    ['metadata value not a string', file({ __metadata__: { epoch: 3 } }), /must be a string, got number/],
    ['entry not an object', file({ a: 5 }), /entry 'a' must be an object/],
    [
      'BOOL byte 2',
      file({ a: { dtype: 'BOOL', shape: [1], data_offsets: [0, 1] } }, new Uint8Array([2])),
      /not 0 or 1/,
    ],
    [
      'I64 out of int32 range',
      file(
        { a: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } },
        new Uint8Array([0, 0, 0, 0, 1, 0, 0, 0]),
      ),
      /does not fit in int32/,
    ],
  ];
  for (const [what, bytes, message] of malformed) {
    it(`rejects ${what} with a SafetensorsError`, () => {
      let caught: unknown;
      try {
        decodeSafetensors(bytes);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(SafetensorsError);
      expect(String((caught as Error).message)).toMatch(message);
    });
  }

  it('every truncation of a valid file is rejected, never misread', () => {
    for (let n = 0; n < good.length; n++)
      expect(() => decodeSafetensors(good.subarray(0, n))).toThrow(SafetensorsError);
  });

  it('refuses to encode mismatched shapes, bad dtypes and non-string metadata', () => {
    expect(() =>
      encodeSafetensors({ a: { dtype: 'float32', shape: [3], data: new Float32Array(2) } }),
    ).toThrow(/does not hold 2 values/);
    expect(() =>
      encodeSafetensors({ a: { dtype: 'float64' as never, shape: [1], data: new Float32Array(1) } }),
    ).toThrow(/dtype/);
    expect(() => encodeSafetensors({}, { a: 1 as never })).toThrow(/must be a string/);
  });
});
