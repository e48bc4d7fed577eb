/** `memory()`: what is alive, for leak tests and dashboards. */
import { getBackend, getBackendName } from '../backend/registry.js';
import { liveTensorCount } from './scope.js';

/** Live tensors and the active backend's buffers and bytes. */
export interface MemoryInfo {
  /** Tensors created and not yet disposed (views count separately). */
  readonly tensors: number;
  /** Buffers held by the active backend. */
  readonly buffers: number;
  /** Bytes held by the active backend. */
  readonly bytes: number;
  /** The active backend's name. */
  readonly backend: string;
}

/**
 * What is alive now.
 *
 * @example
 * ```ts
 * const before = memory().tensors; step(); expect(memory().tensors).toBe(before);
 * ```
 */
export function memory(): MemoryInfo {
  const b = getBackend();
  const m = b.memory();
  return {
    tensors: liveTensorCount(),
    buffers: m.buffers,
    bytes: m.bytes,
    backend: getBackendName() ?? b.name,
  };
}
