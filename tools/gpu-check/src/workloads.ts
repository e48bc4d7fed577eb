/**
 * What is timed: square matmuls and two training steps (the bench's LeNet-style CNN and MLP, batch 64,
 * Adam 1e-3, softmax cross-entropy on fixed random data), each built the way tools/bench/src/training.ts
 * builds it. Each case also snapshots memory around its timed runs.
 */
import * as core from '@myelin/core';
import {
  Conv2d,
  crossEntropy,
  Flatten,
  Linear,
  MaxPool2d,
  type Module,
  ReLU,
  Sequential,
} from '@myelin/layers';
import { Adam } from '@myelin/optim';
import type { Runner } from './timing.js';

export const BATCH = 64;
export const CLASSES = 10;
export const LEARNING_RATE = 1e-3;

/** A case: how to build its runner on the active backend, and how much work one step is. */
export interface Workload {
  readonly id: string;
  readonly label: string;
  readonly unit: 'GFLOP/s' | 'samples/s';
  /** GFLOP per step (matmul) or samples per step (training). */
  readonly perStep: number;
  build(): Runner;
}

/** `c = a @ b` for random n×n float32 matrices; the previous product is freed at each step. */
export function matmulWorkload(n: number): Workload {
  return {
    id: `matmul-${n}`,
    label: `matmul n=${n}`,
    unit: 'GFLOP/s',
    perStep: (2 * n * n * n) / 1e9,
    build() {
      const a = core.randn([n, n], { seed: 1 });
      const b = core.randn([n, n], { seed: 2 });
      let c: core.Tensor | undefined;
      return {
        step() {
          c?.dispose();
          c = core.matmul(a, b);
        },
        async sync() {
          await c?.data();
        },
        dispose() {
          c?.dispose();
          a.dispose();
          b.dispose();
        },
      };
    },
  };
}

/** Fixed labels 0..9 spread over the batch (as the bench makes them). */
function batchLabels(batch: number): Int32Array {
  return Int32Array.from({ length: batch }, (_, i) => (i * 7) % CLASSES);
}

/** One Adam step per `step()`: `opt.zeroGrad(); crossEntropy(model.forward(x), y).backward(); opt.step()`. */
function trainer(buildModel: () => Module, inputShape: number[]): Runner {
  core.manualSeed(0);
  const model = core.tidy(buildModel);
  const opt = new Adam(model.parameters(), { lr: LEARNING_RATE });
  const x = core.randn(inputShape, { seed: 1 });
  const y = core.tensor(batchLabels(inputShape[0] as number), { dtype: 'int32' });
  let last: core.Tensor | null = null;
  return {
    step() {
      last?.dispose();
      last = core.tidy(() => {
        opt.zeroGrad();
        const loss = crossEntropy(model.forward(x), y);
        loss.backward();
        opt.step();
        return loss.detach();
      });
    },
    async sync() {
      await last?.data();
    },
    dispose() {
      last?.dispose();
      opt.zeroGrad();
      opt.dispose();
      model.dispose();
      x.dispose();
      y.dispose();
    },
  };
}

/** Conv 5×5×8, ReLU, max-pool 2, conv 5×5×16, ReLU, max-pool 2, flatten, linear 256→10 on 1×28×28. */
export const lenetWorkload: Workload = {
  id: 'lenet-train',
  label: `LeNet-style CNN train, batch ${BATCH}`,
  unit: 'samples/s',
  perStep: BATCH,
  build: () =>
    trainer(
      () =>
        new Sequential(
          new Conv2d(1, 8, 5),
          new ReLU(),
          new MaxPool2d(2),
          new Conv2d(8, 16, 5),
          new ReLU(),
          new MaxPool2d(2),
          new Flatten(),
          new Linear(256, CLASSES),
        ),
      [BATCH, 1, 28, 28],
    ),
};

/** Linear 784→128, ReLU, 128→64, ReLU, 64→10. */
export const mlpWorkload: Workload = {
  id: 'mlp-train',
  label: `MLP 784-128-64-10 train, batch ${BATCH}`,
  unit: 'samples/s',
  perStep: BATCH,
  build: () =>
    trainer(
      () =>
        new Sequential(
          new Linear(784, 128),
          new ReLU(),
          new Linear(128, 64),
          new ReLU(),
          new Linear(64, CLASSES),
        ),
      [BATCH, 784],
    ),
};

/** Live tensors (all backends) and the active backend's live buffers; on WebGPU also its pool's GPU buffers. */
export interface MemorySnapshot {
  readonly tensors: number;
  readonly buffers: number;
  readonly bytes: number;
  readonly gpuBuffers?: number;
  readonly gpuBytes?: number;
}

interface PoolStatsLike {
  poolStats(): { liveBuffers: number; liveBytes: number };
}

export async function memorySnapshot(): Promise<MemorySnapshot> {
  const backend = core.getBackend();
  await backend.sync?.();
  const m = core.memory();
  const snap: MemorySnapshot = { tensors: m.tensors, buffers: m.buffers, bytes: m.bytes };
  const pooled = backend as Partial<PoolStatsLike>;
  if (typeof pooled.poolStats !== 'function') return snap;
  const p = pooled.poolStats();
  return { ...snap, gpuBuffers: p.liveBuffers, gpuBytes: p.liveBytes };
}

export function sameMemory(a: MemorySnapshot, b: MemorySnapshot): boolean {
  return (
    a.tensors === b.tensors &&
    a.buffers === b.buffers &&
    a.bytes === b.bytes &&
    a.gpuBuffers === b.gpuBuffers &&
    a.gpuBytes === b.gpuBytes
  );
}
