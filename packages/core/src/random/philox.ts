/**
 * Philox 4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011), the
 * counter-based generator of PyTorch's CUDA backend and JAX. Every backend computes the same streams:
 *
 * **Stream spec.** A stream has a 64-bit key `[k0, k1]` and a 64-bit start counter `[c0, c1]`. Block `j`
 * is `philox4x32_10([lo(c + j), hi(c + j), 0, 0], [k0, k1])`, four uint32 words `w0..w3`.
 * - `randomUniform`: element `i` uses block `floor(i / 4)`, word `i % 4`; `u = (w >>> 8) * 2^-24`
 *   (24 random bits, in [0, 1)); value `low + (high - low) * u`. A fill of n elements uses ceil(n/4) blocks.
 * - `randomNormal`: element `i` uses block `floor(i / 2)`; `u1 = ((w0 >>> 8) + 1) * 2^-24` (in (0, 1]),
 *   `u2 = (w1 >>> 8) * 2^-24`; `r = sqrt(-2 ln u1)`; even `i` gives `r cos(2π u2)`, odd `i` gives
 *   `r sin(2π u2)`; value `mean + std * z`. A fill of n elements uses ceil(n/2) blocks.
 *
 * Core's generator advances its counter by the number of blocks each fill used, so consecutive draws
 * never overlap.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two uint32 values. */
export function mulhi32(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const lolo = aLo * bLo;
  const hilo = aHi * bLo;
  const lohi = aLo * bHi;
  const hihi = aHi * bHi;
  const cross = (lolo >>> 16) + (hilo & 0xffff) + lohi;
  return (hihi + (hilo >>> 16) + Math.floor(cross / 65536)) >>> 0;
}

/**
 * One Philox 4x32-10 block: counter (4 uint32) and key (2 uint32) → 4 uint32 words, written to `out`.
 *
 * @example
 * ```ts
 * const out = new Uint32Array(4);
 * philox4x32(0, 0, 0, 0, 0, 0, out); // 0x6627e8d5 0xe169c58d 0xbc57ac4c 0x9b00dbd8
 * ```
 */
export function philox4x32(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array,
): Uint32Array {
  let x0 = c0 >>> 0;
  let x1 = c1 >>> 0;
  let x2 = c2 >>> 0;
  let x3 = c3 >>> 0;
  let key0 = k0 >>> 0;
  let key1 = k1 >>> 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi32(M0, x0);
    const lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulhi32(M1, x2);
    const lo1 = Math.imul(M1, x2) >>> 0;
    const y0 = (hi1 ^ x1 ^ key0) >>> 0;
    const y1 = lo1;
    const y2 = (hi0 ^ x3 ^ key1) >>> 0;
    const y3 = lo0;
    x0 = y0;
    x1 = y1;
    x2 = y2;
    x3 = y3;
    key0 = (key0 + W0) >>> 0;
    key1 = (key1 + W1) >>> 0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
  return out;
}

const TWO_POW_M24 = 1 / 16777216;

/** Adds a block index to a 64-bit counter given as [lo, hi]; returns [lo, hi]. */
export function counterAdd(counter: readonly [number, number], blocks: number): [number, number] {
  const lo = counter[0] + (blocks % 4294967296);
  const carry = Math.floor(lo / 4294967296);
  return [lo >>> 0, (counter[1] + Math.floor(blocks / 4294967296) + carry) >>> 0];
}

/**
 * Fill `out[start..end)` (element indices of the whole fill) with uniform values per the stream spec.
 * Backends call this on a range, so one implementation serves every CPU-side backend.
 */
export function fillUniform(
  out: Float32Array,
  key: readonly [number, number],
  counter: readonly [number, number],
  low: number,
  high: number,
  start = 0,
  end = out.length,
): void {
  const words = new Uint32Array(4);
  const span = high - low;
  let block = -1;
  for (let i = start; i < end; i++) {
    const b = Math.floor(i / 4);
    if (b !== block) {
      block = b;
      const [lo, hi] = counterAdd(counter, b);
      philox4x32(lo, hi, 0, 0, key[0], key[1], words);
    }
    out[i] = low + span * ((words[i & 3] as number) >>> 8) * TWO_POW_M24;
  }
}

/** Fill `out[start..end)` with normal values per the stream spec (Box–Muller). */
export function fillNormal(
  out: Float32Array,
  key: readonly [number, number],
  counter: readonly [number, number],
  mean: number,
  std: number,
  start = 0,
  end = out.length,
): void {
  const words = new Uint32Array(4);
  let block = -1;
  let r = 0;
  let theta = 0;
  for (let i = start; i < end; i++) {
    const b = Math.floor(i / 2);
    if (b !== block) {
      block = b;
      const [lo, hi] = counterAdd(counter, b);
      philox4x32(lo, hi, 0, 0, key[0], key[1], words);
      const u1 = (((words[0] as number) >>> 8) + 1) * TWO_POW_M24;
      const u2 = ((words[1] as number) >>> 8) * TWO_POW_M24;
      r = Math.sqrt(-2 * Math.log(u1));
      theta = 2 * Math.PI * u2;
    }
    out[i] = mean + std * ((i & 1) === 0 ? r * Math.cos(theta) : r * Math.sin(theta));
  }
}

/** Blocks a fill of `n` elements consumes. */
export function blocksUsed(kind: 'uniform' | 'normal', n: number): number {
  return kind === 'uniform' ? Math.ceil(n / 4) : Math.ceil(n / 2);
}
