/**
 * Reference-counted storage. Several tensors may share one buffer (reshape, detach); the buffer is freed
 * on its backend when the last of them is disposed. Every live storage is listed so that a backend switch
 * can move it.
 */
import type { Backend, DataId } from '../backend/kernels.js';
import type { DType } from '../tensor/dtype.js';
import { bytesPerElement } from '../tensor/dtype.js';

/** One buffer on one backend, shared by the tensors that view it. */
export interface Storage {
  backend: Backend;
  dataId: DataId;
  readonly dtype: DType;
  readonly size: number;
  refs: number;
  /** A host copy of small int32 data made from JavaScript values, so index checks need no device read. */
  host?: Int32Array;
}

const live = new Set<Storage>();

/** Wraps a backend buffer in a storage with one reference. */
export function newStorage(backend: Backend, dataId: DataId, dtype: DType, size: number): Storage {
  const s: Storage = { backend, dataId, dtype, size, refs: 1 };
  live.add(s);
  return s;
}

/** Adds a reference (a new tensor viewing the same buffer). */
export function retain(s: Storage): Storage {
  s.refs++;
  return s;
}

/** Drops a reference; frees the buffer when none is left. */
export function release(s: Storage): void {
  s.refs--;
  if (s.refs === 0) {
    live.delete(s);
    s.backend.free(s.dataId);
  }
}

/** Every live storage (for backend migration). */
export function liveStorages(): readonly Storage[] {
  return [...live];
}

/** Bytes of one storage. */
export function storageBytes(s: Storage): number {
  return s.size * bytesPerElement(s.dtype);
}
