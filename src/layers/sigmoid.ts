// Sigmoid: the sigmoid activation layer of chapter 5.5.2 (common/layers.py).
import { NDArray, allocate } from '../ndarray/index.js';
import { sigmoid } from '../functions/activations.js';
import { cached, expectShape } from './check.js';
import type { Layer } from './types.js';

/**
 * Sigmoid layer, `1 / (1 + exp(-x))`: forward caches its output y, since dy/dx = y(1 − y).
 */
export class Sigmoid implements Layer {
  /** Keeps nothing it was given or returned past its next call (see Layer.recyclable). */
  readonly recyclable = true;
  private out: NDArray | undefined;

  /** @param x any shape. @returns same shape as x (float32 stays float32, others give float64). */
  forward(x: NDArray): NDArray {
    this.out = sigmoid(x);
    return this.out;
  }

  /** @param dout shape of the last forward's x. @returns dL/dx = dout · y(1 − y). */
  backward(dout: NDArray): NDArray {
    const y = cached(this.out, 'Sigmoid.backward');
    expectShape(dout, y.shape, 'Sigmoid.backward');
    const dtype = dout.dtype === 'float32' && y.dtype === 'float32' ? 'float32' : 'float64';
    const dx = allocate(dtype, y.size);
    const yd = y.data;
    const dd = dout.data;
    for (let i = 0; i < dx.length; i++) dx[i] = dd[i] * (1 - yd[i]) * yd[i];
    return new NDArray(dx, y.shape, dtype);
  }
}
