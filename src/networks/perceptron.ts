// Perceptron logic gates (book chapter 2, ch02/and_gate.py … xor_gate.py): weights, a bias and a
// threshold; XOR needs two layers of them (§2.5).
import { array } from '../ndarray/creation.js';

/** A perceptron with two inputs: 1 when w·x + b > 0, else 0 (book §2.3.2). */
function perceptron(x1: number, x2: number, w: readonly [number, number], b: number): 0 | 1 {
  const x = array([x1, x2]);
  const tmp =
    array([...w])
      .mul(x)
      .sum()
      .item() + b;
  return tmp <= 0 ? 0 : 1;
}

/**
 * AND gate: weights (0.5, 0.5), bias −0.7 (book §2.3.3).
 * @example
 * AND(1, 1); // 1
 * AND(1, 0); // 0
 */
export function AND(x1: number, x2: number): 0 | 1 {
  return perceptron(x1, x2, [0.5, 0.5], -0.7);
}

/**
 * NAND gate: AND's weights and bias negated, (−0.5, −0.5) and 0.7.
 * @example
 * NAND(1, 1); // 0
 * NAND(0, 1); // 1
 */
export function NAND(x1: number, x2: number): 0 | 1 {
  return perceptron(x1, x2, [-0.5, -0.5], 0.7);
}

/**
 * OR gate: weights (0.5, 0.5), bias −0.2.
 * @example
 * OR(0, 1); // 1
 * OR(0, 0); // 0
 */
export function OR(x1: number, x2: number): 0 | 1 {
  return perceptron(x1, x2, [0.5, 0.5], -0.2);
}

/**
 * XOR gate: no single perceptron separates it (its outputs are not linearly separable), so it
 * stacks two layers: AND(NAND(x1, x2), OR(x1, x2)) (book §2.5.2).
 * @example
 * XOR(1, 0); // 1
 * XOR(1, 1); // 0
 */
export function XOR(x1: number, x2: number): 0 | 1 {
  const s1 = NAND(x1, x2);
  const s2 = OR(x1, x2);
  return AND(s1, s2);
}
