/** Tables for `bench`, `backends`, `eval` and `predict`, drawn by cli-table3 in the output's colours. */
import Table from 'cli-table3';
import { visibleLength } from './format.js';
import type { Output } from './output.js';

export type Align = 'left' | 'right' | 'center';

/**
 * Renders a table as text (no trailing newline). When it would be wider than the terminal, the widest
 * column wraps.
 *
 * @example
 * ```ts
 * out.line(table(out, ['backend', 'samples/s'], [['cpu', '25,310']], ['left', 'right']));
 * ```
 */
export function table(out: Output, head: string[], rows: string[][], align: Align[] = []): string {
  // Natural width of each column: its widest cell (the widest line of a multi-line cell) plus cli-table3's
  // padding (1 each side).
  const cellWidth = (cell: string) => Math.max(...cell.split('\n').map(visibleLength));
  const widths = head.map((h, i) => Math.max(cellWidth(h), ...rows.map((r) => cellWidth(r[i] ?? ''))) + 2);
  const total = widths.reduce((a, b) => a + b, 0) + head.length + 1;
  let colWidths: number[] | undefined;
  if (total > out.columns) {
    const widest = widths.indexOf(Math.max(...widths));
    const shrunk = [...widths];
    shrunk[widest] = Math.max(12, (widths[widest] as number) - (total - out.columns));
    colWidths = shrunk;
  }
  const t = new Table({
    head: head.map((h) => out.c.bold(h)),
    colAligns: head.map((_, i) => align[i] ?? 'left'),
    // cli-table3 colours the head and border itself unless told not to; colour is the Output's choice.
    style: { head: [], border: [], compact: true },
    ...(colWidths ? { colWidths, wordWrap: true, wrapOnWordBoundary: true } : {}),
  });
  for (const row of rows) t.push(row);
  return t.toString();
}
