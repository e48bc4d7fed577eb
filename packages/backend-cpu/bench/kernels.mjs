// Quick kernel benchmark of the CPU math (not a test): matmul GFLOP/s and conv2d timings.
// Run after building core: `pnpm --filter @myelin/core build && node packages/backend-cpu/bench/kernels.mjs`.
// Times are CPU time of this process (process.cpuUsage), which other load on the machine inflates less
// than wall time; this machine's vCPUs are also intermittently slow, so the median and the best print.
import {
  avgPool2dBackwardRange,
  avgPool2dRange,
  binaryRange,
  broadcastPlan,
  conv2dBackwardFilterRange,
  conv2dBackwardInputRange,
  conv2dDims,
  conv2dRange,
  matmulDims,
  matmulRange,
  maxPool2dBackwardRange,
  maxPool2dRange,
  pool2dDims,
  reducePlan,
  reduceRange,
  softmaxRange,
  unaryRange,
} from '@myelin/core/jsmath';

function random(n) {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.random() - 0.5;
  return a;
}

function time(fn, minMs = 600, minReps = 5) {
  fn();
  fn();
  const times = [];
  const start = performance.now();
  while (times.length < minReps || performance.now() - start < minMs) {
    const t = process.cpuUsage();
    fn();
    const used = process.cpuUsage(t);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], best: times[0] };
}

const gflops = (flops, ms) => (flops / ms / 1e6).toFixed(2);

console.log('matmul n×n @ n×n (GFLOP/s, median / best)');
for (const n of [128, 256, 512, 1024]) {
  const a = random(n * n);
  const b = random(n * n);
  const out = new Float32Array(n * n);
  const row = [`  n=${n}`];
  for (const [ta, tb] of [
    [false, false],
    [true, false],
    [false, true],
  ]) {
    const dims = matmulDims([n, n], [n, n], { transposeA: ta, transposeB: tb });
    const t = time(() => matmulRange(a, b, out, dims, 0, n), n >= 1024 ? 3000 : 800, 3);
    const f = 2 * n * n * n;
    row.push(`${ta ? 'Aᵀ' : 'A'}${tb ? 'Bᵀ' : 'B'} ${gflops(f, t.median)} / ${gflops(f, t.best)}`);
  }
  console.log(row.join('   '));
}

const layers = [
  ['LeNet conv1: N=64, 1→8, 28×28, k5', [64, 1, 28, 28], [8, 1, 5, 5], [0, 0]],
  ['LeNet conv2: N=64, 8→16, 12×12, k5', [64, 8, 12, 12], [16, 8, 5, 5], [0, 0]],
  ['3×3 pad 1: N=16, 32→32, 16×16', [16, 32, 16, 16], [32, 32, 3, 3], [1, 1]],
];
for (const [name, xShape, wShape, padding] of layers) {
  const attrs = { stride: [1, 1], padding, dilation: [1, 1] };
  const d = conv2dDims(xShape, wShape, attrs);
  const x = random(d.N * d.C * d.H * d.W);
  const w = random(d.O * d.C * d.KH * d.KW);
  const y = new Float32Array(d.N * d.O * d.OH * d.OW);
  const dy = random(y.length);
  const dx = new Float32Array(x.length);
  const dw = new Float32Array(w.length);
  const flops = 2 * d.N * d.O * d.OH * d.OW * d.C * d.KH * d.KW;
  const fwd = time(() => conv2dRange(x, w, y, d, 0, d.N * d.O));
  const bwdIn = time(() => conv2dBackwardInputRange(dy, w, dx, d, 0, d.N * d.C));
  const bwdW = time(() => conv2dBackwardFilterRange(x, dy, dw, d, 0, d.O));
  const show = (label, t) => `${label} ${t.median.toFixed(2)} ms (${gflops(flops, t.median)} GFLOP/s)`;
  console.log(
    `${name}\n  ${show('forward', fwd)}   ${show('grad input', bwdIn)}   ${show('grad filter', bwdW)}`,
  );
}

{
  const attrs = { kernel: [2, 2], stride: [2, 2], padding: [0, 0] };
  const d = pool2dDims([64, 8, 24, 24], attrs);
  const x = random(64 * 8 * 24 * 24);
  const y = new Float32Array(d.planes * d.OH * d.OW);
  const dy = random(y.length);
  const dx = new Float32Array(x.length);
  const ms = (fn) => `${time(fn).median.toFixed(2)} ms`;
  console.log('pool 2×2 on [64, 8, 24, 24]');
  console.log(
    `  max ${ms(() => maxPool2dRange(x, y, d, 0, d.planes))}   max grad ${ms(() => maxPool2dBackwardRange(dy, x, dx, d, 0, d.planes))}` +
      `   avg ${ms(() => avgPool2dRange(x, y, d, 0, d.planes))}   avg grad ${ms(() => avgPool2dBackwardRange(dy, dx, d, 0, d.planes))}`,
  );
  const n = x.length;
  const out = new Float32Array(n);
  const bias = random(8 * 24 * 24);
  const same = broadcastPlan([n], [[n], [n]]);
  const bcast = broadcastPlan([64, 8 * 24 * 24], [[64, 8 * 24 * 24], [8 * 24 * 24]]);
  const sum0 = reducePlan([64, 8 * 24 * 24], [0]);
  console.log(`elementwise on ${n} floats`);
  console.log(
    `  relu ${ms(() => unaryRange('relu', x, out, 0, n))}   exp ${ms(() => unaryRange('exp', x, out, 0, n))}` +
      `   add ${ms(() => binaryRange('add', x, dx, out, same, 0, n))}   add (broadcast row) ${ms(() => binaryRange('add', x, bias, out, bcast, 0, n))}` +
      `   sum over batch ${ms(() => reduceRange('sum', x, out, sum0, 0, 8 * 24 * 24))}   softmax rows of 10 ${ms(() => softmaxRange(x, out, 10, 0, n / 10, false))}`,
  );
}
