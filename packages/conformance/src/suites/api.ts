/**
 * The public API's behaviour on the backend under test: scopes (`tidy`, `keep`, `using`), autograd
 * (`backward` accumulation, `noGrad`, `detach`, `grad`, `valueAndGrad`), the registry (switching backends
 * moves tensors, unavailable backends say why) and plugins (`registerKernel`'s contract checks, `defineOp`).
 */
import * as core from '@myelin/core';
import { describe, expect } from 'vitest';
import type { Harness } from '../harness.js';

async function values(t: core.Tensor): Promise<number[]> {
  return Array.from(await t.data());
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
      expect(core.memory().tensors).toBe(before + 3);
      expect(await values(out)).toEqual([12]);
      expect(await values(kept as core.Tensor)).toEqual([3, 5, 7]);
      for (const t of [x, out, kept as core.Tensor]) t.dispose();
      expect(() => core.tidy(() => Promise.resolve(1) as unknown as number)).toThrow(core.ArgumentError);
    });

    h.test(['binary'], '`using` disposes at the end of the block', () => {
      const before = core.memory().tensors;
      {
        using a = core.tensor([1, 2]);
        using b = core.add(a, 1);
        expect(b.isDisposed).toBe(false);
      }
      expect(core.memory().tensors).toBe(before);
    });

    h.test(
      ['binary', 'reduce'],
      'backward accumulates into .grad across calls, noGrad records nothing',
      async () => {
        const w = core.tensor([1, 2, 3], { requiresGrad: true });
        for (let i = 0; i < 2; i++) core.tidy(() => core.sum(core.mul(w, w)).backward());
        expect(await values(w.grad as core.Tensor)).toEqual([4, 8, 12]);
        const y = core.noGrad(() => core.mul(w, 3));
        expect(y.requiresGrad).toBe(false);
        const d = w.detach();
        expect(d.requiresGrad).toBe(false);
        expect(() => core.tidy(() => core.sum(y).backward())).toThrow(core.ArgumentError);
        const z = core.mul(w, 2);
        expect(() => z.backward()).toThrow(core.ShapeError);
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
          expect(g?.dataSync ? g.shape : []).toEqual([3]);
        });
        expect(core.memory().tensors).toBe(before);
        const { value, grads } = core.valueAndGrad((t) => core.sum(core.mul(t, t)))(x);
        expect(await values(value)).toEqual([14]);
        expect(await values(grads[0] as core.Tensor)).toEqual([2, 4, 6]);
        expect(x.grad).toBeNull();
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
        expect(core.getBackendName()).toBe(other);
        const y = core.tidy(() => {
          const out = core.matmul(w, w);
          core.sum(out).backward();
          return out;
        });
        expect(await values(y)).toEqual([7, 10, 15, 22]);
        // d/dW sum(W·W) = 1·Wᵀ + Wᵀ·1
        expect(await values(w.grad as core.Tensor)).toEqual([7, 11, 9, 13]);
        y.dispose();
        await core.setBackend(name);
        const back = core.add(w, 0);
        expect(await values(back)).toEqual([1, 2, 3, 4]);
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
          expect(info?.available).toBe(false);
          expect(info?.reason).toMatch(/no adapter in this test/);
          await expect(core.setBackend('conformance-unavailable')).rejects.toThrow(core.BackendError);
          await expect(core.setBackend('conformance-unknown')).rejects.toThrow(/unknown backend/);
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
          expect(await values(y)).toEqual([-1, 2, -3]);
          core.tidy(() => core.sum(core.mul(y, core.tensor([1, 2, 3]))).backward());
          expect(await values(x.grad as core.Tensor)).toEqual([-1, -2, -3]);
          y.dispose();
          expect(() => wrong([x])).toThrow(
            /plugin 'conformance-plugin' kernel 'conformance-wrong-size'.*broke the contract/,
          );
          expect(() => throws([x])).toThrow(core.KernelError);
          expect(() => throws([x])).toThrow(
            /plugin 'conformance-plugin' kernel 'conformance-throws'.*threw: boom/,
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
