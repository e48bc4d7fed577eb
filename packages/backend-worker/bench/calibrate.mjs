// Compares each kernel's cost estimate (what decides inline vs split) with its measured single-thread
// time on this machine. Run on an idle machine after `pnpm build`: node bench/calibrate.mjs
import { createWorkerBackend } from '../dist/index.js';

const be = await createWorkerBackend({ threads: 1 });
let estimated = 0;
const realParallel = be.parallel.bind(be);
// Capture the estimate the kernel passes to `parallel` (total units × ns per unit).
be.parallel = (task, args, total, nsPerUnit, minGrain) => {
  estimated += total * nsPerUnit;
  return realParallel(task, args, total, nsPerUnit, minGrain);
};

function seeded(n, seed) {
  let s = seed >>> 0;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return a;
}

function run(title, name, inputs, attrs, outShape, outDtype = 'float32') {
  const infos = inputs.map(({ shape, dtype = 'float32', values }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const v =
      values ??
      (dtype === 'int32' ? new Int32Array(size) : dtype === 'bool' ? new Uint8Array(size) : seeded(size, 1));
    return { dataId: be.upload(v, dtype), shape, dtype, size };
  });
  const out = { shape: outShape, dtype: outDtype, size: outShape.reduce((a, b) => a * b, 1) };
  const once = () => be.free(be.kernels[name](infos, attrs, out, be));
  for (let i = 0; i < 5; i++) once();
  const ts = [];
  let est = 0;
  for (let i = 0; i < 15; i++) {
    estimated = 0;
    const t = performance.now();
    once();
    ts.push(performance.now() - t);
    est = estimated / 1e6;
  }
  ts.sort((a, b) => a - b);
  const ms = ts[ts.length >> 1];
  console.log(
    `${title.padEnd(44)} measured ${ms.toFixed(3).padStart(8)} ms   estimated ${est.toFixed(3).padStart(8)} ms   ratio ${(ms / est).toFixed(2)}`,
  );
  for (const i of infos) be.free(i.dataId);
}

const conv = { stride: [1, 1], padding: [0, 0], dilation: [1, 1] };
const pool = { kernel: [2, 2], stride: [2, 2], padding: [0, 0] };
run('unary relu 221k', 'unary', [{ shape: [64, 6, 24, 24] }], { op: 'relu' }, [64, 6, 24, 24]);
run('unary exp 221k', 'unary', [{ shape: [64, 6, 24, 24] }], { op: 'exp' }, [64, 6, 24, 24]);
run(
  'binary add 221k + bias',
  'binary',
  [{ shape: [64, 6, 24, 24] }, { shape: [1, 6, 1, 1] }],
  { op: 'add' },
  [64, 6, 24, 24],
);
run(
  'binary mul 221k same shape',
  'binary',
  [{ shape: [64, 6, 24, 24] }, { shape: [64, 6, 24, 24] }],
  { op: 'mul' },
  [64, 6, 24, 24],
);
run(
  'reduce sum [64,6,24,24] → [1,6,1,1]',
  'reduce',
  [{ shape: [64, 6, 24, 24] }],
  { op: 'sum', axes: [0, 2, 3] },
  [1, 6, 1, 1],
);
run(
  'reduce sum rows [1000,1000] axis 1',
  'reduce',
  [{ shape: [1000, 1000] }],
  { op: 'sum', axes: [1] },
  [1000, 1],
);
run(
  'matmul 64×256 @ 256×120',
  'matmul',
  [{ shape: [64, 256] }, { shape: [256, 120] }],
  { transposeA: false, transposeB: false },
  [1, 64, 120],
);
run(
  'matmul 256×256',
  'matmul',
  [{ shape: [256, 256] }, { shape: [256, 256] }],
  { transposeA: false, transposeB: false },
  [1, 256, 256],
);
run(
  'conv2d LeNet-1 fwd',
  'conv2d',
  [{ shape: [64, 1, 28, 28] }, { shape: [6, 1, 5, 5] }],
  conv,
  [64, 6, 24, 24],
);
run(
  'conv2d LeNet-2 fwd',
  'conv2d',
  [{ shape: [64, 6, 12, 12] }, { shape: [16, 6, 5, 5] }],
  conv,
  [64, 16, 8, 8],
);
run(
  'conv2d LeNet-2 backward input',
  'conv2dBackwardInput',
  [{ shape: [64, 16, 8, 8] }, { shape: [16, 6, 5, 5] }],
  conv,
  [64, 6, 12, 12],
);
run(
  'conv2d LeNet-2 backward filter',
  'conv2dBackwardFilter',
  [{ shape: [64, 6, 12, 12] }, { shape: [64, 16, 8, 8] }],
  conv,
  [16, 6, 5, 5],
);
run(
  'conv2d LeNet-1 backward filter',
  'conv2dBackwardFilter',
  [{ shape: [64, 1, 28, 28] }, { shape: [64, 6, 24, 24] }],
  conv,
  [6, 1, 5, 5],
);
run('maxPool2d [64,6,24,24]', 'maxPool2d', [{ shape: [64, 6, 24, 24] }], pool, [64, 6, 12, 12]);
run(
  'maxPool2dBackward [64,6,24,24]',
  'maxPool2dBackward',
  [{ shape: [64, 6, 12, 12] }, { shape: [64, 6, 24, 24] }],
  pool,
  [64, 6, 24, 24],
);
run('avgPool2d [64,6,24,24]', 'avgPool2d', [{ shape: [64, 6, 24, 24] }], pool, [64, 6, 12, 12]);
run('softmax [1000,100]', 'softmax', [{ shape: [1000, 100] }], {}, [1000, 100]);
run('transpose [256,1024]', 'transpose', [{ shape: [256, 1024] }], { perm: [1, 0] }, [1024, 256]);
run('randomNormal 221k', 'randomNormal', [], { key: [1, 2], counter: [0, 0], mean: 0, std: 1 }, [221184]);
run(
  'gather [1000,64] rows',
  'gather',
  [{ shape: [1000, 64] }, { shape: [4096], dtype: 'int32' }],
  { axis: 0 },
  [4096, 64],
);
await be.dispose();
