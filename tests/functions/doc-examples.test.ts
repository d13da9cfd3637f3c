// Runs the @example lines of the JSDoc in src/functions and src/networks/{perceptron,ch03}
// (STYLE.md: "an @example with its output — and a test that runs those examples").
import { describe, expect, it } from 'vitest';
import { array, type NDArray } from '../../src/ndarray/index.js';
import {
  crossEntropyError,
  gradientCheck,
  gradientDescent,
  identityFunction,
  meanSquaredError,
  numericalDiff,
  numericalGradient,
  numericalGradients,
  relu,
  reluGrad,
  sigmoid,
  sigmoidGrad,
  softmax,
  stepFunction,
  sumSquaredError,
} from '../../src/functions/index.js';
import { AND, NAND, OR, XOR } from '../../src/networks/perceptron.js';
import { forward, initNetwork } from '../../src/networks/ch03.js';

describe('JSDoc examples', () => {
  it('activations', () => {
    expect(identityFunction(3)).toBe(3);
    expect(stepFunction(array([-1.0, 1.0, 2.0])).toString()).toBe('[0 1 1]');
    expect(sigmoid(array([-1.0, 1.0, 2.0])).toString()).toBe('[0.26894142 0.73105858 0.88079708]');
    expect(sigmoidGrad(0)).toBe(0.25);
    expect(relu(array([-1.0, 0.5, 2.0])).toString()).toBe('[0.  0.5 2. ]');
    expect(reluGrad(array([-1.0, 0.0, 2.0])).toString()).toBe('[0. 1. 1.]');
    expect(softmax(array([0.3, 2.9, 4.0])).toString()).toBe('[0.01821127 0.24519181 0.73659691]');
    expect(softmax(array([1010, 1000, 990])).toString()).toBe(
      '[9.99954600e-01 4.53978686e-05 2.06106005e-09]',
    );
  });

  it('losses', () => {
    const t = array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    const y1 = array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]);
    const y2 = array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]);
    expect(sumSquaredError(y1, t)).toBe(0.09750000000000003);
    expect(sumSquaredError(y2, t)).toBe(0.5975);
    expect(
      meanSquaredError(
        array([
          [1, 0],
          [0, 0],
        ]),
        array([
          [0, 0],
          [0, 0],
        ]),
      ),
    ).toBe(0.25);
    expect(crossEntropyError(y1, t)).toBe(0.510825457099338);
    expect(crossEntropyError(y2, t)).toBe(2.302584092994546);
    const yb = array([
      [0.1, 0.9],
      [0.8, 0.2],
    ]);
    expect(crossEntropyError(yb, array([1, 0], 'int32'))).toBe(0.1642519154304695);
  });

  it('gradients', () => {
    const f1 = (x: number) => 0.01 * x ** 2 + 0.1 * x;
    expect(numericalDiff(f1, 5)).toBe(0.1999999999990898);
    expect(numericalDiff(f1, 10)).toBe(0.2999999999986347);
    const f2 = (x: NDArray) => x.square().sum().item();
    expect(numericalGradient(f2, array([3.0, 4.0])).toString()).toBe('[6. 8.]');
    expect(gradientDescent(f2, array([-3.0, 4.0]), { lr: 0.1, stepNum: 100 }).toString()).toBe(
      '[-6.11110793e-10  8.14814391e-10]',
    );
    const W = array([[1.0, 2.0]]);
    expect(numericalGradients(() => W.square().sum().item(), { W }).W.toString()).toBe('[[2. 4.]]');
    const x = array([1.0, -2.0]);
    expect(gradientCheck(() => x.square().sum().item(), { x }, { x: x.mul(2) }).x).toBeLessThan(
      1e-10,
    );
  });

  it('perceptron gates and the chapter 3 network', () => {
    expect([
      AND(1, 1),
      AND(1, 0),
      NAND(1, 1),
      NAND(0, 1),
      OR(0, 1),
      OR(0, 0),
      XOR(1, 0),
      XOR(1, 1),
    ]).toEqual([1, 0, 0, 1, 1, 0, 1, 0]);
    expect(forward(initNetwork(), array([1.0, 0.5])).toString()).toBe('[0.31682708 0.69627909]');
  });
});
