/**
 * Golden values and gradients from PyTorch: every fixture case runs its op on the backend, and, where the
 * fixture has gradients, runs backward with the fixture's cotangent and compares each input's `.grad`.
 */

import type { Tensor } from '@myelin/core';
import * as core from '@myelin/core';
import { describe } from 'vitest';
import type { Tolerance } from '../compare.js';
import {
  caseCotangents,
  caseOutputs,
  decodeData,
  FIXTURES,
  type FixtureCase,
  type FixtureTensor,
} from '../fixtures.js';
import {
  asList,
  disposeAll,
  expectedInLeafLayout,
  expectTensor,
  type Harness,
  type MadeInput,
  makeInput,
} from '../harness.js';
import { OP_TABLE, type OpSpec } from '../op-table.js';

/**
 * Cases whose point is a small value next to a large one (expm1 and log1p near 0): compared relatively,
 * so an implementation that loses those digits (exp(x) - 1) fails.
 */
const RELATIVE_ONLY = new Set(['expm1/tiny', 'log1p/tiny']);

function toleranceFor(c: FixtureCase, tol: Tolerance): Tolerance {
  return RELATIVE_ONLY.has(c.name) ? { rtol: Math.max(tol.rtol, 1e-4), atol: 0 } : tol;
}

async function checkForward(c: FixtureCase, spec: OpSpec, tol: Tolerance): Promise<void> {
  const made = c.inputs.map((f) => makeInput(f));
  let outs: Tensor[] = [];
  try {
    outs = asList(
      core.tidy(() =>
        spec.call(
          made.map((m) => m.value),
          c.attrs,
        ),
      ),
    );
    const expected = caseOutputs(c);
    if (outs.length !== expected.length)
      throw new Error(`${c.name}: ${outs.length} outputs, expected ${expected.length}`);
    for (let i = 0; i < outs.length; i++) {
      const e = expected[i] as FixtureTensor;
      await expectTensor(
        outs[i] as Tensor,
        { ...e, data: decodeData(e) },
        toleranceFor(c, tol),
        `${c.name} output ${i}`,
      );
    }
  } finally {
    disposeAll(
      outs,
      made.map((m) => m.value),
      made.map((m) => m.leaf),
    );
  }
}

async function checkGradients(c: FixtureCase, spec: OpSpec, tol: Tolerance): Promise<void> {
  const grads = c.grads ?? [];
  const made = c.inputs.map((f, i) => makeInput(f, grads[i] != null));
  const cotangents = caseCotangents(c) ?? [];
  try {
    core.tidy(() => {
      const outs = asList(
        spec.call(
          made.map((m) => m.value),
          c.attrs,
        ),
      );
      let loss: Tensor | null = null;
      outs.forEach((o, i) => {
        const g = cotangents[i] as FixtureTensor;
        const term = core.sum(core.mul(o, core.tensor(decodeData(g), { shape: g.shape })));
        loss = loss ? core.add(loss, term) : term;
      });
      (loss as unknown as Tensor).backward();
    });
    for (let i = 0; i < made.length; i++) {
      const expected = grads[i];
      if (!expected) continue;
      const m = made[i] as MadeInput;
      const want = expectedInLeafLayout(expected, m.permute);
      const label = `${c.name} grad of input ${i}${m.permute ? ` (through permute [${m.permute}])` : ''}`;
      if (!m.leaf.grad) {
        // An op whose gradient is zero everywhere (floor, sign, ...) may leave .grad unset.
        if (want.data.every((v) => v === 0)) continue;
        throw new Error(`${label}: .grad is null after backward()`);
      }
      await expectTensor(m.leaf.grad, { ...want, dtype: 'float32' }, toleranceFor(c, tol), label);
    }
  } finally {
    disposeAll(
      made.map((m) => m.value),
      made.map((m) => m.leaf),
    );
  }
}

/** Registers one forward test per fixture case, and one gradient test per differentiable case. */
export function registerFixtureSuite(h: Harness): void {
  for (const [family, file] of Object.entries(FIXTURES)) {
    describe(`fixtures ${family} (PyTorch ${file.torch})`, () => {
      for (const c of file.cases) {
        const spec = OP_TABLE[c.op];
        if (!spec) {
          h.test([], `${c.name}: the suite has no call for op '${c.op}'`, () => {
            throw new Error(`conformance: add '${c.op}' to op-table.ts`);
          });
          continue;
        }
        h.test(spec.kernels, c.name, () => checkForward(c, spec, h.tolerance));
        if (c.grads) {
          h.test([...spec.kernels, ...spec.gradKernels], `${c.name} gradient`, () =>
            checkGradients(c, spec, h.tolerance),
          );
        }
      }
    });
  }
}
