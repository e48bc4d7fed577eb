/**
 * The one path from an op to a kernel: check the inputs are alive and on the active backend, skip empty
 * outputs, call the kernel (a plugin's override first), check a plugin's result, wrap the buffer.
 */
import type {
  KernelAttrs,
  KernelImpl,
  KernelName,
  OutSpec,
  TensorInfo,
  TypedArray,
} from '../backend/kernels.js';
import { findOverride, getBackend, getBackendName } from '../backend/registry.js';
import { fmt, KernelError, MyelinError } from '../errors/errors.js';
import { newStorage, retain } from '../memory/storage.js';
import { allocTyped, type DType } from '../tensor/dtype.js';
import { sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

function info(t: Tensor, op: string): TensorInfo {
  const s = t.storage(op);
  return { dataId: s.dataId, shape: t.shape, dtype: t.dtype, size: t.size };
}

/** Runs a built-in or plugin kernel and returns the new tensor. */
export function runKernel<K extends KernelName>(
  op: string,
  kernel: K | (string & {}),
  inputs: readonly Tensor[],
  attrs: K extends KernelName ? KernelAttrs[K] : object,
  shape: readonly number[],
  dtype: DType,
): Tensor {
  const infos = inputs.map((t) => info(t, op));
  const size = sizeOf(shape);
  if (size === 0) return fromValues(allocTyped(dtype, 0), shape, dtype);
  const backend = getBackend();
  const out: OutSpec = { shape, dtype, size };
  const registryName = getBackendName() ?? backend.name;
  const plugin = findOverride(registryName, kernel);
  if (plugin) {
    const who = `${plugin.plugin ? `plugin '${plugin.plugin}' ` : 'plugin '}kernel '${kernel}' on backend '${registryName}'`;
    let id: object;
    try {
      id = plugin.impl(infos, attrs as Record<string, unknown>, out, backend);
    } catch (e) {
      if (e instanceof MyelinError) throw e;
      throw new KernelError(op, `${who} threw: ${(e as Error)?.message ?? e}`);
    }
    let d: { dtype: DType; size: number };
    try {
      d = backend.describe(id);
    } catch {
      throw new KernelError(op, `${who} returned something that is not a buffer of this backend`);
    }
    if (d.dtype !== dtype || d.size !== size) {
      backend.free(id);
      throw new KernelError(
        op,
        `${who} broke the contract: expected ${fmt(shape)} ${dtype} (${size} elements), got ${d.size} elements of ${d.dtype}`,
      );
    }
    return new Tensor(newStorage(backend, id, dtype, size), shape, dtype);
  }
  const impl =
    (backend.kernels as unknown as Record<string, KernelImpl | undefined>)[kernel] ??
    backend.extraKernels?.get(kernel);
  if (!impl) throw new KernelError(op, `backend '${registryName}' has no kernel '${kernel}'`);
  let id: object;
  try {
    id = impl(infos, attrs as Record<string, unknown>, out, backend);
  } catch (e) {
    if (e instanceof MyelinError) throw e;
    throw new KernelError(
      op,
      `kernel '${kernel}' on backend '${backend.name}' failed for ${inputs.map((t) => fmt(t.shape)).join(', ')}: ${(e as Error)?.message ?? e}`,
    );
  }
  return new Tensor(newStorage(backend, id, dtype, size), shape, dtype);
}

const HOST_COPY_LIMIT = 1 << 16;

/** A tensor holding a copy of `values`, on the active backend. */
export function fromValues(values: TypedArray, shape: readonly number[], dtype: DType): Tensor {
  const backend = getBackend();
  const id = backend.upload(values, dtype);
  const storage = newStorage(backend, id, dtype, values.length);
  // Index tensors are small and made from JS data: keeping a copy lets core range-check them on
  // backends that cannot read synchronously (WebGPU).
  if (dtype === 'int32' && values.length <= HOST_COPY_LIMIT)
    storage.host = Int32Array.from(values as Int32Array);
  return new Tensor(storage, shape, dtype);
}

/** A new tensor sharing `t`'s buffer with another shape of the same size (reshape, squeeze...). */
export function view(t: Tensor, shape: readonly number[], op: string): Tensor {
  return new Tensor(retain(t.rawStorage(op)), shape, t.dtype);
}
