// scratchnet's public API: everything the book builds, under the book's names. This entry has no
// `node:` imports and runs in browsers; file access (MNIST, .npz, model files) is in `scratchnet/node`.
export * from './ndarray/index.js';
export * from './functions/index.js';
export * from './layers/index.js';
export { Convolution, type ConvolutionOptions } from './layers/convolution.js';
export { Pooling, type PoolingOptions } from './layers/pooling.js';
export { im2col, col2im } from './layers/im2col.js';
export * from './optimizers/index.js';
export * from './networks/index.js';
export * from './training/index.js';
export * from './io/index.js';
export { parseModel, serializeModel, type LoadedModel, type TrainingInfo } from './io/model.js';
export { parseIdx, serializeIdx } from './data/idx.js';
export { normalizeImages } from './data/images.js';
export * from './plot/index.js';
