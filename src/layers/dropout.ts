// Dropout: randomly silenced neurons during training, chapter 6.4.3 (common/layers.py).
import { NDArray, Rng, allocate } from '../ndarray/index.js';
import { cached, expectShape } from './check.js';
import type { Layer } from './types.js';

/** Options of {@link Dropout}. */
export interface DropoutOptions {
  /** Probability of dropping each value while training (the book's `dropout_ratio`). Default 0.5. */
  dropoutRatio?: number;
  /** Generator of the masks; pass the network's to make training reproducible. Default `new Rng(0)`. */
  rng?: Rng;
}

/**
 * Dropout layer, the book's non-inverted form: training multiplies by a random 0/1 mask that keeps
 * each value with probability 1 − ratio; testing multiplies every value by 1 − ratio, so the
 * expected activation is the same in both modes. (Most libraries use "inverted" dropout, scaling
 * by 1 / (1 − ratio) while training instead; the book's trained weights assume this form.)
 */
export class Dropout implements Layer {
  /** Keeps nothing it was given or returned past its next call (see Layer.recyclable). */
  readonly recyclable = true;
  readonly dropoutRatio: number;
  private readonly rng: Rng;
  /** The last forward's mask (1 = kept), or undefined after a test-mode forward. */
  private mask: NDArray | undefined;
  private shape: readonly number[] | undefined;
  private lastTrain = false;

  constructor({ dropoutRatio = 0.5, rng = new Rng(0) }: DropoutOptions = {}) {
    if (!(dropoutRatio >= 0 && dropoutRatio < 1)) {
      throw new Error(`Dropout: expected dropoutRatio in [0, 1), got ${dropoutRatio}`);
    }
    this.dropoutRatio = dropoutRatio;
    this.rng = rng;
  }

  /**
   * @param x any shape.
   * @param train true (the book's default) draws a new mask; false scales by 1 − ratio.
   * @returns same shape as x.
   */
  forward(x: NDArray, train = true): NDArray {
    this.shape = x.shape;
    this.lastTrain = train;
    if (!train) {
      this.mask = undefined;
      return x.mul(1 - this.dropoutRatio);
    }
    // the book's `np.random.rand(*x.shape) > self.dropout_ratio`
    const mask = allocate('bool', x.size);
    for (let i = 0; i < mask.length; i++) mask[i] = this.rng.random() > this.dropoutRatio ? 1 : 0;
    this.mask = new NDArray(mask, x.shape, 'bool');
    return x.mul(this.mask);
  }

  /** @param dout shape of the last forward's x. @returns dL/dx, same shape. */
  backward(dout: NDArray): NDArray {
    const shape = cached(this.shape, 'Dropout.backward');
    expectShape(dout, shape, 'Dropout.backward');
    // After a test-mode forward the layer was the constant scaling by 1 − ratio; the book always
    // uses the last training mask here.
    return this.lastTrain ? dout.mul(this.mask!) : dout.mul(1 - this.dropoutRatio);
  }
}
