// MultiLayerNetExtend: MultiLayerNet with Dropout and Batch Normalization, chapter 6.3–6.4
// (common/multi_layer_net_extend.py).
import type { NDArray } from '../ndarray/index.js';
import { numericalGradients } from '../functions/gradient.js';
import type { Affine } from '../layers/affine.js';
import type { BatchNormalization } from '../layers/batchNormalization.js';
import type { Sequential } from '../layers/sequential.js';
import {
  buildLayers,
  collectGrads,
  weightDecayLoss,
  type MultiLayerNetConfig,
  type MultiLayerNetOptions,
} from './multiLayerNet.js';
import type { LossAndGradient, Network, Params } from './types.js';

/** Options of {@link MultiLayerNetExtend}: MultiLayerNet's plus the book's three switches. */
export interface MultiLayerNetExtendOptions extends MultiLayerNetOptions {
  /** Put a Dropout layer after each hidden activation. Default false. */
  useDropout?: boolean;
  /** Probability of dropping a value while training (the book's `dropout_ration`). Default 0.5. */
  dropoutRatio?: number;
  /** Put a BatchNormalization layer between each hidden Affine and its activation. Default false. */
  useBatchnorm?: boolean;
}

/** The JSON-able constructor options a MultiLayerNetExtend was built with (for model files). */
export interface MultiLayerNetExtendConfig extends MultiLayerNetConfig {
  useDropout: boolean;
  dropoutRatio: number;
  useBatchnorm: boolean;
}

/**
 * A fully connected network with optional Batch Normalization and Dropout per hidden layer:
 * (Affine → [BatchNorm] → ReLU/Sigmoid → [Dropout]) × hidden layers → Affine → SoftmaxWithLoss,
 * with L2 weight decay. Parameters W1, b1, …, W(L), b(L), and with batchnorm gamma1, beta1, … per
 * hidden layer. The `train` flag reaches every layer: Dropout and BatchNorm act on it.
 * @example
 * const net = new MultiLayerNetExtend({ inputSize: 784, hiddenSizeList: [100, 100], outputSize: 10, useBatchnorm: true });
 */
export class MultiLayerNetExtend implements Network {
  readonly kind = 'MultiLayerNetExtend' as const;
  readonly config: Readonly<MultiLayerNetExtendConfig>;
  readonly params: Params;
  /** The book's OrderedDict of layers plus its `lastLayer` (SoftmaxWithLoss). */
  readonly net: Sequential;
  private readonly affines: readonly Affine[];
  private readonly batchNorms: readonly BatchNormalization[];

  constructor(options: MultiLayerNetExtendOptions) {
    const where = 'MultiLayerNetExtend';
    const { useDropout = false, dropoutRatio = 0.5, useBatchnorm = false } = options;
    if (!(dropoutRatio >= 0 && dropoutRatio < 1)) {
      throw new Error(`${where}: expected dropoutRatio in [0, 1), got ${dropoutRatio}`);
    }
    const extend = { useDropout, dropoutRatio, useBatchnorm };
    const built = buildLayers(options, where, extend);
    this.config = { ...built.config, ...extend };
    this.params = built.params;
    this.net = built.net;
    this.affines = built.affines;
    this.batchNorms = built.batchNorms;
  }

  /**
   * @param x (N, inputSize).
   * @param train true while training: Dropout draws masks, BatchNorm uses batch statistics.
   * @returns scores before softmax, (N, outputSize).
   */
  predict(x: NDArray, train = false): NDArray {
    return this.net.predict(x, train);
  }

  /** Cross-entropy of the softmax against labels or one-hot t, plus 0.5·λ·ΣW². */
  loss(x: NDArray, t: NDArray, train = false): number {
    return (
      this.net.loss(x, t, train) + weightDecayLoss(this.affines, this.config.weightDecayLambda)
    );
  }

  /** Fraction of samples classified correctly (test mode); t holds labels (N,) or one-hot rows. */
  accuracy(x: NDArray, t: NDArray, batchSize = 100): number {
    return this.net.accuracy(x, t, batchSize);
  }

  /**
   * Gradients by central differences of the training-mode loss, as the book's (so BatchNorm
   * uses batch statistics, matching backpropagation; each evaluation also moves the running
   * statistics, and with Dropout each draws a new mask — check with dropout off).
   * @returns new arrays, keys of params
   */
  numericalGradient(x: NDArray, t: NDArray): Params {
    return numericalGradients(() => this.loss(x, t, true), this.params);
  }

  /**
   * Gradients by backpropagation of the training-mode loss, weight decay included.
   * @returns keys of params; arrays may be the layers' grads, overwritten by the next call.
   */
  gradient(x: NDArray, t: NDArray): Params {
    this.net.loss(x, t, true);
    this.net.backwardParams();
    return collectGrads(this.affines, this.batchNorms, this.config.weightDecayLambda);
  }

  /**
   * gradient() and the training-mode loss of its forward pass, weight decay included (computed
   * only here: gradient() alone does not need the decay term, only its derivative).
   */
  lossAndGradient(x: NDArray, t: NDArray): LossAndGradient {
    const grads = this.gradient(x, t);
    // the data loss SoftmaxWithLoss kept from that pass; the parameters are not updated yet
    const loss =
      this.net.lastLayer.loss + weightDecayLoss(this.affines, this.config.weightDecayLambda);
    return { loss, grads };
  }

  /**
   * The BatchNorm running statistics (runningMean1, runningVar1, …), the live arrays: save them
   * with the parameters, and load by `buffers().runningMean1.assign(saved)`.
   */
  buffers(): Params {
    const out: Params = {};
    this.batchNorms.forEach((bn, k) => {
      out[`runningMean${k + 1}`] = bn.runningMean;
      out[`runningVar${k + 1}`] = bn.runningVar;
    });
    return out;
  }
}
