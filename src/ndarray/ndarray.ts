// NDArray: typed contiguous row-major storage plus a shape — the NumPy array of the book, for the
// operations the book uses. Operations return new arrays; in-place ones say so in their names.
import { dtypeOf, isFloat, type DType, type TypedArray } from './dtype.js';
import { checkShape, formatShape, normalizeAxis, sizeOf, stridesOf } from './shape.js';
import * as ew from './elementwise.js';
import * as red from './reduce.js';
import * as idx from './indexing.js';
import { dot, matmul } from './linalg.js';
import { formatRepr, formatStr } from './format.js';

/** An operand of an elementwise operation: an array or a number (NumPy's Python scalar). */
export type Operand = NDArray | number;

/** `axis` argument of reductions: one axis, several, or all when omitted. */
export type Axis = number | readonly number[] | undefined | null;

/** Options of axis reductions. */
export interface ReduceOptions {
  /** Keep reduced axes as size-1 dimensions, as NumPy's `keepdims=True`. */
  keepdims?: boolean;
}

/** A dense n-dimensional array of one dtype. */
export class NDArray {
  /** Element storage in row-major order; its length is `size`. */
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly dtype: DType;

  /**
   * Wraps `data` (not copied) with `shape`. The dtype is that of the typed array, except that a
   * Uint8Array may be declared `'bool'`.
   */
  constructor(data: TypedArray, shape: readonly number[], dtype?: DType) {
    checkShape(shape, 'NDArray');
    const size = sizeOf(shape);
    if (data.length !== size) {
      throw new Error(
        `NDArray: expected ${size} elements for shape ${formatShape(shape)}, got ${data.length}`,
      );
    }
    const stored = dtypeOf(data);
    const d = dtype ?? stored;
    if (d !== stored && !(d === 'bool' && stored === 'uint8')) {
      throw new Error(`NDArray: expected storage for dtype ${d}, got ${data.constructor.name}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.dtype = d;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Row-major strides in elements. */
  get strides(): number[] {
    return stridesOf(this.shape);
  }

  /** The transpose (axes reversed), as NumPy's `x.T`. */
  get T(): NDArray {
    return this.transpose();
  }

  // ---- element access -------------------------------------------------------------------------

  /** Flat offset of a full index, with negative indices counted from the end. */
  offset(index: readonly number[]): number {
    if (index.length !== this.ndim) {
      throw new Error(
        `index: expected ${this.ndim} indices for shape ${formatShape(this.shape)}, got ${index.length}`,
      );
    }
    let off = 0;
    for (let a = 0; a < index.length; a++) {
      const n = this.shape[a];
      let i = index[a];
      if (!Number.isInteger(i) || i < -n || i >= n) {
        throw new Error(`index ${i} is out of bounds for axis ${a} with size ${n}`);
      }
      if (i < 0) i += n;
      off = off * n + i;
    }
    return off;
  }

  /** The element at a full index (`x.get(1, 2)` is NumPy's `x[1, 2]`); bool reads as 0/1. */
  get(...index: number[]): number {
    return this.data[this.offset(index)];
  }

  /** Writes one element in place (`x.set([1, 2], 5)` is NumPy's `x[1, 2] = 5`). */
  set(index: readonly number[], value: number): this {
    this.data[this.offset(index)] = this.dtype === 'bool' ? (value ? 1 : 0) : value;
    return this;
  }

  /** The single element of a size-1 array, as NumPy's `x.item()`. */
  item(): number {
    if (this.size !== 1) {
      throw new Error(`item: expected an array of size 1, got shape ${formatShape(this.shape)}`);
    }
    return this.data[0];
  }

  /** Nested JavaScript arrays (booleans for a bool array); a number for a 0-d array. */
  toArray(): NestedArray {
    const conv = this.dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
    if (this.ndim === 0) return conv(this.data[0]);
    const strides = this.strides;
    const build = (axis: number, off: number): NestedArray[] => {
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[axis]; i++) {
        const o = off + i * strides[axis];
        out.push(axis === this.ndim - 1 ? conv(this.data[o]) : build(axis + 1, o));
      }
      return out;
    };
    return build(0, 0);
  }

  /** A flat JavaScript array of the elements. */
  toList(): number[] {
    return Array.from(this.data);
  }

  // ---- dtype and shape ------------------------------------------------------------------------

  /** A copy converted to `dtype` (float → int truncates toward zero; bool is value ≠ 0). */
  astype(dtype: DType): NDArray {
    return ew.astype(this, dtype);
  }

  /** A deep copy. */
  copy(): NDArray {
    return ew.astype(this, this.dtype);
  }

  /**
   * The same storage under a new shape; one dimension may be -1 and is inferred.
   * `x.reshape(2, -1)` or `x.reshape([2, -1])`.
   */
  reshape(...shape: number[] | [readonly number[]]): NDArray {
    const dims = (Array.isArray(shape[0]) ? shape[0] : shape) as readonly number[];
    const unknown = dims.filter((d) => d === -1).length;
    if (unknown > 1) throw new Error('can only specify one unknown dimension');
    const known = sizeOf(dims.filter((d) => d !== -1));
    let resolved = [...dims];
    if (unknown === 1) {
      if (known === 0 || this.size % known !== 0) {
        throw new Error(
          `cannot reshape array of size ${this.size} into shape ${formatShape(dims)}`,
        );
      }
      resolved = dims.map((d) => (d === -1 ? this.size / known : d));
    }
    checkShape(resolved, 'reshape');
    if (sizeOf(resolved) !== this.size) {
      throw new Error(`cannot reshape array of size ${this.size} into shape ${formatShape(dims)}`);
    }
    return new NDArray(this.data, resolved, this.dtype);
  }

  /** A 1-D copy, as NumPy's `flatten()`. */
  flatten(): NDArray {
    return this.copy().reshape(this.size);
  }

  /** A 1-D view sharing storage, as NumPy's `ravel()` on a contiguous array. */
  ravel(): NDArray {
    return this.reshape(this.size);
  }

  /** Permutes axes (reverses them when none are given); returns a new contiguous array. */
  transpose(...axes: number[] | [readonly number[]]): NDArray {
    const list = (Array.isArray(axes[0]) ? axes[0] : axes) as readonly number[];
    return ew.transpose(this, list.length === 0 ? undefined : list);
  }

  /** Removes size-1 dimensions (all of them, or the given axis). */
  squeeze(axis?: number): NDArray {
    if (axis === undefined) return this.reshape(this.shape.filter((d) => d !== 1));
    const a = normalizeAxis(axis, this.ndim);
    if (this.shape[a] !== 1) {
      throw new Error('cannot select an axis to squeeze out which has size not equal to one');
    }
    return this.reshape(this.shape.filter((_, i) => i !== a));
  }

  /** Inserts a size-1 dimension at `axis`, as NumPy's `expand_dims`. */
  expandDims(axis: number): NDArray {
    const a = normalizeAxis(axis, this.ndim + 1);
    const shape = [...this.shape];
    shape.splice(a, 0, 1);
    return this.reshape(shape);
  }

  // ---- elementwise arithmetic (broadcasting) --------------------------------------------------

  /** `this + other` with broadcasting. */
  add(other: Operand): NDArray {
    return ew.binary(this, other, 'add');
  }
  /** `this - other` with broadcasting. */
  sub(other: Operand): NDArray {
    return ew.binary(this, other, 'sub');
  }
  /** `this * other` with broadcasting. */
  mul(other: Operand): NDArray {
    return ew.binary(this, other, 'mul');
  }
  /** `this / other` with broadcasting; integer operands give float64 (true division). */
  div(other: Operand): NDArray {
    return ew.binary(this, other, 'div');
  }
  /** `this ** other` with broadcasting. */
  pow(other: Operand): NDArray {
    return ew.binary(this, other, 'pow');
  }
  /** Elementwise maximum (NaN propagates), as `np.maximum`. */
  maximum(other: Operand): NDArray {
    return ew.binary(this, other, 'maximum');
  }
  /** Elementwise minimum (NaN propagates), as `np.minimum`. */
  minimum(other: Operand): NDArray {
    return ew.binary(this, other, 'minimum');
  }
  /** `-this`. */
  neg(): NDArray {
    return ew.unary(this, 'neg');
  }
  /** e to the power of each element. */
  exp(): NDArray {
    return ew.unary(this, 'exp');
  }
  /** Natural logarithm (`log(0)` is -Infinity, as in NumPy). */
  log(): NDArray {
    return ew.unary(this, 'log');
  }
  /** Square root. */
  sqrt(): NDArray {
    return ew.unary(this, 'sqrt');
  }
  /** Hyperbolic tangent. */
  tanh(): NDArray {
    return ew.unary(this, 'tanh');
  }
  /** Sine (radians). */
  sin(): NDArray {
    return ew.unary(this, 'sin');
  }
  /** Cosine (radians). */
  cos(): NDArray {
    return ew.unary(this, 'cos');
  }
  /** Elementwise floor. */
  floor(): NDArray {
    return ew.unary(this, 'floor');
  }
  /** Rounds half to even, as `np.round`. */
  round(): NDArray {
    return ew.unary(this, 'round');
  }
  /** -1, 0 or 1 by sign, as `np.sign`. */
  sign(): NDArray {
    return ew.unary(this, 'sign');
  }
  /** Absolute value. */
  abs(): NDArray {
    return ew.unary(this, 'abs');
  }
  /** Square of each element. */
  square(): NDArray {
    return ew.binary(this, this, 'mul');
  }
  /** Limits every element to [min, max], as `np.clip`. */
  clip(min: number, max: number): NDArray {
    return ew.clip(this, min, max);
  }

  // ---- comparisons and logic (bool results) ---------------------------------------------------

  /** `this > other` as a bool array. */
  gt(other: Operand): NDArray {
    return ew.binary(this, other, 'gt');
  }
  /** `this >= other` as a bool array. */
  ge(other: Operand): NDArray {
    return ew.binary(this, other, 'ge');
  }
  /** `this < other` as a bool array. */
  lt(other: Operand): NDArray {
    return ew.binary(this, other, 'lt');
  }
  /** `this <= other` as a bool array. */
  le(other: Operand): NDArray {
    return ew.binary(this, other, 'le');
  }
  /** `this == other` as a bool array. */
  eq(other: Operand): NDArray {
    return ew.binary(this, other, 'eq');
  }
  /** `this != other` as a bool array. */
  ne(other: Operand): NDArray {
    return ew.binary(this, other, 'ne');
  }
  /** Elementwise logical and, as `np.logical_and` (or `&` on bool arrays). */
  and(other: Operand): NDArray {
    return ew.binary(this, other, 'and');
  }
  /** Elementwise logical or. */
  or(other: Operand): NDArray {
    return ew.binary(this, other, 'or');
  }
  /** Elementwise logical not, as `np.logical_not` (or `~` on a bool array). */
  not(): NDArray {
    return ew.unary(this, 'not');
  }

  // ---- reductions -----------------------------------------------------------------------------

  /** Sum over `axis` (all axes when omitted). Integer sums stay integer while they fit int32. */
  sum(axis?: Axis, options?: ReduceOptions): NDArray {
    return red.reduce(this, 'sum', axis, options);
  }
  /** Mean over `axis`. */
  mean(axis?: Axis, options?: ReduceOptions): NDArray {
    return red.reduce(this, 'mean', axis, options);
  }
  /** Maximum over `axis` (NaN propagates). */
  max(axis?: Axis, options?: ReduceOptions): NDArray {
    return red.reduce(this, 'max', axis, options);
  }
  /** Minimum over `axis` (NaN propagates). */
  min(axis?: Axis, options?: ReduceOptions): NDArray {
    return red.reduce(this, 'min', axis, options);
  }
  /** Product over `axis`. */
  prod(axis?: Axis, options?: ReduceOptions): NDArray {
    return red.reduce(this, 'prod', axis, options);
  }
  /** Variance over `axis` (population variance, NumPy's `ddof=0`). */
  var(axis?: Axis, options?: ReduceOptions): NDArray {
    return red.variance(this, axis, options, false);
  }
  /** Standard deviation over `axis` (`ddof=0`). */
  std(axis?: Axis, options?: ReduceOptions): NDArray {
    return red.variance(this, axis, options, true);
  }
  /** Whether any element is non-zero over `axis`. */
  any(axis?: Axis, options?: ReduceOptions): NDArray {
    return red.reduce(this, 'any', axis, options);
  }
  /** Whether every element is non-zero over `axis`. */
  all(axis?: Axis, options?: ReduceOptions): NDArray {
    return red.reduce(this, 'all', axis, options);
  }
  /** Index of the first maximum along `axis` (of the flattened array when omitted), int32. */
  argmax(axis?: number, options?: ReduceOptions): NDArray {
    return red.argReduce(this, 'max', axis, options);
  }
  /** Index of the first minimum along `axis` (of the flattened array when omitted), int32. */
  argmin(axis?: number, options?: ReduceOptions): NDArray {
    return red.argReduce(this, 'min', axis, options);
  }

  // ---- linear algebra -------------------------------------------------------------------------

  /** `np.dot(this, other)`: 1-D·1-D inner product, 2-D matrix product, N-D sum over last/second-last. */
  dot(other: NDArray): NDArray {
    return dot(this, other);
  }
  /** `np.matmul(this, other)` (the `@` operator), broadcasting over leading dimensions. */
  matmul(other: NDArray): NDArray {
    return matmul(this, other);
  }

  // ---- indexing -------------------------------------------------------------------------------

  /**
   * NumPy indexing `x[...]`, returning a new array. Each index is an integer, a slice string
   * (`':'`, `'1:3'`, `'::-1'`), `null` for `:`, an integer array or number[] (fancy indexing), or
   * a bool array (mask). `y.index(arange(n), t)` is `y[np.arange(n), t]`; `x.index(mask)` is `x[mask]`.
   */
  index(...indices: idx.Index[]): NDArray {
    return idx.getIndex(this, indices);
  }

  /** In-place `x[indices] = value` (value broadcast to the selection), e.g. `x.setIndex([mask], 0)`. */
  setIndex(indices: readonly idx.Index[], value: Operand): this {
    idx.setIndex(this, indices, value);
    return this;
  }

  /** `np.take(x, indices, axis)`: whole slices along `axis` picked by integer indices. */
  take(indices: NDArray | readonly number[], axis = 0): NDArray {
    return idx.take(this, indices, axis);
  }

  // ---- in place (optimizers, numerical gradients, running statistics) ------------------------

  /** Sets every element to `value`, in place. */
  fill(value: number): this {
    this.data.fill(this.dtype === 'bool' ? (value ? 1 : 0) : value);
    return this;
  }
  /** Copies `source` (broadcast to this shape) into this array, in place. */
  assign(source: Operand): this {
    ew.binaryInto(this, this, source, 'right');
    return this;
  }
  /** `this += other`, in place (other broadcast to this shape). */
  addInPlace(other: Operand): this {
    ew.binaryInto(this, this, other, 'add');
    return this;
  }
  /** `this -= other`, in place. */
  subInPlace(other: Operand): this {
    ew.binaryInto(this, this, other, 'sub');
    return this;
  }
  /** `this *= other`, in place. */
  mulInPlace(other: Operand): this {
    ew.binaryInto(this, this, other, 'mul');
    return this;
  }
  /** `this /= other`, in place. */
  divInPlace(other: Operand): this {
    ew.binaryInto(this, this, other, 'div');
    return this;
  }

  // ---- printing -------------------------------------------------------------------------------

  /** NumPy's `str(x)` (what `print(x)` shows): `[[1. 2.]\n [3. 4.]]`. */
  toString(): string {
    return formatStr(this);
  }

  /** NumPy's `repr(x)`: `array([[1., 2.],\n       [3., 4.]])`, with the dtype when not default. */
  repr(): string {
    return formatRepr(this);
  }

  /** Node's console.log shows the NumPy repr. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return formatRepr(this);
  }

  /** Whether the array holds floating-point values. */
  get isFloat(): boolean {
    return isFloat(this.dtype);
  }
}

/** Nested JavaScript arrays, as accepted by `array()` and returned by `toArray()`. */
export type NestedArray = number | boolean | NestedArray[];
