// Convolution layer: forward and backward through im2col and one matrix product (§7.4.3, common/layers.py).
import { allocate, type FloatArray, type FloatDType } from '../ndarray/dtype.js';
import { convOutputSize, kernels } from '../ndarray/kernels/index.js';
import { NDArray } from '../ndarray/ndarray.js';
import { cached, dims4, expectFloat, expectShape, shapeText } from './check.js';
import { checkWindow, col2im, floatData, im2col } from './im2col.js';
import type { ParamLayer } from './types.js';

/** Options of {@link Convolution}. */
export interface ConvolutionOptions {
  /** Step between neighbouring windows, in pixels (default 1). */
  stride?: number;
  /** Zero padding added on every side of the image (default 0). */
  pad?: number;
}

/**
 * out (M×N) = op(a) · op(b) through the kernels' gemm, where op transposes when asked — so
 * `col · W.T` needs no transposed copy of W.
 */
function gemm(
  a: FloatArray,
  b: FloatArray,
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  out: FloatArray,
): void {
  kernels().gemm(transA, transB, M, N, K, a, b, out, false);
}

/**
 * A 2-D convolution of FN filters over (N, C, H, W) images, the book's `Convolution(W, b, stride,
 * pad)`. Forward unrolls the input windows with im2col and multiplies by the filters as one
 * matrix; backward runs the same product in reverse and folds the columns back with col2im.
 * Computation runs in the dtype of W (inputs of another dtype are converted).
 * @example
 * const conv = new Convolution(rng.randn(30, 1, 5, 5), zeros(30));
 * conv.forward(x).shape; // x (100, 1, 28, 28) → [100, 30, 24, 24]
 */
export class Convolution implements ParamLayer<'W' | 'b'> {
  /** W (FN, C, FH, FW) and b (FN,): the network's own arrays, updated in place by optimizers. */
  readonly params: { readonly W: NDArray; readonly b: NDArray };
  /** dW (FN, C, FH, FW) and db (FN,), overwritten by every backward(). */
  readonly grads: { readonly W: NDArray; readonly b: NDArray };
  readonly stride: number;
  readonly pad: number;

  // Cached by forward() for backward(): the input's shape and its im2col matrix.
  private xShape: readonly number[] | undefined;
  private col: FloatArray | undefined;

  /**
   * @param W filters (FN, C, FH, FW), float32 or float64; kept by reference, not copied
   * @param b biases (FN,), same dtype as W; kept by reference
   */
  constructor(W: NDArray, b: NDArray, { stride = 1, pad = 0 }: ConvolutionOptions = {}) {
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
    const rows = N * outH * outW;
    const K = C * FH * FW;

    const xf = x.dtype === dtype ? x : x.astype(dtype);
    const col = im2col(xf, FH, FW, stride, pad); // (N·outH·outW, C·FH·FW)
    // The book's col_W = W.reshape(FN, -1).T is (C·FH·FW, FN); W's storage already is
    // (FN, C·FH·FW) row-major, so gemm reads it transposed instead of copying.
    const out = allocate(dtype, rows * FN);
    gemm(col.data as FloatArray, this.params.W.data as FloatArray, false, true, rows, FN, K, out);
    const bias = this.params.b.data;
    for (let r = 0; r < rows; r++) {
      const o = r * FN;
      for (let f = 0; f < FN; f++) out[o + f] += bias[f];
    }

    this.xShape = x.shape;
    this.col = col.data as FloatArray;
    // (N·outH·outW, FN) → (N, outH, outW, FN) → (N, FN, outH, outW)
    return new NDArray(out, [N, outH, outW, FN]).transpose(0, 3, 1, 2);
  }

  /**
   * Fills `grads` (dW, db) and returns dL/dx.
   * @param dout (N, FN, outH, outW), the gradient of the loss with respect to forward's output
   * @returns dx (N, C, H, W)
   */
  backward(dout: NDArray): NDArray {
    const where = 'Convolution.backward';
    const xShape = cached(this.xShape, where);
    const col = cached(this.col, where);
    const { stride, pad, dtype } = this;
    const [FN, C, FH, FW] = this.params.W.shape;
    const [N, , H, W] = xShape;
    const outH = convOutputSize(H, FH, stride, pad);
    const outW = convOutputSize(W, FW, stride, pad);
    expectShape(dout, [N, FN, outH, outW], where);
    const rows = N * outH * outW;
    const K = C * FH * FW;

    // (N, FN, outH, outW) → (N, outH, outW, FN) → (N·outH·outW, FN); transpose copies, so the
    // caller's dout is never written.
    const d = floatData(dout.transpose(0, 2, 3, 1), dtype);

    // db = Σ over rows of dout.
    const db = this.grads.b.data;
    db.fill(0);
    for (let r = 0; r < rows; r++) {
      const o = r * FN;
      for (let f = 0; f < FN; f++) db[f] += d[o + f];
    }

    // The book computes dW = col.T · dout (C·FH·FW, FN), then .transpose(1, 0).reshape(FN, C, FH, FW).
    // (col.T · dout).T = dout.T · col, so one gemm writes (FN, C·FH·FW) — which already is dW's
    // row-major (FN, C, FH, FW) layout — straight into grads.W.
    gemm(d, col, true, false, FN, K, rows, this.grads.W.data as FloatArray);

    // dcol = dout · col_W.T, and col_W.T = W.reshape(FN, -1) is W's storage as it is.
    const dcol = allocate(dtype, rows * K);
    gemm(d, this.params.W.data as FloatArray, false, false, rows, K, FN, dcol);
    // (N·outH·outW, C·FH·FW) → (N, C, H, W), summing overlapping windows
    return col2im(new NDArray(dcol, [rows, K]), xShape, FH, FW, stride, pad);
  }
}
