// Tests of SimpleConvNet (§7.5): the book's shapes, a whole-network gradient check on tiny inputs, input forms.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/ndarray/index.js';
import { networkGradientCheck } from '../../src/functions/gradient.js';
import { SimpleConvNet } from '../../src/networks/simpleConvNet.js';

describe('SimpleConvNet', () => {
  it('has the book’s defaults and parameter shapes', () => {
    const net = new SimpleConvNet();
    expect(net.kind).toBe('SimpleConvNet');
    expect(Object.keys(net.params)).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3']);
    const shapes = Object.fromEntries(Object.entries(net.params).map(([k, v]) => [k, v.shape]));
    expect(shapes).toEqual({
      W1: [30, 1, 5, 5],
      b1: [30],
      W2: [30 * 12 * 12, 100],
      b2: [100],
      W3: [100, 10],
      b3: [10],
    });
    expect([...net.net.layers.keys()]).toEqual([
      'Conv1',
      'Relu1',
      'Pool1',
      'Affine1',
      'Relu2',
      'Affine2',
    ]);
    expect(net.config).toEqual({
      inputDim: [1, 28, 28],
      convParam: { filterNum: 30, filterSize: 5, pad: 0, stride: 1 },
      hiddenSize: 100,
      outputSize: 10,
      weightInitStd: 0.01,
      dtype: 'float64',
      seed: 0,
    });
    expect(JSON.parse(JSON.stringify(net.config))).toEqual(net.config);
    const std = net.params.W2.std().item();
    expect(Math.abs(std - 0.01)).toBeLessThan(0.0005);
    expect(net.params.b1.any().item()).toBe(0);
  });

  it('takes images (N, C, H, W) or flattened rows (N, C·H·W) and gives the same scores', () => {
    const rng = new Rng(1);
    const net = new SimpleConvNet({ seed: 2, dtype: 'float32' });
    const x = rng.rand(3, 1, 28, 28).astype('float32');
    const y = net.predict(x);
    expect(y.shape).toEqual([3, 10]);
    expect(y.dtype).toBe('float32');
    expect(net.predict(x.reshape(3, 784)).toList()).toEqual(y.toList());
    expect(() => net.predict(rng.rand(3, 1, 27, 28))).toThrow(
      'SimpleConvNet: expected images (N, 1, 28, 28) or rows (N, 784), got shape [3,1,27,28]',
    );
  });

  it('passes a whole-network gradient check on tiny inputs', () => {
    const rng = new Rng(3);
    const cases = [
      { inputDim: [1, 8, 8] as const, convParam: { filterNum: 3, filterSize: 3 } },
      // C > 1, H ≠ W, odd sizes, pad 1: conv 7×9, pool 3×4
      { inputDim: [2, 7, 9] as const, convParam: { filterNum: 2, filterSize: 3, pad: 1 } },
      // stride 2: conv (9 + 2 − 3)/2 + 1 = 5 → pool 2
      {
        inputDim: [1, 9, 9] as const,
        convParam: { filterNum: 2, filterSize: 3, pad: 1, stride: 2 },
      },
    ];
    for (const { inputDim, convParam } of cases) {
      const net = new SimpleConvNet({
        inputDim,
        convParam,
        hiddenSize: 6,
        outputSize: 4,
        weightInitStd: 0.2,
        seed: 4,
      });
      const x = rng.randn(3, ...inputDim);
      const t = rng.randint(0, 4, 3);
      const diffs = networkGradientCheck(net, x, t, { h: 1e-5 });
      for (const [key, d] of Object.entries(diffs)) {
        expect(d, `${key} of ${JSON.stringify(inputDim)}`).toBeLessThan(1e-6);
      }
      // and a relative measure, so small gradients cannot pass trivially. What remains (~4e-7) is
      // the book's 1e-7 inside log(y + 1e-7), which backward does not differentiate.
      const g = net.gradient(x, t);
      const num = net.numericalGradient(x, t);
      for (const key of Object.keys(g)) {
        const diff = g[key].sub(num[key]).abs().max().item();
        const scale = num[key].abs().max().item();
        expect(diff / scale, key).toBeLessThan(1e-5);
      }
    }
  });

  it('is rebuilt from its JSON config (model files)', () => {
    const net = new SimpleConvNet({
      inputDim: [2, 9, 7],
      convParam: { filterNum: 3, pad: 1 },
      hiddenSize: 7,
      weightInitStd: 'he',
      seed: 12,
      dtype: 'float32',
    });
    const again = new SimpleConvNet(JSON.parse(JSON.stringify(net.config)));
    expect(again.config).toEqual(net.config);
    for (const k of Object.keys(net.params))
      expect(again.params[k].toList()).toEqual(net.params[k].toList());
  });

  it('rejects settings that leave no output', () => {
    expect(() => new SimpleConvNet({ inputDim: [1, 4, 4], convParam: { filterSize: 5 } })).toThrow(
      'SimpleConvNet (convolution): expected a 5×5 window (stride 1, pad 0) to fit a 4×4 input, got an output of 0×0',
    );
    expect(() => new SimpleConvNet({ inputDim: [1, 5, 5], convParam: { filterSize: 5 } })).toThrow(
      'SimpleConvNet (pooling): expected a 2×2 window (stride 2, pad 0) to fit a 1×1 input, got an output of 0×0',
    );
    expect(() => new SimpleConvNet({ convParam: { filterNum: 0 } })).toThrow(/filterNum/);
  });

  it('computes the same in float32 as in float64 (to float32 precision)', () => {
    const rng = new Rng(5);
    const opts = {
      inputDim: [1, 10, 10] as const,
      convParam: { filterNum: 4, filterSize: 3 },
      hiddenSize: 8,
      seed: 6,
    };
    const n64 = new SimpleConvNet(opts);
    const n32 = new SimpleConvNet({ ...opts, dtype: 'float32' });
    for (const k of Object.keys(n64.params)) n32.params[k].assign(n64.params[k]);
    const x = rng.rand(4, 1, 10, 10);
    const t = rng.randint(0, 10, 4);
    expect(Math.abs(n32.loss(x, t) - n64.loss(x, t))).toBeLessThan(1e-5);
    const g64 = n64.gradient(x, t);
    const g32 = n32.gradient(x, t);
    for (const k of Object.keys(g64)) {
      expect(g32[k].dtype).toBe('float32');
      const scale = g64[k].abs().max().item() + 1e-12;
      expect(g32[k].sub(g64[k]).abs().max().item() / scale, k).toBeLessThan(1e-3);
    }
  });
});
