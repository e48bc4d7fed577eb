/**
 * Switching backends at run time (docs/runtime-switching.md): build a model on the CPU backend, train a
 * few steps, move to the worker backend — and to WebGPU where an adapter exists — and keep training;
 * save a checkpoint; reload it into a fresh model on another backend; check both predict the same.
 *
 * Prints one line per phase and, last, `RESULT {...}` as JSON; exits 1 if a check fails.
 * Set MYELIN_SKIP_WEBGPU=1 to leave WebGPU out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCpuBackend } from '@myelin/backend-cpu';
import { createWebGpuBackend } from '@myelin/backend-webgpu';
import { createWorkerBackend } from '@myelin/backend-worker';
import {
  getBackendName,
  manualSeed,
  noGrad,
  randn,
  registerBackend,
  removeBackend,
  setBackend,
  sin,
  type Tensor,
  tidy,
} from '@myelin/core';
import { Linear, type Module, mseLoss, Sequential } from '@myelin/layers';
import { loadCheckpoint, saveCheckpoint } from '@myelin/layers/node';
import { Adam } from '@myelin/optim';
import { GELU, registerGeluPlugin } from '@myelin/plugin-gelu';

// 1. Register every backend the app may use (creating one is lazy) and the plugins' kernels.
registerBackend('cpu', createCpuBackend, { priority: 1 });
registerBackend('worker', () => createWorkerBackend({ threads: 2 }), { priority: 2 });
registerBackend('webgpu', () => createWebGpuBackend(), { priority: 3 });
registerGeluPlugin();

const makeModel = (): Module => new Sequential(new Linear(2, 32), new GELU(), new Linear(32, 1));

// 2. Build the model and the data on the CPU.
await setBackend('cpu');
manualSeed(0);
const x = randn([128, 2]);
const y = tidy(() => sin(x.sum(1, true)));
const model = makeModel();
const optimizer = new Adam(model.parameters(), { lr: 0.01 });

/** A few Adam steps on whichever backend is active; returns the last loss. */
async function train(steps: number): Promise<number> {
  let last = Number.NaN;
  for (let i = 0; i < steps; i++) {
    const loss = tidy(() => {
      optimizer.zeroGrad();
      const l = mseLoss(model.forward(x), y);
      l.backward();
      optimizer.step();
      return l;
    });
    last = (await loss.data())[0] as number; // an async read works on every backend (WebGPU included)
    loss.dispose();
  }
  return last;
}

async function predict(m: Module, inputs: Tensor): Promise<Float32Array> {
  const out = noGrad(() => m.forward(inputs));
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}

const losses: Record<string, number> = {};
const first = await train(1);
losses.cpu = await train(10);
console.log(`cpu: loss ${first.toFixed(4)} -> ${losses.cpu.toFixed(4)}`);

// 3. Switch while training: every live tensor (weights, Adam's moments, the data) moves on `await setBackend`.
await setBackend('worker');
losses.worker = await train(10);
console.log(`worker: loss ${losses.worker.toFixed(4)}`);

let webgpu = 'skipped: MYELIN_SKIP_WEBGPU=1';
if (process.env.MYELIN_SKIP_WEBGPU !== '1') {
  try {
    await setBackend('webgpu');
    losses.webgpu = await train(10);
    webgpu = 'used';
    console.log(`webgpu: loss ${losses.webgpu.toFixed(4)}`);
  } catch (e) {
    // No adapter here: stay on the worker backend and say why.
    webgpu = `skipped: ${(e as Error).message}`;
    console.log(`webgpu ${webgpu}`);
  }
}
const trainedOn = getBackendName() as string;
const expected = await predict(model, x);

// 4. Save, then reload into a fresh model on another backend.
const dir = mkdtempSync(join(tmpdir(), 'myelin-switch-'));
const file = join(dir, 'model.safetensors');
await saveCheckpoint(file, { model, optimizer, step: 31 });
const reloadOn = trainedOn === 'cpu' ? 'worker' : 'cpu';
await setBackend(reloadOn);
const restored = makeModel();
const restoredOptimizer = new Adam(restored.parameters(), { lr: 0.01 });
const checkpoint = await loadCheckpoint(file, { model: restored, optimizer: restoredOptimizer });
rmSync(dir, { recursive: true, force: true });
const actual = await predict(restored, x);

let maxDiff = 0;
for (let i = 0; i < expected.length; i++) {
  maxDiff = Math.max(maxDiff, Math.abs((actual[i] as number) - (expected[i] as number)));
}
console.log(
  `reloaded on ${reloadOn} (trained last on ${trainedOn}): max |difference| ${maxDiff.toExponential(2)}`,
);

// 5. Clean up: leave the thread pool and the GPU device, so the process can end.
for (const m of [model, restored]) m.dispose();
for (const t of [x, y]) t.dispose();
await setBackend('cpu');
await removeBackend('worker');
await removeBackend('webgpu');

const ok = losses.worker < first && maxDiff < 1e-4 && checkpoint.step === 31;
console.log(`RESULT ${JSON.stringify({ ok, first, losses, webgpu, trainedOn, reloadOn, maxDiff })}`);
process.exitCode = ok ? 0 : 1;
