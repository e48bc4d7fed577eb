import { describe, it } from 'vitest';
import { expectClose, randFloats, randInt, rng, runKernel } from './helpers.js';

/** Naive float64 batched matmul with transposes and batch broadcasting. */
function refMatmul(
  a: Float32Array,
  b: Float32Array,
  B: number,
  M: number,
  N: number,
  K: number,
  ta: boolean,
  tb: boolean,
  batchA: number,
  batchB: number,
): Float64Array {
  const out = new Float64Array(B * M * N);
  for (let bi = 0; bi < B; bi++) {
    const ao = batchA === 1 ? 0 : bi * M * K;
    const bo = batchB === 1 ? 0 : bi * K * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let p = 0; p < K; p++) {
          const av = a[ao + (ta ? p * M + i : i * K + p)] as number;
          const bv = b[bo + (tb ? j * K + p : p * N + j)] as number;
          s += av * bv;
        }
        out[(bi * M + i) * N + j] = s;
      }
    }
  }
  return out;
}

function check(
  B: number,
  M: number,
  N: number,
  K: number,
  ta: boolean,
  tb: boolean,
  batchA: number,
  batchB: number,
  seed: number,
) {
  const r = rng(seed);
  const a = randFloats(r, batchA * M * K);
  const b = randFloats(r, batchB * K * N);
  const aShape = [batchA, ta ? K : M, ta ? M : K];
  const bShape = [batchB, tb ? N : K, tb ? K : N];
  const out = runKernel(
    'matmul',
    [
      { values: a, shape: aShape },
      { values: b, shape: bShape },
    ],
    { transposeA: ta, transposeB: tb },
    [B, M, N],
  );
  const ref = refMatmul(a, b, B, M, N, K, ta, tb, batchA, batchB);
  // Float32 inputs, double accumulation in both: the error is the float32 rounding of the sum.
  expectClose(
    out,
    ref,
    1e-5,
    1e-5 * Math.sqrt(K),
    `B${B} M${M} N${N} K${K} ta${ta} tb${tb} a${batchA} b${batchB}`,
  );
}

describe('matmul', () => {
  const flags = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const;

  it('small and edge shapes (size-1 dims, remainders of the 4×3 tile)', () => {
    let seed = 1;
    for (const [M, N, K] of [
      [1, 1, 1],
      [1, 7, 5],
      [7, 1, 5],
      [5, 7, 1],
      [2, 3, 4],
      [4, 3, 2],
      [5, 4, 3],
      [9, 10, 11],
      [13, 17, 19],
      [33, 29, 31],
    ] as const) {
      for (const [ta, tb] of flags) check(1, M, N, K, ta, tb, 1, 1, seed++);
    }
  });

  it('shapes that cross every cache block (K > 256, N > 768, M > 96)', () => {
    check(1, 130, 40, 300, false, false, 1, 1, 100);
    check(1, 130, 40, 300, true, true, 1, 1, 101);
    check(1, 9, 800, 20, false, false, 1, 1, 102);
    check(1, 9, 800, 20, false, true, 1, 1, 103);
    check(1, 100, 101, 102, true, false, 1, 1, 104);
  });

  it('batches, with either operand broadcast over the batch', () => {
    let seed = 200;
    for (const [batchA, batchB] of [
      [3, 3],
      [1, 3],
      [3, 1],
    ] as const) {
      for (const [ta, tb] of flags) check(3, 6, 10, 7, ta, tb, batchA, batchB, seed++);
    }
  });

  it('random shapes', () => {
    const r = rng(300);
    for (let t = 0; t < 30; t++) {
      const B = randInt(r, 1, 3);
      const batchA = r() < 0.3 ? 1 : B;
      // The output batch is the larger of the two (each is 1 or B), as core computes it.
      const batchB = r() < 0.3 && batchA === B ? 1 : B;
      check(
        B,
        randInt(r, 1, 40),
        randInt(r, 1, 40),
        randInt(r, 1, 40),
        r() < 0.5,
        r() < 0.5,
        batchA,
        batchB,
        400 + t,
      );
    }
  });
});
