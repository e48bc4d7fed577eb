// Speedup of the worker backend over the CPU backend, on this machine.
//
//   pnpm build (core, backend-cpu, backend-worker), then: node bench/speedup.mjs [--quick] [--threads N]
//
// Each workload runs in streaming mode (many back-to-back runs of one backend, then of the other, repeated
// in rounds), because alternating single runs measures the idle core waking up rather than the kernels.
// Prints, per workload, the median time of each backend, the ratio of medians, and the ratio per round
// (a spread shows how steady the machine was).
//
// On a shared machine other processes steal a core and the numbers mean nothing; so the CPU time used by
// other processes is read from /proc/stat during each round, and a round in which they used more than
// --max-others (default 0.1) of a core is thrown away and run again, after waiting for the machine to
// calm down. Pass --max-others 2 to keep every round.
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import * as core from '@myelin/core';
import { createCpuBackend } from '../../backend-cpu/dist/index.js';
import { createWorkerBackend } from '../dist/index.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const threadsArg = args.indexOf('--threads');
const threads = threadsArg >= 0 ? Number(args[threadsArg + 1]) : undefined;
const othersArg = args.indexOf('--max-others');
const maxOthers = othersArg >= 0 ? Number(args[othersArg + 1]) : 0.1;
const only = args.filter(
  (a, i) => !a.startsWith('--') && !['--threads', '--max-others'].includes(args[i - 1]),
);
const ROUNDS = quick ? 3 : 6;
/** Attempts per round before a noisy round is kept anyway (and marked with '*'). */
const MAX_ATTEMPTS = 6;

/** Busy CPU time of the whole machine, in ms (from /proc/stat; undefined where there is none). */
function machineBusyMs() {
  try {
    const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = f.map(Number);
    return ((user + nice + system + irq + softirq + steal) * 1000) / 100; // USER_HZ = 100
  } catch {
    return undefined;
  }
}

/** Starts a window; its `others()` gives the cores' worth of CPU other processes used during it. */
function window() {
  const busy0 = machineBusyMs();
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  return {
    others() {
      const busy1 = machineBusyMs();
      if (busy0 === undefined || busy1 === undefined) return 0;
      const own = process.cpuUsage(own0);
      const ownMs = (own.user + own.system) / 1000;
      return Math.max(0, busy1 - busy0 - ownMs) / (performance.now() - t0);
    },
  };
}

/** Waits (up to 30 s) until other processes use less than `maxOthers` of a core over a second. */
async function calm() {
  for (let i = 0; i < 30; i++) {
    const w = window();
    await new Promise((r) => setTimeout(r, 1000));
    if (w.others() < maxOthers) return;
  }
}

const cpu = createCpuBackend();
const worker = await createWorkerBackend(threads ? { threads } : {});
core.registerBackend('cpu', () => cpu);
core.registerBackend('worker', () => worker);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Uploads inputs and returns a function that runs one kernel and frees its output. */
function kernelRunner(be, name, inputs, attrs, outShape) {
  const infos = inputs.map(({ values, shape }) => ({
    dataId: be.upload(values, 'float32'),
    shape,
    dtype: 'float32',
    size: values.length,
  }));
  const out = { shape: outShape, dtype: 'float32', size: outShape.reduce((a, b) => a * b, 1) };
  return () => be.free(be.kernels[name](infos, attrs, out, be));
}

function seeded(n, seed) {
  let s = seed >>> 0;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return a;
}

/**
 * Times `makeRun(backend)()` per backend: `reps` back-to-back runs per round after `warmup`, `ROUNDS`
 * rounds alternating the backends. `unit` runs of the function count as one sample.
 */
async function compare(title, makeRun, { reps, warmup = 2, inner = 1 }) {
  // One after the other: a maker may switch the active backend, and two switches must not overlap.
  const runs = { cpu: await makeRun(cpu, 'cpu'), worker: await makeRun(worker, 'worker') };
  const samples = { cpu: [], worker: [] };
  const perRound = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (let attempt = 1; ; attempt++) {
      if (maxOthers < 2) await calm();
      const w = window();
      const med = {};
      const ts = { cpu: [], worker: [] };
      for (const name of ['cpu', 'worker']) {
        await core.setBackend(name);
        const run = runs[name];
        for (let i = 0; i < warmup; i++) for (let j = 0; j < inner; j++) run();
        for (let i = 0; i < reps; i++) {
          const t = performance.now();
          for (let j = 0; j < inner; j++) run();
          ts[name].push((performance.now() - t) / inner);
        }
        med[name] = median(ts[name]);
      }
      const others = w.others();
      if (others > maxOthers && attempt < MAX_ATTEMPTS) continue;
      samples.cpu.push(...ts.cpu);
      samples.worker.push(...ts.worker);
      perRound.push({ ratio: med.cpu / med.worker, noisy: others > maxOthers });
      break;
    }
  }
  const c = median(samples.cpu);
  const w = median(samples.worker);
  const fmt = (ms) => (ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(1)} µs`);
  console.log(
    `${title.padEnd(34)} cpu ${fmt(c).padStart(9)}   worker ${fmt(w).padStart(9)}   speedup ${(c / w).toFixed(2)}×   (median of rounds ${median(perRound.map((r) => r.ratio)).toFixed(2)}×: [${perRound.map((r) => `${r.ratio.toFixed(2)}${r.noisy ? '*' : ''}`).join(', ')}])`,
  );
  return { title, cpu: c, worker: w, speedup: c / w, rounds: perRound };
}

const workloads = {
  'matmul 1024': () => {
    const n = 1024;
    const a = { values: seeded(n * n, 1), shape: [n, n] };
    const b = { values: seeded(n * n, 2), shape: [n, n] };
    return compare(
      'matmul 1024×1024 @ 1024×1024',
      (be) => kernelRunner(be, 'matmul', [a, b], { transposeA: false, transposeB: false }, [1, n, n]),
      {
        reps: quick ? 3 : 5,
      },
    );
  },
  'matmul 256': () => {
    const n = 256;
    const a = { values: seeded(n * n, 1), shape: [n, n] };
    return compare(
      'matmul 256×256 @ 256×256',
      (be) => kernelRunner(be, 'matmul', [a, a], { transposeA: false, transposeB: false }, [1, n, n]),
      {
        reps: 20,
      },
    );
  },
  'matmul 128': () => {
    const n = 128;
    const a = { values: seeded(n * n, 1), shape: [n, n] };
    return compare(
      'matmul 128×128 @ 128×128',
      (be) => kernelRunner(be, 'matmul', [a, a], { transposeA: false, transposeB: false }, [1, n, n]),
      {
        reps: 50,
      },
    );
  },
  conv: () => {
    // A mid-sized conv layer: x [32, 16, 32, 32], w [32, 16, 3, 3], padding 1; forward + both gradients.
    const attrs = { stride: [1, 1], padding: [1, 1], dilation: [1, 1] };
    const x = { values: seeded(32 * 16 * 32 * 32, 3), shape: [32, 16, 32, 32] };
    const w = { values: seeded(32 * 16 * 9, 4), shape: [32, 16, 3, 3] };
    const dy = { values: seeded(32 * 32 * 32 * 32, 5), shape: [32, 32, 32, 32] };
    return compare(
      'conv2d 32×16×32×32, 3×3×32: fwd+bwd',
      (be) => {
        const fwd = kernelRunner(be, 'conv2d', [x, w], attrs, dy.shape);
        const bwdIn = kernelRunner(be, 'conv2dBackwardInput', [dy, w], attrs, x.shape);
        const bwdW = kernelRunner(be, 'conv2dBackwardFilter', [x, dy], attrs, w.shape);
        return () => {
          fwd();
          bwdIn();
          bwdW();
        };
      },
      { reps: quick ? 3 : 6 },
    );
  },
  'conv lenet': () => {
    // LeNet's first conv on a batch of 64: x [64, 1, 28, 28], w [6, 1, 5, 5]; forward + both gradients.
    const attrs = { stride: [1, 1], padding: [0, 0], dilation: [1, 1] };
    const x = { values: seeded(64 * 28 * 28, 3), shape: [64, 1, 28, 28] };
    const w = { values: seeded(6 * 25, 4), shape: [6, 1, 5, 5] };
    const dy = { values: seeded(64 * 6 * 24 * 24, 5), shape: [64, 6, 24, 24] };
    return compare(
      'conv2d LeNet-1 (64×1×28×28, 5×5×6)',
      (be) => {
        const fwd = kernelRunner(be, 'conv2d', [x, w], attrs, dy.shape);
        const bwdIn = kernelRunner(be, 'conv2dBackwardInput', [dy, w], attrs, x.shape);
        const bwdW = kernelRunner(be, 'conv2dBackwardFilter', [x, dy], attrs, w.shape);
        return () => {
          fwd();
          bwdIn();
          bwdW();
        };
      },
      { reps: 10 },
    );
  },
  'add 64': () => {
    const a = { values: seeded(64 * 64, 6), shape: [64, 64] };
    return compare(
      'add 64×64 (kernel only)',
      (be) => {
        const infos = [a, a].map(({ values, shape }) => ({
          dataId: be.upload(values, 'float32'),
          shape,
          dtype: 'float32',
          size: values.length,
        }));
        const out = { shape: [64, 64], dtype: 'float32', size: 4096 };
        return () => be.free(be.kernels.binary(infos, { op: 'add' }, out, be));
      },
      { reps: 20, warmup: 2, inner: 2000 },
    );
  },
  'add 64 ops': () => {
    return compare(
      'add 64×64 (core op, tidy)',
      async (_be, name) => {
        await core.setBackend(name);
        const a = core.keep(core.randn([64, 64], { seed: 1 }));
        return () =>
          core.tidy(() => {
            core.add(a, a);
          });
      },
      { reps: 20, warmup: 2, inner: 2000 },
    );
  },
  'add 1M': () => {
    const a = { values: seeded(1 << 20, 6), shape: [1 << 20] };
    return compare('add 1M elements', (be) => kernelRunner(be, 'binary', [a, a], { op: 'add' }, [1 << 20]), {
      reps: 20,
    });
  },
  lenet: () => lenetTraining(),
};

/** LeNet-5-like training steps (batch 64) on synthetic 28×28 data, with core ops and valueAndGrad. */
async function lenetTraining() {
  const B = 64;
  const steps = quick ? 8 : 15;
  const makeStep = async (_be, name) => {
    await core.setBackend(name);
    core.manualSeed(1);
    const init = (shape, fanIn) => core.keep(core.randn(shape, { std: Math.sqrt(2 / fanIn) }));
    let params = [
      init([6, 1, 5, 5], 25),
      core.keep(core.zeros([6])),
      init([16, 6, 5, 5], 150),
      core.keep(core.zeros([16])),
      init([256, 120], 256),
      core.keep(core.zeros([120])),
      init([120, 84], 120),
      core.keep(core.zeros([84])),
      init([84, 10], 84),
      core.keep(core.zeros([10])),
    ];
    const x = core.keep(core.randn([B, 1, 28, 28], { seed: 2 }));
    const labels = core.keep(
      core.oneHot(
        core.tensor(
          Array.from({ length: B }, (_, i) => (i * 7) % 10),
          { dtype: 'int32' },
        ),
        10,
      ),
    );
    const lossOf = (c1, b1, c2, b2, w3, b3, w4, b4, w5, b5) => {
      let h = core.maxPool2d(core.relu(core.conv2d(x, c1, b1)), 2);
      h = core.maxPool2d(core.relu(core.conv2d(h, c2, b2)), 2);
      h = core.reshape(h, [B, 256]);
      h = core.relu(core.add(core.matmul(h, w3), b3));
      h = core.relu(core.add(core.matmul(h, w4), b4));
      const logits = core.add(core.matmul(h, w5), b5);
      return core.neg(core.sum(core.mul(core.logSoftmax(logits), labels))).div(B);
    };
    const vg = core.valueAndGrad(lossOf);
    return () => {
      const next = core.tidy(() => {
        const { grads } = vg(...params);
        return params.map((p, i) => core.keep(core.sub(p, core.mul(grads[i], 0.01))));
      });
      for (const p of params) p.dispose();
      params = next;
    };
  };
  const r = await compare('LeNet training step, batch 64', makeStep, { reps: steps, warmup: 3 });
  console.log(
    `${''.padEnd(34)} cpu ${(B / (r.cpu / 1000)).toFixed(0)} samples/s   worker ${(B / (r.worker / 1000)).toFixed(0)} samples/s`,
  );
  return r;
}

console.log(
  `node ${process.version}, ${availableParallelism()} cores, worker backend: ${worker.describeSelf()}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const results = [];
for (const [name, run] of Object.entries(workloads)) {
  if (only.length > 0 && !only.includes(name)) continue;
  results.push(await run());
}
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; worker stats: ${JSON.stringify(worker.stats())}`,
);
await worker.dispose();
