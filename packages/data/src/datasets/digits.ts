/** `digits()`: the UCI optdigits set, bundled (no file system or network needed). */

import type { LabeledData } from '../dataset/types.js';
import { DataFormatError } from '../errors.js';
import { fromBase64, gunzip } from '../io/gzip.js';
import { parseCsv } from '../readers/csv.js';
import { DIGITS_GZ_BASE64 } from './digits-data.js';

let cache: Promise<LabeledData> | undefined;

async function decode(): Promise<LabeledData> {
  const text = new TextDecoder().decode(
    await gunzip(fromBase64(DIGITS_GZ_BASE64), 'the bundled digits data'),
  );
  const table = parseCsv(text, { header: false, labelColumn: -1, what: 'the bundled digits data' });
  if (table.rows !== 1797 || table.columns.length !== 64 || !table.y) {
    throw new DataFormatError(
      'digits',
      `the bundled data has ${table.rows} rows of ${table.columns.length} features, expected 1797 of 64: reinstall @myelin/data`,
    );
  }
  const x = table.x;
  for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) / 16;
  return {
    x,
    y: table.y as Int32Array,
    n: 1797,
    sampleShape: [64],
    imageShape: [1, 8, 8],
    numClasses: 10,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  };
}

/**
 * The handwritten digits of scikit-learn's `load_digits` (UCI optdigits test set, BSD-3): 1797 images of
 * 8×8 pixels, 10 classes. `x` holds the 64 pixels of each image scaled to [0, 1] (counts 0..16 / 16);
 * `y` the digit. Bundled in the package and decoded with `DecompressionStream`, so it works in Node and
 * in browsers. Each call returns fresh arrays (the decoded data are cached).
 *
 * @example
 * ```ts
 * const d = await digits(); // d.x: Float32Array(1797 * 64), d.y: Int32Array(1797)
 * const [train, test] = randomSplit(TensorDataset.from(d), [0.8, 0.2], 0);
 * ```
 */
export async function digits(): Promise<LabeledData> {
  cache ??= decode();
  let d: LabeledData;
  try {
    d = await cache;
  } catch (e) {
    cache = undefined;
    throw e;
  }
  return { ...d, x: d.x.slice(), y: d.y.slice(), sampleShape: [...d.sampleShape], imageShape: [1, 8, 8] };
}
