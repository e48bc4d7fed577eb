// Scratch (not committed): measures WGSL builtins vs float-math.ts on Chromium's SwiftShader WebGPU.
import { createServer } from 'node:http';
import { fillNormal } from '@myelin/core';
import { it } from 'vitest';
import { chromium } from '../../../apps/web/node_modules/playwright-core/index.mjs';
import { FLOAT_MATH } from '../src/float-math.js';
import { randomNormal } from '../src/kernels/random.js';
import { COMMON, declareBindings, main1d } from '../src/wgsl.js';
import { randoms } from '../test/helpers.js';

const f = Math.fround;
function ulp(v: number) {
  const a = Math.abs(f(v));
  return a < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(a)) - 23);
}
function stats(xs: ArrayLike<number>, got: ArrayLike<number>, exact: (x: number) => number) {
  let maxUlp = 0,
    maxAbs = 0,
    at = NaN;
  for (let i = 0; i < xs.length; i++) {
    const w = exact(xs[i] as number),
      g = got[i] as number;
    if (!Number.isFinite(w) || !Number.isFinite(g)) continue;
    const a = Math.abs(g - w);
    if (a > maxAbs) maxAbs = a;
    if (a / ulp(w) > maxUlp) {
      maxUlp = a / ulp(w);
      at = xs[i] as number;
    }
  }
  return `max ${maxUlp.toFixed(2)} ulp, max abs ${maxAbs.toExponential(2)} (at ${at})`;
}
const bitsOf = (a: Float32Array) => Array.from(new Uint32Array(a.buffer));

const PAGE = `
window.runJobs = async (jobs) => {
  const adapter = await navigator.gpu.requestAdapter();
  const info = adapter.info;
  const device = await adapter.requestDevice();
  const out = { adapter: info.vendor + ' ' + info.architecture + ' ' + info.description, results: [] };
  for (const job of jobs) {
    const module = device.createShaderModule({ code: job.wgsl });
    const msgs = (await module.getCompilationInfo()).messages.filter(m => m.type === 'error');
    if (msgs.length) { out.results.push({ error: msgs.map(m => m.message).join('; ') }); continue; }
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const mk = (words, usage) => { const b = device.createBuffer({ size: Math.max(4, words.length * 4), usage }); device.queue.writeBuffer(b, 0, new Uint32Array(words)); return b; };
    const S = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
    const entries = [];
    let binding = 0;
    if (job.input) entries.push({ binding: binding++, resource: { buffer: mk(job.input, S) } });
    const outBuf = device.createBuffer({ size: job.n * 4, usage: S });
    entries.push({ binding: binding++, resource: { buffer: outBuf } });
    entries.push({ binding: binding++, resource: { buffer: mk(job.params, S) } });
    const bg = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    const read = device.createBuffer({ size: job.n * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass(); pass.setPipeline(pipeline); pass.setBindGroup(0, bg);
    pass.dispatchWorkgroups(job.grid[0], job.grid[1], job.grid[2]); pass.end();
    enc.copyBufferToBuffer(outBuf, 0, read, 0, job.n * 4);
    device.queue.submit([enc.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    out.results.push({ bits: Array.from(new Uint32Array(read.getMappedRange().slice(0))) });
    read.unmap();
  }
  return out;
};`;

function mapJob(expr: string, xs: Float32Array) {
  const wgsl =
    declareBindings([{ name: 'xs', type: 'f32' }], { name: 'ys', type: 'f32' }) +
    COMMON +
    FLOAT_MATH +
    main1d(`  let x = xs[i];\n  ys[i] = ${expr};`);
  return {
    wgsl,
    input: bitsOf(xs),
    params: [xs.length],
    n: xs.length,
    grid: [Math.ceil(xs.length / 256), 1, 1],
  };
}

it('measures on SwiftShader', async () => {
  const server = createServer((_q, r) => {
    r.setHeader('content-type', 'text/html');
    r.end(`<!doctype html><script>${PAGE}</script>`);
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  const port = (server.address() as { port: number }).port;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--enable-unsafe-webgpu',
      '--enable-features=Vulkan',
      '--use-vulkan=swiftshader',
      '--use-webgpu-adapter=swiftshader',
      '--disable-vulkan-surface',
    ],
  });
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  const ranges: [string, Float32Array][] = [
    ['[-π, π]', randoms(20000, 11, -Math.PI, Math.PI)],
    ['[-100, 100]', randoms(20000, 12, -100, 100)],
    ['[-1e6, 1e6]', randoms(20000, 15, -1e6, 1e6)],
  ];
  const logRanges: [string, Float32Array][] = [
    ['[0.5, 2]', randoms(20000, 21, 0.5, 2)],
    ['1 ± 1e-3', randoms(20000, 22, 1 - 1e-3, 1 + 1e-3)],
    [
      '[1e-30, 1e30] log-uniform',
      Float32Array.from(randoms(20000, 23, Math.log(1e-30), Math.log(1e30)), Math.exp),
    ],
  ];
  const jobs: {
    label: string;
    job: ReturnType<typeof mapJob> | Record<string, unknown>;
    xs?: Float32Array;
    exact?: (x: number) => number;
  }[] = [];
  for (const [r, xs] of ranges)
    for (const [fn, ex] of [
      ['sin', Math.sin],
      ['cos', Math.cos],
    ] as const) {
      jobs.push({ label: `${fn} builtin ${r}`, job: mapJob(`${fn}(x)`, xs), xs, exact: ex });
      jobs.push({ label: `${fn}_f32 ${r}`, job: mapJob(`${fn}_f32(x)`, xs), xs, exact: ex });
    }
  for (const [r, xs] of logRanges) {
    jobs.push({ label: `log builtin ${r}`, job: mapJob('log(x)', xs), xs, exact: Math.log });
    jobs.push({ label: `log_f32 ${r}`, job: mapJob('log_f32(x)', xs), xs, exact: Math.log });
  }
  jobs.push({
    label: `exp builtin`,
    job: mapJob('exp(x)', randoms(20000, 41, -87, 88)),
    xs: randoms(20000, 41, -87, 88),
    exact: Math.exp,
  });
  jobs.push({
    label: `exp_f32`,
    job: mapJob('exp_f32(x)', randoms(20000, 41, -87, 88)),
    xs: randoms(20000, 41, -87, 88),
    exact: Math.exp,
  });
  jobs.push({
    label: `sqrt builtin`,
    job: mapJob('sqrt(x)', randoms(20000, 42, 0, 30)),
    xs: randoms(20000, 42, 0, 30),
    exact: Math.sqrt,
  });
  // randomNormal: the kernel's own shader, and the old one (WGSL builtins).
  const n = 20000,
    key: [number, number] = [42, 7],
    counter: [number, number] = [0xfffffff0, 3];
  let spec: { source: () => string; params: Uint32Array; grid: readonly number[] } | undefined;
  const fake = {
    maxWorkgroupsPerDim: 65535,
    alloc: () => ({}),
    dispatch: (s: never) => {
      spec = s;
    },
  };
  randomNormal(
    fake as never,
    [],
    { key, counter, mean: 0.5, std: 2 },
    { shape: [n], dtype: 'float32', size: n },
  );
  const src = spec!.source();
  const old = src
    .replace(
      'let cs = cos_sin_turn_f32(u2);',
      'let theta = 6.283185307179586 * u2;\n  let cs = vec2f(cos(theta), sin(theta));',
    )
    .replace('sqrt(-2.0 * log_f32(u1))', 'sqrt(-2.0 * log(u1))');
  if (old === src) throw new Error('replace failed');
  const want = new Float32Array(n);
  fillNormal(want, key, counter, 0.5, 2);
  for (const [label, wgsl] of [
    ['randn old (builtins)', old],
    ['randn new', src],
  ] as const) {
    jobs.push({
      label,
      job: { wgsl, input: null, params: Array.from(spec!.params), n, grid: [...spec!.grid] },
    });
  }
  const res = (await page.evaluate(`window.runJobs(${JSON.stringify(jobs.map((j) => j.job))})`)) as {
    adapter: string;
    results: { bits?: number[]; error?: string }[];
  };
  console.log('adapter:', res.adapter);
  res.results.forEach((r, i) => {
    const j = jobs[i]!;
    if (r.error) {
      console.log(j.label, 'ERROR', r.error.slice(0, 400));
      return;
    }
    const got = new Float32Array(new Uint32Array(r.bits!).buffer);
    if (j.xs) console.log(j.label.padEnd(36), stats(j.xs, got, j.exact!));
    else {
      let worst = 0,
        excess = 0;
      for (let k = 0; k < n; k++) {
        const e = Math.abs(got[k]! - want[k]!);
        worst = Math.max(worst, e);
        excess = Math.max(excess, e - (1e-5 + 1e-5 * Math.abs(want[k]!)));
      }
      console.log(
        j.label.padEnd(36),
        `max abs error ${worst.toExponential(2)}, ${excess > 0 ? 'FAILS' : 'passes'} rtol/atol 1e-5`,
      );
    }
  });
  await browser.close();
  server.close();
});
