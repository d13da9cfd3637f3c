// ch01/img_show.py (book §1.6.3): read an image file with imread and show it with imshow
// (out/ch01/img_show.png). The book reads dataset/lena.png, which is not shipped here: given no
// file, this script writes the first MNIST test digit as a PNG and reads that back instead.
//   npx tsx examples/ch01/img_show.ts [image.png|image.jpg]
import * as path from 'node:path';
import { loadMnist } from '../../src/data/mnist.js';
import type { NDArray } from '../../src/ndarray/index.js';
import { imread, imsave } from '../../src/node/image.js';
import { Figure } from '../../src/plot/figure.js';
import { outDir, showFigure } from './figure.js';
import { isMain, pyShape, type Print } from './python.js';

/** Options of {@link main}. */
export interface ImgShowOptions {
  /** The image to read (PNG or JPEG). Default: an MNIST digit written to out/ch01/mnist_digit.png. */
  file?: string;
}

/** The book's figure: `plt.imshow(img)` with its axes (grayscale images in gray, not viridis). */
export function figure(img: NDArray): Figure {
  const fig = new Figure();
  fig.gca().imshow(img, { cmap: 'gray' });
  return fig;
}

/** The stand-in for lena.png: the first MNIST test digit (a 7) as out/ch01/mnist_digit.png. */
export async function writeDigit(): Promise<string> {
  const { xTest } = loadMnist({ normalize: false });
  const file = path.join(outDir(), 'ch01', 'mnist_digit.png');
  await imsave(file, xTest.index(0).reshape(28, 28)); // (784,) → (28, 28)
  return file;
}

/** Reads the image and prints its shape, as `img.shape`; returns the image. */
export async function main(
  print: Print = console.log,
  { file }: ImgShowOptions = {},
): Promise<NDArray> {
  const img = await imread(file ?? (await writeDigit()));
  print(pyShape(img.shape)); // (28, 28) for the digit; (512, 512, 3) for the book's lena.png
  return img;
}

if (isMain(import.meta.url)) {
  const img = await main(console.log, { file: process.argv[2] });
  await showFigure(figure(img), 'ch01', 'img_show');
}
