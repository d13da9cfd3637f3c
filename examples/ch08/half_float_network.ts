// ch08/half_float_network.py (book §8.3.4): the trained DeepConvNet's accuracy with every weight
// (and every input) rounded to float16 — the book finds it does not change: 16 bits are enough.
//   npx tsx examples/ch08/half_float_network.ts [--params deep_convnet_params.npz] [--quick]
//   [--test-size N]
import { toFloat16 } from '../../src/networks/float16.js';
import { isMain, pyFloat, type Print } from '../ch01/python.js';
import {
  accuracyYielding,
  loadMnistImages,
  parseFlags,
  useFastKernels,
  type ExampleFlags,
} from '../ch07/cli.js';
import { trainedNetwork } from './trained.js';

/** The two accuracies. */
export interface HalfFloatResult {
  accuracy64: number;
  accuracy16: number;
}

/**
 * Prints the accuracy in float64 and after rounding to float16. As the book's
 * `param[...] = param.astype(np.float16)`, the parameters keep their dtype and only their values
 * become float16 values; the arithmetic itself stays in float64.
 */
export async function main(
  print: Print = console.log,
  flags: Partial<ExampleFlags> = {},
): Promise<HalfFloatResult> {
  const network = await trainedNetwork(print, flags.params, 'float64', {
    trainSize: flags.trainSize,
  });
  // the book: "sampled = 10000 # 高速化のため"
  const sampled = flags.testSize ?? (flags.quick ? 1000 : 10000);
  const data = loadMnistImages(0, sampled);
  const xTest = data.xTest.astype('float64');
  const tTest = data.tTest;

  print('calculate accuracy (float64) ... ');
  const accuracy64 = await accuracyYielding(network, xTest, tTest); // network.accuracy, batch by batch
  print(pyFloat(accuracy64));

  // float16 values: x_test.astype(np.float16) and, in place, param[...] = param.astype(np.float16)
  const x16 = toFloat16(xTest);
  for (const p of Object.values(network.params)) p.assign(toFloat16(p));
  print('calculate accuracy (float16) ... ');
  const accuracy16 = await accuracyYielding(network, x16, tTest);
  print(pyFloat(accuracy16));
  return { accuracy64, accuracy16 };
}

if (isMain(import.meta.url)) {
  const flags = parseFlags();
  useFastKernels();
  await main(console.log, flags);
}
