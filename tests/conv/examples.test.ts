// The chapter 7–8 examples (examples/ch07, examples/ch08) in short runs: the numbers they print,
// the parameter files they pass to each other, and their figures as PNGs of the expected size
// with the expected pixels where they are certain (issue 6's figures of chapters 7–8).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as gradientCheck from '../../examples/ch07/gradient_check.js';
import * as trainConvnet from '../../examples/ch07/train_convnet.js';
import * as visualizeFilter from '../../examples/ch07/visualize_filter.js';
import * as applyFilter from '../../examples/ch07/apply_filter.js';
import * as deepConvnet from '../../examples/ch08/deep_convnet.js';
import * as misclassified from '../../examples/ch08/misclassified_mnist.js';
import * as halfFloat from '../../examples/ch08/half_float_network.js';
import { loadMnistImages, parseFlags } from '../../examples/ch07/cli.js';
import { pyFloat } from '../../examples/ch01/python.js';
import { loadNpz } from '../../src/io/node.js';
import type { NDArray } from '../../src/ndarray/index.js';
import { initWasmNode } from '../../src/node/threads.js';
import { decodePNG } from '../../src/plot/image.js';

const dir = mkdtempSync(join(tmpdir(), 'scratchnet-ch07-08-'));
const simpleParams = join(dir, 'simple_convnet_params.npz');
const deepParams = join(dir, 'deep_convnet_params.npz');
const savedOut = process.env.SCRATCHNET_OUT;

beforeAll(async () => {
  process.env.SCRATCHNET_OUT = join(dir, 'out');
  // The examples' own setup (examples/ch07/cli.ts useFastKernels: the wasm kernels with 4 GiB of
  // memory, as DeepConvNet's garbage is returned only between event-loop turns), on one thread:
  // the machine is shared. The numbers checked here hold on the reference kernels too.
  await initWasmNode({ threads: 1, maxMemoryMB: 4096 });
});

afterAll(() => {
  if (savedOut === undefined) delete process.env.SCRATCHNET_OUT;
  else process.env.SCRATCHNET_OUT = savedOut;
  rmSync(dir, { recursive: true, force: true });
});

/** Collects the lines an example prints. */
function collector(): { lines: string[]; print: (line: string) => void } {
  const lines: string[] = [];
  return { lines, print: (line) => lines.push(...line.split('\n')) };
}

/** Runs `write` with the "wrote FILE" line on stderr captured; returns the file and the PNG. */
async function written(
  write: () => Promise<string | null>,
): Promise<{ file: string; img: NDArray }> {
  const err = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const file = await write();
    expect(file).not.toBeNull();
    expect(err).toHaveBeenCalledWith(`wrote ${file}`);
    return { file: file!, img: decodePNG(new Uint8Array(readFileSync(file!))) };
  } finally {
    err.mockRestore();
  }
}

/** RGB of pixel (row, col) of a decoded (H, W, 4) image. */
function rgb(img: NDArray, row: number, col: number): number[] {
  const o = (Math.floor(row) * img.shape[1] + Math.floor(col)) * 4;
  return Array.from(img.data.subarray(o, o + 3));
}

/** Row-major position of the largest and the smallest value of a 2-D array. */
function extremes(a: NDArray): { max: [number, number]; min: [number, number] } {
  const W = a.shape[1];
  const at = (k: number): [number, number] => [Math.floor(k / W), k % W];
  return { max: at(a.argmax().item()), min: at(a.argmin().item()) };
}

const WHITE = [255, 255, 255];
const BLACK = [0, 0, 0];

describe('examples/ch07/cli parseFlags', () => {
  it('reads --train-size and --test-size and names a wrong value', () => {
    expect(parseFlags(['--train-size', '300', '--test-size', '100', '--epochs', '2'])).toEqual({
      quick: false,
      trainSize: 300,
      testSize: 100,
      epochs: 2,
    });
    expect(() => parseFlags(['--test-size', '0'])).toThrow(
      '--test-size: expected a positive integer, got 0',
    );
    expect(() => parseFlags(['--bogus'])).toThrow(/--train-size N or --test-size N, got --bogus/);
  });
});

describe('ch07 gradient_check (§7.5)', () => {
  it('prints a difference below 1e-6 for each of the six parameters', () => {
    const { lines, print } = collector();
    const diffs = gradientCheck.main(print);
    expect(Object.keys(diffs)).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3']);
    // Central differences with the book's h = 1e-4: b3 differs by about 2e-7, the others by 1e-8
    // or less.
    for (const d of Object.values(diffs)) expect(d).toBeLessThan(1e-6);
    expect(diffs.W1).toBeLessThan(1e-8);
    expect(lines).toEqual(Object.entries(diffs).map(([k, d]) => `${k} ${d}`));
  });
});

// train_convnet writes the parameters the three next examples load, as in the book.
describe('ch07 train_convnet (§7.5), visualize_filter and apply_filter (§7.6.1)', () => {
  let result: trainConvnet.TrainConvnetResult;
  const { lines, print } = collector();

  beforeAll(async () => {
    result = await trainConvnet.main(print, {
      epochs: 1,
      trainSize: 500,
      testSize: 200,
      out: simpleParams,
    });
  });

  it('prints the Trainer lines and the final accuracy, and saves the np.savez layout', () => {
    expect(lines[0]).toMatch(/^kernels: wasm.*, 500 training samples, 1 epoch\(s\)$/);
    // 500 samples / batch 100: 5 iterations, then one epoch line.
    expect(lines.filter((l) => l.startsWith('train loss:'))).toHaveLength(5);
    expect(result.trainAccList).toHaveLength(1);
    expect(lines).toContain(
      `=== epoch:1, train acc:${pyFloat(result.trainAccList[0])}, test acc:${pyFloat(result.testAccList[0])} ===`,
    );
    expect(lines).toContain(`test acc:${pyFloat(result.testAcc)}`);
    expect(lines.at(-1)).toBe(`Saved Network Parameters to ${simpleParams}!`);
    expect(result.testAcc).toBeGreaterThan(0.2); // five Adam steps from chance (0.1)
    const saved = loadNpz(simpleParams);
    expect(Object.keys(saved)).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3']);
    expect(saved.W1.shape).toEqual([30, 1, 5, 5]);
    expect(Array.from(saved.W3.data)).toEqual(Array.from(result.network.params.W3.data));
  });

  it('draws the accuracy curves (640×480)', async () => {
    const { file, img } = await written(() => trainConvnet.writeFigures(result));
    expect(file).toBe(join(dir, 'out', 'ch07', 'train_convnet.png'));
    expect(img.shape).toEqual([480, 640, 4]);
    expect(rgb(img, 0, 0)).toEqual(WHITE);
    const svg = trainConvnet.figure(result).toSVG();
    expect(svg).toContain(`SimpleConvNet: final test accuracy ${pyFloat(result.testAcc)}`);
    expect(svg).toMatch(/>train</);
    expect(svg).toMatch(/>test</);
  });

  it('visualize_filter: the random filters are rough, the loaded ones are the saved ones', async () => {
    const { lines, print } = collector();
    const r = await visualizeFilter.main(print, { params: simpleParams }, 2);
    expect(lines[0]).toBe('random initialization (weight init std 0.01): 30 filters 5×5');
    expect(lines).toContain(`loaded ${simpleParams}`);
    expect(lines).toContain('after training: 30 filters 5×5');
    // Each filter shown: a statistics line and five rows of 5 characters drawn twice wide.
    expect(lines.filter((l) => /^ {6}\|.{10}\|$/.test(l))).toHaveLength(2 * 2 * 5);
    const roughness = Number(/mean roughness ([\d.]+)/.exec(lines[1])![1]);
    expect(roughness).toBeGreaterThan(1.0); // about 2/√π = 1.13 for white noise
    expect(r.before.shape).toEqual([30, 1, 5, 5]);
    expect(Array.from(r.after.data)).toEqual(Array.from(result.network.params.W1.data));
    expect(r.source).toBe('simple_convnet_params.npz');
  });

  it('visualize_filter draws both sets of 30 filters in gray_r', async () => {
    const r = await visualizeFilter.main(() => {}, { params: simpleParams }, 0);
    const { file, img } = await written(() => visualizeFilter.writeFigures(r));
    expect(file).toBe(join(dir, 'out', 'ch07', 'visualize_filter.png'));
    // 10 filters of 44 px a row with 6 px gaps, 10 px margins; two blocks of a 32 px heading
    // and 3 rows: 2·10 + 10·44 + 9·6 = 514 wide, 3·10 + 2·(32 + 3·44 + 2·6) = 382 high.
    expect(img.shape).toEqual([382, 514, 4]);
    expect(rgb(img, 5, 5)).toEqual(WHITE);
    // gray_r, each filter on its own range: its largest weight black, its smallest white. Filter
    // 13 (row 1, column 3) of each block; 8.8 px per filter pixel.
    for (const [block, W] of [r.before, r.after].entries()) {
      const w = W.index(13, 0); // (5, 5)
      const top = 10 + block * (32 + 3 * 44 + 2 * 6 + 10) + 32 + 1 * (44 + 6);
      const left = 10 + 3 * (44 + 6);
      const { max, min } = extremes(w);
      expect(rgb(img, top + (max[0] + 0.5) * 8.8, left + (max[1] + 0.5) * 8.8)).toEqual(BLACK);
      expect(rgb(img, top + (min[0] + 0.5) * 8.8, left + (min[1] + 0.5) * 8.8)).toEqual(WHITE);
    }
  });

  it('visualize_filter without --params trains a short epoch first', async () => {
    const { lines, print } = collector();
    const r = await visualizeFilter.main(print, { trainSize: 200, testSize: 100 }, 0);
    expect(lines).toContain('no --params file: training one short epoch (200 samples) first');
    expect(r.source).toBe('one epoch on 200 images');
    expect(r.after.sub(r.before).abs().max().item()).toBeGreaterThan(1e-4); // Adam moved them
  });

  it('apply_filter prints one response per filter of the trained W1', () => {
    const { lines, print } = collector();
    const r = applyFilter.run(print, { params: simpleParams });
    expect(lines[0]).toBe(`filters: trained, from ${simpleParams}`);
    expect(lines[1]).toMatch(/^image: test sample 0 \(label 7\), pixels 0\.\.1, mean 0\.\d{3}$/);
    expect(lines).toHaveLength(3 + 30);
    expect(r.responses).toHaveLength(30);
    expect(applyFilter.main(() => {}, { params: simpleParams })).toEqual(r.responses);
    const out = applyFilter.filterOutputs(r.W, r.image); // (1, 30, 24, 24)
    expect(out.shape).toEqual([1, 30, 24, 24]);
    const k = r.responses[5];
    expect(k.max).toBeCloseTo(out.index(0, 5).max().item(), 6);
    expect(out.get(0, 5, ...k.argmax)).toBeCloseTo(k.max, 6);
    expect(lines[3 + 5]).toBe(
      `     5 ${k.min.toFixed(4).padStart(8)} ${k.max.toFixed(4).padStart(8)} ` +
        `${k.mean.toFixed(4).padStart(8)}    (${k.argmax[0]}, ${k.argmax[1]})`,
    );
  });

  it('apply_filter draws the digit and 16 filters with their filtered images', async () => {
    const r = applyFilter.run(() => {}, {});
    expect(r.source).toBe('random initial filters');
    const { file, img } = await written(() => applyFilter.writeFigures(r));
    expect(file).toBe(join(dir, 'out', 'ch07', 'apply_filter.png'));
    // Input 168 px and 3 gaps of 16 beside 4 pairs (36 + 6 + 72 px) a row with gaps of 16:
    // 10 + 168 + 48 + 4·114 + 3·16 + 10 = 740 wide; 10 + 28 + 4·(18 + 72) + 3·6 + 10 = 426 high.
    expect(img.shape).toEqual([426, 740, 4]);
    // The input, 6 px a pixel, vertically centred on the grid (top 38 + (378 − 168) / 2 = 143):
    // in gray_r its brightest pixel is black and its corner white.
    const digit = r.image.index(0, 0); // (28, 28)
    const { max } = extremes(digit);
    expect(rgb(img, 143 + (max[0] + 0.5) * 6, 10 + (max[1] + 0.5) * 6)).toEqual(BLACK);
    expect(rgb(img, 143 + 3, 10 + 3)).toEqual(WHITE);
    // Filtered image 0 (72 px, 3 px a pixel) right of filter 0, below its 18 px title.
    const out0 = applyFilter.filterOutputs(r.W, r.image).index(0, 0); // (24, 24)
    const e = extremes(out0);
    const [top, left] = [38 + 18, 226 + 36 + 6];
    expect(rgb(img, top + (e.max[0] + 0.5) * 3, left + (e.max[1] + 0.5) * 3)).toEqual(BLACK);
    expect(rgb(img, top + (e.min[0] + 0.5) * 3, left + (e.min[1] + 0.5) * 3)).toEqual(WHITE);
  });
});

// deep_convnet writes the parameters misclassified_mnist and half_float_network load.
describe('ch08 deep_convnet, misclassified_mnist, half_float_network (§8.1.2, §8.3.4)', () => {
  let result: deepConvnet.TrainDeepnetResult;
  const { lines, print } = collector();

  beforeAll(async () => {
    // One mini-batch: enough to save and load a DeepConvNet, not to learn (chance is 0.1).
    result = await deepConvnet.main(print, {
      epochs: 1,
      trainSize: 100,
      testSize: 100,
      out: deepParams,
    });
  });

  it('prints the Trainer lines and saves the 16 parameters W1…W8, b1…b8', () => {
    expect(lines[0]).toMatch(/^kernels: wasm.*, 100 training samples, 1 epoch\(s\)$/);
    expect(lines.filter((l) => l.startsWith('train loss:'))).toHaveLength(1);
    expect(lines).toContain(`test acc:${pyFloat(result.testAcc)}`);
    expect(lines.at(-1)).toBe(`Saved Network Parameters to ${deepParams}!`);
    const saved = loadNpz(deepParams);
    expect(Object.keys(saved).sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => [`W${i + 1}`, `b${i + 1}`])
        .flat()
        .sort(),
    );
    expect(saved.W7.shape).toEqual([1024, 50]);
  });

  it('draws the accuracy curves', async () => {
    const { file, img } = await written(() => deepConvnet.writeFigures(result));
    expect(file).toBe(join(dir, 'out', 'ch08', 'deep_convnet.png'));
    expect(img.shape).toEqual([480, 640, 4]);
    expect(deepConvnet.figure(result).toSVG()).toContain('DeepConvNet: final test accuracy');
  });

  it('misclassified_mnist lists and draws the images the loaded network gets wrong', async () => {
    const { lines, print } = collector();
    const wrong = await misclassified.main(print, { params: deepParams, testSize: 200 }, 20);
    expect(lines[0]).toBe(`DeepConvNet with the parameters of ${deepParams}`);
    expect(lines).toContain(`test accuracy:${pyFloat(1 - wrong.length / 200)}`);
    expect(lines).toContain(`======= misclassified result (${wrong.length} of 200) =======`);
    expect(wrong.length).toBeGreaterThan(20); // one mini-batch of training
    const { tTest } = loadMnistImages(0, 200);
    for (const w of wrong) {
      expect(w.label).toBe(tTest.get(w.index));
      expect(w.inference).not.toBe(w.label);
    }
    const pairs = wrong.slice(0, 20).map((w, i) => `${i + 1}: (${w.label}, ${w.inference})`);
    expect(lines).toContain(`{${pairs.join(', ')}}`);
    expect(lines.at(-1)).toBe(`… and ${wrong.length - 20} more`);

    const { file, img } = await written(() => misclassified.writeFigures(wrong));
    expect(file).toBe(join(dir, 'out', 'ch08', 'misclassified_mnist.png'));
    // 4 rows of 5 cells: 84 px images with 6 px padding, 18.4 px titles, a 30.8 px suptitle.
    expect(img.shape).toEqual([464, 450, 4]);
    expect(rgb(img, 0, 0)).toEqual(WHITE);
    const svg = misclassified.figure(wrong, loadMnistImages(0, 200).xTest).toSVG();
    const titles = [...svg.matchAll(/class="title"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(titles).toEqual(wrong.slice(0, 20).map((w) => `${w.label} → ${w.inference}`));
  });

  it('half_float_network: float16 weights and inputs barely change the accuracy', async () => {
    const { lines, print } = collector();
    const r = await halfFloat.main(print, { params: deepParams, testSize: 100 });
    expect(lines).toEqual([
      `DeepConvNet with the parameters of ${deepParams}`,
      'calculate accuracy (float64) ... ',
      pyFloat(r.accuracy64),
      'calculate accuracy (float16) ... ',
      pyFloat(r.accuracy16),
    ]);
    expect(Math.abs(r.accuracy16 - r.accuracy64)).toBeLessThanOrEqual(0.02);
  });
});
