// Array creation: from nested JavaScript arrays, zeros/ones/full, arange, linspace, *Like, eye,
// meshgrid, concatenate/stack and where — NumPy's constructors for what the book uses.
import { allocate, promote, type DType } from './dtype.js';
import { NDArray, type NestedArray, type Operand } from './ndarray.js';
import { broadcastShapes, checkShape, formatShape, normalizeAxis, sizeOf } from './shape.js';

/** A shape given as a number (1-D) or a list of dimensions. */
export type ShapeLike = number | readonly number[];

function toShape(shape: ShapeLike, where: string): number[] {
  const s = typeof shape === 'number' ? [shape] : [...shape];
  checkShape(s, where);
  return s;
}

/**
 * An array from nested JavaScript arrays (or a number for a 0-d array): bool for booleans,
 * float64 for numbers (JavaScript cannot tell 1 from 1.0), unless `dtype` is given.
 * @example array([[1, 2], [3, 4]]).repr() // 'array([[1., 2.],\n       [3., 4.]])'
 */
export function array(values: NestedArray | NDArray | ArrayLike<number>, dtype?: DType): NDArray {
  if (values instanceof NDArray) return dtype ? values.astype(dtype) : values.copy();
  if (!Array.isArray(values) && typeof values === 'object') {
    // a typed array or other array-like: 1-D
    const flat = Array.from(values as ArrayLike<number>);
    return fromFlat(flat, [flat.length], dtype ?? 'float64', false);
  }
  const shape: number[] = [];
  let probe: unknown = values;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const flat: (number | boolean)[] = [];
  const walk = (v: unknown, depth: number) => {
    if (depth === shape.length) {
      if (Array.isArray(v))
        throw new Error('array: setting an array element with a sequence (ragged nested arrays)');
      if (typeof v !== 'number' && typeof v !== 'boolean') {
        throw new Error(`array: expected numbers or booleans, got ${typeof v}`);
      }
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new Error(
        `array: inhomogeneous shape after ${depth} dimensions: expected length ${shape[depth]}, got ${Array.isArray(v) ? v.length : 'a scalar'}`,
      );
    }
    for (const item of v) walk(item, depth + 1);
  };
  walk(values, 0);
  // JavaScript has one number type (1.0 === 1), so numbers give float64 unless a dtype is named.
  const allBool = flat.length > 0 && flat.every((v) => typeof v === 'boolean');
  const chosen = dtype ?? (allBool ? 'bool' : 'float64');
  return fromFlat(flat.map(Number), shape, chosen, chosen === 'bool');
}

function fromFlat(flat: number[], shape: number[], dtype: DType, isBool: boolean): NDArray {
  const data = allocate(dtype, flat.length);
  for (let i = 0; i < flat.length; i++)
    data[i] = isBool || dtype === 'bool' ? (flat[i] !== 0 ? 1 : 0) : flat[i];
  return new NDArray(data, shape, dtype);
}

/** An array of zeros. */
export function zeros(shape: ShapeLike, dtype: DType = 'float64'): NDArray {
  const s = toShape(shape, 'zeros');
  return new NDArray(allocate(dtype, sizeOf(s)), s, dtype);
}

/** An array of ones. */
export function ones(shape: ShapeLike, dtype: DType = 'float64'): NDArray {
  return full(shape, 1, dtype);
}

/** An array filled with `value`. */
export function full(shape: ShapeLike, value: number, dtype: DType = 'float64'): NDArray {
  return zeros(shape, dtype).fill(value);
}

/** Zeros with the shape (and dtype, unless given) of `a`. */
export function zerosLike(a: NDArray, dtype?: DType): NDArray {
  return zeros(a.shape, dtype ?? a.dtype);
}

/** Ones with the shape (and dtype, unless given) of `a`. */
export function onesLike(a: NDArray, dtype?: DType): NDArray {
  return ones(a.shape, dtype ?? a.dtype);
}

/** `value` everywhere, with the shape (and dtype, unless given) of `a`. */
export function fullLike(a: NDArray, value: number, dtype?: DType): NDArray {
  return full(a.shape, value, dtype ?? a.dtype);
}

/**
 * Evenly spaced values in [start, stop): `arange(stop)`, `arange(start, stop)` or
 * `arange(start, stop, step)`. Integer arguments give int32, others float64.
 * @example arange(-1, 1, 0.5).toString() // '[-1.  -0.5  0.   0.5]'
 */
export function arange(start: number, stop?: number, step = 1, dtype?: DType): NDArray {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0) throw new Error('arange: expected a non-zero step, got 0');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const d = dtype ?? ([start, stop, step].every(Number.isInteger) ? 'int32' : 'float64');
  const data = allocate(d, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new NDArray(data, [n], d);
}

/** `num` evenly spaced values from start to stop (stop included unless `endpoint` is false). */
export function linspace(start: number, stop: number, num = 50, endpoint = true): NDArray {
  if (!Number.isInteger(num) || num < 0) throw new Error(`linspace: expected num >= 0, got ${num}`);
  const data = new Float64Array(num);
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  for (let i = 0; i < num; i++) data[i] = start + i * step;
  if (endpoint && num > 1) data[num - 1] = stop;
  return new NDArray(data, [num]);
}

/** The n×n identity matrix. */
export function eye(n: number, dtype: DType = 'float64'): NDArray {
  const out = zeros([n, n], dtype);
  for (let i = 0; i < n; i++) out.data[i * n + i] = 1;
  return out;
}

/** `np.meshgrid(x, y)` with 'xy' indexing: X and Y of shape (len(y), len(x)). */
export function meshgrid(x: NDArray, y: NDArray): [NDArray, NDArray] {
  const nx = x.size;
  const ny = y.size;
  const dtype = promote(x.dtype, y.dtype);
  const X = zeros([ny, nx], dtype);
  const Y = zeros([ny, nx], dtype);
  for (let i = 0; i < ny; i++) {
    for (let j = 0; j < nx; j++) {
      X.data[i * nx + j] = x.data[j];
      Y.data[i * nx + j] = y.data[i];
    }
  }
  return [X, Y];
}

/** Joins arrays along an existing axis (`np.concatenate`). */
export function concatenate(arrays: readonly NDArray[], axis = 0): NDArray {
  if (arrays.length === 0) throw new Error('need at least one array to concatenate');
  const first = arrays[0];
  const ax = normalizeAxis(axis, first.ndim);
  for (const [k, a] of arrays.entries()) {
    if (a.ndim !== first.ndim || a.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw new Error(
        `concatenate: expected every array to match ${formatShape(first.shape)} except along axis ${ax}, got ${formatShape(a.shape)} at index ${k}`,
      );
    }
  }
  const dtype = arrays.map((a) => a.dtype).reduce(promote);
  const shape = [...first.shape];
  shape[ax] = arrays.reduce((s, a) => s + a.shape[ax], 0);
  const out = zeros(shape, dtype);
  const outer = sizeOf(first.shape.slice(0, ax));
  const outRow = sizeOf(shape.slice(ax));
  let colOffset = 0;
  for (const a of arrays) {
    const src = a.dtype === dtype ? a : a.astype(dtype);
    const row = sizeOf(a.shape.slice(ax));
    for (let o = 0; o < outer; o++) {
      out.data.set(src.data.subarray(o * row, (o + 1) * row), o * outRow + colOffset);
    }
    colOffset += row;
  }
  return out;
}

/** Joins arrays along a new axis (`np.stack`). */
export function stack(arrays: readonly NDArray[], axis = 0): NDArray {
  if (arrays.length === 0) throw new Error('need at least one array to stack');
  const ax = normalizeAxis(axis, arrays[0].ndim + 1);
  return concatenate(
    arrays.map((a) => a.expandDims(ax)),
    ax,
  );
}

/** `np.where(cond, x, y)`: elements of x where cond is true, of y elsewhere (broadcast). */
export function where(cond: NDArray, x: Operand, y: Operand): NDArray {
  const X = typeof x === 'number' ? new NDArray(new Float64Array([x]), []) : x;
  const Y = typeof y === 'number' ? new NDArray(new Float64Array([y]), []) : y;
  const shape = broadcastShapes(cond.shape, X.shape, Y.shape);
  const dtype =
    typeof x === 'number' && typeof y !== 'number'
      ? Y.dtype
      : typeof y === 'number' && typeof x !== 'number'
        ? X.dtype
        : promote(X.dtype, Y.dtype);
  const c = cond.ne(0);
  // select through broadcasting arithmetic-free assignment: out = y, then out[c] = x
  const out = zeros(shape, dtype).assign(Y);
  const xs = zeros(shape, dtype).assign(X);
  const cs = zeros(shape, 'bool').assign(c);
  for (let i = 0; i < out.size; i++) if (cs.data[i]) out.data[i] = xs.data[i];
  return out;
}
