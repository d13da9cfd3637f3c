// ch07/visualize_filter.py (book §7.6.1): the first layer's 30 filters before and after training.
// The book draws them (random noise before, edge and blob detectors after); here each filter is
// summarised in numbers — and drawn as 5×5 characters — pictures come in a later issue.
//   npx tsx examples/ch07/visualize_filter.ts --params simple_convnet_params.npz
//   npx tsx examples/ch07/visualize_filter.ts         (no file: trains briefly first)
import { importParams } from '../../src/networks/importParams.js';
import { loadNpz } from '../../src/io/node.js';
import type { NDArray } from '../../src/ndarray/index.js';
import { SimpleConvNet } from '../../src/networks/simpleConvNet.js';
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

/** Prints the statistics of the first filters before and after training (or loading). */
export async function main(
  print: Print = console.log,
  flags: Partial<ExampleFlags> = {},
  show = 4,
): Promise<void> {
  const network = new SimpleConvNet({ dtype: 'float32' });
  report(print, 'random initialization (weight init std 0.01)', network.params.W1, show);
  let trained: SimpleConvNet;
  if (exists(flags.params)) {
    trained = new SimpleConvNet({ dtype: 'float32' });
    importParams(trained, loadNpz(flags.params), { where: flags.params });
    print(`loaded ${flags.params}`);
  } else {
    print('no --params file: training one short epoch (5000 samples) first');
    trained = (await trainConvnet(() => {}, { quick: true, out: null }, { verbose: false }))
      .network;
  }
  report(print, 'after training', trained.params.W1, show);
}

if (isMain(import.meta.url)) {
  const flags = parseFlags();
  useFastKernels();
  await main(console.log, flags);
}
