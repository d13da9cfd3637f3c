// Relu: the ReLU activation layer of chapter 5.5.1 (common/layers.py).
import { NDArray, allocate } from '../ndarray/index.js';
import { cached, expectShape } from './check.js';
import type { Layer } from './types.js';

/**
 * ReLU layer, `max(0, x)`: forward remembers where x ≤ 0, backward blocks the gradient there.
 * Unlike the book's, backward returns a new array instead of writing into `dout`.
 */
export class Relu implements Layer {
  /** 1 where x ≤ 0, the book's `mask`, with the input's shape. */
  private mask: NDArray | undefined;

  /** @param x any shape. @returns max(0, x), same shape and dtype as x. */
  forward(x: NDArray): NDArray {
    const out = allocate(x.dtype, x.size);
    const mask = new Uint8Array(x.size);
    const src = x.data;
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      // `v <= 0` (not `v > 0`) as in the book: NaN passes through and shows up downstream.
      if (v <= 0) mask[i] = 1;
      else out[i] = v;
    }
    this.mask = new NDArray(mask, x.shape, 'bool');
    return new NDArray(out, x.shape, x.dtype);
  }

  /** @param dout shape of the last forward's x. @returns dL/dx, same shape and dtype as dout. */
  backward(dout: NDArray): NDArray {
    const mask = cached(this.mask, 'Relu.backward');
    expectShape(dout, mask.shape, 'Relu.backward');
    const dx = allocate(dout.dtype, dout.size);
    const m = mask.data;
    const d = dout.data;
    for (let i = 0; i < dx.length; i++) if (!m[i]) dx[i] = d[i];
    return new NDArray(dx, dout.shape, dout.dtype);
  }
}
