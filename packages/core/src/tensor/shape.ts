/** Shape arithmetic: sizes, strides, NumPy broadcasting and axis normalisation. */
import { ArgumentError, fmt, ShapeError } from '../errors/errors.js';

/** Number of elements of a shape (1 for a scalar `[]`). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] as number;
  }
  return strides;
}

/** Throws unless every dim is a non-negative integer. */
export function checkShape(op: string, shape: readonly number[]): void {
  if (!Array.isArray(shape))
    throw new ArgumentError(op, `shape must be an array of integers, got ${String(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0)
      throw new ShapeError(op, `invalid shape ${fmt(shape)}: dims must be non-negative integers`);
  }
}

/** The NumPy broadcast of two shapes, or a ShapeError naming the op and both shapes. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        op,
        `shapes ${fmt(a)} and ${fmt(b)} cannot be broadcast (dim ${i}: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Normalises a possibly negative axis against a rank, or throws. */
export function normalizeAxis(op: string, axis: number, rank: number, shape?: readonly number[]): number {
  if (
    !Number.isInteger(axis) ||
    axis < -rank ||
    axis >= Math.max(rank, 1) ||
    (rank === 0 && axis !== 0 && axis !== -1)
  ) {
    throw new ShapeError(
      op,
      `axis ${axis} is out of range for a tensor of rank ${rank}${shape ? ` ${fmt(shape)}` : ''}`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalises an axis argument (number, array or undefined = all) to sorted unique axes. */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | undefined,
  shape: readonly number[],
): number[] {
  const rank = shape.length;
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const axes = list.map((a) => normalizeAxis(op, a, rank, shape));
  const unique = [...new Set(axes)].sort((x, y) => x - y);
  if (unique.length !== axes.length)
    throw new ArgumentError(op, `repeated axis in ${JSON.stringify(list)} for shape ${fmt(shape)}`);
  return unique;
}

/** Checks that two shapes are equal. */
export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
