/**
 * The kernel for the backends that keep tensors in typed arrays: `cpu` (`dataOf`, `allocate(out)`) and
 * `worker` (`dataOf`, `produce(out, fill)`, shared memory). The plugin sees them through structural
 * types, so it depends on neither package. It runs on the calling thread.
 */
import type { Backend, DataId, KernelImpl, OutSpec, TensorInfo, TypedArray } from '@myelin/core';
import { __OP__Range } from '../math.js';

interface TypedArrayBackend {
  dataOf(dataId: DataId): TypedArray;
  allocate?(out: OutSpec): { id: DataId; values: TypedArray };
  produce?(out: OutSpec, fill: (values: TypedArray) => void): DataId;
}

function output(backend: Backend, out: OutSpec, fill: (y: Float32Array) => void): DataId {
  const b = backend as unknown as TypedArrayBackend;
  if (b.produce) return b.produce(out, (values) => fill(values as Float32Array));
  if (b.allocate) {
    const { id, values } = b.allocate(out);
    fill(values as Float32Array);
    return id;
  }
  throw new Error(`backend '${backend.name}' offers no typed-array storage`);
}

/** [x] → op(x). */
export const __OP__Js: KernelImpl = (inputs, _attrs, out, backend) => {
  const x = (backend as unknown as TypedArrayBackend).dataOf(
    (inputs[0] as TensorInfo).dataId,
  ) as Float32Array;
  return output(backend, out, (y) => __OP__Range(x, y, 0, out.size));
};
