/**
 * Accuracy of the float32 math in `float-math.ts`, measured in ulps against float64 on many inputs: the
 * functions must be accurate on every adapter, not only on one whose builtins happen to be. WGSL's own
 * `sin`/`cos`/`log` are measured too and printed (no assertion: the spec lets them be loose).
 */
import { fillNormal } from '@myelin/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { GpuTensor } from '../src/gpu-tensor.js';
import { mapElements } from '../src/kernels/unary.js';
import { backend, disposeBackend, randoms, run } from './helpers.js';

afterAll(disposeBackend);

const f = Math.fround;

/** The float32 ulp at the float32 rounding of `v` (the gap above |v|'s binade start). */
function ulp(v: number): number {
  const a = Math.abs(f(v));
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

interface ErrorStats {
  /** Largest error in float32 ulps of the exact value. */
  maxUlp: number;
  /** Largest absolute error. */
  maxAbs: number;
  /** The input of the largest ulp error. */
  worstInput: number;
}

function errors(xs: Float32Array, got: ArrayLike<number>, exact: (x: number) => number): ErrorStats {
  const stats: ErrorStats = { maxUlp: 0, maxAbs: 0, worstInput: Number.NaN };
  for (let i = 0; i < xs.length; i++) {
    const want = exact(xs[i] as number);
    const g = got[i] as number;
    if (Number.isNaN(want) || Number.isNaN(g)) {
      if (Number.isNaN(want) !== Number.isNaN(g)) stats.maxUlp = Number.POSITIVE_INFINITY;
      continue;
    }
    if (!Number.isFinite(want) || !Number.isFinite(g)) {
      if (want !== g) stats.maxUlp = Number.POSITIVE_INFINITY;
      continue;
    }
    const abs = Math.abs(g - want);
    const u = abs / ulp(want);
    if (abs > stats.maxAbs) stats.maxAbs = abs;
    if (u > stats.maxUlp) {
      stats.maxUlp = u;
      stats.worstInput = xs[i] as number;
    }
  }
  return stats;
}

/** Evaluates a WGSL expression of `x` (with `FLOAT_MATH` in scope) for every input. */
async function evaluate(expr: string, xs: Float32Array): Promise<Float32Array> {
  const b = await backend();
  const x = b.upload(xs, 'float32') as GpuTensor;
  const y = mapElements(b, `test/accuracy/${expr}`, expr, x, b.alloc('float32', xs.length));
  const out = (await b.read(y)) as Float32Array;
  b.free(x);
  b.free(y);
  return out;
}

/** Log-uniform magnitudes in [lo, hi) with random signs (`signed`) or positive. */
function logUniform(n: number, lo: number, hi: number, seed: number, signed: boolean): Float32Array {
  const u = randoms(n, seed, Math.log(lo), Math.log(hi));
  const s = randoms(n, seed + 1);
  return Float32Array.from(u, (v, i) => (signed && (s[i] as number) < 0 ? -1 : 1) * Math.exp(v));
}

/** The float32 neighbours of k·π/2: where the reduction must cancel the most. */
function nearQuarterTurns(): Float32Array {
  const out: number[] = [];
  for (const k of [1, 2, 3, 4, 5, 7, 10, 31, 100, 1001, 6000, 20000, 20861, 40000, 1e6, 1e9]) {
    const x = f((k * Math.PI) / 2);
    const bits = new Uint32Array(Float32Array.of(x).buffer)[0] as number;
    for (let d = -2; d <= 2; d++) {
      const v = new Float32Array(new Uint32Array([bits + d]).buffer)[0] as number;
      out.push(v, -v);
    }
  }
  return Float32Array.from(out);
}

const TRIG_INPUTS: Record<string, Float32Array> = {
  '[-π, π]': randoms(20000, 11, -Math.PI, Math.PI),
  '[-100, 100]': randoms(20000, 12, -100, 100),
  '|x| in [1e-8, 32768)': logUniform(20000, 1e-8, 32768, 13, true),
  '|x| in [32768, 3.4e38)': logUniform(20000, 32768, 3.4e38, 14, true),
  'near k·π/2': nearQuarterTurns(),
};

const LOG_INPUTS: Record<string, Float32Array> = {
  '[0.5, 2]': randoms(20000, 21, 0.5, 2),
  '1 ± 1e-3': randoms(20000, 22, 1 - 1e-3, 1 + 1e-3),
  'x in [1e-38, 3.4e38)': logUniform(20000, 1e-38, 3.4e38, 23, false),
  subnormal: logUniform(2000, 1.5e-45, 1e-38, 24, false),
};

function report(name: string, range: string, s: ErrorStats): void {
  console.log(
    `[accuracy] ${name.padEnd(18)} ${range.padEnd(24)} max ${s.maxUlp.toFixed(2).padStart(12)} ulp, ` +
      `max abs ${s.maxAbs.toExponential(2)} (worst at x = ${s.worstInput})`,
  );
}

describe('float32 math vs float64', () => {
  it('sin_f32 and cos_f32 are within 2.5 ulp everywhere (Cody–Waite, then Payne–Hanek)', async () => {
    for (const [range, xs] of Object.entries(TRIG_INPUTS)) {
      for (const [name, exact] of [
        ['sin', Math.sin],
        ['cos', Math.cos],
      ] as const) {
        const mine = errors(xs, await evaluate(`${name}_f32(x)`, xs), exact);
        report(`${name}_f32`, range, mine);
        expect(mine.maxUlp, `${name}_f32 on ${range}, worst x = ${mine.worstInput}`).toBeLessThanOrEqual(2.5);
        if (range === '[-π, π]' || range === '[-100, 100]') {
          report(`${name} (builtin)`, range, errors(xs, await evaluate(`${name}(x)`, xs), exact));
        }
      }
    }
  });

  it('sin_f32 and cos_f32 keep the IEEE edges', async () => {
    const xs = Float32Array.of(0, -0, 1e-30, -1e-30, 1e-45, Infinity, -Infinity, Number.NaN);
    const s = await evaluate('sin_f32(x)', xs);
    const c = await evaluate('cos_f32(x)', xs);
    expect(Object.is(s[0], 0) && Object.is(s[1], -0)).toBe(true);
    expect(Array.from(s.slice(2, 5))).toEqual(Array.from(xs.slice(2, 5)));
    expect(Array.from(c.slice(0, 5))).toEqual([1, 1, 1, 1, 1]);
    expect(Array.from(s.slice(5)).every(Number.isNaN)).toBe(true);
    expect(Array.from(c.slice(5)).every(Number.isNaN)).toBe(true);
  });

  it('cos_sin_turn_f32 gives cos 2πu and sin 2πu within 2.5 ulp for u = m·2^-24', async () => {
    const us = Float32Array.from(randoms(20000, 31, 0, 1), (v) => Math.floor(v * 2 ** 24) * 2 ** -24);
    us.set([0, 0.125, 0.25, 0.375, 0.5, 0.75, 1 - 2 ** -24], 0);
    // Exact zeros where 4u is an integer (float64's 2π·u would give ~1e-16 there instead).
    const cosTurn = (u: number) =>
      Number.isInteger(4 * u) && (4 * u) % 2 === 1 ? 0 : Math.cos(2 * Math.PI * u);
    const sinTurn = (u: number) =>
      Number.isInteger(4 * u) && (4 * u) % 2 === 0 ? 0 : Math.sin(2 * Math.PI * u);
    const cos = errors(us, await evaluate('cos_sin_turn_f32(x).x', us), cosTurn);
    const sin = errors(us, await evaluate('cos_sin_turn_f32(x).y', us), sinTurn);
    report('cos 2πu', '[0, 1)', cos);
    report('sin 2πu', '[0, 1)', sin);
    expect(cos.maxUlp, `cos 2πu, worst u = ${cos.worstInput}`).toBeLessThanOrEqual(2.5);
    expect(sin.maxUlp, `sin 2πu, worst u = ${sin.worstInput}`).toBeLessThanOrEqual(2.5);
  });

  it('log_f32 is within 2 ulp everywhere, subnormals included', async () => {
    for (const [range, xs] of Object.entries(LOG_INPUTS)) {
      const mine = errors(xs, await evaluate('log_f32(x)', xs), Math.log);
      report('log_f32', range, mine);
      report('log (builtin)', range, errors(xs, await evaluate('log(x)', xs), Math.log));
      // An adapter that flushes subnormals to zero gives -inf there, as its builtins do.
      if (range !== 'subnormal') {
        expect(mine.maxUlp, `log_f32 on ${range}, worst x = ${mine.worstInput}`).toBeLessThanOrEqual(2);
      }
    }
  });

  it('exp_f32 is within 2 ulp on [-87, 88]', async () => {
    const xs = randoms(20000, 41, -87, 88);
    const mine = errors(xs, await evaluate('exp_f32(x)', xs), Math.exp);
    report('exp_f32', '[-87, 88]', mine);
    report('exp (builtin)', '[-87, 88]', errors(xs, await evaluate('exp(x)', xs), Math.exp));
    expect(mine.maxUlp).toBeLessThanOrEqual(2);
  });

  it('randomNormal is within 1e-6 relative of the float64 Box–Muller (the CPU stream)', async () => {
    const n = 20000;
    const key: [number, number] = [3, 5];
    const counter: [number, number] = [17, 0];
    const got = await run('randomNormal', [], { key, counter, mean: 0, std: 1 }, [n], 'float32');
    const want = new Float32Array(n);
    fillNormal(want, key, counter, 0, 1);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const w = want[i] as number;
      worst = Math.max(worst, Math.abs((got[i] as number) - w) / Math.max(Math.abs(w), 1e-3));
    }
    console.log(`[accuracy] randomNormal       max relative error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-6);
  });
});
