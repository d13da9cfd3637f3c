// The wasm kernels (relaxed SIMD where V8 has it, 2 threads) against the reference kernels; thread
// count independence; the wasm allocator; backend selection.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocate, setAllocator, heapAllocator } from '../../src/ndarray/dtype.js';
import {
  backends,
  convOutputSize,
  kernels,
  type ConvGeometry,
} from '../../src/ndarray/kernels/index.js';
import {
  backendFromEnv,
  setWasmThreads,
  shutdownWasm,
  wasmHeap,
  wasmInfo,
  wasmKernels,
  yieldToFinalizers,
  type WasmInfo,
} from '../../src/ndarray/kernels/wasm/index.js';
import { sizeClass } from '../../src/ndarray/kernels/wasm/memory.js';
import { initWasmNode } from '../../src/node/threads.js';
import {
  convSuite,
  fusedSuite,
  poolSuite,
  gemmSuite,
  randomArray,
  rng,
  packContents,
  sparseArray,
  SPARSE_SHAPES,
  type Float,
} from './suite.js';

let info: WasmInfo;
beforeAll(async () => {
  info = await initWasmNode({ threads: 2, activate: true });
});
afterAll(() => {
  shutdownWasm();
});

const getKernels = () => wasmKernels()!;
const getHeap = () => wasmHeap()!;

describe('initWasm', () => {
  it('registers and activates the wasm backend with 2 threads', () => {
    expect(backends()).toContain('wasm');
    expect(kernels()).toBe(wasmKernels());
    expect(info.maxThreads).toBe(2);
    expect(info.name).toMatch(/^wasm-(relaxed-)?simd$/);
  });
});

describe('threads = 1', () => {
  beforeAll(() => setWasmThreads(1));
  gemmSuite(getKernels, getHeap);
  poolSuite(getKernels, getHeap);
});

describe('threads = 2', () => {
  beforeAll(() => setWasmThreads(2));
  gemmSuite(getKernels, getHeap);
  convSuite(getKernels, getHeap);
  fusedSuite(getKernels, getHeap);
  poolSuite(getKernels, getHeap);
});

/** Runs `f` on 1 and on 2 threads and returns both outputs. */
function onBothThreadCounts<T>(f: () => T): [T, T] {
  setWasmThreads(1);
  const one = f();
  setWasmThreads(2);
  const two = f();
  return [one, two];
}

describe('results do not depend on the thread count', () => {
  // Large enough to be split between threads: by rows (M ≥ N) and by columns (M < N).
  const shapes: [number, number, number][] = [
    [203, 67, 130],
    [37, 1001, 40],
    [1030, 9, 300],
  ];
  for (const dtype of ['float32', 'float64'] as Float[]) {
    it(`gemm ${dtype}, bit for bit`, () => {
      const next = rng(11);
      for (const [M, N, K] of shapes) {
        for (const [transA, transB, acc] of [
          [false, false, false],
          [true, false, true],
          [false, true, false],
          [true, true, true],
        ]) {
          const A = randomArray(getHeap(), dtype, M * K, 'wasm', next);
          const B = randomArray(getHeap(), dtype, K * N, 'wasm', next);
          const C0 = randomArray(getHeap(), dtype, M * N, 'heap', next);
          const [one, two] = onBothThreadCounts(() => {
            const C = C0.slice();
            getKernels().gemm(transA, transB, M, N, K, A, B, C, acc);
            return C;
          });
          expect(
            two.every((v, i) => Object.is(v, one[i])),
            `${M}×${N}×${K}`,
          ).toBe(true);
        }
      }
    });

    if (dtype === 'float32') {
      it('the sparse gemm (mostly-zero A), bit for bit', () => {
        const next = rng(13);
        const k = getKernels();
        const before = k.sparseGemms;
        for (const [M, N, K] of SPARSE_SHAPES) {
          for (const transA of [false, true]) {
            const A = sparseArray(getHeap(), M, K, transA, next);
            const B = randomArray(getHeap(), dtype, K * N, 'wasm', next);
            const [one, two] = onBothThreadCounts(() => {
              const C = new Float32Array(M * N);
              k.gemm(transA, false, M, N, K, A, B, C, false);
              return C;
            });
            expect(
              two.every((v, i) => Object.is(v, one[i])),
              `${M}×${N}×${K} transA=${transA}`,
            ).toBe(true);
          }
        }
        expect(k.sparseGemms - before).toBe(4 * SPARSE_SHAPES.length);
      });
    }

    if (dtype === 'float32') {
      it('a batch gather and its sparse pack, split by rows between threads, byte for byte', () => {
        const next = rng(14);
        const k = getKernels();
        const heap = getHeap();
        // 300 MNIST-like rows; a batch of 101 (an odd count: unequal shares), 0.3 MB: split
        const [n, K, N, B] = [300, 784, 50, 101];
        const src = sparseArray(heap, n, K, false, next);
        const pixels = heap.allocArray(Uint8Array, n * K)!;
        for (let i = 0; i < pixels.length; i++) pixels[i] = src[i] === 0 ? 0 : 1 + (i % 255);
        const rows = Int32Array.from({ length: B }, () => Math.floor(next() * n));
        const [one, two] = onBothThreadCounts(() => {
          const x = heap.allocArray(Float32Array, B * K)!;
          k.takeRows(src, rows, K, x);
          const bytes = heap.allocArray(Uint8Array, B * K)!;
          k.takeRows(pixels, rows, K, bytes);
          const used = packContents(k.packSparseA(x, B, K, N)!);
          return { x: Array.from(x), bytes: Array.from(bytes), used };
        });
        expect(two.x).toEqual(one.x);
        expect(two.bytes).toEqual(one.bytes);
        expect(two.used).toEqual(one.used);
        // the gathers are the rows asked for
        expect(one.x.slice(K * 7, K * 8)).toEqual(
          Array.from(src.subarray(rows[7] * K, (rows[7] + 1) * K)),
        );
        expect(one.bytes.slice(-K)).toEqual(
          Array.from(pixels.subarray(rows[B - 1] * K, (rows[B - 1] + 1) * K)),
        );
        expect(one.used.length).toBeGreaterThan(B * 50); // mostly zeros, but not all
      });
    }

    it(`im2col, col2im, max pooling ${dtype}, bit for bit`, () => {
      const next = rng(12);
      const g: ConvGeometry = { N: 20, C: 3, H: 17, W: 15, FH: 3, FW: 3, stride: 1, pad: 1 };
      const x = randomArray(getHeap(), dtype, g.N * g.C * g.H * g.W, 'wasm', next);
      const colLength = g.N * g.H * g.W * g.C * 9;
      const col = randomArray(getHeap(), dtype, colLength, 'wasm', next);
      const [one, two] = onBothThreadCounts(() => {
        const k = getKernels();
        const c = new (x.constructor as Float64ArrayConstructor)(colLength);
        k.im2col(x, g, c);
        const dx = new (x.constructor as Float64ArrayConstructor)(x.length);
        k.col2im(col, g, dx);
        const out = new (x.constructor as Float64ArrayConstructor)(x.length);
        const arg = new Int32Array(x.length);
        k.maxPoolForward(x, g, out, arg);
        return [c, dx, out, arg].map((a) => Array.from(a));
      });
      expect(two).toEqual(one);
    });
  }
});

describe('fused kernels: results do not depend on the thread count', () => {
  for (const dtype of ['float32', 'float64'] as Float[]) {
    // Large enough to be split: 40 images of 20×20, 8 filters of 3×3 over 3 channels (the direct
    // path); 24 images of 12×10 with 8 channels, pad 1 and pad 2 (float32: the Winograd path);
    // 48 images of 14×14 (Winograd dW in two groups per chunk).
    const cases: [ConvGeometry, number][] = [
      [{ N: 40, C: 3, H: 20, W: 20, FH: 3, FW: 3, stride: 1, pad: 1 }, 8],
      [{ N: 24, C: 8, H: 12, W: 10, FH: 3, FW: 3, stride: 1, pad: 1 }, 16],
      [{ N: 24, C: 12, H: 9, W: 9, FH: 3, FW: 3, stride: 1, pad: 2 }, 12],
      [{ N: 48, C: 8, H: 14, W: 14, FH: 3, FW: 3, stride: 1, pad: 1 }, 8],
    ];
    for (const [g, FN] of cases) {
      it(`convForward, convBackward, relu ${dtype}, C=${g.C} pad ${g.pad}, bit for bit`, () => {
        const next = rng(14);
        const K = g.C * g.FH * g.FW;
        const P =
          convOutputSize(g.H, g.FH, g.stride, g.pad) * convOutputSize(g.W, g.FW, g.stride, g.pad);
        const x = randomArray(getHeap(), dtype, g.N * g.C * g.H * g.W, 'wasm', next);
        const W = randomArray(getHeap(), dtype, FN * K, 'wasm', next);
        const b = randomArray(getHeap(), dtype, FN, 'wasm', next);
        const dout = randomArray(getHeap(), dtype, g.N * FN * P, 'wasm', next);
        const make = (n: number) => allocate(dtype, n);
        const [one, two] = onBothThreadCounts(() => {
          const k = getKernels();
          const out = make(g.N * FN * P);
          k.convForward(x, W, b, g, FN, out);
          const [dW, db, dx] = [make(FN * K), make(FN), make(x.length)];
          k.convBackward(x, dout, W, g, FN, dW, db, dx);
          const r = make(1 << 19);
          k.reluForward(randomArray(getHeap(), dtype, 1 << 19, 'wasm', rng(15)), r);
          return [out, dW, db, dx, r].map((a) => Array.from(a));
        });
        expect(two).toEqual(one);
      });
    }
  }
});

describe('the worker pool', () => {
  it('survives many dispatches in a row with the same result each time', () => {
    setWasmThreads(2);
    const next = rng(13);
    const [M, N, K] = [64, 64, 128]; // 2^19 multiply-adds: split between the threads
    const A = randomArray(getHeap(), 'float32', M * K, 'wasm', next);
    const B = randomArray(getHeap(), 'float32', K * N, 'wasm', next);
    const first = new Float32Array(M * N);
    getKernels().gemm(false, true, M, N, K, A, B, first, false);
    const C = new Float32Array(M * N);
    const before = wasmInfo()!.workerTasks;
    for (let i = 0; i < 300; i++) {
      C.fill(NaN);
      getKernels().gemm(false, true, M, N, K, A, B, C, false);
      if (!C.every((v, j) => v === first[j])) throw new Error(`dispatch ${i}: result changed`);
    }
    expect(wasmInfo()!.workerErrors).toEqual([]);
    expect(wasmInfo()!.workerTasks).toBeGreaterThan(before); // the worker did take part
  });
});

describe('the wasm allocator', () => {
  it('places float32, float64, int32 and uint8 storage in wasm memory, zeroed', () => {
    for (const dtype of ['float32', 'float64', 'int32', 'uint8'] as const) {
      const a = allocate(dtype, 1000);
      expect(getHeap().contains(a)).toBe(true);
      expect(a.every((v) => v === 0)).toBe(true);
    }
    // bool masks stay on the JavaScript heap: no kernel reads them
    expect(getHeap().contains(allocate('bool', 1000))).toBe(false);
    expect(getHeap().contains(allocate('float32', 3))).toBe(false); // tiny arrays stay on the JS heap
  });

  it('keeps views valid when the memory grows', () => {
    const a = allocate('float32', 1000);
    a.set([1, 2, 3]);
    const before = getHeap().stats().memoryBytes;
    console.log('BEFORE', before, JSON.stringify(getHeap().stats()));
    // more than the whole memory, so it must grow; little more, so that earlier tests' arrays
    // cannot push it past the arrays' share of the maximum (3/4 of 1 GiB)
    const big = allocate('float32', Math.ceil((before / 4) * 1.05));
    expect(getHeap().stats().memoryBytes).toBeGreaterThan(before);
    expect(getHeap().contains(big)).toBe(true);
    expect(Array.from(a.subarray(0, 4))).toEqual([1, 2, 3, 0]);
    big[big.length - 1] = 5;
    // A kernel still reads and writes the old view in place.
    const c = allocate('float32', 1000);
    getKernels().gemm(false, false, 1, 1, 3, a, new Float32Array([1, 1, 1]), c, false);
    expect(c[0]).toBe(6);
    expect(getHeap().contains(a) && getHeap().contains(c)).toBe(true);
  });

  it('reuses the memory of arrays that were garbage-collected', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const n = 12345;
    const seen = new Set<number>();
    for (let attempt = 0; attempt < 20; attempt++) {
      {
        const a = allocate('float64', n);
        if (seen.has(a.byteOffset)) {
          expect(a.every((v) => v === 0)).toBe(true); // a reused block is cleared
          return;
        }
        seen.add(a.byteOffset);
        a.fill(1);
      }
      gc();
      await new Promise((resolve) => setTimeout(resolve, 5)); // finalizers run between tasks
    }
    throw new Error('expected a freed block to be reused, got fresh memory 20 times');
  });

  it('stays flat over a loop that drops its arrays and awaits between iterations', async () => {
    const start = getHeap().stats().memoryBytes;
    const perIteration = 4 << 20;
    const iterations = 100;
    for (let i = 0; i < iterations; i++) {
      for (const n of [1 << 19, 1 << 18, 1 << 18]) allocate('float32', n).fill(1); // 4 MiB, dropped
      await yieldToFinalizers();
    }
    // Without reuse the memory would grow by 400 MiB; V8 collects every ~32 MiB handed out.
    expect(getHeap().stats().memoryBytes - start).toBeLessThan((perIteration * iterations) / 2);
  });

  it('falls back to the JavaScript heap when the memory is full', () => {
    const heap = getHeap();
    const before = heap.stats().fallbacks;
    const huge = heap.allocator().allocate('float32', 2 ** 30); // 4 GiB: more than the maximum
    expect(heap.contains(huge)).toBe(false);
    expect(heap.stats().fallbacks).toBe(before + 1);
  });

  it('rounds sizes to classes of at most 12.5 % waste', () => {
    expect(sizeClass(1)).toBe(64);
    expect(sizeClass(65)).toBe(128);
    expect(sizeClass(1024)).toBe(1024);
    for (const bytes of [1025, 4000, 4096, 4097, 100_000, 31_360_000]) {
      const s = sizeClass(bytes);
      expect(s).toBeGreaterThanOrEqual(bytes);
      expect(s).toBeLessThanOrEqual(bytes * 1.125);
      expect(s % 64).toBe(0);
    }
  });
});

describe('SCRATCHNET_BACKEND', () => {
  it('reads reference|wasm and rejects anything else', () => {
    const env = process.env;
    const saved = env.SCRATCHNET_BACKEND;
    try {
      env.SCRATCHNET_BACKEND = 'reference';
      expect(backendFromEnv()).toBe('reference');
      env.SCRATCHNET_BACKEND = 'wasm';
      expect(backendFromEnv()).toBe('wasm');
      delete env.SCRATCHNET_BACKEND;
      expect(backendFromEnv()).toBeUndefined();
      env.SCRATCHNET_BACKEND = 'gpu';
      expect(() => backendFromEnv()).toThrow(
        "SCRATCHNET_BACKEND: expected 'reference' or 'wasm', got 'gpu'",
      );
    } finally {
      if (saved === undefined) delete env.SCRATCHNET_BACKEND;
      else env.SCRATCHNET_BACKEND = saved;
    }
  });

  it('shutdownWasm goes back to the reference kernels and the JavaScript heap', () => {
    shutdownWasm();
    expect(kernels().name).toBe('reference');
    expect(wasmInfo()!.maxThreads).toBe(1);
    expect(getHeap().contains(allocate('float32', 1000))).toBe(false);
    setAllocator(heapAllocator);
  });
});
