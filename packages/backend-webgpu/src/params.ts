/**
 * Kernel parameters (sizes, shapes, strides, scalar attributes) travel to a shader as a small block of
 * 32-bit words in a storage buffer that every shader declares as `params: array<u32>`. Floats and
 * signed ints are stored as their bit patterns and read back with `bitcast`, so values arrive exactly.
 */

/** Builds a params block word by word. */
export class ParamWriter {
  private readonly words: number[] = [];
  private static readonly scratch = new DataView(new ArrayBuffer(4));

  /** Appends an unsigned 32-bit integer. */
  u32(v: number): this {
    this.words.push(v >>> 0);
    return this;
  }

  /** Appends a signed 32-bit integer (two's complement bits). */
  i32(v: number): this {
    this.words.push((v | 0) >>> 0);
    return this;
  }

  /** Appends a float32 (its bit pattern, so it arrives exactly). */
  f32(v: number): this {
    ParamWriter.scratch.setFloat32(0, v, true);
    this.words.push(ParamWriter.scratch.getUint32(0, true));
    return this;
  }

  /** Appends several unsigned integers. */
  u32s(values: readonly number[]): this {
    for (const v of values) this.u32(v);
    return this;
  }

  /** Appends several signed integers. */
  i32s(values: readonly number[]): this {
    for (const v of values) this.i32(v);
    return this;
  }

  /** The words written so far (at least one, since a binding may not be empty). */
  finish(): Uint32Array {
    return Uint32Array.from(this.words.length > 0 ? this.words : [0]);
  }
}

/** The bit pattern a value of `dtype` is stored as on the GPU (bool: 0/1, int32: two's complement). */
export function valueBits(value: number, dtype: 'float32' | 'int32' | 'bool'): number {
  if (dtype === 'bool') return value !== 0 && !Number.isNaN(value) ? 1 : 0;
  if (dtype === 'int32') return (Math.trunc(value) | 0) >>> 0;
  return new ParamWriter().f32(value).finish()[0] as number;
}
