// Where the book's chapter 3 weights (ch03/sample_weight.pkl, converted to .npz) are found, for
// neuralnet_mnist.ts and neuralnet_mnist_batch.ts (book §3.6.2).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNpz } from '../../src/io/node.js';
import { toThreeLayerNetwork, type ThreeLayerNetwork } from '../../src/networks/ch03.js';

/** The file name of the weights in the fixtures directory. */
export const SAMPLE_WEIGHT_FILE = 'ch03-sample-weight.npz';

/** The directory holding this package's package.json, found by walking up from this file. */
function repoRoot(): string {
  // Walking up works from examples/ch03 (tsx) and from dist/examples/ch03 (compiled) alike.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(
        `sampleWeightPath: expected a package.json above ${fileURLToPath(import.meta.url)}, got none`,
      );
    }
    dir = parent;
  }
}

/**
 * The weights file: `file` when given (a command-line argument), else `$SCRATCHNET_FIXTURES`
 * (a directory holding ch03-sample-weight.npz, or the file itself), else
 * `<repo>/../shared/fixtures/ch03-sample-weight.npz`.
 */
export function sampleWeightPath(file?: string): string {
  if (file !== undefined && file !== '') return path.resolve(file);
  const env = process.env.SCRATCHNET_FIXTURES;
  if (env !== undefined && env !== '') {
    const p = path.resolve(env);
    return fs.existsSync(p) && fs.statSync(p).isDirectory() ? path.join(p, SAMPLE_WEIGHT_FILE) : p;
  }
  return path.join(repoRoot(), '..', 'shared', 'fixtures', SAMPLE_WEIGHT_FILE);
}

/**
 * Loads the book's trained weights (W1 (784, 50), b1 (50,), W2 (50, 100), b2 (100,),
 * W3 (100, 10), b3 (10,), float32) — the book's `init_network()` of neuralnet_mnist.py.
 */
export function loadSampleWeight(file?: string): ThreeLayerNetwork {
  const p = sampleWeightPath(file);
  if (!fs.existsSync(p)) {
    throw new Error(
      `loadSampleWeight: expected the book's weights at '${p}' (pass a path or set SCRATCHNET_FIXTURES), got no such file`,
    );
  }
  return toThreeLayerNetwork(loadNpz(p), p);
}
