// Elementwise operations with NumPy's broadcasting and dtype rules, plus astype and transpose.
import {
  allocate,
  allocateEmpty,
  floatResult,
  isFloat,
  promote,
  promoteScalar,
  type DType,
  type TypedArray,
} from './dtype.js';
import { NDArray, type Operand } from './ndarray.js';
import {
  broadcastShapes,
  broadcastStrides,
  formatShape,
  normalizeAxes,
  sameShape,
  sizeOf,
  stridesOf,
} from './shape.js';

export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'gt'
  | 'ge'
  | 'lt'
  | 'le'
  | 'eq'
  | 'ne'
  | 'and'
  | 'or'
  | 'right';

export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'tanh'
  | 'sin'
  | 'cos'
  | 'abs'
  | 'not'
  | 'sign'
  | 'floor'
  | 'round';

type Fn2 = (x: number, y: number) => number;

const BINARY: Record<BinaryOp, Fn2> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  pow: (x, y) => x ** y,
  // Math.max/min propagate NaN, as np.maximum/np.minimum do.
  maximum: (x, y) => Math.max(x, y),
  minimum: (x, y) => Math.min(x, y),
  gt: (x, y) => (x > y ? 1 : 0),
  ge: (x, y) => (x >= y ? 1 : 0),
  lt: (x, y) => (x < y ? 1 : 0),
  le: (x, y) => (x <= y ? 1 : 0),
  eq: (x, y) => (x === y ? 1 : 0),
  ne: (x, y) => (x !== y ? 1 : 0),
  and: (x, y) => (x !== 0 && y !== 0 ? 1 : 0),
  or: (x, y) => (x !== 0 || y !== 0 ? 1 : 0),
  right: (_x, y) => y,
};

const BOOL_RESULT = new Set<BinaryOp>(['gt', 'ge', 'lt', 'le', 'eq', 'ne', 'and', 'or']);

/** Result dtype of `a op b` under NumPy's rules (a number is a weakly typed Python scalar). */
function resultDType(a: Operand, b: Operand, op: BinaryOp): DType {
  if (BOOL_RESULT.has(op)) return 'bool';
  let d: DType;
  if (typeof a === 'number' && typeof b === 'number') d = 'float64';
  else if (typeof a === 'number') d = promoteScalar((b as NDArray).dtype, a);
  else if (typeof b === 'number') d = promoteScalar(a.dtype, b);
  else d = promote(a.dtype, b.dtype);
  if (op === 'div') return floatResult(d);
  // Arithmetic on two bool arrays counts in integers (NumPy would give logical or/and).
  if (d === 'bool' && op !== 'maximum' && op !== 'minimum') return 'int32';
  return d;
}

function asArray(x: Operand): NDArray {
  return typeof x === 'number' ? new NDArray(new Float64Array([x]), []) : x;
}

function checkIntegerPower(b: Operand, dtype: DType, op: BinaryOp): void {
  if (op !== 'pow' || isFloat(dtype)) return;
  const negative = typeof b === 'number' ? b < 0 : b.data.some((v) => v < 0);
  if (negative) throw new Error('Integers to negative integer powers are not allowed.');
}

/** `a op b` with broadcasting into a new array. */
export function binary(a: Operand, b: Operand, op: BinaryOp): NDArray {
  const dtype = resultDType(a, b, op);
  checkIntegerPower(b, dtype, op);
  const A = asArray(a);
  const B = asArray(b);
  const shape = sameShape(A.shape, B.shape) ? A.shape : broadcastShapes(A.shape, B.shape);
  // every element is written, by `arithmetic` or by `loop`
  const out = new NDArray(allocateEmpty(dtype, sizeOf(shape)), shape, dtype);
  if (
    !arithmetic(out.data, A.data, B.data, op) &&
    !broadcastArithmetic(out.data, shape, A, B, op)
  ) {
    loop(out.data, shape, A, B, BINARY[op]);
  }
  return out;
}

/**
 * The two broadcasts a network runs every layer, as plain loops like `arithmetic`: a row `b`
 * (shape (M,) or (1, …, 1, M)) against every row of `a` — Affine's bias — and a column `b` (N, 1)
 * against (N, M) — softmax's row maxima and sums. `a` has the output's size. Returns false for
 * any other case. Results are those of the general loop.
 */
function broadcastArithmetic(
  out: TypedArray,
  shape: readonly number[],
  a: NDArray,
  b: NDArray,
  op: BinaryOp,
): boolean {
  const n = out.length;
  const x = a.data;
  const y = b.data;
  const nd = shape.length;
  if (n === 0 || x.length !== n || nd === 0) return false;
  const M = shape[nd - 1];
  const row =
    y.length === M &&
    b.shape[b.ndim - 1] === M &&
    b.shape.every((d, i) => d === 1 || i === b.ndim - 1);
  const column = !row && nd === 2 && b.ndim === 2 && b.shape[0] === shape[0] && b.shape[1] === 1;
  if (!row && !column) return false;
  // y index of output element (r, j): j for a row, r for a column
  for (let o = 0, r = 0; o < n; o += M, r++) {
    switch (op) {
      case 'add':
        if (row) for (let j = 0; j < M; j++) out[o + j] = x[o + j] + y[j];
        else for (let j = 0, v = y[r]; j < M; j++) out[o + j] = x[o + j] + v;
        break;
      case 'sub':
        if (row) for (let j = 0; j < M; j++) out[o + j] = x[o + j] - y[j];
        else for (let j = 0, v = y[r]; j < M; j++) out[o + j] = x[o + j] - v;
        break;
      case 'mul':
        if (row) for (let j = 0; j < M; j++) out[o + j] = x[o + j] * y[j];
        else for (let j = 0, v = y[r]; j < M; j++) out[o + j] = x[o + j] * v;
        break;
      case 'div':
        if (row) for (let j = 0; j < M; j++) out[o + j] = x[o + j] / y[j];
        else for (let j = 0, v = y[r]; j < M; j++) out[o + j] = x[o + j] / v;
        break;
      case 'right':
        if (row) for (let j = 0; j < M; j++) out[o + j] = y[j];
        else for (let j = 0, v = y[r]; j < M; j++) out[o + j] = v;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * The four arithmetic operations on same-size operands or an array and a scalar, as plain loops:
 * the general loop calls a closure per element, which costs more than the arithmetic (a profile
 * of the chapter 5 training loop showed it). Returns false for the cases it does not take.
 * Results are those of the general loop: the same expression, stored the same way.
 */
function arithmetic(out: TypedArray, x: TypedArray, y: TypedArray, op: BinaryOp): boolean {
  const n = out.length;
  if (x.length === n && y.length === n) {
    switch (op) {
      case 'add':
        for (let i = 0; i < n; i++) out[i] = x[i] + y[i];
        return true;
      case 'sub':
        for (let i = 0; i < n; i++) out[i] = x[i] - y[i];
        return true;
      case 'mul':
        for (let i = 0; i < n; i++) out[i] = x[i] * y[i];
        return true;
      case 'div':
        for (let i = 0; i < n; i++) out[i] = x[i] / y[i];
        return true;
      default:
        return false;
    }
  }
  if (y.length === 1 && x.length === n) {
    const v = y[0];
    switch (op) {
      case 'add':
        for (let i = 0; i < n; i++) out[i] = x[i] + v;
        return true;
      case 'sub':
        for (let i = 0; i < n; i++) out[i] = x[i] - v;
        return true;
      case 'mul':
        for (let i = 0; i < n; i++) out[i] = x[i] * v;
        return true;
      case 'div':
        for (let i = 0; i < n; i++) out[i] = x[i] / v;
        return true;
      default:
        return false;
    }
  }
  return false;
}

/**
 * `out = a op b`, where `out` already has the broadcast shape (the in-place operations pass
 * `out === a`). The value is converted to out's dtype as NumPy's casting assignment does.
 */
export function binaryInto(out: NDArray, a: NDArray, b: Operand, op: BinaryOp): void {
  const B = asArray(b);
  const shape = broadcastShapes(a.shape, B.shape);
  if (!sameShape(shape, out.shape)) {
    throw new Error(
      `non-broadcastable output operand with shape ${formatShape(out.shape)} doesn't match the broadcast shape ${formatShape(shape)}`,
    );
  }
  const f = BINARY[op];
  if (op === 'right' && out.dtype !== 'bool' && tileInto(out.data, shape, B)) return;
  if (out.dtype === 'bool') {
    loop(out.data, shape, a, B, (x, y) => (f(x, y) !== 0 ? 1 : 0));
  } else if (
    !arithmetic(out.data, a.data, B.data, op) &&
    !broadcastArithmetic(out.data, shape, a, B, op)
  ) {
    loop(out.data, shape, a, B, f);
  }
}

/**
 * `out[…] = b` when b broadcasts as a block repeated along the leading axes (a bias row over a
 * batch, a scalar): b is copied once and the filled part doubled with copyWithin, a memmove per
 * step instead of an indexed store per element. The typed arrays convert on store exactly as the
 * element loop does. Returns false for other broadcasts.
 */
function tileInto(out: TypedArray, shape: readonly number[], b: NDArray): boolean {
  const m = b.data.length;
  const n = out.length;
  if (n === 0) return true;
  if (m === 0 || n % m !== 0) return false;
  let lead = 0;
  while (lead < b.ndim && b.shape[lead] === 1) lead++;
  const block = b.shape.slice(lead);
  if (!sameShape(block, shape.slice(shape.length - block.length))) return false;
  if (m === 1) {
    out.fill(b.data[0]);
    return true;
  }
  out.set(b.data.buffer === out.buffer ? b.data.slice() : b.data, 0);
  for (let filled = m; filled < n; filled *= 2)
    out.copyWithin(filled, 0, Math.min(filled, n - filled));
  return true;
}

/** Fills `out` (of `shape`) with f(a, b), reading a and b through broadcast strides. */
function loop(out: TypedArray, shape: readonly number[], a: NDArray, b: NDArray, f: Fn2): void {
  const n = out.length;
  const x = a.data;
  const y = b.data;
  if (x.length === n && y.length === n) {
    for (let i = 0; i < n; i++) out[i] = f(x[i], y[i]);
    return;
  }
  if (y.length === 1 && x.length === n) {
    const v = y[0];
    for (let i = 0; i < n; i++) out[i] = f(x[i], v);
    return;
  }
  if (x.length === 1 && y.length === n) {
    const v = x[0];
    for (let i = 0; i < n; i++) out[i] = f(v, y[i]);
    return;
  }
  if (n === 0) return;
  // General case: walk the output in row-major order, the innermost axis in a tight loop.
  const nd = shape.length;
  const sa = broadcastStrides(a.shape, shape);
  const sb = broadcastStrides(b.shape, shape);
  const inner = shape[nd - 1];
  const ia = sa[nd - 1];
  const ib = sb[nd - 1];
  const counter = new Array<number>(nd).fill(0);
  let offA = 0;
  let offB = 0;
  for (let o = 0; o < n; o += inner) {
    for (let j = 0, pa = offA, pb = offB; j < inner; j++, pa += ia, pb += ib) {
      out[o + j] = f(x[pa], y[pb]);
    }
    // advance the outer counters like an odometer
    for (let axis = nd - 2; axis >= 0; axis--) {
      counter[axis]++;
      offA += sa[axis];
      offB += sb[axis];
      if (counter[axis] < shape[axis]) break;
      offA -= sa[axis] * shape[axis];
      offB -= sb[axis] * shape[axis];
      counter[axis] = 0;
    }
  }
}

const UNARY: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  tanh: Math.tanh,
  sin: Math.sin,
  cos: Math.cos,
  abs: Math.abs,
  not: (x) => (x === 0 ? 1 : 0),
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
  floor: Math.floor,
  // NumPy rounds half to even.
  round: (x) => {
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
};

const FLOAT_UNARY = new Set<UnaryOp>(['exp', 'log', 'sqrt', 'tanh', 'sin', 'cos']);

/** `op(a)` elementwise into a new array. */
export function unary(a: NDArray, op: UnaryOp): NDArray {
  let dtype: DType = a.dtype;
  if (op === 'not') dtype = 'bool';
  else if (FLOAT_UNARY.has(op)) dtype = floatResult(a.dtype);
  else if (a.dtype === 'bool') dtype = 'int32';
  const out = allocateEmpty(dtype, a.size);
  const f = UNARY[op];
  const x = a.data;
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
  return new NDArray(out, a.shape, dtype);
}

/** `np.clip(a, min, max)`. */
export function clip(a: NDArray, min: number, max: number): NDArray {
  const dtype = promoteScalar(promoteScalar(a.dtype, min), max);
  const out = allocate(dtype, a.size);
  const x = a.data;
  for (let i = 0; i < x.length; i++) out[i] = x[i] < min ? min : x[i] > max ? max : x[i];
  return new NDArray(out, a.shape, dtype);
}

/** A copy converted to `dtype`. */
export function astype(a: NDArray, dtype: DType): NDArray {
  const out = allocate(dtype, a.size);
  if (dtype === 'bool') {
    for (let i = 0; i < a.size; i++) out[i] = a.data[i] !== 0 ? 1 : 0;
  } else {
    // TypedArray.set converts like a C cast: floats truncate toward zero into integer storage.
    out.set(a.data);
  }
  return new NDArray(out, a.shape, dtype);
}

/** Permutes axes into a new contiguous array (reversed when `axes` is omitted). */
export function transpose(a: NDArray, axes?: readonly number[]): NDArray {
  const nd = a.ndim;
  const perm = axes ? normalizeAxes(axes, nd) : [...Array(nd).keys()].reverse();
  if (perm.length !== nd) throw new Error("axes don't match array");
  const shape = perm.map((p) => a.shape[p]);
  const out = allocate(a.dtype, a.size);
  const src = a.data;
  if (nd === 2 && perm[0] === 1) {
    // (R, C) → (C, R) in 32×32 tiles so both sides stay in cache.
    const [R, C] = a.shape;
    const T = 32;
    for (let r0 = 0; r0 < R; r0 += T) {
      for (let c0 = 0; c0 < C; c0 += T) {
        const rEnd = Math.min(r0 + T, R);
        const cEnd = Math.min(c0 + T, C);
        for (let r = r0; r < rEnd; r++)
          for (let c = c0; c < cEnd; c++) out[c * R + r] = src[r * C + c];
      }
    }
    return new NDArray(out, shape, a.dtype);
  }
  if (a.size > 0) {
    const inStrides = stridesOf(a.shape);
    const st = perm.map((p) => inStrides[p]); // input stride of each output axis
    const counter = new Array<number>(nd).fill(0);
    let off = 0;
    for (let o = 0; o < a.size; o++) {
      out[o] = src[off];
      for (let axis = nd - 1; axis >= 0; axis--) {
        counter[axis]++;
        off += st[axis];
        if (counter[axis] < shape[axis]) break;
        off -= st[axis] * shape[axis];
        counter[axis] = 0;
      }
    }
  }
  return new NDArray(out, shape, a.dtype);
}
