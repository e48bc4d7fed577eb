/** The `GELU` and `Swish` layers in a `@myelin/layers` model: training, state dicts, description. */
import { createCpuBackend } from '@myelin/backend-cpu';
import {
  manualSeed,
  memory,
  randn,
  registerBackend,
  setBackend,
  sin,
  type Tensor,
  tensor,
  tidy,
} from '@myelin/core';
import { Linear, mseLoss, Sequential } from '@myelin/layers';
import { SGD } from '@myelin/optim';
import { beforeAll, describe, expect, it } from 'vitest';
import { GELU, gelu, registerGeluPlugin, SiLU, Swish, swish } from '../src/index.js';

beforeAll(async () => {
  registerBackend('cpu', createCpuBackend);
  registerGeluPlugin();
  await setBackend('cpu');
});

async function values(t: Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

describe('GELU and Swish layers', () => {
  it('compute the same as the ops', async () => {
    const x = tensor([-2, -0.5, 0, 0.5, 2]);
    expect(await values(new GELU().forward(x))).toEqual(await values(gelu(x)));
    expect(await values(new GELU('tanh').forward(x))).toEqual(await values(gelu(x, { approximate: 'tanh' })));
    expect(await values(new Swish().forward(x))).toEqual(await values(swish(x)));
    expect(SiLU).toBe(Swish);
    x.dispose();
  });

  it('describe themselves: the approximation is part of the architecture', () => {
    const model = new Sequential(new Linear(2, 3), new GELU('tanh'), new Linear(3, 1), new Swish());
    expect(model.spec().children.map((c) => [c.type, c.config])).toEqual([
      ['Linear', expect.anything()],
      ['GELU', { approximate: 'tanh' }],
      ['Linear', expect.anything()],
      ['Swish', {}],
    ]);
    expect(String(model)).toContain('GELU');
    model.dispose();
  });

  it('train a small regression: the loss falls and memory stays flat', async () => {
    manualSeed(3);
    const model = new Sequential(
      new Linear(3, 16),
      new GELU(),
      new Linear(16, 16),
      new Swish(),
      new Linear(16, 1),
    );
    const x = randn([64, 3]);
    const y = tidy(() => sin(x.sum(1, true).mul(0.5)));
    const opt = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
    const step = (): number =>
      tidy(() => {
        opt.zeroGrad();
        const loss = mseLoss(model.forward(x), y);
        loss.backward();
        opt.step();
        return loss.dataSync()[0] as number;
      });
    const first = step();
    const tensorsAfterFirst = memory().tensors;
    let last = first;
    for (let i = 0; i < 60; i++) last = step();
    expect(last).toBeLessThan(first * 0.5);
    expect(memory().tensors).toBe(tensorsAfterFirst);
    // Every parameter got a gradient through both activations.
    for (const p of model.parameters()) expect(p.grad).toBeTruthy();
    opt.zeroGrad();
    model.dispose();
    x.dispose();
    y.dispose();
  });
});
