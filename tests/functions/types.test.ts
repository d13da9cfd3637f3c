// Type tests for the functions' option objects (STYLE.md tests §6): wrong option types do not
// compile (checked by `tsc -p tsconfig.json`); the calls below also run.
import { describe, expect, it } from 'vitest';
import { array, type NDArray } from '../../src/ndarray/index.js';
import { gradientDescent, numericalGradient, sigmoid } from '../../src/functions/index.js';

const f = (x: NDArray): number => x.square().sum().item();

describe('types', () => {
  it('gradientDescent options and overloads', () => {
    const x: NDArray = gradientDescent(f, array([1.0]), { lr: 0.1 });
    const withHistory: { x: NDArray; history: NDArray } = gradientDescent(f, array([1.0]), {
      stepNum: 2,
      history: true,
    });
    // @ts-expect-error lr is a number
    expect(() => gradientDescent(f, array([1.0]), { lr: '0.1', stepNum: 0 })).not.toThrow();
    // @ts-expect-error stepNum, not the book's snake_case step_num
    gradientDescent(f, array([1.0]), { step_num: 1 });
    // @ts-expect-error with history: true the result is not an NDArray
    const wrong: NDArray = gradientDescent(f, array([1.0]), { stepNum: 1, history: true });
    expect(x.shape).toEqual([1]);
    expect(withHistory.history.shape).toEqual([2, 1]);
    expect(wrong).toBeDefined();
  });

  it('numericalGradient options and overloaded activations', () => {
    // @ts-expect-error h is a number
    numericalGradient(f, array([1.0]), { h: 'small' });
    const n: number = sigmoid(0);
    const a: NDArray = sigmoid(array([0]));
    // @ts-expect-error sigmoid of an array is an array
    const wrongN: number = sigmoid(array([0]));
    expect([n, a.size, typeof wrongN]).toEqual([0.5, 1, 'object']);
  });
});
