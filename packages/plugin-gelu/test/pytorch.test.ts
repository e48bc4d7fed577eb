/**
 * Values and gradients against PyTorch (`torch.nn.functional.gelu`, exact and tanh, and `silu`), on every
 * backend. The fixtures come from tools/fixtures/plugin_gelu.py.
 */

import {
  DEFAULT_TOLERANCE,
  describeMismatches,
  type FixtureCase,
  type FixtureTensor,
} from '@myelin/conformance';
import { registerBackend, setBackend, type Tensor, tensor, tidy } from '@myelin/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GeluApproximation, gelu, registerGeluPlugin, swish } from '../src/index.js';
import { BACKENDS, disposeBackends } from './backends.js';
import fixtures from './fixtures/gelu.json' with { type: 'json' };

const CASES = fixtures.cases as unknown as FixtureCase[];

function decode(t: FixtureTensor): Tensor {
  return tensor(Float32Array.from(t.data as number[]), { shape: [...t.shape] });
}

function apply(c: FixtureCase, x: Tensor): Tensor {
  if (c.op === 'swish') return swish(x);
  return gelu(x, { approximate: (c.attrs.approximate as GeluApproximation) ?? 'none' });
}

beforeAll(() => {
  registerGeluPlugin();
});
afterAll(disposeBackends);

it('the fixtures cover gelu (exact and tanh) and swish', () => {
  expect(new Set(CASES.map((c) => `${c.op}/${c.attrs.approximate ?? ''}`))).toEqual(
    new Set(['gelu/none', 'gelu/tanh', 'swish/']),
  );
});

for (const backend of BACKENDS) {
  describe(`PyTorch fixtures on ${backend.name}`, () => {
    let unavailable: string | undefined;
    beforeAll(async () => {
      registerBackend(backend.name, backend.factory);
      try {
        await setBackend(backend.name);
      } catch (e) {
        unavailable = (e as Error).message;
        console.warn(`skipping PyTorch fixtures on '${backend.name}': ${unavailable}`);
      }
    });

    for (const c of CASES) {
      it(c.name, async (ctx) => {
        if (unavailable) return ctx.skip();
        await setBackend(backend.name);
        const x = decode(c.inputs[0] as FixtureTensor);
        x.requiresGrad = true;
        const cot = decode(c.cotangent as FixtureTensor);
        const y = apply(c, x);
        tidy(() => y.backward(cot));
        const out = await y.data();
        const dx = await (x.grad as Tensor).data();
        for (const t of [x, cot, y, x.grad as Tensor]) t.dispose();
        const tol = DEFAULT_TOLERANCE;
        const badY = describeMismatches(out, (c.output as FixtureTensor).data as number[], tol);
        const badG = describeMismatches(dx, ((c.grads ?? [])[0] as FixtureTensor).data as number[], tol);
        expect(badY, `output of ${c.name}`).toBeNull();
        expect(badG, `gradient of ${c.name}`).toBeNull();
      });
    }
  });
}
