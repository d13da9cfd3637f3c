// .npz archives: the book's chapter 3 weights, round trips (stored and deflated), broken archives.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { NDArray } from '../../src/ndarray/ndarray.js';
import { serializeNpy } from '../../src/io/npy.js';
import { parseNpz, serializeNpz } from '../../src/io/npz.js';
import { loadNpz } from '../../src/io/node.js';

// The fixtures live next to the repository (../shared/fixtures from its root), in CI too.
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const SAMPLE_WEIGHT = path.resolve(repoRoot, '..', 'shared/fixtures/ch03-sample-weight.npz');

function sum(a: NDArray): number {
  let s = 0;
  for (const v of a.data) s += v;
  return s;
}

/** One .npy entry: a float64 scalar. */
const serializeNpzEntry = (): Uint8Array => serializeNpy(new NDArray(new Float64Array([1]), []));

describe('parseNpz', () => {
  it("reads the book's chapter 3 weights (float32, W1 stored in Fortran order)", () => {
    const w = loadNpz(SAMPLE_WEIGHT);
    expect(Object.keys(w).sort()).toEqual(['W1', 'W2', 'W3', 'b1', 'b2', 'b3']);
    const shapes = Object.fromEntries(Object.entries(w).map(([k, v]) => [k, v.shape]));
    expect(shapes).toEqual({
      W1: [784, 50],
      W2: [50, 100],
      W3: [100, 10],
      b1: [50],
      b2: [100],
      b3: [10],
    });
    for (const a of Object.values(w)) {
      expect(a.dtype).toBe('float32');
      expect(Number.isFinite(sum(a))).toBe(true);
    }
    // Sums and elements as NumPy prints them for this file.
    expect(sum(w.W1)).toBeCloseTo(24.710754, 4);
    expect(sum(w.b1)).toBeCloseTo(0.4106788, 5);
    expect(w.W1.data[0]).toBeCloseTo(-0.00741249, 7); // W1[0, 0]
    expect(w.W1.data[1]).toBeCloseTo(-0.00790439, 7); // W1[0, 1]
    expect(w.W1.data[50]).toBeCloseTo(-0.01029745, 7); // W1[1, 0]: a transposition would miss it
  });

  it('round-trips stored and deflated archives of every dtype', () => {
    const arrays = {
      x: new NDArray(new Float64Array([1.5, -2, 3]), [3]),
      y: new NDArray(new Float32Array([0.25, 4, 8, 16]), [2, 2]),
      labels: new NDArray(new Int32Array([5, 0, 4]), [3]),
      pixels: new NDArray(new Uint8Array([0, 255]), [1, 2]),
      mask: new NDArray(new Uint8Array([1, 0, 1]), [3], 'bool'),
      scalar: new NDArray(new Float64Array([7]), []),
    };
    for (const compress of [false, true]) {
      const back = parseNpz(serializeNpz(arrays, { compress }));
      expect(Object.keys(back)).toEqual(Object.keys(arrays));
      for (const [k, a] of Object.entries(arrays)) {
        expect(back[k].dtype).toBe(a.dtype);
        expect(back[k].shape).toEqual(a.shape);
        expect(Array.from(back[k].data)).toEqual(Array.from(a.data));
      }
    }
    const zeros = { z: new NDArray(new Float64Array(10000), [100, 100]) };
    expect(serializeNpz(zeros, { compress: true }).length).toBeLessThan(1000);
    expect(serializeNpz(zeros).length).toBeGreaterThan(80000);
  });

  it('keeps a key named __proto__ as an ordinary key', () => {
    const file = zipSync({ '__proto__.npy': serializeNpzEntry() });
    const out = parseNpz(file);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
  });

  it('the JSDoc examples hold', () => {
    const zeros = (shape: number[]) =>
      new NDArray(new Float64Array(shape.reduce((a, b) => a * b, 1)), shape);
    expect(parseNpz(serializeNpz({ W1: zeros([2, 3]) })).W1.shape).toEqual([2, 3]);
    expect(Object.keys(parseNpz(serializeNpz({ W1: zeros([2, 3]), b1: zeros([3]) })))).toEqual([
      'W1',
      'b1',
    ]);
  });

  it('names the archive when it is not a zip, and the entry when an entry is broken', () => {
    const npyBytes = serializeNpzEntry();
    expect(() => parseNpz(npyBytes, { name: 'w.npz' })).toThrow(
      /^npz 'w.npz': expected a zip archive \(starting 50 4b 03 04\), got 93 4e 55 4d \(.+\)$/,
    );
    expect(() => parseNpz(new Uint8Array(0), { name: 'w.npz' })).toThrow(
      /^npz 'w.npz': expected a zip archive \(starting 50 4b 03 04\), got an empty file/,
    );
    const broken = zipSync({ 'W1.npy': npyBytes.subarray(0, npyBytes.length - 4) });
    expect(() => parseNpz(broken, { name: 'w.npz' })).toThrow(
      "npy 'w.npz/W1.npy': expected 8 bytes of data for shape () '<f8' at byte 128, got 4 (truncated)",
    );
    const notNpy = zipSync({ 'readme.txt': new TextEncoder().encode('hello') });
    expect(() => parseNpz(notNpy, { name: 'w.npz' })).toThrow(
      "npy 'w.npz/readme.txt': expected magic \\x93NUMPY at byte 0",
    );
  });
});
