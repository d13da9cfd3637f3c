// The main job of issue 2: the book's chapter 3 weights classify 9352 of the 10,000 MNIST test
// images correctly (accuracy 0.9352, book §3.6.2–3.6.3), one at a time and in batches of 100.
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateAccuracy } from '../../src/networks/ch03.js';
import { getData, main as oneByOne } from '../../examples/ch03/neuralnet_mnist.js';
import { main as batched } from '../../examples/ch03/neuralnet_mnist_batch.js';
import {
  loadSampleWeight,
  sampleWeightPath,
  SAMPLE_WEIGHT_FILE,
} from '../../examples/ch03/sampleWeight.js';

describe('chapter 3 MNIST with the book weights', () => {
  const data = getData();
  const network = loadSampleWeight();

  it('loads the weights', () => {
    expect(network.W1.shape).toEqual([784, 50]);
    expect(network.W3.shape).toEqual([100, 10]);
    expect(data.x.shape).toEqual([10000, 784]);
  });

  it('scores 9352 / 10000 one image at a time', () => {
    expect(evaluateAccuracy(network, data.x, data.t)).toEqual({
      correct: 9352,
      total: 10000,
      accuracy: 0.9352,
    });
    const lines: string[] = [];
    expect(oneByOne((l) => lines.push(l), { network, data })).toBe(0.9352);
    expect(lines).toEqual(['Accuracy:0.9352']);
  });

  it('scores 9352 / 10000 in batches of 100', () => {
    const lines: string[] = [];
    expect(batched((l) => lines.push(l), { network, data })).toBe(0.9352);
    expect(lines).toEqual(['Accuracy:0.9352']);
  });

  it('finds the weights from an argument, SCRATCHNET_FIXTURES, or beside the repository', () => {
    const def = sampleWeightPath();
    expect(def.endsWith(`shared/fixtures/${SAMPLE_WEIGHT_FILE}`)).toBe(true);
    expect(fs.existsSync(def)).toBe(true);
    expect(sampleWeightPath('/x/w.npz')).toBe('/x/w.npz');
    const saved = process.env.SCRATCHNET_FIXTURES;
    try {
      process.env.SCRATCHNET_FIXTURES = '/nonexistent/dir/w.npz';
      expect(sampleWeightPath()).toBe('/nonexistent/dir/w.npz');
      expect(() => loadSampleWeight()).toThrow(
        "loadSampleWeight: expected the book's weights at '/nonexistent/dir/w.npz' (pass a path or set SCRATCHNET_FIXTURES), got no such file",
      );
    } finally {
      if (saved === undefined) delete process.env.SCRATCHNET_FIXTURES;
      else process.env.SCRATCHNET_FIXTURES = saved;
    }
  });
});
