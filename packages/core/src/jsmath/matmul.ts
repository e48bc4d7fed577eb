// biome-ignore-all lint/style/noNonNullAssertion: typed-array reads in hot loops are in bounds by construction.
/**
 * Matrix multiply in plain JavaScript, GotoBLAS style: the operands are cut into blocks that fit the
 * caches, each block is packed into a contiguous scratch panel, and a register-tiled micro-kernel
 * multiplies a 4-row panel of A by a 3-column panel of B with twelve accumulators held in locals.
 *
 * Why 4×3: V8 computes float32 data in scalar doubles and has about 14 allocatable xmm registers;
 * 12 accumulators + 4 values of A + 1 streamed value of B fit, a 4×4 tile spills (measured here: 4×3
 * ≈ 5.2 GFLOP/s, 4×4 ≈ 4.5–4.9, pure kernel ceiling ≈ 5.5–5.8).
 *
 * Operands are described by (offset, row stride, column stride), so transposes, batches and the
 * sub-matrices used by conv2d are all the same routine with different strides.
 */

/** Rows of A per micro-tile. */
const MR = 4;
/** Columns of B per micro-tile. */
const NR = 3;
/** Depth of a packed block (K direction): a 4×256 panel of A and a 256×3 panel of B stay in L1. */
const KC = 256;
/** Rows of A per packed block (MC×KC floats = 96 KB, kept in L2). */
const MC = 96;
/** Columns of B per packed block (KC×NC floats = 768 KB, kept in L2); a multiple of NR. */
const NC = 768;
/** Below this many multiply-adds, packing costs more than it saves. */
const SMALL_WORK = 4096;

/**
 * `C = A @ B` (or `C += A @ B` when `accumulate`) for an `m × n` result with inner dimension `k`.
 * Element (i, p) of A is `a[aOff + i*aRs + p*aCs]`; element (p, j) of B is `b[bOff + p*bRs + j*bCs]`;
 * element (i, j) of C is `c[cOff + i*ldc + j]`. Scratch panels are allocated per call, so concurrent
 * calls on different threads never share state.
 *
 * @example
 * ```ts
 * // C[2×2] = A[2×3] @ B[3×2], all row-major
 * gemm(2, 2, 3, a, 0, 3, 1, b, 0, 2, 1, c, 0, 2, false);
 * ```
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  aOff: number,
  aRs: number,
  aCs: number,
  b: Float32Array,
  bOff: number,
  bRs: number,
  bCs: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
  accumulate: boolean,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) c.fill(0, cOff + i * ldc, cOff + i * ldc + n);
    return;
  }
  if (m * n * k <= SMALL_WORK || m === 1) {
    gemmSmall(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
    return;
  }
  const ncMax = Math.min(NC, n);
  const kcMax = Math.min(KC, k);
  const mcMax = Math.min(MC, m);
  // A row-major B is read in place: a 256-deep panel of 3 columns touches 256 cache lines that the next
  // panels reuse, and V8's scalar arithmetic, not memory, is the bottleneck. Measured here, packing it
  // anyway cost 10–35% (most with few rows of A, as in conv2d, where the copy is not amortised). Only a
  // ragged last panel (fewer than NR columns) is copied, so that no read runs past the end of a row.
  // A transposed B (columns contiguous) is packed.
  const inPlaceB = bCs === 1;
  const packedB = new Float32Array(kcMax * (inPlaceB ? NR : Math.ceil(ncMax / NR) * NR));
  const packedA = new Float32Array(kcMax * Math.ceil(mcMax / MR) * MR);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      const bBlock = bOff + pc * bRs + jc * bCs;
      const fullCols = inPlaceB ? nc - (nc % NR) : nc;
      if (inPlaceB) {
        if (fullCols < nc) packB(b, bBlock + fullCols, bRs, bCs, kc, nc - fullCols, packedB);
      } else {
        packB(b, bBlock, bRs, bCs, kc, nc, packedB);
      }
      const add = accumulate || pc > 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(a, aOff + ic * aRs + pc * aCs, aRs, aCs, mc, kc, packedA);
        const cBlock = cOff + ic * ldc + jc;
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          // Where this column panel of B lives: in place (row stride bRs) or in the packed scratch.
          const direct = inPlaceB && jr < fullCols;
          const bSrc = direct ? b : packedB;
          const bPanel = direct ? bBlock + jr : inPlaceB ? 0 : jr * kc;
          const bStep = direct ? bRs : NR;
          for (let ir = 0; ir < mc; ir += MR) {
            microKernel(
              packedA,
              ir * kc,
              bSrc,
              bPanel,
              bStep,
              kc,
              c,
              cBlock + ir * ldc + jr,
              ldc,
              Math.min(MR, mc - ir),
              nr,
              add,
            );
          }
        }
      }
    }
  }
}

/** Packs an mc×kc block of A into MR-row panels laid out [panel][p][MR], zero-padding the last panel. */
function packA(
  a: Float32Array,
  off: number,
  rs: number,
  cs: number,
  mc: number,
  kc: number,
  dst: Float32Array,
): void {
  let d = 0;
  for (let i = 0; i < mc; i += MR) {
    const rows = Math.min(MR, mc - i);
    const r0 = off + i * rs;
    if (rows === MR) {
      const r1 = r0 + rs;
      const r2 = r1 + rs;
      const r3 = r2 + rs;
      for (let p = 0, q = 0; p < kc; p++, q += cs) {
        dst[d] = a[r0 + q]!;
        dst[d + 1] = a[r1 + q]!;
        dst[d + 2] = a[r2 + q]!;
        dst[d + 3] = a[r3 + q]!;
        d += MR;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) dst[d + r] = r < rows ? a[r0 + r * rs + p * cs]! : 0;
        d += MR;
      }
    }
  }
}

/** Packs a kc×nc block of B into NR-column panels laid out [panel][p][NR], zero-padding the last. */
function packB(
  b: Float32Array,
  off: number,
  rs: number,
  cs: number,
  kc: number,
  nc: number,
  dst: Float32Array,
): void {
  let d = 0;
  for (let j = 0; j < nc; j += NR) {
    const cols = Math.min(NR, nc - j);
    const c0 = off + j * cs;
    if (cols === NR) {
      const c1 = c0 + cs;
      const c2 = c1 + cs;
      for (let p = 0, q = 0; p < kc; p++, q += rs) {
        dst[d] = b[c0 + q]!;
        dst[d + 1] = b[c1 + q]!;
        dst[d + 2] = b[c2 + q]!;
        d += NR;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let t = 0; t < NR; t++) dst[d + t] = t < cols ? b[c0 + t * cs + p * rs]! : 0;
        d += NR;
      }
    }
  }
}

/**
 * The 4×3 register tile: twelve accumulators over `kc` steps of a packed A panel (from `ao`) and a B
 * panel (from `bo`, advancing `bStep` per step: NR when packed, B's row stride when read in place), then
 * stored (or added) into C. `mr`/`nr` < 4/3 only on the edges.
 */
function microKernel(
  pa: Float32Array,
  ao: number,
  pb: Float32Array,
  bo: number,
  bStep: number,
  kc: number,
  c: Float32Array,
  co: number,
  ldc: number,
  mr: number,
  nr: number,
  add: boolean,
): void {
  let c00 = 0;
  let c01 = 0;
  let c02 = 0;
  let c10 = 0;
  let c11 = 0;
  let c12 = 0;
  let c20 = 0;
  let c21 = 0;
  let c22 = 0;
  let c30 = 0;
  let c31 = 0;
  let c32 = 0;
  let ia = ao;
  let ib = bo;
  for (let p = 0; p < kc; p++) {
    const a0 = pa[ia]!;
    const a1 = pa[ia + 1]!;
    const a2 = pa[ia + 2]!;
    const a3 = pa[ia + 3]!;
    // B is streamed one value at a time so that only 17 doubles are live (see the file comment).
    const b0 = pb[ib]!;
    c00 += a0 * b0;
    c10 += a1 * b0;
    c20 += a2 * b0;
    c30 += a3 * b0;
    const b1 = pb[ib + 1]!;
    c01 += a0 * b1;
    c11 += a1 * b1;
    c21 += a2 * b1;
    c31 += a3 * b1;
    const b2 = pb[ib + 2]!;
    c02 += a0 * b2;
    c12 += a1 * b2;
    c22 += a2 * b2;
    c32 += a3 * b2;
    ia += MR;
    ib += bStep;
  }
  if (mr === MR && nr === NR) {
    const r1 = co + ldc;
    const r2 = r1 + ldc;
    const r3 = r2 + ldc;
    if (add) {
      c[co] = c[co]! + c00;
      c[co + 1] = c[co + 1]! + c01;
      c[co + 2] = c[co + 2]! + c02;
      c[r1] = c[r1]! + c10;
      c[r1 + 1] = c[r1 + 1]! + c11;
      c[r1 + 2] = c[r1 + 2]! + c12;
      c[r2] = c[r2]! + c20;
      c[r2 + 1] = c[r2 + 1]! + c21;
      c[r2 + 2] = c[r2 + 2]! + c22;
      c[r3] = c[r3]! + c30;
      c[r3 + 1] = c[r3 + 1]! + c31;
      c[r3 + 2] = c[r3 + 2]! + c32;
    } else {
      c[co] = c00;
      c[co + 1] = c01;
      c[co + 2] = c02;
      c[r1] = c10;
      c[r1 + 1] = c11;
      c[r1 + 2] = c12;
      c[r2] = c20;
      c[r2 + 1] = c21;
      c[r2 + 2] = c22;
      c[r3] = c30;
      c[r3 + 1] = c31;
      c[r3 + 2] = c32;
    }
    return;
  }
  storeEdge(c, co, ldc, nr, add, c00, c01, c02, 0);
  if (mr > 1) storeEdge(c, co, ldc, nr, add, c10, c11, c12, 1);
  if (mr > 2) storeEdge(c, co, ldc, nr, add, c20, c21, c22, 2);
  if (mr > 3) storeEdge(c, co, ldc, nr, add, c30, c31, c32, 3);
}

/** Stores the first `nr` of one tile row's three values into row `row` of an edge tile. */
function storeEdge(
  c: Float32Array,
  co: number,
  ldc: number,
  nr: number,
  add: boolean,
  v0: number,
  v1: number,
  v2: number,
  row: number,
): void {
  const o = co + row * ldc;
  if (add) {
    c[o] = c[o]! + v0;
    if (nr > 1) c[o + 1] = c[o + 1]! + v1;
    if (nr > 2) c[o + 2] = c[o + 2]! + v2;
  } else {
    c[o] = v0;
    if (nr > 1) c[o + 1] = v1;
    if (nr > 2) c[o + 2] = v2;
  }
}

/** Unpacked product for small or single-row problems, where packing would cost more than it saves. */
function gemmSmall(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  aOff: number,
  aRs: number,
  aCs: number,
  b: Float32Array,
  bOff: number,
  bRs: number,
  bCs: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
  accumulate: boolean,
): void {
  if (bCs === 1) {
    // Row form: C[i,:] += A[i,p] * B[p,:], reading B's rows contiguously.
    const acc = new Float64Array(n);
    for (let i = 0; i < m; i++) {
      const co = cOff + i * ldc;
      if (accumulate) for (let j = 0; j < n; j++) acc[j] = c[co + j]!;
      else acc.fill(0);
      const ai = aOff + i * aRs;
      for (let p = 0; p < k; p++) {
        const av = a[ai + p * aCs]!;
        const bp = bOff + p * bRs;
        for (let j = 0; j < n; j++) acc[j] = acc[j]! + av * b[bp + j]!;
      }
      for (let j = 0; j < n; j++) c[co + j] = acc[j]!;
    }
    return;
  }
  // Dot form: B is transposed (its columns are contiguous), so each C[i,j] is one strided dot product.
  for (let i = 0; i < m; i++) {
    const ai = aOff + i * aRs;
    const co = cOff + i * ldc;
    for (let j = 0; j < n; j++) {
      let s = 0;
      const bj = bOff + j * bCs;
      for (let p = 0; p < k; p++) s += a[ai + p * aCs]! * b[bj + p * bRs]!;
      c[co + j] = accumulate ? c[co + j]! + s : s;
    }
  }
}

/** What a batched matmul computes: out [B, M, N] = op(a) [Ba, M, K] @ op(b) [Bb, K, N]. */
export interface MatmulDims {
  readonly B: number;
  readonly M: number;
  readonly N: number;
  readonly K: number;
  /** a is stored [Ba, K, M]. */
  readonly transposeA: boolean;
  /** b is stored [Bb, N, K]. */
  readonly transposeB: boolean;
  /** Ba: 1 (broadcast over the batch) or B. */
  readonly batchA: number;
  /** Bb: 1 (broadcast over the batch) or B. */
  readonly batchB: number;
}

/**
 * Dims of the matmul kernel from its operands' shapes (the last two dims are the matrix, the leading
 * dims are flattened into the batch) and transpose flags.
 *
 * @example
 * ```ts
 * matmulDims([1, 2, 3], [4, 3, 5], { transposeA: false, transposeB: false });
 * // { B: 4, M: 2, N: 5, K: 3, batchA: 1, batchB: 4, ... }
 * ```
 */
export function matmulDims(
  aShape: readonly number[],
  bShape: readonly number[],
  attrs: { readonly transposeA: boolean; readonly transposeB: boolean },
): MatmulDims {
  const ra = aShape.length;
  const rb = bShape.length;
  const aRows = aShape[ra - 2] ?? 1;
  const aCols = aShape[ra - 1] ?? 1;
  const bRows = bShape[rb - 2] ?? 1;
  const bCols = bShape[rb - 1] ?? 1;
  let batchA = 1;
  for (let d = 0; d < ra - 2; d++) batchA *= aShape[d]!;
  let batchB = 1;
  for (let d = 0; d < rb - 2; d++) batchB *= bShape[d]!;
  return {
    B: Math.max(batchA, batchB),
    M: attrs.transposeA ? aCols : aRows,
    K: attrs.transposeA ? aRows : aCols,
    N: attrs.transposeB ? bRows : bCols,
    transposeA: attrs.transposeA,
    transposeB: attrs.transposeB,
    batchA,
    batchB,
  };
}

/**
 * Batched matmul on output rows `[rowStart, rowEnd)`, where the output [B, M, N] is seen as B·M rows of
 * N (row r is batch `floor(r / M)`, row `r % M`).
 *
 * Range: rows of the flattened output; disjoint ranges write disjoint rows. Each call packs the panels
 * it needs into its own scratch. When b is shared by the whole batch and a is not transposed, the rows of
 * all batches are multiplied as one tall matrix (a Linear layer on a batch is one gemm).
 *
 * @example
 * ```ts
 * const dims = matmulDims([2, 3], [3, 2], { transposeA: false, transposeB: false });
 * const out = new Float32Array(4);
 * matmulRange(a, b, out, dims, 0, dims.B * dims.M);
 * ```
 */
export function matmulRange(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  dims: MatmulDims,
  rowStart: number,
  rowEnd: number,
): void {
  const { B, M, N, K, transposeA, transposeB, batchA, batchB } = dims;
  const aRs = transposeA ? 1 : K;
  const aCs = transposeA ? M : 1;
  const bRs = transposeB ? 1 : N;
  const bCs = transposeB ? K : 1;
  if (batchB === 1 && !transposeA && batchA === B) {
    gemm(rowEnd - rowStart, N, K, a, rowStart * K, K, 1, b, 0, bRs, bCs, out, rowStart * N, N, false);
    return;
  }
  let r = rowStart;
  while (r < rowEnd) {
    const batch = Math.floor(r / M);
    const m0 = r - batch * M;
    const rows = Math.min(M - m0, rowEnd - r);
    const aOff = (batchA === 1 ? 0 : batch * M * K) + m0 * aRs;
    const bOff = batchB === 1 ? 0 : batch * K * N;
    gemm(rows, N, K, a, aOff, aRs, aCs, b, bOff, bRs, bCs, out, r * N, N, false);
    r += rows;
  }
}
