// ch04/two_layer_net.py (book §4.5.1): the two-layer network's parameters, prediction and
// gradients — by backpropagation for the book's size, and by numerical differentiation (the
// chapter 4 way, slow by nature) on a small instance, where both must agree.
import { Rng } from '../../src/ndarray/index.js';
import { networkGradientCheck } from '../../src/functions/index.js';
import { TwoLayerNet } from '../../src/networks/twoLayerNet.js';
import { isMain, pyShape, type Print } from '../ch01/python.js';

/** Prints the §4.5.1 session. */
export function main(print: Print = console.log, { seed = 0 }: { seed?: number } = {}): void {
  const rng = new Rng(seed);
  // Chapter 4's network has sigmoid hidden units.
  const net = new TwoLayerNet({
    inputSize: 784,
    hiddenSize: 100,
    outputSize: 10,
    activation: 'sigmoid',
    seed,
  });
  for (const key of ['W1', 'b1', 'W2', 'b2']) print(`${key} ${pyShape(net.params[key].shape)}`);
  // W1 (784, 100), b1 (100,), W2 (100, 10), b2 (10,)

  const x = rng.rand(100, 784); // dummy input data (100 images)
  const y = net.predict(x);
  print(`y ${pyShape(y.shape)}`); // (100, 10)

  const t = rng.randint(0, 10, 100); // dummy labels
  const grads = net.gradient(x, t);
  for (const key of ['W1', 'b1', 'W2', 'b2']) print(`grads['${key}'] ${pyShape(grads[key].shape)}`);

  // The book computes these with numerical_gradient, which takes minutes at this size (two
  // forward passes per parameter, 79,510 parameters). On a small instance both methods agree:
  const small = new TwoLayerNet({
    inputSize: 4,
    hiddenSize: 5,
    outputSize: 3,
    activation: 'sigmoid',
    seed,
  });
  const xs = rng.rand(3, 4);
  const ts = rng.randint(0, 3, 3);
  const diff = networkGradientCheck(small, xs, ts);
  for (const [key, d] of Object.entries(diff)) print(`${key}: ${d.toExponential(2)}`);
}

if (isMain(import.meta.url)) main();
