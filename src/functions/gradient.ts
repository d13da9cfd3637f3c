// Numerical differentiation, gradients and gradient descent (book §4.3–4.4, common/gradient.py),
// and the gradient check of book §5.6.3 (ch05/gradient_check.py) that compares them with
// backpropagation.
import { stack, zeros, zerosLike } from '../ndarray/creation.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { formatShape } from '../ndarray/shape.js';

/** The book's step: small enough for a good estimate, large enough to avoid rounding to 0. */
const H = 1e-4;

/** Options of {@link numericalGradient} and the gradient checks. */
export interface NumericalGradientOptions {
  /** The step h of the central difference (f(x + h) − f(x − h)) / 2h. Default 1e-4, the book's. */
  h?: number;
}

/**
 * The derivative of a one-variable function by the central difference
 * (f(x + h) − f(x − h)) / 2h with h = 1e-4 (book §4.3.1).
 * @example
 * const f = (x: number) => 0.01 * x ** 2 + 0.1 * x;
 * numericalDiff(f, 5); // 0.1999999999990898
 * numericalDiff(f, 10); // 0.2999999999986347
 */
export function numericalDiff(f: (x: number) => number, x: number, h = H): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

/**
 * The gradient of f at x by central differences, one element at a time (book §4.4,
 * common/gradient.py). Each element of `x` is nudged in place by ±h, `f(x)` evaluated, and the
 * element restored — also when `f` throws — so `x` is unchanged afterwards. `f` may ignore its
 * argument and read `x` through a closure (the networks' `loss` does).
 * @param f a scalar function of x
 * @param x any shape, float32 or float64 (float64 for gradient checks: float32 is too coarse
 *   for h = 1e-4)
 * @returns ∂f/∂x, the shape and dtype of x
 * @example
 * const f = (x: NDArray) => x.square().sum().item(); // x0² + x1²
 * numericalGradient(f, array([3.0, 4.0])).toString(); // '[6. 8.]'
 */
export function numericalGradient(
  f: (x: NDArray) => number,
  x: NDArray,
  { h = H }: NumericalGradientOptions = {},
): NDArray {
  if (!x.isFloat) {
    throw new Error(`numericalGradient: expected a float32 or float64 array, got ${x.dtype}`);
  }
  const grad = zerosLike(x);
  const data = x.data;
  const g = grad.data;
  // Storage is contiguous row-major, so the flat index visits elements in np.nditer's order.
  for (let i = 0; i < data.length; i++) {
    const tmp = data[i];
    try {
      data[i] = tmp + h;
      const fxh1 = f(x);
      data[i] = tmp - h;
      const fxh2 = f(x);
      g[i] = (fxh1 - fxh2) / (2 * h);
    } finally {
      data[i] = tmp;
    }
  }
  return grad;
}

/** Options of {@link gradientDescent}. */
export interface GradientDescentOptions {
  /** Learning rate η of x ← x − η·∇f(x). Default 0.01. */
  lr?: number;
  /** Number of steps. Default 100. */
  stepNum?: number;
  /** Also return every x before each step, (stepNum, ...x.shape), for the book's figure 4-10. */
  history?: boolean;
}

/** Result of {@link gradientDescent} with `history: true`. */
export interface GradientDescentHistory {
  /** The final x. */
  x: NDArray;
  /** x before each step: (stepNum, ...x.shape). */
  history: NDArray;
}

/**
 * Gradient descent x ← x − lr·∇f(x) with numerical gradients, `stepNum` times (book §4.4.1).
 * Unlike the book's, `initX` is not modified: the walk starts from a copy.
 * @param f a scalar function of x
 * @param initX the start, any shape
 * @returns the final x (the shape of initX), or `{ x, history }` with `history: true`
 * @example
 * const f = (x: NDArray) => x.square().sum().item();
 * gradientDescent(f, array([-3.0, 4.0]), { lr: 0.1, stepNum: 100 }).toString();
 * // '[-6.11110793e-10  8.14814391e-10]'
 */
export function gradientDescent(
  f: (x: NDArray) => number,
  initX: NDArray,
  options?: GradientDescentOptions & { history?: false },
): NDArray;
export function gradientDescent(
  f: (x: NDArray) => number,
  initX: NDArray,
  options: GradientDescentOptions & { history: true },
): GradientDescentHistory;
export function gradientDescent(
  f: (x: NDArray) => number,
  initX: NDArray,
  { lr = 0.01, stepNum = 100, history = false }: GradientDescentOptions = {},
): NDArray | GradientDescentHistory {
  if (!Number.isInteger(stepNum) || stepNum < 0) {
    throw new Error(`gradientDescent: expected stepNum a non-negative integer, got ${stepNum}`);
  }
  const x = initX.isFloat ? initX.copy() : initX.astype('float64');
  const xHistory: NDArray[] = [];
  for (let i = 0; i < stepNum; i++) {
    if (history) xHistory.push(x.copy());
    const grad = numericalGradient(f, x);
    x.subInPlace(grad.mul(lr));
  }
  if (!history) return x;
  // (stepNum, ...x.shape): one row per step
  return { x, history: xHistory.length > 0 ? stack(xHistory) : zeros([0, ...x.shape], x.dtype) };
}

/**
 * Numerical gradients of a scalar `f` with respect to each named parameter (the networks'
 * `numerical_gradient` of book §4.5.1). `f` is called with no argument: it reads the parameters
 * through a closure while each is nudged in place.
 * @returns the same keys as `params`, each the shape of its parameter
 * @example
 * const W = array([[1.0, 2.0]]);
 * numericalGradients(() => W.square().sum().item(), { W }).W.toString(); // '[[2. 4.]]'
 */
export function numericalGradients(
  f: () => number,
  params: Readonly<Record<string, NDArray>>,
  options: NumericalGradientOptions = {},
): Record<string, NDArray> {
  const grads: Record<string, NDArray> = {};
  for (const [key, p] of Object.entries(params))
    grads[key] = numericalGradient(() => f(), p, options);
  return grads;
}

/**
 * The gradient check of book §5.6.3: for each key of `analytic` (gradients from
 * backpropagation), the mean absolute difference from the numerical gradient of `f` with respect
 * to `params[key]`. Differences around 1e-10 (float64) mean backpropagation is right.
 *
 * For a layer, take f = Σ forward(x) ⊙ r with a fixed random r and analytic = backward(r) —
 * an all-ones upstream gradient lets a missing transpose pass (STYLE.md, tests §1).
 * @param f a scalar function reading `params` through a closure
 * @param params the arrays `f` depends on (nudged in place and restored)
 * @param analytic gradients to check, keys a subset of `params`, each of its parameter's shape
 * @returns per key, mean |analytic − numerical|
 * @example
 * const x = array([1.0, -2.0]);
 * gradientCheck(() => x.square().sum().item(), { x }, { x: x.mul(2) }).x; // ≈ 1e-12
 */
export function gradientCheck(
  f: () => number,
  params: Readonly<Record<string, NDArray>>,
  analytic: Readonly<Record<string, NDArray>>,
  options: NumericalGradientOptions = {},
): Record<string, number> {
  const diffs: Record<string, number> = {};
  for (const [key, a] of Object.entries(analytic)) {
    const p = params[key];
    if (p === undefined) {
      throw new Error(
        `gradientCheck: expected a parameter named '${key}', got keys ${Object.keys(params).join(', ')}`,
      );
    }
    if (a.size !== p.size || a.shape.some((d, i) => d !== p.shape[i])) {
      throw new Error(
        `gradientCheck: expected gradient '${key}' of shape ${formatShape(p.shape)}, got ${formatShape(a.shape)}`,
      );
    }
    const numerical = numericalGradient(() => f(), p, options);
    diffs[key] = a.sub(numerical).abs().mean().item();
  }
  return diffs;
}

/** What {@link networkGradientCheck} needs of a network (the networks' `Network` fits). */
export interface GradientCheckable {
  readonly params: Readonly<Record<string, NDArray>>;
  loss(x: NDArray, t: NDArray, train?: boolean): number;
  gradient(x: NDArray, t: NDArray): Record<string, NDArray>;
}

/** Options of {@link networkGradientCheck}. */
export interface NetworkGradientCheckOptions extends NumericalGradientOptions {
  /**
   * The `train` flag of the loss evaluations. Default `true`, as the book's
   * MultiLayerNetExtend.numerical_gradient: backpropagation runs in training mode, so
   * BatchNormalization must use batch statistics on both sides. (Dropout must be off.)
   */
  train?: boolean;
}

/**
 * The book's gradient check of a whole network (ch05/gradient_check.py): backpropagation
 * `network.gradient(x, t)` against the numerical gradient of `network.loss(x, t)`, per parameter.
 * Run it in float64 on a small batch.
 * @param x (N, ...) inputs
 * @param t labels (N,) or one-hot (N, classes)
 * @returns per parameter key, mean |backprop − numerical|
 * @example
 * networkGradientCheck(net, x.index('0:3'), t.index('0:3')); // { W1: 3.2e-10, b1: 2.1e-9, ... }
 */
export function networkGradientCheck(
  network: GradientCheckable,
  x: NDArray,
  t: NDArray,
  { train = true, ...options }: NetworkGradientCheckOptions = {},
): Record<string, number> {
  const analytic = network.gradient(x, t);
  return gradientCheck(() => network.loss(x, t, train), network.params, analytic, options);
}
