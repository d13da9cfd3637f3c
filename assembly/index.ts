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

/**
 * A byte-indexed table look-up over elements [i0, i1): dst[i] = table[src[i]] for 4-byte
 * elements (float32, int32) — `table[x]` for a uint8 x, e.g. MNIST pixels through a table of
 * v / 255. Eight bytes are read at once and their look-ups stored one by one.
 */
export function lookupBytes4(table: usize, src: usize, dst: usize, i0: i32, i1: i32): void {
  let i = i0;
  for (; i + 8 <= i1; i += 8) {
    const w = load<u64>(src + <usize>i);
    const lo = <u32>w;
    const hi = <u32>(w >>> 32);
    const d = dst + ((<usize>i) << 2);
    store<u32>(d, load<u32>(table + ((lo << 2) & 0x3fc)));
    store<u32>(d, load<u32>(table + ((lo >>> 6) & 0x3fc)), 4);
    store<u32>(d, load<u32>(table + ((lo >>> 14) & 0x3fc)), 8);
    store<u32>(d, load<u32>(table + ((lo >>> 22) & 0x3fc)), 12);
    store<u32>(d, load<u32>(table + ((hi << 2) & 0x3fc)), 16);
    store<u32>(d, load<u32>(table + ((hi >>> 6) & 0x3fc)), 20);
    store<u32>(d, load<u32>(table + ((hi >>> 14) & 0x3fc)), 24);
    store<u32>(d, load<u32>(table + ((hi >>> 22) & 0x3fc)), 28);
  }
  for (; i < i1; i++) {
    store<u32>(
      dst + ((<usize>i) << 2),
      load<u32>(table + ((<usize>load<u8>(src + <usize>i)) << 2)),
    );
  }
}

/** lookupBytes4 for 8-byte elements (float64). */
export function lookupBytes8(table: usize, src: usize, dst: usize, i0: i32, i1: i32): void {
  let i = i0;
  for (; i + 8 <= i1; i += 8) {
    const w = load<u64>(src + <usize>i);
    const lo = <u32>w;
    const hi = <u32>(w >>> 32);
    const d = dst + ((<usize>i) << 3);
    store<u64>(d, load<u64>(table + ((lo << 3) & 0x7f8)));
    store<u64>(d, load<u64>(table + ((lo >>> 5) & 0x7f8)), 8);
    store<u64>(d, load<u64>(table + ((lo >>> 13) & 0x7f8)), 16);
    store<u64>(d, load<u64>(table + ((lo >>> 21) & 0x7f8)), 24);
    store<u64>(d, load<u64>(table + ((hi << 3) & 0x7f8)), 32);
    store<u64>(d, load<u64>(table + ((hi >>> 5) & 0x7f8)), 40);
    store<u64>(d, load<u64>(table + ((hi >>> 13) & 0x7f8)), 48);
    store<u64>(d, load<u64>(table + ((hi >>> 21) & 0x7f8)), 56);
  }
  for (; i < i1; i++) {
    store<u64>(
      dst + ((<usize>i) << 3),
      load<u64>(table + ((<usize>load<u8>(src + <usize>i)) << 3)),
    );
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
