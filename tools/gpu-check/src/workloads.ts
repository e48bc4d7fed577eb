/**
 * What is timed: square matmuls and two training steps (the bench's LeNet-style CNN and MLP, batch 64,
 * Adam 1e-3, softmax cross-entropy on fixed random data). The runners are tools/bench's own cases, so the
 * GPU machine times exactly what docs/benchmarks.md times here. Each case also snapshots memory around
 * its timed runs.
 */
import * as core from '@myelin/core';
import * as layers from '@myelin/layers';
import * as optim from '@myelin/optim';
import type { MyelinApi } from '../../bench/src/engines/myelin.js';
import type { BenchCase } from '../../bench/src/types.js';
import { lenetTrain } from '../../bench/src/workloads/lenet-train.js';
import { matmulCase } from '../../bench/src/workloads/matmul.js';
import { mlpTrain } from '../../bench/src/workloads/mlp-train.js';
import type { Runner } from './timing.js';

/** A case: how to build its runner on the active backend, and how much work one step is. */
export interface Workload {
  readonly id: string;
  readonly label: string;
  readonly unit: 'GFLOP/s' | 'samples/s';
  /** GFLOP per step (matmul) or samples per step (training). */
  readonly perStep: number;
  build(): Runner;
}

/** The library as the bench's Myelin engine hands it to a case. */
const API = { core, layers, optim, missing: [] } as unknown as MyelinApi;

function fromBench(c: BenchCase, label: string, unit: Workload['unit']): Workload {
  const perOp = c.metric.kind === 'throughput' ? c.metric.perOp : 1;
  return {
    id: c.id,
    label,
    unit,
    perStep: perOp,
    build() {
      core.manualSeed(0);
      const runner = c.myelin(API);
      if ('skip' in runner) throw new Error(`${c.id}: ${runner.skip}`);
      return runner;
    },
  };
}

/** `c = a @ b` for random n×n float32 matrices; the previous product is freed at each step. */
export function matmulWorkload(n: number): Workload {
  return fromBench(matmulCase(n), `matmul n=${n}`, 'GFLOP/s');
}

/** Conv 5×5×8, ReLU, max-pool 2, conv 5×5×16, ReLU, max-pool 2, flatten, linear 256→10 on 1×28×28. */
export const lenetWorkload: Workload = fromBench(
  lenetTrain.cases({ quick: false })[0] as BenchCase,
  'LeNet-style CNN train, batch 64',
  'samples/s',
);

/** Linear 784→128, ReLU, 128→64, ReLU, 64→10. */
export const mlpWorkload: Workload = fromBench(
  mlpTrain.cases({ quick: false })[0] as BenchCase,
  'MLP 784-128-64-10 train, batch 64',
  'samples/s',
);

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
