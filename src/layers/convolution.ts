// Convolution layer: forward and backward through im2col and one matrix product (§7.4.3, common/layers.py).
import { allocate, allocateEmpty, type FloatArray, type FloatDType } from '../ndarray/dtype.js';
import { convOutputSize, kernels, type ConvGeometry } from '../ndarray/kernels/index.js';
import { NDArray } from '../ndarray/ndarray.js';
import { cached, dims4, expectFloat, expectShape, shapeText } from './check.js';
import { checkWindow, floatData } from './im2col.js';
import type { ParamLayer } from './types.js';

/** Options of {@link Convolution}. */
export interface ConvolutionOptions {
  /** Step between neighbouring windows, in pixels (default 1). */
  stride?: number;
  /** Zero padding added on every side of the image (default 0). */
  pad?: number;
  /**
   * Whether backward() computes dL/dx (default true). A network's first layer sets it to false:
   * nothing uses the gradient with respect to the input images, and computing it costs as much as
   * the weight gradient. backward() then returns zeros of x's shape, not the gradient.
   */
  inputGradient?: boolean;
}

/**
 * A 2-D convolution of FN filters over (N, C, H, W) images, the book's `Convolution(W, b, stride,
 * pad)`. The book's forward unrolls the input windows with im2col and multiplies by the filters as
 * one matrix; backward runs the same product in reverse and folds the columns back with col2im.
 * Both run as one kernel call each (kernels().convForward/convBackward): the reference kernels do
 * exactly the book's steps, the wasm kernels the same per image without the N-sized im2col matrix
 * or the transposes. Computation runs in the dtype of W (inputs of another dtype are converted).
 * @example
 * const conv = new Convolution(rng.randn(30, 1, 5, 5), zeros(30));
 * conv.forward(x).shape; // x (100, 1, 28, 28) → [100, 30, 24, 24]
 */
export class Convolution implements ParamLayer<'W' | 'b'> {
  /** Keeps nothing it was given or returned past its next call (see Layer.recyclable). */
  readonly recyclable = true;
  /** W (FN, C, FH, FW) and b (FN,): the network's own arrays, updated in place by optimizers. */
  readonly params: { readonly W: NDArray; readonly b: NDArray };
  /** dW (FN, C, FH, FW) and db (FN,), overwritten by every backward(). */
  readonly grads: { readonly W: NDArray; readonly b: NDArray };
  readonly stride: number;
  readonly pad: number;
  /** Whether backward() computes dL/dx; when false it returns zeros (see ConvolutionOptions). */
  readonly inputGradient: boolean;

  // Cached by forward() for backward(): the input (in W's dtype) and its shape. The book caches
  // im2col(x) instead; recomputing it per image in backward costs less than writing and re-reading
  // an N·outH·outW × C·FH·FW matrix (45 MB for DeepConvNet's second layer).
  private x: NDArray | undefined;
  private xShape: readonly number[] | undefined;

  /**
   * @param W filters (FN, C, FH, FW), float32 or float64; kept by reference, not copied
   * @param b biases (FN,), same dtype as W; kept by reference
   */
  constructor(
    W: NDArray,
    b: NDArray,
    { stride = 1, pad = 0, inputGradient = true }: ConvolutionOptions = {},
  ) {
    if (W.ndim !== 4) {
      throw new Error(
        `Convolution: expected W of shape (FN, C, FH, FW), got shape ${shapeText(W)}`,
      );
    }
    expectFloat(W, 'Convolution', 'W of a float dtype');
    expectShape(b, [W.shape[0]], 'Convolution', 'b');
    if (b.dtype !== W.dtype) {
      throw new Error(`Convolution: expected b of dtype ${W.dtype} (W's), got dtype ${b.dtype}`);
    }
    // A window always fits an image of its own size: this checks only stride, pad and W's sizes.
    checkWindow('Convolution', W.shape[2], W.shape[3], W.shape[2], W.shape[3], stride, pad);
    this.params = { W, b };
    this.grads = {
      W: new NDArray(allocate(W.dtype, W.size), W.shape),
      b: new NDArray(allocate(b.dtype, b.size), b.shape),
    };
    this.stride = stride;
    this.pad = pad;
    this.inputGradient = inputGradient;
  }

  /** The filters W (FN, C, FH, FW), as the book's `self.W`. */
  get W(): NDArray {
    return this.params.W;
  }
  /** The biases b (FN,), as the book's `self.b`. */
  get b(): NDArray {
    return this.params.b;
  }
  /** dL/dW (FN, C, FH, FW) from the last backward(), as the book's `self.dW`. */
  get dW(): NDArray {
    return this.grads.W;
  }
  /** dL/db (FN,) from the last backward(), as the book's `self.db`. */
  get db(): NDArray {
    return this.grads.b;
  }

  private get dtype(): FloatDType {
    return this.params.W.dtype as FloatDType;
  }

  /**
   * out = im2col(x) · W.reshape(FN, -1).T + b, rearranged into images.
   * @param x (N, C, H, W) with C the filters' channel count
   * @returns (N, FN, outH, outW)
   */
  forward(x: NDArray): NDArray {
    const [FN, C, FH, FW] = this.params.W.shape;
    if (x.ndim !== 4 || x.shape[1] !== C) {
      throw new Error(
        `Convolution.forward: expected a 4-D array (N, C, H, W) with C = ${C}, got shape ${shapeText(x)}`,
      );
    }
    const [N, , H, W] = dims4(x, 'Convolution.forward');
    const { stride, pad, dtype } = this;
    checkWindow('Convolution.forward', H, W, FH, FW, stride, pad);
    const outH = convOutputSize(H, FH, stride, pad);
    const outW = convOutputSize(W, FW, stride, pad);
    const g: ConvGeometry = { N, C, H, W, FH, FW, stride, pad };

    const xf = x.dtype === dtype ? x : x.astype(dtype);
    const out = allocateEmpty(dtype, N * FN * outH * outW); // the kernel writes every element
    kernels().convForward(
      xf.data as FloatArray,
      this.params.W.data as FloatArray,
      this.params.b.data as FloatArray,
      g,
      FN,
      out,
    );
    this.x = xf;
    this.xShape = x.shape;
    return new NDArray(out, [N, FN, outH, outW]);
  }

  /**
   * Fills `grads` (dW, db) and returns dL/dx.
   * @param dout (N, FN, outH, outW), the gradient of the loss with respect to forward's output
   * @returns dx (N, C, H, W); all zeros when the layer was made with `inputGradient: false`
   */
  backward(dout: NDArray): NDArray {
    const [N, C, H, W] = cached(this.xShape, 'Convolution.backward');
    // Without inputGradient the kernel skips dx, and the fresh (zero-filled) array is returned.
    const dx = this.inputGradient
      ? allocateEmpty(this.dtype, N * C * H * W)
      : allocate(this.dtype, N * C * H * W);
    this.gradients(dout, this.inputGradient ? dx : undefined, 'Convolution.backward');
    return new NDArray(dx, [N, C, H, W]);
  }

  /** Fills `grads` (dW, db) from dout (N, FN, outH, outW), computing no dx. */
  backwardParams(dout: NDArray): void {
    this.gradients(dout, undefined, 'Convolution.backwardParams');
  }

  /** dW and db into grads, and dx into `dx` when given. */
  private gradients(dout: NDArray, dx: FloatArray | undefined, where: string): void {
    const xShape = cached(this.xShape, where);
    const x = cached(this.x, where);
    const { stride, pad, dtype } = this;
    const [FN, C, FH, FW] = this.params.W.shape;
    const [N, , H, W] = xShape;
    const outH = convOutputSize(H, FH, stride, pad);
    const outW = convOutputSize(W, FW, stride, pad);
    expectShape(dout, [N, FN, outH, outW], where);
    const g: ConvGeometry = { N, C, H, W, FH, FW, stride, pad };
    // The book: dout.transpose(0, 2, 3, 1).reshape(-1, FN) = d; db = Σ rows of d;
    // dW = (col.T · d).transpose(1, 0).reshape(FN, C, FH, FW); dx = col2im(d · col_W.T).
    // One kernel call computes all three, writing dW and db into grads themselves.
    kernels().convBackward(
      x.data as FloatArray,
      floatData(dout, dtype),
      this.params.W.data as FloatArray,
      g,
      FN,
      this.grads.W.data as FloatArray,
      this.grads.b.data as FloatArray,
      dx,
    );
  }
}
