// dot and matmul with NumPy's shape rules; the multiply itself is the kernels' gemm.
import { allocate, allocateEmpty, isFloat, promote, type DType, type FloatArray } from './dtype.js';
import { kernels, type SparsePack } from './kernels/index.js';
import { NDArray } from './ndarray.js';
import { broadcastShapes, broadcastStrides, formatShape, sizeOf } from './shape.js';

/** The float dtype the multiply runs in, and the dtype of the result. */
function dtypes(a: NDArray, b: NDArray): { compute: 'float32' | 'float64'; result: DType } {
  const result = promote(a.dtype, b.dtype);
  const compute = result === 'float32' ? 'float32' : 'float64';
  // Integer and bool products are computed in float64 (exact below 2^53) and stored as int32.
  return { compute, result: isFloat(result) ? result : 'int32' };
}

function floatData(x: NDArray, dtype: 'float32' | 'float64'): FloatArray {
  return (x.dtype === dtype ? x.data : x.astype(dtype).data) as FloatArray;
}

function notAligned(a: NDArray, b: NDArray, da: number, db: number): Error {
  return new Error(
    `shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} not aligned: ` +
      `${a.shape[da]} (dim ${da}) != ${b.shape[db]} (dim ${db})`,
  );
}

/** out (M×N) = A (M×K) · B (K×N) in the compute dtype, converted to the result dtype. */
function multiply(
  a: NDArray,
  b: NDArray,
  M: number,
  N: number,
  K: number,
  shape: readonly number[],
): NDArray {
  const { compute, result } = dtypes(a, b);
  const C = allocateEmpty(compute, M * N); // gemm writes every element (accumulate false)
  if (M * N > 0)
    kernels().gemm(false, false, M, N, K, floatData(a, compute), floatData(b, compute), C, false);
  const out = new NDArray(C, shape, compute);
  return result === compute ? out : out.astype(result);
}

/**
 * `np.dot(a, b)`: for 1-D·1-D the inner product (0-d array); 2-D·2-D the matrix product;
 * N-D·1-D sums over the last axis; N-D·M-D sums over a's last and b's second-to-last axis.
 * @throws `shapes (2,3) and (2,2) not aligned: 3 (dim 1) != 2 (dim 0)`
 */
export function dot(a: NDArray, b: NDArray): NDArray {
  if (a.ndim === 0 || b.ndim === 0) return a.mul(b);
  const da = a.ndim - 1;
  const db = b.ndim === 1 ? 0 : b.ndim - 2;
  const K = a.shape[da];
  if (b.shape[db] !== K) throw notAligned(a, b, da, db);
  const lead = a.shape.slice(0, -1);
  const M = sizeOf(lead);
  if (b.ndim <= 2) {
    const N = b.ndim === 1 ? 1 : b.shape[1];
    const shape = b.ndim === 1 ? lead : [...lead, N];
    return multiply(a.reshape(M, K), b.reshape(K, N), M, N, K, shape);
  }
  // b (..., K, N): bring K to the front → (K, ..., N), a (M, K) · (K, P) → a.shape[:-1] + b.shape[:-2] + (N,)
  const axes = [db, ...[...Array(b.ndim).keys()].filter((i) => i !== db)];
  const bt = b.transpose(axes);
  const P = sizeOf(b.shape.filter((_, i) => i !== db));
  const shape = [...lead, ...b.shape.slice(0, -2), b.shape[b.ndim - 1]];
  return multiply(a.reshape(M, K), bt.reshape(K, P), M, P, K, shape);
}

/**
 * `np.matmul(a, b)` (`a @ b`): matrix products over the last two axes, broadcasting the leading
 * ones; a 1-D operand is promoted to a matrix and the added axis removed afterwards.
 */
export function matmul(a: NDArray, b: NDArray): NDArray {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new Error(
      'matmul: Input operand does not have enough dimensions (a scalar is not allowed)',
    );
  }
  if (a.ndim <= 2 && b.ndim <= 2) return dot(a, b);
  const A = a.ndim === 1 ? a.reshape(1, a.size) : a;
  const B = b.ndim === 1 ? b.reshape(b.size, 1) : b;
  const [M, K] = A.shape.slice(-2);
  const [K2, N] = B.shape.slice(-2);
  if (K !== K2) {
    throw new Error(
      `matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature ` +
        `(n?,k),(k,m?)->(n?,m?) (size ${K2} is different from ${K})`,
    );
  }
  const batch = broadcastShapes(A.shape.slice(0, -2), B.shape.slice(0, -2));
  const { compute, result } = dtypes(a, b);
  const ad = floatData(A, compute);
  const bd = floatData(B, compute);
  const sa = broadcastStrides(A.shape.slice(0, -2), batch);
  const sb = broadcastStrides(B.shape.slice(0, -2), batch);
  const nb = sizeOf(batch);
  const C = allocate(compute, nb * M * N);
  const k = kernels();
  for (let i = 0; i < nb; i++) {
    // batch index → offsets of the A and B matrices (in units of whole matrices)
    let rem = i;
    let oa = 0;
    let ob = 0;
    for (let ax = batch.length - 1; ax >= 0; ax--) {
      const c = rem % batch[ax];
      rem = (rem - c) / batch[ax];
      oa += c * sa[ax];
      ob += c * sb[ax];
    }
    k.gemm(
      false,
      false,
      M,
      N,
      K,
      ad.subarray(oa * M * K, (oa + 1) * M * K),
      bd.subarray(ob * K * N, (ob + 1) * K * N),
      C.subarray(i * M * N, (i + 1) * M * N),
      false,
    );
  }
  let shape = [...batch, M, N];
  if (a.ndim === 1) shape = [...batch, N];
  if (b.ndim === 1) shape = a.ndim === 1 ? [...batch] : [...batch, M];
  const out = new NDArray(C, shape, compute);
  return result === compute ? out : out.astype(result);
}

/** Options of {@link gemm}. */
export interface GemmOptions {
  /** Use aᵀ: a is stored (K, M). */
  transA?: boolean;
  /** Use bᵀ: b is stored (N, K). */
  transB?: boolean;
  /** Write into this (M, N) array of the operands' float dtype instead of a new one. */
  out?: NDArray;
  /** With `out`: add the product to out's values (out += op(a)·op(b)). */
  accumulate?: boolean;
  /**
   * A pack of `a` as stored (packSparse), made from a's current values: the kernels skip
   * compressing a mostly-zero `a` again. The result is the same with or without it.
   */
  packedA?: SparsePack;
}

/**
 * A mostly-zero float32 2-D array `a` compressed for gemm's `packedA`, for products with `n`
 * columns that use it as a (a·W) or as aᵀ (aᵀ·dout) — what the first Affine layer does with an
 * MNIST batch, four-fifths zeros, in forward and backward. Undefined when the kernels would not
 * treat `a` as sparse (or cannot pack).
 */
export function packSparse(a: NDArray, n: number): SparsePack | undefined {
  const k = kernels();
  if (k.packSparseA === undefined || a.ndim !== 2 || a.dtype !== 'float32') return undefined;
  return k.packSparseA(a.data as FloatArray, a.shape[0], a.shape[1], n);
}

/**
 * op(a) · op(b) for 2-D float arrays, op transposing where asked. The kernel reads a transposed
 * operand where it lies, so `dout · Wᵀ` or `xᵀ · dout` (Affine.backward) copy nothing, and `out`
 * lets a gradient be written into its own array.
 * @returns (M, N), `out` when given
 */
export function gemm(
  a: NDArray,
  b: NDArray,
  { transA = false, transB = false, out, accumulate = false, packedA }: GemmOptions = {},
): NDArray {
  if (a.ndim !== 2 || b.ndim !== 2) {
    throw new Error(
      `gemm: expected 2-D operands, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const [M, K] = transA ? [a.shape[1], a.shape[0]] : a.shape;
  const [K2, N] = transB ? [b.shape[1], b.shape[0]] : b.shape;
  if (K !== K2) throw notAligned(a, b, transA ? 0 : 1, transB ? 1 : 0);
  const dtype = out ? out.dtype : promote(a.dtype, b.dtype) === 'float32' ? 'float32' : 'float64';
  if (dtype !== 'float32' && dtype !== 'float64')
    throw new Error(`gemm: expected a float out array, got ${dtype}`);
  // A fresh C is written whole without accumulate (0 + A·B with it)
  const C =
    out ??
    new NDArray(accumulate ? allocate(dtype, M * N) : allocateEmpty(dtype, M * N), [M, N], dtype);
  if (C.shape.length !== 2 || C.shape[0] !== M || C.shape[1] !== N) {
    throw new Error(
      `gemm: expected out of shape ${formatShape([M, N])}, got ${formatShape(C.shape)}`,
    );
  }
  if (M * N > 0) {
    kernels().gemm(
      transA,
      transB,
      M,
      N,
      K,
      floatData(a, dtype),
      floatData(b, dtype),
      C.data as FloatArray,
      accumulate && out !== undefined,
      a.dtype === dtype ? packedA : undefined,
    );
  }
  return C;
}
