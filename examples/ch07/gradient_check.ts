// ch07/gradient_check.py (book §7.5): SimpleConvNet's backpropagation against numerical gradients,
// printing the mean absolute difference per parameter (about 1e-10 or less when backprop is right).
//   npx tsx examples/ch07/gradient_check.ts
import { Rng, array } from '../../src/ndarray/index.js';
import { SimpleConvNet } from '../../src/networks/simpleConvNet.js';
import { isMain, type Print } from '../ch01/python.js';

/** Prints `key difference` for W1, b1, W2, b2, W3, b3 and returns the differences. */
export function main(print: Print = console.log, seed = 0): Record<string, number> {
  const network = new SimpleConvNet({
    inputDim: [1, 10, 10],
    convParam: { filterNum: 10, filterSize: 3, pad: 0, stride: 1 },
    hiddenSize: 10,
    outputSize: 10,
    weightInitStd: 0.01,
    seed,
  });
  const rng = new Rng(seed + 1);
  const X = rng.rand(100).reshape(1, 1, 10, 10); // (100,) → (1, 1, 10, 10): one 10×10 image
  // The book writes T = np.array([1]).reshape((1, 1)); a label vector (1,) says the same.
  const T = array([1], 'int32');

  const gradNum = network.numericalGradient(X, T);
  const grad = network.gradient(X, T);
  const diffs: Record<string, number> = {};
  for (const key of Object.keys(gradNum)) {
    diffs[key] = gradNum[key].sub(grad[key]).abs().mean().item();
    print(`${key} ${diffs[key]}`);
  }
  return diffs;
}

if (isMain(import.meta.url)) main();
