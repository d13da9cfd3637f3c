// The seeded generator: same seed → same numbers; distributions and sampling rules.
import { describe, expect, it } from 'vitest';
import { arange, Rng } from '../../src/index.js';

describe('Rng', () => {
  it('repeats its numbers for the same seed and differs for another', () => {
    expect(new Rng(42).randn(5).toList()).toEqual(new Rng(42).randn(5).toList());
    expect(new Rng(42).rand(5).toList()).not.toEqual(new Rng(43).rand(5).toList());
    const r = new Rng(1);
    const first = r.rand(3).toList();
    r.seed(1);
    expect(r.rand(3).toList()).toEqual(first);
  });
  it('draws uniform numbers in [0, 1) and normals with the right moments', () => {
    const u = new Rng(0).rand(20000);
    expect(u.min().item()).toBeGreaterThanOrEqual(0);
    expect(u.max().item()).toBeLessThan(1);
    expect(u.mean().item()).toBeCloseTo(0.5, 1);
    const n = new Rng(0).randn(20000);
    expect(n.mean().item()).toBeCloseTo(0, 1);
    expect(n.std().item()).toBeCloseTo(1, 1);
    expect(new Rng(0).randn(2, 3).shape).toEqual([2, 3]);
  });
  it('draws integers in range', () => {
    const r = new Rng(5).randint(3, 7, [1000]);
    expect(r.dtype).toBe('int32');
    expect(r.min().item()).toBe(3);
    expect(r.max().item()).toBe(6);
  });
  it('chooses with and without replacement', () => {
    const rng = new Rng(9);
    const without = rng.choice(10, 10, false).toList();
    expect([...without].sort((a, b) => a - b)).toEqual(arange(10).toList());
    expect(() => rng.choice(3, 4, false)).toThrow(
      'Cannot take a larger sample than population when replace is false',
    );
    const withRep = rng.choice(3, 300).toList();
    expect(new Set(withRep)).toEqual(new Set([0, 1, 2]));
    expect(
      rng
        .choice(arange(5).mul(10), 4)
        .toList()
        .every((v) => v % 10 === 0),
    ).toBe(true);
  });
  it('permutes and shuffles rows', () => {
    const p = new Rng(3).permutation(8).toList();
    expect([...p].sort((a, b) => a - b)).toEqual(arange(8).toList());
    const x = arange(12).reshape(4, 3);
    new Rng(3).shuffle(x);
    const rows = x.toArray() as number[][];
    for (const row of rows) expect(row[1] - row[0]).toBe(1); // rows stay whole
    expect(rows.map((r) => r[0]).sort((a, b) => a - b)).toEqual([0, 3, 6, 9]);
  });
});
