// The network classes by name: re-creates a network from the `kind` and `config` stored in a model
// file, and maps the CLI's `--net` names to classes.
import { DeepConvNet, type DeepConvNetOptions } from './deepConvNet.js';
import { MultiLayerNet, type MultiLayerNetOptions } from './multiLayerNet.js';
import { MultiLayerNetExtend, type MultiLayerNetExtendOptions } from './multiLayerNetExtend.js';
import { SimpleConvNet, type SimpleConvNetOptions } from './simpleConvNet.js';
import { TwoLayerNet, type TwoLayerNetOptions } from './twoLayerNet.js';
import type { Network, Params } from './types.js';

/** A network that can be saved: its class name, its JSON-able options and its non-learned state. */
export interface SavableNetwork extends Network {
  readonly kind: NetworkKind;
  readonly config: object;
  /** Arrays that are state but not parameters (BatchNormalization's running mean and variance). */
  buffers(): Params;
}

/** Options of each network class, by class name. */
export interface NetworkOptionsByKind {
  TwoLayerNet: TwoLayerNetOptions;
  MultiLayerNet: MultiLayerNetOptions;
  MultiLayerNetExtend: MultiLayerNetExtendOptions;
  SimpleConvNet: SimpleConvNetOptions;
  DeepConvNet: DeepConvNetOptions;
}

export type NetworkKind = keyof NetworkOptionsByKind;

const FACTORIES: { [K in NetworkKind]: (options: NetworkOptionsByKind[K]) => SavableNetwork } = {
  TwoLayerNet: (o) => new TwoLayerNet(o),
  MultiLayerNet: (o) => new MultiLayerNet(o),
  MultiLayerNetExtend: (o) => new MultiLayerNetExtend(o),
  SimpleConvNet: (o) => new SimpleConvNet(o),
  DeepConvNet: (o) => new DeepConvNet(o),
};

/** The class names `createNetwork` knows. */
export const NETWORK_KINDS = Object.keys(FACTORIES) as NetworkKind[];

/** Whether `kind` names a network class. */
export function isNetworkKind(kind: string): kind is NetworkKind {
  return Object.prototype.hasOwnProperty.call(FACTORIES, kind);
}

/** Builds a network of class `kind` from its options (e.g. the `config` read from a model file). */
export function createNetwork<K extends NetworkKind>(
  kind: K,
  options: NetworkOptionsByKind[K],
): SavableNetwork;
export function createNetwork(kind: string, options: object): SavableNetwork;
export function createNetwork(kind: string, options: object): SavableNetwork {
  if (!isNetworkKind(kind)) {
    throw new Error(`createNetwork: expected one of ${NETWORK_KINDS.join(', ')}, got '${kind}'`);
  }
  return (FACTORIES[kind] as (o: object) => SavableNetwork)(options);
}
