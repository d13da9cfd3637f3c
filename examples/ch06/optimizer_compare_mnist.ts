// ch06/optimizer_compare_mnist.py (book §6.1.8, figure 6-9): SGD, Momentum, AdaGrad and Adam
// training the same five-layer network (4 hidden layers of 100 ReLUs) on MNIST, mini-batch 128.
//   npx tsx examples/ch06/optimizer_compare_mnist.ts               (the book's 2000 iterations)
//   npx tsx examples/ch06/optimizer_compare_mnist.ts --iters 500   (or --quick: 300)
import { loadMnist } from '../../src/data/mnist.js';
import { Rng } from '../../src/ndarray/index.js';
import { MultiLayerNet } from '../../src/networks/multiLayerNet.js';
import { AdaGrad, Adam, Momentum, SGD, type Optimizer } from '../../src/optimizers/index.js';
import { Figure, type Marker } from '../../src/plot/index.js';
import { isMain, pyFloat, type Print } from '../ch01/python.js';
import {
  yieldToFinalizers,
  parseExampleArgs,
  plotMarkEvery,
  saveFigure,
  smoothCurve,
  useFastKernels,
  type FigureOutputOptions,
} from '../common.js';

/** Options of {@link main}: the book's settings by default. */
export interface OptimizerCompareMnistOptions extends FigureOutputOptions {
  /** Default 2000. */
  maxIterations?: number;
  /** Default 128. */
  batchSize?: number;
  /** Train on the first N training images only (all 60,000 by default). */
  trainSize?: number;
  /** Seed of the initial weights (the same for every optimizer); the mini-batches use seed + 1. */
  seed?: number;
}

/** The mini-batch loss of every iteration, per optimizer. */
export type TrainLoss = Record<string, number[]>;

/**
 * Trains one network per optimizer on the same mini-batches, prints the losses every 100
 * iterations (`===========iteration:0===========`, `SGD:2.30…`), and writes the smoothed loss
 * curves to `ch06/optimizer_compare_mnist.png`.
 */
export async function main(
  print: Print = console.log,
  {
    maxIterations = 2000,
    batchSize = 128,
    trainSize,
    seed = 0,
    outDir,
  }: OptimizerCompareMnistOptions = {},
): Promise<TrainLoss> {
  // 0: MNIST ==========
  const data = loadMnist({ normalize: true, dtype: 'float32' });
  const xTrain = trainSize === undefined ? data.xTrain : data.xTrain.index(`:${trainSize}`);
  const tTrain = trainSize === undefined ? data.tTrain : data.tTrain.index(`:${trainSize}`);
  const n = xTrain.shape[0];

  // 1: the experiment ==========
  // The optimizers' default learning rates, as the book constructs them.
  const optimizers: [string, Optimizer][] = [
    ['SGD', new SGD()],
    ['Momentum', new Momentum()],
    ['AdaGrad', new AdaGrad()],
    ['Adam', new Adam()],
  ];
  const networks: Record<string, MultiLayerNet> = {};
  const trainLoss: TrainLoss = {};
  for (const [key] of optimizers) {
    // Same seed for all four: they start from the same weights (the book draws four different
    // ones), so the curves differ by the optimizer alone.
    networks[key] = new MultiLayerNet({
      inputSize: 784,
      hiddenSizeList: [100, 100, 100, 100],
      outputSize: 10,
      dtype: 'float32',
      seed,
    });
    trainLoss[key] = [];
  }

  // 2: training ==========
  const rng = new Rng(seed + 1);
  for (let i = 0; i < maxIterations; i++) {
    const batchMask = rng.choice(n, batchSize);
    const xBatch = xTrain.index(batchMask);
    const tBatch = tTrain.index(batchMask);

    for (const [key, optimizer] of optimizers) {
      const grads = networks[key].gradient(xBatch, tBatch);
      optimizer.update(networks[key].params, grads);
      trainLoss[key].push(networks[key].loss(xBatch, tBatch));
    }

    if (i % 100 === 0) {
      print(`===========iteration:${i}===========`);
      for (const [key] of optimizers) print(`${key}:${pyFloat(trainLoss[key][i])}`);
    }
    await yieldToFinalizers(); // lets the wasm kernels (when in use) reclaim this iteration's arrays
  }

  // 3: the figure ==========
  const markers: Record<string, Marker> = { SGD: 'o', Momentum: 'x', AdaGrad: 's', Adam: 'D' };
  const fig = new Figure();
  const ax = fig.gca();
  optimizers.forEach(([key], i) => {
    plotMarkEvery(ax, null, smoothCurve(trainLoss[key]), {
      color: `C${i}`,
      marker: markers[key],
      markEvery: 100,
      label: key,
    });
  });
  ax.setXLabel('iterations').setYLabel('loss').setYLim(0, 1).legend();
  await saveFigure(fig, 'ch06', 'optimizer_compare_mnist', outDir, print);
  return trainLoss;
}

if (isMain(import.meta.url)) {
  const args = parseExampleArgs(['iters', 'train-size'], ['seed']);
  await useFastKernels();
  await main(console.log, {
    maxIterations: args.ints.iters ?? (args.quick ? 300 : undefined),
    trainSize: args.ints['train-size'],
    seed: args.numbers.seed,
    outDir: args.outDir,
  });
}
