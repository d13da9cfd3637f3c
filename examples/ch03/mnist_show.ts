// ch03/mnist_show.py (book §3.6.1): the first training image and its label (the image itself
// is shown in a later issue; this prints the label and the shapes).
import { loadMnist } from '../../src/data/mnist.js';
import { isMain, pyShape, type Print } from '../ch01/python.js';

/** Prints the first label (5) and the image's shape before and after reshaping to 28×28. */
export function main(print: Print = console.log): void {
  const { xTrain, tTrain } = loadMnist({ flatten: true, normalize: false });
  let img = xTrain.index(0);
  const label = tTrain.get(0);
  print(String(label)); // 5
  print(pyShape(img.shape)); // (784,)
  img = img.reshape(28, 28); // (784,) → (28, 28): the image's rows
  print(pyShape(img.shape)); // (28, 28)
}

if (isMain(import.meta.url)) main();
