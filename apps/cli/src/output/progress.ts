/**
 * The per-epoch progress bar: `epoch 3/20 ████████░░░░ 62% 896/1437 · 25,310 samples/s · ETA 0.3s · loss 0.1234`.
 * It draws on stderr and only on a live terminal; elsewhere every method is a no-op, so the training loop
 * calls it unconditionally.
 */
import cliProgress from 'cli-progress';
import { duration, lossText, rate } from './format.js';
import type { Output } from './output.js';

export interface ProgressState {
  epoch: number;
  epochs: number;
  done: number;
  total: number;
  /** Samples per second so far in this epoch. */
  samplesPerSecond: number;
  /** Running mean of the training loss in this epoch. */
  loss: number | undefined;
}

export class EpochProgress {
  private bar: cliProgress.SingleBar | undefined;
  private readonly out: Output;

  constructor(out: Output) {
    this.out = out;
  }

  /** Starts a bar for one epoch of `total` samples. */
  start(epoch: number, epochs: number, total: number): void {
    if (!this.out.live) return;
    const { c } = this.out;
    const barWidth = Math.max(10, Math.min(30, this.out.columns - 80));
    this.bar = new cliProgress.SingleBar({
      stream: this.out.stderr as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: true,
      stopOnComplete: false,
      barsize: barWidth,
      // Redraw at most 10 times a second, but always on the last update (synchronousUpdate).
      fps: 10,
      linewrap: false,
      format: (options, params, payload: ProgressState) => {
        const size = options.barsize ?? barWidth;
        const filled = Math.round(params.progress * size);
        const bar = c.cyan('█'.repeat(filled)) + c.dim('░'.repeat(size - filled));
        const eta =
          payload.samplesPerSecond > 0
            ? duration((payload.total - payload.done) / payload.samplesPerSecond)
            : '—';
        const width = String(payload.epochs).length;
        return [
          `${c.bold('epoch')} ${String(payload.epoch).padStart(width)}/${payload.epochs}`,
          bar,
          `${String(Math.floor(params.progress * 100)).padStart(3)}%`,
          `${String(payload.done).padStart(String(payload.total).length)}/${payload.total}`,
          c.dim('·'),
          `${rate(payload.samplesPerSecond)} samples/s`,
          c.dim('·'),
          `ETA ${eta}`,
          c.dim('·'),
          `loss ${lossText(payload.loss)}`,
        ].join(' ');
      },
    });
    this.bar.start(total, 0, { epoch, epochs, done: 0, total, samplesPerSecond: 0, loss: undefined });
  }

  update(state: ProgressState): void {
    this.bar?.update(state.done, state);
  }

  /** Removes the bar (the epoch's table row takes its place). */
  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
