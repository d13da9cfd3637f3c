// Figures from Node: loads resvg's WebAssembly and the DejaVu Sans font from node_modules (never
// from the network) and writes figures to .png/.svg files atomically.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import type { Figure, PNGOptions } from '../plot/figure.js';
import { initRaster, setRasterLoader, type RasterInit } from '../plot/raster.js';
import { writeFileAtomic } from './image.js';

const require = createRequire(import.meta.url);

/** The resvg wasm and DejaVu Sans, read from the installed packages. */
export async function nodeRasterInit(): Promise<RasterInit> {
  const wasmPath = require.resolve('@resvg/resvg-wasm/index_bg.wasm');
  const fontDir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const [wasm, font] = await Promise.all([
    readFile(wasmPath),
    readFile(join(fontDir, 'DejaVuSans.ttf')),
  ]);
  return { wasm: new Uint8Array(wasm), fonts: [new Uint8Array(font)] };
}

// Importing this module is enough for Figure.toPNG() to work in Node.
setRasterLoader(nodeRasterInit);

/** Initialises PNG output from node_modules now (optional: the first PNG does it otherwise). */
export function initNodeRaster(): Promise<void> {
  return initRaster(nodeRasterInit());
}

/** Options of {@link savefig}. */
export interface SavefigOptions extends PNGOptions {
  /** `'png'` or `'svg'`; default: from the file's extension. */
  format?: 'png' | 'svg';
}

/**
 * Writes a figure to `path` as PNG or SVG (chosen by the extension), atomically, creating parent
 * directories, as `plt.savefig('out/ch03/sigmoid.png')`.
 */
export async function savefig(
  fig: Figure,
  path: string,
  options: SavefigOptions = {},
): Promise<void> {
  const { format: given, ...size } = options;
  const ext = extname(path).toLowerCase().slice(1);
  const format = given ?? ext;
  if (format === 'svg') await writeFileAtomic(path, fig.toSVG(size));
  else if (format === 'png') await writeFileAtomic(path, await fig.toPNG(size));
  else throw new Error(`savefig: expected a .png or .svg file name, got '${path}'`);
}
