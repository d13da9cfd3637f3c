// Byte images to floats: the book's normalisation (load_mnist(normalize=True): astype(float32),
// then /= 255.0), for a whole dataset or one batch at a time. No file access: runs in browsers.
import { allocate } from '../ndarray/dtype.js';
import { NDArray } from '../ndarray/ndarray.js';
import { formatShape } from '../ndarray/shape.js';

/** The 256 quotients v / 255 per float dtype, made once. */
const tables: { float32?: NDArray; float64?: NDArray } = {};

function scaleTable(dtype: 'float32' | 'float64'): NDArray {
  let table = tables[dtype];
  if (!table) {
    // v / 255 in float64, stored: in float32 this rounds the double quotient once more, which
    // gives the correctly rounded float32 quotient (the double has more than twice the bits),
    // as NumPy's float32 division does
    const data = allocate(dtype, 256);
    for (let v = 0; v < 256; v++) data[v] = v / 255;
    table = tables[dtype] = new NDArray(data, [256], dtype);
  }
  return table;
}

/**
 * Pixels 0–255 scaled to [0, 1]: `x.astype(dtype) / 255`, value for value (bit for bit), as the
 * book's load_mnist(normalize=True) does. Computed as `table[x]`, a look-up of the 256 quotients
 * per pixel instead of a conversion and a division: a Trainer's `prepare` can keep MNIST as
 * uint8 (a quarter of the memory) and scale each batch as it is drawn.
 * @param x uint8 images of any shape, e.g. (N, 784) or (N, 1, 28, 28)
 * @returns an array of x's shape in `dtype`
 */
export function normalizeImages(x: NDArray, dtype: 'float32' | 'float64' = 'float32'): NDArray {
  if (x.dtype !== 'uint8') {
    throw new Error(
      `normalizeImages: expected uint8 pixels (0–255), got ${x.dtype} of shape ${formatShape(x.shape)}`,
    );
  }
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new Error(
      `normalizeImages: expected dtype 'float32' or 'float64', got '${String(dtype)}'`,
    );
  }
  return scaleTable(dtype).take(x, 0);
}
