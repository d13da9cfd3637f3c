// Early release of internal arrays on the wasm heap: releaseStorage/allocateEmpty, and Sequential
// recycling the arrays passed between its layers — the same results as without, less memory, and
// nothing released that anyone else can still see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NDArray,
  Rng,
  allocate,
  allocateEmpty,
  releaseStorage,
  setAllocator,
  setBackend,
  heapAllocator,
  kernels as getKernels,
} from '../../src/ndarray/index.js';
import { shutdownWasm, wasmHeap, wasmInfo } from '../../src/ndarray/kernels/wasm/index.js';
import { Affine, Relu, Sequential, type Layer } from '../../src/layers/index.js';
import { SimpleConvNet } from '../../src/networks/simpleConvNet.js';
import { Adam } from '../../src/optimizers/index.js';
import { initWasmNode } from '../../src/node/threads.js';

beforeAll(async () => {
  await initWasmNode({ threads: 1, activate: true });
});
afterAll(() => {
  shutdownWasm();
});

const released = () => wasmInfo()!.memory.releasedArrays;

describe('releaseStorage and allocateEmpty on the wasm heap', () => {
  it('gives a released block to the next request of its size, zeroed only by allocate', () => {
    const a = allocate('float32', 1000);
    expect(wasmHeap()!.contains(a)).toBe(true);
    a.fill(7);
    const count = released();
    releaseStorage(a);
    releaseStorage(a); // a second release of the same array is ignored
    expect(released()).toBe(count + 1);
    const b = allocateEmpty('float32', 1000);
    expect(b.byteOffset).toBe(a.byteOffset); // the same block, its old contents left as they were
    expect(b[999]).toBe(7);
    releaseStorage(b);
    const c = allocate('float32', 1000);
    expect(c.byteOffset).toBe(a.byteOffset);
    expect(c.every((v) => v === 0)).toBe(true); // allocate() clears a reused block
  });

  it('ignores views into a block and arrays of the JavaScript heap', () => {
    const a = allocate('float64', 500);
    const count = released();
    releaseStorage(a.subarray(0, 100)); // starts where a does, but is not a
    releaseStorage(a.subarray(10));
    releaseStorage(new Float64Array(500));
    expect(released()).toBe(count);
    const b = allocate('float64', 500);
    expect(b.byteOffset).not.toBe(a.byteOffset); // a's block is still live
  });
});

/** A layer that keeps every input it is given (as a user's layer recording activations might). */
class Recorder implements Layer {
  readonly seen: NDArray[] = [];
  forward(x: NDArray): NDArray {
    this.seen.push(x);
    return x.mul(2);
  }
  backward(dout: NDArray): NDArray {
    return dout.mul(2);
  }
}

describe('Sequential recycling', () => {
  it('trains SimpleConvNet to the same losses as the reference kernels, releasing every pass', () => {
    const rng = new Rng(3);
    const x = rng.rand(20, 1, 12, 12).astype('float32');
    const t = rng.randint(0, 10, 20);
    const options = {
      inputDim: [1, 12, 12] as const,
      convParam: { filterNum: 6, filterSize: 3 },
      hiddenSize: 16,
      dtype: 'float32' as const,
      seed: 4,
    };
    const run = (): number[] => {
      const net = new SimpleConvNet(options);
      const adam = new Adam({ lr: 0.01 });
      const losses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const { loss, grads } = net.lossAndGradient(x, t);
        adam.update(net.params, grads);
        losses.push(loss);
      }
      losses.push(net.loss(x, t)); // a test-mode pass after the training passes
      return losses;
    };
    const before = released();
    const fast = run();
    // Each training pass releases the previous pass's conv output, ReLU output, pooled output
    // and hidden activations, and its own backward releases the gradients between layers.
    expect(released() - before).toBeGreaterThanOrEqual(12 * 4);
    setBackend('reference');
    const previous = setAllocator(heapAllocator);
    let reference: number[];
    try {
      reference = run();
    } finally {
      setAllocator(previous);
      setBackend('wasm');
    }
    expect(previous).not.toBe(heapAllocator);
    // fused multiply-add and a different summation order: float32 rounding, not wrong data
    fast.forEach((l, i) => expect(l).toBeCloseTo(reference[i], 4));
    expect(fast[12]).toBeLessThan(fast[0]);
  });

  it('keeps the memory of a synchronous loop flat without the garbage collector', () => {
    const rng = new Rng(5);
    const x = rng.rand(64, 256).astype('float32');
    const seq = new Sequential(
      [
        ['Affine1', new Affine(rng.randn(256, 512).astype('float32').mul(0.05), allocZeros(512))],
        ['Relu1', new Relu()],
        ['Affine2', new Affine(rng.randn(512, 512).astype('float32').mul(0.05), allocZeros(512))],
        ['Relu2', new Relu()],
        ['Affine3', new Affine(rng.randn(512, 10).astype('float32').mul(0.05), allocZeros(10))],
      ],
      { dtype: 'float32' },
    );
    const t = rng.randint(0, 10, 64);
    seq.loss(x, t, true);
    seq.backwardParams();
    const start = wasmInfo()!.memory.liveBytes;
    // A pass hands out five 128 KB arrays and a 64 KB input gradient: 70 MB over 100 passes if
    // none came back before a collection. What stays behind are the scores, the softmax output
    // and the bias gradient sums, about 9 KB per pass.
    for (let i = 0; i < 100; i++) {
      seq.loss(x, t, true);
      seq.backwardParams();
    }
    expect(wasmInfo()!.memory.liveBytes - start).toBeLessThan(3 * 2 ** 20);
  });

  it('never releases what a non-recyclable layer, the input or the scores hold', () => {
    const rng = new Rng(6);
    const recorder = new Recorder();
    const seq = new Sequential(
      [
        ['Affine1', new Affine(rng.randn(32, 64).astype('float32'), allocZeros(64))],
        ['Recorder', recorder],
        ['Relu', new Relu()],
        ['Affine2', new Affine(rng.randn(64, 64).astype('float32'), allocZeros(64))],
      ],
      { dtype: 'float32' },
    );
    const x = rng.rand(16, 32).astype('float32');
    const xCopy = x.copy();
    const scores = seq.predict(x);
    const kept = scores.copy();
    const seenFirst = recorder.seen[0].copy();
    for (let i = 0; i < 5; i++) seq.predict(rng.rand(16, 32).astype('float32'));
    expect(x.toList()).toEqual(xCopy.toList());
    expect(scores.toList()).toEqual(kept.toList());
    expect(recorder.seen[0].toList()).toEqual(seenFirst.toList());
  });
});

function allocZeros(n: number): NDArray {
  return new NDArray(allocate('float32', n), [n]);
}

describe('Affine compresses a mostly-zero input once for forward and backward (wasm)', () => {
  it('gives the same scores and gradients, to the bit, as without the pack, and uses it twice', () => {
    const rng = new Rng(3);
    // (100, 784) with about a fifth nonzero, like an MNIST batch
    const x = rng
      .rand(100, 784)
      .astype('float32')
      .mul(rng.rand(100, 784).lt(0.2).astype('float32'))
      .astype('float32');
    const W = rng.randn(784, 50).mul(0.01).astype('float32');
    const b = rng.randn(50).astype('float32');
    const dout = rng.randn(100, 50).astype('float32');
    const packed = new Affine(W, b, { inputGradient: false });
    const plain = new Affine(W, b, { inputGradient: false });
    const k = getKernels() as { packedGemms?: number };
    const before = k.packedGemms!;
    const out = packed.forward(x, true);
    packed.backwardParams(dout);
    expect(k.packedGemms).toBe(before + 2); // x·W and xᵀ·dout from one pack
    const out2 = plain.forward(x, false);
    plain.backwardParams(dout);
    expect(k.packedGemms).toBe(before + 2);
    expect(Array.from(out.data)).toEqual(Array.from(out2.data));
    expect(Array.from(packed.grads.W.data)).toEqual(Array.from(plain.grads.W.data));
    expect(Array.from(packed.grads.b.data)).toEqual(Array.from(plain.grads.b.data));
    // the next training pass releases the old pack and makes a new one
    const count = released();
    packed.forward(x, true);
    expect(released()).toBe(count + 1);
  });
});
