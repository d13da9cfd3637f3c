// `scratchnet show --mnist 0:16`: MNIST digits (book §3.6.1's mnist_show, as a grid) with their
// labels, written as PNG or SVG.
import * as path from 'node:path';
import { loadMnist } from '../data/mnist.js';
import { savefig } from '../node/plot.js';
import { imageGrid } from '../plot/grid.js';

/** The most digits one figure shows (a 20×20 grid). */
export const MAX_SHOW = 400;

export interface ShowFlags {
  /** `[start, end)` indices of the images */
  mnist: [number, number];
  /** from the test set instead of the training set */
  test: boolean;
  /** the figure file (.png or .svg); default `mnist_train_0-16.png` */
  output?: string;
  /** images per row (default ⌈√N⌉) */
  cols?: number;
  /** directory of IDX files instead of the bundled MNIST */
  data?: string;
}

/** The default figure name: `mnist_test_0-16.png`. */
export function defaultShowOutput(flags: Pick<ShowFlags, 'mnist' | 'test'>): string {
  return `mnist_${flags.test ? 'test' : 'train'}_${flags.mnist[0]}-${flags.mnist[1]}.png`;
}

/**
 * Runs `scratchnet show`; returns the exit code (2 with a one-line message on stderr when the
 * range is outside the data set or too long for one figure).
 */
export async function show(
  flags: ShowFlags,
  out: (line: string) => void = console.log,
): Promise<number> {
  const [start, end] = flags.mnist;
  if (end - start > MAX_SHOW) {
    console.error(`error: --mnist: expected at most ${MAX_SHOW} images, got ${start}:${end}`);
    return 2;
  }
  const d = loadMnist({
    normalize: false,
    flatten: false,
    ...(flags.data !== undefined && { dir: flags.data }),
  });
  const [x, t] = flags.test ? [d.xTest, d.tTest] : [d.xTrain, d.tTrain];
  const n = x.shape[0];
  if (end > n) {
    const set = flags.test ? 'test' : 'training';
    console.error(
      `error: --mnist: expected a range within 0:${n} of the ${set} set, got ${start}:${end}`,
    );
    return 2;
  }
  const images = x.index(`${start}:${end}`); // (N, 1, 28, 28) uint8
  const labels = Array.from(t.data.subarray(start, end), String);
  const source = flags.data !== undefined ? path.basename(path.resolve(flags.data)) : 'MNIST';
  const fig = imageGrid(images, {
    titles: labels,
    suptitle: `${source} ${flags.test ? 'test' : 'training'} images ${start}:${end}`,
    ...(flags.cols !== undefined && { cols: flags.cols }),
  });
  const output = flags.output ?? defaultShowOutput(flags);
  await savefig(fig, output);
  out(
    `wrote ${output} (${end - start} ${flags.test ? 'test' : 'training'} images ${start}:${end})`,
  );
  return 0;
}
