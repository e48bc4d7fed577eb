/** Movement ops: reshape and views, expand, transpose, slice, concat, stack, split, pad. */
import { record } from '../autograd/tape.js';
import { ArgumentError, DTypeError, fmt, ShapeError } from '../errors/errors.js';
import { broadcastShapes, checkShape, normalizeAxis, shapesEqual, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, cast, scalarTensor } from './convert.js';
import { fromValues, runKernel, view } from './dispatch.js';
import { scatterAdd } from './indexing.js';
import { sumTo } from './reduce.js';

/**
 * The same values in another shape of the same size (one dim may be -1). Shares the buffer.
 *
 * @example
 * ```ts
 * reshape(arange(6), [2, -1]); // shape [2, 3]
 * ```
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  asTensor('reshape', x);
  if (!Array.isArray(shape))
    throw new ArgumentError('reshape', `shape must be an array, got ${String(shape)}`);
  const inferred = [...shape];
  const minus = inferred.filter((d) => d === -1).length;
  if (minus > 1) throw new ShapeError('reshape', `only one dim may be -1 in ${fmt(shape)}`);
  if (minus === 1) {
    const known = inferred.reduce((p, d) => (d === -1 ? p : p * d), 1);
    if (known === 0 || x.size % known !== 0)
      throw new ShapeError('reshape', `cannot reshape ${fmt(x.shape)} (${x.size} elements) to ${fmt(shape)}`);
    inferred[inferred.indexOf(-1)] = x.size / known;
  }
  checkShape('reshape', inferred);
  if (sizeOf(inferred) !== x.size) {
    throw new ShapeError(
      'reshape',
      `cannot reshape ${fmt(x.shape)} (${x.size} elements) to ${fmt(shape)} (${sizeOf(inferred)} elements)`,
    );
  }
  const out = view(x, inferred, 'reshape');
  const inShape = x.shape;
  return record('reshape', out, [x], (dy) => [reshape(dy, inShape)]);
}

/** Flattens dims `startDim..endDim` into one. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  asTensor('flatten', x);
  if (x.rank === 0) return reshape(x, [1]);
  const s = normalizeAxis('flatten', startDim, x.rank, x.shape);
  const e = normalizeAxis('flatten', endDim, x.rank, x.shape);
  if (s > e)
    throw new ArgumentError('flatten', `startDim ${startDim} is after endDim ${endDim} for ${fmt(x.shape)}`);
  const mid = x.shape.slice(s, e + 1).reduce((p, d) => p * d, 1);
  return reshape(x, [...x.shape.slice(0, s), mid, ...x.shape.slice(e + 1)]);
}

/** Removes dims of size 1 (all, or the given axis if it has size 1). */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  asTensor('squeeze', x);
  if (axis === undefined)
    return reshape(
      x,
      x.shape.filter((d) => d !== 1),
    );
  const axes = (typeof axis === 'number' ? [axis] : axis).map((a) =>
    normalizeAxis('squeeze', a, x.rank, x.shape),
  );
  return reshape(
    x,
    x.shape.filter((d, i) => !(axes.includes(i) && d === 1)),
  );
}

/** Inserts a dim of size 1 at `axis`. */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  asTensor('unsqueeze', x);
  const a = normalizeAxis('unsqueeze', axis, x.rank + 1, x.shape);
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/**
 * Broadcasts `x` to `shape` (materialised). -1 keeps a dim.
 *
 * @example
 * ```ts
 * expand(tensor([1, 2]), [3, 2]); // three rows [1, 2]
 * ```
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  asTensor('expand', x);
  const lead = shape.length - x.rank;
  if (lead < 0) throw new ShapeError('expand', `cannot expand ${fmt(x.shape)} to fewer dims ${fmt(shape)}`);
  const target = shape.map((d, i) => (d === -1 && i >= lead ? (x.shape[i - lead] as number) : d));
  checkShape('expand', target);
  const b = broadcastShapes('expand', x.shape, target);
  if (!shapesEqual(b, target))
    throw new ShapeError('expand', `cannot expand ${fmt(x.shape)} to ${fmt(shape)}`);
  if (shapesEqual(x.shape, target)) return reshape(x, target);
  // A broadcasting binary op against its identity materialises the broadcast; no extra kernel needed.
  const zero = scalarTensor(x.dtype === 'bool' ? false : 0, x.dtype);
  const out = runKernel(
    'expand',
    'binary',
    [x, zero],
    { op: x.dtype === 'bool' ? 'logicalOr' : 'add' },
    target,
    x.dtype,
  );
  zero.dispose();
  const inShape = x.shape;
  return record('expand', out, [x], (dy) => [sumTo(dy, inShape)]);
}

/** Alias of `expand`. */
export const broadcastTo = expand;

/**
 * Permutes dims (default: reverses them; for 2-D, the matrix transpose).
 *
 * @example
 * ```ts
 * transpose(x, [0, 2, 1]);
 * ```
 */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  asTensor('transpose', x);
  const p = perm
    ? perm.map((a) => normalizeAxis('transpose', a, x.rank, x.shape))
    : x.shape.map((_, i) => x.rank - 1 - i);
  if (p.length !== x.rank || new Set(p).size !== p.length) {
    throw new ArgumentError(
      'transpose',
      `perm ${JSON.stringify(perm)} is not a permutation of the ${x.rank} dims of ${fmt(x.shape)}`,
    );
  }
  if (p.every((a, i) => a === i)) return reshape(x, x.shape);
  const shape = p.map((a) => x.shape[a] as number);
  const out = runKernel('transpose', 'transpose', [x], { perm: p }, shape, x.dtype);
  const inverse = new Array<number>(p.length);
  p.forEach((a, i) => {
    inverse[a] = i;
  });
  return record('transpose', out, [x], (dy) => [transpose(dy, inverse)]);
}

/** Alias of `transpose` with a required permutation, as `torch.permute`. */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  asTensor('permute', x);
  return transpose(x, perm);
}

/**
 * NumPy slicing on leading axes: `slice(x, [1, 0], [3, -1], [1, 2])` is `x[1:3, 0:-1:2]`.
 * Indices may be negative and are clamped to the dim like Python's.
 */
export function slice(
  x: Tensor,
  begin: readonly number[],
  end?: readonly (number | undefined)[],
  step?: readonly number[],
): Tensor {
  asTensor('slice', x);
  if (begin.length > x.rank || (end && end.length > x.rank) || (step && step.length > x.rank)) {
    throw new ShapeError(
      'slice',
      `more indices than dims: begin ${JSON.stringify(begin)} for ${fmt(x.shape)}`,
    );
  }
  const b: number[] = [];
  const st: number[] = [];
  const shape: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    const n = x.shape[i] as number;
    const s = step?.[i] ?? 1;
    if (!Number.isInteger(s) || s < 1)
      throw new ArgumentError('slice', `step must be a positive integer, got ${s} for ${fmt(x.shape)}`);
    const norm = (v: number) => (v < 0 ? Math.max(v + n, 0) : Math.min(v, n));
    const lo = norm(begin[i] ?? 0);
    const hi = norm(end?.[i] ?? n);
    if (!Number.isInteger(lo) || !Number.isInteger(hi))
      throw new ArgumentError('slice', `indices must be integers for ${fmt(x.shape)}`);
    const len = hi > lo ? Math.ceil((hi - lo) / s) : 0;
    b.push(len > 0 ? lo : 0);
    st.push(s);
    shape.push(len);
  }
  const out = runKernel('slice', 'slice', [x], { begin: b, step: st }, shape, x.dtype);
  const inShape = x.shape;
  return record('slice', out, [x], (dy) => [unslice(dy, inShape, b, st)]);
}

/** The adjoint of slice: `dy` placed back at its positions, zeros elsewhere. */
function unslice(dy: Tensor, inShape: readonly number[], begin: number[], step: number[]): Tensor {
  if (step.every((s) => s === 1)) {
    return pad(
      dy,
      inShape.map(
        (n, i) =>
          [begin[i] as number, n - (begin[i] as number) - (dy.shape[i] as number)] as [number, number],
      ),
    );
  }
  let g = dy;
  for (let axis = 0; axis < inShape.length; axis++) {
    if (g.shape[axis] === inShape[axis]) continue;
    const idx = Array.from(
      { length: g.shape[axis] as number },
      (_, i) => (begin[axis] as number) + i * (step[axis] as number),
    );
    const indices = fromInts(idx);
    const next = scatterAdd(g, indices, axis, inShape[axis] as number);
    indices.dispose();
    g = next;
  }
  return g;
}

function fromInts(values: number[]): Tensor {
  return fromValues(Int32Array.from(values), [values.length], 'int32');
}

/**
 * Joins tensors along an existing axis.
 *
 * @example
 * ```ts
 * concat([zeros([2, 3]), ones([1, 3])], 0); // [3, 3]
 * ```
 */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0)
    throw new ArgumentError('concat', 'needs a non-empty array of tensors');
  for (const t of xs) asTensor('concat', t);
  const first = xs[0] as Tensor;
  const ax = normalizeAxis('concat', axis, first.rank, first.shape);
  for (const t of xs) {
    if (t.rank !== first.rank || t.shape.some((d: number, i: number) => i !== ax && d !== first.shape[i])) {
      throw new ShapeError(
        'concat',
        `shapes ${xs.map((u) => fmt(u.shape)).join(', ')} differ outside axis ${ax}`,
      );
    }
    if (t.dtype !== first.dtype)
      throw new DTypeError('concat', `dtypes differ: ${xs.map((u) => u.dtype).join(', ')}`);
  }
  const shape = [...first.shape];
  shape[ax] = xs.reduce((p, t) => p + (t.shape[ax] as number), 0);
  const nonEmpty = xs.filter((t) => t.size > 0);
  const out =
    nonEmpty.length === 1
      ? runKernel('concat', 'cast', nonEmpty, {}, shape, first.dtype)
      : runKernel('concat', 'concat', nonEmpty, { axis: ax }, shape, first.dtype);
  const sizes = xs.map((t) => t.shape[ax] as number);
  return record('concat', out, [...xs], (dy) => split(dy, sizes, ax));
}

/** Joins tensors of one shape along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0)
    throw new ArgumentError('stack', 'needs a non-empty array of tensors');
  const first = asTensor('stack', xs[0]);
  for (const t of xs) {
    if (!shapesEqual(asTensor('stack', t).shape, first.shape))
      throw new ShapeError('stack', `shapes differ: ${xs.map((u) => fmt(u.shape)).join(', ')}`);
  }
  const ax = normalizeAxis('stack', axis, first.rank + 1, first.shape);
  const parts = xs.map((t) => unsqueeze(t, ax));
  const out = concat(parts, ax);
  if (out.gradNode) out.owned = [...(out.owned ?? []), ...parts];
  else for (const p of parts) p.dispose();
  return out;
}

/** Splits along `axis` into pieces of the given sizes, or into `n` equal sections. */
export function split(x: Tensor, sizesOrSections: number | readonly number[], axis = 0): Tensor[] {
  asTensor('split', x);
  const ax = normalizeAxis('split', axis, x.rank, x.shape);
  const n = x.shape[ax] as number;
  let sizes: number[];
  if (typeof sizesOrSections === 'number') {
    if (!Number.isInteger(sizesOrSections) || sizesOrSections < 1 || n % sizesOrSections !== 0) {
      throw new ArgumentError(
        'split',
        `cannot split dim ${ax} of ${fmt(x.shape)} into ${sizesOrSections} equal sections`,
      );
    }
    sizes = new Array(sizesOrSections).fill(n / sizesOrSections);
  } else {
    sizes = [...sizesOrSections];
    if (sizes.reduce((p, s) => p + s, 0) !== n || sizes.some((s) => !Number.isInteger(s) || s < 0)) {
      throw new ArgumentError(
        'split',
        `sizes ${JSON.stringify(sizes)} do not add up to dim ${ax} (${n}) of ${fmt(x.shape)}`,
      );
    }
  }
  const out: Tensor[] = [];
  let at = 0;
  for (const s of sizes) {
    const begin = x.shape.map((_, i) => (i === ax ? at : 0));
    const end = x.shape.map((d, i) => (i === ax ? at + s : d));
    out.push(slice(x, begin, end));
    at += s;
  }
  return out;
}

/**
 * Pads each axis with `[before, after]` elements of `value` (fewer pairs than dims pad the leading dims).
 *
 * @example
 * ```ts
 * pad(x, [[0, 0], [0, 0], [1, 1], [1, 1]]); // one pixel of zeros around an NCHW image
 * ```
 */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  asTensor('pad', x);
  if (!Array.isArray(paddings) || paddings.length > x.rank) {
    throw new ShapeError(
      'pad',
      `${Array.isArray(paddings) ? paddings.length : 'no'} padding pairs for ${fmt(x.shape)}`,
    );
  }
  const p = x.shape.map((_, i) => paddings[i] ?? ([0, 0] as const));
  for (const pair of p) {
    if (!Array.isArray(pair) || pair.length !== 2 || pair.some((v) => !Number.isInteger(v) || v < 0)) {
      throw new ArgumentError(
        'pad',
        `paddings must be pairs of non-negative integers, got ${JSON.stringify(paddings)} for ${fmt(x.shape)}`,
      );
    }
  }
  const shape = x.shape.map((d, i) => d + (p[i]?.[0] as number) + (p[i]?.[1] as number));
  if (p.every(([a, b]) => a === 0 && b === 0)) return reshape(x, x.shape);
  const out =
    x.size === 0
      ? runKernel('pad', 'fill', [], { value }, shape, x.dtype)
      : runKernel(
          'pad',
          'pad',
          [x],
          { paddings: p.map(([a, b]) => [a, b] as [number, number]), value },
          shape,
          x.dtype,
        );
  const inShape = x.shape;
  return record('pad', out, [x], (dy) => [
    slice(
      dy,
      p.map(([a]) => a),
      p.map(([a], i) => a + (inShape[i] as number)),
    ),
  ]);
}

/** A copy of `x` with its own buffer. */
export function clone(x: Tensor): Tensor {
  asTensor('clone', x);
  return cast(x, x.dtype);
}
