// Model files: a network's parameters (and BatchNormalization's running statistics) as safetensors
// tensors, with the class, its options and the training settings as JSON in the metadata — so any
// safetensors reader gets the tensors, and scratchnet re-creates the right network without being told.
import type { NDArray } from '../ndarray/ndarray.js';
import { formatShape } from '../ndarray/shape.js';
import {
  createNetwork,
  isNetworkKind,
  NETWORK_KINDS,
  type SavableNetwork,
} from '../networks/registry.js';
import { parseSafetensors, serializeSafetensors } from './safetensors.js';

/** The value of `__metadata__.format` in scratchnet model files. */
export const MODEL_FORMAT = 'scratchnet';
export const MODEL_FORMAT_VERSION = '1';

/** Free-form JSON about how a model was trained (optimizer, epochs, accuracy…). */
export type TrainingInfo = Record<string, unknown>;

/** A network read from a model file, with the training information saved beside it. */
export interface LoadedModel {
  network: SavableNetwork;
  training: TrainingInfo;
}

/** The tensors a network saves: its parameters and its buffers, by name. */
function stateOf(net: SavableNetwork, where: string): Record<string, NDArray> {
  const state: Record<string, NDArray> = { ...net.params };
  for (const [k, v] of Object.entries(net.buffers())) {
    if (k in state)
      throw new Error(`${where}: expected distinct parameter and buffer names, got '${k}' twice`);
    state[k] = v;
  }
  return state;
}

/** The bytes of a model file for `net` (safetensors; the architecture in `__metadata__`). */
export function serializeModel(net: SavableNetwork, training: TrainingInfo = {}): Uint8Array {
  return serializeSafetensors(stateOf(net, 'serializeModel'), {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    kind: net.kind,
    config: JSON.stringify(net.config),
    training: JSON.stringify(training),
  });
}

function parseJson(text: string | undefined, where: string, key: string): unknown {
  if (text === undefined) throw new Error(`${where}: expected __metadata__.${key}, got none`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(
      `${where}: expected JSON in __metadata__.${key}, got ${JSON.stringify(text.slice(0, 40))}`,
      {
        cause: e,
      },
    );
  }
}

/**
 * Reads a model file: validates the container, re-creates the network class from its metadata and
 * loads every tensor. All mismatches are collected into one error before any value is copied, so a
 * bad file never yields a half-loaded network.
 * @param name the file name used in error messages
 */
export function parseModel(bytes: Uint8Array, name = 'model'): LoadedModel {
  const where = `model '${name}'`;
  const { tensors, metadata } = parseSafetensors(bytes, { name });
  if (metadata.format !== MODEL_FORMAT) {
    throw new Error(
      `${where}: expected __metadata__.format '${MODEL_FORMAT}' (a scratchnet model file), got ${metadata.format === undefined ? 'none' : `'${metadata.format}'`}`,
    );
  }
  const kind = metadata.kind ?? '';
  if (!isNetworkKind(kind)) {
    throw new Error(
      `${where}: expected __metadata__.kind to be one of ${NETWORK_KINDS.join(', ')}, got '${kind}'`,
    );
  }
  const config = parseJson(metadata.config, where, 'config');
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new Error(
      `${where}: expected __metadata__.config to be a JSON object, got ${metadata.config}`,
    );
  }
  const training =
    metadata.training === undefined ? {} : parseJson(metadata.training, where, 'training');
  let network: SavableNetwork;
  try {
    network = createNetwork(kind, config);
  } catch (e) {
    throw new Error(`${where}: its config does not build a ${kind}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const state = stateOf(network, where);
  const problems: string[] = [];
  for (const [key, target] of Object.entries(state)) {
    const found = tensors[key];
    if (!found) problems.push(`missing tensor '${key}' ${formatShape(target.shape)}`);
    else if (
      found.shape.length !== target.shape.length ||
      found.shape.some((d, i) => d !== target.shape[i])
    ) {
      problems.push(
        `tensor '${key}': expected shape ${formatShape(target.shape)}, got ${formatShape(found.shape)}`,
      );
    } else if (!found.isFloat) {
      problems.push(`tensor '${key}': expected a float tensor, got ${found.dtype}`);
    }
  }
  for (const key of Object.keys(tensors))
    if (!(key in state)) problems.push(`unexpected tensor '${key}'`);
  if (problems.length > 0) {
    throw new Error(
      `${where}: tensors do not match the ${kind} architecture: ${problems.join('; ')}`,
    );
  }
  for (const [key, target] of Object.entries(state)) target.assign(tensors[key]);
  return { network, training: training as TrainingInfo };
}
