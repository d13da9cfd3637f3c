// ndarray elementwise semantics against NumPy's: broadcasting of every shape-pair kind, dtypes, errors.
import { describe, expect, it } from 'vitest';
import { arange, array, NDArray, ones, Rng, zeros } from '../../src/index.js';

describe('broadcasting', () => {
  it('adds arrays of the same shape', () => {
    expect(
      array([
        [1, 2],
        [3, 4],
      ])
        .add(
          array([
            [10, 20],
            [30, 40],
          ]),
        )
        .toArray(),
    ).toEqual([
      [11, 22],
      [33, 44],
    ]);
  });
  it('adds a scalar, on either side through the free form', () => {
    expect(array([1, 2, 3]).add(1).toArray()).toEqual([2, 3, 4]);
    expect(array([1, 2, 3]).mul(2).toArray()).toEqual([2, 4, 6]);
  });
  it('broadcasts a row over rows: (2,3) + (3,)', () => {
    const a = array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(a.add(array([10, 20, 30])).toArray()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
  });
  it('broadcasts a column over columns: (2,3) + (2,1)', () => {
    const a = array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(a.sub(array([[1], [4]])).toArray()).toEqual([
      [0, 1, 2],
      [0, 1, 2],
    ]);
  });
  it('broadcasts an outer product: (3,1) * (1,4) → (3,4)', () => {
    const r = arange(3).reshape(3, 1).mul(arange(4).reshape(1, 4));
    expect(r.shape).toEqual([3, 4]);
    expect(r.toArray()).toEqual([
      [0, 0, 0, 0],
      [0, 1, 2, 3],
      [0, 2, 4, 6],
    ]);
  });
  it('broadcasts across dimensions: (2,1,3) + (4,1) → (2,4,3)', () => {
    const a = arange(6).reshape(2, 1, 3);
    const b = arange(4).reshape(4, 1).mul(10);
    const r = a.add(b);
    expect(r.shape).toEqual([2, 4, 3]);
    expect(r.get(1, 2, 1)).toBe(4 + 20);
    expect(r.get(0, 3, 2)).toBe(2 + 30);
  });
  it('broadcasts a 0-d array and keeps the larger shape', () => {
    expect(
      array([[1, 2]])
        .add(array(5))
        .toArray(),
    ).toEqual([[6, 7]]);
  });
  it('broadcasts with a zero-size dimension', () => {
    expect(zeros([0, 3]).add(ones([3])).shape).toEqual([0, 3]);
  });
  it('rejects incompatible shapes with NumPy text', () => {
    expect(() =>
      array([
        [1, 2, 3],
        [4, 5, 6],
      ]).add(array([1, 2, 3, 4])),
    ).toThrow('operands could not be broadcast together with shapes (2,3) (4,)');
  });
});

describe('dtypes', () => {
  it('follows NumPy promotion', () => {
    const i = arange(3);
    expect(i.dtype).toBe('int32');
    expect(i.add(1).dtype).toBe('int32');
    expect(i.add(0.5).dtype).toBe('float64');
    expect(i.div(2).dtype).toBe('float64');
    expect(i.div(2).toArray()).toEqual([0, 0.5, 1]);
    const f = zeros(2, 'float32');
    expect(f.add(1.5).dtype).toBe('float32');
    expect(f.add(zeros(2)).dtype).toBe('float64');
    expect(f.add(i.index('0:2')).dtype).toBe('float64');
    expect(f.exp().dtype).toBe('float32');
    expect(i.exp().dtype).toBe('float64');
  });
  it('converts with astype like a C cast', () => {
    expect(array([1.7, -1.7, 0]).astype('int32').toArray()).toEqual([1, -1, 0]);
    expect(array([0.5, 0, -2]).astype('bool').toArray()).toEqual([true, false, true]);
    expect(array([300]).astype('uint8').toArray()).toEqual([44]);
  });
  it('rejects negative integer powers of integers', () => {
    expect(() => arange(3).pow(-1)).toThrow('Integers to negative integer powers are not allowed.');
    expect(arange(3).pow(2).toArray()).toEqual([0, 1, 4]);
  });
});

describe('math and comparisons', () => {
  it('computes exp, log, sqrt, tanh, abs, maximum, minimum, clip', () => {
    const x = array([-1, 0, 1]);
    expect(x.exp().toList()[2]).toBeCloseTo(Math.E, 15);
    expect(array([1, Math.E]).log().toList()).toEqual([0, 1]);
    expect(array([4, 9]).sqrt().toList()).toEqual([2, 3]);
    expect(x.tanh().toList()[0]).toBeCloseTo(Math.tanh(-1), 15);
    expect(x.abs().toList()).toEqual([1, 0, 1]);
    expect(x.maximum(0).toList()).toEqual([0, 0, 1]);
    expect(x.minimum(0).toList()).toEqual([-1, 0, 0]);
    expect(array([-5, 0.5, 5]).clip(0, 1).toList()).toEqual([0, 0.5, 1]);
    expect(array([NaN, 1]).maximum(0).toList()[0]).toBeNaN();
  });
  it('compares into bool arrays and combines masks', () => {
    const x = array([1, 2, 3]);
    const m = x.gt(1);
    expect(m.dtype).toBe('bool');
    expect(m.toArray()).toEqual([false, true, true]);
    expect(x.le(2).and(x.ge(2)).toArray()).toEqual([false, true, false]);
    expect(x.eq(2).or(x.eq(3)).not().toArray()).toEqual([true, false, false]);
  });
  it('does not modify its operands', () => {
    const a = array([1, 2, 3]);
    a.add(1).mul(2).exp();
    expect(a.toList()).toEqual([1, 2, 3]);
  });
  it('updates in place with explicit names', () => {
    const a = array([1, 2, 3]);
    const same = a.addInPlace(1).mulInPlace(array([1, 2, 3]));
    expect(same).toBe(a);
    expect(a.toList()).toEqual([2, 6, 12]);
    expect(() => array([1, 2]).addInPlace(ones([2, 2]))).toThrow(/non-broadcastable output/);
  });
});

describe('shape', () => {
  it('reshapes with -1 sharing storage', () => {
    const a = arange(6);
    const b = a.reshape(2, -1);
    expect(b.shape).toEqual([2, 3]);
    b.set([0, 0], 42);
    expect(a.get(0)).toBe(42);
    expect(a.reshape([3, 2]).shape).toEqual([3, 2]);
    expect(() => a.reshape(4, -1)).toThrow('cannot reshape array of size 6 into shape (4,-1)');
    expect(() => a.reshape(-1, -1)).toThrow('can only specify one unknown dimension');
  });
  it('flattens into a copy', () => {
    const a = array([
      [1, 2],
      [3, 4],
    ]);
    const f = a.flatten();
    f.set([0], 9);
    expect(a.get(0, 0)).toBe(1);
    expect(f.toList()).toEqual([9, 2, 3, 4]);
  });
  it('transposes 2-D and with explicit axes', () => {
    const a = arange(6).reshape(2, 3);
    expect(a.T.toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    const b = arange(24).reshape(2, 3, 4).transpose(2, 0, 1);
    expect(b.shape).toEqual([4, 2, 3]);
    expect(b.get(3, 1, 2)).toBe(1 * 12 + 2 * 4 + 3);
    expect(
      arange(70 * 40)
        .reshape(70, 40)
        .T.get(39, 69),
    ).toBe(69 * 40 + 39);
  });
  it('squeezes and expands dims', () => {
    expect(zeros([1, 3, 1]).squeeze().shape).toEqual([3]);
    expect(zeros([3]).expandDims(0).shape).toEqual([1, 3]);
    expect(zeros([3]).expandDims(-1).shape).toEqual([3, 1]);
  });
  it('checks the storage length', () => {
    expect(() => new NDArray(new Float64Array(5), [2, 3])).toThrow(
      'NDArray: expected 6 elements for shape (2,3), got 5',
    );
  });
});

describe('free functions', () => {
  it('accept a number on the left', async () => {
    const { sub, div, sin, cos } = await import('../../src/index.js');
    expect(sub(1, array([0.25, 1])).toList()).toEqual([0.75, 0]);
    expect(div(1, array([2, 4])).toList()).toEqual([0.5, 0.25]);
    expect(sin(array([0])).toList()).toEqual([0]);
    expect(cos(array([0])).toList()).toEqual([1]);
  });
});

describe('assign (out[...] = b)', () => {
  it('repeats a trailing block along the leading axes, converting as each store does', () => {
    const out = zeros([2, 3, 4], 'int32');
    out.assign(array([1.7, -2.5, 3, 4e9]));
    // float → int32 truncates toward zero and wraps, as an element-by-element store
    const row = [1, -2, 3, new Int32Array([4e9])[0]];
    expect(out.toArray()).toEqual([
      [row, row, row],
      [row, row, row],
    ]);
    const block = new Rng(2).randn(3, 4);
    const f = zeros([5, 3, 4], 'float32').assign(block.reshape(1, 3, 4));
    for (let i = 0; i < 5; i++)
      expect(f.index(i).toArray()).toEqual(block.astype('float32').toArray());
    expect(zeros([3, 2], 'uint8').assign(array(300)).toArray()).toEqual([
      [44, 44],
      [44, 44],
      [44, 44],
    ]);
  });

  it('broadcasts along inner axes; a source sharing the target storage is read before writing', () => {
    const col = zeros([3, 4]).assign(array([[1], [2], [3]]));
    expect(col.toArray()).toEqual([
      [1, 1, 1, 1],
      [2, 2, 2, 2],
      [3, 3, 3, 3],
    ]);
    const a = array([1, 2, 3, 4, 5, 6]);
    a.reshape(1, 3, 2).assign(a.reshape(3, 2)); // the same storage, same size
    expect(a.toList()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('assign to an empty array', () => {
  it('writes nothing and does not throw', () => {
    expect(zeros([0, 3]).assign(array([1, 2, 3])).shape).toEqual([0, 3]);
  });
});
