// ch07/train_convnet.py (book §7.5): SimpleConvNet on MNIST with the book's settings — 20 epochs,
// mini-batch 100, Adam lr 0.001, evaluation on 1000 samples per epoch — then saves the parameters
// and draws the accuracy curves (out/ch07/train_convnet.png).
//   npx tsx examples/ch07/train_convnet.ts            (the book's run; use the fast kernels)
//   npx tsx examples/ch07/train_convnet.ts --quick    (5000 training, 1000 test samples, 1 epoch)
//   flags: --epochs N, --out FILE.npz (default simple_convnet_params.npz), --train-size N,
//   --test-size N
import { saveNpz } from '../../src/io/node.js';
import { kernels } from '../../src/ndarray/index.js';
import { SimpleConvNet } from '../../src/networks/simpleConvNet.js';
import type { Figure } from '../../src/plot/figure.js';
import { showFigure } from '../ch01/figure.js';
import { isMain, pyFloat, type Print } from '../ch01/python.js';
import {
  formatDuration,
  loadMnistImages,
  parseFlags,
  trainAdam,
  useFastKernels,
  type ExampleFlags,
} from './cli.js';
import { accuracyFigure } from './figures.js';

/** What the run produced. */
export interface TrainConvnetResult {
  network: SimpleConvNet;
  testAcc: number;
  trainAccList: number[];
  testAccList: number[];
  /** Wall time of the training, in ms. */
  ms: number;
}

/** The book's figure: train and test accuracy per epoch (markers 'o' and 's', y from 0 to 1). */
export function figure(result: TrainConvnetResult): Figure {
  return accuracyFigure(result, 'SimpleConvNet');
}

/** Writes {@link figure} to out/ch07/train_convnet.png; returns the path. */
export function writeFigures(result: TrainConvnetResult): Promise<string> {
  return showFigure(figure(result), 'ch07', 'train_convnet');
}

/**
 * Trains and prints the Trainer's lines (`train loss:…` per iteration when `verbose`,
 * `=== epoch:… ===` per epoch), then the final test accuracy; saves the parameters as an .npz
 * (np.savez layout) unless `out` is null.
 */
export async function main(
  print: Print = console.log,
  {
    quick = false,
    epochs,
    out = 'simple_convnet_params.npz',
    trainSize,
    testSize,
  }: Partial<Omit<ExampleFlags, 'out'>> & { out?: string | null } = {},
  { verbose = true, seed = 0 }: { verbose?: boolean; seed?: number } = {},
): Promise<TrainConvnetResult> {
  // The book's commented-out lines "reduce the data if training takes too long", for --quick.
  const { xTrain, tTrain, xTest, tTest } = loadMnistImages(
    trainSize ?? (quick ? 5000 : undefined),
    testSize ?? (quick ? 1000 : undefined),
  );
  const maxEpochs = epochs ?? (quick ? 1 : 20);
  const network = new SimpleConvNet({
    inputDim: [1, 28, 28],
    convParam: { filterNum: 30, filterSize: 5, pad: 0, stride: 1 },
    hiddenSize: 100,
    outputSize: 10,
    weightInitStd: 0.01,
    dtype: 'float32',
    seed,
  });
  print(`kernels: ${kernels().name}, ${xTrain.shape[0]} training samples, ${maxEpochs} epoch(s)`);
  const start = performance.now();
  const { testAcc, trainAccList, testAccList } = await trainAdam(
    network,
    { xTrain, tTrain, xTest, tTest },
    print,
    { epochs: maxEpochs, miniBatchSize: 100, lr: 0.001, seed: seed + 1, verbose },
  );
  const ms = performance.now() - start;
  print(`trained in ${formatDuration(ms)}; test accuracy ${pyFloat(testAcc)}`);
  if (out !== null) {
    saveNpz(out, network.params); // the layout of np.savez(file, **network.params)
    print(`Saved Network Parameters to ${out}!`);
  }
  return {
    network,
    testAcc,
    trainAccList,
    testAccList,
    ms,
  };
}

if (isMain(import.meta.url)) {
  const flags = parseFlags();
  useFastKernels();
  await writeFigures(await main(console.log, flags));
}
