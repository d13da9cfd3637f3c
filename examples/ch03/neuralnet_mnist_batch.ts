// ch03/neuralnet_mnist_batch.py (book §3.6.3): the same evaluation in batches of 100 images —
// one (100, 784)·(784, 50) product instead of 100 vector products. Prints Accuracy:0.9352.
//   npx tsx examples/ch03/neuralnet_mnist_batch.ts [weights.npz]
import { evaluateAccuracy } from '../../src/networks/ch03.js';
import { isMain, type Print } from '../ch01/python.js';
import { getData, type NeuralnetMnistOptions } from './neuralnet_mnist.js';
import { loadSampleWeight } from './sampleWeight.js';

/** The book's batch size. */
export const BATCH_SIZE = 100;

/**
 * Counts correct predictions batch by batch: argmax over each row of the (100, 10) output.
 * @returns the accuracy printed, 0.9352 with the book's weights
 */
export function main(print: Print = console.log, options: NeuralnetMnistOptions = {}): number {
  const { x, t } = options.data ?? getData();
  const network = options.network ?? loadSampleWeight(options.weights);
  const { correct, total } = evaluateAccuracy(network, x, t, { batchSize: BATCH_SIZE });
  const accuracy = correct / total;
  print(`Accuracy:${accuracy}`);
  return accuracy;
}

if (isMain(import.meta.url)) main(console.log, { weights: process.argv[2] });
