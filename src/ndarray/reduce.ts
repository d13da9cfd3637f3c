// Axis reductions (sum, mean, max, min, prod, any, all, var/std) and argmax/argmin, with keepdims.
import { allocate, floatResult, isFloat, type DType, type FloatArray } from './dtype.js';
import { kernels } from './kernels/index.js';
import { NDArray, type Axis, type ReduceOptions } from './ndarray.js';
import { pairwiseSum } from './pairwise.js';
import { normalizeAxes, normalizeAxis, sizeOf } from './shape.js';

export { pairwiseSum };

export type ReduceOp = 'sum' | 'mean' | 'max' | 'min' | 'prod' | 'any' | 'all';

const NUMPY_NAME: Record<ReduceOp, string> = {
  sum: 'add',
  mean: 'mean',
  max: 'maximum',
  min: 'minimum',
  prod: 'multiply',
  any: 'logical_or',
  all: 'logical_and',
};

interface Reducer {
  init: number;
  step: (acc: number, v: number) => number;
}

const REDUCERS: Record<ReduceOp, Reducer> = {
  sum: { init: 0, step: (s, v) => s + v },
  mean: { init: 0, step: (s, v) => s + v },
  prod: { init: 1, step: (s, v) => s * v },
  // The `v !== v` tests keep NaN, as NumPy's max/min propagate it.
  max: { init: -Infinity, step: (m, v) => (v > m || v !== v ? v : m) },
  min: { init: Infinity, step: (m, v) => (v < m || v !== v ? v : m) },
  any: { init: 0, step: (s, v) => (s !== 0 || v !== 0 ? 1 : 0) },
  all: { init: 1, step: (s, v) => (s !== 0 && v !== 0 ? 1 : 0) },
};

function outDType(dtype: DType, op: ReduceOp): DType {
  if (op === 'any' || op === 'all') return 'bool';
  if (op === 'mean') return floatResult(dtype);
  if (op === 'max' || op === 'min') return dtype;
  return isFloat(dtype) ? dtype : 'int32';
}

function axesOf(axis: Axis, ndim: number): number[] {
  if (axis === undefined || axis === null) return [...Array(ndim).keys()];
  return typeof axis === 'number' ? [normalizeAxis(axis, ndim)] : normalizeAxes(axis, ndim);
}

/**
 * Reduces `a` over `axis` (all axes when omitted). Accumulation is in float64 whatever the dtype.
 * Integer sums that do not fit int32 come back as float64 rather than wrapping around.
 */
export function reduce(a: NDArray, op: ReduceOp, axis: Axis, options: ReduceOptions = {}): NDArray {
  const axes = axesOf(axis, a.ndim);
  const reduced = new Set(axes);
  const count = sizeOf(axes.map((ax) => a.shape[ax]));
  if (count === 0 && (op === 'max' || op === 'min')) {
    throw new Error(
      `zero-size array to reduction operation ${NUMPY_NAME[op]} which has no identity`,
    );
  }
  const keptShape = a.shape.map((d, i) => (reduced.has(i) ? 1 : d));
  const acc = new Float64Array(sizeOf(keptShape)).fill(REDUCERS[op].init);
  const lead = axes.length; // the axes reduced are 0 … lead − 1 when they are a leading run
  if (
    (op === 'sum' || op === 'mean') &&
    a.isFloat &&
    lead < a.ndim &&
    axes.every((ax) => ax < lead)
  ) {
    // a sum over the leading axes (a bias gradient's dout.sum(0)): the rows added in order
    kernels().sumRows(a.data as FloatArray, count, acc.length, acc);
  } else {
    accumulate(a, keptShape, acc, REDUCERS[op].step);
  }
  if (op === 'mean') for (let i = 0; i < acc.length; i++) acc[i] /= count;

  let dtype = outDType(a.dtype, op);
  if (dtype === 'int32' && acc.some((v) => v > 2147483647 || v < -2147483648)) dtype = 'float64';
  const out = allocate(dtype, acc.length);
  out.set(acc);
  const shape = options.keepdims ? keptShape : a.shape.filter((_, i) => !reduced.has(i));
  return new NDArray(out, shape, dtype);
}

/**
 * Folds every element of `a` into acc[j], where j is the element's index in `keptShape` (the
 * input shape with reduced axes set to 1). The data is walked once, in storage order.
 */
function accumulate(
  a: NDArray,
  keptShape: readonly number[],
  acc: Float64Array,
  step: (acc: number, v: number) => number,
): void {
  const x = a.data;
  const n = x.length;
  if (n === 0) return;
  if (acc.length === 1) {
    if (step === REDUCERS.sum.step || step === REDUCERS.mean.step) {
      acc[0] += pairwiseSum(x, 0, n);
      return;
    }
    let s = acc[0];
    for (let i = 0; i < n; i++) s = step(s, x[i]);
    acc[0] = s;
    return;
  }
  // Merge the input into (outer, len, inner) blocks per reduced run; generic odometer walk.
  const nd = a.ndim;
  const accStrides = new Array<number>(nd);
  let s = 1;
  for (let i = nd - 1; i >= 0; i--) {
    accStrides[i] = keptShape[i] === 1 ? 0 : s;
    s *= keptShape[i];
  }
  const inner = a.shape[nd - 1];
  const innerStride = accStrides[nd - 1];
  const counter = new Array<number>(nd).fill(0);
  let off = 0;
  for (let i = 0; i < n; i += inner) {
    if (innerStride === 0 && (step === REDUCERS.sum.step || step === REDUCERS.mean.step)) {
      acc[off] += pairwiseSum(x, i, inner);
    } else if (innerStride === 0) {
      let v = acc[off];
      for (let j = 0; j < inner; j++) v = step(v, x[i + j]);
      acc[off] = v;
    } else {
      for (let j = 0; j < inner; j++) acc[off + j] = step(acc[off + j], x[i + j]);
    }
    for (let axis = nd - 2; axis >= 0; axis--) {
      counter[axis]++;
      off += accStrides[axis];
      if (counter[axis] < a.shape[axis]) break;
      off -= accStrides[axis] * a.shape[axis];
      counter[axis] = 0;
    }
  }
}

/** Variance (or, with `sqrt`, standard deviation) with ddof = 0. */
export function variance(
  a: NDArray,
  axis: Axis,
  options: ReduceOptions = {},
  sqrt: boolean,
): NDArray {
  const mean = reduce(a, 'mean', axis, { keepdims: true });
  const centered = a.sub(mean);
  const v = reduce(centered.mul(centered), 'mean', axis, options);
  return sqrt ? v.sqrt() : v;
}

/** Index of the first maximum (or minimum) along `axis`, or of the flattened array. */
export function argReduce(
  a: NDArray,
  kind: 'max' | 'min',
  axis: number | undefined,
  options: ReduceOptions = {},
): NDArray {
  if (axis === undefined || axis === null) {
    if (a.size === 0) throw new Error(`attempt to get arg${kind} of an empty sequence`);
    const i = argOf(a.data, 0, a.size, 1, kind);
    const shape = options.keepdims ? a.shape.map(() => 1) : [];
    return new NDArray(new Int32Array([i]), shape);
  }
  const ax = normalizeAxis(axis, a.ndim);
  const len = a.shape[ax];
  if (len === 0) throw new Error(`attempt to get arg${kind} of an empty sequence`);
  const inner = sizeOf(a.shape.slice(ax + 1));
  const outer = sizeOf(a.shape.slice(0, ax));
  const out = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++)
      out[o * inner + j] = argOf(a.data, o * len * inner + j, len, inner, kind);
  }
  const shape = options.keepdims
    ? a.shape.map((d, i) => (i === ax ? 1 : d))
    : a.shape.filter((_, i) => i !== ax);
  return new NDArray(out, shape);
}

function argOf(
  x: ArrayLike<number>,
  start: number,
  len: number,
  stride: number,
  kind: 'max' | 'min',
): number {
  let best = x[start];
  let bestI = 0;
  if (best !== best) return 0; // NaN counts as the extreme, as in NumPy
  for (let k = 1; k < len; k++) {
    const v = x[start + k * stride];
    if (v !== v) return k;
    if (kind === 'max' ? v > best : v < best) {
      best = v;
      bestI = k;
    }
  }
  return bestI;
}
