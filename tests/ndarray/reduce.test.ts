// Axis reductions with keepdims, argmax, and their NumPy error texts.
import { describe, expect, it } from 'vitest';
import { arange, array, zeros } from '../../src/index.js';

const a = arange(24).reshape(2, 3, 4);

describe('reductions', () => {
  it('sums over all, one and several axes', () => {
    expect(a.sum().item()).toBe(276);
    expect(a.sum(0).shape).toEqual([3, 4]);
    expect(a.sum(0).get(2, 3)).toBe(11 + 23);
    expect(a.sum(1).get(1, 0)).toBe(12 + 16 + 20);
    expect(a.sum(2).get(0, 1)).toBe(4 + 5 + 6 + 7);
    expect(a.sum(-1).toArray()).toEqual(a.sum(2).toArray());
    expect(a.sum([0, 2]).toList()).toEqual([60, 92, 124]);
  });
  it('keeps dims', () => {
    expect(a.sum(1, { keepdims: true }).shape).toEqual([2, 1, 4]);
    expect(a.mean(undefined, { keepdims: true }).shape).toEqual([1, 1, 1]);
    expect(a.max([0, 1], { keepdims: true }).toArray()).toEqual([[[20, 21, 22, 23]]]);
  });
  it('computes mean, max, min, var, std', () => {
    const x = array([
      [1, 5, 3],
      [4, 2, 6],
    ]);
    expect(x.mean(0).toList()).toEqual([2.5, 3.5, 4.5]);
    expect(x.max(1).toList()).toEqual([5, 6]);
    expect(x.min(1).toList()).toEqual([1, 2]);
    expect(x.max().item()).toBe(6);
    expect(array([1, 2, 3, 4]).var().item()).toBeCloseTo(1.25, 15);
    expect(array([1, 2, 3, 4]).std().item()).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(arange(5).mean().dtype).toBe('float64');
    expect(zeros(3, 'float32').mean().dtype).toBe('float32');
  });
  it('keeps integer sums integer and bool sums count', () => {
    expect(arange(4).sum().dtype).toBe('int32');
    const m = array([true, false, true]);
    expect(m.sum().item()).toBe(2);
    expect(m.sum().dtype).toBe('int32');
  });
  it('finds argmax and argmin along an axis and flattened', () => {
    const x = array([
      [0.1, 0.8, 0.1],
      [0.3, 0.1, 0.6],
      [0.2, 0.5, 0.5],
    ]);
    expect(x.argmax(1).toList()).toEqual([1, 2, 1]); // first of equal maxima
    expect(x.argmax(0).toList()).toEqual([1, 0, 1]);
    expect(x.argmax().item()).toBe(1);
    expect(x.argmin(1, { keepdims: true }).shape).toEqual([3, 1]);
    expect(x.argmax(1).dtype).toBe('int32');
  });
  it('propagates NaN like NumPy', () => {
    expect(array([1, NaN, 3]).max().item()).toBeNaN();
    expect(array([1, NaN, 3]).argmax().item()).toBe(1);
  });
  it('reports bad axes and empty reductions in NumPy words', () => {
    expect(() => a.sum(3)).toThrow('axis 3 is out of bounds for array of dimension 3');
    expect(() => zeros([0]).max()).toThrow(
      'zero-size array to reduction operation maximum which has no identity',
    );
    expect(zeros([0]).sum().item()).toBe(0);
  });
});

describe('summation order', () => {
  it("sums pairwise like NumPy, so the book's 0.5975 prints as 0.5975", () => {
    const y = array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]);
    const t = array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(y.sub(t).pow(2).sum().mul(0.5).item()).toBe(0.5975);
  });
  it('sums long rows exactly enough', () => {
    const x = arange(1000).astype('float64').reshape(2, 500);
    expect(x.sum(1).toList()).toEqual([124750, 374750]);
    expect(x.sum().item()).toBe(499500);
  });
});
