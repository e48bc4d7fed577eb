/**
 * The math of the plugin's JavaScript kernels (CPU and worker backends), in float64, over one range of
 * the output — the same shape as `@myelin/core/jsmath`, so a backend could split the range across
 * threads. The WGSL kernels (`kernels/webgpu.ts`) compute the same formulas in float32.
 */

/** How GELU is computed, as PyTorch's `approximate` argument. */
export type GeluApproximation = 'none' | 'tanh';

const SQRT_HALF = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const TANH_CUBIC = 0.044715;

/**
 * The complementary error function with a relative error below 1.2e-7 everywhere (Numerical Recipes'
 * `erfcc`, a Chebyshev fit): relative, not absolute, so the far tail of GELU (x·Φ(x) for x ≪ 0) keeps
 * its digits. The WGSL kernel uses the same fit, so every backend rounds alike.
 *
 * @example
 * ```ts
 * erfc(0); // 1
 * ```
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Φ(x), the standard normal CDF, as 0.5·erfc(−x/√2). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * SQRT_HALF);
}

/** σ(x) without overflow for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** GELU of one value. The tanh form uses 1 + tanh(u) = 2σ(2u), which keeps digits for x ≪ 0. */
export function gelu(x: number, approximate: GeluApproximation): number {
  if (approximate === 'tanh') {
    const u = SQRT_2_OVER_PI * (x + TANH_CUBIC * x * x * x);
    return x * sigmoid(2 * u);
  }
  return x * normalCdf(x);
}

/** dGELU/dx at one value. */
export function geluDerivative(x: number, approximate: GeluApproximation): number {
  if (approximate === 'tanh') {
    const u = SQRT_2_OVER_PI * (x + TANH_CUBIC * x * x * x);
    const s = sigmoid(2 * u); // (1 + tanh u) / 2
    const sech2 = 4 * s * (1 - s); // 1 - tanh² u
    return s + 0.5 * x * sech2 * SQRT_2_OVER_PI * (1 + 3 * TANH_CUBIC * x * x);
  }
  return normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Swish (SiLU) of one value: x·σ(x). */
export function swish(x: number): number {
  return x * sigmoid(x);
}

/** y[i] = gelu(x[i]) for i in [start, end). */
export function geluRange(
  x: Float32Array,
  y: Float32Array,
  start: number,
  end: number,
  approximate: GeluApproximation,
): void {
  for (let i = start; i < end; i++) y[i] = gelu(x[i] as number, approximate);
}

/** dx[i] = dy[i]·gelu'(x[i]) for i in [start, end). */
export function geluGradRange(
  dy: Float32Array,
  x: Float32Array,
  dx: Float32Array,
  start: number,
  end: number,
  approximate: GeluApproximation,
): void {
  for (let i = start; i < end; i++) dx[i] = (dy[i] as number) * geluDerivative(x[i] as number, approximate);
}

/** y[i] = swish(x[i]) for i in [start, end). */
export function swishRange(x: Float32Array, y: Float32Array, start: number, end: number): void {
  for (let i = start; i < end; i++) y[i] = swish(x[i] as number);
}
