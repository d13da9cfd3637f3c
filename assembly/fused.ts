// Fused kernels (AssemblyScript → WebAssembly SIMD) for the training loop: convolution forward and
// backward without an N-sized im2col matrix or any transpose, ReLU forward/backward, the SGD and
// Adam updates, and the sum of per-chunk partial gradients. A profile of SimpleConvNet showed the
// separate steps (im2col into a fresh array, gemm, a bias loop and a (N, outH, outW, FN) →
// (N, FN, outH, outW) transpose in JavaScript) costing ten times the multiply itself.
//
// Convolution works one image at a time, the way Caffe does, and writes the (FN, outH·outW) output
// of an image straight into its place in (N, FN, outH, outW). In float32 (what training uses) the
// columns are never written out: the gemm panels are packed from a zero-padded copy of the image
// (directConv, convBackwardDW32), and dx at stride 1 is itself a direct convolution of dout with
// the flipped filters (convBackwardDx). Float64 (gradient checks) and the rarer geometries keep the
// simpler path: the image's windows unrolled into a scratch block of the calling thread (im2colT),
// then gemm.
import { gemmF32, gemmF64, gemmWorkBytes, kernel4x8, packA32, packB32, transpose4 } from './gemm';

// The geometry block (i32 slots) a convolution call receives, so a task fits the pool's 14 args.
const G_C = 0;
const G_H = 1;
const G_W = 2;
const G_FH = 3;
const G_FW = 4;
const G_STRIDE = 5;
const G_PAD = 6;
const G_OUTH = 7;
const G_OUTW = 8;
const G_FN = 9;

/** The first byte of a thread's workspace after the gemm packing area (64-byte aligned). */
function scratchOf(work: usize): usize {
  return work + ((<usize>gemmWorkBytes() + 63) & ~(<usize>63));
}

function gemm<T>(
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
  if (sizeof<T>() == 4) gemmF32(transA, transB, M, N, K, a, lda, b, ldb, c, ldc, accumulate, work);
  else gemmF64(transA, transB, M, N, K, a, lda, b, ldb, c, ldc, accumulate, work);
}

/** n elements of value v from p. */
function fillT<T>(p: usize, n: i32, v: T): void {
  const size = <usize>sizeof<T>();
  const lanes = <i32>(16 / size);
  const s = sizeof<T>() == 4 ? f32x4.splat(<f32>v) : f64x2.splat(<f64>v);
  let i = 0;
  for (; i + lanes <= n; i += lanes) v128.store(p + <usize>i * size, s);
  for (; i < n; i++) store<T>(p + <usize>i * size, v);
}

/**
 * The transposed im2col of one image: colT (C·FH·FW, outH·outW), row (c, fy, fx) holding that
 * window element for every output pixel; padding reads as 0. With stride 1 a row of it is a
 * shifted row of the image, copied with vector loads.
 */
function im2colT<T>(x: usize, g: usize, dst: usize): void {
  const size = <usize>sizeof<T>();
  const C = load<i32>(g + G_C * 4);
  const H = load<i32>(g + G_H * 4);
  const W = load<i32>(g + G_W * 4);
  const FH = load<i32>(g + G_FH * 4);
  const FW = load<i32>(g + G_FW * 4);
  const stride = load<i32>(g + G_STRIDE * 4);
  const pad = load<i32>(g + G_PAD * 4);
  const outH = load<i32>(g + G_OUTH * 4);
  const outW = load<i32>(g + G_OUTW * 4);
  const lanes = <i32>(16 / size);
  let d = dst;
  for (let c = 0; c < C; c++) {
    const plane = x + <usize>(c * H * W) * size;
    for (let fy = 0; fy < FH; fy++) {
      for (let fx = 0; fx < FW; fx++) {
        // Output columns whose input column ox·stride + fx − pad lies inside the image.
        const lo = min(outW, max(0, (pad - fx + stride - 1) / stride));
        const last = W - 1 + pad - fx; // (truncating division is wrong for a negative `last`)
        const hi = last < 0 ? lo : max(lo, min(outW, last / stride + 1));
        for (let oy = 0; oy < outH; oy++) {
          const y = oy * stride + fy - pad;
          if (y < 0 || y >= H) {
            fillT<T>(d, outW, <T>0);
          } else {
            const src = plane + <usize>(y * W) * size;
            for (let ox = 0; ox < lo; ox++) store<T>(d + <usize>ox * size, <T>0);
            if (stride == 1) {
              const s = src + <usize>(lo + fx - pad) * size;
              const t = d + <usize>lo * size;
              const n = hi - lo;
              let i = 0;
              for (; i + lanes <= n; i += lanes)
                v128.store(t + <usize>i * size, v128.load(s + <usize>i * size));
              for (; i < n; i++) store<T>(t + <usize>i * size, load<T>(s + <usize>i * size));
            } else {
              for (let ox = lo; ox < hi; ox++) {
                store<T>(
                  d + <usize>ox * size,
                  load<T>(src + <usize>(ox * stride + fx - pad) * size),
                );
              }
            }
            for (let ox = hi; ox < outW; ox++) store<T>(d + <usize>ox * size, <T>0);
          }
          d += <usize>outW * size;
        }
      }
    }
  }
}

/**
 * The adjoint of im2colT for one image: dx (C, H, W) = the sum of the window elements of
 * dcolT (C·FH·FW, outH·outW), row (c, fy, fx) added into the image rows it was read from. With
 * stride 1 a row segment adds to a contiguous run of the image, with vector loads and stores.
 */
function col2imT<T>(dcolT: usize, g: usize, dx: usize): void {
  const size = <usize>sizeof<T>();
  const C = load<i32>(g + G_C * 4);
  const H = load<i32>(g + G_H * 4);
  const W = load<i32>(g + G_W * 4);
  const FH = load<i32>(g + G_FH * 4);
  const FW = load<i32>(g + G_FW * 4);
  const stride = load<i32>(g + G_STRIDE * 4);
  const pad = load<i32>(g + G_PAD * 4);
  const outH = load<i32>(g + G_OUTH * 4);
  const outW = load<i32>(g + G_OUTW * 4);
  const lanes = <i32>(16 / size);
  memory.fill(dx, 0, <usize>(C * H * W) * size);
  let s = dcolT;
  for (let c = 0; c < C; c++) {
    const plane = dx + <usize>(c * H * W) * size;
    for (let fy = 0; fy < FH; fy++) {
      for (let fx = 0; fx < FW; fx++) {
        // The output columns whose input column lies inside the image, as in im2colT.
        const lo = min(outW, max(0, (pad - fx + stride - 1) / stride));
        const last = W - 1 + pad - fx;
        const hi = last < 0 ? lo : max(lo, min(outW, last / stride + 1));
        for (let oy = 0; oy < outH; oy++) {
          const y = oy * stride + fy - pad;
          if (y >= 0 && y < H) {
            const dst = plane + <usize>(y * W) * size;
            if (stride == 1) {
              const t = dst + <usize>(lo + fx - pad) * size;
              const r = s + <usize>lo * size;
              const n = hi - lo;
              let i = 0;
              for (; i + lanes <= n; i += lanes) {
                const q = t + <usize>i * size;
                const a = v128.load(q);
                const b = v128.load(r + <usize>i * size);
                v128.store(q, sizeof<T>() == 4 ? f32x4.add(a, b) : f64x2.add(a, b));
              }
              for (; i < n; i++) {
                const q = t + <usize>i * size;
                store<T>(q, load<T>(q) + load<T>(r + <usize>i * size));
              }
            } else {
              for (let ox = lo; ox < hi; ox++) {
                const q = dst + <usize>(ox * stride + fx - pad) * size;
                store<T>(q, load<T>(q) + load<T>(s + <usize>ox * size));
              }
            }
          }
          s += <usize>outW * size;
        }
      }
    }
  }
}

/** The sum of n elements from p, in vector lanes (then the lanes and the tail in order). */
function sumRow<T>(p: usize, n: i32): T {
  const size = <usize>sizeof<T>();
  const lanes = <i32>(16 / size);
  let acc = v128.splat<i32>(0);
  let i = 0;
  for (; i + lanes <= n; i += lanes) {
    const v = v128.load(p + <usize>i * size);
    acc = sizeof<T>() == 4 ? f32x4.add(acc, v) : f64x2.add(acc, v);
  }
  let s: T = 0;
  if (sizeof<T>() == 4) {
    s = <T>(
      (f32x4.extract_lane(acc, 0) +
        f32x4.extract_lane(acc, 1) +
        f32x4.extract_lane(acc, 2) +
        f32x4.extract_lane(acc, 3))
    );
  } else {
    s = <T>(f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1));
  }
  for (; i < n; i++) s += load<T>(p + <usize>i * size);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Direct convolution (float32): the gemm's B panels are packed straight from a zero-padded copy of
// the image, one kc×8 panel at a time, and used at once by every 4-row tile of the filters.
//
// Measured on DeepConvNet's second layer (16→16 channels, 3×3, pad 1, 28×28, batch 100, one
// thread): the im2colT + gemm path spent 10 ms of its 20 ms writing the transposed columns
// (4000 row segments of 28 elements per image, each with its edge bookkeeping) and packing them
// again into panels; with FN = 1 the multiply costs nothing and the call still took 10 ms. Here a
// panel row is two vector loads from the padded image (a run of 8 output pixels in one output row
// reads 8 consecutive input elements at stride 1), or four loads and two blends when the 8 pixels
// straddle two output rows; padding costs nothing since it is materialised once per image. The
// filters are packed once per call instead of once per image, and the bias is added in the micro-
// kernel's store instead of a fill pass plus a load and add of every output tile.

/** Largest K-block: a kc×8 panel (≤ 20 KB) stays in L1; every network layer (K ≤ 576) is one. */
const KC_DIRECT: i32 = 640;
/** Floats of slack before and after the padded image: a blend load reaches ≤ 8 past a row. */
const SLACK: i32 = 16;

function align64(n: usize): usize {
  return (n + 63) & ~(<usize>63);
}

/** The K-block length: K split into equal blocks of at most KC_DIRECT (no short last block). */
function directKc(K: i32): i32 {
  return evenBlockOf(K, KC_DIRECT);
}

/** Bytes of packed filters: M rows rounded up to the 4 of a tile, times K. */
function packedBytes(M: i32, K: i32): usize {
  return align64(<usize>(((M + 3) & ~3) * K) * 4);
}

/** Bytes directConv needs at `s`: lane table, offsets, panel, padded image (C planes, Hp×Wp). */
function directBytes(K: i32, C: i32, Hp: i32, Wp: i32): usize {
  return (
    64 +
    align64(<usize>K * 4) +
    align64(<usize>(directKc(K) * 8) * 4) +
    align64(<usize>(C * Hp * Wp + 2 * SLACK) * 4)
  );
}

/** Packs the (M, K) matrix a (row-major) into 4-row panels, K-block after K-block, at dst. */
function packFilters(a: usize, M: i32, K: i32, dst: usize): void {
  const kcMax = directKc(K);
  const Mp = (M + 3) & ~3;
  for (let pc = 0; pc < K; pc += kcMax) {
    packA32(false, a, K, 0, pc, M, min(kcMax, K - pc), dst + <usize>(pc * Mp) * 4);
  }
}

/** koff[k] (i32): the padded-image offset of window element k = (c, fy, fx) from its origin. */
function kOffsets(koff: usize, C: i32, FH: i32, FW: i32, Hp: i32, Wp: i32): void {
  let k = 0;
  for (let c = 0; c < C; c++) {
    for (let fy = 0; fy < FH; fy++) {
      for (let fx = 0; fx < FW; fx++) {
        store<i32>(koff + <usize>k * 4, (c * Hp + fy) * Wp + fx);
        k++;
      }
    }
  }
}

/** Copies the C planes of H×W at src into the interior of the padded planes at img. */
function copyPadded(src: usize, C: i32, H: i32, W: i32, padH: i32, padW: i32, img: usize): void {
  const Hp = H + 2 * padH;
  const Wp = W + 2 * padW;
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < H; y++) {
      const d = img + <usize>((c * Hp + y + padH) * Wp + padW) * 4;
      const r = src + <usize>((c * H + y) * W) * 4;
      let i = 0;
      for (; i + 4 <= W; i += 4) v128.store(d + <usize>i * 4, v128.load(r + <usize>i * 4));
      for (; i < W; i++) store<f32>(d + <usize>i * 4, load<f32>(r + <usize>i * 4));
    }
  }
}

/**
 * Packs rows k0..k0+mr of the implicit column matrix (window elements, offsets at koff), columns
 * pc..pc+kc (output pixels), as a 4-row A panel: dst[p][r] = img[koff[r] + source of pixel p].
 * At stride 1, four pixels of one output row are four consecutive elements of each window row:
 * 4 loads and a 4×4 transpose. Rows past mr repeat the last row (their results are not stored).
 */
function packColA(
  img: usize,
  Wp: i32,
  stride: i32,
  outW: i32,
  koff: usize,
  mr: i32,
  pc: i32,
  kc: i32,
  dst: usize,
): void {
  const o0 = <usize>load<i32>(koff) * 4;
  const o1 = <usize>load<i32>(koff + <usize>min(1, mr - 1) * 4) * 4;
  const o2 = <usize>load<i32>(koff + <usize>min(2, mr - 1) * 4) * 4;
  const o3 = <usize>load<i32>(koff + <usize>min(3, mr - 1) * 4) * 4;
  const end = pc + kc;
  let p = pc;
  let oy = p / outW;
  let ox = p - oy * outW;
  let d = dst;
  while (p < end) {
    const n = min(outW - ox, end - p); // pixels of this output row in the block
    const base = img + <usize>(oy * stride * Wp + ox * stride) * 4;
    let i = 0;
    if (stride == 1) {
      for (; i + 4 <= n; i += 4) {
        const q = base + <usize>i * 4;
        transpose4(
          v128.load(q + o0),
          v128.load(q + o1),
          v128.load(q + o2),
          v128.load(q + o3),
          d,
          16,
        );
        d += 64;
      }
    }
    for (; i < n; i++) {
      const q = base + <usize>(i * stride) * 4;
      store<f32>(d, load<f32>(q + o0));
      store<f32>(d, load<f32>(q + o1), 4);
      store<f32>(d, load<f32>(q + o2), 8);
      store<f32>(d, load<f32>(q + o3), 12);
      d += 16;
    }
    p += n;
    ox = 0;
    oy++;
  }
}

/** The pixel-block length of the direct dW: the packed dout block (kc × FN) stays within 32 KB. */
function dwKc(P: i32, FN: i32): i32 {
  return evenBlockOf(P, min(KC_DIRECT, max(64, 8192 / ((FN + 7) & ~7))));
}

function evenBlockOf(K: i32, most: i32): i32 {
  const blocks = (K + most - 1) / most;
  return (K + blocks - 1) / blocks;
}

/** Bytes convBackwardDW32 needs after the gemm area. */
function dwBytes(C: i32, Hp: i32, Wp: i32, K: i32, P: i32, FN: i32): usize {
  const kc = dwKc(P, FN);
  return (
    align64(<usize>(K * FN) * 4) +
    align64(<usize>(kc * ((FN + 7) & ~7)) * 4) +
    align64(<usize>kc * 16) +
    align64(<usize>K * 4) +
    align64(<usize>(C * Hp * Wp + 2 * SLACK) * 4)
  );
}

/**
 * dW and db of images n0..n1 in float32 into partial (FN·K + FN), as convBackward. dWᵀ (K, FN) =
 * Σ_n columns(x[n]) (K, P) · dout[n]ᵀ (P, FN): the column panels are packed straight from the
 * padded image (packColA), the dout block once per pixel block (packB32, transposed), and the
 * tiles accumulate over the images; dWᵀ is transposed into place at the end. The previous path
 * wrote im2colT per image (as expensive as the product itself for DeepConvNet's 16-channel
 * layers) and computed dW (FN, K), whose N = K of 25 or 9 for the first layers left 22–44 % of
 * every 8-wide tile empty; here K is the 4-row side (25 → 28, 9 → 12). Sums per element run over
 * images, pixel blocks and pixels in ascending order, so the split between threads changes nothing.
 */
function convBackwardDW32(
  g: usize,
  x: usize,
  dout: usize,
  partial: usize,
  n0: i32,
  n1: i32,
  work: usize,
): void {
  const C = load<i32>(g + G_C * 4);
  const H = load<i32>(g + G_H * 4);
  const W = load<i32>(g + G_W * 4);
  const FH = load<i32>(g + G_FH * 4);
  const FW = load<i32>(g + G_FW * 4);
  const stride = load<i32>(g + G_STRIDE * 4);
  const pad = load<i32>(g + G_PAD * 4);
  const outW = load<i32>(g + G_OUTW * 4);
  const P = load<i32>(g + G_OUTH * 4) * outW;
  const FN = load<i32>(g + G_FN * 4);
  const K = C * FH * FW;
  const Hp = H + 2 * pad;
  const Wp = W + 2 * pad;
  const kcMax = dwKc(P, FN);
  const dWt = scratchOf(work);
  const packB = dWt + align64(<usize>(K * FN) * 4);
  const panelA = packB + align64(<usize>(kcMax * ((FN + 7) & ~7)) * 4);
  const koff = panelA + align64(<usize>kcMax * 16);
  const img = koff + align64(<usize>K * 4) + <usize>SLACK * 4;
  kOffsets(koff, C, FH, FW, Hp, Wp);
  memory.fill(img - <usize>SLACK * 4, 0, <usize>(C * Hp * Wp + 2 * SLACK) * 4);
  const db = partial + <usize>(FN * K) * 4;
  for (let n = n0; n < n1; n++) {
    copyPadded(x + <usize>(n * C * H * W) * 4, C, H, W, pad, pad, img);
    const d = dout + <usize>n * <usize>(FN * P) * 4;
    for (let pc = 0; pc < P; pc += kcMax) {
      const kc = min(kcMax, P - pc);
      packB32(true, d, P, pc, 0, kc, FN, packB);
      const acc = n > n0 || pc > 0;
      for (let ir = 0; ir < K; ir += 4) {
        const mr = min(4, K - ir);
        packColA(img, Wp, stride, outW, koff + <usize>ir * 4, mr, pc, kc, panelA);
        for (let jr = 0; jr < FN; jr += 8) {
          kernel4x8(
            kc,
            panelA,
            packB + <usize>(jr * kc) * 4,
            dWt + <usize>(ir * FN + jr) * 4,
            FN,
            acc,
            mr,
            min(8, FN - jr),
          );
        }
      }
    }
    for (let f = 0; f < FN; f++) {
      const s = sumRow<f32>(d + <usize>(f * P) * 4, P);
      const q = db + <usize>f * 4;
      store<f32>(q, n > n0 ? load<f32>(q) + s : s);
    }
  }
  // (K, FN) → (FN, K)
  for (let k = 0; k < K; k++) {
    for (let f = 0; f < FN; f++) {
      store<f32>(partial + <usize>(f * K + k) * 4, load<f32>(dWt + <usize>(k * FN + f) * 4));
    }
  }
}

/**
 * Packs rows pc..pc+kc of the implicit column matrix, columns j0..j0+7 (output pixels), into
 * panel: panel[k][t] = img[koff[k] + source of pixel j0 + t], where koff[k] is the padded-image
 * offset of window element k = (c, fy, fx) and a pixel's source is oy·stride·Wp + ox·stride.
 * Lanes past nr hold whatever the loads give (their columns are never stored). One loop per case,
 * over a table of offsets: with the (c, fy, fx) counters and the case test inside one loop it ran
 * at ~10 cycles a panel row, as long as the micro-kernel took for a 4-row tile of it.
 */
function packPanel(
  img: usize,
  Wp: i32,
  stride: i32,
  outW: i32,
  j0: i32,
  nr: i32,
  koff: usize,
  kc: i32,
  panel: usize,
  lanes: usize,
): void {
  const oy = j0 / outW;
  const ox = j0 - oy * outW;
  const end = koff + <usize>kc * 4;
  let d = panel;
  if (stride == 1) {
    const first = outW - ox; // pixels of the panel in output row oy
    const p0 = img + <usize>(oy * Wp + ox) * 4;
    if (first >= nr) {
      // one run: 8 consecutive sources
      for (let k = koff; k < end; k += 4) {
        const p = p0 + <usize>load<i32>(k) * 4;
        v128.store(d, v128.load(p));
        v128.store(d, v128.load(p, 16), 16);
        d += 32;
      }
      return;
    }
    if (nr - first <= outW) {
      // two runs: lanes < first from row oy, lane t ≥ first from row oy + 1 at column t − first
      const p1 = img + <usize>((oy + 1) * Wp - first) * 4;
      const split = i32x4.splat(first);
      const mlo = i32x4.lt_s(i32x4(0, 1, 2, 3), split);
      const mhi = i32x4.lt_s(i32x4(4, 5, 6, 7), split);
      for (let k = koff; k < end; k += 4) {
        const o = <usize>load<i32>(k) * 4;
        const p = p0 + o;
        const q = p1 + o;
        v128.store(d, v128.bitselect(v128.load(p), v128.load(q), mlo));
        v128.store(d, v128.bitselect(v128.load(p, 16), v128.load(q, 16), mhi), 16);
        d += 32;
      }
      return;
    }
  }
  // a gather lane by lane (stride > 1, or output rows shorter than the panel)
  for (let t = 0; t < 8; t++) {
    const j = j0 + t;
    const y = j / outW;
    store<i32>(lanes + <usize>t * 4, t < nr ? y * stride * Wp + (j - y * outW) * stride : -1);
  }
  for (let k = koff; k < end; k += 4) {
    const off = load<i32>(k);
    for (let t = 0; t < 8; t++) {
      const src = load<i32>(lanes + <usize>t * 4);
      store<f32>(d + <usize>t * 4, src < 0 ? 0 : load<f32>(img + <usize>(src + off) * 4));
    }
    d += 32;
  }
}

/**
 * out[n] (M, outH·outW) = filters (M, C·FH·FW) · columns(x[n]) (+ bias[row]) for images n0..n1,
 * with the filters packed by packFilters at pa. x[n] is C planes of H×W, `imageBytes` apart; the
 * padding may differ in height and width. Every output element is one sum over k ascending (per
 * K-block, blocks in order), whatever the thread, so the result does not depend on the split.
 */
function directConv(
  x: usize,
  imageBytes: usize,
  C: i32,
  H: i32,
  W: i32,
  FH: i32,
  FW: i32,
  stride: i32,
  padH: i32,
  padW: i32,
  outH: i32,
  outW: i32,
  M: i32,
  pa: usize,
  bias: usize,
  out: usize,
  n0: i32,
  n1: i32,
  s: usize,
): void {
  const K = C * FH * FW;
  const P = outH * outW;
  const Hp = H + 2 * padH;
  const Wp = W + 2 * padW;
  const kcMax = directKc(K);
  const Mp = (M + 3) & ~3;
  const lanes = s;
  const koff = s + 64;
  const panel = koff + align64(<usize>K * 4);
  const img = panel + align64(<usize>(kcMax * 8) * 4) + <usize>SLACK * 4;
  kOffsets(koff, C, FH, FW, Hp, Wp);
  // The borders stay zero: every image overwrites the same interior.
  memory.fill(img - <usize>SLACK * 4, 0, <usize>(C * Hp * Wp + 2 * SLACK) * 4);
  for (let n = n0; n < n1; n++) {
    const src = x + <usize>n * imageBytes;
    copyPadded(src, C, H, W, padH, padW, img);
    const o = out + <usize>n * <usize>(M * P) * 4;
    for (let pc = 0; pc < K; pc += kcMax) {
      const kc = min(kcMax, K - pc);
      const pak = pa + <usize>(pc * Mp) * 4;
      for (let j0 = 0; j0 < P; j0 += 8) {
        const nr = min(8, P - j0);
        packPanel(img, Wp, stride, outW, j0, nr, koff + <usize>pc * 4, kc, panel, lanes);
        for (let ir = 0; ir < M; ir += 4) {
          kernel4x8(
            kc,
            pak + <usize>(ir * kc) * 4,
            panel,
            o + <usize>(ir * P + j0) * 4,
            P,
            pc > 0,
            min(4, M - ir),
            nr,
            pc == 0 && bias != 0 ? bias + <usize>ir * 4 : 0,
          );
        }
      }
    }
  }
}

/** Convolution forward of images n0..n1 in float32 by directConv (any stride and padding). */
function convForwardDirect(
  g: usize,
  x: usize,
  w: usize,
  b: usize,
  out: usize,
  n0: i32,
  n1: i32,
  work: usize,
): void {
  const C = load<i32>(g + G_C * 4);
  const H = load<i32>(g + G_H * 4);
  const W = load<i32>(g + G_W * 4);
  const FH = load<i32>(g + G_FH * 4);
  const FW = load<i32>(g + G_FW * 4);
  const pad = load<i32>(g + G_PAD * 4);
  const FN = load<i32>(g + G_FN * 4);
  const K = C * FH * FW;
  const pa = scratchOf(work);
  packFilters(w, FN, K, pa);
  const stride = load<i32>(g + G_STRIDE * 4);
  const outH = load<i32>(g + G_OUTH * 4);
  const outW = load<i32>(g + G_OUTW * 4);
  const s = pa + packedBytes(FN, K);
  directConv(
    x,
    <usize>(C * H * W) * 4,
    C,
    H,
    W,
    FH,
    FW,
    stride,
    pad,
    pad,
    outH,
    outW,
    FN,
    pa,
    b,
    out,
    n0,
    n1,
    s,
  );
}

/** Whether convBackward computes dx as a direct convolution (see convBackwardDx). */
function dxDirect(g: usize, size: i32): bool {
  const pad = load<i32>(g + G_PAD * 4);
  return (
    size == 4 &&
    load<i32>(g + G_STRIDE * 4) == 1 &&
    pad < load<i32>(g + G_FH * 4) &&
    pad < load<i32>(g + G_FW * 4)
  );
}

/**
 * dx of images n0..n1 for stride 1, as a convolution: dx[n][c][y][x] = Σ over (f, fy', fx') of
 * dout[n][f][y + fy' − padH'][x + fx' − padW'] · W[f][c][FH−1−fy'][FW−1−fx'], with padH' =
 * FH − 1 − pad (the full correlation with the flipped filters). This replaces a gemm of inner
 * dimension FN (16 for DeepConvNet's first layers: too short to keep the micro-kernel busy), the
 * (K, P) dcolT it wrote and the col2im pass that read it back, by one directConv of inner
 * dimension FN·FH·FW. Uses the scratch at s.
 */
function convBackwardDx(
  g: usize,
  dout: usize,
  w: usize,
  dx: usize,
  n0: i32,
  n1: i32,
  s: usize,
): void {
  const C = load<i32>(g + G_C * 4);
  const H = load<i32>(g + G_H * 4);
  const W = load<i32>(g + G_W * 4);
  const FH = load<i32>(g + G_FH * 4);
  const FW = load<i32>(g + G_FW * 4);
  const pad = load<i32>(g + G_PAD * 4);
  const outH = load<i32>(g + G_OUTH * 4);
  const outW = load<i32>(g + G_OUTW * 4);
  const FN = load<i32>(g + G_FN * 4);
  const K2 = FN * FH * FW;
  // The flipped filters as a (C, FN·FH·FW) matrix, then packed.
  const wt = s;
  const pa = wt + align64(<usize>(C * K2) * 4);
  for (let c = 0; c < C; c++) {
    for (let f = 0; f < FN; f++) {
      for (let fy = 0; fy < FH; fy++) {
        for (let fx = 0; fx < FW; fx++) {
          const from = ((f * C + c) * FH + (FH - 1 - fy)) * FW + (FW - 1 - fx);
          store<f32>(
            wt + <usize>(c * K2 + (f * FH + fy) * FW + fx) * 4,
            load<f32>(w + <usize>from * 4),
          );
        }
      }
    }
  }
  packFilters(wt, C, K2, pa);
  const rest = pa + packedBytes(C, K2);
  directConv(
    dout,
    <usize>(FN * outH * outW) * 4,
    FN,
    outH,
    outW,
    FH,
    FW,
    1,
    FH - 1 - pad,
    FW - 1 - pad,
    H,
    W,
    C,
    pa,
    0,
    dx,
    n0,
    n1,
    rest,
  );
}

/**
 * Convolution forward of images n0..n1: out[n] (FN, outH·outW) = b + Wm · colT(x[n]), with Wm the
 * filters as (FN, C·FH·FW); float32 by directConv, float64 through im2colT and gemm. Needs
 * convScratchBytes of scratch after the gemm area.
 */
function convForward<T>(
  g: usize,
  x: usize,
  w: usize,
  b: usize,
  out: usize,
  n0: i32,
  n1: i32,
  work: usize,
): void {
  const size = <usize>sizeof<T>();
  const C = load<i32>(g + G_C * 4);
  const image = <usize>(C * load<i32>(g + G_H * 4) * load<i32>(g + G_W * 4)) * size;
  const K = C * load<i32>(g + G_FH * 4) * load<i32>(g + G_FW * 4);
  const P = load<i32>(g + G_OUTH * 4) * load<i32>(g + G_OUTW * 4);
  const FN = load<i32>(g + G_FN * 4);
  if (sizeof<T>() == 4) {
    convForwardDirect(g, x, w, b, out, n0, n1, work);
    return;
  }
  const colT = scratchOf(work);
  for (let n = n0; n < n1; n++) {
    im2colT<T>(x + <usize>n * image, g, colT);
    const o = out + <usize>n * <usize>(FN * P) * size;
    for (let f = 0; f < FN; f++)
      fillT<T>(o + <usize>(f * P) * size, P, load<T>(b + <usize>f * size));
    gemm<T>(false, false, FN, P, K, w, K, colT, P, o, P, true, work);
  }
}

/**
 * Convolution backward of images n0..n1 (one chunk): partial (FN·K + FN) receives this chunk's
 * dW (FN, K) = Σ dout[n] · col(x[n]) and db (FN,) = Σ dout[n] summed over pixels, images in
 * ascending order; dx[n] (C, H, W) = col2im((Wmᵀ · dout[n])ᵀ) unless dx is 0. In float32, dW by
 * convBackwardDW32 and dx (stride 1, pad < window) by convBackwardDx. Needs convScratchBytes of
 * scratch after the gemm area.
 */
function convBackward<T>(
  g: usize,
  x: usize,
  dout: usize,
  w: usize,
  partial: usize,
  dx: usize,
  n0: i32,
  n1: i32,
  work: usize,
): void {
  const size = <usize>sizeof<T>();
  const C = load<i32>(g + G_C * 4);
  const image = <usize>(C * load<i32>(g + G_H * 4) * load<i32>(g + G_W * 4)) * size;
  const K = C * load<i32>(g + G_FH * 4) * load<i32>(g + G_FW * 4);
  const P = load<i32>(g + G_OUTH * 4) * load<i32>(g + G_OUTW * 4);
  const FN = load<i32>(g + G_FN * 4);
  const colT = scratchOf(work);
  const dcolT = colT + ((<usize>(K * P) * size + 63) & ~(<usize>63));
  const db = partial + <usize>(FN * K) * size;
  if (sizeof<T>() == 4) {
    convBackwardDW32(g, x, dout, partial, n0, n1, work);
    if (dx == 0) return;
    if (dxDirect(g, 4)) {
      convBackwardDx(g, dout, w, dx, n0, n1, scratchOf(work));
      return;
    }
    // stride > 1 or pad ≥ the window: dcolT (K, P) = Wmᵀ · dout[n], then col2im (as for float64)
    for (let n = n0; n < n1; n++) {
      const d = dout + <usize>n * <usize>(FN * P) * size;
      gemm<T>(true, false, K, P, FN, w, K, d, P, colT, P, false, work);
      col2imT<T>(colT, g, dx + <usize>n * image);
    }
    return;
  }
  for (let n = n0; n < n1; n++) {
    const d = dout + <usize>n * <usize>(FN * P) * size;
    // The transposed columns (K, P): row copies (vectorised at stride 1) instead of P·C·FH short
    // window rows; the product reads them transposed, which only changes how gemm packs B.
    im2colT<T>(x + <usize>n * image, g, colT);
    // (FN, P) · (K, P)ᵀ → (FN, K)
    gemm<T>(false, true, FN, K, P, d, P, colT, P, partial, K, n > n0, work);
    for (let f = 0; f < FN; f++) {
      const row = d + <usize>(f * P) * size;
      const s = sumRow<T>(row, P);
      const q = db + <usize>f * size;
      store<T>(q, n > n0 ? load<T>(q) + s : s);
    }
    if (dx != 0) {
      // dcolT (K, P) = Wmᵀ · dout[n]: Wm is stored (FN, K), read transposed in place. In this
      // orientation the product's long dimension is P and col2imT adds whole row segments.
      gemm<T>(true, false, K, P, FN, w, K, d, P, dcolT, P, false, work);
      col2imT<T>(dcolT, g, dx + <usize>n * image);
    }
  }
}

/**
 * dst (len) = Σ over `count` blocks of src, block c starting at element c·stride, blocks in
 * ascending order (so the sum does not depend on which thread computed which block).
 */
function sumBlocks<T>(src: usize, count: i32, stride: i32, len: i32, dst: usize): void {
  const size = <usize>sizeof<T>();
  memory.copy(dst, src, <usize>len * size);
  for (let c = 1; c < count; c++) {
    const s = src + <usize>(c * stride) * size;
    for (let i = 0; i < len; i++) {
      const q = dst + <usize>i * size;
      store<T>(q, load<T>(q) + load<T>(s + <usize>i * size));
    }
  }
}

/** out[i] = max(x[i], 0) for i in [i0, i1); NaN stays NaN and −0 becomes 0, as the reference. */
function reluForward<T>(x: usize, out: usize, i0: i32, i1: i32): void {
  const size = <usize>sizeof<T>();
  const lanes = <i32>(16 / size);
  const zero = v128.splat<i32>(0);
  let i = i0;
  for (; i + lanes <= i1; i += lanes) {
    const v = v128.load(x + <usize>i * size);
    // v > 0 ? v : 0, written with a compare so that NaN (not ≤ 0) passes through
    const le = sizeof<T>() == 4 ? f32x4.le(v, zero) : f64x2.le(v, zero);
    v128.store(out + <usize>i * size, v128.andnot(v, le));
  }
  for (; i < i1; i++) {
    const v = load<T>(x + <usize>i * size);
    store<T>(out + <usize>i * size, v <= 0 ? <T>0 : v);
  }
}

/** dx[i] = out[i] == 0 ? 0 : dout[i] for i in [i0, i1): out is the forward's output. */
function reluBackward<T>(out: usize, dout: usize, dx: usize, i0: i32, i1: i32): void {
  const size = <usize>sizeof<T>();
  const lanes = <i32>(16 / size);
  const zero = v128.splat<i32>(0);
  let i = i0;
  for (; i + lanes <= i1; i += lanes) {
    const o = v128.load(out + <usize>i * size);
    const eq = sizeof<T>() == 4 ? f32x4.eq(o, zero) : f64x2.eq(o, zero);
    v128.store(dx + <usize>i * size, v128.andnot(v128.load(dout + <usize>i * size), eq));
  }
  for (; i < i1; i++) {
    const o = load<T>(out + <usize>i * size);
    store<T>(dx + <usize>i * size, o == 0 ? <T>0 : load<T>(dout + <usize>i * size));
  }
}

// The two f32 lanes 2..3 of v moved to lanes 0..1, so promote_low can widen them.
function highHalf(v: v128): v128 {
  return v128.shuffle<f32>(v, v, 2, 3, 2, 3);
}

// Two f64x2 halves rounded to f32 and joined into one f32x4 (lanes lo0 lo1 hi0 hi1).
function demote2(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** p[0..2] (f64x2) − lr·g (f64x2), the SGD step on two lanes (plain mul and sub: no FMA). */
function sgdStep(p: v128, g: v128, lr: v128): v128 {
  return f64x2.sub(p, f64x2.mul(lr, g));
}

/**
 * SGD, p[i] −= lr·g[i] for i in [i0, i1), computed in f64 and rounded once to T, as JavaScript
 * computes it: the result equals the reference kernel's to the bit. Vectorised in f64x2 (a float32
 * vector is widened in two halves and narrowed back): separate mul and sub, never a fused
 * multiply-add, so every lane rounds exactly as the scalar code.
 */
function sgdUpdate<T>(p: usize, g: usize, lr: f64, i0: i32, i1: i32): void {
  const size = <usize>sizeof<T>();
  const vlr = f64x2.splat(lr);
  let i = i0;
  if (sizeof<T>() == 4) {
    for (; i + 4 <= i1; i += 4) {
      const o = <usize>i * 4;
      const P = v128.load(p + o);
      const G = v128.load(g + o);
      const lo = sgdStep(f64x2.promote_low_f32x4(P), f64x2.promote_low_f32x4(G), vlr);
      const hi = sgdStep(
        f64x2.promote_low_f32x4(highHalf(P)),
        f64x2.promote_low_f32x4(highHalf(G)),
        vlr,
      );
      v128.store(p + o, demote2(lo, hi));
    }
  } else {
    for (; i + 2 <= i1; i += 2) {
      const o = <usize>i * 8;
      v128.store(p + o, sgdStep(v128.load(p + o), v128.load(g + o), vlr));
    }
  }
  for (; i < i1; i++) {
    const q = p + <usize>i * size;
    store<T>(q, <T>(<f64>load<T>(q) - lr * <f64>load<T>(g + <usize>i * size)));
  }
}

/** m + a·(g − m) on f64x2 lanes (the Adam moment update; plain ops, no FMA). */
function moment(m: v128, a: v128, g: v128): v128 {
  return f64x2.add(m, f64x2.mul(a, f64x2.sub(g, m)));
}

/** p − lrT·m / (√v + eps) on f64x2 lanes. */
function adamStep(p: v128, m: v128, v: v128, lrT: v128, eps: v128): v128 {
  return f64x2.sub(p, f64x2.div(f64x2.mul(lrT, m), f64x2.add(f64x2.sqrt(v), eps)));
}

/**
 * Adam for i in [i0, i1), in f64 with m and v rounded to T when stored and read back rounded (as
 * JavaScript does with a Float32Array), so the result equals the reference kernel's to the bit:
 * m += a1·(g − m); v += a2·(g² − v); p −= lrT·m / (√v + eps).
 *
 * Vectorised in f64x2: IEEE add, mul, div and sqrt round each lane exactly as the scalar code,
 * so the vector loop changes no bit (the suite checks it). A float32 vector of 4 is widened in two
 * halves and narrowed on store. For SimpleConvNet's 434,000 parameters the scalar loop took
 * 1.9–2.4 ms, this one 0.95–1.2 ms (one thread, same process): the f64x2 divide and square root,
 * two lanes each, are now the bound.
 */
function adamUpdate<T>(
  p: usize,
  g: usize,
  m: usize,
  v: usize,
  lrT: f64,
  a1: f64,
  a2: f64,
  eps: f64,
  i0: i32,
  i1: i32,
): void {
  const size = <usize>sizeof<T>();
  const va1 = f64x2.splat(a1);
  const va2 = f64x2.splat(a2);
  const vlr = f64x2.splat(lrT);
  const veps = f64x2.splat(eps);
  let i = i0;
  if (sizeof<T>() == 4) {
    for (; i + 4 <= i1; i += 4) {
      const o = <usize>i * 4;
      const G = v128.load(g + o);
      const M = v128.load(m + o);
      const V = v128.load(v + o);
      const P = v128.load(p + o);
      const glo = f64x2.promote_low_f32x4(G);
      const ghi = f64x2.promote_low_f32x4(highHalf(G));
      // m and v are rounded to f32 when stored; p uses the rounded values, as the reference does.
      const m1 = demote2(
        moment(f64x2.promote_low_f32x4(M), va1, glo),
        moment(f64x2.promote_low_f32x4(highHalf(M)), va1, ghi),
      );
      const v1 = demote2(
        moment(f64x2.promote_low_f32x4(V), va2, f64x2.mul(glo, glo)),
        moment(f64x2.promote_low_f32x4(highHalf(V)), va2, f64x2.mul(ghi, ghi)),
      );
      v128.store(m + o, m1);
      v128.store(v + o, v1);
      const plo = adamStep(
        f64x2.promote_low_f32x4(P),
        f64x2.promote_low_f32x4(m1),
        f64x2.promote_low_f32x4(v1),
        vlr,
        veps,
      );
      const phi = adamStep(
        f64x2.promote_low_f32x4(highHalf(P)),
        f64x2.promote_low_f32x4(highHalf(m1)),
        f64x2.promote_low_f32x4(highHalf(v1)),
        vlr,
        veps,
      );
      v128.store(p + o, demote2(plo, phi));
    }
  } else {
    for (; i + 2 <= i1; i += 2) {
      const o = <usize>i * 8;
      const G = v128.load(g + o);
      const m1 = moment(v128.load(m + o), va1, G);
      const v1 = moment(v128.load(v + o), va2, f64x2.mul(G, G));
      v128.store(m + o, m1);
      v128.store(v + o, v1);
      v128.store(p + o, adamStep(v128.load(p + o), m1, v1, vlr, veps));
    }
  }
  for (; i < i1; i++) {
    const o = <usize>i * size;
    const gi = <f64>load<T>(g + o);
    const mi = <f64>load<T>(m + o);
    const vi = <f64>load<T>(v + o);
    const m1 = <T>(mi + a1 * (gi - mi));
    const v1 = <T>(vi + a2 * (gi * gi - vi));
    store<T>(m + o, m1);
    store<T>(v + o, v1);
    const pi = <f64>load<T>(p + o);
    store<T>(p + o, <T>(pi - (lrT * <f64>m1) / (Math.sqrt(<f64>v1) + eps)));
  }
}

export function convForwardF32(
  g: usize,
  x: usize,
  w: usize,
  b: usize,
  out: usize,
  n0: i32,
  n1: i32,
  work: usize,
): void {
  convForward<f32>(g, x, w, b, out, n0, n1, work);
}
export function convForwardF64(
  g: usize,
  x: usize,
  w: usize,
  b: usize,
  out: usize,
  n0: i32,
  n1: i32,
  work: usize,
): void {
  convForward<f64>(g, x, w, b, out, n0, n1, work);
}
export function convBackwardF32(
  g: usize,
  x: usize,
  dout: usize,
  w: usize,
  partial: usize,
  dx: usize,
  n0: i32,
  n1: i32,
  work: usize,
): void {
  convBackward<f32>(g, x, dout, w, partial, dx, n0, n1, work);
}
export function convBackwardF64(
  g: usize,
  x: usize,
  dout: usize,
  w: usize,
  partial: usize,
  dx: usize,
  n0: i32,
  n1: i32,
  work: usize,
): void {
  convBackward<f64>(g, x, dout, w, partial, dx, n0, n1, work);
}
export function sumBlocksF32(src: usize, count: i32, stride: i32, len: i32, dst: usize): void {
  sumBlocks<f32>(src, count, stride, len, dst);
}
export function sumBlocksF64(src: usize, count: i32, stride: i32, len: i32, dst: usize): void {
  sumBlocks<f64>(src, count, stride, len, dst);
}
export function reluForwardF32(x: usize, out: usize, i0: i32, i1: i32): void {
  reluForward<f32>(x, out, i0, i1);
}
export function reluForwardF64(x: usize, out: usize, i0: i32, i1: i32): void {
  reluForward<f64>(x, out, i0, i1);
}
export function reluBackwardF32(out: usize, dout: usize, dx: usize, i0: i32, i1: i32): void {
  reluBackward<f32>(out, dout, dx, i0, i1);
}
export function reluBackwardF64(out: usize, dout: usize, dx: usize, i0: i32, i1: i32): void {
  reluBackward<f64>(out, dout, dx, i0, i1);
}
export function sgdUpdateF32(p: usize, g: usize, lr: f64, i0: i32, i1: i32): void {
  sgdUpdate<f32>(p, g, lr, i0, i1);
}
export function sgdUpdateF64(p: usize, g: usize, lr: f64, i0: i32, i1: i32): void {
  sgdUpdate<f64>(p, g, lr, i0, i1);
}
export function adamUpdateF32(
  p: usize,
  g: usize,
  m: usize,
  v: usize,
  lrT: f64,
  a1: f64,
  a2: f64,
  eps: f64,
  i0: i32,
  i1: i32,
): void {
  adamUpdate<f32>(p, g, m, v, lrT, a1, a2, eps, i0, i1);
}
export function adamUpdateF64(
  p: usize,
  g: usize,
  m: usize,
  v: usize,
  lrT: f64,
  a1: f64,
  a2: f64,
  eps: f64,
  i0: i32,
  i1: i32,
): void {
  adamUpdate<f64>(p, g, m, v, lrT, a1, a2, eps, i0, i1);
}

/**
 * Bytes of scratch after the gemm area that a convolution with the geometry block g needs, for
 * elements of `size` bytes: the transposed columns and their gradient (im2colT paths), and for
 * float32 the packed filters, panel and padded image of the direct forward or dx.
 */
export function convScratchBytes(g: usize, size: i32): i32 {
  const C = load<i32>(g + G_C * 4);
  const H = load<i32>(g + G_H * 4);
  const W = load<i32>(g + G_W * 4);
  const FH = load<i32>(g + G_FH * 4);
  const FW = load<i32>(g + G_FW * 4);
  const pad = load<i32>(g + G_PAD * 4);
  const outH = load<i32>(g + G_OUTH * 4);
  const outW = load<i32>(g + G_OUTW * 4);
  const FN = load<i32>(g + G_FN * 4);
  const K = C * FH * FW;
  const P = outH * outW;
  const cols = 2 * align64(<usize>(K * P * size));
  if (size != 4) return <i32>(cols + 64);
  const forward = packedBytes(FN, K) + directBytes(K, C, H + 2 * pad, W + 2 * pad);
  const K2 = FN * FH * FW;
  const dxPadH = max(0, FH - 1 - pad); // (dxDirect requires pad < FH, FW)
  const dxPadW = max(0, FW - 1 - pad);
  const dx =
    align64(<usize>(C * K2) * 4) +
    packedBytes(C, K2) +
    directBytes(K2, FN, outH + 2 * dxPadH, outW + 2 * dxPadW);
  const dW = dwBytes(C, H + 2 * pad, W + 2 * pad, K, P, FN);
  return <i32>(max(max(forward, cols), max(dx, dW)) + 64);
}

/** Bytes of a thread's workspace before the convolution scratch (the gemm packing area). */
export function convScratchOffset(): i32 {
  return <i32>scratchOf(0);
}
