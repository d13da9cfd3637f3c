// The layers module: the book's layers with forward/backward (chapters 5–6, common/layers.py).
export type { Layer, ParamLayer } from './types.js';
export { hasParams } from './types.js';
export { MulLayer, AddLayer } from './layerNaive.js';
export { Relu } from './relu.js';
export { Sigmoid } from './sigmoid.js';
export { Affine, type AffineOptions } from './affine.js';
export { SoftmaxWithLoss } from './softmaxWithLoss.js';
export { Dropout, type DropoutOptions } from './dropout.js';
export {
  BatchNormalization,
  BATCH_NORM_EPSILON,
  type BatchNormalizationOptions,
} from './batchNormalization.js';
export { Sequential, type SequentialOptions } from './sequential.js';
export { dims2, dims4 } from './check.js';
