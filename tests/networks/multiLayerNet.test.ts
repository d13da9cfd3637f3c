// Tests of MultiLayerNet (chapter 6, common/multi_layer_net.py): structure, weight init, weight
// decay in loss and gradients, whole-network gradient checks.
import { describe, expect, it } from 'vitest';
import { NDArray, Rng } from '../../src/ndarray/index.js';
import { networkGradientCheck } from '../../src/functions/gradient.js';
import { MultiLayerNet } from '../../src/networks/multiLayerNet.js';
import { maxAbsDiff, withExactCrossEntropy } from '../helpers/gradcheck.js';

function toyData(seed: number, N: number, D: number, C: number): { x: NDArray; t: NDArray } {
  const rng = new Rng(seed);
  const x = rng.randn(N, D);
  return { x, t: x.dot(rng.randn(D, C)).argmax(1) };
}

describe('MultiLayerNet', () => {
  it('builds Affine/activation pairs and an output Affine, with the book keys and He init', () => {
    const net = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [100, 50], outputSize: 10 });
    expect(Object.keys(net.params)).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3']);
    expect(net.params.W2.shape).toEqual([100, 50]);
    expect([...net.net.layers.keys()]).toEqual(['Affine1', 'Relu1', 'Affine2', 'Relu2', 'Affine3']);
    // weightInitStd 'relu' by default: std sqrt(2 / fan-in)
    expect(net.params.W1.std().item()).toBeCloseTo(Math.sqrt(2 / 784), 3);
    expect(net.params.W2.std().item()).toBeCloseTo(Math.sqrt(2 / 100), 2);
    expect(net.kind).toBe('MultiLayerNet');
    expect(net.config).toEqual({
      inputSize: 784,
      hiddenSizeList: [100, 50],
      outputSize: 10,
      activation: 'relu',
      weightInitStd: 'relu',
      weightDecayLambda: 0,
      dtype: 'float64',
      seed: 0,
    });
    expect(net.buffers()).toEqual({});
    const sig = new MultiLayerNet({
      inputSize: 4,
      hiddenSizeList: [3],
      outputSize: 2,
      activation: 'sigmoid',
      weightInitStd: 'sigmoid',
    });
    expect([...sig.net.layers.keys()]).toEqual(['Affine1', 'Sigmoid1', 'Affine2']);
  });

  it('adds 0.5·λ·ΣW² to the loss', () => {
    const { x, t } = toyData(1, 6, 5, 3);
    const options = { inputSize: 5, hiddenSizeList: [4, 4], outputSize: 3, seed: 2 };
    const plain = new MultiLayerNet(options);
    const decayed = new MultiLayerNet({ ...options, weightDecayLambda: 0.1 });
    let sumSquares = 0;
    for (const k of ['W1', 'W2', 'W3']) sumSquares += plain.params[k].square().sum().item();
    expect(decayed.loss(x, t) - plain.loss(x, t)).toBeCloseTo(0.5 * 0.1 * sumSquares, 12);
  });

  it('adds λ·W to the weight gradients (not to the biases)', () => {
    const { x, t } = toyData(3, 6, 5, 3);
    const options = { inputSize: 5, hiddenSizeList: [4], outputSize: 3, seed: 4 };
    const g0 = new MultiLayerNet(options).gradient(x, t);
    const copy0 = Object.fromEntries(Object.entries(g0).map(([k, v]) => [k, v.copy()]));
    const net = new MultiLayerNet({ ...options, weightDecayLambda: 0.2 });
    const g = net.gradient(x, t);
    expect(maxAbsDiff(g.W1, copy0.W1.add(net.params.W1.mul(0.2)))).toBeLessThan(1e-15);
    expect(maxAbsDiff(g.W2, copy0.W2.add(net.params.W2.mul(0.2)))).toBeLessThan(1e-15);
    expect(maxAbsDiff(g.b1, copy0.b1)).toBe(0);
  });

  it('whole-network gradient check on a tiny net, ReLU and Sigmoid, with weight decay', () => {
    const { x, t } = toyData(5, 5, 6, 4);
    for (const activation of ['relu', 'sigmoid'] as const) {
      for (const weightDecayLambda of [0, 0.1]) {
        const net = new MultiLayerNet({
          inputSize: 6,
          hiddenSizeList: [5, 4, 3],
          outputSize: 4,
          activation,
          weightInitStd: activation,
          weightDecayLambda,
          seed: 6,
        });
        const where = `${activation} λ=${weightDecayLambda}`;
        const diffs = networkGradientCheck(net, x, t);
        expect(Object.keys(diffs)).toEqual(Object.keys(net.params));
        for (const [k, d] of Object.entries(diffs)) expect(d, `${where} ${k}`).toBeLessThan(1e-6);
        // without the 1e-7 inside log, backprop agrees to numerical precision
        const exact = networkGradientCheck(withExactCrossEntropy(net), x, t);
        for (const [k, d] of Object.entries(exact)) expect(d, `${where} ${k}`).toBeLessThan(1e-8);
        const numerical = net.numericalGradient(x, t);
        const backprop = net.gradient(x, t);
        for (const k of Object.keys(net.params)) {
          expect(maxAbsDiff(numerical[k], backprop[k])).toBeLessThan(1e-5);
        }
      }
    }
  });

  it('checks its options', () => {
    expect(
      () => new MultiLayerNet({ inputSize: 4, hiddenSizeList: [3, 0], outputSize: 2 }),
    ).toThrow('MultiLayerNet: expected hiddenSizeList[1] a positive integer, got 0');
    expect(
      () =>
        new MultiLayerNet({
          inputSize: 4,
          hiddenSizeList: [3],
          outputSize: 2,
          weightDecayLambda: -1,
        }),
    ).toThrow('MultiLayerNet: expected weightDecayLambda a non-negative number, got -1');
    expect(
      () =>
        new MultiLayerNet({
          inputSize: 4,
          hiddenSizeList: [3],
          outputSize: 2,
          // @ts-expect-error: weightInitStd is a number or a known name
          weightInitStd: 'lecun',
        }),
    ).toThrow(/weightInitStd: expected a non-negative number or one of/);
  });
});
