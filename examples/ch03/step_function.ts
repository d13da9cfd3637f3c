// ch03/step_function.py (book §3.2.2–3.2.3): the step function on arrays, and its graph
// (out/ch03/step_function.png, figure 3-6).
import { arange, array } from '../../src/ndarray/index.js';
import { stepFunction } from '../../src/functions/index.js';
import { isMain, type Print } from '../ch01/python.js';
import { Figure } from '../../src/plot/figure.js';
import { showFigure } from '../ch01/figure.js';

/** The book's figure: y = step(x) on [-5, 5), y limits -0.1 to 1.1. */
export function figure(): Figure {
  const x = arange(-5.0, 5.0, 0.1);
  const fig = new Figure();
  fig.gca().plot(x, stepFunction(x)).setYLim(-0.1, 1.1);
  return fig;
}

/** Prints the §3.2.3 session and the graph's data. */
export function main(print: Print = console.log): void {
  // §3.2.3: how step_function works on an array — a comparison, then bool → int
  const x = array([-1.0, 1.0, 2.0]);
  print(x.toString()); // [-1.  1.  2.]
  const y = x.gt(0);
  print(y.toString()); // [False  True  True]
  print(y.astype('int32').toString()); // [0 1 1]

  // step_function.py: the graph of y = step(x) for x in [-5, 5) step 0.1
  const xs = arange(-5.0, 5.0, 0.1);
  print(stepFunction(xs).toString());
}

if (isMain(import.meta.url)) {
  main();
  await showFigure(figure(), 'ch03', 'step_function');
}
