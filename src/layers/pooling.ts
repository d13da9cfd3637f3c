// Max pooling layer: the largest value of each window, and its gradient routed back to it (§7.4.4, common/layers.py).
import { allocate, allocateEmpty, type FloatArray, type FloatDType } from '../ndarray/dtype.js';
import { convOutputSize, kernels, type ConvGeometry } from '../ndarray/kernels/index.js';
import { NDArray } from '../ndarray/ndarray.js';
import { cached, dims4, expectShape } from './check.js';
import { checkWindow, floatData, floatDTypeOf, im2col } from './im2col.js';
import type { Layer } from './types.js';

/** Options of {@link Pooling}: the book's `Pooling(pool_h, pool_w, stride=1, pad=0)`. */
export interface PoolingOptions {
  /** Window height. */
  poolH: number;
  /** Window width. */
  poolW: number;
  /** Step between neighbouring windows (default 1; the book's networks use 2 with a 2×2 window). */
  stride?: number;
  /** Padding on every side (default 0). As in the book, padding counts as the value 0. */
  pad?: number;
}

/**
 * Max pooling over each channel of (N, C, H, W) images, the book's `Pooling`. Forward keeps, for
 * every output element, where its maximum came from; backward sends each upstream gradient to
 * that one input (ties: the first in row-major window order, as NumPy's argmax).
 *
 * Without padding this runs the kernels' direct max pooling, which gives the same values and
 * positions as the book's im2col + max/argmax. With padding the book's formulation is kept
 * exactly: im2col pads with zeros, so a window whose real values are all negative pools to 0
 * (and passes no gradient back), where a -∞ padding would pool to the largest negative value.
 * (The book's forward computes outH = 1 + (H − poolH) / stride, leaving the padding out, so its
 * own pad option fails to reshape; here outH counts the padding, as im2col does.)
 * @example
 * new Pooling({ poolH: 2, poolW: 2, stride: 2 }).forward(x).shape; // x (100, 30, 24, 24) → [100, 30, 12, 12]
 */
export class Pooling implements Layer {
  /** Keeps nothing it was given or returned past its next call (see Layer.recyclable). */
  readonly recyclable = true;
  readonly poolH: number;
  readonly poolW: number;
  readonly stride: number;
  readonly pad: number;

  // Cached by forward() for backward(): the input's shape and dtype, and for every output element
  // the flat index into x of its maximum (-1 when that maximum was padding).
  private xShape: readonly number[] | undefined;
  private dtype: FloatDType = 'float64';
  private argMax: Int32Array | undefined;

  constructor({ poolH, poolW, stride = 1, pad = 0 }: PoolingOptions) {
    // A window always fits an image of its own size: this checks only the window, stride and pad.
    checkWindow('Pooling', poolH, poolW, poolH, poolW, stride, pad);
    this.poolH = poolH;
    this.poolW = poolW;
    this.stride = stride;
    this.pad = pad;
  }

  /**
   * @param x (N, C, H, W), float32 or float64 (other dtypes are computed in float64)
   * @returns (N, C, outH, outW) with outH = (H + 2·pad − poolH) / stride + 1
   */
  forward(x: NDArray): NDArray {
    const [N, C, H, W] = dims4(x, 'Pooling.forward');
    const { poolH, poolW, stride, pad } = this;
    checkWindow('Pooling.forward', H, W, poolH, poolW, stride, pad);
    const g: ConvGeometry = { N, C, H, W, FH: poolH, FW: poolW, stride, pad };
    const outH = convOutputSize(H, poolH, stride, pad);
    const outW = convOutputSize(W, poolW, stride, pad);
    const dtype = floatDTypeOf(x);
    const out = allocateEmpty(dtype, N * C * outH * outW); // both paths write every element
    // Reused from the last forward when the size matches: every element is overwritten, and it
    // is private to this layer. allocate() places it where the kernels work (wasm memory).
    const count = N * C * outH * outW;
    const argMax =
      this.argMax?.length === count ? this.argMax : (allocate('int32', count) as Int32Array);
    if (pad === 0) kernels().maxPoolForward(floatData(x, dtype), g, out, argMax);
    else bookMaxPool(x, g, out, argMax);
    this.xShape = x.shape;
    this.dtype = dtype;
    this.argMax = argMax;
    return new NDArray(out, [N, C, outH, outW]);
  }

  /**
   * @param dout (N, C, outH, outW)
   * @returns dx (N, C, H, W): dout at the position of each window's maximum, summed where windows
   *   overlap, 0 elsewhere
   */
  backward(dout: NDArray): NDArray {
    const where = 'Pooling.backward';
    const xShape = cached(this.xShape, where);
    const argMax = cached(this.argMax, where);
    const { dtype } = this;
    const [N, C, H, W] = xShape;
    const outH = convOutputSize(H, this.poolH, this.stride, this.pad);
    const outW = convOutputSize(W, this.poolW, this.stride, this.pad);
    expectShape(dout, [N, C, outH, outW], where);
    const dx = allocateEmpty(dtype, N * C * H * W); // the kernel clears it first
    kernels().maxPoolBackward(floatData(dout, dtype), argMax, dx);
    return new NDArray(dx, [N, C, H, W]);
  }
}

/**
 * The book's pooling forward, kept for pad > 0 where it differs from a -∞ padding:
 * col = im2col(x).reshape(-1, poolH·poolW); out = max(col, axis 1); arg = argmax(col, axis 1).
 * Writes out (N, C, outH, outW) and, per output element, the flat index into x of the argmax
 * (-1 when it falls on the padding).
 */
function bookMaxPool(x: NDArray, g: ConvGeometry, out: FloatArray, argMax: Int32Array): void {
  const { N, C, H, W, FH, FW, stride, pad } = g;
  const outH = convOutputSize(H, FH, stride, pad);
  const outW = convOutputSize(W, FW, stride, pad);
  // (N·outH·outW, C·FH·FW) → (N·outH·outW·C, FH·FW): one row per window of one channel
  const col = im2col(x, FH, FW, stride, pad).reshape(-1, FH * FW);
  const max = col.max(1).data; // (N·outH·outW·C,)
  const arg = col.argmax(1).data; // (N·outH·outW·C,)
  for (let n = 0; n < N; n++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        for (let c = 0; c < C; c++) {
          // row r is in (N, outH, outW, C) order; the output is (N, C, outH, outW), the book's
          // out.reshape(N, outH, outW, C).transpose(0, 3, 1, 2)
          const r = ((n * outH + oy) * outW + ox) * C + c;
          const o = ((n * C + c) * outH + oy) * outW + ox;
          out[o] = max[r];
          const k = arg[r];
          const y = oy * stride + Math.floor(k / FW) - pad;
          const xx = ox * stride + (k % FW) - pad;
          const inside = y >= 0 && y < H && xx >= 0 && xx < W;
          argMax[o] = inside ? ((n * C + c) * H + y) * W + xx : -1;
        }
      }
    }
  }
}
