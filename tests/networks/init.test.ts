// Tests of weight initialization (chapter 6.2): the book's scales by name and by number.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/ndarray/index.js';
import { initWeight, weightInitScale } from '../../src/networks/init.js';

describe('weightInitScale', () => {
  it("maps 'relu'/'he' to sqrt(2/n) and 'sigmoid'/'xavier' to sqrt(1/n), numbers to themselves", () => {
    expect(weightInitScale('he', 50)).toBe(Math.sqrt(2 / 50));
    expect(weightInitScale('relu', 50)).toBe(Math.sqrt(2 / 50));
    expect(weightInitScale('xavier', 100)).toBe(0.1);
    expect(weightInitScale('sigmoid', 100)).toBe(0.1);
    expect(weightInitScale(0.01, 784)).toBe(0.01);
  });

  it('rejects unknown names and bad numbers', () => {
    // @ts-expect-error: not a WeightInitStd
    expect(() => weightInitScale('glorot', 10)).toThrow(
      `weightInitStd: expected a non-negative number or one of 'he', 'relu', 'xavier', 'sigmoid', got "glorot"`,
    );
    expect(() => weightInitScale(-1, 10)).toThrow('got -1');
    expect(() => weightInitScale(0.1, 0)).toThrow(
      'weightInitScale: expected a positive integer number of inputs, got 0',
    );
  });
});

describe('initWeight', () => {
  it('draws scale · randn(fanIn, fanOut) from the generator, in the requested dtype', () => {
    const W = initWeight(new Rng(1), 4, 3, 0.5);
    expect(W.shape).toEqual([4, 3]);
    expect(W.toList()).toEqual(new Rng(1).randn(4, 3).mul(0.5).toList());
    const W32 = initWeight(new Rng(1), 4, 3, 0.5, 'float32');
    expect(W32.dtype).toBe('float32');
    expect(W32.toList()).toEqual(Array.from(new Float32Array(W.toList())));
  });

  it('gives He weights a standard deviation near sqrt(2 / fanIn)', () => {
    const W = initWeight(new Rng(2), 200, 300, 'he');
    expect(W.std().item()).toBeCloseTo(0.1, 2);
  });
});
