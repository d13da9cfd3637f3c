// SimpleConvNet: conv → ReLU → pool → Affine → ReLU → Affine → softmax, the network of §7.5 (ch07/simple_convnet.py).
import { zeros, type NDArray } from '../ndarray/index.js';
import { numericalGradients } from '../functions/gradient.js';
import { Affine } from '../layers/affine.js';
import { shapeText } from '../layers/check.js';
import { Convolution } from '../layers/convolution.js';
import { convOutputSize } from '../layers/im2col.js';
import { Pooling } from '../layers/pooling.js';
import { Relu } from '../layers/relu.js';
import { Sequential } from '../layers/sequential.js';
import {
  checkSize,
  commonOptions,
  weightInitScale,
  type NetworkCommonOptions,
  type WeightInitStd,
} from './init.js';
import type { LossAndGradient, Network, Params } from './types.js';

/** One convolution layer's settings, the book's `conv_param` dictionary. */
export interface ConvParam {
  /** Number of filters FN (the output channels). */
  filterNum: number;
  /** Filters are filterSize × filterSize. */
  filterSize: number;
  /** Zero padding on every side. */
  pad: number;
  /** Step between windows. */
  stride: number;
}

/** Input of a convolutional network: (channels, height, width) of one image, the book's `input_dim`. */
export type InputDim = readonly [number, number, number];

/** Options of {@link SimpleConvNet}: the book's constructor arguments in camelCase, same defaults. */
export interface SimpleConvNetOptions extends NetworkCommonOptions {
  /** (C, H, W) of one image. Default [1, 28, 28] (MNIST). */
  inputDim?: InputDim;
  /** The convolution layer; missing fields take the book's { filterNum: 30, filterSize: 5, pad: 0, stride: 1 }. */
  convParam?: Partial<ConvParam>;
  /** Neurons of the hidden Affine layer. Default 100. */
  hiddenSize?: number;
  /** Classes. Default 10. */
  outputSize?: number;
  /** Standard deviation of the initial weights, or a rule by fan-in (see WeightInitStd). Default 0.01. */
  weightInitStd?: WeightInitStd;
}

/** The JSON-able constructor options a SimpleConvNet was built with (for model files): `new SimpleConvNet(config)` rebuilds it. */
export interface SimpleConvNetConfig {
  inputDim: [number, number, number];
  convParam: ConvParam;
  hiddenSize: number;
  outputSize: number;
  weightInitStd: WeightInitStd;
  dtype: 'float64' | 'float32';
  seed?: number;
}

/** The book's default convolution of SimpleConvNet. */
export const SIMPLE_CONV_PARAM: Readonly<ConvParam> = Object.freeze({
  filterNum: 30,
  filterSize: 5,
  pad: 0,
  stride: 1,
});

/** Checks a (C, H, W) input dimension and returns it as a plain array. */
export function checkInputDim(inputDim: InputDim, where: string): [number, number, number] {
  if (!Array.isArray(inputDim) || inputDim.length !== 3) {
    throw new Error(`${where}: expected inputDim [C, H, W], got ${JSON.stringify(inputDim)}`);
  }
  inputDim.forEach((d, i) => checkSize(d, where, `inputDim[${i}]`));
  return [inputDim[0], inputDim[1], inputDim[2]];
}

/** A full, checked ConvParam from a partial one and defaults. */
export function checkConvParam(
  param: Partial<ConvParam> | undefined,
  defaults: Readonly<ConvParam>,
  where: string,
): ConvParam {
  const p: ConvParam = { ...defaults, ...param };
  checkSize(p.filterNum, where, 'filterNum');
  checkSize(p.filterSize, where, 'filterSize');
  checkSize(p.stride, where, 'stride');
  if (!(Number.isInteger(p.pad) && p.pad >= 0)) {
    throw new Error(`${where}: expected pad a non-negative integer, got ${p.pad}`);
  }
  return p;
}

/**
 * Images (N, C, H, W) as they are, or flattened rows (N, C·H·W) — what `loadMnist()` gives by
 * default — viewed as images; anything else is rejected naming `where`.
 */
export function asImages(x: NDArray, [C, H, W]: InputDim, where: string): NDArray {
  // (N, C·H·W) → (N, C, H, W), a view
  const out = x.ndim === 2 && x.shape[1] === C * H * W ? x.reshape(x.shape[0], C, H, W) : x;
  if (out.ndim !== 4 || out.shape[1] !== C || out.shape[2] !== H || out.shape[3] !== W) {
    throw new Error(
      `${where}: expected images (N, ${C}, ${H}, ${W}) or rows (N, ${C * H * W}), got shape ${shapeText(x)}`,
    );
  }
  return out;
}

/** Output (H, W) of a convolution or pooling window over an H×W input, checked to be at least 1×1. */
export function windowOutput(
  [H, W]: readonly [number, number],
  size: number,
  stride: number,
  pad: number,
  where: string,
): [number, number] {
  const outH = convOutputSize(H, size, stride, pad);
  const outW = convOutputSize(W, size, stride, pad);
  if (!(outH >= 1 && outW >= 1)) {
    throw new Error(
      `${where}: expected a ${size}×${size} window (stride ${stride}, pad ${pad}) to fit a ${H}×${W} input, got an output of ${outH}×${outW}`,
    );
  }
  return [outH, outW];
}

/**
 * The book's convolutional network of chapter 7: Convolution → ReLU → Pooling (2×2, stride 2) →
 * Affine → ReLU → Affine → SoftmaxWithLoss, with W1 (FN, C, FS, FS), b1 (FN,),
 * W2 (FN·poolH·poolW, hiddenSize), b2, W3 (hiddenSize, outputSize), b3.
 *
 * Unlike the book, which assumes a square input and an even convolution output, the pooled size
 * is computed per axis (H ≠ W and odd sizes work); for the book's settings both agree.
 * @example
 * const net = new SimpleConvNet({ seed: 1, dtype: 'float32' });
 * net.predict(x).shape; // x (N, 1, 28, 28) or (N, 784) → [N, 10]
 */
export class SimpleConvNet implements Network {
  readonly kind = 'SimpleConvNet' as const;
  readonly config: Readonly<SimpleConvNetConfig>;
  readonly params: Params;
  /** The book's OrderedDict of layers (Conv1, Relu1, Pool1, Affine1, Relu2, Affine2) and lastLayer. */
  readonly net: Sequential;
  private readonly conv: Convolution;
  private readonly affines: readonly [Affine, Affine];

  constructor(options: SimpleConvNetOptions = {}) {
    const where = 'SimpleConvNet';
    const { hiddenSize = 100, outputSize = 10, weightInitStd = 0.01 } = options;
    const inputDim = checkInputDim(options.inputDim ?? [1, 28, 28], where);
    const convParam = checkConvParam(options.convParam, SIMPLE_CONV_PARAM, where);
    checkSize(hiddenSize, where, 'hiddenSize');
    checkSize(outputSize, where, 'outputSize');
    const { rng, dtype, config } = commonOptions(options, where);
    const [C, H, W] = inputDim;
    const { filterNum: FN, filterSize: FS, pad, stride } = convParam;
    const convOut = windowOutput([H, W], FS, stride, pad, `${where} (convolution)`);
    const [poolH, poolW] = windowOutput(convOut, 2, 2, 0, `${where} (pooling)`);
    const poolOutputSize = FN * poolH * poolW; // the book's pool_output_size
    this.config = { inputDim, convParam, hiddenSize, outputSize, weightInitStd, ...config };

    const normal = (fanIn: number, shape: number[]) =>
      rng.normal(0, weightInitScale(weightInitStd, fanIn), shape, dtype);
    this.params = {
      W1: normal(C * FS * FS, [FN, C, FS, FS]),
      b1: zeros(FN, dtype),
      W2: normal(poolOutputSize, [poolOutputSize, hiddenSize]),
      b2: zeros(hiddenSize, dtype),
      W3: normal(hiddenSize, [hiddenSize, outputSize]),
      b3: zeros(outputSize, dtype),
    };
    // The only convolution sees the input images, whose gradient nobody uses: skip computing it.
    this.conv = new Convolution(this.params.W1, this.params.b1, {
      stride,
      pad,
      inputGradient: false,
    });
    this.affines = [
      new Affine(this.params.W2, this.params.b2),
      new Affine(this.params.W3, this.params.b3),
    ];
    this.net = new Sequential(
      [
        ['Conv1', this.conv],
        ['Relu1', new Relu()],
        ['Pool1', new Pooling({ poolH: 2, poolW: 2, stride: 2 })],
        ['Affine1', this.affines[0]],
        ['Relu2', new Relu()],
        ['Affine2', this.affines[1]],
      ],
      { dtype },
    );
  }

  private images(x: NDArray): NDArray {
    return asImages(x, this.config.inputDim, 'SimpleConvNet');
  }

  /** @param x (N, C, H, W) or (N, C·H·W). @returns scores before softmax, (N, outputSize). */
  predict(x: NDArray, train = false): NDArray {
    return this.net.predict(this.images(x), train);
  }

  /** Mean cross-entropy of the softmax of the scores against labels (N,) or one-hot t. */
  loss(x: NDArray, t: NDArray, train = false): number {
    return this.net.loss(this.images(x), t, train);
  }

  /**
   * Fraction of samples classified correctly, predicting batchSize at a time. Unlike the book's,
   * which drops the last N mod batchSize samples but still divides by N, every sample counts.
   */
  accuracy(x: NDArray, t: NDArray, batchSize = 100): number {
    return this.net.accuracy(this.images(x), t, batchSize);
  }

  /** Gradients by central differences (slow; for checking). @returns new arrays, keys of params. */
  numericalGradient(x: NDArray, t: NDArray): Params {
    return numericalGradients(() => this.loss(x, t), this.params);
  }

  /**
   * Gradients by backpropagation.
   * @returns W1, b1, W2, b2, W3, b3: the layers' grads, overwritten by the next call
   */
  gradient(x: NDArray, t: NDArray): Params {
    return this.lossAndGradient(x, t).grads;
  }

  /** gradient() and the loss of its forward pass. */
  lossAndGradient(x: NDArray, t: NDArray): LossAndGradient {
    const loss = this.net.loss(this.images(x), t, true);
    this.net.backwardParams();
    const [a1, a2] = this.affines;
    const grads = {
      W1: this.conv.grads.W,
      b1: this.conv.grads.b,
      W2: a1.grads.W,
      b2: a1.grads.b,
      W3: a2.grads.W,
      b3: a2.grads.b,
    };
    return { loss, grads };
  }

  /** Non-learned state to save with the parameters: none in this network. */
  buffers(): Params {
    return {};
  }
}
