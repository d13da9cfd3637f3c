// The convolutional networks through the command line (issue 4 §2–3): `scratchnet train --net
// simple-convnet --save F`, then `eval F` and `predict F digit.png`; `eval --net simple-convnet
// --params P.npz` with the book's np.savez(file, **params) layout, and a wrong P.npz; DeepConvNet's
// save/load round trip. Every printed accuracy is checked against the network itself.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadMnist } from '../../src/data/mnist.js';
import { softmax } from '../../src/functions/activations.js';
import { loadModel, saveNpz } from '../../src/io/node.js';
import { importParams } from '../../src/networks/importParams.js';
import type { SavableNetwork } from '../../src/networks/registry.js';
import { SimpleConvNet } from '../../src/networks/simpleConvNet.js';
import { yieldToFinalizers } from '../../src/ndarray/index.js';
import { encodePNG } from '../../src/plot/image.js';

let dir: string;
let stdout: string[] = [];
let stderr: string[] = [];

/** Runs `scratchnet ...argv` with output captured; resolves to the exit code. */
async function run(...argv: string[]): Promise<number> {
  stdout = [];
  stderr = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void stdout.push(a.join(' ')));
  const err = vi
    .spyOn(console, 'error')
    .mockImplementation((...a) => void stderr.push(a.join(' ')));
  try {
    return await main(argv);
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

/** The accuracy `eval` prints in its first line: `Kind: test accuracy 0.1234 (k/N)`. */
function printedAccuracy(kind: string): { acc: string; correct: number; total: number } {
  const m = new RegExp(`^${kind}: test accuracy (\\d\\.\\d{4}) \\((\\d+)/(\\d+)\\)$`).exec(
    stdout[0] ?? '',
  );
  expect(m, stdout.join('\n')).not.toBeNull();
  return { acc: m![1], correct: Number(m![2]), total: Number(m![3]) };
}

/** The accuracy `train` prints last: `done: test accuracy 0.1234 on N images; …`. */
function trainedAccuracy(): string {
  const line = stdout.find((l) => l.startsWith('done: test accuracy '));
  expect(line, stdout.join('\n')).toBeDefined();
  return /^done: test accuracy (\d\.\d{4}) on /.exec(line!)![1];
}

/**
 * Correct predictions of `net` on the first n MNIST test images (n, 1, 28, 28), 100 at a time
 * with a turn of the event loop after each batch, so the wasm kernels get their memory back.
 */
async function correctOf(net: SavableNetwork, n: number): Promise<number> {
  const dtype = net.params.W1.dtype === 'float32' ? 'float32' : 'float64';
  const { xTest, tTest } = loadMnist({ flatten: false, dtype });
  let correct = 0;
  for (let start = 0; start < n; start += 100) {
    const stop = Math.min(n, start + 100);
    const y = net.predict(xTest.index(`${start}:${stop}`), false).argmax(1).data; // (batch,)
    for (let i = 0; i < y.length; i++) if (y[i] === tTest.get(start + i)) correct++;
    await yieldToFinalizers();
  }
  return correct;
}

const TEST_SIZE = 500;
let model: string;
let trainAcc: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scratchnet-convnets-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// First, while the wasm kernels' memory is fresh. A command line process runs one command; here
// one process runs them all, and the wasm kernels get the memory of garbage arrays back only when
// V8 collects them: run last, this test's DeepConvNet hits "got a full heap" (1024 MiB, the CLI's
// default) in this process, though the same commands in sequence outside vitest do not.
describe('scratchnet train --net deep-convnet --save, then eval', () => {
  it('round-trips a DeepConvNet trained on 100 images through its model file', async () => {
    const deep = join(dir, 'deep.safetensors');
    const args = ['--train-size', '100', '--test-size', '100', '--epochs', '1'];
    const code = await run(
      'train',
      '--net',
      'deep-convnet',
      ...args,
      '--no-progress',
      '--save',
      deep,
    );
    expect(stderr).toEqual([]);
    expect(code).toBe(0);
    expect(stdout[0]).toMatch(/^scratchnet train: DeepConvNet \(/);
    const acc = trainedAccuracy();

    expect(await run('eval', deep, '--test-size', '100')).toBe(0);
    const printed = printedAccuracy('DeepConvNet');
    expect(printed.acc).toBe(acc);
    const net = loadModel(deep).network;
    expect(net.kind).toBe('DeepConvNet');
    expect(Object.keys(net.params)).toHaveLength(16);
    expect(printed.correct).toBe(await correctOf(net, 100));
  });
});

describe('SimpleConvNet through the command line', () => {
  beforeAll(async () => {
    model = join(dir, 'simple.safetensors');
    const code = await run(
      'train',
      '--net',
      'simple-convnet',
      '--train-size',
      '300',
      '--test-size',
      String(TEST_SIZE),
      '--epochs',
      '1',
      '--no-progress',
      '--save',
      model,
    );
    expect(stderr).toEqual([]);
    expect(code).toBe(0);
    expect(stdout[0]).toMatch(/^scratchnet train: SimpleConvNet \(/);
    expect(stdout).toContain(`saved ${model}`);
    trainAcc = trainedAccuracy();
  });

  describe('scratchnet train --net simple-convnet --save, then eval and predict', () => {
    it('eval prints the accuracy the saved network has, and the one training printed', async () => {
      expect(await run('eval', model, '--test-size', String(TEST_SIZE))).toBe(0);
      const { acc, correct, total } = printedAccuracy('SimpleConvNet');
      expect(total).toBe(TEST_SIZE);
      const net = loadModel(model).network;
      expect(net.kind).toBe('SimpleConvNet');
      expect(correct).toBe(await correctOf(net, TEST_SIZE));
      expect(acc).toBe(trainAcc);
      expect(correct / total).toBeGreaterThan(0.2); // three Adam steps from chance (0.1)
    });

    it('predict classifies a PNG of a test digit as the network does, with its probabilities', async () => {
      const { xTest } = loadMnist({ normalize: false, flatten: false }); // uint8 (N, 1, 28, 28)
      const i = 3;
      const digit = join(dir, 'digit.png');
      await writeFile(digit, encodePNG(xTest.index(i, 0))); // (28, 28) uint8, as MNIST stores it
      expect(await run('predict', model, digit)).toBe(0);
      expect(stdout).toHaveLength(1);

      const net = loadModel(model).network;
      const x = loadMnist({ flatten: false, dtype: 'float32' }).xTest.index(`${i}:${i + 1}`);
      const p = softmax(net.predict(x, false)).reshape(10); // (1, 10) → (10,)
      const probs = p
        .toList()
        .map((v, k) => `${k}:${v.toFixed(3)}`)
        .join(' ');
      expect(stdout[0]).toBe(`${digit}: ${p.argmax().item()}  (${probs})`);
    });
  });

  describe("scratchnet eval --net simple-convnet --params P.npz (the book's np.savez layout)", () => {
    let trained: SavableNetwork;
    let params: string;

    beforeAll(() => {
      trained = loadModel(model).network;
      params = join(dir, 'simple_convnet_params.npz');
      saveNpz(params, trained.params); // np.savez(file, **network.params): W1, b1, …, b3 in float32
    });

    it('gives the accuracy of that network in float32', async () => {
      const code = await run(
        'eval',
        '--net',
        'simple-convnet',
        '--params',
        params,
        '--dtype',
        'float32',
        '--test-size',
        String(TEST_SIZE),
      );
      expect(code).toBe(0);
      const { correct, acc } = printedAccuracy('SimpleConvNet');
      expect(correct).toBe(await correctOf(trained, TEST_SIZE));
      expect(acc).toBe(trainAcc);
    });

    it('gives the accuracy of the same weights in float64 (the default)', async () => {
      expect(
        await run('eval', '--net', 'simple-convnet', '--params', params, '--test-size', '200'),
      ).toBe(0);
      const net64 = new SimpleConvNet({ dtype: 'float64' });
      importParams(net64, trained.params);
      const { correct, total } = printedAccuracy('SimpleConvNet');
      expect(total).toBe(200);
      expect(correct).toBe(await correctOf(net64, 200));
    });

    it('exits with 1 on a file without b3, listing what was expected and what was found', async () => {
      const { b3: _dropped, ...rest } = trained.params;
      const wrong = join(dir, 'missing_b3.npz');
      saveNpz(wrong, rest);
      const code = await run('eval', '--net', 'simple-convnet', '--params', wrong);
      expect(code).toBe(1);
      expect(stdout).toEqual([]);
      const message = stderr.join('\n');
      expect(message).toContain(
        "scratchnet: --params 'missing_b3.npz': expected W1 (30,1,5,5), b1 (30,), W2 (4320,100), " +
          'b2 (100,), W3 (100,10), b3 (10,), got W1 (30,1,5,5), b1 (30,), W2 (4320,100), b2 (100,), ' +
          'W3 (100,10)',
      );
      expect(message).toContain('missing: b3');
    });
  });
});
