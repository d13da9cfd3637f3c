// dtypes: the five element types scratchnet stores, their typed-array storage and NumPy's promotion rules.

/** The element types of an NDArray. `float64` is the default, as in NumPy. */
export type DType = 'float64' | 'float32' | 'int32' | 'uint8' | 'bool';

/** Storage of each dtype. `bool` is stored as 0/1 bytes. */
export interface StorageOf {
  float64: Float64Array;
  float32: Float32Array;
  int32: Int32Array;
  uint8: Uint8Array;
  bool: Uint8Array;
}

export type TypedArray = Float64Array | Float32Array | Int32Array | Uint8Array;
export type FloatArray = Float64Array | Float32Array;
export type FloatDType = 'float64' | 'float32';

export const DTYPES: readonly DType[] = ['float64', 'float32', 'int32', 'uint8', 'bool'];

/**
 * Where NDArray storage comes from. The default is the JavaScript heap; a kernel backend may install
 * one that places float storage in its own (WebAssembly) memory so kernels need not copy operands.
 */
export interface Allocator {
  /** Zeroed storage for `n` elements of `dtype`. */
  allocate(dtype: DType, n: number): TypedArray;
  /**
   * Storage for `n` elements whose contents are unspecified (NumPy's `empty`), for a caller that
   * writes every element; defaults to allocate(). A reused block then skips its zeroing pass.
   */
  empty?(dtype: DType, n: number): TypedArray;
  /**
   * Takes back storage from allocate()/empty() before it is garbage-collected, for reuse by the
   * next request (see {@link releaseStorage}); storage it does not own is ignored.
   */
  release?(data: TypedArray): void;
}

export const heapAllocator: Allocator = {
  allocate(dtype: DType, n: number): TypedArray {
    switch (dtype) {
      case 'float64':
        return new Float64Array(n);
      case 'float32':
        return new Float32Array(n);
      case 'int32':
        return new Int32Array(n);
      case 'uint8':
      case 'bool':
        return new Uint8Array(n);
    }
  },
};

let allocator: Allocator = heapAllocator;

/** Installs the allocator NDArray storage comes from; returns the previous one. */
export function setAllocator(a: Allocator): Allocator {
  const previous = allocator;
  allocator = a;
  return previous;
}

/** Allocates zeroed storage of `dtype` for `n` elements through the current allocator. */
export function allocate<D extends DType>(dtype: D, n: number): StorageOf[D];
export function allocate(dtype: DType, n: number): TypedArray {
  return allocator.allocate(dtype, n);
}

/**
 * Storage of `dtype` for `n` elements with unspecified contents, NumPy's `np.empty`: only for
 * callers that overwrite every element (kernel outputs). On the JavaScript heap it is zeroed
 * anyway; the wasm heap skips clearing a reused block, a pass over memory per array saved.
 */
export function allocateEmpty<D extends DType>(dtype: D, n: number): StorageOf[D];
export function allocateEmpty(dtype: DType, n: number): TypedArray {
  return allocator.empty ? allocator.empty(dtype, n) : allocator.allocate(dtype, n);
}

/**
 * Hands `data` back to the allocator now instead of when it is garbage-collected, so the next
 * request of its size reuses it while it is still in cache. Only for storage nobody will read or
 * write again — not through this array, an NDArray over it, or a view of it — because its memory
 * is given to the next array: e.g. Sequential.backward releases each layer's dL/dx once the layer
 * below has consumed it. On the JavaScript heap it does nothing.
 */
export function releaseStorage(data: TypedArray): void {
  allocator.release?.(data);
}

/** Whether two typed arrays overlap in memory (an array and a view of it, or a reshape). */
export function sharesStorage(a: TypedArray, b: TypedArray): boolean {
  if (a.buffer !== b.buffer) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** The dtype a typed array stores (Uint8Array reads as uint8; bool must be named explicitly). */
export function dtypeOf(data: TypedArray): DType {
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  return 'uint8';
}

/** Whether `dtype` stores floating-point values. */
export function isFloat(dtype: DType): dtype is FloatDType {
  return dtype === 'float64' || dtype === 'float32';
}

/** Whether `dtype` stores integers or booleans. */
export function isIntegral(dtype: DType): boolean {
  return !isFloat(dtype);
}

// Rank in NumPy's lattice for the pairs we store. int32 with float32 goes to float64, as in NumPy
// (float32 cannot hold every int32 exactly).
const RANK: Record<DType, number> = { bool: 0, uint8: 1, int32: 2, float32: 3, float64: 4 };

/** NumPy's result type of two arrays, e.g. `promote('int32', 'float32')` is `'float64'`. */
export function promote(a: DType, b: DType): DType {
  if (a === b) return a;
  if ((a === 'int32' && b === 'float32') || (a === 'float32' && b === 'int32')) return 'float64';
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * NumPy's result type of an array and a JavaScript number (a Python scalar): the array's dtype
 * wins unless the number is a float and the array integral (then float64), or the array is bool
 * and the number an integer (then int32).
 */
export function promoteScalar(a: DType, value: number): DType {
  const integral = Number.isInteger(value);
  if (isFloat(a)) return a;
  if (!integral) return 'float64';
  if (a === 'bool') return 'int32';
  if (a === 'uint8' && (value < 0 || value > 255)) return 'int32';
  return a;
}

/** The float dtype an operation such as `exp` or `/` produces for `dtype` (float32 stays float32). */
export function floatResult(dtype: DType): FloatDType {
  return dtype === 'float32' ? 'float32' : 'float64';
}
