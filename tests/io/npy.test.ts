// .npy parsing and serialization: round trips, hand-built files with known values, broken files.

import { describe, expect, it } from 'vitest';
import { NDArray } from '../../src/ndarray/ndarray.js';
import type { DType, TypedArray } from '../../src/ndarray/dtype.js';
import { parseNpy, serializeNpy } from '../../src/io/npy.js';

/** The bytes of a .npy file with this header text (padded as np.save does) and data. */
function npy(header: string, data: ArrayLike<number> = [], version = 1): Uint8Array {
  const prefix = version === 1 ? 10 : 12;
  let text = header;
  while ((prefix + text.length + 1) % 64 !== 0) text += ' ';
  text += '\n';
  const out = new Uint8Array(prefix + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  for (let i = 0; i < text.length; i++) out[prefix + i] = text.charCodeAt(i);
  out.set(data, prefix + text.length);
  return out;
}

/** Little-endian (or big-endian) bytes of numbers written with a DataView setter. */
function bytes(
  values: number[],
  size: number,
  set: (v: DataView, o: number, x: number) => void,
): number[] {
  const v = new DataView(new ArrayBuffer(values.length * size));
  values.forEach((x, i) => set(v, i * size, x));
  return [...new Uint8Array(v.buffer)];
}

const f8 = (xs: number[], little = true) => bytes(xs, 8, (v, o, x) => v.setFloat64(o, x, little));

const STORAGE: Record<DType, (n: number) => TypedArray> = {
  float64: (n) => new Float64Array(n),
  float32: (n) => new Float32Array(n),
  int32: (n) => new Int32Array(n),
  uint8: (n) => new Uint8Array(n),
  bool: (n) => new Uint8Array(n),
};

describe('serializeNpy / parseNpy round trip', () => {
  const shapes = [[], [0], [5], [2, 3], [2, 0, 3], [3, 1, 2, 2]];
  for (const dtype of ['float64', 'float32', 'int32', 'uint8', 'bool'] as DType[]) {
    for (const shape of shapes) {
      it(`${dtype} shape (${shape.join(', ')})`, () => {
        const n = shape.reduce((a, b) => a * b, 1);
        const data = STORAGE[dtype](n);
        for (let i = 0; i < n; i++) {
          data[i] = dtype === 'bool' ? i % 2 : dtype === 'uint8' ? i * 7 : (i - 3) * 1.5;
        }
        const a = new NDArray(data, shape, dtype);
        const b = parseNpy(serializeNpy(a));
        expect(b.dtype).toBe(dtype);
        expect(b.shape).toEqual(shape);
        expect(Array.from(b.data)).toEqual(Array.from(a.data));
      });
    }
  }

  it("writes np.save's header: descr, C order, shape tuple, 64-byte alignment", () => {
    const out = serializeNpy(new NDArray(new Float64Array(6), [2, 3]));
    const text = String.fromCharCode(...out.subarray(10, 128));
    expect(out.length).toBe(128 + 48);
    expect(out[8] + 256 * out[9]).toBe(118);
    expect(text.trimEnd()).toBe("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }");
    expect(text.endsWith('\n')).toBe(true);
    const scalar = serializeNpy(new NDArray(new Int32Array([7]), []));
    expect(String.fromCharCode(...scalar.subarray(10, 128))).toContain("'shape': ()");
    const vector = serializeNpy(new NDArray(new Uint8Array(3), [3], 'bool'));
    expect(String.fromCharCode(...vector.subarray(10, 128))).toContain(
      "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }",
    );
  });

  it('the JSDoc examples hold', () => {
    expect(parseNpy(serializeNpy(new NDArray(new Float64Array([1, 2, 3]), [3]))).shape).toEqual([
      3,
    ]);
    expect(serializeNpy(new NDArray(new Float64Array(6), [2, 3])).length).toBe(128 + 48);
  });
});

describe('parseNpy on hand-built files', () => {
  it("reads {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", () => {
    const file = npy(
      "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
      f8([1, 2.5, -3, 0.1, 1e300, -0]),
    );
    const a = parseNpy(file);
    expect(a.dtype).toBe('float64');
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1, 2.5, -3, 0.1, 1e300, -0]);
  });

  it('reads a version 2.0 header and keys in any order, with double quotes', () => {
    const file = npy('{"shape": (3,), "fortran_order": False, "descr": "<f4"}', [
      ...bytes([0.5, 2, -8], 4, (v, o, x) => v.setFloat32(o, x, true)),
    ]);
    expect(Array.from(parseNpy(file).data)).toEqual([0.5, 2, -8]);
    const v2 = npy(
      "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }",
      [1, 0, 0, 0, 2, 0, 0, 0],
      2,
    );
    expect(Array.from(parseNpy(v2).data)).toEqual([1, 2]);
  });

  it('converts big-endian data', () => {
    const a = parseNpy(
      npy("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", f8([1.5, -2], false)),
    );
    expect(Array.from(a.data)).toEqual([1.5, -2]);
    const b = parseNpy(
      npy(
        "{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }",
        [0, 0, 1, 0, 0xff, 0xff, 0xff, 0xfe],
      ),
    );
    expect(b.dtype).toBe('int32');
    expect(Array.from(b.data)).toEqual([256, -2]);
  });

  it('rearranges fortran_order True into C order', () => {
    // (2, 3) column-major: columns [0, 3], [1, 4], [2, 5]
    const a = parseNpy(
      npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", f8([0, 3, 1, 4, 2, 5])),
    );
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([0, 1, 2, 3, 4, 5]);
    // (2, 3, 4) with value = C index; element (i, j, k) sits at i + 2j + 6k in the file.
    const values = new Array<number>(24);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++)
        for (let k = 0; k < 4; k++) values[i + 2 * j + 6 * k] = 12 * i + 4 * j + k;
    const b = parseNpy(
      npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3, 4), }", f8(values)),
    );
    expect(Array.from(b.data)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  it('reads 64-bit integers as int32 when they fit, else names the offending element', () => {
    const i8 = (xs: bigint[]) =>
      bytes(xs.map(Number), 8, (v, o, x) => v.setBigInt64(o, BigInt(x), true));
    const ok = parseNpy(
      npy("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", i8([7n, -1n, 2147483647n])),
    );
    expect(ok.dtype).toBe('int32');
    expect(Array.from(ok.data)).toEqual([7, -1, 2147483647]);
    const big = npy(
      "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }",
      i8([1n, 1n << 40n]),
    );
    expect(() => parseNpy(big, { name: 'labels.npy' })).toThrow(
      "npy 'labels.npy': expected an int32 value (element 1; int64: 'float64' reads it as float64) at byte 136, got 1099511627776",
    );
    const asFloat = parseNpy(big, { int64: 'float64' });
    expect(asFloat.dtype).toBe('float64');
    expect(Array.from(asFloat.data)).toEqual([1, 2 ** 40]);
  });

  it('reads small integer, half and bool dtypes', () => {
    const i2 = parseNpy(
      npy("{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }", [0xff, 0xff, 5, 0]),
    );
    expect([i2.dtype, ...i2.data]).toEqual(['int32', -1, 5]);
    const u1 = parseNpy(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", [200, 3]));
    expect([u1.dtype, ...u1.data]).toEqual(['uint8', 200, 3]);
    const b1 = parseNpy(
      npy("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", [1, 0, 1]),
    );
    expect([b1.dtype, ...b1.data]).toEqual(['bool', 1, 0, 1]);
    // 1.5 = 0x3e00, -2 = 0xc000 in IEEE half precision
    const f2 = parseNpy(
      npy("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", [0x00, 0x3e, 0x00, 0xc0]),
    );
    expect([f2.dtype, ...f2.data]).toEqual(['float32', 1.5, -2]);
  });

  it('reads a scalar and an empty array', () => {
    const s = parseNpy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", f8([42])));
    expect(s.shape).toEqual([]);
    expect(s.data[0]).toBe(42);
    const e = parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 5), }"));
    expect(e.shape).toEqual([0, 5]);
    expect(e.size).toBe(0);
  });
});

describe('parseNpy on broken files', () => {
  const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";

  it('bad magic', () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0, 0]);
    expect(() => parseNpy(zip, { name: 'W1.npy' })).toThrow(
      "npy 'W1.npy': expected magic \\x93NUMPY at byte 0, got \\x50\\x4b\\x03\\x04\\x00\\x00",
    );
    expect(() => parseNpy(new Uint8Array(0), { name: 'W1.npy' })).toThrow(
      "npy 'W1.npy': expected magic \\x93NUMPY at byte 0, got nothing",
    );
  });

  it('unknown format version', () => {
    const file = npy(header, f8([1, 2, 3, 4, 5, 6]));
    file[6] = 4;
    expect(() => parseNpy(file, { name: 'x.npy' })).toThrow(
      "npy 'x.npy': expected format version 1.0, 2.0 or 3.0 at byte 6, got 4.0",
    );
  });

  it('truncated header', () => {
    const file = npy(header).subarray(0, 40);
    expect(() => parseNpy(file, { name: 'x.npy' })).toThrow(
      "npy 'x.npy': expected a header of 118 bytes at byte 10, got 30 (truncated)",
    );
  });

  it('truncated and overlong data', () => {
    const file = npy(header, f8([1, 2, 3, 4, 5, 6]));
    expect(() => parseNpy(file.subarray(0, file.length - 8), { name: 'x.npy' })).toThrow(
      "npy 'x.npy': expected 48 bytes of data for shape (2, 3) '<f8' at byte 128, got 40 (truncated)",
    );
    const longer = new Uint8Array(file.length + 3);
    longer.set(file);
    expect(() => parseNpy(longer, { name: 'x.npy' })).toThrow(
      "npy 'x.npy': expected 48 bytes of data for shape (2, 3) '<f8' at byte 128, got 51",
    );
  });

  it('header that does not parse', () => {
    expect(() =>
      parseNpy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3}"), { name: 'x.npy' }),
    ).toThrow(`npy 'x.npy': header does not parse at byte 65: expected ',' or ')', got "}"`);
    expect(() => parseNpy(npy("{'descr': '<f8', 'shape': (2, 3), }"), { name: 'x.npy' })).toThrow(
      "npy 'x.npy': expected a header dict {'descr': ..., 'fortran_order': ..., 'shape': (...)} with key 'fortran_order' at byte 10",
    );
    expect(() =>
      parseNpy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, -3), }"), {
        name: 'x.npy',
      }),
    ).toThrow("npy 'x.npy': expected 'shape' a tuple of non-negative ints at byte 10, got [2,-3]");
  });

  it('unsupported dtypes', () => {
    expect(() =>
      parseNpy(npy("{'descr': '<c16', 'fortran_order': False, 'shape': (2,), }"), {
        name: 'x.npy',
      }),
    ).toThrow(/^npy 'x.npy': expected a supported dtype \(.*\) at byte 10, got '<c16'$/);
    expect(() =>
      parseNpy(
        npy("{'descr': [('a', '<f8'), ('b', '<i4')], 'fortran_order': False, 'shape': (2,), }"),
        {
          name: 'x.npy',
        },
      ),
    ).toThrow(/at byte 10, got structured dtype \[\["a","<f8"\],\["b","<i4"\]\]$/);
  });
});
