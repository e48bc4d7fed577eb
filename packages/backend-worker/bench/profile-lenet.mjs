import * as core from '@myelin/core';
import { createCpuBackend } from '../../backend-cpu/dist/index.js';
import { createWorkerBackend } from '../dist/index.js';

const which = process.argv[2];
const be =
  which === 'cpu' ? createCpuBackend() : await createWorkerBackend(JSON.parse(process.argv[3] ?? '{}'));
const prof = new Map();
const kernels = be.kernels;
const wrapped = {};
for (const [name, fn] of Object.entries(kernels)) {
  wrapped[name] = (inputs, attrs, out, b) => {
    const t = performance.now();
    const r = fn(inputs, attrs, out, b);
    const dt = performance.now() - t;
    const key = `${name}${attrs?.op ? `:${attrs.op}` : ''} ${JSON.stringify(out.shape)}`;
    const e = prof.get(key) ?? { n: 0, ms: 0 };
    e.n++;
    e.ms += dt;
    prof.set(key, e);
    return r;
  };
}
Object.defineProperty(be, 'kernels', { value: wrapped });
core.registerBackend('x', () => be);
await core.setBackend('x');
const B = 64;
core.manualSeed(1);
const init = (shape, fanIn) => core.keep(core.randn(shape, { std: Math.sqrt(2 / fanIn) }));
let params = [
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
for (let i = 0; i < 5; i++) step();
prof.clear();
const N = 20;
const t = performance.now();
for (let i = 0; i < N; i++) step();
const total = (performance.now() - t) / N;
let kt = 0;
const rows = [...prof.entries()].map(([k, v]) => [k, v.n / N, v.ms / N]).sort((a, b) => b[2] - a[2]);
for (const [, , ms] of rows) kt += ms;
console.log(
  which,
  'step ms',
  total.toFixed(2),
  'kernels ms',
  kt.toFixed(2),
  'outside kernels',
  (total - kt).toFixed(2),
);
for (const [k, n, ms] of rows.slice(0, 25)) console.log(ms.toFixed(3).padStart(8), String(n).padStart(4), k);
if (be.stats) console.log(JSON.stringify(be.stats()), JSON.stringify(be.memory()));
await be.dispose?.();
