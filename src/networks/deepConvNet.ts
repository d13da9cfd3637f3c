// DeepConvNet: the VGG-like network of §8.1 (ch08/deep_convnet.py) — six 3×3 convolutions, three pools, dropout.
import { zeros, type NDArray } from '../ndarray/index.js';
import { numericalGradients } from '../functions/gradient.js';
import { Affine } from '../layers/affine.js';
import { Convolution } from '../layers/convolution.js';
import { Dropout } from '../layers/dropout.js';
import { Pooling } from '../layers/pooling.js';
import { Relu } from '../layers/relu.js';
import { Sequential } from '../layers/sequential.js';
import type { Layer } from '../layers/types.js';
import {
  checkSize,
  commonOptions,
  weightInitScale,
  type NetworkCommonOptions,
  type WeightInitStd,
} from './init.js';
import {
  asImages,
  checkConvParam,
  checkInputDim,
  windowOutput,
  type ConvParam,
  type InputDim,
} from './simpleConvNet.js';
import type { LossAndGradient, Network, Params } from './types.js';

/** The book's six convolutions: 16, 16, 32, 32, 64, 64 filters of 3×3, stride 1, pads 1, 1, 1, 2, 1, 1. */
export const DEEP_CONV_PARAMS: readonly Readonly<ConvParam>[] = Object.freeze(
  [16, 16, 32, 32, 64, 64].map((filterNum, i) =>
    Object.freeze({ filterNum, filterSize: 3, pad: i === 3 ? 2 : 1, stride: 1 }),
  ),
);

/** Options of {@link DeepConvNet}: the book's constructor arguments in camelCase, same defaults. */
export interface DeepConvNetOptions extends NetworkCommonOptions {
  /** (C, H, W) of one image. Default [1, 28, 28]. */
  inputDim?: InputDim;
  /** The six convolutions (the book's conv_param_1 … conv_param_6); missing fields take the book's. */
  convParam1?: Partial<ConvParam>;
  convParam2?: Partial<ConvParam>;
  convParam3?: Partial<ConvParam>;
  convParam4?: Partial<ConvParam>;
  convParam5?: Partial<ConvParam>;
  convParam6?: Partial<ConvParam>;
  /** Neurons of the hidden Affine layer. Default 50. */
  hiddenSize?: number;
  /** Classes. Default 10. */
  outputSize?: number;
  /** Dropout ratio of both Dropout layers. Default 0.5 (0 turns dropout off, e.g. for gradient checks). */
  dropoutRatio?: number;
  /** Scale of the initial weights by fan-in. Default `'he'`, sqrt(2 / fan-in), the book's. */
  weightInitStd?: WeightInitStd;
}

/**
 * The JSON-able constructor options a DeepConvNet was built with (for model files):
 * `new DeepConvNet(config)` rebuilds it.
 */
export interface DeepConvNetConfig {
  inputDim: [number, number, number];
  convParam1: ConvParam;
  convParam2: ConvParam;
  convParam3: ConvParam;
  convParam4: ConvParam;
  convParam5: ConvParam;
  convParam6: ConvParam;
  hiddenSize: number;
  outputSize: number;
  dropoutRatio: number;
  weightInitStd: WeightInitStd;
  dtype: 'float64' | 'float32';
  seed?: number;
}

/**
 * The book's deep network for MNIST (test accuracy 0.9938 in the book):
 *
 *     conv(16) ReLU conv(16) ReLU pool — conv(32) ReLU conv(32, pad 2) ReLU pool —
 *     conv(64) ReLU conv(64) ReLU pool — Affine(64·4·4 → 50) ReLU Dropout — Affine(50 → 10) Dropout — softmax
 *
 * All convolutions are 3×3 with stride 1, all pools 2×2 with stride 2. Weights are He-initialised
 * (scale sqrt(2 / fan-in), fan-ins 1·3·3, 16·3·3, 16·3·3, 32·3·3, 32·3·3, 64·3·3, 64·4·4, 50),
 * biases 0; parameters W1…W8, b1…b8 with the book's shapes, so its trained weights import.
 * The book hard-codes the fan-ins and the 64·4·4; here both follow from the options, and equal
 * the book's for its defaults.
 *
 * As the book's, `loss()` runs in training mode (dropout on) unless told otherwise, while
 * `predict()` and `accuracy()` run in test mode.
 * @example
 * const net = new DeepConvNet({ seed: 1, dtype: 'float32' });
 * net.params.W7.shape; // [1024, 50]
 */
export class DeepConvNet implements Network {
  readonly kind = 'DeepConvNet' as const;
  readonly config: Readonly<DeepConvNetConfig>;
  readonly params: Params;
  /** The book's list of layers (Conv1, Relu1, …, Pool3, Affine1, Relu7, Dropout1, Affine2, Dropout2) and lastLayer. */
  readonly net: Sequential;
  /** The layers holding W1…W8 and b1…b8, in that order. */
  private readonly paramLayers: readonly (Convolution | Affine)[];

  constructor(options: DeepConvNetOptions = {}) {
    const where = 'DeepConvNet';
    const { hiddenSize = 50, outputSize = 10, dropoutRatio = 0.5, weightInitStd = 'he' } = options;
    const inputDim = checkInputDim(options.inputDim ?? [1, 28, 28], where);
    const given = [
      options.convParam1,
      options.convParam2,
      options.convParam3,
      options.convParam4,
      options.convParam5,
      options.convParam6,
    ];
    const convParams = given.map((p, i) =>
      checkConvParam(p, DEEP_CONV_PARAMS[i], `${where} (convParam${i + 1})`),
    );
    checkSize(hiddenSize, where, 'hiddenSize');
    checkSize(outputSize, where, 'outputSize');
    if (!(dropoutRatio >= 0 && dropoutRatio < 1)) {
      throw new Error(`${where}: expected dropoutRatio in [0, 1), got ${dropoutRatio}`);
    }
    const { rng, dtype, config } = commonOptions(options, where);
    this.config = {
      inputDim,
      convParam1: convParams[0],
      convParam2: convParams[1],
      convParam3: convParams[2],
      convParam4: convParams[3],
      convParam5: convParams[4],
      convParam6: convParams[5],
      hiddenSize,
      outputSize,
      dropoutRatio,
      weightInitStd,
      ...config,
    };

    // Drawn and keyed in the book's order: W1, b1, …, W6, b6 for the convolutions, then W7, b7, W8, b8.
    const normal = (fanIn: number, shape: number[]) =>
      rng.normal(0, weightInitScale(weightInitStd, fanIn), shape, dtype);
    this.params = {};
    let [channels, H, W] = inputDim;
    const layers: [string, Layer][] = [];
    const paramLayers: (Convolution | Affine)[] = [];
    convParams.forEach(({ filterNum, filterSize, pad, stride }, i) => {
      const k = i + 1;
      const Wk = normal(channels * filterSize * filterSize, [
        filterNum,
        channels,
        filterSize,
        filterSize,
      ]);
      const bk = zeros(filterNum, dtype);
      this.params[`W${k}`] = Wk;
      this.params[`b${k}`] = bk;
      // The first layer's input gradient would be the images' gradient, which nobody uses.
      const conv = new Convolution(Wk, bk, { stride, pad, inputGradient: k > 1 });
      paramLayers.push(conv);
      layers.push([`Conv${k}`, conv], [`Relu${k}`, new Relu()]);
      [H, W] = windowOutput([H, W], filterSize, stride, pad, `${where} (Conv${k})`);
      channels = filterNum;
      if (k % 2 === 0) {
        // a 2×2, stride 2 max pooling after every second convolution
        layers.push([`Pool${k / 2}`, new Pooling({ poolH: 2, poolW: 2, stride: 2 })]);
        [H, W] = windowOutput([H, W], 2, 2, 0, `${where} (Pool${k / 2})`);
      }
    });
    const flat = channels * H * W; // 64·4·4 = 1024 for the book's settings
    this.params.W7 = normal(flat, [flat, hiddenSize]);
    this.params.b7 = zeros(hiddenSize, dtype);
    this.params.W8 = normal(hiddenSize, [hiddenSize, outputSize]);
    this.params.b8 = zeros(outputSize, dtype);
    const affine1 = new Affine(this.params.W7, this.params.b7);
    const affine2 = new Affine(this.params.W8, this.params.b8);
    paramLayers.push(affine1, affine2);
    layers.push(
      ['Affine1', affine1],
      ['Relu7', new Relu()],
      ['Dropout1', new Dropout({ dropoutRatio, rng })],
      ['Affine2', affine2],
      ['Dropout2', new Dropout({ dropoutRatio, rng })],
    );
    this.paramLayers = paramLayers;
    this.net = new Sequential(layers, { dtype });
  }

  private images(x: NDArray): NDArray {
    return asImages(x, this.config.inputDim, 'DeepConvNet');
  }

  /**
   * @param x (N, C, H, W) or (N, C·H·W)
   * @param train dropout on (true) or scaling by 1 − ratio (false, the default)
   * @returns scores before softmax, (N, outputSize)
   */
  predict(x: NDArray, train = false): NDArray {
    return this.net.predict(this.images(x), train);
  }

  /** Mean cross-entropy against labels or one-hot t; `train` defaults to true, as the book's loss. */
  loss(x: NDArray, t: NDArray, train = true): number {
    return this.net.loss(this.images(x), t, train);
  }

  /** Fraction of samples classified correctly in test mode, batchSize at a time (every sample counts). */
  accuracy(x: NDArray, t: NDArray, batchSize = 100): number {
    return this.net.accuracy(this.images(x), t, batchSize);
  }

  /**
   * Gradients by central differences (very slow; for checking, with dropoutRatio 0 or the
   * numerical and analytic losses would see different masks). @returns new arrays, keys of params.
   */
  numericalGradient(x: NDArray, t: NDArray): Params {
    return numericalGradients(() => this.loss(x, t), this.params);
  }

  /**
   * Gradients by backpropagation, in training mode (fresh dropout masks).
   * @returns W1…W8, b1…b8: the layers' grads, overwritten by the next call
   */
  gradient(x: NDArray, t: NDArray): Params {
    return this.lossAndGradient(x, t).grads;
  }

  /** gradient() and the training-mode loss of its forward pass (dropout on). */
  lossAndGradient(x: NDArray, t: NDArray): LossAndGradient {
    const loss = this.net.loss(this.images(x), t, true);
    this.net.backwardParams();
    const grads: Params = {};
    this.paramLayers.forEach((layer, i) => {
      grads[`W${i + 1}`] = layer.grads.W;
      grads[`b${i + 1}`] = layer.grads.b;
    });
    return { loss, grads };
  }

  /** Non-learned state to save with the parameters: none in this network. */
  buffers(): Params {
    return {};
  }
}
