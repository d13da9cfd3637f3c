// The plain-SIMD build of the wasm kernels (no relaxed FMA) over an unshared memory — what a
// browser page without cross-origin isolation gets: one thread, operands copied in and out.
import { beforeAll, describe, expect, it } from 'vitest';
import { referenceKernels } from '../../src/ndarray/kernels/reference.js';
import {
  initWasm,
  wasmHeap,
  wasmKernels,
  type WasmInfo,
} from '../../src/ndarray/kernels/wasm/index.js';
import { convSuite, fusedSuite, poolSuite, gemmSuite, randomArray, rng } from './suite.js';

let info: WasmInfo;
beforeAll(async () => {
  info = await initWasm({ relaxedSimd: false, sharedMemory: false, threads: 2, activate: false });
});

describe('plain SIMD over an unshared memory', () => {
  it('runs on one thread and keeps NDArray storage on the JavaScript heap', () => {
    expect(wasmKernels()!.name).toBe('wasm-simd');
    expect(info.sharedMemory).toBe(false);
    expect(info.maxThreads).toBe(1);
  });

  it('copies operands through a memory that grows during the call', () => {
    const next = rng(21);
    const heap = wasmHeap()!;
    const [M, N, K] = [2000, 5, 300];
    const before = heap.stats().memoryBytes;
    const A = randomArray(heap, 'float32', M * K, 'heap', next);
    const B = randomArray(heap, 'float32', K * N, 'heap', next);
    const C = new Float32Array(M * N);
    const expected = new Float32Array(M * N);
    referenceKernels.gemm(false, false, M, N, K, A, B, expected, false);
    wasmKernels()!.gemm(false, false, M, N, K, A, B, C, false);
    expect(heap.stats().memoryBytes).toBeGreaterThan(before);
    let err = 0;
    for (let i = 0; i < C.length; i++) err = Math.max(err, Math.abs(C[i] - expected[i]));
    expect(err).toBeLessThan(1e-4);
  });

  gemmSuite(
    () => wasmKernels()!,
    () => wasmHeap()!,
  );
  convSuite(
    () => wasmKernels()!,
    () => wasmHeap()!,
  );
  fusedSuite(
    () => wasmKernels()!,
    () => wasmHeap()!,
  );
  poolSuite(
    () => wasmKernels()!,
    () => wasmHeap()!,
  );
});
