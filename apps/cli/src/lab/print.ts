/**
 * How a lab result reads in a terminal: its title, claim and setup as wrapped paragraphs, its table drawn
 * by cli-table3 like every other table of the CLI, then the reading. Also the one-line status that a live
 * terminal shows while an experiment runs.
 */
import type { LabResult, LabTable } from '@myelin/lab';
import { visibleLength } from '../output/format.js';
import type { Output } from '../output/output.js';
import { type Align, table } from '../output/table.js';

/** Prose is wrapped at this width even on wide terminals: long lines are hard to read. */
const MAX_PROSE_WIDTH = 100;

/**
 * A table cell: numbers with 3 significant digits (as docs/lab.md shows them), strings as they are.
 *
 * @example
 * ```ts
 * cellText(0.857142); // '0.857'
 * cellText(1.5e-7);   // '1.50e-7'
 * ```
 */
export function cellText(value: string | number): string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '∞' : '-∞';
  if (value === 0) return '0';
  const a = Math.abs(value);
  if (a < 1e-3 || a >= 1e5) return value.toExponential(2);
  return Number(value.toPrecision(3)).toString();
}

/** Cells that read as quantities (`97.3%`, `-0.25`, `1 / 32`, `∞`) right-align their column. */
function looksNumeric(cell: string): boolean {
  return /^[-+−]?(?:\d|\.\d|∞|NaN)/.test(cell.trim());
}

/** The lab's table as cli-table3 text: quantity columns aligned right. */
export function labTable(out: Output, t: LabTable): string {
  const rows = t.rows.map((row) => row.map(cellText));
  const align: Align[] = t.columns.map((_, i) =>
    rows.length > 0 && rows.every((r) => looksNumeric(r[i] ?? '')) ? 'right' : 'left',
  );
  return table(out, t.columns, rows, align);
}

/**
 * Word-wraps `text` to `width` columns, every line after the first indented by `indent` spaces (the first
 * line's prefix is the caller's).
 */
export function wrap(text: string, width: number, indent: number, firstPrefixWidth = indent): string {
  const lines: string[] = [];
  let line = '';
  let room = width - firstPrefixWidth;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && visibleLength(line) + 1 + visibleLength(word) > room) {
      lines.push(line);
      line = word;
      room = width - indent;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/** A labelled paragraph: `Claim  The derivatives of ...` with the text wrapped under itself. */
function paragraph(out: Output, label: string, text: string): void {
  const width = Math.min(out.columns, MAX_PROSE_WIDTH);
  const pad = 9;
  out.line(`${out.c.bold(label)}${' '.repeat(Math.max(1, pad - label.length))}${wrap(text, width, pad)}`);
}

/** Prints one result: title, claim, setup, table and reading. */
export function printResult(out: Output, result: LabResult): void {
  const { c } = out;
  out.line(c.bold(c.cyan(result.title)));
  out.line();
  paragraph(out, 'Claim', result.claim);
  out.line();
  paragraph(out, 'Setup', result.setup);
  out.line();
  out.line(labTable(out, result.table));
  out.line();
  paragraph(out, 'Reading', result.reading);
}

/**
 * One line on stderr that redraws in place (`  batchnorm  2/6  lr 0.1, with batch norm`), only on a live
 * terminal; elsewhere every method does nothing.
 */
export class StatusLine {
  private readonly out: Output;
  private shown = false;

  constructor(out: Output) {
    this.out = out;
  }

  /** Shows `text` (plain, uncoloured: it is cut to the terminal's width and dimmed here). */
  show(text: string): void {
    if (!this.out.live) return;
    const width = this.out.columns - 1;
    const fitted = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    this.out.stderr.write(`\r\u001b[2K${this.out.c.dim(fitted)}`);
    this.shown = true;
  }

  clear(): void {
    if (!this.shown) return;
    this.out.stderr.write('\r\u001b[2K');
    this.shown = false;
  }
}
