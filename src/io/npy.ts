// NumPy .npy files (format 1.0, 2.0, 3.0): parse into NDArrays and serialize back, bytes in and out.
// The weights of the book's chapter 3 (`sample_weight.pkl`, re-saved as .npz) load through here.

import { NDArray } from '../ndarray/ndarray.js';
import { allocate, type DType, type TypedArray } from '../ndarray/dtype.js';

/** Options of {@link parseNpy}. */
export interface ParseNpyOptions {
  /** The file or entry name used in error messages. Default `'array.npy'`. */
  name?: string;
  /**
   * Where 64-bit integers (`<i8`, `<u8`, also `<u4`) go, since NDArray has no int64:
   * `'int32'` (default) keeps them integral and throws, naming the byte offset, when a value does
   * not fit; `'float64'` keeps every value up to 2^53 exactly.
   */
  int64?: 'int32' | 'float64';
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bytes per element of each dtype as stored in files (bool is one byte). */
export const ITEMSIZE: Readonly<Record<DType, number>> = {
  float64: 8,
  float32: 4,
  int32: 4,
  uint8: 1,
  bool: 1,
};

/**
 * Copies `n` little-endian elements of `dtype` from `src` into new storage (from the current
 * allocator); bool bytes other than 0 read as 1. Shared by the file formats under src/io.
 * @param src at least `n * ITEMSIZE[dtype]` bytes, any alignment
 */
export function typedFromBytes(src: Uint8Array, dtype: DType, n: number): TypedArray {
  const out = allocate(dtype, n);
  const size = n * ITEMSIZE[dtype];
  const bytes = new Uint8Array(out.buffer, out.byteOffset, size);
  bytes.set(src.subarray(0, size));
  if (!HOST_LITTLE_ENDIAN && ITEMSIZE[dtype] > 1) swapInPlace(bytes, ITEMSIZE[dtype]);
  if (dtype === 'bool') for (let i = 0; i < n; i++) if (out[i] > 1) out[i] = 1;
  return out;
}

/**
 * The first `n` elements of `data` as little-endian bytes: a view of the storage on little-endian
 * hosts (copy it before the array changes), a swapped copy elsewhere.
 */
export function bytesOfTyped(data: TypedArray, dtype: DType, n: number): Uint8Array {
  const view = new Uint8Array(data.buffer, data.byteOffset, n * ITEMSIZE[dtype]);
  if (HOST_LITTLE_ENDIAN || ITEMSIZE[dtype] === 1) return view;
  const copy = view.slice();
  swapInPlace(copy, ITEMSIZE[dtype]);
  return copy;
}

function swapInPlace(bytes: Uint8Array, itemsize: number): void {
  for (let i = 0; i < bytes.length; i += itemsize) {
    for (let a = i, b = i + itemsize - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The header is a Python dict literal, e.g. {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }
// A tiny parser for the literals np.save writes: dicts, tuples, lists, strings, ints, True/False/None.

type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

class HeaderSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

function parsePyLiteral(text: string): PyValue {
  let pos = 0;
  const skip = (): void => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  const fail = (what: string): never => {
    const got =
      pos < text.length ? JSON.stringify(text.slice(pos, pos + 20).trimEnd()) : 'end of header';
    throw new HeaderSyntaxError(`expected ${what}, got ${got}`, pos);
  };
  const expect = (ch: string): void => {
    skip();
    if (text[pos] !== ch) fail(`'${ch}'`);
    pos++;
  };
  // Items separated by commas, a trailing comma allowed; returns whether a comma followed the last.
  const sequence = (close: string, item: () => void): boolean => {
    let comma = false;
    for (;;) {
      skip();
      if (text[pos] === close) {
        pos++;
        return comma;
      }
      item();
      skip();
      comma = text[pos] === ',';
      if (comma) pos++;
      else if (text[pos] !== close) fail(`',' or '${close}'`);
    }
  };
  const value = (): PyValue => {
    skip();
    const ch = text[pos];
    if (ch === '{') {
      pos++;
      const dict: { [key: string]: PyValue } = Object.create(null) as { [key: string]: PyValue };
      sequence('}', () => {
        skip();
        const key = value();
        if (typeof key !== 'string') fail('a string key');
        expect(':');
        dict[key as string] = value();
      });
      return dict;
    }
    if (ch === '(' || ch === '[') {
      pos++;
      const items: PyValue[] = [];
      const comma = sequence(ch === '(' ? ')' : ']', () => items.push(value()));
      // `(5)` is just 5 in Python; `(5,)` is a tuple.
      return ch === '(' && items.length === 1 && !comma ? items[0] : items;
    }
    if (ch === "'" || ch === '"') {
      let s = '';
      pos++;
      while (pos < text.length && text[pos] !== ch) {
        if (text[pos] === '\\' && pos + 1 < text.length) pos++;
        s += text[pos++];
      }
      if (pos >= text.length) fail(`closing ${ch}`);
      pos++;
      return s;
    }
    const m = /^(-?\d+)L?|^(True|False|None)\b/.exec(text.slice(pos, pos + 40));
    if (!m) return fail('a Python literal');
    pos += m[0].length;
    if (m[1] !== undefined) return Number(m[1]);
    return m[2] === 'True' ? true : m[2] === 'False' ? false : null;
  };
  const result = value();
  skip();
  if (pos < text.length) fail('end of header');
  return result;
}

// ---------------------------------------------------------------------------------------------
// dtypes: NumPy's descr ('<f8', '|u1', '>i4', ...) → how to read one element and what it becomes.

interface Decoder {
  /** Bytes per element in the file. */
  itemsize: number;
  /** The NDArray dtype it becomes. */
  dtype: DType;
  /** Whether the file stores the dtype's own little-endian layout (bytes can be copied as-is). */
  native: boolean;
  /** Whether values must be range-checked before they go into int32 storage. */
  narrow: boolean;
  /** Reads the element at byte `offset`. */
  read(view: DataView, offset: number, little: boolean): number;
}

function decoderFor(kind: string, size: number, int64: 'int32' | 'float64'): Decoder | undefined {
  const d = (itemsize: number, dtype: DType, native: boolean, read: Decoder['read']): Decoder => ({
    itemsize,
    dtype,
    native,
    narrow: false,
    read,
  });
  // 64-bit and uint32 values: int32 storage (range-checked by the caller) or float64.
  const w = (itemsize: number, read: Decoder['read']): Decoder => ({
    itemsize,
    dtype: int64 === 'float64' ? 'float64' : 'int32',
    native: false,
    narrow: int64 !== 'float64',
    read,
  });
  switch (`${kind}${size}`) {
    case 'f8':
      return d(8, 'float64', true, (v, o, l) => v.getFloat64(o, l));
    case 'f4':
      return d(4, 'float32', true, (v, o, l) => v.getFloat32(o, l));
    case 'f2':
      return d(2, 'float32', false, (v, o, l) => halfToNumber(v.getUint16(o, l)));
    case 'i4':
      return d(4, 'int32', true, (v, o, l) => v.getInt32(o, l));
    case 'i2':
      return d(2, 'int32', false, (v, o, l) => v.getInt16(o, l));
    case 'u2':
      return d(2, 'int32', false, (v, o, l) => v.getUint16(o, l));
    case 'i1':
      return d(1, 'int32', false, (v, o) => v.getInt8(o));
    case 'u1':
      return d(1, 'uint8', true, (v, o) => v.getUint8(o));
    case 'b1':
      return d(1, 'bool', true, (v, o) => (v.getUint8(o) === 0 ? 0 : 1));
    case 'u4':
      return w(4, (v, o, l) => v.getUint32(o, l));
    case 'i8':
      return w(8, (v, o, l) => Number(v.getBigInt64(o, l)));
    case 'u8':
      return w(8, (v, o, l) => Number(v.getBigUint64(o, l)));
    default:
      return undefined;
  }
}

/** IEEE 754 half precision bits → number. */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const DESCR: Readonly<Record<DType, string>> = {
  float64: '<f8',
  float32: '<f4',
  int32: '<i4',
  uint8: '|u1',
  bool: '|b1',
};

function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

function hexBytes(bytes: Uint8Array): string {
  return [...bytes].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('') || 'nothing';
}

/**
 * Rearranges Fortran-ordered (column-major) elements into C order for the same shape: the element
 * at index (i0, …, ik) sits at Σ i_j · (d0·…·d(j-1)) in `src`.
 */
function fortranToC<T extends TypedArray>(src: T, shape: readonly number[]): T {
  const n = src.length;
  const nd = shape.length;
  const dst = src.slice() as T;
  if (shape.filter((d) => d > 1).length < 2) return dst; // a vector reads the same both ways
  const fstride: number[] = [];
  let s = 1;
  for (const d of shape) {
    fstride.push(s);
    s *= d;
  }
  const idx = new Array<number>(nd).fill(0);
  let from = 0;
  for (let i = 0; i < n; i++) {
    dst[i] = src[from];
    for (let k = nd - 1; k >= 0; k--) {
      idx[k]++;
      from += fstride[k];
      if (idx[k] < shape[k]) break;
      from -= fstride[k] * shape[k];
      idx[k] = 0;
    }
  }
  return dst;
}

/**
 * Parses the bytes of a NumPy `.npy` file (format 1.0, 2.0 or 3.0) into an NDArray.
 * `<f8`/`<f4`/`<i4`/`|u1`/`|b1` keep their dtype; `<f2` becomes float32; `i1`, `i2`, `u2` become
 * int32; `i8`, `u8`, `u4` become int32 (or float64, see `int64`). Big-endian data is converted and
 * `fortran_order: True` is rearranged into C order. Errors name the file and the byte offset.
 * @param bytes the whole file
 * @returns an array with the file's shape (`()` gives shape `[]`)
 * @example
 * parseNpy(serializeNpy(new NDArray(new Float64Array([1, 2, 3]), [3]))).shape; // [3]
 */
export function parseNpy(bytes: Uint8Array, options: ParseNpyOptions = {}): NDArray {
  const { name = 'array.npy', int64 = 'int32' } = options;
  const where = `npy '${name}'`;
  const fail = (what: string, offset: number, got: string): never => {
    throw new Error(`${where}: expected ${what} at byte ${offset}, got ${got}`);
  };

  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) fail('magic \\x93NUMPY', 0, hexBytes(bytes.subarray(0, 6)));
  }
  if (bytes.length < 10) fail('a format version and header length', 6, `end of file`);
  const [major, minor] = [bytes[6], bytes[7]];
  if (![1, 2, 3].includes(major) || minor !== 0) {
    fail('format version 1.0, 2.0 or 3.0', 6, `${major}.${minor}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) fail('the header length', 8, 'end of file');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lenBytes;
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) {
    fail(
      `a header of ${headerLen} bytes`,
      headerStart,
      `${bytes.length - headerStart} (truncated)`,
    );
  }
  // 1.0 and 2.0 headers are latin-1, 3.0 headers UTF-8.
  const headerBytes = bytes.subarray(headerStart, dataStart);
  let text = '';
  if (major === 3) text = new TextDecoder('utf-8').decode(headerBytes);
  else for (const b of headerBytes) text += String.fromCharCode(b);
  const byteAt = (pos: number): number =>
    headerStart + (major === 3 ? new TextEncoder().encode(text.slice(0, pos)).length : pos);

  let header: PyValue;
  try {
    header = parsePyLiteral(text);
  } catch (e) {
    if (!(e instanceof HeaderSyntaxError)) throw e;
    const p = byteAt(e.pos);
    throw new Error(`${where}: header does not parse at byte ${p}: ${e.message}`, { cause: e });
  }
  const headerShape = "a header dict {'descr': ..., 'fortran_order': ..., 'shape': (...)}";
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    fail(headerShape, headerStart, JSON.stringify(text.trim().slice(0, 60)));
  }
  const dict = header as { [key: string]: PyValue };
  for (const key of ['descr', 'fortran_order', 'shape']) {
    if (!(key in dict)) fail(`${headerShape} with key '${key}'`, headerStart, text.trim());
  }
  const { descr, fortran_order: fortran, shape: rawShape } = dict;
  if (typeof fortran !== 'boolean') {
    fail("'fortran_order' True or False", headerStart, JSON.stringify(fortran));
  }
  const shapeOk = Array.isArray(rawShape) && rawShape.every((d) => typeof d === 'number' && d >= 0);
  if (!shapeOk) fail("'shape' a tuple of non-negative ints", headerStart, JSON.stringify(rawShape));
  const shape = rawShape as number[];

  const m = typeof descr === 'string' ? /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr) : null;
  const decoder = m ? decoderFor(m[2], Number(m[3]), int64) : undefined;
  if (!m || !decoder) {
    const supported = "'<f8', '<f4', '<f2', '<i8', '<i4', '<i2', '|i1', '<u8', '<u4', '<u2', '|u1'";
    fail(
      `a supported dtype (${supported}, '|b1', or '>' big-endian)`,
      headerStart,
      typeof descr === 'string' ? `'${descr}'` : `structured dtype ${JSON.stringify(descr)}`,
    );
  }
  const dec = decoder as Decoder;
  const little = (m as RegExpExecArray)[1] !== '>';

  const n = shape.reduce((a, b) => a * b, 1);
  const expected = n * dec.itemsize;
  const available = bytes.length - dataStart;
  if (available !== expected) {
    const what = `${expected} bytes of data for shape ${formatShape(shape)} '${descr as string}'`;
    fail(what, dataStart, `${available}${available < expected ? ' (truncated)' : ''}`);
  }

  let data: TypedArray;
  if (dec.native && (little || dec.itemsize === 1)) {
    data = typedFromBytes(bytes.subarray(dataStart), dec.dtype, n);
  } else {
    data = allocate(dec.dtype, n);
    for (let i = 0, o = dataStart; i < n; i++, o += dec.itemsize) {
      const v = dec.read(view, o, little);
      if (dec.narrow && (v < -2147483648 || v > 2147483647)) {
        // Number() rounds beyond 2^53; show the exact value.
        const exact =
          dec.itemsize === 8
            ? m?.[2] === 'u'
              ? view.getBigUint64(o, little)
              : view.getBigInt64(o, little)
            : v;
        const got = String(exact);
        fail(`an int32 value (element ${i}; int64: 'float64' reads it as float64)`, o, got);
      }
      data[i] = v;
    }
  }
  // Fortran order: the flat data is C order for the reversed shape; transpose it into C order.
  if (fortran) data = fortranToC(data, shape);
  return new NDArray(data, shape, dec.dtype);
}

/**
 * Serializes an NDArray as the bytes of a `.npy` file, byte for byte what `np.save` writes:
 * format 1.0 (2.0 when the header exceeds 65535 bytes), C order, little-endian, header padded
 * with spaces to a multiple of 64 bytes.
 * @param a any shape and dtype (bool as `|b1`, uint8 as `|u1`)
 * @example
 * serializeNpy(new NDArray(new Float64Array(6), [2, 3])).length; // 128 + 48
 */
export function serializeNpy(a: NDArray): Uint8Array {
  const dict = `{'descr': '${DESCR[a.dtype]}', 'fortran_order': False, 'shape': ${formatShape(a.shape)}, }`;
  // NumPy leaves room to grow the first axis in place (21 digits), then pads with spaces and a
  // newline so the data starts on a 64-byte boundary.
  const growth = a.shape.length > 0 ? Math.max(0, 21 - String(a.shape[0]).length) : 0;
  const hlen = dict.length + growth + 1;
  let prefix = 10;
  let headerLen = hlen + 64 - ((prefix + hlen) % 64);
  if (headerLen > 0xffff) {
    prefix = 12;
    headerLen = hlen + 64 - ((prefix + hlen) % 64);
  }
  const dataStart = prefix + headerLen;
  const out = new Uint8Array(dataStart + a.size * ITEMSIZE[a.dtype]);
  out.set(MAGIC, 0);
  out[6] = prefix === 10 ? 1 : 2;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (prefix === 10) view.setUint16(8, headerLen, true);
  else view.setUint32(8, headerLen, true);
  out.fill(0x20, prefix, dataStart - 1);
  for (let i = 0; i < dict.length; i++) out[prefix + i] = dict.charCodeAt(i);
  out[dataStart - 1] = 0x0a; // '\n'
  out.set(bytesOfTyped(a.data, a.dtype, a.size), dataStart);
  return out;
}
