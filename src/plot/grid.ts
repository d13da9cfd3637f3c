// Image grids: many small images in one figure without axes (MNIST digits, the first layer's
// convolution filters of chapter 7, misclassified digits with their labels).
import { NDArray } from '../ndarray/ndarray.js';
import { formatShape } from '../ndarray/shape.js';
import type { ColormapName } from './colors.js';
import { Figure } from './figure.js';

/** Options of {@link imageGrid}. */
export interface ImageGridOptions {
  /** Images per row (default ⌈√N⌉). */
  cols?: number;
  /** One title per image (e.g. `'7 (pred 1)'`), drawn above it. */
  titles?: readonly string[];
  /** Colour map for one-channel images (default `'gray'`; the book's filters use `'gray_r'`). */
  cmap?: ColormapName;
  /** `'each'` (default): every image spans the whole map, as separate imshow calls; `'all'`: one range. */
  normalize?: 'each' | 'all';
  /** Fixed low end of the map (overrides `normalize`). */
  vmin?: number;
  /** Fixed high end of the map (overrides `normalize`). */
  vmax?: number;
  /** Size of each image cell in px (default 64, at least 2 px per image pixel up to 112). */
  cellSize?: number;
  /** A title above the grid. */
  suptitle?: string;
  /** Font size in px of the titles (default 12). */
  fontSize?: number;
}

/** Splits a batch into single images (H, W) or (H, W, C). */
function splitImages(images: NDArray | readonly NDArray[]): NDArray[] {
  if (Array.isArray(images)) return [...(images as readonly NDArray[])];
  const a = images as NDArray;
  const s = a.shape;
  const slice = (n: number, shape: number[]) => {
    const size = shape.reduce((p, d) => p * d, 1);
    return Array.from(
      { length: n },
      (_, i) => new NDArray(a.data.slice(i * size, (i + 1) * size), shape),
    );
  };
  if (s.length === 2) {
    // (N, D) with D a square: flattened images such as MNIST's (N, 784).
    const side = Math.round(Math.sqrt(s[1]));
    if (side * side === s[1] && s[0] !== s[1]) return slice(s[0], [side, side]);
    return [a];
  }
  if (s.length === 3) {
    if (s[2] === 3 || s[2] === 4) return [a];
    return slice(s[0], [s[1], s[2]]);
  }
  if (s.length === 4) {
    if (s[1] === 1) return slice(s[0], [s[2], s[3]]);
    if (s[3] === 3 || s[3] === 4) return slice(s[0], [s[1], s[2], s[3]]);
    if (s[1] === 3) {
      // (N, 3, H, W) → (N, H, W, 3): channels last for display.
      const [N, C, H, W] = s;
      return Array.from({ length: N }, (_, n) => {
        const out = new Float64Array(H * W * C);
        for (let c = 0; c < C; c++)
          for (let p = 0; p < H * W; p++) out[p * C + c] = a.data[(n * C + c) * H * W + p];
        return new NDArray(out, [H, W, C]);
      });
    }
  }
  throw new Error(
    `imageGrid: expected images of shape (N,H,W), (N,1,H,W), (N,H,W,3), (N,3,H,W) or (N,H·W), got ${formatShape(s)}`,
  );
}

/**
 * A figure showing images in a grid, each without axes, optionally titled.
 * @param images (N, H, W), (N, 1, H, W), (N, H, W, 3), (N, 3, H, W), (N, H·W) or a list of (H, W)
 * @example imageGrid(xTest.slice(0, 16), { titles: labels.map(String) }).toSVG()
 */
export function imageGrid(
  images: NDArray | readonly NDArray[],
  options: ImageGridOptions = {},
): Figure {
  const list = splitImages(images);
  if (!list.length) throw new Error('imageGrid: expected at least one image, got none');
  const n = list.length;
  const cols = Math.max(1, Math.min(n, options.cols ?? Math.ceil(Math.sqrt(n))));
  const rows = Math.ceil(n / cols);
  const [h0, w0] =
    list[0].shape[0] === 1 && list[0].ndim === 3 ? list[0].shape.slice(1) : list[0].shape;
  const fontSize = options.fontSize ?? 12;
  const cell = options.cellSize ?? Math.min(112, Math.max(64, 2 * Math.max(h0, w0)));
  const titleH = options.titles ? fontSize * 1.2 + 4 : 0;
  const pad = 6;
  const suptitleH = options.suptitle ? fontSize * 1.4 + 14 : 0;
  const aspect = w0 / h0;
  const cellW = aspect >= 1 ? cell : cell * aspect;
  const cellH = aspect >= 1 ? cell / aspect : cell;
  const fig = new Figure({
    width: Math.round(cols * (cellW + pad)),
    height: Math.round(rows * (cellH + pad + titleH) + suptitleH),
    fontSize: fontSize / 1.2,
  });
  if (options.suptitle) fig.suptitle(options.suptitle);
  let vmin = options.vmin;
  let vmax = options.vmax;
  if (options.normalize === 'all') {
    let lo = Infinity;
    let hi = -Infinity;
    for (const img of list) {
      for (const v of img.data) {
        if (Number.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    vmin ??= lo;
    vmax ??= hi;
  }
  list.forEach((img, i) => {
    const ax = fig.addSubplot(rows, cols, i + 1);
    ax.imshow(img, { cmap: options.cmap ?? 'gray', vmin, vmax }).axis('off');
    const title = options.titles?.[i];
    if (title !== undefined) ax.setTitle(title);
  });
  return fig;
}
