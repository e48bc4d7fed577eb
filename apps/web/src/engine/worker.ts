/**
 * The training worker: it owns the backends, the run and the lab, and answers the page's requests (see
 * protocol.ts). Training runs in slices of a few tens of milliseconds; between slices the worker reads
 * its messages, so pause, step and a backend switch take effect at the next step boundary.
 */
import { setBackend } from '@myelin/core';
import { experiments, getExperiment } from '@myelin/lab';
import type { BackendStatus, Replies, Request, RequestEnvelope, WorkerMessage } from '../protocol.js';
import { registerBackends, surveyBackends } from './backends.js';
import { loadSession, saveSession } from './checkpoint.js';
import { Session } from './session.js';

const post = (message: WorkerMessage, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(message, transfer);

/** Runs async jobs one at a time, in order: a step never overlaps a backend switch or a load. */
class Serial {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Yields to the event loop (a message-channel task: no 4 ms timer clamp). */
const yieldNow = (() => {
  const channel = new MessageChannel();
  const waiting: Array<() => void> = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(0);
    });
})();

/** Milliseconds of training between two looks at the message queue. */
const SLICE_MS = 40;
/** Milliseconds between two progress reports. */
const REPORT_MS = 250;

class Engine {
  private readonly serial = new Serial();
  private session?: Session;
  private running = false;
  private stepsPerSlice = 1;
  private lastReport = 0;

  async handle(request: Request): Promise<unknown> {
    switch (request.kind) {
      case 'hello':
        return this.serial.run(() => this.hello());
      case 'configure':
        return this.serial.run(async () => this.replace(await Session.create(request.config)));
      case 'reset':
        return this.serial.run(async () => {
          const config = this.current().config;
          return this.replace(await Session.create(config));
        });
      case 'start':
        this.setRunning(true);
        return { running: true };
      case 'pause':
        this.setRunning(false);
        // After the slice in flight, one last report: the page then shows the model as it stands (the
        // step a saved file will carry), not the one of the last periodic report.
        await this.serial.run(async () => {
          if (this.session) await this.report(this.session);
        });
        return { running: false };
      case 'step':
        this.setRunning(false);
        await this.serial.run(async () => {
          const session = this.current();
          await session.train(1);
          await this.report(session);
        });
        return { running: false };
      case 'setBackend':
        return this.serial.run(async () => {
          await setBackend(request.name);
          const backends = await this.backends();
          post({ type: 'backend', backends });
          if (this.session && !this.running) await this.report(this.session);
          return { backends };
        });
      case 'save':
        return this.serial.run(() => saveSession(this.current()));
      case 'load':
        return this.serial.run(async () => {
          this.setRunning(false);
          return this.replace(await loadSession(request.bytes, request.fileName));
        });
      case 'predict':
        return this.serial.run(async () => {
          const session = this.current();
          if (session.config.dataset !== 'digits') {
            throw new Error('choose the digits dataset and train it first: this model classifies 2-D points');
          }
          return { probs: await session.predict(request.pixels) };
        });
      case 'digitSample':
        return this.serial.run(async () => {
          const session = this.current();
          if (session.config.dataset !== 'digits') throw new Error('the digits dataset is not loaded');
          const { test } = session.data;
          const i = ((request.index % test.n) + test.n) % test.n;
          return { pixels: test.x.slice(i * 64, i * 64 + 64), label: test.y[i] as number };
        });
      case 'labList':
        return experiments.map(({ name, title, claim }) => ({ name, title, claim }));
      case 'labRun':
        this.setRunning(false, 'the lab is running an experiment');
        return this.serial.run(() =>
          getExperiment(request.name).run({
            seed: request.seed,
            quick: request.quick,
            onProgress: (p) =>
              post({ type: 'labProgress', done: p.done, total: p.total, message: p.message }),
          }),
        );
    }
  }

  private async hello(): Promise<Replies['hello']> {
    registerBackends();
    // listBackends() creates each backend once to learn whether it runs here; the CPU is the start.
    await surveyBackends();
    await setBackend('cpu');
    return { backends: await this.backends(), isolated: self.crossOriginIsolated === true };
  }

  private async backends(): Promise<BackendStatus[]> {
    return (await surveyBackends()).map((b) => ({
      name: b.name,
      available: b.available,
      active: b.active,
      ...(b.reason !== undefined ? { reason: b.reason } : {}),
      ...(b.description !== undefined ? { description: b.description } : {}),
    }));
  }

  private current(): Session {
    if (!this.session) throw new Error('no model yet: build one first');
    return this.session;
  }

  private async replace(session: Session): Promise<Replies['configure']> {
    this.setRunning(false);
    this.session?.dispose();
    this.session = session;
    this.stepsPerSlice = 1;
    // The first measurement travels with the reply: sent as an event, it could reach the page before the
    // page has switched to the new run.
    const info = await session.info();
    this.lastReport = performance.now();
    return info;
  }

  private setRunning(running: boolean, reason?: string): void {
    if (this.running === running) return;
    this.running = running;
    post({ type: 'running', running, ...(reason ? { reason } : {}) });
    if (running) void this.loop();
  }

  private async report(session: Session): Promise<void> {
    const progress = await session.measure();
    this.lastReport = performance.now();
    post({ type: 'progress', progress }, progress.grid ? [progress.grid.probs.buffer] : []);
  }

  /** Trains slice after slice while running, adapting the slice's step count to about SLICE_MS. */
  private async loop(): Promise<void> {
    while (this.running) {
      try {
        await this.serial.run(async () => {
          const session = this.session;
          if (!this.running || !session) return;
          const t0 = performance.now();
          await session.train(this.stepsPerSlice);
          const ms = performance.now() - t0;
          if (ms < SLICE_MS / 2) this.stepsPerSlice = Math.min(256, this.stepsPerSlice * 2);
          else if (ms > SLICE_MS * 2 && this.stepsPerSlice > 1)
            this.stepsPerSlice = Math.ceil(this.stepsPerSlice / 2);
          if (performance.now() - this.lastReport >= REPORT_MS) await this.report(session);
        });
      } catch (e) {
        this.setRunning(false, `training stopped: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      await yieldNow();
    }
  }
}

const engine = new Engine();

self.onmessage = async (event: MessageEvent<RequestEnvelope>) => {
  const { id, ...request } = event.data;
  try {
    const value = await engine.handle(request as Request);
    const transfer: Transferable[] = [];
    if (request.kind === 'save') transfer.push((value as Replies['save']).bytes.buffer as ArrayBuffer);
    post({ type: 'reply', id, ok: true, value }, transfer);
  } catch (e) {
    post({ type: 'reply', id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
};
