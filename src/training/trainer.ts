// Trainer: the training loop of the book's common/trainer.py (chapter 6 and 7) — mini-batches,
// optimizer updates, per-epoch evaluation and a history of losses and accuracies.
//
// The epoch rule (a deliberate change from the book). The book draws every mini-batch with
// replacement (`np.random.choice(train_size, batch_size)`) and detects an epoch with
// `current_iter % iter_per_epoch == 0` on the float `iter_per_epoch = max(train_size / batch_size, 1)`:
// when the division is not exact (1000 samples, batch 300 → 3.33…) the modulo is 0 only at
// iteration 0, so a run records one accuracy instead of one per epoch. Here:
//   - iterPerEpoch = max(ceil(trainSize / miniBatchSize), 1), an integer, and
//     maxIter = epochs · iterPerEpoch;
//   - with the default sampling 'epoch-shuffle', each epoch is one pass over a fresh permutation of
//     the training set, without replacement: every sample is seen exactly once per epoch (the last
//     batch of an epoch is smaller when the division is not exact);
//   - sampling 'with-replacement' keeps the book's draws (miniBatchSize indices, with replacement);
//   - an epoch ends after its last iteration, and the accuracies are measured then, so
//     trainAccList/testAccList hold one value per epoch and their last value is the trained
//     network's (the book measures right after the first iteration of each epoch, i.e. at
//     iterations 0, ipe, 2·ipe, …, and never after the last one).
//
// The recorded loss (a second deliberate change, for speed). The book's trainer runs the network a
// second time after every update only to print the loss (`loss = network.loss(x_batch, t_batch)`,
// in test mode) — a full forward pass, a quarter to a third of an iteration. Here the default
// lossMode 'gradient' records the loss of the forward pass the gradient already ran: the same
// mini-batch, before the update, in training mode (with dropout where the network has it), as
// PyTorch and Keras report it. lossMode 'after-update' keeps the book's extra pass.
import {
  NDArray,
  Rng,
  formatShape,
  kernels,
  releaseStorage,
  sharesStorage,
  rowsView,
  takeAhead,
  yieldToFinalizers,
  type FloatArray,
} from '../ndarray/index.js';
import type { Network, Params } from '../networks/types.js';
import {
  createOptimizer,
  type AnyOptimizerOptions,
  type Optimizer,
  type OptimizerName,
} from '../optimizers/index.js';

/** How mini-batches are drawn. */
export type Sampling = 'epoch-shuffle' | 'with-replacement';

/**
 * Which loss an iteration records: that of the gradient's own forward pass ('gradient', before
 * the update, training mode), or the book's second pass after the update ('after-update', test mode).
 */
export type LossMode = 'gradient' | 'after-update';

/** What {@link TrainerOptions.onIteration} receives after each iteration. */
export interface IterationInfo {
  /** Iterations done so far, counted from 1 (this one included). */
  iter: number;
  /** Total iterations of train(): epochs · iterPerEpoch. */
  maxIter: number;
  /** The epoch this iteration belongs to, counted from 1. */
  epoch: number;
  /** Iterations per epoch. */
  iterPerEpoch: number;
  /** Loss on this iteration's mini-batch, after the update (as the book records it). */
  loss: number;
  /** Samples in this iteration's mini-batch. */
  batchSize: number;
}

/** What {@link TrainerOptions.onEpoch} receives at the end of each epoch. */
export interface EpochInfo {
  /** Epochs done so far, counted from 1. */
  epoch: number;
  /** Epochs train() runs. */
  epochs: number;
  /** Iterations done so far. */
  iter: number;
  /** Accuracy on the (first evaluateSampleNumPerEpoch) training samples. */
  trainAcc: number;
  /** Accuracy on the (first evaluateSampleNumPerEpoch) test samples. */
  testAcc: number;
  /** Mean mini-batch loss over this epoch's iterations. */
  meanLoss: number;
}

/** Options of {@link Trainer}, the book's keyword arguments in camelCase. */
export interface TrainerOptions {
  /** Passes over the training set. Default 20. */
  epochs?: number;
  /** Samples per mini-batch. Default 100. */
  miniBatchSize?: number;
  /** An optimizer by name (case-insensitive, as in the book) or an optimizer object. Default 'sgd'. */
  optimizer?: OptimizerName | (string & {}) | Optimizer;
  /** Options of a named optimizer (ignored for an optimizer object). Default `{ lr: 0.01 }`. */
  optimizerParam?: AnyOptimizerOptions;
  /** Evaluate each epoch on the first N training and test samples only (all when omitted). */
  evaluateSampleNumPerEpoch?: number | null;
  /** Print the book's lines (`train loss:…` each iteration, `=== epoch:… ===` each epoch). Default true. */
  verbose?: boolean;
  /** Seed of the mini-batch sampling (a fresh random seed when neither seed nor rng is given). */
  seed?: number;
  /** The generator of the mini-batch sampling, instead of `seed`. */
  rng?: Rng;
  /** Shuffled passes without replacement (default) or the book's draws with replacement. */
  sampling?: Sampling;
  /**
   * The loss of the gradient's forward pass (default 'gradient': no extra pass), or the book's
   * loss after the update ('after-update': one more forward pass per iteration). See the top of
   * this file.
   */
  lossMode?: LossMode;
  /** Batch size of the accuracy evaluations (bounds their memory). Default 100, as the book's networks. */
  accuracyBatchSize?: number;
  /** Where verbose lines go. Default console.log. */
  logger?: (line: string) => void;
  /** Called after every iteration (progress bars). */
  onIteration?: (info: IterationInfo) => void;
  /** Called at the end of every epoch, after the evaluation. */
  onEpoch?: (info: EpochInfo) => void;
  /**
   * Turns a slice of xTrain/xTest into network input, applied to every mini-batch and evaluation
   * batch — e.g. `(x) => normalizeImages(x)` keeps MNIST as uint8 (a quarter of the memory)
   * until a batch needs it. It must return its argument or a new array that it keeps no
   * reference to: the trainer hands a new array's storage back to the allocator once the batch
   * is done (see recycleBatch). Evaluations prepare at most PREPARE_ROWS (2048) rows at a time.
   */
  prepare?: (x: NDArray) => NDArray;
}

/** The Trainer's record of a run, JSON-serialisable. */
export interface TrainingHistory {
  /** Loss per iteration. */
  trainLossList: number[];
  /** Training accuracy per epoch. */
  trainAccList: number[];
  /** Test accuracy per epoch. */
  testAccList: number[];
  iterPerEpoch: number;
  miniBatchSize: number;
  sampling: Sampling;
}

/** Training stopped because a loss or gradient was NaN or ±Infinity. */
export class DivergenceError extends Error {
  /** The iteration (counted from 1) where it appeared. */
  readonly iteration: number;
  /** The epoch (counted from 1) of that iteration. */
  readonly epoch: number;
  /** `'loss'` or the gradient's name, e.g. `'grads.W1'`. */
  readonly source: string;

  constructor(message: string, iteration: number, epoch: number, source: string) {
    super(message);
    this.name = 'DivergenceError';
    this.iteration = iteration;
    this.epoch = epoch;
    this.source = source;
  }
}

/**
 * The longest trainAsync/accuracyAsync run without a turn of the event loop, in ms: short enough
 * for a page to stay responsive and the wasm heap's finalizers to keep up, long enough that the
 * turns cost nothing measurable.
 */
const YIELD_MS = 4;

/**
 * Rows an evaluation passes through `prepare` at once, whatever accuracyBatchSize says: MNIST
 * scaled to float32 takes 6.4 MB, which stays in the cache between its preparation and the
 * network's pass over it (8192 rows measured slower: 1.25 against 1.12 s for the chapter 5
 * run's 17 evaluations).
 */
const PREPARE_ROWS = 2048;

/** Python's `str(float)`, so verbose lines read like the book's (`1.0`, `1e-05`). */
function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) {
    const [mant, exp] = x.toExponential().split('e');
    const e = Number(exp);
    return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const s = String(x);
  return Number.isInteger(x) ? `${s}.0` : s;
}

function positiveInteger(where: string, name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${where}: expected ${name} to be a positive integer, got ${String(value)}`);
  }
  return value;
}

function rows(where: string, name: string, a: NDArray): number {
  if (!(a instanceof NDArray) || a.ndim === 0 || a.shape[0] === 0) {
    const got = a instanceof NDArray ? `shape ${formatShape(a.shape)}` : typeof a;
    throw new Error(
      `${where}: expected ${name} to be an array with at least one sample, got ${got}`,
    );
  }
  return a.shape[0];
}

/** The first non-finite element of `a`, or undefined (a kernel checks; the loop runs only to name it). */
function firstNonFinite(a: NDArray): number | undefined {
  const d = a.data;
  if (a.isFloat && kernels().allFinite(d as FloatArray)) return undefined;
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return d[i];
  return undefined;
}

/**
 * Trains a network with mini-batch gradient descent (the book's common/trainer.py), keeping the
 * loss of every iteration and the train/test accuracy of every epoch. See the top of this file for
 * the epoch rule.
 *
 * The mini-batches are the trainer's own copies, and it hands each one's memory back one
 * iteration later (releaseStorage): a network may keep its input until its next forward pass, as
 * the book's layers do, but not longer, and may not write it. Each iteration draws the next
 * mini-batch and has it gathered in the background (takeAhead: on a worker thread of the wasm
 * kernels), so the draws, and the run, are the same as drawing each batch when it is used.
 * @example
 * const trainer = new Trainer(net, xTrain, tTrain, xTest, tTest,
 *   { epochs: 2, optimizer: 'adam', optimizerParam: { lr: 0.001 }, seed: 1, verbose: false });
 * const testAcc = trainer.train(); // trainer.trainLossList, .trainAccList, .testAccList
 */
export class Trainer {
  readonly network: Network;
  readonly xTrain: NDArray;
  readonly tTrain: NDArray;
  readonly xTest: NDArray;
  readonly tTest: NDArray;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: Optimizer;
  readonly sampling: Sampling;
  readonly lossMode: LossMode;
  readonly trainSize: number;
  /** max(ceil(trainSize / miniBatchSize), 1): an integer, so every epoch is detected. */
  readonly iterPerEpoch: number;
  /** epochs · iterPerEpoch: the iterations train() runs. */
  readonly maxIter: number;
  /** Iterations done so far. */
  currentIter = 0;
  /** Epochs done so far. */
  currentEpoch = 0;
  /** Loss per iteration, on its mini-batch (before or after the update: see lossMode). */
  readonly trainLossList: number[] = [];
  /** Training accuracy at the end of each epoch. */
  readonly trainAccList: number[] = [];
  /** Test accuracy at the end of each epoch. */
  readonly testAccList: number[] = [];

  private readonly verbose: boolean;
  private readonly rng: Rng;
  private readonly accuracyBatchSize: number;
  private readonly log: (line: string) => void;
  private readonly onIteration: ((info: IterationInfo) => void) | undefined;
  private readonly onEpoch: ((info: EpochInfo) => void) | undefined;
  private readonly prepare: ((x: NDArray) => NDArray) | undefined;
  private readonly evalTrain: [NDArray, NDArray];
  private readonly evalTest: [NDArray, NDArray];
  /** This epoch's permutation of the training indices (epoch-shuffle sampling). */
  private order: Int32Array = new Int32Array(0);
  private epochLossSum = 0;
  /** The arrays of the latest mini-batch that this trainer made (see recycleBatch). */
  private lastBatch: NDArray[] = [];
  /** The next iteration's mini-batch: its indices, and its rows once the gather is finished. */
  private ahead: { batch: NDArray; x: () => NDArray } | undefined;

  /**
   * @param network the network to train; its params are updated in place
   * @param xTrain (N, …) training inputs  @param tTrain (N,) labels or (N, classes) one-hot
   * @param xTest (M, …) test inputs  @param tTest (M,) labels or (M, classes) one-hot
   */
  constructor(
    network: Network,
    xTrain: NDArray,
    tTrain: NDArray,
    xTest: NDArray,
    tTest: NDArray,
    {
      epochs = 20,
      miniBatchSize = 100,
      optimizer = 'sgd',
      optimizerParam = { lr: 0.01 },
      evaluateSampleNumPerEpoch = null,
      verbose = true,
      seed,
      rng,
      sampling = 'epoch-shuffle',
      lossMode = 'gradient',
      accuracyBatchSize = 100,
      logger = (line: string) => console.log(line),
      onIteration,
      onEpoch,
      prepare,
    }: TrainerOptions = {},
  ) {
    const where = 'Trainer';
    const n = rows(where, 'xTrain', xTrain);
    if (rows(where, 'tTrain', tTrain) !== n) {
      throw new Error(
        `${where}: expected tTrain with ${n} samples like xTrain, got shape ${formatShape(tTrain.shape)}`,
      );
    }
    const m = rows(where, 'xTest', xTest);
    if (rows(where, 'tTest', tTest) !== m) {
      throw new Error(
        `${where}: expected tTest with ${m} samples like xTest, got shape ${formatShape(tTest.shape)}`,
      );
    }
    if (lossMode !== 'gradient' && lossMode !== 'after-update') {
      throw new Error(
        `${where}: expected lossMode 'gradient' or 'after-update', got ${JSON.stringify(lossMode)}`,
      );
    }
    if (sampling !== 'epoch-shuffle' && sampling !== 'with-replacement') {
      throw new Error(
        `${where}: expected sampling 'epoch-shuffle' or 'with-replacement', got ${JSON.stringify(sampling)}`,
      );
    }
    if (rng !== undefined && seed !== undefined) {
      throw new Error(`${where}: expected rng or seed, got both`);
    }
    this.network = network;
    this.xTrain = xTrain;
    this.tTrain = tTrain;
    this.xTest = xTest;
    this.tTest = tTest;
    this.epochs = positiveInteger(where, 'epochs', epochs);
    this.batchSize = positiveInteger(where, 'miniBatchSize', miniBatchSize);
    this.accuracyBatchSize = positiveInteger(where, 'accuracyBatchSize', accuracyBatchSize);
    this.optimizer =
      typeof optimizer === 'string' ? createOptimizer(optimizer, optimizerParam) : optimizer;
    this.sampling = sampling;
    this.lossMode = lossMode;
    this.trainSize = n;
    this.iterPerEpoch = Math.max(Math.ceil(n / this.batchSize), 1);
    this.maxIter = this.epochs * this.iterPerEpoch;
    this.verbose = verbose;
    this.rng = rng ?? new Rng(seed);
    this.log = logger;
    this.onIteration = onIteration;
    this.onEpoch = onEpoch;
    this.prepare = prepare;

    // The book evaluates each epoch on the first t samples of each set when t is given.
    if (evaluateSampleNumPerEpoch === null || evaluateSampleNumPerEpoch === undefined) {
      this.evalTrain = [xTrain, tTrain];
      this.evalTest = [xTest, tTest];
    } else {
      const t = positiveInteger(where, 'evaluateSampleNumPerEpoch', evaluateSampleNumPerEpoch);
      const head = `:${t}`;
      this.evalTrain = t >= n ? [xTrain, tTrain] : [xTrain.index(head), tTrain.index(head)];
      this.evalTest = t >= m ? [xTest, tTest] : [xTest.index(head), tTest.index(head)];
    }
  }

  /** The indices of the mini-batch of iteration `iter` (0-based; int32, (B,)), drawn in order. */
  private nextBatch(iter: number): NDArray {
    if (this.sampling === 'with-replacement') {
      return this.rng.choice(this.trainSize, this.batchSize); // np.random.choice(train_size, batch_size)
    }
    const k = iter % this.iterPerEpoch;
    if (k === 0) this.order = this.rng.permutation(this.trainSize).data as Int32Array;
    const start = k * this.batchSize;
    const picks = this.order.slice(start, Math.min(start + this.batchSize, this.trainSize));
    return new NDArray(picks, [picks.length]);
  }

  /**
   * One iteration: draw a mini-batch, compute the gradients, update the parameters, record the
   * loss; at the end of an epoch, measure and record the train/test accuracies.
   * @returns the mini-batch loss (of the gradient's forward pass, or after the update: lossMode)
   * @throws {DivergenceError} when a gradient or the gradient's loss is NaN/±Infinity (the
   *   parameters are left as they were), or the loss after the update is (lossMode
   *   'after-update'; the update has been applied)
   */
  trainStep(): number {
    const loss = this.iterate();
    if (this.currentIter % this.iterPerEpoch === 0) {
      this.endEpoch(this.accuracy(...this.evalTrain), this.accuracy(...this.evalTest));
    }
    return loss;
  }

  /** One iteration without the end-of-epoch evaluation; returns the mini-batch loss. */
  private iterate(): number {
    const iteration = this.currentIter + 1;
    const epoch = Math.floor(this.currentIter / this.iterPerEpoch) + 1;
    const ahead = this.ahead;
    this.ahead = undefined;
    const batch = ahead?.batch ?? this.nextBatch(this.currentIter);
    const xRows = ahead ? ahead.x() : this.xTrain.take(batch, 0);
    const xBatch = this.prepare ? this.prepare(xRows) : xRows;
    const tBatch = this.tTrain.take(batch, 0);
    // a new array from prepare is released with the batch (its contract); a view of xRows is not
    const fresh = !sharesStorage(xBatch.data, xRows.data);
    this.recycleBatch(fresh ? [xRows, tBatch, xBatch] : [xRows, tBatch]);
    // The next mini-batch is drawn now (the same draws in the same order) and gathered in the
    // background (on a worker of the wasm kernels) while this one trains; without prepare, whose
    // result the network sees instead, its pack for a first Affine layer too (takeAhead).
    if (iteration < this.maxIter) {
      const next = this.nextBatch(iteration);
      this.ahead = { batch: next, x: takeAhead(this.xTrain, next, !this.prepare) };
    }

    // lossMode 'gradient': the loss of the gradient's own forward pass, when the network reports it.
    let loss: number | undefined;
    let grads: Params;
    if (this.lossMode === 'gradient' && this.network.lossAndGradient) {
      ({ loss, grads } = this.network.lossAndGradient(xBatch, tBatch));
    } else {
      grads = this.network.gradient(xBatch, tBatch);
    }
    const diverged = (source: string, expected: string) =>
      new DivergenceError(
        `Trainer.trainStep: expected ${expected} at iteration ${iteration} (epoch ${epoch})`,
        iteration,
        epoch,
        source,
      );
    // Checked before the update, so the parameters stay the last good ones.
    for (const [key, g] of Object.entries(grads)) {
      const bad = firstNonFinite(g);
      if (bad !== undefined)
        throw diverged(`grads.${key}`, `finite gradients, got ${bad} in grads.${key}`);
    }
    if (loss !== undefined && !Number.isFinite(loss))
      throw diverged('loss', `a finite loss, got ${loss}`);
    this.optimizer.update(this.network.params, grads);
    if (loss === undefined) {
      // the book's loss: a second forward pass, after the update, in test mode
      loss = this.network.loss(xBatch, tBatch);
      if (!Number.isFinite(loss)) throw diverged('loss', `a finite loss, got ${loss}`);
    }
    this.trainLossList.push(loss);
    this.epochLossSum += loss;
    if (this.verbose) this.log(`train loss:${pyFloat(loss)}`);
    this.currentIter = iteration;
    this.onIteration?.({
      iter: iteration,
      maxIter: this.maxIter,
      epoch,
      iterPerEpoch: this.iterPerEpoch,
      loss,
      batchSize: batch.size,
    });
    return loss;
  }

  /**
   * Hands the storage of the previous iteration's batch (the copies take() made) back to the
   * allocator once this iteration's batch exists, and keeps this one for the next call. Left to
   * the garbage collector, a batch's block returns only at the next full collection, some hundred
   * batches later, long evicted from the cache: writing the next batch into such a block cost
   * more than the copy itself (MNIST, 100 rows of float32: 45 → 12 µs a gather). Nothing reads
   * the old batch again: the layers that held it get the new one in the forward pass below, and
   * the last batch of a run is never released. take() always copies, so the training set itself
   * is never released; what `prepare` returns is released too when it is a new array (its
   * contract: it keeps no reference to it).
   */
  private recycleBatch(batch: NDArray[]): void {
    for (const a of this.lastBatch) releaseStorage(a.data);
    this.lastBatch = batch;
  }

  private endEpoch(trainAcc: number, testAcc: number): void {
    this.currentEpoch++;
    this.trainAccList.push(trainAcc);
    this.testAccList.push(testAcc);
    const meanLoss = this.epochLossSum / this.iterPerEpoch;
    this.epochLossSum = 0;
    if (this.verbose) {
      this.log(
        `=== epoch:${this.currentEpoch}, train acc:${pyFloat(trainAcc)}, test acc:${pyFloat(testAcc)} ===`,
      );
    }
    this.onEpoch?.({
      epoch: this.currentEpoch,
      epochs: this.epochs,
      iter: this.currentIter,
      trainAcc,
      testAcc,
      meanLoss,
    });
  }

  /** The network's accuracy on (x, t), through `prepare` one batch at a time when it is set. */
  accuracy(x: NDArray, t: NDArray): number {
    if (!this.prepare) return this.network.accuracy(x, t, this.accuracyBatchSize);
    let correct = 0;
    for (const [start, end] of this.batches(x)) correct += this.correctIn(x, t, start, end);
    return x.shape[0] === 0 ? 0 : correct / x.shape[0];
  }

  /**
   * accuracy(), with a turn of the event loop between batches at least every YIELD_MS, so the
   * wasm backend reclaims the memory of the batches' arrays during a long evaluation. Same result
   * as accuracy().
   */
  async accuracyAsync(x: NDArray, t: NDArray): Promise<number> {
    let correct = 0;
    for (const [start, end] of this.batches(x)) {
      correct += this.correctIn(x, t, start, end);
      await this.breathe();
    }
    return x.shape[0] === 0 ? 0 : correct / x.shape[0];
  }

  private *batches(x: NDArray): Generator<[number, number]> {
    const n = x.shape[0];
    const size = this.prepare
      ? Math.min(this.accuracyBatchSize, PREPARE_ROWS)
      : this.accuracyBatchSize;
    for (let i = 0; i < n; i += size) yield [i, Math.min(i + size, n)];
  }

  /** Correct predictions among samples [start, end). */
  private correctIn(x: NDArray, t: NDArray, start: number, end: number): number {
    const rows = rowsView(x, start, end);
    const xb = this.prepare ? this.prepare(rows) : rows;
    const acc = this.network.accuracy(xb, rowsView(t, start, end), end - start);
    // a new array from prepare (its contract) is dead now; rows or a view of them is the data
    if (!sharesStorage(xb.data, rows.data)) releaseStorage(xb.data);
    return Math.round(acc * (end - start));
  }

  /**
   * Runs the remaining iterations up to maxIter, then measures the accuracy on the whole test set.
   * @returns the final test accuracy
   */
  train(): number {
    while (this.currentIter < this.maxIter) this.trainStep();
    return this.finish(this.accuracy(this.xTest, this.tTest));
  }

  /**
   * train(), yielding to the event loop between iterations at least every YIELD_MS: progress
   * output appears, a page stays responsive, and the wasm backend reclaims the memory of
   * collected arrays (its finalizers only run between tasks), so memory stays flat over a long
   * run. Same results as train().
   */
  async trainAsync(): Promise<number> {
    while (this.currentIter < this.maxIter) {
      this.iterate();
      if (this.currentIter % this.iterPerEpoch === 0) {
        this.endEpoch(
          await this.accuracyAsync(...this.evalTrain),
          await this.accuracyAsync(...this.evalTest),
        );
      }
      await this.breathe();
    }
    return this.finish(await this.accuracyAsync(this.xTest, this.tTest));
  }

  /** When the latest turn of the event loop was taken (performance.now()). */
  private lastYield = 0;

  /**
   * Yields to the event loop when YIELD_MS have passed since the last time: a turn costs 10–20 µs
   * in a training loop, as much as a twentieth of a small network's iteration.
   */
  private async breathe(): Promise<void> {
    if (performance.now() - this.lastYield < YIELD_MS) return;
    await yieldToFinalizers();
    this.lastYield = performance.now();
  }

  private finish(testAcc: number): number {
    if (this.verbose) {
      this.log('=============== Final Test Accuracy ===============');
      this.log(`test acc:${pyFloat(testAcc)}`);
    }
    return testAcc;
  }

  /** The history so far, as plain data (e.g. for a `--history FILE.json`). */
  get history(): TrainingHistory {
    return {
      trainLossList: [...this.trainLossList],
      trainAccList: [...this.trainAccList],
      testAccList: [...this.testAccList],
      iterPerEpoch: this.iterPerEpoch,
      miniBatchSize: this.batchSize,
      sampling: this.sampling,
    };
  }
}
