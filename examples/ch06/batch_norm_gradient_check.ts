// ch06/batch_norm_gradient_check.py (book §6.3): checks backpropagation through Batch
// Normalization against numerical differentiation on a MultiLayerNetExtend (784-100-100-10), in
// float64.
import { loadMnist } from '../../src/data/mnist.js';
import { MultiLayerNetExtend } from '../../src/networks/multiLayerNetExtend.js';
import { isMain, pyFloat, type Print } from '../ch01/python.js';
import { parseExampleArgs } from '../common.js';

/** Options of {@link main}. */
export interface BatchNormGradientCheckOptions {
  /**
   * Training images to check on (the first ones). Default 3, as ch05/gradient_check. The book
   * uses 1, a weak check: the batch variance of one sample is 0, so every hidden layer outputs its
   * beta and the gradients of W1, b1, W2, b2, gamma1, gamma2 are all 0; and as beta starts at 0
   * the second ReLU sits on its kink, where the central difference gives half a slope and
   * backpropagation none (beta2 then differs by about 0.06). With 2 the normalised values are
   * ±1 and the features whose two values nearly agree (variance near the epsilon 1e-6) make the
   * central difference with h = 1e-4 inaccurate (W1 differs by about 2e-3). With 3 every
   * difference is below 1e-5.
   */
  batchSize?: number;
  /** Hidden layer sizes. Default [100, 100]. */
  hiddenSizeList?: number[];
  /** Seed of the initial weights. Default 0. */
  seed?: number;
}

/**
 * Prints `W1:…`, `b1:…`, `gamma1:…`, `beta1:…`, …: the mean absolute difference between the
 * backpropagated and the numerical gradient of each parameter.
 * @returns those differences by parameter name
 */
export function main(
  print: Print = console.log,
  { batchSize = 3, hiddenSizeList = [100, 100], seed = 0 }: BatchNormGradientCheckOptions = {},
): Record<string, number> {
  // float64: with float32 and h = 1e-4 the numerical gradient is too coarse to compare.
  const { xTrain, tTrain } = loadMnist({ normalize: true, oneHotLabel: true, dtype: 'float64' });
  const network = new MultiLayerNetExtend({
    inputSize: 784,
    hiddenSizeList,
    outputSize: 10,
    useBatchnorm: true,
    seed,
  });

  const xBatch = xTrain.index(`:${batchSize}`);
  const tBatch = tTrain.index(`:${batchSize}`);

  const gradBackprop = network.gradient(xBatch, tBatch);
  // Both in training mode (BatchNorm on the batch's statistics), as the book's numerical_gradient:
  // test mode would use the running statistics that backpropagation never sees.
  const gradNumerical = network.numericalGradient(xBatch, tBatch);

  const diffs: Record<string, number> = {};
  for (const key of Object.keys(gradNumerical)) {
    const diff = gradBackprop[key].sub(gradNumerical[key]).abs().mean().item();
    diffs[key] = diff;
    print(`${key}:${pyFloat(diff)}`);
  }
  return diffs;
}

if (isMain(import.meta.url)) {
  const args = parseExampleArgs(['batch'], ['seed']);
  main(console.log, { batchSize: args.ints.batch, seed: args.numbers.seed });
}
