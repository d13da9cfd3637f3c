// Node's side of the wasm backend: worker threads through node:worker_threads, the core count,
// and relaxed SIMD for Node 20 (a V8 flag that can be set at run time). Kept out of src/ndarray so
// that the kernels run unchanged in browsers.
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import {
  initWasm,
  initWasmSync,
  relaxedSimdSupported,
  RELAXED_SIMD_FLAG,
  type SpawnWorker,
  type WasmInfo,
  type WasmOptions,
} from '../ndarray/kernels/wasm/index.js';

/**
 * Starts a worker thread running the pool's worker script. It is unref'd, so an idle pool never
 * keeps the process alive.
 */
export const spawnNodeWorker: SpawnWorker = (source, init, onError) => {
  const script = `${source}\nscratchnetWorker(require('node:worker_threads').workerData);\n`;
  const worker = new Worker(script, { eval: true, workerData: init });
  worker.on('error', onError);
  worker.unref();
  return { terminate: () => void worker.terminate() };
};

/**
 * Turns on relaxed SIMD (fused multiply-add) when the runtime has it behind RELAXED_SIMD_FLAG
 * (Node 20); returns whether it is available now. Node ≥ 22 has it on already.
 */
export function enableRelaxedSimd(): boolean {
  if (relaxedSimdSupported()) return true;
  try {
    setFlagsFromString(RELAXED_SIMD_FLAG);
  } catch {
    return false;
  }
  return relaxedSimdSupported();
}

/** The defaults for Node: every core, node:worker_threads, relaxed SIMD when V8 has it. */
function nodeOptions(o: WasmOptions): WasmOptions {
  if (o.relaxedSimd ?? true) enableRelaxedSimd();
  return { threads: availableParallelism(), spawnWorker: spawnNodeWorker, ...o };
}

/**
 * initWasm with Node's defaults (threads = available cores).
 * @example const info = await initWasmNode(); // info.name === 'wasm-relaxed-simd', info.threads === 2
 */
export function initWasmNode(o: WasmOptions = {}): Promise<WasmInfo> {
  return initWasm(nodeOptions(o));
}

/** initWasmSync with Node's defaults, for the CLI and scripts that cannot await. */
export function initWasmNodeSync(o: WasmOptions = {}): WasmInfo {
  return initWasmSync(nodeOptions(o));
}
