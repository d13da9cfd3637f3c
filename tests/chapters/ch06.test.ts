// The examples of chapter 6 (examples/ch06): the optimizer paths of figure 6-8, the activation
// histograms, weight decay narrowing the train/test gap, short runs of the MNIST experiments, and
// their figure files.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { array } from '../../src/ndarray/index.js';
import * as optimizerCompareNaive from '../../examples/ch06/optimizer_compare_naive.js';
import * as optimizerCompareMnist from '../../examples/ch06/optimizer_compare_mnist.js';
import * as histogram from '../../examples/ch06/weight_init_activation_histogram.js';
import * as weightInitCompare from '../../examples/ch06/weight_init_compare.js';
import * as batchNormTest from '../../examples/ch06/batch_norm_test.js';
import * as batchNormGradientCheck from '../../examples/ch06/batch_norm_gradient_check.js';
import * as overfitWeightDecay from '../../examples/ch06/overfit_weight_decay.js';
import * as overfitDropout from '../../examples/ch06/overfit_dropout.js';
import * as hyperparameterOptimization from '../../examples/ch06/hyperparameter_optimization.js';

const outDir = mkdtempSync(join(tmpdir(), 'scratchnet-ch06-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Collects the lines an example prints. */
function collector(): { lines: string[]; print: (line: string) => void } {
  const lines: string[] = [];
  return { lines, print: (line) => lines.push(...line.split('\n')) };
}

/** Asserts `file` is a PNG. */
function expectPng(file: string): void {
  expect([...readFileSync(file).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
}

describe('ch06 optimizer_compare_naive (§6.1.7)', () => {
  it('prints each final point and draws the four paths', async () => {
    const { lines, print } = collector();
    const paths = await optimizerCompareNaive.main(print, { outDir });
    expect(paths.map((p) => p.name)).toEqual(['SGD', 'Momentum', 'AdaGrad', 'Adam']);
    for (const p of paths) {
      expect(p.xHistory).toHaveLength(30);
      expect([p.xHistory[0], p.yHistory[0]]).toEqual([-7, 2]);
    }
    // SGD with lr 0.95 scales x by 1 − 0.095 and y by 1 − 1.9 per step: closed form.
    const [sgd, momentum, adagrad, adam] = paths;
    expect(sgd.final[0]).toBeCloseTo(-7 * 0.905 ** 30, 12);
    expect(sgd.final[1]).toBeCloseTo(2 * (-0.9) ** 30, 12);
    // The others, as this implementation computes them (the book's update rules).
    expect(momentum.final[0]).toBeCloseTo(0.896413858493733, 10);
    expect(momentum.final[1]).toBeCloseTo(0.08808560171506971, 10);
    expect(adagrad.final[0]).toBeCloseTo(-0.12016232231416045, 10);
    expect(adagrad.final[1]).toBeCloseTo(0, 10);
    expect(adam.final[0]).toBeCloseTo(0.13600685239498153, 10);
    expect(adam.final[1]).toBeCloseTo(0.31824537553721954, 10);
    // Every optimizer ends much closer to the minimum than it started (f(-7, 2) = 6.45).
    for (const p of paths) expect(optimizerCompareNaive.f(...p.final)).toBeLessThan(0.15);
    expect(lines[0]).toMatch(/^SGD: x=-0\.3503929957\d*, y=0\.08478231655\d*, f=/);
    expectPng(join(outDir, 'ch06', 'optimizer_compare_naive.png'));
  });
});

describe('ch06 weight_init_activation_histogram (§6.2.2)', () => {
  it('counts every activation in [0, 1] into 30 bins per layer', async () => {
    const { lines, print } = collector();
    const results = await histogram.main(print, {
      configs: [
        { activation: 'sigmoid', weightInit: 1 },
        { activation: 'relu', weightInit: 'he' },
      ],
      samples: 200,
      outDir,
    });
    const [sig, relu] = results;
    expect(sig.counts).toHaveLength(5);
    for (const c of [...sig.counts, ...relu.counts]) expect(c).toHaveLength(30);
    // Sigmoid values all lie in (0, 1): every one is counted; std 1 piles them at both ends.
    for (const c of sig.counts) {
      expect(c.reduce((a, b) => a + b, 0)).toBe(200 * 100);
      expect(c[0] + c[29]).toBeGreaterThan(c.slice(10, 20).reduce((a, b) => a + b, 0));
    }
    // ReLU: about half the values are 0, in the first bin.
    expect(relu.counts[0][0]).toBeGreaterThan(0.4 * 200 * 100);
    expect(lines[0]).toBe('sigmoid, std=1');
    expect(lines[1]).toMatch(/^1-layer: (\d+ ){29}\d+$/);
    expectPng(join(outDir, 'ch06', 'weight_init_activation_histogram_relu_he.png'));
  });

  it('histogramCounts follows np.histogram (last bin closed, outside ignored)', () => {
    expect(histogram.histogramCounts(array([0, 0.1, 0.5, 1, 1.5, -0.1]), 2)).toEqual([2, 2]);
  });
});

describe('ch06 overfit_weight_decay (§6.4.2)', () => {
  it('weight decay (λ = 0.1) narrows the gap between train and test accuracy', async () => {
    const { lines, print } = collector();
    // A small, fast version of the book's experiment (seven layers, 300 images, lr 0.01, 201
    // epochs): two hidden layers of 50, 200 images, a larger learning rate so weight decay acts
    // within 25 epochs. Across seeds 0–3 the gap shrinks by 0.06–0.10.
    const [plain, decayed] = await overfitWeightDecay.main(print, {
      hiddenSizeList: [50, 50],
      trainSize: 200,
      testSize: 300,
      maxEpochs: 25,
      learningRate: 0.3,
      printEvery: 5,
      outDir,
    });
    expect(plain.trainAccList).toHaveLength(25);
    expect(plain.trainAccList[24]).toBeGreaterThan(0.95); // it overfits
    expect(decayed.gap).toBeLessThan(plain.gap - 0.03);
    expect(lines).toContain('=== weight_decay_lambda = 0.1 ===');
    expect(lines.filter((l) => /^λ=0(\.1)?: train acc .*, gap /.test(l))).toHaveLength(2);
    expectPng(join(outDir, 'ch06', 'overfit_weight_decay.png'));
  });
});

describe('ch06 MNIST experiments, shortened', () => {
  it('optimizer_compare_mnist trains four networks and prints their losses', async () => {
    const { lines, print } = collector();
    const loss = await optimizerCompareMnist.main(print, {
      maxIterations: 3,
      batchSize: 32,
      trainSize: 500,
      outDir: null,
    });
    expect(Object.keys(loss)).toEqual(['SGD', 'Momentum', 'AdaGrad', 'Adam']);
    for (const l of Object.values(loss)) expect(l).toHaveLength(3);
    expect(lines[0]).toBe('===========iteration:0===========');
    expect(lines[1]).toMatch(/^SGD:2\.\d+/);
    // Momentum's first step is SGD's (its velocity starts at 0), same weights and lr 0.01.
    expect(loss.Momentum[0]).toBe(loss.SGD[0]);
  });

  it('weight_init_compare trains three networks; with std 0.01 the output stays uniform', async () => {
    const loss = await weightInitCompare.main(() => {}, {
      maxIterations: 3,
      batchSize: 32,
      trainSize: 500,
      outDir: null,
    });
    expect(Object.keys(loss)).toEqual(['std=0.01', 'Xavier', 'He']);
    expect(loss['std=0.01'][2]).toBeCloseTo(Math.log(10), 2); // the output stays uniform
  });

  it('batch_norm_test prints both accuracies per epoch and draws the grid', async () => {
    const { lines, print } = collector();
    const runs = await batchNormTest.main(print, {
      numScales: 2,
      maxEpochs: 2,
      trainSize: 200,
      outDir,
    });
    expect(runs.map((r) => r.weightInitStd)).toEqual([1, 1e-4]);
    for (const r of runs) expect(r.bnTrainAccList).toHaveLength(2);
    expect(lines[0]).toBe('============== 1/2 ==============');
    expect(lines[1]).toMatch(/^epoch:0 \| [\d.]+ - [\d.]+$/);
    expectPng(join(outDir, 'ch06', 'batch_norm_test.png'));
    expect(batchNormTest.logspace(0, -4, 5)).toEqual([1, 0.1, 0.01, 0.001, 0.0001]);
  });

  it('batch_norm_gradient_check agrees through BatchNormalization (float64)', () => {
    const { lines, print } = collector();
    // Small hidden layers keep the numerical gradient to a few seconds. With three samples a
    // feature whose values nearly agree has a variance near the epsilon, where the central
    // difference is coarse: the differences are ~1e-6 at width 10 and ~1e-7 at width 100.
    const diffs = batchNormGradientCheck.main(print, { hiddenSizeList: [10, 10] });
    expect(Object.keys(diffs)).toEqual(
      expect.arrayContaining(['W1', 'b1', 'gamma1', 'beta1', 'gamma2', 'beta2', 'W3', 'b3']),
    );
    for (const d of Object.values(diffs)) expect(d).toBeLessThan(1e-5);
    expect(lines[0]).toMatch(/^W1:/);
  });

  it('overfit_dropout runs both networks through the Trainer', async () => {
    const { lines, print } = collector();
    const [plain, dropped] = await overfitDropout.main(print, {
      hiddenSizeList: [20, 20],
      trainSize: 100,
      testSize: 100,
      epochs: 2,
      outDir: null,
    });
    expect(plain.useDropout).toBe(false);
    expect(dropped.useDropout).toBe(true);
    expect(dropped.trainAccList).toHaveLength(2);
    expect(lines).toContain('=== use_dropout = True, dropout_ratio = 0.2 ===');
    expect(lines.some((l) => /^=== epoch:2, train acc:[\d.]+, test acc:[\d.]+ ===$/.test(l))).toBe(
      true,
    );
  });

  it('hyperparameter_optimization samples the book ranges and ranks the trials', async () => {
    const { lines, print } = collector();
    const trials = await hyperparameterOptimization.main(print, {
      optimizationTrial: 3,
      epochs: 1,
      trainSize: 150,
      outDir,
    });
    expect(trials).toHaveLength(3);
    for (const t of trials) {
      expect(t.lr).toBeGreaterThanOrEqual(1e-6);
      expect(t.lr).toBeLessThan(1e-2);
      expect(t.weightDecay).toBeGreaterThanOrEqual(1e-8);
      expect(t.weightDecay).toBeLessThan(1e-4);
    }
    const scores = trials.map((t) => t.valAccList[0]);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(lines).toContain('=========== Hyper-Parameter Optimization Result ===========');
    expect(lines.filter((l) => l.startsWith('Best-'))).toHaveLength(3);
    expectPng(join(outDir, 'ch06', 'hyperparameter_optimization.png'));
    expectPng(join(outDir, 'ch06', 'hyperparameter_optimization_scatter.png'));
  });
});
