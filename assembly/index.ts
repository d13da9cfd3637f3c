// Entry of the scratchnet kernel module (AssemblyScript): re-exports the kernels. The module
// imports its memory (shared, so worker threads run the same code over the same data) and
// allocates nothing itself: the JavaScript side owns the memory above heapBase().
export { gemmF32, gemmF64, gemmWorkBytes } from './gemm';
export { sgdTaskF32, sgdTaskF64, adamTaskF32, adamTaskF64 } from './optim';
export { softmaxRowsF32, softmaxRowsF64 } from './softmax';
export {
  gemmSparseAF32,
  gemmSparseFits,
  allFiniteF32,
  allFiniteF64,
  sparsePackStride,
  packSparseAF32,
  takeRowsPackF32,
  gemmPackedAF32,
} from './sparse';
export {
  im2colF32,
  im2colF64,
  col2imF32,
  col2imF64,
  maxPoolForwardF32,
  maxPoolForwardF64,
  maxPoolBackwardF32,
  maxPoolBackwardF64,
} from './conv';
export {
  convForwardF32,
  convForwardF64,
  convBackwardF32,
  convBackwardF64,
  convScratchBytes,
  convScratchOffset,
  sumBlocksF32,
  sumBlocksF64,
  sumRowsF32,
  sumRowsF64,
  reluForwardF32,
  reluForwardF64,
  reluBackwardF32,
  reluBackwardF64,
  sgdUpdateF32,
  sgdUpdateF64,
  adamUpdateF32,
  adamUpdateF64,
} from './fused';

/**
 * Copies rows of `rowBytes` bytes: row rows[i] (i32 at rows + 4·i) of src to row i of dst, for
 * i < count — a mini-batch x[batchMask] in one call, each row one memory.copy.
 */
export function takeRows(src: usize, rows: usize, count: i32, rowBytes: usize, dst: usize): void {
  for (let i = 0; i < count; i++) {
    const r = <usize>load<i32>(rows + <usize>i * 4);
    memory.copy(dst + <usize>i * rowBytes, src + r * rowBytes, rowBytes);
  }
}

/** table + 4·b (or 8·b) for the byte of w at `shift`: a look-up's address. */
function entry<T>(table: usize, w: u32, shift: u32): usize {
  return table + ((<usize>((w >>> shift) & 255)) << alignof<T>());
}

/**
 * A byte-indexed table look-up over elements [i0, i1): dst[i] = table[src[i]], elements of T's
 * size — `table[x]` for a uint8 x, e.g. MNIST pixels through a table of v / 255. Eight bytes are
 * read at once and their look-ups stored one by one.
 */
function lookupBytes<T>(table: usize, src: usize, dst: usize, i0: i32, i1: i32): void {
  let i = i0;
  for (; i + 8 <= i1; i += 8) {
    const w = load<u64>(src + <usize>i);
    const lo = <u32>w;
    const hi = <u32>(w >>> 32);
    const d = dst + ((<usize>i) << alignof<T>());
    store<T>(d, load<T>(entry<T>(table, lo, 0)));
    store<T>(d, load<T>(entry<T>(table, lo, 8)), sizeof<T>());
    store<T>(d, load<T>(entry<T>(table, lo, 16)), 2 * sizeof<T>());
    store<T>(d, load<T>(entry<T>(table, lo, 24)), 3 * sizeof<T>());
    store<T>(d, load<T>(entry<T>(table, hi, 0)), 4 * sizeof<T>());
    store<T>(d, load<T>(entry<T>(table, hi, 8)), 5 * sizeof<T>());
    store<T>(d, load<T>(entry<T>(table, hi, 16)), 6 * sizeof<T>());
    store<T>(d, load<T>(entry<T>(table, hi, 24)), 7 * sizeof<T>());
  }
  for (; i < i1; i++) {
    const b = <u32>load<u8>(src + <usize>i);
    store<T>(dst + ((<usize>i) << alignof<T>()), load<T>(entry<T>(table, b, 0)));
  }
}

/** lookupBytes for 4-byte elements (float32, int32). */
export function lookupBytes4(table: usize, src: usize, dst: usize, i0: i32, i1: i32): void {
  lookupBytes<u32>(table, src, dst, i0, i1);
}

/** lookupBytes for 8-byte elements (float64). */
export function lookupBytes8(table: usize, src: usize, dst: usize, i0: i32, i1: i32): void {
  lookupBytes<u64>(table, src, dst, i0, i1);
}

/** Zeroes `bytes` bytes at `ptr` (memory.fill: faster than a typed array's fill on shared memory). */
export function zeroFill(ptr: usize, bytes: usize): void {
  memory.fill(ptr, 0, bytes);
}

/** First byte the JavaScript allocator may use (after the module's static data). */
export function heapBase(): usize {
  return __heap_base;
}
