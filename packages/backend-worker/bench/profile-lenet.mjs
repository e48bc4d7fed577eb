// Where the time of a LeNet training step goes, kernel by kernel, on the CPU and the worker backend
// (same process, alternating blocks of steps). After `pnpm build`: node bench/profile-lenet.mjs
import * as core from '@myelin/core';
import { createCpuBackend } from '../../backend-cpu/dist/index.js';
import { createWorkerBackend } from '../dist/index.js';

const backends = { cpu: createCpuBackend(), worker: await createWorkerBackend() };
const prof = { cpu: new Map(), worker: new Map() };
for (const [name, be] of Object.entries(backends)) {
  const wrapped = {};
  for (const [k, fn] of Object.entries(be.kernels)) {
    wrapped[k] = (inputs, attrs, out, b) => {
      const t = performance.now();
      const r = fn(inputs, attrs, out, b);
      const key = `${k}${attrs?.op ? `:${attrs.op}` : ''} ${JSON.stringify(out.shape)}`;
      const e = prof[name].get(key) ?? { n: 0, ms: 0 };
      e.n++;
      e.ms += performance.now() - t;
      prof[name].set(key, e);
      return r;
    };
  }
  Object.defineProperty(be, 'kernels', { value: wrapped });
  core.registerBackend(name, () => be);
}

const B = 64;
function model() {
  core.manualSeed(1);
  const init = (shape, fanIn) => core.keep(core.randn(shape, { std: Math.sqrt(2 / fanIn) }));
  return [
    init([6, 1, 5, 5], 25),
    core.keep(core.zeros([6])),
    init([16, 6, 5, 5], 150),
    core.keep(core.zeros([16])),
    init([256, 120], 256),
    core.keep(core.zeros([120])),
    init([120, 84], 120),
    core.keep(core.zeros([84])),
    init([84, 10], 84),
    core.keep(core.zeros([10])),
  ];
}
await core.setBackend('cpu');
let params = model();
const x = core.keep(core.randn([B, 1, 28, 28], { seed: 2 }));
const labels = core.keep(
  core.oneHot(
    core.tensor(
      Array.from({ length: B }, (_, i) => (i * 7) % 10),
      { dtype: 'int32' },
    ),
    10,
  ),
);
const lossOf = (c1, b1, c2, b2, w3, b3, w4, b4, w5, b5) => {
  let h = core.maxPool2d(core.relu(core.conv2d(x, c1, b1)), 2);
  h = core.maxPool2d(core.relu(core.conv2d(h, c2, b2)), 2);
  h = core.reshape(h, [B, 256]);
  h = core.relu(core.add(core.matmul(h, w3), b3));
  h = core.relu(core.add(core.matmul(h, w4), b4));
  const logits = core.add(core.matmul(h, w5), b5);
  return core.neg(core.sum(core.mul(core.logSoftmax(logits), labels))).div(B);
};
const vg = core.valueAndGrad(lossOf);
const step = () => {
  const next = core.tidy(() => {
    const { grads } = vg(...params);
    return params.map((p, i) => core.keep(core.sub(p, core.mul(grads[i], 0.01))));
  });
  for (const p of params) p.dispose();
  params = next;
};

const total = { cpu: 0, worker: 0 };
const STEPS = 10;
for (let round = 0; round < 5; round++) {
  for (const name of ['cpu', 'worker']) {
    await core.setBackend(name);
    for (let i = 0; i < 3; i++) step();
    if (round === 0) {
      prof[name].clear();
      continue;
    }
    const t = performance.now();
    for (let i = 0; i < STEPS; i++) step();
    total[name] += performance.now() - t;
  }
}
const steps = 4 * STEPS;
const rows = [...prof.cpu.entries()].map(([k, v]) => {
  const w = prof.worker.get(k);
  return { k, n: v.n / steps, cpu: v.ms / steps, worker: (w?.ms ?? 0) / steps };
});
rows.sort((a, b) => b.cpu - a.cpu);
const sum = (key) => rows.reduce((s, r) => s + r[key], 0);
console.log(
  `step: cpu ${(total.cpu / steps).toFixed(2)} ms, worker ${(total.worker / steps).toFixed(2)} ms, speedup ${(total.cpu / total.worker).toFixed(2)}×`,
);
console.log(`in kernels: cpu ${sum('cpu').toFixed(2)} ms, worker ${sum('worker').toFixed(2)} ms`);
console.log('    cpu ms  worker ms  ratio  per step  kernel [output shape]');
for (const r of rows.slice(0, 30)) {
  console.log(
    `${r.cpu.toFixed(3).padStart(10)} ${r.worker.toFixed(3).padStart(10)} ${(r.cpu / r.worker).toFixed(2).padStart(6)} ${String(r.n).padStart(9)}  ${r.k}`,
  );
}
console.log(JSON.stringify(backends.worker.stats()));
await backends.worker.dispose();
