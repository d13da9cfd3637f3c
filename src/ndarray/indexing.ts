// NumPy indexing: integers, slices, masks and integer arrays (advanced indexing), for reading
// (`x[...]`) and for in-place assignment (`x[...] = v`).
import { allocate, allocateEmpty } from './dtype.js';
import { NDArray, type Operand } from './ndarray.js';
import { broadcastShapes, broadcastStrides, formatShape, sizeOf, stridesOf } from './shape.js';
import { kernels } from './kernels/index.js';

/** A Python slice `start:stop:step`; omitted parts take NumPy's defaults. */
export interface Slice {
  start?: number | null;
  stop?: number | null;
  step?: number | null;
}

/**
 * One index of `x[...]`: an integer; a slice string (`':'`, `'1:3'`, `'::-1'`) or Slice object;
 * `null` (same as `':'`); `'...'` (Ellipsis); an integer array or number[]; a bool array (mask).
 */
export type Index = number | string | null | Slice | NDArray | readonly number[];

/** `slice(start, stop, step)`, Python's builtin, for use as an index. */
export function slice(start?: number | null, stop?: number | null, step?: number | null): Slice {
  return { start, stop, step };
}

function parseSlice(text: string): Slice {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3)
    throw new Error(`index: expected a slice like '1:3', got '${text}'`);
  const num = (p: string | undefined) => {
    if (p === undefined || p.trim() === '') return null;
    const v = Number(p);
    if (!Number.isInteger(v))
      throw new Error(`index: expected integers in slice '${text}', got '${p}'`);
    return v;
  };
  return { start: num(parts[0]), stop: num(parts[1]), step: num(parts[2]) };
}

/** The positions a slice selects along an axis of length `n` (Python's slice.indices). */
function slicePositions(s: Slice, n: number): number[] {
  const step = s.step ?? 1;
  if (step === 0) throw new Error('slice step cannot be zero');
  const clampIndex = (v: number, lo: number, hi: number) => {
    if (v < 0) v += n;
    return Math.min(Math.max(v, lo), hi);
  };
  let start: number;
  let stop: number;
  if (step > 0) {
    start = s.start == null ? 0 : clampIndex(s.start, 0, n);
    stop = s.stop == null ? n : clampIndex(s.stop, 0, n);
  } else {
    start = s.start == null ? n - 1 : clampIndex(s.start, -1, n - 1);
    stop = s.stop == null ? -1 : clampIndex(s.stop, -1, n - 1);
  }
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

type Normalised =
  | { kind: 'int'; axis: number; value: number }
  | { kind: 'slice'; axis: number; positions: number[] }
  | { kind: 'array'; axis: number; array: NDArray };

function checkInt(i: number, axis: number, n: number): number {
  if (!Number.isInteger(i))
    throw new Error(`index: expected an integer index on axis ${axis}, got ${i}`);
  if (i < -n || i >= n)
    throw new Error(`index ${i} is out of bounds for axis ${axis} with size ${n}`);
  return i < 0 ? i + n : i;
}

/** Nonzero coordinates of a bool array, one int32 array per dimension (np.nonzero). */
export function nonzero(mask: NDArray): NDArray[] {
  let count = 0;
  for (let i = 0; i < mask.size; i++) if (mask.data[i] !== 0) count++;
  const coords = mask.shape.map(() => new Int32Array(count));
  const strides = stridesOf(mask.shape);
  let k = 0;
  for (let i = 0; i < mask.size; i++) {
    if (mask.data[i] === 0) continue;
    let rem = i;
    for (let d = 0; d < mask.ndim; d++) {
      coords[d][k] = Math.floor(rem / strides[d]);
      rem -= coords[d][k] * strides[d];
    }
    k++;
  }
  return coords.map((c) => new NDArray(c, [count]));
}

/** Turns the user's indices into one entry per consumed axis, expanding masks and Ellipsis. */
function normalise(a: NDArray, indices: readonly Index[]): Normalised[] {
  const consumed = indices.reduce<number>((n, ix) => {
    if (ix === '...') return n;
    if (ix instanceof NDArray && ix.dtype === 'bool') return n + ix.ndim;
    return n + 1;
  }, 0);
  if (consumed > a.ndim) {
    throw new Error(
      `too many indices for array: array is ${a.ndim}-dimensional, but ${consumed} were indexed`,
    );
  }
  const out: Normalised[] = [];
  let axis = 0;
  for (const ix of indices) {
    if (ix === '...') {
      for (let k = 0; k < a.ndim - consumed; k++, axis++) {
        out.push({ kind: 'slice', axis, positions: slicePositions({}, a.shape[axis]) });
      }
    } else if (ix instanceof NDArray && ix.dtype === 'bool') {
      for (let d = 0; d < ix.ndim; d++) {
        if (ix.shape[d] !== a.shape[axis + d]) {
          throw new Error(
            `boolean index did not match indexed array along axis ${axis + d}; ` +
              `size of axis is ${a.shape[axis + d]} but size of corresponding boolean axis is ${ix.shape[d]}`,
          );
        }
      }
      for (const c of nonzero(ix)) out.push({ kind: 'array', axis: axis++, array: c });
    } else if (ix instanceof NDArray || Array.isArray(ix)) {
      const arr =
        ix instanceof NDArray
          ? ix
          : new NDArray(Float64Array.from(ix as number[]), [(ix as number[]).length]);
      if (arr.isFloat && arr.data.some((v) => !Number.isInteger(v))) {
        throw new Error('arrays used as indices must be of integer (or boolean) type');
      }
      const n = a.shape[axis];
      const fixed = new Int32Array(arr.size);
      for (let i = 0; i < arr.size; i++) fixed[i] = checkInt(arr.data[i], axis, n);
      out.push({ kind: 'array', axis: axis++, array: new NDArray(fixed, arr.shape) });
    } else if (typeof ix === 'number') {
      out.push({ kind: 'int', axis, value: checkInt(ix, axis, a.shape[axis]) });
      axis++;
    } else {
      const s = ix === null ? {} : typeof ix === 'string' ? parseSlice(ix) : (ix as Slice);
      out.push({ kind: 'slice', axis, positions: slicePositions(s, a.shape[axis]) });
      axis++;
    }
  }
  for (; axis < a.ndim; axis++)
    out.push({ kind: 'slice', axis, positions: slicePositions({}, a.shape[axis]) });
  return out;
}

interface Selection {
  shape: number[];
  /** flat offset into the source of each result element, in result order */
  offsets: Int32Array;
}

/** Computes the result shape and source offsets of `a[indices]` under NumPy's rules. */
function select(a: NDArray, indices: readonly Index[]): Selection {
  const norm = normalise(a, indices);
  const strides = stridesOf(a.shape);
  const hasArray = norm.some((n) => n.kind === 'array');
  // With advanced indices present, integers act as 0-d index arrays.
  const adv = norm.filter((n) => n.kind === 'array' || (hasArray && n.kind === 'int'));
  const advArrays = adv.map((n) =>
    n.kind === 'array'
      ? n.array
      : new NDArray(new Int32Array([(n as { value: number }).value]), []),
  );
  const bShape = hasArray ? broadcastShapes(...advArrays.map((x) => x.shape)) : [];
  const bSize = sizeOf(bShape);
  const advAxes = adv.map((n) => n.axis);
  const contiguous = advAxes.every((ax, i) => i === 0 || ax === advAxes[i - 1] + 1);

  // Each result axis reads either a slice of one input axis or one axis of the broadcast index shape.
  type ResultAxis = { len: number; basic?: { stride: number; positions: number[] } };
  const resultAxes: ResultAxis[] = [];
  const advBlock: ResultAxis[] = bShape.map((len) => ({ len }));
  let baseOffset = 0;
  let placed = false;
  for (const n of norm) {
    if (n.kind === 'slice') {
      resultAxes.push({
        len: n.positions.length,
        basic: { stride: strides[n.axis], positions: n.positions },
      });
    } else if (n.kind === 'int' && !hasArray) {
      baseOffset += n.value * strides[n.axis];
    } else if (!placed && contiguous) {
      resultAxes.push(...advBlock);
      placed = true;
    }
  }
  if (hasArray && !contiguous) resultAxes.unshift(...advBlock);

  // Flat source offset contributed by each element of the broadcast index shape.
  const advOffset = new Int32Array(bSize);
  advArrays.forEach((arr, k) => {
    const st = broadcastStrides(arr.shape, bShape);
    const axisStride = strides[advAxes[k]];
    for (let i = 0; i < bSize; i++) {
      let rem = i;
      let off = 0;
      for (let d = bShape.length - 1; d >= 0; d--) {
        const c = rem % bShape[d];
        rem = (rem - c) / bShape[d];
        off += c * st[d];
      }
      advOffset[i] += arr.data[off] * axisStride;
    }
  });

  const shape = resultAxes.map((r) => r.len);
  const size = sizeOf(shape);
  const offsets = new Int32Array(size);
  const nd = shape.length;
  const counter = new Array<number>(nd).fill(0);
  for (let o = 0; o < size; o++) {
    let off = baseOffset;
    let b = 0;
    for (let d = 0; d < nd; d++) {
      const r = resultAxes[d];
      if (r.basic) off += r.basic.positions[counter[d]] * r.basic.stride;
      else b = b * r.len + counter[d];
    }
    offsets[o] = off + (hasArray ? advOffset[b] : 0);
    for (let d = nd - 1; d >= 0; d--) {
      if (++counter[d] < shape[d]) break;
      counter[d] = 0;
    }
  }
  return { shape, offsets };
}

/**
 * Integers and slices only (no index arrays): the selection is a set of contiguous runs, copied
 * run by run — `x.index('0:100')` on (60000, 784) copies one block. Undefined for other indices.
 */
function basicIndex(a: NDArray, indices: readonly Index[]): NDArray | undefined {
  if (indices.some((ix) => ix instanceof NDArray || Array.isArray(ix))) return undefined;
  const norm = normalise(a, indices);
  const strides = stridesOf(a.shape);
  const positions = norm.map((n) =>
    n.kind === 'slice' ? n.positions : [(n as { value: number }).value],
  );
  const shape = norm
    .filter((n) => n.kind === 'slice')
    .map((n) => (n as { positions: number[] }).positions.length);
  const consecutive = (p: number[]) => p.every((v, i) => i === 0 || v === p[i - 1] + 1);
  // Trailing axes taken whole form one block; the axis before them extends it when its positions
  // are consecutive.
  let k = a.ndim;
  let run = 1;
  while (k > 0 && positions[k - 1].length === a.shape[k - 1] && consecutive(positions[k - 1]))
    run *= a.shape[--k];
  let runAxisStart = 0;
  if (k > 0 && consecutive(positions[k - 1])) {
    runAxisStart = (positions[k - 1][0] ?? 0) * strides[k - 1];
    run *= positions[--k].length;
  }
  const out = allocate(a.dtype, sizeOf(shape));
  if (out.length === 0) return new NDArray(out, shape, a.dtype);
  const counter = new Array<number>(k).fill(0);
  for (let o = 0; o < out.length; o += run) {
    let off = runAxisStart;
    for (let d = 0; d < k; d++) off += positions[d][counter[d]] * strides[d];
    out.set(a.data.subarray(off, off + run), o);
    for (let d = k - 1; d >= 0; d--) {
      if (++counter[d] < positions[d].length) break;
      counter[d] = 0;
    }
  }
  return new NDArray(out, shape, a.dtype);
}

/** `a[indices]` as a new array. */
export function getIndex(a: NDArray, indices: readonly Index[]): NDArray {
  // Fast path for row selection x[batchMask]: whole rows copied at once.
  const first = indices[0];
  if (
    indices.length === 1 &&
    a.ndim >= 1 &&
    (Array.isArray(first) ||
      (first instanceof NDArray && first.dtype !== 'bool' && first.ndim === 1))
  ) {
    return takeRows(a, first as NDArray | readonly number[]);
  }
  const basic = basicIndex(a, indices);
  if (basic) return basic;
  const { shape, offsets } = select(a, indices);
  const out = allocate(a.dtype, offsets.length);
  const src = a.data;
  for (let i = 0; i < offsets.length; i++) out[i] = src[offsets[i]];
  return new NDArray(out, shape, a.dtype);
}

function takeRows(a: NDArray, rows: NDArray | readonly number[]): NDArray {
  if (rows instanceof NDArray && rows.dtype === 'uint8' && a.ndim === 1 && a.shape[0] >= 256) {
    // table[x] for a uint8 x (bytes through a table, as images are scaled): every byte is in
    // range, so no index needs checking
    const out = allocateEmpty(a.dtype, rows.size);
    kernels().lookupBytes(a.data, rows.data as Uint8Array, out);
    return new NDArray(out, rows.shape, a.dtype);
  }
  const { checked, rowSize, shape } = rowSelection(a, rows);
  const out = allocateEmpty(a.dtype, checked.length * rowSize); // every row is copied in
  kernels().takeRows(a.data, checked, rowSize, out);
  return new NDArray(out, shape, a.dtype);
}

/** The rows of `a` that a[rows] selects (checked, negative ones counted from the end). */
function rowSelection(
  a: NDArray,
  rows: NDArray | readonly number[],
): { checked: Int32Array; rowSize: number; shape: number[] } {
  const list = rows instanceof NDArray ? rows.data : rows;
  if (rows instanceof NDArray && rows.isFloat && list.some((v) => !Number.isInteger(v))) {
    throw new Error('arrays used as indices must be of integer (or boolean) type');
  }
  const n = a.shape[0];
  const rowSize = a.size / Math.max(n, 1) || sizeOf(a.shape.slice(1));
  const checked = new Int32Array(list.length);
  for (let i = 0; i < list.length; i++) checked[i] = checkInt(list[i], 0, n);
  const lead = rows instanceof NDArray ? rows.shape : [list.length];
  return { checked, rowSize, shape: [...lead, ...a.shape.slice(1)] };
}

/**
 * `a.take(rows, 0)` (rows of integers) begun in the background where the kernels can — the wasm
 * backend on more than one thread gathers on a worker while the caller goes on — and finished by
 * the returned function, which returns the rows. The result is out of reach until then; `a` must
 * not be written in between. With `sparse` (the rows are a mostly-zero input, such as images,
 * for a first Affine layer), the kernels may compress the rows on the way, for packSparse to
 * return that pack for the result: it must not be written before. A training loop's next
 * mini-batch, gathered during this iteration.
 */
export function takeAhead(a: NDArray, rows: NDArray, sparse = false): () => NDArray {
  const k = kernels();
  if (!k.takeRowsAhead || a.ndim === 0 || rows.dtype === 'bool') return () => a.take(rows, 0);
  const { checked, rowSize, shape } = rowSelection(a, rows);
  const out = allocateEmpty(a.dtype, checked.length * rowSize);
  const finish = k.takeRowsAhead(a.data, checked, rowSize, out, sparse);
  const result = new NDArray(out, shape, a.dtype);
  return () => {
    finish();
    return result;
  };
}

/** In place `a[indices] = value`, value broadcast to the selection's shape. */
export function setIndex(a: NDArray, indices: readonly Index[], value: Operand): void {
  const first = indices[0];
  const fill = (v: number) => (a.dtype === 'bool' ? (v !== 0 ? 1 : 0) : v);
  // Fast path for x[mask] = v with a mask of x's own shape.
  if (
    indices.length === 1 &&
    first instanceof NDArray &&
    first.dtype === 'bool' &&
    typeof value === 'number'
  ) {
    if (
      first.size === a.size &&
      first.ndim === a.ndim &&
      first.shape.every((d, i) => d === a.shape[i])
    ) {
      const v = fill(value);
      for (let i = 0; i < a.size; i++) if (first.data[i] !== 0) a.data[i] = v;
      return;
    }
  }
  const { shape, offsets } = select(a, indices);
  if (typeof value === 'number') {
    const v = fill(value);
    for (let i = 0; i < offsets.length; i++) a.data[offsets[i]] = v;
    return;
  }
  let target: readonly number[];
  try {
    target = broadcastShapes(value.shape, shape);
  } catch {
    target = [];
  }
  if (target.length !== shape.length || !target.every((d, i) => d === shape[i])) {
    throw new Error(
      `shape mismatch: value array of shape ${formatShape(value.shape)} could not be broadcast to indexing result of shape ${formatShape(shape)}`,
    );
  }
  const st = broadcastStrides(value.shape, shape);
  const nd = shape.length;
  const counter = new Array<number>(nd).fill(0);
  let off = 0;
  for (let i = 0; i < offsets.length; i++) {
    a.data[offsets[i]] = fill(value.data[off]);
    for (let d = nd - 1; d >= 0; d--) {
      counter[d]++;
      off += st[d];
      if (counter[d] < shape[d]) break;
      off -= st[d] * shape[d];
      counter[d] = 0;
    }
  }
}

/**
 * Rows [start, stop) of `a` along axis 0 as a view that shares a's storage, as NumPy's
 * `a[start:stop]` is (`a.index('start:stop')` copies): for walking a dataset in batches without
 * copying each one. Writes through the view change `a`.
 * @example
 * const batch = rowsView(xTest, 100, 200); // (100, 784), no copy
 */
export function rowsView(a: NDArray, start: number, stop: number): NDArray {
  if (a.ndim === 0) {
    throw new Error('rowsView: expected an array with at least one axis, got a 0-d array');
  }
  const n = a.shape[0];
  if (!(
    Number.isInteger(start) &&
    Number.isInteger(stop) &&
    0 <= start &&
    start <= stop &&
    stop <= n
  )) {
    throw new Error(
      `rowsView: expected 0 ≤ start ≤ stop ≤ ${n} (integers) for an array of shape ${formatShape(a.shape)}, got ${start} and ${stop}`,
    );
  }
  const row = sizeOf(a.shape.slice(1));
  return new NDArray(
    a.data.subarray(start * row, stop * row),
    [stop - start, ...a.shape.slice(1)],
    a.dtype,
  );
}

/** `np.take(a, indices, axis)`. */
export function take(a: NDArray, indices: NDArray | readonly number[], axis = 0): NDArray {
  const ax = axis < 0 ? axis + a.ndim : axis;
  if (ax === 0) return takeRows(a, indices);
  const spec: Index[] = [];
  for (let i = 0; i < ax; i++) spec.push(null);
  spec.push(indices);
  return getIndex(a, spec);
}
