// The networks module: the book's networks from the perceptron to DeepConvNet (chapters 2–8).
export type { LossAndGradient, Network, Params } from './types.js';
export { AND, NAND, OR, XOR } from './perceptron.js';
export * as ch03 from './ch03.js';
export { initNetwork, forward, type ThreeLayerNetwork } from './ch03.js';
export { SimpleNet } from './simpleNet.js';
export { TwoLayerNet, type TwoLayerNetOptions, type TwoLayerNetConfig } from './twoLayerNet.js';
export {
  MultiLayerNet,
  type MultiLayerNetOptions,
  type MultiLayerNetConfig,
} from './multiLayerNet.js';
export {
  MultiLayerNetExtend,
  type MultiLayerNetExtendOptions,
  type MultiLayerNetExtendConfig,
} from './multiLayerNetExtend.js';
export {
  SimpleConvNet,
  type SimpleConvNetOptions,
  type SimpleConvNetConfig,
} from './simpleConvNet.js';
export { DeepConvNet, type DeepConvNetOptions, type DeepConvNetConfig } from './deepConvNet.js';
export { weightInitScale, type WeightInitStd, type NetworkCommonOptions } from './init.js';
export { importParams } from './importParams.js';
export { toFloat16, roundFloat16, FLOAT16_MAX } from './float16.js';
export {
  createNetwork,
  isNetworkKind,
  NETWORK_KINDS,
  type NetworkKind,
  type NetworkOptionsByKind,
  type SavableNetwork,
} from './registry.js';
