// ch08/misclassified_mnist.py (book §8.1.2): the test images the trained DeepConvNet gets wrong,
// with their true labels and the network's answers (the book shows the first 20 as pictures).
//   npx tsx examples/ch08/misclassified_mnist.ts [--params deep_convnet_params.npz]
import { yieldToFinalizers } from '../../src/ndarray/kernels/wasm/index.js';
import { loadMnistImages, parseFlags, useFastKernels, type ExampleFlags } from '../ch07/cli.js';
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
 * Prints the test accuracy and the misclassified images, the book's
 * `{view index: (label, inference), ...}` for the first `maxView`, and returns them all.
 */
export async function main(
  print: Print = console.log,
  flags: Partial<ExampleFlags> = {},
  maxView = 20,
): Promise<Misclassified[]> {
  const network = await trainedNetwork(print, flags.params);
  const { xTest, tTest } = loadMnistImages(0);
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
  await main(console.log, flags);
}
