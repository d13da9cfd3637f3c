// ch06/weight_init_activation_histogram.py (book §6.2.2–6.2.3, figures 6-10, 6-11, 6-13, 6-14):
// 1000 random inputs through five layers of 100 neurons, and the histogram of each layer's
// activations for the book's weight scales (std 1, 0.01, Xavier, He) and activations.
import { Rng, type NDArray } from '../../src/ndarray/index.js';
import { relu, sigmoid } from '../../src/functions/index.js';
import { Figure } from '../../src/plot/index.js';
import { isMain, type Print } from '../ch01/python.js';
import { parseExampleArgs, saveFigure, type FigureOutputOptions } from '../common.js';

/** An activation of the experiment. */
export type HistogramActivation = 'sigmoid' | 'relu' | 'tanh';

/** The scale of the weights: a standard deviation, Xavier √(1/n) or He √(2/n). */
export type HistogramInit = number | 'xavier' | 'he';

/** One experiment: an activation and a weight scale. */
export interface HistogramConfig {
  activation: HistogramActivation;
  weightInit: HistogramInit;
}

/** The book's experiments in the order of §6.2: sigmoid with std 1, 0.01, Xavier; tanh; ReLU. */
export const BOOK_CONFIGS: readonly HistogramConfig[] = [
  { activation: 'sigmoid', weightInit: 1 }, // figure 6-10: activations pile up at 0 and 1
  { activation: 'sigmoid', weightInit: 0.01 }, // figure 6-11: all near 0.5
  { activation: 'sigmoid', weightInit: 'xavier' }, // figure 6-13
  { activation: 'tanh', weightInit: 'xavier' }, // the note under figure 6-13: bell-shaped
  { activation: 'relu', weightInit: 0.01 }, // figure 6-14, top
  { activation: 'relu', weightInit: 'xavier' }, // figure 6-14, middle
  { activation: 'relu', weightInit: 'he' }, // figure 6-14, bottom (the script's setting)
];

/** Options of {@link main}. */
export interface WeightInitActivationHistogramOptions extends FigureOutputOptions {
  /** The experiments to run. Default {@link BOOK_CONFIGS}. */
  configs?: readonly HistogramConfig[];
  /** Samples of random input. Default 1000. */
  samples?: number;
  /** Neurons per layer. Default 100. */
  nodeNum?: number;
  /** Hidden layers. Default 5. */
  hiddenLayerSize?: number;
  /** Seed of the inputs and weights. Default 0. */
  seed?: number;
}

/** One experiment's result: per layer, the counts of its activations in 30 bins over [0, 1]. */
export interface HistogramResult extends HistogramConfig {
  /** A name for files and printing, e.g. `sigmoid_std1`, `relu_he`. */
  name: string;
  /** (layers) × 30 counts. */
  counts: number[][];
}

/** `sigmoid_std1`, `sigmoid_std0.01`, `relu_he`, … */
function configName({ activation, weightInit }: HistogramConfig): string {
  return `${activation}_${typeof weightInit === 'number' ? `std${weightInit}` : weightInit}`;
}

/** np.histogram(a, 30, range=(0, 1)): equal bins, the last one closed; values outside ignored. */
export function histogramCounts(a: NDArray, bins = 30, lo = 0, hi = 1): number[] {
  const counts = new Array<number>(bins).fill(0);
  const d = a.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (!(v >= lo && v <= hi)) continue;
    counts[v === hi ? bins - 1 : Math.floor(((v - lo) / (hi - lo)) * bins)]++;
  }
  return counts;
}

/**
 * Runs each experiment, prints `sigmoid, std=1` and one line of 30 counts per layer
 * (`1-layer: 9107 1196 …`), and writes `ch06/weight_init_activation_histogram_<name>.png` with the
 * five histograms side by side.
 */
export async function main(
  print: Print = console.log,
  {
    configs = BOOK_CONFIGS,
    samples = 1000,
    nodeNum = 100,
    hiddenLayerSize = 5,
    seed = 0,
    outDir,
  }: WeightInitActivationHistogramOptions = {},
): Promise<HistogramResult[]> {
  const results: HistogramResult[] = [];
  for (const config of configs) {
    // The same inputs and weight directions for every experiment: only the scale changes.
    const rng = new Rng(seed);
    const inputData = rng.randn(samples, nodeNum); // 1000 samples
    const scale =
      config.weightInit === 'xavier'
        ? Math.sqrt(1.0 / nodeNum)
        : config.weightInit === 'he'
          ? Math.sqrt(2.0 / nodeNum)
          : config.weightInit;
    const activations: NDArray[] = [];
    let x = inputData;
    for (let i = 0; i < hiddenLayerSize; i++) {
      if (i !== 0) x = activations[i - 1];
      const w = rng.randn(nodeNum, nodeNum).mul(scale);
      const a = x.dot(w);
      const z =
        config.activation === 'sigmoid'
          ? sigmoid(a)
          : config.activation === 'relu'
            ? relu(a)
            : a.tanh();
      activations.push(z);
    }

    const name = configName(config);
    const title = `${config.activation}, ${typeof config.weightInit === 'number' ? `std=${config.weightInit}` : config.weightInit === 'xavier' ? 'Xavier' : 'He'}`;
    print(title);
    const counts = activations.map((a) => histogramCounts(a));
    counts.forEach((c, i) => print(`${i + 1}-layer: ${c.join(' ')}`));
    results.push({ ...config, name, counts });

    // The figure: one histogram per layer on a shared y scale. The book fixes it at 7000 for all,
    // which cuts ReLU's spike of zeros (kept here: it is not the interesting part) but also the
    // peaks of the sigmoid's deeper layers (so those get the room they need).
    const top = config.activation === 'relu' ? 7000 : 1.05 * Math.max(7000, ...counts.flat());
    const fig = new Figure({ width: 1000, height: 300 });
    const axes = fig.subplots(1, activations.length);
    activations.forEach((a, i) => {
      const ax = axes[i];
      ax.setTitle(`${i + 1}-layer`);
      if (i !== 0) ax.setYTicks([], []);
      ax.setYLim(0, top);
      ax.hist(a, { bins: 30, range: [0, 1] });
      ax.setXTicks([0, 0.5, 1]);
    });
    fig.suptitle(title);
    await saveFigure(fig, 'ch06', `weight_init_activation_histogram_${name}`, outDir, print);
  }
  return results;
}

if (isMain(import.meta.url)) {
  const args = parseExampleArgs([], ['seed']);
  await main(console.log, { seed: args.numbers.seed, outDir: args.outDir });
}
