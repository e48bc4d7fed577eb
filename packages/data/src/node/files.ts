/** Reading data files in Node: IDX (gzipped or not) and CSV, with errors that say what is wrong. */
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip as zlibGunzip } from 'node:zlib';
import { DataFormatError, DataNotFoundError } from '../errors.js';
import { isGzip } from '../io/gzip.js';
import { type CsvOptions, type CsvTable, parseCsv } from '../readers/csv.js';
import { type IdxArray, parseIdx } from '../readers/idx.js';

const gunzipAsync = promisify(zlibGunzip);

/**
 * The bytes of `path`; a missing file is a `DataNotFoundError` whose message ends with `hint`, when given.
 */
export async function readBytes(path: string, op: string, hint?: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new DataNotFoundError(op, `${path} does not exist${hint ? `: ${hint}` : ''}`);
    throw new DataNotFoundError(
      op,
      `cannot read ${path} (${code ?? (e as Error).message})${hint ? `: ${hint}` : ''}`,
    );
  }
}

/** Decompresses gzip bytes read from `path` (zlib: faster than DecompressionStream for big files). */
export async function gunzipFile(bytes: Uint8Array, path: string, op: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await gunzipAsync(bytes));
  } catch (e) {
    const msg = (e as Error).message;
    const why = /unexpected end/i.test(msg)
      ? 'the gzip stream is truncated'
      : `the gzip data are corrupt (${msg})`;
    throw new DataFormatError(op, `${path}: ${why}; download or reinstall the file`);
  }
}

/**
 * Reads an IDX file (MNIST format), gzipped or not (told by its first bytes, not its name).
 *
 * @example
 * ```ts
 * const labels = await readIdx('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz');
 * labels.shape; // [10000]
 * ```
 */
export async function readIdx(path: string, hint?: string): Promise<IdxArray> {
  const raw = await readBytes(path, 'readIdx', hint);
  const bytes = isGzip(raw) ? await gunzipFile(raw, path, 'readIdx') : raw;
  return parseIdx(bytes, path);
}

/**
 * Reads a CSV file of numbers (gzipped or not); see `parseCsv` for the options.
 *
 * @example
 * ```ts
 * const t = await readCsv('iris.csv', { labelColumn: -1 });
 * ```
 */
export async function readCsv(path: string, options: CsvOptions = {}): Promise<CsvTable> {
  const raw = await readBytes(path, 'readCsv');
  const bytes = isGzip(raw) ? await gunzipFile(raw, path, 'readCsv') : raw;
  return parseCsv(new TextDecoder().decode(bytes), { what: path, ...options });
}
