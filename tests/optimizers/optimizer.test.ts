// Tests of the chapter 6.1 optimizers: the optimizer_compare_naive path, hand computations,
// in-place updates, per-key state, float32, errors and the factory.
import { describe, expect, it } from 'vitest';
import { Rng, array, zeros } from '../../src/ndarray/index.js';
import {
  AdaGrad,
  Adam,
  Momentum,
  Nesterov,
  OPTIMIZER_NAMES,
  RMSprop,
  SGD,
  createOptimizer,
  type Optimizer,
} from '../../src/optimizers/index.js';

/** ch06/optimizer_compare_naive.py: f(x, y) = x²/20 + y², from (-7, 2), 30 updates. */
function naivePath(optimizer: Optimizer, steps = 30): [number, number][] {
  const params = { x: array(-7.0), y: array(2.0) };
  const path: [number, number][] = [];
  for (let i = 0; i < steps; i++) {
    const grads = { x: params.x.div(10), y: params.y.mul(2) }; // ∂f/∂x = x/10, ∂f/∂y = 2y
    optimizer.update(params, grads);
    path.push([params.x.item(), params.y.item()]);
  }
  return path;
}

const START = Math.hypot(-7, 2);

// The last point of each path, printed by the book's common/optimizer.py (transcribed, run with
// NumPy 2.4 in float64) on the same problem: a third oracle next to the hand computations.
const BOOK_FINAL: Record<string, [() => Optimizer, number, number]> = {
  'SGD lr 0.95': [() => new SGD({ lr: 0.95 }), -0.3503929957523197, 0.0847823165504322],
  'Momentum lr 0.1': [() => new Momentum({ lr: 0.1 }), 0.896413858493733, 0.08808560171506971],
  'AdaGrad lr 1.5': [() => new AdaGrad({ lr: 1.5 }), -0.12016232231416045, 2.486389893984459e-17],
  'Adam lr 0.3': [() => new Adam({ lr: 0.3 }), 0.13600685239498186, 0.31824537553721943],
  'Nesterov lr 0.1': [() => new Nesterov({ lr: 0.1 }), 0.5263905077412623, 0.0002258201570808063],
  'RMSprop lr 0.3': [() => new RMSprop({ lr: 0.3 }), -5.351327040428192e-6, 1.5085100037516103e-11],
};

describe('optimizer_compare_naive (f = x²/20 + y² from (-7, 2), 30 steps)', () => {
  for (const [name, [make, bx, by]] of Object.entries(BOOK_FINAL)) {
    it(`${name} approaches the minimum and ends where the book's code ends`, () => {
      const path = naivePath(make());
      const [x, y] = path[29];
      expect(Math.hypot(x, y)).toBeLessThan(START / 5);
      expect(x).toBeCloseTo(bx, 9);
      expect(y).toBeCloseTo(by, 9);
    });
  }

  it('SGD follows x ← x − lr·x/10, y ← y − lr·2y', () => {
    const path = naivePath(new SGD({ lr: 0.95 }), 3);
    let x = -7;
    let y = 2;
    for (const [px, py] of path) {
      x -= 0.95 * (x / 10);
      y -= 0.95 * (2 * y);
      expect(px).toBeCloseTo(x, 12);
      expect(py).toBeCloseTo(y, 12);
    }
    expect(path[0][0]).toBeCloseTo(-6.335, 12);
    expect(path[0][1]).toBeCloseTo(-1.8, 12);
  });

  it('AdaGrad (lr 1.5) matches the hand computation after 1, 2 and 3 steps', () => {
    // By hand: h ← h + g², p ← p − 1.5·g / (√h + 1e-7).
    const hand: [number, number][] = [];
    let [x, y, hx, hy] = [-7, 2, 0, 0];
    for (let t = 1; t <= 3; t++) {
      const gx = x / 10;
      const gy = 2 * y;
      hx += gx * gx;
      hy += gy * gy;
      x -= (1.5 * gx) / (Math.sqrt(hx) + 1e-7);
      y -= (1.5 * gy) / (Math.sqrt(hy) + 1e-7);
      hand.push([x, y]);
    }
    // The first step is ±lr in each coordinate (g / √(g²) = sign g), up to the 1e-7.
    expect(hand[0][0]).toBeCloseTo(-5.5, 6);
    expect(hand[0][1]).toBeCloseTo(0.5, 6);
    // Second step in x, written out: g = -0.55, h = 0.7² + 0.55² = 0.7925.
    expect(hand[1][0]).toBeCloseTo(-5.5 + (1.5 * 0.55) / Math.sqrt(0.7925), 6);
    const path = naivePath(new AdaGrad({ lr: 1.5 }), 3);
    for (let t = 0; t < 3; t++) {
      expect(path[t][0]).toBeCloseTo(hand[t][0], 12);
      expect(path[t][1]).toBeCloseTo(hand[t][1], 12);
    }
    expect(path[2][0]).toBeCloseTo(-3.887842338970987, 12); // the book's code
    expect(path[2][1]).toBeCloseTo(0.03731457049652155, 12);
  });

  it('Adam (lr 0.3) matches the hand computation after 1, 2 and 3 steps', () => {
    // By hand, the book's form: lr_t = lr·√(1 − β2^t)/(1 − β1^t), m += (1 − β1)(g − m),
    // v += (1 − β2)(g² − v), p −= lr_t·m/(√v + 1e-7).
    const hand: [number, number][] = [];
    let [x, y, mx, my, vx, vy] = [-7, 2, 0, 0, 0, 0];
    for (let t = 1; t <= 3; t++) {
      const gx = x / 10;
      const gy = 2 * y;
      const lrT = (0.3 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
      mx += 0.1 * (gx - mx);
      my += 0.1 * (gy - my);
      vx += 0.001 * (gx * gx - vx);
      vy += 0.001 * (gy * gy - vy);
      x -= (lrT * mx) / (Math.sqrt(vx) + 1e-7);
      y -= (lrT * my) / (Math.sqrt(vy) + 1e-7);
      hand.push([x, y]);
    }
    // The bias-corrected first step is lr·sign(g) in each coordinate, up to the 1e-7.
    expect(hand[0][0]).toBeCloseTo(-6.7, 5);
    expect(hand[0][1]).toBeCloseTo(1.7, 5);
    const path = naivePath(new Adam({ lr: 0.3 }), 3);
    for (let t = 0; t < 3; t++) {
      expect(path[t][0]).toBeCloseTo(hand[t][0], 12);
      expect(path[t][1]).toBeCloseTo(hand[t][1], 12);
    }
    expect(path[2][0]).toBeCloseTo(-6.1015490069813225, 12); // the book's code
    expect(path[2][1]).toBeCloseTo(1.108912039425857, 12);
  });

  it('Momentum and Nesterov follow the book’s recurrences', () => {
    let [x, v] = [-7, 0];
    let [xn, vn] = [-7, 0];
    const m = naivePath(new Momentum({ lr: 0.1 }), 3);
    const n = naivePath(new Nesterov({ lr: 0.1 }), 3);
    for (let t = 0; t < 3; t++) {
      v = 0.9 * v - 0.1 * (x / 10);
      x += v;
      const g = xn / 10;
      vn = 0.9 * vn - 0.1 * g;
      xn += 0.81 * vn - 1.9 * 0.1 * g;
      expect(m[t][0]).toBeCloseTo(x, 12);
      expect(n[t][0]).toBeCloseTo(xn, 12);
    }
  });
});

describe('optimizers update in place', () => {
  const all = (): Optimizer[] => OPTIMIZER_NAMES.map((name) => createOptimizer(name));

  it('keeps the same array objects and storage', () => {
    for (const opt of all()) {
      const W = array([
        [1, 2],
        [3, 4],
      ]);
      const b = array([0.5, -0.5]);
      const params = { W, b };
      const data = W.data;
      opt.update(params, {
        W: array([
          [1, 1],
          [1, 1],
        ]),
        b: array([1, -1]),
      });
      expect(params.W).toBe(W);
      expect(params.b).toBe(b);
      expect(W.data).toBe(data);
      expect(W.get(0, 0)).toBeLessThan(1); // moved against the gradient
      expect(b.get(1)).toBeGreaterThan(-0.5);
    }
  });

  it('does not modify the gradients', () => {
    for (const opt of all()) {
      const g = array([0.3, -0.2]);
      opt.update({ w: array([1, 1]) }, { w: g });
      opt.update({ w: array([1, 1]) }, { w: g });
      expect(g.toList()).toEqual([0.3, -0.2]);
    }
  });

  it('keeps float32 parameters float32, close to the float64 result', () => {
    const rng = new Rng(1);
    const p64 = rng.randn(3, 5);
    const g64 = rng.randn(3, 5);
    for (const name of OPTIMIZER_NAMES) {
      const a = { W: p64.copy() };
      const b = { W: p64.astype('float32') };
      const o64 = createOptimizer(name, { lr: 0.1 });
      const o32 = createOptimizer(name, { lr: 0.1 });
      for (let i = 0; i < 5; i++) {
        o64.update(a, { W: g64 });
        o32.update(b, { W: g64.astype('float32') });
      }
      expect(b.W.dtype).toBe('float32');
      for (let i = 0; i < 15; i++) expect(b.W.data[i]).toBeCloseTo(a.W.data[i], 4);
    }
  });
});

describe('optimizer state', () => {
  it('is kept per key, allocated once and reused', () => {
    const opt = new Momentum({ lr: 0.1, momentum: 0.5 });
    const params = { a: array([0, 0]), b: array([0]) };
    opt.update(params, { a: array([1, 2]), b: array([10]) });
    const va = opt.v.a;
    opt.update(params, { a: array([1, 2]), b: array([10]) });
    expect(opt.v.a).toBe(va); // same storage, not reallocated
    expect(opt.v.a).not.toBe(opt.v.b);
    // By hand per key: v1 = −0.1g, v2 = 0.5·v1 − 0.1g = −0.15g; p = v1 + v2 = −0.25g.
    expect(opt.v.a.toList().map((v) => +v.toFixed(12))).toEqual([-0.15, -0.3]);
    expect(opt.v.b.get(0)).toBeCloseTo(-1.5, 12);
    expect(params.a.get(1)).toBeCloseTo(-0.5, 12);
    expect(params.b.get(0)).toBeCloseTo(-2.5, 12);
  });

  it('starts at zero for a key first seen later, without touching other keys', () => {
    const opt = new AdaGrad({ lr: 1 });
    const a = array([1]);
    opt.update({ a }, { a: array([3]) }); // h.a = 9
    const b = array([1]);
    opt.update({ b }, { b: array([4]) }); // h.b = 16, a untouched
    expect(opt.h.a.get(0)).toBe(9);
    expect(opt.h.b.get(0)).toBe(16);
    expect(b.get(0)).toBeCloseTo(0, 6); // 1 − 4/(4 + 1e-7)
    expect(a.get(0)).toBeCloseTo(0, 6);
  });

  it('Adam counts one step per update call, whatever the number of keys', () => {
    const opt = new Adam();
    const params = { a: zeros(2), b: zeros(3), c: zeros(1) };
    const grads = { a: array([1, 1]), b: array([1, 1, 1]), c: array([1]) };
    opt.update(params, grads);
    opt.update(params, grads);
    expect(opt.iter).toBe(2);
    expect(Object.keys(opt.m)).toEqual(['a', 'b', 'c']);
    expect(opt.m.b.dtype).toBe('float64');
  });

  it('rejects a parameter whose shape changed since earlier updates', () => {
    const opt = new RMSprop();
    opt.update({ W: zeros([2, 3]) }, { W: zeros([2, 3]) });
    expect(() => opt.update({ W: zeros([3, 2]) }, { W: zeros([3, 2]) })).toThrow(
      'RMSprop.update: expected params.W of shape (2,3) as in earlier updates, got (3,2)',
    );
  });
});

describe('errors', () => {
  it('names a missing gradient and leaves every parameter unchanged', () => {
    const a = array([1, 2]);
    const b = array([3]);
    expect(() => new SGD().update({ a, b }, { a: array([1, 1]) })).toThrow(
      'SGD.update: expected a gradient grads.b, got none',
    );
    expect(a.toList()).toEqual([1, 2]); // checked before any write
  });

  it('names a gradient of the wrong shape', () => {
    expect(() => new Adam().update({ W: zeros([2, 3]) }, { W: zeros([3, 2]) })).toThrow(
      'Adam.update: expected grads.W of shape (2,3) like params.W, got (3,2)',
    );
  });

  it('rejects integer parameters', () => {
    expect(() => new SGD().update({ n: array([1], 'int32') }, { n: array([1]) })).toThrow(
      'SGD.update: expected params.n to be a float array, got dtype int32',
    );
  });

  it('rejects bad hyperparameters', () => {
    expect(() => new Momentum({ momentum: 1 })).toThrow(
      'Momentum: expected momentum to be a number in [0, 1), got 1',
    );
    expect(() => new SGD({ lr: NaN })).toThrow(
      'SGD: expected lr to be a finite number ≥ 0, got NaN',
    );
  });
});

describe('createOptimizer', () => {
  it('builds each optimizer by name, case-insensitively, with the book’s defaults', () => {
    expect(createOptimizer('sgd')).toBeInstanceOf(SGD);
    expect(createOptimizer('SGD').lr).toBe(0.01);
    expect(createOptimizer('Momentum')).toMatchObject({ lr: 0.01, momentum: 0.9 });
    expect(createOptimizer('nesterov')).toBeInstanceOf(Nesterov);
    expect(createOptimizer('AdaGrad')).toBeInstanceOf(AdaGrad);
    expect(createOptimizer('RMSprop')).toMatchObject({ lr: 0.01, decayRate: 0.99 });
    expect(createOptimizer('Adam')).toMatchObject({ lr: 0.001, beta1: 0.9, beta2: 0.999, iter: 0 });
    expect(createOptimizer('adam', { lr: 0.3 }).lr).toBe(0.3);
    const sgd: SGD = createOptimizer('sgd', { lr: 0.1 }); // typed by name
    expect(sgd.lr).toBe(0.1);
  });

  it('lists the valid names for an unknown one', () => {
    expect(() => createOptimizer('adamw')).toThrow(
      'createOptimizer: expected one of sgd, momentum, nesterov, adagrad, rmsprop, adam, got "adamw"',
    );
  });

  it('rejects an option the optimizer does not take', () => {
    expect(() => createOptimizer('sgd', { lr: 0.1, momentum: 0.9 })).toThrow(
      'createOptimizer: expected options of sgd (lr), got "momentum"',
    );
  });

  it('types the options', () => {
    // @ts-expect-error lr is a number
    expect(() => new SGD({ lr: '0.1' })).toThrow();
    // @ts-expect-error lr is a number
    expect(() => createOptimizer('adam', { lr: '0.1' })).toThrow();
  });
});
