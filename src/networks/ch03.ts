// The chapter 3 three-layer network (book §3.4.3 init_network/forward, §3.6.2–3.6.3
// ch03/neuralnet_mnist.py and neuralnet_mnist_batch.py): a forward pass only, no training.
import { identityFunction, sigmoid, softmax } from '../functions/activations.js';
import { array } from '../ndarray/creation.js';
import { NDArray } from '../ndarray/ndarray.js';
import { formatShape } from '../ndarray/shape.js';

/** The weights and biases of the chapter 3 network, by the book's keys. */
export interface ThreeLayerNetwork {
  /** (D, H1) */
  W1: NDArray;
  /** (H1,) */
  b1: NDArray;
  /** (H1, H2) */
  W2: NDArray;
  /** (H2,) */
  b2: NDArray;
  /** (H2, C) */
  W3: NDArray;
  /** (C,) */
  b3: NDArray;
}

const KEYS = ['W1', 'b1', 'W2', 'b2', 'W3', 'b3'] as const;

/**
 * The book's toy weights of §3.4.3: 2 inputs → 3 → 2 → 2 outputs.
 * @returns W1 (2, 3), b1 (3,), W2 (3, 2), b2 (2,), W3 (2, 2), b3 (2,), float64
 * @example
 * forward(initNetwork(), array([1.0, 0.5])).toString(); // '[0.31682708 0.69627909]'
 */
export function initNetwork(): ThreeLayerNetwork {
  return {
    W1: array([
      [0.1, 0.3, 0.5],
      [0.2, 0.4, 0.6],
    ]),
    b1: array([0.1, 0.2, 0.3]),
    W2: array([
      [0.1, 0.4],
      [0.2, 0.5],
      [0.3, 0.6],
    ]),
    b2: array([0.1, 0.2]),
    W3: array([
      [0.1, 0.3],
      [0.2, 0.4],
    ]),
    b3: array([0.1, 0.2]),
  };
}

/**
 * Checks that `arrays` (e.g. the book's sample weights loaded with `loadNpz`) hold the six
 * arrays of a three-layer network with matching shapes, and returns them typed.
 * @param where names the source in errors (a file name)
 */
export function toThreeLayerNetwork(
  arrays: Readonly<Record<string, NDArray>>,
  where = 'toThreeLayerNetwork',
): ThreeLayerNetwork {
  for (const k of KEYS) {
    if (!(arrays[k] instanceof NDArray)) {
      throw new Error(
        `${where}: expected arrays ${KEYS.join(', ')}, got ${Object.keys(arrays).join(', ') || 'none'}`,
      );
    }
  }
  const net = arrays as unknown as ThreeLayerNetwork;
  const layers: [NDArray, NDArray, string][] = [
    [net.W1, net.b1, '1'],
    [net.W2, net.b2, '2'],
    [net.W3, net.b3, '3'],
  ];
  let inputs: number | undefined;
  for (const [W, b, n] of layers) {
    if (W.ndim !== 2 || b.ndim !== 1 || b.shape[0] !== W.shape[1]) {
      throw new Error(
        `${where}: expected W${n} (in, out) and b${n} (out,), got W${n} ${formatShape(W.shape)} and b${n} ${formatShape(b.shape)}`,
      );
    }
    if (inputs !== undefined && W.shape[0] !== inputs) {
      throw new Error(
        `${where}: expected W${n} with ${inputs} rows (the previous layer's outputs), got ${formatShape(W.shape)}`,
      );
    }
    inputs = W.shape[1];
  }
  return { W1: net.W1, b1: net.b1, W2: net.W2, b2: net.b2, W3: net.W3, b3: net.b3 };
}

/** The two sigmoid hidden layers shared by {@link forward} and {@link predict}: returns a3. */
function scores(network: ThreeLayerNetwork, x: NDArray): NDArray {
  const { W1, b1, W2, b2, W3, b3 } = network;
  const a1 = x.dot(W1).add(b1); // (N, D)·(D, H1) + (H1,) → (N, H1); or (D,) → (H1,)
  const z1 = sigmoid(a1);
  const a2 = z1.dot(W2).add(b2); // → (N, H2)
  const z2 = sigmoid(a2);
  return z2.dot(W3).add(b3); // → (N, C)
}

/**
 * The forward pass of §3.4.3: two sigmoid layers and the identity output function.
 * @param x (D,) one input or (N, D) a batch
 * @returns (C,) or (N, C)
 * @example
 * forward(initNetwork(), array([1.0, 0.5])).toString(); // '[0.31682708 0.69627909]'
 */
export function forward(network: ThreeLayerNetwork, x: NDArray): NDArray {
  return identityFunction(scores(network, x));
}

/**
 * The MNIST network's prediction of §3.6.2: the same layers with a softmax output.
 * @param x (784,) one image or (N, 784) a batch
 * @returns class probabilities (10,) or (N, 10)
 */
export function predict(network: ThreeLayerNetwork, x: NDArray): NDArray {
  return softmax(scores(network, x));
}

/** Options of {@link evaluateAccuracy}. */
export interface EvaluateAccuracyOptions {
  /**
   * Images per forward pass. 1 (the default) runs the book's loop over single 1-D images
   * (neuralnet_mnist.py); 100 is neuralnet_mnist_batch.py. Both count the same answers.
   */
  batchSize?: number;
}

/** The result of {@link evaluateAccuracy}. */
export interface AccuracyResult {
  /** Images whose most probable class is the label. */
  correct: number;
  /** Images evaluated. */
  total: number;
  /** correct / total. */
  accuracy: number;
}

/**
 * Counts correct predictions of the chapter 3 network on labelled images, one at a time or in
 * batches (book §3.6.2–3.6.3). With the book's sample weights on the MNIST test set this is
 * 9352 of 10000 (accuracy 0.9352) either way.
 * @param x (N, D) images
 * @param t (N,) class labels
 */
export function evaluateAccuracy(
  network: ThreeLayerNetwork,
  x: NDArray,
  t: NDArray,
  { batchSize = 1 }: EvaluateAccuracyOptions = {},
): AccuracyResult {
  if (x.ndim !== 2) {
    throw new Error(`evaluateAccuracy: expected images (N, D), got ${formatShape(x.shape)}`);
  }
  const [n, d] = x.shape;
  if (t.ndim !== 1 || t.shape[0] !== n) {
    throw new Error(`evaluateAccuracy: expected ${n} labels (N,), got ${formatShape(t.shape)}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`evaluateAccuracy: expected batchSize a positive integer, got ${batchSize}`);
  }
  const labels = t.data;
  let correct = 0;
  for (let i = 0; i < n; i += batchSize) {
    const end = Math.min(i + batchSize, n);
    // Rows i…end of the row-major storage, viewed without a copy; one image is 1-D (D,) as the
    // book's x[i], a batch is (end − i, D) as x[i:i+batch_size].
    const rows = x.data.subarray(i * d, end * d);
    const xb =
      batchSize === 1 ? new NDArray(rows, [d], x.dtype) : new NDArray(rows, [end - i, d], x.dtype);
    const p = predict(network, xb).argmax(-1).data; // (end − i,) or one index
    for (let j = 0; j < end - i; j++) if (p[j] === labels[i + j]) correct++;
  }
  return { correct, total: n, accuracy: correct / n };
}
