// ch05/train_neuralnet.py (book §5.7.4): mini-batch SGD of the chapter 5 TwoLayerNet (784-50-10,
// ReLU, gradients by backpropagation) on MNIST, printing train and test accuracy once per epoch,
// then drawing them (the accuracy figure of §4.5.3, now with backpropagation).
//   npx tsx examples/ch05/train_neuralnet.ts                 (the book's 10,000 iterations)
//   npx tsx examples/ch05/train_neuralnet.ts --iters 1000 --train-size 10000     (or --quick)
//   flags: --iters N, --train-size N, --test-size N, --seed N, --out-dir DIR, --no-plot
import { loadMnist } from '../../src/data/mnist.js';
import { Rng, kernels } from '../../src/ndarray/index.js';
import { TwoLayerNet } from '../../src/networks/twoLayerNet.js';
import { Figure } from '../../src/plot/index.js';
import { isMain, pyFloat, type Print } from '../ch01/python.js';
import {
  formatDuration,
  yieldToFinalizers,
  parseExampleArgs,
  plotMarkEvery,
  saveFigure,
  useFastKernels,
  type FigureOutputOptions,
} from '../common.js';

/** Options of {@link main}: the book's hyperparameters by default. */
export interface TrainNeuralnetOptions extends FigureOutputOptions {
  /** Iterations (mini-batches). Default 10000. */
  itersNum?: number;
  /** Default 100. */
  batchSize?: number;
  /** Default 0.1. */
  learningRate?: number;
  /** Default 50. */
  hiddenSize?: number;
  /** Train on the first N training images only (all 60,000 by default). */
  trainSize?: number;
  /** Evaluate on the first N test images only (all 10,000 by default). */
  testSize?: number;
  /** Seed of the weights; the mini-batches use seed + 1. Default 0. */
  seed?: number;
}

/** What training produced: the book's three lists, the accuracy at the end, the time taken. */
export interface TrainNeuralnetResult {
  trainLossList: number[];
  trainAccList: number[];
  testAccList: number[];
  /** Accuracies after the last iteration (the book's last line is from the start of the last epoch). */
  finalTrainAcc: number;
  finalTestAcc: number;
  /** Wall time of the training loop with its evaluations, in ms. */
  ms: number;
  /** The figure written, or null. */
  figure: string | null;
}

/**
 * Trains and prints `train acc, test acc | …` once per epoch (at iterations 0, 600, 1200, … as
 * the book), a final line after the last iteration, and writes `chNN/train_neuralnet.png`.
 */
export async function main(
  print: Print = console.log,
  {
    itersNum = 10000,
    batchSize = 100,
    learningRate = 0.1,
    hiddenSize = 50,
    trainSize,
    testSize,
    seed = 0,
    outDir,
  }: TrainNeuralnetOptions = {},
): Promise<TrainNeuralnetResult> {
  // float32: the book trains in float64, but float32 halves the memory traffic and reaches the
  // same accuracy.
  const data = loadMnist({ normalize: true, oneHotLabel: true, dtype: 'float32' });
  const head = (n: number | undefined) => (n === undefined ? ':' : `:${n}`);
  const xTrain = data.xTrain.index(head(trainSize));
  const tTrain = data.tTrain.index(head(trainSize));
  const xTest = data.xTest.index(head(testSize));
  const tTest = data.tTest.index(head(testSize));

  const network = new TwoLayerNet({
    inputSize: 784,
    hiddenSize,
    outputSize: 10,
    dtype: 'float32',
    seed,
  });
  const rng = new Rng(seed + 1);
  const n = xTrain.shape[0];
  // The book's float division: 600 for 60,000 samples, so `i % iterPerEpoch === 0` marks each
  // epoch (a division that is not exact would evaluate at iteration 0 only, as in the book).
  const iterPerEpoch = Math.max(n / batchSize, 1);
  const result: TrainNeuralnetResult = {
    trainLossList: [],
    trainAccList: [],
    testAccList: [],
    finalTrainAcc: NaN,
    finalTestAcc: NaN,
    ms: 0,
    figure: null,
  };

  const start = performance.now();
  for (let i = 0; i < itersNum; i++) {
    // Mini-batch drawn with replacement, as np.random.choice(train_size, batch_size).
    const batchMask = rng.choice(n, batchSize);
    const xBatch = xTrain.index(batchMask);
    const tBatch = tTrain.index(batchMask);
    const grad = network.gradient(xBatch, tBatch);
    for (const key of ['W1', 'b1', 'W2', 'b2']) {
      network.params[key].subInPlace(grad[key].mul(learningRate)); // in place: layers alias params
    }
    result.trainLossList.push(network.loss(xBatch, tBatch));

    if (i % iterPerEpoch === 0) {
      const trainAcc = network.accuracy(xTrain, tTrain);
      const testAcc = network.accuracy(xTest, tTest);
      result.trainAccList.push(trainAcc);
      result.testAccList.push(testAcc);
      print(`train acc, test acc | ${pyFloat(trainAcc)}, ${pyFloat(testAcc)}`);
    }
    // Lets the wasm kernels (when in use) reclaim the memory of this iteration's arrays.
    if (i % 10 === 9) await yieldToFinalizers();
  }
  result.finalTrainAcc = network.accuracy(xTrain, tTrain);
  result.finalTestAcc = network.accuracy(xTest, tTest);
  result.ms = performance.now() - start;
  print(
    `final (after ${itersNum} iterations) train acc, test acc | ${pyFloat(result.finalTrainAcc)}, ${pyFloat(result.finalTestAcc)}`,
  );
  print(`time: ${formatDuration(result.ms)} (kernels: ${kernels().name})`);

  // The book's figure 4-12: train and test accuracy per epoch.
  const fig = new Figure();
  const ax = fig.gca();
  const epochs = result.trainAccList.map((_, i) => i);
  const every = Math.max(1, Math.ceil(epochs.length / 20));
  plotMarkEvery(ax, epochs, result.trainAccList, {
    color: 'C0',
    marker: 'o',
    markEvery: every,
    label: 'train acc',
  });
  plotMarkEvery(ax, epochs, result.testAccList, {
    color: 'C1',
    marker: 's',
    markEvery: every,
    lineStyle: '--',
    label: 'test acc',
  });
  ax.setXLabel('epochs').setYLabel('accuracy').setYLim(0, 1.0).legend({ loc: 'lower right' });
  ax.setTitle('TwoLayerNet (backprop) on MNIST');
  result.figure = await saveFigure(fig, 'ch05', 'train_neuralnet', outDir, print);
  return result;
}

if (isMain(import.meta.url)) {
  const args = parseExampleArgs(['iters', 'train-size', 'test-size'], ['seed']);
  const positional = args.positionals[0] === undefined ? undefined : Number(args.positionals[0]);
  await useFastKernels();
  await main(console.log, {
    itersNum: args.ints.iters ?? positional ?? (args.quick ? 1000 : undefined),
    trainSize: args.ints['train-size'] ?? (args.quick ? 10000 : undefined),
    testSize: args.ints['test-size'],
    seed: args.numbers.seed,
    outDir: args.outDir,
  });
}
