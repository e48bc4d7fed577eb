/**
 * Float64 references written independently of src/math.ts (a series and a continued fraction for erf
 * instead of the kernels' Chebyshev fit, Math.tanh instead of 2σ(2u)), so the checks compare two
 * different computations of the same functions.
 */

/** erfc(x) to ~1e-13: Taylor series of erf for |x| < 2.5, else Lentz-free backward continued fraction. */
export function erfc64(x: number): number {
  if (Math.abs(x) < 2.5) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 60; n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  const z = Math.abs(x);
  let k = z;
  for (let n = 80; n >= 1; n--) k = z + n / 2 / k;
  const tail = Math.exp(-z * z) / (Math.sqrt(Math.PI) * k);
  return x > 0 ? tail : 2 - tail;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

export function geluExact64(x: number): number {
  return 0.5 * x * erfc64(-x / Math.SQRT2);
}
export function geluExactGrad64(x: number): number {
  return 0.5 * erfc64(-x / Math.SQRT2) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
}
export function geluTanh64(x: number): number {
  return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)));
}
export function geluTanhGrad64(x: number): number {
  const t = Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3));
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
}
export function swish64(x: number): number {
  return x / (1 + Math.exp(-x));
}
export function swishGrad64(x: number): number {
  const s = 1 / (1 + Math.exp(-x));
  return s + x * s * (1 - s);
}
