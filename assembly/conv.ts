// Convolution and pooling kernels (AssemblyScript → WebAssembly): im2col, col2im and max pooling
// over (N, C, H, W) inputs, generic over f32/f64 and exported once per dtype. Each takes a range
// of images [n0, n1) (pooling: a range of (n, c) planes) so threads can split the batch; the loops
// visit elements in the reference kernels' order, so col2im and pooling-backward sum identically.

/** Writes rows n0·outH·outW .. n1·outH·outW of col (rowLen = C·FH·FW); padding reads as 0. */
function im2col<T>(
  x: usize,
  n0: i32,
  n1: i32,
  C: i32,
  H: i32,
  W: i32,
  FH: i32,
  FW: i32,
  stride: i32,
  pad: i32,
  outH: i32,
  outW: i32,
  col: usize,
): void {
  const size = <usize>sizeof<T>();
  let d = col + <usize>n0 * <usize>(outH * outW * C * FH * FW) * size;
  for (let n = n0; n < n1; n++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const x0 = ox * stride - pad;
        // The whole window row lies inside the image: FW contiguous elements, no bounds checks.
        const inside = x0 >= 0 && x0 + FW <= W;
        for (let c = 0; c < C; c++) {
          const plane = x + <usize>((n * C + c) * H) * <usize>W * size;
          for (let fy = 0; fy < FH; fy++) {
            const y = oy * stride + fy - pad;
            const len = <usize>FW * size;
            if (y < 0 || y >= H) {
              for (let fx = 0; fx < FW; fx++) store<T>(d + <usize>fx * size, <T>0);
            } else if (inside) {
              // Window rows are short (FW = 2..7): a loop beats memory.copy's call overhead.
              const src = plane + <usize>(y * W + x0) * size;
              for (let fx = 0; fx < FW; fx++) {
                store<T>(d + <usize>fx * size, load<T>(src + <usize>fx * size));
              }
            } else {
              const src = plane + <usize>(y * W) * size;
              for (let fx = 0; fx < FW; fx++) {
                const xx = x0 + fx;
                store<T>(
                  d + <usize>fx * size,
                  xx >= 0 && xx < W ? load<T>(src + <usize>xx * size) : <T>0,
                );
              }
            }
            d += len;
          }
        }
      }
    }
  }
}

/** Overwrites images n0..n1 of dx with the sum of their window elements in col. */
function col2im<T>(
  col: usize,
  n0: i32,
  n1: i32,
  C: i32,
  H: i32,
  W: i32,
  FH: i32,
  FW: i32,
  stride: i32,
  pad: i32,
  outH: i32,
  outW: i32,
  dx: usize,
): void {
  const size = <usize>sizeof<T>();
  const image = <usize>(C * H * W) * size;
  memory.fill(dx + <usize>n0 * image, 0, <usize>(n1 - n0) * image);
  let s = col + <usize>n0 * <usize>(outH * outW * C * FH * FW) * size;
  for (let n = n0; n < n1; n++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const x0 = ox * stride - pad;
        for (let c = 0; c < C; c++) {
          const plane = dx + <usize>((n * C + c) * H) * <usize>W * size;
          for (let fy = 0; fy < FH; fy++) {
            const y = oy * stride + fy - pad;
            if (y >= 0 && y < H) {
              const dst = plane + <usize>(y * W) * size;
              for (let fx = 0; fx < FW; fx++) {
                const xx = x0 + fx;
                if (xx >= 0 && xx < W) {
                  const p = dst + <usize>xx * size;
                  store<T>(p, load<T>(p) + load<T>(s + <usize>fx * size));
                }
              }
            }
            s += <usize>FW * size;
          }
        }
      }
    }
  }
}

/**
 * maxPoolForward for the common 2×2 window, stride 2, no padding: a vector of outputs at a time.
 * Two loads per image row hold the windows of `lanes` neighbouring outputs; shuffles split them
 * into the four window elements, visited in row-major order with the scalar loop's rule (a larger
 * value wins, the first NaN wins), so values and argmax equal the reference's.
 */
function maxPool2x2<T>(
  x: usize,
  p0: i32,
  p1: i32,
  H: i32,
  W: i32,
  outH: i32,
  outW: i32,
  out: usize,
  argmax: usize,
): void {
  const size = <usize>sizeof<T>();
  const lanes = <i32>(16 / size);
  // The flat index of each lane's window start relative to the first: 2 apart.
  const laneOffset = i32x4(0, 2, 4, 6);
  let oi = p0 * outH * outW;
  for (let p = p0; p < p1; p++) {
    for (let oy = 0; oy < outH; oy++) {
      const r0 = (p * H + 2 * oy) * W; // flat index of the window row 0, column 0
      const a = x + <usize>r0 * size;
      const b = a + <usize>W * size;
      let ox = 0;
      // The loads reach column 2·(ox + lanes) − 1 ≤ 2·outW − 1 ≤ W − 1: inside the row.
      for (; ox + lanes <= outW; ox += lanes) {
        const o = <usize>(2 * ox) * size;
        const a0 = v128.load(a + o);
        const a1 = v128.load(a + o + 16);
        const b0 = v128.load(b + o);
        const b1 = v128.load(b + o + 16);
        let best: v128, e01: v128, e10: v128, e11: v128;
        if (sizeof<T>() == 4) {
          best = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
          e01 = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
          e10 = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
          e11 = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        } else {
          best = v128.shuffle<f64>(a0, a1, 0, 2);
          e01 = v128.shuffle<f64>(a0, a1, 1, 3);
          e10 = v128.shuffle<f64>(b0, b1, 0, 2);
          e11 = v128.shuffle<f64>(b0, b1, 1, 3);
        }
        // `off`: per lane (i32), the offset in x from the window start of the best so far.
        let off = i32x4.splat(0);
        let wins = poolWins<T>(best, e01);
        best = v128.bitselect(e01, best, wins);
        off = v128.bitselect(i32x4.splat(1), off, poolMask32<T>(wins));
        wins = poolWins<T>(best, e10);
        best = v128.bitselect(e10, best, wins);
        off = v128.bitselect(i32x4.splat(W), off, poolMask32<T>(wins));
        wins = poolWins<T>(best, e11);
        best = v128.bitselect(e11, best, wins);
        off = v128.bitselect(i32x4.splat(W + 1), off, poolMask32<T>(wins));
        v128.store(out + <usize>oi * size, best);
        const idx = i32x4.add(i32x4.add(off, laneOffset), i32x4.splat(r0 + 2 * ox));
        if (sizeof<T>() == 4) v128.store(argmax + <usize>oi * 4, idx);
        else store<i64>(argmax + <usize>oi * 4, i64x2.extract_lane(idx, 0));
        oi += lanes;
      }
      for (; ox < outW; ox++) {
        const first = r0 + 2 * ox;
        let best = load<T>(x + <usize>first * size);
        let bestIndex = first;
        for (let k = 1; k < 4; k++) {
          const xi = first + (k >> 1) * W + (k & 1);
          const v = load<T>(x + <usize>xi * size);
          const wins = (<i32>(v > best)) | ((<i32>(v != v)) & (<i32>(best == best)));
          best = select<T>(v, best, wins);
          bestIndex = select<i32>(xi, bestIndex, wins);
        }
        store<T>(out + <usize>oi * size, best);
        store<i32>(argmax + <usize>oi * 4, bestIndex);
        oi++;
      }
    }
  }
}

/** Lanes where v (a later window element) replaces best: larger, or the first NaN. */
function poolWins<T>(best: v128, v: v128): v128 {
  return sizeof<T>() == 4
    ? v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)))
    : v128.or(f64x2.gt(v, best), v128.and(f64x2.ne(v, v), f64x2.eq(best, best)));
}

/** A wins mask as i32 lanes: f64 masks are 64-bit lanes, whose low halves packed are the two. */
function poolMask32<T>(wins: v128): v128 {
  return sizeof<T>() == 4 ? wins : v128.shuffle<i32>(wins, wins, 0, 2, 0, 2);
}

/**
 * Max pooling over planes p0..p1 (plane = n·C + c) of x (…, H, W) → out (…, outH, outW) and the
 * flat index into x of each chosen element (-1 when the window is all padding). The first maximum
 * wins, and so does the first NaN, as in the reference kernel.
 */
function maxPoolForward<T>(
  x: usize,
  p0: i32,
  p1: i32,
  H: i32,
  W: i32,
  FH: i32,
  FW: i32,
  stride: i32,
  pad: i32,
  outH: i32,
  outW: i32,
  out: usize,
  argmax: usize,
): void {
  if (FH == 2 && FW == 2 && stride == 2 && pad == 0) {
    maxPool2x2<T>(x, p0, p1, H, W, outH, outW, out, argmax);
    return;
  }
  const size = <usize>sizeof<T>();
  let oi = p0 * outH * outW;
  for (let p = p0; p < p1; p++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        let best = <T>-Infinity;
        let bestIndex = -1;
        const y0 = oy * stride - pad;
        const x0 = ox * stride - pad;
        if (y0 >= 0 && y0 + FH <= H && x0 >= 0 && x0 + FW <= W) {
          // Inside the image (the common case): no bounds checks, the first element starts.
          const first = (p * H + y0) * W + x0;
          best = load<T>(x + <usize>first * size);
          bestIndex = first;
          for (let fy = 0; fy < FH; fy++) {
            const row = first + fy * W;
            for (let fx = fy == 0 ? 1 : 0; fx < FW; fx++) {
              const v = load<T>(x + <usize>(row + fx) * size);
              // Branch-free (select): which element wins is data-dependent, and mispredicted
              // branches made this loop 5× slower than its memory traffic.
              const wins = (<i32>(v > best)) | ((<i32>(v != v)) & (<i32>(best == best)));
              best = select<T>(v, best, wins);
              bestIndex = select<i32>(row + fx, bestIndex, wins);
            }
          }
        } else {
          for (let fy = 0; fy < FH; fy++) {
            const y = y0 + fy;
            if (y < 0 || y >= H) continue;
            for (let fx = 0; fx < FW; fx++) {
              const xx = x0 + fx;
              if (xx < 0 || xx >= W) continue;
              const xi = (p * H + y) * W + xx;
              const v = load<T>(x + <usize>xi * size);
              if (bestIndex < 0 || v > best || (v != v && best == best)) {
                best = v;
                bestIndex = xi;
              }
            }
          }
        }
        store<T>(out + <usize>oi * size, best);
        store<i32>(argmax + <usize>oi * 4, bestIndex);
        oi++;
      }
    }
  }
}

/** dx (dxLength elements) = 0, then dout[i] added at argmax[i] for i ascending (-1 skipped). */
function maxPoolBackward<T>(
  dout: usize,
  argmax: usize,
  count: i32,
  dx: usize,
  dxLength: i32,
): void {
  const size = <usize>sizeof<T>();
  memory.fill(dx, 0, <usize>dxLength * size);
  for (let i = 0; i < count; i++) {
    const j = load<i32>(argmax + <usize>i * 4);
    if (j >= 0) {
      const p = dx + <usize>j * size;
      store<T>(p, load<T>(p) + load<T>(dout + <usize>i * size));
    }
  }
}

export function im2colF32(
  x: usize,
  n0: i32,
  n1: i32,
  C: i32,
  H: i32,
  W: i32,
  FH: i32,
  FW: i32,
  stride: i32,
  pad: i32,
  outH: i32,
  outW: i32,
  col: usize,
): void {
  im2col<f32>(x, n0, n1, C, H, W, FH, FW, stride, pad, outH, outW, col);
}
export function im2colF64(
  x: usize,
  n0: i32,
  n1: i32,
  C: i32,
  H: i32,
  W: i32,
  FH: i32,
  FW: i32,
  stride: i32,
  pad: i32,
  outH: i32,
  outW: i32,
  col: usize,
): void {
  im2col<f64>(x, n0, n1, C, H, W, FH, FW, stride, pad, outH, outW, col);
}
export function col2imF32(
  col: usize,
  n0: i32,
  n1: i32,
  C: i32,
  H: i32,
  W: i32,
  FH: i32,
  FW: i32,
  stride: i32,
  pad: i32,
  outH: i32,
  outW: i32,
  dx: usize,
): void {
  col2im<f32>(col, n0, n1, C, H, W, FH, FW, stride, pad, outH, outW, dx);
}
export function col2imF64(
  col: usize,
  n0: i32,
  n1: i32,
  C: i32,
  H: i32,
  W: i32,
  FH: i32,
  FW: i32,
  stride: i32,
  pad: i32,
  outH: i32,
  outW: i32,
  dx: usize,
): void {
  col2im<f64>(col, n0, n1, C, H, W, FH, FW, stride, pad, outH, outW, dx);
}
export function maxPoolForwardF32(
  x: usize,
  p0: i32,
  p1: i32,
  H: i32,
  W: i32,
  FH: i32,
  FW: i32,
  stride: i32,
  pad: i32,
  outH: i32,
  outW: i32,
  out: usize,
  argmax: usize,
): void {
  maxPoolForward<f32>(x, p0, p1, H, W, FH, FW, stride, pad, outH, outW, out, argmax);
}
export function maxPoolForwardF64(
  x: usize,
  p0: i32,
  p1: i32,
  H: i32,
  W: i32,
  FH: i32,
  FW: i32,
  stride: i32,
  pad: i32,
  outH: i32,
  outW: i32,
  out: usize,
  argmax: usize,
): void {
  maxPoolForward<f64>(x, p0, p1, H, W, FH, FW, stride, pad, outH, outW, out, argmax);
}
export function maxPoolBackwardF32(
  dout: usize,
  argmax: usize,
  count: i32,
  dx: usize,
  dxLength: i32,
): void {
  maxPoolBackward<f32>(dout, argmax, count, dx, dxLength);
}
export function maxPoolBackwardF64(
  dout: usize,
  argmax: usize,
  count: i32,
  dx: usize,
  dxLength: i32,
): void {
  maxPoolBackward<f64>(dout, argmax, count, dx, dxLength);
}
