// ch01/sin_graph.py (book §1.6.1): y = sin(x) for x in [0, 6) step 0.1, printed and drawn
// (out/ch01/sin_graph.png, the book's figure 1-5).
import { NDArray, arange } from '../../src/ndarray/index.js';
import { Figure } from '../../src/plot/figure.js';
import { showFigure } from './figure.js';
import { isMain, pyShape, type Print } from './python.js';

/** Elementwise Math.f (the ndarray has no np.sin / np.cos yet). */
export function mapFloat(x: NDArray, f: (v: number) => number): NDArray {
  return new NDArray(Float64Array.from(x.data, f), x.shape);
}

/** The data of the sine graph. */
export function sinData(): { x: NDArray; y: NDArray } {
  const x = arange(0, 6, 0.1); // 0 to 6 in steps of 0.1: (60,)
  return { x, y: mapFloat(x, Math.sin) };
}

/** The book's figure: `plt.plot(x, y)`. */
export function figure(): Figure {
  const { x, y } = sinData();
  const fig = new Figure();
  fig.gca().plot(x, y);
  return fig;
}

/** Prints x and sin(x). */
export function main(print: Print = console.log): void {
  const { x, y } = sinData();
  print(`x ${pyShape(x.shape)}`);
  print(x.toString());
  print('y = sin(x)');
  print(y.toString());
}

if (isMain(import.meta.url)) {
  main();
  await showFigure(figure(), 'ch01', 'sin_graph');
}
