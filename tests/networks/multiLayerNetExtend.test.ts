// Tests of MultiLayerNetExtend (chapter 6.3–6.4, common/multi_layer_net_extend.py): BatchNorm and
// Dropout in the stack, the train flag, running statistics as buffers, gradient checks.
import { describe, expect, it } from 'vitest';
import { NDArray, Rng } from '../../src/ndarray/index.js';
import { networkGradientCheck } from '../../src/functions/gradient.js';
import { MultiLayerNetExtend } from '../../src/networks/multiLayerNetExtend.js';
import { MultiLayerNet } from '../../src/networks/multiLayerNet.js';
import { maxAbsDiff, withExactCrossEntropy } from '../helpers/gradcheck.js';

function toyData(seed: number, N: number, D: number, C: number): { x: NDArray; t: NDArray } {
  const rng = new Rng(seed);
  const x = rng.randn(N, D);
  return { x, t: x.dot(rng.randn(D, C)).argmax(1) };
}

const tiny = { inputSize: 6, hiddenSizeList: [5, 4], outputSize: 3, seed: 1 };

describe('MultiLayerNetExtend', () => {
  it('inserts BatchNorm after each hidden Affine and Dropout after each activation', () => {
    const net = new MultiLayerNetExtend({ ...tiny, useBatchnorm: true, useDropout: true });
    expect([...net.net.layers.keys()]).toEqual([
      'Affine1',
      'BatchNorm1',
      'Relu1',
      'Dropout1',
      'Affine2',
      'BatchNorm2',
      'Relu2',
      'Dropout2',
      'Affine3',
    ]);
    expect(Object.keys(net.params)).toEqual([
      'W1',
      'b1',
      'W2',
      'b2',
      'W3',
      'b3',
      'gamma1',
      'beta1',
      'gamma2',
      'beta2',
    ]);
    expect(net.params.gamma1.toList()).toEqual([1, 1, 1, 1, 1]);
    expect(net.params.beta2.toList()).toEqual([0, 0, 0, 0]);
    expect(net.kind).toBe('MultiLayerNetExtend');
    expect(net.config).toMatchObject({ useBatchnorm: true, useDropout: true, dropoutRatio: 0.5 });
    expect(JSON.parse(JSON.stringify(net.config))).toEqual(net.config);
  });

  it('without the switches it is MultiLayerNet: same weights, same loss and gradients', () => {
    const { x, t } = toyData(2, 5, 6, 3);
    const a = new MultiLayerNetExtend({ ...tiny, weightDecayLambda: 0.05 });
    const b = new MultiLayerNet({ ...tiny, weightDecayLambda: 0.05 });
    expect(a.loss(x, t)).toBe(b.loss(x, t));
    const ga = a.gradient(x, t);
    const gb = b.gradient(x, t);
    for (const k of Object.keys(gb)) expect(maxAbsDiff(ga[k], gb[k])).toBe(0);
  });

  it('whole-network gradient check with BatchNorm and weight decay (training mode)', () => {
    const { x, t } = toyData(3, 6, 6, 3);
    for (const activation of ['relu', 'sigmoid'] as const) {
      const net = new MultiLayerNetExtend({
        ...tiny,
        activation,
        useBatchnorm: true,
        weightDecayLambda: 0.1,
      });
      const diffs = networkGradientCheck(net, x, t);
      expect(Object.keys(diffs)).toEqual(Object.keys(net.params));
      for (const [k, d] of Object.entries(diffs))
        expect(d, `${activation} ${k}`).toBeLessThan(1e-6);
      const exact = networkGradientCheck(withExactCrossEntropy(net), x, t);
      for (const [k, d] of Object.entries(exact))
        expect(d, `${activation} ${k}`).toBeLessThan(1e-8);
      const numerical = net.numericalGradient(x, t);
      const backprop = net.gradient(x, t);
      for (const k of Object.keys(net.params)) {
        expect(maxAbsDiff(numerical[k], backprop[k])).toBeLessThan(1e-5);
      }
    }
  });

  it('whole-network gradient check with Dropout: ratio 0, and a fixed mask', () => {
    const { x, t } = toyData(4, 6, 6, 3);
    const none = new MultiLayerNetExtend({ ...tiny, useDropout: true, dropoutRatio: 0 });
    const noneExact = networkGradientCheck(withExactCrossEntropy(none), x, t);
    for (const d of Object.values(noneExact)) expect(d).toBeLessThan(1e-8);

    // the same mask at every evaluation: reseed the generator the Dropout layers share
    const rng = new Rng(5);
    const net = new MultiLayerNetExtend({
      inputSize: 6,
      hiddenSizeList: [8, 8],
      outputSize: 3,
      rng,
      useDropout: true,
      dropoutRatio: 0.3,
      useBatchnorm: true,
      weightDecayLambda: 0.01,
    });
    const exact = withExactCrossEntropy(net);
    const fixed = {
      params: net.params,
      loss: (xb: NDArray, tb: NDArray, train?: boolean) => (rng.seed(6), exact.loss(xb, tb, train)),
      gradient: (xb: NDArray, tb: NDArray) => (rng.seed(6), net.gradient(xb, tb)),
    };
    const diffs = networkGradientCheck(fixed, x, t);
    for (const [k, d] of Object.entries(diffs)) expect(d, k).toBeLessThan(1e-8);
  });

  it('passes the train flag: Dropout is random only while training, testing is deterministic', () => {
    const { x } = toyData(7, 4, 6, 3);
    const net = new MultiLayerNetExtend({ ...tiny, useDropout: true, dropoutRatio: 0.5 });
    const a = net.predict(x, true);
    const b = net.predict(x, true);
    expect(maxAbsDiff(a, b)).toBeGreaterThan(0);
    expect(maxAbsDiff(net.predict(x), net.predict(x, false))).toBe(0);
  });

  it('exposes the BatchNorm running statistics as live buffers updated by training', () => {
    const { x, t } = toyData(8, 10, 6, 3);
    const net = new MultiLayerNetExtend({ ...tiny, useBatchnorm: true });
    const buffers = net.buffers();
    expect(Object.keys(buffers)).toEqual([
      'runningMean1',
      'runningVar1',
      'runningMean2',
      'runningVar2',
    ]);
    expect(buffers.runningVar1.toList()).toEqual([0, 0, 0, 0, 0]);
    net.gradient(x, t); // a training forward: running = 0.9 · 0 + 0.1 · batch statistics
    const h = x.dot(net.params.W1).add(net.params.b1);
    expect(maxAbsDiff(buffers.runningMean1, h.mean(0).mul(0.1))).toBeLessThan(1e-14);
    expect(maxAbsDiff(buffers.runningVar1, h.var(0).mul(0.1))).toBeLessThan(1e-14);
    // testing reads them, and does not move them
    const before = buffers.runningMean1.copy();
    net.accuracy(x, t);
    expect(maxAbsDiff(buffers.runningMean1, before)).toBe(0);
    // loading a saved model: assign into the live arrays
    net.buffers().runningVar1.assign(1);
    expect(buffers.runningVar1.toList()).toEqual([1, 1, 1, 1, 1]);
  });

  it('trains: a few SGD steps with BatchNorm and Dropout lower the loss', () => {
    const { x, t } = toyData(9, 100, 6, 3);
    const net = new MultiLayerNetExtend({
      inputSize: 6,
      hiddenSizeList: [20, 20],
      outputSize: 3,
      useBatchnorm: true,
      useDropout: true,
      dropoutRatio: 0.1,
    });
    const first = net.loss(x, t);
    for (let step = 0; step < 50; step++) {
      const grads = net.gradient(x, t);
      for (const k of Object.keys(net.params)) net.params[k].subInPlace(grads[k].mul(0.1));
    }
    expect(net.loss(x, t)).toBeLessThan(0.7 * first);
    expect(net.accuracy(x, t)).toBeGreaterThan(0.8);
  });

  it('checks dropoutRatio', () => {
    expect(() => new MultiLayerNetExtend({ ...tiny, useDropout: true, dropoutRatio: 1.5 })).toThrow(
      'MultiLayerNetExtend: expected dropoutRatio in [0, 1), got 1.5',
    );
  });
});
