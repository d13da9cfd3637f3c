// ch04/gradient_method.py (book §4.4.1): gradient descent on x0² + x1² from (-3, 4), with the
// book's learning rate 0.1 and the too-large and too-small ones (10 and 1e-10), and the path of
// the first drawn (out/ch04/gradient_method.png, figure 4-10).
import { array } from '../../src/ndarray/index.js';
import { gradientDescent } from '../../src/functions/index.js';
import { isMain, pyShape, type Print } from '../ch01/python.js';
import { function2 } from './gradient_2d.js';
import { Figure } from '../../src/plot/figure.js';
import { showFigure } from '../ch01/figure.js';

/** The book's figure: the 100 points of the descent path (lr 0.1) and dashed axes through 0. */
export function figure(): Figure {
  const { history } = gradientDescent(function2, array([-3.0, 4.0]), {
    lr: 0.1,
    stepNum: 100,
    history: true,
  });
  const fig = new Figure();
  const ax = fig.gca();
  ax.plot([-5, 5], [0, 0], '--b');
  ax.plot([0, 0], [-5, 5], '--b');
  ax.plot(history.index(':', 0), history.index(':', 1), 'o'); // (100, 2) → x0s, x1s
  ax.setXLim(-3.5, 3.5).setYLim(-4.5, 4.5).setXLabel('X0').setYLabel('X1');
  return fig;
}

/** Prints the three results and the shape of the path the book plots. */
export function main(print: Print = console.log): void {
  const initX = array([-3.0, 4.0]);
  const { x, history } = gradientDescent(function2, initX, {
    lr: 0.1,
    stepNum: 100,
    history: true,
  });
  print(x.repr()); // array([-6.11110793e-10,  8.14814391e-10])
  print(pyShape(history.shape)); // (100, 2): the path of the book's figure 4-10

  // Too large a learning rate diverges…
  print(gradientDescent(function2, initX, { lr: 10.0, stepNum: 100 }).repr());
  // array([-2.58983747e+13, -1.29524862e+12])
  // …too small a one hardly moves.
  print(gradientDescent(function2, initX, { lr: 1e-10, stepNum: 100 }).repr());
  // array([-2.99999994,  3.99999992])
}

if (isMain(import.meta.url)) {
  main();
  await showFigure(figure(), 'ch04', 'gradient_method');
}
