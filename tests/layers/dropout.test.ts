// Tests of the Dropout layer (chapter 6.4.3): seeded mask, the book's non-inverted test scaling.
import { describe, expect, it } from 'vitest';
import { Rng, array, ones } from '../../src/ndarray/index.js';
import { Dropout } from '../../src/layers/dropout.js';
import { layerGradientErrors, layerMutations, maxAbsDiff } from '../helpers/gradcheck.js';

describe('Dropout', () => {
  it('training multiplies by the seeded mask rand(...shape) > dropoutRatio', () => {
    const x = new Rng(31).randn(4, 6);
    const dropout = new Dropout({ dropoutRatio: 0.3, rng: new Rng(32) });
    const out = dropout.forward(x, true);
    const mask = new Rng(32).rand(4, 6).gt(0.3);
    expect(maxAbsDiff(out, x.mul(mask))).toBe(0);
    const dout = new Rng(33).randn(4, 6);
    expect(maxAbsDiff(dropout.backward(dout), dout.mul(mask))).toBe(0);
    // the same seed gives the same mask; training is the book's default mode
    expect(maxAbsDiff(new Dropout({ dropoutRatio: 0.3, rng: new Rng(32) }).forward(x), out)).toBe(
      0,
    );
  });

  it('drops about dropoutRatio of the values', () => {
    const out = new Dropout({ dropoutRatio: 0.5, rng: new Rng(34) }).forward(ones([100, 100]));
    expect(out.sum().item() / 10000).toBeCloseTo(0.5, 1);
  });

  it('testing scales by 1 − dropoutRatio (the book does not invert), and backward matches', () => {
    const dropout = new Dropout({ dropoutRatio: 0.25 });
    const x = array([[1.0, -2.0, 4.0]]);
    expect(dropout.forward(x, false).toArray()).toEqual([[0.75, -1.5, 3]]);
    expect(dropout.backward(array([[4.0, 4.0, 4.0]])).toArray()).toEqual([[3, 3, 3]]);
  });

  it('passes a gradient check with a fixed mask and a random upstream gradient', () => {
    const rng = new Rng(35);
    const dropout = new Dropout({ dropoutRatio: 0.4, rng });
    const reseed = () => rng.seed(36); // the same mask at every forward
    const errors = layerGradientErrors(dropout, new Rng(37).randn(3, 5), { beforeForward: reseed });
    expect(errors.x).toBeLessThan(1e-8);
    const test = layerGradientErrors(new Dropout(), new Rng(38).randn(3, 5), { train: false });
    expect(test.x).toBeLessThan(1e-8);
  });

  it('does not modify x or dout in either mode', () => {
    expect(layerMutations(new Dropout({ rng: new Rng(39) }), new Rng(40).randn(3, 4))).toEqual([]);
    expect(layerMutations(new Dropout(), new Rng(41).randn(3, 4), false)).toEqual([]);
  });

  it('validates dropoutRatio and names backward-before-forward', () => {
    expect(() => new Dropout({ dropoutRatio: 1 })).toThrow(
      'Dropout: expected dropoutRatio in [0, 1), got 1',
    );
    expect(() => new Dropout().backward(array([1.0]))).toThrow(
      'Dropout.backward: expected forward() to have run first',
    );
  });
});
