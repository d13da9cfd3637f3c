// The contract between layers, networks and optimizers (the book's layers, STYLE.md §2).
import type { NDArray } from '../ndarray/ndarray.js';

/** A layer caches in forward() what backward() needs. */
export interface Layer {
  /** @param train true while training (Dropout and BatchNormalization behave differently); most layers ignore it. */
  forward(x: NDArray, train?: boolean): NDArray;
  /** Returns dL/dx for the upstream gradient `dout`; never writes into `dout`. */
  backward(dout: NDArray): NDArray;
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
