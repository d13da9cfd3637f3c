// The book's small networks: perceptron gates (ch. 2), the chapter 3 three-layer network and
// np.dot examples (§3.3–3.4), and the chapter 4 simpleNet (§4.4.2).
import { describe, expect, it } from 'vitest';
import { allclose, array, dot, Rng } from '../../src/ndarray/index.js';
import { gradientCheck, numericalGradient, softmax } from '../../src/functions/index.js';
import { AND, NAND, OR, XOR } from '../../src/networks/perceptron.js';
import {
  evaluateAccuracy,
  forward,
  initNetwork,
  predict,
  toThreeLayerNetwork,
} from '../../src/networks/ch03.js';
import { SimpleNet } from '../../src/networks/simpleNet.js';

const inputs: [number, number][] = [
  [0, 0],
  [1, 0],
  [0, 1],
  [1, 1],
];

describe('perceptron gates', () => {
  it.each([
    ['AND', AND, [0, 0, 0, 1]],
    ['NAND', NAND, [1, 1, 1, 0]],
    ['OR', OR, [0, 1, 1, 1]],
    ['XOR', XOR, [0, 1, 1, 0]],
  ] as const)('%s has the truth table of the book', (_name, gate, table) => {
    expect(inputs.map(([a, b]) => gate(a, b))).toEqual(table);
  });
});

describe('np.dot examples of §3.3', () => {
  it('multiplies matrices and vectors as the book shows', () => {
    const A = array([
      [1, 2],
      [3, 4],
    ]);
    const B = array([
      [5, 6],
      [7, 8],
    ]);
    expect(dot(A, B).toArray()).toEqual([
      [19, 22],
      [43, 50],
    ]);
    const A23 = array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const B32 = array([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(dot(A23, B32).toArray()).toEqual([
      [22, 28],
      [49, 64],
    ]);
    expect(dot(B32, array([7, 8])).toArray()).toEqual([23, 53, 83]);
    const W = array([
      [1, 3, 5],
      [2, 4, 6],
    ]);
    expect(dot(array([1, 2]), W).toArray()).toEqual([5, 11, 17]);
    expect(dot(array([1, 2], 'int32'), W.astype('int32')).toString()).toBe('[ 5 11 17]');
  });

  it("fails on misaligned shapes with NumPy's message", () => {
    const A = array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const C = array([
      [1, 2],
      [3, 4],
    ]);
    expect(() => dot(A, C)).toThrow('shapes (2,3) and (2,2) not aligned: 3 (dim 1) != 2 (dim 0)');
  });
});

describe('chapter 3 three-layer network', () => {
  it('forward gives the book output [0.31682708, 0.69627909]', () => {
    const y = forward(initNetwork(), array([1.0, 0.5]));
    expect(allclose(y, array([0.31682708, 0.69627909]), 1e-7)).toBe(true);
    expect(y.toString()).toBe('[0.31682708 0.69627909]');
  });

  it('handles a batch row by row, and predict is the softmax of forward', () => {
    const net = initNetwork();
    const x = array([
      [1.0, 0.5],
      [0.2, -0.3],
      [1.0, 0.5],
    ]);
    const y = forward(net, x);
    expect(y.shape).toEqual([3, 2]);
    expect(allclose(y.index(0), forward(net, array([1.0, 0.5])), 1e-15)).toBe(true);
    expect(allclose(predict(net, x), softmax(y), 1e-15)).toBe(true);
  });

  it('evaluateAccuracy counts the same one at a time and in batches', () => {
    const net = initNetwork();
    const x = new Rng(1).randn(23, 2);
    const t = predict(net, x).argmax(1); // all right…
    t.set([4], 1 - t.get(4)); // …but two
    t.set([17], 1 - t.get(17));
    for (const batchSize of [1, 5, 100]) {
      expect(evaluateAccuracy(net, x, t, { batchSize })).toEqual({
        correct: 21,
        total: 23,
        accuracy: 21 / 23,
      });
    }
    expect(() => evaluateAccuracy(net, x, t, { batchSize: 0 })).toThrow(
      'evaluateAccuracy: expected batchSize a positive integer, got 0',
    );
    expect(() => evaluateAccuracy(net, x, t.index('0:3'))).toThrow(
      'evaluateAccuracy: expected 23 labels (N,), got (3,)',
    );
  });

  it('toThreeLayerNetwork checks keys and shapes', () => {
    const net = initNetwork();
    expect(toThreeLayerNetwork({ ...net }).W2).toBe(net.W2);
    const { W3: _omit, ...missing } = net;
    expect(() => toThreeLayerNetwork(missing, 'w.npz')).toThrow(
      'w.npz: expected arrays W1, b1, W2, b2, W3, b3, got W1, b1, W2, b2, b3',
    );
    expect(() => toThreeLayerNetwork({ ...net, W2: net.W3 }, 'w.npz')).toThrow(
      "w.npz: expected W2 with 3 rows (the previous layer's outputs), got (2,2)",
    );
    expect(() => toThreeLayerNetwork({ ...net, b1: net.b2 }, 'w.npz')).toThrow(
      'w.npz: expected W1 (in, out) and b1 (out,), got W1 (2,3) and b1 (2,)',
    );
  });
});

describe('chapter 4 simpleNet', () => {
  const BOOK_W = [
    [0.47355232, 0.9977393, 0.84668094],
    [0.85557411, 0.03563661, 0.69422093],
  ];
  const x = array([0.6, 0.9]);
  const t = array([0, 0, 1]);

  it('reproduces the book: scores, loss and dW', () => {
    const net = new SimpleNet({ W: array(BOOK_W) });
    const p = net.predict(x);
    expect(allclose(p, array([1.05414809, 0.63071653, 1.1328074]), 1e-7)).toBe(true);
    expect(p.argmax().item()).toBe(2);
    // The book's W had more digits than it prints; 8 digits reproduce its loss to ~1e-6.
    expect(net.loss(x, t)).toBeCloseTo(0.92806853663411326, 6);
    const dW = numericalGradient(() => net.loss(x, t), net.W);
    const bookDW = array([
      [0.21924763, 0.14356247, -0.36281009],
      [0.32887144, 0.2153437, -0.54421514],
    ]);
    expect(allclose(dW, bookDW, 0, 2e-7)).toBe(true);
    expect(net.W.toArray()).toEqual(BOOK_W); // restored
  });

  it('its numerical gradient matches the analytic xᵀ(softmax(xW) − t)', () => {
    const net = new SimpleNet({ rng: new Rng(42) });
    const y = softmax(net.predict(x));
    const analytic = x.reshape(2, 1).dot(y.sub(t).reshape(1, 3)); // (2, 1)·(1, 3) → (2, 3)
    const diff = gradientCheck(() => net.loss(x, t), { W: net.W }, { W: analytic });
    expect(diff.W).toBeLessThan(1e-6); // the 1e-7 inside log keeps it from ~1e-10
  });

  it('draws W from a seeded generator and checks its shape', () => {
    expect(new SimpleNet({ rng: new Rng(3) }).W.toList()).toEqual(new Rng(3).randn(2, 3).toList());
    expect(new SimpleNet().W.toList()).toEqual(new SimpleNet().W.toList());
    expect(() => new SimpleNet({ W: array([1, 2]) })).toThrow(
      'SimpleNet: expected W of shape (2, 3), got (2,)',
    );
  });
});
