// Tests of BatchNormalization (chapter 6.3): batch statistics, running statistics with momentum
// 0.9, the book's epsilon 10e-7 = 1e-6, train/test modes, 2-D and 4-D input, gradient checks.
import { describe, expect, it } from 'vitest';
import { Rng, array, ones, zeros } from '../../src/ndarray/index.js';
import { BATCH_NORM_EPSILON, BatchNormalization } from '../../src/layers/batchNormalization.js';
import { layerGradientErrors, layerMutations, maxAbsDiff } from '../helpers/gradcheck.js';

function randomBn(seed: number, D: number) {
  const rng = new Rng(seed);
  return new BatchNormalization(rng.randn(D).add(1), rng.randn(D));
}

describe('BatchNormalization', () => {
  it('uses the book epsilon 10e-7, which is 1e-6', () => {
    expect(BATCH_NORM_EPSILON).toBe(1e-6);
    // variance 1e-6 per feature: xn = ±1e-3 / sqrt(1e-6 + ε) = ±0.7071 with ε = 1e-6 (0.9535 with 1e-7)
    const bn = new BatchNormalization(ones(1), zeros(1));
    const out = bn.forward(array([[0.0], [2e-3]]));
    expect(out.get(0, 0)).toBeCloseTo(-Math.SQRT1_2, 10);
    expect(out.get(1, 0)).toBeCloseTo(Math.SQRT1_2, 10);
  });

  it('training normalizes each feature over the batch, then scales by gamma and shifts by beta', () => {
    const x = new Rng(51).randn(8, 3).mul(5).add(2);
    const bn = new BatchNormalization(array([1.0, 2.0, 0.5]), array([0.0, 1.0, -1.0]));
    const out = bn.forward(x, true);
    const mean = out.mean(0).toList();
    const std = out.std(0).toList();
    [0, 1, -1].forEach((b, j) => expect(mean[j]).toBeCloseTo(b, 12));
    [1, 2, 0.5].forEach((g, j) => expect(std[j]).toBeCloseTo(g, 6));
  });

  it('updates the running mean and variance with momentum 0.9, in place', () => {
    const runningMean = zeros(2);
    const runningVar = zeros(2);
    const bn = new BatchNormalization(ones(2), zeros(2), { runningMean, runningVar });
    const x1 = array([
      [1.0, 10.0],
      [3.0, 14.0],
    ]); // mean [2, 12], variance [1, 4]
    bn.forward(x1, true);
    expect(bn.runningMean).toBe(runningMean);
    expect(runningMean.toList()).toEqual([0.1 * 2, 0.1 * 12].map((v) => expect.closeTo(v, 14)));
    expect(runningVar.toList()).toEqual([0.1 * 1, 0.1 * 4].map((v) => expect.closeTo(v, 14)));
    const x2 = array([
      [0.0, 0.0],
      [4.0, 2.0],
    ]); // mean [2, 1], variance [4, 1]
    bn.forward(x2, true);
    expect(runningMean.get(0)).toBeCloseTo(0.9 * 0.2 + 0.1 * 2, 14);
    expect(runningMean.get(1)).toBeCloseTo(0.9 * 1.2 + 0.1 * 1, 14);
    expect(runningVar.get(0)).toBeCloseTo(0.9 * 0.1 + 0.1 * 4, 14);
    expect(runningVar.get(1)).toBeCloseTo(0.9 * 0.4 + 0.1 * 1, 14);
  });

  it('testing uses the running statistics and leaves them unchanged', () => {
    const bn = new BatchNormalization(array([2.0, 1.0]), array([1.0, 0.0]), {
      runningMean: array([1.0, -1.0]),
      runningVar: array([4.0, 0.25]),
    });
    const out = bn.forward(array([[3.0, 0.0]]), false);
    expect(out.get(0, 0)).toBeCloseTo((2 * (3 - 1)) / Math.sqrt(4 + 1e-6) + 1, 12);
    expect(out.get(0, 1)).toBeCloseTo((0 + 1) / Math.sqrt(0.25 + 1e-6), 12);
    expect(bn.runningMean.toList()).toEqual([1, -1]);
    expect(bn.runningVar.toList()).toEqual([4, 0.25]);
  });

  it('passes gradient checks for x, gamma and beta with a random upstream gradient, both modes', () => {
    const train = layerGradientErrors(randomBn(52, 4), new Rng(53).randn(6, 4));
    expect(Object.keys(train).sort()).toEqual(['beta', 'gamma', 'x']);
    for (const e of Object.values(train)) expect(e).toBeLessThan(1e-7);
    const bn = randomBn(54, 4);
    bn.forward(new Rng(55).randn(6, 4).mul(3), true); // some running statistics
    const test = layerGradientErrors(bn, new Rng(56).randn(6, 4), { train: false });
    for (const e of Object.values(test)) expect(e).toBeLessThan(1e-7);
  });

  it('accepts 4-D input as (N, C·H·W) features, as the book does, and restores its shape', () => {
    const bn = randomBn(57, 2 * 3 * 2);
    const x = new Rng(58).randn(5, 2, 3, 2);
    const out = bn.forward(x, true);
    expect(out.shape).toEqual([5, 2, 3, 2]);
    const flat = new BatchNormalization(bn.params.gamma, bn.params.beta).forward(x.reshape(5, 12));
    expect(maxAbsDiff(out.reshape(5, 12), flat)).toBe(0);
    const errors = layerGradientErrors(bn, x);
    for (const e of Object.values(errors)) expect(e).toBeLessThan(1e-7);
  });

  it('does not modify x or dout in either mode', () => {
    expect(layerMutations(randomBn(59, 3), new Rng(60).randn(4, 3))).toEqual([]);
    expect(layerMutations(randomBn(61, 3), new Rng(62).randn(4, 3), false)).toEqual([]);
  });

  it('names its errors', () => {
    expect(() => new BatchNormalization(zeros([2, 2]), zeros(2))).toThrow(
      'BatchNormalization: expected gamma of shape (D,), got shape [2,2]',
    );
    const bn = new BatchNormalization(ones(3), zeros(3));
    expect(() => bn.backward(zeros([2, 3]))).toThrow(
      'BatchNormalization.backward: expected forward() to have run first',
    );
    expect(() => bn.forward(zeros([2, 4]))).toThrow(
      'BatchNormalization.forward: expected an array of shape (N, 3) or (N, C, H, W) with C·H·W = 3, got shape [2,4]',
    );
  });
});
