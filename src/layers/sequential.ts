// Sequential: an ordered list of named layers ending in SoftmaxWithLoss — the OrderedDict plus
// `lastLayer` that the book's TwoLayerNet and MultiLayerNet build (chapter 5.7.2).
import type { FloatDType, NDArray } from '../ndarray/index.js';
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
  private readonly order: readonly (readonly [string, Layer])[];

  constructor(layers: Iterable<readonly [string, Layer]>, { dtype }: SequentialOptions = {}) {
    this.order = [...layers];
    this.layers = new Map(this.order);
    if (this.layers.size !== this.order.length) {
      throw new Error(
        `Sequential: expected distinct layer names, got ${this.order.map(([n]) => n).join(', ')}`,
      );
    }
    this.lastLayer = new SoftmaxWithLoss();
    this.dtype = dtype;
  }

  /** @param x (N, …) input. @returns scores before softmax, (N, classes). */
  predict(x: NDArray, train = false): NDArray {
    let out = this.dtype !== undefined && x.dtype !== this.dtype ? x.astype(this.dtype) : x;
    for (const [, layer] of this.order) out = layer.forward(out, train);
    return out;
  }

  /** The data loss (softmax cross-entropy, no regularization) of x against labels or one-hot t. */
  loss(x: NDArray, t: NDArray, train = false): number {
    return this.lastLayer.forward(this.predict(x, train), t);
  }

  /**
   * Backpropagates from the loss of the last `loss()` call through every layer, filling each
   * layer's grads. @returns dL/dx for the network's input.
   */
  backward(dout = 1): NDArray {
    let d = this.lastLayer.backward(dout);
    for (let i = this.order.length - 1; i >= 0; i--) d = this.order[i][1].backward(d);
    return d;
  }

  /**
   * Fraction of samples whose highest score is their class, predicting `batchSize` rows at a
   * time (in test mode).
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
    for (let start = 0; start < N; start += batchSize) {
      const stop = Math.min(N, start + batchSize);
      const xb = start === 0 && stop === N ? x : x.index(`${start}:${stop}`);
      const y = this.predict(xb, false).argmax(1).data;
      for (let i = 0; i < y.length; i++) if (y[i] === labels[start + i]) correct++;
    }
    return correct / N;
  }
}
