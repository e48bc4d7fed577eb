/**
 * The inputs of `myelin predict`: PNG images, CSV rows or IDX arrays, turned into samples of the shape a
 * checkpoint's model takes, with the same scaling as its training data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseCsv } from '@myelin/data';
import { readIdx } from '@myelin/data/node';
import { usageError } from '../errors.js';
import { applyStandardisation, type Standardisation } from './datasets.js';

/** Samples to predict, flattened row-major, with a label for each (file name and row). */
export interface InputSamples {
  x: Float32Array;
  n: number;
  labels: string[];
  /** The class in the input, where it carries one (a CSV's extra last column). */
  expected: (number | null)[];
}

export interface ModelInput {
  /** The shape of one sample the model takes: [features] or [channels, height, width]. */
  shape: number[];
  standardisation: Standardisation | null;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Reads every input file and concatenates their samples.
 *
 * @example
 * ```ts
 * const inputs = await readInputs(['seven.png'], { shape: [1, 8, 8], standardisation: null });
 * ```
 */
export async function readInputs(paths: readonly string[], model: ModelInput): Promise<InputSamples> {
  const parts: InputSamples[] = [];
  for (const p of paths) parts.push(await readInput(p, model));
  const n = parts.reduce((s, p) => s + p.n, 0);
  const x = new Float32Array(n * size(model.shape));
  let at = 0;
  for (const p of parts) {
    x.set(p.x, at);
    at += p.x.length;
  }
  if (model.standardisation) applyStandardisation(x, model.standardisation);
  return { x, n, labels: parts.flatMap((p) => p.labels), expected: parts.flatMap((p) => p.expected) };
}

async function readInput(path: string, model: ModelInput): Promise<InputSamples> {
  if (!existsSync(path))
    throw usageError(
      `the input ${path} does not exist`,
      'pass a .png image, a .csv file of samples, or an IDX file',
    );
  const ext = extname(path.replace(/\.gz$/i, '')).toLowerCase();
  if (ext === '.png') return readPng(path, model);
  if (ext === '.csv' || ext === '.txt') return readCsvInput(path, model);
  return readIdxInput(path, model);
}

/**
 * A PNG as one image sample: grey levels (the mean of RGB, alpha over white) in [0, 1], resized by area
 * averaging to the model's height and width. The training sets of the presets have light strokes on a
 * dark background, so an image with a light background (a scan, a drawing) is inverted.
 */
async function readPng(path: string, model: ModelInput): Promise<InputSamples> {
  if (model.shape.length !== 3 || model.shape[0] !== 1) {
    throw usageError(
      `${path} is an image, but the checkpoint's model takes samples of shape [${model.shape.join(',')}]`,
      model.shape.length === 3
        ? 'only one-channel (grey) image models take PNG inputs'
        : 'pass a .csv file with one sample per row',
    );
  }
  const { PNG } = await import('pngjs');
  let png: InstanceType<typeof PNG>;
  try {
    png = PNG.sync.read(readFileSync(path));
  } catch (error) {
    throw usageError(`${path} is not a readable PNG image (${(error as Error).message})`);
  }
  const { width, height, data } = png;
  const grey = new Float32Array(width * height);
  for (let i = 0; i < grey.length; i++) {
    const alpha = (data[i * 4 + 3] as number) / 255;
    const rgb =
      ((data[i * 4] as number) + (data[i * 4 + 1] as number) + (data[i * 4 + 2] as number)) / (3 * 255);
    grey[i] = rgb * alpha + (1 - alpha);
  }
  const [, h, w] = model.shape as [number, number, number];
  const resized = resizeArea(grey, width, height, w, h);
  if (borderMean(grey, width, height) > 0.5)
    for (let i = 0; i < resized.length; i++) resized[i] = 1 - (resized[i] as number);
  return { x: resized, n: 1, labels: [path], expected: [null] };
}

/** Mean of the outermost pixels: the background's brightness. */
function borderMean(img: Float32Array, w: number, h: number): number {
  let sum = 0;
  let n = 0;
  for (let x = 0; x < w; x++) {
    sum += (img[x] as number) + (img[(h - 1) * w + x] as number);
    n += 2;
  }
  for (let y = 0; y < h; y++) {
    sum += (img[y * w] as number) + (img[y * w + w - 1] as number);
    n += 2;
  }
  return sum / n;
}

/** Resizes a grey image by averaging the source area under each target pixel (exact for any ratio). */
export function resizeArea(src: Float32Array, sw: number, sh: number, tw: number, th: number): Float32Array {
  const out = new Float32Array(tw * th);
  const sx = sw / tw;
  const sy = sh / th;
  for (let ty = 0; ty < th; ty++) {
    const y0 = ty * sy;
    const y1 = y0 + sy;
    for (let tx = 0; tx < tw; tx++) {
      const x0 = tx * sx;
      const x1 = x0 + sx;
      let sum = 0;
      let area = 0;
      for (let y = Math.floor(y0); y < Math.min(sh, Math.ceil(y1)); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.min(sw, Math.ceil(x1)); x++) {
          const wx = Math.min(x + 1, x1) - Math.max(x, x0);
          sum += (src[y * sw + x] as number) * wx * wy;
          area += wx * wy;
        }
      }
      out[ty * tw + tx] = area > 0 ? sum / area : 0;
    }
  }
  return out;
}

/** CSV rows of `features` values, or `features + 1` with the class last (reported as expected). */
function readCsvInput(path: string, model: ModelInput): InputSamples {
  const features = size(model.shape);
  const table = (() => {
    try {
      return parseCsv(readFileSync(path, 'utf8'), { what: path });
    } catch (error) {
      throw usageError((error as Error).message.replace(/^parseCsv: /, ''));
    }
  })();
  const columns = table.columns.length;
  if (columns !== features && columns !== features + 1) {
    throw usageError(
      `${path} has ${columns} columns, but the checkpoint's model takes ${features} features per sample`,
      `give each row ${features} values (optionally followed by the class)`,
    );
  }
  const x = new Float32Array(table.rows * features);
  const expected: (number | null)[] = [];
  for (let r = 0; r < table.rows; r++) {
    x.set(table.x.subarray(r * columns, r * columns + features), r * features);
    expected.push(columns > features ? (table.x[r * columns + features] as number) : null);
  }
  return {
    x,
    n: table.rows,
    labels: Array.from({ length: table.rows }, (_, r) => `${path}:${r + 1}`),
    expected,
  };
}

/** An IDX file of samples: [n, ...shape] (uint8 scaled to [0, 1]), or a single sample of the model's shape. */
async function readIdxInput(path: string, model: ModelInput): Promise<InputSamples> {
  let arr: Awaited<ReturnType<typeof readIdx>>;
  try {
    arr = await readIdx(path);
  } catch (error) {
    throw usageError(
      `${path} is not a PNG, CSV or IDX file the CLI can read (${(error as Error).message.replace(/^\w+: /, '')})`,
    );
  }
  const features = size(model.shape);
  const total = arr.data.length;
  const sampleDims = arr.shape.slice(1);
  const single = size(arr.shape) === features && arr.shape.length === model.shape.length;
  const n = single ? 1 : (arr.shape[0] as number);
  if (!single && size(sampleDims) !== features) {
    throw usageError(
      `${path} holds [${arr.shape.join(',')}], but the checkpoint's model takes samples of shape [${model.shape.join(',')}]`,
      `pass an IDX array [n,${model.shape.join(',')}]${model.shape[0] === 1 ? ` or [n,${model.shape.slice(1).join(',')}]` : ''}`,
    );
  }
  const scale = arr.type === 'uint8' ? 1 / 255 : 1;
  const x = new Float32Array(total);
  for (let i = 0; i < total; i++) x[i] = (arr.data[i] as number) * scale;
  return {
    x,
    n,
    labels: Array.from({ length: n }, (_, i) => `${path}[${i}]`),
    expected: Array.from({ length: n }, () => null),
  };
}
