// ch06/overfit_dropout.py (book §6.4.3, figure 6-23): the overfitting seven-layer network (6 hidden
// layers of 100, 300 MNIST images) trained by the Trainer for 301 epochs, without and with Dropout
// (ratio 0.2); Dropout narrows the gap between train and test accuracy.
//   npx tsx examples/ch06/overfit_dropout.ts             (the book's 301 epochs, twice)
//   npx tsx examples/ch06/overfit_dropout.ts --quick     (51 epochs, 2000 test images)
//   flags: --epochs N, --train-size N, --test-size N, --ratio X, --lr X, --seed N, --out-dir DIR
import { loadMnist } from '../../src/data/mnist.js';
import type { NDArray } from '../../src/ndarray/index.js';
import { MultiLayerNetExtend } from '../../src/networks/multiLayerNetExtend.js';
import { Trainer } from '../../src/training/trainer.js';
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
export interface OverfitDropoutOptions extends FigureOutputOptions {
  /** The dropout ratio of the run with Dropout (the book's `dropout_ratio`). Default 0.2. */
  dropoutRatio?: number;
  /** Default 301. */
  epochs?: number;
  /** Training images (the first ones). Default 300. */
  trainSize?: number;
  /** Test images (the first ones). Default: all 10,000. */
  testSize?: number;
  /** Default 100. */
  miniBatchSize?: number;
  /** SGD learning rate. Default 0.01. */
  learningRate?: number;
  /** Seed of the weights and dropout masks (the same for both runs); mini-batches use seed + 1. */
  seed?: number;
  /** Print the accuracy line of every n-th epoch. Default 1 (all, as the book). */
  printEvery?: number;
  /** Hidden layer sizes. Default six layers of 100, the book's (smaller nets for quick checks). */
  hiddenSizeList?: number[];
}

/** A run with or without Dropout. */
export interface DropoutRun extends OverfitRun {
  useDropout: boolean;
  /** Last train accuracy − last test accuracy. */
  gap: number;
  ms: number;
}

/**
 * Trains without and with Dropout, printing the Trainer's epoch line
 * (`=== epoch:1, train acc:…, test acc:… ===`) under a header, then the final accuracies and gap
 * of both; writes `ch06/overfit_dropout.png`. The Trainer measures the accuracies at the end of
 * each epoch (see src/training/trainer.ts), so the last values are the trained network's.
 * @returns the run without Dropout, then the one with it
 */
export async function main(
  print: Print = console.log,
  {
    dropoutRatio = 0.2,
    epochs = 301,
    trainSize = 300,
    testSize,
    miniBatchSize = 100,
    learningRate = 0.01,
    seed = 0,
    printEvery = 1,
    hiddenSizeList = [100, 100, 100, 100, 100, 100],
    outDir,
  }: OverfitDropoutOptions = {},
): Promise<[DropoutRun, DropoutRun]> {
  const all = loadMnist({ normalize: true, dtype: 'float32' });
  // Fewer training samples, to make the network overfit.
  const xTrain = all.xTrain.index(`:${trainSize}`);
  const tTrain = all.tTrain.index(`:${trainSize}`);
  const head = testSize === undefined ? ':' : `:${testSize}`;
  const xTest: NDArray = all.xTest.index(head);
  const tTest: NDArray = all.tTest.index(head);

  const runs: DropoutRun[] = [];
  for (const useDropout of [false, true]) {
    print(
      `=== use_dropout = ${useDropout ? `True, dropout_ratio = ${dropoutRatio}` : 'False'} ===`,
    );
    const network = new MultiLayerNetExtend({
      inputSize: 784,
      hiddenSizeList,
      outputSize: 10,
      useDropout,
      dropoutRatio,
      dtype: 'float32',
      seed,
    });
    const trainer = new Trainer(network, xTrain, tTrain, xTest, tTest, {
      epochs,
      miniBatchSize,
      optimizer: 'sgd',
      optimizerParam: { lr: learningRate },
      seed: seed + 1,
      verbose: false, // the per-iteration loss lines are left out; the epoch lines come below
      onEpoch: ({ epoch, trainAcc, testAcc }) => {
        if (epoch % printEvery === 0 || epoch === 1 || epoch === epochs) {
          print(
            `=== epoch:${epoch}, train acc:${pyFloat(trainAcc)}, test acc:${pyFloat(testAcc)} ===`,
          );
        }
      },
    });
    const start = performance.now();
    // trainer.train() one step at a time, so the wasm kernels (when in use) can reclaim memory.
    while (trainer.currentIter < trainer.maxIter) {
      trainer.trainStep();
      await yieldToFinalizers();
    }
    const run: DropoutRun = {
      title: useDropout ? `Dropout (ratio ${dropoutRatio})` : 'without Dropout',
      useDropout,
      trainAccList: [...trainer.trainAccList],
      testAccList: [...trainer.testAccList],
      gap: NaN,
      ms: performance.now() - start,
    };
    run.gap = finalGap(run);
    runs.push(run);
  }
  print('=== final accuracies (the gap is train − test) ===');
  for (const run of runs) {
    const last = run.trainAccList.length - 1;
    print(
      `${run.useDropout ? `dropout ${dropoutRatio}` : 'no dropout'}: train acc ${pyFloat(run.trainAccList[last])}, test acc ${pyFloat(run.testAccList[last])}, gap ${run.gap.toFixed(4)} (${formatDuration(run.ms)})`,
    );
  }
  await saveFigure(overfitFigure(runs), 'ch06', 'overfit_dropout', outDir, print);
  return [runs[0], runs[1]];
}

if (isMain(import.meta.url)) {
  const args = parseExampleArgs(
    ['epochs', 'train-size', 'test-size', 'print-every'],
    ['ratio', 'lr', 'seed'],
  );
  await useFastKernels();
  await main(console.log, {
    epochs: args.ints.epochs ?? (args.quick ? 51 : undefined),
    trainSize: args.ints['train-size'],
    testSize: args.ints['test-size'] ?? (args.quick ? 2000 : undefined),
    dropoutRatio: args.numbers.ratio,
    learningRate: args.numbers.lr,
    seed: args.numbers.seed,
    printEvery: args.ints['print-every'],
    outDir: args.outDir,
  });
}
