// Loss functions (book §4.2): golden values, batches, one-hot and label targets.
import { describe, expect, it } from 'vitest';
import { array, Rng, zeros } from '../../src/ndarray/index.js';
import {
  crossEntropyError,
  meanSquaredError,
  softmax,
  sumSquaredError,
} from '../../src/functions/index.js';

const t = array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
const y1 = array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]); // "2" most probable
const y2 = array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]); // "7" most probable

describe('sumSquaredError', () => {
  it('gives the book values 0.0975 and 0.5975', () => {
    expect(sumSquaredError(y1, t)).toBeCloseTo(0.0975, 12);
    expect(sumSquaredError(y2, t)).toBeCloseTo(0.5975, 12);
    // NumPy's pairwise summation order: the same bits as np.sum prints.
    expect(sumSquaredError(y1, t)).toBe(0.09750000000000003);
    expect(sumSquaredError(y2, t)).toBe(0.5975);
  });
  it('sums over a whole batch; meanSquaredError divides by its size', () => {
    const y = array([y1.toList(), y2.toList()]);
    const tt = array([t.toList(), t.toList()]);
    expect(sumSquaredError(y, tt)).toBeCloseTo(0.695, 12);
    expect(meanSquaredError(y, tt)).toBeCloseTo(0.3475, 12);
    expect(meanSquaredError(y1, t)).toBe(sumSquaredError(y1, t));
  });
  it('rejects targets of another shape', () => {
    expect(() => sumSquaredError(y1, array([1, 2]))).toThrow(
      'sumSquaredError: expected targets t of the shape of y (10,), got (2,)',
    );
  });
});

describe('crossEntropyError', () => {
  it('gives the book values for one sample with one-hot t', () => {
    expect(crossEntropyError(y1, t)).toBeCloseTo(0.510825457099338, 14);
    expect(crossEntropyError(y2, t)).toBeCloseTo(2.302584092994546, 14);
  });

  it('treats a 1-D y as a batch of one, with a label too', () => {
    expect(crossEntropyError(y1, array([2]))).toBeCloseTo(0.510825457099338, 14);
    expect(crossEntropyError(y1, array(2))).toBeCloseTo(0.510825457099338, 14);
    expect(crossEntropyError(y1.reshape(1, 10), t.reshape(1, 10))).toBe(crossEntropyError(y1, t));
  });

  it('averages over a batch; labels equal one-hot targets', () => {
    const rng = new Rng(7);
    const y = softmax(rng.randn(6, 5));
    const labels = rng.randint(0, 5, 6);
    const oneHot = zeros([6, 5]);
    for (let i = 0; i < 6; i++) oneHot.set([i, labels.get(i)], 1);
    const byLabel = crossEntropyError(y, labels);
    expect(crossEntropyError(y, oneHot)).toBe(byLabel);
    let expected = 0;
    for (let i = 0; i < 6; i++) expected -= Math.log(y.get(i, labels.get(i)) + 1e-7);
    expect(byLabel).toBeCloseTo(expected / 6, 13);
    // float labels holding integers work too
    expect(crossEntropyError(y, labels.astype('float64'))).toBe(byLabel);
  });

  it('stays finite when the right class has probability 0 (the 1e-7 inside log)', () => {
    const loss = crossEntropyError(array([1.0, 0.0]), array([0, 1]));
    expect(loss).toBeCloseTo(-Math.log(1e-7), 10);
  });

  it('names what is wrong', () => {
    const y = array([
      [0.5, 0.5],
      [0.2, 0.8],
    ]);
    expect(() => crossEntropyError(y, array([0, 1, 1]))).toThrow(
      'crossEntropyError: expected one-hot targets of shape (2,2) or 2 labels, got (3,)',
    );
    expect(() => crossEntropyError(y, array([0, 2]))).toThrow(
      'crossEntropyError: expected class labels in 0…1, got 2 at index 1',
    );
    expect(() => crossEntropyError(zeros([2, 2, 2]), array([0, 1]))).toThrow(
      'crossEntropyError: expected y of shape (C,) or (N, C), got (2,2,2)',
    );
  });
});
