// Per-layer timing of one training iteration (forward, backward, Adam update) of SimpleConvNet or
// DeepConvNet on the wasm kernels, the mean of REPS iterations after 3 warm-up ones, with a turn
// of the event loop after each as in Trainer.trainAsync:
//   npx tsx bench/profile.ts [simple|deep] [threads] [reps]
import { loadMnist } from '../src/data/mnist.js';
import { setBackend, yieldToFinalizers } from '../src/ndarray/index.js';
import { DeepConvNet, SimpleConvNet } from '../src/networks/index.js';
import { Adam } from '../src/optimizers/index.js';
import { initWasmNode } from '../src/node/threads.js';

const which = process.argv[2] ?? 'simple';
const threads = Number(process.argv[3] ?? 1);
const info = await initWasmNode({ threads, maxMemoryMB: 4096 });
console.log(
  `${which === 'deep' ? 'DeepConvNet' : 'SimpleConvNet'}, ${info.name}, ${threads} thread(s), ms per call:`,
);
setBackend('wasm');
const { xTrain, tTrain } = loadMnist({ normalize: true, flatten: false });
const x = xTrain.index('0:100');
const t = tTrain.index('0:100');
const net =
  which === 'deep'
    ? new DeepConvNet({ dtype: 'float32', seed: 1 })
    : new SimpleConvNet({ dtype: 'float32', seed: 1 });
const opt = new Adam({ lr: 0.001 });
const seq = net.net;
const layers = [...seq.layers.entries()];
const times = new Map<string, number>();
const add = (k: string, ms: number) => times.set(k, (times.get(k) ?? 0) + ms);
const REPS = Number(process.argv[4] ?? 20);
for (let rep = -3; rep < REPS; rep++) {
  const t0 = performance.now();
  let out = x;
  for (const [name, layer] of layers) {
    const a = performance.now();
    out = layer.forward(out, true);
    if (rep >= 0) add(`${name} fwd`, performance.now() - a);
  }
  let a = performance.now();
  seq.lastLayer.forward(out, t);
  let d = seq.lastLayer.backward(1);
  if (rep >= 0) add('softmax', performance.now() - a);
  for (let i = layers.length - 1; i >= 0; i--) {
    a = performance.now();
    d = layers[i][1].backward(d);
    if (rep >= 0) add(`${layers[i][0]} bwd`, performance.now() - a);
  }
  a = performance.now();
  opt.update(net.params, collect());
  if (rep >= 0) add('adam', performance.now() - a);
  if (rep >= 0) add('TOTAL', performance.now() - t0);
  await yieldToFinalizers();
}
function collect() {
  // the layers' grads, by the params' names (as gradient() returns them)
  const g: Record<string, import('../src/ndarray/index.js').NDArray> = {};
  let i = 1;
  for (const [, layer] of layers) {
    const p = (layer as { grads?: Record<string, import('../src/ndarray/index.js').NDArray> })
      .grads;
    if (p?.W) {
      g[`W${i}`] = p.W;
      g[`b${i}`] = p.b;
      i++;
    }
  }
  return g;
}
for (const [k, v] of times) console.log(k.padEnd(16), (v / REPS).toFixed(2));
