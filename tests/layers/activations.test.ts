// Tests of the Relu and Sigmoid layers (chapter 5.5): values, gradient checks, no mutation.
import { describe, expect, it } from 'vitest';
import { Rng, array } from '../../src/ndarray/index.js';
import { Relu } from '../../src/layers/relu.js';
import { Sigmoid } from '../../src/layers/sigmoid.js';
import { layerGradientErrors, layerMutations } from '../helpers/gradcheck.js';

/** Seeded normal values kept at least 0.05 away from ReLU's kink, where h = 1e-4 would straddle it. */
function awayFromZero(seed: number, ...shape: number[]) {
  const x = new Rng(seed).randn(...shape);
  for (let i = 0; i < x.size; i++) if (Math.abs(x.data[i]) < 0.05) x.data[i] += 0.1;
  return x;
}

describe('Relu', () => {
  it('forward is max(0, x) and backward blocks the gradient where x <= 0', () => {
    const relu = new Relu();
    const x = array([
      [1.0, -0.5],
      [-2.0, 3.0],
    ]);
    expect(relu.forward(x).toArray()).toEqual([
      [1, 0],
      [0, 3],
    ]);
    const dx = relu.backward(
      array([
        [10.0, 20.0],
        [30.0, 40.0],
      ]),
    );
    expect(dx.toArray()).toEqual([
      [10, 0],
      [0, 40],
    ]);
    // the book's out[mask] = 0 writes +0, not −0
    expect(Object.is(relu.forward(x).data[1], 0)).toBe(true);
  });

  it('passes a gradient check with a random upstream gradient (2-D and 4-D)', () => {
    for (const x of [awayFromZero(3, 4, 5), awayFromZero(4, 2, 3, 4, 5)]) {
      const errors = layerGradientErrors(new Relu(), x);
      expect(errors.x).toBeLessThan(1e-8);
    }
  });

  it('does not modify x or dout (the book writes into dout)', () => {
    expect(layerMutations(new Relu(), new Rng(5).randn(3, 4))).toEqual([]);
  });

  it('keeps the dtype (float32 stays float32)', () => {
    const relu = new Relu();
    const y = relu.forward(array([-1, 2], 'float32'));
    expect(y.dtype).toBe('float32');
    expect(relu.backward(array([1, 1], 'float32')).dtype).toBe('float32');
  });

  it('names its errors: backward before forward, wrong dout shape', () => {
    expect(() => new Relu().backward(array([1.0]))).toThrow(
      'Relu.backward: expected forward() to have run first, got no cached input',
    );
    const relu = new Relu();
    relu.forward(array([[1.0, 2.0]]));
    expect(() => relu.backward(array([1.0, 2.0]))).toThrow(
      'Relu.backward: expected dout of shape [1,2], got shape [2]',
    );
  });
});

describe('Sigmoid', () => {
  it('forward gives the book values and backward dout·y(1 − y)', () => {
    const s = new Sigmoid();
    const y = s.forward(array([-1.0, 1.0, 2.0]));
    const expected = [0.26894142, 0.73105858, 0.88079708];
    y.toList().forEach((v, i) => expect(v).toBeCloseTo(expected[i], 8));
    const dx = s.backward(array([1.0, 1.0, 1.0]));
    dx.toList().forEach((v, i) => expect(v).toBeCloseTo(expected[i] * (1 - expected[i]), 8));
  });

  it('is finite for large |x|', () => {
    const y = new Sigmoid().forward(array([-1000.0, 1000.0]));
    expect(y.toList()).toEqual([0, 1]);
  });

  it('passes a gradient check with a random upstream gradient', () => {
    const errors = layerGradientErrors(new Sigmoid(), new Rng(6).randn(4, 5).mul(2));
    expect(errors.x).toBeLessThan(1e-8);
  });

  it('does not modify x or dout', () => {
    expect(layerMutations(new Sigmoid(), new Rng(7).randn(3, 4))).toEqual([]);
  });

  it('backward before forward throws a named error', () => {
    expect(() => new Sigmoid().backward(array([1.0]))).toThrow(
      'Sigmoid.backward: expected forward()',
    );
  });
});
