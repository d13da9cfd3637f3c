// Numerical differentiation, gradient descent and gradient checks (book §4.3–4.4, §5.6.3).
import { describe, expect, it } from 'vitest';
import { allclose, array, Rng, type NDArray } from '../../src/ndarray/index.js';
import {
  gradientCheck,
  gradientDescent,
  networkGradientCheck,
  numericalDiff,
  numericalGradient,
  numericalGradients,
  softmax,
  crossEntropyError,
} from '../../src/functions/index.js';

const function1 = (x: number): number => 0.01 * x ** 2 + 0.1 * x;
const function2 = (x: NDArray): number => x.square().sum().item();

describe('numericalDiff', () => {
  it('gives the book slopes of 0.01x² + 0.1x at 5 and 10', () => {
    expect(numericalDiff(function1, 5)).toBeCloseTo(0.1999999999990898, 15);
    expect(numericalDiff(function1, 10)).toBeCloseTo(0.2999999999986347, 15);
    // Same floating-point operations as the book's Python: the same bits.
    expect(numericalDiff(function1, 5)).toBe(0.1999999999990898);
    expect(numericalDiff(function1, 10)).toBe(0.2999999999986347);
  });
});

describe('numericalGradient', () => {
  it('gives the book gradients of x0² + x1²', () => {
    const cases: [number[], number[]][] = [
      [
        [3, 4],
        [6, 8],
      ],
      [
        [0, 2],
        [0, 4],
      ],
      [
        [3, 0],
        [6, 0],
      ],
    ];
    for (const [x, g] of cases) {
      const grad = numericalGradient(function2, array(x));
      expect(allclose(grad, array(g), 0, 1e-9), grad.toString()).toBe(true);
    }
    expect(numericalGradient(function2, array([3.0, 4.0])).repr()).toBe('array([6., 8.])');
  });

  it('works for any shape and keeps the dtype', () => {
    const x = new Rng(1).randn(2, 3, 2);
    const grad = numericalGradient(function2, x);
    expect(grad.shape).toEqual([2, 3, 2]);
    expect(allclose(grad, x.mul(2), 1e-7, 1e-9)).toBe(true);
    expect(numericalGradient(function2, x.astype('float32')).dtype).toBe('float32');
  });

  it('restores every value it nudges', () => {
    const x = new Rng(2).randn(3, 4);
    const before = x.toList();
    const seen: number[] = [];
    numericalGradient((v) => {
      seen.push(v.sub(array(before).reshape(3, 4)).abs().sum().item());
      return function2(v);
    }, x);
    expect(x.toList()).toEqual(before);
    // Exactly one element differs (by h) at each call.
    expect(seen.every((d) => Math.abs(d - 1e-4) < 1e-9)).toBe(true);
  });

  it('restores the value when f throws', () => {
    const x = array([1.0, 2.0, 3.0]);
    let calls = 0;
    expect(() =>
      numericalGradient(() => {
        if (++calls === 4) throw new Error('boom');
        return 0;
      }, x),
    ).toThrow('boom');
    expect(x.toList()).toEqual([1, 2, 3]);
  });

  it('takes the step h as an option and rejects integer arrays', () => {
    const g = numericalGradient((v) => v.get(0) ** 3, array([1.0]), { h: 1e-2 });
    expect(g.get(0)).toBeCloseTo(3 + 1e-4, 12); // central difference error h² for x³
    expect(() => numericalGradient(function2, array([1, 2], 'int32'))).toThrow(
      'numericalGradient: expected a float32 or float64 array, got int32',
    );
  });
});

describe('gradientDescent', () => {
  it('reaches the book minimum from (-3, 4) with lr 0.1, 100 steps', () => {
    const initX = array([-3.0, 4.0]);
    const x = gradientDescent(function2, initX, { lr: 0.1, stepNum: 100 });
    expect(allclose(x, array([-6.11110793e-10, 8.14814391e-10]), 1e-6, 0)).toBe(true);
    expect(initX.toList()).toEqual([-3, 4]); // the start is not modified
  });

  it('diverges with lr 10 and hardly moves with lr 1e-10, as the book shows', () => {
    const initX = array([-3.0, 4.0]);
    const big = gradientDescent(function2, initX, { lr: 10, stepNum: 100 });
    expect(allclose(big, array([-2.58983747e13, -1.29524862e12]), 1e-6)).toBe(true);
    const small = gradientDescent(function2, initX, { lr: 1e-10, stepNum: 100 });
    expect(allclose(small, array([-2.99999994, 3.99999992]), 1e-8)).toBe(true);
  });

  it('returns the history when asked', () => {
    const { x, history } = gradientDescent(function2, array([-3.0, 4.0]), {
      lr: 0.1,
      stepNum: 20,
      history: true,
    });
    expect(history.shape).toEqual([20, 2]);
    expect(history.index(0).toList()).toEqual([-3, 4]);
    expect(history.get(1, 0)).toBeCloseTo(-2.4, 8); // x − 0.1·2x
    expect(x.get(0)).toBeCloseTo(-3 * 0.8 ** 20, 8);
    expect(
      gradientDescent(function2, array([1.0]), { stepNum: 0, history: true }).history.shape,
    ).toEqual([0, 1]);
  });
});

describe('gradientCheck', () => {
  it('is ~0 for a correct gradient and large for a wrong one', () => {
    const rng = new Rng(5);
    const W = rng.randn(3, 4);
    const x = rng.randn(2, 3);
    const r = rng.randn(2, 4);
    const f = () => x.dot(W).mul(r).sum().item(); // L = Σ (x·W) ⊙ r
    const good = gradientCheck(f, { W, x }, { W: x.T.dot(r), x: r.dot(W.T) });
    expect(good.W).toBeLessThan(1e-9);
    expect(good.x).toBeLessThan(1e-9);
    const bad = gradientCheck(f, { W }, { W: x.T.dot(r).mul(1.1) });
    expect(bad.W).toBeGreaterThan(1e-3);
  });

  it('names missing parameters and wrong shapes', () => {
    const W = array([[1.0, 2.0]]);
    expect(() => gradientCheck(() => 0, { W }, { b: W })).toThrow(
      "gradientCheck: expected a parameter named 'b', got keys W",
    );
    expect(() => gradientCheck(() => 0, { W }, { W: W.T })).toThrow(
      "gradientCheck: expected gradient 'W' of shape (1,2), got (2,1)",
    );
  });

  it('numericalGradients covers every parameter', () => {
    const a = array([1.0, 2.0]);
    const b = array([[3.0]]);
    const g = numericalGradients(() => a.square().sum().item() + 2 * b.get(0, 0), { a, b });
    expect(allclose(g.a, array([2, 4]), 1e-8)).toBe(true);
    expect(g.b.get(0, 0)).toBeCloseTo(2, 8);
  });

  it('checks a whole network through loss and gradient', () => {
    // A one-layer softmax regression: dL/dW = xᵀ(softmax(xW) − t)/N.
    const rng = new Rng(9);
    const params = { W: rng.randn(4, 3) };
    const x = rng.randn(5, 4);
    const t = rng.randint(0, 3, 5);
    const net = {
      params,
      loss: (xx: NDArray, tt: NDArray) => crossEntropyError(softmax(xx.dot(params.W)), tt),
      gradient: (xx: NDArray, tt: NDArray) => {
        const y = softmax(xx.dot(params.W));
        for (let i = 0; i < 5; i++) y.set([i, tt.get(i)], y.get(i, tt.get(i)) - 1);
        return { W: xx.T.dot(y).div(5) };
      },
    };
    // Not ~1e-10: the loss has log(y + 1e-7), the analytic gradient the exact 1/y.
    expect(networkGradientCheck(net, x, t).W).toBeLessThan(1e-5);
  });
});
