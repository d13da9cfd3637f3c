// Tests of SoftmaxWithLoss (chapter 5.6.3): the loss, its gradient for label and one-hot targets.
import { describe, expect, it } from 'vitest';
import { NDArray, Rng, array, zeros } from '../../src/ndarray/index.js';
import { numericalGradient } from '../../src/functions/gradient.js';
import { softmax } from '../../src/functions/activations.js';
import { crossEntropyError } from '../../src/functions/losses.js';
import { SoftmaxWithLoss } from '../../src/layers/softmaxWithLoss.js';
import { maxAbsDiff, modifiedBy } from '../helpers/gradcheck.js';

function oneHot(labels: number[], classes: number): NDArray {
  const t = zeros([labels.length, classes]);
  labels.forEach((l, i) => t.set([i, l], 1));
  return t;
}

describe('SoftmaxWithLoss', () => {
  it('forward is the cross-entropy of the softmax, the same for labels and one-hot targets', () => {
    const x = array([
      [0.3, 2.9, 4.0],
      [1.0, 0.0, -1.0],
    ]);
    const labels = array([2, 0], 'int32');
    const layer = new SoftmaxWithLoss();
    const loss = layer.forward(x, labels);
    expect(loss).toBeCloseTo(crossEntropyError(softmax(x), labels), 15);
    expect(loss).toBeCloseTo((-Math.log(0.73659691) - Math.log(0.66524096)) / 2, 6);
    expect(new SoftmaxWithLoss().forward(x, oneHot([2, 0], 3))).toBe(loss);
    expect(layer.loss).toBe(loss);
    expect(layer.y.shape).toEqual([2, 3]);
  });

  it('backward is (y − t) / N, the same for labels and one-hot targets', () => {
    const x = new Rng(21).randn(4, 5);
    const a = new SoftmaxWithLoss();
    a.forward(x, array([0, 4, 2, 2], 'int32'));
    const b = new SoftmaxWithLoss();
    b.forward(x, oneHot([0, 4, 2, 2], 5));
    const da = a.backward();
    const expected = softmax(x)
      .sub(oneHot([0, 4, 2, 2], 5))
      .div(4);
    expect(maxAbsDiff(da, expected)).toBeLessThan(1e-15);
    expect(maxAbsDiff(b.backward(), expected)).toBeLessThan(1e-15);
  });

  it('passes a gradient check with a random upstream gradient (a scalar: L = loss · r)', () => {
    const rng = new Rng(22);
    const x = rng.randn(4, 5);
    const r = rng.randn().item();
    for (const t of [array([1, 3, 0, 4], 'int32'), oneHot([1, 3, 0, 4], 5)]) {
      const layer = new SoftmaxWithLoss();
      layer.forward(x, t);
      const dx = layer.backward(r);
      const numerical = numericalGradient(() => layer.forward(x, t) * r, x);
      // the 1e-7 inside log is not in the analytic gradient: about 1e-7 / y relative
      expect(maxAbsDiff(dx, numerical)).toBeLessThan(1e-6);
    }
  });

  it('treats a 1-D x as a batch of one (label or one-hot row)', () => {
    const x = array([0.3, 2.9, 4.0]);
    const layer = new SoftmaxWithLoss();
    expect(layer.forward(x, array([2], 'int32'))).toBeCloseTo(-Math.log(0.73659691 + 1e-7), 7);
    expect(layer.backward().shape).toEqual([3]);
    expect(new SoftmaxWithLoss().forward(x, array([0.0, 0.0, 1.0]))).toBeCloseTo(
      -Math.log(0.73659691 + 1e-7),
      7,
    );
  });

  it('does not modify x or t', () => {
    const x = new Rng(23).randn(3, 4);
    const t = array([0, 1, 3], 'int32');
    const layer = new SoftmaxWithLoss();
    expect(modifiedBy({ x, t }, () => layer.forward(x, t))).toEqual([]);
    expect(modifiedBy({ x, t }, () => layer.backward(2))).toEqual([]);
  });

  it('names its errors', () => {
    expect(() => new SoftmaxWithLoss().backward()).toThrow(
      'SoftmaxWithLoss.backward: expected forward() to have run first',
    );
    expect(() => new SoftmaxWithLoss().forward(zeros([2, 3, 4]), zeros(2))).toThrow(
      'SoftmaxWithLoss.forward: expected scores of shape (N, C) or (C,), got shape [2,3,4]',
    );
    expect(() => new SoftmaxWithLoss().forward(zeros([2, 3]), array([0, 3], 'int32'))).toThrow(
      /expected class labels in 0…2, got 3/,
    );
  });
});
