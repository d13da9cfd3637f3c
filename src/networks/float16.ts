// Rounding to IEEE 754 half precision (float16), for the book's half_float_network experiment (§8.3.4).
import { allocate, isFloat } from '../ndarray/dtype.js';
import { NDArray } from '../ndarray/ndarray.js';

/** The largest finite float16, 65504 = (2 − 2⁻¹⁰)·2¹⁵. */
export const FLOAT16_MAX = 65504;
/** The smallest positive normal float16, 2⁻¹⁴. */
export const FLOAT16_MIN_NORMAL = 2 ** -14;
/** The smallest positive (subnormal) float16, 2⁻²⁴. */
export const FLOAT16_MIN_SUBNORMAL = 2 ** -24;

/**
 * The float16 value nearest to `v`, as a number: NumPy's `float(np.float16(v))`. Ties round to
 * the even significand; magnitudes from 65520 (halfway between 65504 and 2¹⁶) up overflow to
 * ±Infinity; values below 2⁻¹⁴ become subnormals (steps of 2⁻²⁴) or ±0; NaN stays NaN.
 * @example
 * roundFloat16(0.1); // 0.0999755859375
 * roundFloat16(65519); // 65504
 * roundFloat16(65520); // Infinity
 * roundFloat16(2049); // 2048 (a tie: 2048 has the even significand)
 */
export function roundFloat16(v: number): number {
  if (v !== v || v === 0 || !Number.isFinite(v)) return v; // NaN, ±0 and ±Infinity are exact
  const a = Math.abs(v);
  // The binade of a: 2^e ≤ a < 2^(e+1). log2 can be off by one next to a power of two, so fix it.
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  // float16 has 10 fraction bits, and below 2^-14 the step stays at the subnormal 2^-24.
  const step = 2 ** (Math.max(e, -14) - 10);
  const q = a / step; // exact: division by a power of two
  const floor = Math.floor(q);
  const rest = q - floor;
  const n = rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  const r = n * step;
  const rounded = r > FLOAT16_MAX ? Infinity : r;
  return v < 0 ? -rounded : rounded;
}

/**
 * A copy of `x` with every element rounded to the nearest float16 (see {@link roundFloat16}),
 * kept in x's float dtype: the values `x.astype(np.float16)` holds, in an array our kernels use.
 * @param x any shape, float32 or float64
 * @returns same shape and dtype as x
 */
export function toFloat16(x: NDArray): NDArray {
  if (!isFloat(x.dtype)) {
    throw new Error(`toFloat16: expected a float32 or float64 array, got dtype ${x.dtype}`);
  }
  const out = allocate(x.dtype, x.size);
  const src = x.data;
  for (let i = 0; i < src.length; i++) out[i] = roundFloat16(src[i]);
  return new NDArray(out, x.shape, x.dtype);
}
