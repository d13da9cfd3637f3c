// SVG → PNG through resvg compiled to WebAssembly: no native add-on, the same code path in Node and
// in a browser. The module and the fonts are handed in once (initRaster) — nothing is downloaded.

/** What the rasteriser needs: the resvg WebAssembly module and at least one TTF/OTF font. */
export interface RasterInit {
  /** `index_bg.wasm` of `@resvg/resvg-wasm`: its bytes, a compiled module, a Response or a URL. */
  wasm: BufferSource | WebAssembly.Module | Response | URL | string;
  /** TrueType/OpenType font files; the first one's family should be DejaVu Sans (layout's metrics). */
  fonts: readonly Uint8Array[];
}

type ResvgModule = typeof import('@resvg/resvg-wasm');

let ready: Promise<{ resvg: ResvgModule; fonts: Uint8Array[] }> | undefined;
let loader: (() => Promise<RasterInit>) | undefined;

/**
 * Initialises the rasteriser once; later calls return the first call's promise. In a browser:
 * `await initRaster({ wasm: fetch('/resvg.wasm'), fonts: [new Uint8Array(await (await fetch('/DejaVuSans.ttf')).arrayBuffer())] })`.
 */
export function initRaster(init: RasterInit | Promise<RasterInit>): Promise<void> {
  ready ??= (async () => {
    const { wasm, fonts } = await init;
    if (!fonts.length) throw new Error('initRaster: expected at least one font, got none');
    const resvg = await import('@resvg/resvg-wasm');
    await resvg.initWasm(wasm as Parameters<ResvgModule['initWasm']>[0]);
    return { resvg, fonts: [...fonts] };
  })();
  // A failed initialisation may be retried (e.g. after fixing a path).
  ready.catch(() => (ready = undefined));
  return ready.then(() => undefined);
}

/**
 * Registers how to find the wasm and fonts when PNG output is asked for before {@link initRaster}
 * (`src/node/plot.ts` registers one that reads them from node_modules).
 */
export function setRasterLoader(load: () => Promise<RasterInit>): void {
  loader = load;
}

/** Whether {@link initRaster} has been called (or a loader registered that will be used). */
export function rasterAvailable(): boolean {
  return ready !== undefined || loader !== undefined;
}

/**
 * Renders an SVG document to PNG bytes at the size its `width`/`height` attributes give.
 * @param svg a complete SVG document
 * @returns the PNG file's bytes
 */
export async function svgToPNG(svg: string): Promise<Uint8Array> {
  if (!ready) {
    if (!loader) {
      throw new Error(
        'svgToPNG: expected initRaster({ wasm, fonts }) first (in Node, import savefig from src/node/plot.js), got no rasteriser',
      );
    }
    await initRaster(loader());
  }
  const { resvg, fonts } = await (ready as NonNullable<typeof ready>);
  const r = new resvg.Resvg(svg, {
    font: { fontBuffers: fonts, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    fitTo: { mode: 'original' },
    shapeRendering: 2,
    textRendering: 1,
  });
  try {
    const image = r.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    r.free();
  }
}
