// normalizeImages: the book's astype(dtype) / 255 as a table look-up, the same values on both
// backends; and `table[x]` for a uint8 x, the take() path it runs through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeImages } from '../../src/data/images.js';
import { NDArray, Rng, arange, setBackend } from '../../src/ndarray/index.js';
import { shutdownWasm, wasmHeap } from '../../src/ndarray/kernels/wasm/index.js';
import { initWasmNode } from '../../src/node/threads.js';

beforeAll(async () => {
  await initWasmNode({ threads: 2, activate: true });
});
afterAll(() => {
  setBackend('reference');
  shutdownWasm();
});

/** Every byte value, then random pixels: (rows, 784) uint8. */
function pixels(rows: number, seed: number): NDArray {
  const rng = new Rng(seed);
  const data = new Uint8Array(rows * 784);
  for (let i = 0; i < data.length; i++) data[i] = i < 256 ? i : Math.floor(rng.random() * 256);
  return new NDArray(data, [rows, 784], 'uint8');
}

describe.each(['reference', 'wasm'] as const)('normalizeImages (%s backend)', (backend) => {
  beforeAll(() => setBackend(backend));

  it.each(['float32', 'float64'] as const)(
    'equals x.astype(%s).div(255) bit for bit, every byte value included',
    (dtype) => {
      // 1000 rows: the wasm look-up runs on two threads
      for (const rows of [1, 3, 1000]) {
        const x = pixels(rows, rows);
        const y = normalizeImages(x, dtype);
        expect(y.dtype).toBe(dtype);
        expect(y.shape).toEqual([rows, 784]);
        expect(Array.from(y.data)).toEqual(Array.from(x.astype(dtype).div(255).data));
      }
    },
  );

  it('keeps the shape of (N, 1, 28, 28) images; float32 by default', () => {
    const x = pixels(2, 5).reshape(2, 1, 28, 28);
    const y = normalizeImages(x);
    expect(y.shape).toEqual([2, 1, 28, 28]);
    expect(y.dtype).toBe('float32');
    expect(y.data[255]).toBe(1);
    expect(y.data[0]).toBe(0);
  });

  it('names what was wrong: images that are not bytes, a dtype that is not a float', () => {
    expect(() => normalizeImages(arange(4).reshape(2, 2))).toThrow(
      'normalizeImages: expected uint8 pixels (0–255), got int32 of shape (2,2)',
    );
    expect(() => normalizeImages(pixels(1, 1), 'int32' as 'float32')).toThrow(
      "normalizeImages: expected dtype 'float32' or 'float64', got 'int32'",
    );
  });
});

describe('table[x] for a uint8 x', () => {
  afterAll(() => setBackend('reference'));

  it.each(['reference', 'wasm'] as const)(
    'equals the int32-indexed take on the %s backend, for tables of float32, float64 and int32',
    (backend) => {
      setBackend(backend);
      const x = pixels(3, 9);
      const wide = new NDArray(Int32Array.from(x.data), x.shape, 'int32');
      for (const dtype of ['float32', 'float64', 'int32'] as const) {
        const table = arange(300).mul(3).sub(7).astype(dtype);
        const got = table.take(x, 0);
        expect(got.shape).toEqual([3, 784]);
        expect(got.dtype).toBe(dtype);
        expect(Array.from(got.data)).toEqual(Array.from(table.take(wide, 0).data));
      }
      if (backend === 'wasm') expect(wasmHeap()!.contains(arange(300).take(x, 0).data)).toBe(true);
    },
  );

  it('checks indices as before when the table is shorter than 256', () => {
    const x = new NDArray(Uint8Array.from([1, 200]), [2], 'uint8');
    expect(() => arange(10).take(x, 0)).toThrow(/index 200 is out of bounds/);
  });
});
