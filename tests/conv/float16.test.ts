// Tests of float16 rounding (§8.3.4) on known values: the largest finite value, subnormals, ties-to-even, overflow.
import { describe, expect, it } from 'vitest';
import { array } from '../../src/ndarray/index.js';
import {
  FLOAT16_MAX,
  FLOAT16_MIN_NORMAL,
  FLOAT16_MIN_SUBNORMAL,
  roundFloat16,
  toFloat16,
} from '../../src/networks/float16.js';

describe('roundFloat16', () => {
  it('keeps values float16 holds exactly', () => {
    for (const v of [
      0,
      1,
      -1,
      0.5,
      1024,
      2048,
      1 + 2 ** -10,
      FLOAT16_MAX,
      -FLOAT16_MAX,
      3.140625,
    ]) {
      expect(roundFloat16(v)).toBe(v);
    }
    expect(Object.is(roundFloat16(-0), -0)).toBe(true);
    expect(roundFloat16(Infinity)).toBe(Infinity);
    expect(roundFloat16(-Infinity)).toBe(-Infinity);
    expect(roundFloat16(NaN)).toBeNaN();
  });

  it('gives NumPy’s np.float16 values', () => {
    expect(roundFloat16(0.1)).toBe(0.0999755859375);
    expect(roundFloat16(Math.PI)).toBe(3.140625);
    expect(roundFloat16(1 / 3)).toBe(0.333251953125);
    expect(roundFloat16(-2.7182818)).toBe(-2.71875);
    expect(roundFloat16(1e-5)).toBe(168 * 2 ** -24); // a subnormal: 168·2⁻²⁴
    expect(roundFloat16(1e4 + 3)).toBe(10000); // step 8 between 8192 and 16384
  });

  it('rounds ties to the even significand', () => {
    expect(roundFloat16(2049)).toBe(2048); // between 2048 (even) and 2050
    expect(roundFloat16(2051)).toBe(2052); // between 2050 (odd) and 2052 (even)
    expect(roundFloat16(1 + 2 ** -11)).toBe(1); // halfway between 1 and 1 + 2⁻¹⁰
    expect(roundFloat16(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9);
    expect(roundFloat16(-(1 + 2 ** -11))).toBe(-1);
    expect(roundFloat16(2049.0001)).toBe(2050); // just above the tie rounds up
  });

  it('handles the largest value and overflow', () => {
    expect(FLOAT16_MAX).toBe(65504);
    expect(roundFloat16(65519)).toBe(65504);
    expect(roundFloat16(65519.99)).toBe(65504);
    expect(roundFloat16(65520)).toBe(Infinity); // the tie between 65504 and 2¹⁶ goes to 2¹⁶: overflow
    expect(roundFloat16(-65520)).toBe(-Infinity);
    expect(roundFloat16(1e6)).toBe(Infinity);
    expect(roundFloat16(65505)).toBe(65504);
  });

  it('handles subnormals and underflow', () => {
    expect(roundFloat16(FLOAT16_MIN_NORMAL)).toBe(2 ** -14);
    expect(roundFloat16(FLOAT16_MIN_SUBNORMAL)).toBe(2 ** -24);
    expect(roundFloat16(3 * 2 ** -24)).toBe(3 * 2 ** -24);
    expect(roundFloat16(2 ** -14 - 2 ** -24)).toBe(2 ** -14 - 2 ** -24); // the largest subnormal
    expect(roundFloat16(2.5 * 2 ** -24)).toBe(2 * 2 ** -24); // tie → even
    expect(roundFloat16(3.5 * 2 ** -24)).toBe(4 * 2 ** -24); // tie → even
    expect(roundFloat16(2 ** -25)).toBe(0); // halfway to the smallest subnormal: ties to 0
    expect(roundFloat16(2 ** -25 * 1.0001)).toBe(2 ** -24);
    expect(Object.is(roundFloat16(-1e-9), -0)).toBe(true);
    expect(roundFloat16(1e-30)).toBe(0);
  });

  it('handles values next to a power of two', () => {
    expect(roundFloat16(2 - 2 ** -12)).toBe(2); // rounds up into the next binade
    expect(roundFloat16(0.125)).toBe(0.125);
    expect(roundFloat16(2 ** 15)).toBe(2 ** 15);
    expect(roundFloat16(2 ** 15 - 1)).toBe(2 ** 15);
  });
});

describe('toFloat16', () => {
  it('rounds every element and keeps shape and dtype', () => {
    const x = array([
      [0.1, 65520],
      [2049, -1e-9],
    ]);
    const y = toFloat16(x);
    expect(y.shape).toEqual([2, 2]);
    expect(y.dtype).toBe('float64');
    expect(y.toList()).toEqual([0.0999755859375, Infinity, 2048, -0]);
    expect(x.get(0, 0)).toBe(0.1); // not in place
    const z = toFloat16(x.astype('float32'));
    expect(z.dtype).toBe('float32');
    expect(z.get(0, 0)).toBe(0.0999755859375);
  });

  it('rejects integer arrays', () => {
    expect(() => toFloat16(array([1, 2], 'int32'))).toThrow(
      'toFloat16: expected a float32 or float64 array, got dtype int32',
    );
  });
});
