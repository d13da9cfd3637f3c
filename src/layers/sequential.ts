// Sequential: an ordered list of named layers ending in SoftmaxWithLoss — the OrderedDict plus
// `lastLayer` that the book's TwoLayerNet and MultiLayerNet build (chapter 5.7.2).
import {
  releaseStorage,
  rowsView,
  sharesStorage,
  type FloatDType,
  type NDArray,
  type TypedArray,
} from '../ndarray/index.js';
import { Pooling } from './pooling.js';
import { Relu } from './relu.js';
import { SoftmaxWithLoss } from './softmaxWithLoss.js';
import { shapeText } from './check.js';
import type { Layer } from './types.js';

/** Options of {@link Sequential}. */
export interface SequentialOptions {
  /** Inputs of another dtype are converted to this one first (the parameters' dtype). */
  dtype?: FloatDType;
}

/**
 * The book's network skeleton: forward through `layers` in order, SoftmaxWithLoss on top, and
 * backward in reverse. Every layer receives the `train` flag (Dropout and BatchNormalization use
 * it), so nothing dispatches on layer names; the names are labels (`Affine1`, `Relu1`, …) for
 * error messages and inspection.
 */
export class Sequential {
  /** The layers in forward order, by the book's names. */
  readonly layers: ReadonlyMap<string, Layer>;
  readonly lastLayer: SoftmaxWithLoss;
  readonly dtype: FloatDType | undefined;
  /**
   * The order the layers run in: `layers`' order, except that a ReLU directly followed by a max
   * pooling runs after it. The two commute exactly — max(relu(a), relu(b)) = relu(max(a, b)),
   * the same window position is picked, and a window whose maximum is ≤ 0 passes no gradient
   * either way — and the ReLU then touches a quarter of the elements (2×2 pooling), forward and
   * backward. The book's layer list itself is unchanged.
   */
  private readonly order: readonly (readonly [string, Layer])[];
  /** The arrays the last forward pass handed between recyclable layers (released by the next). */
  private lastPass: TypedArray[] = [];

  constructor(layers: Iterable<readonly [string, Layer]>, { dtype }: SequentialOptions = {}) {
    const list = [...layers];
    this.layers = new Map(list);
    if (this.layers.size !== list.length) {
      throw new Error(
        `Sequential: expected distinct layer names, got ${list.map(([n]) => n).join(', ')}`,
      );
    }
    for (let i = 0; i + 1 < list.length; i++) {
      if (list[i][1] instanceof Relu && list[i + 1][1] instanceof Pooling) {
        [list[i], list[i + 1]] = [list[i + 1], list[i]];
        i++;
      }
    }
    this.order = list;
    this.lastLayer = new SoftmaxWithLoss();
    this.dtype = dtype;
  }

  /**
   * @param x (N, …) input. @returns scores before softmax, (N, classes).
   *
   * The arrays one recyclable layer hands to the next (see Layer.recyclable) are internal: only
   * the two layers see them, and both have let go of them once the next forward pass has run.
   * Each pass therefore releases the previous pass's arrays (releaseStorage), and a training loop
   * or an evaluation reuses the same memory pass after pass instead of leaving it to the garbage
   * collector — for SimpleConvNet 16 MB per pass. The input and the returned scores are never
   * released, nor anything that shares their storage.
   */
  predict(x: NDArray, train = false): NDArray {
    let out = this.dtype !== undefined && x.dtype !== this.dtype ? x.astype(this.dtype) : x;
    // the conversion is internal too: only the first layer sees it
    let fromRecyclable = out !== x;
    const passed: TypedArray[] = [];
    for (const [, layer] of this.order) {
      const next = layer.forward(out, train);
      if (fromRecyclable && layer.recyclable === true) passed.push(out.data);
      fromRecyclable = layer.recyclable === true;
      out = next;
    }
    const outside = (d: TypedArray) => sharesStorage(d, x.data) || sharesStorage(d, out.data);
    for (const d of this.lastPass) {
      if (!outside(d) && !passed.some((p) => sharesStorage(p, d))) releaseStorage(d);
    }
    this.lastPass = passed.filter((d) => !outside(d));
    return out;
  }

  /** The data loss (softmax cross-entropy, no regularization) of x against labels or one-hot t. */
  loss(x: NDArray, t: NDArray, train = false): number {
    return this.lastLayer.forward(this.predict(x, train), t);
  }

  /**
   * Backpropagates from the loss of the last `loss()` call through every layer, filling each
   * layer's grads. @returns dL/dx for the network's input.
   *
   * Each intermediate gradient is handed back to the allocator (releaseStorage) as soon as the
   * layer below has consumed it: nothing else can see it, and its memory then serves the next
   * allocation of its size at once instead of after a garbage collection — for SimpleConvNet two
   * 6.9 MB arrays per iteration. Only between recyclable layers (Layer.recyclable), whose
   * backward() keeps nothing of `dout`.
   */
  backward(dout = 1): NDArray {
    return this.backwardThrough(0, dout);
  }

  /**
   * backward() for the parameters' gradients alone, as a network's gradient() needs it. The first
   * layer computes no gradient with respect to the input when it can (Layer.backwardParams: an
   * Affine or Convolution skips dx); otherwise that gradient is released at once (when the first
   * layer is recyclable), so a training loop leaves no input-sized array behind per iteration.
   */
  backwardParams(dout = 1): void {
    const first = this.order[0]?.[1];
    if (first?.backwardParams === undefined) {
      const dx = this.backward(dout);
      if (first?.recyclable === true) releaseStorage(dx.data);
      return;
    }
    const d = this.backwardThrough(1, dout);
    first.backwardParams(d);
    // d came from the layer above (or the loss when the first layer is the only one), and the
    // first layer keeps nothing of it
    const fromRecyclable = this.order.length === 1 || this.order[1][1].recyclable === true;
    if (fromRecyclable && first.recyclable === true) releaseStorage(d.data);
  }

  /**
   * Backpropagates from the loss through the layers from the last down to index `stop` (in
   * running order) and returns the gradient with respect to that layer's input. Each
   * intermediate gradient is released as soon as the layer below has consumed it (see
   * backward()).
   */
  private backwardThrough(stop: number, dout: number): NDArray {
    let d = this.lastLayer.backward(dout);
    let fromRecyclable = true; // SoftmaxWithLoss keeps nothing of its dx
    for (let i = this.order.length - 1; i >= stop; i--) {
      const layer = this.order[i][1];
      const next = layer.backward(d);
      if (fromRecyclable && layer.recyclable === true && !sharesStorage(next.data, d.data)) {
        releaseStorage(d.data);
      }
      fromRecyclable = layer.recyclable === true;
      d = next;
    }
    return d;
  }

  /**
   * Fraction of samples whose highest score is their class, predicting `batchSize` rows at a
   * time (in test mode), and at most ACCURACY_ROWS: the count is the same in any batches, and a
   * whole dataset passed as one batch (the book's TwoLayerNet.accuracy) would push every layer's
   * output through main memory — 12 MB arrays for MNIST's 60,000 images in TwoLayerNet — where
   * batches of a few thousand rows stay in the cache.
   * @param x (N, …) inputs.
   * @param t labels (N,) or one-hot (N, classes).
   */
  accuracy(x: NDArray, t: NDArray, batchSize = 100): number {
    const N = x.shape[0];
    if (x.ndim < 1 || t.shape[0] !== N || t.ndim > 2) {
      throw new Error(
        `accuracy: expected labels (${N},) or one-hot rows (${N}, classes), got shape ${shapeText(t)} for inputs of shape ${shapeText(x)}`,
      );
    }
    if (!(Number.isInteger(batchSize) && batchSize > 0)) {
      throw new Error(`accuracy: expected a positive integer batchSize, got ${batchSize}`);
    }
    if (N === 0) return 0;
    // one-hot rows → labels, as the book's `if t.ndim != 1: t = np.argmax(t, axis=1)`
    const labels = t.ndim === 2 ? t.argmax(1).data : t.data;
    let correct = 0;
    const rows = Math.min(batchSize, ACCURACY_ROWS);
    for (let start = 0; start < N; start += rows) {
      const stop = Math.min(N, start + rows);
      const xb = start === 0 && stop === N ? x : rowsView(x, start, stop); // no copy
      const y = this.predict(xb, false).argmax(1).data;
      for (let i = 0; i < y.length; i++) if (y[i] === labels[start + i]) correct++;
    }
    return correct / N;
  }
}

/** The most rows Sequential.accuracy predicts at once. */
const ACCURACY_ROWS = 8192;
