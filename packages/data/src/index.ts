/**
 * @myelin/data — datasets, data loaders, augmentation and readers for Myelin. Platform-neutral (Node and
 * browsers); the file-reading loaders live in `@myelin/data/node`.
 *
 * @example
 * ```ts
 * import { DataLoader, TensorDataset, compose, digits, randomShift, randomSplit } from '@myelin/data';
 * const [train, test] = randomSplit(TensorDataset.from(await digits(), { image: true }), [0.8, 0.2], 0);
 * const loader = new DataLoader(train, { batchSize: 64, shuffle: true, seed: 1, transform: randomShift(1, { seed: 2 }) });
 * for await (using { x, y } of loader) console.log(x.shape, y.shape); // [64, 1, 8, 8] [64]
 * ```
 */

export { DataLoader, type DataLoaderOptions } from './dataset/loader.js';
export { randomSplit, Subset } from './dataset/split.js';
export { TensorDataset } from './dataset/tensor-dataset.js';
export type {
  ArrayData,
  Batch,
  Dataset,
  HostArray,
  LabeledData,
  Sample,
  SampleValue,
  TensorPair,
} from './dataset/types.js';
export { digits } from './datasets/digits.js';
export { blobs, circles, moons, spiral, xor } from './datasets/synthetic.js';
export { DataError, DataFormatError, DataNotFoundError } from './errors.js';
export { gunzip, isGzip } from './io/gzip.js';
export { permutation, Rng } from './random/rng.js';
export { type CsvOptions, type CsvTable, parseCsv } from './readers/csv.js';
export { decodeIdx, encodeIdx, type IdxArray, type IdxType, parseIdx } from './readers/idx.js';
export { gaussianNoise } from './transforms/noise.js';
export { normalize } from './transforms/normalize.js';
export { randomCrop, randomHorizontalFlip, randomShift, type SpatialOptions } from './transforms/spatial.js';
export { compose, type Transform } from './transforms/transform.js';
