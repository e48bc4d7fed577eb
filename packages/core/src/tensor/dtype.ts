/** Element types of a tensor. `bool` is stored as 0/1 bytes. */
export type DType = 'float32' | 'int32' | 'bool';

/** Every dtype, for validation. */
export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/** Bytes per element of a dtype's storage. */
export function bytesPerElement(dtype: DType): number {
  return dtype === 'bool' ? 1 : 4;
}

/** A new zeroed typed array of the storage type of `dtype`. */
export function allocTyped(dtype: DType, size: number): Float32Array | Int32Array | Uint8Array {
  if (dtype === 'float32') return new Float32Array(size);
  if (dtype === 'int32') return new Int32Array(size);
  return new Uint8Array(size);
}
