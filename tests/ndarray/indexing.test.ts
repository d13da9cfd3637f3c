// NumPy indexing: masks, integer arrays, slices, row selection and in-place assignment.
import { describe, expect, it } from 'vitest';
import { arange, array, Rng, rowsView, slice, zeros } from '../../src/index.js';

describe('indexing', () => {
  const x = array([
    [51, 55],
    [14, 19],
    [0, 4],
  ]);

  it('selects rows, elements and slices', () => {
    expect(x.index(0).toList()).toEqual([51, 55]);
    expect(x.index(0, 1).item()).toBe(55);
    expect(x.get(0, 1)).toBe(55);
    expect(x.index(-1).toList()).toEqual([0, 4]);
    expect(x.index(':', 1).toList()).toEqual([55, 19, 4]);
    expect(x.index(null, 0).toList()).toEqual([51, 14, 0]);
    expect(x.index('1:').toArray()).toEqual([
      [14, 19],
      [0, 4],
    ]);
    expect(x.index('::-1', 0).toList()).toEqual([0, 14, 51]);
    expect(
      arange(10)
        .index(slice(1, 8, 3))
        .toList(),
    ).toEqual([1, 4, 7]);
    expect(arange(10).index('-3:').toList()).toEqual([7, 8, 9]);
    expect(arange(24).reshape(2, 3, 4).index('...', 1).shape).toEqual([2, 3]);
  });
  it('selects with a bool mask (x[x > 15])', () => {
    expect(x.flatten().index(x.flatten().gt(15)).toList()).toEqual([51, 55, 19]);
    expect(x.index(x.gt(15)).toList()).toEqual([51, 55, 19]);
    expect(x.index(array([true, false, true])).toArray()).toEqual([
      [51, 55],
      [0, 4],
    ]);
  });
  it('picks one element per row (y[np.arange(n), t])', () => {
    const y = array([
      [0.1, 0.8, 0.1],
      [0.3, 0.1, 0.6],
    ]);
    expect(y.index(arange(2), array([1, 2])).toList()).toEqual([0.8, 0.6]);
    expect(y.index([0, 1], [1, 2]).toList()).toEqual([0.8, 0.6]);
  });
  it('selects rows by an index array (x[batchMask])', () => {
    const batch = x.index(array([2, 0], 'int32'));
    expect(batch.toArray()).toEqual([
      [0, 4],
      [51, 55],
    ]);
    expect(x.take([1], 1).toArray()).toEqual([[55], [19], [4]]);
  });
  it('places advanced-index dimensions like NumPy', () => {
    const a = arange(2 * 3 * 4).reshape(2, 3, 4);
    // adjacent advanced indices: the broadcast shape replaces them in place
    expect(a.index(null, [0, 2], [1, 3]).shape).toEqual([2, 2]);
    expect(a.index(null, [0, 2], [1, 3]).toArray()).toEqual([
      [1, 11],
      [13, 23],
    ]);
    // separated by a slice: the broadcast shape goes first
    expect(a.index([0, 1], ':', [0, 3]).shape).toEqual([2, 3]);
    expect(a.index([0, 1], ':', [0, 3]).index(1).toList()).toEqual([15, 19, 23]);
    // an index array with two dimensions
    expect(
      arange(5)
        .index(
          array([
            [0, 1],
            [3, 4],
          ]),
        )
        .toArray(),
    ).toEqual([
      [0, 1],
      [3, 4],
    ]);
  });
  it('assigns through a mask and an index in place (x[x < 0] = 0)', () => {
    const a = array([-1, 2, -3]);
    a.setIndex([a.lt(0)], 0);
    expect(a.toList()).toEqual([0, 2, 0]);
    const b = zeros([2, 3]);
    b.setIndex([arange(2), array([2, 0])], array([7, 8]));
    expect(b.toArray()).toEqual([
      [0, 0, 7],
      [8, 0, 0],
    ]);
    b.setIndex([':', 1], 5);
    expect(b.index(':', 1).toList()).toEqual([5, 5]);
    b.setIndex([0], array([1, 2, 3]));
    expect(b.index(0).toList()).toEqual([1, 2, 3]);
    expect(() => b.setIndex([0], array([1, 2]))).toThrow(
      'shape mismatch: value array of shape (2,) could not be broadcast to indexing result of shape (3,)',
    );
  });
  it('names the axis and size of an out-of-range index', () => {
    expect(() => x.index(3)).toThrow('index 3 is out of bounds for axis 0 with size 3');
    expect(() => x.index(0, 2)).toThrow('index 2 is out of bounds for axis 1 with size 2');
    expect(() => x.index(array([0, 5]))).toThrow('index 5 is out of bounds for axis 0 with size 3');
    expect(() => x.get(0, -3)).toThrow('index -3 is out of bounds for axis 1 with size 2');
    expect(() => x.index(0, 0, 0)).toThrow(
      'too many indices for array: array is 2-dimensional, but 3 were indexed',
    );
    expect(() => x.index(array([true, false]))).toThrow(/boolean index did not match/);
    expect(() => x.index(array([0.5]))).toThrow(
      'arrays used as indices must be of integer (or boolean) type',
    );
  });
});

describe('slices copied as contiguous runs', () => {
  it('agree with element-by-element selection on random slices', () => {
    const rng = new Rng(5);
    const x = arange(4 * 5 * 6).reshape(4, 5, 6);
    const pick = (n: number): [string, number[]] => {
      const start = rng.integer(n);
      const stop = start + 1 + rng.integer(n - start);
      const step = [1, 1, 2, -1][rng.integer(4)];
      if (step === -1) return ['::-1', [...Array(n).keys()].reverse()];
      const pos: number[] = [];
      for (let i = start; i < stop; i += step) pos.push(i);
      return [`${start}:${stop}:${step}`, pos];
    };
    for (let trial = 0; trial < 200; trial++) {
      const specs = x.shape.map((n) =>
        rng.integer(4) === 0 ? (['int', rng.integer(n)] as const) : pick(n),
      );
      const indices = specs.map(([s, v]) => (s === 'int' ? (v as number) : s));
      const expected: number[] = [];
      const walk = (axis: number, idx: number[]) => {
        if (axis === 3) return void expected.push(x.get(...idx));
        const [s, v] = specs[axis];
        for (const i of s === 'int' ? [v as number] : (v as number[])) walk(axis + 1, [...idx, i]);
      };
      walk(0, []);
      const r = x.index(...indices);
      expect(r.toList()).toEqual(expected);
      expect(r.shape).toEqual(
        specs.filter(([s]) => s !== 'int').map(([, v]) => (v as number[]).length),
      );
    }
  });
  it('copy a row block of a large array at once', () => {
    const big = zeros([6000, 784], 'float32');
    big.set([150, 3], 7);
    const rows = big.index('100:200');
    expect(rows.shape).toEqual([100, 784]);
    expect(rows.get(50, 3)).toBe(7);
    expect(rows.dtype).toBe('float32');
  });
});

describe('rowsView (a[start:stop] as a view)', () => {
  it('shares storage with the array, where index() copies', () => {
    const a = arange(12).reshape(4, 3);
    const v = rowsView(a, 1, 3);
    expect(v.shape).toEqual([2, 3]);
    expect(v.toList()).toEqual(a.index('1:3').toList());
    v.data[0] = 100; // row 1, column 0 of a
    expect(a.index(1, 0).item()).toBe(100);
    const c = a.index('1:3');
    c.data[1] = -1;
    expect(a.index(1, 1).item()).toBe(4);
    expect(rowsView(a, 2, 2).shape).toEqual([0, 3]);
    expect(rowsView(arange(5), 3, 5).toList()).toEqual([3, 4]);
  });

  it('rejects a range outside the array', () => {
    const a = zeros([4, 2]);
    expect(() => rowsView(a, 3, 5)).toThrow('rowsView: expected 0 ≤ start ≤ stop ≤ 4');
    expect(() => rowsView(a, 2, 1)).toThrow('got 2 and 1');
    expect(() => rowsView(a, 0.5, 1)).toThrow('integers');
    expect(() => rowsView(array(3), 0, 0)).toThrow('got a 0-d array');
  });
});
