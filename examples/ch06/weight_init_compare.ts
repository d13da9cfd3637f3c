// ch06/weight_init_compare.py (book §6.2.4, figure 6-15): the same five-layer ReLU network (4
// hidden layers of 100) on MNIST with three initial weight scales — std 0.01, Xavier and He —
// trained by SGD (lr 0.01, mini-batch 128).
//   npx tsx examples/ch06/weight_init_compare.ts               (the book's 2000 iterations)
//   npx tsx examples/ch06/weight_init_compare.ts --iters 500   (or --quick: 300)
import { loadMnist } from '../../src/data/mnist.js';
import { Rng } from '../../src/ndarray/index.js';
import { MultiLayerNet } from '../../src/networks/multiLayerNet.js';
import type { WeightInitStd } from '../../src/networks/init.js';
import { SGD } from '../../src/optimizers/index.js';
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
export interface WeightInitCompareOptions extends FigureOutputOptions {
  /** Default 2000. */
  maxIterations?: number;
  /** Default 128. */
  batchSize?: number;
  /** Train on the first N training images only (all 60,000 by default). */
  trainSize?: number;
  /** Seed of the initial weights; the mini-batches use seed + 1. Default 0. */
  seed?: number;
}

/** The book's three initialisations: std 0.01, Xavier (√(1/n)) and He (√(2/n)). */
export const WEIGHT_INIT_TYPES: readonly [string, WeightInitStd][] = [
  ['std=0.01', 0.01],
  ['Xavier', 'sigmoid'],
  ['He', 'relu'],
];

/**
 * Trains the three networks on the same mini-batches, prints the losses every 100 iterations
 * (`===========iteration:0===========`, `std=0.01:2.30…`), and writes the smoothed loss curves to
 * `ch06/weight_init_compare.png`.
 * @returns the mini-batch loss of every iteration, per initialisation
 */
export async function main(
  print: Print = console.log,
  {
    maxIterations = 2000,
    batchSize = 128,
    trainSize,
    seed = 0,
    outDir,
  }: WeightInitCompareOptions = {},
): Promise<Record<string, number[]>> {
  // 0: MNIST ==========
  const data = loadMnist({ normalize: true, dtype: 'float32' });
  const xTrain = trainSize === undefined ? data.xTrain : data.xTrain.index(`:${trainSize}`);
  const tTrain = trainSize === undefined ? data.tTrain : data.tTrain.index(`:${trainSize}`);
  const n = xTrain.shape[0];

  // 1: the experiment ==========
  const optimizer = new SGD({ lr: 0.01 }); // stateless, so one serves the three networks
  const networks: Record<string, MultiLayerNet> = {};
  const trainLoss: Record<string, number[]> = {};
  for (const [key, weightType] of WEIGHT_INIT_TYPES) {
    networks[key] = new MultiLayerNet({
      inputSize: 784,
      hiddenSizeList: [100, 100, 100, 100],
      outputSize: 10,
      weightInitStd: weightType,
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

    for (const [key] of WEIGHT_INIT_TYPES) {
      const grads = networks[key].gradient(xBatch, tBatch);
      optimizer.update(networks[key].params, grads);
      trainLoss[key].push(networks[key].loss(xBatch, tBatch));
    }

    if (i % 100 === 0) {
      print(`===========iteration:${i}===========`);
      for (const [key] of WEIGHT_INIT_TYPES) print(`${key}:${pyFloat(trainLoss[key][i])}`);
    }
    await yieldToFinalizers(); // lets the wasm kernels (when in use) reclaim this iteration's arrays
  }

  // 3: the figure ==========
  const markers: Record<string, Marker> = { 'std=0.01': 'o', Xavier: 's', He: 'D' };
  const fig = new Figure();
  const ax = fig.gca();
  WEIGHT_INIT_TYPES.forEach(([key], i) => {
    plotMarkEvery(ax, null, smoothCurve(trainLoss[key]), {
      color: `C${i}`,
      marker: markers[key],
      markEvery: 100,
      label: key,
    });
  });
  ax.setXLabel('iterations').setYLabel('loss').setYLim(0, 2.5).legend();
  await saveFigure(fig, 'ch06', 'weight_init_compare', outDir, print);
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
