// Kernel backend selection: the reference kernels unless a faster backend is registered and chosen.
import { referenceKernels } from './reference.js';
import type { Kernels } from './types.js';

export type { ConvGeometry, Kernels, SparsePack } from './types.js';
export { convOutputSize } from './types.js';
export { referenceKernels } from './reference.js';
export { yieldToFinalizers } from './yield.js';

const registry = new Map<string, Kernels>([['reference', referenceKernels]]);
let active: Kernels = referenceKernels;

/** The kernels in use now. */
export function kernels(): Kernels {
  return active;
}

/** Makes a backend available under `name` (the wasm backend registers itself when loaded). */
export function registerBackend(name: string, k: Kernels): void {
  registry.set(name, k);
}

/** Chooses the backend by name; throws naming the known ones when `name` is not registered. */
export function setBackend(name: string): Kernels {
  const k = registry.get(name);
  if (!k) {
    throw new Error(
      `setBackend: expected one of ${[...registry.keys()].join(', ')}, got '${name}'`,
    );
  }
  active = k;
  return k;
}

/** Names of the registered backends. */
export function backends(): string[] {
  return [...registry.keys()];
}
