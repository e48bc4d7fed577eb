import { registerCpuBackend } from '@myelin/backend-cpu';
import { setBackend, manualSeed, tensor, tidy, slice, matmul, randn } from '@myelin/core';
import { Sequential, Linear, ReLU, crossEntropy } from '@myelin/layers';
import { SGD, Adam } from '@myelin/optim';
import { digits } from '@myelin/data';
registerCpuBackend(); await setBackend('cpu');
manualSeed(0);
const d = await digits();
const X = tensor(d.x, { shape: [d.n, 64] }); const Y = tensor(d.y, { shape: [d.n], dtype: 'int32' });
const model = new Sequential(new Linear(64, 64), new ReLU(), new Linear(64, 10));
const opt = new SGD(model.parameters(), { lr: 1e-1 });
const bs = 64;
for (let ep = 0; ep < 4; ep++) {
  let t0 = performance.now();
  for (let i = 0; i < d.n; i += bs) {
    tidy(() => { const xb = slice(X, [i], [Math.min(i + bs, d.n)]); const yb = slice(Y, [i], [Math.min(i + bs, d.n)]);
      opt.zeroGrad(); const l = crossEntropy(model.forward(xb), yb); l.backward(); opt.step(); });
  }
  console.log('epoch', (performance.now() - t0).toFixed(0), 'ms');
}
let t0 = performance.now();
for (let i = 0; i < 100; i++) tidy(() => { const xb = slice(X, [0], [64]); model.forward(xb); });
console.log('fwd', ((performance.now() - t0) / 100).toFixed(2), 'ms');
const a = randn([64, 64]); t0 = performance.now();
for (let i = 0; i < 1000; i++) tidy(() => a.add(a));
console.log('add 64x64', ((performance.now() - t0) / 1000 * 1000).toFixed(1), 'us');
const big = randn([64, 1000]); t0 = performance.now();
for (let i = 0; i < 100; i++) tidy(() => big.add(big));
console.log('add 64000', ((performance.now() - t0) / 100 * 1000).toFixed(1), 'us');
t0 = performance.now();
for (let i = 0; i < 1000; i++) tidy(() => matmul(a, a));
console.log('matmul 64', ((performance.now() - t0) / 1000 * 1000).toFixed(1), 'us');
