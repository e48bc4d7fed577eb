import { setBackend, manualSeed, tensor, tidy, gather, slice, argmax, equal, cast, noGrad } from '@myelin/core';
import { Sequential, Linear, ReLU, crossEntropy } from '@myelin/layers';
import { Adam } from '@myelin/optim';
import { spiral, permutation } from '@myelin/data';
import { surveyBackends } from './backends';

async function run() {
  const infos = await surveyBackends();
  postMessage({ infos: infos.map(i => ({...i})), isolated: crossOriginIsolated });
  for (const b of ['cpu', 'worker', 'webgpu']) {
    if (!infos.find(i => i.name === b)?.available) continue;
    await setBackend(b);
    manualSeed(0);
    const tr = spiral(200, 3, 0.2, 1), te = spiral(100, 3, 0.2, 2);
    const X = tensor(tr.x, { shape: [tr.n, 2] }), Y = tensor(tr.y, { shape: [tr.n], dtype: 'int32' });
    const Xt = tensor(te.x, { shape: [te.n, 2] }), Yt = tensor(te.y, { shape: [te.n], dtype: 'int32' });
    const model = new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, 32), new ReLU(), new Linear(32, 3));
    const opt = new Adam(model.parameters(), { lr: 0.01 });
    const bs = 32; let step = 0; const t0 = performance.now();
    for (let ep = 0; ep < 10; ep++) {
      const perm = tensor(Int32Array.from(permutation(tr.n, ep)), { dtype: 'int32' });
      for (let i = 0; i + bs <= tr.n; i += bs) {
        const l = tidy(() => { const idx = slice(perm, [i], [i + bs]); const xb = gather(X, idx), yb = gather(Y, idx);
          opt.zeroGrad(); const loss = crossEntropy(model.forward(xb), yb); loss.backward(); opt.step(); return loss; });
        await l.data(); l.dispose();
        step++;
      }
      perm.dispose();
    }
    const acc = await noGrad(() => tidy(() => cast(equal(argmax(model.forward(Xt), 1), Yt), 'float32').mean())).data();
    postMessage({ backend: b, steps: step, acc: acc[0], msPerStep: (performance.now() - t0) / step });
  }
  postMessage({ done: true });
}
run().catch((e) => postMessage({ error: String(e?.stack ?? e) }));
