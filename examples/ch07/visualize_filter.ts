// ch07/visualize_filter.py (book §7.6.1): the first layer's 30 filters before and after training,
// drawn as the book's filter_show does (gray_r, each filter scaled to its own range, no axes) in
// one figure, before above after (out/ch07/visualize_filter.png); each filter is also summarised in
// numbers and drawn as 5×5 characters. Random noise before; edge and blob detectors after.
//   npx tsx examples/ch07/visualize_filter.ts --params simple_convnet_params.npz
//   npx tsx examples/ch07/visualize_filter.ts         (no file: trains briefly first)
import * as path from 'node:path';
import { importParams } from '../../src/networks/importParams.js';
import { loadNpz } from '../../src/io/node.js';
import type { NDArray } from '../../src/ndarray/index.js';
import { SimpleConvNet } from '../../src/networks/simpleConvNet.js';
import { Figure } from '../../src/plot/figure.js';
import { showFigure } from '../ch01/figure.js';
import { isMain, type Print } from '../ch01/python.js';
import { exists, parseFlags, useFastKernels, type ExampleFlags } from './cli.js';
import { main as trainConvnet } from './train_convnet.js';

/** Statistics of one filter (FH, FW). */
export interface FilterStats {
  min: number;
  max: number;
  mean: number;
  std: number;
  /**
   * Mean |difference| between horizontal/vertical neighbours divided by the std: about 1.13
   * (2/√π) for random noise, lower for the smooth, structured filters training produces.
   */
  roughness: number;
}

/** Statistics of each filter of W (FN, C, FH, FW), channel 0. */
export function filterStats(W: NDArray): FilterStats[] {
  const [FN, , FH, FW] = W.shape;
  const stats: FilterStats[] = [];
  for (let f = 0; f < FN; f++) {
    const w = W.index(f, 0); // (FH, FW)
    const std = w.std().item();
    let diff = 0;
    let count = 0;
    for (let y = 0; y < FH; y++) {
      for (let x = 0; x < FW; x++) {
        if (x + 1 < FW) {
          diff += Math.abs(w.get(y, x + 1) - w.get(y, x));
          count++;
        }
        if (y + 1 < FH) {
          diff += Math.abs(w.get(y + 1, x) - w.get(y, x));
          count++;
        }
      }
    }
    stats.push({
      min: w.min().item(),
      max: w.max().item(),
      mean: w.mean().item(),
      std,
      roughness: std > 0 ? diff / count / std : 0,
    });
  }
  return stats;
}

/** A filter (FH, FW) as rows of characters, dark (low) to bright (high): the book's gray image. */
export function filterAscii(w: NDArray): string[] {
  const shades = ' .:-=+*#%@';
  const lo = w.min().item();
  const hi = w.max().item();
  const [FH, FW] = w.shape;
  const rows: string[] = [];
  for (let y = 0; y < FH; y++) {
    let row = '';
    for (let x = 0; x < FW; x++) {
      const v = hi > lo ? (w.get(y, x) - lo) / (hi - lo) : 0;
      row += shades[Math.min(shades.length - 1, Math.floor(v * shades.length))].repeat(2);
    }
    rows.push(row);
  }
  return rows;
}

function report(print: Print, title: string, W: NDArray, show: number): FilterStats[] {
  const stats = filterStats(W);
  const mean = (f: (s: FilterStats) => number) =>
    stats.reduce((a, s) => a + f(s), 0) / stats.length;
  print(`${title}: ${W.shape[0]} filters ${W.shape[2]}×${W.shape[3]}`);
  print(
    `  mean std ${mean((s) => s.std).toFixed(4)}, mean roughness ${mean((s) => s.roughness).toFixed(3)}`,
  );
  stats.slice(0, show).forEach((s, f) => {
    print(
      `  filter ${String(f).padStart(2)}: min ${s.min.toFixed(3)} max ${s.max.toFixed(3)} ` +
        `std ${s.std.toFixed(3)} roughness ${s.roughness.toFixed(2)}`,
    );
    for (const row of filterAscii(W.index(f, 0))) print(`      |${row}|`);
  });
  return stats;
}

/** The first layer's filters before and after training, as {@link main} found them. */
export interface VisualizeFilterResult {
  /** W1 (FN, C, FH, FW) of the randomly initialised network. */
  before: NDArray;
  /** W1 (FN, C, FH, FW) after training, or loaded from `--params`. */
  after: NDArray;
  /** Where the trained filters came from, for the figure's heading. */
  source: string;
}

/** Layout of {@link figure}, in px. */
const CELL = 44; // one filter: 5×5 pixels of about 9 px
const GAP = 6;
const HEADING = 32;
const MARGIN = 10;

/**
 * The book's two `filter_show(network.params['W1'])` figures as one: the filters before training
 * in the upper block, after training in the lower one, `cols` per row, channel 0 of each in
 * `gray_r` (dark = large weight), each scaled to its own range as separate imshow calls are.
 * @param result the filters `before` and `after`, each (FN, C, FH, FW)
 * @param cols filters per row
 */
export function figure({ before, after, source }: VisualizeFilterResult, cols = 10): Figure {
  const FN = before.shape[0];
  const rows = Math.ceil(FN / cols);
  const blockH = HEADING + rows * CELL + (rows - 1) * GAP;
  const width = 2 * MARGIN + cols * CELL + (cols - 1) * GAP;
  const height = 2 * MARGIN + 2 * blockH + MARGIN;
  const fig = new Figure({ width, height, fontSize: 12 });
  // Fractions of the figure, origin bottom left, as fig.add_axes takes them.
  const rect = (x: number, y: number, w: number, h: number) =>
    [x / width, 1 - (y + h) / height, w / width, h / height] as const;
  const blocks: [NDArray, string][] = [
    [before, 'before training: random, weight init std 0.01'],
    [after, `after training (${source})`],
  ];
  blocks.forEach(([W, heading], b) => {
    const top = MARGIN + b * (blockH + MARGIN);
    // An empty axes without axis lines, one pixel high at the bottom of the heading strip: its
    // title is the block's heading.
    fig
      .addAxes(rect(MARGIN, top + HEADING - GAP, width - 2 * MARGIN, 1))
      .axis('off')
      .setTitle(heading);
    for (let f = 0; f < FN; f++) {
      const x = MARGIN + (f % cols) * (CELL + GAP);
      const y = top + HEADING + Math.floor(f / cols) * (CELL + GAP);
      fig
        .addAxes(rect(x, y, CELL, CELL))
        .imshow(W.index(f, 0), { cmap: 'gray_r' }) // (FH, FW): channel 0
        .axis('off');
    }
  });
  return fig;
}

/** Writes {@link figure} to out/ch07/visualize_filter.png; returns the path. */
export function writeFigures(result: VisualizeFilterResult): Promise<string> {
  return showFigure(figure(result), 'ch07', 'visualize_filter');
}

/**
 * Prints the statistics of the first `show` filters before and after training (or loading), and
 * returns both sets of filters.
 */
export async function main(
  print: Print = console.log,
  flags: Partial<ExampleFlags> = {},
  show = 4,
): Promise<VisualizeFilterResult> {
  const network = new SimpleConvNet({ dtype: 'float32' });
  report(print, 'random initialization (weight init std 0.01)', network.params.W1, show);
  let trained: SimpleConvNet;
  let source: string;
  if (exists(flags.params)) {
    trained = new SimpleConvNet({ dtype: 'float32' });
    importParams(trained, loadNpz(flags.params), { where: flags.params });
    print(`loaded ${flags.params}`);
    source = path.basename(flags.params);
  } else {
    const trainSize = flags.trainSize ?? 5000;
    print(`no --params file: training one short epoch (${trainSize} samples) first`);
    const run = await trainConvnet(
      () => {},
      { quick: true, out: null, trainSize, testSize: flags.testSize },
      { verbose: false },
    );
    trained = run.network;
    source = `one epoch on ${trainSize} images`;
  }
  report(print, 'after training', trained.params.W1, show);
  return { before: network.params.W1, after: trained.params.W1, source };
}

if (isMain(import.meta.url)) {
  const flags = parseFlags();
  useFastKernels();
  await writeFigures(await main(console.log, flags));
}
