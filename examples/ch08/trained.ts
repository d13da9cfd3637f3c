// The trained network the chapter 8 scripts evaluate (not a book listing): DeepConvNet with the
// parameters deep_convnet.ts saved — or, when there are none, a quickly trained stand-in.
import { loadNpz } from '../../src/io/node.js';
import { DeepConvNet } from '../../src/networks/deepConvNet.js';
import { importParams } from '../../src/networks/importParams.js';
import { SimpleConvNet } from '../../src/networks/simpleConvNet.js';
import type { Network } from '../../src/networks/types.js';
import type { Print } from '../ch01/python.js';
import { exists } from '../ch07/cli.js';
import { main as trainConvnet } from '../ch07/train_convnet.js';

/** Options of {@link trainedNetwork}. */
export interface TrainedNetworkOptions {
  /** Training images of the stand-in SimpleConvNet (default 5000). */
  trainSize?: number;
}

/**
 * DeepConvNet loaded from `file` (default deep_convnet_params.npz, the book's
 * `network.load_params("deep_convnet_params.pkl")`). Without that file, a SimpleConvNet trained for
 * one epoch on 5000 samples stands in, so the script still shows what it computes.
 */
export async function trainedNetwork(
  print: Print,
  file = 'deep_convnet_params.npz',
  dtype: 'float32' | 'float64' = 'float32',
  { trainSize = 5000 }: TrainedNetworkOptions = {},
): Promise<Network> {
  if (exists(file)) {
    const network = new DeepConvNet({ dtype });
    importParams(network, loadNpz(file), { where: file });
    print(`DeepConvNet with the parameters of ${file}`);
    return network;
  }
  print(
    `no ${file} (run examples/ch08/deep_convnet.ts first): training a SimpleConvNet for one ` +
      `epoch on ${trainSize} samples to stand in`,
  );
  const { network } = await trainConvnet(
    () => {},
    { quick: true, out: null, trainSize },
    { verbose: false },
  );
  if (dtype === 'float32') return network;
  const network64 = new SimpleConvNet({ dtype });
  importParams(network64, network.params);
  return network64;
}
