// data: IDX files and MNIST. parseIdx/serializeIdx are pure; loadMnist and readIdxFile read files
// with node:fs.

export { parseIdx, serializeIdx } from './idx.js';
export { normalizeImages } from './images.js';
export {
  clearMnistCache,
  loadMnist,
  mnistDataDir,
  readIdxFile,
  type LoadMnistOptions,
  type MnistData,
} from './mnist.js';
