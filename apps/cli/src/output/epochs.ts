/**
 * The per-epoch table of `myelin train`: a header once, then one row as each epoch ends (the progress bar
 * of the next epoch draws below it). Columns have fixed widths so rows line up without buffering the table.
 */
import type { EpochRecord } from '../plot/curves.js';
import { duration, lossText, padStart, percent, rate } from './format.js';
import type { Output } from './output.js';

const COLUMNS = [
  { title: 'epoch', width: 7 },
  { title: 'loss', width: 9 },
  { title: 'accuracy', width: 9 },
  { title: 'val loss', width: 9 },
  { title: 'val acc', width: 9 },
  { title: 'samples/s', width: 10 },
  { title: 'time', width: 8 },
] as const;

export class EpochTable {
  private readonly out: Output;
  private bestValAccuracy = Number.NEGATIVE_INFINITY;
  private headerShown = false;

  constructor(out: Output) {
    this.out = out;
  }

  private row(cells: string[]): string {
    const sep = this.out.c.dim(' │ ');
    return cells.map((cell, i) => padStart(cell, (COLUMNS[i] as { width: number }).width)).join(sep);
  }

  header(): void {
    if (this.headerShown) return;
    this.headerShown = true;
    const { c } = this.out;
    this.out.line(this.row(COLUMNS.map((col) => c.bold(col.title))));
    this.out.line(c.dim(COLUMNS.map((col) => '─'.repeat(col.width)).join('─┼─')));
  }

  /** The row of one finished epoch; the best validation accuracy so far is green. */
  add(record: EpochRecord, epochs: number, samplesPerSecond: number, partial = false): void {
    this.header();
    const { c } = this.out;
    let valAcc = record.valAccuracy === undefined ? '—' : percent(record.valAccuracy);
    if (record.valAccuracy !== undefined && record.valAccuracy > this.bestValAccuracy) {
      this.bestValAccuracy = record.valAccuracy;
      valAcc = c.green(valAcc);
    }
    this.out.line(
      this.row([
        `${record.epoch}/${epochs}${partial ? '*' : ''}`,
        lossText(record.trainLoss),
        percent(record.trainAccuracy),
        record.valLoss === undefined ? '—' : lossText(record.valLoss),
        valAcc,
        rate(samplesPerSecond),
        duration(record.seconds),
      ]),
    );
  }
}
