// ch06/hyperparameter_optimization.py (book §6.5.3, figure 6-24): random search of the learning
// rate (10^U(-6, -2)) and the weight decay (10^U(-8, -4)) for a seven-layer network (6 hidden
// layers of 100), trained on 400 MNIST images and scored on 100 validation images split from the
// training set — the test set is never looked at.
//   npx tsx examples/ch06/hyperparameter_optimization.ts            (the book's 100 trials)
//   npx tsx examples/ch06/hyperparameter_optimization.ts --quick    (10 trials of 20 epochs)
//   flags: --trials N, --epochs N, --train-size N, --seed N, --out-dir DIR, --no-plot
import { loadMnist } from '../../src/data/mnist.js';
import { Rng } from '../../src/ndarray/index.js';
import { MultiLayerNet } from '../../src/networks/multiLayerNet.js';
import { colormap, Figure } from '../../src/plot/index.js';
import { Trainer } from '../../src/training/trainer.js';
import { isMain, pyFloat, type Print } from '../ch01/python.js';
import {
  yieldToFinalizers,
  parseExampleArgs,
  saveFigure,
  shuffleDataset,
  useFastKernels,
  type FigureOutputOptions,
} from '../common.js';

/** Options of {@link main}: the book's settings by default. */
export interface HyperparameterOptimizationOptions extends FigureOutputOptions {
  /** Random trials. Default 100. */
  optimizationTrial?: number;
  /** Epochs per trial. Default 50. */
  epochs?: number;
  /** Training images taken (the first ones) before the validation split. Default 500. */
  trainSize?: number;
  /** Fraction of them kept for validation. Default 0.2. */
  validationRate?: number;
  /** Best trials printed and drawn. Default 20. */
  graphDrawNum?: number;
  /** Seed of the split, the search and the trainings. Default 0. */
  seed?: number;
}

/** One trial: its hyperparameters and accuracy curves. */
export interface Trial {
  lr: number;
  weightDecay: number;
  /** Validation accuracy per epoch (the last is the score). */
  valAccList: number[];
  trainAccList: number[];
}

/** The book's key for a trial: `lr:0.0051…, weight decay:1.23…e-06`. */
function trialKey(t: Trial): string {
  return `lr:${pyFloat(t.lr)}, weight decay:${pyFloat(t.weightDecay)}`;
}

/**
 * Runs the search, printing `val acc:… | lr:…, weight decay:…` per trial, then the best ones
 * (`Best-1(val acc:…) | lr:…, weight decay:…`); writes the book's grid of the best trials'
 * curves (`ch06/hyperparameter_optimization.png`) and a scatter of every trial's validation
 * accuracy against each hyperparameter (`ch06/hyperparameter_optimization_scatter.png`).
 * @returns the trials, best first
 */
export async function main(
  print: Print = console.log,
  {
    optimizationTrial = 100,
    epochs = 50,
    trainSize = 500,
    validationRate = 0.2,
    graphDrawNum = 20,
    seed = 0,
    outDir,
  }: HyperparameterOptimizationOptions = {},
): Promise<Trial[]> {
  const all = loadMnist({ normalize: true, dtype: 'float32' });
  // Fewer training samples, for speed.
  let xTrain = all.xTrain.index(`:${trainSize}`);
  let tTrain = all.tTrain.index(`:${trainSize}`);

  // The validation split, after a shuffle (the first MNIST images are not in random order of
  // class, and the search must not see the test set).
  const rng = new Rng(seed);
  const validationNum = Math.floor(trainSize * validationRate);
  [xTrain, tTrain] = shuffleDataset(xTrain, tTrain, rng);
  const xVal = xTrain.index(`:${validationNum}`);
  const tVal = tTrain.index(`:${validationNum}`);
  xTrain = xTrain.index(`${validationNum}:`);
  tTrain = tTrain.index(`${validationNum}:`);

  const trials: Trial[] = [];
  for (let i = 0; i < optimizationTrial; i++) {
    // The search ranges ===============
    const weightDecay = 10 ** (-8 + 4 * rng.random());
    const lr = 10 ** (-6 + 4 * rng.random());
    // ================================
    const network = new MultiLayerNet({
      inputSize: 784,
      hiddenSizeList: [100, 100, 100, 100, 100, 100],
      outputSize: 10,
      weightDecayLambda: weightDecay,
      dtype: 'float32',
      seed: seed + 1000 + i,
    });
    const trainer = new Trainer(network, xTrain, tTrain, xVal, tVal, {
      epochs,
      miniBatchSize: 100,
      optimizer: 'sgd',
      optimizerParam: { lr },
      seed: seed + 2000 + i,
      verbose: false,
    });
    // trainer.train() one step at a time, so the wasm kernels (when in use) can reclaim memory.
    while (trainer.currentIter < trainer.maxIter) {
      trainer.trainStep();
      await yieldToFinalizers();
    }
    const trial: Trial = {
      lr,
      weightDecay,
      valAccList: [...trainer.testAccList],
      trainAccList: [...trainer.trainAccList],
    };
    trials.push(trial);
    print(`val acc:${pyFloat(trial.valAccList[epochs - 1])} | ${trialKey(trial)}`);
  }

  // The result ========================================================
  print('=========== Hyper-Parameter Optimization Result ===========');
  // Best first; a stable sort keeps the earlier trial first among equal scores.
  const sorted = [...trials].sort((a, b) => b.valAccList[epochs - 1] - a.valAccList[epochs - 1]);
  const shown = sorted.slice(0, graphDrawNum);
  shown.forEach((t, i) => {
    print(`Best-${i + 1}(val acc:${pyFloat(t.valAccList[epochs - 1])}) | ${trialKey(t)}`);
  });

  // The book's figure 6-24: validation (solid) and training (dashed) accuracy of the best trials.
  const colNum = 5;
  const rowNum = Math.ceil(shown.length / colNum);
  const grid = new Figure({ width: 1000, height: 180 * rowNum + 40, fontSize: 11 });
  const axes = grid.subplots(rowNum, colNum);
  const x = Array.from({ length: epochs }, (_, e) => e);
  shown.forEach((t, i) => {
    const ax = axes[i];
    ax.setTitle(`Best-${i + 1}`).setYLim(0.0, 1.0);
    if (i % colNum) ax.setYTicks([], []);
    ax.setXTicks([], []);
    ax.plot(x, t.valAccList, { color: 'C0' });
    ax.plot(x, t.trainAccList, '--', { color: 'C1' });
  });
  grid.suptitle('best trials: validation (solid) and training (dashed) accuracy');
  await saveFigure(grid, 'ch06', 'hyperparameter_optimization', outDir, print);

  // Every trial: its score against the learning rate, and where it lies in the search square
  // coloured by its score (viridis: yellow is best), the best trial starred.
  const cmap = colormap('viridis');
  const scores = trials.map((t) => t.valAccList[epochs - 1]);
  const lo = Math.min(...scores);
  const span = Math.max(...scores) - lo || 1;
  const colors = scores.map((v) => {
    const [r, g, b] = cmap((v - lo) / span);
    return `rgb(${r},${g},${b})`;
  });
  const logLr = trials.map((t) => Math.log10(t.lr));
  const logWd = trials.map((t) => Math.log10(t.weightDecay));
  const scatter = new Figure({ width: 1000, height: 440 });
  const [axLr, axSquare] = scatter.subplots(1, 2);
  axLr.scatter(logLr, scores, { color: 'C0', size: 7 });
  axLr.setXLim(-6.1, -1.9).setYLim(0, 1);
  axLr.setXLabel('log10(learning rate)').setYLabel('validation accuracy');
  axSquare.scatter(logLr, logWd, { color: colors, size: 9 });
  const best = sorted[0];
  axSquare.scatter([Math.log10(best.lr)], [Math.log10(best.weightDecay)], {
    color: 'red',
    marker: '*',
    size: 16,
    label: `best: val acc ${best.valAccList[epochs - 1]}`,
  });
  axSquare.setXLim(-6.1, -1.9).setYLim(-8.1, -3.9).legend({ loc: 'upper left' });
  axSquare.setXLabel('log10(learning rate)').setYLabel('log10(weight decay)');
  scatter.suptitle(`random search: ${trials.length} trials of ${epochs} epochs`);
  await saveFigure(scatter, 'ch06', 'hyperparameter_optimization_scatter', outDir, print);
  return sorted;
}

if (isMain(import.meta.url)) {
  const args = parseExampleArgs(['trials', 'epochs', 'train-size'], ['seed']);
  await useFastKernels();
  await main(console.log, {
    optimizationTrial: args.ints.trials ?? (args.quick ? 10 : undefined),
    epochs: args.ints.epochs ?? (args.quick ? 20 : undefined),
    trainSize: args.ints['train-size'],
    seed: args.numbers.seed,
    outDir: args.outDir,
  });
}
