// Entry of the scratchnet kernel module (AssemblyScript): re-exports the kernels. The module
// imports its memory (shared, so worker threads run the same code over the same data) and
// allocates nothing itself: the JavaScript side owns the memory above heapBase().
export { gemmF32, gemmF64, gemmWorkBytes } from './gemm';
export { sgdTaskF32, sgdTaskF64, adamTaskF32, adamTaskF64 } from './optim';
export {
  gemmSparseAF32,
  gemmSparseFits,
  allFiniteF32,
  allFiniteF64,
  sparsePackStride,
  packSparseAF32,
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

/** Zeroes `bytes` bytes at `ptr` (memory.fill: faster than a typed array's fill on shared memory). */
export function zeroFill(ptr: usize, bytes: usize): void {
  memory.fill(ptr, 0, bytes);
}

/** First byte the JavaScript allocator may use (after the module's static data). */
export function heapBase(): usize {
  return __heap_base;
}
