// The CLI's network names and the options that build each network from command-line flags.
import type { FloatDType } from '../ndarray/dtype.js';
import type { WeightInitStd } from '../networks/init.js';
import { createNetwork, type NetworkKind, type SavableNetwork } from '../networks/registry.js';

/** `--net` names → network classes. */
export const NET_NAMES = {
  'two-layer': 'TwoLayerNet',
  'multi-layer': 'MultiLayerNet',
  'multi-layer-extend': 'MultiLayerNetExtend',
  'simple-convnet': 'SimpleConvNet',
  'deep-convnet': 'DeepConvNet',
} as const satisfies Record<string, NetworkKind>;

export type NetName = keyof typeof NET_NAMES;

/** What the command line says about the architecture. */
export interface NetFlags {
  net: NetName;
  hidden: number[];
  activation: 'relu' | 'sigmoid';
  weightInit?: WeightInitStd;
  weightDecay: number;
  dropout?: number;
  batchnorm: boolean;
  seed: number;
  dtype: FloatDType;
}

/** Whether the network takes (N, 1, 28, 28) images rather than flat (N, 784) vectors. */
export function wantsImages(net: NetName): boolean {
  return net === 'simple-convnet' || net === 'deep-convnet';
}

/**
 * Builds the network the flags describe. Dropout or batch normalization on a multi-layer network
 * selects MultiLayerNetExtend, as the book's chapter 6 experiments do.
 */
export function buildNetwork(
  f: NetFlags,
  inputSize = 784,
  imageDim: [number, number, number] = [1, 28, 28],
): SavableNetwork {
  const common = { seed: f.seed, dtype: f.dtype };
  let net: NetName = f.net;
  if (net === 'multi-layer' && (f.dropout !== undefined || f.batchnorm)) net = 'multi-layer-extend';
  const kind = NET_NAMES[net];
  switch (kind) {
    case 'TwoLayerNet':
      return createNetwork(kind, {
        inputSize,
        hiddenSize: f.hidden[0],
        outputSize: 10,
        activation: f.activation,
        ...(f.weightInit !== undefined && { weightInitStd: f.weightInit }),
        ...common,
      });
    case 'MultiLayerNet':
    case 'MultiLayerNetExtend':
      return createNetwork(kind, {
        inputSize,
        hiddenSizeList: f.hidden,
        outputSize: 10,
        activation: f.activation,
        weightDecayLambda: f.weightDecay,
        ...(f.weightInit !== undefined && { weightInitStd: f.weightInit }),
        ...(kind === 'MultiLayerNetExtend' && {
          useDropout: f.dropout !== undefined,
          dropoutRatio: f.dropout ?? 0.5,
          useBatchnorm: f.batchnorm,
        }),
        ...common,
      });
    case 'SimpleConvNet':
      return createNetwork(kind, {
        inputDim: imageDim,
        hiddenSize: f.hidden[0],
        outputSize: 10,
        ...(typeof f.weightInit === 'number' && { weightInitStd: f.weightInit }),
        ...common,
      });
    case 'DeepConvNet':
      return createNetwork(kind, { inputDim: imageDim, ...common });
  }
}
