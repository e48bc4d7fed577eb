// Where splitting starts to pay: one kernel (exp, the cost of which is easy to scale) of growing size,
// run inline (threads: 1) and split (every kernel split), back to back ("streaming", the workers stay
// awake) and with 4 ms of other work between kernels ("sparse", the workers fall asleep in between).
//   node bench/split-threshold.mjs   (after pnpm build, on an idle machine)
import { createWorkerBackend } from '../dist/index.js';

const inline = await createWorkerBackend({ threads: 1 });
const split = await createWorkerBackend({ threads: 2, minSplitMs: 0 });

function busy(ms) {
  const until = performance.now() + ms;
  let x = 0;
  while (performance.now() < until) x += Math.sqrt(x + 1);
  return x;
}

function timeOp(be, n, reps, gapMs) {
  const x = be.upload(new Float32Array(n).fill(0.5), 'float32');
  const info = { dataId: x, shape: [n], dtype: 'float32', size: n };
  const out = { shape: [n], dtype: 'float32', size: n };
  const ts = [];
  for (let i = 0; i < reps + 3; i++) {
    if (gapMs) busy(gapMs);
    const t = performance.now();
    be.free(be.kernels.unary([info], { op: 'exp' }, out, be));
    if (i >= 3) ts.push(performance.now() - t);
  }
  be.free(x);
  ts.sort((a, b) => a - b);
  return ts[ts.length >> 1];
}

console.log('elements   inline ms   streaming: split ms  speedup   sparse: split ms  speedup');
for (const n of [5_000, 10_000, 25_000, 50_000, 100_000, 200_000, 400_000]) {
  const reps = 40;
  const r = [];
  for (let round = 0; round < 3; round++) {
    const a = timeOp(inline, n, reps, 0);
    const b = timeOp(split, n, reps, 0);
    const c = timeOp(inline, n, reps, 4);
    const d = timeOp(split, n, reps, 4);
    r.push([a, b, c, d]);
  }
  const med = (k) => r.map((x) => x[k]).sort((p, q) => p - q)[1];
  console.log(
    `${String(n).padStart(8)}   ${med(0).toFixed(3).padStart(8)}   ${med(1).toFixed(3).padStart(14)}  ${(med(0) / med(1)).toFixed(2).padStart(6)}×   ${med(3).toFixed(3).padStart(12)}  ${(med(2) / med(3)).toFixed(2).padStart(6)}×`,
  );
}
await inline.dispose();
await split.dispose();
