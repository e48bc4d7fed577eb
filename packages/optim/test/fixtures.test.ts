/** Optimisers, schedules and clipping against PyTorch (tools/fixtures/layers.py). */
import { type Tensor, tensor } from '@myelin/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Adam,
  AdamW,
  CosineAnnealingLR,
  clipGradNorm_,
  ExponentialLR,
  LinearWarmup,
  type LRScheduler,
  type Optimizer,
  RMSprop,
  SGD,
  StepLR,
} from '../src/index.js';
import { expectClose, type FixtureTensor, fromFixture, loadFixture, useCpu, worst } from './helpers.js';

interface OptimizerCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop';
  options: Record<string, unknown>;
  params: FixtureTensor[];
  grads: FixtureTensor[][];
  trajectory: FixtureTensor[][];
}
interface ScheduleCase {
  name: string;
  scheduler: string;
  args: number[];
  baseLr: number;
  lrs: number[];
}
interface ClipCase {
  name: string;
  maxNorm: number;
  normType: number | 'Infinity';
  grads: FixtureTensor[];
  clipped: FixtureTensor[];
  totalNorm: number;
}

const file = loadFixture<{ cases: OptimizerCase[]; schedules: ScheduleCase[]; clip: ClipCase[] }>(
  'optimizers.json',
);

// biome-ignore lint/suspicious/noExplicitAny: constructors of different option types
const OPTIMIZERS: Record<string, new (params: Tensor[], options: any) => Optimizer<{ lr: number }>> = {
  SGD,
  Adam,
  AdamW,
  RMSprop,
};

beforeAll(useCpu);

describe('optimiser trajectories match PyTorch (5 steps, fixed gradients)', () => {
  for (const c of file.cases) {
    it(c.name, async () => {
      const params = c.params.map((p) => fromFixture(p, true));
      const Opt = OPTIMIZERS[c.optimizer] as (typeof OPTIMIZERS)[string];
      const opt = new Opt(params, c.options);
      for (const [s, grads] of c.grads.entries()) {
        params.forEach((p, i) => {
          p.grad = fromFixture(grads[i] as FixtureTensor);
        });
        opt.step();
        opt.zeroGrad();
        for (const [i, p] of params.entries()) {
          await expectClose(p, c.trajectory[s]?.[i] as FixtureTensor, `${c.name} step ${s + 1} param ${i}`, {
            rtol: 1e-5,
            atol: 1e-6,
          });
        }
      }
      opt.dispose();
    });
  }
});

function makeScheduler(c: ScheduleCase, opt: SGD): LRScheduler {
  const [a, b] = c.args as [number, number];
  switch (c.scheduler) {
    case 'StepLR':
      return new StepLR(opt, a, b);
    case 'ExponentialLR':
      return new ExponentialLR(opt, a);
    case 'CosineAnnealingLR':
      return new CosineAnnealingLR(opt, a, b);
    case 'LinearWarmup':
      return new LinearWarmup(opt, a, b);
    default:
      throw new Error(c.scheduler);
  }
}

describe('learning-rate schedules match PyTorch', () => {
  for (const c of file.schedules) {
    it(c.name, () => {
      const opt = new SGD([tensor([0])], { lr: c.baseLr });
      const sched = makeScheduler(c, opt);
      const lrs = [opt.lr];
      for (let i = 1; i < c.lrs.length; i++) {
        sched.step();
        lrs.push(sched.getLastLr()[0] as number);
      }
      for (const [i, lr] of lrs.entries())
        expect(lr, `${c.name} after ${i} steps`).toBeCloseTo(c.lrs[i] as number, 12);
    });
  }
});

describe('gradient clipping matches PyTorch', () => {
  for (const c of file.clip) {
    it(c.name, async () => {
      const params = c.grads.map((g) => {
        const p = tensor(new Float32Array(g.data.length), { shape: g.shape, requiresGrad: true });
        p.grad = fromFixture(g);
        return p;
      });
      const total = clipGradNorm_(
        params,
        c.maxNorm,
        c.normType === 'Infinity' ? Number.POSITIVE_INFINITY : c.normType,
      );
      expect(await total.item()).toBeCloseTo(c.totalNorm, 4);
      for (const [i, p] of params.entries())
        await expectClose(p.grad, c.clipped[i] as FixtureTensor, `${c.name} grad ${i}`);
    });
  }
});

describe('report', () => {
  it('largest deviation from PyTorch in this file', () => {
    console.log(
      `optim vs PyTorch: max abs error ${worst.abs.toExponential(2)}, max rel error ${worst.rel.toExponential(2)}`,
    );
  });
});
