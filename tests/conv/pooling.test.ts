// Tests of the Pooling layer (§7.4.4): the kernels' max pooling against the book's im2col + argmax, gradient checks.
import { describe, expect, it } from 'vitest';
import { arange, array, NDArray, Rng, zeros } from '../../src/ndarray/index.js';
import { Pooling } from '../../src/layers/pooling.js';
import { col2im, convOutputSize, im2col } from '../../src/layers/im2col.js';
import { numericalGradient, relativeError, weightedSum } from './helpers.js';

/** The book's Pooling.forward / backward, line by line in NDArray operations. */
function bookPooling(
  x: NDArray,
  dout: NDArray,
  poolH: number,
  poolW: number,
  stride: number,
  pad: number,
) {
  const [N, C, H, W] = x.shape;
  const outH = convOutputSize(H, poolH, stride, pad);
  const outW = convOutputSize(W, poolW, stride, pad);
  const col = im2col(x, poolH, poolW, stride, pad).reshape(-1, poolH * poolW);
  const argMax = col.argmax(1);
  const out = col.max(1).reshape(N, outH, outW, C).transpose(0, 3, 1, 2);
  // backward
  const d = dout.transpose(0, 2, 3, 1);
  const poolSize = poolH * poolW;
  const dmax = zeros([d.size, poolSize]);
  dmax.setIndex([arange(argMax.size), argMax.flatten()], d.flatten());
  const dcol = dmax.reshape(N * outH * outW, C * poolSize);
  const dx = col2im(dcol, x.shape, poolH, poolW, stride, pad);
  return { out, dx };
}

// N, C, H, W, poolH, poolW, stride, pad
const CASES: [number, number, number, number, number, number, number, number][] = [
  [2, 3, 8, 8, 2, 2, 2, 0], // the book's networks
  [2, 2, 7, 9, 3, 3, 2, 0], // odd sizes, H ≠ W, overlapping windows
  [1, 3, 5, 6, 2, 3, 1, 0], // stride 1: every pixel in several windows
  [2, 2, 7, 5, 3, 3, 2, 1], // pad 1
  [1, 2, 6, 7, 2, 2, 2, 1], // pad 1 with windows made mostly of padding
  [1, 1, 4, 4, 3, 2, 3, 2], // pad 2, non-square window
];

describe('Pooling', () => {
  it('matches the book’s im2col + max/argmax formulation, forward and backward', () => {
    const rng = new Rng(11);
    for (const [N, C, H, W, poolH, poolW, stride, pad] of CASES) {
      // negative values too, so zero padding (the book's) and -∞ padding would differ
      for (const x of [rng.randn(N, C, H, W), rng.randn(N, C, H, W).sub(3)]) {
        const pool = new Pooling({ poolH, poolW, stride, pad });
        const out = pool.forward(x);
        const dout = rng.randn(...out.shape);
        const book = bookPooling(x, dout, poolH, poolW, stride, pad);
        expect(out.shape).toEqual(book.out.shape);
        expect(out.toList()).toEqual(book.out.toList());
        expect(pool.backward(dout).toList()).toEqual(book.dx.toList());
      }
    }
  });

  it('breaks ties as NumPy’s argmax: the first in row-major window order', () => {
    const x = array([
      [
        [
          [1, 1, 0, 2],
          [1, 1, 2, 2],
        ],
      ],
    ]); // (1, 1, 2, 4)
    const pool = new Pooling({ poolH: 2, poolW: 2, stride: 2 });
    expect(pool.forward(x).toArray()).toEqual([[[[1, 2]]]]);
    expect(pool.backward(array([[[[10, 20]]]])).toArray()).toEqual([
      [
        [
          [10, 0, 0, 20],
          [0, 0, 0, 0],
        ],
      ],
    ]);
    const book = bookPooling(x, array([[[[10, 20]]]]), 2, 2, 2, 0);
    expect(book.dx.toList()).toEqual([10, 0, 0, 20, 0, 0, 0, 0]);
  });

  it('pools the book’s way with padding: padding is 0', () => {
    const x = array([
      [
        [
          [-1, -2],
          [-3, -4],
        ],
      ],
    ]);
    const pool = new Pooling({ poolH: 2, poolW: 2, stride: 2, pad: 1 });
    // every window holds padding, so each pools to 0 and passes no gradient back
    expect(pool.forward(x).toArray()).toEqual([
      [
        [
          [0, 0],
          [0, 0],
        ],
      ],
    ]);
    expect(
      pool
        .backward(
          array([
            [
              [
                [1, 2],
                [3, 4],
              ],
            ],
          ]),
        )
        .toList(),
    ).toEqual([0, 0, 0, 0]);
  });

  it('passes gradient checks with a random upstream gradient', () => {
    const rng = new Rng(12);
    for (const [N, C, H, W, poolH, poolW, stride, pad] of CASES) {
      // distinct values 0.1 apart (a shuffled ramp), none within 0.05 of the padding's 0, so no
      // two candidates of a window are within h of each other
      const n = N * C * H * W;
      const x = rng
        .permutation(n)
        .astype('float64')
        .sub(n / 2)
        .mul(0.1)
        .add(0.05)
        .reshape(N, C, H, W);
      const pool = new Pooling({ poolH, poolW, stride, pad });
      const out = pool.forward(x);
      const r = rng.randn(...out.shape);
      const dx = pool.backward(r);
      const num = numericalGradient(() => weightedSum(pool.forward(x), r), x);
      expect(relativeError(dx, num)).toBeLessThan(1e-8);
    }
  });

  it('does not mutate x or dout, and keeps float32', () => {
    const rng = new Rng(13);
    const x = rng.randn(2, 3, 6, 5).astype('float32');
    const pool = new Pooling({ poolH: 2, poolW: 2, stride: 2 });
    const xBefore = x.toList();
    const out = pool.forward(x);
    expect(out.dtype).toBe('float32');
    const dout = rng.randn(...out.shape).astype('float32');
    const doutBefore = dout.toList();
    const dx = pool.backward(dout);
    expect(dx.dtype).toBe('float32');
    expect(x.toList()).toEqual(xBefore);
    expect(dout.toList()).toEqual(doutBefore);
  });

  it('checks shapes at the boundary', () => {
    const pool = new Pooling({ poolH: 2, poolW: 2, stride: 2 });
    expect(() => pool.forward(zeros([100, 784]))).toThrow(
      'Pooling.forward: expected a 4-D array, got shape [100,784]',
    );
    expect(() => pool.backward(zeros([1, 1, 2, 2]))).toThrow(
      'Pooling.backward: expected forward() to have run first',
    );
    pool.forward(zeros([1, 2, 4, 4]));
    expect(() => pool.backward(zeros([1, 2, 4, 4]))).toThrow(
      'Pooling.backward: expected dout of shape [1,2,2,2], got shape [1,2,4,4]',
    );
    expect(() => new Pooling({ poolH: 0, poolW: 2 })).toThrow(
      'Pooling: expected a window of positive integers, got 0×2',
    );
  });
});
