// lossAndGradient(): the loss of the training-mode forward pass that gradient() runs, returned with
// its gradients, for every network of the book (the Trainer records it instead of a second pass).
import { describe, expect, it } from 'vitest';
import { NDArray, Rng } from '../../src/ndarray/index.js';
import {
  DeepConvNet,
  MultiLayerNet,
  MultiLayerNetExtend,
  SimpleConvNet,
  TwoLayerNet,
  type Network,
} from '../../src/networks/index.js';

const rng = new Rng(5);
const flat = { x: rng.randn(8, 6), t: new NDArray(new Int32Array([0, 1, 2, 0, 1, 2, 2, 1]), [8]) };
const images = { x: rng.randn(4, 1, 28, 28), t: new NDArray(new Int32Array([3, 1, 4, 1]), [4]) };

// deterministic networks (no dropout), so that two passes compute the same thing
const cases: [string, () => Network, { x: NDArray; t: NDArray }][] = [
  [
    'TwoLayerNet',
    () => new TwoLayerNet({ inputSize: 6, hiddenSize: 5, outputSize: 3, seed: 1 }),
    flat,
  ],
  [
    'MultiLayerNet with weight decay',
    () =>
      new MultiLayerNet({
        inputSize: 6,
        hiddenSizeList: [5, 4],
        outputSize: 3,
        weightDecayLambda: 0.1,
        seed: 1,
      }),
    flat,
  ],
  [
    'MultiLayerNetExtend with BatchNorm',
    () =>
      new MultiLayerNetExtend({
        inputSize: 6,
        hiddenSizeList: [5, 4],
        outputSize: 3,
        useBatchnorm: true,
        weightDecayLambda: 0.05,
        seed: 1,
      }),
    flat,
  ],
  ['SimpleConvNet', () => new SimpleConvNet({ seed: 1, hiddenSize: 10 }), images],
  ['DeepConvNet without dropout', () => new DeepConvNet({ seed: 1, dropoutRatio: 0 }), images],
];

describe('lossAndGradient', () => {
  it.each(cases)('%s: the training-mode loss() and gradient() of one pass', (_, make, { x, t }) => {
    const a = make();
    const b = make();
    const { loss, grads } = a.lossAndGradient!(x, t);
    expect(loss).toBe(b.loss(x, t, true)); // weight decay included where the network has it
    const expected = b.gradient(x, t);
    expect(Object.keys(grads)).toEqual(Object.keys(expected));
    for (const [key, g] of Object.entries(grads))
      expect(g.toList(), key).toEqual(expected[key].toList());
  });
});
