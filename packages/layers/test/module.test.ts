/** Module bookkeeping: registration, discovery, state dicts, modes, summaries, disposal. */
import { manualSeed, memory, ones, relu, type Tensor, tensor, tidy, zeros } from '@myelin/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  Linear,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
  StateDictError,
} from '../src/index.js';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

class MLP extends Module {
  fc1 = new Linear(4, 8);
  act = new ReLU();
  fc2 = new Linear(8, 2);
  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.act.forward(this.fc1.forward(x)));
  }
}

class WithList extends Module {
  blocks = [new Linear(2, 2), new Linear(2, 2)];
  scale: Tensor;
  constructor() {
    super();
    this.scale = ones([2]).requiresGrad_();
  }
  forward(x: Tensor): Tensor {
    let y = x;
    for (const b of this.blocks) y = relu(b.forward(y));
    return y.mul(this.scale);
  }
}

describe('Module', () => {
  it('discovers child modules assigned to fields, in field order, with dotted names', () => {
    const m = new MLP();
    expect(m.namedParameters().map(([n]) => n)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    expect(m.children().length).toBe(3);
    expect(m.countParameters()).toBe(4 * 8 + 8 + 8 * 2 + 2);
    m.dispose();
  });

  it('discovers arrays of modules and tensor fields that require gradients', () => {
    const m = new WithList();
    expect(m.namedParameters().map(([n]) => n)).toEqual([
      'scale',
      'blocks.0.weight',
      'blocks.0.bias',
      'blocks.1.weight',
      'blocks.1.bias',
    ]);
    m.dispose();
  });

  it('Sequential names children 0, 1, ... and its state dict uses PyTorch keys, buffers included', () => {
    const m = new Sequential(new Linear(3, 4), new ReLU(), new BatchNorm1d(4), new Linear(4, 2));
    expect(Object.keys(m.stateDict())).toEqual([
      '0.weight',
      '0.bias',
      '2.weight',
      '2.bias',
      '2.running_mean',
      '2.running_var',
      '2.num_batches_tracked',
      '3.weight',
      '3.bias',
    ]);
    expect(m.parameters().length).toBe(6);
    expect(m.buffers().length).toBe(3);
    expect(m.length).toBe(4);
    expect(m.at(-1)).toBeInstanceOf(Linear);
    m.dispose();
  });

  it('train() and eval() reach every descendant', () => {
    const m = new Sequential(new Linear(2, 2), new Sequential(new Dropout(0.5), new BatchNorm1d(2)));
    m.eval();
    expect(m.modules().every((x) => !x.training)).toBe(true);
    m.train();
    expect(m.modules().every((x) => x.training)).toBe(true);
    m.dispose();
  });

  it('loadStateDict copies values in place and keeps parameter identities', async () => {
    manualSeed(1);
    const a = new Sequential(new Linear(3, 2), new BatchNorm1d(2));
    manualSeed(2);
    const b = new Sequential(new Linear(3, 2), new BatchNorm1d(2));
    const w = b.parameters()[0] as Tensor;
    b.loadStateDict(a.stateDict());
    expect(b.parameters()[0]).toBe(w);
    for (const [k, t] of Object.entries(a.stateDict())) {
      expect(Array.from(await (b.stateDict()[k] as Tensor).data()), k).toEqual(Array.from(await t.data()));
    }
    a.dispose();
    b.dispose();
  });

  it('loadStateDict names missing, unexpected and mis-shaped keys, and changes nothing on error', async () => {
    const m = new Sequential(new Linear(3, 2));
    const before = Array.from(await (m.stateDict()['0.weight'] as Tensor).data());
    const bad = { '0.weight': zeros([2, 4]), '0.bias': zeros([2]) };
    expect(() => m.loadStateDict(bad)).toThrow(StateDictError);
    expect(() => m.loadStateDict(bad)).toThrow(
      /size mismatch for '0\.weight': the checkpoint has \[2,4\], the model \[2,3\]/,
    );
    expect(() => m.loadStateDict({ '0.weight': zeros([2, 3]) })).toThrow(/missing key\(s\) '0\.bias'/);
    expect(() =>
      m.loadStateDict({ '0.weight': zeros([2, 3]), '0.bias': zeros([2]), extra: zeros([1]) }),
    ).toThrow(/unexpected key\(s\) 'extra'/);
    expect(Array.from(await (m.stateDict()['0.weight'] as Tensor).data())).toEqual(before);
    const r = m.loadStateDict({ '0.weight': zeros([2, 3]) }, { strict: false });
    expect(r.missing).toEqual(['0.bias']);
    m.dispose();
  });

  it('toString lists each layer with its parameter count and the total', () => {
    const m = new Sequential(
      new Conv2d(1, 4, 3, { padding: 1 }),
      new ReLU(),
      new MaxPool2d(2),
      new Flatten(),
      new Linear(4 * 4 * 4, 10),
    );
    const s = m.toString();
    expect(s).toContain('(0): Conv2d(inChannels=1, outChannels=4, kernelSize=[3,3]');
    expect(s).toContain('40 params');
    expect(s).toContain('(4): Linear(inFeatures=64, outFeatures=10, bias=true)  650 params');
    expect(s).toContain('Total parameters: 690 (trainable: 690)');
    m.dispose();
  });

  it('spec() describes the architecture as data', () => {
    const m = new Sequential(new Linear(2, 3, { bias: false }), new BatchNorm2d(3));
    expect(m.spec()).toEqual({
      type: 'Sequential',
      config: {},
      children: [
        { name: '0', type: 'Linear', config: { inFeatures: 2, outFeatures: 3, bias: false }, children: [] },
        {
          name: '1',
          type: 'BatchNorm2d',
          config: { numFeatures: 3, eps: 1e-5, momentum: 0.1, affine: true, trackRunningStats: true },
          children: [],
        },
      ],
    });
    m.dispose();
  });

  it('a model built inside tidy survives it, and dispose() frees every tensor it owns', () => {
    const base = memory().tensors;
    const m = tidy(() => new Sequential(new Linear(3, 4), new BatchNorm1d(4), new Linear(4, 1)));
    expect(memory().tensors).toBe(base + 2 + 5 + 2);
    const x = tensor([[1, 2, 3]]);
    tidy(() => {
      m.eval();
      m.forward(x);
    });
    m.dispose();
    x.dispose();
    expect(memory().tensors).toBe(base);
  });

  it('registration checks names and types', () => {
    class Bad extends Module {
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const b = new Bad();
    expect(() => b.registerParameter('a.b', zeros([1]))).toThrow(/without dots/);
    expect(() => b.registerParameter('i', tensor([1], { dtype: 'int32' }))).toThrow(/float32/);
    expect(() => b.registerModule('m', {} as Module)).toThrow(/not a Module/);
    b.dispose();
  });
});
