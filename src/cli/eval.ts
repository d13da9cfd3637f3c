// `scratchnet eval` and `scratchnet predict`: test accuracy, per-class accuracy and the confusion
// matrix of a saved model (or of the book's NumPy weights), and the classes of image files.
import * as path from 'node:path';
import { loadModel, loadNpz } from '../io/node.js';
import { importParams } from '../networks/importParams.js';
import type { SavableNetwork } from '../networks/registry.js';
import { softmax } from '../functions/activations.js';
import { NDArray } from '../ndarray/ndarray.js';
import { rowsView } from '../ndarray/indexing.js';
import { loadDataset } from './data.js';
import { buildNetwork, NET_NAMES, wantsImages, type NetFlags, type NetName } from './nets.js';

export interface ModelFlags extends Partial<NetFlags> {
  /** a model file, or undefined with `net` + `params` */
  file?: string;
  params?: string;
}

/** Loads the model a command names: a scratchnet model file, or `--net NAME --params FILE.npz`. */
export function loadNetwork(flags: ModelFlags): SavableNetwork {
  if (flags.params !== undefined) {
    if (flags.net === undefined)
      throw new Error(
        '--params: expected --net to say which network the weights belong to, got none',
      );
    const net = buildNetwork({
      net: flags.net,
      hidden: flags.hidden ?? (flags.net === 'two-layer' ? [50] : [100]),
      activation: flags.activation ?? 'relu',
      weightDecay: 0,
      batchnorm: false,
      seed: 0,
      dtype: flags.dtype ?? 'float64',
    });
    importParams(net, loadNpz(flags.params), {
      where: `--params '${path.basename(flags.params)}'`,
    });
    return net;
  }
  if (flags.file === undefined)
    throw new Error('expected a model file (or --net and --params), got none');
  return loadModel(flags.file).network;
}

function netNameOf(net: SavableNetwork): NetName {
  return (Object.keys(NET_NAMES) as NetName[]).find((k) => NET_NAMES[k] === net.kind)!;
}

/** Predicted classes of x, computed in batches of 100. */
export function predictClasses(net: SavableNetwork, x: NDArray): Int32Array {
  const n = x.shape[0];
  const out = new Int32Array(n);
  for (let i = 0; i < n; i += 100) {
    const y = net.predict(rowsView(x, i, Math.min(i + 100, n)), false).argmax(1);
    out.set(y.data as Int32Array, i);
  }
  return out;
}

export interface EvalFlags extends ModelFlags {
  data?: string;
  testSize?: number;
  misclassified?: number;
  /** a .png or .svg file showing the first `misclassified` (default 20) misclassified digits */
  misclassifiedPng?: string;
}

/**
 * The misclassified test images as a grid titled "predicted/true" (book §8.1.2's figure 8-6).
 * @param x (N, 784) or (N, 1, 28, 28) test images
 * @param indices which images, in order
 */
export async function writeMisclassifiedFigure(
  file: string,
  x: NDArray,
  indices: readonly number[],
  y: ArrayLike<number>,
  t: ArrayLike<number>,
): Promise<void> {
  const { savefig } = await import('../node/plot.js');
  const { imageGrid } = await import('../plot/grid.js');
  const images = x.take(indices, 0); // (K, 784) or (K, 1, 28, 28)
  const fig = imageGrid(images, {
    titles: indices.map((i) => `${y[i]}/${t[i]}`),
    cols: Math.min(indices.length, 10),
    suptitle: 'misclassified: predicted/true',
  });
  await savefig(fig, file);
}

/** Runs `scratchnet eval`; returns the exit code (a promise when it draws `misclassifiedPng`). */
export function evaluate(
  flags: EvalFlags,
  out: (line: string) => void = console.log,
): number | Promise<number> {
  const net = loadNetwork(flags);
  const dtype = net.params[Object.keys(net.params)[0]].dtype === 'float32' ? 'float32' : 'float64';
  const data = loadDataset({
    data: flags.data,
    testSize: flags.testSize,
    dtype,
    images: wantsImages(netNameOf(net)),
  });
  const t = data.tTest.data;
  const y = predictClasses(net, data.xTest);
  const classes = 10;
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  for (let i = 0; i < y.length; i++) {
    confusion[t[i]][y[i]]++;
    if (y[i] === t[i]) correct++;
  }
  out(`${net.kind}: test accuracy ${(correct / y.length).toFixed(4)} (${correct}/${y.length})`);
  out('');
  out('per-class accuracy:');
  for (let c = 0; c < classes; c++) {
    const total = confusion[c].reduce((a, b) => a + b, 0);
    out(
      `  ${c}: ${total ? (confusion[c][c] / total).toFixed(4) : '   -  '}  (${confusion[c][c]}/${total})`,
    );
  }
  out('');
  out('confusion matrix (rows: true class, columns: predicted):');
  const w = Math.max(4, ...confusion.flat().map((v) => String(v).length + 1));
  out('     ' + [...Array(classes).keys()].map((c) => String(c).padStart(w)).join(''));
  confusion.forEach((row, c) => out(`  ${c}: ` + row.map((v) => String(v).padStart(w)).join('')));
  const wrong: number[] = [];
  const limit = flags.misclassified ?? 20;
  for (let i = 0; i < y.length && wrong.length < limit; i++) if (y[i] !== t[i]) wrong.push(i);
  if (flags.misclassified !== undefined) {
    out('');
    out('misclassified (index: predicted, true):');
    for (const i of wrong) out(`  #${i}: ${y[i]}, ${t[i]}`);
  }
  if (flags.misclassifiedPng !== undefined) {
    const file = flags.misclassifiedPng;
    if (!wrong.length) {
      out(`no misclassified images: ${file} not written`);
      return 0;
    }
    return writeMisclassifiedFigure(file, data.xTest, wrong, y, t).then(() => {
      out(`wrote ${file} (${wrong.length} misclassified images)`);
      return 0;
    });
  }
  return 0;
}

/**
 * An image (H, W) or (H, W, C) with values 0–255 → one MNIST-like input: grayscale, 28×28,
 * scaled to [0, 1], white digit on black (light backgrounds are inverted, as MNIST's are dark).
 */
export function toMnistInput(gray28: NDArray, dtype: 'float32' | 'float64'): NDArray {
  let x = gray28.astype(dtype).div(255);
  if (x.mean().item() > 0.5) x = x.neg().add(1);
  return x.astype(dtype);
}

export interface PredictFlags extends ModelFlags {
  images: string[];
}

/** Runs `scratchnet predict`; returns the exit code. */
export async function predict(
  flags: PredictFlags,
  out: (line: string) => void = console.log,
): Promise<number> {
  const { imread } = await import('../node/image.js');
  const { resize, toGray } = await import('../plot/image.js');
  const net = loadNetwork(flags);
  const dtype = net.params[Object.keys(net.params)[0]].dtype === 'float32' ? 'float32' : 'float64';
  const images = wantsImages(netNameOf(net));
  for (const file of flags.images) {
    let img = await imread(file);
    if (img.ndim === 3) img = toGray(img);
    if (img.shape[0] !== 28 || img.shape[1] !== 28) img = resize(img, [28, 28]);
    const x = toMnistInput(img, dtype).reshape(images ? [1, 1, 28, 28] : [1, 784]);
    const p = softmax(net.predict(x, false)).reshape(10);
    const cls = p.argmax().item();
    const probs = p
      .toList()
      .map((v, i) => `${i}:${v.toFixed(3)}`)
      .join(' ');
    out(`${file}: ${cls}  (${probs})`);
  }
  return 0;
}
