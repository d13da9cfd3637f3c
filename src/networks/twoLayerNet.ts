// TwoLayerNet: the two-layer network of chapters 4.5 and 5.7 (ch05/two_layer_net.py), trained by
// numerical gradients (chapter 4) or backpropagation (chapter 5).
import { zeros, type NDArray } from '../ndarray/index.js';
import { numericalGradients } from '../functions/gradient.js';
import { Affine } from '../layers/affine.js';
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

/** Options of {@link TwoLayerNet}: the book's constructor arguments, in camelCase. */
export interface TwoLayerNetOptions extends NetworkCommonOptions {
  /** Inputs per sample (784 for MNIST). */
  inputSize: number;
  /** Neurons of the hidden layer (50 in the book). */
  hiddenSize: number;
  /** Classes (10 for MNIST). */
  outputSize: number;
  /** Standard deviation of the initial weights, or a rule (see WeightInitStd). Default 0.01. */
  weightInitStd?: WeightInitStd;
  /**
   * Hidden activation: `'relu'` (chapter 5's network, the default) or `'sigmoid'` (chapter 4's).
   */
  activation?: 'relu' | 'sigmoid';
}

/** The JSON-able constructor options a TwoLayerNet was built with (for model files). */
export interface TwoLayerNetConfig {
  inputSize: number;
  hiddenSize: number;
  outputSize: number;
  weightInitStd: WeightInitStd;
  activation: 'relu' | 'sigmoid';
  dtype: 'float64' | 'float32';
  seed?: number;
}

/**
 * Affine → ReLU (or Sigmoid) → Affine → SoftmaxWithLoss, with parameters W1 (inputSize,
 * hiddenSize), b1 (hiddenSize,), W2 (hiddenSize, outputSize), b2 (outputSize,).
 * @example
 * const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 1 });
 * const grads = net.gradient(xBatch, tBatch); // { W1, b1, W2, b2 }
 */
export class TwoLayerNet implements Network {
  readonly kind = 'TwoLayerNet' as const;
  readonly config: Readonly<TwoLayerNetConfig>;
  readonly params: Params;
  /** The book's OrderedDict of layers plus its `lastLayer` (SoftmaxWithLoss). */
  readonly net: Sequential;
  private readonly affines: readonly Affine[];

  constructor(options: TwoLayerNetOptions) {
    const {
      inputSize,
      hiddenSize,
      outputSize,
      weightInitStd = 0.01,
      activation = 'relu',
    } = options;
    const where = 'TwoLayerNet';
    checkSize(inputSize, where, 'inputSize');
    checkSize(hiddenSize, where, 'hiddenSize');
    checkSize(outputSize, where, 'outputSize');
    if (activation !== 'relu' && activation !== 'sigmoid') {
      throw new Error(
        `${where}: expected activation 'relu' or 'sigmoid', got ${JSON.stringify(activation)}`,
      );
    }
    const { rng, dtype, config } = commonOptions(options, where);
    this.config = { inputSize, hiddenSize, outputSize, weightInitStd, activation, ...config };
    // W1 before W2, as the book draws them from np.random
    this.params = {
      W1: initWeight(rng, inputSize, hiddenSize, weightInitStd, dtype),
      b1: zeros(hiddenSize, dtype),
      W2: initWeight(rng, hiddenSize, outputSize, weightInitStd, dtype),
      b2: zeros(outputSize, dtype),
    };
    // the first layer sees the input, whose gradient nobody uses: skip computing it
    const affine1 = new Affine(this.params.W1, this.params.b1, { inputGradient: false });
    const affine2 = new Affine(this.params.W2, this.params.b2);
    const act: Layer = activation === 'relu' ? new Relu() : new Sigmoid();
    const actName = activation === 'relu' ? 'Relu1' : 'Sigmoid1';
    this.net = new Sequential(
      [
        ['Affine1', affine1],
        [actName, act],
        ['Affine2', affine2],
      ],
      { dtype },
    );
    this.affines = [affine1, affine2];
  }

  /** @param x (N, inputSize). @returns scores before softmax, (N, outputSize). */
  predict(x: NDArray, train = false): NDArray {
    return this.net.predict(x, train);
  }

  /** Mean cross-entropy of the softmax of the scores against labels (N,) or one-hot t (N, outputSize). */
  loss(x: NDArray, t: NDArray, train = false): number {
    return this.net.loss(x, t, train);
  }

  /** Fraction of samples classified correctly; t holds labels (N,) or one-hot rows. */
  accuracy(x: NDArray, t: NDArray, batchSize = 100): number {
    return this.net.accuracy(x, t, batchSize);
  }

  /**
   * Gradients by central differences, one parameter value at a time (chapter 4: slow, ~2 loss
   * evaluations per parameter; the reference backpropagation is checked against).
   * @returns new arrays, keys W1, b1, W2, b2
   */
  numericalGradient(x: NDArray, t: NDArray): Params {
    return numericalGradients(() => this.loss(x, t), this.params);
  }

  /**
   * Gradients by backpropagation (chapter 5).
   * @returns keys W1, b1, W2, b2; the arrays are the layers' grads, overwritten by the next call.
   */
  gradient(x: NDArray, t: NDArray): Params {
    return this.lossAndGradient(x, t).grads;
  }

  /** gradient() and the loss of its forward pass. */
  lossAndGradient(x: NDArray, t: NDArray): LossAndGradient {
    const loss = this.net.loss(x, t, true);
    this.net.backwardParams();
    const [a1, a2] = this.affines;
    return { loss, grads: { W1: a1.grads.W, b1: a1.grads.b, W2: a2.grads.W, b2: a2.grads.b } };
  }

  /** Non-learned state to save with the parameters: none in this network. */
  buffers(): Params {
    return {};
  }
}
