/**
 * Typed errors on bad input: every op family rejects wrong shapes, wrong dtypes, bad arguments and
 * disposed tensors with the right error class, and a message that names the op and the shapes.
 */

import type { Tensor } from '@myelin/core';
import * as core from '@myelin/core';
import { describe } from 'vitest';
import type { Harness } from '../harness.js';
import type { ConformanceKernel } from '../kernel-names.js';

type ErrorClass = typeof core.MyelinError;

interface ErrorCase {
  readonly kernels: readonly ConformanceKernel[];
  readonly title: string;
  /** Makes the inputs (disposed after the case) and calls the op with them. */
  readonly run: (make: Maker) => unknown;
  readonly error: ErrorClass;
  readonly op: string;
  /** Text the message must contain (shapes as `[2,3]`). */
  readonly mentions: readonly string[];
}

type Maker = (shape: number[], dtype?: core.DType) => Tensor;

const CASES: ErrorCase[] = [
  // elementwise
  {
    kernels: ['binary'],
    title: 'add: shapes that do not broadcast',
    op: 'add',
    error: core.ShapeError,
    mentions: ['[2,3]', '[4]'],
    run: (m) => core.add(m([2, 3]), m([4])),
  },
  {
    kernels: ['binary'],
    title: 'mul: rank mismatch that does not broadcast',
    op: 'mul',
    error: core.ShapeError,
    mentions: ['[2,3,4]', '[3,1,5]'],
    run: (m) => core.mul(m([2, 3, 4]), m([3, 1, 5])),
  },
  {
    kernels: ['binary'],
    title: 'add: arithmetic on bool',
    op: 'add',
    error: core.DTypeError,
    mentions: ['bool', '[2]'],
    run: (m) => core.add(m([2], 'bool'), m([2], 'bool')),
  },
  {
    kernels: ['unary'],
    title: 'exp: bool input',
    op: 'exp',
    error: core.DTypeError,
    mentions: ['bool', '[3]'],
    run: (m) => core.exp(m([3], 'bool')),
  },
  {
    kernels: ['unary'],
    title: 'isNaN: int32 input',
    op: 'isNaN',
    error: core.DTypeError,
    mentions: ['int32', '[3]'],
    run: (m) => core.isNaN(m([3], 'int32')),
  },
  {
    kernels: ['where'],
    title: 'where: shapes that do not broadcast',
    op: 'where',
    error: core.ShapeError,
    mentions: ['[2]', '[3]'],
    run: (m) => core.where(m([2], 'bool'), m([3]), m([3])),
  },
  // reductions
  {
    kernels: ['reduce'],
    title: 'sum: axis out of range',
    op: 'sum',
    error: core.ShapeError,
    mentions: ['[2,3]', '2'],
    run: (m) => core.sum(m([2, 3]), 2),
  },
  {
    kernels: ['reduce'],
    title: 'mean: repeated axis',
    op: 'mean',
    error: core.ArgumentError,
    mentions: ['[2,3]'],
    run: (m) => core.mean(m([2, 3]), [1, -1]),
  },
  {
    kernels: ['reduce'],
    title: 'max: empty dimension',
    op: 'max',
    error: core.ArgumentError,
    mentions: ['[0,3]'],
    run: (m) => core.max(m([0, 3]), 0),
  },
  {
    kernels: ['argReduce'],
    title: 'argmax: axis out of range',
    op: 'argmax',
    error: core.ShapeError,
    mentions: ['[2,3]'],
    run: (m) => core.argmax(m([2, 3]), -3),
  },
  {
    kernels: ['argReduce'],
    title: 'argmin: empty dimension',
    op: 'argmin',
    error: core.ArgumentError,
    mentions: ['[2,0]'],
    run: (m) => core.argmin(m([2, 0]), 1),
  },
  // matmul
  {
    kernels: ['matmul'],
    title: 'matmul: inner dimensions differ',
    op: 'matmul',
    error: core.ShapeError,
    mentions: ['[2,3]', '[4,5]', '3', '4'],
    run: (m) => core.matmul(m([2, 3]), m([4, 5])),
  },
  {
    kernels: ['matmul'],
    title: 'matmul: batch dims do not broadcast',
    op: 'matmul',
    error: core.ShapeError,
    mentions: ['[2,2,3]', '[3,3,4]'],
    run: (m) => core.matmul(m([2, 2, 3]), m([3, 3, 4])),
  },
  {
    kernels: ['matmul'],
    title: 'matmul: scalar operand',
    op: 'matmul',
    error: core.ShapeError,
    mentions: ['[]', '[3]'],
    run: (m) => core.matmul(m([]), m([3])),
  },
  {
    kernels: ['matmul'],
    title: 'matmul: int32 operands',
    op: 'matmul',
    error: core.DTypeError,
    mentions: ['int32', '[2,2]'],
    run: (m) => core.matmul(m([2, 2], 'int32'), m([2, 2])),
  },
  // conv2d and pools
  {
    kernels: ['conv2d'],
    title: 'conv2d: channels differ',
    op: 'conv2d',
    error: core.ShapeError,
    mentions: ['[1,3,5,5]', '[2,2,3,3]'],
    run: (m) => core.conv2d(m([1, 3, 5, 5]), m([2, 2, 3, 3])),
  },
  {
    kernels: ['conv2d'],
    title: 'conv2d: input is not 4-D',
    op: 'conv2d',
    error: core.ShapeError,
    mentions: ['[3,5,5]'],
    run: (m) => core.conv2d(m([3, 5, 5]), m([2, 3, 3, 3])),
  },
  {
    kernels: ['conv2d'],
    title: 'conv2d: kernel larger than the padded input',
    op: 'conv2d',
    error: core.ShapeError,
    mentions: ['[1,1,2,2]'],
    run: (m) => core.conv2d(m([1, 1, 2, 2]), m([1, 1, 3, 3])),
  },
  {
    kernels: ['conv2d'],
    title: 'conv2d: bias of the wrong size',
    op: 'conv2d',
    error: core.ShapeError,
    mentions: ['[3]', '[2,1,3,3]'],
    run: (m) => core.conv2d(m([1, 1, 4, 4]), m([2, 1, 3, 3]), m([3])),
  },
  {
    kernels: ['conv2d'],
    title: 'conv2d: stride 0',
    op: 'conv2d',
    error: core.ArgumentError,
    mentions: ['stride'],
    run: (m) => core.conv2d(m([1, 1, 4, 4]), m([1, 1, 3, 3]), null, { stride: 0 }),
  },
  {
    kernels: ['conv2d'],
    title: 'conv2d: int32 input',
    op: 'conv2d',
    error: core.DTypeError,
    mentions: ['int32', '[1,1,4,4]'],
    run: (m) => core.conv2d(m([1, 1, 4, 4], 'int32'), m([1, 1, 3, 3])),
  },
  {
    kernels: ['maxPool2d'],
    title: 'maxPool2d: input is not 4-D',
    op: 'maxPool2d',
    error: core.ShapeError,
    mentions: ['[2,4,4]'],
    run: (m) => core.maxPool2d(m([2, 4, 4]), 2),
  },
  {
    kernels: ['maxPool2d'],
    title: 'maxPool2d: kernel 0',
    op: 'maxPool2d',
    error: core.ArgumentError,
    mentions: ['kernel'],
    run: (m) => core.maxPool2d(m([1, 1, 4, 4]), 0),
  },
  {
    kernels: ['avgPool2d'],
    title: 'avgPool2d: padding over half the kernel',
    op: 'avgPool2d',
    error: core.ArgumentError,
    mentions: ['padding'],
    run: (m) => core.avgPool2d(m([1, 1, 4, 4]), 2, { padding: 2 }),
  },
  {
    kernels: ['avgPool2d'],
    title: 'avgPool2d: kernel larger than the input',
    op: 'avgPool2d',
    error: core.ShapeError,
    mentions: ['[1,1,2,2]'],
    run: (m) => core.avgPool2d(m([1, 1, 2, 2]), 3),
  },
  {
    kernels: ['softmax'],
    title: 'softmax: axis out of range',
    op: 'softmax',
    error: core.ShapeError,
    mentions: ['[2,3]'],
    run: (m) => core.softmax(m([2, 3]), 2),
  },
  {
    kernels: ['logSoftmax'],
    title: 'logSoftmax: int32 input',
    op: 'logSoftmax',
    error: core.DTypeError,
    mentions: ['int32'],
    run: (m) => core.logSoftmax(m([2, 3], 'int32')),
  },
  // shape ops
  {
    kernels: [],
    title: 'reshape: sizes differ',
    op: 'reshape',
    error: core.ShapeError,
    mentions: ['[2,3]', '[4]'],
    run: (m) => core.reshape(m([2, 3]), [4]),
  },
  {
    kernels: [],
    title: 'reshape: two -1',
    op: 'reshape',
    error: core.ShapeError,
    mentions: ['[-1,-1]'],
    run: (m) => core.reshape(m([2, 3]), [-1, -1]),
  },
  {
    kernels: ['binary'],
    title: 'expand: incompatible shape',
    op: 'expand',
    error: core.ShapeError,
    mentions: ['[2,3]', '[4,3]'],
    run: (m) => core.expand(m([2, 3]), [4, 3]),
  },
  {
    kernels: ['transpose'],
    title: 'transpose: not a permutation',
    op: 'transpose',
    error: core.ArgumentError,
    mentions: ['[2,3,4]'],
    run: (m) => core.transpose(m([2, 3, 4]), [0, 0, 1]),
  },
  {
    kernels: ['slice'],
    title: 'slice: step 0',
    op: 'slice',
    error: core.ArgumentError,
    mentions: ['[4,3]'],
    run: (m) => core.slice(m([4, 3]), [0], [4], [0]),
  },
  {
    kernels: ['slice'],
    title: 'slice: more indices than dims',
    op: 'slice',
    error: core.ShapeError,
    mentions: ['[4]'],
    run: (m) => core.slice(m([4]), [0, 0]),
  },
  {
    kernels: ['concat'],
    title: 'concat: shapes differ off the axis',
    op: 'concat',
    error: core.ShapeError,
    mentions: ['[2,3]', '[2,4]'],
    run: (m) => core.concat([m([2, 3]), m([2, 4])], 0),
  },
  {
    kernels: ['concat'],
    title: 'concat: dtypes differ',
    op: 'concat',
    error: core.DTypeError,
    mentions: ['int32'],
    run: (m) => core.concat([m([2]), m([2], 'int32')]),
  },
  {
    kernels: ['concat'],
    title: 'concat: no tensors',
    op: 'concat',
    error: core.ArgumentError,
    mentions: [],
    run: () => core.concat([]),
  },
  {
    kernels: ['concat'],
    title: 'stack: shapes differ',
    op: 'stack',
    error: core.ShapeError,
    mentions: ['[2]', '[3]'],
    run: (m) => core.stack([m([2]), m([3])]),
  },
  {
    kernels: ['slice'],
    title: 'split: sizes do not add up',
    op: 'split',
    error: core.ArgumentError,
    mentions: ['[5,2]'],
    run: (m) => core.split(m([5, 2]), [2, 2]),
  },
  {
    kernels: ['pad'],
    title: 'pad: negative padding',
    op: 'pad',
    error: core.ArgumentError,
    mentions: ['[2,2]'],
    run: (m) =>
      core.pad(m([2, 2]), [
        [-1, 0],
        [0, 0],
      ]),
  },
  {
    kernels: ['pad'],
    title: 'pad: more pairs than dims',
    op: 'pad',
    error: core.ShapeError,
    mentions: ['[2]'],
    run: (m) =>
      core.pad(m([2]), [
        [1, 1],
        [1, 1],
      ]),
  },
  {
    kernels: ['cast'],
    title: 'cast: unknown dtype',
    op: 'cast',
    error: core.DTypeError,
    mentions: ['float64'],
    run: (m) => core.cast(m([2]), 'float64' as core.DType),
  },
  // indexing
  {
    kernels: ['gather'],
    title: 'gather: float indices',
    op: 'gather',
    error: core.DTypeError,
    mentions: ['float32'],
    run: (m) => core.gather(m([3, 2]), m([2])),
  },
  {
    kernels: ['gather'],
    title: 'gather: index out of range',
    op: 'gather',
    error: core.ArgumentError,
    mentions: ['3'],
    run: () => core.gather(core.zeros([3, 2]), core.tensor([0, 3], { dtype: 'int32' })),
  },
  {
    kernels: ['gather'],
    title: 'gather: axis out of range',
    op: 'gather',
    error: core.ShapeError,
    mentions: ['[3,2]'],
    run: (m) => core.gather(m([3, 2]), m([1], 'int32'), 2),
  },
  {
    kernels: ['oneHot'],
    title: 'oneHot: float indices',
    op: 'oneHot',
    error: core.DTypeError,
    mentions: ['float32', '[3]'],
    run: (m) => core.oneHot(m([3]), 4),
  },
  {
    kernels: ['oneHot'],
    title: 'oneHot: depth 0',
    op: 'oneHot',
    error: core.ArgumentError,
    mentions: ['depth'],
    run: (m) => core.oneHot(m([3], 'int32'), 0),
  },
  // creation and random
  {
    kernels: ['fill'],
    title: 'full: negative dim',
    op: 'full',
    error: core.ShapeError,
    mentions: ['[2,-1]'],
    run: () => core.full([2, -1], 1),
  },
  {
    kernels: [],
    title: 'tensor: data does not fill the shape',
    op: 'tensor',
    error: core.ShapeError,
    mentions: ['[2,2]'],
    run: () => core.tensor([1, 2, 3], { shape: [2, 2] }),
  },
  {
    kernels: [],
    title: 'tensor: ragged nested array',
    op: 'tensor',
    error: core.ShapeError,
    mentions: ['ragged'],
    run: () => core.tensor([[1, 2], [3]]),
  },
  {
    kernels: ['randomNormal'],
    title: 'randn: negative std',
    op: 'randn',
    error: core.ArgumentError,
    mentions: ['std'],
    run: () => core.randn([2], { std: -1 }),
  },
  {
    kernels: ['randomUniform'],
    title: 'rand: high below low',
    op: 'rand',
    error: core.ArgumentError,
    mentions: ['high'],
    run: () => core.rand([2], { low: 1, high: 0 }),
  },
];

/** Ops called on a disposed tensor: each must throw a DisposedError that names the op and the shape. */
const DISPOSED: [readonly ConformanceKernel[], string, number[], (x: Tensor) => unknown, string?][] = [
  [['unary'], 'exp', [2, 3], (x) => core.exp(x)],
  [['binary'], 'add', [2, 3], (x) => core.add(x, 1)],
  [['reduce'], 'sum', [2, 3], (x) => core.sum(x)],
  [['matmul'], 'matmul', [2, 3], (x) => core.matmul(x, core.ones([3, 2]))],
  [['transpose'], 'transpose', [2, 3], (x) => core.transpose(x)],
  [[], 'reshape', [2, 3], (x) => core.reshape(x, [6])],
  [['conv2d'], 'conv2d', [1, 1, 2, 3], (x) => core.conv2d(x, core.ones([1, 1, 1, 1]))],
  [['maxPool2d'], 'maxPool2d', [1, 1, 2, 3], (x) => core.maxPool2d(x, 2)],
  [['softmax'], 'softmax', [2, 3], (x) => core.softmax(x)],
  [['cast'], 'cast', [2, 3], (x) => core.cast(x, 'int32')],
  [['gather'], 'gather', [2, 3], (x) => core.gather(x, core.tensor([0], { dtype: 'int32' }))],
  [['concat'], 'concat', [2, 3], (x) => core.concat([x, core.ones([1, 3])])],
  // Ops composed of other ops must still name themselves, not the op they call first.
  [['where', 'binary'], 'leakyRelu', [2, 3], (x) => core.leakyRelu(x)],
  [['where', 'binary'], 'clamp', [2, 3], (x) => core.clamp(x, 0, 1)],
  [['reduce'], 'variance', [2, 3], (x) => core.variance(x)],
  [['reduce'], 'std', [2, 3], (x) => core.std(x)],
  [[], 'flatten', [2, 3], (x) => core.flatten(x)],
  [[], 'squeeze', [2, 3], (x) => core.squeeze(x)],
  [[], 'unsqueeze', [2, 3], (x) => core.unsqueeze(x, 0)],
  [['transpose'], 'permute', [2, 3], (x) => core.permute(x, [1, 0])],
  [['concat'], 'stack', [2, 3], (x) => core.stack([x, x])],
  [['slice'], 'split', [2, 3], (x) => core.split(x, 2)],
  [['softmax'], 'softmax', [2, 3], (x) => core.softmax(x, 0), 'axis 0'],
  [['logSoftmax'], 'logSoftmax', [2, 3], (x) => core.logSoftmax(x, 0), 'axis 0'],
];

function expectError(c: Pick<ErrorCase, 'error' | 'op' | 'mentions'>, run: () => unknown): void {
  let thrown: unknown;
  try {
    run();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error(`expected ${c.error.name} from ${c.op}, but nothing was thrown`);
  if (!(thrown instanceof c.error)) {
    const got = thrown instanceof Error ? `${thrown.constructor.name}: ${thrown.message}` : String(thrown);
    throw new Error(`expected ${c.error.name} from ${c.op}, got ${got}`);
  }
  const message = (thrown as Error).message;
  if (!message.startsWith(`${c.op}:`))
    throw new Error(`the message should start with '${c.op}:', got '${message}'`);
  for (const m of c.mentions)
    if (!message.includes(m)) throw new Error(`the message should mention ${m}: '${message}'`);
}

/** Registers the error tests. */
export function registerErrorSuite(h: Harness): void {
  describe('typed errors on bad input', () => {
    for (const c of CASES) {
      h.test(c.kernels, `${c.title} → ${c.error.name}`, () => {
        const made: Tensor[] = [];
        const maker: Maker = (shape, dtype = 'float32') => {
          const t = core.zeros(shape, dtype);
          made.push(t);
          return t;
        };
        try {
          // Temporaries an op made before it threw belong to this tidy.
          core.tidy(() => expectError(c, () => c.run(maker)));
        } finally {
          for (const t of made) t.dispose();
        }
      });
    }
    for (const [kernels, op, shape, run, note] of DISPOSED) {
      h.test(kernels, `${op} on a disposed tensor${note ? ` (${note})` : ''} → DisposedError`, () => {
        const x = core.ones(shape);
        x.dispose();
        core.tidy(() =>
          expectError({ error: core.DisposedError, op, mentions: [`[${shape}]`] }, () => run(x)),
        );
      });
    }
  });
}
