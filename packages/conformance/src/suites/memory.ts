/**
 * Memory: the per-test check that live tensors and backend buffers return to their baseline (installed by
 * `runConformance` as afterEach), and a few scenarios that must stay flat: a training step in `tidy`,
 * repeated backward passes, `dispose` of views and of gradients.
 */
import * as core from '@myelin/core';
import { describe } from 'vitest';
import type { Harness } from '../harness.js';

/** Live tensors (core) and buffers (backend) at one moment. */
export interface MemorySnapshot {
  readonly tensors: number;
  readonly buffers: number;
  readonly bytes: number;
}

/** What is alive now, after the backend has finished its queued work. */
export async function memorySnapshot(): Promise<MemorySnapshot> {
  await core.getBackend().sync?.();
  const m = core.memory();
  return { tensors: m.tensors, buffers: m.buffers, bytes: m.bytes };
}

/** A description of what leaked, or null when `now` is back at `before`. */
export function describeLeak(before: MemorySnapshot, now: MemorySnapshot): string | null {
  if (now.tensors === before.tensors && now.buffers === before.buffers && now.bytes === before.bytes)
    return null;
  return (
    `memory not back to baseline: tensors ${before.tensors} → ${now.tensors}, ` +
    `backend buffers ${before.buffers} → ${now.buffers}, bytes ${before.bytes} → ${now.bytes}`
  );
}

/** Registers the memory scenarios. */
export function registerMemorySuite(h: Harness): void {
  describe('memory stays flat', () => {
    h.test(
      ['matmul', 'unary', 'reduce'],
      'a training step in tidy leaves only the parameters and their gradients',
      async () => {
        const w = core.keep(core.randn([4, 3], { seed: 1 }));
        w.requiresGrad = true;
        const x = core.randn([5, 4], { seed: 2 });
        try {
          let steady: number | null = null;
          for (let step = 0; step < 4; step++) {
            core.tidy(() => {
              const loss = core.mean(core.square(core.relu(core.matmul(x, w))));
              loss.backward();
              const updated = core.sub(w, core.mul(w.grad as core.Tensor, 0.1));
              w.assign(updated);
              w.grad?.dispose();
              w.grad = null;
            });
            const m = core.getBackend().memory();
            if (steady === null) steady = m.buffers;
            else if (m.buffers !== steady)
              throw new Error(`step ${step}: ${m.buffers} buffers, ${steady} after the first step`);
          }
        } finally {
          w.dispose();
          x.dispose();
        }
      },
    );

    h.test(['binary'], 'views share a buffer that is freed with the last of them', () => {
      const before = core.getBackend().memory().buffers;
      const x = core.ones([2, 3]);
      const v = core.reshape(x, [6]);
      const d = x.detach();
      x.dispose();
      v.dispose();
      if (core.getBackend().memory().buffers !== before + 1)
        throw new Error('the buffer was freed while a view was alive');
      d.dispose();
      if (core.getBackend().memory().buffers !== before) throw new Error('the buffer outlived its last view');
    });

    h.test(
      ['binary', 'reduce'],
      'disposing a leaf frees its gradient; backward frees its intermediates',
      () => {
        const before = core.memory();
        const x = core.tensor([1, 2, 3], { requiresGrad: true });
        core.tidy(() => core.sum(core.mul(core.exp(x), x)).backward());
        const mid = core.memory();
        // x and x.grad are left.
        if (mid.tensors !== before.tensors + 2)
          throw new Error(
            `after backward: ${mid.tensors - before.tensors} live tensors, expected 2 (x and x.grad)`,
          );
        x.dispose();
        const after = core.memory();
        if (after.tensors !== before.tensors || after.buffers !== before.buffers) {
          throw new Error(
            `after dispose: tensors ${before.tensors} → ${after.tensors}, buffers ${before.buffers} → ${after.buffers}`,
          );
        }
      },
    );

    h.test(['unary'], 'an op that throws inside tidy leaks nothing', () => {
      const x = core.ones([2, 3]);
      try {
        core.tidy(() => {
          core.exp(x);
          core.matmul(x, x); // inner dims differ
        });
      } catch (e) {
        if (!(e instanceof core.ShapeError)) throw e;
      } finally {
        x.dispose();
      }
    });
  });
}
