// Boundary checks shared by the layers: shapes destructured with named errors, cached state that
// must exist (STYLE.md §6). Not a book listing: the book's layers assert nothing.
import type { NDArray } from '../ndarray/index.js';

/** `[N, D]` of a 2-D array, or an error `where: expected a 2-D array, got shape [..]`. */
export function dims2(x: NDArray, where: string): [number, number] {
  if (x.ndim !== 2) throw new Error(`${where}: expected a 2-D array, got shape ${shapeText(x)}`);
  return [x.shape[0], x.shape[1]];
}

/** `[N, C, H, W]` of a 4-D array, or an error `where: expected a 4-D array, got shape [..]`. */
export function dims4(x: NDArray, where: string): [number, number, number, number] {
  if (x.ndim !== 4) throw new Error(`${where}: expected a 4-D array, got shape ${shapeText(x)}`);
  return [x.shape[0], x.shape[1], x.shape[2], x.shape[3]];
}

/** Throws unless `x` has exactly `shape` (e.g. dout must match what forward returned). */
export function expectShape(
  x: NDArray,
  shape: readonly number[],
  where: string,
  what = 'dout',
): void {
  if (x.ndim !== shape.length || x.shape.some((d, i) => d !== shape[i])) {
    throw new Error(
      `${where}: expected ${what} of shape ${listText(shape)}, got shape ${shapeText(x)}`,
    );
  }
}

/** Throws unless `x` is a float array (gradients of integer arrays make no sense). */
export function expectFloat(x: NDArray, where: string, what = 'a float array'): void {
  if (!x.isFloat) throw new Error(`${where}: expected ${what}, got dtype ${x.dtype}`);
}

/** The value cached by forward(), or a named error when backward() comes first. */
export function cached<T>(value: T | undefined, where: string): T {
  if (value === undefined) {
    throw new Error(`${where}: expected forward() to have run first, got no cached input`);
  }
  return value;
}

/** A shape as `[2,3]`, the form the layers' errors use. */
export function shapeText(x: NDArray): string {
  return listText(x.shape);
}

function listText(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
