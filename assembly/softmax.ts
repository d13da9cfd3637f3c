// softmax over the rows of a float matrix, value for value as the reference kernel computes it in
// JavaScript: x − max(row) and exp stored in the array's dtype, the row sum pairwise (NumPy's
// order, as reduce.ts's pairwiseSum), the sum stored, each exp divided by it. Every step is the
// same IEEE double operation as there, rounded to float32 on store where JavaScript stores into a
// Float32Array; exp is Math.exp's own algorithm (below), so the results are equal to the bit.
// A classifier's output layer runs it on every batch: 1000 Math.exp calls and the loops around
// them cost more than the rest of its forward pass.

// fdlibm's exp, the algorithm V8's Math.exp runs (base/ieee754.cc): x = k·ln2 + r with
// |r| ≤ ln2/2, exp(r) from a degree-5 rational approximation in r², then scaled by 2^k.
const LN2_HI: f64 = 6.9314718036912381649e-1; // ln2's upper bits: k·LN2_HI is exact
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.442695040888963387;
const P1: f64 = 1.66666666666666019037e-1;
const P2: f64 = -2.77777777770155933842e-3;
const P3: f64 = 6.61375632143793436117e-5;
const P4: f64 = -1.6533902205465251539e-6;
const P5: f64 = 4.13813679705723846039e-8;
const O_THRESHOLD: f64 = 7.09782712893383973096e2;
const U_THRESHOLD: f64 = -7.4513321910194110842e2;
const HUGE: f64 = 1.0e300;
const TWO_M1000: f64 = 9.3326361850321887899e-302; // 2^-1000

/** e^x as Math.exp computes it. */
export function exp64(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  let hx = <u32>(bits >>> 32);
  const negative = hx >>> 31;
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    // |x| ≥ 709.78: NaN, ±Infinity, overflow or underflow
    if (hx >= 0x7ff00000) {
      if ((hx & 0xfffff) | (<u32>bits)) return x + x; // NaN
      return negative ? 0.0 : x; // exp(±Infinity)
    }
    if (x > O_THRESHOLD) return HUGE * HUGE;
    if (x < U_THRESHOLD) return TWO_M1000 * TWO_M1000;
  }
  if (hx < 0x3e300000) return 1.0 + x; // |x| < 2^-28
  // fdlibm takes |x| ≤ ln2/2 (k = 0) and |x| < 1.5·ln2 (k = ±1) through branches of their own;
  // the general reduction computes the same values there (k·ln2 is exact for k = 0 or ±1, and
  // 1 − ((0 − q) − x) is 1 − (x·c/(c − 2) − x)), without two branches that random inputs
  // mispredict.
  const k = <i32>(INV_LN2 * x + (negative ? -0.5 : 0.5));
  const kf = <f64>k;
  const hi = x - kf * LN2_HI;
  const lo = kf * LN2_LO;
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  const y = 1.0 - (lo - (r * c) / (2.0 - c) - hi);
  if (k >= -1021) return reinterpret<f64>(reinterpret<u64>(y) + ((<u64>(<i64>k)) << 52));
  return reinterpret<f64>(reinterpret<u64>(y) + ((<u64>(<i64>(k + 1000))) << 52)) * TWO_M1000;
}

/**
 * exp64 of both lanes, the same operations lane by lane (f64x2 arithmetic rounds as scalar
 * arithmetic does; no fused multiply-add). Lanes outside the plain path (|x| < 2^-28, |x| ≥ 708,
 * NaN, ±Infinity: a result that needs exp64's special cases or its subnormal scaling) send the
 * pair to exp64.
 */
function exp64x2(x: v128): v128 {
  const ax = f64x2.abs(x);
  // ax ≥ 2^-28 and ax < 708 (false for NaN): then 2^k·y stays normal (k ≥ -1021)
  const plain = v128.and(
    f64x2.ge(ax, f64x2.splat(3.725290298461914e-9)),
    f64x2.lt(ax, f64x2.splat(708.0)),
  );
  if (!i64x2.all_true(plain)) {
    return f64x2(exp64(f64x2.extract_lane(x, 0)), exp64(f64x2.extract_lane(x, 1)));
  }
  // copysign(0.5, x): the sign bit of x on 0.5
  const half = v128.or(f64x2.splat(0.5), v128.and(x, i64x2.splat(0x8000000000000000)));
  const ki = i32x4.trunc_sat_f64x2_s_zero(f64x2.add(f64x2.mul(f64x2.splat(INV_LN2), x), half));
  const kf = f64x2.convert_low_i32x4_s(ki);
  const hi = f64x2.sub(x, f64x2.mul(kf, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(kf, f64x2.splat(LN2_LO));
  const r = f64x2.sub(hi, lo);
  const t = f64x2.mul(r, r);
  let p = f64x2.add(f64x2.mul(t, f64x2.splat(P5)), f64x2.splat(P4));
  p = f64x2.add(f64x2.mul(t, p), f64x2.splat(P3));
  p = f64x2.add(f64x2.mul(t, p), f64x2.splat(P2));
  p = f64x2.add(f64x2.mul(t, p), f64x2.splat(P1));
  const c = f64x2.sub(r, f64x2.mul(t, p));
  const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(f64x2.splat(2.0), c));
  const y = f64x2.sub(f64x2.splat(1.0), f64x2.sub(f64x2.sub(lo, q), hi));
  return i64x2.add(y, i64x2.shl(i64x2.extend_low_i32x4_s(ki), 52));
}

/** A stored element as JavaScript reads it: a double. */
function read<T>(p: usize, i: i32): f64 {
  return <f64>load<T>(p + ((<usize>i) << alignof<T>()));
}

/** Σ p[0..n) in pairwiseSum's order (reduce.ts): 8 running sums up to 128, halves above. */
function pairwise<T>(p: usize, n: i32): f64 {
  if (n < 8) {
    let s: f64 = -0.0;
    for (let i = 0; i < n; i++) s += read<T>(p, i);
    return s;
  }
  if (n <= 128) {
    let r0 = read<T>(p, 0);
    let r1 = read<T>(p, 1);
    let r2 = read<T>(p, 2);
    let r3 = read<T>(p, 3);
    let r4 = read<T>(p, 4);
    let r5 = read<T>(p, 5);
    let r6 = read<T>(p, 6);
    let r7 = read<T>(p, 7);
    let i = 8;
    const body = n - (n % 8);
    for (; i < body; i += 8) {
      r0 += read<T>(p, i);
      r1 += read<T>(p, i + 1);
      r2 += read<T>(p, i + 2);
      r3 += read<T>(p, i + 3);
      r4 += read<T>(p, i + 4);
      r5 += read<T>(p, i + 5);
      r6 += read<T>(p, i + 6);
      r7 += read<T>(p, i + 7);
    }
    let s = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) s += read<T>(p, i);
    return s;
  }
  let half = n / 2;
  half -= half % 8;
  return pairwise<T>(p, half) + pairwise<T>(p + ((<usize>half) << alignof<T>()), n - half);
}

function softmaxRows<T>(src: usize, dst: usize, rows: i32, cols: i32): void {
  const rowBytes = (<usize>cols) << alignof<T>();
  for (let r = 0; r < rows; r++) {
    const x = src + <usize>r * rowBytes;
    const y = dst + <usize>r * rowBytes;
    let max: f64 = -Infinity;
    for (let j = 0; j < cols; j++) {
      const v = read<T>(x, j);
      if (v > max || v != v) max = v; // NaN propagates, as np.max
    }
    // stored: exp of the stored difference, two at a time
    let j = 0;
    for (; j + 2 <= cols; j += 2) {
      const d0 = <f64>(<T>(read<T>(x, j) - max));
      const d1 = <f64>(<T>(read<T>(x, j + 1) - max));
      const e = exp64x2(f64x2(d0, d1));
      store<T>(y + ((<usize>j) << alignof<T>()), <T>f64x2.extract_lane(e, 0));
      store<T>(y + ((<usize>(j + 1)) << alignof<T>()), <T>f64x2.extract_lane(e, 1));
    }
    if (j < cols)
      store<T>(y + ((<usize>j) << alignof<T>()), <T>exp64(<f64>(<T>(read<T>(x, j) - max))));
    const sum = <f64>(<T>(0.0 + pairwise<T>(y, cols)));
    for (let j = 0; j < cols; j++) {
      const p = y + ((<usize>j) << alignof<T>());
      store<T>(p, <T>(<f64>load<T>(p) / sum));
    }
  }
}

/** softmax of each of `rows` rows of `cols` float32 values at src into dst (may be src). */
export function softmaxRowsF32(src: usize, dst: usize, rows: i32, cols: i32): void {
  softmaxRows<f32>(src, dst, rows, cols);
}

/** softmaxRowsF32 for float64. */
export function softmaxRowsF64(src: usize, dst: usize, rows: i32, cols: i32): void {
  softmaxRows<f64>(src, dst, rows, cols);
}
