/**
 * Bit-exact uniform values. Core computes `low + span * m * 2^-24` (m: the 24 random bits) in float64
 * and stores the result as float32, so a float32 formula differs in the last bit about half the time
 * (measured: 2011 of 4000 values for [-0.3, 0.7)). This WGSL repeats the float64 computation with
 * integer arithmetic: the product `span · m` rounded to 53 bits, the sum with `low` rounded to 53 bits,
 * then the rounding to float32 — each round-to-nearest-even, as JavaScript does.
 *
 * A float64 travels as sign, 53-bit integer mantissa (two u32 words) and exponent: value = m · 2^e.
 */

/** Params words of a float64 `x`: [negative, mantissa hi (21 bits), mantissa lo, exponent (i32 bits)]. */
export function float64Words(x: number): [number, number, number, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x, true);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  const negative = hi >>> 31;
  const biased = (hi >>> 20) & 0x7ff;
  const mantHi = hi & 0xfffff;
  if (biased === 0) return [negative, mantHi, lo, -1074 >>> 0]; // zero or subnormal
  return [negative, mantHi | 0x100000, lo, (biased - 1075) >>> 0];
}

/** WGSL: `uniform_bits(m)` = the float32 bits of `low + span · m · 2^-24` as float64 would round it. */
export const EXACT_UNIFORM_WGSL = /* wgsl */ `
struct F64 { neg: bool, m: vec2u, e: i32 }

fn bitlen64(v: vec2u) -> u32 {
  if (v.y != 0u) { return 64u - countLeadingZeros(v.y); }
  return 32u - countLeadingZeros(v.x);
}
fn is_zero64(v: vec2u) -> bool { return v.x == 0u && v.y == 0u; }
fn shl64(v: vec2u, s: u32) -> vec2u {
  if (s == 0u) { return v; }
  if (s >= 64u) { return vec2u(0u); }
  if (s >= 32u) { return vec2u(0u, v.x << (s - 32u)); }
  return vec2u(v.x << s, (v.y << s) | (v.x >> (32u - s)));
}
fn shr64(v: vec2u, s: u32) -> vec2u {
  if (s == 0u) { return v; }
  if (s >= 64u) { return vec2u(0u); }
  if (s >= 32u) { return vec2u(v.y >> (s - 32u), 0u); }
  return vec2u((v.x >> s) | (v.y << (32u - s)), v.y >> s);
}
fn add64(a: vec2u, b: vec2u) -> vec2u {
  let lo = a.x + b.x;
  return vec2u(lo, a.y + b.y + select(0u, 1u, lo < a.x));
}
fn sub64(a: vec2u, b: vec2u) -> vec2u { return vec2u(a.x - b.x, a.y - b.y - select(0u, 1u, a.x < b.x)); }
fn lt64(a: vec2u, b: vec2u) -> bool { return a.y < b.y || (a.y == b.y && a.x < b.x); }
// v >> s (1 <= s <= 63), rounded to nearest, ties to even.
fn round_shr64(v: vec2u, s: u32) -> vec2u {
  var q = shr64(v, s);
  let rem = sub64(v, shl64(q, s));
  let half = shl64(vec2u(1u, 0u), s - 1u);
  if (lt64(half, rem) || (rem.x == half.x && rem.y == half.y && (q.x & 1u) == 1u)) {
    q = add64(q, vec2u(1u, 0u));
  }
  return q;
}
fn f64_at(base: u32) -> F64 { return F64(pu(base) != 0u, vec2u(pu(base + 2u), pu(base + 1u)), pi(base + 3u)); }

// span · m rounded to 53 bits (m < 2^24, so the exact product has at most 77 bits).
fn mul_rn53(a: F64, m: u32) -> F64 {
  let p0 = a.m.x * m;
  let c0 = mulhi32(a.m.x, m);
  let q1 = a.m.y * m;
  let p1 = c0 + q1;
  let p2 = mulhi32(a.m.y, m) + select(0u, 1u, p1 < c0);
  var len: u32;
  if (p2 != 0u) { len = 96u - countLeadingZeros(p2); } else { len = bitlen64(vec2u(p0, p1)); }
  if (len <= 53u) { return F64(a.neg, vec2u(p0, p1), a.e); }
  let s = len - 53u; // 1..24
  var q = vec2u((p0 >> s) | (p1 << (32u - s)), (p1 >> s) | (p2 << (32u - s)));
  let rem = p0 & ((1u << s) - 1u);
  let half = 1u << (s - 1u);
  var e = a.e + i32(s);
  if (rem > half || (rem == half && (q.x & 1u) == 1u)) { q = add64(q, vec2u(1u, 0u)); }
  if (bitlen64(q) > 53u) { q = shr64(q, 1u); e += 1; }
  return F64(a.neg, q, e);
}

// a + b rounded to 53 bits (10 guard bits and a sticky bit make the rounding exact).
fn add_rn53(a: F64, b: F64) -> F64 {
  if (is_zero64(a.m) && is_zero64(b.m)) { return F64(a.neg && b.neg, vec2u(0u), 0); }
  if (is_zero64(a.m)) { return b; }
  if (is_zero64(b.m)) { return a; }
  let la = bitlen64(a.m);
  let lb = bitlen64(b.m);
  var x = F64(a.neg, shl64(a.m, 63u - la), a.e - i32(63u - la));
  var y = F64(b.neg, shl64(b.m, 63u - lb), b.e - i32(63u - lb));
  if (y.e > x.e) { let t = x; x = y; y = t; }
  let d = u32(x.e - y.e);
  var my: vec2u;
  if (d >= 64u) {
    my = vec2u(1u, 0u);
  } else {
    my = shr64(y.m, d);
    if (!is_zero64(sub64(y.m, shl64(my, d)))) { my.x = my.x | 1u; }
  }
  var sum: vec2u;
  var neg: bool;
  if (x.neg == y.neg) {
    sum = add64(x.m, my);
    neg = x.neg;
  } else if (lt64(x.m, my)) {
    sum = sub64(my, x.m);
    neg = y.neg;
  } else {
    sum = sub64(x.m, my);
    neg = x.neg;
  }
  if (is_zero64(sum)) { return F64(false, vec2u(0u), 0); }
  let len = bitlen64(sum);
  if (len <= 53u) { return F64(neg, sum, x.e); }
  var q = round_shr64(sum, len - 53u);
  var e = x.e + i32(len - 53u);
  if (bitlen64(q) > 53u) { q = shr64(q, 1u); e += 1; }
  return F64(neg, q, e);
}

// The float32 bits nearest to v (ties to even), subnormals included.
fn f32_bits(v: F64) -> u32 {
  let sign = select(0u, 0x80000000u, v.neg);
  if (is_zero64(v.m)) { return sign; }
  let len = bitlen64(v.m);
  var exp = v.e + i32(len) - 1;
  if (exp > 127) { return sign | 0x7f800000u; }
  if (exp >= -126) {
    var q: vec2u;
    if (len > 24u) {
      q = round_shr64(v.m, len - 24u);
      if (bitlen64(q) > 24u) { q = shr64(q, 1u); exp += 1; }
    } else {
      q = shl64(v.m, 24u - len);
    }
    if (exp > 127) { return sign | 0x7f800000u; }
    return sign | (u32(exp + 127) << 23u) | (q.x & 0x7fffffu);
  }
  let t = -149 - v.e;
  var q = vec2u(0u);
  if (t <= 0) { q = shl64(v.m, u32(-t)); } else if (t < 64) { q = round_shr64(v.m, u32(t)); }
  return sign | q.x;
}

// low + span · m · 2^-24 as JavaScript computes it in float64, then stored as float32.
fn uniform_bits(m: u32, low_at: u32, span_at: u32) -> u32 {
  var p = mul_rn53(f64_at(span_at), m);
  p.e = p.e - 24;
  return f32_bits(add_rn53(f64_at(low_at), p));
}
`;
