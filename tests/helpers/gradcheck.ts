// Test helpers: layer gradient checks with a random upstream gradient, and input-mutation checks
// (STYLE.md "Tests" §1–2; the book's gradient check of chapter 5.6.3, turned into assertions).
import { Rng, type NDArray } from '../../src/ndarray/index.js';
import { numericalGradient } from '../../src/functions/gradient.js';
import type { Layer } from '../../src/layers/types.js';
import { hasParams } from '../../src/layers/types.js';

/** Options of {@link layerGradientErrors}. */
export interface LayerCheckOptions {
  /** The `train` flag passed to forward. Default true. */
  train?: boolean;
  /** Seed of the random upstream gradient r. Default 1. */
  seed?: number;
  /** Called before every forward (e.g. to reseed the Dropout generator so the mask is fixed). */
  beforeForward?: () => void;
}

/**
 * Checks `layer.backward` against numerical differentiation of `L = Σ forward(x) ⊙ r`, with `r`
 * seeded standard normal (an all-ones r lets a missing transpose pass). Run in float64.
 * @returns per key (`x` and every key of the layer's grads) the largest |backprop − numerical|
 */
export function layerGradientErrors(
  layer: Layer,
  x: NDArray,
  { train = true, seed = 1, beforeForward = () => {} }: LayerCheckOptions = {},
): Record<string, number> {
  beforeForward();
  const out = layer.forward(x, train);
  const r = new Rng(seed).randn(...out.shape);
  const dx = layer.backward(r);
  const analytic: Record<string, NDArray> = { x: dx.copy() };
  const inputs: Record<string, NDArray> = { x };
  if (hasParams(layer)) {
    for (const [k, g] of Object.entries(layer.grads)) {
      analytic[k] = g.copy();
      inputs[k] = layer.params[k];
    }
  }
  const L = () => {
    beforeForward();
    return layer.forward(x, train).mul(r).sum().item();
  };
  const errors: Record<string, number> = {};
  for (const [k, a] of Object.entries(analytic)) {
    errors[k] = maxAbsDiff(a, numericalGradient(L, inputs[k]));
  }
  return errors;
}

/** The largest |a − b| over all elements (shapes must match). */
export function maxAbsDiff(a: NDArray, b: NDArray): number {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(`maxAbsDiff: expected equal shapes, got [${a.shape}] and [${b.shape}]`);
  }
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
}

/**
 * Runs `fn` and reports which of `arrays` it changed (by value, bit for bit).
 * @returns the names of the modified arrays (empty when none was touched)
 */
export function modifiedBy(arrays: Record<string, NDArray>, fn: () => void): string[] {
  const before = Object.fromEntries(Object.entries(arrays).map(([k, v]) => [k, v.copy()]));
  fn();
  return Object.keys(arrays).filter((k) => {
    const a = arrays[k].data;
    const b = before[k].data;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return true;
    return false;
  });
}

/**
 * Runs forward then backward with a random dout and reports whether x or dout changed.
 * @returns the names among `x`, `dout` that were modified
 */
export function layerMutations(layer: Layer, x: NDArray, train = true, seed = 2): string[] {
  let dout: NDArray | undefined;
  const changedByForward = modifiedBy({ x }, () => {
    const out = layer.forward(x, train);
    dout = new Rng(seed).randn(...out.shape);
  });
  const changedByBackward = modifiedBy({ x, dout: dout! }, () => layer.backward(dout!));
  return [...new Set([...changedByForward, ...changedByBackward])];
}

/** What {@link withExactCrossEntropy} needs: a network whose layer stack exposes its softmax output. */
interface StackNetwork {
  readonly params: Record<string, NDArray>;
  readonly net: { readonly lastLayer: { readonly y: NDArray } };
  loss(x: NDArray, t: NDArray, train?: boolean): number;
  gradient(x: NDArray, t: NDArray): Record<string, NDArray>;
}

/**
 * The same network with `−log(y + 1e-7)` in its loss replaced by the exact `−log(y)`, for tight
 * gradient checks. Backpropagation's `(y − t) / N` is the gradient of the exact form: the book's
 * 1e-7 shifts the numerical gradient by about 1e-7 / y, which hides real errors below 1e-7 and
 * fails checks where some target probability is tiny. Labels (N,) only.
 */
export function withExactCrossEntropy(network: StackNetwork) {
  return {
    params: network.params,
    gradient: (x: NDArray, t: NDArray) => network.gradient(x, t),
    loss: (x: NDArray, t: NDArray, train?: boolean) => {
      let loss = network.loss(x, t, train);
      const y = network.net.lastLayer.y;
      const [N, C] = y.shape;
      for (let i = 0; i < N; i++) {
        const p = y.data[i * C + t.data[i]];
        loss += (Math.log(p + 1e-7) - Math.log(p)) / N;
      }
      return loss;
    },
  };
}
