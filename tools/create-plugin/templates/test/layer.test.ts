/** The layer in a model that trains. */
import { createCpuBackend } from '@myelin/backend-cpu';
import { manualSeed, randn, registerBackend, setBackend, tidy } from '@myelin/core';
import { Linear, mseLoss, Sequential } from '@myelin/layers';
import { SGD } from '@myelin/optim';
import { beforeAll, expect, it } from 'vitest';
import { __OP_PASCAL__, register } from '../src/index.js';

beforeAll(async () => {
  registerBackend('cpu', createCpuBackend);
  register();
  await setBackend('cpu');
});

it('trains: the loss falls through the layer', () => {
  manualSeed(1);
  const model = new Sequential(new Linear(3, 8), new __OP_PASCAL__(), new Linear(8, 1));
  const x = randn([32, 3]);
  const y = tidy(() => x.sum(1, true).mul(0.3));
  const opt = new SGD(model.parameters(), { lr: 0.1 });
  const step = (): number =>
    tidy(() => {
      opt.zeroGrad();
      const loss = mseLoss(model.forward(x), y);
      loss.backward();
      opt.step();
      return loss.dataSync()[0] as number;
    });
  const first = step();
  let last = first;
  for (let i = 0; i < 40; i++) last = step();
  expect(last).toBeLessThan(first);
  opt.zeroGrad();
  model.dispose();
  x.dispose();
  y.dispose();
});
