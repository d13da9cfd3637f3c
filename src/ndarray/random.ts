// Seeded random numbers: NumPy's np.random functions the book uses, through a generator object.
// The generator is xoshiro128** seeded with splitmix32 — fast, small, and identical on every platform.
import { allocate, type DType } from './dtype.js';
import { NDArray } from './ndarray.js';
import { checkShape, sizeOf } from './shape.js';
import type { ShapeLike } from './creation.js';

function toShape(size: ShapeLike | undefined): number[] {
  if (size === undefined) return [];
  const s = typeof size === 'number' ? [size] : [...size];
  checkShape(s, 'Rng');
  return s;
}

/** A seeded random number generator; the same seed gives the same numbers everywhere. */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | undefined;

  /** @param seed any integer; omitted, a seed is drawn from the platform's crypto source. */
  constructor(seed?: number) {
    if (seed === undefined) {
      seed = globalThis.crypto.getRandomValues(new Uint32Array(1))[0];
    }
    this.seed(seed);
  }

  /** Restarts the sequence from `seed`. */
  seed(seed: number): void {
    if (!Number.isFinite(seed)) throw new Error(`Rng.seed: expected a finite number, got ${seed}`);
    // splitmix32 spreads the seed over the four state words (never all zero).
    let x = (Math.trunc(seed) ^ Math.trunc(seed / 4294967296)) >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    this.spare = undefined;
  }

  /** The next 32 random bits as an unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A standard normal sample (Marsaglia's polar method; the second value is kept for the next call). */
  gauss(): number {
    if (this.spare !== undefined) {
      const v = this.spare;
      this.spare = undefined;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.random() - 1;
      v = 2 * this.random() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /** A uniform integer in [0, n), without modulo bias. */
  integer(n: number): number {
    if (!Number.isInteger(n) || n <= 0)
      throw new Error(`Rng.integer: expected a positive integer, got ${n}`);
    if (n <= 4294967296) {
      const limit = 4294967296 - (4294967296 % n);
      let r: number;
      do r = this.nextUint32();
      while (r >= limit);
      return r % n;
    }
    return Math.floor(this.random() * n);
  }

  private fill(shape: number[], dtype: DType, f: () => number): NDArray {
    const data = allocate(dtype, sizeOf(shape));
    for (let i = 0; i < data.length; i++) data[i] = f();
    return new NDArray(data, shape, dtype);
  }

  /** `np.random.rand(d0, d1, …)`: uniform [0, 1) of the given shape (float64). */
  rand(...shape: number[]): NDArray {
    return this.fill(toShape(shape), 'float64', () => this.random());
  }

  /** `np.random.randn(d0, d1, …)`: standard normal of the given shape (float64). */
  randn(...shape: number[]): NDArray {
    return this.fill(toShape(shape), 'float64', () => this.gauss());
  }

  /** `np.random.uniform(low, high, size)`. */
  uniform(low = 0, high = 1, size?: ShapeLike, dtype: 'float64' | 'float32' = 'float64'): NDArray {
    return this.fill(toShape(size), dtype, () => low + (high - low) * this.random());
  }

  /** `np.random.normal(loc, scale, size)`. */
  normal(loc = 0, scale = 1, size?: ShapeLike, dtype: 'float64' | 'float32' = 'float64'): NDArray {
    return this.fill(toShape(size), dtype, () => loc + scale * this.gauss());
  }

  /** `np.random.randint(low, high, size)`: integers in [low, high) (in [0, low) when high is omitted), int32. */
  randint(low: number, high?: number, size?: ShapeLike): NDArray {
    if (high === undefined) [low, high] = [0, low];
    if (!(high > low))
      throw new Error(`Rng.randint: expected low < high, got low=${low}, high=${high}`);
    return this.fill(toShape(size), 'int32', () => low + this.integer(high! - low));
  }

  /** `np.random.permutation(n)`: a shuffled `arange(n)` (int32); given an array, a shuffled copy of its rows. */
  permutation(n: number | NDArray): NDArray {
    if (n instanceof NDArray) return this.shuffle(n.copy());
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`Rng.permutation: expected a non-negative integer, got ${n}`);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    this.shuffleRows(out, n, 1);
    return new NDArray(out, [n]);
  }

  /** `np.random.shuffle(x)`: shuffles the rows (first axis) of `x` in place and returns it. */
  shuffle(x: NDArray): NDArray {
    if (x.ndim === 0)
      throw new Error(
        'Rng.shuffle: expected an array with at least one dimension, got a 0-d array',
      );
    this.shuffleRows(x.data, x.shape[0], x.size / Math.max(1, x.shape[0]));
    return x;
  }

  private shuffleRows(data: NDArray['data'], rows: number, rowSize: number): void {
    const tmp = data.slice(0, rowSize);
    for (let i = rows - 1; i > 0; i--) {
      const j = this.integer(i + 1); // Fisher–Yates
      if (j === i) continue;
      if (rowSize === 1) {
        const t = data[i];
        data[i] = data[j];
        data[j] = t;
      } else {
        tmp.set(data.subarray(i * rowSize, (i + 1) * rowSize));
        data.copyWithin(i * rowSize, j * rowSize, (j + 1) * rowSize);
        data.set(tmp, j * rowSize);
      }
    }
  }

  /**
   * `np.random.choice(a, size, replace)`: samples from `arange(a)` (a number) or the elements of a
   * 1-D array. Without replacement the samples are distinct (size ≤ population).
   */
  choice(a: number | NDArray, size?: ShapeLike, replace = true): NDArray {
    const pop = typeof a === 'number' ? a : a.size;
    if (typeof a !== 'number' && a.ndim !== 1)
      throw new Error(`Rng.choice: expected a 1-D array, got ${a.ndim}-D`);
    if (!Number.isInteger(pop) || pop <= 0)
      throw new Error(`Rng.choice: expected a positive population, got ${pop}`);
    const shape = toShape(size);
    const n = sizeOf(shape);
    let picks: Int32Array;
    if (replace) {
      picks = new Int32Array(n);
      for (let i = 0; i < n; i++) picks[i] = this.integer(pop);
    } else {
      if (n > pop)
        throw new Error('Cannot take a larger sample than population when replace is false');
      picks = this.permutation(pop).data.slice(0, n) as Int32Array;
    }
    const idx = new NDArray(picks, shape);
    return typeof a === 'number' ? idx : a.take(idx.ravel()).reshape(shape);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
