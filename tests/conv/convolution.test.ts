// Tests of the Convolution layer (§7.4.3): forward against a direct loop, gradient checks with a random upstream gradient.
import { describe, expect, it } from 'vitest';
import { NDArray, Rng, zeros } from '../../src/ndarray/index.js';
import { Convolution } from '../../src/layers/convolution.js';
import { convOutputSize } from '../../src/layers/im2col.js';
import { numericalGradient, relativeError, weightedSum } from './helpers.js';

/** The convolution by its definition, four nested sums, no im2col. */
function directConvolution(x: NDArray, W: NDArray, b: NDArray, stride: number, pad: number) {
  const [N, C, H, Wd] = x.shape;
  const [FN, , FH, FW] = W.shape;
  const outH = convOutputSize(H, FH, stride, pad);
  const outW = convOutputSize(Wd, FW, stride, pad);
  const out = zeros([N, FN, outH, outW]);
  for (let n = 0; n < N; n++)
    for (let f = 0; f < FN; f++)
      for (let oy = 0; oy < outH; oy++)
        for (let ox = 0; ox < outW; ox++) {
          let s = b.get(f);
          for (let c = 0; c < C; c++)
            for (let fy = 0; fy < FH; fy++)
              for (let fx = 0; fx < FW; fx++) {
                const y = oy * stride + fy - pad;
                const xx = ox * stride + fx - pad;
                if (y >= 0 && y < H && xx >= 0 && xx < Wd)
                  s += W.get(f, c, fy, fx) * x.get(n, c, y, xx);
              }
          out.set([n, f, oy, ox], s);
        }
  return out;
}

// N, C, H, W, FN, FH, FW, stride, pad
const CASES: [number, number, number, number, number, number, number, number, number][] = [
  [1, 1, 5, 5, 1, 3, 3, 1, 0],
  [2, 3, 7, 5, 4, 3, 3, 1, 1], // C > 1, H ≠ W, pad 1
  [2, 2, 7, 9, 3, 3, 2, 2, 1], // stride 2, pad 1, odd sizes, non-square filter
  [1, 3, 6, 8, 2, 4, 3, 3, 2], // stride 3, pad 2
  [3, 2, 5, 4, 2, 5, 4, 1, 0], // filter as large as the input
];

describe('Convolution', () => {
  it('forward equals the direct convolution', () => {
    const rng = new Rng(1);
    for (const [N, C, H, W, FN, FH, FW, stride, pad] of CASES) {
      const x = rng.randn(N, C, H, W);
      const Wt = rng.randn(FN, C, FH, FW);
      const b = rng.randn(FN);
      const out = new Convolution(Wt, b, { stride, pad }).forward(x);
      const expected = directConvolution(x, Wt, b, stride, pad);
      expect(out.shape).toEqual(expected.shape);
      expect(relativeError(out, expected)).toBeLessThan(1e-12);
    }
  });

  it('gives the book’s shapes for SimpleConvNet’s first layer', () => {
    const rng = new Rng(2);
    const conv = new Convolution(rng.randn(30, 1, 5, 5).mul(0.01), zeros(30));
    expect(conv.forward(rng.rand(2, 1, 28, 28)).shape).toEqual([2, 30, 24, 24]);
  });

  it('passes gradient checks for dx, dW and db with a random upstream gradient', () => {
    const rng = new Rng(3);
    for (const [N, C, H, W, FN, FH, FW, stride, pad] of CASES) {
      const x = rng.randn(N, C, H, W);
      const conv = new Convolution(rng.randn(FN, C, FH, FW), rng.randn(FN), { stride, pad });
      const out = conv.forward(x);
      const r = rng.randn(...out.shape); // L = Σ forward(x) ⊙ r, so dL/dout = r
      const dx = conv.backward(r);
      const L = () => weightedSum(conv.forward(x), r);
      expect(relativeError(dx, numericalGradient(L, x))).toBeLessThan(1e-7);
      expect(relativeError(conv.grads.W, numericalGradient(L, conv.params.W))).toBeLessThan(1e-7);
      expect(relativeError(conv.grads.b, numericalGradient(L, conv.params.b))).toBeLessThan(1e-7);
      expect(conv.dW).toBe(conv.grads.W);
      expect(conv.db).toBe(conv.grads.b);
    }
  });

  it('with inputGradient: false, gives the same dW and db and returns zeros of x’s shape', () => {
    const rng = new Rng(7);
    for (const dtype of ['float64', 'float32'] as const) {
      for (const [N, C, H, W, FN, FH, FW, stride, pad] of CASES) {
        const x = rng.randn(N, C, H, W).astype(dtype);
        const Wt = rng.randn(FN, C, FH, FW).astype(dtype);
        const b = rng.randn(FN).astype(dtype);
        const full = new Convolution(Wt, b, { stride, pad });
        const first = new Convolution(Wt, b, { stride, pad, inputGradient: false });
        expect(full.inputGradient).toBe(true);
        expect(first.inputGradient).toBe(false);
        const dout = rng.randn(...full.forward(x).shape).astype(dtype);
        expect(first.forward(x).toList()).toEqual(full.forward(x).toList());
        full.backward(dout);
        const dx = first.backward(dout);
        expect(dx.shape).toEqual([N, C, H, W]);
        expect(dx.dtype).toBe(dtype);
        expect(dx.data.every((v) => v === 0)).toBe(true);
        expect(first.dW.toList()).toEqual(full.dW.toList());
        expect(first.db.toList()).toEqual(full.db.toList());
      }
    }
  });

  it('does not mutate x or dout, and keeps W and b by reference', () => {
    const rng = new Rng(4);
    const x = rng.randn(2, 2, 5, 6);
    const W = rng.randn(3, 2, 3, 3);
    const b = rng.randn(3);
    const conv = new Convolution(W, b, { stride: 2, pad: 1 });
    expect(conv.params.W).toBe(W);
    expect(conv.params.b).toBe(b);
    const xBefore = x.toList();
    const out = conv.forward(x);
    const dout = rng.randn(...out.shape);
    const doutBefore = dout.toList();
    conv.backward(dout);
    expect(x.toList()).toEqual(xBefore);
    expect(dout.toList()).toEqual(doutBefore);
  });

  it('runs in float32 when its weights are float32', () => {
    const rng = new Rng(5);
    const W = rng.randn(4, 2, 3, 3);
    const b = rng.randn(4);
    const x = rng.randn(2, 2, 6, 5);
    const c64 = new Convolution(W, b, { pad: 1 });
    const c32 = new Convolution(W.astype('float32'), b.astype('float32'), { pad: 1 });
    const o64 = c64.forward(x);
    const o32 = c32.forward(x.astype('float32'));
    expect(o32.dtype).toBe('float32');
    expect(relativeError(o32, o64)).toBeLessThan(1e-5);
    const dout = rng.randn(...o64.shape);
    const d32 = c32.backward(dout.astype('float32'));
    expect(d32.dtype).toBe('float32');
    expect(relativeError(d32, c64.backward(dout))).toBeLessThan(1e-5);
    expect(relativeError(c32.grads.W, c64.grads.W)).toBeLessThan(1e-5);
  });

  it('checks shapes at the boundary and names the layer', () => {
    const conv = new Convolution(zeros([30, 3, 5, 5]), zeros(30));
    expect(() => conv.forward(zeros([1, 1, 28, 28]))).toThrow(
      'Convolution.forward: expected a 4-D array (N, C, H, W) with C = 3, got shape [1,1,28,28]',
    );
    expect(() => conv.forward(zeros([100, 784]))).toThrow(
      'Convolution.forward: expected a 4-D array (N, C, H, W) with C = 3, got shape [100,784]',
    );
    expect(() => conv.backward(zeros([1, 30, 4, 4]))).toThrow(
      'Convolution.backward: expected forward() to have run first',
    );
    conv.forward(zeros([1, 3, 8, 8]));
    expect(() => conv.backward(zeros([1, 30, 3, 4]))).toThrow(
      'Convolution.backward: expected dout of shape [1,30,4,4], got shape [1,30,3,4]',
    );
    expect(() => new Convolution(zeros([30, 3, 5, 5]), zeros(20))).toThrow(
      'Convolution: expected b of shape [30], got shape [20]',
    );
    expect(() => new Convolution(zeros([30, 3, 5, 5]), zeros(30), { stride: 0 })).toThrow(
      'Convolution: expected a stride that is a positive integer, got 0',
    );
  });
});
