// Saves checkpoints in a loop until killed (used by checkpoint.test.ts). Every weight of the model
// equals the step number, so a torn or mixed file would be visible. Needs the built dist (turbo builds
// before testing).
import { CpuBackend } from '@myelin/backend-cpu';
import { full, registerBackend, setBackend, tidy } from '@myelin/core';
import { Linear, Sequential } from '../dist/index.js';
import { saveCheckpoint } from '../dist/node.js';

registerBackend('cpu', () => new CpuBackend());
await setBackend('cpu');
const [path, start] = process.argv.slice(2);
let step = Number(start ?? 0);
// About 0.5 MB of weights: a write takes long enough for kills to land in the middle of it.
const model = new Sequential(new Linear(256, 480), new Linear(480, 16));
for (;;) {
  step += 1;
  for (const p of model.parameters()) tidy(() => p.assign(full(p.shape, step)));
  await saveCheckpoint(path, { model, step, meta: { step } });
  process.stdout.write(`saved ${step}\n`);
}
