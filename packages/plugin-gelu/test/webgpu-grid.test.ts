/**
 * The WGSL kernels spread big tensors over a 2-D grid of workgroups (one dimension holds at most 65535);
 * a backend capped at 4 workgroups per dimension makes a small tensor take that path.
 */
import { createCpuBackend } from '@myelin/backend-cpu';
import { createWebGpuBackend } from '@myelin/backend-webgpu';
import { describeMismatches } from '@myelin/conformance';
import { registerBackend, removeBackend, setBackend, tensor } from '@myelin/core';
import { afterAll, expect, it } from 'vitest';
import { gelu, registerGeluPlugin, swish } from '../src/index.js';
import { geluTanh64, swish64 } from './reference.js';

afterAll(async () => {
  // The active backend cannot be removed: switch to the CPU, then end the GPU device.
  registerBackend('cpu', createCpuBackend);
  await setBackend('cpu');
  await removeBackend('webgpu');
});

it('gelu and swish over more workgroups than one grid dimension holds', async (ctx) => {
  registerGeluPlugin();
  registerBackend('webgpu', () => createWebGpuBackend({ maxWorkgroupsPerDimension: 4 }));
  try {
    await setBackend('webgpu');
  } catch (e) {
    console.warn(`skipping: ${(e as Error).message}`);
    return ctx.skip();
  }
  const n = 256 * 10 + 3; // 11 workgroups: a 3 × 4 grid with one to spare
  const xs = Float32Array.from({ length: n }, (_, i) => -6 + (12 * i) / n);
  const x = tensor(xs);
  const [g, s] = [gelu(x, { approximate: 'tanh' }), swish(x)];
  const tol = { rtol: 1e-4, atol: 1e-5 };
  expect(describeMismatches(await g.data(), Array.from(xs, geluTanh64), tol)).toBeNull();
  expect(describeMismatches(await s.data(), Array.from(xs, swish64), tol)).toBeNull();
  for (const t of [x, g, s]) t.dispose();
});
