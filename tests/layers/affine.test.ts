// Tests of the Affine layer (chapter 5.6): values, gradient checks, N-d input, errors, no mutation.
import { describe, expect, it } from 'vitest';
import { Rng, array, zeros } from '../../src/ndarray/index.js';
import { Affine } from '../../src/layers/affine.js';
import { layerGradientErrors, layerMutations } from '../helpers/gradcheck.js';

function randomAffine(seed: number, D: number, M: number) {
  const rng = new Rng(seed);
  return new Affine(rng.randn(D, M), rng.randn(M));
}

describe('Affine', () => {
  it('computes x·W + b and the book backward', () => {
    const W = array([
      [1.0, 2.0, 3.0],
      [4.0, 5.0, 6.0],
    ]);
    const b = array([0.5, -0.5, 1.0]);
    const affine = new Affine(W, b);
    const x = array([
      [1.0, 2.0],
      [3.0, 4.0],
    ]);
    expect(affine.forward(x).toArray()).toEqual([
      [9.5, 11.5, 16],
      [19.5, 25.5, 34],
    ]);
    const dout = array([
      [1.0, 0.0, 2.0],
      [0.0, 1.0, -1.0],
    ]);
    expect(affine.backward(dout).toArray()).toEqual([
      [7, 16],
      [-1, -1],
    ]); // dout·Wᵀ
    expect(affine.grads.W.toArray()).toEqual([
      [1, 3, -1],
      [2, 4, 0],
    ]); // xᵀ·dout
    expect(affine.grads.b.toArray()).toEqual([1, 1, 1]);
  });

  it('params are the arrays it was given (updated in place, never copied); grads keep identity', () => {
    const W = zeros([2, 3]);
    const b = zeros(3);
    const affine = new Affine(W, b);
    expect(affine.params.W).toBe(W);
    expect(affine.params.b).toBe(b);
    const gW = affine.grads.W;
    affine.forward(array([[1.0, 2.0]]));
    affine.backward(array([[1.0, 1.0, 1.0]]));
    expect(affine.grads.W).toBe(gW);
    W.addInPlace(1); // as an optimizer would
    expect(affine.forward(array([[1.0, 2.0]])).toArray()).toEqual([[3, 3, 3]]);
  });

  it('passes a gradient check with a random upstream gradient for x, W and b', () => {
    const affine = randomAffine(11, 6, 4);
    const errors = layerGradientErrors(affine, new Rng(12).randn(5, 6));
    expect(Object.keys(errors).sort()).toEqual(['W', 'b', 'x']);
    for (const e of Object.values(errors)) expect(e).toBeLessThan(1e-8);
  });

  it('accepts N-d input, flattens it to (N, -1) and restores its shape in backward', () => {
    const affine = randomAffine(13, 2 * 3 * 4, 5);
    const x = new Rng(14).randn(3, 2, 3, 4);
    const out = affine.forward(x);
    expect(out.shape).toEqual([3, 5]);
    const dx = affine.backward(new Rng(15).randn(3, 5));
    expect(dx.shape).toEqual([3, 2, 3, 4]);
    const errors = layerGradientErrors(affine, x);
    for (const e of Object.values(errors)) expect(e).toBeLessThan(1e-8);
  });

  it('with inputGradient: false, gives the same dW and db and returns zeros of x’s shape', () => {
    const rng = new Rng(18);
    for (const dtype of ['float64', 'float32'] as const) {
      const W = rng.randn(12, 5).astype(dtype);
      const b = rng.randn(5).astype(dtype);
      const full = new Affine(W, b);
      const first = new Affine(W, b, { inputGradient: false });
      expect([full.inputGradient, first.inputGradient]).toEqual([true, false]);
      const x = rng.randn(3, 2, 2, 3).astype(dtype);
      const dout = rng.randn(3, 5).astype(dtype);
      expect(first.forward(x).toList()).toEqual(full.forward(x).toList());
      full.backward(dout);
      const dx = first.backward(dout);
      expect([dx.shape, dx.dtype]).toEqual([[3, 2, 2, 3], dtype]);
      expect(dx.data.every((v) => v === 0)).toBe(true);
      expect(first.grads.W.toList()).toEqual(full.grads.W.toList());
      expect(first.grads.b.toList()).toEqual(full.grads.b.toList());
    }
  });

  it('does not modify x or dout', () => {
    expect(layerMutations(randomAffine(16, 4, 3), new Rng(17).randn(2, 4))).toEqual([]);
  });

  it('checks shapes at the boundary with named errors', () => {
    expect(() => new Affine(zeros(3), zeros(3))).toThrow(
      'Affine: expected W of shape (D, M), got shape [3]',
    );
    expect(() => new Affine(zeros([2, 3]), zeros(2))).toThrow(
      'Affine: expected b of shape [3], got shape [2]',
    );
    const affine = new Affine(zeros([784, 10]), zeros(10));
    expect(() => affine.forward(zeros([100, 783]))).toThrow(
      'Affine.forward: expected an array of shape (N, 784) or (N, …) with 784 values per sample, got shape [100,783]',
    );
    expect(() => affine.forward(zeros(784))).toThrow('got shape [784]');
    expect(() => affine.backward(zeros([1, 10]))).toThrow(
      'Affine.backward: expected forward() to have run first',
    );
    affine.forward(zeros([2, 784]));
    expect(() => affine.backward(zeros([2, 9]))).toThrow(
      'Affine.backward: expected dout of shape [2,10], got shape [2,9]',
    );
  });
});
