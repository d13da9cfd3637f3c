// Book §3.3 (multidimensional arrays): np.ndim, shapes, np.dot and its shape rule, and the
// product of a neural network layer (§3.3.3), printed as the book's session.
import { array, dot } from '../../src/ndarray/index.js';
import { isMain, pyShape, type Print } from '../ch01/python.js';

/** Prints the §3.3 session, including NumPy's error for misaligned shapes. */
export function main(print: Print = console.log): void {
  // 3.3.1 Multidimensional arrays (integers, as the book's)
  let A = array([1, 2, 3, 4], 'int32');
  print(A.toString()); // [1 2 3 4]
  print(String(A.ndim)); // 1
  print(pyShape(A.shape)); // (4,)
  print(String(A.shape[0])); // 4
  let B = array(
    [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
    'int32',
  );
  print(B.toString());
  print(String(B.ndim)); // 2
  print(pyShape(B.shape)); // (3, 2)

  // 3.3.2 Matrix products
  A = array(
    [
      [1, 2],
      [3, 4],
    ],
    'int32',
  );
  B = array(
    [
      [5, 6],
      [7, 8],
    ],
    'int32',
  );
  print(dot(A, B).toString()); // [[19 22]\n [43 50]]

  A = array(
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
    'int32',
  );
  B = array(
    [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
    'int32',
  );
  print(dot(A, B).toString()); // [[22 28]\n [49 64]]

  // The inner dimensions must agree: (2, 3)·(2, 2) fails with NumPy's message.
  const C = array(
    [
      [1, 2],
      [3, 4],
    ],
    'int32',
  );
  try {
    dot(A, C);
  } catch (e) {
    print(`ValueError: ${(e as Error).message}`);
  }

  A = array(
    [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
    'int32',
  );
  B = array([7, 8], 'int32');
  print(dot(A, B).toString()); // [23 53 83]

  // 3.3.3 A neural network's product: X (2,) · W (2, 3) → Y (3,)
  const X = array([1, 2], 'int32');
  const W = array(
    [
      [1, 3, 5],
      [2, 4, 6],
    ],
    'int32',
  );
  print(W.toString());
  print(pyShape(W.shape)); // (2, 3)
  print(dot(X, W).toString()); // [ 5 11 17]
}

if (isMain(import.meta.url)) main();
