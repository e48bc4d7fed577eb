/**
 * A job's arguments on their way to a worker: each typed array that views a slab travels as a reference
 * (slab id, byte offset, length, element type), and the worker rebuilds the view over its own handle on
 * that slab. Nothing else is touched: numbers and plans are copied by `postMessage` as usual.
 *
 * Only the top level of the arguments and arrays directly under it are looked at, which is where tasks
 * keep their arrays (`x`, `out`, `xs: [...]`).
 */

/** A typed array in transit. */
export interface SlabRef {
  readonly __slab: number;
  readonly offset: number;
  readonly length: number;
  readonly type: 'f32' | 'i32' | 'u8';
}

function isRef(v: unknown): v is SlabRef {
  return typeof v === 'object' && v !== null && '__slab' in v;
}

function typeOf(v: ArrayBufferView): SlabRef['type'] | undefined {
  if (v instanceof Float32Array) return 'f32';
  if (v instanceof Int32Array) return 'i32';
  if (v instanceof Uint8Array) return 'u8';
  return undefined;
}

function encodeValue(v: unknown, slabOf: (b: ArrayBufferLike) => number | undefined): unknown {
  if (!ArrayBuffer.isView(v)) return v;
  const slab = slabOf(v.buffer);
  const type = typeOf(v);
  if (slab === undefined || type === undefined) return v;
  const ref: SlabRef = { __slab: slab, offset: v.byteOffset, length: (v as Float32Array).length, type };
  return ref;
}

/** Replaces the slab views among `args` by references. */
export function encodeArgs(args: unknown, slabOf: (b: ArrayBufferLike) => number | undefined): unknown {
  if (typeof args !== 'object' || args === null) return args;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    out[k] = Array.isArray(v) ? v.map((e) => encodeValue(e, slabOf)) : encodeValue(v, slabOf);
  }
  return out;
}

function decodeValue(v: unknown, slabs: ReadonlyMap<number, SharedArrayBuffer>): unknown {
  if (!isRef(v)) return v;
  const buffer = slabs.get(v.__slab);
  if (!buffer) throw new Error(`slab ${v.__slab} is unknown to this worker`);
  if (v.type === 'f32') return new Float32Array(buffer, v.offset, v.length);
  if (v.type === 'i32') return new Int32Array(buffer, v.offset, v.length);
  return new Uint8Array(buffer, v.offset, v.length);
}

/** Rebuilds the views that `encodeArgs` replaced, over this thread's slabs. */
export function decodeArgs(args: unknown, slabs: ReadonlyMap<number, SharedArrayBuffer>): unknown {
  if (typeof args !== 'object' || args === null) return args;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    out[k] = Array.isArray(v) ? v.map((e) => decodeValue(e, slabs)) : decodeValue(v, slabs);
  }
  return out;
}
