// BatchNormalization: normalizing each feature over the mini-batch, chapter 6.3 (common/layers.py).
import { zerosLike, type NDArray } from '../ndarray/index.js';
import { cached, expectFloat, expectShape, shapeText } from './check.js';
import type { ParamLayer } from './types.js';

/**
 * The book writes epsilon as `10e-7`, which is 1e-6 (not 1e-7): kept, so results match its code.
 */
export const BATCH_NORM_EPSILON = 10e-7;

/** Options of {@link BatchNormalization}. */
export interface BatchNormalizationOptions {
  /** Weight of the old running statistics in each update. Default 0.9. */
  momentum?: number;
  /** (D,) running mean used at test time, updated in place while training. Default zeros. */
  runningMean?: NDArray;
  /** (D,) running variance used at test time, updated in place while training. Default zeros. */
  runningVar?: NDArray;
}

/** What forward caches for backward. */
interface Cache {
  train: boolean;
  inputShape: readonly number[];
  /** x − mean, (N, D) */
  xc: NDArray;
  /** the normalized input, (N, D) */
  xn: NDArray;
  /** sqrt(var + ε) of the batch (training) or of the running variance (testing), (D,) */
  std: NDArray;
}

/**
 * Batch normalization: `out = γ · (x − μ) / sqrt(σ² + ε) + β` per feature. While training, μ and
 * σ² are the mini-batch's and the running statistics move towards them (`running = momentum ·
 * running + (1 − momentum) · batch`); at test time the running statistics are used instead.
 *
 * Input (N, D), or (N, C, H, W) which is reshaped to (N, C·H·W) as the book does — so each of the
 * C·H·W positions is its own feature (not the per-channel normalization of convolutional nets),
 * and γ, β and the running statistics have C·H·W values.
 */
export class BatchNormalization implements ParamLayer<'gamma' | 'beta'> {
  /** Keeps nothing it was given or returned past its next call (see Layer.recyclable). */
  readonly recyclable = true;
  readonly params: Readonly<{ gamma: NDArray; beta: NDArray }>;
  readonly grads: Readonly<{ gamma: NDArray; beta: NDArray }>;
  readonly momentum: number;
  /** (D,) running mean, updated in place (zeros until the first training forward). */
  readonly runningMean: NDArray;
  /** (D,) running variance, updated in place. */
  readonly runningVar: NDArray;
  private cache: Cache | undefined;

  /**
   * @param gamma (D,) scale, used in place.
   * @param beta (D,) shift, used in place.
   */
  constructor(
    gamma: NDArray,
    beta: NDArray,
    { momentum = 0.9, runningMean, runningVar }: BatchNormalizationOptions = {},
  ) {
    const where = 'BatchNormalization';
    if (gamma.ndim !== 1) {
      throw new Error(`${where}: expected gamma of shape (D,), got shape ${shapeText(gamma)}`);
    }
    expectFloat(gamma, where, 'gamma of a float dtype');
    expectShape(beta, gamma.shape, where, 'beta');
    expectFloat(beta, where, 'beta of a float dtype');
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new Error(`${where}: expected momentum in [0, 1], got ${momentum}`);
    }
    if (runningMean) expectShape(runningMean, gamma.shape, where, 'runningMean');
    if (runningVar) expectShape(runningVar, gamma.shape, where, 'runningVar');
    this.params = { gamma, beta };
    this.grads = { gamma: zerosLike(gamma), beta: zerosLike(beta) };
    this.momentum = momentum;
    this.runningMean = runningMean ?? zerosLike(gamma);
    this.runningVar = runningVar ?? zerosLike(gamma);
  }

  /**
   * @param x (N, D) or (N, C, H, W) with C·H·W = D.
   * @param train true (the book's default) normalizes with the batch statistics and updates the
   *   running ones; false uses the running statistics.
   * @returns same shape as x.
   */
  forward(x: NDArray, train = true): NDArray {
    const D = this.params.gamma.shape[0];
    if ((x.ndim !== 2 && x.ndim !== 4) || x.size !== x.shape[0] * D) {
      throw new Error(
        `BatchNormalization.forward: expected an array of shape (N, ${D}) or (N, C, H, W) with C·H·W = ${D}, got shape ${shapeText(x)}`,
      );
    }
    // (N, C, H, W) → (N, C·H·W); a view
    const x2 = x.reshape(x.shape[0], D);
    let xc: NDArray;
    let std: NDArray;
    if (train) {
      const mu = x2.mean(0); // (D,)
      xc = x2.sub(mu); // (N, D) − (D,)
      const variance = xc.square().mean(0); // (D,)
      std = variance.add(BATCH_NORM_EPSILON).sqrt();
      const m = this.momentum;
      this.runningMean.mulInPlace(m).addInPlace(mu.mul(1 - m));
      this.runningVar.mulInPlace(m).addInPlace(variance.mul(1 - m));
    } else {
      xc = x2.sub(this.runningMean);
      std = this.runningVar.add(BATCH_NORM_EPSILON).sqrt();
    }
    const xn = xc.div(std);
    this.cache = { train, inputShape: x.shape, xc, xn, std };
    const out = xn.mul(this.params.gamma).add(this.params.beta);
    // (N, D) → the input's shape
    return out.reshape(x.shape);
  }

  /** @param dout shape of the last forward's x. @returns dL/dx, same shape; fills grads. */
  backward(dout: NDArray): NDArray {
    const { train, inputShape, xc, xn, std } = cached(this.cache, 'BatchNormalization.backward');
    expectShape(dout, inputShape, 'BatchNormalization.backward');
    const [N, D] = xn.shape;
    // (N, C, H, W) → (N, C·H·W); a view
    const d = dout.reshape(N, D);
    this.grads.beta.assign(d.sum(0));
    this.grads.gamma.assign(xn.mul(d).sum(0));
    const dxn = d.mul(this.params.gamma);
    let dx: NDArray;
    if (train) {
      // The book's chain rule through xn = xc / std, std = sqrt(var + ε), var = mean(xc²),
      // xc = x − mean(x): every sample also moves the batch mean and variance.
      const dxc = dxn.div(std);
      const dstd = dxn.mul(xc).div(std.mul(std)).sum(0).neg();
      const dvar = dstd.mul(0.5).div(std);
      const dxcTotal = dxc.add(xc.mul(2 / N).mul(dvar));
      const dmu = dxcTotal.sum(0);
      dx = dxcTotal.sub(dmu.div(N));
    } else {
      // At test time the statistics are constants: the layer is elementwise affine.
      dx = dxn.div(std);
    }
    // (N, D) → the input's shape
    return dx.reshape(inputShape);
  }
}
