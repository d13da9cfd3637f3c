// The parameter update rules of chapter 6.1 (the book's common/optimizer.py): SGD, Momentum,
// Nesterov, AdaGrad, RMSprop and Adam, each updating the network's arrays in place.
import { NDArray, allocate, formatShape, kernels, type FloatArray } from '../ndarray/index.js';

/** Arrays by the book's names (W1, b1, …): a network's parameters or their gradients. */
type Arrays = Record<string, NDArray>;

/** What every optimizer does: one update of `params` from `grads`, in place. */
export interface Optimizer {
  /** The learning rate; may be changed between updates (a schedule). */
  lr: number;
  /**
   * Updates every array of `params` in place from the gradient under the same key (same shape).
   * The arrays are never rebound, so layers that alias them keep training.
   */
  update(params: Arrays, grads: Arrays): void;
}

// The book adds 1e-7 to the root of the accumulated squares so the first division never divides
// by zero (a parameter whose gradient has always been 0).
const EPS = 1e-7;

function checkRate(where: string, name: string, value: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= max) {
    const range = max === Infinity ? 'a finite number ≥ 0' : `a number in [0, ${max})`;
    throw new Error(`${where}: expected ${name} to be ${range}, got ${String(value)}`);
  }
  return value;
}

/** The parameter and gradient storage under `key`, after checking they can be updated. */
function pair(where: string, params: Arrays, grads: Arrays, key: string) {
  const p = params[key];
  const g = grads[key];
  if (!(p instanceof NDArray)) {
    throw new Error(`${where}: expected params.${key} to be an NDArray, got ${typeof p}`);
  }
  if (!p.isFloat) {
    throw new Error(`${where}: expected params.${key} to be a float array, got dtype ${p.dtype}`);
  }
  if (!(g instanceof NDArray)) {
    throw new Error(
      `${where}: expected a gradient grads.${key}, got ${g === undefined ? 'none' : typeof g}`,
    );
  }
  if (g.size !== p.size || g.ndim !== p.ndim || g.shape.some((d, i) => d !== p.shape[i])) {
    throw new Error(
      `${where}: expected grads.${key} of shape ${formatShape(p.shape)} like params.${key}, got ${formatShape(g.shape)}`,
    );
  }
  return { key, param: p, p: p.data, g: g.data };
}

/**
 * Every (parameter, gradient) pair of an update, all checked before any is written, so a call
 * rejected for a bad key leaves every parameter as it was.
 */
function collect(where: string, params: Arrays, grads: Arrays) {
  return Object.keys(params).map((key) => pair(where, params, grads, key));
}

/**
 * Per-key state (the book's `self.v`, `self.h`, `self.m` dicts): one array like each parameter,
 * zero-filled and allocated on the first update of that key, then reused for every update.
 */
class StateStore {
  readonly arrays: Arrays = {};

  constructor(private readonly where: string) {}

  /** The state storage for `key`, shaped like `param` (its dtype, so float32 stays float32). */
  get(key: string, param: NDArray): Float64Array | Float32Array {
    let s = this.arrays[key];
    if (s === undefined) {
      // allocate(): where the kernels work (wasm memory when that backend is on), so the update
      // kernels use the state in place.
      const data = allocate(param.dtype === 'float32' ? 'float32' : 'float64', param.size);
      s = new NDArray(data, param.shape);
      this.arrays[key] = s;
    } else if (s.size !== param.size || s.shape.some((d, i) => d !== param.shape[i])) {
      throw new Error(
        `${this.where}: expected params.${key} of shape ${formatShape(s.shape)} as in earlier updates, got ${formatShape(param.shape)}`,
      );
    }
    return s.data as Float64Array | Float32Array;
  }
}

/**
 * Whether a parameter and its gradient are float storage of one kind, which the update kernels
 * take (a gradient of another dtype goes through the plain loop, converting as it reads).
 */
function sameKind(p: ArrayLike<number>, g: ArrayLike<number>): boolean {
  return (
    p.constructor === g.constructor && (p instanceof Float32Array || p instanceof Float64Array)
  );
}

/** Options of {@link SGD}. */
export interface SGDOptions {
  /** Learning rate. Default 0.01. */
  lr?: number;
}

/** Stochastic gradient descent: `W ← W − lr·∂L/∂W` (6.1.2). */
export class SGD implements Optimizer {
  lr: number;

  constructor({ lr = 0.01 }: SGDOptions = {}) {
    this.lr = checkRate('SGD', 'lr', lr);
  }

  /** @param params arrays of any shape, updated in place  @param grads same keys and shapes */
  update(params: Arrays, grads: Arrays): void {
    const lr = this.lr;
    for (const { p, g } of collect('SGD.update', params, grads)) {
      if (sameKind(p, g)) kernels().sgdUpdate(p as FloatArray, g as FloatArray, lr);
      else for (let i = 0; i < p.length; i++) p[i] -= lr * g[i];
    }
  }
}

/** Options of {@link Momentum} and {@link Nesterov}. */
export interface MomentumOptions {
  /** Learning rate. Default 0.01. */
  lr?: number;
  /** Fraction of the velocity kept at each step (the book's α). Default 0.9. */
  momentum?: number;
}

/** Momentum: `v ← αv − lr·∂L/∂W; W ← W + v` (6.1.4). */
export class Momentum implements Optimizer {
  lr: number;
  readonly momentum: number;
  private readonly state = new StateStore('Momentum.update');

  constructor({ lr = 0.01, momentum = 0.9 }: MomentumOptions = {}) {
    this.lr = checkRate('Momentum', 'lr', lr);
    this.momentum = checkRate('Momentum', 'momentum', momentum, 1);
  }

  /** The velocity per key (the book's `self.v`), created on the first update. */
  get v(): Readonly<Arrays> {
    return this.state.arrays;
  }

  /** @param params arrays of any shape, updated in place  @param grads same keys and shapes */
  update(params: Arrays, grads: Arrays): void {
    const { lr, momentum } = this;
    for (const { key, param, p, g } of collect('Momentum.update', params, grads)) {
      const v = this.state.get(key, param);
      for (let i = 0; i < p.length; i++) {
        v[i] = momentum * v[i] - lr * g[i];
        p[i] += v[i];
      }
    }
  }
}

/**
 * Nesterov's accelerated gradient in the book's formulation (common/optimizer.py, after
 * arXiv:1212.0901): `v ← αv − lr·g; W ← W + α²v − (1 + α)·lr·g`, which evaluates the gradient at
 * the current parameters instead of at the look-ahead point.
 */
export class Nesterov implements Optimizer {
  lr: number;
  readonly momentum: number;
  private readonly state = new StateStore('Nesterov.update');

  constructor({ lr = 0.01, momentum = 0.9 }: MomentumOptions = {}) {
    this.lr = checkRate('Nesterov', 'lr', lr);
    this.momentum = checkRate('Nesterov', 'momentum', momentum, 1);
  }

  /** The velocity per key (the book's `self.v`), created on the first update. */
  get v(): Readonly<Arrays> {
    return this.state.arrays;
  }

  /** @param params arrays of any shape, updated in place  @param grads same keys and shapes */
  update(params: Arrays, grads: Arrays): void {
    const { lr, momentum } = this;
    const m2 = momentum * momentum;
    const step = (1 + momentum) * lr;
    for (const { key, param, p, g } of collect('Nesterov.update', params, grads)) {
      const v = this.state.get(key, param);
      for (let i = 0; i < p.length; i++) {
        v[i] = momentum * v[i] - lr * g[i];
        p[i] += m2 * v[i];
        p[i] -= step * g[i];
      }
    }
  }
}

/** Options of {@link AdaGrad}. */
export interface AdaGradOptions {
  /** Learning rate. Default 0.01. */
  lr?: number;
}

/** AdaGrad: `h ← h + g⊙g; W ← W − lr·g / (√h + 1e-7)` (6.1.5). */
export class AdaGrad implements Optimizer {
  lr: number;
  private readonly state = new StateStore('AdaGrad.update');

  constructor({ lr = 0.01 }: AdaGradOptions = {}) {
    this.lr = checkRate('AdaGrad', 'lr', lr);
  }

  /** The sum of squared gradients per key (the book's `self.h`), created on the first update. */
  get h(): Readonly<Arrays> {
    return this.state.arrays;
  }

  /** @param params arrays of any shape, updated in place  @param grads same keys and shapes */
  update(params: Arrays, grads: Arrays): void {
    const lr = this.lr;
    for (const { key, param, p, g } of collect('AdaGrad.update', params, grads)) {
      const h = this.state.get(key, param);
      for (let i = 0; i < p.length; i++) {
        const gi = g[i];
        h[i] += gi * gi;
        p[i] -= (lr * gi) / (Math.sqrt(h[i]) + EPS);
      }
    }
  }
}

/** Options of {@link RMSprop}. */
export interface RMSpropOptions {
  /** Learning rate. Default 0.01. */
  lr?: number;
  /** Fraction of the running mean of squares kept at each step. Default 0.99. */
  decayRate?: number;
}

/**
 * RMSprop: AdaGrad with an exponentially decaying sum, so old gradients are forgotten:
 * `h ← ρh + (1 − ρ)g⊙g; W ← W − lr·g / (√h + 1e-7)`.
 */
export class RMSprop implements Optimizer {
  lr: number;
  readonly decayRate: number;
  private readonly state = new StateStore('RMSprop.update');

  constructor({ lr = 0.01, decayRate = 0.99 }: RMSpropOptions = {}) {
    this.lr = checkRate('RMSprop', 'lr', lr);
    this.decayRate = checkRate('RMSprop', 'decayRate', decayRate, 1);
  }

  /** The running mean of squared gradients per key (the book's `self.h`). */
  get h(): Readonly<Arrays> {
    return this.state.arrays;
  }

  /** @param params arrays of any shape, updated in place  @param grads same keys and shapes */
  update(params: Arrays, grads: Arrays): void {
    const { lr, decayRate } = this;
    const keep = 1 - decayRate;
    for (const { key, param, p, g } of collect('RMSprop.update', params, grads)) {
      const h = this.state.get(key, param);
      for (let i = 0; i < p.length; i++) {
        const gi = g[i];
        h[i] = h[i] * decayRate + keep * gi * gi;
        p[i] -= (lr * gi) / (Math.sqrt(h[i]) + EPS);
      }
    }
  }
}

/** Options of {@link Adam}. */
export interface AdamOptions {
  /** Learning rate. Default 0.001. */
  lr?: number;
  /** Decay of the first-moment (mean) estimate. Default 0.9. */
  beta1?: number;
  /** Decay of the second-moment (uncentred variance) estimate. Default 0.999. */
  beta2?: number;
}

/**
 * Adam (6.1.6) in the book's form, with the bias correction folded into the step size:
 * `lr_t = lr·√(1 − β2^t) / (1 − β1^t); m ← m + (1 − β1)(g − m); v ← v + (1 − β2)(g² − v);
 * W ← W − lr_t·m / (√v + 1e-7)`.
 */
export class Adam implements Optimizer {
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  /** Number of updates so far (the book's `self.iter`), the t of the bias correction. */
  iter = 0;
  private readonly mState = new StateStore('Adam.update');
  private readonly vState = new StateStore('Adam.update');

  constructor({ lr = 0.001, beta1 = 0.9, beta2 = 0.999 }: AdamOptions = {}) {
    this.lr = checkRate('Adam', 'lr', lr);
    this.beta1 = checkRate('Adam', 'beta1', beta1, 1);
    this.beta2 = checkRate('Adam', 'beta2', beta2, 1);
  }

  /** The first-moment estimate per key (the book's `self.m`). */
  get m(): Readonly<Arrays> {
    return this.mState.arrays;
  }

  /** The second-moment estimate per key (the book's `self.v`). */
  get v(): Readonly<Arrays> {
    return this.vState.arrays;
  }

  /** @param params arrays of any shape, updated in place  @param grads same keys and shapes */
  update(params: Arrays, grads: Arrays): void {
    const { beta1, beta2 } = this;
    // Check every key before counting the step, so a rejected call leaves t unchanged.
    const arrays = collect('Adam.update', params, grads).map(({ key, param, p, g }) => ({
      p,
      g,
      m: this.mState.get(key, param),
      v: this.vState.get(key, param),
    }));
    this.iter++;
    // m and v start at 0 and are biased towards it early on; this factor undoes that on average.
    const lrT = (this.lr * Math.sqrt(1 - beta2 ** this.iter)) / (1 - beta1 ** this.iter);
    const a1 = 1 - beta1;
    const a2 = 1 - beta2;
    for (const { p, g, m, v } of arrays) {
      if (sameKind(p, g)) {
        kernels().adamUpdate(p as FloatArray, g as FloatArray, m, v, lrT, a1, a2, EPS);
        continue;
      }
      for (let i = 0; i < p.length; i++) {
        const gi = g[i];
        m[i] += a1 * (gi - m[i]);
        v[i] += a2 * (gi * gi - v[i]);
        p[i] -= (lrT * m[i]) / (Math.sqrt(v[i]) + EPS);
      }
    }
  }
}

/** The optimizers by the names the book's Trainer accepts. */
export type OptimizerName = 'sgd' | 'momentum' | 'nesterov' | 'adagrad' | 'rmsprop' | 'adam';

/** The options of each optimizer by name. */
export interface OptimizerOptionsMap {
  sgd: SGDOptions;
  momentum: MomentumOptions;
  nesterov: MomentumOptions;
  adagrad: AdaGradOptions;
  rmsprop: RMSpropOptions;
  adam: AdamOptions;
}

/** The optimizer class of each name. */
export interface OptimizerMap {
  sgd: SGD;
  momentum: Momentum;
  nesterov: Nesterov;
  adagrad: AdaGrad;
  rmsprop: RMSprop;
  adam: Adam;
}

/** Every option of any optimizer (what a command line or the Trainer passes through by name). */
export type AnyOptimizerOptions = SGDOptions & MomentumOptions & RMSpropOptions & AdamOptions;

const FACTORIES: {
  [N in OptimizerName]: {
    keys: readonly string[];
    make: (o: OptimizerOptionsMap[N]) => OptimizerMap[N];
  };
} = {
  sgd: { keys: ['lr'], make: (o) => new SGD(o) },
  momentum: { keys: ['lr', 'momentum'], make: (o) => new Momentum(o) },
  nesterov: { keys: ['lr', 'momentum'], make: (o) => new Nesterov(o) },
  adagrad: { keys: ['lr'], make: (o) => new AdaGrad(o) },
  rmsprop: { keys: ['lr', 'decayRate'], make: (o) => new RMSprop(o) },
  adam: { keys: ['lr', 'beta1', 'beta2'], make: (o) => new Adam(o) },
};

/** The valid optimizer names, in the book's order. */
export const OPTIMIZER_NAMES: readonly OptimizerName[] = Object.keys(FACTORIES) as OptimizerName[];

/**
 * An optimizer by name, case-insensitive (the book's Trainer looks names up in a dict after
 * `.lower()`), with its options. An option the optimizer does not take is an error rather than
 * silently ignored (a misspelt `decay_rate` would otherwise train with the default).
 * @example createOptimizer('Adam', { lr: 0.3 }) // an Adam with lr 0.3, beta1 0.9, beta2 0.999
 * @throws `createOptimizer: expected one of sgd, momentum, nesterov, adagrad, rmsprop, adam, got "adamw"`
 */
export function createOptimizer<N extends OptimizerName>(
  name: N,
  options?: OptimizerOptionsMap[N],
): OptimizerMap[N];
export function createOptimizer(name: string, options?: AnyOptimizerOptions): Optimizer;
export function createOptimizer(name: string, options: AnyOptimizerOptions = {}): Optimizer {
  const key = String(name).toLowerCase();
  if (!Object.hasOwn(FACTORIES, key)) {
    throw new Error(
      `createOptimizer: expected one of ${OPTIMIZER_NAMES.join(', ')}, got ${JSON.stringify(name)}`,
    );
  }
  const factory = FACTORIES[key as OptimizerName] as {
    keys: readonly string[];
    make: (o: AnyOptimizerOptions) => Optimizer;
  };
  for (const [option, value] of Object.entries(options)) {
    if (value !== undefined && !factory.keys.includes(option)) {
      throw new Error(
        `createOptimizer: expected options of ${key} (${factory.keys.join(', ')}), got ${JSON.stringify(option)}`,
      );
    }
  }
  return factory.make(options);
}
