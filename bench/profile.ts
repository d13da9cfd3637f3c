// Per-layer timing of one training iteration (forward, backward, update) of TwoLayerNet (SGD),
// SimpleConvNet or DeepConvNet (Adam) on the wasm kernels: the network's own lossAndGradient (so Sequential recycles its
// arrays as in training) with every layer's forward/backward timed, the mean of REPS iterations
// after 3 warm-up ones, with a turn of the event loop after each as in Trainer.trainAsync:
//   npx tsx bench/profile.ts [two|simple|deep] [threads] [reps]
import { loadMnist } from '../src/data/mnist.js';
import type { Layer } from '../src/layers/index.js';
import { setBackend, yieldToFinalizers, type NDArray } from '../src/ndarray/index.js';
import { DeepConvNet, SimpleConvNet, TwoLayerNet } from '../src/networks/index.js';
import { Adam, SGD } from '../src/optimizers/index.js';
import { initWasmNode } from '../src/node/threads.js';

const which = process.argv[2] ?? 'simple';
const threads = Number(process.argv[3] ?? 1);
const REPS = Number(process.argv[4] ?? 20);
const info = await initWasmNode({ threads, maxMemoryMB: 4096 });
setBackend('wasm');
const name = which === 'deep' ? 'DeepConvNet' : which === 'two' ? 'TwoLayerNet' : 'SimpleConvNet';
console.log(`${name}, ${info.name}, ${threads} thread(s), ms per iteration:`);
const { xTrain, tTrain } = loadMnist({ normalize: true, flatten: which === 'two' });
const x = xTrain.index('0:100');
const t = tTrain.index('0:100');
const net =
  which === 'deep'
    ? new DeepConvNet({ dtype: 'float32', seed: 1 })
    : which === 'two'
      ? new TwoLayerNet({
          inputSize: 784,
          hiddenSize: 50,
          outputSize: 10,
          dtype: 'float32',
          seed: 1,
        })
      : new SimpleConvNet({ dtype: 'float32', seed: 1 });
// The book's optimizers: SGD (lr 0.1) for the chapter 5 TwoLayerNet, Adam for the conv nets.
const opt = which === 'two' ? new SGD({ lr: 0.1 }) : new Adam({ lr: 0.001 });

const times = new Map<string, number>();
let timing = false;
const add = (k: string, ms: number) => {
  if (timing) times.set(k, (times.get(k) ?? 0) + ms);
};
/** Wraps a method of an object so that its calls add their time to `key`. */
function timed<T extends object>(obj: T, method: keyof T & string, key: string): void {
  const f = (obj[method] as (...a: unknown[]) => unknown).bind(obj);
  (obj as Record<string, unknown>)[method] = (...args: unknown[]) => {
    const a = performance.now();
    const r = f(...args);
    add(key, performance.now() - a);
    return r;
  };
}
for (const [layerName, layer] of net.net.layers) {
  timed(layer as Layer, 'forward', `${layerName} fwd`);
  timed(layer as Layer, 'backward', `${layerName} bwd`);
  // a network's first layer runs backwardParams (no input gradient) instead
  if ((layer as Layer).backwardParams) timed(layer as Layer, 'backwardParams', `${layerName} bwd`);
}
timed(net.net.lastLayer, 'forward', 'softmax fwd');
timed(net.net.lastLayer, 'backward', 'softmax bwd');

for (let rep = -3; rep < REPS; rep++) {
  timing = rep >= 0;
  const t0 = performance.now();
  const { grads } = net.lossAndGradient(x, t);
  const a = performance.now();
  opt.update(net.params, grads as Record<string, NDArray>);
  add('update', performance.now() - a);
  add('TOTAL', performance.now() - t0);
  await yieldToFinalizers();
}
const total = times.get('TOTAL')!;
const parts = [...times].filter(([k]) => k !== 'TOTAL').reduce((s, [, v]) => s + v, 0);
times.set('(other)', total - parts);
for (const [k, v] of times) console.log(k.padEnd(16), (v / REPS).toFixed(2));
