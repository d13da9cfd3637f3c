// ch06/batch_norm_test.py (book §6.3.2, figure 6-19): six-layer networks (5 hidden layers of 100)
// with and without Batch Normalization, trained on 1000 MNIST images by SGD (lr 0.01) for 20
// epochs, for 16 initial weight scales from 1 down to 1e-4.
//   npx tsx examples/ch06/batch_norm_test.ts            (the book's 16 scales × 20 epochs)
//   npx tsx examples/ch06/batch_norm_test.ts --quick    (4 scales × 10 epochs)
//   flags: --scales N, --epochs N, --train-size N, --seed N, --out-dir DIR, --no-plot
import { loadMnist } from '../../src/data/mnist.js';
import { Rng, type NDArray } from '../../src/ndarray/index.js';
import { MultiLayerNetExtend } from '../../src/networks/multiLayerNetExtend.js';
import { SGD } from '../../src/optimizers/index.js';
import { Figure } from '../../src/plot/index.js';
import { isMain, pyFloat, type Print } from '../ch01/python.js';
import {
  yieldToFinalizers,
  parseExampleArgs,
  saveFigure,
  useFastKernels,
  type FigureOutputOptions,
} from '../common.js';

/** Options of {@link main}: the book's settings by default. */
export interface BatchNormTestOptions extends FigureOutputOptions {
  /** Weight scales, evenly spaced in log from 1 to 1e-4 (np.logspace(0, -4, num)). Default 16. */
  numScales?: number;
  /** Default 20. */
  maxEpochs?: number;
  /** Training images (the first ones). Default 1000. */
  trainSize?: number;
  /** Default 100. */
  batchSize?: number;
  /** Default 0.01. */
  learningRate?: number;
  /** Seed of the weights (both networks start from the same ones); mini-batches use seed + 1. */
  seed?: number;
}

/** One weight scale's training accuracies per epoch, without and with Batch Normalization. */
export interface BatchNormRun {
  weightInitStd: number;
  trainAccList: number[];
  bnTrainAccList: number[];
}

/** np.logspace(start, stop, num): num values evenly spaced in log10 from 10^start to 10^stop. */
export function logspace(start: number, stop: number, num: number): number[] {
  // Integer exponents through the literal: V8's 10 ** -4 is 0.00009999999999999999.
  const pow10 = (e: number) => (Number.isInteger(e) ? Number(`1e${e}`) : 10 ** e);
  if (num === 1) return [pow10(start)];
  return Array.from({ length: num }, (_, i) => pow10(start + ((stop - start) * i) / (num - 1)));
}

/** A weight scale short enough for a subplot title: 3 significant digits. */
function shortScale(w: number): string {
  return String(Number(w.toPrecision(3))); // 0.0464, 0.0001
}

/** The book's `__train`: both networks on the same mini-batches, accuracies once per epoch. */
async function train(
  weightInitStd: number,
  xTrain: NDArray,
  tTrain: NDArray,
  o: Required<Omit<BatchNormTestOptions, 'numScales' | 'outDir' | 'trainSize'>>,
  rng: Rng,
  print: Print,
): Promise<BatchNormRun> {
  const common = {
    inputSize: 784,
    hiddenSizeList: [100, 100, 100, 100, 100],
    outputSize: 10,
    weightInitStd,
    dtype: 'float32' as const,
    seed: o.seed,
  };
  const bnNetwork = new MultiLayerNetExtend({ ...common, useBatchnorm: true });
  const network = new MultiLayerNetExtend(common);
  const optimizer = new SGD({ lr: o.learningRate });

  const trainSize = xTrain.shape[0];
  const run: BatchNormRun = { weightInitStd, trainAccList: [], bnTrainAccList: [] };
  // The book's float iter_per_epoch: exact (10) for 1000 samples in batches of 100.
  const iterPerEpoch = Math.max(trainSize / o.batchSize, 1);
  let epochCnt = 0;
  for (let i = 0; ; i++) {
    const batchMask = rng.choice(trainSize, o.batchSize);
    const xBatch = xTrain.index(batchMask);
    const tBatch = tTrain.index(batchMask);
    for (const net of [bnNetwork, network]) {
      const grads = net.gradient(xBatch, tBatch);
      optimizer.update(net.params, grads);
    }
    if (i % iterPerEpoch === 0) {
      const trainAcc = network.accuracy(xTrain, tTrain);
      const bnTrainAcc = bnNetwork.accuracy(xTrain, tTrain);
      run.trainAccList.push(trainAcc);
      run.bnTrainAccList.push(bnTrainAcc);
      print(`epoch:${epochCnt} | ${pyFloat(trainAcc)} - ${pyFloat(bnTrainAcc)}`);
      epochCnt++;
      if (epochCnt >= o.maxEpochs) break;
    }
    await yieldToFinalizers(); // lets the wasm kernels (when in use) reclaim this iteration's arrays
  }
  return run;
}

/**
 * Trains for each weight scale and prints `============== 1/16 ==============` then one line
 * per epoch, `epoch:0 | <acc without> - <acc with BatchNorm>`; writes a grid of the accuracy
 * curves to `ch06/batch_norm_test.png`.
 */
export async function main(
  print: Print = console.log,
  {
    numScales = 16,
    maxEpochs = 20,
    trainSize = 1000,
    batchSize = 100,
    learningRate = 0.01,
    seed = 0,
    outDir,
  }: BatchNormTestOptions = {},
): Promise<BatchNormRun[]> {
  const data = loadMnist({ normalize: true, dtype: 'float32' });
  // Fewer training samples, as the book: the difference shows within a few epochs.
  const xTrain = data.xTrain.index(`:${trainSize}`);
  const tTrain = data.tTrain.index(`:${trainSize}`);
  const rng = new Rng(seed + 1);
  const weightScaleList = logspace(0, -4, numScales);
  const runs: BatchNormRun[] = [];
  for (const [i, w] of weightScaleList.entries()) {
    print(`============== ${i + 1}/${numScales} ==============`);
    const o = { maxEpochs, batchSize, learningRate, seed };
    runs.push(await train(w, xTrain, tTrain, o, rng, print));
  }

  // The figure: one subplot per scale, 4 per row, the book's legend on the last one.
  const cols = Math.min(4, numScales);
  const rows = Math.ceil(numScales / cols);
  const fig = new Figure({ width: 260 * cols, height: 200 * rows + 40, fontSize: 11 });
  const axes = fig.subplots(rows, cols);
  const x = Array.from({ length: maxEpochs }, (_, e) => e);
  runs.forEach((run, i) => {
    const ax = axes[i];
    ax.setTitle(`W:${shortScale(run.weightInitStd)}`);
    const last = i === runs.length - 1;
    ax.plot(x, run.bnTrainAccList, {
      color: 'C0',
      label: last ? 'Batch Normalization' : undefined,
    });
    ax.plot(x, run.trainAccList, {
      color: 'C1',
      lineStyle: '--',
      label: last ? 'Normal (without BatchNorm)' : undefined,
    });
    ax.setYLim(0, 1.0);
    if (i % cols) ax.setYTicks([], []);
    else ax.setYLabel('accuracy');
    if (i < runs.length - cols) ax.setXTicks([], []);
    else ax.setXLabel('epochs');
    if (last) ax.legend({ loc: 'lower right', fontSize: 9 });
  });
  await saveFigure(fig, 'ch06', 'batch_norm_test', outDir, print);
  return runs;
}

if (isMain(import.meta.url)) {
  const args = parseExampleArgs(['scales', 'epochs', 'train-size'], ['seed']);
  await useFastKernels();
  await main(console.log, {
    numScales: args.ints.scales ?? (args.quick ? 4 : undefined),
    maxEpochs: args.ints.epochs ?? (args.quick ? 10 : undefined),
    trainSize: args.ints['train-size'],
    seed: args.numbers.seed,
    outDir: args.outDir,
  });
}
