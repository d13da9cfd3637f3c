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
// the flipped filters (convBackwardDx). 3×3 windows at stride 1 with at least 8 input channels
// (every DeepConvNet layer but the first) use Winograd F(2×2, 3×3) instead for the forward, dx and
// dW (winogradConv, winogradDW): 2.25× fewer multiplications. Float64 (gradient checks) and the
// rarer geometries keep the simpler path: the image's windows unrolled into a scratch block of the
// calling thread (im2colT), then gemm.
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

/** koff[k] (i32): the padded-image byte offset of window element k = (c, fy, fx) from its origin. */
function kOffsets(koff: usize, C: i32, FH: i32, FW: i32, Hp: i32, Wp: i32): void {
  let k = 0;
  for (let c = 0; c < C; c++) {
    for (let fy = 0; fy < FH; fy++) {
      for (let fx = 0; fx < FW; fx++) {
        store<i32>(koff + <usize>k * 4, ((c * Hp + fy) * Wp + fx) * 4);
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
  const o0 = <usize>load<i32>(koff);
  const o1 = <usize>load<i32>(koff + <usize>min(1, mr - 1) * 4);
  const o2 = <usize>load<i32>(koff + <usize>min(2, mr - 1) * 4);
  const o3 = <usize>load<i32>(koff + <usize>min(3, mr - 1) * 4);
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
        const p = p0 + <usize>load<i32>(k);
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
        const o = <usize>load<i32>(k);
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
    store<i32>(lanes + <usize>t * 4, t < nr ? (y * stride * Wp + (j - y * outW) * stride) * 4 : -1);
  }
  for (let k = koff; k < end; k += 4) {
    const off = load<i32>(k);
    for (let t = 0; t < 8; t++) {
      const src = load<i32>(lanes + <usize>t * 4);
      store<f32>(d + <usize>t * 4, src < 0 ? 0 : load<f32>(img + <usize>(src + off)));
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
        const oy = j0 / outW;
        const ox = j0 - oy * outW;
        // One run of 8 pixels in one output row: the panel rows are read in place (kernel4x8 with
        // an offset table, bit-identical) instead of packed. Packing was ~20 % of conv2's direct
        // forward (3 of 15 ms with it skipped); in place, A/B forward 2–13 % faster (conv3 6.2 →
        // 5.3 ms, conv4 12.9 → 12.4), within noise on others. Panels that straddle two output
        // rows still pack.
        const inPlace = stride == 1 && outW - ox >= nr;
        const pb = inPlace ? img + <usize>(oy * Wp + ox) * 4 : panel;
        const off: usize = inPlace ? koff + <usize>pc * 4 : 0;
        if (!inPlace)
          packPanel(img, Wp, stride, outW, j0, nr, koff + <usize>pc * 4, kc, panel, lanes);
        for (let ir = 0; ir < M; ir += 4) {
          kernel4x8(
            kc,
            pak + <usize>(ir * kc) * 4,
            pb,
            o + <usize>(ir * P + j0) * 4,
            P,
            pc > 0,
            min(4, M - ir),
            nr,
            pc == 0 && bias != 0 ? bias + <usize>ir * 4 : 0,
            off,
          );
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Winograd F(2×2, 3×3) (float32, 3×3 filters at stride 1, the shape of every DeepConvNet layer):
// each 2×2 block of outputs comes from a 4×4 tile of the padded input in 16 products instead of
// 36. The tile (input) and filter transforms turn the convolution into 16 independent products
// Mξ (M, tiles) = Uξ (M, C) · Vξ (C, tiles), one per position ξ of the 4×4 transformed tile, which
// run on gemm's micro-kernel with Uξ packed as its A panels and Vξ written by the input transform
// directly in its B-panel layout; the output transform adds the bias and writes the 2×2 blocks.
// Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks" (2015):
//   Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A,  Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1],
//   G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],  Aᵀ = [1 1 1 0; 0 1 −1 −1].
// The sums differ from the direct ones by rounding only (max error relative to the largest output
// 4e-7–1e-6 on DeepConvNet's shapes against 1e-5 in the suite), and every image is computed alone,
// so the split between threads changes no bit.
//
// Why: the direct convolution already ran its micro-kernel at 80–95 % of what kernel4x8 reaches
// alone on packed panels in L1 (40–47 GFLOP/s in a loop, best of 7, one thread, this machine
// type; the rest is panel packing, ~20 % of conv2's forward, and tile edges). Larger register
// tiles lose in V8 (5×8: 30–31, 6×8: 33–37 GFLOP/s against 4×8's 42–47 in the same loop) and
// unrolling kernel4x8's k loop by 2 made the convolutions 15–50 % slower, so fewer
// multiplications was the way left. A/B against the direct kernels (forward, one call over 100
// images, medians of 5, alternating; the machine was shared, so ranges): conv2 (16→16, 28×28)
// 17.8 → 14.7 ms (C = 16 makes the 16 products short), conv3 6.8 → 4.9, conv4 (32→32, 14×14
// pad 2) 12.6 → 8.5, conv5 (32→64, 8×8) 10.4 → 6.0, conv6 (64→64, 8×8) 18.6 → 11.1 ms; dW
// (winogradDW, below) 17.5–21.8 → 13.1–16.0 (conv2), 15.4–20.9 → 10.6–12.5 (conv4), 17.0–17.4 →
// 11.0–12.5 ms (conv6, 7×7). DeepConvNet's training iteration (bench/profile.ts deep 1 10,
// medians of 4 alternating runs): 176 → 131 ms.

/** Fewest input channels for winogradConv: the products' inner dimension is C (1 for conv1). */
const WG_MIN_C: i32 = 8;

/**
 * Most scratch bytes a Winograd pass may take per thread (its transformed tiles hold a whole image,
 * 16 × channels × tiles: 51 MB for 64 channels of 224×224); larger layers take the direct path.
 */
const WG_MAX_BYTES: usize = 16 << 20;

/**
 * Whether a float32 convolution of C input channels with this window goes through Winograd, which
 * then needs `bytes` of scratch (winogradBytes or winogradDWBytes).
 */
function winogradFits(C: i32, FH: i32, FW: i32, stride: i32, bytes: usize): bool {
  return FH == 3 && FW == 3 && stride == 1 && C >= WG_MIN_C && bytes <= WG_MAX_BYTES;
}

/** Tiles in a row of the products: ⌈outW/2⌉ rounded up to the 4 lanes of the transforms. */
function wgRowTiles(outW: i32): i32 {
  return (((outW + 1) >> 1) + 3) & ~3;
}

/** Tile columns of the products: ⌈outH/2⌉ rows of wgRowTiles, rounded up to a panel of 8. */
function wgTileCount(outH: i32, outW: i32): i32 {
  return (((outH + 1) >> 1) * wgRowTiles(outW) + 7) & ~7;
}

/**
 * The byte distance between the 16 planes (ξ) of a transformed array holding `bytes` each: an odd
 * multiple of 64. The transforms read or write all 16 planes at once, 16 streams `step` apart;
 * with a multiple of 4 KB (Mξ of the 8×8 layers: 64 × 16 tiles × 4 B; the dW products' planes
 * of 256 tiles) every stream maps to the same L1 sets and they evict each other (4K aliasing).
 * An odd number of cache lines puts the 16 streams in 16 different sets. A/B (2 threads, the old
 * and new kernels interleaved in one process, medians of 15, same bits): forward conv4 5.08 →
 * 3.90 ms, conv5 2.36 → 1.92, conv6 4.83 → 3.52; backward conv4 8.30 → 7.21, conv5 5.45 → 4.19,
 * conv6 9.23 → 8.02; conv2 and conv3 (planes 3.5 × 4 KB apart) within noise.
 */
function xiStep(bytes: usize): usize {
  const lines = (bytes + 63) >> 6;
  return (lines | 1) << 6;
}

/** Bytes winogradConv needs at its scratch: U, V, the products and the padded image. */
function winogradBytes(C: i32, outH: i32, outW: i32, M: i32): usize {
  const Mp = (M + 3) & ~3;
  const Tp = wgTileCount(outH, outW);
  const Hpp = 2 * ((outH + 1) >> 1) + 2;
  const Wpp = 2 * wgRowTiles(outW) + 2;
  return (
    16 * xiStep(<usize>(Mp * C) * 4) +
    16 * xiStep(<usize>(Tp * C) * 4) +
    16 * xiStep(<usize>(Mp * Tp) * 4) +
    align64(<usize>(C * Hpp * Wpp + 2 * SLACK) * 4)
  );
}

/** Stores lanes 0..n−1 of v at p (n ≥ 4: all four). */
function storeFirst(p: usize, v: v128, n: i32): void {
  if (n >= 4) {
    v128.store(p, v);
    return;
  }
  if (n > 0) v128.store32_lane(p, v, 0);
  if (n > 1) v128.store32_lane(p, v, 1, 4);
  if (n > 2) v128.store32_lane(p, v, 2, 8);
}

/**
 * Rows 1 and 2 of an input tile's transform (ξ = 4..11) from the row transforms e1 (of input row
 * 1) and e2 (of row 2): V1 = e1 + e2, V2 = e2 − e1, as Bᵀ d B has them.
 */
function middleRows(
  e10: v128,
  e11: v128,
  e12: v128,
  e13: v128,
  e20: v128,
  e21: v128,
  e22: v128,
  e23: v128,
  dst: usize,
  vStep: usize,
): void {
  v128.store(dst + 4 * vStep, f32x4.add(e10, e20));
  v128.store(dst + 5 * vStep, f32x4.add(e11, e21));
  v128.store(dst + 6 * vStep, f32x4.add(e12, e22));
  v128.store(dst + 7 * vStep, f32x4.add(e13, e23));
  v128.store(dst + 8 * vStep, f32x4.sub(e20, e10));
  v128.store(dst + 9 * vStep, f32x4.sub(e21, e11));
  v128.store(dst + 10 * vStep, f32x4.sub(e22, e12));
  v128.store(dst + 11 * vStep, f32x4.sub(e23, e13));
}

/**
 * V = Bᵀ d B for the 4 tiles side by side (lanes) whose 4×4 inputs start at p, p + 8, p + 16,
 * p + 24 (rows rowBytes apart): Vξ (ξ = 4i + j) stored at dst + ξ·vStep.
 */
function inputTile(p: usize, rowBytes: usize, dst: usize, vStep: usize): void {
  // row i of the 4 tiles: columns 2l + j of the input row, j = 0..3 → d0..d3 (lanes l)
  // (dB)[i] = d0 − d2, d1 + d2, d2 − d1, d1 − d3
  let a = v128.load(p + rowBytes);
  let b = v128.load(p + rowBytes, 16);
  let w = v128.load(p + rowBytes, 8);
  let w2 = v128.load(p + rowBytes, 24);
  let d0 = v128.shuffle<f32>(a, b, 0, 2, 4, 6);
  let d1 = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
  let d2 = v128.shuffle<f32>(w, w2, 0, 2, 4, 6);
  let d3 = v128.shuffle<f32>(w, w2, 1, 3, 5, 7);
  const e10 = f32x4.sub(d0, d2);
  const e11 = f32x4.add(d1, d2);
  const e12 = f32x4.sub(d2, d1);
  const e13 = f32x4.sub(d1, d3);
  a = v128.load(p + 2 * rowBytes);
  b = v128.load(p + 2 * rowBytes, 16);
  w = v128.load(p + 2 * rowBytes, 8);
  w2 = v128.load(p + 2 * rowBytes, 24);
  d0 = v128.shuffle<f32>(a, b, 0, 2, 4, 6);
  d1 = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
  d2 = v128.shuffle<f32>(w, w2, 0, 2, 4, 6);
  d3 = v128.shuffle<f32>(w, w2, 1, 3, 5, 7);
  const e20 = f32x4.sub(d0, d2);
  const e21 = f32x4.add(d1, d2);
  const e22 = f32x4.sub(d2, d1);
  const e23 = f32x4.sub(d1, d3);
  // ξ = 4i + j; rows: V0 = e0 − e2, V1 = e1 + e2, V2 = e2 − e1, V3 = e1 − e3
  middleRows(e10, e11, e12, e13, e20, e21, e22, e23, dst, vStep);
  a = v128.load(p);
  b = v128.load(p, 16);
  w = v128.load(p, 8);
  w2 = v128.load(p, 24);
  d0 = v128.shuffle<f32>(a, b, 0, 2, 4, 6);
  d1 = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
  d2 = v128.shuffle<f32>(w, w2, 0, 2, 4, 6);
  d3 = v128.shuffle<f32>(w, w2, 1, 3, 5, 7);
  v128.store(dst, f32x4.sub(f32x4.sub(d0, d2), e20));
  v128.store(dst + vStep, f32x4.sub(f32x4.add(d1, d2), e21));
  v128.store(dst + 2 * vStep, f32x4.sub(f32x4.sub(d2, d1), e22));
  v128.store(dst + 3 * vStep, f32x4.sub(f32x4.sub(d1, d3), e23));
  a = v128.load(p + 3 * rowBytes);
  b = v128.load(p + 3 * rowBytes, 16);
  w = v128.load(p + 3 * rowBytes, 8);
  w2 = v128.load(p + 3 * rowBytes, 24);
  d0 = v128.shuffle<f32>(a, b, 0, 2, 4, 6);
  d1 = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
  d2 = v128.shuffle<f32>(w, w2, 0, 2, 4, 6);
  d3 = v128.shuffle<f32>(w, w2, 1, 3, 5, 7);
  v128.store(dst + 12 * vStep, f32x4.sub(e10, f32x4.sub(d0, d2)));
  v128.store(dst + 13 * vStep, f32x4.sub(e11, f32x4.add(d1, d2)));
  v128.store(dst + 14 * vStep, f32x4.sub(e12, f32x4.sub(d2, d1)));
  v128.store(dst + 15 * vStep, f32x4.sub(e13, f32x4.sub(d1, d3)));
}

/** Tap `at` (bytes) of the four filters at g, g + mBytes, g + 2·mBytes, g + 3·mBytes. */
function tap4(g: usize, mBytes: usize, at: usize): v128 {
  let v = v128.load32_zero(g + at);
  v = v128.load32_lane(g + mBytes + at, v, 1);
  v = v128.load32_lane(g + 2 * mBytes + at, v, 2);
  return v128.load32_lane(g + 3 * mBytes + at, v, 3);
}

/** Lanes 0, 1 (f64x2) of the f32x4 v. */
function lowF64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** Lanes 2, 3 (f64x2) of the f32x4 v. */
function highF64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}

/** Two f64x2 rounded to f32 and joined: lanes lo0, lo1, hi0, hi1. */
function joinF32(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/**
 * filterRow for four filters at once, filters 0, 1 in the f64x2 a0, b0, e0 and 2, 3 in a1, b1,
 * e1: the same f64 operations lane by lane, so the same bits, stored as one vector per ξ.
 */
function filterRow4(
  a0: v128,
  b0: v128,
  e0: v128,
  a1: v128,
  b1: v128,
  e1: v128,
  at: usize,
  step: usize,
): void {
  const h = f64x2.splat(0.5);
  v128.store(at, joinF32(a0, a1));
  v128.store(
    at + step,
    joinF32(
      f64x2.mul(h, f64x2.add(f64x2.add(a0, b0), e0)),
      f64x2.mul(h, f64x2.add(f64x2.add(a1, b1), e1)),
    ),
  );
  v128.store(
    at + 2 * step,
    joinF32(
      f64x2.mul(h, f64x2.add(f64x2.sub(a0, b0), e0)),
      f64x2.mul(h, f64x2.add(f64x2.sub(a1, b1), e1)),
    ),
  );
  v128.store(at + 3 * step, joinF32(e0, e1));
}

/**
 * U = G g Gᵀ of the four filters at g, g + mBytes, … (one channel each) into lanes 0..3 of the 16
 * planes at `at` (uStep apart): the per-filter code of winogradConv on f64x2 pairs, bit for bit.
 * One filter at a time took 16 scattered scalar stores per (m, c), once per task (8 tasks a call):
 * A/B (2 threads, medians of 31) conv6 forward 3.27 → 3.18 ms, backward 7.11 → 7.02, conv5
 * 1.74 → 1.70 and 3.78 → 3.73.
 */
function filterPanel(g: usize, mBytes: usize, flip: bool, at: usize, uStep: usize): void {
  // g[i] read at 8 − i when flipped (the dx filters: W rotated by 180°)
  const t00 = tap4(g, mBytes, flip ? 32 : 0);
  const t01 = tap4(g, mBytes, flip ? 28 : 4);
  const t02 = tap4(g, mBytes, flip ? 24 : 8);
  const t10 = tap4(g, mBytes, flip ? 20 : 12);
  const t11 = tap4(g, mBytes, 16);
  const t12 = tap4(g, mBytes, flip ? 12 : 20);
  const t20 = tap4(g, mBytes, flip ? 8 : 24);
  const t21 = tap4(g, mBytes, flip ? 4 : 28);
  const t22 = tap4(g, mBytes, flip ? 0 : 32);
  // filters 0, 1 (…0) and 2, 3 (…1) as f64x2, through the scalar code's expressions
  const g00 = lowF64(t00);
  const g01 = lowF64(t01);
  const g02 = lowF64(t02);
  const g10 = lowF64(t10);
  const g11 = lowF64(t11);
  const g12 = lowF64(t12);
  const g20 = lowF64(t20);
  const g21 = lowF64(t21);
  const g22 = lowF64(t22);
  const h00 = highF64(t00);
  const h01 = highF64(t01);
  const h02 = highF64(t02);
  const h10 = highF64(t10);
  const h11 = highF64(t11);
  const h12 = highF64(t12);
  const h20 = highF64(t20);
  const h21 = highF64(t21);
  const h22 = highF64(t22);
  const h = f64x2.splat(0.5);
  // Gg (4×3): rows g0, (g0 + g1 + g2)/2, (g0 − g1 + g2)/2, g2; then each row times Gᵀ
  filterRow4(g00, g01, g02, h00, h01, h02, at, uStep);
  filterRow4(
    f64x2.mul(h, f64x2.add(f64x2.add(g00, g10), g20)),
    f64x2.mul(h, f64x2.add(f64x2.add(g01, g11), g21)),
    f64x2.mul(h, f64x2.add(f64x2.add(g02, g12), g22)),
    f64x2.mul(h, f64x2.add(f64x2.add(h00, h10), h20)),
    f64x2.mul(h, f64x2.add(f64x2.add(h01, h11), h21)),
    f64x2.mul(h, f64x2.add(f64x2.add(h02, h12), h22)),
    at + 4 * uStep,
    uStep,
  );
  filterRow4(
    f64x2.mul(h, f64x2.add(f64x2.sub(g00, g10), g20)),
    f64x2.mul(h, f64x2.add(f64x2.sub(g01, g11), g21)),
    f64x2.mul(h, f64x2.add(f64x2.sub(g02, g12), g22)),
    f64x2.mul(h, f64x2.add(f64x2.sub(h00, h10), h20)),
    f64x2.mul(h, f64x2.add(f64x2.sub(h01, h11), h21)),
    f64x2.mul(h, f64x2.add(f64x2.sub(h02, h12), h22)),
    at + 8 * uStep,
    uStep,
  );
  filterRow4(g20, g21, g22, h20, h21, h22, at + 12 * uStep, uStep);
}

/** A row [a, b, e] of G g times Gᵀ: a, (a + b + e)/2, (a − b + e)/2, e, rounded to f32. */
function filterRow(a: f64, b: f64, e: f64, at: usize, step: usize): void {
  store<f32>(at, <f32>a);
  store<f32>(at + step, <f32>(0.5 * (a + b + e)));
  store<f32>(at + 2 * step, <f32>(0.5 * (a - b + e)));
  store<f32>(at + 3 * step, <f32>e);
}

/**
 * out[n] (M, outH, outW) = 3×3 convolution at stride 1 of x[n] (C planes of H×W, zero-padded by
 * padH, padW), + bias[m] unless bias is 0, for images n0..n1, `imageBytes` apart. The filter of
 * (m, c) is the 3×3 block at filt + (m·mStride + c·cStride) floats, rotated by 180° when `flip`
 * (so dx reads W (FN, C, 3, 3) as (C, FN) filters without a flipped copy).
 */
function winogradConv(
  x: usize,
  imageBytes: usize,
  C: i32,
  H: i32,
  W: i32,
  padH: i32,
  padW: i32,
  outH: i32,
  outW: i32,
  M: i32,
  filt: usize,
  mStride: i32,
  cStride: i32,
  flip: bool,
  bias: usize,
  out: usize,
  n0: i32,
  n1: i32,
  s: usize,
): void {
  const Mp = (M + 3) & ~3;
  const twp = wgRowTiles(outW);
  const th = (outH + 1) >> 1;
  const Tp = wgTileCount(outH, outW);
  const Hpp = 2 * th + 2;
  const Wpp = 2 * twp + 2;
  const uStep = xiStep(<usize>(Mp * C) * 4); // bytes from one Uξ to the next
  const vStep = xiStep(<usize>(Tp * C) * 4); // Vξ
  const mStep = xiStep(<usize>(Mp * Tp) * 4); // Mξ
  const U = s;
  const V = U + 16 * uStep;
  const Mm = V + 16 * vStep;
  const img = Mm + 16 * mStep + <usize>SLACK * 4;
  // U = G g Gᵀ for every (m, c), stored as the micro-kernel's 4-row A panels of each Uξ (M, C):
  // element (m, c) at panel m/4, row c, lane m % 4; rows past M are zero. Straight-line code: with
  // loops over the rows and a select per element it cost 0.3 ms per call for 64×64 filters, a call
  // per backward chunk. Whole panels take their 4 filters at once (filterPanel), the rest singly.
  memory.fill(U, 0, <usize>16 * uStep);
  const mBytes = <usize>mStride * 4;
  const cBytes = <usize>cStride * 4;
  const M4 = M & ~3;
  for (let m = 0; m < M4; m += 4) {
    for (let c = 0; c < C; c++) {
      const g = filt + <usize>m * mBytes + <usize>c * cBytes;
      filterPanel(g, mBytes, flip, U + <usize>(((m >> 2) * C + c) * 16), uStep);
    }
  }
  for (let m = M4; m < M; m++) {
    for (let c = 0; c < C; c++) {
      const g = filt + <usize>m * mBytes + <usize>c * cBytes;
      const at = U + <usize>(((m >> 2) * C + c) * 4 + (m & 3)) * 4;
      // g[i] read at 8 − i when flipped (the dx filters: W rotated by 180°)
      const g00 = <f64>load<f32>(g + (flip ? 32 : 0));
      const g01 = <f64>load<f32>(g + (flip ? 28 : 4));
      const g02 = <f64>load<f32>(g + (flip ? 24 : 8));
      const g10 = <f64>load<f32>(g + (flip ? 20 : 12));
      const g11 = <f64>load<f32>(g + 16);
      const g12 = <f64>load<f32>(g + (flip ? 12 : 20));
      const g20 = <f64>load<f32>(g + (flip ? 8 : 24));
      const g21 = <f64>load<f32>(g + (flip ? 4 : 28));
      const g22 = <f64>load<f32>(g + (flip ? 0 : 32));
      // Gg (4×3): rows g0, (g0 + g1 + g2)/2, (g0 − g1 + g2)/2, g2; then each row times Gᵀ
      filterRow(g00, g01, g02, at, uStep);
      filterRow(
        0.5 * (g00 + g10 + g20),
        0.5 * (g01 + g11 + g21),
        0.5 * (g02 + g12 + g22),
        at + 4 * uStep,
        uStep,
      );
      filterRow(
        0.5 * (g00 - g10 + g20),
        0.5 * (g01 - g11 + g21),
        0.5 * (g02 - g12 + g22),
        at + 8 * uStep,
        uStep,
      );
      filterRow(g20, g21, g22, at + 12 * uStep, uStep);
    }
  }
  // The borders (and the rows and columns past the image that the last tiles read) stay zero.
  memory.fill(img - <usize>SLACK * 4, 0, <usize>(C * Hpp * Wpp + 2 * SLACK) * 4);
  const rowBytes = <usize>Wpp * 4;
  for (let n = n0; n < n1; n++) {
    copyInto(x + <usize>n * imageBytes, C, H, W, padH, padW, Hpp, Wpp, img);
    // V = Bᵀ d B for 4 tiles side by side (lanes), written into the B panels of each Vξ (C, Tp):
    // tile t at panel t/8, row c, lane t % 8.
    for (let c = 0; c < C; c++) {
      for (let ty = 0; ty < th; ty++) {
        const row = img + <usize>((c * Hpp + 2 * ty) * Wpp) * 4;
        for (let tx = 0; tx < twp; tx += 4) {
          const t = ty * twp + tx;
          const dst = V + <usize>(((t >> 3) * C + c) * 8 + (t & 7)) * 4;
          const p = row + <usize>(2 * tx) * 4;
          inputTile(row + <usize>(2 * tx) * 4, rowBytes, dst, vStep);
        }
      }
    }
    // Mξ = Uξ · Vξ: each B panel (C × 8 tiles) is used by every 4-row tile of M while in L1.
    for (let xi = 0; xi < 16; xi++) {
      const u = U + <usize>xi * uStep;
      const v = V + <usize>xi * vStep;
      const mm = Mm + <usize>xi * mStep;
      for (let j0 = 0; j0 < Tp; j0 += 8) {
        const panel = v + <usize>(j0 * C) * 4;
        for (let ir = 0; ir < M; ir += 4) {
          kernel4x8(
            C,
            u + <usize>(ir * C) * 4,
            panel,
            mm + <usize>(ir * Tp + j0) * 4,
            Tp,
            false,
            min(4, M - ir),
            8,
          );
        }
      }
    }
    // Y = Aᵀ Mξ A (+ bias) for 4 tiles at a time, interleaved into two output rows.
    const o = out + <usize>n * <usize>(M * outH * outW) * 4;
    for (let m = 0; m < M; m++) {
      const bv = bias != 0 ? v128.load32_splat(bias + <usize>m * 4) : f32x4.splat(0);
      const om = o + <usize>(m * outH * outW) * 4;
      for (let ty = 0; ty < th; ty++) {
        for (let tx = 0; tx < twp; tx += 4) {
          const cols = outW - 2 * tx;
          if (cols <= 0) break;
          const q = Mm + <usize>(m * Tp + ty * twp + tx) * 4;
          // s0j = M0j + M1j + M2j, s1j = M1j − M2j − M3j (rows), then the same on columns
          const m00 = v128.load(q);
          const m01 = v128.load(q + mStep);
          const m02 = v128.load(q + 2 * mStep);
          const m03 = v128.load(q + 3 * mStep);
          const m10 = v128.load(q + 4 * mStep);
          const m11 = v128.load(q + 5 * mStep);
          const m12 = v128.load(q + 6 * mStep);
          const m13 = v128.load(q + 7 * mStep);
          const m20 = v128.load(q + 8 * mStep);
          const m21 = v128.load(q + 9 * mStep);
          const m22 = v128.load(q + 10 * mStep);
          const m23 = v128.load(q + 11 * mStep);
          const s00 = f32x4.add(f32x4.add(m00, m10), m20);
          const s01 = f32x4.add(f32x4.add(m01, m11), m21);
          const s02 = f32x4.add(f32x4.add(m02, m12), m22);
          const s03 = f32x4.add(f32x4.add(m03, m13), m23);
          const s10 = f32x4.sub(f32x4.sub(m10, m20), v128.load(q + 12 * mStep));
          const s11 = f32x4.sub(f32x4.sub(m11, m21), v128.load(q + 13 * mStep));
          const s12 = f32x4.sub(f32x4.sub(m12, m22), v128.load(q + 14 * mStep));
          const s13 = f32x4.sub(f32x4.sub(m13, m23), v128.load(q + 15 * mStep));
          const y00 = f32x4.add(f32x4.add(f32x4.add(s00, s01), s02), bv);
          const y01 = f32x4.add(f32x4.sub(f32x4.sub(s01, s02), s03), bv);
          const y10 = f32x4.add(f32x4.add(f32x4.add(s10, s11), s12), bv);
          const y11 = f32x4.add(f32x4.sub(f32x4.sub(s11, s12), s13), bv);
          const r0 = om + <usize>(2 * ty * outW + 2 * tx) * 4;
          storeFirst(r0, v128.shuffle<f32>(y00, y01, 0, 4, 1, 5), cols);
          if (cols > 4) storeFirst(r0 + 16, v128.shuffle<f32>(y00, y01, 2, 6, 3, 7), cols - 4);
          if (2 * ty + 1 < outH) {
            const r1 = r0 + <usize>outW * 4;
            storeFirst(r1, v128.shuffle<f32>(y10, y11, 0, 4, 1, 5), cols);
            if (cols > 4) storeFirst(r1 + 16, v128.shuffle<f32>(y10, y11, 2, 6, 3, 7), cols - 4);
          }
        }
      }
    }
  }
}

/**
 * Copies the C planes of H×W at src into the planes of Hpp×Wpp at img, at row padH, column padW
 * (the rest of img is left as it is: zero once, it stays zero).
 */
function copyInto(
  src: usize,
  C: i32,
  H: i32,
  W: i32,
  padH: i32,
  padW: i32,
  Hpp: i32,
  Wpp: i32,
  img: usize,
): void {
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < H; y++) {
      const d = img + <usize>((c * Hpp + y + padH) * Wpp + padW) * 4;
      const r = src + <usize>((c * H + y) * W) * 4;
      let i = 0;
      for (; i + 4 <= W; i += 4) v128.store(d + <usize>i * 4, v128.load(r + <usize>i * 4));
      for (; i < W; i++) store<f32>(d + <usize>i * 4, load<f32>(r + <usize>i * 4));
    }
  }
}

/** A row [u, v] of A dY times Aᵀ: [u, u + v, u − v, −v], into 4 planes yStep apart. */
function gradRow(u: v128, v: v128, dst: usize, yStep: usize): void {
  v128.store(dst, u);
  v128.store(dst + yStep, f32x4.add(u, v));
  v128.store(dst + 2 * yStep, f32x4.sub(u, v));
  v128.store(dst + 3 * yStep, f32x4.neg(v));
}

/**
 * Copies the C planes of H×W at src into dst with 4 channels interleaved: channel c of pixel
 * (y, x) at float ((c/4 · Hpp + y + padH) · Wpp + x + padW) · 4 + c % 4. Lanes of channels past C
 * in the last group are written as zero; the borders are left as they are (zero once, they stay).
 */
function copyInterleaved(
  src: usize,
  C: i32,
  H: i32,
  W: i32,
  padH: i32,
  padW: i32,
  Hpp: i32,
  Wpp: i32,
  dst: usize,
): void {
  const plane = <usize>(H * W) * 4;
  const zero = f32x4.splat(0);
  for (let c0 = 0; c0 < C; c0 += 4) {
    const nc = min(4, C - c0);
    const p0 = src + <usize>c0 * plane;
    for (let y = 0; y < H; y++) {
      const r0 = p0 + <usize>(y * W) * 4;
      const d = dst + <usize>((((c0 >> 2) * Hpp + y + padH) * Wpp + padW) * 16);
      let x = 0;
      for (; x + 4 <= W; x += 4) {
        const q = r0 + <usize>x * 4;
        transpose4(
          v128.load(q),
          nc > 1 ? v128.load(q + plane) : zero,
          nc > 2 ? v128.load(q + 2 * plane) : zero,
          nc > 3 ? v128.load(q + 3 * plane) : zero,
          d + <usize>x * 16,
          16,
        );
      }
      for (; x < W; x++) {
        const q = r0 + <usize>x * 4;
        const e = d + <usize>x * 16;
        for (let k = 0; k < 4; k++) {
          store<f32>(e + <usize>k * 4, k < nc ? load<f32>(q + <usize>k * plane) : 0);
        }
      }
    }
  }
}

/**
 * inputTile for one tile of 4 interleaved channels (lanes): its 4×4 input starts at p (pixels 16
 * bytes apart, rows rowBytes apart); Vξ at dst + ξ·vStep. The same operations in the same order
 * as inputTile, so the same bits.
 */
function inputTile4(p: usize, rowBytes: usize, dst: usize, vStep: usize): void {
  // (dB)[i] = d0 − d2, d1 + d2, d2 − d1, d1 − d3 for input row i
  let q = p + rowBytes;
  let d0 = v128.load(q);
  let d1 = v128.load(q, 16);
  let d2 = v128.load(q, 32);
  let d3 = v128.load(q, 48);
  const e10 = f32x4.sub(d0, d2);
  const e11 = f32x4.add(d1, d2);
  const e12 = f32x4.sub(d2, d1);
  const e13 = f32x4.sub(d1, d3);
  q = p + 2 * rowBytes;
  d0 = v128.load(q);
  d1 = v128.load(q, 16);
  d2 = v128.load(q, 32);
  d3 = v128.load(q, 48);
  const e20 = f32x4.sub(d0, d2);
  const e21 = f32x4.add(d1, d2);
  const e22 = f32x4.sub(d2, d1);
  const e23 = f32x4.sub(d1, d3);
  middleRows(e10, e11, e12, e13, e20, e21, e22, e23, dst, vStep);
  d0 = v128.load(p);
  d1 = v128.load(p, 16);
  d2 = v128.load(p, 32);
  d3 = v128.load(p, 48);
  v128.store(dst, f32x4.sub(f32x4.sub(d0, d2), e20));
  v128.store(dst + vStep, f32x4.sub(f32x4.add(d1, d2), e21));
  v128.store(dst + 2 * vStep, f32x4.sub(f32x4.sub(d2, d1), e22));
  v128.store(dst + 3 * vStep, f32x4.sub(f32x4.sub(d1, d3), e23));
  q = p + 3 * rowBytes;
  d0 = v128.load(q);
  d1 = v128.load(q, 16);
  d2 = v128.load(q, 32);
  d3 = v128.load(q, 48);
  v128.store(dst + 12 * vStep, f32x4.sub(e10, f32x4.sub(d0, d2)));
  v128.store(dst + 13 * vStep, f32x4.sub(e11, f32x4.add(d1, d2)));
  v128.store(dst + 14 * vStep, f32x4.sub(e12, f32x4.sub(d2, d1)));
  v128.store(dst + 15 * vStep, f32x4.sub(e13, f32x4.sub(d1, d3)));
}

/**
 * Ŷ = A dY Aᵀ (A = (Aᵀ)ᵀ, 4×2) for the 2×2 output-gradient block of one tile, 4 interleaved filters
 * as lanes, starting at p (pixels 16 bytes apart, rows rowBytes apart): Ŷξ stored at dst + ξ·yStep.
 * Rows of A dY are [a, b], [a + c, b + d], [a − c, b − d], [−c, −d].
 */
function gradTile4(p: usize, rowBytes: usize, dst: usize, yStep: usize): void {
  const y00 = v128.load(p);
  const y01 = v128.load(p, 16);
  const y10 = v128.load(p + rowBytes);
  const y11 = v128.load(p + rowBytes, 16);
  gradRow(y00, y01, dst, yStep);
  gradRow(f32x4.add(y00, y10), f32x4.add(y01, y11), dst + 4 * yStep, yStep);
  gradRow(f32x4.sub(y00, y10), f32x4.sub(y01, y11), dst + 8 * yStep, yStep);
  gradRow(f32x4.neg(y10), f32x4.neg(y11), dst + 12 * yStep, yStep);
}

/** Winograd tiles of one image: ⌈outH/2⌉ rows of wgRowTiles. */
function wgTiles(outH: i32, outW: i32): i32 {
  return ((outH + 1) >> 1) * wgRowTiles(outW);
}

/** Images whose tiles make one inner dimension of the dW products: about 256 tiles. */
function wgGroup(T: i32): i32 {
  return max(1, 256 / T);
}

/** Bytes winogradDW needs after the gemm area. */
function winogradDWBytes(C: i32, outH: i32, outW: i32, FN: i32): usize {
  const th = (outH + 1) >> 1;
  const tw = (outW + 1) >> 1; // tiles in a row: one at a time, not rounded up to 4 lanes
  const T = th * tw;
  const Kt = wgGroup(T) * T;
  const Mp = (FN + 3) & ~3;
  const Cp = (C + 7) & ~7;
  return (
    16 * xiStep(<usize>(FN * C) * 4) +
    16 * xiStep(<usize>(Mp * Kt) * 4) +
    16 * xiStep(<usize>(Cp * Kt) * 4) +
    align64(<usize>(Cp * (2 * th + 2) * (2 * tw + 2) + 2 * SLACK) * 4) +
    align64(<usize>(Mp * 4 * th * tw + 2 * SLACK) * 4)
  );
}

/**
 * dW and db of images n0..n1 into partial (FN·K + FN) for a 3×3 window at stride 1, by the
 * Winograd F(2×2, 3×3) of the forward run backwards: the forward is Y = Aᵀ [(G g Gᵀ) ⊙ V] A per
 * tile, so dW[m][c] = Gᵀ Zmc G with Zξ (FN, C) = Σ over tiles Ŷξ · Vξᵀ, Ŷ = A dY Aᵀ the transformed
 * output gradient of the tile and V = Bᵀ d B its input tile. The 16 products have the tiles as
 * inner dimension (a group of images at a time, ~256 tiles: long enough for the micro-kernel),
 * run through gemmF32, accumulating over the groups; the 4×4 → 3×3 transform happens once at
 * the end. Tiles past the output read a zero gradient, so they add nothing. Images, groups and
 * tiles are summed in a fixed order from n0, so the split between threads changes no bit.
 * Ŷ and V are written straight into the micro-kernel's panel layouts: with the image and the
 * gradient copied with 4 channels (filters) interleaved per pixel (copyInterleaved), the
 * transforms of one tile take the 4 channels as lanes and store them as the 4 consecutive floats
 * of a panel row. Transforming 4 tiles as lanes (as winogradConv does) needed a 4×4 transpose per
 * ξ after it, and rows of tiles rounded up to 4 (conv2: 16 tiles a row for 14, conv3: 8 for 7).
 * A/B of the two (interleaved runs, same bits but conv3's image groups): backward conv2 15.3 →
 * 14.5 ms on one thread, 7.8 → 7.35 on two, conv3 3.63 → 3.42 on two; the others within 2 %, more
 * when the machine is shared (conv2 13.3 → 12.2). Through gemmF32 on plain (FN, kt) and (C, kt)
 * matrices, with its packing, the 16 products ran at ~25 GFLOP/s; A/B (dW alone, medians of 7,
 * two rounds): conv4 17.0–18.4 → 11.5–11.7 ms, conv6 10.9–12.1 → 9.0–11.3; conv2 12.4–13.8 →
 * 13.4–14.4 (its 16×16 products suit gemm's narrow-N path; not worth a second code path).
 */
function winogradDW(
  x: usize,
  dout: usize,
  partial: usize,
  C: i32,
  H: i32,
  W: i32,
  pad: i32,
  outH: i32,
  outW: i32,
  FN: i32,
  n0: i32,
  n1: i32,
  work: usize,
): void {
  const th = (outH + 1) >> 1;
  const tw = (outW + 1) >> 1; // tiles in a row: one at a time, not rounded up to 4 lanes
  const T = th * tw;
  const G = wgGroup(T);
  const Kt = G * T;
  const Hpp = 2 * th + 2;
  const Wpp = 2 * tw + 2;
  const Dh = 2 * th;
  const Dw = 2 * tw;
  const Mp = (FN + 3) & ~3; // rows of Ŷ: 4-row panels, the planes past FN zero
  const Cp = (C + 7) & ~7; // columns of V: 8-wide panels, the planes past C zero
  const zStep = xiStep(<usize>(FN * C) * 4); // bytes from one Zξ to the next (see xiStep)
  const yStep = xiStep(<usize>(Mp * Kt) * 4); // Ŷξ
  const vStep = xiStep(<usize>(Cp * Kt) * 4); // Vξ
  const Z = scratchOf(work);
  const Yh = Z + 16 * zStep;
  const Vx = Yh + 16 * yStep;
  const imgBase = Vx + 16 * vStep;
  const img = imgBase + <usize>SLACK * 4;
  const dBase = imgBase + align64(<usize>(Cp * Hpp * Wpp + 2 * SLACK) * 4);
  const dp = dBase + <usize>SLACK * 4;
  memory.fill(imgBase, 0, <usize>(Cp * Hpp * Wpp + 2 * SLACK) * 4);
  memory.fill(dBase, 0, <usize>(Mp * Dh * Dw + 2 * SLACK) * 4);
  const K = C * 9;
  const P = outH * outW;
  const db = partial + <usize>(FN * K) * 4;
  for (let g0 = n0; g0 < n1; g0 += G) {
    const g1 = min(n1, g0 + G);
    for (let n = g0; n < g1; n++) {
      const col = (n - g0) * T; // this image's first tile in the products' inner dimension
      const d = dout + <usize>n * <usize>(FN * P) * 4;
      // The image and the gradient with 4 channels (filters) interleaved per pixel, so that the
      // transforms run on the 4 channels of a tile as lanes and their results are the 4
      // consecutive floats of a panel row: no transposes.
      copyInterleaved(x + <usize>(n * C * H * W) * 4, C, H, W, pad, pad, Hpp, Wpp, img);
      copyInterleaved(d, FN, outH, outW, 0, 0, Dh, Dw, dp);
      // Vξ as the micro-kernel's B panels (tiles × 8 channels), 4 channels of a tile at a time.
      const rowV = <usize>Wpp * 16;
      for (let c0 = 0; c0 < Cp; c0 += 4) {
        for (let ty = 0; ty < th; ty++) {
          const row = img + <usize>(((c0 >> 2) * Hpp + 2 * ty) * Wpp) * 16;
          const t = col + ty * tw;
          let dst = Vx + <usize>(((c0 >> 3) * Kt + t) * 8 + (c0 & 7)) * 4;
          for (let tx = 0; tx < tw; tx++) {
            inputTile4(row + <usize>(2 * tx) * 16, rowV, dst, vStep);
            dst += 32;
          }
        }
      }
      // Ŷξ as the micro-kernel's A panels (tiles × 4 filters), 4 filters of a tile at a time.
      const rowY = <usize>Dw * 16;
      for (let m0 = 0; m0 < Mp; m0 += 4) {
        for (let ty = 0; ty < th; ty++) {
          const row = dp + <usize>(((m0 >> 2) * Dh + 2 * ty) * Dw) * 16;
          let dst = Yh + <usize>(m0 * Kt + (col + ty * tw) * 4) * 4;
          for (let tx = 0; tx < tw; tx++) {
            gradTile4(row + <usize>(2 * tx) * 16, rowY, dst, yStep);
            dst += 16;
          }
        }
      }
      for (let f = 0; f < FN; f++) {
        const s = sumRow<f32>(d + <usize>(f * P) * 4, P);
        const q = db + <usize>f * 4;
        store<f32>(q, n > n0 ? load<f32>(q) + s : s);
      }
    }
    // Zξ (+)= Ŷξ (FN, kt) · Vξ (C, kt)ᵀ: each B panel (kt × 8 channels) serves every 4 filters.
    const kt = (g1 - g0) * T;
    for (let xi = 0; xi < 16; xi++) {
      const yx = Yh + <usize>xi * yStep;
      const vx = Vx + <usize>xi * vStep;
      const z = Z + <usize>xi * zStep;
      for (let jr = 0; jr < C; jr += 8) {
        const panel = vx + <usize>(jr * Kt) * 4;
        for (let ir = 0; ir < FN; ir += 4) {
          kernel4x8(
            kt,
            yx + <usize>(ir * Kt) * 4,
            panel,
            z + <usize>(ir * C + jr) * 4,
            C,
            g0 > n0,
            min(4, FN - ir),
            min(8, C - jr),
          );
        }
      }
    }
  }
  // dW[m][c] = Gᵀ Z G (4×4 → 3×3): Gᵀ takes rows z0 + (z1 + z2)/2, (z1 − z2)/2, (z1 + z2)/2 + z3,
  // G the same of columns.
  for (let m = 0; m < FN; m++) {
    for (let c = 0; c < C; c++) {
      const z = Z + <usize>(m * C + c) * 4;
      const w = partial + <usize>((m * C + c) * 9) * 4;
      const z00 = <f64>load<f32>(z);
      const z01 = <f64>load<f32>(z + zStep);
      const z02 = <f64>load<f32>(z + 2 * zStep);
      const z03 = <f64>load<f32>(z + 3 * zStep);
      const z10 = <f64>load<f32>(z + 4 * zStep);
      const z11 = <f64>load<f32>(z + 5 * zStep);
      const z12 = <f64>load<f32>(z + 6 * zStep);
      const z13 = <f64>load<f32>(z + 7 * zStep);
      const z20 = <f64>load<f32>(z + 8 * zStep);
      const z21 = <f64>load<f32>(z + 9 * zStep);
      const z22 = <f64>load<f32>(z + 10 * zStep);
      const z23 = <f64>load<f32>(z + 11 * zStep);
      const z30 = <f64>load<f32>(z + 12 * zStep);
      const z31 = <f64>load<f32>(z + 13 * zStep);
      const z32 = <f64>load<f32>(z + 14 * zStep);
      const z33 = <f64>load<f32>(z + 15 * zStep);
      gradRow3(
        z00 + 0.5 * (z10 + z20),
        z01 + 0.5 * (z11 + z21),
        z02 + 0.5 * (z12 + z22),
        z03 + 0.5 * (z13 + z23),
        w,
      );
      gradRow3(0.5 * (z10 - z20), 0.5 * (z11 - z21), 0.5 * (z12 - z22), 0.5 * (z13 - z23), w + 12);
      gradRow3(
        0.5 * (z10 + z20) + z30,
        0.5 * (z11 + z21) + z31,
        0.5 * (z12 + z22) + z32,
        0.5 * (z13 + z23) + z33,
        w + 24,
      );
    }
  }
}

/** A row [q0, q1, q2, q3] of Gᵀ Z times G: q0 + (q1 + q2)/2, (q1 − q2)/2, (q1 + q2)/2 + q3. */
function gradRow3(q0: f64, q1: f64, q2: f64, q3: f64, w: usize): void {
  store<f32>(w, <f32>(q0 + 0.5 * (q1 + q2)));
  store<f32>(w + 4, <f32>(0.5 * (q1 - q2)));
  store<f32>(w + 8, <f32>(0.5 * (q1 + q2) + q3));
}

/**
 * Convolution forward of images n0..n1 in float32: winogradConv for 3×3 at stride 1 with C ≥ 8
 * (and its scratch within WG_MAX_BYTES), directConv otherwise (any stride and padding).
 */
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
  const stride = load<i32>(g + G_STRIDE * 4);
  const outH = load<i32>(g + G_OUTH * 4);
  const outW = load<i32>(g + G_OUTW * 4);
  if (winogradFits(C, FH, FW, stride, winogradBytes(C, outH, outW, FN))) {
    const bytes = <usize>(C * H * W) * 4;
    const s = scratchOf(work);
    winogradConv(
      x,
      bytes,
      C,
      H,
      W,
      pad,
      pad,
      outH,
      outW,
      FN,
      w,
      C * 9,
      9,
      false,
      b,
      out,
      n0,
      n1,
      s,
    );
    return;
  }
  const pa = scratchOf(work);
  packFilters(w, FN, K, pa);
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
  if (winogradFits(FN, FH, FW, 1, winogradBytes(FN, H, W, C))) {
    const bytes = <usize>(FN * outH * outW) * 4;
    const ph = FH - 1 - pad;
    const pw = FW - 1 - pad;
    winogradConv(dout, bytes, FN, outH, outW, ph, pw, H, W, C, w, 9, C * 9, true, 0, dx, n0, n1, s);
    return;
  }
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
 * filters as (FN, C·FH·FW); float32 by winogradConv (3×3, stride 1, C ≥ 8) or directConv, float64
 * through im2colT and gemm. Needs convScratchBytes of scratch after the gemm area.
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
 * winogradDW (3×3, stride 1, C ≥ 8) or convBackwardDW32, and dx (stride 1, pad < window) by
 * convBackwardDx. Needs convScratchBytes of scratch after the gemm area.
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
    const FH = load<i32>(g + G_FH * 4);
    const FW = load<i32>(g + G_FW * 4);
    const outH = load<i32>(g + G_OUTH * 4);
    const outW = load<i32>(g + G_OUTW * 4);
    const stride = load<i32>(g + G_STRIDE * 4);
    if (winogradFits(C, FH, FW, stride, winogradDWBytes(C, outH, outW, FN))) {
      const H = load<i32>(g + G_H * 4);
      const W = load<i32>(g + G_W * 4);
      const pad = load<i32>(g + G_PAD * 4);
      winogradDW(x, dout, partial, C, H, W, pad, outH, outW, FN, n0, n1, work);
    } else {
      convBackwardDW32(g, x, dout, partial, n0, n1, work);
    }
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

/**
 * acc[j] += Σ_i src[i·cols + j] for j < cols, over rows i = 0, 1, … in order, in float64 (acc
 * holds f64): the additions JavaScript makes summing an array over its leading axes.
 */
function sumRows<T>(src: usize, rows: i32, cols: i32, acc: usize): void {
  const size = <usize>sizeof<T>();
  let j = 0;
  if (sizeof<T>() == 4) {
    for (; j + 4 <= cols; j += 4) {
      let lo = v128.load(acc + <usize>j * 8);
      let hi = v128.load(acc + <usize>j * 8, 16);
      let p = src + <usize>j * 4;
      for (let i = 0; i < rows; i++) {
        lo = f64x2.add(lo, f64x2.promote_low_f32x4(v128.load64_zero(p)));
        hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.load64_zero(p, 8)));
        p += <usize>cols * 4;
      }
      v128.store(acc + <usize>j * 8, lo);
      v128.store(acc + <usize>j * 8, hi, 16);
    }
  } else {
    for (; j + 2 <= cols; j += 2) {
      let s = v128.load(acc + <usize>j * 8);
      let p = src + <usize>j * 8;
      for (let i = 0; i < rows; i++) {
        s = f64x2.add(s, v128.load(p));
        p += <usize>cols * 8;
      }
      v128.store(acc + <usize>j * 8, s);
    }
  }
  for (; j < cols; j++) {
    let s = load<f64>(acc + <usize>j * 8);
    for (let i = 0; i < rows; i++)
      s += <f64>load<T>(src + (<usize>i * <usize>cols + <usize>j) * size);
    store<f64>(acc + <usize>j * 8, s);
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
    // Two f32 at a time (64-bit loads and stores): shuffling the halves of a 4-lane vector in
    // and out would put three more operations a step on the port the conversions need.
    for (; i + 2 <= i1; i += 2) {
      const q = p + <usize>i * 4;
      const P = f64x2.promote_low_f32x4(v128.load64_zero(q));
      const G = f64x2.promote_low_f32x4(v128.load64_zero(g + <usize>i * 4));
      v128.store64_lane(q, f32x4.demote_f64x2_zero(sgdStep(P, G, vlr)), 0);
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
 * so the vector loop changes no bit (the suite checks it). float32 values go two at a time
 * (64-bit loads and stores), widened on load and narrowed on store: four at a time with shuffles
 * in and out was 16 % slower, the shuffles and the conversions sharing one port. For
 * SimpleConvNet's 434,000 parameters the scalar loop took 1.9–2.4 ms, this one 0.79 ms (one
 * thread): the f64x2 divide and square root, two lanes each, are the bound.
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
    // Two f32 at a time through 64-bit loads and stores, as in sgdUpdate: no shuffles.
    for (; i + 2 <= i1; i += 2) {
      const o = <usize>i * 4;
      const G = f64x2.promote_low_f32x4(v128.load64_zero(g + o));
      const M = f64x2.promote_low_f32x4(v128.load64_zero(m + o));
      const V = f64x2.promote_low_f32x4(v128.load64_zero(v + o));
      // m and v are rounded to f32 when stored; p uses the rounded values, as the reference does.
      const m1 = f32x4.demote_f64x2_zero(moment(M, va1, G));
      const v1 = f32x4.demote_f64x2_zero(moment(V, va2, f64x2.mul(G, G)));
      v128.store64_lane(m + o, m1, 0);
      v128.store64_lane(v + o, v1, 0);
      const P = f64x2.promote_low_f32x4(v128.load64_zero(p + o));
      const step = adamStep(P, f64x2.promote_low_f32x4(m1), f64x2.promote_low_f32x4(v1), vlr, veps);
      v128.store64_lane(p + o, f32x4.demote_f64x2_zero(step), 0);
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
export function sumRowsF32(src: usize, rows: i32, cols: i32, acc: usize): void {
  sumRows<f32>(src, rows, cols, acc);
}
export function sumRowsF64(src: usize, rows: i32, cols: i32, acc: usize): void {
  sumRows<f64>(src, rows, cols, acc);
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
 * elements of `size` bytes, for its forward (part 0), its backward without dx (1) or with dx (2):
 * the transposed columns and their gradient (im2colT paths), and for float32 what the Winograd or
 * direct paths of that part use. Sizing for the part only: a first layer (no dx) kept workspaces
 * sized for a Winograd dx it never runs, +262 KB of live memory in tests/kernels/memory.test.ts.
 */
export function convScratchBytes(g: usize, size: i32, part: i32): i32 {
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
  if (size != 4) return <i32>(2 * align64(<usize>(K * P * size)) + 64);
  // Each path needs only its own scratch (a Winograd layer never takes the direct path).
  const stride = load<i32>(g + G_STRIDE * 4);
  if (part == 0) {
    const wg = winogradBytes(C, outH, outW, FN);
    const forward = winogradFits(C, FH, FW, stride, wg)
      ? wg
      : packedBytes(FN, K) + directBytes(K, C, H + 2 * pad, W + 2 * pad);
    return <i32>(forward + 64);
  }
  const wgDW = winogradDWBytes(C, outH, outW, FN);
  let bytes = winogradFits(C, FH, FW, stride, wgDW)
    ? wgDW
    : dwBytes(C, H + 2 * pad, W + 2 * pad, K, P, FN);
  if (part == 2) {
    const K2 = FN * FH * FW;
    const dxPadH = max(0, FH - 1 - pad); // (dxDirect requires pad < FH, FW)
    const dxPadW = max(0, FW - 1 - pad);
    const wgDx = winogradBytes(FN, H, W, C);
    // otherwise dcolT (K, P) for gemm + col2im
    const dx = !dxDirect(g, 4)
      ? align64(<usize>(K * P) * 4)
      : winogradFits(FN, FH, FW, stride, wgDx)
        ? wgDx
        : align64(<usize>(C * K2) * 4) +
          packedBytes(C, K2) +
          directBytes(K2, FN, outH + 2 * dxPadH, outW + 2 * dxPadW);
    bytes = max(bytes, dx);
  }
  return <i32>(bytes + 64);
}

/** Bytes of a thread's workspace before the convolution scratch (the gemm packing area). */
export function convScratchOffset(): i32 {
  return <i32>scratchOf(0);
}
