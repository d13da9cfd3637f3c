// Activation functions and softmax (book §3.2, §3.5): golden values and NumPy's behaviour.
import { describe, expect, it } from 'vitest';
import { allclose, array, Rng, type NDArray } from '../../src/ndarray/index.js';
import {
  identityFunction,
  relu,
  reluGrad,
  sigmoid,
  sigmoidGrad,
  softmax,
  stepFunction,
} from '../../src/functions/index.js';

function expectClose(
  actual: NDArray,
  expected: number[] | number[][],
  rtol = 1e-7,
  atol = 0,
): void {
  const e = array(expected);
  expect(actual.shape).toEqual(e.shape);
  expect(allclose(actual, e, rtol, atol), `${actual.toString()} vs ${e.toString()}`).toBe(true);
}

describe('stepFunction', () => {
  it('is 1 where x > 0 and 0 elsewhere, as int32', () => {
    const y = stepFunction(array([-1.0, 0.0, 1.0, 2.0]));
    expect(y.dtype).toBe('int32');
    expect(y.toList()).toEqual([0, 0, 1, 1]);
    expect(stepFunction(0.5)).toBe(1);
    expect(stepFunction(0)).toBe(0);
  });
});

describe('sigmoid', () => {
  it('gives the book values at -1, 1, 2', () => {
    expectClose(sigmoid(array([-1.0, 1.0, 2.0])), [0.26894142, 0.73105858, 0.88079708], 1e-8);
    expect(sigmoid(array([-1.0, 1.0, 2.0])).toString()).toBe('[0.26894142 0.73105858 0.88079708]');
  });
  it('works on numbers and keeps float32', () => {
    expect(sigmoid(0)).toBe(0.5);
    const y = sigmoid(array([0, 1], 'int32'));
    expect(y.dtype).toBe('float64');
    expect(sigmoid(array([-1, 1]).astype('float32')).dtype).toBe('float32');
  });
  it('saturates to 0 and 1 without NaN', () => {
    expect(sigmoid(array([-1000, 1000])).toList()).toEqual([0, 1]);
  });
  it('has the derivative (1 − σ)σ', () => {
    expect(sigmoidGrad(0)).toBe(0.25);
    const x = array([-2.0, 0.5, 3.0]);
    const h = 1e-5;
    const numeric = sigmoid(x.add(h))
      .sub(sigmoid(x.sub(h)))
      .div(2 * h);
    expect(allclose(sigmoidGrad(x), numeric, 1e-8)).toBe(true);
  });
});

describe('relu', () => {
  it('is max(0, x)', () => {
    expect(relu(array([-1.0, 0.5, 2.0])).toList()).toEqual([0, 0.5, 2]);
    expect(relu(-3)).toBe(0);
    expect(relu(array([-1, 2], 'int32')).dtype).toBe('int32');
  });
  it('has the book derivative (1 at x ≥ 0)', () => {
    expect(reluGrad(array([-1.0, 0.0, 2.0])).toList()).toEqual([0, 1, 1]);
  });
});

describe('identityFunction', () => {
  it('returns its input', () => {
    const x = array([1, 2]);
    expect(identityFunction(x)).toBe(x);
    expect(identityFunction(3)).toBe(3);
  });
});

describe('softmax', () => {
  it('gives the book values for [0.3, 2.9, 4.0]', () => {
    const y = softmax(array([0.3, 2.9, 4.0]));
    expectClose(y, [0.01821127, 0.24519181, 0.73659691], 1e-6);
    expect(y.toString()).toBe('[0.01821127 0.24519181 0.73659691]');
    expect(y.sum().item()).toBeCloseTo(1, 15);
  });

  it('does not overflow for [1010, 1000, 990]', () => {
    const y = softmax(array([1010, 1000, 990]));
    expect(y.toList().every(Number.isFinite)).toBe(true);
    expectClose(y, [9.999546e-1, 4.53978686e-5, 2.06106005e-9], 1e-7);
    // The naive formula overflows: Infinity / Infinity.
    const a = array([1010, 1000, 990]);
    expect(a.exp().div(a.exp().sum()).toList().every(Number.isNaN)).toBe(true);
  });

  it('normalizes each row of a batch; each row sums to 1', () => {
    const x = new Rng(3).randn(5, 7).mul(10);
    const y = softmax(x);
    expect(y.shape).toEqual([5, 7]);
    expectClose(y.sum(1), [1, 1, 1, 1, 1], 1e-12);
    for (let i = 0; i < 5; i++)
      expectClose(y.index(i), softmax(x.index(i)).toArray() as number[], 1e-12);
  });

  it('is unchanged by adding a constant to each row', () => {
    const x = new Rng(4).randn(4, 6);
    const shift = array([[1000], [-500], [3.5], [0]]); // (4, 1), one constant per row
    expect(allclose(softmax(x.add(shift)), softmax(x), 1e-9, 1e-15)).toBe(true);
  });

  it('normalizes over the last axis of higher-rank arrays', () => {
    const x = new Rng(5).randn(2, 3, 4);
    expect(
      allclose(
        softmax(x).sum(-1),
        array([
          [1, 1, 1],
          [1, 1, 1],
        ]),
        1e-12,
      ),
    ).toBe(true);
  });

  it("equals the book's array expression bit for bit: float32, float64, NaN and -Infinity", () => {
    // softmax runs one loop per row; the book's x − max, exp, sum, divide as array operations
    // (each result stored in the dtype, the sum NumPy's pairwise one) must give the same bits.
    const expression = (x: NDArray): NDArray => {
      const e = x.sub(x.max(-1, { keepdims: true })).exp();
      return e.div(e.sum(-1, { keepdims: true }));
    };
    const rng = new Rng(6);
    for (const dtype of ['float32', 'float64'] as const) {
      for (const shape of [[10], [100, 10], [3, 4, 150], [7, 1]]) {
        const x = rng
          .randn(...shape)
          .mul(30)
          .astype(dtype);
        if (x.size >= 20) {
          x.data[3] = NaN; // a NaN row stays NaN
          x.data[x.size - 1] = -Infinity; // its class gets probability 0
        }
        const got = softmax(x).data;
        const want = expression(x).data;
        expect(
          got.every((v, i) => Object.is(v, want[i])),
          `${dtype} ${shape}`,
        ).toBe(true);
      }
    }
  });

  it('does not modify its input, keeps float32, rejects 0-d arrays', () => {
    const x = array([1.0, 2.0, 3.0]);
    softmax(x);
    expect(x.toList()).toEqual([1, 2, 3]);
    expect(softmax(x.astype('float32')).dtype).toBe('float32');
    expect(() => softmax(array(1))).toThrow(
      'softmax: expected an array of at least 1 dimension, got shape ()',
    );
  });
});
