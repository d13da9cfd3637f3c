// Start-up of the wasm backend: compile the kernel module (relaxed SIMD when the runtime accepts
// it), create the shared memory and its heap, start the worker threads, register the backend as
// 'wasm' and place NDArray storage in wasm memory. No `node:` imports: Node's worker spawning is
// injected (src/node/threads.ts), so this file runs unchanged in browsers.
import { setAllocator, type Allocator } from '../../dtype.js';
import { registerBackend, setBackend, kernels } from '../index.js';
import {
  RELAXED_SIMD_UNSHARED_WASM_BASE64,
  RELAXED_SIMD_WASM_BASE64,
  SIMD_UNSHARED_WASM_BASE64,
  SIMD_WASM_BASE64,
} from './binary.js';
import { WasmKernels, type KernelExports } from './backend.js';
import { WasmHeap, type WasmHeapStats } from './memory.js';
import { CTRL_BYTES, TASKS, ThreadPool, webWorkerSpawner, type SpawnWorker } from './pool.js';

export type { SpawnWorker, WorkerHandle, WorkerInit } from './pool.js';
export type { WasmHeapStats } from './memory.js';

/** The V8 flag that enables relaxed SIMD in Node 20 (on by default from Node 22). */
export const RELAXED_SIMD_FLAG = '--experimental-wasm-relaxed-simd';

/** Options of initWasm / initWasmSync. */
export interface WasmOptions {
  /**
   * Threads the kernels use, the calling thread included. Default: `navigator.hardwareConcurrency`
   * where a worker can be spawned, else 1. Results do not depend on it.
   */
  threads?: number;
  /** How to start a worker. Default: Web Workers where `Worker` exists; Node passes `spawnNodeWorker`. */
  spawnWorker?: SpawnWorker;
  /** Use relaxed-SIMD fused multiply-add when the runtime accepts it. Default true. */
  relaxedSimd?: boolean;
  /** Use a shared memory (threads, NDArray storage in wasm memory) where possible. Default true. */
  sharedMemory?: boolean;
  /** Upper bound of the WebAssembly memory in MiB (at most 4096). Default 1024. */
  maxMemoryMB?: number;
  /** Place float32/float64/int32 NDArray storage in wasm memory (no copy per kernel call). Default true. */
  useAllocator?: boolean;
  /** Make 'wasm' the active backend. Default: true unless SCRATCHNET_BACKEND=reference. */
  activate?: boolean;
  /**
   * Microseconds a waiting thread spins before it sleeps in Atomics.wait. Default 2000: a worker
   * stays awake between the kernel calls of a training step, and the caller between its share and
   * the workers' end.
   */
  spinMicros?: number;
}

/** What initWasm set up. */
export interface WasmInfo {
  /** 'wasm-relaxed-simd' or 'wasm-simd'. */
  name: string;
  relaxedSimd: boolean;
  /**
   * Whether the memory is shared. Without it (a browser page that is not cross-origin isolated)
   * there is one thread and NDArray storage stays on the JavaScript heap (operands are copied).
   */
  sharedMemory: boolean;
  /** Threads in use now, and the most setWasmThreads accepts. */
  threads: number;
  maxThreads: number;
  /** Kernel tasks run by worker threads so far, and errors of workers that failed (then the
   *  calling thread does their share). */
  workerTasks: number;
  workerErrors: string[];
  memory: WasmHeapStats;
}

interface State {
  kernels: WasmKernels;
  heap: WasmHeap;
  /** Worker threads; none over an unshared memory. */
  pool: ThreadPool | undefined;
  relaxed: boolean;
  shared: boolean;
  work: number[];
  exports: KernelExports;
  previousAllocator: Allocator | undefined;
}

let state: State | undefined;

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const s = atob(base64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

let relaxedBytes: Uint8Array<ArrayBuffer> | undefined;

/** Whether this runtime accepts relaxed SIMD now (Node 20: only with RELAXED_SIMD_FLAG). */
export function relaxedSimdSupported(): boolean {
  relaxedBytes ??= decode(RELAXED_SIMD_WASM_BASE64);
  return WebAssembly.validate(relaxedBytes);
}

/** `SCRATCHNET_BACKEND` from the environment, read without importing node:process. */
export function backendFromEnv(): 'reference' | 'wasm' | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const v = env?.SCRATCHNET_BACKEND;
  if (v === undefined || v === '') return undefined;
  if (v !== 'reference' && v !== 'wasm') {
    throw new Error(`SCRATCHNET_BACKEND: expected 'reference' or 'wasm', got '${v}'`);
  }
  return v;
}

function defaultThreads(spawn: SpawnWorker | undefined): number {
  if (!spawn) return 1;
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  return typeof n === 'number' && n >= 1 ? n : 1;
}

/** Compiles the module and sets up memory, heap and kernels; the pool has no workers yet. */
/**
 * Whether a shared WebAssembly.Memory can be made here: browsers allow it only on cross-origin
 * isolated pages (served with COOP/COEP headers).
 */
export function sharedMemorySupported(): boolean {
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return false;
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

/** Compiles the module and sets up memory, heap and kernels; the pool has no workers yet. */
function setUp(o: WasmOptions): State {
  const relaxed = (o.relaxedSimd ?? true) && relaxedSimdSupported();
  const shared = (o.sharedMemory ?? true) && sharedMemorySupported();
  const base64 = shared
    ? relaxed
      ? RELAXED_SIMD_WASM_BASE64
      : SIMD_WASM_BASE64
    : relaxed
      ? RELAXED_SIMD_UNSHARED_WASM_BASE64
      : SIMD_UNSHARED_WASM_BASE64;
  const module = new WebAssembly.Module(decode(base64));
  const maxMB = Math.min(4096, Math.max(16, o.maxMemoryMB ?? 1024));
  const memory = new WebAssembly.Memory({ initial: 32, maximum: maxMB * 16, shared });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const exports = instance.exports as unknown as KernelExports;
  const heap = new WasmHeap(memory, exports.heapBase());
  heap.arrayLimit = maxMB * 1024 * 1024 * 0.75;
  heap.zeroFill = exports.zeroFill;
  let pool: ThreadPool | undefined;
  if (shared) {
    const ctrlPtr = heap.alloc(CTRL_BYTES);
    new Int32Array(memory.buffer, ctrlPtr, CTRL_BYTES / 4).fill(0);
    const local = Object.fromEntries(TASKS.map((t) => [t, exports[t]])) as ConstructorParameters<
      typeof ThreadPool
    >[1];
    const init = { module, memory, ctrlPtr, tasks: TASKS, spinMicros: o.spinMicros ?? 2000 };
    pool = new ThreadPool(init, local);
  }
  const work: number[] = [];
  const kernels = new WasmKernels({ exports, heap, pool, work, relaxed });
  return { kernels, heap, pool, relaxed, shared, work, exports, previousAllocator: undefined };
}

function workFor(s: State, threads: number): void {
  while (s.work.length < threads) {
    const ptr = s.heap.alloc(s.exports.gemmWorkBytes());
    if (ptr < 0)
      throw new RangeError('initWasm: expected memory for the GEMM workspace, got a full heap');
    s.work.push(ptr);
  }
}

function finish(s: State, o: WasmOptions, threads: number): WasmInfo {
  s.kernels.threads = threads;
  registerBackend('wasm', s.kernels);
  const activate = o.activate ?? backendFromEnv() !== 'reference';
  if (activate) {
    setBackend('wasm');
    // An unshared memory detaches its views when it grows: NDArray storage cannot live there.
    if ((o.useAllocator ?? true) && s.shared && !s.previousAllocator) {
      s.previousAllocator = setAllocator(s.heap.allocator());
    }
  }
  return wasmInfo()!;
}

function prepare(o: WasmOptions): { s: State; threads: number; spawn: SpawnWorker | undefined } {
  const spawn = o.spawnWorker ?? webWorkerSpawner();
  state ??= setUp(o);
  // Over an unshared memory there are no threads; the kernels still run, on the calling thread.
  const threads = state.shared ? Math.max(1, Math.floor(o.threads ?? defaultThreads(spawn))) : 1;
  if (threads > 1 && !spawn) {
    throw new Error(
      'initWasm: expected a spawnWorker option for threads > 1 (Node: src/node/threads.ts), got none',
    );
  }
  workFor(state, threads);
  return { s: state, threads, spawn };
}

/**
 * Starts the wasm backend and makes it the active one (unless SCRATCHNET_BACKEND=reference or
 * `activate: false`). Calling it again reuses the module and memory and only adds threads.
 * @example await initWasm({ threads: 2, spawnWorker: spawnNodeWorker })
 */
export async function initWasm(o: WasmOptions = {}): Promise<WasmInfo> {
  const { s, threads, spawn } = prepare(o);
  if (s.pool && threads - 1 > s.pool.size) await s.pool.grow(threads - 1, spawn!);
  return finish(s, o, threads);
}

/**
 * initWasm without a promise, for scripts and the CLI. Workers need a thread that may block while
 * they start: fine in Node and in a browser worker, not on a browser's main thread.
 */
export function initWasmSync(o: WasmOptions = {}): WasmInfo {
  const { s, threads, spawn } = prepare(o);
  if (s.pool && threads - 1 > s.pool.size) s.pool.growSync(threads - 1, spawn!);
  return finish(s, o, threads);
}

export { yieldToFinalizers } from '../yield.js';

/** Sets how many threads the wasm kernels use (1 .. the threads initWasm started). */
export function setWasmThreads(n: number): void {
  if (!state) throw new Error('setWasmThreads: expected initWasm() first, got no wasm backend');
  state.kernels.threads = n;
}

/** The wasm backend's state, or undefined before initWasm. */
export function wasmInfo(): WasmInfo | undefined {
  if (!state) return undefined;
  return {
    name: state.kernels.name,
    relaxedSimd: state.relaxed,
    sharedMemory: state.shared,
    threads: state.kernels.threads,
    maxThreads: (state.pool?.size ?? 0) + 1,
    ...(state.pool?.stats() ?? { workerTasks: 0, workerErrors: [] }),
    memory: state.heap.stats(),
  };
}

/** The wasm kernels (registered as 'wasm'), or undefined before initWasm. */
export function wasmKernels(): WasmKernels | undefined {
  return state?.kernels;
}

/** The heap behind the wasm allocator, or undefined before initWasm (for tests and benchmarks). */
export function wasmHeap(): WasmHeap | undefined {
  return state?.heap;
}

/**
 * Stops the workers and goes back to the reference kernels and the JavaScript heap. Arrays
 * already in wasm memory stay valid; the backend stays registered and initWasm may start it again.
 */
export function shutdownWasm(): void {
  if (!state) return;
  state.pool?.terminate();
  state.kernels.threads = 1;
  if (kernels() === state.kernels) setBackend('reference');
  if (state.previousAllocator) {
    setAllocator(state.previousAllocator);
    state.previousAllocator = undefined;
  }
}
