// Book §4.2 (loss functions): the sum of squared errors and the cross-entropy error for the
// book's two predictions, the batch versions, and a random mini-batch of MNIST (§4.2.3).
import { array, Rng } from '../../src/ndarray/index.js';
import { crossEntropyError, sumSquaredError } from '../../src/functions/index.js';
import { loadMnist } from '../../src/data/mnist.js';
import { isMain, pyFloat, pyShape, type Print } from '../ch01/python.js';

/** Options of {@link main}. */
export interface LossFunctionsOptions {
  /** Also load MNIST and pick a mini-batch (§4.2.3). Default true. */
  miniBatch?: boolean;
  /** Seed of the mini-batch choice. Default 0. */
  seed?: number;
}

/** Prints the §4.2 session. */
export function main(
  print: Print = console.log,
  { miniBatch = true, seed = 0 }: LossFunctionsOptions = {},
): void {
  // §4.2.1: "2" is the right answer (one-hot t)
  const t = array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
  // Example 1: "2" is the most probable (0.6)
  let y = array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]);
  print(pyFloat(sumSquaredError(y, t))); // 0.09750000000000003
  // Example 2: "7" is the most probable (0.6)
  y = array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]);
  print(pyFloat(sumSquaredError(y, t))); // 0.5975

  // §4.2.2: cross-entropy for the same two predictions
  y = array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]);
  print(pyFloat(crossEntropyError(y, t))); // 0.510825457099338
  y = array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]);
  print(pyFloat(crossEntropyError(y, t))); // 2.302584092994546

  // §4.2.4: a batch with labels instead of one-hot rows gives the same loss
  const yBatch = array([
    [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0],
    [0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0],
  ]);
  print(pyFloat(crossEntropyError(yBatch, array([2, 2], 'int32')))); // mean of the two: 1.406704775046942

  if (!miniBatch) return;
  // §4.2.3: ten random training images and their one-hot labels
  const { xTrain, tTrain } = loadMnist({ normalize: true, oneHotLabel: true });
  print(pyShape(xTrain.shape)); // (60000, 784)
  print(pyShape(tTrain.shape)); // (60000, 10)
  const trainSize = xTrain.shape[0];
  const batchSize = 10;
  const batchMask = new Rng(seed).choice(trainSize, batchSize);
  const xBatch = xTrain.index(batchMask);
  const tBatch = tTrain.index(batchMask);
  print(pyShape(xBatch.shape)); // (10, 784)
  print(pyShape(tBatch.shape)); // (10, 10)
}

if (isMain(import.meta.url)) main();
