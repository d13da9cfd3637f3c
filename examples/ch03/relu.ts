// ch03/relu.py (book §3.2.7): the ReLU on arrays, and its graph (out/ch03/relu.png, figure 3-9).
import { arange, array } from '../../src/ndarray/index.js';
import { relu } from '../../src/functions/index.js';
import { isMain, type Print } from '../ch01/python.js';
import { Figure } from '../../src/plot/figure.js';
import { showFigure } from '../ch01/figure.js';

/** The book's figure: y = relu(x) on [-5, 5), y limits -1 to 5.5. */
export function figure(): Figure {
  const x = arange(-5.0, 5.0, 0.1);
  const fig = new Figure();
  fig.gca().plot(x, relu(x)).setYLim(-1.0, 5.5);
  return fig;
}

/** Prints relu of a few values and the graph's data. */
export function main(print: Print = console.log): void {
  print(relu(array([-1.0, 0.5, 2.0])).toString()); // [0.  0.5 2. ]
  // relu.py: the graph of y = relu(x) for x in [-5, 5) step 0.1
  print(relu(arange(-5.0, 5.0, 0.1)).toString());
}

if (isMain(import.meta.url)) {
  main();
  await showFigure(figure(), 'ch03', 'relu');
}
