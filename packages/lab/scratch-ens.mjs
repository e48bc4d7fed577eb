import { registerCpuBackend } from '@myelin/backend-cpu';
import { setBackend, manualSeed, tensor, tidy, argmax, equal, cast, mean, softmax, add, div, noGrad } from '@myelin/core';
import { Sequential, Linear, ReLU, crossEntropy } from '@myelin/layers';
import { SGD, Adam } from '@myelin/optim';
import { moons } from '@myelin/data';
registerCpuBackend(); await setBackend('cpu');
const accOf = async (p, y) => { const a = tidy(() => mean(cast(equal(argmax(p, -1), y), 'float32'))); return (await a.data())[0]; };
const N = Number(process.env.N ?? 40), noise = Number(process.env.NOISE ?? 0.3), epochs = Number(process.env.E ?? 300), K = 5, W = Number(process.env.W ?? 128);
for (const seed of [0, 1, 2, 3]) {
  const tr = moons(N, noise, seed * 2 + 1), te = moons(1000, noise, seed * 2 + 2);
  const x = tensor(tr.x, { shape: [N, 2] }), y = tensor(tr.y, { shape: [N], dtype: 'int32' });
  const xt = tensor(te.x, { shape: [1000, 2] }), yt = tensor(te.y, { shape: [1000], dtype: 'int32' });
  const accs = []; let sum = null;
  for (let k = 0; k < K; k++) {
    manualSeed(seed * 100 + k);
    const m = new Sequential(new Linear(2, W), new ReLU(), new Linear(W, W), new ReLU(), new Linear(W, 2));
    const opt = process.env.ADAM ? new Adam(m.parameters(), { lr: 1e-2 }) : new SGD(m.parameters(), { lr: 0.1, momentum: 0.9 });
    for (let e = 0; e < epochs; e++) tidy(() => { opt.zeroGrad(); crossEntropy(m.forward(x), y).backward(); opt.step(); });
    const p = noGrad(() => softmax(m.forward(xt), -1));
    accs.push(await accOf(p, yt)); sum = sum ? add(sum, p) : p;
  }
  const ens = await accOf(div(sum, K), yt);
  const mean_ = accs.reduce((a, b) => a + b) / K;
  console.log(`seed ${seed}: members ${accs.map((a) => a.toFixed(3)).join(' ')} mean ${mean_.toFixed(3)} best ${Math.max(...accs).toFixed(3)} ens ${ens.toFixed(3)}`);
}
