// IDX parsing on small files the test writes: valid, gzip, and broken ones.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { NDArray } from '../../src/ndarray/ndarray.js';
import { parseIdx, serializeIdx } from '../../src/data/idx.js';
import { readIdxFile } from '../../src/data/mnist.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scratchnet-idx-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** IDX bytes: magic type/ndim, big-endian dims, then the data. */
function idx(type: number, dims: number[], data: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = type;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

describe('parseIdx', () => {
  it('reads labels (0x00000801) and images (0x00000803)', () => {
    const labels = parseIdx(idx(8, [3], [5, 0, 4]), 'labels');
    expect(labels.dtype).toBe('uint8');
    expect(labels.shape).toEqual([3]);
    expect(Array.from(labels.data)).toEqual([5, 0, 4]);
    const pixels = Array.from({ length: 2 * 2 * 3 }, (_, i) => i * 20);
    const images = parseIdx(idx(8, [2, 2, 3], pixels), 'images');
    expect(images.shape).toEqual([2, 2, 3]);
    expect(Array.from(images.data)).toEqual(pixels);
  });

  it('reads gzip-compressed files', () => {
    const images = parseIdx(gzipSync(idx(8, [1, 2, 2], [1, 2, 3, 4])), 'images.gz');
    expect(images.shape).toEqual([1, 2, 2]);
    expect(Array.from(images.data)).toEqual([1, 2, 3, 4]);
  });

  it('reads the other IDX element types, big-endian', () => {
    const ints = parseIdx(idx(0x0c, [2], [0, 0, 1, 0, 0xff, 0xff, 0xff, 0xfe]));
    expect([ints.dtype, ...ints.data]).toEqual(['int32', 256, -2]);
    const shorts = parseIdx(idx(0x0b, [2], [0xff, 0xff, 0, 7]));
    expect([shorts.dtype, ...shorts.data]).toEqual(['int32', -1, 7]);
    const floats = parseIdx(idx(0x0d, [1], [0x3f, 0xc0, 0, 0]));
    expect([floats.dtype, ...floats.data]).toEqual(['float32', 1.5]);
  });

  it('round-trips through serializeIdx (the JSDoc examples)', () => {
    expect(Array.from(parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 5, 7])).data)).toEqual([
      5, 7,
    ]);
    expect(Array.from(serializeIdx(new NDArray(new Uint8Array([5, 7]), [2])))).toEqual([
      0, 0, 8, 1, 0, 0, 0, 2, 5, 7,
    ]);
    for (const a of [
      new NDArray(new Int32Array([-5, 70000]), [2]),
      new NDArray(new Float32Array([0.5, -1, 2, 4]), [2, 2]),
      new NDArray(new Float64Array([Math.PI]), [1, 1, 1]),
    ]) {
      const b = parseIdx(serializeIdx(a));
      expect([b.dtype, b.shape, Array.from(b.data)]).toEqual([
        a.dtype,
        a.shape,
        Array.from(a.data),
      ]);
    }
  });

  it('bad magic number', () => {
    const file = idx(8, [3], [1, 2, 3]);
    file[0] = 0x12;
    expect(() => parseIdx(file, 'train-labels-idx1-ubyte')).toThrow(
      /^'train-labels-idx1-ubyte': expected an IDX magic number 0x00000TNN .*, got 0x12000801$/,
    );
    expect(() => parseIdx(idx(0x07, [1], [1]), 'x')).toThrow(/got 0x00000701$/);
    expect(() => parseIdx(idx(8, [], []), 'x')).toThrow(/got 0x00000800$/);
    expect(() => parseIdx(new Uint8Array([0, 0]), 'x')).toThrow(
      "'x': expected a 4-byte IDX magic number, got a file of 2 bytes",
    );
  });

  it('wrong length for the dimensions', () => {
    const labels = idx(8, [10000], new Array<number>(9000 - 8).fill(1));
    expect(() => parseIdx(labels, 't10k-labels-idx1-ubyte')).toThrow(
      "'t10k-labels-idx1-ubyte': expected 10008 bytes for 10000 labels, got 9000 (truncated)",
    );
    const images = idx(8, [2, 28, 28], new Array<number>(2 * 784 + 5).fill(0));
    expect(() => parseIdx(images, 'train-images-idx3-ubyte')).toThrow(
      "'train-images-idx3-ubyte': expected 1584 bytes for 2 images of 28×28, got 1589",
    );
    expect(() => parseIdx(idx(8, [2, 2, 2, 2], [1]), 'x')).toThrow(
      "'x': expected 36 bytes for shape (2, 2, 2, 2), got 21 (truncated)",
    );
    expect(() => parseIdx(idx(8, [3], []).subarray(0, 6), 'x')).toThrow(
      "'x': expected 8 header bytes for 1 dimensions, got 6",
    );
  });

  it('damaged gzip data', () => {
    const gz = gzipSync(idx(8, [100], new Array<number>(100).fill(3)));
    expect(() => parseIdx(gz.subarray(0, 12), 'labels.gz')).toThrow(
      /^'labels.gz': expected gzip data \(it starts with 1f 8b\), got a damaged stream \(.+\)$/,
    );
  });
});

describe('readIdxFile', () => {
  it('reads plain and gzip files and names the path in errors', () => {
    const plain = path.join(dir, 'l-idx1-ubyte');
    fs.writeFileSync(plain, idx(8, [2], [7, 9]));
    expect(Array.from(readIdxFile(plain).data)).toEqual([7, 9]);
    const gz = path.join(dir, 'l-idx1-ubyte.gz');
    fs.writeFileSync(gz, gzipSync(idx(8, [2], [7, 9])));
    expect(Array.from(readIdxFile(gz).data)).toEqual([7, 9]);
    const bad = path.join(dir, 'bad');
    fs.writeFileSync(bad, idx(8, [5], [1]));
    expect(() => readIdxFile(bad)).toThrow(
      `'${bad}': expected 13 bytes for 5 labels, got 9 (truncated)`,
    );
  });
});
