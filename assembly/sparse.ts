// Matrix multiply with a mostly-zero left operand (float32): C = op(A)·B (+ C). MNIST images are
// four-fifths zeros, so the first Affine layer's x·W (training and evaluation) and xᵀ·dout skip
// four-fifths of their multiply-adds. The caller (the wasm backend's gemm) picks this kernel only
// when a sample of A is mostly zeros and B is all finite: a skipped 0·B[k,j] would otherwise hide
// the NaN that 0·∞ gives.
//
// A as stored (op(A) = A): each row of A is compressed into (B-row offset, value) pairs in the
// workspace, then each block of columns of C is summed in registers over those pairs, k ascending.
// op(A) = Aᵀ (the weight gradient xᵀ·dout): each stored row k of A is compressed, and row k of B,
// held in registers, is added to the rows of C it touches, k ascending. Either way a call computes
// whole rows of C in a fixed order, so splitting rows between threads changes no bit of the result.

import { gemmWorkBytes } from './gemm';

// acc + a·b: fused in the relaxed-SIMD build (as in gemm.ts).
function madd32(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * Whether gemmSparseAF32's workspace (gemmWorkBytes()) holds a compressed row of `n` values (8
 * bytes each, plus 4 spare): n is K, or M with transA.
 */
export function gemmSparseFits(n: i32): bool {
  return (n + 4) * 8 <= gemmWorkBytes();
}

/**
 * Byte shuffles that move the lanes set in a 4-bit mask to the front, in order (lanes after them
 * are don't-cares): entry m is 16 bytes at LEFT_PACK + 16·m.
 */
// prettier-ignore
const LEFT_PACK = memory.data<u8>([
  0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, // 0000
  0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, // 0001
  4, 5, 6, 7, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, // 0010
  0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 0, 1, 2, 3, // 0011
  8, 9, 10, 11, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, // 0100
  0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 0, 1, 2, 3, // 0101
  4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 0, 1, 2, 3, // 0110
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3, // 0111
  12, 13, 14, 15, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, // 1000
  0, 1, 2, 3, 12, 13, 14, 15, 0, 1, 2, 3, 0, 1, 2, 3, // 1001
  4, 5, 6, 7, 12, 13, 14, 15, 0, 1, 2, 3, 0, 1, 2, 3, // 1010
  0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 0, 1, 2, 3, // 1011
  8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 0, 1, 2, 3, // 1100
  0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, // 1101
  4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, // 1110
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, // 1111
]);

/**
 * The bytes of v picked by s (every index of LEFT_PACK is below 16, where the relaxed shuffle is
 * exact and saves the clamping of out-of-range indices).
 */
function swizzle(v: v128, s: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return i8x16.relaxed_swizzle(v, s);
  return i8x16.swizzle(v, s);
}

/**
 * Appends the nonzeros of the 4 values v (their B-row offsets in `off`) at slot n of idx/val,
 * left-packed by a shuffle; returns the new count. Writes 4 slots whatever the count, so no
 * branch depends on the data.
 */
function pack4(v: v128, off: v128, idx: usize, val: usize, n: i32): i32 {
  const mask = i32x4.bitmask(f32x4.ne(v, f32x4.splat(0)));
  const shuffle = v128.load(LEFT_PACK + ((<usize>mask) << 4));
  v128.store(idx + <usize>n * 4, swizzle(off, shuffle));
  v128.store(val + <usize>n * 4, swizzle(v, shuffle));
  return n + <i32>popcnt<u32>(mask);
}

/**
 * Compresses K contiguous values at p into `idx` (the byte offset k·rowB of B's row k) and `val`
 * (each with room for K + 3 slots); returns the count. Groups of 16 zeros (an image's border) cost
 * one test.
 */
function compress(p: usize, K: i32, rowB: usize, idx: usize, val: usize): i32 {
  let nnz = 0;
  let k = 0;
  const zero = f32x4.splat(0);
  const r = <i32>rowB;
  const step = i32x4.splat(4 * r);
  let off = i32x4(0, r, 2 * r, 3 * r);
  for (; k + 16 <= K; k += 16) {
    const v0 = v128.load(p);
    const v1 = v128.load(p, 16);
    const v2 = v128.load(p, 32);
    const v3 = v128.load(p, 48);
    const any = v128.or(
      v128.or(f32x4.ne(v0, zero), f32x4.ne(v1, zero)),
      v128.or(f32x4.ne(v2, zero), f32x4.ne(v3, zero)),
    );
    if (v128.any_true(any)) {
      nnz = pack4(v0, off, idx, val, nnz);
      nnz = pack4(v1, i32x4.add(off, step), idx, val, nnz);
      nnz = pack4(v2, i32x4.add(off, i32x4.add(step, step)), idx, val, nnz);
      nnz = pack4(v3, i32x4.add(off, i32x4.mul(step, i32x4.splat(3))), idx, val, nnz);
    }
    off = i32x4.add(off, i32x4.shl(step, 2));
    p += 64;
  }
  for (; k < K; k++) {
    const v = load<f32>(p);
    store<u32>(idx + <usize>nnz * 4, <u32>(<usize>k * rowB));
    store<f32>(val + <usize>nnz * 4, v);
    nnz += i32(v != 0);
    p += 4;
  }
  return nnz;
}

/** Lane t (0..3) of s. */
function lane(s: v128, t: i32): f32 {
  if (t == 0) return f32x4.extract_lane(s, 0);
  if (t == 1) return f32x4.extract_lane(s, 1);
  if (t == 2) return f32x4.extract_lane(s, 2);
  return f32x4.extract_lane(s, 3);
}

/** Stores lanes 0..n-1 (all four when n ≥ 4) of s at p, added to what is there when `acc`. */
function put(p: usize, s: v128, n: i32, acc: bool): void {
  if (n >= 4) {
    v128.store(p, acc ? f32x4.add(v128.load(p), s) : s);
    return;
  }
  for (let t = 0; t < n; t++) {
    const q = p + <usize>t * 4;
    const v = lane(s, t);
    store<f32>(q, acc ? load<f32>(q) + v : v);
  }
}

/**
 * Row c[0..N) (+)= Σ_q val[q]·B[row idx[q]], summed in a fixed order. Columns go in blocks of
 * 32 (8 vectors in registers, 8 independent sums); 17 to 20 columns left take one pass of five
 * vectors (13 vectors in one pass would spill); otherwise blocks of 16, 8 and 4, which deal the
 * pairs to two sets of sums (added at the end) so that they too run independent chains. A last
 * partial vector reads up to 3 values past a row of B, which the caller guarantees lie inside
 * the memory; they reach no stored column.
 */
function row(nnz: i32, idx: usize, val: usize, b: usize, N: i32, c: usize, acc: bool): void {
  let j = 0;
  for (; j + 32 <= N; j += 32) {
    const bj = b + <usize>j * 4;
    let s0 = f32x4.splat(0);
    let s1 = f32x4.splat(0);
    let s2 = f32x4.splat(0);
    let s3 = f32x4.splat(0);
    let s4 = f32x4.splat(0);
    let s5 = f32x4.splat(0);
    let s6 = f32x4.splat(0);
    let s7 = f32x4.splat(0);
    for (let q = 0; q < nnz; q++) {
      const x = v128.load32_splat(val + <usize>q * 4);
      const p = bj + <usize>load<u32>(idx + <usize>q * 4);
      s0 = madd32(x, v128.load(p), s0);
      s1 = madd32(x, v128.load(p, 16), s1);
      s2 = madd32(x, v128.load(p, 32), s2);
      s3 = madd32(x, v128.load(p, 48), s3);
      s4 = madd32(x, v128.load(p, 64), s4);
      s5 = madd32(x, v128.load(p, 80), s5);
      s6 = madd32(x, v128.load(p, 96), s6);
      s7 = madd32(x, v128.load(p, 112), s7);
    }
    const cp = c + <usize>j * 4;
    put(cp, s0, 4, acc);
    put(cp + 16, s1, 4, acc);
    put(cp + 32, s2, 4, acc);
    put(cp + 48, s3, 4, acc);
    put(cp + 64, s4, 4, acc);
    put(cp + 80, s5, 4, acc);
    put(cp + 96, s6, 4, acc);
    put(cp + 112, s7, 4, acc);
  }
  if (N - j > 16 && N - j <= 20) {
    // 17 to 20 columns left (N = 50 leaves 18): five vectors in one pass
    const bj = b + <usize>j * 4;
    let s0 = f32x4.splat(0);
    let s1 = f32x4.splat(0);
    let s2 = f32x4.splat(0);
    let s3 = f32x4.splat(0);
    let s4 = f32x4.splat(0);
    for (let q = 0; q < nnz; q++) {
      const x = v128.load32_splat(val + <usize>q * 4);
      const p = bj + <usize>load<u32>(idx + <usize>q * 4);
      s0 = madd32(x, v128.load(p), s0);
      s1 = madd32(x, v128.load(p, 16), s1);
      s2 = madd32(x, v128.load(p, 32), s2);
      s3 = madd32(x, v128.load(p, 48), s3);
      s4 = madd32(x, v128.load(p, 64), s4);
    }
    const cp = c + <usize>j * 4;
    put(cp, s0, 4, acc);
    put(cp + 16, s1, 4, acc);
    put(cp + 32, s2, 4, acc);
    put(cp + 48, s3, 4, acc);
    put(cp + 64, s4, N - j - 16, acc);
    return;
  }
  for (; j + 16 <= N; j += 16) {
    const bj = b + <usize>j * 4;
    let s0 = f32x4.splat(0);
    let s1 = f32x4.splat(0);
    let s2 = f32x4.splat(0);
    let s3 = f32x4.splat(0);
    let t0 = f32x4.splat(0);
    let t1 = f32x4.splat(0);
    let t2 = f32x4.splat(0);
    let t3 = f32x4.splat(0);
    let q = 0;
    for (; q + 2 <= nnz; q += 2) {
      let x = v128.load32_splat(val + <usize>q * 4);
      let p = bj + <usize>load<u32>(idx + <usize>q * 4);
      s0 = madd32(x, v128.load(p), s0);
      s1 = madd32(x, v128.load(p, 16), s1);
      s2 = madd32(x, v128.load(p, 32), s2);
      s3 = madd32(x, v128.load(p, 48), s3);
      x = v128.load32_splat(val + <usize>q * 4, 4);
      p = bj + <usize>load<u32>(idx + <usize>q * 4, 4);
      t0 = madd32(x, v128.load(p), t0);
      t1 = madd32(x, v128.load(p, 16), t1);
      t2 = madd32(x, v128.load(p, 32), t2);
      t3 = madd32(x, v128.load(p, 48), t3);
    }
    if (q < nnz) {
      const x = v128.load32_splat(val + <usize>q * 4);
      const p = bj + <usize>load<u32>(idx + <usize>q * 4);
      s0 = madd32(x, v128.load(p), s0);
      s1 = madd32(x, v128.load(p, 16), s1);
      s2 = madd32(x, v128.load(p, 32), s2);
      s3 = madd32(x, v128.load(p, 48), s3);
    }
    const cp = c + <usize>j * 4;
    put(cp, f32x4.add(s0, t0), 4, acc);
    put(cp + 16, f32x4.add(s1, t1), 4, acc);
    put(cp + 32, f32x4.add(s2, t2), 4, acc);
    put(cp + 48, f32x4.add(s3, t3), 4, acc);
  }
  // The last 1..15 columns: a block of 8 (when 8 or more are left), then blocks of 4, the last
  // one partial.
  for (; j + 8 <= N; j += 8) {
    const bj = b + <usize>j * 4;
    let s0 = f32x4.splat(0);
    let s1 = f32x4.splat(0);
    let t0 = f32x4.splat(0);
    let t1 = f32x4.splat(0);
    let q = 0;
    for (; q + 2 <= nnz; q += 2) {
      let x = v128.load32_splat(val + <usize>q * 4);
      let p = bj + <usize>load<u32>(idx + <usize>q * 4);
      s0 = madd32(x, v128.load(p), s0);
      s1 = madd32(x, v128.load(p, 16), s1);
      x = v128.load32_splat(val + <usize>q * 4, 4);
      p = bj + <usize>load<u32>(idx + <usize>q * 4, 4);
      t0 = madd32(x, v128.load(p), t0);
      t1 = madd32(x, v128.load(p, 16), t1);
    }
    if (q < nnz) {
      const x = v128.load32_splat(val + <usize>q * 4);
      const p = bj + <usize>load<u32>(idx + <usize>q * 4);
      s0 = madd32(x, v128.load(p), s0);
      s1 = madd32(x, v128.load(p, 16), s1);
    }
    const cp = c + <usize>j * 4;
    put(cp, f32x4.add(s0, t0), 4, acc);
    put(cp + 16, f32x4.add(s1, t1), 4, acc);
  }
  for (; j < N; j += 4) {
    const bj = b + <usize>j * 4;
    let s0 = f32x4.splat(0);
    let t0 = f32x4.splat(0);
    let q = 0;
    for (; q + 2 <= nnz; q += 2) {
      s0 = madd32(
        v128.load32_splat(val + <usize>q * 4),
        v128.load(bj + <usize>load<u32>(idx + <usize>q * 4)),
        s0,
      );
      t0 = madd32(
        v128.load32_splat(val + <usize>q * 4, 4),
        v128.load(bj + <usize>load<u32>(idx + <usize>q * 4, 4)),
        t0,
      );
    }
    if (q < nnz) {
      s0 = madd32(
        v128.load32_splat(val + <usize>q * 4),
        v128.load(bj + <usize>load<u32>(idx + <usize>q * 4)),
        s0,
      );
    }
    put(c + <usize>j * 4, f32x4.add(s0, t0), N - j, acc);
  }
}

/**
 * C (M×N, row stride ldc) = op(A)·B, or += when `accumulate`. A is M×K (lda) or, with `transA`,
 * K×M; B is K×N (ldb), with 3 readable values after its last row. `work` holds
 * gemmWorkBytes() bytes, enough when gemmSparseFits(transA ? M : K).
 */
export function gemmSparseAF32(
  transA: bool,
  M: i32,
  N: i32,
  K: i32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  accumulate: bool,
  work: usize,
): void {
  const rowB = <usize>ldb * 4;
  if (!transA) {
    const idx = work;
    const val = work + <usize>(K + 4) * 4;
    for (let i = 0; i < M; i++) {
      const nnz = compress(a + <usize>i * <usize>lda * 4, K, rowB, idx, val);
      row(nnz, idx, val, b, N, c + <usize>i * <usize>ldc * 4, accumulate);
    }
    return;
  }
  // op(A) = A^T, stored K×M: C = Σ_k outer(row k of the stored A, row k of B). Each row k of A is
  // compressed (its offsets are now C's rows), B's row k is held in registers, and every C row
  // that row k touches is read, updated and written back; each C element sums k ascending.
  if (!accumulate) {
    for (let i = 0; i < M; i++) memory.fill(c + <usize>i * <usize>ldc * 4, 0, <usize>N * 4);
  }
  const idx = work;
  const val = work + <usize>(M + 4) * 4;
  const rowC = <usize>ldc * 4;
  for (let k = 0; k < K; k++) {
    const nnz = compress(a + <usize>k * <usize>lda * 4, M, rowC, idx, val);
    if (nnz > 0) scatter(nnz, idx, val, b + <usize>k * rowB, N, c);
  }
}

/**
 * Bytes between rows of a pack (packSparseAF32) of rows of `n` values: a count (and padding),
 * then n + 4 offsets and n + 4 values (compress writes up to 3 slots past its count).
 */
export function sparsePackStride(n: i32): i32 {
  return 16 + (n + 4) * 8;
}

/**
 * Compresses the M rows of K values of A (row stride lda) into a pack at `out`
 * (M·sparsePackStride(K) bytes), row i at out + i·stride: its count, then its nonzeros' offsets
 * k·rowBytes and values, as gemmSparseAF32 makes them for one call. gemmPackedAF32 then uses the
 * pack in place of A, for op(A) = A (x·W, rowBytes B's row stride) and for op(A) = Aᵀ (xᵀ·dout,
 * rowBytes C's row stride). Returns the number of nonzeros.
 */
export function packSparseAF32(a: usize, M: i32, K: i32, lda: i32, rowBytes: i32, out: usize): i32 {
  const stride = <usize>sparsePackStride(K);
  let total = 0;
  for (let i = 0; i < M; i++) {
    const base = out + <usize>i * stride;
    const idx = base + 16;
    const nnz = compress(
      a + <usize>i * <usize>lda * 4,
      K,
      <usize>rowBytes,
      idx,
      idx + <usize>(K + 4) * 4,
    );
    store<i32>(base, nnz);
    total += nnz;
  }
  return total;
}

/**
 * A row gather and its pack in one pass (float32 rows of K values): row rows[i] (i32 at
 * rows + 4·i) of src is copied to row i of dst and, while it is in the cache, compressed into
 * row i of the pack at `out` as packSparseAF32(dst, count, K, K, rowBytes, out) makes it. One
 * task, so that no row is packed before it is gathered.
 */
export function takeRowsPackF32(
  src: usize,
  rows: usize,
  count: i32,
  K: i32,
  dst: usize,
  rowBytes: i32,
  out: usize,
): void {
  const stride = <usize>sparsePackStride(K);
  const bytes = <usize>K * 4;
  for (let i = 0; i < count; i++) {
    const row = dst + <usize>i * bytes;
    memory.copy(row, src + <usize>load<i32>(rows + <usize>i * 4) * bytes, bytes);
    const base = out + <usize>i * stride;
    const idx = base + 16;
    store<i32>(base, compress(row, K, <usize>rowBytes, idx, idx + <usize>(K + 4) * 4));
  }
}

/**
 * gemmSparseAF32 with A given by its pack (packSparseAF32 of the stored A: M rows of K values,
 * or with transA K rows of M values, compressed with rowBytes = ldb·4, or ldc·4 with transA):
 * the same arithmetic in the same order, so the same result to the bit, without compressing A
 * again.
 */
export function gemmPackedAF32(
  transA: bool,
  M: i32,
  N: i32,
  K: i32,
  pack: usize,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  accumulate: bool,
): void {
  if (!transA) {
    const stride = <usize>sparsePackStride(K);
    for (let i = 0; i < M; i++) {
      const base = pack + <usize>i * stride;
      const idx = base + 16;
      row(
        load<i32>(base),
        idx,
        idx + <usize>(K + 4) * 4,
        b,
        N,
        c + <usize>i * <usize>ldc * 4,
        accumulate,
      );
    }
    return;
  }
  if (!accumulate) {
    for (let i = 0; i < M; i++) memory.fill(c + <usize>i * <usize>ldc * 4, 0, <usize>N * 4);
  }
  const stride = <usize>sparsePackStride(M);
  for (let k = 0; k < K; k++) {
    const base = pack + <usize>k * stride;
    const nnz = load<i32>(base);
    const idx = base + 16;
    if (nnz > 0) scatter(nnz, idx, idx + <usize>(M + 4) * 4, b + <usize>k * <usize>ldb * 4, N, c);
  }
}

/**
 * C[row idx[q]] += val[q]·r for q in 0..nnz, where r is the N values at `r` (a row of B), held in
 * registers 32 columns at a time (18 or 20 left: five vectors in one pass).
 */
function scatter(nnz: i32, idx: usize, val: usize, r: usize, N: i32, c: usize): void {
  let j = 0;
  for (; j + 32 <= N; j += 32) {
    const cj = c + <usize>j * 4;
    const r0 = v128.load(r, 0);
    const r1 = v128.load(r, 16);
    const r2 = v128.load(r, 32);
    const r3 = v128.load(r, 48);
    const r4 = v128.load(r, 64);
    const r5 = v128.load(r, 80);
    const r6 = v128.load(r, 96);
    const r7 = v128.load(r, 112);
    for (let q = 0; q < nnz; q++) {
      const x = v128.load32_splat(val + <usize>q * 4);
      const p = cj + <usize>load<u32>(idx + <usize>q * 4);
      v128.store(p, madd32(x, r0, v128.load(p)));
      v128.store(p, madd32(x, r1, v128.load(p, 16)), 16);
      v128.store(p, madd32(x, r2, v128.load(p, 32)), 32);
      v128.store(p, madd32(x, r3, v128.load(p, 48)), 48);
      v128.store(p, madd32(x, r4, v128.load(p, 64)), 64);
      v128.store(p, madd32(x, r5, v128.load(p, 80)), 80);
      v128.store(p, madd32(x, r6, v128.load(p, 96)), 96);
      v128.store(p, madd32(x, r7, v128.load(p, 112)), 112);
    }
    r += 128;
  }
  if (N - j == 18 || N - j == 20) {
    // 18 or 20 columns left (N = 50 leaves 18): five vectors of B's row in one pass, the last
    // one whole or its first two lanes
    const cj = c + <usize>j * 4;
    const r0 = v128.load(r, 0);
    const r1 = v128.load(r, 16);
    const r2 = v128.load(r, 32);
    const r3 = v128.load(r, 48);
    const whole = N - j == 20;
    const r4 = whole ? v128.load(r, 64) : v128.load64_zero(r, 64);
    for (let q = 0; q < nnz; q++) {
      const x = v128.load32_splat(val + <usize>q * 4);
      const p = cj + <usize>load<u32>(idx + <usize>q * 4);
      v128.store(p, madd32(x, r0, v128.load(p)));
      v128.store(p, madd32(x, r1, v128.load(p, 16)), 16);
      v128.store(p, madd32(x, r2, v128.load(p, 32)), 32);
      v128.store(p, madd32(x, r3, v128.load(p, 48)), 48);
      if (whole) v128.store(p, madd32(x, r4, v128.load(p, 64)), 64);
      else v128.store64_lane(p, madd32(x, r4, v128.load64_zero(p, 64)), 0, 64);
    }
    return;
  }
  for (; j + 16 <= N; j += 16) {
    const cj = c + <usize>j * 4;
    const r0 = v128.load(r, 0);
    const r1 = v128.load(r, 16);
    const r2 = v128.load(r, 32);
    const r3 = v128.load(r, 48);
    for (let q = 0; q < nnz; q++) {
      const x = v128.load32_splat(val + <usize>q * 4);
      const p = cj + <usize>load<u32>(idx + <usize>q * 4);
      v128.store(p, madd32(x, r0, v128.load(p)));
      v128.store(p, madd32(x, r1, v128.load(p, 16)), 16);
      v128.store(p, madd32(x, r2, v128.load(p, 32)), 32);
      v128.store(p, madd32(x, r3, v128.load(p, 48)), 48);
    }
    r += 64;
  }
  for (; j + 4 <= N; j += 4) {
    const cj = c + <usize>j * 4;
    const r0 = v128.load(r);
    for (let q = 0; q < nnz; q++) {
      const p = cj + <usize>load<u32>(idx + <usize>q * 4);
      v128.store(p, madd32(v128.load32_splat(val + <usize>q * 4), r0, v128.load(p)));
    }
    r += 16;
  }
  // The last 1..3 columns: two lanes of a vector (a 64-bit load and store, as N = 50 leaves),
  // then one value.
  if (j + 2 <= N) {
    const cj = c + <usize>j * 4;
    const r0 = v128.load64_zero(r);
    for (let q = 0; q < nnz; q++) {
      const p = cj + <usize>load<u32>(idx + <usize>q * 4);
      const v = madd32(v128.load32_splat(val + <usize>q * 4), r0, v128.load64_zero(p));
      v128.store64_lane(p, v, 0);
    }
    r += 8;
    j += 2;
  }
  if (j < N) {
    const cj = c + <usize>j * 4;
    const r0 = load<f32>(r);
    for (let q = 0; q < nnz; q++) {
      const p = cj + <usize>load<u32>(idx + <usize>q * 4);
      store<f32>(p, load<f32>(p) + load<f32>(val + <usize>q * 4) * r0);
    }
  }
}

/**
 * Whether every element of the rows×cols block at p (row stride ld elements) is finite: x − x is
 * 0 for a finite x and NaN for ±∞ and NaN, and NaN survives any sum. Four independent sums, so
 * the adds do not wait on each other.
 */
export function allFiniteF32(p: usize, rows: i32, cols: i32, ld: i32): bool {
  let b0 = f32x4.splat(0);
  let b1 = f32x4.splat(0);
  let b2 = f32x4.splat(0);
  let b3 = f32x4.splat(0);
  let bs: f32 = 0;
  for (let r = 0; r < rows; r++) {
    let q = p + <usize>r * <usize>ld * 4;
    let j = 0;
    for (; j + 16 <= cols; j += 16) {
      const v0 = v128.load(q);
      const v1 = v128.load(q, 16);
      const v2 = v128.load(q, 32);
      const v3 = v128.load(q, 48);
      b0 = f32x4.add(b0, f32x4.sub(v0, v0));
      b1 = f32x4.add(b1, f32x4.sub(v1, v1));
      b2 = f32x4.add(b2, f32x4.sub(v2, v2));
      b3 = f32x4.add(b3, f32x4.sub(v3, v3));
      q += 64;
    }
    for (; j + 4 <= cols; j += 4) {
      const v = v128.load(q);
      b0 = f32x4.add(b0, f32x4.sub(v, v));
      q += 16;
    }
    for (; j < cols; j++) {
      const v = load<f32>(q);
      bs += v - v;
      q += 4;
    }
  }
  const b = f32x4.add(f32x4.add(b0, b1), f32x4.add(b2, b3));
  const s =
    f32x4.extract_lane(b, 0) +
    f32x4.extract_lane(b, 1) +
    f32x4.extract_lane(b, 2) +
    f32x4.extract_lane(b, 3) +
    bs;
  return s == 0;
}

/** allFiniteF32 for float64. */
export function allFiniteF64(p: usize, rows: i32, cols: i32, ld: i32): bool {
  let b0 = f64x2.splat(0);
  let b1 = f64x2.splat(0);
  let bs: f64 = 0;
  for (let r = 0; r < rows; r++) {
    let q = p + <usize>r * <usize>ld * 8;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const v0 = v128.load(q);
      const v1 = v128.load(q, 16);
      b0 = f64x2.add(b0, f64x2.sub(v0, v0));
      b1 = f64x2.add(b1, f64x2.sub(v1, v1));
      q += 32;
    }
    for (; j < cols; j++) {
      const v = load<f64>(q);
      bs += v - v;
      q += 8;
    }
  }
  const b = f64x2.add(b0, b1);
  return f64x2.extract_lane(b, 0) + f64x2.extract_lane(b, 1) + bs == 0;
}
