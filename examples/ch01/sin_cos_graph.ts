// ch01/sin_cos_graph.py (book §1.6.2): sin and cos on [0, 6) step 0.1, with labels and a title
// in the book's figure. The figure comes in a later issue; for now the script prints the data.
import { arange } from '../../src/ndarray/index.js';
import { isMain, type Print } from './python.js';
import { mapFloat } from './sin_graph.js';

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

if (isMain(import.meta.url)) main();
