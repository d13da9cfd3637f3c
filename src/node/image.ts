// Image files from Node: imread/imsave over the pure codecs of src/plot/image.ts, and the atomic
// write (temporary file + rename) every file-producing helper uses.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { NDArray } from '../ndarray/ndarray.js';
import { decodeImage, encodePNG, type DecodeOptions } from '../plot/image.js';

let tmpCounter = 0;

/**
 * Writes `data` to `path` atomically: into a temporary file beside it, then renamed into place,
 * so readers never see half a file. Creates missing parent directories.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.tmp-${basename(path)}-${process.pid}-${tmpCounter++}`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Reads a PNG or JPEG file into a uint8 array, as matplotlib's `imread` (but 0..255, not 0..1).
 * @returns (H, W), (H, W, 3) or (H, W, 4), per `mode`
 */
export async function imread(path: string, options: DecodeOptions = {}): Promise<NDArray> {
  const bytes = new Uint8Array(await readFile(path));
  try {
    return decodeImage(bytes, options);
  } catch (err) {
    throw new Error(`imread: ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Writes an image array as a PNG file (atomically).
 * @param img (H, W), (H, W, 3) or (H, W, 4); uint8 0..255 or float 0..1
 */
export async function imsave(path: string, img: NDArray): Promise<void> {
  await writeFileAtomic(path, encodePNG(img));
}
