/** Matrix products: `matmul` with NumPy semantics, and the transposed forms used by layers. */
import { record } from '../autograd/tape.js';
import { DTypeError, fmt, ShapeError } from '../errors/errors.js';
import { broadcastShapes, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor } from './convert.js';
import { runKernel } from './dispatch.js';
import { sumTo } from './reduce.js';
import { expand, reshape } from './shape.js';

/** Options of `matmul`: use a transposed operand without materialising the transpose. */
export interface MatmulOptions {
  readonly transposeA?: boolean;
  readonly transposeB?: boolean;
}

/**
 * Matrix product with PyTorch's `matmul` semantics: 1-D operands are vectors, batch dims broadcast.
 * `transposeA`/`transposeB` multiply by the transpose of the last two dims of an operand.
 *
 * @example
 * ```ts
 * matmul(x, w, { transposeB: true }); // x @ wᵀ, as a linear layer computes
 * ```
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  asTensor('matmul', a);
  asTensor('matmul', b);
  const ta = options.transposeA ?? false;
  const tb = options.transposeB ?? false;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    throw new DTypeError(
      'matmul',
      `expects float32 operands, got ${a.dtype} ${fmt(a.shape)} and ${b.dtype} ${fmt(b.shape)}`,
    );
  }
  if (a.rank === 0 || b.rank === 0)
    throw new ShapeError('matmul', `${fmt(a.shape)} @ ${fmt(b.shape)}: operands must have at least 1 dim`);
  const a2 = a.rank === 1 ? [1, a.shape[0] as number] : a.shape;
  const b2 = b.rank === 1 ? [b.shape[0] as number, 1] : b.shape;
  const [m, ka] = ta ? [a2[a2.length - 1], a2[a2.length - 2]] : [a2[a2.length - 2], a2[a2.length - 1]];
  const [kb, n] = tb ? [b2[b2.length - 1], b2[b2.length - 2]] : [b2[b2.length - 2], b2[b2.length - 1]];
  if (ka !== kb) {
    throw new ShapeError(
      'matmul',
      `${fmt(a.shape)} @ ${fmt(b.shape)}: inner dimensions ${ka} and ${kb} differ`,
    );
  }
  const batchA = a2.slice(0, -2);
  const batchB = b2.slice(0, -2);
  let batch: number[];
  try {
    batch = broadcastShapes('matmul', batchA, batchB);
  } catch {
    throw new ShapeError(
      'matmul',
      `${fmt(a.shape)} @ ${fmt(b.shape)}: batch dims ${fmt(batchA)} and ${fmt(batchB)} do not broadcast`,
    );
  }
  const B = sizeOf(batch);
  const M = m as number;
  const N = n as number;
  const as3 = toBatch3(a, a2, batchA, batch);
  const bs3 = toBatch3(b, b2, batchB, batch);
  let outShape = [...batch, M, N];
  const r = runKernel(
    'matmul',
    'matmul',
    [as3, bs3],
    { transposeA: ta, transposeB: tb },
    [B, M, N],
    'float32',
  );
  for (const t of [as3, bs3]) if (t !== a && t !== b) t.dispose();
  if (a.rank === 1) outShape = outShape.filter((_, i) => i !== outShape.length - 2);
  if (b.rank === 1) outShape = outShape.slice(0, -1);
  const out = reshape(r, outShape);
  r.dispose();
  return record('matmul', out, [a, b], (dy) => {
    // Work in the 2-D-or-more forms, then reduce broadcast batch dims and restore vector shapes.
    const dy2 = reshape(dy, [...batch, M, N]);
    const aM = reshape(a, a2);
    const bM = reshape(b, b2);
    let ga: Tensor | null = null;
    let gb: Tensor | null = null;
    if (a.requiresGrad) {
      // C = op(A) op(B): d op(A) = dC op(B)ᵀ; if A was transposed, dA = (d op(A))ᵀ = op(B) dCᵀ.
      const g = ta
        ? matmul(bM, dy2, { transposeA: tb, transposeB: true })
        : matmul(dy2, bM, { transposeB: !tb });
      ga = reshape(sumTo(g, a2), a.shape);
    }
    if (b.requiresGrad) {
      const g = tb
        ? matmul(dy2, aM, { transposeA: true, transposeB: ta })
        : matmul(aM, dy2, { transposeA: !ta });
      gb = reshape(sumTo(g, b2), b.shape);
    }
    return [ga, gb];
  });
}

function toBatch3(
  t: Tensor,
  shape2: readonly number[],
  own: readonly number[],
  batch: readonly number[],
): Tensor {
  const rows = shape2[shape2.length - 2] as number;
  const cols = shape2[shape2.length - 1] as number;
  if (sizeOf(own) === 1 || (own.length === batch.length && own.every((d, i) => d === batch[i]))) {
    return reshape(t, [sizeOf(own), rows, cols]);
  }
  // A partially broadcast batch is materialised; a full batch of 1 is broadcast by the kernel.
  const full = expand(reshape(t, [...own, rows, cols]), [...batch, rows, cols]);
  const r = reshape(full, [sizeOf(batch), rows, cols]);
  full.dispose();
  return r;
}
