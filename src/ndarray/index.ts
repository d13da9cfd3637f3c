// The ndarray module: NDArray, its constructors and NumPy-named free functions.
import { NDArray, type Operand } from './ndarray.js';
import { dot as dotImpl, matmul as matmulImpl } from './linalg.js';

export { gemm, packSparse, type GemmOptions } from './linalg.js';

export { NDArray } from './ndarray.js';
export type { Axis, NestedArray, Operand, ReduceOptions } from './ndarray.js';
export * from './dtype.js';
export * from './creation.js';
export { Rng } from './random.js';
export { slice, nonzero, rowsView, takeAhead, type Index, type Slice } from './indexing.js';
export { broadcastShapes, formatShape, sizeOf } from './shape.js';
export * from './kernels/index.js';

function arr(x: Operand): NDArray {
  return typeof x === 'number' ? new NDArray(new Float64Array([x]), []) : x;
}

/** `a + b` with broadcasting; either side may be a number. */
export const add = (a: Operand, b: Operand): NDArray => arr(a).add(b);
/** `a - b` with broadcasting; either side may be a number (`sub(1, x)` is `1 - x`). */
export const sub = (a: Operand, b: Operand): NDArray => arr(a).sub(b);
/** `a * b` with broadcasting; either side may be a number. */
export const mul = (a: Operand, b: Operand): NDArray => arr(a).mul(b);
/** `a / b` with broadcasting; either side may be a number (`div(1, t)` is `1.0 / t`). */
export const div = (a: Operand, b: Operand): NDArray => arr(a).div(b);
/** `np.sin(x)`. */
export const sin = (x: NDArray): NDArray => x.sin();
/** `np.cos(x)`. */
export const cos = (x: NDArray): NDArray => x.cos();
/** `np.dot(a, b)`. */
export const dot = (a: NDArray, b: NDArray): NDArray => dotImpl(a, b);
/** `np.matmul(a, b)`. */
export const matmul = (a: NDArray, b: NDArray): NDArray => matmulImpl(a, b);
/** `np.maximum(a, b)`. */
export const maximum = (a: Operand, b: Operand): NDArray => arr(a).maximum(b);
/** `np.minimum(a, b)`. */
export const minimum = (a: Operand, b: Operand): NDArray => arr(a).minimum(b);
/** `np.exp(x)`. */
export const exp = (x: NDArray): NDArray => x.exp();
/** `np.log(x)`. */
export const log = (x: NDArray): NDArray => x.log();
/** `np.sqrt(x)`. */
export const sqrt = (x: NDArray): NDArray => x.sqrt();
/** `np.tanh(x)`. */
export const tanh = (x: NDArray): NDArray => x.tanh();
/** `np.abs(x)`. */
export const abs = (x: NDArray): NDArray => x.abs();
/** `np.clip(x, min, max)`. */
export const clip = (x: NDArray, min: number, max: number): NDArray => x.clip(min, max);
/** `np.sum(x, axis)`. */
export const sum = (x: NDArray, axis?: number | number[], keepdims = false): NDArray =>
  x.sum(axis, { keepdims });
/** `np.mean(x, axis)`. */
export const mean = (x: NDArray, axis?: number | number[], keepdims = false): NDArray =>
  x.mean(axis, { keepdims });
/** `np.argmax(x, axis)`. */
export const argmax = (x: NDArray, axis?: number): NDArray => x.argmax(axis);
/** Whether two arrays have the same shape and all elements within `atol + rtol·|b|` (np.allclose). */
export function allclose(a: NDArray, b: NDArray | number, rtol = 1e-5, atol = 1e-8): boolean {
  const B = arr(b);
  return a.sub(B).abs().le(B.abs().mul(rtol).add(atol)).all().item() === 1;
}
