/** Layers and losses against PyTorch's values and gradients (tools/fixtures/layers.py). */
import { type Tensor, tensor } from '@myelin/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  Conv2d,
  crossEntropy,
  Flatten,
  init,
  LeakyReLU,
  Linear,
  LogSoftmax,
  MaxPool2d,
  type Module,
  mseLoss,
  nllLoss,
  PReLU,
  ReLU,
  RReLU,
  Sigmoid,
  Softmax,
  Tanh,
} from '../src/index.js';
import {
  expectClose,
  type FixtureTensor,
  fromFixture,
  loadFixture,
  numbers,
  useCpu,
  worst,
} from './helpers.js';

type Config = Record<string, unknown>;

interface LayerCase {
  name: string;
  layer: string;
  config: Config;
  training: boolean;
  params: Record<string, FixtureTensor>;
  input: FixtureTensor;
  output: FixtureTensor;
  cotangent: FixtureTensor;
  inputGrad: FixtureTensor;
  paramGrads: Record<string, FixtureTensor>;
}

interface BatchNormCase {
  name: string;
  layer: 'BatchNorm1d' | 'BatchNorm2d';
  config: { numFeatures: number; momentum: number | null; affine: boolean };
  params: Record<string, FixtureTensor>;
  steps: Array<{
    input: FixtureTensor;
    output: FixtureTensor;
    cotangent?: FixtureTensor;
    inputGrad?: FixtureTensor;
  }>;
  paramGrads: Record<string, FixtureTensor>;
  buffers: Record<string, FixtureTensor>;
  evalInput: FixtureTensor;
  evalOutput: FixtureTensor;
}

interface LayersFile {
  cases: LayerCase[];
  batchnorm: BatchNormCase[];
  dropout: { config: { p: number }; scale: FixtureTensor; zeroFraction: number; mean: number; size: number };
  gains: Record<string, number>;
}

interface LossCase {
  name: string;
  loss: string;
  options: Record<string, unknown>;
  inputs: FixtureTensor[];
  output: FixtureTensor;
  cotangent: FixtureTensor;
  grads: Array<FixtureTensor | null>;
  posWeight?: FixtureTensor;
}

const layersFile = loadFixture<LayersFile>('layers.json');
const lossesFile = loadFixture<{ cases: LossCase[] }>('losses.json');

type Pair = number | [number, number];

function build(layer: string, c: Config): Module {
  switch (layer) {
    case 'Linear':
      return new Linear(c.inFeatures as number, c.outFeatures as number, { bias: c.bias as boolean });
    case 'Conv2d':
      return new Conv2d(c.inChannels as number, c.outChannels as number, c.kernelSize as Pair, {
        stride: c.stride as Pair,
        padding: c.padding as Pair,
        dilation: c.dilation as Pair,
        bias: c.bias as boolean,
      });
    case 'MaxPool2d':
      return new MaxPool2d(c.kernelSize as Pair, {
        stride: c.stride as Pair | undefined,
        padding: c.padding as Pair,
      });
    case 'AvgPool2d':
      return new AvgPool2d(c.kernelSize as Pair, {
        stride: c.stride as Pair | undefined,
        padding: c.padding as Pair,
      });
    case 'Sigmoid':
      return new Sigmoid();
    case 'Tanh':
      return new Tanh();
    case 'ReLU':
      return new ReLU();
    case 'LeakyReLU':
      return new LeakyReLU(c.negativeSlope as number | undefined);
    case 'PReLU':
      return new PReLU(c.numParameters as number | undefined, { init: c.init as number | undefined });
    case 'RReLU':
      return new RReLU(c.lower as number | undefined, c.upper as number | undefined);
    case 'Softmax':
      return new Softmax(c.dim as number | undefined);
    case 'LogSoftmax':
      return new LogSoftmax(c.dim as number | undefined);
    case 'Flatten':
      return new Flatten();
    default:
      throw new Error(`no builder for ${layer}`);
  }
}

beforeAll(useCpu);

describe('layers match PyTorch', () => {
  for (const c of layersFile.cases) {
    it(c.name, async () => {
      const m = build(c.layer, c.config);
      // Parameter-free layers and PReLU keep their own init (checked against PyTorch's); others get the fixture's.
      if (c.layer === 'PReLU') {
        await expectClose(m.stateDict().weight, c.params.weight as FixtureTensor, `${c.name} init`);
      } else if (Object.keys(c.params).length > 0) {
        const params = Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, fromFixture(v)]));
        m.loadStateDict(params);
        for (const t of Object.values(params)) t.dispose();
      }
      m.train(c.training);
      const x = fromFixture(c.input, true);
      const y = m.forward(x);
      await expectClose(y, c.output, `${c.name} output`);
      const g = fromFixture(c.cotangent);
      y.backward(g);
      await expectClose(x.grad, c.inputGrad, `${c.name} input grad`);
      const named = Object.fromEntries(m.namedParameters());
      for (const [k, want] of Object.entries(c.paramGrads)) {
        await expectClose(named[k]?.grad, want, `${c.name} ${k} grad`);
      }
      for (const t of [x, y, g]) t.dispose();
      m.dispose();
    });
  }
});

describe('batch norm matches PyTorch (training steps, running statistics, evaluation)', () => {
  for (const c of layersFile.batchnorm) {
    it(c.name, async () => {
      const Cls = c.layer === 'BatchNorm1d' ? BatchNorm1d : BatchNorm2d;
      const m = new Cls(c.config.numFeatures, { momentum: c.config.momentum, affine: c.config.affine });
      const params = Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, fromFixture(v)]));
      m.loadStateDict(params, { strict: false });
      m.train();
      for (const [i, step] of c.steps.entries()) {
        const x = fromFixture(step.input, true);
        const y = m.forward(x);
        await expectClose(y, step.output, `${c.name} step ${i} output`, { atol: 1e-5, rtol: 1e-4 });
        if (step.cotangent) {
          y.backward(fromFixture(step.cotangent));
          await expectClose(x.grad, step.inputGrad as FixtureTensor, `${c.name} input grad`, {
            atol: 1e-5,
            rtol: 1e-4,
          });
          const named = Object.fromEntries(m.namedParameters());
          for (const [k, want] of Object.entries(c.paramGrads)) {
            await expectClose(named[k]?.grad, want, `${c.name} ${k} grad`, { atol: 1e-5, rtol: 1e-4 });
          }
        }
      }
      const sd = m.stateDict();
      await expectClose(sd.running_mean, c.buffers.running_mean as FixtureTensor, `${c.name} running_mean`);
      await expectClose(sd.running_var, c.buffers.running_var as FixtureTensor, `${c.name} running_var`, {
        rtol: 1e-5,
      });
      expect(sd.num_batches_tracked?.dtype).toBe('int32');
      await expectClose(
        sd.num_batches_tracked,
        c.buffers.num_batches_tracked as FixtureTensor,
        `${c.name} num_batches_tracked`,
      );
      m.eval();
      const ye = m.forward(fromFixture(c.evalInput));
      await expectClose(ye, c.evalOutput, `${c.name} eval output`, { atol: 1e-5, rtol: 1e-4 });
    });
  }
});

describe('dropout and initialisers follow PyTorch', () => {
  it('Dropout zeroes a fraction p and scales survivors by 1/(1-p), like PyTorch', async () => {
    const { p } = layersFile.dropout.config;
    const x = tensor(new Float32Array(layersFile.dropout.size).fill(1));
    const { Dropout } = await import('../src/index.js');
    const d = new Dropout(p);
    const y = Array.from(await d.forward(x).data());
    const zeros = y.filter((v) => v === 0).length / y.length;
    const scale = numbers(layersFile.dropout.scale)[0] as number;
    // Survivors are exactly 1/(1-p) in float32 (the fixture stores the shortest decimal of that float).
    expect(y.filter((v) => v !== 0).every((v) => v === Math.fround(scale))).toBe(true);
    // Five standard deviations of a binomial fraction over 20,000 draws.
    expect(Math.abs(zeros - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / y.length));
    expect(Math.abs(zeros - layersFile.dropout.zeroFraction)).toBeLessThan(0.02);
    d.eval();
    expect(d.forward(x)).toBe(x);
  });

  it('calculateGain equals PyTorch calculate_gain', () => {
    const g = layersFile.gains;
    expect(init.calculateGain('linear')).toBeCloseTo(g.linear as number, 12);
    expect(init.calculateGain('sigmoid')).toBeCloseTo(g.sigmoid as number, 12);
    expect(init.calculateGain('tanh')).toBeCloseTo(g.tanh as number, 12);
    expect(init.calculateGain('relu')).toBeCloseTo(g.relu as number, 12);
    expect(init.calculateGain('leaky_relu')).toBeCloseTo(g.leaky_relu as number, 12);
    expect(init.calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(g.leaky_relu_sqrt5 as number, 12);
    expect(init.calculateGain('selu')).toBeCloseTo(g.selu as number, 12);
  });
});

const LOSSES: Record<string, (a: Tensor, b: Tensor, o: Record<string, unknown>) => Tensor> = {
  mseLoss: (a, b, o) => mseLoss(a, b, o),
  crossEntropy: (a, b, o) => crossEntropy(a, b, o),
  nllLoss: (a, b, o) => nllLoss(a, b, o),
  binaryCrossEntropy: (a, b, o) => binaryCrossEntropy(a, b, o),
  binaryCrossEntropyWithLogits: (a, b, o) => binaryCrossEntropyWithLogits(a, b, o),
};

describe('losses match PyTorch', () => {
  for (const c of lossesFile.cases) {
    it(c.name, async () => {
      const inputs = c.inputs.map((f, i) => fromFixture(f, c.grads[i] !== null));
      const options: Record<string, unknown> = { ...c.options };
      if (c.posWeight) options.posWeight = fromFixture(c.posWeight);
      const fn = LOSSES[c.loss] as (typeof LOSSES)[string];
      const y = fn(inputs[0] as Tensor, inputs[1] as Tensor, options);
      await expectClose(y, c.output, `${c.name} output`, { atol: 1e-5, rtol: 1e-5 });
      const g = fromFixture(c.cotangent);
      y.backward(y.rank === 0 ? g.reshape([]) : g);
      for (const [i, want] of c.grads.entries()) {
        if (want) await expectClose(inputs[i]?.grad, want, `${c.name} grad ${i}`, { atol: 1e-6, rtol: 1e-5 });
      }
      for (const t of [...inputs, y, g, options.posWeight as Tensor | undefined]) t?.dispose();
    });
  }
});

describe('report', () => {
  it('largest deviation from PyTorch in this file', () => {
    console.log(
      `layers vs PyTorch: max abs error ${worst.abs.toExponential(2)}, max rel error ${worst.rel.toExponential(2)}`,
    );
  });
});
