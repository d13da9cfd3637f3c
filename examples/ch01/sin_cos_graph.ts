// ch01/sin_cos_graph.py (book §1.6.2): sin and cos on [0, 6) step 0.1, printed and drawn with
// labels, a dashed line, a legend and a title (out/ch01/sin_cos_graph.png, figure 1-6).
import { arange } from '../../src/ndarray/index.js';
import { Figure } from '../../src/plot/figure.js';
import { showFigure } from './figure.js';
import { isMain, type Print } from './python.js';
import { mapFloat } from './sin_graph.js';

/** The book's figure: sin solid, cos dashed, axis labels, title 'sin & cos' and a legend. */
export function figure(): Figure {
  const x = arange(0, 6, 0.1);
  const fig = new Figure();
  const ax = fig.gca();
  ax.plot(x, mapFloat(x, Math.sin), { label: 'sin' });
  ax.plot(x, mapFloat(x, Math.cos), { lineStyle: '--', label: 'cos' });
  ax.setXLabel('x').setYLabel('y').setTitle('sin & cos').legend();
  return fig;
}

/** Prints x, sin(x) and cos(x). */
export function main(print: Print = console.log): void {
  const x = arange(0, 6, 0.1);
  const y1 = mapFloat(x, Math.sin);
  const y2 = mapFloat(x, Math.cos);
  print('x');
  print(x.toString());
  print('sin');
  print(y1.toString());
  print('cos');
  print(y2.toString());
}

if (isMain(import.meta.url)) {
  main();
  await showFigure(figure(), 'ch01', 'sin_cos_graph');
}
