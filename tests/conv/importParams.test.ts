// Tests of importParams (§7.5, §8.1): the book's np.savez weights load, and scores match the book's NumPy code.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NDArray, Rng, zeros } from '../../src/ndarray/index.js';
import { loadNpz } from '../../src/io/node.js';
import { parseNpz, serializeNpz } from '../../src/io/npz.js';
import { importParams } from '../../src/networks/importParams.js';
import { SimpleConvNet } from '../../src/networks/simpleConvNet.js';
import { DeepConvNet } from '../../src/networks/deepConvNet.js';
import { TwoLayerNet } from '../../src/networks/twoLayerNet.js';
import { MultiLayerNet } from '../../src/networks/multiLayerNet.js';
import { MultiLayerNetExtend } from '../../src/networks/multiLayerNetExtend.js';
import type { Network } from '../../src/networks/types.js';
import { relativeError } from './helpers.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** The network's parameters through an .npz archive in `dtype`, as np.savez(file, **params) writes them. */
function savezRoundTrip(net: Network, dtype: 'float32' | 'float64') {
  const params = Object.fromEntries(
    Object.entries(net.params).map(([k, v]) => [k, v.astype(dtype)]),
  );
  return parseNpz(serializeNpz(params));
}

describe('importParams', () => {
  it('loads the book’s SimpleConvNet weights: same scores, loss and gradients as its NumPy code', () => {
    const out = loadNpz(fixture('book_outputs.npz'));
    const net = new SimpleConvNet({
      inputDim: [1, 10, 10],
      convParam: { filterNum: 4, filterSize: 3 },
      hiddenSize: 8,
    });
    const report = importParams(net, loadNpz(fixture('simple_convnet_params.npz')));
    expect(report).toEqual({ keys: ['W1', 'b1', 'W2', 'b2', 'W3', 'b3'], converted: [] });
    expect(relativeError(net.predict(out.x), out.scores_simple)).toBeLessThan(1e-12);
    expect(net.loss(out.x, out.t)).toBeCloseTo(out.loss_simple.item(), 12);
    const grads = net.gradient(out.x, out.t);
    for (const k of Object.keys(grads)) {
      expect(relativeError(grads[k], out[`grad_${k}`]), k).toBeLessThan(1e-10);
    }
  });

  it('loads the book’s DeepConvNet weights saved in float32, into float64 and float32 networks', () => {
    const out = loadNpz(fixture('book_outputs.npz'));
    const arrays = loadNpz(fixture('deep_convnet_small_params.npz'));
    const options = {
      inputDim: [1, 12, 12] as const,
      convParam1: { filterNum: 2 },
      convParam2: { filterNum: 2 },
      convParam3: { filterNum: 3 },
      convParam4: { filterNum: 3 },
      convParam5: { filterNum: 4 },
      convParam6: { filterNum: 4 },
      hiddenSize: 6,
    };
    const net64 = new DeepConvNet(options);
    const report = importParams(net64, arrays);
    expect(report.converted).toContain('W1: float32 → float64');
    expect(relativeError(net64.predict(out.x_deep), out.scores_deep)).toBeLessThan(1e-12);
    const net32 = new DeepConvNet({ ...options, dtype: 'float32' });
    expect(importParams(net32, arrays).converted).toEqual([]);
    expect(relativeError(net32.predict(out.x_deep), out.scores_deep)).toBeLessThan(1e-5);
    // the same class for every sample: the same accuracy as the book's code
    expect(net32.predict(out.x_deep).argmax(1).toList()).toEqual(
      out.scores_deep.argmax(1).toList(),
    );
  });

  it('works for every network from its params alone, keeping the arrays’ identity', () => {
    const rng = new Rng(1);
    const nets: [() => Network, NDArray][] = [
      [
        () =>
          new TwoLayerNet({
            inputSize: 12,
            hiddenSize: 5,
            outputSize: 3,
            seed: rng.randint(0, 1000, 1).item(),
          }),
        rng.rand(4, 12),
      ],
      [
        () =>
          new MultiLayerNet({
            inputSize: 12,
            hiddenSizeList: [6, 5],
            outputSize: 3,
            seed: rng.randint(0, 1000, 1).item(),
          }),
        rng.rand(4, 12),
      ],
      [
        () =>
          new MultiLayerNetExtend({
            inputSize: 12,
            hiddenSizeList: [6, 5],
            outputSize: 3,
            useBatchnorm: true,
            seed: rng.randint(0, 1000, 1).item(),
          }),
        rng.rand(4, 12),
      ],
      [
        () =>
          new SimpleConvNet({
            inputDim: [1, 8, 8],
            convParam: { filterNum: 2, filterSize: 3 },
            hiddenSize: 5,
            outputSize: 3,
            seed: rng.randint(0, 1000, 1).item(),
          }),
        rng.rand(4, 1, 8, 8),
      ],
      [() => new DeepConvNet({ seed: rng.randint(0, 1000, 1).item() }), rng.rand(2, 1, 28, 28)],
    ];
    for (const [make, x] of nets) {
      const trained = make();
      // move gamma/beta off their initial 1/0 so that they are really imported
      for (const p of Object.values(trained.params)) p.addInPlace(rng.normal(0, 0.1, p.shape));
      for (const dtype of ['float64', 'float32'] as const) {
        const fresh = make();
        const before = Object.values(fresh.params);
        importParams(fresh, savezRoundTrip(trained, dtype));
        Object.values(fresh.params).forEach((p, i) => expect(p).toBe(before[i]));
        const tol = dtype === 'float64' ? 1e-12 : 1e-5;
        expect(
          relativeError(fresh.predict(x), trained.predict(x)),
          `${fresh.constructor.name} ${dtype}`,
        ).toBeLessThan(tol);
      }
      if (trained instanceof MultiLayerNetExtend) {
        expect(Object.keys(trained.params)).toEqual([
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
      }
    }
  });

  it('lists every problem in one error and changes nothing', () => {
    const net = new TwoLayerNet({ inputSize: 4, hiddenSize: 3, outputSize: 2 });
    const W1 = net.params.W1.copy();
    const source = {
      W1: zeros([3, 4]),
      b1: zeros([3], 'int32'),
      W2: zeros([3, 2]),
      W3: zeros([2, 2]),
    };
    let message = '';
    try {
      importParams(net, source, { where: 'params.npz' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      [
        'params.npz: expected W1 (4,3), b1 (3,), W2 (3,2), b2 (2,), got W1 (3,4), b1 (3,), W2 (3,2), W3 (2,2)',
        '  missing: b2',
        '  unexpected: W3 (2,2)',
        '  W1 has shape (3,4), expected (4,3)',
        '  b1 has dtype int32, expected float32 or float64',
      ].join('\n'),
    );
    expect(net.params.W1.toList()).toEqual(W1.toList());
    expect(() => importParams(new SimpleConvNet(), {})).toThrow(
      'importParams: expected W1 (30,1,5,5), b1 (30,), W2 (4320,100), b2 (100,), W3 (100,10), b3 (10,), got nothing\n  missing: W1, b1, W2, b2, W3, b3',
    );
  });
});
