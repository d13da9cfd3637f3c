// im2col / col2im: the book's trick that turns convolution and pooling into one matrix product (§7.4.3, common/util.py).
import { allocate, isFloat, type FloatArray, type FloatDType } from '../ndarray/dtype.js';
import { convOutputSize, kernels, type ConvGeometry } from '../ndarray/kernels/index.js';
import { NDArray } from '../ndarray/ndarray.js';
import { dims4, shapeText } from './check.js';

export { convOutputSize } from '../ndarray/kernels/index.js';

/** Throws unless a window of FH×FW, stride and pad fits at least once into H×W. */
export function checkWindow(
  where: string,
  H: number,
  W: number,
  FH: number,
  FW: number,
  stride: number,
  pad: number,
): void {
  if (!Number.isInteger(stride) || stride < 1) {
    throw new Error(`${where}: expected a stride that is a positive integer, got ${stride}`);
  }
  if (!Number.isInteger(pad) || pad < 0) {
    throw new Error(`${where}: expected a pad that is a non-negative integer, got ${pad}`);
  }
  if (!Number.isInteger(FH) || !Number.isInteger(FW) || FH < 1 || FW < 1) {
    throw new Error(`${where}: expected a window of positive integers, got ${FH}×${FW}`);
  }
  if (H + 2 * pad < FH || W + 2 * pad < FW) {
    throw new Error(
      `${where}: expected a ${FH}×${FW} window to fit the ${H}×${W} input padded by ${pad}, ` +
        `got an output of ${convOutputSize(H, FH, stride, pad)}×${convOutputSize(W, FW, stride, pad)}`,
    );
  }
}

/** The float dtype an operation on `x` runs in: its own when float, else float64 (as NumPy). */
export function floatDTypeOf(x: NDArray): FloatDType {
  return isFloat(x.dtype) ? x.dtype : 'float64';
}

/** `x` as float storage of `dtype`, converting (copying) only when needed. */
export function floatData(x: NDArray, dtype: FloatDType): FloatArray {
  return (x.dtype === dtype ? x.data : x.astype(dtype).data) as FloatArray;
}

/**
 * Unrolls every FH×FW window of x into one row, the book's `im2col(input_data, filter_h, filter_w,
 * stride, pad)`. Row `(n·outH + oy)·outW + ox` holds the window at output pixel (oy, ox) of image
 * n, ordered (c, fy, fx); padding reads as 0. Integer inputs give float64.
 * @param x (N, C, H, W)
 * @returns col (N·outH·outW, C·FH·FW)
 * @example
 * im2col(zeros([1, 3, 7, 7]), 5, 5).shape; // [9, 75]
 * im2col(zeros([10, 3, 7, 7]), 5, 5, 1, 0).shape; // [90, 75]
 */
export function im2col(x: NDArray, FH: number, FW: number, stride = 1, pad = 0): NDArray {
  const [N, C, H, W] = dims4(x, 'im2col');
  checkWindow('im2col', H, W, FH, FW, stride, pad);
  const g: ConvGeometry = { N, C, H, W, FH, FW, stride, pad };
  const outH = convOutputSize(H, FH, stride, pad);
  const outW = convOutputSize(W, FW, stride, pad);
  const dtype = floatDTypeOf(x);
  const col = allocate(dtype, N * outH * outW * C * FH * FW);
  kernels().im2col(floatData(x, dtype), g, col);
  return new NDArray(col, [N * outH * outW, C * FH * FW], dtype);
}

/**
 * Folds rows of window values back into an image, summing where windows overlap; the book's
 * `col2im(col, input_shape, filter_h, filter_w, stride, pad)`. It is the adjoint (transpose) of
 * im2col, not its inverse: ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩, which is what backward passes need.
 * Values that fall on the padding are dropped.
 * @param col (N·outH·outW, C·FH·FW)
 * @param inputShape (N, C, H, W) of the image im2col was applied to
 * @returns (N, C, H, W)
 * @example
 * col2im(ones([9, 75]), [1, 3, 7, 7], 5, 5).get(0, 0, 3, 3); // 9: the centre is in all 9 windows
 */
export function col2im(
  col: NDArray,
  inputShape: readonly number[],
  FH: number,
  FW: number,
  stride = 1,
  pad = 0,
): NDArray {
  if (inputShape.length !== 4) {
    throw new Error(`col2im: expected an input shape (N, C, H, W), got [${inputShape.join(',')}]`);
  }
  const [N, C, H, W] = inputShape;
  checkWindow('col2im', H, W, FH, FW, stride, pad);
  const outH = convOutputSize(H, FH, stride, pad);
  const outW = convOutputSize(W, FW, stride, pad);
  const rows = N * outH * outW;
  const cols = C * FH * FW;
  if (col.ndim !== 2 || col.shape[0] !== rows || col.shape[1] !== cols) {
    throw new Error(
      `col2im: expected col of shape [${rows},${cols}] for input [${inputShape.join(',')}], ` +
        `got shape ${shapeText(col)}`,
    );
  }
  const dtype = floatDTypeOf(col);
  const dx = allocate(dtype, N * C * H * W);
  kernels().col2im(floatData(col, dtype), { N, C, H, W, FH, FW, stride, pad }, dx);
  return new NDArray(dx, [N, C, H, W], dtype);
}
