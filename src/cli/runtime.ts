// The kernels a command runs on: the WebAssembly SIMD backend on every core unless
// `--backend reference` (or SCRATCHNET_BACKEND=reference) asks for the plain TypeScript kernels.
import { setBackend } from '../ndarray/kernels/index.js';
import { backendFromEnv } from '../ndarray/kernels/wasm/index.js';
import { initWasmNode } from '../node/threads.js';

export type BackendName = 'reference' | 'wasm';

export interface RuntimeFlags {
  backend?: BackendName;
  threads?: number;
}

/** Sets up the chosen backend; returns a short description for the command's first line. */
export async function setupRuntime(flags: RuntimeFlags): Promise<string> {
  const choice = flags.backend ?? backendFromEnv() ?? 'wasm';
  if (choice === 'reference') {
    setBackend('reference');
    return 'reference kernels';
  }
  const info = await initWasmNode({
    activate: true,
    ...(flags.threads !== undefined && { threads: flags.threads }),
  });
  return `${info.name}, ${info.threads} thread${info.threads === 1 ? '' : 's'}`;
}
