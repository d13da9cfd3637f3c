// Tests of im2col / col2im (§7.4.3): the book's shape examples, hand-checked layout, adjointness.
import { describe, expect, it } from 'vitest';
import { arange, array, ones, Rng, zeros } from '../../src/ndarray/index.js';
import { col2im, convOutputSize, im2col } from '../../src/layers/im2col.js';

describe('im2col', () => {
  it('gives the book’s shapes: (1,3,7,7) and (10,3,7,7) with a 5×5 filter', () => {
    const rng = new Rng(0);
    expect(im2col(rng.rand(1, 3, 7, 7), 5, 5, 1, 0).shape).toEqual([9, 75]);
    expect(im2col(rng.rand(10, 3, 7, 7), 5, 5, 1, 0).shape).toEqual([90, 75]);
  });

  it('lays out one window per row, ordered (c, fy, fx), with zero padding', () => {
    // x = [[0 1 2] [3 4 5]] (one image, one channel, 2×3), 2×2 windows, stride 1, pad 0
    const x = arange(6).reshape(1, 1, 2, 3);
    expect(im2col(x, 2, 2).toArray()).toEqual([
      [0, 1, 3, 4],
      [1, 2, 4, 5],
    ]);
    // pad 1, stride 2: outH = (2 + 2 − 2)/2 + 1 = 2, outW = (3 + 2 − 2)/2 + 1 = 2
    expect(im2col(x, 2, 2, 2, 1).toArray()).toEqual([
      [0, 0, 0, 0],
      [0, 0, 1, 2],
      [0, 3, 0, 0],
      [4, 5, 0, 0],
    ]);
    // two channels: the row holds channel 0's window, then channel 1's
    const x2 = arange(8).reshape(1, 2, 2, 2);
    expect(im2col(x2, 2, 2).toArray()).toEqual([[0, 1, 2, 3, 4, 5, 6, 7]]);
  });

  it('keeps float32 and turns integers into float64', () => {
    expect(im2col(zeros([1, 1, 3, 3], 'float32'), 2, 2).dtype).toBe('float32');
    expect(im2col(arange(9).reshape(1, 1, 3, 3), 2, 2).dtype).toBe('float64');
  });

  it('checks its input', () => {
    expect(() => im2col(zeros([100, 784]), 5, 5)).toThrow(
      'im2col: expected a 4-D array, got shape [100,784]',
    );
    expect(() => im2col(zeros([1, 1, 3, 3]), 5, 5)).toThrow(/im2col: expected a 5×5 window to fit/);
    expect(() => im2col(zeros([1, 1, 3, 3]), 2, 2, 0)).toThrow(
      'im2col: expected a stride that is a positive integer, got 0',
    );
  });
});

describe('col2im', () => {
  it('counts how many windows cover each pixel', () => {
    const dx = col2im(ones([9, 75]), [1, 3, 7, 7], 5, 5);
    expect(dx.shape).toEqual([1, 3, 7, 7]);
    expect(dx.get(0, 0, 3, 3)).toBe(9); // the centre lies in all 3×3 windows
    expect(dx.get(0, 2, 0, 0)).toBe(1); // a corner in one
    expect(dx.get(0, 1, 0, 3)).toBe(3);
  });

  it('is the adjoint of im2col: ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩', () => {
    const rng = new Rng(7);
    const cases: [number, number, number, number, number, number, number, number][] = [
      // N, C, H, W, FH, FW, stride, pad
      [1, 1, 5, 5, 3, 3, 1, 0],
      [2, 3, 7, 5, 3, 2, 2, 1],
      [3, 2, 6, 9, 4, 3, 3, 2],
      [1, 4, 8, 8, 2, 2, 2, 0],
      [2, 1, 5, 7, 5, 5, 1, 2],
    ];
    for (const [N, C, H, W, FH, FW, stride, pad] of cases) {
      const x = rng.randn(N, C, H, W);
      const col = im2col(x, FH, FW, stride, pad);
      const outH = convOutputSize(H, FH, stride, pad);
      const outW = convOutputSize(W, FW, stride, pad);
      expect(col.shape).toEqual([N * outH * outW, C * FH * FW]);
      const y = rng.randn(...col.shape);
      const lhs = col.mul(y).sum().item();
      const rhs = x
        .mul(col2im(y, x.shape, FH, FW, stride, pad))
        .sum()
        .item();
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-10 * (1 + Math.abs(lhs)));
    }
  });

  it('checks the shape of col against the input shape', () => {
    expect(() => col2im(zeros([8, 75]), [1, 3, 7, 7], 5, 5)).toThrow(
      'col2im: expected col of shape [9,75] for input [1,3,7,7], got shape [8,75]',
    );
    expect(() => col2im(zeros([9, 75]), [3, 7, 7], 5, 5)).toThrow(
      'col2im: expected an input shape (N, C, H, W), got [3,7,7]',
    );
  });

  it('does not mutate its input', () => {
    const y = array([[1, 2, 3, 4]]);
    const before = y.toList();
    col2im(y, [1, 1, 2, 2], 2, 2);
    expect(y.toList()).toEqual(before);
  });
});
