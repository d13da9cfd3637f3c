// ch03/relu.py (book §3.2.7): the ReLU, and the data of its graph (the figure comes in a later
// issue).
import { arange, array } from '../../src/ndarray/index.js';
import { relu } from '../../src/functions/index.js';
import { isMain, type Print } from '../ch01/python.js';

/** Prints relu of a few values and the graph's data. */
export function main(print: Print = console.log): void {
  print(relu(array([-1.0, 0.5, 2.0])).toString()); // [0.  0.5 2. ]
  // relu.py: the graph of y = relu(x) for x in [-5, 5) step 0.1
  print(relu(arange(-5.0, 5.0, 0.1)).toString());
}

if (isMain(import.meta.url)) main();
