// ch01/hungry.py (book §1.4.1): the first Python script, run from a file.
import { isMain, type Print } from './python.js';

/** Prints the book's first line. */
export function main(print: Print = console.log): void {
  print("I'm hungry!");
}

if (isMain(import.meta.url)) main();
