/** Optimiser mechanics: in-place updates, zeroGrad, memory, state dicts, groups, validation, clipping. */
import { memory, type Tensor, tensor, tidy } from '@myelin/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, AdamW, CosineAnnealingLR, clipGradValue_, RMSprop, SGD, StepLR } from '../src/index.js';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

function quadratic(p: Tensor): void {
  // loss = Σ (p - 3)²: its gradient 2(p - 3) drives p towards 3.
  tidy(() => p.sub(3).square().sum().backward());
}

describe('optimisers', () => {
  it('update parameters in place (same tensor) and converge on a quadratic', async () => {
    for (const make of [
      (p: Tensor[]) => new SGD(p, { lr: 0.1, momentum: 0.5 }),
      (p: Tensor[]) => new Adam(p, { lr: 0.3 }),
      (p: Tensor[]) => new AdamW(p, { lr: 0.3, weightDecay: 0 }),
      (p: Tensor[]) => new RMSprop(p, { lr: 0.05 }),
    ]) {
      const p = tensor([0, 10], { requiresGrad: true });
      const opt = make([p]);
      for (let i = 0; i < 200; i++) {
        opt.zeroGrad();
        quadratic(p);
        opt.step();
      }
      const v = Array.from(await p.data());
      expect(v[0]).toBeCloseTo(3, 1);
      expect(v[1]).toBeCloseTo(3, 1);
      expect(p.requiresGrad).toBe(true);
      opt.dispose();
    }
  });

  it('zeroGrad disposes the gradients; step skips parameters without one', async () => {
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([1], { requiresGrad: true });
    const opt = new SGD([a, b], { lr: 1 });
    quadratic(a);
    const g = a.grad as Tensor;
    opt.step();
    expect(await a.item()).toBe(5);
    expect(await b.item()).toBe(1);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
    expect(g.isDisposed).toBe(true);
  });

  it('memory is flat across steps (state tensors are made once and updated in place)', () => {
    const p = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    for (const opt of [
      new SGD([p], { lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 0.1 }),
      new Adam([p], { amsgrad: true, weightDecay: 0.1 }),
      new AdamW([p]),
      new RMSprop([p], { centered: true, momentum: 0.5 }),
    ]) {
      const counts: number[] = [];
      const bytes: number[] = [];
      for (let i = 0; i < 30; i++) {
        opt.zeroGrad();
        quadratic(p);
        opt.step();
        counts.push(memory().tensors);
        bytes.push(memory().bytes);
      }
      expect(counts[29]).toBe(counts[2]);
      expect(bytes[29]).toBe(bytes[2]);
      opt.zeroGrad();
      opt.dispose();
    }
  });

  it('stateDict → JSON → loadStateDict continues exactly like the original', async () => {
    const run = async (split: boolean): Promise<number[]> => {
      const p = tensor([0.5, -1, 2], { requiresGrad: true });
      let opt = new Adam([p], { lr: 0.1, amsgrad: true });
      for (let i = 0; i < 10; i++) {
        if (split && i === 5) {
          const saved = JSON.parse(JSON.stringify(await opt.stateDict()));
          opt.dispose();
          opt = new Adam([p], { lr: 0.7 });
          opt.loadStateDict(saved);
          expect(opt.lr).toBe(0.1);
          expect(opt.paramGroups[0]?.amsgrad).toBe(true);
        }
        opt.zeroGrad();
        quadratic(p);
        opt.step();
      }
      return Array.from(await p.data());
    };
    expect(await run(true)).toEqual(await run(false));
  });

  it('stateDict uses PyTorch state names and parameter indices', async () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
    quadratic(p);
    opt.step();
    const sd = await opt.stateDict();
    expect(sd.type).toBe('SGD');
    expect(Object.keys(sd.state)).toEqual(['0']);
    expect(Object.keys(sd.state['0']?.tensors ?? {})).toEqual(['momentum_buffer']);
    expect(sd.paramGroups[0]?.params).toEqual([0]);
  });

  it('loadStateDict rejects another optimiser type, wrong shapes and counts, and changes nothing then', async () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const adam = new Adam([p]);
    quadratic(p);
    adam.step();
    const sd = await adam.stateDict();
    expect(() => new SGD([p]).loadStateDict(sd as never)).toThrow(/saved by Adam, not SGD/);
    const q = tensor([1, 2, 3], { requiresGrad: true });
    expect(() => new Adam([q]).loadStateDict(sd)).toThrow(/has shape \[2\].*parameter 0 is \[3\]/);
    expect(() => new Adam([p, q]).loadStateDict(sd)).toThrow(/1 parameters in the state, 2 here/);
    const fresh = new Adam([p], { lr: 0.5 });
    expect(() =>
      fresh.loadStateDict({
        ...sd,
        state: { '0': { step: 1, tensors: { exp_avg: { shape: [2], data: [1] } } } },
      }),
    ).toThrow();
    expect(fresh.lr).toBe(0.5);
  });

  it('parameter groups keep their own hyperparameters', async () => {
    const a = tensor([0], { requiresGrad: true });
    const b = tensor([0], { requiresGrad: true });
    const opt = new SGD([{ params: [a] }, { params: [b], lr: 1 }], { lr: 0.1 });
    quadratic(a);
    quadratic(b);
    opt.step();
    expect(await a.item()).toBeCloseTo(0.6, 6);
    expect(await b.item()).toBeCloseTo(6, 6);
    opt.lr = 0.2;
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.2, 0.2]);
  });

  it('rejects bad hyperparameters and parameters with clear errors', () => {
    const p = tensor([1], { requiresGrad: true });
    expect(() => new SGD([p], { lr: -1 })).toThrow(/lr must be ≥ 0/);
    expect(() => new SGD([p], { nesterov: true })).toThrow(/Nesterov momentum requires/);
    expect(() => new Adam([p], { betas: [1, 0.9] })).toThrow(/betas\[0\]/);
    expect(() => new RMSprop([p], { alpha: -1 })).toThrow(/alpha/);
    expect(() => new SGD([])).toThrow(/empty parameter list/);
    expect(() => new SGD([p, p])).toThrow(/more than once/);
    expect(() => new SGD([tensor([1], { dtype: 'int32' })])).toThrow(/float32/);
  });
});

describe('schedules and clipping', () => {
  it('two schedulers on one optimiser start from the same base rate; state round-trips', () => {
    const opt = new SGD([tensor([0])], { lr: 1 });
    const s = new StepLR(opt, 2, 0.1);
    s.step();
    s.step();
    expect(opt.lr).toBeCloseTo(0.1, 12);
    const c = new CosineAnnealingLR(opt, 4);
    expect(c.baseLrs).toEqual([1]);
    const saved = s.stateDict();
    const s2 = new StepLR(opt, 2, 0.1);
    s2.loadStateDict(saved);
    expect(opt.lr).toBeCloseTo(0.1, 12);
    expect(() => new StepLR(opt, 0)).toThrow(/stepSize/);
  });

  it('clipGradValue_ clamps every gradient element', async () => {
    const p = tensor([0, 0, 0], { requiresGrad: true });
    p.grad = tensor([-3, 0.2, 5]);
    clipGradValue_([p], 1);
    expect(Array.from(await (p.grad as Tensor).data()).map((v) => +v.toFixed(6))).toEqual([-1, 0.2, 1]);
  });
});
