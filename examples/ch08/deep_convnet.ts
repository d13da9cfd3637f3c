// ch08/train_deepnet.py (book §8.1.2): DeepConvNet on MNIST with the book's settings — 20 epochs,
// mini-batch 100, Adam lr 0.001, evaluation on 1000 samples per epoch (the book reaches 0.9938) —
// then saves the parameters for misclassified_mnist and half_float_network and draws the accuracy
// curves as ch07/train_convnet.py does (out/ch08/deep_convnet.png).
//   npx tsx examples/ch08/deep_convnet.ts             (the book's run: use the fast kernels)
//   npx tsx examples/ch08/deep_convnet.ts --quick     (3000 training, 1000 test samples, 1 epoch)
//   flags: --epochs N, --out FILE.npz (default deep_convnet_params.npz), --train-size N,
//   --test-size N
import { saveNpz } from '../../src/io/node.js';
import { kernels } from '../../src/ndarray/index.js';
import { DeepConvNet } from '../../src/networks/deepConvNet.js';
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
} from '../ch07/cli.js';
import { accuracyFigure } from '../ch07/figures.js';

/** What the run produced. */
export interface TrainDeepnetResult {
  network: DeepConvNet;
  testAcc: number;
  trainAccList: number[];
  testAccList: number[];
  /** Wall time of the training, in ms. */
  ms: number;
}

/** Train and test accuracy per epoch, drawn as the book's train_convnet.py draws them. */
export function figure(result: TrainDeepnetResult): Figure {
  return accuracyFigure(result, 'DeepConvNet');
}

/** Writes {@link figure} to out/ch08/deep_convnet.png; returns the path. */
export function writeFigures(result: TrainDeepnetResult): Promise<string> {
  return showFigure(figure(result), 'ch08', 'deep_convnet');
}

/** Trains, prints the Trainer's lines and the final test accuracy, saves the parameters unless `out` is null. */
export async function main(
  print: Print = console.log,
  {
    quick = false,
    epochs,
    out = 'deep_convnet_params.npz',
    trainSize,
    testSize,
  }: Partial<Omit<ExampleFlags, 'out'>> & { out?: string | null } = {},
  { verbose = true, seed = 0 }: { verbose?: boolean; seed?: number } = {},
): Promise<TrainDeepnetResult> {
  const { xTrain, tTrain, xTest, tTest } = loadMnistImages(
    trainSize ?? (quick ? 3000 : undefined),
    testSize ?? (quick ? 1000 : undefined),
  );
  const maxEpochs = epochs ?? (quick ? 1 : 20);
  const network = new DeepConvNet({ dtype: 'float32', seed });
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
  return { network, testAcc, trainAccList, testAccList, ms };
}

if (isMain(import.meta.url)) {
  const flags = parseFlags();
  useFastKernels();
  await writeFigures(await main(console.log, flags));
}
