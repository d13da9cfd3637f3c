// ch03/neuralnet_mnist.py (book §3.6.2): the book's trained three-layer network on the 10,000
// MNIST test images, one image at a time. Prints Accuracy:0.9352.
//   npx tsx examples/ch03/neuralnet_mnist.ts [weights.npz]
import type { NDArray } from '../../src/ndarray/index.js';
import { loadMnist } from '../../src/data/mnist.js';
import { evaluateAccuracy, type ThreeLayerNetwork } from '../../src/networks/ch03.js';
import { isMain, type Print } from '../ch01/python.js';
import { loadSampleWeight } from './sampleWeight.js';

/** The test images (10000, 784) in [0, 1] and labels (10000,), as the book's get_data(). */
export function getData(): { x: NDArray; t: NDArray } {
  const { xTest, tTest } = loadMnist({ normalize: true, flatten: true, oneHotLabel: false });
  return { x: xTest, t: tTest };
}

/** Options of the chapter 3 MNIST scripts. */
export interface NeuralnetMnistOptions {
  /** The weights file (default: see sampleWeightPath). */
  weights?: string;
  /** Already loaded weights, instead of `weights`. */
  network?: ThreeLayerNetwork;
  /** Already loaded data, instead of loading MNIST. */
  data?: { x: NDArray; t: NDArray };
}

/**
 * Counts the images whose most probable class (argmax of the softmax output) is the label.
 * @returns the accuracy printed, 0.9352 with the book's weights
 */
export function main(print: Print = console.log, options: NeuralnetMnistOptions = {}): number {
  const { x, t } = options.data ?? getData();
  const network = options.network ?? loadSampleWeight(options.weights);
  // batchSize 1: predict(network, x[i]) on each (784,) image, the book's loop.
  const { correct, total } = evaluateAccuracy(network, x, t, { batchSize: 1 });
  const accuracy = correct / total;
  print(`Accuracy:${accuracy}`);
  return accuracy;
}

if (isMain(import.meta.url)) main(console.log, { weights: process.argv[2] });
