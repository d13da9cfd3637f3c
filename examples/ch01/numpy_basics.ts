// Book §1.5 (NumPy): arrays, elementwise arithmetic, broadcasting and element access, printed
// as the interactive session of the book shows them (NumPy's print format).
import { array } from '../../src/ndarray/index.js';
import { isMain, pyShape, type Print } from './python.js';

/** Runs the §1.5 session. */
export function main(print: Print = console.log): void {
  // 1.5.2 Creating a NumPy array
  let x = array([1.0, 2.0, 3.0]);
  print(x.toString()); // [1. 2. 3.]

  // 1.5.3 Arithmetic: elementwise for arrays of the same length, and with a scalar
  x = array([1.0, 2.0, 3.0]);
  const y = array([2.0, 4.0, 6.0]);
  print(x.add(y).toString()); // [3. 6. 9.]
  print(x.sub(y).toString()); // [-1. -2. -3.]
  print(x.mul(y).toString()); // [ 2.  8. 18.]
  print(x.div(y).toString()); // [0.5 0.5 0.5]
  print(x.div(2.0).toString()); // [0.5 1.  1.5]

  // 1.5.4 N-dimensional arrays (integers: NumPy's default int is int64, ours int32)
  const A = array(
    [
      [1, 2],
      [3, 4],
    ],
    'int32',
  );
  print(A.toString());
  print(pyShape(A.shape)); // (2, 2)
  const B = array(
    [
      [3, 0],
      [0, 6],
    ],
    'int32',
  );
  print(A.add(B).toString());
  print(A.mul(B).toString());
  print(A.mul(10).toString());

  // 1.5.5 Broadcasting: the (2,) row is stretched over both rows of A
  const C = array([10, 20], 'int32');
  print(A.mul(C).toString()); // [[10 40]\n [30 80]]

  // 1.5.6 Element access
  let X = array(
    [
      [51, 55],
      [14, 19],
      [0, 4],
    ],
    'int32',
  );
  print(X.toString());
  print(X.index(0).toString()); // [51 55]
  print(String(X.get(0, 1))); // 55
  for (let i = 0; i < X.shape[0]; i++) print(X.index(i).toString());
  X = X.flatten(); // (3, 2) → (6,)
  print(X.toString()); // [51 55 14 19  0  4]
  print(X.index(array([0, 2, 4], 'int32')).toString()); // [51 14  0]
  print(X.gt(15).toString()); // [ True  True False  True False False]
  print(X.index(X.gt(15)).toString()); // [51 55 19]
}

if (isMain(import.meta.url)) main();
