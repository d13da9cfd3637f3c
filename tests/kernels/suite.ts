// Shared checks of the wasm kernels against the reference kernels, run by wasm.test.ts (relaxed
// SIMD, 2 threads) and wasm-plain.test.ts (plain SIMD, 1 thread): every kernel, both dtypes,
// odd and tiny shapes, every transpose/accumulate combination, operands inside and outside wasm
// memory.
import { describe, expect, it } from 'vitest';
import type { FloatArray } from '../../src/ndarray/dtype.js';
import {
  convOutputSize,
  type ConvGeometry,
  type Kernels,
  type SparsePack,
} from '../../src/ndarray/kernels/index.js';
import { referenceKernels } from '../../src/ndarray/kernels/reference.js';
import type { WasmHeap } from '../../src/ndarray/kernels/wasm/memory.js';

/** mulberry32, a tiny seeded generator (until the project Rng lands). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Float = 'float32' | 'float64';
export type Place = 'wasm' | 'heap';

/**
 * A random array of `n` elements in [-1, 1), placed in wasm memory (where the heap hands out views:
 * a shared memory) or on the JavaScript heap.
 */
export function randomArray(
  heap: WasmHeap,
  dtype: Float,
  n: number,
  place: Place,
  next: () => number,
): FloatArray {
  const ctor = dtype === 'float32' ? Float32Array : Float64Array;
  const a = (place === 'wasm' ? heap.allocArray(ctor, n) : undefined) ?? new ctor(n);
  for (let i = 0; i < n; i++) a[i] = 2 * next() - 1;
  return a;
}

/** GEMM shapes [M, N, K]: tiny, odd, crossing the KC (256) and NC (512/1024) blocks, K = 0. */
export const GEMM_SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 9, 3],
  [7, 1, 5],
  [3, 5, 7],
  [4, 8, 16],
  [13, 17, 19],
  [33, 65, 257],
  [45, 20, 300],
  [101, 50, 78],
  [5, 1030, 3],
  [2, 3, 0],
];

export function gemmSuite(getKernels: () => Kernels, getHeap: () => WasmHeap): void {
  describe('gemm equals the reference', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const tol = dtype === 'float32' ? 2e-6 : 1e-14;
      it(`${dtype}: every shape, transpose and accumulate combination`, () => {
        const next = rng(dtype === 'float32' ? 1 : 2);
        for (const [M, N, K] of GEMM_SHAPES) {
          for (const transA of [false, true]) {
            for (const transB of [false, true]) {
              for (const accumulate of [false, true]) {
                const place: Place = (M + N + K) % 2 === 0 ? 'wasm' : 'heap';
                const heap = getHeap();
                const A = randomArray(heap, dtype, M * K, place, next);
                const B = randomArray(heap, dtype, K * N, 'wasm', next);
                const C0 = randomArray(heap, dtype, M * N, place, next);
                const expected = C0.slice();
                const C = C0.slice();
                referenceKernels.gemm(transA, transB, M, N, K, A, B, expected, accumulate);
                getKernels().gemm(transA, transB, M, N, K, A, B, C, accumulate);
                const label = `${M}×${N}×${K} transA=${transA} transB=${transB} acc=${accumulate}`;
                let err = 0;
                for (let i = 0; i < C.length; i++)
                  err = Math.max(err, Math.abs(C[i] - expected[i]));
                expect(err, label).toBeLessThanOrEqual(tol * (K + 1));
              }
            }
          }
        }
      });
    }

    it('float32 with a mostly-zero A: the sparse kernel, both layouts of A, accumulate', () => {
      const next = rng(4);
      const heap = getHeap();
      const k = getKernels() as Kernels & { sparseGemms?: number };
      for (const [M, N, K] of SPARSE_SHAPES) {
        for (const transA of [false, true]) {
          for (const accumulate of [false, true]) {
            const A = sparseArray(heap, M, K, transA, next);
            const B = randomArray(heap, 'float32', K * N, 'wasm', next);
            const C0 = randomArray(heap, 'float32', M * N, 'wasm', next);
            const expected = C0.slice();
            const C = C0.slice();
            referenceKernels.gemm(transA, false, M, N, K, A, B, expected, accumulate);
            const before = k.sparseGemms ?? 0;
            k.gemm(transA, false, M, N, K, A, B, C, accumulate);
            const label = `${M}×${N}×${K} transA=${transA} acc=${accumulate}`;
            if (k.sparseGemms !== undefined) expect(k.sparseGemms, label).toBe(before + 1);
            let err = 0;
            for (let i = 0; i < C.length; i++) err = Math.max(err, Math.abs(C[i] - expected[i]));
            expect(err, label).toBeLessThanOrEqual(2e-6 * (K + 1));
          }
        }
      }
    });

    it('float32 with a pack of A (packSparseA): the same result to the bit, both layouts', () => {
      const k = getKernels() as Kernels & { packedGemms?: number };
      if (!k.packSparseA) return; // the reference kernels pack nothing: gemm ignores `packed`
      const next = rng(6);
      const heap = getHeap();
      for (const [M, N, K] of SPARSE_SHAPES) {
        for (const transA of [false, true]) {
          for (const accumulate of [false, true]) {
            const A = sparseArray(heap, M, K, transA, next);
            const [rows, cols] = transA ? [K, M] : [M, K];
            const pack = k.packSparseA(A, rows, cols, N);
            const label = `${M}×${N}×${K} transA=${transA} acc=${accumulate}`;
            if (!pack) {
              // only rows shorter than 64, or an A outside wasm memory (an unshared memory)
              expect(cols < 64 || !heap.contains(A), label).toBe(true);
              continue;
            }
            const B = randomArray(heap, 'float32', K * N, 'wasm', next);
            const C0 = randomArray(heap, 'float32', M * N, 'wasm', next);
            const [plain, packed] = [C0.slice(), C0.slice()];
            k.gemm(transA, false, M, N, K, A, B, plain, accumulate);
            const before = k.packedGemms ?? 0;
            k.gemm(transA, false, M, N, K, A, B, packed, accumulate, pack);
            expect(k.packedGemms, label).toBe(before + 1);
            expect(Array.from(packed), label).toEqual(Array.from(plain));
            // a pack made for other columns is not used, and changes nothing
            const other = C0.slice();
            k.gemm(transA, false, M, N, K, A, B, other, accumulate, { ...pack, n: N + 1 });
            expect(k.packedGemms, label).toBe(before + 1);
            expect(Array.from(other), label).toEqual(Array.from(plain));
          }
        }
      }
      // large enough to be split between threads (rows of C from the pack's rows)
      const [M, N, K] = [2000, 50, 784];
      const A = sparseArray(heap, M, K, false, next);
      const pack = k.packSparseA(A, M, K, N);
      if (pack) {
        const B = randomArray(heap, 'float32', K * N, 'wasm', next);
        const [plain, packed] = [new Float32Array(M * N), new Float32Array(M * N)];
        k.gemm(false, false, M, N, K, A, B, plain, false);
        k.gemm(false, false, M, N, K, A, B, packed, false, pack);
        expect(Array.from(packed)).toEqual(Array.from(plain));
      }
    });

    it('float32 with a pack of A and an infinity in B: the pack is set aside, 0·∞ gives NaN', () => {
      const k = getKernels() as Kernels & { packedGemms?: number };
      if (!k.packSparseA) return;
      const next = rng(7);
      const [M, N, K] = SPARSE_SHAPES[0];
      const A = sparseArray(getHeap(), M, K, false, next);
      for (let i = 0; i < M; i++) A[i * K + 3] = 0;
      const pack = k.packSparseA(A, M, K, N);
      if (!pack) return; // A outside wasm memory (an unshared memory): nothing to set aside
      const B = randomArray(getHeap(), 'float32', K * N, 'wasm', next);
      B[3 * N + 5] = Infinity;
      const C = new Float32Array(M * N);
      const before = k.packedGemms ?? 0;
      k.gemm(false, false, M, N, K, A, B, C, false, pack);
      expect(k.packedGemms).toBe(before);
      for (let i = 0; i < M; i++) expect(C[i * N + 5]).toBeNaN();
    });

    it('float32 with a mostly-zero A and an infinity in B: 0·∞ gives NaN as in the reference', () => {
      const next = rng(5);
      const heap = getHeap();
      const [M, N, K] = SPARSE_SHAPES[0];
      const A = sparseArray(heap, M, K, false, next);
      for (let i = 0; i < M; i++) A[i * K + 3] = 0; // column 3 of A is all zeros
      const B = randomArray(heap, 'float32', K * N, 'wasm', next);
      B[3 * N + 5] = Infinity; // meets only zeros of A
      const C = new Float32Array(M * N);
      const expected = new Float32Array(M * N);
      referenceKernels.gemm(false, false, M, N, K, A, B, expected, false);
      getKernels().gemm(false, false, M, N, K, A, B, C, false);
      expect(Number.isNaN(expected[5])).toBe(true);
      for (let i = 0; i < C.length; i++) {
        if (Number.isNaN(expected[i])) expect(C[i]).toBeNaN();
        else expect(C[i]).toBeCloseTo(expected[i], 4);
      }
    });

    it('float32 in a subarray view (nonzero offset) of wasm memory', () => {
      const next = rng(3);
      const heap = getHeap();
      const [M, N, K] = [9, 11, 13];
      const big = randomArray(heap, 'float32', 3 * M * K + 5, 'wasm', next);
      const A = big.subarray(5, 5 + M * K);
      const B = randomArray(heap, 'float32', K * N, 'wasm', next);
      const C = new Float32Array(M * N);
      const expected = new Float32Array(M * N);
      referenceKernels.gemm(false, false, M, N, K, A, B, expected, false);
      getKernels().gemm(false, false, M, N, K, A, B, C, false);
      for (let i = 0; i < C.length; i++) expect(C[i]).toBeCloseTo(expected[i], 5);
    });
  });
}

/**
 * Shapes [M, N, K] for the sparse kernel (K ≥ 64, M·N·K ≥ 2^16): MNIST's first layer both ways,
 * and column counts that end on each block width (32, 16, 4) and on single columns.
 */
export const SPARSE_SHAPES: [number, number, number][] = [
  [100, 50, 784],
  [784, 50, 100],
  [300, 37, 130],
  [129, 67, 100],
  [70, 3, 400],
  [250, 16, 300],
  [90, 100, 97],
  [33, 20, 150],
  [64, 59, 200],
  [40, 45, 120],
  [50, 49, 160],
];

/**
 * op(A) of M×K (stored K×M with transA) in wasm memory with about 20 % nonzeros in [-1, 1), and
 * a run of zeros (an image's border) at the start of each stored row.
 */
export function sparseArray(
  heap: WasmHeap,
  M: number,
  K: number,
  transA: boolean,
  next: () => number,
): Float32Array {
  const a = randomArray(heap, 'float32', M * K, 'wasm', next) as Float32Array;
  const rowLength = transA ? M : K;
  for (let i = 0; i < a.length; i++) {
    if (i % rowLength < Math.min(40, rowLength / 3) || next() < 0.8) a[i] = 0;
  }
  return a;
}

/**
 * What a pack (packSparseAF32's layout, sparsePackStride(cols) bytes a row: a count, cols + 4
 * offsets, cols + 4 values) holds: each row's count, then the offsets and
 * values it uses (the slots past them are scratch).
 */
export function packContents({ data, rows, cols }: SparsePack): number[] {
  const stride = 16 + (cols + 4) * 8;
  const out: number[] = [];
  for (let i = 0; i < rows; i++) {
    const row = new Int32Array(data.buffer, data.byteOffset + i * stride);
    const count = row[0];
    out.push(count, ...row.subarray(4, 4 + count), ...row.subarray(8 + cols, 8 + cols + count));
  }
  return out;
}

/** Geometries: tiny (1×1×1×1), stride 2, pad 1, H ≠ W, windows larger than the stride. */
export const CONV_GEOMETRIES: ConvGeometry[] = [
  { N: 1, C: 1, H: 1, W: 1, FH: 1, FW: 1, stride: 1, pad: 0 },
  { N: 2, C: 3, H: 7, W: 5, FH: 3, FW: 3, stride: 1, pad: 1 },
  { N: 3, C: 2, H: 6, W: 9, FH: 2, FW: 3, stride: 2, pad: 1 },
  { N: 2, C: 1, H: 5, W: 5, FH: 5, FW: 5, stride: 1, pad: 0 },
  { N: 1, C: 2, H: 4, W: 3, FH: 3, FW: 2, stride: 3, pad: 2 },
  { N: 5, C: 4, H: 12, W: 10, FH: 2, FW: 2, stride: 2, pad: 0 },
];

function sizes(g: ConvGeometry): { x: number; col: number; out: number } {
  const outH = convOutputSize(g.H, g.FH, g.stride, g.pad);
  const outW = convOutputSize(g.W, g.FW, g.stride, g.pad);
  return {
    x: g.N * g.C * g.H * g.W,
    col: g.N * outH * outW * g.C * g.FH * g.FW,
    out: g.N * g.C * outH * outW,
  };
}

export function convSuite(getKernels: () => Kernels, getHeap: () => WasmHeap): void {
  describe('im2col, col2im and max pooling equal the reference', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const place of ['wasm', 'heap'] as const) {
        it(`${dtype}, operands on the ${place === 'wasm' ? 'wasm' : 'JavaScript'} heap`, () => {
          const next = rng(dtype === 'float32' ? 4 : 5);
          const ctor = dtype === 'float32' ? Float32Array : Float64Array;
          for (const g of CONV_GEOMETRIES) {
            const label = JSON.stringify(g);
            const n = sizes(g);
            const heap = getHeap();
            const x = randomArray(heap, dtype, n.x, place, next);
            const col = randomArray(heap, dtype, n.col, place, next);
            const expectCol = new ctor(n.col);
            referenceKernels.im2col(x, g, expectCol);
            const gotCol = col.slice().fill(NaN);
            getKernels().im2col(x, g, gotCol);
            expect(Array.from(gotCol), `im2col ${label}`).toEqual(Array.from(expectCol));

            const expectDx = new ctor(n.x);
            referenceKernels.col2im(col, g, expectDx);
            const gotDx = x.slice().fill(NaN);
            getKernels().col2im(col, g, gotDx);
            // Same summation order as the reference: equal to the bit.
            expect(Array.from(gotDx), `col2im ${label}`).toEqual(Array.from(expectDx));

            // Ties and a NaN exercise the first-maximum and NaN rules.
            x[0] = x[1];
            if (n.x > 7) x[7] = NaN;
            const expectOut = new ctor(n.out);
            const expectArg = new Int32Array(n.out);
            referenceKernels.maxPoolForward(x, g, expectOut, expectArg);
            const gotOut = new ctor(n.out).fill(7);
            const gotArg = new Int32Array(n.out).fill(-7);
            getKernels().maxPoolForward(x, g, gotOut, gotArg);
            expect(Array.from(gotOut), `maxPoolForward ${label}`).toEqual(Array.from(expectOut));
            expect(Array.from(gotArg), `maxPoolForward argmax ${label}`).toEqual(
              Array.from(expectArg),
            );

            const dout = randomArray(heap, dtype, n.out, place, next);
            const expectPoolDx = new ctor(n.x);
            referenceKernels.maxPoolBackward(dout, expectArg, expectPoolDx);
            const gotPoolDx = x.slice().fill(NaN);
            getKernels().maxPoolBackward(dout, gotArg, gotPoolDx);
            expect(Array.from(gotPoolDx), `maxPoolBackward ${label}`).toEqual(
              Array.from(expectPoolDx),
            );
          }
        });
      }
    }
  });
}

/**
 * Max pooling's 2×2, stride 2, unpadded fast path against the reference on random shapes (odd and
 * even H and W, rows shorter and longer than a vector), with ties (few distinct values), NaNs and
 * -Infinity: values, argmax and the backward equal to the bit.
 */
export function poolSuite(getKernels: () => Kernels, getHeap: () => WasmHeap): void {
  describe('max pooling 2×2, stride 2, equals the reference', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const place of ['wasm', 'heap'] as const) {
        it(`${dtype}, operands on the ${place} heap`, () => {
          const next = rng(dtype === 'float32' ? 41 : 42);
          const ctor = dtype === 'float32' ? Float32Array : Float64Array;
          const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
          for (let trial = 0; trial < 24; trial++) {
            const g: ConvGeometry = {
              N: int(1, 3),
              C: int(1, 4),
              H: int(2, 19),
              W: int(2, 21),
              FH: 2,
              FW: 2,
              stride: 2,
              pad: 0,
            };
            const label = JSON.stringify(g);
            const n = sizes(g);
            const x = randomArray(getHeap(), dtype, n.x, place, next);
            // Four distinct values make ties in most windows; then a few NaNs and -Infinity.
            for (let i = 0; i < n.x; i++) {
              const r = next();
              x[i] = r < 0.03 ? NaN : r < 0.06 ? -Infinity : Math.round(x[i] * 2) / 2;
            }
            const expectOut = new ctor(n.out);
            const expectArg = new Int32Array(n.out);
            referenceKernels.maxPoolForward(x, g, expectOut, expectArg);
            const gotOut = new ctor(n.out).fill(7);
            const gotArg = new Int32Array(n.out).fill(-7);
            getKernels().maxPoolForward(x, g, gotOut, gotArg);
            expect(Array.from(gotOut), `out ${label}`).toEqual(Array.from(expectOut));
            expect(Array.from(gotArg), `argmax ${label}`).toEqual(Array.from(expectArg));

            const dout = randomArray(getHeap(), dtype, n.out, place, next);
            const expectDx = new ctor(n.x);
            referenceKernels.maxPoolBackward(dout, expectArg, expectDx);
            const gotDx = new ctor(n.x).fill(NaN);
            getKernels().maxPoolBackward(dout, gotArg, gotDx);
            expect(Array.from(gotDx), `backward ${label}`).toEqual(Array.from(expectDx));
          }
        });
      }
    }
  });
}

/** Largest |a[i] − b[i]| relative to the largest |b[i]| (1 when b is all zeros). */
function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / Math.max(scale, 1);
}

/** Convolution geometries with a filter count: odd sizes, stride 2, pad 2, one image, 1×1. */
export const FUSED_CONV: [ConvGeometry, number][] = [
  [{ N: 1, C: 1, H: 1, W: 1, FH: 1, FW: 1, stride: 1, pad: 0 }, 1],
  [{ N: 3, C: 2, H: 7, W: 5, FH: 3, FW: 3, stride: 1, pad: 1 }, 5],
  [{ N: 2, C: 3, H: 6, W: 9, FH: 2, FW: 3, stride: 2, pad: 1 }, 3],
  [{ N: 11, C: 1, H: 12, W: 12, FH: 5, FW: 5, stride: 1, pad: 0 }, 7],
  [{ N: 5, C: 4, H: 9, W: 10, FH: 3, FW: 3, stride: 1, pad: 2 }, 9],
  [{ N: 2, C: 2, H: 4, W: 3, FH: 3, FW: 2, stride: 3, pad: 2 }, 2],
  [{ N: 17, C: 3, H: 8, W: 8, FH: 3, FW: 3, stride: 2, pad: 1 }, 4],
  // stride 1 with output rows longer than a vector (the vector paths of im2colT and col2imT),
  // odd widths, FH ≠ FW
  [{ N: 3, C: 3, H: 13, W: 11, FH: 3, FW: 3, stride: 1, pad: 1 }, 6],
  [{ N: 2, C: 2, H: 9, W: 15, FH: 2, FW: 4, stride: 1, pad: 0 }, 5],
  [{ N: 2, C: 1, H: 21, W: 19, FH: 5, FW: 5, stride: 1, pad: 0 }, 3],
  // The direct float32 paths (assembly/fused.ts): stride 1 with pad ≥ the window (dx falls back
  // to gemm + col2im); output rows shorter than a panel of 8 (lane-by-lane gather); a DeepConvNet
  // shape with pad 2 and FN not a multiple of 4 or 8; K = 648 > 640 (two K-blocks of the forward
  // and dx); P = 900 (two pixel blocks of dW); FN = 30 with K = 25 (SimpleConvNet's first layer).
  [{ N: 3, C: 2, H: 6, W: 6, FH: 2, FW: 2, stride: 1, pad: 2 }, 3],
  [{ N: 2, C: 3, H: 3, W: 5, FH: 2, FW: 2, stride: 1, pad: 0 }, 4],
  [{ N: 2, C: 16, H: 14, W: 14, FH: 3, FW: 3, stride: 1, pad: 2 }, 6],
  [{ N: 2, C: 72, H: 5, W: 4, FH: 3, FW: 3, stride: 1, pad: 1 }, 5],
  [{ N: 2, C: 1, H: 30, W: 30, FH: 3, FW: 3, stride: 1, pad: 1 }, 3],
  [{ N: 3, C: 1, H: 28, W: 28, FH: 5, FW: 5, stride: 1, pad: 0 }, 30],
  // Winograd F(2×2, 3×3) (3×3, stride 1, ≥ 8 channels in; dx with FN ≥ 8): odd output sizes (a
  // half tile at the right and bottom), pad 0 and 2 (dx padded by 2 and 0), a 1×1 output, FN and
  // C not multiples of 4 or 8, tile rows not a multiple of the 4 lanes, several dW groups.
  [{ N: 3, C: 9, H: 7, W: 9, FH: 3, FW: 3, stride: 1, pad: 0 }, 10],
  [{ N: 2, C: 8, H: 5, W: 11, FH: 3, FW: 3, stride: 1, pad: 1 }, 13],
  [{ N: 2, C: 10, H: 6, W: 5, FH: 3, FW: 3, stride: 1, pad: 2 }, 8],
  [{ N: 2, C: 8, H: 3, W: 3, FH: 3, FW: 3, stride: 1, pad: 0 }, 9],
  [{ N: 4, C: 16, H: 28, W: 28, FH: 3, FW: 3, stride: 1, pad: 1 }, 16],
  // the Winograd dW sums groups of 5 images of 14×14 (49 tiles each, at most 256 a group) within
  // each of the backend's 8 chunks of images: chunks of 6 images hold a full group and a short one
  [{ N: 48, C: 8, H: 14, W: 14, FH: 3, FW: 3, stride: 1, pad: 1 }, 12],
];

/** The fused kernels (convolution, ReLU, SGD, Adam) against the reference kernels. */
export function fusedSuite(getKernels: () => Kernels, getHeap: () => WasmHeap): void {
  describe('fused kernels equal the reference', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const tol = dtype === 'float32' ? 1e-5 : 1e-13;
      const ctor = dtype === 'float32' ? Float32Array : Float64Array;
      for (const place of ['wasm', 'heap'] as const) {
        it(`convForward/convBackward ${dtype}, operands on the ${place} heap`, () => {
          const next = rng(dtype === 'float32' ? 31 : 32);
          const heap = getHeap();
          for (const [g, FN] of FUSED_CONV) {
            const label = `${JSON.stringify(g)} FN=${FN}`;
            const outH = convOutputSize(g.H, g.FH, g.stride, g.pad);
            const outW = convOutputSize(g.W, g.FW, g.stride, g.pad);
            const nx = g.N * g.C * g.H * g.W;
            const nw = FN * g.C * g.FH * g.FW;
            const nout = g.N * FN * outH * outW;
            const x = randomArray(heap, dtype, nx, place, next);
            const W = randomArray(heap, dtype, nw, place, next);
            const b = randomArray(heap, dtype, FN, place, next);
            const expected = new ctor(nout);
            referenceKernels.convForward(x, W, b, g, FN, expected);
            const out = new ctor(nout).fill(NaN);
            getKernels().convForward(x, W, b, g, FN, out);
            expect(relError(out, expected), `convForward ${label}`).toBeLessThan(tol);

            const dout = randomArray(heap, dtype, nout, place, next);
            const [eW, eb, edx] = [new ctor(nw), new ctor(FN), new ctor(nx)];
            referenceKernels.convBackward(x, dout, W, g, FN, eW, eb, edx);
            const [dW, db, dx] = [nw, FN, nx].map((n) => new ctor(n).fill(NaN));
            getKernels().convBackward(x, dout, W, g, FN, dW, db, dx);
            expect(relError(dW, eW), `dW ${label}`).toBeLessThan(tol);
            expect(relError(db, eb), `db ${label}`).toBeLessThan(tol);
            expect(relError(dx, edx), `dx ${label}`).toBeLessThan(tol);
            const dW2 = new ctor(nw);
            getKernels().convBackward(x, dout, W, g, FN, dW2, new ctor(FN), undefined);
            expect(Array.from(dW2), `dW without dx ${label}`).toEqual(Array.from(dW));
          }
        });
      }

      it(`reluForward/reluBackward ${dtype}: equal to the bit, NaN and −0 included`, () => {
        const next = rng(33);
        for (const n of [1, 3, 4, 5, 17, 1000, 70001]) {
          const x = randomArray(getHeap(), dtype, n, n % 2 ? 'heap' : 'wasm', next);
          x[0] = NaN;
          if (n > 2) x[1] = -0;
          if (n > 3) x[2] = 0;
          const expected = new ctor(n);
          referenceKernels.reluForward(x, expected);
          const out = new ctor(n).fill(7);
          getKernels().reluForward(x, out);
          expect(Array.from(out), `forward n=${n}`).toEqual(Array.from(expected));
          const dout = randomArray(getHeap(), dtype, n, 'wasm', next);
          const eDx = new ctor(n);
          referenceKernels.reluBackward(expected, dout, eDx);
          const dx = new ctor(n).fill(7);
          getKernels().reluBackward(out, dout, dx);
          expect(Array.from(dx), `backward n=${n}`).toEqual(Array.from(eDx));
        }
      });

      it(`takeRows ${dtype}: rows of 1 to 784 values, in and out of wasm memory`, () => {
        const next = rng(37);
        for (const rowSize of [1, 3, 15, 16, 17, 784]) {
          for (const place of ['wasm', 'heap'] as Place[]) {
            const count = 40;
            const src = randomArray(getHeap(), dtype, count * rowSize, place, next);
            const rows = Int32Array.from({ length: 25 }, () => Math.floor(next() * count));
            const expected: number[] = [];
            for (const r of rows) expected.push(...src.subarray(r * rowSize, (r + 1) * rowSize));
            for (const k of [referenceKernels, getKernels()]) {
              const out =
                (place === 'wasm'
                  ? getHeap().allocArray(ctor, rows.length * rowSize)
                  : undefined) ?? new ctor(rows.length * rowSize);
              k.takeRows(src, rows, rowSize, out);
              expect(Array.from(out), `${k.name} rows of ${rowSize} ${place}`).toEqual(expected);
            }
          }
        }
      });

      it(`softmaxRows ${dtype}: equal to the bit over exp's whole range, NaN and ±Infinity included`, () => {
        const next = rng(39);
        for (const [rows, cols] of [
          [100, 10],
          [7, 1],
          [5, 3],
          [9, 8],
          [4, 9],
          [3, 128],
          [2, 129],
          [2, 1000],
          [1, 0],
        ]) {
          // differences from the row maximum out to −800: exp's reductions, its subnormal results
          // and its underflow to 0, tiny ones (|x| < 2⁻²⁸) and ones near ±ln2/2
          const scales = [1e-9, 0.3, 1, 30, 800];
          for (const place of ['wasm', 'heap'] as Place[]) {
            const x = randomArray(getHeap(), dtype, rows * cols, place, next);
            for (let i = 0; i < x.length; i++) x[i] *= scales[Math.floor(next() * scales.length)];
            if (rows * cols > 30) {
              x[3] = NaN; // row 0 (or 0–3) becomes NaN
              x[x.length - 1] = -Infinity;
              x[x.length - 2] = Infinity;
            }
            const expected = new ctor(rows * cols);
            referenceKernels.softmaxRows(x, rows, cols, expected);
            const out = getHeap().allocArray(ctor, rows * cols) ?? new ctor(rows * cols);
            getKernels().softmaxRows(x, rows, cols, out);
            expect(Array.from(out), `${rows}×${cols} ${place}`).toEqual(Array.from(expected));
            // in place
            getKernels().softmaxRows(x, rows, cols, x);
            expect(Array.from(x), `${rows}×${cols} ${place} in place`).toEqual(
              Array.from(expected),
            );
          }
        }
        // exp itself over a grid of differences: rows [0, d] give exp(d) / (1 + exp(d))
        const d = Array.from({ length: 4000 }, (_, i) => -760 + i * 0.19 + next() * 0.01);
        const x = new ctor(d.flatMap((v) => [0, v]));
        const expected = new ctor(x.length);
        referenceKernels.softmaxRows(x, d.length, 2, expected);
        const out = new ctor(x.length);
        getKernels().softmaxRows(x, d.length, 2, out);
        expect(Array.from(out)).toEqual(Array.from(expected));
      });

      it(`lookupBytes ${dtype}: table[x] for bytes, odd lengths, index in and out of wasm memory`, () => {
        const next = rng(38);
        const table = randomArray(getHeap(), dtype, 256, 'wasm', next);
        for (const n of [0, 1, 7, 8, 9, 100, 78400, 300001]) {
          for (const place of ['wasm', 'heap'] as Place[]) {
            const index =
              (place === 'wasm' ? getHeap().allocArray(Uint8Array, n) : undefined) ??
              new Uint8Array(n);
            for (let i = 0; i < n; i++) index[i] = Math.floor(next() * 256);
            if (n > 2) [index[0], index[n - 1]] = [255, 0];
            const out = getHeap().allocArray(ctor, n) ?? new ctor(n);
            out.fill(7);
            getKernels().lookupBytes(table, index, out);
            const expected = Array.from(index, (b) => table[b]);
            expect(Array.from(out), `n=${n} index on ${place}`).toEqual(expected);
          }
        }
      });

      it(`sumRows ${dtype}: equal to the bit, onto a nonzero accumulator`, () => {
        const next = rng(36);
        for (const [rows, cols] of [
          [100, 50],
          [100, 10],
          [7, 3],
          [1, 1],
          [3, 0],
          [0, 5],
          [33, 1029],
        ]) {
          for (const place of ['wasm', 'heap'] as Place[]) {
            const src = randomArray(getHeap(), dtype, rows * cols, place, next);
            const acc = Float64Array.from({ length: cols }, () => next() * 1e-3);
            const expected = acc.slice();
            referenceKernels.sumRows(src, rows, cols, expected);
            getKernels().sumRows(src, rows, cols, acc);
            expect(Array.from(acc), `${rows}×${cols} ${place}`).toEqual(Array.from(expected));
          }
        }
      });

      it(`allFinite ${dtype}: one NaN or ±Infinity anywhere, vector body or tail`, () => {
        const next = rng(35);
        for (const n of [1, 3, 4, 5, 17, 1001]) {
          for (const place of ['wasm', 'heap'] as Place[]) {
            const a = randomArray(getHeap(), dtype, n, place, next);
            expect(getKernels().allFinite(a), `finite n=${n} ${place}`).toBe(true);
            for (const bad of [NaN, Infinity, -Infinity]) {
              for (const i of new Set([0, n >> 1, n - 1])) {
                const b = a.slice();
                b[i] = bad;
                const c = (place === 'wasm' ? getHeap().allocArray(ctor, n) : undefined) ?? b;
                c.set(b);
                expect(referenceKernels.allFinite(c), `reference ${bad} at ${i}/${n}`).toBe(false);
                expect(getKernels().allFinite(c), `${bad} at ${i}/${n} ${place}`).toBe(false);
              }
            }
          }
        }
      });

      it(`sgdUpdate/adamUpdate ${dtype}: equal to the bit`, () => {
        const next = rng(34);
        // 3, 4, 5, 8 and 1001: the f64x2 vector loop with and without a scalar tail; 300001:
        // split between threads (ranges of 2^16 and more)
        for (const n of [1, 3, 4, 5, 7, 8, 1001, 300001]) {
          const p = randomArray(getHeap(), dtype, n, 'wasm', next);
          const g = randomArray(getHeap(), dtype, n, n % 2 ? 'heap' : 'wasm', next);
          const m = randomArray(getHeap(), dtype, n, 'wasm', next);
          const v = randomArray(getHeap(), dtype, n, 'wasm', next).map(Math.abs) as FloatArray;
          // The second half of the moments tiny (late-training magnitudes, where eps matters).
          for (let i = n >> 1; i < n; i++) [m[i], v[i]] = [m[i] * 1e-6, v[i] * 1e-12];
          const [p1, m1, v1] = [p.slice(), m.slice(), v.slice()];
          for (let step = 0; step < 3; step++) {
            referenceKernels.adamUpdate(p1, g, m1, v1, 0.0123, 0.1, 0.001, 1e-7);
            getKernels().adamUpdate(p, g, m, v, 0.0123, 0.1, 0.001, 1e-7);
          }
          expect([p, m, v].map((a) => Array.from(a))).toEqual(
            [p1, m1, v1].map((a) => Array.from(a)),
          );
          referenceKernels.sgdUpdate(p1, g, 0.37);
          getKernels().sgdUpdate(p, g, 0.37);
          expect(Array.from(p)).toEqual(Array.from(p1));
        }
      });
    }
  });
}
