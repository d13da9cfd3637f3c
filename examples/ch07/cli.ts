// Command-line flags shared by the chapter 7–8 examples (not a book listing): `--quick` (or
// SCRATCHNET_QUICK=1) for a short run, `--params FILE.npz`, `--epochs N`, `--out FILE.npz`,
// `--train-size N` / `--test-size N` (the first N images only).
import * as fs from 'node:fs';
import { loadMnist, type MnistData } from '../../src/data/mnist.js';
import { kernels, type NDArray } from '../../src/ndarray/index.js';
import { yieldToFinalizers } from '../../src/ndarray/kernels/wasm/index.js';
import type { Network } from '../../src/networks/types.js';
import { initWasmNodeSync } from '../../src/node/threads.js';
import { Trainer } from '../../src/training/trainer.js';
import { pyFloat, type Print } from '../ch01/python.js';

/** The flags of a chapter 7–8 example. */
export interface ExampleFlags {
  /** A short run: a few thousand samples, one epoch. */
  quick: boolean;
  /** Trained parameters to load (an .npz written by np.savez or by these examples). */
  params?: string;
  /** Epochs to train. */
  epochs?: number;
  /** Where to save the trained parameters. */
  out?: string;
  /** Train on the first this many training images (overrides the size `quick` picks). */
  trainSize?: number;
  /** Evaluate on the first this many test images (overrides the size `quick` picks). */
  testSize?: number;
}

/** Reads the flags from `argv` (default: this process's arguments) and SCRATCHNET_QUICK. */
export function parseFlags(argv: readonly string[] = process.argv.slice(2)): ExampleFlags {
  const flags: ExampleFlags = { quick: process.env.SCRATCHNET_QUICK === '1' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a}: expected a value, got nothing`);
      return v;
    };
    if (a === '--quick') flags.quick = true;
    else if (a === '--params') flags.params = value();
    else if (a === '--out') flags.out = value();
    else if (a === '--epochs') flags.epochs = positiveInt(a, value());
    else if (a === '--train-size') flags.trainSize = positiveInt(a, value());
    else if (a === '--test-size') flags.testSize = positiveInt(a, value());
    else {
      throw new Error(
        'expected --quick, --params FILE, --epochs N, --out FILE, --train-size N or ' +
          `--test-size N, got ${a}`,
      );
    }
  }
  return flags;
}

function positiveInt(flag: string, v: string): number {
  const n = Number(v);
  if (!(Number.isInteger(n) && n > 0))
    throw new Error(`${flag}: expected a positive integer, got ${v}`);
  return n;
}

/** Whether `file` exists (to fall back gracefully when no trained parameters are around). */
export function exists(file: string | undefined): file is string {
  return file !== undefined && fs.existsSync(file);
}

/**
 * MNIST as images (N, 1, 28, 28), the book's `load_mnist(flatten=False)`, in float32; with
 * `trainSize`/`testSize` only the first samples (the book's commented-out "reduce the data" lines).
 */
export function loadMnistImages(trainSize?: number, testSize?: number): MnistData {
  const d = loadMnist({ flatten: false, dtype: 'float32' });
  const head = (n: number | undefined) => (n === undefined ? ':' : `:${n}`);
  return {
    xTrain: d.xTrain.index(head(trainSize)),
    tTrain: d.tTrain.index(head(trainSize)),
    xTest: d.xTest.index(head(testSize)),
    tTest: d.tTest.index(head(testSize)),
  };
}

/** Milliseconds as `12.3 s` or `4 min 5 s`. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/**
 * Switches to the WebAssembly kernels (all cores; SCRATCHNET_BACKEND=reference keeps the
 * reference ones) and returns the name of the kernels in use. The long trainings need them: the
 * reference kernels take about ten times as long.
 */
export function useFastKernels(print: Print = console.log): string {
  try {
    // 4 GiB of wasm memory: the evaluation of 1000 samples inside one synchronous Trainer step
    // allocates about 2 GB for DeepConvNet before its garbage can be returned (see below).
    initWasmNodeSync({ maxMemoryMB: 4096 });
  } catch (e) {
    print(`fast kernels unavailable (${(e as Error).message}): using the reference kernels`);
  }
  return kernels().name;
}

/**
 * Fraction of correct predictions, batchSize at a time in test mode, yielding to the event loop
 * after each batch (see {@link trainYielding}).
 */
export async function accuracyYielding(
  network: Network,
  x: NDArray,
  t: NDArray,
  batchSize = 100,
): Promise<number> {
  const N = x.shape[0];
  const labels = t.ndim === 2 ? t.argmax(1).data : t.data;
  let correct = 0;
  for (let start = 0; start < N; start += batchSize) {
    const stop = Math.min(N, start + batchSize);
    const y = network.predict(x.index(`${start}:${stop}`), false).argmax(1).data;
    for (let i = 0; i < y.length; i++) if (y[i] === labels[start + i]) correct++;
    await yieldToFinalizers();
  }
  return correct / N;
}

/** Options of {@link trainAdam}: the book's train_convnet / train_deepnet Trainer settings. */
export interface TrainAdamOptions {
  epochs: number;
  /** Default 100. */
  miniBatchSize?: number;
  /** Adam's learning rate. Default 0.001. */
  lr?: number;
  /** Accuracies each epoch on the first this many training and test samples. Default 1000. */
  evaluateSampleNumPerEpoch?: number;
  /** Seed of the mini-batch order. */
  seed?: number;
  /** Print the Trainer's lines (`train loss:…` per iteration). Default true. */
  verbose?: boolean;
}

/** What {@link trainAdam} produced. */
export interface TrainAdamResult {
  testAcc: number;
  trainLossList: number[];
  trainAccList: number[];
  testAccList: number[];
}

/**
 * The book's `Trainer(network, …, optimizer='Adam', evaluate_sample_num_per_epoch=1000).train()`,
 * printing the same lines, but with a turn of the event loop after every iteration and every
 * evaluated batch. The wasm kernels keep arrays in WebAssembly memory and get it back from garbage
 * arrays through a FinalizationRegistry, whose callbacks run only between event-loop turns: a
 * synchronous loop — Trainer.train(), or the evaluation of 1000 samples inside one trainStep() —
 * fills that memory (a RangeError "got a full heap"). So the per-epoch accuracies are measured
 * here, between steps, instead of inside the Trainer.
 */
export async function trainAdam(
  network: Network,
  { xTrain, tTrain, xTest, tTest }: MnistData,
  print: Print,
  {
    epochs,
    miniBatchSize = 100,
    lr = 0.001,
    evaluateSampleNumPerEpoch = 1000,
    seed,
    verbose = true,
  }: TrainAdamOptions,
): Promise<TrainAdamResult> {
  // Trainer.trainAsync evaluates each epoch on the first evaluateSampleNumPerEpoch samples, one
  // batch per turn of the event loop, so the wasm kernels reclaim memory throughout.
  const trainer = new Trainer(network, xTrain, tTrain, xTest, tTest, {
    epochs,
    miniBatchSize,
    optimizer: 'Adam',
    optimizerParam: { lr },
    evaluateSampleNumPerEpoch,
    verbose: false,
    onIteration: ({ loss }) => {
      if (verbose) print(`train loss:${pyFloat(loss)}`);
    },
    onEpoch: ({ epoch, trainAcc, testAcc }) =>
      print(`=== epoch:${epoch}, train acc:${pyFloat(trainAcc)}, test acc:${pyFloat(testAcc)} ===`),
    ...(seed !== undefined && { seed }),
  });
  const testAcc = await trainer.trainAsync();
  print('=============== Final Test Accuracy ===============');
  print(`test acc:${pyFloat(testAcc)}`);
  const { trainAccList, testAccList } = trainer;
  return {
    testAcc,
    trainLossList: [...trainer.trainLossList],
    trainAccList: [...trainAccList],
    testAccList: [...testAccList],
  };
}
