/**
 * The golden fixtures from PyTorch (`tools/fixtures/generate.py`, committed as JSON in ../fixtures) and
 * their decoding. See tools/fixtures/README.md for the format.
 */
import type { DType } from '@myelin/core';
import creation from '../fixtures/creation.json' with { type: 'json' };
import elementwise from '../fixtures/elementwise.json' with { type: 'json' };
import indexing from '../fixtures/indexing.json' with { type: 'json' };
import matmul from '../fixtures/matmul.json' with { type: 'json' };
import nn from '../fixtures/nn.json' with { type: 'json' };
import reduce from '../fixtures/reduce.json' with { type: 'json' };
import shape from '../fixtures/shape.json' with { type: 'json' };

/** A number as stored in a fixture: non-finite values are strings, bools are booleans. */
export type FixtureNumber = number | boolean | 'NaN' | 'Infinity' | '-Infinity';

/** A tensor as stored in a fixture (flat, row-major data). */
export interface FixtureTensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly data: readonly FixtureNumber[];
  /** The tensor was fed to PyTorch as `base.permute(perm)` (a non-contiguous view). */
  readonly layout?: { readonly permute: readonly number[] };
}

/** One golden case: an op, its inputs and attributes, PyTorch's output and input gradients. */
export interface FixtureCase {
  readonly op: string;
  readonly name: string;
  readonly inputs: readonly FixtureTensor[];
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly output?: FixtureTensor;
  readonly outputs?: readonly FixtureTensor[];
  readonly cotangent?: FixtureTensor;
  readonly cotangents?: readonly FixtureTensor[];
  readonly grads?: readonly (FixtureTensor | null)[];
}

/** One fixture file (one op family). */
export interface FixtureFile {
  readonly generator: string;
  readonly torch: string;
  readonly cases: readonly FixtureCase[];
}

/** Every fixture file, by family name. */
export const FIXTURES: Readonly<Record<string, FixtureFile>> = {
  elementwise: elementwise as unknown as FixtureFile,
  reduce: reduce as unknown as FixtureFile,
  matmul: matmul as unknown as FixtureFile,
  shape: shape as unknown as FixtureFile,
  indexing: indexing as unknown as FixtureFile,
  nn: nn as unknown as FixtureFile,
  creation: creation as unknown as FixtureFile,
};

/** A fixture number as a JavaScript number (bools as 0/1). */
export function decodeNumber(v: FixtureNumber): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  throw new Error(`fixture: unknown number ${JSON.stringify(v)}`);
}

/** A fixture tensor's values as float64 numbers. */
export function decodeData(t: FixtureTensor): number[] {
  return t.data.map(decodeNumber);
}

/** The outputs of a case (one, or several for `split`). */
export function caseOutputs(c: FixtureCase): readonly FixtureTensor[] {
  if (c.outputs) return c.outputs;
  if (c.output) return [c.output];
  throw new Error(`fixture ${c.name}: no output`);
}

/** The cotangents of a case, one per output, when it has gradients. */
export function caseCotangents(c: FixtureCase): readonly FixtureTensor[] | undefined {
  if (c.cotangents) return c.cotangents;
  if (c.cotangent) return [c.cotangent];
  return undefined;
}
