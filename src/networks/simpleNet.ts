// The chapter 4 simpleNet (book §4.4.2, ch04/gradient_simplenet.py): one (2, 3) weight matrix,
// softmax and cross-entropy, to show a gradient with respect to a weight matrix.
import { crossEntropyError } from '../functions/losses.js';
import { softmax } from '../functions/activations.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { Rng } from '../ndarray/random.js';
import { formatShape } from '../ndarray/shape.js';

/** Options of {@link SimpleNet}. */
export interface SimpleNetOptions {
  /** Generator for the initial weights (standard normal, the book's `np.random.randn(2, 3)`). */
  rng?: Rng;
  /** Start from these (2, 3) weights instead (e.g. the ones printed in the book). Not copied. */
  W?: NDArray;
}

/** The book's `simpleNet` (class names are PascalCase here): z = x·W, loss = CE(softmax(z), t). */
export class SimpleNet {
  /** (2, 3) weights, updated in place by numerical-gradient callers. */
  readonly W: NDArray;

  /** Weights from `W`, or standard normal from `rng` (seed 0 when neither is given). */
  constructor({ rng, W }: SimpleNetOptions = {}) {
    if (W !== undefined) {
      if (W.ndim !== 2 || W.shape[0] !== 2 || W.shape[1] !== 3) {
        throw new Error(`SimpleNet: expected W of shape (2, 3), got ${formatShape(W.shape)}`);
      }
      this.W = W;
    } else {
      this.W = (rng ?? new Rng(0)).randn(2, 3);
    }
  }

  /**
   * Scores x·W.
   * @param x (2,) or (N, 2)
   * @returns (3,) or (N, 3)
   */
  predict(x: NDArray): NDArray {
    return x.dot(this.W);
  }

  /**
   * Cross-entropy of softmax(x·W) against t.
   * @param x (2,) or (N, 2)
   * @param t one-hot (3,) / (N, 3) or labels
   */
  loss(x: NDArray, t: NDArray): number {
    const z = this.predict(x);
    const y = softmax(z);
    return crossEntropyError(y, t);
  }
}
