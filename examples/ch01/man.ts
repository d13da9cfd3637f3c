// ch01/man.py (book §1.4.2): a class with a constructor and two methods.
import { isMain, type Print } from './python.js';

/** The book's sample class. */
export class Man {
  readonly name: string;
  private readonly print: Print;

  constructor(name: string, print: Print = console.log) {
    this.name = name;
    this.print = print;
    // The book's script prints "Initilized!"; the typo is fixed here.
    print('Initialized!');
  }

  hello(): void {
    this.print(`Hello ${this.name}!`);
  }

  goodbye(): void {
    this.print(`Good-bye ${this.name}!`);
  }
}

/** Creates a Man and calls both methods. */
export function main(print: Print = console.log): void {
  const m = new Man('David', print);
  m.hello();
  m.goodbye();
}

if (isMain(import.meta.url)) main();
