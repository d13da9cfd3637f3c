// The examples of chapter 5 (examples/ch05): the apple graph's numbers, the gradient check, a
// short training run well above chance, and the figure files; plus the shared example helpers.
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as buyApple from '../../examples/ch05/buy_apple.js';
import * as buyAppleOrange from '../../examples/ch05/buy_apple_orange.js';
import * as gradientCheck from '../../examples/ch05/gradient_check.js';
import * as trainNeuralnet from '../../examples/ch05/train_neuralnet.js';
import { parseExampleArgs, resolveOutDir, smoothCurve } from '../../examples/common.js';

const outDir = mkdtempSync(join(tmpdir(), 'scratchnet-ch05-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Collects the lines an example prints. */
function collector(): { lines: string[]; print: (line: string) => void } {
  const lines: string[] = [];
  return { lines, print: (line) => lines.push(...line.split('\n')) };
}

describe('ch05 apple graph (§5.4)', () => {
  it('buy_apple prints the book numbers', () => {
    const { lines, print } = collector();
    const r = buyApple.main(print);
    expect(lines).toEqual(['price: 220', 'dApple: 2.2', 'dApple_num: 110', 'dTax: 200']);
    expect(r.price).toBe(220.00000000000003); // 100 · 2 · 1.1 in float64; the book prints int()
    expect(r).toMatchObject({ dApple: 2.2, dTax: 200 });
    expect(r.dAppleNum).toBe(110.00000000000001); // 1.1 · 100; int() prints 110
  });

  it('buy_apple_orange prints the book numbers', () => {
    const { lines, print } = collector();
    const r = buyAppleOrange.main(print);
    expect(lines).toEqual([
      'price: 715',
      'dApple: 2.2',
      'dApple_num: 110',
      'dOrange: 3.3000000000000003', // 1.1 · 3; the book's text rounds it to 3.3
      'dOrange_num: 165',
      'dTax: 650',
    ]);
    expect(r.price).toBe(715.0000000000001);
    expect(r.dOrange).toBeCloseTo(3.3, 12);
    expect(r).toMatchObject({ dApple: 2.2, dOrangeNum: 165, dTax: 650 });
    expect(r.dAppleNum).toBeCloseTo(110, 12);
  });
});

describe('ch05 gradient_check (§5.7.3)', () => {
  it('backprop and numerical gradients agree below 1e-6 in float64', () => {
    const { lines, print } = collector();
    // 10 hidden units instead of 50 keeps the numerical gradient to a few seconds; the full
    // 784-50-10 run prints differences of 4e-10 … 1.4e-7.
    const diffs = gradientCheck.main(print, { hiddenSize: 10 });
    expect(Object.keys(diffs)).toEqual(['W1', 'b1', 'W2', 'b2']);
    for (const d of Object.values(diffs)) expect(d).toBeLessThan(1e-6);
    expect(lines.map((l) => l.split(':')[0])).toEqual(['W1', 'b1', 'W2', 'b2']);
  });
});

describe('ch05 train_neuralnet (§5.7.4)', () => {
  it('a short run reaches an accuracy well above chance and writes its figure', async () => {
    const { lines, print } = collector();
    const r = await trainNeuralnet.main(print, {
      itersNum: 150,
      trainSize: 3000,
      testSize: 1000,
      outDir,
    });
    // 3000 samples / batch 100: an epoch line at iterations 0, 30, 60, 90, 120.
    expect(r.trainAccList).toHaveLength(5);
    expect(lines.filter((l) => l.startsWith('train acc, test acc | '))).toHaveLength(5);
    expect(r.trainLossList).toHaveLength(150);
    expect(r.testAccList[0]).toBeLessThan(0.3); // chance is 0.1
    // 0.76–0.78 with seeds 0–3 (the full run reaches 0.97).
    expect(r.finalTestAcc).toBeGreaterThan(0.7);
    expect(r.trainLossList[149]).toBeLessThan(r.trainLossList[0]);
    const file = join(outDir, 'ch05', 'train_neuralnet.png');
    expect(r.figure).toBe(file);
    expect([...readFileSync(file).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  });
});

describe('example helpers (examples/common.ts)', () => {
  it('smoothCurve matches the book smooth_curve (NumPy)', () => {
    const x = Array.from({ length: 15 }, (_, i) => (i * i) % 7);
    // smooth_curve(x) from common/util.py, computed with NumPy 1.x.
    const expected = [
      2.164827016891044, 2.0510852209479524, 1.9695215879389028, 1.8969796826676226,
      1.896979682667623, 1.969521587938903, 2.051085220947952, 2.164827016891044,
      2.0510852209479524, 1.9695215879389028, 1.8445345087190168, 1.6665499801252723,
      1.7633513546887154, 1.8152786682672126, 1.8072651708674055,
    ];
    const y = smoothCurve(x);
    expect(y).toHaveLength(expected.length);
    y.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
    expect(smoothCurve(new Array(30).fill(2)).every((v) => Math.abs(v - 2) < 1e-12)).toBe(true);
  });

  it('resolveOutDir: the option, else SCRATCHNET_OUT, else out; null writes nothing', () => {
    const saved = process.env.SCRATCHNET_OUT;
    try {
      delete process.env.SCRATCHNET_OUT;
      expect(resolveOutDir(undefined)).toBe('out');
      process.env.SCRATCHNET_OUT = '/tmp/figs';
      expect(resolveOutDir(undefined)).toBe('/tmp/figs');
      expect(resolveOutDir('mine')).toBe('mine');
      expect(resolveOutDir(null)).toBeNull();
    } finally {
      if (saved === undefined) delete process.env.SCRATCHNET_OUT;
      else process.env.SCRATCHNET_OUT = saved;
    }
  });

  it('parseExampleArgs reads flags and names a wrong value', () => {
    const a = parseExampleArgs(
      ['iters'],
      ['lr'],
      ['--iters', '300', '--lr', '1e-3', '--no-plot', '7'],
    );
    expect(a.ints).toEqual({ iters: 300 });
    expect(a.numbers).toEqual({ lr: 0.001 });
    expect(a.outDir).toBeNull();
    expect(a.positionals).toEqual(['7']);
    expect(parseExampleArgs([], [], ['--out-dir', 'figs']).outDir).toBe('figs');
    expect(() => parseExampleArgs(['iters'], [], ['--iters', '2.5'])).toThrow(
      '--iters: expected a positive integer, got 2.5',
    );
    expect(() => parseExampleArgs([], [], ['--bogus'])).toThrow(/bogus/);
  });

  it('no figure is written with outDir null', async () => {
    const r = await trainNeuralnet.main(() => {}, {
      itersNum: 1,
      trainSize: 100,
      testSize: 100,
      outDir: null,
    });
    expect(r.figure).toBeNull();
    expect(existsSync(join(outDir, 'ch05', 'none'))).toBe(false);
  });
});
