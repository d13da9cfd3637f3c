// Tests of the Trainer (the book's common/trainer.py): the epoch rule, sampling, history,
// determinism, learning on a small separable problem, verbose lines, callbacks and divergence.
import { describe, expect, it } from 'vitest';
import {
  NDArray,
  Rng,
  arange,
  array,
  concatenate,
  heapAllocator,
  setAllocator,
  zeros,
  type TypedArray,
} from '../../src/ndarray/index.js';
import type { LossAndGradient, Network, Params } from '../../src/networks/types.js';
import { Adam, SGD } from '../../src/optimizers/index.js';
import { DivergenceError, Trainer, type TrainerOptions } from '../../src/training/index.js';

/** Softmax regression with its gradient by hand: a real, tiny network independent of src/layers. */
class SoftmaxRegression implements Network {
  readonly params: { W: NDArray; b: NDArray };

  constructor(inputSize: number, classes: number, seed = 0) {
    this.params = { W: new Rng(seed).randn(inputSize, classes).mul(0.01), b: zeros(classes) };
  }

  predict(x: NDArray): NDArray {
    return x.dot(this.params.W).add(this.params.b); // (N, D)·(D, C) + (C,) → (N, C)
  }

  private softmax(x: NDArray): NDArray {
    const s = this.predict(x);
    const e = s.sub(s.max(1, { keepdims: true })).exp(); // minus the row max: no overflow
    return e.div(e.sum(1, { keepdims: true }));
  }

  loss(x: NDArray, t: NDArray): number {
    const y = this.softmax(x);
    const n = x.shape[0];
    return -y.index(arange(n), t).add(1e-7).log().sum().item() / n;
  }

  gradient(x: NDArray, t: NDArray): Params {
    const dy = this.softmax(x); // (y − onehot(t)) / N
    const [n, c] = dy.shape;
    for (let i = 0; i < n; i++) dy.data[i * c + t.data[i]] -= 1;
    dy.divInPlace(n);
    return { W: x.T.dot(dy), b: dy.sum(0) }; // (D, N)·(N, C) → (D, C); (C,)
  }

  accuracy(x: NDArray, t: NDArray, batchSize = 100): number {
    let correct = 0;
    for (let i = 0; i < x.shape[0]; i += batchSize) {
      const range = `${i}:${i + batchSize}`;
      correct += this.predict(x.index(range)).argmax(1).eq(t.index(range)).sum().item();
    }
    return correct / x.shape[0];
  }
}

/** Three Gaussian blobs in 2-D (well separated), labels int32. */
function blobs(perClass: number, seed: number): [NDArray, NDArray] {
  const rng = new Rng(seed);
  const centres = [
    [0, 4],
    [4, -3],
    [-4, -3],
  ];
  const xs = centres.map(([cx, cy]) => rng.randn(perClass, 2).add(array([cx, cy])));
  const ts = centres.map((_, k) => array(new Array<number>(perClass).fill(k), 'int32'));
  return [concatenate(xs), concatenate(ts)];
}

const [xTrain, tTrain] = blobs(77, 1); // 231 samples: batch 20 gives 11.55 → 12 iterations per epoch
const [xTest, tTest] = blobs(20, 2);

function train(options: TrainerOptions, seed = 0): Trainer {
  const trainer = new Trainer(new SoftmaxRegression(2, 3, seed), xTrain, tTrain, xTest, tTest, {
    verbose: false,
    miniBatchSize: 20,
    ...options,
  });
  trainer.train();
  return trainer;
}

/** A network that computes nothing: it records the mini-batches and evaluations it is given. */
class Recorder implements Network {
  readonly params = { w: array([1]) };
  readonly batches: number[][] = [];
  readonly evaluated: [number, number | undefined][] = [];
  calls = 0;

  constructor(
    private readonly lossAt: (call: number) => number = () => 0.5,
    private readonly gradAt: (call: number) => number = () => 0,
  ) {}

  predict(x: NDArray): NDArray {
    return zeros([x.shape[0], 2]);
  }
  loss(): number {
    return this.lossAt(this.calls);
  }
  gradient(x: NDArray): Params {
    this.calls++;
    this.batches.push(Array.from(x.data)); // x holds each sample's index
    return { w: array([this.gradAt(this.calls)]) };
  }
  accuracy(x: NDArray, _t: NDArray, batchSize?: number): number {
    this.evaluated.push([x.shape[0], batchSize]);
    return x.shape[0] === 23 || x.shape[0] === 10 ? 0.5 : 1;
  }
}

/** n samples whose single feature is their index. */
const ids = (n: number): [NDArray, NDArray] => [
  arange(n).astype('float64').reshape(n, 1), // (n,) → (n, 1)
  zeros(n, 'int32'),
];

describe('the epoch rule', () => {
  it('runs epochs · ceil(trainSize / batch) iterations and evaluates once per epoch', () => {
    const t = train({ epochs: 3, optimizer: 'sgd', optimizerParam: { lr: 0.1 }, seed: 1 });
    expect(t.iterPerEpoch).toBe(12);
    expect(t.maxIter).toBe(36);
    expect(t.trainLossList).toHaveLength(36);
    expect(t.trainAccList).toHaveLength(3);
    expect(t.testAccList).toHaveLength(3);
    expect(t.currentEpoch).toBe(3);
  });

  it('detects every epoch where the book’s float modulo does not', () => {
    // The book: iter_per_epoch = max(1000 / 300, 1) = 3.33…, max_iter = int(3 · 3.33…) = 10, and
    // `i % iter_per_epoch == 0` holds for i = 0 only: one accuracy for three epochs.
    const bookIpe = Math.max(1000 / 300, 1);
    const bookEpochs = Array.from({ length: Math.trunc(3 * bookIpe) }, (_, i) => i).filter(
      (i) => i % bookIpe === 0,
    );
    expect(bookEpochs).toEqual([0]);
    const [x, t] = ids(1000);
    const trainer = new Trainer(new Recorder(), x, t, x, t, {
      epochs: 3,
      miniBatchSize: 300,
      verbose: false,
      seed: 0,
    });
    trainer.train();
    expect(trainer.iterPerEpoch).toBe(4);
    expect(trainer.trainAccList).toHaveLength(3);
  });

  it('shows every training sample exactly once per epoch (epoch-shuffle)', () => {
    const [x, t] = ids(23);
    const net = new Recorder();
    const trainer = new Trainer(net, x, t, x, t, {
      epochs: 3,
      miniBatchSize: 5,
      verbose: false,
      seed: 3,
    });
    trainer.train();
    expect(net.batches.map((b) => b.length)).toEqual([5, 5, 5, 5, 3, 5, 5, 5, 5, 3, 5, 5, 5, 5, 3]);
    const all = Array.from({ length: 23 }, (_, i) => i);
    const epochs = [0, 1, 2].map((e) => net.batches.slice(5 * e, 5 * e + 5).flat());
    for (const seen of epochs) expect([...seen].sort((a, b) => a - b)).toEqual(all);
    expect(epochs[0]).not.toEqual(epochs[1]); // a fresh permutation each epoch
    expect(epochs[0]).not.toEqual(all); // shuffled
  });

  it('draws full batches with replacement under the book’s sampling', () => {
    const [x, t] = ids(23);
    const net = new Recorder();
    const trainer = new Trainer(net, x, t, x, t, {
      epochs: 2,
      miniBatchSize: 5,
      verbose: false,
      seed: 3,
      sampling: 'with-replacement',
    });
    trainer.train();
    expect(net.batches.map((b) => b.length)).toEqual(new Array(10).fill(5));
    expect(trainer.trainAccList).toHaveLength(2);
    expect(net.batches.flat().every((i) => Number.isInteger(i) && i >= 0 && i < 23)).toBe(true);
  });

  it('uses the whole set as one batch when the batch is larger than the set', () => {
    const [x, t] = ids(7);
    const net = new Recorder();
    const trainer = new Trainer(net, x, t, x, t, { epochs: 2, verbose: false, seed: 0 });
    trainer.train();
    expect(trainer.iterPerEpoch).toBe(1);
    expect(net.batches.map((b) => b.length)).toEqual([7, 7]);
  });
});

describe('training', () => {
  it('is deterministic with a seed', () => {
    const a = train({ epochs: 2, seed: 42, optimizer: 'momentum' });
    const b = train({ epochs: 2, seed: 42, optimizer: 'momentum' });
    const c = train({ epochs: 2, seed: 43, optimizer: 'momentum' });
    expect(b.trainLossList).toEqual(a.trainLossList);
    expect(b.testAccList).toEqual(a.testAccList);
    expect(c.trainLossList).not.toEqual(a.trainLossList);
    const r = train({ epochs: 2, rng: new Rng(42), optimizer: 'momentum' });
    expect(r.trainLossList).toEqual(a.trainLossList); // rng and seed are the same generator
  });

  it('learns: the loss falls and the accuracy rises far above chance (1/3)', () => {
    const net = new SoftmaxRegression(2, 3);
    const trainer = new Trainer(net, xTrain, tTrain, xTest, tTest, {
      epochs: 5,
      miniBatchSize: 20,
      optimizer: 'Adam',
      optimizerParam: { lr: 0.1 },
      verbose: false,
      seed: 7,
    });
    const before = net.accuracy(xTest, tTest);
    const final = trainer.train();
    const losses = trainer.trainLossList;
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 3);
    expect(final).toBeGreaterThan(0.9);
    expect(final).toBeGreaterThan(before);
    expect(trainer.trainAccList[4]).toBeGreaterThan(0.9);
    expect(final).toBe(trainer.testAccList[4]); // the last epoch ends with the trained network
    expect(trainer.optimizer).toBeInstanceOf(Adam);
    expect(trainer.optimizer.lr).toBe(0.1);
  });

  it('trainAsync and prepare give the same run as train', async () => {
    const options = {
      epochs: 2,
      miniBatchSize: 30,
      optimizer: 'adam',
      optimizerParam: { lr: 0.05 },
      verbose: false,
      seed: 3,
    } as const;
    const syncNet = new SoftmaxRegression(2, 3);
    const sync = new Trainer(syncNet, xTrain, tTrain, xTest, tTest, options);
    const syncAcc = sync.train();
    // the same data stored scaled by 10 and scaled back per batch
    const asyncNet = new SoftmaxRegression(2, 3);
    const scaled = new Trainer(asyncNet, xTrain.mul(10), tTrain, xTest.mul(10), tTest, {
      ...options,
      prepare: (x) => x.div(10),
    });
    const asyncAcc = await scaled.trainAsync();
    expect(asyncAcc).toBe(syncAcc);
    expect(scaled.testAccList).toEqual(sync.testAccList);
    expect(scaled.trainAccList).toEqual(sync.trainAccList);
    scaled.trainLossList.forEach((l, i) => expect(l).toBeCloseTo(sync.trainLossList[i], 12));
    expect(await scaled.accuracyAsync(xTest.mul(10), tTest)).toBe(sync.accuracy(xTest, tTest));
  });

  it('updates the network’s own arrays', () => {
    const net = new SoftmaxRegression(2, 3);
    const { W } = net.params;
    const before = W.copy();
    new Trainer(net, xTrain, tTrain, xTest, tTest, { epochs: 1, verbose: false, seed: 0 }).train();
    expect(net.params.W).toBe(W);
    expect(W.toList()).not.toEqual(before.toList());
  });

  it('accepts an optimizer object and continues train() after trainStep()', () => {
    const sgd = new SGD({ lr: 0.5 });
    const trainer = new Trainer(new SoftmaxRegression(2, 3), xTrain, tTrain, xTest, tTest, {
      epochs: 1,
      miniBatchSize: 20,
      optimizer: sgd,
      verbose: false,
      seed: 0,
    });
    expect(trainer.optimizer).toBe(sgd);
    const loss = trainer.trainStep();
    expect(trainer.trainLossList).toEqual([loss]);
    trainer.train();
    expect(trainer.trainLossList).toHaveLength(12);
    expect(trainer.history).toMatchObject({ iterPerEpoch: 12, miniBatchSize: 20 });
    expect(JSON.parse(JSON.stringify(trainer.history)).trainAccList).toHaveLength(1);
  });
});

describe('memory', () => {
  it("hands the previous iteration's batch back to the allocator, never the data or the current batch", () => {
    // A recording allocator: storage from the JavaScript heap, releases noted.
    const released: TypedArray[] = [];
    const previous = setAllocator({ ...heapAllocator, release: (d) => released.push(d) });
    try {
      const trainer = new Trainer(new SoftmaxRegression(2, 3), xTrain, tTrain, xTest, tTest, {
        miniBatchSize: 20,
        sampling: 'with-replacement',
        verbose: false,
        seed: 5,
      });
      // the batches the trainer draws: the book's np.random.choice with the same seed
      const rng = new Rng(5);
      const batches = [0, 1, 2].map(() => rng.choice(xTrain.shape[0], 20));
      trainer.trainStep();
      expect(released).toEqual([]); // the first batch is still the latest
      trainer.trainStep();
      trainer.trainStep();
      // after three iterations: the x rows and the labels of the first two, in order
      expect(released.map((d) => Array.from(d))).toEqual(
        [0, 1].flatMap((i) => [
          Array.from(xTrain.take(batches[i], 0).data),
          Array.from(tTrain.take(batches[i], 0).data),
        ]),
      );
      expect(released).not.toContain(xTrain.data);
      expect(released).not.toContain(tTrain.data);
    } finally {
      setAllocator(previous);
    }
  });
});

describe('prepare', () => {
  it('releases a new array from prepare with its batch and each prepared evaluation batch once used, never a view or the data', () => {
    const released: TypedArray[] = [];
    const previous = setAllocator({ ...heapAllocator, release: (d) => released.push(d) });
    try {
      const prepared: NDArray[] = [];
      const trainer = new Trainer(new SoftmaxRegression(2, 3), xTrain, tTrain, xTest, tTest, {
        miniBatchSize: 20,
        verbose: false,
        seed: 5,
        prepare: (x) => {
          const y = x.div(10);
          prepared.push(y);
          return y;
        },
      });
      trainer.trainStep();
      trainer.trainStep();
      trainer.trainStep();
      // the first two iterations' x rows, labels and prepared rows, in that order
      expect(released).toHaveLength(6);
      expect(released[2]).toBe(prepared[0].data);
      expect(released[5]).toBe(prepared[1].data);
      released.length = 0;
      prepared.length = 0;
      trainer.accuracy(xTest, tTest); // 60 rows: one batch of 60 (accuracyBatchSize 100)
      expect(prepared.map((p) => p.shape[0])).toEqual([60]);
      expect(released).toEqual([prepared[0].data]);
      // a prepare that returns a view of its rows: nothing of the data is released
      released.length = 0;
      const viewing = new Trainer(new SoftmaxRegression(2, 3), xTrain, tTrain, xTest, tTest, {
        miniBatchSize: 20,
        verbose: false,
        seed: 5,
        prepare: (x) => x.reshape(x.shape[0], 2),
      });
      viewing.trainStep();
      viewing.trainStep();
      viewing.accuracy(xTest, tTest);
      expect(released).toHaveLength(2); // the first batch's x rows and labels
      for (const d of [xTrain.data, tTrain.data, xTest.data, tTest.data])
        expect(released).not.toContain(d);
    } finally {
      setAllocator(previous);
    }
  });

  it('prepares an evaluation at most 2048 rows at a time, with the same accuracy', () => {
    const rng = new Rng(4);
    const picks = rng.choice(xTest.shape[0], 5000);
    const [x, t] = [xTest.take(picks, 0), tTest.take(picks, 0)];
    const sizes: number[] = [];
    const trainer = new Trainer(new SoftmaxRegression(2, 3), xTrain, tTrain, x, t, {
      verbose: false,
      accuracyBatchSize: 10000,
      prepare: (rows) => {
        sizes.push(rows.shape[0]);
        return rows.mul(1);
      },
    });
    const acc = trainer.accuracy(x, t);
    expect(sizes).toEqual([2048, 2048, 904]);
    const plain = new Trainer(new SoftmaxRegression(2, 3), xTrain, tTrain, x, t, {
      verbose: false,
      accuracyBatchSize: 10000,
    });
    expect(acc).toBe(plain.accuracy(x, t));
    expect(acc).toBeGreaterThan(0); // blobs: the untrained network gets some right
  });
});

describe('evaluation, output and callbacks', () => {
  it('evaluates on the first evaluateSampleNumPerEpoch samples, in batches', () => {
    const [x, t] = ids(23);
    const [xt, tt] = ids(40);
    const net = new Recorder();
    new Trainer(net, x, t, xt, tt, {
      epochs: 2,
      miniBatchSize: 5,
      evaluateSampleNumPerEpoch: 10,
      accuracyBatchSize: 4,
      verbose: false,
      seed: 0,
    }).train();
    // Two epochs × (train, test) on 10 samples each, then the final test accuracy on all 40.
    expect(net.evaluated).toEqual([
      [10, 4],
      [10, 4],
      [10, 4],
      [10, 4],
      [40, 4],
    ]);
  });

  it('prints the book’s lines through the logger', () => {
    const [x, t] = ids(23);
    const [xt, tt] = ids(30);
    const lines: string[] = [];
    new Trainer(new Recorder((call) => [2.5, 1, 1e-5][call % 3]), x, t, xt, tt, {
      epochs: 2,
      miniBatchSize: 10,
      seed: 0,
      logger: (line) => lines.push(line),
    }).train();
    expect(lines).toEqual([
      'train loss:1.0',
      'train loss:1e-05',
      'train loss:2.5',
      '=== epoch:1, train acc:0.5, test acc:1.0 ===',
      'train loss:1.0',
      'train loss:1e-05',
      'train loss:2.5',
      '=== epoch:2, train acc:0.5, test acc:1.0 ===',
      '=============== Final Test Accuracy ===============',
      'test acc:1.0',
    ]);
  });

  it('is silent when verbose is false and calls the progress callbacks', () => {
    const [x, t] = ids(23);
    const lines: string[] = [];
    const iters: number[] = [];
    const epochs: string[] = [];
    new Trainer(new Recorder(), x, t, x, t, {
      epochs: 2,
      miniBatchSize: 10,
      verbose: false,
      seed: 0,
      logger: (line) => lines.push(line),
      onIteration: (i) => iters.push(i.iter * 10 + i.epoch),
      onEpoch: (e) => epochs.push(`${e.epoch}/${e.epochs}@${e.iter} ${e.trainAcc} ${e.meanLoss}`),
    }).train();
    expect(lines).toEqual([]);
    expect(iters).toEqual([11, 21, 31, 42, 52, 62]);
    expect(epochs).toEqual(['1/2@3 0.5 0.5', '2/2@6 0.5 0.5']);
  });
});

/** SoftmaxRegression that also reports the loss of its gradient's pass, counting its passes. */
class FusedSoftmaxRegression extends SoftmaxRegression {
  lossCalls = 0;
  fusedCalls = 0;

  override loss(x: NDArray, t: NDArray): number {
    this.lossCalls++;
    return super.loss(x, t);
  }

  lossAndGradient(x: NDArray, t: NDArray): LossAndGradient {
    this.fusedCalls++;
    // the loss before the gradient (and before the trainer's update), as a network's forward pass
    const loss = super.loss(x, t);
    return { loss, grads: this.gradient(x, t) };
  }
}

describe('the recorded loss (lossMode)', () => {
  // the whole training set as one batch: the loss does not depend on the drawn order
  const options = { miniBatchSize: 1000, optimizer: 'sgd', verbose: false, seed: 0 } as const;

  it("records the gradient pass's loss, before the update, with no second pass (default)", () => {
    const net = new FusedSoftmaxRegression(2, 3);
    const before = new SoftmaxRegression(2, 3).loss(xTrain, tTrain); // the same initial weights
    const trainer = new Trainer(net, xTrain, tTrain, xTest, tTest, options);
    expect(trainer.lossMode).toBe('gradient');
    const loss = trainer.trainStep();
    expect(loss).toBeCloseTo(before, 12);
    expect(net.loss(xTrain, tTrain)).toBeLessThan(before); // the update happened after it
    expect([net.fusedCalls, net.lossCalls]).toEqual([1, 1]); // the loss() call: this test's
  });

  it("keeps the book's loss after the update with lossMode 'after-update'", () => {
    const net = new FusedSoftmaxRegression(2, 3);
    const trainer = new Trainer(net, xTrain, tTrain, xTest, tTest, {
      ...options,
      lossMode: 'after-update',
    });
    const loss = trainer.trainStep();
    expect(net.fusedCalls).toBe(0);
    expect(loss).toBeCloseTo(net.loss(xTrain, tTrain), 12);
  });

  it('stops on a NaN loss of the gradient pass before the update', () => {
    // finite gradients but a NaN loss: only the loss check can stop it
    const bad = new FusedSoftmaxRegression(2, 3);
    bad.lossAndGradient = (x, t) => ({ loss: NaN, grads: bad.gradient(x, t) });
    const W = bad.params.W.copy();
    const trainer = new Trainer(bad, xTrain, tTrain, xTest, tTest, options);
    expect(() => trainer.trainStep()).toThrow(
      'Trainer.trainStep: expected a finite loss, got NaN at iteration 1 (epoch 1)',
    );
    expect(bad.params.W.toList()).toEqual(W.toList()); // not updated
    expect(trainer.trainLossList).toHaveLength(0);
  });
});

describe('divergence and bad arguments', () => {
  it('stops on a NaN loss, naming the iteration', () => {
    const [x, t] = ids(23);
    const net = new Recorder((call) => (call === 7 ? NaN : 0.5));
    const trainer = new Trainer(net, x, t, x, t, { miniBatchSize: 5, verbose: false, seed: 0 });
    expect(() => trainer.train()).toThrow(
      'Trainer.trainStep: expected a finite loss, got NaN at iteration 7 (epoch 2)',
    );
    expect(trainer.trainLossList).toHaveLength(6);
  });

  it('stops on an infinite gradient before the update, naming the parameter', () => {
    const [x, t] = ids(23);
    const net = new Recorder(undefined, (call) => (call === 3 ? Infinity : 0.1));
    const trainer = new Trainer(net, x, t, x, t, {
      miniBatchSize: 5,
      optimizerParam: { lr: 1 },
      verbose: false,
      seed: 0,
    });
    let error: unknown;
    try {
      trainer.train();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as DivergenceError).message).toBe(
      'Trainer.trainStep: expected finite gradients, got Infinity in grads.w at iteration 3 (epoch 1)',
    );
    expect((error as DivergenceError).source).toBe('grads.w');
    expect(net.params.w.get(0)).toBeCloseTo(0.8, 12); // two good updates of −0.1, not the third
  });

  it('rejects inconsistent data and bad options', () => {
    const [x, t] = ids(23);
    const net = new Recorder();
    expect(() => new Trainer(net, x, zeros(22, 'int32'), x, t)).toThrow(
      'Trainer: expected tTrain with 23 samples like xTrain, got shape (22,)',
    );
    expect(() => new Trainer(net, x, t, x, t, { miniBatchSize: 0 })).toThrow(
      'Trainer: expected miniBatchSize to be a positive integer, got 0',
    );
    expect(() => new Trainer(net, x, t, x, t, { optimizer: 'adamw' })).toThrow(
      'createOptimizer: expected one of sgd, momentum, nesterov, adagrad, rmsprop, adam, got "adamw"',
    );
    expect(() => new Trainer(net, x, t, x, t, { seed: 1, rng: new Rng(1) })).toThrow(
      'Trainer: expected rng or seed, got both',
    );
    // @ts-expect-error sampling is a union of two names
    expect(() => new Trainer(net, x, t, x, t, { sampling: 'shuffle' })).toThrow(
      `Trainer: expected sampling 'epoch-shuffle' or 'with-replacement', got "shuffle"`,
    );
    // @ts-expect-error lossMode is a union of two names
    expect(() => new Trainer(net, x, t, x, t, { lossMode: 'book' })).toThrow(
      `Trainer: expected lossMode 'gradient' or 'after-update', got "book"`,
    );
  });
});
