/**
 * What `myelin train` shows: a header (model, data, backend and why), a progress bar per epoch with a
 * table row when it ends, and a summary. In JSON mode it shows nothing and `trainReport` builds the document.
 */
import { BACKEND_NAMES } from '../backends/setup.js';
import { EpochTable } from '../output/epochs.js';
import { count, displayPath, duration, lossText, percent } from '../output/format.js';
import type { Output } from '../output/output.js';
import { EpochProgress } from '../output/progress.js';
import type { EpochRecord } from '../plot/curves.js';
import { describeOptimizer } from './optimizer.js';
import type { RunInfo, TrainEvents, TrainResult } from './session.js';

export class TrainDisplay implements TrainEvents {
  private readonly out: Output;
  private readonly progress: EpochProgress;
  private readonly table: EpochTable;
  private epoch = 0;
  private epochs = 0;

  constructor(out: Output) {
    this.out = out;
    this.progress = new EpochProgress(out);
    this.table = new EpochTable(out);
  }

  start(info: RunInfo): void {
    const { out } = this;
    const { c } = out;
    const d = info.dataset;
    out.line(
      `${c.bold('myelin train')} ${c.dim('·')} ${c.cyan(info.modelName)} (${count(info.params)} parameters) on ${c.cyan(d.name)} ` +
        `(${count(info.trainSamples)} train · ${count(info.valSamples)} validation · ${count(d.test.n)} test)`,
    );
    out.note(
      `  ${describeOptimizer(info.optimizer)} · ${info.epochs} epochs${info.startEpoch > 0 ? ` (resuming after epoch ${info.startEpoch} of ${displayPath(info.resumedFrom ?? '')})` : ''}`,
    );
    const b = info.backend;
    out.line(
      `  backend ${c.green(b.name)}${b.description && b.description !== b.name ? c.dim(` (${b.description})`) : ''} ${c.dim('—')} ${b.requested === 'auto' ? `auto: ${b.why}` : b.why}`,
    );
    for (const other of b.others) out.note(`    not ${other.name}: ${other.why}`);
    out.line();
  }

  epochStart(epoch: number, epochs: number, samples: number): void {
    this.epoch = epoch;
    this.epochs = epochs;
    this.table.header();
    this.progress.start(epoch, epochs, samples);
  }

  batch(done: number, total: number, samplesPerSecond: number, meanLoss: number): void {
    this.progress.update({
      epoch: this.epoch,
      epochs: this.epochs,
      done,
      total,
      samplesPerSecond,
      loss: meanLoss,
    });
  }

  epochEnd(record: EpochRecord, epochs: number, samplesPerSecond: number, partial: boolean): void {
    this.progress.stop();
    this.table.add(record, epochs, samplesPerSecond, partial);
  }

  phase(text: string): void {
    this.progress.stop();
    if (this.out.live) this.out.note(`  ${text}…`);
  }

  /** The closing lines: the test result, time, and where the files went. */
  summary(result: TrainResult): void {
    const { out } = this;
    const { c } = out;
    out.line();
    if (result.interrupted) {
      out.line(
        `${c.yellow('■')} stopped by Ctrl-C after ${plural(result.history.length - result.info.startEpoch, 'full epoch')} in ${duration(result.trainSeconds)}; the test pass was skipped`,
      );
    } else if (result.test) {
      out.line(
        `${c.green('✔')} test accuracy ${c.bold(percent(result.test.accuracy))} ${c.dim(`(loss ${lossText(result.test.loss)}, ${count(result.test.samples)} samples)`)} · ` +
          `${plural(result.history.length - result.info.startEpoch, 'epoch')} in ${duration(result.trainSeconds)} (${duration(result.seconds)} in all) on ${result.info.backend.name}`,
      );
    }
    const rows: [string, string][] = [];
    if (result.checkpoint) rows.push(['checkpoint', displayPath(result.checkpoint)]);
    else rows.push(['checkpoint', c.dim('not saved (--no-save)')]);
    if (result.plots)
      rows.push(['curves', `${displayPath(result.plots.svg)}, ${displayPath(result.plots.png)}`]);
    if (result.checkpoint) {
      rows.push(['next', `myelin eval ${displayPath(result.checkpoint)}`]);
      if (result.interrupted)
        rows.push([
          'resume',
          `myelin train --resume ${displayPath(result.checkpoint)} --epochs ${result.info.epochs}`,
        ]);
    }
    for (const [k, v] of rows) out.line(`  ${c.dim(k.padEnd(10))} ${v}`);
    for (const w of result.warnings) out.warn(w);
  }
}

/** The JSON document of a training run. */
export function trainReport(result: TrainResult): unknown {
  const { info } = result;
  return {
    ok: !result.interrupted,
    command: 'train',
    interrupted: result.interrupted,
    model: {
      name: info.modelName,
      source: info.modelSource,
      parameters: info.params,
      layers: info.layers.map((l) => ({ ...l.spec, inShape: l.inShape, outShape: l.outShape })),
    },
    dataset: {
      name: info.dataset.name,
      inputShape: info.dataset.inputShape,
      classes: info.dataset.classes,
      train: info.trainSamples,
      validation: info.valSamples,
      test: info.dataset.test.n,
    },
    backend: {
      name: info.backend.name,
      requested: info.backend.requested,
      why: info.backend.why,
      description: info.backend.description ?? null,
      notChosen: info.backend.others,
      known: BACKEND_NAMES,
    },
    optimizer: info.optimizer,
    epochs: { requested: info.epochs, startedAfter: info.startEpoch, history: result.history },
    test: result.test,
    seconds: { total: round(result.seconds), training: round(result.trainSeconds) },
    samplesPerSecond: round(averageRate(result)),
    checkpoint: result.checkpoint,
    plots: result.plots,
    resumedFrom: info.resumedFrom,
    warnings: result.warnings,
  };
}

function averageRate(result: TrainResult): number {
  const fresh = result.history.slice(result.info.startEpoch);
  const seconds = fresh.reduce((s, r) => s + r.seconds, 0);
  return seconds > 0 ? (fresh.length * result.info.trainSamples) / seconds : 0;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
