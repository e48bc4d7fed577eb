import { fillNormal } from '@myelin/core';
import { it } from 'vitest';
import { randomNormal } from '../src/kernels/random.js';
import { backend } from '../test/helpers.js';

it('old vs new randn on lavapipe', async () => {
  const b = await backend();
  const n = 20000,
    key: [number, number] = [42, 7],
    counter: [number, number] = [0xfffffff0, 3];
  const want = new Float32Array(n);
  fillNormal(want, key, counter, 0.5, 2);
  for (const variant of ['old', 'new']) {
    const ctx = {
      maxWorkgroupsPerDim: b.maxWorkgroupsPerDim,
      alloc: (d: any, s: number) => b.alloc(d, s),
    } as any;
    ctx.dispatch = (spec: any) => {
      const src = spec.source();
      const old = src
        .replace(
          'let cs = cos_sin_turn_f32(u2);',
          'let theta = 6.283185307179586 * u2;\n  let cs = vec2f(cos(theta), sin(theta));',
        )
        .replace('sqrt(-2.0 * log_f32(u1))', 'sqrt(-2.0 * log(u1))');
      b.dispatch({ ...spec, key: `scratch/${variant}`, source: () => (variant === 'old' ? old : src) });
    };
    const y = randomNormal(
      ctx,
      [],
      { key, counter, mean: 0.5, std: 2 },
      { shape: [n], dtype: 'float32', size: n },
    );
    const got = (await b.read(y)) as Float32Array;
    let worst = 0,
      rel = 0;
    for (let k = 0; k < n; k++) {
      const e = Math.abs(got[k]! - want[k]!);
      worst = Math.max(worst, e);
      rel = Math.max(rel, e / Math.max(1e-3, Math.abs(want[k]!)));
    }
    console.log(variant, 'max abs', worst.toExponential(2), 'max rel', rel.toExponential(2));
    b.free(y);
  }
});
