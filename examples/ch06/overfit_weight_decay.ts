// ch06/overfit_weight_decay.py (book §6.4.1–6.4.2, figures 6-20 and 6-21): a seven-layer network
// (6 hidden layers of 100) trained on only 300 MNIST images overfits; weight decay (λ = 0.1)
// narrows the gap between train and test accuracy. Runs both, without and with weight decay.
//   npx tsx examples/ch06/overfit_weight_decay.ts             (the book's 201 epochs, twice)
//   npx tsx examples/ch06/overfit_weight_decay.ts --quick     (51 epochs, 2000 test images)
//   flags: --epochs N, --train-size N, --test-size N, --lambda X, --lr X, --seed N, --out-dir DIR
import { loadMnist } from '../../src/data/mnist.js';
import { Rng, type NDArray } from '../../src/ndarray/index.js';
import { MultiLayerNet } from '../../src/networks/multiLayerNet.js';
import { SGD } from '../../src/optimizers/index.js';
import { isMain, pyFloat, type Print } from '../ch01/python.js';
import {
  formatDuration,
  yieldToFinalizers,
  parseExampleArgs,
  saveFigure,
  useFastKernels,
  type FigureOutputOptions,
} from '../common.js';
import { finalGap, overfitFigure, type OverfitRun } from './overfit_figure.js';

/** Options of {@link main}: the book's settings by default. */
export interface OverfitWeightDecayOptions extends FigureOutputOptions {
  /** The λ of the run with weight decay (the other has 0). Default 0.1. */
  weightDecayLambda?: number;
  /** Default 201. */
  maxEpochs?: number;
  /** Training images (the first ones). Default 300. */
  trainSize?: number;
  /** Test images (the first ones). Default: all 10,000. */
  testSize?: number;
  /** Default 100. */
  batchSize?: number;
  /** SGD learning rate. Default 0.01. */
  learningRate?: number;
  /** Seed of the weights (the same for both runs); the mini-batches use seed + 1. Default 0. */
  seed?: number;
  /** Print the accuracy line of every n-th epoch. Default 1 (all, as the book). */
  printEvery?: number;
  /** Hidden layer sizes. Default six layers of 100, the book's (smaller nets for quick checks). */
  hiddenSizeList?: number[];
}

/** A run of the book's loop with a given λ. */
export interface WeightDecayRun extends OverfitRun {
  weightDecayLambda: number;
  /** Last train accuracy − last test accuracy. */
  gap: number;
  ms: number;
}

/** The book's training loop for one λ: accuracies at iterations 0, 3, 6, … (one per epoch). */
async function train(
  weightDecayLambda: number,
  data: { xTrain: NDArray; tTrain: NDArray; xTest: NDArray; tTest: NDArray },
  o: Required<
    Omit<OverfitWeightDecayOptions, 'outDir' | 'trainSize' | 'testSize' | 'weightDecayLambda'>
  >,
  print: Print,
): Promise<WeightDecayRun> {
  const { xTrain, tTrain, xTest, tTest } = data;
  const network = new MultiLayerNet({
    inputSize: 784,
    hiddenSizeList: o.hiddenSizeList,
    outputSize: 10,
    weightDecayLambda,
    dtype: 'float32',
    seed: o.seed,
  });
  const optimizer = new SGD({ lr: o.learningRate });
  const rng = new Rng(o.seed + 1); // the same mini-batches for every λ
  const trainSize = xTrain.shape[0];
  // The book's float iter_per_epoch: 3 for 300 samples (a division that is not exact would
  // evaluate at iteration 0 only, and the loop would not end; so it must be exact here).
  const iterPerEpoch = Math.max(trainSize / o.batchSize, 1);
  if (!Number.isInteger(iterPerEpoch)) {
    throw new Error(
      `overfit_weight_decay: expected trainSize a multiple of batchSize, got ${trainSize} and ${o.batchSize}`,
    );
  }
  const run: WeightDecayRun = {
    title:
      weightDecayLambda === 0 ? 'without weight decay' : `weight decay λ = ${weightDecayLambda}`,
    weightDecayLambda,
    trainAccList: [],
    testAccList: [],
    gap: NaN,
    ms: 0,
  };
  const start = performance.now();
  let epochCnt = 0;
  for (let i = 0; ; i++) {
    const batchMask = rng.choice(trainSize, o.batchSize);
    const xBatch = xTrain.index(batchMask);
    const tBatch = tTrain.index(batchMask);
    const grads = network.gradient(xBatch, tBatch);
    optimizer.update(network.params, grads);

    if (i % iterPerEpoch === 0) {
      const trainAcc = network.accuracy(xTrain, tTrain);
      const testAcc = network.accuracy(xTest, tTest);
      run.trainAccList.push(trainAcc);
      run.testAccList.push(testAcc);
      if (epochCnt % o.printEvery === 0 || epochCnt === o.maxEpochs - 1) {
        print(`epoch:${epochCnt}, train acc:${pyFloat(trainAcc)}, test acc:${pyFloat(testAcc)}`);
      }
      epochCnt++;
      if (epochCnt >= o.maxEpochs) break;
    }
    await yieldToFinalizers(); // lets the wasm kernels (when in use) reclaim this iteration's arrays
  }
  run.ms = performance.now() - start;
  run.gap = finalGap(run);
  return run;
}

/**
 * Trains without and with weight decay, printing the book's line per epoch
 * (`epoch:0, train acc:…, test acc:…`) under a `=== λ = … ===` header, then the final accuracies
 * and gap of both; writes `ch06/overfit_weight_decay.png`.
 * @returns the run without weight decay, then the one with it
 */
export async function main(
  print: Print = console.log,
  {
    weightDecayLambda = 0.1,
    maxEpochs = 201,
    trainSize = 300,
    testSize,
    batchSize = 100,
    learningRate = 0.01,
    seed = 0,
    printEvery = 1,
    hiddenSizeList = [100, 100, 100, 100, 100, 100],
    outDir,
  }: OverfitWeightDecayOptions = {},
): Promise<[WeightDecayRun, WeightDecayRun]> {
  const all = loadMnist({ normalize: true, dtype: 'float32' });
  // Fewer training samples, to make the network overfit.
  const data = {
    xTrain: all.xTrain.index(`:${trainSize}`),
    tTrain: all.tTrain.index(`:${trainSize}`),
    xTest: testSize === undefined ? all.xTest : all.xTest.index(`:${testSize}`),
    tTest: testSize === undefined ? all.tTest : all.tTest.index(`:${testSize}`),
  };
  const o = { maxEpochs, batchSize, learningRate, seed, printEvery, hiddenSizeList };
  const runs: WeightDecayRun[] = [];
  for (const lambda of [0, weightDecayLambda]) {
    print(`=== weight_decay_lambda = ${lambda} ===`);
    runs.push(await train(lambda, data, o, print));
  }
  print('=== final accuracies (the gap is train − test) ===');
  for (const run of runs) {
    const last = run.trainAccList.length - 1;
    print(
      `λ=${run.weightDecayLambda}: train acc ${pyFloat(run.trainAccList[last])}, test acc ${pyFloat(run.testAccList[last])}, gap ${run.gap.toFixed(4)} (${formatDuration(run.ms)})`,
    );
  }
  await saveFigure(overfitFigure(runs), 'ch06', 'overfit_weight_decay', outDir, print);
  return [runs[0], runs[1]];
}

if (isMain(import.meta.url)) {
  const args = parseExampleArgs(
    ['epochs', 'train-size', 'test-size', 'print-every'],
    ['lambda', 'lr', 'seed'],
  );
  await useFastKernels();
  await main(console.log, {
    maxEpochs: args.ints.epochs ?? (args.quick ? 51 : undefined),
    trainSize: args.ints['train-size'],
    testSize: args.ints['test-size'] ?? (args.quick ? 2000 : undefined),
    weightDecayLambda: args.numbers.lambda,
    learningRate: args.numbers.lr,
    seed: args.numbers.seed,
    printEvery: args.ints['print-every'],
    outDir: args.outDir,
  });
}
