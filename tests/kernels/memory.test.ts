// Memory stays flat over a training run on the wasm backend: arrays dropped by each iteration are
// reclaimed (finalizers run while Trainer.trainAsync yields), so after a warm-up the WebAssembly
// memory does not grow and the live bytes come back to where they were.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng, yieldToFinalizers } from '../../src/ndarray/index.js';
import { shutdownWasm, wasmInfo } from '../../src/ndarray/kernels/wasm/index.js';
import { SimpleConvNet } from '../../src/networks/simpleConvNet.js';
import { initWasmNode } from '../../src/node/threads.js';
import { Trainer } from '../../src/training/trainer.js';

beforeAll(async () => {
  await initWasmNode({ threads: 2, activate: true });
});
afterAll(() => {
  shutdownWasm();
});

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Live bytes once every dropped array has been collected and its block returned. */
async function settledLiveBytes(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await yieldToFinalizers();
  }
  return wasmInfo()!.memory.liveBytes;
}

describe('wasm memory over a training run', () => {
  it('stays flat over 200 iterations of trainAsync', async () => {
    const rng = new Rng(1);
    // 200 images of 1×16×16 in 10 classes: batches of 20, 10 iterations per epoch, 20 epochs.
    const x = rng.rand(200, 1, 16, 16).astype('float32');
    const t = rng.randint(0, 10, 200);
    const net = new SimpleConvNet({
      inputDim: [1, 16, 16],
      convParam: { filterNum: 8, filterSize: 3 },
      hiddenSize: 32,
      dtype: 'float32',
      seed: 1,
    });
    const before = await settledLiveBytes();
    const memory: number[] = [];
    const trainer = new Trainer(net, x, t, x.index(':40'), t.index(':40'), {
      epochs: 20,
      miniBatchSize: 20,
      optimizer: 'adam',
      optimizerParam: { lr: 0.001 },
      verbose: false,
      seed: 2,
      onEpoch: () => memory.push(wasmInfo()!.memory.memoryBytes),
    });
    await trainer.trainAsync();
    expect(trainer.currentIter).toBe(200);
    // An iteration hands out about 1 MB: 150 MB over the last 150 iterations if nothing came back.
    // After 5 epochs (50 iterations) the memory has about reached its size; when collections come
    // late (a loaded machine) it may grow a few more steps of 1/8, never by what was handed out.
    expect(memory.at(-1)! - memory[4]).toBeLessThan(64 << 20);
    // Every block of the run came back but the network's state: Adam's m and v, the layers' caches.
    const after = await settledLiveBytes();
    const paramBytes = Object.values(net.params).reduce((s, p) => s + p.size * 4, 0);
    expect(after - before).toBeLessThan(4 * paramBytes + (1 << 20));
    expect(wasmInfo()!.memory.fallbacks).toBe(0);
  });
});
