// Tests of TwoLayerNet: chapter 4.5 (training with numerical gradients) and chapter 5.7 (the
// gradient check of ch05/gradient_check.py as assertions).
import { describe, expect, it } from 'vitest';
import { NDArray, Rng, zeros } from '../../src/ndarray/index.js';
import { networkGradientCheck } from '../../src/functions/gradient.js';
import { TwoLayerNet } from '../../src/networks/twoLayerNet.js';
import type { Network } from '../../src/networks/types.js';
import { maxAbsDiff, modifiedBy, withExactCrossEntropy } from '../helpers/gradcheck.js';

/** A small separable problem: labels are the argmax of a fixed random projection of x. */
function toyData(seed: number, N: number, D: number, C: number): { x: NDArray; t: NDArray } {
  const rng = new Rng(seed);
  const x = rng.randn(N, D);
  const t = x.dot(rng.randn(D, C)).argmax(1);
  return { x, t };
}

function oneHot(t: NDArray, C: number): NDArray {
  const out = zeros([t.size, C]);
  for (let i = 0; i < t.size; i++) out.set([i, t.data[i]], 1);
  return out;
}

describe('TwoLayerNet', () => {
  it('has the book parameters: W1 (in, hidden) · 0.01 randn, b1 zeros, W2, b2', () => {
    const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 1 });
    const { W1, b1, W2, b2 } = net.params;
    expect([W1.shape, b1.shape, W2.shape, b2.shape]).toEqual([[784, 50], [50], [50, 10], [10]]);
    expect(W1.std().item()).toBeCloseTo(0.01, 3);
    expect(b1.toList().every((v) => v === 0)).toBe(true);
    expect(W1.toList()).toEqual(new Rng(1).randn(784, 50).mul(0.01).toList());
    expect(net.kind).toBe('TwoLayerNet');
    expect(net.config).toEqual({
      inputSize: 784,
      hiddenSize: 50,
      outputSize: 10,
      weightInitStd: 0.01,
      activation: 'relu',
      dtype: 'float64',
      seed: 1,
    });
    expect(JSON.parse(JSON.stringify(net.config))).toEqual(net.config);
    expect([...net.net.layers.keys()]).toEqual(['Affine1', 'Relu1', 'Affine2']);
  });

  it('is reproducible: the same seed gives the same weights, another seed others', () => {
    const a = new TwoLayerNet({ inputSize: 5, hiddenSize: 4, outputSize: 3, seed: 7 });
    const b = new TwoLayerNet({ inputSize: 5, hiddenSize: 4, outputSize: 3, seed: 7 });
    const c = new TwoLayerNet({ inputSize: 5, hiddenSize: 4, outputSize: 3, seed: 8 });
    expect(a.params.W1.toList()).toEqual(b.params.W1.toList());
    expect(a.params.W1.toList()).not.toEqual(c.params.W1.toList());
  });

  it('backpropagation matches numerical gradients: mean |diff| < 1e-6 per parameter (chapter 5.7.3)', () => {
    const { x, t } = toyData(1, 4, 12, 5);
    // Weights small enough that no target probability is tiny: the loss's log(y + 1e-7) has a
    // gradient that differs from backprop's (y − t) / N by about 1e-7 / y (the book's too).
    for (const weightInitStd of [0.01, 0.1] as const) {
      for (const activation of ['relu', 'sigmoid'] as const) {
        const net = new TwoLayerNet({
          inputSize: 12,
          hiddenSize: 8,
          outputSize: 5,
          weightInitStd,
          activation,
          seed: 2,
        });
        const diffs = networkGradientCheck(net, x, t);
        expect(Object.keys(diffs)).toEqual(['W1', 'b1', 'W2', 'b2']);
        for (const d of Object.values(diffs)) expect(d).toBeLessThan(1e-6);
        // tighter: every element, and the method numericalGradient agrees with the helper
        const numerical = net.numericalGradient(x, t);
        const backprop = net.gradient(x, t);
        for (const k of Object.keys(net.params)) {
          expect(maxAbsDiff(backprop[k], numerical[k])).toBeLessThan(1e-6);
        }
      }
    }
  });

  it('backpropagation matches the numerical gradient of the exact cross-entropy to 1e-9, any scale', () => {
    const { x, t } = toyData(11, 4, 12, 5);
    for (const activation of ['relu', 'sigmoid'] as const) {
      const net = new TwoLayerNet({
        inputSize: 12,
        hiddenSize: 8,
        outputSize: 5,
        weightInitStd: 1,
        activation,
        seed: 12,
      });
      const diffs = networkGradientCheck(withExactCrossEntropy(net), x, t);
      for (const [k, d] of Object.entries(diffs))
        expect(d, `${activation} ${k}`).toBeLessThan(1e-9);
    }
  });

  it('backpropagation matches numerical gradients at the book sizes 784-50-10 on 3 samples', () => {
    const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 3 });
    const rng = new Rng(4);
    const x = rng.rand(3, 784);
    const t = oneHot(rng.randint(0, 10, 3), 10); // the book's script uses one-hot labels
    const grads = net.gradient(x, t);
    const h = 1e-4;
    // every element of b1, W2, b2 and 300 sampled elements of W1 (all 39,200 take a minute)
    const picks: Record<string, number[]> = {
      W1: [...rng.choice(784 * 50, 300, false).data],
      b1: [...Array(50).keys()],
      W2: [...Array(500).keys()],
      b2: [...Array(10).keys()],
    };
    for (const [key, indices] of Object.entries(picks)) {
      const p = net.params[key].data;
      let sum = 0;
      for (const i of indices) {
        const v = p[i];
        p[i] = v + h;
        const f1 = net.loss(x, t);
        p[i] = v - h;
        const f2 = net.loss(x, t);
        p[i] = v;
        sum += Math.abs((f1 - f2) / (2 * h) - grads[key].data[i]);
      }
      expect(sum / indices.length, key).toBeLessThan(1e-6);
    }
  });

  it('trains a few steps with NUMERICAL gradients on a small batch and the loss falls (chapter 4.5)', () => {
    const { x, t } = toyData(5, 20, 10, 3);
    const net = new TwoLayerNet({
      inputSize: 10,
      hiddenSize: 8,
      outputSize: 3,
      weightInitStd: 0.5,
      activation: 'sigmoid', // chapter 4's network
      seed: 6,
    });
    const first = net.loss(x, t);
    let last = first;
    for (let step = 0; step < 15; step++) {
      const grad = net.numericalGradient(x, t);
      for (const key of Object.keys(net.params)) net.params[key].subInPlace(grad[key].mul(0.5));
      const loss = net.loss(x, t);
      expect(loss).toBeLessThan(last);
      last = loss;
    }
    expect(last).toBeLessThan(0.8 * first);
  });

  it('trains with backpropagation: in-place updates reach the layers and accuracy rises', () => {
    const { x, t } = toyData(7, 200, 10, 3);
    const net = new TwoLayerNet({
      inputSize: 10,
      hiddenSize: 20,
      outputSize: 3,
      weightInitStd: 0.1,
    });
    const W1 = net.params.W1;
    const before = net.accuracy(x, t);
    for (let step = 0; step < 100; step++) {
      const grad = net.gradient(x, t);
      for (const key of Object.keys(net.params)) net.params[key].subInPlace(grad[key].mul(0.5));
    }
    expect(net.params.W1).toBe(W1); // never rebound
    expect(net.accuracy(x, t)).toBeGreaterThan(Math.max(0.9, before));
  });

  it('accuracy takes labels or one-hot rows, and batching does not change it', () => {
    const { x, t } = toyData(8, 57, 6, 4);
    const net: Network = new TwoLayerNet({
      inputSize: 6,
      hiddenSize: 5,
      outputSize: 4,
      weightInitStd: 1,
    });
    const acc = net.accuracy(x, t);
    const direct = net.predict(x).argmax(1).eq(t).sum().item() / 57;
    expect(acc).toBe(direct);
    expect(net.accuracy(x, oneHot(t, 4))).toBe(acc);
    expect(net.accuracy(x, t, 10)).toBe(acc);
    expect(net.accuracy(x, t, 1)).toBe(acc);
  });

  it('loss, gradient and accuracy do not modify x or t', () => {
    const { x, t } = toyData(9, 5, 6, 3);
    const net = new TwoLayerNet({ inputSize: 6, hiddenSize: 5, outputSize: 3 });
    expect(
      modifiedBy({ x, t }, () => {
        net.loss(x, t);
        net.gradient(x, t);
        net.accuracy(x, t);
      }),
    ).toEqual([]);
  });

  it('float32: parameters, scores and gradients are float32 (float64 inputs converted)', () => {
    const { x, t } = toyData(10, 4, 6, 3);
    const net = new TwoLayerNet({ inputSize: 6, hiddenSize: 5, outputSize: 3, dtype: 'float32' });
    expect(net.params.W1.dtype).toBe('float32');
    expect(net.predict(x).dtype).toBe('float32');
    const grads = net.gradient(x, t);
    for (const g of Object.values(grads)) expect(g.dtype).toBe('float32');
    // same seed: the float32 weights are the float64 ones rounded
    const net64 = new TwoLayerNet({ inputSize: 6, hiddenSize: 5, outputSize: 3 });
    expect(maxAbsDiff(net.params.W1.astype('float64'), net64.params.W1)).toBeLessThan(1e-8);
    expect(net.loss(x, t)).toBeCloseTo(net64.loss(x, t), 5);
  });

  it('checks its options', () => {
    expect(() => new TwoLayerNet({ inputSize: 0, hiddenSize: 5, outputSize: 3 })).toThrow(
      'TwoLayerNet: expected inputSize a positive integer, got 0',
    );
    expect(
      () =>
        new TwoLayerNet({ inputSize: 4, hiddenSize: 5, outputSize: 3, seed: 1, rng: new Rng(1) }),
    ).toThrow('TwoLayerNet: expected either seed or rng, got both');
    const tanh = { inputSize: 4, hiddenSize: 5, outputSize: 3, activation: 'tanh' } as const;
    // @ts-expect-error: activation is 'relu' | 'sigmoid'
    expect(() => new TwoLayerNet(tanh)).toThrow(
      `TwoLayerNet: expected activation 'relu' or 'sigmoid', got "tanh"`,
    );
    const net = new TwoLayerNet({ inputSize: 4, hiddenSize: 5, outputSize: 3 });
    expect(() => net.predict(zeros([2, 5]))).toThrow(
      'Affine.forward: expected an array of shape (N, 4)',
    );
  });
});
