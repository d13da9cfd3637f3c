// ch03/sigmoid.py (book §3.2.4–3.2.5): the sigmoid on arrays (broadcasting a scalar), and its
// graph (out/ch03/sigmoid.png, figure 3-7).
import { arange, array, onesLike } from '../../src/ndarray/index.js';
import { sigmoid } from '../../src/functions/index.js';
import { isMain, type Print } from '../ch01/python.js';
import { Figure } from '../../src/plot/figure.js';
import { showFigure } from '../ch01/figure.js';

/** The book's figure: y = sigmoid(x) on [-5, 5), y limits -0.1 to 1.1. */
export function figure(): Figure {
  const x = arange(-5.0, 5.0, 0.1);
  const fig = new Figure();
  fig.gca().plot(x, sigmoid(x)).setYLim(-0.1, 1.1);
  return fig;
}

/** Prints the §3.2.4 session and the graph's data. */
export function main(print: Print = console.log): void {
  const x = array([-1.0, 1.0, 2.0]);
  print(sigmoid(x).toString()); // [0.26894142 0.73105858 0.88079708]
  // Broadcasting: a scalar meets every element.
  const t = array([1.0, 2.0, 3.0]);
  print(t.add(1.0).toString()); // [2. 3. 4.]
  print(onesLike(t).div(t).toString()); // 1.0 / t = [1.         0.5        0.33333333]

  // sigmoid.py: the graph of y = sigmoid(x) for x in [-5, 5) step 0.1
  print(sigmoid(arange(-5.0, 5.0, 0.1)).toString());
}

if (isMain(import.meta.url)) {
  main();
  await showFigure(figure(), 'ch03', 'sigmoid');
}
