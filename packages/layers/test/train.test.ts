/** The training loop: learning, metrics, validation, callbacks, early stopping, and flat memory. */
import { manualSeed, memory, tensor, tidy } from '@myelin/core';
import { Adam, SGD, StepLR } from '@myelin/optim';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Batch,
  BatchNorm1d,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  Dropout,
  evaluate,
  fit,
  Linear,
  mseLoss,
  ReLU,
  Sequential,
} from '../src/index.js';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

/** Two Gaussian-ish blobs, deterministic: class 0 around (-1,-1), class 1 around (1,1). */
function blobs(n: number, batch: number, seed = 1, floatTargets = false): Batch[] {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  const batches: Batch[] = [];
  for (let b = 0; b < n / batch; b++) {
    const xs = new Float32Array(batch * 2);
    const ys = new Int32Array(batch);
    for (let i = 0; i < batch; i++) {
      const c = (b * batch + i) % 2;
      ys[i] = c;
      xs[2 * i] = (c ? 1 : -1) + rnd();
      xs[2 * i + 1] = (c ? 1 : -1) + rnd();
    }
    const y = floatTargets ? tensor(Float32Array.from(ys), { shape: [batch, 1] }) : tensor(ys);
    batches.push({ x: tensor(xs, { shape: [batch, 2] }), y });
  }
  return batches;
}

function disposeAll(batches: Batch[]): void {
  for (const b of batches) {
    b.x.dispose();
    b.y.dispose();
  }
}

describe('fit', () => {
  it('learns a separable problem and reports loss, accuracy, validation and throughput', async () => {
    manualSeed(0);
    const model = new Sequential(new Linear(2, 8), new ReLU(), new Linear(8, 2));
    const train = blobs(256, 32);
    const val = blobs(64, 32, 99);
    const batchLogs: number[] = [];
    const history = await fit(model, {
      optimizer: new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }),
      loss: crossEntropy,
      train,
      validation: val,
      epochs: 5,
      metrics: ['loss', 'accuracy'],
      callbacks: { onBatchEnd: (log) => void batchLogs.push(log.loss) },
    });
    expect(history.epochs.length).toBe(5);
    expect(history.steps).toBe(40);
    expect(batchLogs.length).toBe(40);
    const last = history.epochs[4]!;
    expect(last.loss).toBeLessThan(history.epochs[0]!.loss);
    expect(last.accuracy).toBeGreaterThan(0.95);
    expect(last.valAccuracy).toBeGreaterThan(0.95);
    expect(last.valLoss).toBeLessThan(0.3);
    expect(last.samples).toBe(256);
    expect(last.samplesPerSecond).toBeGreaterThan(0);
    expect(model.training).toBe(true);
    const ev = await evaluate(model, val, { loss: crossEntropy });
    expect(ev.samples).toBe(64);
    expect(ev.accuracy).toBe(last.valAccuracy);
    disposeAll(train);
    disposeAll(val);
    model.dispose();
  });

  it('accepts async iterables and per-epoch functions, and disposes the batches they make', async () => {
    manualSeed(0);
    const model = new Sequential(new Linear(2, 1));
    const base = memory().tensors;
    async function* gen(): AsyncGenerator<Batch> {
      yield* blobs(64, 16, 1, true);
    }
    const epochsSeen: number[] = [];
    const opt = new SGD(model.parameters(), { lr: 0.5 });
    const h = await fit(model, {
      optimizer: opt,
      loss: binaryCrossEntropyWithLogits,
      train: (epoch) => {
        epochsSeen.push(epoch);
        return gen();
      },
      epochs: 3,
    });
    opt.zeroGrad();
    expect(epochsSeen).toEqual([0, 1, 2]);
    expect(h.epochs[2]!.loss).toBeLessThan(h.epochs[0]!.loss);
    // Every batch the generator made was disposed after its step.
    expect(memory().tensors).toBe(base);
    model.dispose();
  });

  it('early stopping stops after `patience` epochs without improvement and can restore the best weights', async () => {
    manualSeed(0);
    const model = new Sequential(new Linear(1, 1));
    const x = tensor([[1], [2]]);
    const y = tensor([[1], [2]]);
    const val = [{ x: tensor([[3]]), y: tensor([[3]]) }];
    // lr so large that the loss grows every epoch after the first.
    const h = await fit(model, {
      optimizer: new SGD(model.parameters(), { lr: 2 }),
      loss: mseLoss,
      train: [{ x, y }],
      validation: val,
      epochs: 50,
      earlyStopping: { patience: 2, restoreBest: true },
    });
    expect(h.stoppedEarly).toBe(true);
    expect(h.epochs.length).toBe((h.bestEpoch as number) + 3);
    const best = h.epochs[h.bestEpoch as number]!;
    expect(Math.min(...h.epochs.map((e) => e.valLoss as number))).toBe(best.valLoss);
    // The restored weights are those that scored the best validation loss.
    const ev = await evaluate(model, val, { loss: mseLoss, metrics: ['loss'] });
    expect(ev.loss).toBe(best.valLoss);
    model.dispose();
  });

  it("onEpochEnd returning 'stop' ends training; a scheduler steps once per epoch", async () => {
    const model = new Sequential(new Linear(1, 1));
    const opt = new SGD(model.parameters(), { lr: 0.1 });
    const sched = new StepLR(opt, 1, 0.5);
    const data = [{ x: tensor([[1]]), y: tensor([[0]]) }];
    const h = await fit(model, {
      optimizer: opt,
      loss: mseLoss,
      train: data,
      epochs: 10,
      scheduler: sched,
      callbacks: { onEpochEnd: (log) => (log.epoch === 2 ? 'stop' : undefined) },
    });
    expect(h.epochs.length).toBe(3);
    expect(opt.lr).toBeCloseTo(0.1 / 8, 10);
    model.dispose();
  });

  it('rejects a bad optimizer, loss or batch with clear errors', async () => {
    const model = new Sequential(new Linear(1, 1));
    await expect(fit(model, { optimizer: {} as never, loss: mseLoss, train: [] })).rejects.toThrow(
      /step\(\) and zeroGrad\(\)/,
    );
    const opt = new SGD(model.parameters());
    await expect(fit(model, { optimizer: opt, loss: mseLoss, train: [{ x: 1 } as never] })).rejects.toThrow(
      /\{x: Tensor, y: Tensor\}/,
    );
    await expect(fit(model, { optimizer: opt, loss: mseLoss, train: 5 as never })).rejects.toThrow(
      /iterable/,
    );
    model.dispose();
  });
});

describe('memory stays flat', () => {
  it('fit: live tensors and bytes are the same at step 10 and step 1,000 (BatchNorm, Dropout, momentum)', async () => {
    manualSeed(0);
    const model = new Sequential(
      new Linear(2, 16),
      new BatchNorm1d(16),
      new ReLU(),
      new Dropout(0.1),
      new Linear(16, 2),
    );
    const train = blobs(320, 32);
    const at: Record<number, { tensors: number; bytes: number }> = {};
    // SGD with momentum keeps this 1,000-step test quick; Adam's and RMSprop's state is checked in optim.
    await fit(model, {
      optimizer: new SGD(model.parameters(), { lr: 1e-2, momentum: 0.9 }),
      loss: crossEntropy,
      train,
      epochs: 100,
      metrics: ['loss', 'accuracy'],
      callbacks: {
        onBatchEnd: ({ step }) => {
          if (step === 10 || step === 1000) {
            const m = memory();
            at[step] = { tensors: m.tensors, bytes: m.bytes };
          }
        },
      },
    });
    expect(at[10]).toBeDefined();
    expect(at[1000]).toEqual(at[10]);
    disposeAll(train);
    model.dispose();
  }, 120_000);

  it('the manual loop of the README is flat too', async () => {
    manualSeed(0);
    const model = new Sequential(new Linear(2, 8), new ReLU(), new Linear(8, 2));
    const opt = new Adam(model.parameters(), { lr: 1e-2 });
    const [{ x, y }] = blobs(32, 32) as [Batch];
    const counts: number[] = [];
    for (let step = 0; step < 200; step++) {
      const loss = tidy(() => {
        opt.zeroGrad();
        const l = crossEntropy(model.forward(x), y);
        l.backward();
        opt.step();
        return l.detach();
      });
      (await loss.data())[0];
      loss.dispose();
      counts.push(memory().tensors);
    }
    expect(counts[199]).toBe(counts[9]);
    opt.zeroGrad();
    opt.dispose();
    model.dispose();
    x.dispose();
    y.dispose();
  });
});
