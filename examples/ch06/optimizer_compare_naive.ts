// ch06/optimizer_compare_naive.py (book §6.1.7, figure 6-8): SGD, Momentum, AdaGrad and Adam
// minimising f(x, y) = x²/20 + y² from (-7, 2), 30 steps each, drawn over its contour lines.
import { array, type NDArray } from '../../src/ndarray/index.js';
import { AdaGrad, Adam, Momentum, SGD, type Optimizer } from '../../src/optimizers/index.js';
import { Figure } from '../../src/plot/index.js';
import { isMain, pyFloat, type Print } from '../ch01/python.js';
import { parseExampleArgs, saveFigure, type FigureOutputOptions } from '../common.js';

/** The book's f(x, y) = x²/20 + y²: a bowl 20 times longer along x than along y. */
export function f(x: number, y: number): number {
  return x ** 2 / 20.0 + y ** 2;
}

/** The gradient of {@link f}: (x/10, 2y). */
export function df(x: number, y: number): [number, number] {
  return [x / 10.0, 2.0 * y];
}

/** The four optimizers with the book's learning rates, in the book's order. */
export function bookOptimizers(): [name: string, optimizer: Optimizer][] {
  return [
    ['SGD', new SGD({ lr: 0.95 })],
    ['Momentum', new Momentum({ lr: 0.1 })],
    ['AdaGrad', new AdaGrad({ lr: 1.5 })],
    ['Adam', new Adam({ lr: 0.3 })],
  ];
}

/** One optimizer's path. */
export interface OptimizerPath {
  name: string;
  /** The 30 positions before each update, as the book plots them. */
  xHistory: number[];
  yHistory: number[];
  /** The position after the 30th update. */
  final: [number, number];
}

/** Options of {@link main}. */
export interface OptimizerCompareNaiveOptions extends FigureOutputOptions {
  /** Updates per optimizer. Default 30. */
  steps?: number;
}

/**
 * Runs the four optimizers, prints each one's point after the last update
 * (`SGD: x=…, y=…, f=…`), and writes `ch06/optimizer_compare_naive.png` (2×2 subplots).
 */
export async function main(
  print: Print = console.log,
  { steps = 30, outDir }: OptimizerCompareNaiveOptions = {},
): Promise<OptimizerPath[]> {
  const initPos: [number, number] = [-7.0, 2.0];
  const paths: OptimizerPath[] = [];
  for (const [name, optimizer] of bookOptimizers()) {
    // (1,)-arrays: the optimizers update NDArrays in place, the book's dict of two floats.
    const params: Record<string, NDArray> = { x: array([initPos[0]]), y: array([initPos[1]]) };
    const xHistory: number[] = [];
    const yHistory: number[] = [];
    for (let i = 0; i < steps; i++) {
      const x = params.x.data[0];
      const y = params.y.data[0];
      xHistory.push(x);
      yHistory.push(y);
      const [gx, gy] = df(x, y);
      optimizer.update(params, { x: array([gx]), y: array([gy]) });
    }
    const final: [number, number] = [params.x.data[0], params.y.data[0]];
    paths.push({ name, xHistory, yHistory, final });
    print(
      `${name}: x=${pyFloat(final[0])}, y=${pyFloat(final[1])}, f=${pyFloat(f(final[0], final[1]))}`,
    );
  }

  const fig = new Figure({ width: 900, height: 720 });
  const axes = fig.subplots(2, 2);
  // The contour grid: the book's step 0.01 gives 2 million points; 0.05 draws the same lines.
  const gx = Array.from({ length: 401 }, (_, i) => -10 + i * 0.05);
  const gy = Array.from({ length: 201 }, (_, i) => -5 + i * 0.05);
  paths.forEach((p, i) => {
    const ax = axes[i];
    ax.plot(p.xHistory, p.yHistory, 'o-', { color: 'red', markerSize: 5 });
    // The book sets Z to 0 where Z > 7 "for simple contour lines": masked (NaN) here instead, so
    // no spurious line is drawn along the mask's edge.
    ax.contour(gx, gy, (x, y) => (f(x, y) > 7 ? NaN : f(x, y)), { cmap: 'viridis' });
    ax.plot([0], [0], '+', { color: 'C0', markerSize: 10 });
    ax.setYLim(-10, 10).setXLim(-10, 10);
    ax.setTitle(p.name).setXLabel('x').setYLabel('y');
  });
  await saveFigure(fig, 'ch06', 'optimizer_compare_naive', outDir, print);
  return paths;
}

if (isMain(import.meta.url)) {
  const args = parseExampleArgs(['steps']);
  await main(console.log, { steps: args.ints.steps, outDir: args.outDir });
}
