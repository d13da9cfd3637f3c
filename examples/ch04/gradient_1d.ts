// ch04/gradient_1d.py (book §4.3): the numerical derivative of y = 0.01x² + 0.1x at x = 5 and
// 10, and the tangent line at 5 (the figure comes in a later issue; the line's values print).
import { arange } from '../../src/ndarray/index.js';
import { numericalDiff } from '../../src/functions/index.js';
import { isMain, pyFloat, type Print } from '../ch01/python.js';

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

if (isMain(import.meta.url)) main();
