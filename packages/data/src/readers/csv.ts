/** A CSV reader for numeric tables: optional header, one optional label column. */
import { DataFormatError } from '../errors.js';

/** Options of `parseCsv`. */
export interface CsvOptions {
  /** Whether the first line names the columns; `'auto'` (default) decides by whether it holds a non-number. */
  header?: boolean | 'auto';
  /**
   * The label column, taken out of the features: an index (negative counts from the end), a header
   * name, or `null` (default) for none.
   */
  labelColumn?: number | string | null;
  /** `int32` (default; class indices) or `float32` (regression targets). */
  labelType?: 'int32' | 'float32';
  /** Field separator (default `,`). */
  delimiter?: string;
  /** `what` names the source in error messages. */
  what?: string;
}

/** A parsed numeric table. */
export interface CsvTable {
  /** Feature values, row-major: `rows × columns.length`. */
  x: Float32Array;
  /** The label column, when `labelColumn` was given. */
  y?: Int32Array | Float32Array;
  rows: number;
  /** Names of the feature columns (from the header, else `c0`, `c1`...). */
  columns: string[];
  /** Name of the label column, when there is one. */
  labelName?: string;
}

function unquote(cell: string): string {
  const t = cell.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

function isNumber(cell: string): boolean {
  return cell !== '' && Number.isFinite(Number(cell));
}

/**
 * Parses CSV text of numbers. Blank lines are skipped; every row must have as many fields as the first;
 * every field must be a finite number (errors name the line and column).
 *
 * @example
 * ```ts
 * const t = parseCsv('a,b,label\n1,2,0\n3,4,1\n', { labelColumn: 'label' });
 * // t.x = [1, 2, 3, 4], t.y = Int32Array [0, 1], t.columns = ['a', 'b']
 * ```
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvTable {
  const { delimiter = ',', labelType = 'int32', what = 'CSV data' } = options;
  const fail = (msg: string): never => {
    throw new DataFormatError('parseCsv', `${what}: ${msg}`);
  };
  const lines: { n: number; cells: string[] }[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() !== '') lines.push({ n: i + 1, cells: line.split(delimiter).map(unquote) });
  });
  if (lines.length === 0) fail('is empty');
  const first = lines[0] as { n: number; cells: string[] };
  const hasHeader =
    options.header === 'auto' || options.header === undefined ? !first.cells.every(isNumber) : options.header;
  const names = hasHeader ? first.cells : first.cells.map((_, i) => `c${i}`);
  const body = hasHeader ? lines.slice(1) : lines;
  const width = names.length;

  let label = -1;
  const lc = options.labelColumn ?? null;
  if (typeof lc === 'string') {
    label = names.indexOf(lc);
    if (!hasHeader || label < 0)
      fail(
        `no column named '${lc}'${hasHeader ? ` (columns: ${names.join(', ')})` : ' (there is no header line)'}`,
      );
  } else if (typeof lc === 'number') {
    label = lc < 0 ? width + lc : lc;
    if (!Number.isInteger(lc) || label < 0 || label >= width)
      fail(`label column ${lc} is outside the ${width} columns`);
  }
  const features = width - (label >= 0 ? 1 : 0);
  const x = new Float32Array(body.length * features);
  const y =
    label < 0
      ? undefined
      : labelType === 'int32'
        ? new Int32Array(body.length)
        : new Float32Array(body.length);
  body.forEach(({ n, cells }, r) => {
    if (cells.length !== width) fail(`line ${n} has ${cells.length} fields, expected ${width}`);
    let k = r * features;
    for (let c = 0; c < width; c++) {
      const cell = cells[c] as string;
      if (!isNumber(cell)) fail(`line ${n}, column ${c + 1} (${names[c]}): '${cell}' is not a number`);
      const v = Number(cell);
      if (c === label) {
        if (labelType === 'int32' && !Number.isInteger(v))
          fail(
            `line ${n}: label '${cell}' is not an integer (use labelType: 'float32' for real-valued targets)`,
          );
        (y as Int32Array | Float32Array)[r] = v;
      } else {
        x[k++] = v;
      }
    }
  });
  const table: CsvTable = { x, rows: body.length, columns: names.filter((_, c) => c !== label) };
  if (y) {
    table.y = y;
    table.labelName = names[label] as string;
  }
  return table;
}
