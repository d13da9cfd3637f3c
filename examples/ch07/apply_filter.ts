// ch07/apply_filter.py (book §7.6.1): the first layer's filters applied to an image. The book
// filters lena_gray.png and shows the first 16 results in gray_r; here the image is an MNIST test
// digit: each filtered image is summarised in numbers (which filters respond, and where) and drawn
// next to its filter, beside the input (out/ch07/apply_filter.png).
//   npx tsx examples/ch07/apply_filter.ts --params simple_convnet_params.npz
//   npx tsx examples/ch07/apply_filter.ts            (no file: the random initial filters)
import * as path from 'node:path';
import { loadNpz } from '../../src/io/node.js';
import { Convolution } from '../../src/layers/convolution.js';
import { zeros, type NDArray } from '../../src/ndarray/index.js';
import { importParams } from '../../src/networks/importParams.js';
import { SimpleConvNet } from '../../src/networks/simpleConvNet.js';
import { Figure } from '../../src/plot/figure.js';
import { showFigure } from '../ch01/figure.js';
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

/**
 * The filtered images: the filters W (FN, 1, FH, FW) without bias applied to one image.
 * @param image (1, 1, H, W)
 * @returns (1, FN, outH, outW)
 */
export function filterOutputs(W: NDArray, image: NDArray): NDArray {
  // The book's apply_filter.py builds Convolution(filter, b=0) per filter; one layer does all at once.
  return new Convolution(W, zeros(W.shape[0], W.dtype)).forward(image);
}

/** Applies the filters W (FN, 1, FH, FW) without bias to one image (1, 1, H, W). */
export function applyFilters(W: NDArray, image: NDArray): FilterResponse[] {
  const FN = W.shape[0];
  const out = filterOutputs(W, image); // (1, FN, outH, outW)
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

/** What {@link run} computed: the filters, the image and the responses. */
export interface ApplyFilterResult {
  /** The first layer's filters W1 (FN, 1, FH, FW). */
  W: NDArray;
  /** The test image (1, 1, 28, 28), pixels 0..1. */
  image: NDArray;
  /** Its index in the test set and its label. */
  index: number;
  label: number;
  /** Where the filters came from, for the figure's heading. */
  source: string;
  responses: FilterResponse[];
}

/** Layout of {@link figure}, in px. */
const MARGIN = 10;
const HEADING = 28;
const INPUT = 168; // the 28×28 input at 6 px a pixel
const FILTER = 36; // a 5×5 filter
const OUTPUT = 72; // a 24×24 filtered image at 3 px a pixel
const TITLE = 18;
const GAP = 6;
const PAIR_GAP = 16;

/**
 * The book's apply_filter.py figure, with what it leaves out: the input digit on the left, and for
 * each of the first `count` filters the filter and the image it makes, 4 pairs a row, in `gray_r`
 * as the book draws them (dark = large: the strokes the filter responds to).
 */
export function figure(
  { W, image, index, label, source }: ApplyFilterResult,
  count = 16,
  perRow = 4,
): Figure {
  const out = filterOutputs(W, image); // (1, FN, outH, outW)
  const n = Math.min(count, W.shape[0]);
  const rows = Math.ceil(n / perRow);
  const pairW = FILTER + GAP + OUTPUT;
  const gridW = perRow * pairW + (perRow - 1) * PAIR_GAP;
  const gridH = rows * (TITLE + OUTPUT) + (rows - 1) * GAP;
  const left = MARGIN + INPUT + 3 * PAIR_GAP;
  const width = left + gridW + MARGIN;
  const height = MARGIN + HEADING + gridH + MARGIN;
  const fig = new Figure({ width, height, fontSize: 12 });
  // Fractions of the figure, origin bottom left, as fig.add_axes takes them.
  const rect = (x: number, y: number, w: number, h: number) =>
    [x / width, 1 - (y + h) / height, w / width, h / height] as const;
  const top = MARGIN + HEADING;
  fig
    .addAxes(rect(MARGIN, top + (gridH - INPUT) / 2, INPUT, INPUT))
    .imshow(image.index(0, 0), { cmap: 'gray_r' }) // (28, 28)
    .axis('off')
    .setTitle(`test image ${index}, label ${label}`);
  // An empty axes one pixel high under the heading strip: its title heads the grid.
  fig
    .addAxes(rect(left, top - GAP, gridW, 1))
    .axis('off')
    .setTitle(`filter → filtered image, first ${n} of ${W.shape[0]} (${source})`);
  for (let f = 0; f < n; f++) {
    const x = left + (f % perRow) * (pairW + PAIR_GAP);
    const y = top + Math.floor(f / perRow) * (TITLE + OUTPUT + GAP) + TITLE;
    fig
      .addAxes(rect(x, y + (OUTPUT - FILTER) / 2, FILTER, FILTER))
      .imshow(W.index(f, 0), { cmap: 'gray_r' }) // (FH, FW): channel 0
      .axis('off')
      .setTitle(String(f));
    fig
      .addAxes(rect(x + FILTER + GAP, y, OUTPUT, OUTPUT))
      .imshow(out.index(0, f), { cmap: 'gray_r' }) // (outH, outW)
      .axis('off');
  }
  return fig;
}

/** Writes {@link figure} to out/ch07/apply_filter.png; returns the path. */
export function writeFigures(result: ApplyFilterResult): Promise<string> {
  return showFigure(figure(result), 'ch07', 'apply_filter');
}

/** Prints each filter's response to test image `index` (a 7 in MNIST's test set for index 0). */
export function main(
  print: Print = console.log,
  flags: Partial<ExampleFlags> = {},
  index = 0,
): FilterResponse[] {
  return run(print, flags, index).responses;
}

/** {@link main}, returning the filters and the image as well (for {@link figure}). */
export function run(
  print: Print = console.log,
  flags: Partial<ExampleFlags> = {},
  index = 0,
): ApplyFilterResult {
  const network = new SimpleConvNet({ dtype: 'float32' });
  let source = 'random initial filters';
  if (exists(flags.params)) {
    importParams(network, loadNpz(flags.params), { where: flags.params });
    print(`filters: trained, from ${flags.params}`);
    source = `trained: ${path.basename(flags.params)}`;
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
  const W = network.params.W1;
  const responses = applyFilters(W, image);
  print('filter    min      max      mean    strongest at (row, col)');
  for (const r of responses) {
    print(
      `${String(r.filter).padStart(6)} ${r.min.toFixed(4).padStart(8)} ${r.max.toFixed(4).padStart(8)} ` +
        `${r.mean.toFixed(4).padStart(8)}    (${r.argmax[0]}, ${r.argmax[1]})`,
    );
  }
  return { W, image, index, label: tTest.get(index), source, responses };
}

if (isMain(import.meta.url)) await writeFigures(run(console.log, parseFlags()));
