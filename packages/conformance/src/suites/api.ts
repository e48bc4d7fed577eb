/**
 * The public API's behaviour on the backend under test: scopes (`tidy`, `keep`, `using`), autograd
 * (`backward` accumulation, `noGrad`, `detach`, `grad`, `valueAndGrad`), the registry (switching backends
 * moves tensors, unavailable backends say why) and plugins (`registerKernel`'s contract checks, `defineOp`).
 */
import * as core from '@myelin/core';
import { describe } from 'vitest';
import type { Harness } from '../harness.js';

async function values(t: core.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

// Plain assertions (no vitest `expect`), so the suite also runs under the browser's describe/it shim.
function same(actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

function failure(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

function isError(
  e: unknown,
  cls: new (...args: never[]) => Error,
  pattern: RegExp | undefined,
  what: string,
): void {
  if (!(e instanceof cls)) throw new Error(`${what}: expected a ${cls.name}, got ${String(e)}`);
  if (pattern && !pattern.test(e.message))
    throw new Error(`${what}: message ${JSON.stringify(e.message)} does not match ${pattern}`);
}

/** Registers the API-behaviour tests; `name` and `factory` make a second instance for switching tests. */
export function registerApiSuite(
  h: Harness,
  name: string,
  factory: () => core.Backend | Promise<core.Backend>,
): void {
  describe('public API behaviour', () => {
    h.test(['binary', 'reduce'], 'tidy frees intermediates, keeps returned and kept tensors', async () => {
      const before = core.memory().tensors;
      const x = core.tensor([1, 2, 3]);
      let kept: core.Tensor | undefined;
      const out = core.tidy(() => {
        const a = core.mul(x, 2);
        kept = core.keep(core.add(a, 1));
        return core.sum(a);
      });
      same(core.memory().tensors, before + 3, 'live tensors');
      same(await values(out), [12], 'values');
      same(await values(kept as core.Tensor), [3, 5, 7], 'values');
      for (const t of [x, out, kept as core.Tensor]) t.dispose();
      isError(
        failure(() => core.tidy(() => Promise.resolve(1) as unknown as number)),
        core.ArgumentError,
        undefined,
        'error',
      );
    });

    h.test(['binary'], '`using` disposes at the end of the block', () => {
      const before = core.memory().tensors;
      {
        using a = core.tensor([1, 2]);
        using b = core.add(a, 1);
        same(b.isDisposed, false, 'disposed early');
      }
      same(core.memory().tensors, before, 'live tensors');
    });

    h.test(
      ['binary', 'reduce'],
      'backward accumulates into .grad across calls, noGrad records nothing',
      async () => {
        const w = core.tensor([1, 2, 3], { requiresGrad: true });
        for (let i = 0; i < 2; i++) core.tidy(() => core.sum(core.mul(w, w)).backward());
        same(await values(w.grad as core.Tensor), [4, 8, 12], 'values');
        const y = core.noGrad(() => core.mul(w, 3));
        same(y.requiresGrad, false, 'noGrad output requiresGrad');
        const d = w.detach();
        same(d.requiresGrad, false, 'detached requiresGrad');
        isError(
          failure(() => core.tidy(() => core.sum(y).backward())),
          core.ArgumentError,
          undefined,
          'error',
        );
        const z = core.mul(w, 2);
        isError(
          failure(() => z.backward()),
          core.ShapeError,
          undefined,
          'error',
        );
        for (const t of [y, d, z, w]) t.dispose();
      },
    );

    h.test(
      ['binary', 'reduce'],
      'grad and valueAndGrad return fresh tensors in the caller scope',
      async () => {
        const x = core.tensor([1, 2, 3]);
        const before = core.memory().tensors;
        core.tidy(() => {
          const [g] = core.grad((t) => core.sum(core.mul(t, t)))(x);
          same(g?.shape, [3], 'gradient shape');
        });
        same(core.memory().tensors, before, 'live tensors');
        const { value, grads } = core.valueAndGrad((t) => core.sum(core.mul(t, t)))(x);
        same(await values(value), [14], 'values');
        same(await values(grads[0] as core.Tensor), [2, 4, 6], 'values');
        same(x.grad, null, 'x.grad');
        for (const t of [value, ...grads, x]) t.dispose();
      },
    );

    h.test(['binary', 'matmul'], 'setBackend moves live tensors and models keep working', async () => {
      const other = `${name}-second`;
      core.registerBackend(other, factory);
      const w = core.tensor(
        [
          [1, 2],
          [3, 4],
        ],
        { requiresGrad: true },
      );
      try {
        await core.setBackend(other);
        same(core.getBackendName(), other, 'active backend');
        const y = core.tidy(() => {
          const out = core.matmul(w, w);
          core.sum(out).backward();
          return out;
        });
        same(await values(y), [7, 10, 15, 22], 'values');
        // d/dW sum(W·W) = 1·Wᵀ + Wᵀ·1
        same(await values(w.grad as core.Tensor), [7, 11, 9, 13], 'values');
        y.dispose();
        // Overlapping switches run in call order: the last one asked for wins, each buffer moves once.
        await Promise.all([core.setBackend(name), core.setBackend(other), core.setBackend(name)]);
        same(core.getBackendName(), name, 'active backend after overlapping switches');
        const back = core.add(w, 0);
        same(await values(back), [1, 2, 3, 4], 'values');
        back.dispose();
      } finally {
        await core.setBackend(name);
        w.dispose();
        core.tidy(() => undefined);
        await core.removeBackend(other);
      }
    });

    h.test(
      [],
      'listBackends reports an unavailable backend with its reason; setBackend says why',
      async () => {
        core.registerBackend('conformance-unavailable', () => {
          throw new Error('no adapter in this test');
        });
        try {
          const info = (await core.listBackends()).find((b) => b.name === 'conformance-unavailable');
          same(info?.available, false, 'available');
          if (!/no adapter in this test/.test(info?.reason ?? '')) throw new Error(`reason: ${info?.reason}`);
          isError(
            await rejection(core.setBackend('conformance-unavailable')),
            core.BackendError,
            undefined,
            'setBackend',
          );
          isError(
            await rejection(core.setBackend('conformance-unknown')),
            core.BackendError,
            /unknown backend/,
            'setBackend',
          );
        } finally {
          await core.removeBackend('conformance-unavailable');
        }
      },
    );

    h.test(
      ['unary'],
      'registerKernel: a plugin kernel that breaks the contract is caught and named',
      async () => {
        const negate: core.KernelImpl = (inputs, _attrs, out, backend) =>
          backend.kernels.unary(inputs, { op: 'neg' }, out, backend);
        core.registerKernel(name, 'conformance-neg', negate, { plugin: 'conformance-plugin' });
        core.registerKernel(
          name,
          'conformance-wrong-size',
          (inputs, _attrs, _out, backend) =>
            backend.kernels.unary(inputs, { op: 'neg' }, { shape: [1], dtype: 'float32', size: 1 }, backend),
          { plugin: 'conformance-plugin' },
        );
        core.registerKernel(
          name,
          'conformance-throws',
          () => {
            throw new Error('boom');
          },
          { plugin: 'conformance-plugin' },
        );
        const neg = core.defineOp({
          name: 'conformanceNeg',
          kernel: 'conformance-neg',
          backward: (dy) => [core.neg(dy)],
        });
        const wrong = core.defineOp({ name: 'conformanceWrong', kernel: 'conformance-wrong-size' });
        const throws = core.defineOp({ name: 'conformanceThrows', kernel: 'conformance-throws' });
        const x = core.tensor([1, -2, 3], { requiresGrad: true });
        try {
          const y = neg([x]);
          same(await values(y), [-1, 2, -3], 'values');
          core.tidy(() => core.sum(core.mul(y, core.tensor([1, 2, 3]))).backward());
          same(await values(x.grad as core.Tensor), [-1, -2, -3], 'values');
          y.dispose();
          isError(
            failure(() => wrong([x])),
            core.KernelError,
            /plugin 'conformance-plugin' kernel 'conformance-wrong-size'.*broke the contract/,
            'wrong-size plugin',
          );
          isError(
            failure(() => throws([x])),
            core.KernelError,
            undefined,
            'error',
          );
          isError(
            failure(() => throws([x])),
            core.KernelError,
            /plugin 'conformance-plugin' kernel 'conformance-throws'.*threw: boom/,
            'throwing plugin',
          );
        } finally {
          x.dispose();
          for (const k of ['conformance-neg', 'conformance-wrong-size', 'conformance-throws'])
            core.unregisterKernel(name, k);
        }
      },
    );
  });
}
