// PNG output through resvg-wasm: the requested size, a white background, a line in the pixel row
// its data y maps to, and image grids with each image in its cell.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NDArray } from '../../src/ndarray/ndarray.js';
import { initNodeRaster, savefig } from '../../src/node/plot.js';
import { decodePNG, Figure, imageGrid } from '../../src/plot/index.js';

/** RGBA of pixel (row, col) of a decoded (H, W, 4) image. */
function pixel(img: NDArray, row: number, col: number): number[] {
  const [, W, C] = img.shape;
  const o = (row * W + col) * C;
  return Array.from(img.data.subarray(o, o + C));
}

beforeAll(async () => {
  await initNodeRaster();
});

describe('Figure.toPNG', () => {
  it('renders at the requested size with a white background and a line at its data row', async () => {
    const fig = new Figure({ width: 200, height: 100 });
    const ax = fig.addAxes([0, 0, 1, 1]).axis('off').setXLim(0, 1).setYLim(0, 1);
    ax.plot([0, 1], [0.25, 0.25], { color: 'k', lineWidth: 6 });
    const img = decodePNG(await fig.toPNG());
    expect(img.shape).toEqual([100, 200, 4]);
    expect(pixel(img, 0, 0)).toEqual([255, 255, 255, 255]);
    // y = 0.25 of [0, 1] is row 100·(1 − 0.25) = 75; the 6 px line covers rows 72..77.
    for (const col of [20, 100, 180]) {
      expect(pixel(img, 74, col).slice(0, 3)).toEqual([0, 0, 0]);
      expect(pixel(img, 76, col).slice(0, 3)).toEqual([0, 0, 0]);
      expect(pixel(img, 68, col).slice(0, 3)).toEqual([255, 255, 255]);
      expect(pixel(img, 82, col).slice(0, 3)).toEqual([255, 255, 255]);
    }
    // Twice the width: the same drawing zoomed, the line now at row 150.
    const big = decodePNG(await fig.toPNG({ width: 400 }));
    expect(big.shape).toEqual([200, 400, 4]);
    expect(pixel(big, 150, 200).slice(0, 3)).toEqual([0, 0, 0]);
    expect(pixel(big, 140, 200).slice(0, 3)).toEqual([255, 255, 255]);
  });

  it('places a line of a laid-out plot where layout() says its axes box is', async () => {
    const fig = new Figure({ width: 320, height: 240 });
    const ax = fig.gca();
    ax.plot([0, 10], [3, 3], { color: 'k', lineWidth: 4 })
      .setYLim(0, 4)
      .setTitle('t')
      .setXLabel('x');
    const [{ box }] = fig.layout();
    const img = decodePNG(await fig.toPNG());
    expect(img.shape).toEqual([240, 320, 4]);
    const row = Math.floor(box.y + box.height * (1 - 3 / 4));
    const col = Math.round(box.x + box.width / 2);
    expect(pixel(img, row, col).slice(0, 3)).toEqual([0, 0, 0]);
    expect(pixel(img, row - 6, col).slice(0, 3)).toEqual([255, 255, 255]);
    expect(pixel(img, 1, 1)).toEqual([255, 255, 255, 255]);
  });

  it('renders text with the bundled font (the title darkens pixels above the axes)', async () => {
    const fig = new Figure({ width: 200, height: 150 });
    fig.gca().plot([0, 1], [0, 1]).setTitle('MMMMMMMM');
    const [{ box }] = fig.layout();
    const img = decodePNG(await fig.toPNG(), { mode: 'gray' });
    const [, W] = img.shape;
    let dark = 0;
    for (let r = 0; r < box.y - 2; r++)
      for (let c = 0; c < W; c++) if (img.data[r * W + c] < 128) dark++;
    expect(dark).toBeGreaterThan(50);
  });

  it('puts each image of a grid in its own cell', async () => {
    const levels = [0, 50, 100, 150, 200, 250];
    const data = new Uint8Array(6 * 10 * 10);
    levels.forEach((v, i) => data.fill(v, i * 100, (i + 1) * 100));
    const fig = imageGrid(new NDArray(data, [6, 10, 10]), { cols: 3, vmin: 0, vmax: 255 });
    const boxes = fig.layout();
    const img = decodePNG(await fig.toPNG(), { mode: 'gray' });
    const [H, W] = img.shape;
    expect([W, H]).toEqual([fig.width, fig.height]);
    boxes.forEach(({ box }, i) => {
      const r = Math.round(box.y + box.height / 2);
      const c = Math.round(box.x + box.width / 2);
      expect(Math.abs(img.data[r * W + c] - levels[i])).toBeLessThanOrEqual(1);
    });
    // Cells are laid out row-major: image 1 right of image 0, image 3 below image 0.
    expect(boxes[1].box.x).toBeGreaterThan(boxes[0].box.x);
    expect(boxes[3].box.y).toBeGreaterThan(boxes[0].box.y);
  });

  it('scales images up with sharp pixels (nearest neighbour)', async () => {
    const fig = new Figure({ width: 80, height: 80 });
    const ax = fig.addAxes([0, 0, 1, 1]).axis('off');
    ax.imshow(new NDArray(Uint8Array.from([0, 255, 255, 0]), [2, 2]), { cmap: 'gray' });
    const img = decodePNG(await fig.toPNG(), { mode: 'gray' });
    // Row 0 of the image (black, white) fills rows 0..39; a pixel beside the middle is pure.
    expect([img.data[39 * 80 + 38], img.data[39 * 80 + 41]]).toEqual([0, 255]);
    expect([img.data[40 * 80 + 38], img.data[40 * 80 + 41]]).toEqual([255, 0]);
  });

  it('shows colour images (N, H, W, 3) with their colours', async () => {
    const colors = [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [255, 255, 0],
    ];
    const data = new Uint8Array(4 * 4 * 4 * 3);
    colors.forEach((c, i) => {
      for (let p = 0; p < 16; p++) data.set(c, (i * 16 + p) * 3);
    });
    const fig = imageGrid(new NDArray(data, [4, 4, 4, 3]), { cols: 2 });
    const img = decodePNG(await fig.toPNG());
    fig.layout().forEach(({ box }, i) => {
      const p = pixel(img, Math.round(box.y + box.height / 2), Math.round(box.x + box.width / 2));
      expect(p.slice(0, 3)).toEqual(colors[i]);
    });
  });
});

describe('savefig', () => {
  it('writes PNG and SVG by extension, atomically, creating directories', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scratchnet-plot-'));
    try {
      const fig = new Figure({ width: 120, height: 90 });
      fig.gca().plot([0, 1], [1, 0]);
      await savefig(fig, join(dir, 'a/b/fig.png'));
      await savefig(fig, join(dir, 'a/b/fig.svg'));
      const png = new Uint8Array(await readFile(join(dir, 'a/b/fig.png')));
      expect(decodePNG(png).shape).toEqual([90, 120, 4]);
      expect((await readFile(join(dir, 'a/b/fig.svg'), 'utf8')).startsWith('<svg')).toBe(true);
      expect((await readdir(join(dir, 'a/b'))).sort()).toEqual(['fig.png', 'fig.svg']);
      await expect(savefig(fig, join(dir, 'fig.gif'))).rejects.toThrow(
        "savefig: expected a .png or .svg file name, got '",
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
