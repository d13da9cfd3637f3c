// SoftmaxWithLoss: softmax followed by the cross-entropy error, chapter 5.6.3 (common/layers.py).
import { NDArray, allocateEmpty } from '../ndarray/index.js';
import { softmax } from '../functions/activations.js';
import { crossEntropyError } from '../functions/losses.js';
import { cached, expectFloat, shapeText } from './check.js';

/**
 * The output layer of a classifier: softmax of the scores, then the cross-entropy error against
 * the targets. Targets are class labels (N,) or one-hot rows (N, C); a 1-D `x` of shape (C,) is a
 * batch of one (its target is one label or one one-hot row).
 *
 * Not a {@link Layer}: forward takes the targets too and returns the loss as a number.
 */
export class SoftmaxWithLoss {
  /** Keeps nothing it was given or returned past its next call (see Layer.recyclable). */
  readonly recyclable = true;
  /** The softmax output of the last forward, (N, C) or (C,). */
  private yCache: NDArray | undefined;
  private tCache: NDArray | undefined;
  private oneHot = false;
  /** The loss of the last forward. */
  private lossCache: number | undefined;

  /** The softmax output of the last forward (N, C); throws before forward. */
  get y(): NDArray {
    return cached(this.yCache, 'SoftmaxWithLoss.y');
  }

  /** The loss of the last forward; throws before forward. */
  get loss(): number {
    return cached(this.lossCache, 'SoftmaxWithLoss.loss');
  }

  /**
   * @param x scores (N, C), or (C,) for one sample.
   * @param t labels (N,) of any integer-valued dtype, or one-hot (N, C); for one sample a label
   *   (a 0-d or (1,) array) or a one-hot row (C,).
   * @returns the mean cross-entropy error over the batch, `-Σ log(y[i, t_i] + 1e-7) / N`.
   */
  forward(x: NDArray, t: NDArray): number {
    const where = 'SoftmaxWithLoss.forward';
    expectFloat(x, where, 'scores of a float dtype');
    if (x.ndim !== 1 && x.ndim !== 2) {
      throw new Error(
        `${where}: expected scores of shape (N, C) or (C,), got shape ${shapeText(x)}`,
      );
    }
    const y = softmax(x);
    // validates t (one-hot rows or labels in [0, C)) and applies the book's 1e-7 inside log
    const loss = crossEntropyError(y, t);
    // crossEntropyError's test for one-hot targets: as many values as y, in y's layout
    this.oneHot = t.size === y.size && t.ndim === x.ndim;
    this.yCache = y;
    this.tCache = t;
    this.lossCache = loss;
    return loss;
  }

  /**
   * @param dout the upstream gradient of the loss (1 when the loss is the end of the graph; the
   *   book ignores it, we scale by it).
   * @returns dL/dx = dout · (y − t) / N, the shape of x.
   */
  backward(dout = 1): NDArray {
    const y = cached(this.yCache, 'SoftmaxWithLoss.backward');
    const t = cached(this.tCache, 'SoftmaxWithLoss.backward');
    const C = y.shape[y.ndim - 1];
    const N = y.size / C;
    const dx = allocateEmpty(y.dtype, y.size); // both branches write every element first
    const yd = y.data;
    // (y − t)·dout / N in the book's order of operations, so dout = 1 gives the book's bits
    if (this.oneHot) {
      const td = t.data;
      for (let i = 0; i < dx.length; i++) dx[i] = ((yd[i] - td[i]) * dout) / N;
    } else {
      for (let i = 0; i < dx.length; i++) dx[i] = yd[i];
      // the book's dx[np.arange(N), t] -= 1
      for (let i = 0; i < N; i++) dx[i * C + t.data[i]] -= 1;
      for (let i = 0; i < dx.length; i++) dx[i] = (dx[i] * dout) / N;
    }
    return new NDArray(dx, y.shape, y.dtype);
  }
}
