// Model files: save → load re-creates the right class with identical predictions; bad files and
// mismatched tensors get named errors; writes are atomic.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/ndarray/index.js';
import { parseModel, serializeModel } from '../../src/io/model.js';
import { loadModel, saveModel } from '../../src/io/node.js';
import { parseSafetensors, serializeSafetensors } from '../../src/io/safetensors.js';
import { createNetwork, type SavableNetwork } from '../../src/networks/registry.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scratchnet-model-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function trained(net: SavableNetwork, x: ReturnType<Rng['randn']>, t: ReturnType<Rng['randint']>) {
  // a few plain SGD steps so the parameters are not their initial values
  for (let i = 0; i < 3; i++) {
    const g = net.gradient(x, t);
    for (const k of Object.keys(net.params)) net.params[k].subInPlace(g[k].mul(0.1));
  }
  net.predict(x, true); // updates BatchNormalization's running statistics
  return net;
}

const rng = new Rng(3);
const cases: [string, () => SavableNetwork, number[]][] = [
  [
    'TwoLayerNet',
    () => createNetwork('TwoLayerNet', { inputSize: 6, hiddenSize: 5, outputSize: 3, seed: 1 }),
    [4, 6],
  ],
  [
    'MultiLayerNetExtend',
    () =>
      createNetwork('MultiLayerNetExtend', {
        inputSize: 6,
        hiddenSizeList: [5, 4],
        outputSize: 3,
        useBatchnorm: true,
        useDropout: true,
        dropoutRatio: 0.2,
        seed: 2,
      }),
    [4, 6],
  ],
  [
    'SimpleConvNet',
    () =>
      createNetwork('SimpleConvNet', {
        inputDim: [1, 6, 6],
        convParam: { filterNum: 2, filterSize: 3, pad: 0, stride: 1 },
        hiddenSize: 4,
        outputSize: 3,
        seed: 3,
      }),
    [2, 1, 6, 6],
  ],
];

describe('model files', () => {
  for (const [kind, make, xShape] of cases) {
    it(`round-trips a ${kind} with identical predictions`, () => {
      const x = rng.randn(...xShape);
      const t = rng.randint(0, 3, [xShape[0]]);
      const net = trained(make(), x, t);
      const file = path.join(tmp, `${kind}.safetensors`);
      saveModel(file, net, { epochs: 3 });
      const { network, training } = loadModel(file);
      expect(network.kind).toBe(kind);
      expect(network.constructor).toBe(net.constructor);
      expect(training).toEqual({ epochs: 3 });
      expect(network.predict(x, false).toList()).toEqual(net.predict(x, false).toList());
      // another safetensors reader sees plain tensors
      const raw = parseSafetensors(fs.readFileSync(file));
      expect(Object.keys(raw.tensors).sort()).toEqual(
        Object.keys({ ...net.params, ...net.buffers() }).sort(),
      );
      expect(raw.metadata.kind).toBe(kind);
    });
  }

  it('round-trips a DeepConvNet (float32)', () => {
    const net = createNetwork('DeepConvNet', { seed: 4, dtype: 'float32' });
    const loaded = parseModel(serializeModel(net)).network;
    const x = rng.randn(1, 1, 28, 28).astype('float32');
    expect(loaded.predict(x, false).toList()).toEqual(net.predict(x, false).toList());
    expect(loaded.params.W1.dtype).toBe('float32');
  });

  const net = createNetwork('TwoLayerNet', { inputSize: 4, hiddenSize: 3, outputSize: 2, seed: 5 });
  const good = serializeModel(net);

  it('names a truncated file', () => {
    expect(() => parseModel(good.subarray(0, good.length - 10), 'cut.safetensors')).toThrow(
      /cut\.safetensors/,
    );
    expect(() => parseModel(good.subarray(0, 5), 'tiny.safetensors')).toThrow(/tiny\.safetensors/);
  });
  it('names a corrupted header', () => {
    const bad = good.slice();
    bad[10] = 0x7b; // '{' inside the JSON header
    bad[11] = 0x7b;
    expect(() => parseModel(bad, 'bad.safetensors')).toThrow(/bad\.safetensors/);
  });
  it('rejects a safetensors file that is not a scratchnet model', () => {
    const other = serializeSafetensors({ W1: net.params.W1 }, { format: 'pt' });
    expect(() => parseModel(other, 'torch.safetensors')).toThrow(
      "model 'torch.safetensors': expected __metadata__.format 'scratchnet' (a scratchnet model file), got 'pt'",
    );
  });
  it('lists every tensor that does not match the architecture, and loads nothing', () => {
    const { metadata } = parseSafetensors(good);
    const tensors = { ...net.params, W2: rng.randn(5, 2), extra: rng.randn(2) } as Record<
      string,
      ReturnType<Rng['randn']>
    >;
    delete tensors.b1;
    const bytes = serializeSafetensors(tensors, metadata);
    expect(() => parseModel(bytes, 'm.safetensors')).toThrow(
      "model 'm.safetensors': tensors do not match the TwoLayerNet architecture: missing tensor 'b1' (3,); tensor 'W2': expected shape (3,2), got (5,2); unexpected tensor 'extra'",
    );
  });
  it('rejects an unknown class and a config that does not build', () => {
    const { tensors, metadata } = parseSafetensors(good);
    expect(() =>
      parseModel(serializeSafetensors(tensors, { ...metadata, kind: 'ResNet' })),
    ).toThrow(/expected __metadata__.kind to be one of TwoLayerNet, .*got 'ResNet'/);
    expect(() =>
      parseModel(serializeSafetensors(tensors, { ...metadata, config: '{"inputSize": -1}' })),
    ).toThrow(/its config does not build a TwoLayerNet/);
    expect(() =>
      parseModel(serializeSafetensors(tensors, { ...metadata, config: '{oops' })),
    ).toThrow(/expected JSON in __metadata__.config/);
  });
  it('writes atomically: a failed write leaves the old file and no temporary file', () => {
    const file = path.join(tmp, 'keep.safetensors');
    saveModel(file, net);
    const before = fs.readFileSync(file);
    const dirAsFile = path.join(tmp, 'keep.safetensors', 'nested.safetensors');
    expect(() => saveModel(dirAsFile, net)).toThrow();
    expect(fs.readFileSync(file)).toEqual(before);
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
