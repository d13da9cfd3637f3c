// IDX files (the format MNIST and Fashion-MNIST ship in): parse and serialize, bytes in and out;
// gzip input is inflated with fflate. Magic 0x00000803 = ubyte, 3 dims (images); 0x00000801 labels.

import { gunzipSync } from 'fflate';
import { NDArray } from '../ndarray/ndarray.js';
import { allocate, type DType } from '../ndarray/dtype.js';

interface IdxType {
  code: number;
  name: string;
  itemsize: number;
  dtype: DType;
}

// Byte 2 of the magic number: the element type. All multi-byte values are big-endian.
const TYPES: readonly IdxType[] = [
  { code: 0x08, name: 'unsigned byte', itemsize: 1, dtype: 'uint8' },
  { code: 0x09, name: 'signed byte', itemsize: 1, dtype: 'int32' },
  { code: 0x0b, name: 'short', itemsize: 2, dtype: 'int32' },
  { code: 0x0c, name: 'int', itemsize: 4, dtype: 'int32' },
  { code: 0x0d, name: 'float', itemsize: 4, dtype: 'float32' },
  { code: 0x0e, name: 'double', itemsize: 8, dtype: 'float64' },
];

const hex = (v: number): string => `0x${v.toString(16).padStart(8, '0')}`;

/** What `n` elements of this shape are, in words: "10000 labels", "60000 images of 28×28". */
function describe(dims: readonly number[]): string {
  if (dims.length === 1) return `${dims[0]} labels`;
  if (dims.length === 3) return `${dims[0]} images of ${dims[1]}×${dims[2]}`;
  return `shape (${dims.join(', ')})`;
}

/**
 * Parses the bytes of an IDX file (gzip-compressed or not) into an NDArray with the file's
 * dimensions: unsigned bytes stay uint8; signed bytes, shorts and ints become int32; floats
 * float32; doubles float64. Checks the magic number, the dimensions and the length, and names the
 * file in every error.
 * @param bytes the whole file
 * @param name the file name used in error messages
 * @returns e.g. (60000, 28, 28) uint8 for `train-images-idx3-ubyte`, (60000,) for its labels
 * @example
 * parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 5, 7])).data; // Uint8Array [5, 7]
 */
export function parseIdx(bytes: Uint8Array, name = 'idx'): NDArray {
  const where = `'${name}'`;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new Error(
        `${where}: expected gzip data (it starts with 1f 8b), got a damaged stream (${why})`,
        { cause: e },
      );
    }
  }
  if (bytes.length < 4) {
    throw new Error(
      `${where}: expected a 4-byte IDX magic number, got a file of ${bytes.length} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = TYPES.find((t) => t.code === bytes[2]);
  const ndim = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0 || type === undefined || ndim === 0) {
    throw new Error(
      `${where}: expected an IDX magic number 0x00000TNN (T a type 08/09/0b/0c/0d/0e, ` +
        `NN ≥ 1 dimensions; MNIST uses 0x00000803 for images and 0x00000801 for labels), got ${hex(magic)}`,
    );
  }
  const headerLen = 4 + 4 * ndim;
  if (bytes.length < headerLen) {
    throw new Error(
      `${where}: expected ${headerLen} header bytes for ${ndim} dimensions, got ${bytes.length}`,
    );
  }
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const n = dims.reduce((a, b) => a * b, 1);
  const expected = headerLen + n * type.itemsize;
  if (bytes.length !== expected) {
    throw new Error(
      `${where}: expected ${expected} bytes for ${describe(dims)}, got ${bytes.length}` +
        (bytes.length < expected ? ' (truncated)' : ''),
    );
  }
  const data = allocate(type.dtype, n);
  if (type.itemsize === 1 && type.dtype === 'uint8') {
    data.set(bytes.subarray(headerLen));
  } else {
    for (let i = 0, o = headerLen; i < n; i++, o += type.itemsize) {
      switch (type.code) {
        case 0x09:
          data[i] = view.getInt8(o);
          break;
        case 0x0b:
          data[i] = view.getInt16(o, false);
          break;
        case 0x0c:
          data[i] = view.getInt32(o, false);
          break;
        case 0x0d:
          data[i] = view.getFloat32(o, false);
          break;
        default:
          data[i] = view.getFloat64(o, false);
      }
    }
  }
  return new NDArray(data, dims, type.dtype);
}

/**
 * Serializes an NDArray as the bytes of an IDX file: uint8 (and bool) as unsigned bytes, int32 as
 * ints, float32 as floats, float64 as doubles, big-endian — for making small data sets and tests.
 * @param a at least 1-D, e.g. images (N, rows, cols) or labels (N,)
 * @example
 * serializeIdx(new NDArray(new Uint8Array([5, 7]), [2])); // Uint8Array [0, 0, 8, 1, 0, 0, 0, 2, 5, 7]
 */
export function serializeIdx(a: NDArray): Uint8Array {
  if (a.ndim === 0 || a.ndim > 255) {
    throw new Error(`serializeIdx: expected 1 to 255 dimensions, got shape [${a.shape.join(',')}]`);
  }
  const code = { uint8: 0x08, bool: 0x08, int32: 0x0c, float32: 0x0d, float64: 0x0e }[a.dtype];
  const itemsize = TYPES.find((t) => t.code === code)?.itemsize ?? 1;
  const headerLen = 4 + 4 * a.ndim;
  const out = new Uint8Array(headerLen + a.size * itemsize);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = a.ndim;
  a.shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0, o = headerLen; i < a.size; i++, o += itemsize) {
    const v = a.data[i];
    if (code === 0x08) out[o] = v;
    else if (code === 0x0c) view.setInt32(o, v, false);
    else if (code === 0x0d) view.setFloat32(o, v, false);
    else view.setFloat64(o, v, false);
  }
  return out;
}
