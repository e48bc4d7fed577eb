/** Stacking samples into batch tensors. */
import { allocTyped, type DType, fmt, stack, Tensor, tensor } from '@myelin/core';
import { DataError } from '../errors.js';
import type { Dataset, HostArray, SampleValue } from './types.js';

/** The dtype a typed array becomes as a tensor (bytes are pixel values, not booleans). */
export function dtypeOfArray(a: HostArray): DType {
  return a instanceof Int32Array ? 'int32' : 'float32';
}

function isTensor(v: SampleValue): v is Tensor {
  return v instanceof Tensor;
}

/**
 * Stacks one field of `values` (all samples of a batch) into a `[batch, ...sampleShape]` tensor.
 * Tensors among `values` are disposed once stacked: they belong to the caller of `Dataset.get`.
 */
export function collateField(values: readonly SampleValue[], field: 'x' | 'y', dataset: Dataset): Tensor {
  const first = values[0];
  if (first === undefined) throw new DataError('DataLoader', 'cannot collate an empty batch');
  if (isTensor(first)) {
    if (!values.every(isTensor))
      throw new DataError('DataLoader', `field '${field}' mixes tensors and plain values in one batch`);
    try {
      return stack(values as Tensor[]);
    } finally {
      for (const t of values as Tensor[]) t.dispose();
    }
  }
  if (values.some(isTensor))
    throw new DataError('DataLoader', `field '${field}' mixes tensors and plain values in one batch`);
  const declared = dataset.dtypes?.[field];
  const dtype =
    declared ?? (typeof first === 'number' ? (field === 'y' ? 'int32' : 'float32') : dtypeOfArray(first));
  const size = typeof first === 'number' ? 1 : first.length;
  const shape = dataset.sampleShape?.[field] ?? (typeof first === 'number' ? [] : [size]);
  if (shape.reduce((p, d) => p * d, 1) !== size) {
    throw new DataError(
      'DataLoader',
      `sampleShape.${field} ${fmt(shape)} does not hold a sample of ${size} values`,
    );
  }
  const out = allocTyped(dtype, values.length * size);
  (values as readonly (HostArray | number)[]).forEach((v, i) => {
    if (typeof v === 'number') {
      if (size !== 1)
        throw new DataError('DataLoader', `field '${field}' mixes numbers and arrays of ${size} values`);
      out[i] = v;
    } else {
      if (v.length !== size) {
        throw new DataError(
          'DataLoader',
          `field '${field}': sample ${i} of the batch has ${v.length} values, the first had ${size}`,
        );
      }
      out.set(v, i * size);
    }
  });
  if (dtype === 'int32') checkIntegral(out as Int32Array, values, field);
  return tensor(out, { shape: [values.length, ...shape], dtype });
}

/** Int32 storage silently truncates fractions: say so instead, since it means a wrong dtype. */
function checkIntegral(_out: Int32Array, values: readonly SampleValue[], field: string): void {
  for (const v of values) {
    if (typeof v === 'number' && !Number.isInteger(v)) {
      throw new DataError(
        'DataLoader',
        `field '${field}' holds ${v}, not an integer: declare dtypes: { ${field}: 'float32' } on the dataset`,
      );
    }
    if (v instanceof Float32Array) {
      for (const e of v) {
        if (!Number.isInteger(e))
          throw new DataError(
            'DataLoader',
            `field '${field}' holds ${e}, not an integer, but its dtype is int32`,
          );
      }
    }
  }
}

/** Rows `indices` of a host array of `rows × rowSize` values, as a new array of the tensor's storage type. */
export function gatherRows(
  data: HostArray,
  rowSize: number,
  indices: readonly number[],
  dtype: DType,
): HostArray {
  const out = allocTyped(dtype, indices.length * rowSize);
  if (rowSize === 1) {
    for (let i = 0; i < indices.length; i++) out[i] = data[indices[i] as number] as number;
  } else {
    for (let i = 0; i < indices.length; i++) {
      const r = indices[i] as number;
      out.set(data.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize);
    }
  }
  return out;
}
