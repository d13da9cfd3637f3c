// ch03/sig_step_compare.py (book §3.2.5): the sigmoid and the step function side by side (the
// figure comes in a later issue; the script prints both curves' values at a few points).
import { array } from '../../src/ndarray/index.js';
import { sigmoid, stepFunction } from '../../src/functions/index.js';
import { isMain, type Print } from '../ch01/python.js';

/** Prints x, step(x) and sigmoid(x): both rise from 0 to 1, one jumps, one is smooth. */
export function main(print: Print = console.log): void {
  const x = array([-5.0, -2.0, -1.0, -0.1, 0.1, 1.0, 2.0, 5.0]);
  print(x.toString());
  print(stepFunction(x).toString());
  print(sigmoid(x).toString());
}

if (isMain(import.meta.url)) main();
