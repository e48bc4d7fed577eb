/**
 * Kernels for the backends that keep tensors in typed arrays: `cpu` and `worker`. Both expose the live
 * array behind a buffer (`dataOf`); the CPU backend allocates an output with `allocate(out)`, the worker
 * backend with `produce(out, fill)` (shared memory). The plugin depends on neither package: it sees them
 * through these two small structural types.
 *
 * These kernels run on the calling thread, on the worker backend too: its thread pool runs only the
 * tasks built into it.
 */
import type { Backend, DataId, KernelImpl, OutSpec, TensorInfo, TypedArray } from '@myelin/core';
import { type GeluApproximation, geluGradRange, geluRange, swishRange } from '../math.js';
import type { GeluAttrs } from '../ops.js';

/** What the CPU backend offers a plugin kernel. */
interface AllocatingBackend {
  dataOf(dataId: DataId): TypedArray;
  allocate(out: OutSpec): { id: DataId; values: TypedArray };
}

/** What the worker backend offers a plugin kernel. */
interface ProducingBackend {
  dataOf(dataId: DataId): TypedArray;
  produce(out: OutSpec, fill: (values: TypedArray) => void): DataId;
}

function floats(backend: Backend, info: TensorInfo): Float32Array {
  const values = (backend as unknown as AllocatingBackend).dataOf(info.dataId);
  if (!(values instanceof Float32Array)) throw new Error(`expected float32 storage, got ${info.dtype}`);
  return values;
}

/** Allocates the output on either kind of typed-array backend, lets `fill` write it, returns its id. */
function output(backend: Backend, out: OutSpec, fill: (y: Float32Array) => void): DataId {
  const b = backend as Partial<AllocatingBackend & ProducingBackend>;
  if (typeof b.produce === 'function') return b.produce(out, (values) => fill(values as Float32Array));
  if (typeof b.allocate === 'function') {
    const { id, values } = b.allocate(out);
    fill(values as Float32Array);
    return id;
  }
  throw new Error(
    `backend '${backend.name}' offers no typed-array storage (dataOf with allocate or produce)`,
  );
}

function approximationOf(attrs: Record<string, unknown>): GeluApproximation {
  return (attrs as unknown as GeluAttrs).approximate === 'tanh' ? 'tanh' : 'none';
}

/** [x] → gelu(x). */
export const geluJs: KernelImpl = (inputs, attrs, out, backend) => {
  const x = floats(backend, inputs[0] as TensorInfo);
  const approximate = approximationOf(attrs);
  return output(backend, out, (y) => geluRange(x, y, 0, out.size, approximate));
};

/** [dy, x] → dy·gelu'(x). */
export const geluGradJs: KernelImpl = (inputs, attrs, out, backend) => {
  const dy = floats(backend, inputs[0] as TensorInfo);
  const x = floats(backend, inputs[1] as TensorInfo);
  const approximate = approximationOf(attrs);
  return output(backend, out, (dx) => geluGradRange(dy, x, dx, 0, out.size, approximate));
};

/** [x] → x·σ(x). */
export const swishJs: KernelImpl = (inputs, _attrs, out, backend) => {
  const x = floats(backend, inputs[0] as TensorInfo);
  return output(backend, out, (y) => swishRange(x, y, 0, out.size));
};
