// Gathering ahead: takeAhead / Kernels.takeRowsAhead gather a training loop's next mini-batch on
// a worker (and pack it for a first Affine layer) while the current one trains. Checked against
// take() and packSparseA made in place, and a Trainer run against the same run on one thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/mnist.js';
import { NDArray, gemm, packSparse, takeAhead } from '../../src/ndarray/index.js';
import {
  setWasmThreads,
  shutdownWasm,
  wasmHeap,
  wasmInfo,
  wasmKernels,
} from '../../src/ndarray/kernels/wasm/index.js';
import { TwoLayerNet } from '../../src/networks/index.js';
import { SGD } from '../../src/optimizers/index.js';
import { initWasmNode } from '../../src/node/threads.js';
import { Trainer } from '../../src/training/index.js';
import { packContents, rng, sparseArray } from './suite.js';

beforeAll(async () => {
  await initWasmNode({ threads: 2, activate: true });
});
afterAll(() => {
  shutdownWasm();
});

const K = 784;
const N = 50;

describe('takeAhead on the wasm kernels, 2 threads', () => {
  it('gathers what take() gathers, and packs it as packSparse packs it in place', () => {
    expect(wasmInfo()!.maxThreads).toBe(2);
    setWasmThreads(2);
    const k = wasmKernels()!;
    const next = rng(21);
    const n = 400;
    const a = new NDArray(sparseArray(wasmHeap()!, n, K, false, next), [n, K], 'float32');
    const batch = () =>
      new NDArray(
        Int32Array.from({ length: 100 }, () => Math.floor(next() * n)),
        [100],
      );
    const [b0, b1, b2, b3] = [batch(), batch(), batch(), batch()];
    // the first pack of this shape (a training loop's first batch) tells the kernels N
    const x0 = a.take(b0, 0);
    expect(packSparse(x0, N)).toBeDefined();

    const before = k.packsAhead;
    const get1 = takeAhead(a, b1, true);
    const x1 = get1();
    const get2 = takeAhead(a, b2, true); // the next one is under way while x1 is packed
    const p1 = packSparse(x1, N)!;
    expect(k.packsAhead).toBe(before + 1);
    expect(Array.from(x1.data)).toEqual(Array.from(a.take(b1, 0).data));
    const inPlace = packSparse(x1, N)!; // taken already: packed in place
    expect(k.packsAhead).toBe(before + 1);
    expect(packContents(p1)).toEqual(packContents(inPlace));
    const W = new NDArray(sparseArray(wasmHeap()!, K, N, false, next), [K, N], 'float32');
    expect(Array.from(gemm(x1, W, { packedA: p1 }).data)).toEqual(Array.from(x1.dot(W).data));

    // a pack for other columns is not the one made ahead
    const x2 = get2();
    expect(packSparse(x2, N + 1)).toBeDefined();
    expect(k.packsAhead).toBe(before + 1);
    expect(Array.from(x2.data)).toEqual(Array.from(a.take(b2, 0).data));

    // without `sparse`: a gather only
    const x3 = takeAhead(a, b3, false)();
    expect(Array.from(x3.data)).toEqual(Array.from(a.take(b3, 0).data));
    expect(packSparse(x3, N)).toBeDefined();
    expect(k.packsAhead).toBe(before + 1);

    // on one thread: gathered in place when finished, the same rows
    setWasmThreads(1);
    const get4 = takeAhead(a, b0, true);
    expect(Array.from(get4().data)).toEqual(Array.from(x0.data));
    setWasmThreads(2);
  });

  it('a Trainer run gathering ahead on a worker equals the run on one thread, to the bit', () => {
    const d = loadMnist({ normalize: true, flatten: true, dtype: 'float32' });
    const [xTrain, tTrain] = [d.xTrain.index(':3000'), d.tTrain.index(':3000')];
    const [xTest, tTest] = [d.xTest.index(':500'), d.tTest.index(':500')];
    const run = (threads: number, sampling: 'with-replacement' | 'epoch-shuffle') => {
      setWasmThreads(threads);
      const net = new TwoLayerNet({
        inputSize: 784,
        hiddenSize: 50,
        outputSize: 10,
        dtype: 'float32',
        seed: 3,
      });
      const trainer = new Trainer(net, xTrain, tTrain, xTest, tTest, {
        epochs: 2,
        optimizer: new SGD({ lr: 0.1 }),
        sampling,
        verbose: false,
        seed: 4,
      });
      const before = wasmKernels()!.packsAhead;
      trainer.train();
      return {
        losses: trainer.trainLossList,
        acc: [...trainer.trainAccList, ...trainer.testAccList],
        ahead: wasmKernels()!.packsAhead - before,
      };
    };
    for (const sampling of ['with-replacement', 'epoch-shuffle'] as const) {
      const one = run(1, sampling);
      const two = run(2, sampling);
      expect(one.ahead).toBe(0);
      // every batch but the first (its pack tells the kernels N) is packed ahead
      expect(two.ahead, sampling).toBe(two.losses.length - 1);
      expect(two.losses, sampling).toEqual(one.losses);
      expect(two.acc, sampling).toEqual(one.acc);
      expect(two.acc[3], sampling).toBeGreaterThan(0.3); // learning (chance: 0.1; measured 0.40)
    }
    setWasmThreads(2);
  });
});
