// Tests of Sequential (the book's OrderedDict of layers plus lastLayer, chapter 5.7.2) and of the
// gradient-check helper itself: a random upstream gradient catches what an all-ones one misses.
import { describe, expect, it } from 'vitest';
import { NDArray, Rng, array } from '../../src/ndarray/index.js';
import { Affine } from '../../src/layers/affine.js';
import { Relu } from '../../src/layers/relu.js';
import { Sequential } from '../../src/layers/sequential.js';
import type { Layer } from '../../src/layers/types.js';
import { layerGradientErrors } from '../helpers/gradcheck.js';

describe('Sequential', () => {
  it('runs forward in order and backward in reverse, returning dL/dx', () => {
    const rng = new Rng(71);
    const seq = new Sequential([
      ['Affine1', new Affine(rng.randn(4, 3), rng.randn(3))],
      ['Relu1', new Relu()],
      ['Affine2', new Affine(rng.randn(3, 2), rng.randn(2))],
    ]);
    const x = rng.randn(5, 4);
    const t = array([0, 1, 1, 0, 1], 'int32');
    const loss = seq.loss(x, t);
    expect(loss).toBeGreaterThan(0);
    expect(seq.backward().shape).toEqual([5, 4]);
    expect([...seq.layers.keys()]).toEqual(['Affine1', 'Relu1', 'Affine2']);
  });

  it('converts inputs to its dtype', () => {
    const seq = new Sequential([['Relu1', new Relu()]], { dtype: 'float32' });
    expect(seq.predict(array([[1.0, -1.0]])).dtype).toBe('float32');
  });

  it('rejects duplicate layer names and a bad batchSize', () => {
    expect(
      () =>
        new Sequential([
          ['Relu', new Relu()],
          ['Relu', new Relu()],
        ]),
    ).toThrow('Sequential: expected distinct layer names, got Relu, Relu');
    const seq = new Sequential([['Relu1', new Relu()]]);
    expect(() => seq.accuracy(array([[1.0, 2.0]]), array([1], 'int32'), 0)).toThrow(
      'accuracy: expected a positive integer batchSize, got 0',
    );
    expect(() => seq.accuracy(array([[1.0, 2.0]]), array([1, 0], 'int32'))).toThrow(
      'accuracy: expected labels (1,) or one-hot rows (1, classes), got shape [2]',
    );
  });
});

/** An Affine whose backward forgets the transpose of W (W square, so the shapes still fit). */
class AffineWithoutTranspose implements Layer {
  constructor(private readonly W: NDArray) {}
  forward(x: NDArray): NDArray {
    return x.dot(this.W);
  }
  backward(dout: NDArray): NDArray {
    return dout.dot(this.W); // should be W.T
  }
}

describe('layerGradientErrors (the test helper)', () => {
  it('catches a missing transpose that an all-ones upstream gradient would let pass', () => {
    // W with equal row sums and column sums: ones·W = ones·Wᵀ, so only a random r tells them apart
    const W = array([
      [1.0, 2.0, 3.0],
      [3.0, 1.0, 2.0],
      [2.0, 3.0, 1.0],
    ]);
    const x = new Rng(72).randn(4, 3);
    const ones =
      W.sum(1)
        .toList()
        .every((v) => v === 6) &&
      W.sum(0)
        .toList()
        .every((v) => v === 6);
    expect(ones).toBe(true);
    const errors = layerGradientErrors(new AffineWithoutTranspose(W), x);
    expect(errors.x).toBeGreaterThan(0.1);
  });
});
