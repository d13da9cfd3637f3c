// Node file helpers for the io formats: load/save .npy, .npz and safetensors files, and atomic
// writes (temporary file in the same directory, fsync, rename). The only io module using node:fs.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NDArray } from '../ndarray/ndarray.js';
import { parseNpy, serializeNpy, type ParseNpyOptions } from './npy.js';
import { parseNpz, serializeNpz, type SerializeNpzOptions } from './npz.js';
import { parseSafetensors, serializeSafetensors, type Safetensors } from './safetensors.js';
import { parseModel, serializeModel, type LoadedModel, type TrainingInfo } from './model.js';
import type { SavableNetwork } from '../networks/registry.js';

/** Options of {@link loadNpy} and {@link loadNpz}. */
export type LoadNpyOptions = Omit<ParseNpyOptions, 'name'>;

function read(file: string): Uint8Array {
  const buf = fs.readFileSync(file);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

let counter = 0;

/**
 * Writes `bytes` to `file` atomically: a temporary file in the same directory is written,
 * fsynced and renamed over `file`, so readers see the old file or the new one, never a partial
 * one. On failure the temporary file is removed and the error rethrown.
 */
export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(
    dir,
    `.${path.basename(file)}.${process.pid}.${Date.now()}.${counter++}.tmp`,
  );
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx');
    let written = 0;
    while (written < bytes.length) {
      written += fs.writeSync(fd, bytes, written, bytes.length - written);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  // Persist the rename itself; directories cannot be opened for fsync on every platform.
  try {
    const dfd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  } catch {
    // best effort
  }
}

/**
 * Reads a NumPy `.npy` file into an NDArray (see {@link parseNpy} for the dtypes).
 * @returns an array with the file's shape
 */
export function loadNpy(file: string, options: LoadNpyOptions = {}): NDArray {
  return parseNpy(read(file), { ...options, name: file });
}

/** Writes an NDArray as a NumPy `.npy` file, atomically. */
export function saveNpy(file: string, array: NDArray): void {
  writeFileAtomic(file, serializeNpy(array));
}

/**
 * Reads a NumPy `.npz` archive into arrays keyed by entry name without `.npy`.
 * @example
 * const { W1, b1 } = loadNpz('sample_weight.npz'); // W1 (784, 50), b1 (50,)
 */
export function loadNpz(file: string, options: LoadNpyOptions = {}): Record<string, NDArray> {
  return parseNpz(read(file), { ...options, name: file });
}

/** Writes arrays as a NumPy `.npz` archive (stored, or deflated with `compress`), atomically. */
export function saveNpz(
  file: string,
  arrays: Readonly<Record<string, NDArray>>,
  options: SerializeNpzOptions = {},
): void {
  writeFileAtomic(file, serializeNpz(arrays, options));
}

/** Reads and validates a safetensors file (see {@link parseSafetensors}). */
export function loadSafetensors(file: string): Safetensors {
  return parseSafetensors(read(file), { name: file });
}

/** Writes tensors and string metadata as a safetensors file, atomically. */
export function saveSafetensors(
  file: string,
  tensors: Readonly<Record<string, NDArray>>,
  metadata?: Readonly<Record<string, string>>,
): void {
  writeFileAtomic(file, serializeSafetensors(tensors, metadata));
}

/** Saves `net` as a model file (safetensors with its architecture), atomically. */
export function saveModel(file: string, net: SavableNetwork, training: TrainingInfo = {}): void {
  writeFileAtomic(file, serializeModel(net, training));
}

/** Loads a model file saved by `saveModel`, re-creating the right network class. */
export function loadModel(file: string): LoadedModel {
  return parseModel(read(file), path.basename(file));
}
