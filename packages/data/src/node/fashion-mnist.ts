/** Fashion-MNIST from IDX files on disk (Debian's `dataset-fashion-mnist` puts them in /usr/share/datasets). */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError } from '@myelin/core';
import type { LabeledData } from '../dataset/types.js';
import { DataFormatError, DataNotFoundError } from '../errors.js';
import { readIdx } from './files.js';

/** Where Debian's `dataset-fashion-mnist` package installs the files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The ten Fashion-MNIST classes, by label. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

const INSTALL_HINT = `install it with \`apt-get install dataset-fashion-mnist\` (Debian/Ubuntu, puts it in ${FASHION_MNIST_DIR}), or pass the folder holding train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz`;

/** Options of the Fashion-MNIST loaders. */
export interface FashionMnistOptions {
  /** Keep only the first `limit` samples of each split (quick experiments). */
  limit?: number;
}

/** `dir/name.gz`, else `dir/name` (uncompressed files work too). */
function locate(dir: string, name: string): string {
  const gz = join(dir, `${name}.gz`);
  if (existsSync(gz)) return gz;
  const raw = join(dir, name);
  if (existsSync(raw)) return raw;
  throw new DataNotFoundError('fashionMnist', `${gz} does not exist: ${INSTALL_HINT}`);
}

/**
 * One split of Fashion-MNIST: `x` holds `n × 784` pixels scaled to [0, 1] (`sampleShape` `[1, 28, 28]`),
 * `y` the class (see `FASHION_MNIST_CLASSES`). `train` has 60,000 images, `test` 10,000.
 *
 * @example
 * ```ts
 * const test = await fashionMnistSplit('test');
 * ```
 */
export async function fashionMnistSplit(
  split: 'train' | 'test',
  dir = FASHION_MNIST_DIR,
  options: FashionMnistOptions = {},
): Promise<LabeledData> {
  if (split !== 'train' && split !== 'test')
    throw new ArgumentError('fashionMnist', `split must be 'train' or 'test', got '${String(split)}'`);
  const { limit } = options;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    throw new ArgumentError('fashionMnist', `limit must be a positive integer, got ${limit}`);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DataNotFoundError('fashionMnist', `the folder ${dir} does not exist: ${INSTALL_HINT}`);
  }
  const prefix = split === 'train' ? 'train' : 't10k';
  const imagesPath = locate(dir, `${prefix}-images-idx3-ubyte`);
  const labelsPath = locate(dir, `${prefix}-labels-idx1-ubyte`);
  const [images, labels] = await Promise.all([readIdx(imagesPath), readIdx(labelsPath)]);
  const bad = (msg: string): never => {
    throw new DataFormatError('fashionMnist', `${msg}; reinstall the files (${INSTALL_HINT})`);
  };
  if (
    images.type !== 'uint8' ||
    images.shape.length !== 3 ||
    images.shape[1] !== 28 ||
    images.shape[2] !== 28
  ) {
    bad(`${imagesPath} holds ${images.type} [${images.shape.join(',')}], expected uint8 [n,28,28]`);
  }
  if (labels.type !== 'uint8' || labels.shape.length !== 1)
    bad(`${labelsPath} holds ${labels.type} [${labels.shape.join(',')}], expected uint8 [n]`);
  const total = images.shape[0] as number;
  if (labels.shape[0] !== total)
    bad(`${imagesPath} has ${total} images but ${labelsPath} has ${labels.shape[0]} labels`);
  const n = Math.min(total, limit ?? total);
  const x = new Float32Array(n * 784);
  const pixels = images.data;
  for (let i = 0; i < x.length; i++) x[i] = (pixels[i] as number) / 255;
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = labels.data[i] as number;
    if (label > 9) bad(`${labelsPath}: label ${label} at ${i} is not a class 0..9`);
    y[i] = label;
  }
  return {
    x,
    y,
    n,
    sampleShape: [1, 28, 28],
    imageShape: [1, 28, 28],
    numClasses: 10,
    classNames: FASHION_MNIST_CLASSES,
  };
}

/**
 * Fashion-MNIST (Zalando, MIT): 60,000 training and 10,000 test images of 28×28 grey pixels, 10 classes
 * of clothing, read from the IDX files in `dir`. A missing folder or file throws a `DataNotFoundError`
 * that says how to install it; a damaged one a `DataFormatError`.
 *
 * @example
 * ```ts
 * import { fashionMnist } from '@myelin/data/node';
 * const { train, test } = await fashionMnist();
 * ```
 */
export async function fashionMnist(
  dir = FASHION_MNIST_DIR,
  options: FashionMnistOptions = {},
): Promise<{ train: LabeledData; test: LabeledData }> {
  const test = await fashionMnistSplit('test', dir, options);
  const train = await fashionMnistSplit('train', dir, options);
  return { train, test };
}
