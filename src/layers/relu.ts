// Relu: the ReLU activation layer of chapter 5.5.1 (common/layers.py).
import {
  NDArray,
  allocate,
  allocateEmpty,
  isFloat,
  kernels,
  type FloatArray,
} from '../ndarray/index.js';
import { cached, expectShape } from './check.js';
import type { Layer } from './types.js';

/**
 * ReLU layer, `max(0, x)`: forward remembers where x ≤ 0, backward blocks the gradient there.
 * Unlike the book's, backward returns a new array instead of writing into `dout`.
 *
 * The book keeps a boolean `mask = (x <= 0)`; here the forward's output serves as the mask (it is
 * 0 exactly where x ≤ 0, and NaN where x is NaN, which passes as in the book), which saves
 * allocating and writing a mask on every forward. Like the book's Affine with its cached x, this
 * relies on the output not being written in place before backward().
 */
export class Relu implements Layer {
  /** Keeps nothing it was given or returned past its next call (see Layer.recyclable). */
  readonly recyclable = true;
  /** The last forward's output: 0 where x ≤ 0. */
  private out: NDArray | undefined;

  /** @param x any shape. @returns max(0, x), same shape and dtype as x. */
  forward(x: NDArray): NDArray {
    // The float kernel writes every element; the integer loop relies on zeroed storage.
    const out = isFloat(x.dtype) ? allocateEmpty(x.dtype, x.size) : allocate(x.dtype, x.size);
    if (isFloat(x.dtype)) {
      kernels().reluForward(x.data as FloatArray, out as FloatArray);
    } else {
      const src = x.data;
      // `v <= 0` (not `v > 0`) as in the book; integer storage has no NaN.
      for (let i = 0; i < src.length; i++) if (!(src[i] <= 0)) out[i] = src[i];
    }
    this.out = new NDArray(out, x.shape, x.dtype);
    return this.out;
  }

  /** @param dout shape of the last forward's x. @returns dL/dx, same shape and dtype as dout. */
  backward(dout: NDArray): NDArray {
    const out = cached(this.out, 'Relu.backward');
    expectShape(dout, out.shape, 'Relu.backward');
    const fast = isFloat(dout.dtype) && dout.dtype === out.dtype;
    const dx = fast ? allocateEmpty(dout.dtype, dout.size) : allocate(dout.dtype, dout.size);
    const o = out.data;
    const d = dout.data;
    if (fast) {
      kernels().reluBackward(o as FloatArray, d as FloatArray, dx as FloatArray);
    } else {
      for (let i = 0; i < dx.length; i++) if (o[i] !== 0) dx[i] = d[i];
    }
    return new NDArray(dx, dout.shape, dout.dtype);
  }
}
