// ch07/apply_filter.py (book §7.6.1): the first layer's filters applied to an image. The book
// filters lena_gray.png and shows the results; here the image is an MNIST test digit and each
// filtered image is summarised in numbers (which filters respond, and where) — pictures later.
//   npx tsx examples/ch07/apply_filter.ts --params simple_convnet_params.npz
//   npx tsx examples/ch07/apply_filter.ts            (no file: the random initial filters)
import { loadNpz } from '../../src/io/node.js';
import { Convolution } from '../../src/layers/convolution.js';
import { zeros, type NDArray } from '../../src/ndarray/index.js';
import { importParams } from '../../src/networks/importParams.js';
import { SimpleConvNet } from '../../src/networks/simpleConvNet.js';
import { isMain, type Print } from '../ch01/python.js';
import { exists, loadMnistImages, parseFlags, type ExampleFlags } from './cli.js';

/** What one filter made of the image. */
export interface FilterResponse {
  filter: number;
  min: number;
  max: number;
  mean: number;
  /** Output position (row, column) of the strongest response. */
  argmax: [number, number];
}

/** Applies the filters W (FN, 1, FH, FW) without bias to one image (1, 1, H, W). */
export function applyFilters(W: NDArray, image: NDArray): FilterResponse[] {
  const FN = W.shape[0];
  // The book's apply_filter.py builds Convolution(filter, b=0) per filter; one layer does all at once.
  const out = new Convolution(W, zeros(FN, W.dtype)).forward(image); // (1, FN, outH, outW)
  const outW = out.shape[3];
  const responses: FilterResponse[] = [];
  for (let f = 0; f < FN; f++) {
    const map = out.index(0, f); // (outH, outW)
    const k = map.argmax().item();
    responses.push({
      filter: f,
      min: map.min().item(),
      max: map.max().item(),
      mean: map.mean().item(),
      argmax: [Math.floor(k / outW), k % outW],
    });
  }
  return responses;
}

/** Prints each filter's response to test image `index` (a 7 in MNIST's test set for index 0). */
export function main(
  print: Print = console.log,
  flags: Partial<ExampleFlags> = {},
  index = 0,
): FilterResponse[] {
  const network = new SimpleConvNet({ dtype: 'float32' });
  if (exists(flags.params)) {
    importParams(network, loadNpz(flags.params), { where: flags.params });
    print(`filters: trained, from ${flags.params}`);
  } else {
    print(
      'filters: random initial ones (pass --params FILE.npz from train_convnet for trained ones)',
    );
  }
  const { xTest, tTest } = loadMnistImages(0, index + 1);
  const image = xTest.index(`${index}:${index + 1}`); // (1, 1, 28, 28)
  print(
    `image: test sample ${index} (label ${tTest.get(index)}), pixels 0..1, mean ${image.mean().item().toFixed(3)}`,
  );
  const responses = applyFilters(network.params.W1, image);
  print('filter    min      max      mean    strongest at (row, col)');
  for (const r of responses) {
    print(
      `${String(r.filter).padStart(6)} ${r.min.toFixed(4).padStart(8)} ${r.max.toFixed(4).padStart(8)} ` +
        `${r.mean.toFixed(4).padStart(8)}    (${r.argmax[0]}, ${r.argmax[1]})`,
    );
  }
  return responses;
}

if (isMain(import.meta.url)) main(console.log, parseFlags());
