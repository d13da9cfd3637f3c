// Tests of Sequential (the book's OrderedDict of layers plus lastLayer, chapter 5.7.2) and of the
// gradient-check helper itself: a random upstream gradient catches what an all-ones one misses.
import { describe, expect, it } from 'vitest';
import { NDArray, Rng, array } from '../../src/ndarray/index.js';
import { Affine } from '../../src/layers/affine.js';
import { Convolution } from '../../src/layers/convolution.js';
import { Pooling } from '../../src/layers/pooling.js';
import { Relu } from '../../src/layers/relu.js';
import { Sequential } from '../../src/layers/sequential.js';
import type { Layer } from '../../src/layers/types.js';
import { layerGradientErrors } from '../helpers/gradcheck.js';

describe('Sequential', () => {
  it('runs forward in order and backward in reverse, returning dL/dx', () => {
    const rng = new Rng(71);
    const seq = new Sequential([
      ['Affine1', new Affine(rng.randn(4, 3), rng.randn(3))],
      ['Relu1', new Relu()],
      ['Affine2', new Affine(rng.randn(3, 2), rng.randn(2))],
    ]);
    const x = rng.randn(5, 4);
    const t = array([0, 1, 1, 0, 1], 'int32');
    const loss = seq.loss(x, t);
    expect(loss).toBeGreaterThan(0);
    expect(seq.backward().shape).toEqual([5, 4]);
    expect([...seq.layers.keys()]).toEqual(['Affine1', 'Relu1', 'Affine2']);
  });

  it('converts inputs to its dtype', () => {
    const seq = new Sequential([['Relu1', new Relu()]], { dtype: 'float32' });
    expect(seq.predict(array([[1.0, -1.0]])).dtype).toBe('float32');
  });

  it('rejects duplicate layer names and a bad batchSize', () => {
    expect(
      () =>
        new Sequential([
          ['Relu', new Relu()],
          ['Relu', new Relu()],
        ]),
    ).toThrow('Sequential: expected distinct layer names, got Relu, Relu');
    const seq = new Sequential([['Relu1', new Relu()]]);
    expect(() => seq.accuracy(array([[1.0, 2.0]]), array([1], 'int32'), 0)).toThrow(
      'accuracy: expected a positive integer batchSize, got 0',
    );
    expect(() => seq.accuracy(array([[1.0, 2.0]]), array([1, 0], 'int32'))).toThrow(
      'accuracy: expected labels (1,) or one-hot rows (1, classes), got shape [2]',
    );
  });
});

/** An Affine whose backward forgets the transpose of W (W square, so the shapes still fit). */
class AffineWithoutTranspose implements Layer {
  constructor(private readonly W: NDArray) {}
  forward(x: NDArray): NDArray {
    return x.dot(this.W);
  }
  backward(dout: NDArray): NDArray {
    return dout.dot(this.W); // should be W.T
  }
}

describe('Sequential runs a ReLU followed by max pooling as pooling, then ReLU', () => {
  // Conv → Relu → Pool → Affine, layer by layer in the book's order, against Sequential (which
  // runs the pooling first): scores, every gradient and dx bit for bit. Pooling windows that
  // overlap (stride 1) and padded ones, inputs that leave whole windows ≤ 0.
  const cases = [
    { poolH: 2, poolW: 2, stride: 2, pad: 0 },
    { poolH: 3, poolW: 2, stride: 1, pad: 0 },
    { poolH: 2, poolW: 2, stride: 2, pad: 1 },
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    for (const pool of cases) {
      it(`${dtype}, pool ${pool.poolH}×${pool.poolW} stride ${pool.stride} pad ${pool.pad}`, () => {
        const rng = new Rng(7);
        const W = rng.randn(4, 2, 3, 3).astype(dtype);
        const b = rng.randn(4).mul(0.5).sub(0.8).astype(dtype); // many outputs ≤ 0
        const x = rng.randn(3, 2, 9, 8).astype(dtype);
        const build = () => {
          const conv = new Convolution(W.copy(), b.copy(), { pad: 1 });
          const P = new Pooling(pool);
          const outShape = P.forward(conv.forward(x)).shape;
          const D = outShape.slice(1).reduce((a, d) => a * d, 1);
          const aff = new Affine(
            new Rng(8).randn(D, 5).astype(dtype),
            new Rng(9).randn(5).astype(dtype),
          );
          return [conv, new Relu(), new Pooling(pool), aff] as const;
        };
        const book = build();
        const layers = build();
        const net = new Sequential([
          ['Conv1', layers[0]],
          ['Relu1', layers[1]],
          ['Pool1', layers[2]],
          ['Affine1', layers[3]],
        ]);
        expect([...net.layers.keys()]).toEqual(['Conv1', 'Relu1', 'Pool1', 'Affine1']);
        // the ReLU runs on the pooled output
        const reluInputs: (readonly number[])[] = [];
        const reluForward = layers[1].forward.bind(layers[1]);
        layers[1].forward = (input: NDArray) => (reluInputs.push(input.shape), reluForward(input));
        const t = array([1, 4, 0]);
        const lossNet = net.loss(x, t, true);
        const dxNet = net.backward();
        // the book's order, by hand
        let h: NDArray = x;
        for (const layer of book) h = layer.forward(h);
        const scores = h;
        const last = new Sequential([]).lastLayer;
        const lossBook = last.forward(scores, t);
        let d = last.backward();
        for (let i = book.length - 1; i >= 0; i--) d = book[i].backward(d);
        const same = (a: NDArray, c: NDArray) =>
          a.data.length === c.data.length && a.data.every((v, i) => Object.is(v, c.data[i]));
        expect(lossNet).toBe(lossBook);
        expect(same(dxNet, d)).toBe(true);
        expect(same(layers[0].grads.W, book[0].grads.W)).toBe(true);
        expect(same(layers[0].grads.b, book[0].grads.b)).toBe(true);
        expect(same(layers[3].grads.W, book[3].grads.W)).toBe(true);
        expect(same(net.predict(x), scores)).toBe(true);
        expect(reluInputs[0]).toEqual(layers[2].forward(layers[0].forward(x)).shape);
      });
    }
  }
});

describe('layerGradientErrors (the test helper)', () => {
  it('catches a missing transpose that an all-ones upstream gradient would let pass', () => {
    // W with equal row sums and column sums: ones·W = ones·Wᵀ, so only a random r tells them apart
    const W = array([
      [1.0, 2.0, 3.0],
      [3.0, 1.0, 2.0],
      [2.0, 3.0, 1.0],
    ]);
    const x = new Rng(72).randn(4, 3);
    const ones =
      W.sum(1)
        .toList()
        .every((v) => v === 6) &&
      W.sum(0)
        .toList()
        .every((v) => v === 6);
    expect(ones).toBe(true);
    const errors = layerGradientErrors(new AffineWithoutTranspose(W), x);
    expect(errors.x).toBeGreaterThan(0.1);
  });
});

describe('Sequential.backwardParams', () => {
  it("fills the same gradients as backward() without the first layer's input gradient", () => {
    const rng = new Rng(11);
    const make = () => {
      const r = new Rng(12);
      const conv = new Convolution(r.randn(3, 2, 3, 3), r.randn(3), {
        pad: 1,
        inputGradient: false,
      });
      const aff = new Affine(r.randn(3 * 5 * 4, 4), r.randn(4));
      return [conv, aff] as const;
    };
    const x = rng.randn(2, 2, 5, 4);
    const t = array([3, 1]);
    const [conv1, aff1] = make();
    const a = new Sequential([
      ['Conv1', conv1],
      ['Relu1', new Relu()],
      ['Affine1', aff1],
    ]);
    a.loss(x, t, true);
    a.backward();
    const [conv2, aff2] = make();
    const b = new Sequential([
      ['Conv1', conv2],
      ['Relu1', new Relu()],
      ['Affine1', aff2],
    ]);
    let firstBackward = 0;
    const original = conv2.backward.bind(conv2);
    conv2.backward = (d: NDArray) => (firstBackward++, original(d));
    b.loss(x, t, true);
    b.backwardParams();
    expect(firstBackward).toBe(0);
    for (const [p, q] of [
      [conv1.grads.W, conv2.grads.W],
      [conv1.grads.b, conv2.grads.b],
      [aff1.grads.W, aff2.grads.W],
      [aff1.grads.b, aff2.grads.b],
    ]) {
      expect(Array.from(q.data)).toEqual(Array.from(p.data));
    }
  });

  it('Affine.backwardParams fills the grads backward() fills', () => {
    const r = new Rng(13);
    const [W, bias, x, dout] = [r.randn(6, 3), r.randn(3), r.randn(4, 6), r.randn(4, 3)];
    const one = new Affine(W.copy(), bias.copy());
    one.forward(x);
    one.backward(dout);
    const two = new Affine(W.copy(), bias.copy());
    two.forward(x);
    two.backwardParams(dout);
    expect(two.grads.W.toArray()).toEqual(one.grads.W.toArray());
    expect(two.grads.b.toArray()).toEqual(one.grads.b.toArray());
    expect(() => two.backwardParams(r.randn(4, 2))).toThrow('Affine.backwardParams');
  });
});
