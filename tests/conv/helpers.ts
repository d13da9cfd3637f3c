// Test helpers for chapter 7–8 tests: central-difference numerical gradients and error measures (§4.4, §5.7.3).
import { NDArray, zeros } from '../../src/ndarray/index.js';

/**
 * dL/dx by central differences, (L(x + h) − L(x − h)) / 2h, element by element. `loss` must read
 * `x` at call time (x is modified in place and restored).
 */
export function numericalGradient(loss: () => number, x: NDArray, h = 1e-5): NDArray {
  const g = zeros(x.shape);
  for (let i = 0; i < x.size; i++) {
    const old = x.data[i];
    x.data[i] = old + h;
    const fp = loss();
    x.data[i] = old - h;
    const fm = loss();
    x.data[i] = old;
    g.data[i] = (fp - fm) / (2 * h);
  }
  return g;
}

/** Central differences at a few entries only (flat indices), for large parameters. */
export function numericalGradientAt(
  loss: () => number,
  x: NDArray,
  indices: readonly number[],
  h = 1e-5,
): number[] {
  return indices.map((i) => {
    const old = x.data[i];
    x.data[i] = old + h;
    const fp = loss();
    x.data[i] = old - h;
    const fm = loss();
    x.data[i] = old;
    return (fp - fm) / (2 * h);
  });
}

/** max |a − b| / max(max |a|, max |b|): 0 for equal arrays, about 1 for unrelated ones. */
export function relativeError(
  a: NDArray | readonly number[],
  b: NDArray | readonly number[],
): number {
  const x = a instanceof NDArray ? a.data : a;
  const y = b instanceof NDArray ? b.data : b;
  if (x.length !== y.length) throw new Error(`relativeError: lengths ${x.length} and ${y.length}`);
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < x.length; i++) {
    diff = Math.max(diff, Math.abs(x[i] - y[i]));
    scale = Math.max(scale, Math.abs(x[i]), Math.abs(y[i]));
  }
  return diff / scale;
}

/** Σ out ⊙ r: a scalar loss whose upstream gradient is the random r (so a wrong transpose shows). */
export function weightedSum(out: NDArray, r: NDArray): number {
  return out.mul(r).sum().item();
}
