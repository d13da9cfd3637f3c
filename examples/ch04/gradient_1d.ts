// ch04/gradient_1d.py (book §4.3): the numerical derivative of y = 0.01x² + 0.1x at x = 5 and
// 10, and the tangent line at 5: its ends print, and the function with the tangent is drawn
// (out/ch04/gradient_1d.png, figure 4-7).
import { arange } from '../../src/ndarray/index.js';
import { numericalDiff } from '../../src/functions/index.js';
import { isMain, pyFloat, type Print } from '../ch01/python.js';
import { Figure } from '../../src/plot/figure.js';
import { showFigure } from '../ch01/figure.js';

/** The book's function_1: 0.01x² + 0.1x. */
export function function1(x: number): number {
  return 0.01 * x ** 2 + 0.1 * x;
}

/** The tangent of f at x, as the book's tangent_line: prints the slope, returns the line. */
export function tangentLine(
  f: (x: number) => number,
  x: number,
  print: Print,
): (t: number) => number {
  const d = numericalDiff(f, x);
  print(pyFloat(d));
  const y = f(x) - d * x;
  return (t) => d * t + y;
}

/** The book's figure: f(x) on [0, 20) and its tangent at x = 5 (the point marked, a legend added). */
export function figure(): Figure {
  const x = arange(0.0, 20.0, 0.1);
  const f = x.toList().map(function1);
  const tf = tangentLine(function1, 5, () => {});
  const fig = new Figure();
  const ax = fig.gca();
  ax.plot(x, f, { label: 'f(x) = 0.01x² + 0.1x' });
  ax.plot(x, x.toList().map(tf), { label: 'tangent at x = 5' });
  ax.plot([5], [function1(5)], 'o', { color: 'k', markerSize: 6 });
  ax.setXLabel('x').setYLabel('f(x)').legend({ loc: 'upper left' });
  return fig;
}

/** Prints the §4.3.1 rounding pitfall, the two derivatives and the tangent line's ends. */
export function main(print: Print = console.log): void {
  // §4.3.1: a too-small h vanishes in float32 — np.float32(1e-50) is 0.0
  print(pyFloat(Math.fround(1e-50))); // 0.0

  // §4.3.2: the slopes at 5 and 10 (true values 0.2 and 0.3)
  print(pyFloat(numericalDiff(function1, 5))); // 0.1999999999990898
  print(pyFloat(numericalDiff(function1, 10))); // 0.2999999999986347

  // gradient_1d.py: the tangent at x = 5 over x in [0, 20) step 0.1
  const x = arange(0.0, 20.0, 0.1);
  const tf = tangentLine(function1, 5, print); // prints 0.1999999999990898
  const ends = [x.get(0), x.get(x.size - 1)].map((v) => `${pyFloat(v)} -> ${pyFloat(tf(v))}`);
  print(`tangent: ${ends.join(', ')}`);
}

if (isMain(import.meta.url)) {
  main();
  await showFigure(figure(), 'ch04', 'gradient_1d');
}
