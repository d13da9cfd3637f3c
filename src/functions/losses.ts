// Loss functions (book §4.2 "loss functions", common/functions.py): sum of squared errors and
// cross-entropy, for one sample or a mini-batch, with one-hot or label targets.
import type { NDArray } from '../ndarray/ndarray.js';
import { formatShape } from '../ndarray/shape.js';
// NumPy's pairwise summation (np.sum on a contiguous float array): the book's printed losses come
// out to the last digit (0.5975, not 0.5974999999999999).
import { pairwiseSum } from '../ndarray/reduce.js';

/** Added inside `log` so that a predicted probability of exactly 0 gives a large finite loss. */
const DELTA = 1e-7;

function checkSameShape(y: NDArray, t: NDArray, where: string): void {
  if (y.size !== t.size || (y.ndim === t.ndim && y.shape.some((d, i) => d !== t.shape[i]))) {
    throw new Error(
      `${where}: expected targets t of the shape of y ${formatShape(y.shape)}, got ${formatShape(t.shape)}`,
    );
  }
}

/**
 * The book's sum of squared errors 0.5·Σ(y − t)² over every element (book §4.2.1, named
 * `sum_squared_error` in the Japanese edition and `mean_squared_error` in the English one; it
 * does not divide by the batch size — see {@link meanSquaredError} for that).
 * @param y (C,) or (N, C) predictions
 * @param t targets of the same shape (one-hot rows)
 * @example
 * const t = array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
 * sumSquaredError(array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]), t); // 0.09750000000000003
 * sumSquaredError(array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]), t); // 0.5975
 */
export function sumSquaredError(y: NDArray, t: NDArray): number {
  checkSameShape(y, t, 'sumSquaredError');
  const a = y.data;
  const b = t.data;
  const sq = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) sq[i] = (a[i] - b[i]) ** 2;
  return 0.5 * pairwiseSum(sq, 0, sq.length);
}

/**
 * {@link sumSquaredError} divided by the batch size: 0.5·Σ(y − t)² / N, where a 1-D `y` is a
 * batch of one (so it equals the sum of squared errors there).
 * @param y (C,) or (N, C) predictions
 * @param t targets of the same shape
 * @example
 * meanSquaredError(array([[1, 0], [0, 0]]), array([[0, 0], [0, 0]])); // 0.25
 */
export function meanSquaredError(y: NDArray, t: NDArray): number {
  const batchSize = y.ndim <= 1 ? 1 : y.shape[0];
  return sumSquaredError(y, t) / batchSize;
}

/**
 * Cross-entropy −Σ t·log(y + 1e-7), averaged over the batch (book §4.2.2–4.2.4, the batch
 * version of common/functions.py). A 1-D `y` is a batch of one. Targets are one-hot rows of the
 * shape of `y`, or class labels (N,) — both give the same loss.
 * @param y (C,) or (N, C) probabilities (softmax output)
 * @param t one-hot (C,) / (N, C), or labels: a number-valued (N,) array (or (1,) / 0-d for 1-D y)
 * @example
 * const t = array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
 * crossEntropyError(array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]), t); // 0.510825457099338
 * crossEntropyError(array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]), t); // 2.302584092994546
 * crossEntropyError(array([[0.1, 0.9], [0.8, 0.2]]), array([1, 0], 'int32')); // 0.1642519154304695
 */
export function crossEntropyError(y: NDArray, t: NDArray): number {
  if (y.ndim === 0 || y.ndim > 2) {
    throw new Error(
      `crossEntropyError: expected y of shape (C,) or (N, C), got ${formatShape(y.shape)}`,
    );
  }
  // (C,) → (1, C) and t likewise: one sample is a batch of one.
  const y2 = y.ndim === 1 ? y.reshape(1, y.size) : y;
  const t2 = y.ndim === 1 ? t.reshape(1, t.size) : t;
  const [batchSize, classes] = y2.shape;
  let labels: ArrayLike<number>;
  if (t2.size === y2.size && t2.ndim === 2 && t2.shape[0] === batchSize) {
    // One-hot targets: the label of each row is where its 1 is (the book's t.argmax(axis=1)).
    labels = t2.argmax(1).data;
  } else if (t2.size === batchSize && t2.ndim <= 2 && (t2.ndim < 2 || y.ndim === 1)) {
    labels = t2.data;
  } else {
    throw new Error(
      `crossEntropyError: expected one-hot targets of shape ${formatShape(y.shape)} or ${batchSize} labels, got ${formatShape(t.shape)}`,
    );
  }
  const p = y2.data;
  const logs = new Float64Array(batchSize);
  for (let i = 0; i < batchSize; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new Error(
        `crossEntropyError: expected class labels in 0…${classes - 1}, got ${label} at index ${i}`,
      );
    }
    // 1e-7 keeps log(0) = −Infinity out when the network gives the right class probability 0.
    logs[i] = Math.log(p[i * classes + label] + DELTA);
  }
  return -pairwiseSum(logs, 0, batchSize) / batchSize;
}
