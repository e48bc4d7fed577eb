/** Layer behaviour beyond the fixtures: RReLU's random slopes, shapes, errors, penalties, ensembles. */
import { manualSeed, noGrad, type Tensor, tensor, tidy } from '@myelin/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BatchNorm1d,
  Conv2d,
  crossEntropy,
  Dropout,
  Ensemble,
  Flatten,
  Linear,
  l1Penalty,
  l2Penalty,
  MaxPool2d,
  mcDropoutPredict,
  mseLoss,
  ReLU,
  RReLU,
  Sequential,
} from '../src/index.js';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

describe('RReLU', () => {
  it('draws one slope per negative element in [lower, upper) while training, reproducibly', async () => {
    const x = tensor(new Float32Array(2000).fill(-1));
    const r = new RReLU(0.1, 0.3);
    manualSeed(3);
    const a = Array.from(await r.forward(x).data());
    manualSeed(3);
    const b = Array.from(await r.forward(x).data());
    expect(a).toEqual(b);
    const slopes = a.map((v) => -v);
    expect(Math.min(...slopes)).toBeGreaterThanOrEqual(0.1 - 1e-7);
    expect(Math.max(...slopes)).toBeLessThan(0.3);
    expect(new Set(slopes).size).toBeGreaterThan(1900);
    const mean = slopes.reduce((s, v) => s + v, 0) / slopes.length;
    expect(mean).toBeCloseTo(0.2, 1);
    expect(Array.from(await r.forward(tensor([2, 0.5])).data())).toEqual([2, 0.5]);
  });

  it('uses (lower+upper)/2 in evaluation', async () => {
    const r = new RReLU().eval();
    const y = Array.from(await r.forward(tensor([-1, 2])).data());
    expect(y[0]).toBeCloseTo(-(1 / 8 + 1 / 3) / 2, 6);
    expect(y[1]).toBe(2);
  });
});

describe('layer shapes and errors', () => {
  it('a small CNN maps [N,1,8,8] to [N,10]', () => {
    const m = new Sequential(
      new Conv2d(1, 4, 3, { padding: 1 }),
      new ReLU(),
      new MaxPool2d(2),
      new Flatten(),
      new Linear(64, 10),
    );
    const y = tidy(() => m.forward(tensor(new Float32Array(2 * 64), { shape: [2, 1, 8, 8] })));
    expect(y.shape).toEqual([2, 10]);
    m.dispose();
  });

  it('errors name the layer and the shapes', () => {
    const fc = new Linear(3, 2);
    expect(() => fc.forward(tensor([[1, 2]]))).toThrow(/Linear: expects input \[\.\.\., 3\], got \[1,2\]/);
    expect(() => new Conv2d(3, 2, 3).forward(tensor(new Float32Array(16), { shape: [1, 1, 4, 4] }))).toThrow(
      /Conv2d: expects 3 input channels/,
    );
    expect(() => new BatchNorm1d(2).forward(tensor([[1, 2]]))).toThrow(/more than 1 value per channel/);
    expect(() =>
      new BatchNorm1d(3).forward(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toThrow(/expects 3 channels/);
    expect(() => new Dropout(1.5)).toThrow(/p must be in \[0, 1\]/);
  });

  it('BatchNorm without running statistics uses batch statistics in evaluation too', async () => {
    const bn = new BatchNorm1d(1, { trackRunningStats: false, affine: false }).eval();
    const y = Array.from(await bn.forward(tensor([[1], [3]])).data());
    expect(y[0]).toBeCloseTo(-1, 3);
    expect(y[1]).toBeCloseTo(1, 3);
    expect(Object.keys(bn.stateDict())).toEqual([]);
  });
});

describe('losses: argument checks', () => {
  it('rejects mismatched shapes and dtypes with the loss name', () => {
    expect(() => mseLoss(tensor([1, 2]), tensor([1]))).toThrow(/mseLoss: input \[2\] and target \[1\]/);
    expect(() => crossEntropy(tensor([[1, 2]]), tensor([true]))).toThrow(
      /int32 class indices or float32 probabilities/,
    );
    expect(() => crossEntropy(tensor([[1, 2]]), tensor([0, 1], { dtype: 'int32' }))).toThrow(
      /target \[2\] does not match/,
    );
    expect(() => mseLoss(tensor([1]), tensor([1]), { reduction: 'avg' as never })).toThrow(
      /reduction must be/,
    );
  });
});

describe('regularisation', () => {
  it('l1Penalty and l2Penalty sum over the chosen parameters, scaled, with gradients', async () => {
    const a = tensor([1, -2], { requiresGrad: true });
    const b = tensor([[3]], { requiresGrad: true });
    const l1 = l1Penalty([a, b], 0.5);
    expect(await l1.item()).toBeCloseTo(3, 6);
    const l2 = l2Penalty([a, b], 0.1);
    expect(await l2.item()).toBeCloseTo(1.4, 6);
    l2.backward();
    expect(Array.from(await (a.grad as Tensor).data()).map((v) => +v.toFixed(6))).toEqual([0.2, -0.4]);
    expect(await l1Penalty([]).item()).toBe(0);
  });
});

describe('Ensemble and Monte-Carlo dropout', () => {
  it('Ensemble averages the members’ softmax probabilities', async () => {
    const a = new Linear(2, 3, { init: 'zeros' });
    const b = new Linear(2, 3, {
      init: { weight: 'zeros', bias: (s) => tensor([0, 0, Math.log(4)], { shape: s }) },
    });
    const ens = new Ensemble([a, b]);
    const p = Array.from(await noGrad(() => ens.forward(tensor([[1, 1]]))).data());
    // a: [1/3, 1/3, 1/3]; b: [1/6, 1/6, 4/6]
    expect(p[0]).toBeCloseTo(0.25, 5);
    expect(p[2]).toBeCloseTo(0.5, 5);
    expect(Object.keys(ens.stateDict())).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
  });

  it('mcDropoutPredict keeps dropout on, batch norm in eval, and restores the modes', async () => {
    manualSeed(0);
    const model = new Sequential(
      new Linear(4, 16),
      new BatchNorm1d(16),
      new ReLU(),
      new Dropout(0.5),
      new Linear(16, 3),
    );
    model.train();
    const x = tensor(
      new Float32Array(8).map((_, i) => i / 8),
      { shape: [2, 4] },
    );
    const { mean, std } = mcDropoutPredict(model, x, 20);
    expect(mean.shape).toEqual([2, 3]);
    const m = Array.from(await mean.data());
    expect(m[0]! + m[1]! + m[2]!).toBeCloseTo(1, 5);
    expect(Math.max(...Array.from(await std.data()))).toBeGreaterThan(0);
    expect(model.modules().every((mod) => mod.training)).toBe(true);
    // Without dropout every pass is the same: zero spread.
    const det = new Sequential(new Linear(4, 3));
    const r = mcDropoutPredict(det, x, 5);
    expect(Math.max(...Array.from(await r.std.data()))).toBeLessThan(1e-6);
    expect(() => mcDropoutPredict(det, x, 0)).toThrow(/passes/);
    for (const t of [mean, std, r.mean, r.std] as Tensor[]) t.dispose();
  });
});
