/**
 * Float32 math in WGSL that gives the same answer on every adapter. WGSL's builtins are allowed to be
 * loose — `sin`/`cos` only to 2^-11 absolute on [-π, π] (SwiftShader is off by ~1e-4), `exp` to
 * 3 + 2|x| ulp, `log` to 2^-21 absolute near 1 — so these functions compute the values themselves from
 * operations WGSL requires to be correctly rounded (+, -, ×, conversions, bitcasts). Each is within about
 * 2 ulp of the exact value; `test/accuracy.test.ts` measures them against float64.
 *
 * Needs `COMMON` (NaN helpers and `mulhi32`) in the same shader.
 */

/** sin, cos and their Box–Muller form: Cody–Waite or Payne–Hanek reduction, then Cephes polynomials. */
const TRIG = /* wgsl */ `
// sin and cos of z for |z| <= π/4 (a little more is fine): the minimax polynomials of Cephes sinf/cosf.
fn sin_poly_f32(z: f32) -> f32 {
  let z2 = z * z;
  return z + z * z2 * (-1.6666654611e-1 + z2 * (8.3321608736e-3 + z2 * -1.9515295891e-4));
}
fn cos_poly_f32(z: f32) -> f32 {
  let z2 = z * z;
  return (z2 * z2 * (4.166664568298827e-2 + z2 * (-1.388731625493765e-3 + z2 * 2.443315711809948e-5))
    - 0.5 * z2) + 1.0;
}
// sin(r + q·π/2) for |r| <= π/4: sin r, cos r, -sin r, -cos r by q mod 4 (cos is the quadrant after).
fn quadrant_f32(r: f32, q: u32) -> f32 {
  let v = select(sin_poly_f32(r), cos_poly_f32(r), (q & 1u) != 0u);
  return select(v, -v, (q & 2u) != 0u);
}
// x = q·π/2 + r with |r| <= π/4 (q mod 4 is what matters).
struct ReducedAngle { r: f32, q: u32 }
fn shl_window(a: u32, b: u32, sh: u32) -> u32 {
  if (sh == 0u) { return a; }
  return (a << sh) | (b >> (32u - sh));
}
// Payne–Hanek for |x| >= 2^15: |x| = m·2^(e-23) with a 24-bit integer m, and |x|·2/π mod 4 needs only the
// bits of 2/π from 2^-(e-24) on, since earlier ones give multiples of 4. m times a 96-bit window of those
// bits (integer arithmetic, exact) leaves the quadrant in its top two bits and 94 bits of fraction.
fn reduce_pio2_large_f32(x: f32) -> ReducedAngle {
  // 2/π in binary after one zero word (so that the window may start before its first bit).
  var bits = array<u32, 8>(0u, 0xa2f9836eu, 0x4e441529u, 0xfc2757d1u, 0xf534ddc0u, 0xdb629599u,
    0x3c439041u, 0xfe5163abu);
  let b = bitcast<u32>(x) & 0x7fffffffu;
  let m = (b & 0x7fffffu) | 0x800000u;
  let p = (b >> 23u) - 120u; // the window's first bit: e + 7, with e >= 15 the unbiased exponent
  let j = p >> 5u;
  let sh = p & 31u;
  let w0 = shl_window(bits[j], bits[j + 1u], sh);
  let w1 = shl_window(bits[j + 1u], bits[j + 2u], sh);
  let w2 = shl_window(bits[j + 2u], bits[j + 3u], sh);
  // m · (w0 w1 w2) modulo 2^96, as three words r2 r1 r0.
  let r0 = m * w2;
  let r1 = mulhi32(m, w2) + m * w1;
  let r2 = mulhi32(m, w1) + m * w0 + select(0u, 1u, r1 < m * w1);
  var q = r2 >> 30u;
  // The fraction, moved up by two bits so that it fills 96 bits: f2 f1 f0 / 2^96, in [0, 1).
  var f2 = (r2 << 2u) | (r1 >> 30u);
  var f1 = (r1 << 2u) | (r0 >> 30u);
  var f0 = r0 << 2u;
  let up = f2 >= 0x80000000u;
  if (up) {
    // Past half a quadrant: measure from the next one instead (2^96 minus the fraction).
    let c0 = select(0u, 1u, f0 == 0u);
    let c1 = select(0u, 1u, f0 == 0u && f1 == 0u);
    f0 = ~f0 + 1u;
    f1 = ~f1 + c0;
    f2 = ~f2 + c1;
    q = q + 1u;
  }
  let frac = f32(f2) * 2.3283064365386963e-10 + f32(f1) * 5.421010862427522e-20
    + f32(f0) * 1.2621774483536189e-29;
  var r = frac * 1.5707963705062866 + frac * -4.371138828673793e-8;
  if (up) { r = -r; }
  if (x < 0.0) { return ReducedAngle(-r, 0u - q); }
  return ReducedAngle(r, q);
}
// Cody–Waite below 2^15: π/2 in four parts of 9, 9, 9 and 24 bits, so n times each of the first three is
// exact for |n| < 2^15, and the subtractions lose nothing that matters (1.2e-18·|n| absolute).
fn reduce_pio2_f32(x: f32) -> ReducedAngle {
  if (abs(x) >= 32768.0) { return reduce_pio2_large_f32(x); }
  let n = round(x * 0.6366197723675814);
  let r = (((x - n * 1.5703125) - n * 4.8351287841796875e-4) - n * 3.1385570764541626e-7)
    - n * 6.07710062827671e-11;
  return ReducedAngle(r, bitcast<u32>(i32(n)));
}
fn sin_f32(x: f32) -> f32 {
  if (is_nan_f32(x) || is_inf_f32(x)) { return nan_f32(); }
  if (abs(x) < 2.44140625e-4) { return x; } // sin x rounds to x below 2^-12 (keeps -0 and subnormals)
  let a = reduce_pio2_f32(x);
  return quadrant_f32(a.r, a.q);
}
fn cos_f32(x: f32) -> f32 {
  if (is_nan_f32(x) || is_inf_f32(x)) { return nan_f32(); }
  let a = reduce_pio2_f32(x);
  return quadrant_f32(a.r, a.q + 1u);
}
// (cos 2πu, sin 2πu) for an exactly given u in [0, 1] (Box–Muller's angle): 4u and its distance to the
// nearest integer are exact, so only the product by π/2 rounds; no 2πu rounded to float32 first.
fn cos_sin_turn_f32(u: f32) -> vec2f {
  let t = 4.0 * u;
  let n = round(t);
  let f = t - n;
  let r = f * 1.5707963705062866 + f * -4.371138828673793e-8;
  let q = u32(n);
  return vec2f(quadrant_f32(r, q + 1u), quadrant_f32(r, q));
}
`;

/** exp, log and the functions built on them. */
const EXP_LOG = /* wgsl */ `
// exp to about 1 ulp: x = n ln2 + r with ln2 split in two (Cody–Waite, so n · C1 is exact), exp(r) by its
// Taylor series to degree 7 (|r| <= ln2/2: truncation < 1e-8 relative), then the exponent added in two
// halves (ldexp accepts at most 2^128 in one step).
fn exp_f32(x: f32) -> f32 {
  if (is_nan_f32(x)) { return x; }
  if (x > 88.72284) { return inf_f32(); }
  if (x < -103.97208) { return 0.0; }
  let n = round(x * 1.4426950408889634);
  let r = (x - n * 0.693359375) + n * 2.12194440e-4;
  let p = 1.0 + r * (1.0 + r * (1.0 / 2.0 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0
    + r * (1.0 / 720.0 + r * (1.0 / 5040.0)))))));
  let k = i32(n);
  let half = k / 2;
  return ldexp(ldexp(p, half), k - half);
}
// log with IEEE edges (log 0 = -inf, log of a negative = NaN, log inf = inf), to about 1 ulp (Cephes
// logf): x = 2^e · m with m in [√½, √2) read from the bits, log(m) = log1p(m - 1) by a minimax polynomial,
// e · ln2 added in two parts.
fn log_f32(x: f32) -> f32 {
  if (is_nan_f32(x) || x < 0.0) { return nan_f32(); }
  if (x == 0.0) { return -inf_f32(); }
  if (is_inf_f32(x)) { return x; }
  var v = x;
  var e = -126;
  if (v < 1.1754943508222875e-38) {
    v = v * 16777216.0; // subnormal: scale by 2^24 first
    e = -150;
    if (v == 0.0) { return -inf_f32(); } // an adapter that flushes subnormals
  }
  let b = bitcast<u32>(v);
  e += i32(b >> 23u);
  var m = bitcast<f32>((b & 0x007fffffu) | 0x3f000000u); // in [0.5, 1)
  if (m < 0.70710678118654752) {
    e -= 1;
    m = m + m - 1.0;
  } else {
    m = m - 1.0;
  }
  let z = m * m;
  var y = ((((((((7.0376836292e-2 * m - 1.1514610310e-1) * m + 1.1676998740e-1) * m - 1.2420140846e-1) * m
    + 1.4249322787e-1) * m - 1.6668057665e-1) * m + 2.0000714765e-1) * m - 2.4999993993e-1) * m
    + 3.3333331174e-1) * m * z;
  let fe = f32(e);
  y = y + fe * -2.12194440e-4;
  y = y - 0.5 * z;
  return (m + y) + fe * 0.693359375;
}
// exp(x) - 1 without cancellation: a Taylor series near 0 (error < 1e-9 relative for |x| < 0.5).
fn expm1_f32(x: f32) -> f32 {
  if (abs(x) < 0.5) {
    return x * (1.0 + x * (1.0 / 2.0 + x * (1.0 / 6.0 + x * (1.0 / 24.0 + x * (1.0 / 120.0
      + x * (1.0 / 720.0 + x * (1.0 / 5040.0 + x * (1.0 / 40320.0 + x * (1.0 / 362880.0)))))))));
  }
  return exp_f32(x) - 1.0;
}
// log(1 + x) without cancellation: 2 atanh(s) with s = x / (2 + x), a series for |x| < 0.5.
fn log1p_f32(x: f32) -> f32 {
  if (abs(x) < 0.5) {
    let s = x / (2.0 + x);
    let s2 = s * s;
    return 2.0 * s * (1.0 + s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0
      + s2 * (1.0 / 11.0 + s2 * (1.0 / 13.0 + s2 * (1.0 / 15.0))))))));
  }
  return log_f32(1.0 + x);
}
fn tanh_f32(x: f32) -> f32 {
  if (is_nan_f32(x)) { return x; }
  let e = expm1_f32(-2.0 * abs(x));
  return sign(x) * (-e / (2.0 + e));
}
fn sigmoid_f32(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp_f32(-x)); }
  let e = exp_f32(x);
  return e / (1.0 + e);
}
fn softplus_f32(x: f32) -> f32 {
  if (is_nan_f32(x)) { return x; }
  return max(x, 0.0) + log1p_f32(exp_f32(-abs(x)));
}
`;

/** atan2 and the small helpers with explicit IEEE edges. */
const MISC = /* wgsl */ `
// atan on [0, 1] (Cephes atanf: about 2e-7 relative), for atan2.
fn atan01_f32(t: f32) -> f32 {
  var x = t;
  var base = 0.0;
  if (x > 0.41421356) {
    base = 0.78539816;
    x = (x - 1.0) / (x + 1.0);
  }
  let z = x * x;
  return base + (((8.05374449538e-2 * z - 1.38776856032e-1) * z + 1.99777106478e-1) * z - 3.33329491539e-1) * z * x + x;
}
fn sign_bit_f32(x: f32) -> bool { return (bitcast<u32>(x) & 0x80000000u) != 0u; }
fn copysign_f32(m: f32, s: f32) -> f32 { return select(abs(m), -abs(m), sign_bit_f32(s)); }
// atan2(y, x) with C's special cases (signed zeros, infinities); WGSL's builtin may be off by 4096 ulp.
fn atan2_f32(y: f32, x: f32) -> f32 {
  let pi = 3.14159265358979;
  if (is_nan_f32(x) || is_nan_f32(y)) { return nan_f32(); }
  if (y == 0.0) {
    if (x > 0.0 || (x == 0.0 && !sign_bit_f32(x))) { return y; }
    return copysign_f32(pi, y);
  }
  if (x == 0.0) { return copysign_f32(pi / 2.0, y); }
  if (is_inf_f32(x)) {
    if (x > 0.0) { return select(copysign_f32(0.0, y), copysign_f32(pi / 4.0, y), is_inf_f32(y)); }
    return select(copysign_f32(pi, y), copysign_f32(3.0 * pi / 4.0, y), is_inf_f32(y));
  }
  if (is_inf_f32(y)) { return copysign_f32(pi / 2.0, y); }
  let ax = abs(x);
  let ay = abs(y);
  var a: f32;
  if (ay <= ax) { a = atan01_f32(ay / ax); } else { a = pi / 2.0 - atan01_f32(ax / ay); }
  if (x < 0.0) { a = pi - a; }
  return copysign_f32(a, y);
}
fn sign_f32(x: f32) -> f32 {
  if (is_nan_f32(x)) { return x; }
  return select(select(0.0, -1.0, x < 0.0), 1.0, x > 0.0);
}
fn sqrt_f32(x: f32) -> f32 {
  if (x < 0.0) { return nan_f32(); }
  return sqrt(x);
}
`;

/**
 * The float helpers every float kernel may call: `sin_f32`, `cos_f32`, `cos_sin_turn_f32`, `exp_f32`,
 * `log_f32`, `expm1_f32`, `log1p_f32`, `tanh_f32`, `sigmoid_f32`, `softplus_f32`, `atan2_f32`,
 * `sign_f32`, `sqrt_f32`, `copysign_f32`. Include `COMMON` before it.
 */
export const FLOAT_MATH = TRIG + EXP_LOG + MISC;
