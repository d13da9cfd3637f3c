// ch04/gradient_2d.py (book §4.4): the gradient of f(x0, x1) = x0² + x1² at three points, and
// over a grid, drawn as arrows of −∇f pointing to the minimum (out/ch04/gradient_2d.png, fig. 4-9).
import { array, arange, meshgrid, stack, type NDArray } from '../../src/ndarray/index.js';
import { numericalGradient } from '../../src/functions/index.js';
import { isMain, pyShape, type Print } from '../ch01/python.js';
import { Figure } from '../../src/plot/figure.js';
import { showFigure } from '../ch01/figure.js';

/** The book's function_2: the sum of squares of x (over all elements). */
export function function2(x: NDArray): number {
  return x.square().sum().item();
}

/**
 * The grid of the book's figure and the gradient at each point.
 * @returns X, Y (324) the points' coordinates, grad (2, 324) ∇f at each point
 */
export function gridGradient(): { X: NDArray; Y: NDArray; grad: NDArray } {
  const x0 = arange(-2, 2.5, 0.25);
  const x1 = arange(-2, 2.5, 0.25);
  const [X, Y] = meshgrid(x0, x1); // (18, 18) each
  const points = stack([X.flatten(), Y.flatten()]); // (2, 324): row 0 x0, row 1 x1
  // function_2 of all points is the sum of every point's x0² + x1², so the whole array's
  // gradient is each point's.
  return { X: X.flatten(), Y: Y.flatten(), grad: numericalGradient(function2, points) };
}

/** The book's figure: `plt.quiver(X, Y, -grad[0], -grad[1])` on [-2, 2]², with a grid. */
export function figure(): Figure {
  const { X, Y, grad } = gridGradient();
  const fig = new Figure();
  fig
    .gca()
    .quiver(X, Y, grad.index(0).neg(), grad.index(1).neg(), { color: '#666666' })
    .setXLim(-2, 2)
    .setYLim(-2, 2)
    .setXLabel('x0')
    .setYLabel('x1')
    .grid();
  return fig;
}

/** Prints the three §4.4 gradients, and the grid gradient's shape and first columns. */
export function main(print: Print = console.log): void {
  print(numericalGradient(function2, array([3.0, 4.0])).repr()); // array([6., 8.])
  print(numericalGradient(function2, array([0.0, 2.0])).repr()); // array([0., 4.])
  print(numericalGradient(function2, array([3.0, 0.0])).repr()); // array([6., 0.])

  // gradient_2d.py: arrows −∇f on an 18×18 grid of [-2, 2.25]
  const { grad } = gridGradient();
  print(pyShape(grad.shape)); // (2, 324)
  // ∇f at the first three points (-2, -2), (-1.75, -2), (-1.5, -2); the arrows drawn are −∇f.
  print(grad.index(null, '0:3').toString()); // [[-4.  -3.5 -3. ]\n [-4.  -4.  -4. ]]
}

if (isMain(import.meta.url)) {
  main();
  await showFigure(figure(), 'ch04', 'gradient_2d');
}
