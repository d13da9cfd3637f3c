// Matrix multiply kernels (AssemblyScript → WebAssembly SIMD): C = op(A)·op(B) (+ C) in float32
// and float64, blocked the way BLIS does it (pack a K×8 panel of B and a 4×K panel of A, then a
// register-tile micro-kernel). Pointers are byte offsets into the shared memory; leading
// dimensions are in elements, so a caller (or a thread) can hand in any sub-rectangle of C.
//
// Every element of C is summed in the same order (k ascending within KC-blocks, blocks ascending)
// whatever the tile it falls in, so splitting C between threads never changes a bit of the result.

// Block sizes. A KC×8 panel of B (8 KB in f32) stays in L1 while the MC×KC block of A (96 KB)
// streams from L2; the KC×NC block of B (1 MB) is packed once per (jc, pc) and reused for all of M.
const KC_F32: i32 = 256;
const MC_F32: i32 = 96;
const NC_F32: i32 = 1024;
const KC_F64: i32 = 256;
const MC_F64: i32 = 48;
const NC_F64: i32 = 512;
/** Output widths up to this many columns use the A-outside loop order (see gemmF32). */
const NARROW_N: i32 = 32;

/** Bytes of scratch one gemm call needs (a packed block of A and one of B). */
export function gemmWorkBytes(): i32 {
  const f32 = (MC_F32 * KC_F32 + KC_F32 * (NC_F32 + 8)) * 4;
  const f64 = (MC_F64 * KC_F64 + KC_F64 * (NC_F64 + 4)) * 8;
  return max(f32, f64);
}

// acc + a·b: a true fused multiply-add in the relaxed-SIMD build, multiply then add otherwise.
// The condition is a compile-time constant, so each build contains one branch only.
function madd32(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

function madd64(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, acc);
  return f64x2.add(acc, f64x2.mul(a, b));
}

/**
 * The K-block length: K in equal blocks of at most `most`. Fixed-size blocks left short tails
 * (a convolution's dW has K = P = 784: 3·256 + 16, a 16-step block that reloads every C tile
 * for 16 multiply-adds); 4 blocks of 196 are all long. It depends on K only, and threads split M
 * or N, never K, so the summation order still does not depend on the thread count.
 */
function evenBlock(K: i32, most: i32): i32 {
  const blocks = (K + most - 1) / most;
  return (K + blocks - 1) / blocks;
}

/** Zeroes (or leaves, when accumulating) an M×N block of C; used when K = 0. */
function clearC(M: i32, N: i32, c: usize, ldc: i32, size: usize): void {
  for (let i = 0; i < M; i++) memory.fill(c + <usize>(i * ldc) * size, 0, <usize>N * size);
}

// ---------------------------------------------------------------------------------------------
// float32: 4×8 micro-tile = 8 accumulators of f32x4 (4 rows × 2 vectors), 2 B loads and 4 A splats
// per k. Larger tiles spill V8's 16 vector registers; this one keeps 11 live.

/**
 * Stores the 4×4 transpose of the rows x0..x3: column i (lane i of each row) at d + i·step.
 */
export function transpose4(x0: v128, x1: v128, x2: v128, x3: v128, d: usize, step: usize): void {
  const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<f64>(t0, t1, 0, 2));
  v128.store(d + step, v128.shuffle<f64>(t0, t1, 1, 3));
  v128.store(d + 2 * step, v128.shuffle<f64>(t2, t3, 0, 2));
  v128.store(d + 3 * step, v128.shuffle<f64>(t2, t3, 1, 3));
}

/**
 * Packs rows p0..p0+kc, columns j0..j0+nc of op(B) into panels of 8 columns: panel q holds
 * op(B)[p0+k][j0+8q+t] at (q·kc + k)·8 + t. Columns past nc are zero, or with transB copies of
 * column nc − 1 (the tiles never store them).
 */
export function packB32(
  transB: bool,
  b: usize,
  ldb: i32,
  p0: i32,
  j0: i32,
  kc: i32,
  nc: i32,
  dst: usize,
): void {
  for (let q = 0; q < nc; q += 8) {
    const nr = min(8, nc - q);
    let d = dst + <usize>(q * kc) * 4;
    if (!transB) {
      // B is K×N: a row of 8 is contiguous.
      let s = b + (<usize>p0 * <usize>ldb + <usize>(j0 + q)) * 4;
      const step = <usize>ldb * 4;
      if (nr == 8) {
        for (let k = 0; k < kc; k++) {
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
          s += step;
          d += 32;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let t = 0; t < 8; t++)
            store<f32>(d + <usize>t * 4, t < nr ? load<f32>(s + <usize>t * 4) : 0);
          s += step;
          d += 32;
        }
      }
    } else {
      // B is N×K: column t of the panel is row j0+q+t of B, contiguous in k. Four k at a time:
      // two 4×4 transposes of 8 row vectors. The scalar loop it replaced (one strided store per
      // element) took ~2/3 of a convolution's dW time, whose B is (K, P) columns read transposed.
      // In an edge panel (nr < 8) the missing rows repeat the last one: those lanes only reach
      // columns of C that are never stored, and no read leaves B.
      const row = <usize>ldb * 4;
      const s0 = b + (<usize>(j0 + q) * <usize>ldb + <usize>p0) * 4;
      const last = <usize>(nr - 1);
      const r1 = s0 + min<usize>(1, last) * row;
      const r2 = s0 + min<usize>(2, last) * row;
      const r3 = s0 + min<usize>(3, last) * row;
      const r4 = s0 + min<usize>(4, last) * row;
      const r5 = s0 + min<usize>(5, last) * row;
      const r6 = s0 + min<usize>(6, last) * row;
      const r7 = s0 + min<usize>(7, last) * row;
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const o = <usize>k * 4;
        transpose4(
          v128.load(s0 + o),
          v128.load(r1 + o),
          v128.load(r2 + o),
          v128.load(r3 + o),
          d,
          32,
        );
        transpose4(
          v128.load(r4 + o),
          v128.load(r5 + o),
          v128.load(r6 + o),
          v128.load(r7 + o),
          d + 16,
          32,
        );
        d += 128;
      }
      for (; k < kc; k++) {
        const o = <usize>k * 4;
        store<f32>(d, load<f32>(s0 + o));
        store<f32>(d, load<f32>(r1 + o), 4);
        store<f32>(d, load<f32>(r2 + o), 8);
        store<f32>(d, load<f32>(r3 + o), 12);
        store<f32>(d, load<f32>(r4 + o), 16);
        store<f32>(d, load<f32>(r5 + o), 20);
        store<f32>(d, load<f32>(r6 + o), 24);
        store<f32>(d, load<f32>(r7 + o), 28);
        d += 32;
      }
    }
  }
}

/**
 * Packs rows i0..i0+mc, columns p0..p0+kc of op(A) into panels of 4 rows: panel r holds
 * op(A)[i0+4r+t][p0+k] at (r·kc + k)·4 + t. Rows past mc are zero.
 */
export function packA32(
  transA: bool,
  a: usize,
  lda: i32,
  i0: i32,
  p0: i32,
  mc: i32,
  kc: i32,
  dst: usize,
): void {
  for (let r = 0; r < mc; r += 4) {
    const mr = min(4, mc - r);
    let d = dst + <usize>(r * kc) * 4;
    if (transA) {
      // A is K×M: the 4 rows of op(A) at one k are 4 contiguous elements of A.
      let s = a + (<usize>p0 * <usize>lda + <usize>(i0 + r)) * 4;
      const step = <usize>lda * 4;
      if (mr == 4) {
        for (let k = 0; k < kc; k++) {
          v128.store(d, v128.load(s));
          s += step;
          d += 16;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let t = 0; t < 4; t++)
            store<f32>(d + <usize>t * 4, t < mr ? load<f32>(s + <usize>t * 4) : 0);
          s += step;
          d += 16;
        }
      }
    } else {
      // A is M×K: gather one element from each of 4 rows; 4×4 blocks are transposed with shuffles.
      const row = <usize>lda * 4;
      const s0 = a + (<usize>(i0 + r) * <usize>lda + <usize>p0) * 4;
      if (mr == 4) {
        let k = 0;
        for (; k + 4 <= kc; k += 4) {
          const s = s0 + <usize>k * 4;
          const x0 = v128.load(s);
          const x1 = v128.load(s + row);
          const x2 = v128.load(s + 2 * row);
          const x3 = v128.load(s + 3 * row);
          // 4×4 transpose: (x0 x1 x2 x3 rows) → columns k..k+3.
          const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
          const t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
          const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
          const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
          v128.store(d, v128.shuffle<f64>(t0, t1, 0, 2));
          v128.store(d, v128.shuffle<f64>(t0, t1, 1, 3), 16);
          v128.store(d, v128.shuffle<f64>(t2, t3, 0, 2), 32);
          v128.store(d, v128.shuffle<f64>(t2, t3, 1, 3), 48);
          d += 64;
        }
        for (; k < kc; k++) {
          const s = s0 + <usize>k * 4;
          store<f32>(d, load<f32>(s));
          store<f32>(d, load<f32>(s + row), 4);
          store<f32>(d, load<f32>(s + 2 * row), 8);
          store<f32>(d, load<f32>(s + 3 * row), 12);
          d += 16;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          const s = s0 + <usize>k * 4;
          for (let t = 0; t < 4; t++)
            store<f32>(d + <usize>t * 4, t < mr ? load<f32>(s + <usize>t * row) : 0);
          d += 16;
        }
      }
    }
  }
}

/**
 * C[0..mr, 0..nr] (+)= packed A panel (kc×4) · packed B panel (kc×8). An edge tile stores only
 * its rows and lanes inside C, with the same additions as a full one. With `bias` (not with `acc`),
 * row r of the tile gets bias[r] added to its sum; bias is read for rows < mr only. With `off` (a
 * table of kc i32 byte offsets) the B panel is read in place instead of packed: row k is the 8
 * floats at pb + off[k], e.g. a run of 8 output pixels in a zero-padded image at stride 1 (the
 * direct convolution); the additions are the same as on the packed panel. One function for both
 * (not a second kernel sharing a store helper): Binaryen left such a helper, taking the 8
 * accumulators as arguments, a call per tile, which cost 5–15 % on the Winograd products' K of 16–64.
 */
export function kernel4x8(
  kc: i32,
  pa: usize,
  pb: usize,
  c: usize,
  ldc: i32,
  acc: bool,
  mr: i32,
  nr: i32,
  bias: usize = 0,
  off: usize = 0,
): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  if (off == 0) {
    for (let k = 0; k < kc; k++) {
      const b0 = v128.load(pb);
      const b1 = v128.load(pb, 16);
      let a = v128.load32_splat(pa);
      c00 = madd32(a, b0, c00);
      c01 = madd32(a, b1, c01);
      a = v128.load32_splat(pa, 4);
      c10 = madd32(a, b0, c10);
      c11 = madd32(a, b1, c11);
      a = v128.load32_splat(pa, 8);
      c20 = madd32(a, b0, c20);
      c21 = madd32(a, b1, c21);
      a = v128.load32_splat(pa, 12);
      c30 = madd32(a, b0, c30);
      c31 = madd32(a, b1, c31);
      pa += 16;
      pb += 32;
    }
  } else {
    // B read in place: row k of the panel is the 8 floats at pb + off[k] (see the JSDoc).
    const end = off + <usize>kc * 4;
    for (let q = off; q < end; q += 4) {
      const p = pb + <usize>load<i32>(q);
      const b0 = v128.load(p);
      const b1 = v128.load(p, 16);
      let a = v128.load32_splat(pa);
      c00 = madd32(a, b0, c00);
      c01 = madd32(a, b1, c01);
      a = v128.load32_splat(pa, 4);
      c10 = madd32(a, b0, c10);
      c11 = madd32(a, b1, c11);
      a = v128.load32_splat(pa, 8);
      c20 = madd32(a, b0, c20);
      c21 = madd32(a, b1, c21);
      a = v128.load32_splat(pa, 12);
      c30 = madd32(a, b0, c30);
      c31 = madd32(a, b1, c31);
      pa += 16;
    }
  }
  if (bias != 0) {
    // A convolution's bias (one f32 per row of the tile), added as the reference adds it: to the
    // finished sum of the first K-block. Fusing it here replaced a fill pass over the output and
    // the load + add of the C tile that accumulating onto it cost.
    let bv = v128.load32_splat(bias);
    c00 = f32x4.add(c00, bv);
    c01 = f32x4.add(c01, bv);
    if (mr > 1) {
      bv = v128.load32_splat(bias, 4);
      c10 = f32x4.add(c10, bv);
      c11 = f32x4.add(c11, bv);
    }
    if (mr > 2) {
      bv = v128.load32_splat(bias, 8);
      c20 = f32x4.add(c20, bv);
      c21 = f32x4.add(c21, bv);
    }
    if (mr > 3) {
      bv = v128.load32_splat(bias, 12);
      c30 = f32x4.add(c30, bv);
      c31 = f32x4.add(c31, bv);
    }
  }
  const row = <usize>ldc * 4;
  if (mr == 4 && nr == 8) {
    if (acc) {
      c00 = f32x4.add(v128.load(c), c00);
      c01 = f32x4.add(v128.load(c, 16), c01);
      c10 = f32x4.add(v128.load(c + row), c10);
      c11 = f32x4.add(v128.load(c + row, 16), c11);
      c20 = f32x4.add(v128.load(c + 2 * row), c20);
      c21 = f32x4.add(v128.load(c + 2 * row, 16), c21);
      c30 = f32x4.add(v128.load(c + 3 * row), c30);
      c31 = f32x4.add(v128.load(c + 3 * row, 16), c31);
    }
    v128.store(c, c00);
    v128.store(c, c01, 16);
    v128.store(c + row, c10);
    v128.store(c + row, c11, 16);
    v128.store(c + 2 * row, c20);
    v128.store(c + 2 * row, c21, 16);
    v128.store(c + 3 * row, c30);
    v128.store(c + 3 * row, c31, 16);
    return;
  }
  storeRow32(c, c00, c01, nr, acc);
  if (mr > 1) storeRow32(c + row, c10, c11, nr, acc);
  if (mr > 2) storeRow32(c + 2 * row, c20, c21, nr, acc);
  if (mr > 3) storeRow32(c + 3 * row, c30, c31, nr, acc);
}

/**
 * C[0..mr, 0..nr] (+)= two packed A panels (rows 0–3 at pa0, 4–7 at pa1; kc×4 each) · the first
 * 4 columns of a packed B panel (kc×8), for a last panel of B with nr ≤ 4 columns (N = 50 leaves
 * 2): twice the rows per multiply-add that kernel4x8 would spend on mostly-empty lanes. Each
 * element is summed as kernel4x8 sums it. With mr ≤ 4, pa1 repeats pa0 and rows 4–7 are not
 * stored.
 */
function kernel8x4(
  kc: i32,
  pa0: usize,
  pa1: usize,
  pb: usize,
  c: usize,
  ldc: i32,
  acc: bool,
  mr: i32,
  nr: i32,
): void {
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0);
  let c5 = f32x4.splat(0);
  let c6 = f32x4.splat(0);
  let c7 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b = v128.load(pb);
    c0 = madd32(v128.load32_splat(pa0), b, c0);
    c1 = madd32(v128.load32_splat(pa0, 4), b, c1);
    c2 = madd32(v128.load32_splat(pa0, 8), b, c2);
    c3 = madd32(v128.load32_splat(pa0, 12), b, c3);
    c4 = madd32(v128.load32_splat(pa1), b, c4);
    c5 = madd32(v128.load32_splat(pa1, 4), b, c5);
    c6 = madd32(v128.load32_splat(pa1, 8), b, c6);
    c7 = madd32(v128.load32_splat(pa1, 12), b, c7);
    pa0 += 16;
    pa1 += 16;
    pb += 32;
  }
  const row = <usize>ldc * 4;
  storeLanes32(c, c0, nr, acc);
  if (mr > 1) storeLanes32(c + row, c1, nr, acc);
  if (mr > 2) storeLanes32(c + 2 * row, c2, nr, acc);
  if (mr > 3) storeLanes32(c + 3 * row, c3, nr, acc);
  if (mr > 4) storeLanes32(c + 4 * row, c4, nr, acc);
  if (mr > 5) storeLanes32(c + 5 * row, c5, nr, acc);
  if (mr > 6) storeLanes32(c + 6 * row, c6, nr, acc);
  if (mr > 7) storeLanes32(c + 7 * row, c7, nr, acc);
}

/**
 * kernel4x8 reading A in place (A is M×K, row stride `lda` elements) instead of from a packed
 * panel: for a narrow B the packing pass over all of A costs more than it saves. Rows past mr
 * repeat the last row (their results are not stored), so nothing outside A is read.
 */
function kernel4x8Direct(
  kc: i32,
  a: usize,
  lda: i32,
  pb: usize,
  c: usize,
  ldc: i32,
  acc: bool,
  mr: i32,
  nr: i32,
): void {
  const row = <usize>lda * 4;
  let a0 = a;
  let a1 = mr > 1 ? a0 + row : a0;
  let a2 = mr > 2 ? a1 + row : a1;
  let a3 = mr > 3 ? a2 + row : a2;
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let x = v128.load32_splat(a0);
    c00 = madd32(x, b0, c00);
    c01 = madd32(x, b1, c01);
    x = v128.load32_splat(a1);
    c10 = madd32(x, b0, c10);
    c11 = madd32(x, b1, c11);
    x = v128.load32_splat(a2);
    c20 = madd32(x, b0, c20);
    c21 = madd32(x, b1, c21);
    x = v128.load32_splat(a3);
    c30 = madd32(x, b0, c30);
    c31 = madd32(x, b1, c31);
    a0 += 4;
    a1 += 4;
    a2 += 4;
    a3 += 4;
    pb += 32;
  }
  const crow = <usize>ldc * 4;
  storeRow32(c, c00, c01, nr, acc);
  if (mr > 1) storeRow32(c + crow, c10, c11, nr, acc);
  if (mr > 2) storeRow32(c + 2 * crow, c20, c21, nr, acc);
  if (mr > 3) storeRow32(c + 3 * crow, c30, c31, nr, acc);
}

/** Stores lanes 0..n-1 (n in 1..4) of v at p, added to what is there when `acc`. */
function storeLanes32(p: usize, v: v128, n: i32, acc: bool): void {
  if (n >= 4) {
    v128.store(p, acc ? f32x4.add(v128.load(p), v) : v);
    return;
  }
  if (acc) {
    let old = n >= 2 ? v128.load64_zero(p) : v128.load32_zero(p);
    if (n == 3) old = v128.load32_lane(p, old, 2, 8);
    v = f32x4.add(old, v);
  }
  if (n == 1) {
    v128.store32_lane(p, v, 0);
  } else {
    v128.store64_lane(p, v, 0);
    if (n == 3) v128.store32_lane(p, v, 2, 8);
  }
}

/** One row of an edge tile: columns 0..nr-1 from the two vectors of the row. */
function storeRow32(p: usize, v0: v128, v1: v128, nr: i32, acc: bool): void {
  storeLanes32(p, v0, min(nr, 4), acc);
  if (nr > 4) storeLanes32(p + 16, v1, nr - 4, acc);
}

/**
 * C (M×N, row stride ldc) = op(A)·op(B), or += when `accumulate`. A is M×K (lda) or, with
 * `transA`, K×M; B is K×N (ldb) or, with `transB`, N×K. `work` holds gemmWorkBytes() of scratch.
 */
export function gemmF32(
  transA: bool,
  transB: bool,
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
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate) clearC(M, N, c, ldc, 4);
    return;
  }
  const packA = work;
  const packB = packA + <usize>(MC_F32 * KC_F32) * 4;
  const kcBlock = evenBlock(K, KC_F32);
  for (let jc = 0; jc < N; jc += NC_F32) {
    const nc = min(NC_F32, N - jc);
    // A narrow packed B (a few panels) stays in L1 next to one A panel: then walk the A panels
    // outside and the B panels inside; otherwise keep one B panel in L1 and stream A from L2.
    const narrow = nc <= NARROW_N;
    for (let pc = 0; pc < K; pc += kcBlock) {
      const kc = min(kcBlock, K - pc);
      const acc = accumulate || pc > 0; // later K-blocks add to what the first one wrote
      packB32(transB, b, ldb, pc, jc, kc, nc, packB);
      if (narrow && !transA) {
        for (let ir = 0; ir < M; ir += 4) {
          const pa = a + (<usize>ir * <usize>lda + <usize>pc) * 4;
          const mr = min(4, M - ir);
          for (let jr = 0; jr < nc; jr += 8) {
            const cp = c + (<usize>ir * <usize>ldc + <usize>(jc + jr)) * 4;
            kernel4x8Direct(
              kc,
              pa,
              lda,
              packB + <usize>(jr * kc) * 4,
              cp,
              ldc,
              acc,
              mr,
              min(8, nc - jr),
            );
          }
        }
        continue;
      }
      for (let ic = 0; ic < M; ic += MC_F32) {
        const mc = min(MC_F32, M - ic);
        packA32(transA, a, lda, ic, pc, mc, kc, packA);
        const c0 = c + (<usize>ic * <usize>ldc + <usize>jc) * 4;
        if (narrow) {
          for (let ir = 0; ir < mc; ir += 4) {
            const pa = packA + <usize>(ir * kc) * 4;
            const mr = min(4, mc - ir);
            for (let jr = 0; jr < nc; jr += 8) {
              const cp = c0 + (<usize>ir * <usize>ldc + <usize>jr) * 4;
              kernel4x8(kc, pa, packB + <usize>(jr * kc) * 4, cp, ldc, acc, mr, min(8, nc - jr));
            }
          }
        } else {
          for (let jr = 0; jr < nc; jr += 8) {
            const pb = packB + <usize>(jr * kc) * 4;
            const nr = min(8, nc - jr);
            if (nr <= 4) {
              // a last panel of 4 columns or fewer: 8 rows a tile
              for (let ir = 0; ir < mc; ir += 8) {
                const cp = c0 + (<usize>ir * <usize>ldc + <usize>jr) * 4;
                const pa0 = packA + <usize>(ir * kc) * 4;
                const mr = min(8, mc - ir);
                const pa1 = mr > 4 ? pa0 + <usize>(4 * kc) * 4 : pa0;
                kernel8x4(kc, pa0, pa1, pb, cp, ldc, acc, mr, nr);
              }
              continue;
            }
            for (let ir = 0; ir < mc; ir += 4) {
              const cp = c0 + (<usize>ir * <usize>ldc + <usize>jr) * 4;
              kernel4x8(kc, packA + <usize>(ir * kc) * 4, pb, cp, ldc, acc, min(4, mc - ir), nr);
            }
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// float64: 4×4 micro-tile = 8 accumulators of f64x2 (4 rows × 2 vectors), the same register use.

function packB64(
  transB: bool,
  b: usize,
  ldb: i32,
  p0: i32,
  j0: i32,
  kc: i32,
  nc: i32,
  dst: usize,
): void {
  for (let q = 0; q < nc; q += 4) {
    const nr = min(4, nc - q);
    let d = dst + <usize>(q * kc) * 8;
    if (!transB) {
      let s = b + (<usize>p0 * <usize>ldb + <usize>(j0 + q)) * 8;
      const step = <usize>ldb * 8;
      if (nr == 4) {
        for (let k = 0; k < kc; k++) {
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
          s += step;
          d += 32;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let t = 0; t < 4; t++)
            store<f64>(d + <usize>t * 8, t < nr ? load<f64>(s + <usize>t * 8) : 0);
          s += step;
          d += 32;
        }
      }
    } else {
      for (let t = 0; t < 4; t++) {
        if (t < nr) {
          let s = b + (<usize>(j0 + q + t) * <usize>ldb + <usize>p0) * 8;
          for (let k = 0; k < kc; k++)
            store<f64>(d + <usize>(k * 4 + t) * 8, load<f64>(s + <usize>k * 8));
        } else {
          for (let k = 0; k < kc; k++) store<f64>(d + <usize>(k * 4 + t) * 8, 0);
        }
      }
    }
  }
}

function packA64(
  transA: bool,
  a: usize,
  lda: i32,
  i0: i32,
  p0: i32,
  mc: i32,
  kc: i32,
  dst: usize,
): void {
  for (let r = 0; r < mc; r += 4) {
    const mr = min(4, mc - r);
    let d = dst + <usize>(r * kc) * 8;
    if (transA) {
      let s = a + (<usize>p0 * <usize>lda + <usize>(i0 + r)) * 8;
      const step = <usize>lda * 8;
      for (let k = 0; k < kc; k++) {
        if (mr == 4) {
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
        } else {
          for (let t = 0; t < 4; t++)
            store<f64>(d + <usize>t * 8, t < mr ? load<f64>(s + <usize>t * 8) : 0);
        }
        s += step;
        d += 32;
      }
    } else {
      const row = <usize>lda * 8;
      const s0 = a + (<usize>(i0 + r) * <usize>lda + <usize>p0) * 8;
      for (let k = 0; k < kc; k++) {
        const s = s0 + <usize>k * 8;
        for (let t = 0; t < 4; t++)
          store<f64>(d + <usize>t * 8, t < mr ? load<f64>(s + <usize>t * row) : 0);
        d += 32;
      }
    }
  }
}

function kernel4x4(
  kc: i32,
  pa: usize,
  pb: usize,
  c: usize,
  ldc: i32,
  acc: bool,
  mr: i32,
  nr: i32,
): void {
  let c00 = f64x2.splat(0);
  let c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0);
  let c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0);
  let c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0);
  let c31 = f64x2.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load64_splat(pa);
    c00 = madd64(a, b0, c00);
    c01 = madd64(a, b1, c01);
    a = v128.load64_splat(pa, 8);
    c10 = madd64(a, b0, c10);
    c11 = madd64(a, b1, c11);
    a = v128.load64_splat(pa, 16);
    c20 = madd64(a, b0, c20);
    c21 = madd64(a, b1, c21);
    a = v128.load64_splat(pa, 24);
    c30 = madd64(a, b0, c30);
    c31 = madd64(a, b1, c31);
    pa += 32;
    pb += 32;
  }
  const row = <usize>ldc * 8;
  if (mr == 4 && nr == 4) {
    if (acc) {
      c00 = f64x2.add(v128.load(c), c00);
      c01 = f64x2.add(v128.load(c, 16), c01);
      c10 = f64x2.add(v128.load(c + row), c10);
      c11 = f64x2.add(v128.load(c + row, 16), c11);
      c20 = f64x2.add(v128.load(c + 2 * row), c20);
      c21 = f64x2.add(v128.load(c + 2 * row, 16), c21);
      c30 = f64x2.add(v128.load(c + 3 * row), c30);
      c31 = f64x2.add(v128.load(c + 3 * row, 16), c31);
    }
    v128.store(c, c00);
    v128.store(c, c01, 16);
    v128.store(c + row, c10);
    v128.store(c + row, c11, 16);
    v128.store(c + 2 * row, c20);
    v128.store(c + 2 * row, c21, 16);
    v128.store(c + 3 * row, c30);
    v128.store(c + 3 * row, c31, 16);
    return;
  }
  storeRow64(c, c00, c01, nr, acc);
  if (mr > 1) storeRow64(c + row, c10, c11, nr, acc);
  if (mr > 2) storeRow64(c + 2 * row, c20, c21, nr, acc);
  if (mr > 3) storeRow64(c + 3 * row, c30, c31, nr, acc);
}

/** Stores lanes 0..n-1 (n in 1..2) of v at p, added to what is there when `acc`. */
function storeLanes64(p: usize, v: v128, n: i32, acc: bool): void {
  if (n >= 2) {
    v128.store(p, acc ? f64x2.add(v128.load(p), v) : v);
  } else {
    v128.store64_lane(p, acc ? f64x2.add(v128.load64_zero(p), v) : v, 0);
  }
}

function storeRow64(p: usize, v0: v128, v1: v128, nr: i32, acc: bool): void {
  storeLanes64(p, v0, min(nr, 2), acc);
  if (nr > 2) storeLanes64(p + 16, v1, nr - 2, acc);
}

/** The float64 twin of gemmF32 (same arguments, 8-byte elements). */
export function gemmF64(
  transA: bool,
  transB: bool,
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
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate) clearC(M, N, c, ldc, 8);
    return;
  }
  const packA = work;
  const packB = packA + <usize>(MC_F64 * KC_F64) * 8;
  const kcBlock = evenBlock(K, KC_F64);
  for (let jc = 0; jc < N; jc += NC_F64) {
    const nc = min(NC_F64, N - jc);
    // A narrow packed B (a few panels) stays in L1 next to one A panel: then walk the A panels
    // outside and the B panels inside; otherwise keep one B panel in L1 and stream A from L2.
    const narrow = nc <= NARROW_N;
    for (let pc = 0; pc < K; pc += kcBlock) {
      const kc = min(kcBlock, K - pc);
      const acc = accumulate || pc > 0; // later K-blocks add to what the first one wrote
      packB64(transB, b, ldb, pc, jc, kc, nc, packB);
      for (let ic = 0; ic < M; ic += MC_F64) {
        const mc = min(MC_F64, M - ic);
        packA64(transA, a, lda, ic, pc, mc, kc, packA);
        const c0 = c + (<usize>ic * <usize>ldc + <usize>jc) * 8;
        if (narrow) {
          for (let ir = 0; ir < mc; ir += 4) {
            const pa = packA + <usize>(ir * kc) * 8;
            const mr = min(4, mc - ir);
            for (let jr = 0; jr < nc; jr += 4) {
              const cp = c0 + (<usize>ir * <usize>ldc + <usize>jr) * 8;
              kernel4x4(kc, pa, packB + <usize>(jr * kc) * 8, cp, ldc, acc, mr, min(4, nc - jr));
            }
          }
        } else {
          for (let jr = 0; jr < nc; jr += 4) {
            const pb = packB + <usize>(jr * kc) * 8;
            const nr = min(4, nc - jr);
            for (let ir = 0; ir < mc; ir += 4) {
              const cp = c0 + (<usize>ir * <usize>ldc + <usize>jr) * 8;
              kernel4x4(kc, packA + <usize>(ir * kc) * 8, pb, cp, ldc, acc, min(4, mc - ir), nr);
            }
          }
        }
      }
    }
  }
}
