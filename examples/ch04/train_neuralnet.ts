// ch04/train_neuralnet.py (book §4.5.2–4.5.3): mini-batch SGD of the chapter 4 TwoLayerNet on
// MNIST, printing train and test accuracy once per epoch, and drawing the accuracy curves
// (out/ch04/train_neuralnet.png, figure 4-12) and the loss (train_neuralnet_loss.png, figure 4-11).
//   npx tsx examples/ch04/train_neuralnet.ts [itersNum]     (the book's 10000 take a few minutes)
import { Rng, type NDArray } from '../../src/ndarray/index.js';
import { loadMnist } from '../../src/data/mnist.js';
import { TwoLayerNet } from '../../src/networks/twoLayerNet.js';
import { isMain, pyFloat, type Print } from '../ch01/python.js';
import { Figure } from '../../src/plot/figure.js';
import { showFigure } from '../ch01/figure.js';

/** Options of {@link main}: the book's hyperparameters by default. */
export interface TrainNeuralnetOptions {
  /** Iterations (mini-batches). Default 10000. */
  itersNum?: number;
  /** Default 100. */
  batchSize?: number;
  /** Default 0.1. */
  learningRate?: number;
  /** Default 50. */
  hiddenSize?: number;
  /** Seed of the weights and of the mini-batch choice. Default 0. */
  seed?: number;
  /** Evaluate train and test accuracy each epoch (600 iterations). Default true. */
  evaluate?: boolean;
  /**
   * Gradients by backpropagation (`'backprop'`, the default, as the book's script runs) or by
   * numerical differentiation (`'numerical'`, the commented-out line: hours for one epoch).
   */
  gradient?: 'backprop' | 'numerical';
}

/** What training produced, the book's three lists. */
export interface TrainNeuralnetResult {
  trainLossList: number[];
  trainAccList: number[];
  testAccList: number[];
}

/**
 * The book's figure: train (solid) and test (dashed) accuracy per epoch, epoch 0 being the
 * measurement after the first mini-batch, y from 0 to 1, legend lower right.
 */
export function figure(result: TrainNeuralnetResult): Figure {
  const x = result.trainAccList.map((_, i) => i);
  const fig = new Figure();
  const ax = fig.gca();
  ax.plot(x, result.trainAccList, { label: 'train acc' });
  ax.plot(x, result.testAccList, { label: 'test acc', lineStyle: '--' });
  ax.setXLabel('epochs').setYLabel('accuracy').setYLim(0, 1.0).legend({ loc: 'lower right' });
  // Whole epochs only (a short run would get ticks at 0.5, 1.5, …).
  const step = Math.max(1, Math.ceil(x.length / 10));
  ax.setXTicks(x.filter((e) => e % step === 0));
  return fig;
}

/** Figure 4-11: the mini-batch loss of every iteration. */
export function lossFigure(result: TrainNeuralnetResult): Figure {
  const fig = new Figure();
  fig
    .gca()
    .plot(
      result.trainLossList.map((_, i) => i),
      result.trainLossList,
      { lineWidth: 1 },
    )
    .setXLabel('iteration')
    .setYLabel('loss');
  return fig;
}

/** Trains and prints `train acc, test acc | …` once per epoch. */
export function main(
  print: Print = console.log,
  {
    itersNum = 10000,
    batchSize = 100,
    learningRate = 0.1,
    hiddenSize = 50,
    seed = 0,
    evaluate = true,
    gradient = 'backprop',
  }: TrainNeuralnetOptions = {},
): TrainNeuralnetResult {
  const { xTrain, tTrain, xTest, tTest } = loadMnist({ normalize: true, oneHotLabel: true });
  const network = new TwoLayerNet({
    inputSize: 784,
    hiddenSize,
    outputSize: 10,
    activation: 'sigmoid',
    seed,
  });
  const rng = new Rng(seed + 1);
  const trainSize = xTrain.shape[0];
  // The book's float division: 600 here, so `i % iterPerEpoch === 0` marks each epoch.
  const iterPerEpoch = Math.max(trainSize / batchSize, 1);
  const result: TrainNeuralnetResult = { trainLossList: [], trainAccList: [], testAccList: [] };

  for (let i = 0; i < itersNum; i++) {
    // Mini-batch drawn with replacement, as np.random.choice(train_size, batch_size).
    const batchMask = rng.choice(trainSize, batchSize);
    const xBatch = xTrain.index(batchMask);
    const tBatch = tTrain.index(batchMask);
    const grad: Record<string, NDArray> =
      gradient === 'numerical'
        ? network.numericalGradient(xBatch, tBatch)
        : network.gradient(xBatch, tBatch);
    for (const key of ['W1', 'b1', 'W2', 'b2']) {
      network.params[key].subInPlace(grad[key].mul(learningRate)); // in place: layers alias params
    }
    result.trainLossList.push(network.loss(xBatch, tBatch));

    if (evaluate && i % iterPerEpoch === 0) {
      const trainAcc = network.accuracy(xTrain, tTrain);
      const testAcc = network.accuracy(xTest, tTest);
      result.trainAccList.push(trainAcc);
      result.testAccList.push(testAcc);
      print(`train acc, test acc | ${pyFloat(trainAcc)}, ${pyFloat(testAcc)}`);
    }
  }
  return result;
}

if (isMain(import.meta.url)) {
  const iters = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  const result = main(console.log, { itersNum: iters });
  await showFigure(figure(result), 'ch04', 'train_neuralnet');
  await showFigure(lossFigure(result), 'ch04', 'train_neuralnet_loss');
}
