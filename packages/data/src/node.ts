/**
 * @myelin/data/node — the loaders that read files, for Node only (they use `node:fs` and `node:zlib`).
 *
 * @example
 * ```ts
 * import { fashionMnist, readIdx } from '@myelin/data/node';
 * const { train, test } = await fashionMnist(); // from /usr/share/datasets/fashion-mnist
 * ```
 */

export {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_DIR,
  type FashionMnistOptions,
  fashionMnist,
  fashionMnistSplit,
} from './node/fashion-mnist.js';
export { readBytes, readCsv, readIdx } from './node/files.js';
export { mnist10k } from './node/mnist10k.js';
