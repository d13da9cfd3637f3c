// io: NumPy .npy/.npz and safetensors, pure (bytes in and out; runs in browsers). File helpers
// that use node:fs live in ./node.js.

export { parseNpy, serializeNpy, type ParseNpyOptions } from './npy.js';
export { parseNpz, serializeNpz, type SerializeNpzOptions } from './npz.js';
export {
  parseSafetensors,
  serializeSafetensors,
  type ParseSafetensorsOptions,
  type Safetensors,
  type SafetensorsDType,
} from './safetensors.js';
