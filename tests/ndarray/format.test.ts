// NumPy-like printing: repr and str, float widths, scientific mode, bools, wrapping and summaries.
import { describe, expect, it } from 'vitest';
import { arange, array, linspace, zeros } from '../../src/index.js';

describe('printing', () => {
  it('prints 2-D floats like NumPy', () => {
    expect(
      array([
        [1, 2],
        [3, 4],
      ]).repr(),
    ).toBe('array([[1., 2.],\n       [3., 4.]])');
    expect(
      array([
        [1, 2],
        [3, 4],
      ]).toString(),
    ).toBe('[[1. 2.]\n [3. 4.]]');
  });
  it('prints bools and integers', () => {
    expect(array([true, false]).repr()).toBe('array([ True, False])');
    expect(array([true, false]).toString()).toBe('[ True False]');
    expect(arange(3).repr()).toBe('array([0, 1, 2])');
    expect(array([-1, 10], 'int32').toString()).toBe('[-1 10]');
  });
  it('aligns decimals and pads like NumPy', () => {
    expect(array([0.1, 0.25]).repr()).toBe('array([0.1 , 0.25])');
    expect(array([-1, 2.5]).repr()).toBe('array([-1. ,  2.5])');
    expect(arange(-1, 1, 0.5).toString()).toBe('[-1.  -0.5  0.   0.5]');
    expect(array([0.26894142, 0.73105858, 0.88079708]).repr()).toBe(
      'array([0.26894142, 0.73105858, 0.88079708])',
    );
  });
  it('switches to scientific notation for wide ranges', () => {
    expect(array([9.999546e-1, 4.53978686e-5, 2.06106005e-9]).repr()).toBe(
      'array([9.99954600e-01, 4.53978686e-05, 2.06106005e-09])',
    );
    expect(array([1e-10, 1]).toString()).toBe('[1.e-10 1.e+00]');
  });
  it('prints nan and inf', () => {
    expect(array([NaN, 1, -Infinity]).repr()).toBe('array([ nan,   1., -inf])');
  });
  it('shows the dtype when it is not implied', () => {
    expect(linspace(0, 1, 3).astype('float32').repr()).toBe(
      'array([0. , 0.5, 1. ], dtype=float32)',
    );
    expect(zeros([0]).repr()).toBe('array([], dtype=float64)');
    expect(zeros([0, 3]).repr()).toBe('array([], shape=(0, 3), dtype=float64)');
  });
  it('prints 0-d arrays and 3-D blocks', () => {
    expect(array(3.5).repr()).toBe('array(3.5)');
    expect(array(3).toString()).toBe('3.0');
    expect(arange(8).reshape(2, 2, 2).toString()).toBe('[[[0 1]\n  [2 3]]\n\n [[4 5]\n  [6 7]]]');
  });
  it('wraps long rows at 75 characters and summarises large arrays', () => {
    const lines = arange(30).astype('float64').div(7).repr().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(75);
    expect(lines[1].startsWith('       ')).toBe(true);
    expect(arange(2000).repr()).toBe('array([   0,    1,    2, ..., 1997, 1998, 1999])');
  });
});
