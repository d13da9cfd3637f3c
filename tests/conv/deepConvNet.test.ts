// Tests of DeepConvNet (§8.1): the book's exact architecture and initialisation, gradient checks (small variant, real one sampled).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/ndarray/index.js';
import { networkGradientCheck } from '../../src/functions/gradient.js';
import { DeepConvNet } from '../../src/networks/deepConvNet.js';
import { numericalGradientAt } from './helpers.js';

const SMALL = {
  inputDim: [1, 12, 12] as const, // 12 → 12 → 12 → 6 → 6 → 8 (pad 2) → 4 → 4 → 4 → 2: 3·2·2 into Affine1
  convParam1: { filterNum: 2 },
  convParam2: { filterNum: 2 },
  convParam3: { filterNum: 3 },
  convParam4: { filterNum: 2 },
  convParam5: { filterNum: 3 },
  convParam6: { filterNum: 3 },
  hiddenSize: 5,
  outputSize: 4,
  dropoutRatio: 0, // the numerical and analytic losses must see the same network
};

describe('DeepConvNet', () => {
  it('is the book’s network: layers, parameter names and shapes', () => {
    const net = new DeepConvNet({ dtype: 'float32' });
    expect(net.kind).toBe('DeepConvNet');
    expect([...net.net.layers.keys()]).toEqual([
      'Conv1', 'Relu1', 'Conv2', 'Relu2', 'Pool1',
      'Conv3', 'Relu3', 'Conv4', 'Relu4', 'Pool2',
      'Conv5', 'Relu5', 'Conv6', 'Relu6', 'Pool3',
      'Affine1', 'Relu7', 'Dropout1', 'Affine2', 'Dropout2',
    ]); // prettier-ignore
    const shapes = Object.entries(net.params).map(([k, v]) => [k, v.shape]);
    expect(shapes).toEqual([
      ['W1', [16, 1, 3, 3]], ['b1', [16]],
      ['W2', [16, 16, 3, 3]], ['b2', [16]],
      ['W3', [32, 16, 3, 3]], ['b3', [32]],
      ['W4', [32, 32, 3, 3]], ['b4', [32]],
      ['W5', [64, 32, 3, 3]], ['b5', [64]],
      ['W6', [64, 64, 3, 3]], ['b6', [64]],
      ['W7', [64 * 4 * 4, 50]], ['b7', [50]],
      ['W8', [50, 10]], ['b8', [10]],
    ]); // prettier-ignore
    const c = net.config;
    const convParams = [
      c.convParam1,
      c.convParam2,
      c.convParam3,
      c.convParam4,
      c.convParam5,
      c.convParam6,
    ];
    expect(convParams.map((p) => p.filterNum)).toEqual([16, 16, 32, 32, 64, 64]);
    expect(convParams.map((p) => p.pad)).toEqual([1, 1, 1, 2, 1, 1]);
    expect(convParams.every((p) => p.stride === 1 && p.filterSize === 3)).toBe(true);
    expect(net.config.dropoutRatio).toBe(0.5);
    expect(JSON.parse(JSON.stringify(net.config))).toEqual(net.config);
    for (const v of Object.values(net.params)) expect(v.dtype).toBe('float32');
  });

  it('initialises weights with He scales sqrt(2 / fan-in) and biases with 0', () => {
    const net = new DeepConvNet({ seed: 3 });
    const fanIns = [1 * 9, 16 * 9, 16 * 9, 32 * 9, 32 * 9, 64 * 9, 64 * 4 * 4, 50];
    fanIns.forEach((fanIn, i) => {
      const W = net.params[`W${i + 1}`];
      const expected = Math.sqrt(2 / fanIn);
      // the sample std of n normal values is within a few 1/sqrt(2n) of the true one
      const tolerance = 4 / Math.sqrt(2 * W.size);
      expect(Math.abs(W.std().item() / expected - 1), `W${i + 1}`).toBeLessThan(tolerance);
      expect(net.params[`b${i + 1}`].any().item(), `b${i + 1}`).toBe(0);
    });
  });

  it('predicts (N, 10) from images or rows; dropout only while training', () => {
    const rng = new Rng(4);
    const net = new DeepConvNet({ seed: 5 });
    const x = rng.rand(2, 1, 28, 28);
    const y = net.predict(x);
    expect(y.shape).toEqual([2, 10]);
    expect(net.predict(x.reshape(2, 784)).toList()).toEqual(y.toList());
    expect(net.predict(x, false).toList()).toEqual(y.toList()); // test mode is deterministic
    expect(net.predict(x, true).toList()).not.toEqual(y.toList());
  });

  it('passes a whole-network gradient check on a small variant built by the same code', () => {
    // ReLU and max pooling have kinks: a seed whose pre-activations or window maxima lie within
    // h of a kink gives a one-sided numerical derivative, so the seed is fixed. Biases are made
    // non-zero so that all-zero windows after a ReLU do not sit exactly on the next ReLU's kink.
    const rng = new Rng(9);
    const net = new DeepConvNet({ ...SMALL, seed: 9 });
    expect(net.params.W7.shape).toEqual([3 * 2 * 2, 5]);
    for (const [k, v] of Object.entries(net.params)) {
      if (k.startsWith('b')) v.assign(rng.normal(0, 0.1, v.shape));
    }
    const x = rng.randn(2, 1, 12, 12);
    const t = rng.randint(0, 4, 2);
    const g = net.gradient(x, t);
    const num = net.numericalGradient(x, t);
    for (const key of Object.keys(net.params)) {
      const diff = g[key].sub(num[key]).abs().max().item();
      const scale = num[key].abs().max().item() + 1e-12;
      expect(diff / scale, key).toBeLessThan(1e-5);
    }
    const diffs = networkGradientCheck(net, x, t, { h: 1e-5 });
    for (const [key, d] of Object.entries(diffs)) expect(d, key).toBeLessThan(1e-6);
  });

  it('passes a gradient check on sampled entries of the real architecture', () => {
    const rng = new Rng(8);
    const net = new DeepConvNet({ seed: 9, dropoutRatio: 0 });
    const x = rng.rand(1, 1, 28, 28);
    const t = rng.randint(0, 10, 1);
    const g = net.gradient(x, t);
    const loss = () => net.loss(x, t);
    for (const [key, p] of Object.entries(net.params)) {
      // the 2 entries of largest gradient (a relative error means something there) and a random one
      const byMagnitude = [...g[key].data.keys()].sort(
        (a, b) => Math.abs(g[key].data[b]) - Math.abs(g[key].data[a]),
      );
      const picks = [...byMagnitude.slice(0, 2), ...rng.randint(0, p.size, 1).toList()];
      const num = numericalGradientAt(loss, p, picks);
      const scale = Math.max(...num.map(Math.abs)) + 1e-12;
      picks.forEach((i, j) => {
        expect(Math.abs(g[key].data[i] - num[j]) / scale, `${key}[${i}]`).toBeLessThan(1e-4);
      });
    }
  });

  it('is rebuilt from its JSON config (model files)', () => {
    const net = new DeepConvNet({ ...SMALL, seed: 11, dtype: 'float32' });
    const again = new DeepConvNet(JSON.parse(JSON.stringify(net.config)));
    expect(again.config).toEqual(net.config);
    for (const k of Object.keys(net.params))
      expect(again.params[k].toList()).toEqual(net.params[k].toList());
  });

  it('checks its options', () => {
    expect(() => new DeepConvNet({ dropoutRatio: 1 })).toThrow(
      'DeepConvNet: expected dropoutRatio in [0, 1), got 1',
    );
    expect(() => new DeepConvNet({ inputDim: [1, 2, 2] })).toThrow(
      /DeepConvNet \(Pool3\): expected a 2×2 window/,
    );
  });
});
