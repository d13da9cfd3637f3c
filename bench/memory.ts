// Child process of bench/train.ts: trains SimpleConvNet on MNIST for N iterations and prints one
// JSON line with the RSS high-water mark. `scratchnet`: as `scratchnet train` does it — images kept
// as uint8 and scaled per batch (Trainer `prepare`), wasm kernels on every core, Adam,
// Trainer.trainAsync-style steps. `tfjs-cpu`: the same network in TF.js's cpu backend, MNIST held as
// float32 tensors as a TF.js program would.
//   node dist/bench/memory.js scratchnet 600
import { normalizeImages } from '../src/data/images.js';
import { loadMnist } from '../src/data/mnist.js';
import { rowsView, type NDArray } from '../src/ndarray/index.js';
import { wasmInfo } from '../src/ndarray/kernels/wasm/index.js';
import { SimpleConvNet } from '../src/networks/index.js';
import { initWasmNode } from '../src/node/threads.js';
import { Trainer } from '../src/training/index.js';

const [kind = 'scratchnet', itersText = '100'] = process.argv.slice(2);
const iters = Number(itersText);
if (!(Number.isInteger(iters) && iters > 0)) {
  throw new Error(`bench/memory: expected a positive iteration count, got ${itersText}`);
}

async function scratchnet(): Promise<number> {
  await initWasmNode();
  const d = loadMnist({ normalize: false, flatten: false, oneHotLabel: false, cache: false });
  const prepare = (x: NDArray) => normalizeImages(x, 'float32');
  const net = new SimpleConvNet({ dtype: 'float32', seed: 1 });
  // One epoch of `iters` batches through Trainer.trainAsync, as `scratchnet train` runs it:
  // a turn of the event loop after every iteration and every evaluation batch. The first
  // iters·100 images are taken in place, as `scratchnet train` uses the whole set it loaded
  // (x.index('0:n') would hold a copy besides it).
  const trainer = new Trainer(
    net,
    rowsView(d.xTrain, 0, Math.min(iters * 100, d.xTrain.shape[0])),
    rowsView(d.tTrain, 0, Math.min(iters * 100, d.tTrain.shape[0])),
    d.xTest,
    d.tTest,
    {
      epochs: 1,
      optimizer: 'adam',
      optimizerParam: { lr: 0.001 },
      verbose: false,
      seed: 1,
      prepare,
    },
  );
  await trainer.trainAsync();
  trainingRssMB = process.resourceUsage().maxRSS / 1024;
  trainingWasmMB = (wasmInfo()?.memory.memoryBytes ?? 0) / 2 ** 20;
  const loss = trainer.trainLossList[trainer.trainLossList.length - 1];
  return loss;
}

async function tfjsCpu(): Promise<number> {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  await (await import('./tfjsGradients.js')).registerTfjsGradients();
  await tf.setBackend('cpu');
  const d = loadMnist({ normalize: true, flatten: false, oneHotLabel: true, dtype: 'float32' });
  const n = d.xTrain.shape[0];
  const x = tf.tensor(d.xTrain.data as Float32Array, [n, 28, 28, 1]);
  const t = tf.tensor(d.tTrain.data as Float32Array, [n, 10]);
  const net = new SimpleConvNet({ dtype: 'float32', seed: 1 });
  const v = Object.fromEntries(
    Object.entries(net.params).map(([k, p]) => {
      const a = tf.tensor(p.data as Float32Array, p.shape as number[]);
      return [k, tf.variable(p.ndim === 4 ? tf.transpose(a, [2, 3, 1, 0]) : a)];
    }),
  );
  const opt: import('@tensorflow/tfjs-core').Optimizer = tf.train.adam(0.001);
  let loss = NaN;
  for (let i = 0; i < iters; i++) {
    const idx = tf.tensor1d(
      Array.from({ length: 100 }, (_, j) => (i * 100 + j) % n),
      'int32',
    );
    const xb = tf.gather(x, idx);
    const tb = tf.gather(t, idx);
    const f = () => {
      const c = tf.relu(tf.add(tf.conv2d(xb as never, v.W1 as never, 1, 0), v.b1));
      const p = tf.maxPool(c as never, 2, 2, 'valid');
      const h = tf.reshape(tf.transpose(p, [0, 3, 1, 2]), [100, -1]);
      const s = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(h, v.W2), v.b2)), v.W3), v.b3);
      return tf.losses.softmaxCrossEntropy(tb, s) as never;
    };
    const { value, grads } = tf.variableGrads(f);
    opt.applyGradients(grads);
    loss = value.dataSync()[0];
    tf.dispose([value, idx, xb, tb, ...Object.values(grads)]);
  }
  return loss;
}

/** RSS high-water mark and wasm memory after the training iterations, before the evaluation. */
let trainingRssMB = NaN;
let trainingWasmMB = NaN;
const loss = kind === 'tfjs-cpu' ? await tfjsCpu() : await scratchnet();
console.log(
  JSON.stringify({
    kind,
    iters,
    loss,
    trainingRssMB,
    trainingWasmMB,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    wasmMB: (wasmInfo()?.memory.memoryBytes ?? 0) / 2 ** 20,
  }),
);
process.exit(0);
