// The contract between networks, the Trainer, optimizers, model files and the CLI.
import type { NDArray } from '../ndarray/ndarray.js';

/** Parameters or gradients by the book's names (W1, b1, gamma1, …). */
export type Params = Record<string, NDArray>;

/** A trainable network: the methods the book's networks share. */
export interface Network {
  /** The network's parameter arrays, updated in place by optimizers (never rebound). */
  readonly params: Params;
  /** Scores before softmax, (N, classes). */
  predict(x: NDArray, train?: boolean): NDArray;
  /** Loss (with weight decay where the network has it) for inputs x and labels or one-hot targets t. */
  loss(x: NDArray, t: NDArray, train?: boolean): number;
  /** Fraction of correct predictions; t holds labels (N,) or one-hot rows (N, classes). */
  accuracy(x: NDArray, t: NDArray, batchSize?: number): number;
  /** Gradients of the loss by backpropagation, same keys as params. */
  gradient(x: NDArray, t: NDArray): Params;
  /**
   * gradient() together with the loss of the forward pass it runs (training mode, before any
   * update): what a training loop records, without the second forward pass that calling loss()
   * after the update costs. The Trainer uses it when a network has it.
   */
  lossAndGradient?(x: NDArray, t: NDArray): LossAndGradient;
}

/** What {@link Network.lossAndGradient} returns. */
export interface LossAndGradient {
  /** The loss (with weight decay where the network has it) of the training-mode forward pass. */
  loss: number;
  /** The gradients, same keys as params (the layers' arrays, overwritten by the next call). */
  grads: Params;
}
