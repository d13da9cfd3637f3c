// The wasm kernels: the Kernels interface over the AssemblyScript module. Operands that already
// live in the module's memory (NDArray storage from the wasm allocator) are used in place; any
// other typed array is copied into scratch blocks and back. Large calls are split into ranges of
// rows (or columns) of the output that threads take in turn; each output element is computed
// within one range in a fixed order, so the result does not depend on the thread count.
import type { FloatArray, TypedArray } from '../../dtype.js';
import { referenceKernels } from '../reference.js';
import { convOutputSize, type ConvGeometry, type Kernels, type SparsePack } from '../types.js';
import type { ViewCtor, WasmHeap } from './memory.js';
import type { Task, TaskName, ThreadPool } from './pool.js';

/** The exports of the kernel module (assembly/index.ts). Booleans travel as 0/1. */
export interface KernelExports {
  heapBase(): number;
  zeroFill(ptr: number, bytes: number): void;
  gemmWorkBytes(): number;
  gemmF32(...args: number[]): void;
  gemmF64(...args: number[]): void;
  gemmSparseAF32(...args: number[]): void;
  gemmSparseFits(n: number): number;
  sparsePackStride(n: number): number;
  packSparseAF32(...args: number[]): number;
  takeRowsPackF32(...args: number[]): void;
  gemmPackedAF32(...args: number[]): void;
  allFiniteF32(p: number, rows: number, cols: number, ld: number): number;
  allFiniteF64(p: number, rows: number, cols: number, ld: number): number;
  sumRowsF32(src: number, rows: number, cols: number, acc: number): void;
  sumRowsF64(src: number, rows: number, cols: number, acc: number): void;
  im2colF32(...args: number[]): void;
  im2colF64(...args: number[]): void;
  col2imF32(...args: number[]): void;
  col2imF64(...args: number[]): void;
  maxPoolForwardF32(...args: number[]): void;
  maxPoolForwardF64(...args: number[]): void;
  maxPoolBackwardF32(
    dout: number,
    argmax: number,
    count: number,
    dx: number,
    dxLength: number,
  ): void;
  maxPoolBackwardF64(
    dout: number,
    argmax: number,
    count: number,
    dx: number,
    dxLength: number,
  ): void;
  convForwardF32(...args: number[]): void;
  convForwardF64(...args: number[]): void;
  convBackwardF32(...args: number[]): void;
  convBackwardF64(...args: number[]): void;
  /**
   * Bytes after the gemm area of a thread's workspace that a convolution (geometry block g) needs
   * for `part`: 0 forward, 1 backward without dx, 2 backward with dx.
   */
  convScratchBytes(g: number, size: number, part: number): number;
  /** Bytes of a thread's workspace before the convolution scratch. */
  convScratchOffset(): number;
  sumBlocksF32(src: number, count: number, stride: number, len: number, dst: number): void;
  sumBlocksF64(src: number, count: number, stride: number, len: number, dst: number): void;
  reluForwardF32(...args: number[]): void;
  reluForwardF64(...args: number[]): void;
  reluBackwardF32(...args: number[]): void;
  reluBackwardF64(...args: number[]): void;
  takeRows(...args: number[]): void;
  softmaxRowsF32(src: number, dst: number, rows: number, cols: number): void;
  softmaxRowsF64(src: number, dst: number, rows: number, cols: number): void;
  lookupBytes4(...args: number[]): void;
  lookupBytes8(...args: number[]): void;
  sgdUpdateF32(p: number, g: number, lr: number, i0: number, i1: number): void;
  sgdUpdateF64(p: number, g: number, lr: number, i0: number, i1: number): void;
  adamUpdateF32(...args: number[]): void;
  adamUpdateF64(...args: number[]): void;
  sgdTaskF32(...args: number[]): void;
  sgdTaskF64(...args: number[]): void;
  adamTaskF32(...args: number[]): void;
  adamTaskF64(...args: number[]): void;
}

/** Multiply-adds below which a GEMM runs on one thread: ~25 µs, about what waking a worker costs. */
const GEMM_PARALLEL_MIN = 1 << 19;
/**
 * Largest fraction of nonzeros of A for which a float32 GEMM skips A's zeros (gemmSparseAF32):
 * the sparse kernel loads a B vector per multiply-add where the dense one loads one per four.
 */
const SPARSE_DENSITY = 0.35;
/** Multiply-adds below which a GEMM is not checked for a sparse A. */
const SPARSE_MIN = 1 << 16;
/**
 * Multiply-adds (nonzeros of A times N) below which the sparse GEMM runs on one thread: it does
 * about a quarter as many per µs as the dense one. A training batch of MNIST (100×784×50 at 19 %
 * nonzeros: 0.75 M) stays on one thread, a whole-set evaluation is split.
 */
const SPARSE_PARALLEL_MIN = 1 << 21;
/**
 * Largest pack of a sparse A (packSparseA): 8 bytes per element of A, so a training batch of
 * MNIST (100×784) takes 0.6 MB and a batch of 3000 images stays under the limit.
 */
const PACK_MAX_BYTES = 1 << 24;
/**
 * Bytes of a row gather (takeRows), and elements of a sparse pack (packSparseA), from which they
 * split their rows between threads: a training batch of MNIST (100 rows of 784, 0.3 MB in float32,
 * 78 KB in uint8) gathers and packs in about half the time. Both give thread t the same rows
 * (rowShares), so the rows a thread gathers are still in its cache when it packs them.
 */
const ROWS_PARALLEL_MIN = 1 << 16;
/** Elements written below which im2col/col2im/pooling run on one thread. */
const CONV_PARALLEL_MIN = 1 << 16;
/** Elements of a look-up (lookupBytes) whose index is copied into wasm memory at once. */
const LOOKUP_BLOCK = 1 << 20;
/** Elements below which a ReLU runs on one thread (it is memory-bound: ~0.1 ms per 2^18). */
const ELEMENTWISE_PARALLEL_MIN = 1 << 18;
/**
 * Chunks of images of a convolution backward. Each chunk sums its own dW and db, and the chunks
 * are added in order afterwards; the count depends on N only, so the sums (and so the result) do
 * not depend on the thread count.
 */
const CONV_BACKWARD_CHUNKS = 8;

type AnyArray = FloatArray | Int32Array | Uint8Array;
type Ctor = ViewCtor;

/** A pack made with a gather (takeRowsAhead): of `out`, rows × cols. */
interface AheadPack {
  out: Float32Array;
  rows: number;
  cols: number;
  pack: SparsePack;
}

/**
 * The operands of one kernel call: pointers into wasm memory, with scratch copies for arrays that
 * live elsewhere. finish() copies outputs back and frees the scratch.
 */
class Operands {
  private readonly scratch: number[] = [];
  private readonly outputs: { ptr: number; target: AnyArray; n: number; ctor: Ctor }[] = [];

  constructor(private readonly heap: WasmHeap) {}

  /** Address of `a[0..n)` as an array of `ctor`, copied in unless it already lies in wasm memory. */
  input(a: AnyArray, n: number, ctor: Ctor): number {
    if (a.constructor === ctor && this.heap.contains(a)) return a.byteOffset;
    const ptr = this.alloc(n, ctor);
    if (n > 0) this.heap.view(ctor, ptr, n).set(a.length === n ? a : a.subarray(0, n));
    return ptr;
  }

  /** Address for writing `a[0..n)`; copied in first when `read` (accumulate), copied back in finish(). */
  output(a: AnyArray, n: number, ctor: Ctor, read: boolean): number {
    if (a.constructor === ctor && this.heap.contains(a)) return a.byteOffset;
    const ptr = read ? this.input(a, n, ctor) : this.alloc(n, ctor);
    this.outputs.push({ ptr, target: a, n, ctor });
    return ptr;
  }

  /** A block of `n` elements for the call only (freed by finish()). */
  alloc(n: number, ctor: Ctor): number {
    const ptr = this.heap.alloc(Math.max(1, n) * ctor.BYTES_PER_ELEMENT);
    if (ptr < 0)
      throw new RangeError(`wasm kernels: expected memory for ${n} elements, got a full heap`);
    this.scratch.push(ptr);
    return ptr;
  }

  finish(): void {
    for (const { ptr, target, n, ctor } of this.outputs) {
      if (n > 0) target.set(this.heap.view(ctor, ptr, n));
    }
    for (const ptr of this.scratch) this.heap.release(ptr);
  }
}

/**
 * Splits [0, total) rows into one range per thread, in order and equal but for the last: the
 * same split for the same total and threads, so that kernels run one after the other on the same
 * rows (a gather, then a pack) tend to find each range in the cache of the thread that took it
 * before (each thread takes the next task; the calling thread is usually first).
 */
function rowShares(total: number, threads: number): [number, number][] {
  return split(total, threads, 1, Math.ceil(total / threads));
}

/**
 * Splits [0, total) into ranges whose bounds are multiples of `align`: about 4 per thread, so
 * that a thread the system holds back leaves its share to the others, but none shorter than
 * `minChunk` (each range repacks the operand it does not split) unless that leaves one per thread.
 */
function split(
  total: number,
  threads: number,
  align: number,
  minChunk: number,
): [number, number][] {
  const up = (x: number): number => Math.max(align, Math.ceil(x / align) * align);
  const chunk = Math.min(up(total / threads), up(Math.max(minChunk, total / (4 * threads))));
  const out: [number, number][] = [];
  for (let start = 0; start < total; start += chunk)
    out.push([start, Math.min(total, start + chunk)]);
  return out;
}

export interface WasmKernelsOptions {
  exports: KernelExports;
  heap: WasmHeap;
  pool: ThreadPool | undefined;
  /** Scratch blocks of gemmWorkBytes(), one per thread (the calling thread's first). */
  work: number[];
  relaxed: boolean;
}

/** The Kernels of the wasm backend, with a settable thread count. */
export class WasmKernels implements Kernels {
  readonly name: string;
  private threadCount = 1;

  constructor(private readonly o: WasmKernelsOptions) {
    this.name = o.relaxed ? 'wasm-relaxed-simd' : 'wasm-simd';
  }

  /** Threads a call may use, the calling thread included. */
  get threads(): number {
    return this.threadCount;
  }

  set threads(n: number) {
    const max = (this.o.pool?.size ?? 0) + 1;
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new RangeError(`setWasmThreads: expected an integer in 1..${max}, got ${n}`);
    }
    this.threadCount = n;
  }

  /** Bytes of each thread's workspace, by index of `work` (gemmWorkBytes() until grown). */
  private readonly workSizes: number[] = [];

  /**
   * Makes every thread's workspace at least `bytes` long (the gemm area plus a convolution's
   * scratch). Blocks are replaced, not grown: the pool reads their addresses at each dispatch.
   */
  private ensureWork(bytes: number): void {
    const { heap, work, exports } = this.o;
    for (let i = 0; i < work.length; i++) {
      const have = this.workSizes[i] ?? exports.gemmWorkBytes();
      if (have >= bytes) continue;
      heap.release(work[i]);
      const ptr = heap.alloc(bytes);
      if (ptr < 0)
        throw new RangeError(`wasm kernels: expected ${bytes} bytes of workspace, got a full heap`);
      work[i] = ptr;
      this.workSizes[i] = bytes;
    }
  }

  /** Runs the tasks, on workers when there is more than one. */
  private run(tasks: Task[], threads: number): void {
    if (tasks.length === 1 || threads === 1 || !this.o.pool) {
      for (const t of tasks) {
        const args = t.args.slice();
        if (t.workspaceArg !== undefined) args[t.workspaceArg] = this.o.work[0];
        this.o.exports[t.name](...args);
      }
    } else {
      this.o.pool.run(tasks, threads, this.o.work);
    }
  }

  gemm(
    transA: boolean,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    A: FloatArray,
    B: FloatArray,
    C: FloatArray,
    accumulate: boolean,
    packed?: SparsePack,
  ): void {
    const f32 = C instanceof Float32Array;
    const ctor = f32 ? Float32Array : Float64Array;
    const size = ctor.BYTES_PER_ELEMENT;
    const ops = new Operands(this.o.heap);
    try {
      const b = ops.input(B, K * N, ctor);
      const c = ops.output(C, M * N, ctor, accumulate);
      if (packed && f32 && !transB && this.usePack(packed, transA, M, N, K, b)) {
        this.sparseGemms++;
        this.packedGemms++;
        this.runPacked(packed, transA, M, N, K, b, c, accumulate);
        return;
      }
      const a = ops.input(A, M * K, ctor);
      const lda = transA ? M : K;
      const ldb = transB ? K : N;
      const density = f32 && !transB ? this.sparseDensity(a, M, K, transA, b, N) : 1;
      if (density <= SPARSE_DENSITY) {
        this.sparseGemms++;
        const threads = M * N * K * density >= SPARSE_PARALLEL_MIN ? this.threadCount : 1;
        const step = transA ? 1 : lda; // elements from row i of op(A) to row i + 1
        this.run(
          split(M, threads, 1, 16).map(([s, e]) => ({
            name: 'gemmSparseAF32',
            // prettier-ignore
            args: [+transA, e - s, N, K, a + s * step * size, lda, b, ldb, c + s * N * size, N, +accumulate, 0],
            workspaceArg: 11,
          })),
          threads,
        );
        return;
      }
      const name: TaskName = f32 ? 'gemmF32' : 'gemmF64';
      const threads = M * N * K >= GEMM_PARALLEL_MIN ? this.threadCount : 1;
      // Split the longer side of C, so the operand every range packs in full is the smaller one;
      // bounds are multiples of the micro-tile so no tile is shared.
      const byRows = M >= N;
      const parts = split(byRows ? M : N, threads, byRows ? 4 : f32 ? 8 : 4, 64);
      const tasks = parts.map(([s, e]): Task => {
        const args = byRows
          ? [e - s, N, K, a + (transA ? s : s * lda) * size, lda, b, ldb, c + s * N * size]
          : [M, e - s, K, a, lda, b + (transB ? s * ldb : s) * size, ldb, c + s * size];
        const [m, n, k, pa, la, pb, lb, pc] = args;
        return {
          name,
          args: [+transA, +transB, m, n, k, pa, la, pb, lb, pc, N, +accumulate, 0],
          workspaceArg: 12,
        };
      });
      this.run(tasks, threads);
    } finally {
      ops.finish();
    }
  }

  /** GEMMs that took the sparse kernel (gemmSparseAF32) so far: for tests and benchmarks. */
  sparseGemms = 0;
  /** Those of them that used a pack of A (packSparseA) instead of compressing it. */
  packedGemms = 0;
  /** Packs that packSparseA returned from a gather ahead (takeRowsAhead): for tests and benchmarks. */
  packsAhead = 0;

  packSparseA(A: FloatArray, rows: number, cols: number, n: number): SparsePack | undefined {
    const { heap, exports } = this.o;
    if (!(A instanceof Float32Array) || !heap.contains(A) || A.length < rows * cols)
      return undefined;
    if (!this.packable(rows, cols, n)) return undefined;
    const at = this.aheads.findIndex(
      (e) => e.out === A && e.rows === rows && e.cols === cols && e.pack.n === n,
    );
    if (at >= 0) {
      // made with the gather of A (takeRowsAhead): its pack, once the gather is done
      const [ahead] = this.aheads.splice(at, 1);
      if (ahead === this.posted) this.o.pool?.settle();
      if (this.sampleDensity(A.byteOffset, rows * cols) <= SPARSE_DENSITY) {
        this.packsAhead++;
        return ahead.pack;
      }
      heap.releaseArray(ahead.pack.data);
      return undefined;
    }
    if (this.sampleDensity(A.byteOffset, rows * cols) > SPARSE_DENSITY) return undefined;
    const data = this.packStorage(rows, cols);
    if (!data) return undefined;
    this.lastPack = { rows, cols, n };
    const stride = exports.sparsePackStride(cols);
    const threads = rows * cols >= ROWS_PARALLEL_MIN ? this.threadCount : 1;
    this.run(
      rowShares(rows, threads).map(([s, e]) => ({
        name: 'packSparseAF32',
        // prettier-ignore
        args: [A.byteOffset + s * cols * 4, e - s, cols, cols, n * 4, data.byteOffset + s * stride],
      })),
      threads,
    );
    return { data, rows, cols, n };
  }

  /** Storage for a pack of rows × cols (packSparseAF32's layout), or undefined when full. */
  private packStorage(rows: number, cols: number): Int32Array | undefined {
    const words = (rows * this.o.exports.sparsePackStride(cols)) / 4;
    return this.o.heap.allocArray(Int32Array, words, false);
  }

  /** Whether packSparseA packs a matrix of this shape for products with n columns (if sparse). */
  private packable(rows: number, cols: number, n: number): boolean {
    return (
      cols >= 64 &&
      rows * cols * n >= SPARSE_MIN &&
      rows * this.o.exports.sparsePackStride(cols) <= PACK_MAX_BYTES
    );
  }

  /**
   * The shape and N of the latest pack packSparseA made: takeRowsAhead packs a gather of that
   * shape alike (the next mini-batch of a training loop).
   */
  private lastPack: { rows: number; cols: number; n: number } | undefined;

  /**
   * Packs that takeRowsAhead made of its rows, until packSparseA takes them: the latest two (a
   * training loop gathers the next mini-batch before it packs this one).
   */
  private aheads: AheadPack[] = [];
  /** The one of them whose gather may still be under way (posted to the pool, not settled). */
  private posted: AheadPack | undefined;

  /** takeRowsAhead's copy of its row indices (one gather is ahead at a time). */
  private aheadRows: Int32Array | undefined;

  /**
   * Whether a gemm can use `pack` for its A: made for this product (A's shape, N), in wasm memory,
   * B all finite (as the sparse kernel requires) and, for Aᵀ·B, small enough that the unpacked
   * kernel would not split it between threads (a pack holds whole rows of the stored A, which
   * Aᵀ·B cannot split by rows of C).
   */
  private usePack(
    pack: SparsePack,
    transA: boolean,
    M: number,
    N: number,
    K: number,
    b: number,
  ): boolean {
    const [rows, cols] = transA ? [K, M] : [M, K];
    if (
      pack.rows !== rows ||
      pack.cols !== cols ||
      pack.n !== N ||
      !this.o.heap.contains(pack.data)
    )
      return false;
    if (transA && this.threadCount > 1 && M * N * K * SPARSE_DENSITY >= SPARSE_PARALLEL_MIN)
      return false;
    return this.sparseB(b, K, N);
  }

  /**
   * Whether B (K×N float32 at `b`) can serve the sparse kernel: its last column block reads up to
   * 3 values past B, and skipping 0·B[k, j] is only exact when B[k, j] is finite (0·∞ is NaN).
   */
  private sparseB(b: number, K: number, N: number): boolean {
    const { heap, exports } = this.o;
    if (b + (K * N + 4) * 4 > heap.refresh().byteLength) return false;
    return exports.allFiniteF32(b, K, N, N) !== 0;
  }

  /** C (+)= op(A)·B with A's pack: rows of C split between threads when A is not transposed. */
  private runPacked(
    pack: SparsePack,
    transA: boolean,
    M: number,
    N: number,
    K: number,
    b: number,
    c: number,
    accumulate: boolean,
  ): void {
    const p = pack.data.byteOffset;
    if (transA) {
      this.o.exports.gemmPackedAF32(1, M, N, K, p, b, N, c, N, +accumulate);
      return;
    }
    const stride = this.o.exports.sparsePackStride(K);
    const threads = M * N * K * SPARSE_DENSITY >= SPARSE_PARALLEL_MIN ? this.threadCount : 1;
    this.run(
      split(M, threads, 1, 16).map(([s, e]) => ({
        name: 'gemmPackedAF32',
        args: [0, e - s, N, K, p + s * stride, b, N, c + s * N * 4, N, +accumulate],
      })),
      threads,
    );
  }

  /**
   * The fraction of nonzeros in a sample of about 500 elements of op(A) (float32, M×K at `a`),
   * or 1 when the sparse kernel cannot take the call: B (K×N at `b`) not all finite, a small
   * product (the sample and the check of B would cost more than they save), or K too large.
   */
  private sparseDensity(
    a: number,
    M: number,
    K: number,
    transA: boolean,
    b: number,
    N: number,
  ): number {
    const { exports } = this.o;
    if (K < 64 || M * N * K < SPARSE_MIN || !exports.gemmSparseFits(transA ? M : K)) return 1;
    // The layout does not matter for a density: op(A) is A's M·K elements either way.
    const density = this.sampleDensity(a, M * K);
    if (density > SPARSE_DENSITY) return 1;
    return this.sparseB(b, K, N) ? density : 1;
  }

  /**
   * The fraction of nonzeros in a sample of about 500 of the `total` float32 values at `a`; a
   * dense array (the usual case) stops the count early and reports 1.
   */
  private sampleDensity(a: number, total: number): number {
    const view = this.o.heap.view(Float32Array, a, total);
    const stride = Math.max(1, Math.floor(total / 512)) | 1; // odd: not in step with rows
    const samples = Math.ceil(total / stride);
    const most = Math.floor(samples * SPARSE_DENSITY);
    let nonzero = 0;
    for (let i = 0; i < total; i += stride) if (view[i] !== 0 && ++nonzero > most) return 1;
    return nonzero / samples;
  }

  im2col(x: FloatArray, g: ConvGeometry, col: FloatArray): void {
    this.unroll(x, col, g, true);
  }

  col2im(col: FloatArray, g: ConvGeometry, dx: FloatArray): void {
    this.unroll(col, dx, g, false);
  }

  /**
   * im2col (`toColumns`: images → columns) or its adjoint col2im (columns → images): the same
   * geometry and split by images, in opposite directions.
   */
  private unroll(src: FloatArray, dst: FloatArray, g: ConvGeometry, toColumns: boolean): void {
    const { N, C, H, W, FH, FW, stride, pad } = g;
    const outH = convOutputSize(H, FH, stride, pad);
    const outW = convOutputSize(W, FW, stride, pad);
    const images = N * C * H * W;
    const columns = N * outH * outW * C * FH * FW;
    const ctor = dst instanceof Float32Array ? Float32Array : Float64Array;
    const f32 = ctor === Float32Array;
    const ops = new Operands(this.o.heap);
    try {
      const ps = ops.input(src, toColumns ? images : columns, ctor);
      const pd = ops.output(dst, toColumns ? columns : images, ctor, false);
      const name: TaskName = toColumns
        ? f32
          ? 'im2colF32'
          : 'im2colF64'
        : f32
          ? 'col2imF32'
          : 'col2imF64';
      const threads = columns >= CONV_PARALLEL_MIN ? this.threadCount : 1;
      this.run(
        split(N, threads, 1, 1).map(([n0, n1]) => ({
          name,
          args: [ps, n0, n1, C, H, W, FH, FW, stride, pad, outH, outW, pd],
        })),
        threads,
      );
    } finally {
      ops.finish();
    }
  }

  maxPoolForward(x: FloatArray, g: ConvGeometry, out: FloatArray, argmax: Int32Array): void {
    const { N, C, H, W, FH, FW, stride, pad } = g;
    const outH = convOutputSize(H, FH, stride, pad);
    const outW = convOutputSize(W, FW, stride, pad);
    const ctor = out instanceof Float32Array ? Float32Array : Float64Array;
    const planes = N * C;
    const ops = new Operands(this.o.heap);
    try {
      const px = ops.input(x, planes * H * W, ctor);
      const pout = ops.output(out, planes * outH * outW, ctor, false);
      const parg = ops.output(argmax, planes * outH * outW, Int32Array, false);
      const name: TaskName = ctor === Float32Array ? 'maxPoolForwardF32' : 'maxPoolForwardF64';
      const threads = planes * outH * outW * FH * FW >= CONV_PARALLEL_MIN ? this.threadCount : 1;
      this.run(
        split(planes, threads, 1, 1).map(([p0, p1]) => ({
          name,
          args: [px, p0, p1, H, W, FH, FW, stride, pad, outH, outW, pout, parg],
        })),
        threads,
      );
    } finally {
      ops.finish();
    }
  }

  /** The geometry block of assembly/fused.ts: C, H, W, FH, FW, stride, pad, outH, outW, FN. */
  private geometry(ops: Operands, g: ConvGeometry, FN: number): [number, number, number] {
    const outH = convOutputSize(g.H, g.FH, g.stride, g.pad);
    const outW = convOutputSize(g.W, g.FW, g.stride, g.pad);
    const block = [g.C, g.H, g.W, g.FH, g.FW, g.stride, g.pad, outH, outW, FN];
    const ptr = ops.input(new Int32Array(block), block.length, Int32Array);
    return [ptr, g.C * g.FH * g.FW, outH * outW];
  }

  convForward(
    x: FloatArray,
    W: FloatArray,
    b: FloatArray,
    g: ConvGeometry,
    FN: number,
    out: FloatArray,
  ): void {
    const ctor = out instanceof Float32Array ? Float32Array : Float64Array;
    const { N, C, H } = g;
    const ops = new Operands(this.o.heap);
    try {
      const [pg, K, P] = this.geometry(ops, g, FN);
      const px = ops.input(x, N * C * H * g.W, ctor);
      const pw = ops.input(W, FN * K, ctor);
      const pb = ops.input(b, FN, ctor);
      const pout = ops.output(out, N * FN * P, ctor, false);
      const { exports } = this.o;
      this.ensureWork(
        exports.convScratchOffset() + exports.convScratchBytes(pg, ctor.BYTES_PER_ELEMENT, 0),
      );
      const name: TaskName = ctor === Float32Array ? 'convForwardF32' : 'convForwardF64';
      const threads = N > 1 && N * FN * P * K >= GEMM_PARALLEL_MIN ? this.threadCount : 1;
      this.run(
        split(N, threads, 1, 1).map(([n0, n1]) => ({
          name,
          args: [pg, px, pw, pb, pout, n0, n1, 0],
          workspaceArg: 7,
        })),
        threads,
      );
    } finally {
      ops.finish();
    }
  }

  convBackward(
    x: FloatArray,
    dout: FloatArray,
    W: FloatArray,
    g: ConvGeometry,
    FN: number,
    dW: FloatArray,
    db: FloatArray,
    dx: FloatArray | undefined,
  ): void {
    const f32 = dW instanceof Float32Array;
    const ctor = f32 ? Float32Array : Float64Array;
    const size = ctor.BYTES_PER_ELEMENT;
    const { N, C, H } = g;
    const ops = new Operands(this.o.heap);
    try {
      const [pg, K, P] = this.geometry(ops, g, FN);
      const px = ops.input(x, N * C * H * g.W, ctor);
      const pdout = ops.input(dout, N * FN * P, ctor);
      const pw = ops.input(W, FN * K, ctor);
      const pdW = ops.output(dW, FN * K, ctor, false);
      const pdb = ops.output(db, FN, ctor, false);
      const pdx = dx === undefined ? 0 : ops.output(dx, N * C * H * g.W, ctor, false);
      const { exports } = this.o;
      this.ensureWork(
        exports.convScratchOffset() + exports.convScratchBytes(pg, size, dx === undefined ? 1 : 2),
      );
      // Each chunk writes its dW and db into its own block of `partial`; then they are summed.
      const chunk = Math.ceil(N / CONV_BACKWARD_CHUNKS);
      const parts: [number, number][] = [];
      for (let n0 = 0; n0 < N; n0 += chunk) parts.push([n0, Math.min(N, n0 + chunk)]);
      const stride = FN * K + FN;
      const partial = ops.alloc(parts.length * stride, ctor);
      const name: TaskName = f32 ? 'convBackwardF32' : 'convBackwardF64';
      const threads = N > 1 && N * FN * P * K >= GEMM_PARALLEL_MIN ? this.threadCount : 1;
      this.run(
        parts.map(([n0, n1], c) => ({
          name,
          args: [pg, px, pdout, pw, partial + c * stride * size, pdx, n0, n1, 0],
          workspaceArg: 8,
        })),
        threads,
      );
      const sum = f32 ? exports.sumBlocksF32 : exports.sumBlocksF64;
      sum(partial, parts.length, stride, FN * K, pdW);
      sum(partial + FN * K * size, parts.length, stride, FN, pdb);
    } finally {
      ops.finish();
    }
  }

  /** Runs an elementwise task over [0, n) in ranges of whole vectors. */
  private elementwise(
    name: TaskName,
    n: number,
    args: number[],
    parallelMin = ELEMENTWISE_PARALLEL_MIN,
  ): void {
    const threads = n >= parallelMin ? this.threadCount : 1;
    this.run(
      split(n, threads, 16, 1 << 16).map(([i0, i1]) => ({ name, args: [...args, i0, i1] })),
      threads,
    );
  }

  takeRows(src: TypedArray, rows: Int32Array, rowSize: number, out: TypedArray): void {
    const { heap } = this.o;
    // Arrays elsewhere (the JavaScript heap) are copied where they lie: moving them into wasm
    // memory first would copy all of src.
    if (!heap.contains(src) || !heap.contains(out)) {
      referenceKernels.takeRows(src, rows, rowSize, out);
      return;
    }
    const ops = new Operands(heap);
    try {
      const pr = ops.input(rows, rows.length, Int32Array);
      const bytes = rowSize * src.BYTES_PER_ELEMENT;
      const threads = rows.length * bytes >= ROWS_PARALLEL_MIN ? this.threadCount : 1;
      this.run(
        rowShares(rows.length, threads).map(([s, e]) => ({
          name: 'takeRows',
          args: [src.byteOffset, pr + s * 4, e - s, bytes, out.byteOffset + s * bytes],
        })),
        threads,
      );
    } finally {
      ops.finish();
    }
  }

  takeRowsAhead(
    src: TypedArray,
    rows: Int32Array,
    rowSize: number,
    out: TypedArray,
    sparse: boolean,
  ): () => void {
    const { heap, pool } = this.o;
    // the gather before is done (its pack may still be taken); one older pack was never taken
    pool?.settle();
    this.posted = undefined;
    while (this.aheads.length > 1) heap.releaseArray(this.aheads.shift()!.pack.data);
    const count = rows.length;
    let indices = this.aheadRows;
    if (pool && this.threadCount > 1 && (indices === undefined || indices.length < count)) {
      if (indices) heap.releaseArray(indices);
      indices = this.aheadRows = heap.allocArray(Int32Array, Math.max(count, 256), false);
    }
    if (!pool || this.threadCount < 2 || !indices || !heap.contains(src) || !heap.contains(out)) {
      // no worker: gathered when finished, as take() would
      return () => this.takeRows(src, rows, rowSize, out);
    }
    indices.set(rows);
    const bytes = rowSize * src.BYTES_PER_ELEMENT;
    let task: Task = {
      name: 'takeRows',
      args: [src.byteOffset, indices.byteOffset, count, bytes, out.byteOffset],
    };
    // packed as packSparseA packed the last matrix of this shape: the previous mini-batch
    const last = this.lastPack;
    if (
      sparse &&
      out instanceof Float32Array &&
      last?.rows === count &&
      last.cols === rowSize &&
      this.packable(count, rowSize, last.n)
    ) {
      const data = this.packStorage(count, rowSize);
      if (data) {
        const pack = { data, rows: count, cols: rowSize, n: last.n };
        this.posted = { out, rows: count, cols: rowSize, pack };
        this.aheads.push(this.posted);
        task = {
          name: 'takeRowsPackF32',
          // prettier-ignore
          args: [src.byteOffset, indices.byteOffset, count, rowSize, out.byteOffset, last.n * 4, data.byteOffset],
        };
      }
    }
    pool.post([task], 2, this.o.work);
    return () => pool.settle();
  }

  lookupBytes(table: TypedArray, index: Uint8Array, out: TypedArray): void {
    const ctor =
      table instanceof Float32Array
        ? Float32Array
        : table instanceof Float64Array
          ? Float64Array
          : table instanceof Int32Array
            ? Int32Array
            : undefined;
    // out in place (a look-up writes each element once, as a copy out of wasm memory would);
    // an index on the JavaScript heap is copied in, a quarter of out's bytes, a block at a time
    // (a whole dataset's pixels would take as much scratch)
    if (!ctor || !this.o.heap.contains(out)) {
      referenceKernels.lookupBytes(table, index, out);
      return;
    }
    const name = ctor === Float64Array ? 'lookupBytes8' : 'lookupBytes4';
    const n = out.length;
    const block = this.o.heap.contains(index) ? n : LOOKUP_BLOCK;
    for (let i0 = 0; i0 < n; i0 += block) {
      const m = Math.min(block, n - i0);
      const ops = new Operands(this.o.heap);
      try {
        const pt = ops.input(table as Float32Array | Float64Array | Int32Array, 256, ctor);
        const pi = ops.input(index.subarray(i0, i0 + m), m, Uint8Array);
        const dst = out.byteOffset + i0 * out.BYTES_PER_ELEMENT;
        // split as a gather of the same rows is (ROWS_PARALLEL_MIN): a batch's look-up reads
        // the pixels that each thread has just gathered
        this.elementwise(name, m, [pt, pi, dst], ROWS_PARALLEL_MIN);
      } finally {
        ops.finish();
      }
    }
  }

  sumRows(src: FloatArray, rows: number, cols: number, acc: Float64Array): void {
    // In place only, as allFinite.
    if (!this.o.heap.contains(src)) {
      referenceKernels.sumRows(src, rows, cols, acc);
      return;
    }
    const ops = new Operands(this.o.heap);
    try {
      const pa = ops.output(acc, cols, Float64Array, true);
      const f32 = src instanceof Float32Array;
      (f32 ? this.o.exports.sumRowsF32 : this.o.exports.sumRowsF64)(src.byteOffset, rows, cols, pa);
    } finally {
      ops.finish();
    }
  }

  allFinite(a: FloatArray): boolean {
    // In place only: copying an array into wasm memory costs more than the JavaScript loop.
    if (!this.o.heap.contains(a)) return referenceKernels.allFinite(a);
    const check =
      a instanceof Float32Array ? this.o.exports.allFiniteF32 : this.o.exports.allFiniteF64;
    return check(a.byteOffset, 1, a.length, a.length) !== 0;
  }

  softmaxRows(x: FloatArray, rows: number, cols: number, out: FloatArray): void {
    const ctor = out instanceof Float32Array ? Float32Array : Float64Array;
    const n = rows * cols;
    const ops = new Operands(this.o.heap);
    try {
      const px = ops.input(x, n, ctor);
      const pout = ops.output(out, n, ctor, false);
      const f =
        ctor === Float32Array ? this.o.exports.softmaxRowsF32 : this.o.exports.softmaxRowsF64;
      f(px, pout, rows, cols);
    } finally {
      ops.finish();
    }
  }

  reluForward(x: FloatArray, out: FloatArray): void {
    const ctor = out instanceof Float32Array ? Float32Array : Float64Array;
    const n = out.length;
    const ops = new Operands(this.o.heap);
    try {
      const px = ops.input(x, n, ctor);
      const pout = ops.output(out, n, ctor, false);
      this.elementwise(ctor === Float32Array ? 'reluForwardF32' : 'reluForwardF64', n, [px, pout]);
    } finally {
      ops.finish();
    }
  }

  reluBackward(out: FloatArray, dout: FloatArray, dx: FloatArray): void {
    const ctor = dx instanceof Float32Array ? Float32Array : Float64Array;
    const n = dx.length;
    const ops = new Operands(this.o.heap);
    try {
      const pout = ops.input(out, n, ctor);
      const pdout = ops.input(dout, n, ctor);
      const pdx = ops.output(dx, n, ctor, false);
      const name: TaskName = ctor === Float32Array ? 'reluBackwardF32' : 'reluBackwardF64';
      this.elementwise(name, n, [pout, pdout, pdx]);
    } finally {
      ops.finish();
    }
  }

  sgdUpdate(p: FloatArray, g: FloatArray, lr: number): void {
    const ctor = p instanceof Float32Array ? Float32Array : Float64Array;
    const n = p.length;
    const ops = new Operands(this.o.heap);
    try {
      const pp = ops.output(p, n, ctor, true);
      const pg = ops.input(g, n, ctor);
      const ph = this.hyper(ops, [lr]);
      this.elementwise(ctor === Float32Array ? 'sgdTaskF32' : 'sgdTaskF64', n, [pp, pg, ph]);
    } finally {
      ops.finish();
    }
  }

  adamUpdate(
    p: FloatArray,
    g: FloatArray,
    m: FloatArray,
    v: FloatArray,
    lrT: number,
    a1: number,
    a2: number,
    eps: number,
  ): void {
    const ctor = p instanceof Float32Array ? Float32Array : Float64Array;
    const n = p.length;
    const ops = new Operands(this.o.heap);
    try {
      const pp = ops.output(p, n, ctor, true);
      const pg = ops.input(g, n, ctor);
      const pm = ops.output(m, n, ctor, true);
      const pv = ops.output(v, n, ctor, true);
      const ph = this.hyper(ops, [lrT, a1, a2, eps]);
      const name: TaskName = ctor === Float32Array ? 'adamTaskF32' : 'adamTaskF64';
      this.elementwise(name, n, [pp, pg, pm, pv, ph]);
    } finally {
      ops.finish();
    }
  }

  /**
   * An update's float64 hyperparameters in a block of the call (tasks take i32 arguments only;
   * assembly/optim.ts reads them back).
   */
  private hyper(ops: Operands, values: number[]): number {
    const ptr = ops.alloc(values.length, Float64Array);
    this.o.heap.view(Float64Array, ptr, values.length).set(values);
    return ptr;
  }

  maxPoolBackward(dout: FloatArray, argmax: Int32Array, dx: FloatArray): void {
    // One thread: windows of different outputs may share an input when stride < window, and the
    // sums must run in the reference order; the loop is a single pass over argmax anyway.
    const ctor = dx instanceof Float32Array ? Float32Array : Float64Array;
    const ops = new Operands(this.o.heap);
    try {
      const count = argmax.length;
      const pdout = ops.input(dout, count, ctor);
      const parg = ops.input(argmax, count, Int32Array);
      const pdx = ops.output(dx, dx.length, ctor, false);
      const f =
        ctor === Float32Array
          ? this.o.exports.maxPoolBackwardF32
          : this.o.exports.maxPoolBackwardF64;
      f(pdout, parg, count, pdx, dx.length);
    } finally {
      ops.finish();
    }
  }
}
