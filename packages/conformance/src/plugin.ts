/**
 * Conformance checks for a plugin's elementwise ops, on every backend it has kernels for — the part of
 * this suite a new op needs: values against a float64 reference on awkward shapes, gradients against the
 * analytic derivative and against finite differences of the backend's own forward pass, typed errors,
 * memory back to baseline after every test, judged with the suite's own comparison helpers and tolerance.
 * `@myelin/plugin-gelu` and every plugin `tools/create-plugin` makes run these from their tests.
 *
 * A backend that cannot run here (no GPU adapter, no SharedArrayBuffer) is skipped with its reason printed.
 */

import {
  type Backend,
  DisposedError,
  DTypeError,
  getBackendName,
  memory,
  registerBackend,
  setBackend,
  type Tensor,
  tensor,
  tidy,
} from '@myelin/core';
import { afterEach, beforeAll, beforeEach, describe, it, type TestContext } from 'vitest';
import { DEFAULT_TOLERANCE, describeMismatches, type Tolerance } from './compare.js';
import { Rng, sizeOf } from './random-data.js';

// Plain assertions, not vitest's `expect`: this module is part of the package's entry, which the browser
// conformance page bundles with a describe/it shim that has no `expect`.
function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

function checkThrows(fn: () => unknown, type: new (...args: never[]) => Error, what: string): void {
  try {
    fn();
  } catch (e) {
    check(e instanceof type, `${what} threw ${String(e)}, not a ${type.name}`);
    return;
  }
  throw new Error(`${what} did not throw a ${type.name}`);
}

/** One elementwise op of the plugin and its float64 reference. */
export interface PluginOpCheck {
  /** A name for the test titles, e.g. `gelu(tanh)`. */
  readonly name: string;
  /** Runs the op under test. */
  readonly run: (x: Tensor) => Tensor;
  /** The op on one value, in float64. */
  readonly reference: (x: number) => number;
  /** Its derivative, in float64; omit for an op without a gradient. */
  readonly derivative?: (x: number) => number;
  /** Where random inputs are drawn from (default [-6, 6]). */
  readonly domain?: readonly [number, number];
}

/** A backend to run the plugin checks on. */
export interface PluginBackend {
  /** The registry name the plugin registered its kernels under (`cpu`, `worker`, `webgpu`...). */
  readonly name: string;
  /** Creates it; may throw or reject where the backend cannot run here (the checks are then skipped). */
  readonly factory: () => Backend | Promise<Backend>;
  /** Its float tolerance (default {@link DEFAULT_TOLERANCE}: rtol 1e-4, atol 1e-5). */
  readonly tolerance?: Partial<Tolerance>;
}

/** Options of {@link runPluginConformance}. */
export interface PluginConformanceOptions {
  /** The plugin's package name, for the test titles. */
  readonly plugin: string;
  /** Registers the plugin's kernels (called once, before any backend is made active). */
  readonly register: () => void;
  /** The backends to check the kernels on, each in its own `describe`. */
  readonly backends: readonly PluginBackend[];
  /** The plugin's elementwise ops and their float64 references. */
  readonly ops: readonly PluginOpCheck[];
}

/** Shapes every op must handle: a scalar, size-1 and size-0 dims, odd sizes, several workgroups. */
const SHAPES: readonly (readonly number[])[] = [
  [],
  [1],
  [7],
  [3, 5],
  [2, 3, 4],
  [1, 1, 9],
  [1000],
  [0],
  [4, 0],
];

/** n seeded values uniform in [lo, hi), so a failure reproduces. */
function values(n: number, [lo, hi]: readonly [number, number], seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
}

/**
 * Registers the plugin conformance checks for each backend inside the calling vitest file: the plugin's
 * kernels are registered once, each backend is registered and made active in its own `describe`, and
 * every op is checked on it (values on a scalar, size-1, size-0, odd and multi-workgroup shapes and a
 * transposed input; the gradient against `derivative` and against finite differences; `DTypeError` for
 * int32 and `DisposedError` for disposed inputs; `memory().tensors` back to baseline after every test).
 *
 * @example
 * ```ts
 * // packages/plugin-cube/test/conformance.test.ts
 * import { createCpuBackend } from '@myelin/backend-cpu';
 * import { runPluginConformance } from '@myelin/conformance';
 * import { cube, registerCubePlugin } from '../src/index.js';
 *
 * runPluginConformance({
 *   plugin: '@me/plugin-cube',
 *   register: registerCubePlugin,
 *   backends: [{ name: 'cpu', factory: createCpuBackend }],
 *   ops: [{ name: 'cube', run: cube, reference: (x) => x ** 3, derivative: (x) => 3 * x ** 2 }],
 * });
 * ```
 */
export function runPluginConformance(options: PluginConformanceOptions): void {
  let registered = false;
  for (const backend of options.backends) {
    const tol: Tolerance = { ...DEFAULT_TOLERANCE, ...backend.tolerance };
    describe(`plugin conformance: ${options.plugin} on ${backend.name}`, () => {
      let unavailable: string | undefined;
      let baseline = 0;

      beforeAll(async () => {
        if (!registered) {
          options.register();
          registered = true;
        }
        registerBackend(backend.name, backend.factory);
        try {
          await setBackend(backend.name);
        } catch (e) {
          unavailable = (e as Error).message;
          console.warn(`[${options.plugin}] skipping the '${backend.name}' checks: ${unavailable}`);
        }
      });
      beforeEach(async (ctx: TestContext) => {
        if (unavailable) {
          ctx.skip();
          return;
        }
        await setBackend(backend.name);
        baseline = memory().tensors;
      });
      afterEach(() => {
        if (unavailable) return;
        const now = memory().tensors;
        if (now !== baseline) throw new Error(`${now - baseline} tensor(s) leaked on '${backend.name}'`);
      });

      for (const op of options.ops) {
        const domain = op.domain ?? [-6, 6];

        it(`${op.name}: values against the float64 reference on ${SHAPES.length} shapes`, async () => {
          check(getBackendName() === backend.name, `the active backend is '${getBackendName()}'`);
          for (const [k, shape] of SHAPES.entries()) {
            const x = values(sizeOf(shape), domain, 1 + k);
            const y = tidy(() => op.run(tensor(x, { shape: [...shape] })));
            check(
              JSON.stringify(y.shape) === JSON.stringify(shape) && y.dtype === 'float32',
              `${op.name} of a float32 ${JSON.stringify(shape)} gave ${y.dtype} ${JSON.stringify(y.shape)}`,
            );
            const got = await y.data();
            y.dispose();
            const want = Array.from(x, op.reference);
            const bad = describeMismatches(got, want, tol);
            if (bad) throw new Error(`${op.name} ${JSON.stringify(shape)} on ${backend.name}: ${bad}`);
          }
        });

        it(`${op.name}: a non-contiguous (transposed) input`, async () => {
          const x = values(12, domain, 99);
          const y = tidy(() => op.run(tensor(x, { shape: [3, 4] }).transpose()));
          const got = await y.data();
          y.dispose();
          const want: number[] = [];
          for (let j = 0; j < 4; j++)
            for (let i = 0; i < 3; i++) want.push(op.reference(x[i * 4 + j] as number));
          const bad = describeMismatches(got, want, tol);
          if (bad) throw new Error(`${op.name} transposed on ${backend.name}: ${bad}`);
        });

        it(`${op.name}: typed errors (int32 input, disposed input)`, () => {
          const ints = tensor([1, 2, 3], { dtype: 'int32' });
          checkThrows(() => op.run(ints), DTypeError, `${op.name} of an int32 tensor`);
          ints.dispose();
          const gone = tensor([1, 2, 3]);
          gone.dispose();
          checkThrows(() => op.run(gone), DisposedError, `${op.name} of a disposed tensor`);
        });

        const derivative = op.derivative;
        if (!derivative) continue;

        it(`${op.name}: gradient against the analytic derivative`, async () => {
          for (const [k, shape] of [[5], [2, 3], [257]].entries()) {
            const n = sizeOf(shape);
            const xs = values(n, domain, 50 + k);
            const dys = values(n, [-1, 1], 70 + k);
            const x = tensor(xs, { shape, requiresGrad: true });
            const cot = tensor(dys, { shape });
            tidy(() => op.run(x).backward(cot));
            const grad = x.grad;
            if (!grad) throw new Error(`${op.name}: no gradient reached the input`);
            const got = await grad.data();
            x.dispose();
            cot.dispose();
            grad.dispose();
            const want = Array.from(xs, (v, i) => (dys[i] as number) * derivative(v));
            const bad = describeMismatches(got, want, tol);
            if (bad) throw new Error(`${op.name}' ${JSON.stringify(shape)} on ${backend.name}: ${bad}`);
          }
        });

        it(`${op.name}: gradient against finite differences of the backend's forward pass`, async () => {
          // Central differences in float32: h large enough that rounding (~1e-7·|f|/h) stays small.
          const h = 1e-2;
          const xs = values(16, domain, 7);
          const x = tensor(xs, { requiresGrad: true });
          tidy(() => op.run(x).sum().backward());
          const analytic = await (x.grad as Tensor).data();
          x.grad?.dispose();
          x.dispose();
          const plus = tidy(() => op.run(tensor(xs.map((v) => v + h))));
          const minus = tidy(() => op.run(tensor(xs.map((v) => v - h))));
          const [p, m] = [await plus.data(), await minus.data()];
          plus.dispose();
          minus.dispose();
          const numeric = Array.from(p, (v, i) => (v - (m[i] as number)) / (2 * h));
          const bad = describeMismatches(analytic, numeric, { rtol: 1e-2, atol: 1e-2 });
          if (bad)
            throw new Error(`${op.name}: analytic vs finite-difference gradient on ${backend.name}: ${bad}`);
        });
      }
    });
  }
}
