/** `TensorDataset`: samples are the rows (first-axis slices) of two arrays or tensors of the same length. */
import {
  ArgumentError,
  type DType,
  fmt,
  gather,
  reshape,
  ShapeError,
  slice,
  Tensor,
  tensor,
} from '@myelin/core';
import { dtypeOfArray, gatherRows } from './collate.js';
import type { ArrayData, Dataset, LabeledData, Sample, SampleValue, TensorPair } from './types.js';

/** One field of a TensorDataset, host-side or on the backend. */
type Field =
  | { kind: 'host'; array: ArrayData; rowSize: number; dtype: DType }
  | { kind: 'tensor'; tensor: Tensor };

function toField(value: Tensor | ArrayData, name: string): Field {
  if (value instanceof Tensor) {
    if (value.rank === 0)
      throw new ShapeError('TensorDataset', `${name} must have a first (sample) axis, got a scalar tensor`);
    return { kind: 'tensor', tensor: value };
  }
  const { data, shape } = value;
  if (!ArrayBuffer.isView(data) || !Array.isArray(shape) || shape.length === 0) {
    throw new ArgumentError(
      'TensorDataset',
      `${name} must be a Tensor or { data: typed array, shape: [n, ...] }`,
    );
  }
  const size = shape.reduce((p, d) => p * d, 1);
  if (size !== data.length)
    throw new ShapeError('TensorDataset', `${name}: ${data.length} values do not fill shape ${fmt(shape)}`);
  return { kind: 'host', array: value, rowSize: size / (shape[0] as number) || 0, dtype: dtypeOfArray(data) };
}

function rowsOf(f: Field): number {
  return f.kind === 'tensor' ? (f.tensor.shape[0] as number) : (f.array.shape[0] as number);
}

function sampleShapeOf(f: Field): number[] {
  return f.kind === 'tensor' ? f.tensor.shape.slice(1) : f.array.shape.slice(1);
}

/**
 * A dataset over two arrays whose first axis indexes samples, like PyTorch's `TensorDataset`. Each may
 * be a `Tensor` (batches are gathered on the backend) or host data `{ data, shape }` (batches are copied
 * on the host and uploaded). The dataset does not own tensors passed to it: dispose them after use.
 *
 * @example
 * ```ts
 * const ds = new TensorDataset({ data: x, shape: [n, 64] }, { data: y, shape: [n] });
 * const imgs = TensorDataset.from(digits(), { image: true }); // x batches are [b, 1, 8, 8]
 * ```
 */
export class TensorDataset implements Dataset {
  readonly length: number;
  readonly sampleShape: { x: number[]; y: number[] };
  private readonly fx: Field;
  private readonly fy: Field;

  constructor(x: Tensor | ArrayData, y: Tensor | ArrayData) {
    this.fx = toField(x, 'x');
    this.fy = toField(y, 'y');
    const n = rowsOf(this.fx);
    if (rowsOf(this.fy) !== n) {
      throw new ShapeError(
        'TensorDataset',
        `x has ${n} samples but y has ${rowsOf(this.fy)} (shapes ${fmt(shapeOf(this.fx))} and ${fmt(shapeOf(this.fy))})`,
      );
    }
    this.length = n;
    this.sampleShape = { x: sampleShapeOf(this.fx), y: sampleShapeOf(this.fy) };
  }

  /**
   * A dataset over labelled data as this package's loaders return it. `image: true` shapes each sample
   * as the data's CHW `imageShape` (for convolutional models) instead of its `sampleShape`.
   */
  static from(data: LabeledData, options: { image?: boolean } = {}): TensorDataset {
    const shape = options.image ? data.imageShape : data.sampleShape;
    if (!shape) throw new ArgumentError('TensorDataset.from', 'image: true needs data with an imageShape');
    return new TensorDataset({ data: data.x, shape: [data.n, ...shape] }, { data: data.y, shape: [data.n] });
  }

  /** Sample `index`: views of the host arrays (a number for a scalar label), or tensor slices the caller owns. */
  get(index: number): Sample {
    this.check([index]);
    return { x: this.row(this.fx, index), y: this.row(this.fy, index) };
  }

  /** The rows at `indices`, stacked: gathered on the backend for tensors, copied on the host otherwise. */
  getBatch(indices: readonly number[]): TensorPair {
    this.check(indices);
    const x = this.rows(this.fx, indices);
    try {
      return { x, y: this.rows(this.fy, indices) };
    } catch (e) {
      x.dispose();
      throw e;
    }
  }

  private check(indices: readonly number[]): void {
    for (const i of indices) {
      if (!Number.isInteger(i) || i < 0 || i >= this.length) {
        throw new ArgumentError('TensorDataset', `index ${i} is out of range for ${this.length} samples`);
      }
    }
  }

  private row(f: Field, i: number): SampleValue {
    if (f.kind === 'tensor') {
      const t = f.tensor;
      const s = slice(t, [i], [i + 1]);
      const r = reshape(s, t.shape.slice(1));
      s.dispose();
      return r;
    }
    if (f.array.shape.length === 1) return f.array.data[i] as number;
    return f.array.data.subarray(i * f.rowSize, (i + 1) * f.rowSize);
  }

  private rows(f: Field, indices: readonly number[]): Tensor {
    if (f.kind === 'tensor') {
      const idx = tensor(Int32Array.from(indices));
      try {
        return gather(f.tensor, idx, 0);
      } finally {
        idx.dispose();
      }
    }
    const data = gatherRows(f.array.data, f.rowSize, indices, f.dtype);
    return tensor(data, { shape: [indices.length, ...f.array.shape.slice(1)], dtype: f.dtype });
  }
}

function shapeOf(f: Field): readonly number[] {
  return f.kind === 'tensor' ? f.tensor.shape : f.array.shape;
}
