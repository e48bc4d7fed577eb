/** Indexing ops: gather (index_select), its adjoint scatterAdd, and oneHot. */
import { record } from '../autograd/tape.js';
import { ArgumentError, DTypeError, fmt, ShapeError } from '../errors/errors.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor } from './convert.js';
import { runKernel } from './dispatch.js';

function checkIndices(op: string, indices: Tensor, bound: number, what: string): void {
  if (indices.dtype !== 'int32')
    throw new DTypeError(op, `indices must be int32, got ${indices.dtype} ${fmt(indices.shape)}`);
  // Range is checked from the host copy of JS-made indices, or where the backend reads synchronously.
  const s = indices.rawStorage(op);
  const v =
    indices.size === 0
      ? undefined
      : (s.host ?? (s.backend.readSync ? s.backend.readSync(s.dataId) : undefined));
  if (v) {
    for (let i = 0; i < v.length; i++) {
      const k = v[i] as number;
      if (k < 0 || k >= bound)
        throw new ArgumentError(op, `index ${k} is out of range for ${what} of size ${bound}`);
    }
  }
}

/**
 * Selects slices of `x` along `axis` by `indices` (int32, any shape): the result's shape is
 * `x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:]` (`torch.index_select` for N-d indices).
 *
 * @example
 * ```ts
 * gather(embeddings, tokenIds, 0); // rows of a table
 * ```
 */
export function gather(x: Tensor, indices: Tensor, axis = 0): Tensor {
  asTensor('gather', x);
  asTensor('gather', indices, 'indices');
  const ax = normalizeAxis('gather', axis, x.rank, x.shape);
  checkIndices('gather', indices, x.shape[ax] as number, `dim ${ax} of ${fmt(x.shape)}`);
  const shape = [...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)];
  const out = runKernel('gather', 'gather', [x, indices], { axis: ax }, shape, x.dtype);
  const size = x.shape[ax] as number;
  return record('gather', out, [x], (dy) => [scatterAdd(dy, indices, ax, size)]);
}

/**
 * The adjoint of `gather`: a tensor whose dim `axis` has `size` entries, zero except where `indices`
 * point, which receive the sum of the matching slices of `updates`.
 */
export function scatterAdd(updates: Tensor, indices: Tensor, axis: number, size: number): Tensor {
  asTensor('scatterAdd', updates);
  asTensor('scatterAdd', indices, 'indices');
  const ax = normalizeAxis('scatterAdd', axis, updates.rank - indices.rank + 1, updates.shape);
  const expected = updates.shape.slice(ax, ax + indices.rank);
  if (expected.length !== indices.rank || expected.some((d, i) => d !== indices.shape[i])) {
    throw new ShapeError(
      'scatterAdd',
      `updates ${fmt(updates.shape)} do not match indices ${fmt(indices.shape)} at axis ${ax}`,
    );
  }
  checkIndices('scatterAdd', indices, size, `an output dim`);
  const shape = [...updates.shape.slice(0, ax), size, ...updates.shape.slice(ax + indices.rank)];
  const out = runKernel('scatterAdd', 'scatterAdd', [updates, indices], { axis: ax }, shape, updates.dtype);
  return record('scatterAdd', out, [updates], (dy) => [gather(dy, indices, ax)]);
}

/**
 * One-hot encoding of int32 class indices: float32 `indices.shape ++ [depth]`.
 *
 * @example
 * ```ts
 * oneHot(tensor([0, 2], { dtype: 'int32' }), 3); // [[1,0,0],[0,0,1]]
 * ```
 */
export function oneHot(indices: Tensor, depth: number, on = 1, off = 0): Tensor {
  asTensor('oneHot', indices, 'indices');
  if (indices.dtype !== 'int32')
    throw new DTypeError('oneHot', `indices must be int32, got ${indices.dtype} ${fmt(indices.shape)}`);
  if (!Number.isInteger(depth) || depth < 1)
    throw new ArgumentError('oneHot', `depth must be a positive integer, got ${depth}`);
  checkIndices('oneHot', indices, depth, 'depth');
  return runKernel('oneHot', 'oneHot', [indices], { depth, on, off }, [...indices.shape, depth], 'float32');
}
