// MultiLayerNet: a fully connected network of any depth with weight decay, chapter 6
// (common/multi_layer_net.py); also builds MultiLayerNetExtend's layers.
import { ones, zeros, type FloatDType, type NDArray } from '../ndarray/index.js';
import { numericalGradients } from '../functions/gradient.js';
import { Affine } from '../layers/affine.js';
import { BatchNormalization } from '../layers/batchNormalization.js';
import { Dropout } from '../layers/dropout.js';
import { Relu } from '../layers/relu.js';
import { Sigmoid } from '../layers/sigmoid.js';
import { Sequential } from '../layers/sequential.js';
import type { Layer } from '../layers/types.js';
import {
  checkSize,
  commonOptions,
  initWeight,
  type NetworkCommonOptions,
  type WeightInitStd,
} from './init.js';
import type { LossAndGradient, Network, Params } from './types.js';

/** Options of {@link MultiLayerNet}: the book's constructor arguments, in camelCase. */
export interface MultiLayerNetOptions extends NetworkCommonOptions {
  /** Inputs per sample (784 for MNIST). */
  inputSize: number;
  /** Neurons of each hidden layer, e.g. [100, 100, 100]. */
  hiddenSizeList: readonly number[];
  /** Classes (10 for MNIST). */
  outputSize: number;
  /** Hidden activation. Default `'relu'`. */
  activation?: 'relu' | 'sigmoid';
  /** Standard deviation of the initial weights, or a rule (see WeightInitStd). Default `'relu'` (He). */
  weightInitStd?: WeightInitStd;
  /** λ of the L2 weight decay: the loss gains 0.5·λ·ΣW², each W's gradient λ·W. Default 0. */
  weightDecayLambda?: number;
}

/** The JSON-able constructor options a MultiLayerNet was built with (for model files). */
export interface MultiLayerNetConfig {
  inputSize: number;
  hiddenSizeList: number[];
  outputSize: number;
  activation: 'relu' | 'sigmoid';
  weightInitStd: WeightInitStd;
  weightDecayLambda: number;
  dtype: FloatDType;
  seed?: number;
}

/** MultiLayerNetExtend's additions, accepted by the shared builder. */
export interface ExtendOptions {
  useDropout: boolean;
  dropoutRatio: number;
  useBatchnorm: boolean;
}

/** What {@link buildLayers} returns: the parameters and the layers that use them in place. */
export interface BuiltNetwork {
  config: MultiLayerNetConfig;
  params: Params;
  net: Sequential;
  affines: Affine[];
  batchNorms: BatchNormalization[];
}

/**
 * Builds the book's layer stack: for each hidden layer Affine → [BatchNorm] → activation →
 * [Dropout], then the output Affine. Shared by MultiLayerNet and MultiLayerNetExtend.
 */
export function buildLayers(
  options: MultiLayerNetOptions,
  where: string,
  extend: ExtendOptions = { useDropout: false, dropoutRatio: 0.5, useBatchnorm: false },
): BuiltNetwork {
  const {
    inputSize,
    hiddenSizeList,
    outputSize,
    activation = 'relu',
    weightInitStd = 'relu',
    weightDecayLambda = 0,
  } = options;
  checkSize(inputSize, where, 'inputSize');
  checkSize(outputSize, where, 'outputSize');
  if (!Array.isArray(hiddenSizeList)) {
    throw new Error(
      `${where}: expected hiddenSizeList an array of sizes, got ${JSON.stringify(hiddenSizeList)}`,
    );
  }
  hiddenSizeList.forEach((n, i) => checkSize(n, where, `hiddenSizeList[${i}]`));
  if (activation !== 'relu' && activation !== 'sigmoid') {
    throw new Error(
      `${where}: expected activation 'relu' or 'sigmoid', got ${JSON.stringify(activation)}`,
    );
  }
  if (!(weightDecayLambda >= 0 && Number.isFinite(weightDecayLambda))) {
    throw new Error(
      `${where}: expected weightDecayLambda a non-negative number, got ${weightDecayLambda}`,
    );
  }
  const { rng, dtype, config: common } = commonOptions(options, where);
  const sizes = [inputSize, ...hiddenSizeList, outputSize];
  const L = hiddenSizeList.length + 1; // number of Affine layers
  const params: Params = {};
  // all weights first, in the book's __init_weight order, so a seed gives the book's draw order
  for (let i = 1; i <= L; i++) {
    params[`W${i}`] = initWeight(rng, sizes[i - 1], sizes[i], weightInitStd, dtype);
    params[`b${i}`] = zeros(sizes[i], dtype);
  }
  const layers: [string, Layer][] = [];
  const affines: Affine[] = [];
  const batchNorms: BatchNormalization[] = [];
  for (let i = 1; i <= L; i++) {
    // the first layer sees the input, whose gradient nobody uses: skip computing it
    const affine = new Affine(params[`W${i}`], params[`b${i}`], { inputGradient: i > 1 });
    affines.push(affine);
    layers.push([`Affine${i}`, affine]);
    if (i === L) break;
    if (extend.useBatchnorm) {
      params[`gamma${i}`] = ones(sizes[i], dtype);
      params[`beta${i}`] = zeros(sizes[i], dtype);
      const bn = new BatchNormalization(params[`gamma${i}`], params[`beta${i}`]);
      batchNorms.push(bn);
      layers.push([`BatchNorm${i}`, bn]);
    }
    layers.push(activation === 'relu' ? [`Relu${i}`, new Relu()] : [`Sigmoid${i}`, new Sigmoid()]);
    if (extend.useDropout) {
      layers.push([`Dropout${i}`, new Dropout({ dropoutRatio: extend.dropoutRatio, rng })]);
    }
  }
  return {
    config: {
      inputSize,
      hiddenSizeList: [...hiddenSizeList],
      outputSize,
      activation,
      weightInitStd,
      weightDecayLambda,
      ...common,
    },
    params,
    net: new Sequential(layers, { dtype }),
    affines,
    batchNorms,
  };
}

/** 0.5·λ·Σ‖W‖² over the Affine layers' weights (the book's weight decay term of the loss). */
export function weightDecayLoss(affines: readonly Affine[], lambda: number): number {
  if (lambda === 0) return 0;
  let decay = 0;
  for (const a of affines) decay += 0.5 * lambda * a.params.W.square().sum().item();
  return decay;
}

/**
 * The gradients after backward(): dW + λ·W and db per Affine layer, dgamma and dbeta per
 * BatchNormalization, under the book's keys.
 */
export function collectGrads(
  affines: readonly Affine[],
  batchNorms: readonly BatchNormalization[],
  lambda: number,
): Params {
  const grads: Params = {};
  affines.forEach((a, k) => {
    const { W } = a.params;
    grads[`W${k + 1}`] = lambda === 0 ? a.grads.W : a.grads.W.add(W.mul(lambda));
    grads[`b${k + 1}`] = a.grads.b;
  });
  batchNorms.forEach((bn, k) => {
    grads[`gamma${k + 1}`] = bn.grads.gamma;
    grads[`beta${k + 1}`] = bn.grads.beta;
  });
  return grads;
}

/**
 * A fully connected network: (Affine → ReLU or Sigmoid) × hidden layers → Affine →
 * SoftmaxWithLoss, with L2 weight decay. Parameters W1, b1, …, W(L), b(L) for L = hidden + 1.
 * @example
 * const net = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [100, 100], outputSize: 10, weightDecayLambda: 0.1 });
 */
export class MultiLayerNet implements Network {
  readonly kind = 'MultiLayerNet' as const;
  readonly config: Readonly<MultiLayerNetConfig>;
  readonly params: Params;
  /** The book's OrderedDict of layers plus its `lastLayer` (SoftmaxWithLoss). */
  readonly net: Sequential;
  private readonly affines: readonly Affine[];

  constructor(options: MultiLayerNetOptions) {
    const built = buildLayers(options, 'MultiLayerNet');
    this.config = built.config;
    this.params = built.params;
    this.net = built.net;
    this.affines = built.affines;
  }

  /** @param x (N, inputSize). @returns scores before softmax, (N, outputSize). */
  predict(x: NDArray, train = false): NDArray {
    return this.net.predict(x, train);
  }

  /** Cross-entropy of the softmax against labels or one-hot t, plus 0.5·λ·ΣW². */
  loss(x: NDArray, t: NDArray, train = false): number {
    return (
      this.net.loss(x, t, train) + weightDecayLoss(this.affines, this.config.weightDecayLambda)
    );
  }

  /** Fraction of samples classified correctly; t holds labels (N,) or one-hot rows. */
  accuracy(x: NDArray, t: NDArray, batchSize = 100): number {
    return this.net.accuracy(x, t, batchSize);
  }

  /** Gradients by central differences (slow; for checking). @returns new arrays, keys of params. */
  numericalGradient(x: NDArray, t: NDArray): Params {
    return numericalGradients(() => this.loss(x, t), this.params);
  }

  /**
   * Gradients by backpropagation, weight decay included (λ·W added to each dW).
   * @returns keys of params; arrays may be the layers' grads, overwritten by the next call.
   */
  gradient(x: NDArray, t: NDArray): Params {
    this.net.loss(x, t, true);
    this.net.backwardParams();
    return collectGrads(this.affines, [], this.config.weightDecayLambda);
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

  /** Non-learned state to save with the parameters: none in this network. */
  buffers(): Params {
    return {};
  }
}
