/** Tables for `bench`, `backends` and the train summary, drawn by cli-table3 in the output's colours. */
import Table from 'cli-table3';
import type { Output } from './output.js';

export type Align = 'left' | 'right' | 'center';

/**
 * Renders a table as text (no trailing newline).
 *
 * @example
 * ```ts
 * out.line(table(out, ['backend', 'samples/s'], [['cpu', '25,310']], ['left', 'right']));
 * ```
 */
export function table(out: Output, head: string[], rows: string[][], align: Align[] = []): string {
  const t = new Table({
    head: head.map((h) => out.c.bold(h)),
    colAligns: head.map((_, i) => align[i] ?? 'left'),
    // cli-table3 colours the head and border itself unless told not to; colour is the Output's choice.
    style: { head: [], border: [], compact: true },
    wordWrap: true,
  });
  for (const row of rows) t.push(row);
  return t.toString();
}
