// Affine: the fully connected layer `x·W + b` of chapter 5.6 (common/layers.py), N-d input included.
import {
  NDArray,
  allocateEmpty,
  gemm,
  packSparse,
  releaseStorage,
  zeros,
  zerosLike,
  type SparsePack,
} from '../ndarray/index.js';
import { cached, expectFloat, expectShape, shapeText } from './check.js';
import type { ParamLayer } from './types.js';

/** Options of {@link Affine}. */
export interface AffineOptions {
  /**
   * Whether backward() computes dL/dx (default true). A network's first layer sets it to false:
   * nothing uses the gradient with respect to the input images, and computing it is a third of
   * the layer's multiplications (for TwoLayerNet's 784-wide input, the largest). backward() then
   * returns zeros of x's shape, not the gradient.
   */
  inputGradient?: boolean;
}

/**
 * Fully connected layer `out = x·W + b`. An input of more than two dimensions (N, C, H, W) is
 * flattened to (N, C·H·W) as the book does, and backward gives dx back in the input's shape.
 *
 * `params` holds W and b themselves (the network's arrays, never copied); `grads` holds arrays
 * of the same shapes, overwritten by every backward().
 */
export class Affine implements ParamLayer<'W' | 'b'> {
  /** Keeps nothing it was given or returned past its next call (see Layer.recyclable). */
  readonly recyclable = true;
  readonly params: Readonly<{ W: NDArray; b: NDArray }>;
  readonly grads: Readonly<{ W: NDArray; b: NDArray }>;
  /** Whether backward() computes dL/dx; when false it returns zeros (see AffineOptions). */
  readonly inputGradient: boolean;
  private x: NDArray | undefined;
  private originalShape: readonly number[] | undefined;
  /**
   * x compressed by the kernels in a training forward pass when it is mostly zeros (MNIST pixels
   * are four-fifths zeros): x·W uses it, and xᵀ·dout in backward() again instead of compressing
   * x a second time. backward() then works on x's values as the forward pass saw them (the
   * book's works on x itself, the same unless x was written to in between).
   */
  private xPack: SparsePack | undefined;

  /**
   * @param W (D, M) weights, used in place (an optimizer updating it updates this layer).
   * @param b (M,) biases, used in place.
   */
  constructor(W: NDArray, b: NDArray, { inputGradient = true }: AffineOptions = {}) {
    if (W.ndim !== 2)
      throw new Error(`Affine: expected W of shape (D, M), got shape ${shapeText(W)}`);
    expectFloat(W, 'Affine', 'W of a float dtype');
    expectShape(b, [W.shape[1]], 'Affine', 'b');
    expectFloat(b, 'Affine', 'b of a float dtype');
    this.params = { W, b };
    this.grads = { W: zerosLike(W), b: zerosLike(b) };
    this.inputGradient = inputGradient;
  }

  /**
   * @param x (N, D) or (N, d1, d2, …) with d1·d2·… = D.
   * @param train a backward pass follows: a mostly-zero x is compressed once for both products.
   * @returns (N, M).
   */
  forward(x: NDArray, train = false): NDArray {
    const D = this.params.W.shape[0];
    const perSample = x.shape.slice(1).reduce((a, d) => a * d, 1);
    if (x.ndim < 2 || perSample !== D) {
      throw new Error(
        `Affine.forward: expected an array of shape (N, ${D}) or (N, …) with ${D} values per sample, got shape ${shapeText(x)}`,
      );
    }
    this.originalShape = x.shape;
    // (N, d1, d2, …) → (N, D); a view when x is already 2-D
    this.x = x.reshape(x.shape[0], D);
    const { W, b } = this.params;
    // out = b broadcast over the rows (assign writes every element), then out += x·W in the
    // kernel: one allocation, no zeroing
    const [N, M] = [x.shape[0], W.shape[1]];
    const out = new NDArray(allocateEmpty(W.dtype, N * M), [N, M], W.dtype).assign(b);
    // the previous pack is this layer's alone, and dead now
    if (this.xPack) releaseStorage(this.xPack.data);
    this.xPack = train ? packSparse(this.x, M) : undefined;
    return gemm(this.x, W, { out, accumulate: true, packedA: this.xPack });
  }

  /**
   * @param dout (N, M).
   * @returns dL/dx in the shape forward received (zeros without inputGradient); fills grads.W
   *   and grads.b.
   */
  backward(dout: NDArray): NDArray {
    const x = cached(this.x, 'Affine.backward');
    const { W } = this.params;
    expectShape(dout, [x.shape[0], W.shape[1]], 'Affine.backward');
    // (N, M)·(M, D) → (N, D): W is read transposed where it lies
    const dx = this.inputGradient ? gemm(dout, W, { transB: true }) : zeros(x.shape, W.dtype);
    this.gradients(x, dout);
    // (N, D) → the input's original shape, e.g. (N, C, H, W)
    return dx.reshape(cached(this.originalShape, 'Affine.backward'));
  }

  /** Fills grads.W and grads.b from dout (N, M), computing no dx. */
  backwardParams(dout: NDArray): void {
    const x = cached(this.x, 'Affine.backwardParams');
    expectShape(dout, [x.shape[0], this.params.W.shape[1]], 'Affine.backwardParams');
    this.gradients(x, dout);
  }

  private gradients(x: NDArray, dout: NDArray): void {
    // (D, N)·(N, M) → (D, M), written into grads.W itself so grads stay the same objects
    gemm(x, dout, { transA: true, out: this.grads.W, packedA: this.xPack });
    this.grads.b.assign(dout.sum(0));
  }
}
