// ch02/or_gate.py (book §2.3.3): the OR gate's truth table.
import { OR } from '../../src/networks/perceptron.js';
import { isMain, type Print } from '../ch01/python.js';

/** Prints `(x1, x2) -> y` for the four inputs, as the book's script. */
export function main(print: Print = console.log): void {
  for (const [x1, x2] of [
    [0, 0],
    [1, 0],
    [0, 1],
    [1, 1],
  ]) {
    const y = OR(x1, x2);
    print(`(${x1}, ${x2}) -> ${y}`);
  }
}

if (isMain(import.meta.url)) main();
