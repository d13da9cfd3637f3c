// Book §3.5 (output layer): softmax step by step, its overflow and the fix, and its outputs
// summing to 1.
import { array } from '../../src/ndarray/index.js';
import { softmax } from '../../src/functions/index.js';
import { isMain, pyFloat, type Print } from '../ch01/python.js';

/** Prints the §3.5.2–3.5.3 session. */
export function main(print: Print = console.log): void {
  // §3.5.1: exp(a) / Σ exp(a)
  let a = array([0.3, 2.9, 4.0]);
  const expA = a.exp();
  print(expA.toString()); // [ 1.34985881 18.17414537 54.59815003]
  const sumExpA = expA.sum().item();
  print(pyFloat(sumExpA)); // 74.1221542101633
  print(expA.div(sumExpA).toString()); // [0.01821127 0.24519181 0.73659691]

  // §3.5.2: exp(1010) overflows — Infinity / Infinity is nan
  a = array([1010, 1000, 990], 'int32');
  print(a.exp().div(a.exp().sum()).toString()); // [nan nan nan]
  const c = a.max().item();
  print(a.sub(c).toString()); // [  0 -10 -20]
  const shifted = a.sub(c).exp();
  print(shifted.div(shifted.sum()).toString()); // [9.99954600e-01 4.53978686e-05 2.06106005e-09]

  // §3.5.3: the outputs are probabilities
  a = array([0.3, 2.9, 4.0]);
  const y = softmax(a);
  print(y.toString()); // [0.01821127 0.24519181 0.73659691]
  print(pyFloat(y.sum().item())); // 1.0
}

if (isMain(import.meta.url)) main();
