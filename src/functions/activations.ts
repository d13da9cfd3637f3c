// Activation functions and softmax (book §3.2 "activation functions", §3.5 "output layer design",
// common/functions.py).
import { NDArray } from '../ndarray/ndarray.js';
import { formatShape } from '../ndarray/shape.js';
import {
  allocate,
  allocateEmpty,
  floatResult,
  isFloat,
  type FloatArray,
} from '../ndarray/dtype.js';
import { kernels } from '../ndarray/kernels/index.js';

/**
 * The identity output function of regression (book §3.4.3): returns `x` itself.
 * @example
 * identityFunction(3); // 3
 */
export function identityFunction(x: number): number;
export function identityFunction(x: NDArray): NDArray;
export function identityFunction(x: number | NDArray): number | NDArray {
  return x;
}

/**
 * softmax of a float array along its last axis, a row at a time in the kernels (one pass per row
 * with the roundings of the array expression in {@link softmax}): a classifier's last layer runs
 * it on every batch, and five array operations with their temporaries cost more than the
 * arithmetic.
 */
function softmaxRows(x: NDArray): NDArray {
  const C = x.shape[x.ndim - 1];
  const out = allocateEmpty(x.dtype, x.size) as FloatArray; // every element is written
  kernels().softmaxRows(x.data as FloatArray, x.size / C, C, out);
  return new NDArray(out, x.shape, x.dtype);
}

/**
 * The step function of perceptrons (book §3.2.2): 1 where x > 0, else 0. Arrays come back as
 * int32, as the book's `np.array(x > 0, dtype=np.int)`.
 * @param x any shape
 * @returns int32, the shape of x
 * @example
 * stepFunction(array([-1.0, 1.0, 2.0])).toString(); // '[0 1 1]'
 */
export function stepFunction(x: number): number;
export function stepFunction(x: NDArray): NDArray;
export function stepFunction(x: number | NDArray): number | NDArray {
  if (typeof x === 'number') return x > 0 ? 1 : 0;
  return x.gt(0).astype('int32');
}

/**
 * The sigmoid 1 / (1 + exp(-x)) (book §3.2.4). A float32 array stays float32.
 * @param x any shape
 * @returns the shape of x, values in (0, 1)
 * @example
 * sigmoid(array([-1.0, 1.0, 2.0])).toString(); // '[0.26894142 0.73105858 0.88079708]'
 */
export function sigmoid(x: number): number;
export function sigmoid(x: NDArray): NDArray;
export function sigmoid(x: number | NDArray): number | NDArray {
  if (typeof x === 'number') return 1 / (1 + Math.exp(-x));
  const dtype = floatResult(x.dtype);
  const src = x.data;
  const out = allocate(dtype, src.length);
  // For x < -709, exp(-x) overflows to Infinity and the quotient is 0 — the right limit, as in
  // NumPy (which also warns); no guard is needed.
  if (dtype === 'float32') {
    // Round after each step as NumPy's float32 ufuncs do, so float32 results match NumPy's bits
    // as closely as possible (the chapter 3 accuracy is computed in float32).
    for (let i = 0; i < src.length; i++) {
      out[i] = Math.fround(1 / Math.fround(1 + Math.fround(Math.exp(-src[i]))));
    }
  } else {
    for (let i = 0; i < src.length; i++) out[i] = 1 / (1 + Math.exp(-src[i]));
  }
  return new NDArray(out, x.shape);
}

/**
 * The sigmoid's derivative (1 − σ(x))·σ(x), used by the chapter 4 TwoLayerNet's `gradient`.
 * @param x any shape
 * @returns the shape of x
 * @example
 * sigmoidGrad(0); // 0.25
 */
export function sigmoidGrad(x: number): number;
export function sigmoidGrad(x: NDArray): NDArray;
export function sigmoidGrad(x: number | NDArray): number | NDArray {
  if (typeof x === 'number') {
    const s = sigmoid(x);
    return (1 - s) * s;
  }
  const s = sigmoid(x);
  return s.neg().add(1).mul(s); // (1 − σ)·σ
}

/**
 * The ReLU max(0, x) (book §3.2.7).
 * @param x any shape
 * @returns the shape and dtype of x
 * @example
 * relu(array([-1.0, 0.5, 2.0])).toString(); // '[0.  0.5 2. ]'
 */
export function relu(x: number): number;
export function relu(x: NDArray): NDArray;
export function relu(x: number | NDArray): number | NDArray {
  if (typeof x === 'number') return Math.max(0, x);
  return x.maximum(0);
}

/**
 * The ReLU's derivative: 1 where x ≥ 0, else 0 (the book's `relu_grad`, which also counts 0 as
 * positive). Float64 unless x is float32.
 * @param x any shape
 * @returns the shape of x
 * @example
 * reluGrad(array([-1.0, 0.0, 2.0])).toString(); // '[0. 1. 1.]'
 */
export function reluGrad(x: NDArray): NDArray {
  return x.ge(0).astype(x.dtype === 'float32' ? 'float32' : 'float64');
}

/**
 * Softmax over the last axis (book §3.5.2): each row of a batch (N, C), or a single 1-D vector
 * (C,), becomes probabilities that sum to 1. Overflow-safe.
 * @param x (C,) or (N, C) (any rank ≥ 1: the last axis is normalized)
 * @returns the shape of x
 * @example
 * softmax(array([0.3, 2.9, 4.0])).toString(); // '[0.01821127 0.24519181 0.73659691]'
 * softmax(array([1010, 1000, 990])).toString(); // '[9.99954600e-01 4.53978686e-05 2.06106005e-09]'
 */
export function softmax(x: NDArray): NDArray {
  if (x.ndim === 0) {
    throw new Error(
      `softmax: expected an array of at least 1 dimension, got shape ${formatShape(x.shape)}`,
    );
  }
  // exp(1010) overflows to Infinity and Infinity/Infinity is NaN; softmax is unchanged by
  // subtracting a constant from each row, so subtracting the row's maximum makes the largest
  // exponent exp(0) = 1 and every other term ≤ 1.
  if (isFloat(x.dtype) && x.size > 0) return softmaxRows(x);
  const shifted = x.sub(x.max(-1, { keepdims: true })); // (…, C) − (…, 1)
  const e = shifted.exp();
  return e.div(e.sum(-1, { keepdims: true })); // (…, C) / (…, 1)
}
