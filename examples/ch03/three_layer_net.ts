// Book §3.4 (a three-layer neural network): the signal layer by layer with the book's toy
// weights, then the same pass as init_network() / forward().
import { array } from '../../src/ndarray/index.js';
import { identityFunction, sigmoid } from '../../src/functions/index.js';
import { forward, initNetwork } from '../../src/networks/ch03.js';
import { isMain, pyShape, type Print } from '../ch01/python.js';

/** Prints the §3.4.2 step-by-step pass and the §3.4.3 forward() result. */
export function main(print: Print = console.log): void {
  // §3.4.2: input → layer 1
  const X = array([1.0, 0.5]);
  const { W1, b1: B1, W2, b2: B2, W3, b3: B3 } = initNetwork();
  print(pyShape(W1.shape)); // (2, 3)
  print(pyShape(X.shape)); // (2,)
  print(pyShape(B1.shape)); // (3,)
  const A1 = X.dot(W1).add(B1);
  const Z1 = sigmoid(A1);
  print(A1.toString()); // [0.3 0.7 1.1]
  print(Z1.toString()); // [0.57444252 0.66818777 0.75026011]
  // layer 1 → layer 2
  print(pyShape(Z1.shape)); // (3,)
  print(pyShape(W2.shape)); // (3, 2)
  print(pyShape(B2.shape)); // (2,)
  const A2 = Z1.dot(W2).add(B2);
  const Z2 = sigmoid(A2);
  // layer 2 → output, with the identity function of regression
  const A3 = Z2.dot(W3).add(B3);
  const Y = identityFunction(A3);
  print(Y.toString()); // [0.31682708 0.69627909]

  // §3.4.3: the same as init_network() and forward()
  const network = initNetwork();
  const x = array([1.0, 0.5]);
  const y = forward(network, x);
  print(y.toString()); // [0.31682708 0.69627909]
}

if (isMain(import.meta.url)) main();
