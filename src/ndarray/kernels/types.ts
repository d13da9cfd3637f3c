// The kernels interface: every heavy loop of scratchnet goes through one of these functions, so a
// faster backend (WebAssembly SIMD, threads) can replace the reference TypeScript without touching
// callers. All arrays are dense, row-major and of one float dtype per call.
import type { FloatArray, TypedArray } from '../dtype.js';

/** Geometry of a 2-D convolution or pooling window over an (N, C, H, W) input. */
export interface ConvGeometry {
  N: number;
  C: number;
  H: number;
  W: number;
  /** filter (or pool window) height and width */
  FH: number;
  FW: number;
  stride: number;
  pad: number;
}

/**
 * A mostly-zero float32 matrix compressed by a backend (Kernels.packSparseA) for reuse by gemm:
 * a first Affine layer compresses its input batch once for x·W and again would for xᵀ·dout.
 * Opaque outside the backend; valid while the matrix it was made from keeps its values.
 */
export interface SparsePack {
  /** The backend's storage of the pack (in its memory, freed with the array). */
  readonly data: Int32Array;
  /** The matrix it was made from: rows × cols. */
  readonly rows: number;
  readonly cols: number;
  /** The N of the products it serves (the columns of W and of dW). */
  readonly n: number;
}

export interface Kernels {
  /** Name shown in benchmarks and errors, e.g. `'reference'` or `'wasm-simd'`. */
  readonly name: string;
  /**
   * C (M×N) = op(A) · op(B), or C += op(A) · op(B) when `accumulate` is true.
   * op(A) is M×K: A is stored M×K, or K×M when `transA`. op(B) is K×N: B is stored K×N, or N×K
   * when `transB`. A, B and C have the same dtype and do not overlap. `packed`, a pack of the
   * stored A made by packSparseA from A's current values, lets the backend skip compressing A;
   * the result is the same with or without it.
   */
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
  ): void;
  /**
   * Optional: A (rows × cols, stored row-major) compressed for gemm calls with N columns that
   * use it as A (x·W) or as Aᵀ (xᵀ·dout); undefined when the backend would not treat A as sparse.
   */
  packSparseA?(A: FloatArray, rows: number, cols: number, n: number): SparsePack | undefined;
  /**
   * im2col with the book's layout: x (N, C, H, W) → col (N·outH·outW, C·FH·FW).
   * Every element of `col` is written (padding reads as 0).
   */
  im2col(x: FloatArray, g: ConvGeometry, col: FloatArray): void;
  /**
   * col2im, the adjoint of im2col: col (N·outH·outW, C·FH·FW) → dx (N, C, H, W), summing the
   * contributions of overlapping windows. `dx` is overwritten (not accumulated into).
   */
  col2im(col: FloatArray, g: ConvGeometry, dx: FloatArray): void;
  /**
   * Max pooling forward over x (N, C, H, W) → out (N, C, outH, outW), padding reads as -Infinity.
   * `argmax` receives, per output element, the flat index into x of the chosen input
   * (-1 when the window lies entirely in the padding); ties choose the first in row-major order.
   */
  maxPoolForward(x: FloatArray, g: ConvGeometry, out: FloatArray, argmax: Int32Array): void;
  /** Max pooling backward: dx (N, C, H, W) is overwritten with dout scattered to `argmax`. */
  maxPoolBackward(dout: FloatArray, argmax: Int32Array, dx: FloatArray): void;
  /**
   * Convolution forward, the book's `im2col(x) · W.reshape(FN, -1).T + b` rearranged into images:
   * x (N, C, H, W), W (FN, C, FH, FW), b (FN,) → out (N, FN, outH, outW), overwritten.
   */
  convForward(
    x: FloatArray,
    W: FloatArray,
    b: FloatArray,
    g: ConvGeometry,
    FN: number,
    out: FloatArray,
  ): void;
  /**
   * Convolution backward from dout (N, FN, outH, outW) for the input x (N, C, H, W) of the forward:
   * dW (FN, C, FH, FW) and db (FN,) are overwritten, and dx (N, C, H, W) too unless it is
   * undefined (a first layer's input needs no gradient).
   */
  convBackward(
    x: FloatArray,
    dout: FloatArray,
    W: FloatArray,
    g: ConvGeometry,
    FN: number,
    dW: FloatArray,
    db: FloatArray,
    dx: FloatArray | undefined,
  ): void;
  /**
   * softmax of each row of x (rows × cols) into out (which may be x), as the reference computes
   * it in JavaScript: x − max(row) and Math.exp of it stored in the array's type, the row sum
   * pairwise (reduce.ts's pairwiseSum) and stored, each exp divided by it. A NaN in a row makes
   * the row NaN.
   */
  softmaxRows(x: FloatArray, rows: number, cols: number, out: FloatArray): void;
  /** ReLU forward: out[i] = x[i] > 0 ? x[i] : 0 (NaN passes), for i < out.length. */
  reluForward(x: FloatArray, out: FloatArray): void;
  /**
   * ReLU backward from the forward's output: dx[i] = out[i] === 0 ? 0 : dout[i] — out is 0
   * exactly where x ≤ 0 — for i < dx.length.
   */
  reluBackward(out: FloatArray, dout: FloatArray, dx: FloatArray): void;
  /**
   * Row gather (x[batchMask]): out[i·rowSize …] = src[rows[i]·rowSize …] for each i, rows already
   * checked and non-negative; src and out are arrays of the same type.
   */
  takeRows(src: TypedArray, rows: Int32Array, rowSize: number, out: TypedArray): void;
  /**
   * Optional: takeRows begun in the background (on a worker thread, while the caller goes on),
   * returning the function that finishes it. Until that function returns, nothing may touch
   * `out` or write `src`. With `sparse`, the backend may compress `out` on the way, as
   * packSparseA would compress it, and hand that pack to the first packSparseA(out, …) call: the
   * caller must not write `out` before that call (a training loop's next mini-batch).
   */
  takeRowsAhead?(
    src: TypedArray,
    rows: Int32Array,
    rowSize: number,
    out: TypedArray,
    sparse: boolean,
  ): () => void;
  /**
   * A table look-up by bytes (`table[x]` for a uint8 x): out[i] = table[index[i]] for
   * i < out.length (= index.length). `table` has at least 256 elements, so every byte is a valid
   * index, and is an array of out's type.
   */
  lookupBytes(table: TypedArray, index: Uint8Array, out: TypedArray): void;
  /**
   * acc[j] += Σ_i src[i·cols + j] for j < cols, over the rows in order, in float64: a sum over
   * the leading axes (a bias gradient, dout.sum(0)) with the additions of the reference loop.
   */
  sumRows(src: FloatArray, rows: number, cols: number, acc: Float64Array): void;
  /** Whether every element of `a` is finite (no NaN, no ±Infinity): a training loop's check of its gradients. */
  allFinite(a: FloatArray): boolean;
  /** SGD in place: p[i] −= lr·g[i], computed as JavaScript does (in float64, rounded on store). */
  sgdUpdate(p: FloatArray, g: FloatArray, lr: number): void;
  /**
   * Adam in place (the book's form, bias correction folded into lrT): m += a1·(g − m);
   * v += a2·(g² − v); p −= lrT·m / (√v + eps), computed as JavaScript does on these arrays.
   */
  adamUpdate(
    p: FloatArray,
    g: FloatArray,
    m: FloatArray,
    v: FloatArray,
    lrT: number,
    a1: number,
    a2: number,
    eps: number,
  ): void;
}

/** Output size of a convolution or pooling along one axis: (in + 2·pad − filter) / stride + 1. */
export function convOutputSize(inputSize: number, filterSize: number, stride = 1, pad = 0): number {
  return Math.floor((inputSize + 2 * pad - filterSize) / stride) + 1;
}
