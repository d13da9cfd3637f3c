// The reference kernels: plain TypeScript, written to be read. They are the truth every fast
// kernel is tested against, and the fallback wherever WebAssembly is unavailable.
import type { FloatArray, TypedArray } from '../dtype.js';
import { pairwiseSum } from '../pairwise.js';
import { convOutputSize, type ConvGeometry, type Kernels } from './types.js';

/**
 * C = op(A)·op(B) (+ C). The loop order i-k-j keeps the inner loop on contiguous rows of B and C;
 * a transposed operand is first copied into row-major order, which costs O(size) against the
 * O(M·N·K) multiply.
 */
function gemm(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  A: FloatArray,
  B: FloatArray,
  C: FloatArray,
  accumulate: boolean,
): void {
  const a = transA ? transposeCopy(A, K, M) : A; // (K, M) → (M, K)
  const b = transB ? transposeCopy(B, N, K) : B; // (N, K) → (K, N)
  if (!accumulate) C.fill(0, 0, M * N);
  // Skipping a zero of A is exact only when B is finite: 0·∞ is NaN, as NumPy gives.
  let finite = true;
  for (let i = 0; i < K * N && finite; i++) finite = Number.isFinite(b[i]);
  for (let i = 0; i < M; i++) {
    const ci = i * N;
    for (let k = 0; k < K; k++) {
      const aik = a[i * K + k];
      if (aik === 0 && finite) continue;
      const bk = k * N;
      for (let j = 0; j < N; j++) C[ci + j] += aik * b[bk + j];
    }
  }
}

/** Copies a rows×cols row-major matrix into its cols×rows transpose. */
function transposeCopy(src: FloatArray, rows: number, cols: number): FloatArray {
  const out = new (src.constructor as { new (n: number): FloatArray })(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c];
  return out;
}

/**
 * Walks every (n, c, fy, fx, oy, ox) of a convolution window and calls `visit` with the column
 * index in `col` and the input index in x (or -1 for padding). im2col, col2im share it so that
 * their layouts cannot disagree.
 */
function forEachWindowElement(g: ConvGeometry, visit: (colIndex: number, xIndex: number) => void) {
  const { N, C, H, W, FH, FW, stride, pad } = g;
  const outH = convOutputSize(H, FH, stride, pad);
  const outW = convOutputSize(W, FW, stride, pad);
  const rowLen = C * FH * FW; // one row of col per output pixel
  for (let n = 0; n < N; n++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const row = ((n * outH + oy) * outW + ox) * rowLen;
        for (let c = 0; c < C; c++) {
          for (let fy = 0; fy < FH; fy++) {
            const y = oy * stride + fy - pad;
            for (let fx = 0; fx < FW; fx++) {
              const x = ox * stride + fx - pad;
              const colIndex = row + (c * FH + fy) * FW + fx;
              const inside = y >= 0 && y < H && x >= 0 && x < W;
              visit(colIndex, inside ? ((n * C + c) * H + y) * W + x : -1);
            }
          }
        }
      }
    }
  }
}

function im2col(x: FloatArray, g: ConvGeometry, col: FloatArray): void {
  forEachWindowElement(g, (ci, xi) => {
    col[ci] = xi < 0 ? 0 : x[xi];
  });
}

function col2im(col: FloatArray, g: ConvGeometry, dx: FloatArray): void {
  dx.fill(0, 0, g.N * g.C * g.H * g.W);
  forEachWindowElement(g, (ci, xi) => {
    if (xi >= 0) dx[xi] += col[ci];
  });
}

function maxPoolForward(x: FloatArray, g: ConvGeometry, out: FloatArray, argmax: Int32Array): void {
  const { N, C, H, W, FH, FW, stride, pad } = g;
  const outH = convOutputSize(H, FH, stride, pad);
  const outW = convOutputSize(W, FW, stride, pad);
  for (let nc = 0; nc < N * C; nc++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        let best = -Infinity;
        let bestIndex = -1;
        for (let fy = 0; fy < FH; fy++) {
          const y = oy * stride + fy - pad;
          if (y < 0 || y >= H) continue;
          for (let fx = 0; fx < FW; fx++) {
            const xx = ox * stride + fx - pad;
            if (xx < 0 || xx >= W) continue;
            const xi = (nc * H + y) * W + xx;
            const v = x[xi];
            // `>` keeps the first maximum, as NumPy's argmax does; the first NaN wins so it propagates.
            if (bestIndex < 0 || v > best || (v !== v && best === best)) {
              best = v;
              bestIndex = xi;
            }
          }
        }
        const oi = (nc * outH + oy) * outW + ox;
        out[oi] = best;
        argmax[oi] = bestIndex;
      }
    }
  }
}

function maxPoolBackward(dout: FloatArray, argmax: Int32Array, dx: FloatArray): void {
  dx.fill(0);
  for (let i = 0; i < argmax.length; i++) if (argmax[i] >= 0) dx[argmax[i]] += dout[i];
}

/** Zeroed storage like `like` (same element type, JavaScript heap). */
function scratch(like: FloatArray, n: number): FloatArray {
  return like instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
}

/** The book's Convolution.forward: col = im2col(x); out = col · Wᵀ + b; rearranged into images. */
function convForward(
  x: FloatArray,
  W: FloatArray,
  b: FloatArray,
  g: ConvGeometry,
  FN: number,
  out: FloatArray,
): void {
  const { N, C, H, W: width, FH, FW, stride, pad } = g;
  const outH = convOutputSize(H, FH, stride, pad);
  const outW = convOutputSize(width, FW, stride, pad);
  const P = outH * outW;
  const rows = N * P;
  const K = C * FH * FW;
  const col = scratch(x, rows * K);
  im2col(x, g, col); // (N·outH·outW, C·FH·FW)
  // W's storage (FN, C·FH·FW) read transposed is the book's col_W = W.reshape(FN, -1).T
  const y = scratch(x, rows * FN);
  gemm(false, true, rows, FN, K, col, W, y, false); // (N·outH·outW, FN)
  // (N, outH, outW, FN) + b → (N, FN, outH, outW)
  for (let n = 0; n < N; n++) {
    for (let p = 0; p < P; p++) {
      const r = (n * P + p) * FN;
      for (let f = 0; f < FN; f++) out[(n * FN + f) * P + p] = y[r + f] + b[f];
    }
  }
}

/**
 * The book's Convolution.backward: dout (N, FN, outH, outW) → d (N·outH·outW, FN);
 * db = Σ rows of d; dW = dᵀ · col (FN, C·FH·FW); dx = col2im(d · W).
 */
function convBackward(
  x: FloatArray,
  dout: FloatArray,
  W: FloatArray,
  g: ConvGeometry,
  FN: number,
  dW: FloatArray,
  db: FloatArray,
  dx: FloatArray | undefined,
): void {
  const { N, C, H, W: width, FH, FW, stride, pad } = g;
  const outH = convOutputSize(H, FH, stride, pad);
  const outW = convOutputSize(width, FW, stride, pad);
  const P = outH * outW;
  const rows = N * P;
  const K = C * FH * FW;
  // (N, FN, outH, outW) → (N, outH, outW, FN) = (N·outH·outW, FN)
  const d = scratch(dout, rows * FN);
  for (let n = 0; n < N; n++) {
    for (let f = 0; f < FN; f++) {
      const s = (n * FN + f) * P;
      for (let p = 0; p < P; p++) d[(n * P + p) * FN + f] = dout[s + p];
    }
  }
  db.fill(0, 0, FN);
  for (let r = 0; r < rows; r++) for (let f = 0; f < FN; f++) db[f] += d[r * FN + f];
  const col = scratch(x, rows * K);
  im2col(x, g, col);
  // (col.T · d).T = d.T · col: (FN, C·FH·FW), which is dW's (FN, C, FH, FW) layout
  gemm(true, false, FN, K, rows, d, col, dW, false);
  if (dx === undefined) return;
  const dcol = scratch(dout, rows * K);
  gemm(false, false, rows, K, FN, d, W, dcol, false); // (N·outH·outW, C·FH·FW)
  col2im(dcol, g, dx);
}

function takeRows(src: TypedArray, rows: Int32Array, rowSize: number, out: TypedArray): void {
  if (rowSize < 16) {
    // short rows (labels t[batchMask]: one element each) element by element: a subarray per
    // row costs many times the copy
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] * rowSize;
      const o = i * rowSize;
      for (let k = 0; k < rowSize; k++) out[o + k] = src[r + k];
    }
    return;
  }
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] * rowSize;
    out.set(src.subarray(r, r + rowSize), i * rowSize);
  }
}

function softmaxRows(x: FloatArray, rows: number, cols: number, out: FloatArray): void {
  // float32 rounds each step as an array expression stores it (inline: a rounding function
  // passed in, identity for float64, cost a call per element)
  const f32 = x instanceof Float32Array;
  const end = rows * cols;
  for (let o = 0; o < end; o += cols) {
    let max = -Infinity;
    for (let j = 0; j < cols; j++) {
      const v = x[o + j];
      if (v > max || v !== v) max = v; // NaN propagates, as np.max
    }
    for (let j = 0; j < cols; j++) {
      const d = x[o + j] - max;
      out[o + j] = Math.exp(f32 ? Math.fround(d) : d);
    }
    const total = 0 + pairwiseSum(out, o, cols);
    const sum = f32 ? Math.fround(total) : total;
    for (let j = 0; j < cols; j++) out[o + j] = out[o + j] / sum;
  }
}

function lookupBytes(table: TypedArray, index: Uint8Array, out: TypedArray): void {
  for (let i = 0; i < out.length; i++) out[i] = table[index[i]];
}

function sumRows(src: FloatArray, rows: number, cols: number, acc: Float64Array): void {
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) acc[j] += src[o + j];
  }
}

function allFinite(a: FloatArray): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

function reluForward(x: FloatArray, out: FloatArray): void {
  // `v <= 0` (not `v > 0`) as the book's mask: NaN passes through and shows up downstream.
  for (let i = 0; i < out.length; i++) out[i] = x[i] <= 0 ? 0 : x[i];
}

function reluBackward(out: FloatArray, dout: FloatArray, dx: FloatArray): void {
  for (let i = 0; i < dx.length; i++) dx[i] = out[i] === 0 ? 0 : dout[i];
}

function sgdUpdate(p: FloatArray, g: FloatArray, lr: number): void {
  for (let i = 0; i < p.length; i++) p[i] -= lr * g[i];
}

function adamUpdate(
  p: FloatArray,
  g: FloatArray,
  m: FloatArray,
  v: FloatArray,
  lrT: number,
  a1: number,
  a2: number,
  eps: number,
): void {
  for (let i = 0; i < p.length; i++) {
    const gi = g[i];
    m[i] += a1 * (gi - m[i]);
    v[i] += a2 * (gi * gi - v[i]);
    p[i] -= (lrT * m[i]) / (Math.sqrt(v[i]) + eps);
  }
}

/** The plain TypeScript kernels. */
export const referenceKernels: Kernels = {
  name: 'reference',
  gemm,
  im2col,
  col2im,
  maxPoolForward,
  maxPoolBackward,
  convForward,
  convBackward,
  reluForward,
  reluBackward,
  softmaxRows,
  takeRows,
  lookupBytes,
  sumRows,
  allFinite,
  sgdUpdate,
  adamUpdate,
};
