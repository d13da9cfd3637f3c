// Fused kernels (AssemblyScript → WebAssembly SIMD) for the training loop: convolution forward and
// backward without an N-sized im2col matrix or any transpose, ReLU forward/backward, the SGD and
// Adam updates, and the sum of per-chunk partial gradients. A profile of SimpleConvNet showed the
// separate steps (im2col into a fresh array, gemm, a bias loop and a (N, outH, outW, FN) →
// (N, FN, outH, outW) transpose in JavaScript) costing ten times the multiply itself.
//
// Convolution works one image at a time, the way Caffe does: the image's windows are unrolled into
// a scratch block of the calling thread (it stays in L2), and one gemm writes the (FN, outH·outW)
// output of that image straight into its place in (N, FN, outH, outW).
import { gemmF32, gemmF64, gemmWorkBytes } from './gemm';

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

/**
 * Convolution forward of images n0..n1: out[n] (FN, outH·outW) = b + Wm · colT(x[n]), with Wm the
 * filters as (FN, C·FH·FW). Needs C·FH·FW·outH·outW elements of scratch after the gemm area.
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
 * ascending order; dx[n] (C, H, W) = col2im((Wmᵀ · dout[n])ᵀ) unless dx is 0. Needs 2·K·P elements
 * of scratch after the gemm area.
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

/**
 * SGD, p[i] −= lr·g[i] for i in [i0, i1), computed in f64 and rounded once to T, as JavaScript
 * computes it: the result equals the reference kernel's to the bit.
 */
function sgdUpdate<T>(p: usize, g: usize, lr: f64, i0: i32, i1: i32): void {
  const size = <usize>sizeof<T>();
  for (let i = i0; i < i1; i++) {
    const q = p + <usize>i * size;
    store<T>(q, <T>(<f64>load<T>(q) - lr * <f64>load<T>(g + <usize>i * size)));
  }
}

/**
 * Adam for i in [i0, i1), in f64 with m and v rounded to T when stored and read back rounded (as
 * JavaScript does with a Float32Array), so the result equals the reference kernel's to the bit:
 * m += a1·(g − m); v += a2·(g² − v); p −= lrT·m / (√v + eps).
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
  for (let i = i0; i < i1; i++) {
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

/** Bytes of scratch after the gemm area that a convolution with K·P-element columns needs. */
export function convScratchBytes(K: i32, P: i32, size: i32): i32 {
  return 2 * ((K * P * size + 63) & ~63) + 64;
}

/** Bytes of a thread's workspace before the convolution scratch (the gemm packing area). */
export function convScratchOffset(): i32 {
  return <i32>scratchOf(0);
}
