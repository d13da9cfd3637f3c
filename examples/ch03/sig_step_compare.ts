// ch03/sig_step_compare.py (book §3.2.5): the sigmoid and the step function side by side: both
// curves' values at a few points, and both graphs in one figure (out/ch03/sig_step_compare.png,
// figure 3-8: the step function dashed black).
import { arange, array } from '../../src/ndarray/index.js';
import { sigmoid, stepFunction } from '../../src/functions/index.js';
import { isMain, type Print } from '../ch01/python.js';
import { Figure } from '../../src/plot/figure.js';
import { showFigure } from '../ch01/figure.js';

/** The book's figure: sigmoid solid, step `'k--'`, y limits -0.1 to 1.1 (with a legend added). */
export function figure(): Figure {
  const x = arange(-5.0, 5.0, 0.1);
  const fig = new Figure();
  const ax = fig.gca();
  ax.plot(x, sigmoid(x), { label: 'sigmoid' });
  ax.plot(x, stepFunction(x), 'k--', { label: 'step' });
  ax.setYLim(-0.1, 1.1).legend({ loc: 'upper left' });
  return fig;
}

/** Prints x, step(x) and sigmoid(x): both rise from 0 to 1, one jumps, one is smooth. */
export function main(print: Print = console.log): void {
  const x = array([-5.0, -2.0, -1.0, -0.1, 0.1, 1.0, 2.0, 5.0]);
  print(x.toString());
  print(stepFunction(x).toString());
  print(sigmoid(x).toString());
}

if (isMain(import.meta.url)) {
  main();
  await showFigure(figure(), 'ch03', 'sig_step_compare');
}
