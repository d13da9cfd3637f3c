// ch03/mnist_show.py (book §3.6.1): the first training image and its label, printed (label and
// shapes) and shown (out/ch03/mnist_show.png; the book opens it with PIL's Image.show).
import { loadMnist } from '../../src/data/mnist.js';
import { Figure } from '../../src/plot/figure.js';
import { showFigure } from '../ch01/figure.js';
import { isMain, pyShape, type Print } from '../ch01/python.js';

/** The first training digit (a 5), 28×28 in gray without axes, titled with its label. */
export function figure(): Figure {
  const { xTrain, tTrain } = loadMnist({ flatten: true, normalize: false });
  const img = xTrain.index(0).reshape(28, 28); // (784,) → (28, 28)
  const fig = new Figure({ width: 300, height: 320 });
  fig
    .gca()
    .imshow(img, { cmap: 'gray' })
    .axis('off')
    .setTitle(`label ${tTrain.get(0)}`);
  return fig;
}

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

if (isMain(import.meta.url)) {
  main();
  await showFigure(figure(), 'ch03', 'mnist_show');
}
