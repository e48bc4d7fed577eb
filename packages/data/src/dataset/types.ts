/** The shapes of data this package passes around: samples, batches, datasets and labelled arrays. */
import type { DType, Tensor } from '@myelin/core';

/** A plain typed array of sample values. `Uint8Array` holds bytes (0..255), read as numbers, not booleans. */
export type HostArray = Float32Array | Int32Array | Uint8Array;

/** One field of a sample: a typed array, a single number (a class label, say) or a tensor. */
export type SampleValue = HostArray | number | Tensor;

/**
 * One example. Tensors returned here belong to the caller (a `DataLoader` disposes them once it has
 * stacked them into a batch).
 */
export interface Sample {
  x: SampleValue;
  y: SampleValue;
}

/** A batch of examples as tensors: `x` is `[batch, ...sampleShape]`, `y` is `[batch, ...]`. */
export interface TensorPair {
  x: Tensor;
  y: Tensor;
}

/** A batch from a `DataLoader`: its two tensors, which `dispose()` (or `using`) frees. */
export interface Batch extends TensorPair, Disposable {
  /** Frees both tensors. */
  dispose(): void;
}

/** A typed array and the shape it fills, row-major, for data that lives on the host. */
export interface ArrayData {
  data: HostArray;
  shape: readonly number[];
}

/**
 * A map-style dataset, as in PyTorch: a length and random access. `get` may be asynchronous (data read
 * from disk or the network on demand).
 *
 * @example
 * ```ts
 * const squares: Dataset = {
 *   length: 100,
 *   get: (i) => ({ x: new Float32Array([i]), y: i * i }),
 *   dtypes: { y: 'float32' },
 * };
 * ```
 */
export interface Dataset {
  /** Number of samples. */
  readonly length: number;
  /** Sample `index` (0 ≤ index < length). */
  get(index: number): Sample | Promise<Sample>;
  /**
   * Optional fast path: the samples at `indices` already stacked into tensors. A `DataLoader` uses it
   * instead of `get` + stacking when present. The returned tensors belong to the caller.
   */
  getBatch?(indices: readonly number[]): TensorPair | Promise<TensorPair>;
  /**
   * Shape of one sample's fields when they are typed arrays (default: `[length]` of the array; `[]` for
   * a number). Lets a flat `Float32Array(784)` batch up as `[batch, 1, 28, 28]`.
   */
  readonly sampleShape?: { readonly x?: readonly number[]; readonly y?: readonly number[] };
  /**
   * Dtypes of the batched fields when samples are numbers or typed arrays. Default: the typed array's
   * own (`Uint8Array` → float32); plain numbers give float32 for `x` and int32 (class labels) for `y`.
   */
  readonly dtypes?: { readonly x?: DType; readonly y?: DType };
}

/**
 * A labelled data set held in memory, as the loaders of this package return it (`digits()`,
 * `fashionMnist()`, `spiral()`...). Turn it into a `Dataset` with `TensorDataset.from(data)`.
 */
export interface LabeledData {
  /** Features, row-major: `n × product(sampleShape)` float32 values. */
  x: Float32Array;
  /** Class indices `0..numClasses-1`, one per sample. */
  y: Int32Array;
  /** Number of samples. */
  n: number;
  /** Shape of one sample of `x`: `[64]` for digits, `[1, 28, 28]` for Fashion-MNIST, `[2]` for 2-D sets. */
  sampleShape: number[];
  /** Shape of one sample as a CHW image, where the data are images (`[1, 8, 8]` for digits). */
  imageShape?: number[];
  /** Number of classes. */
  numClasses: number;
  /** Names of the classes, where they have names. */
  classNames?: readonly string[];
}
