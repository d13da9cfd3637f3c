// ch05/gradient_check.py (book §5.7.3): checks backpropagation against numerical differentiation
// on the chapter 5 TwoLayerNet (784-50-10) with three MNIST images, in float64.
import { loadMnist } from '../../src/data/mnist.js';
import { TwoLayerNet } from '../../src/networks/twoLayerNet.js';
import { isMain, pyFloat, type Print } from '../ch01/python.js';

/** Options of {@link main}: the book's sizes by default. */
export interface GradientCheckOptions {
  /** Training images to check on (the first ones). Default 3. */
  batchSize?: number;
  /** Default 50. */
  hiddenSize?: number;
  /** Seed of the initial weights. Default 0. */
  seed?: number;
}

/**
 * Prints `W1:…`, `b1:…`, `W2:…`, `b2:…`: the mean absolute difference between the two gradients
 * of each parameter (the book gets about 1e-10 to 1e-7).
 * @returns those differences by parameter name
 */
export function main(
  print: Print = console.log,
  { batchSize = 3, hiddenSize = 50, seed = 0 }: GradientCheckOptions = {},
): Record<string, number> {
  // float64 throughout: with float32 and h = 1e-4 the numerical gradient is too coarse to compare.
  const { xTrain, tTrain } = loadMnist({ normalize: true, oneHotLabel: true, dtype: 'float64' });
  const network = new TwoLayerNet({ inputSize: 784, hiddenSize, outputSize: 10, seed });

  const xBatch = xTrain.index(`:${batchSize}`);
  const tBatch = tTrain.index(`:${batchSize}`);

  const gradNumerical = network.numericalGradient(xBatch, tBatch);
  const gradBackprop = network.gradient(xBatch, tBatch);

  const diffs: Record<string, number> = {};
  for (const key of Object.keys(gradNumerical)) {
    const diff = gradBackprop[key].sub(gradNumerical[key]).abs().mean().item();
    diffs[key] = diff;
    print(`${key}:${pyFloat(diff)}`);
  }
  return diffs;
}

if (isMain(import.meta.url)) main();
