// ch08/misclassified_mnist.py (book §8.1.2): the test images the trained DeepConvNet gets wrong,
// with their true labels and the network's answers, and the first 20 drawn as the book's figure
// 8-6 does — 4×5 digits in gray_r, here titled with the label and the answer
// (out/ch08/misclassified_mnist.png).
//   npx tsx examples/ch08/misclassified_mnist.ts [--params deep_convnet_params.npz] [--test-size N]
import type { NDArray } from '../../src/ndarray/index.js';
import { yieldToFinalizers } from '../../src/ndarray/kernels/wasm/index.js';
import type { Figure } from '../../src/plot/figure.js';
import { imageGrid } from '../../src/plot/grid.js';
import { loadMnistImages, parseFlags, useFastKernels, type ExampleFlags } from '../ch07/cli.js';
import { showFigure } from '../ch01/figure.js';
import { isMain, pyFloat, type Print } from '../ch01/python.js';
import { trainedNetwork } from './trained.js';

/** One misclassified test image. */
export interface Misclassified {
  /** Index in the test set. */
  index: number;
  label: number;
  inference: number;
}

/**
 * The book's figure 8-6: the first `maxView` misclassified test images, 5 a row, in `gray_r`
 * (dark digits on white), each titled `label → answer`; the book prints that pairing below the
 * figure instead.
 * @param xTest (N, 1, 28, 28) the test images `wrong` indexes
 */
export function figure(wrong: readonly Misclassified[], xTest: NDArray, maxView = 20): Figure {
  const shown = wrong.slice(0, maxView);
  if (!shown.length)
    throw new Error('misclassified_mnist.figure: expected a misclassified image, got none');
  const images = xTest.take(
    shown.map((w) => w.index),
    0,
  ); // (K, 1, 28, 28)
  return imageGrid(images, {
    cols: 5,
    cmap: 'gray_r',
    cellSize: 84,
    titles: shown.map((w) => `${w.label} → ${w.inference}`),
    suptitle: `misclassified: label → inference (${shown.length} of ${wrong.length})`,
  });
}

/**
 * Writes {@link figure} of the first `maxView` of `wrong` to out/ch08/misclassified_mnist.png;
 * returns the path, or null when nothing was misclassified.
 */
export async function writeFigures(
  wrong: readonly Misclassified[],
  maxView = 20,
): Promise<string | null> {
  if (!wrong.length) return null;
  const last = Math.max(...wrong.slice(0, maxView).map((w) => w.index));
  const { xTest } = loadMnistImages(0, last + 1);
  return showFigure(figure(wrong, xTest, maxView), 'ch08', 'misclassified_mnist');
}

/**
 * Prints the test accuracy and the misclassified images, the book's
 * `{view index: (label, inference), ...}` for the first `maxView`, and returns them all.
 */
export async function main(
  print: Print = console.log,
  flags: Partial<ExampleFlags> = {},
  maxView = 20,
): Promise<Misclassified[]> {
  const network = await trainedNetwork(print, flags.params, 'float32', {
    trainSize: flags.trainSize,
  });
  const { xTest, tTest } = loadMnistImages(0, flags.testSize);
  print('calculating test accuracy ... ');
  const wrong: Misclassified[] = [];
  const batchSize = 100;
  const N = xTest.shape[0];
  for (let start = 0; start < N; start += batchSize) {
    const stop = Math.min(N, start + batchSize);
    const y = network.predict(xTest.index(`${start}:${stop}`), false).argmax(1).data;
    for (let i = 0; i < y.length; i++) {
      const label = tTest.get(start + i);
      if (y[i] !== label) wrong.push({ index: start + i, label, inference: y[i] });
    }
    await yieldToFinalizers(); // lets the wasm kernels reuse the memory of this batch's arrays
  }
  print(`test accuracy:${pyFloat(1 - wrong.length / N)}`);
  print(`======= misclassified result (${wrong.length} of ${N}) =======`);
  print('{view index: (label, inference), ...}');
  const shown = wrong.slice(0, maxView).map((w, i) => `${i + 1}: (${w.label}, ${w.inference})`);
  print(`{${shown.join(', ')}}`);
  print('test index  label  inference');
  for (const w of wrong.slice(0, maxView)) {
    print(
      `${String(w.index).padStart(10)}  ${String(w.label).padStart(5)}  ${String(w.inference).padStart(9)}`,
    );
  }
  if (wrong.length > maxView) print(`… and ${wrong.length - maxView} more`);
  return wrong;
}

if (isMain(import.meta.url)) {
  const flags = parseFlags();
  useFastKernels();
  await writeFigures(await main(console.log, flags));
}
