// ch04/gradient_simplenet.py (book §4.4.2): the gradient of a loss with respect to a (2, 3)
// weight matrix, for the simpleNet with the weights printed in the book.
import { array, Rng } from '../../src/ndarray/index.js';
import { numericalGradient } from '../../src/functions/index.js';
import { SimpleNet } from '../../src/networks/simpleNet.js';
import { isMain, pyFloat, type Print } from '../ch01/python.js';

/** The weights the book's run drew (printed in §4.4.2 to 8 digits). */
export const BOOK_W = [
  [0.47355232, 0.9977393, 0.84668094],
  [0.85557411, 0.03563661, 0.69422093],
];

/** Options of {@link main}. */
export interface GradientSimplenetOptions {
  /** Draw W from a seeded generator instead of using the book's W. */
  seed?: number;
}

/** Prints W, the scores, the predicted class, the loss and dW, as the book's session. */
export function main(print: Print = console.log, { seed }: GradientSimplenetOptions = {}): void {
  const net = new SimpleNet(seed === undefined ? { W: array(BOOK_W) } : { rng: new Rng(seed) });
  print(net.W.toString()); // the weight parameters
  const x = array([0.6, 0.9]);
  const p = net.predict(x);
  print(p.toString()); // [1.05414809 0.63071653 1.1328074 ]
  print(String(p.argmax().item())); // 2: the index of the maximum
  const t = array([0, 0, 1]); // the right label
  print(pyFloat(net.loss(x, t))); // 0.9280685366…

  // f ignores its argument: numericalGradient nudges net.W in place and f reads it through net.
  const f = () => net.loss(x, t);
  const dW = numericalGradient(f, net.W);
  print(dW.toString());
  // [[ 0.21924763  0.14356247 -0.36281009]
  //  [ 0.32887144  0.2153437  -0.54421514]]
}

if (isMain(import.meta.url)) main();
