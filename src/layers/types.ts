// The contract between layers, networks and optimizers (the book's layers, STYLE.md §2).
import type { NDArray } from '../ndarray/ndarray.js';

/** A layer caches in forward() what backward() needs. */
export interface Layer {
  /** @param train true while training (Dropout and BatchNormalization behave differently); most layers ignore it. */
  forward(x: NDArray, train?: boolean): NDArray;
  /** Returns dL/dx for the upstream gradient `dout`; never writes into `dout`. */
  backward(dout: NDArray): NDArray;
  /**
   * backward() for the parameters' gradients alone, where nothing needs dL/dx (a network's first
   * layer): fills `grads` as backward() does and computes, allocates and returns nothing else.
   */
  backwardParams?(dout: NDArray): void;
  /**
   * True for a layer that keeps no array it received or returned beyond its next call: forward()
   * replaces everything it cached from the previous forward(), and backward() keeps nothing of
   * `dout`. Sequential then recycles the arrays passed between two such layers (their memory goes
   * to the next arrays of their size without waiting for the garbage collector). Every layer of
   * scratchnet is; a layer of your own that keeps activations (say, to plot them) leaves it unset.
   */
  readonly recyclable?: boolean;
}

/** A layer with learnable parameters. */
export interface ParamLayer<K extends string = string> extends Layer {
  /** The network's own arrays (not copies): optimizers update them in place. */
  readonly params: Readonly<Record<K, NDArray>>;
  /** Same keys as `params`, valid after backward(). */
  readonly grads: Readonly<Record<K, NDArray>>;
}

/** Whether a layer has learnable parameters. */
export function hasParams(layer: Layer): layer is ParamLayer {
  return 'params' in layer && 'grads' in layer;
}
