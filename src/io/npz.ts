// NumPy .npz archives (np.savez / np.savez_compressed): a zip of .npy entries, read and written
// with fflate, bytes in and out.

import { unzipSync, zipSync, type Zippable } from 'fflate';
import type { NDArray } from '../ndarray/ndarray.js';
import { parseNpy, serializeNpy, type ParseNpyOptions } from './npy.js';

/** Options of {@link serializeNpz}. */
export interface SerializeNpzOptions {
  /** Deflate the entries, as `np.savez_compressed`; default `false` (stored, as `np.savez`). */
  compress?: boolean;
}

/**
 * Parses the bytes of a NumPy `.npz` archive (stored or deflated entries) into arrays keyed by
 * entry name without the `.npy` suffix, in archive order. Errors name the archive and the entry.
 * @param bytes the whole file
 * @param options `name` is the archive's name in error messages; `int64` as in {@link parseNpy}
 * @example
 * parseNpz(serializeNpz({ W1: zeros([2, 3]) })).W1.shape; // [2, 3]
 */
export function parseNpz(
  bytes: Uint8Array,
  options: ParseNpyOptions = {},
): Record<string, NDArray> {
  const { name = 'arrays.npz', ...rest } = options;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    const start = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(
      `npz '${name}': expected a zip archive (starting 50 4b 03 04), got ${start || 'an empty file'} (${why})`,
      { cause: e },
    );
  }
  const arrays: [string, NDArray][] = [];
  for (const [entry, data] of Object.entries(entries)) {
    if (entry.endsWith('/')) continue; // a directory entry
    const key = entry.endsWith('.npy') ? entry.slice(0, -4) : entry;
    arrays.push([key, parseNpy(data, { ...rest, name: `${name}/${entry}` })]);
  }
  // fromEntries defines own properties, so a key such as "__proto__" stays an ordinary key.
  return Object.fromEntries(arrays);
}

/**
 * Serializes arrays as the bytes of a `.npz` archive that `np.load` reads: one `<key>.npy` entry
 * per array, in key order of the record, stored or deflated.
 * @param arrays any shapes and dtypes
 * @example
 * Object.keys(parseNpz(serializeNpz({ W1: zeros([2, 3]), b1: zeros([3]) }))); // ['W1', 'b1']
 */
export function serializeNpz(
  arrays: Readonly<Record<string, NDArray>>,
  { compress = false }: SerializeNpzOptions = {},
): Uint8Array {
  const files: Zippable = {};
  for (const [key, a] of Object.entries(arrays)) {
    Object.defineProperty(files, `${key}.npy`, {
      value: [serializeNpy(a), { level: compress ? 6 : 0 }],
      enumerable: true,
    });
  }
  // A fixed time stamp (the DOS epoch, as NumPy writes) makes the output reproducible.
  return zipSync(files, { mtime: new Date(1980, 0, 1, 0, 0, 0) });
}
