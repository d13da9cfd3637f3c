// Image codecs and resampling: PNG round trips in every layout, other PNG flavours, JPEG, resize.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodeFastPng } from 'fast-png';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { NDArray } from '../../src/ndarray/ndarray.js';
import { imread, imsave } from '../../src/node/image.js';
import {
  base64,
  decodeImage,
  decodeJPEG,
  decodePNG,
  encodePNG,
  resize,
  toGray,
} from '../../src/plot/index.js';

const u8 = (values: number[], shape: number[]) => new NDArray(Uint8Array.from(values), shape);

describe('PNG', () => {
  it('round-trips gray, RGB and RGBA uint8 images', () => {
    for (const shape of [
      [3, 5],
      [3, 5, 3],
      [3, 5, 4],
    ]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const img = u8(
        Array.from({ length: n }, (_, i) => (i * 37) % 256),
        shape,
      );
      const back = decodePNG(encodePNG(img));
      expect(back.shape).toEqual(shape);
      expect(back.dtype).toBe('uint8');
      expect(Array.from(back.data)).toEqual(Array.from(img.data));
    }
  });

  it('encodes floats as 0..1 (clipped) and squeezes (H, W, 1)', () => {
    const img = new NDArray(Float64Array.from([0, 0.5, 1, 2, -1, NaN]), [2, 3, 1]);
    const back = decodePNG(encodePNG(img));
    expect(back.shape).toEqual([2, 3]);
    expect(Array.from(back.data)).toEqual([0, 128, 255, 255, 0, 0]);
  });

  it('decodes 1-bit gray with padded rows, 16-bit, palette and gray+alpha files', () => {
    // 3 pixels per row at 1 bit: rows [0,1,0] and [1,1,0] pack to 0b010….. and 0b110…..
    const bits = encodeFastPng({
      width: 3,
      height: 2,
      data: Uint8Array.from([0x40, 0xc0]),
      depth: 1,
      channels: 1,
    });
    expect(Array.from(decodePNG(bits).data)).toEqual([0, 255, 0, 255, 255, 0]);
    const deep = encodeFastPng({
      width: 2,
      height: 1,
      data: Uint16Array.from([0, 65535]),
      depth: 16,
      channels: 1,
    });
    expect(Array.from(decodePNG(deep).data)).toEqual([0, 255]);
    const pal = encodeFastPng({
      width: 2,
      height: 1,
      data: Uint8Array.from([1, 0]),
      depth: 8,
      channels: 1,
      palette: [
        [255, 0, 0],
        [0, 0, 255],
      ],
    });
    const rgb = decodePNG(pal);
    expect(rgb.shape).toEqual([1, 2, 3]);
    expect(Array.from(rgb.data)).toEqual([0, 0, 255, 255, 0, 0]);
    // Gray + alpha: black ink, the second pixel transparent → RGBA, and over white in 'gray' mode.
    const ga = encodeFastPng({
      width: 2,
      height: 1,
      data: Uint8Array.from([0, 255, 0, 0]),
      depth: 8,
      channels: 2,
    });
    expect(decodePNG(ga).shape).toEqual([1, 2, 4]);
    expect(Array.from(decodePNG(ga, { mode: 'gray' }).data)).toEqual([0, 255]);
    expect(Array.from(decodePNG(ga, { mode: 'rgb' }).data)).toEqual([0, 0, 0, 255, 255, 255]);
  });

  it('converts RGB to gray as PIL does, and gray to RGB', () => {
    const rgb = u8([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30], [2, 2, 3]);
    expect(Array.from(toGray(rgb).data)).toEqual([76, 150, 29, 18]);
    const back = decodePNG(encodePNG(rgb), { mode: 'gray' });
    expect(back.shape).toEqual([2, 2]);
    const asRgb = decodePNG(encodePNG(u8([7, 9], [1, 2])), { mode: 'rgb' });
    expect(Array.from(asRgb.data)).toEqual([7, 7, 7, 9, 9, 9]);
  });

  it('rejects what is not a PNG or an image shape', () => {
    expect(() => decodePNG(Uint8Array.from([1, 2, 3]))).toThrow(
      'decodePNG: expected a PNG signature, got other bytes',
    );
    expect(() => decodeImage(Uint8Array.from([1, 2, 3]))).toThrow(
      'decodeImage: expected a PNG or JPEG file',
    );
    expect(() => encodePNG(u8([1, 2, 3, 4, 5], [5, 1, 1, 1]))).toThrow(
      'encodePNG: expected an image of shape (H,W), (H,W,3) or (H,W,4), got (5,1,1,1)',
    );
  });
});

describe('JPEG', () => {
  it('decodes a JPEG (pure JS) to RGB or gray, close to what was encoded', () => {
    const W = 16;
    const H = 8;
    const rgba = new Uint8Array(W * H * 4);
    for (let p = 0; p < W * H; p++)
      rgba.set(p % W < 8 ? [200, 30, 30, 255] : [30, 30, 200, 255], 4 * p);
    const file = new Uint8Array(jpeg.encode({ width: W, height: H, data: rgba }, 95).data);
    const img = decodeImage(file);
    expect(img.shape).toEqual([H, W, 3]);
    const at = (x: number, y: number) =>
      Array.from(img.data.subarray((y * W + x) * 3, (y * W + x) * 3 + 3));
    for (const [a, b] of at(2, 4).map((v, i) => [v, [200, 30, 30][i]]))
      expect(Math.abs(a - b)).toBeLessThan(12);
    for (const [a, b] of at(13, 4).map((v, i) => [v, [30, 30, 200][i]]))
      expect(Math.abs(a - b)).toBeLessThan(12);
    expect(decodeJPEG(file, { mode: 'gray' }).shape).toEqual([H, W]);
  });
});

describe('resize', () => {
  it('averages areas when shrinking', () => {
    const img = u8([0, 100, 10, 20, 200, 50, 30, 40, 1, 1, 9, 9, 1, 1, 9, 9], [4, 4]);
    expect(Array.from(resize(img, [2, 2]).data)).toEqual([88, 25, 1, 9]);
    expect(Array.from(resize(u8([0, 100, 200, 50], [2, 2]), [1, 1]).data)).toEqual([88]);
  });

  it('interpolates bilinearly when growing, with pixel centres at half-integers', () => {
    const img = new NDArray(Float64Array.from([0, 4]), [1, 2]);
    // Output centres 0.5·(2/4) − 0.5 … : −0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    expect(Array.from(resize(img, [1, 4]).data)).toEqual([0, 1, 3, 4]);
    expect(Array.from(resize(img, [1, 4], { method: 'nearest' }).data)).toEqual([0, 0, 4, 4]);
  });

  it('keeps channels apart and the dtype', () => {
    const rgb = u8([255, 0, 0, 0, 0, 255], [1, 2, 3]);
    const out = resize(rgb, [1, 1]);
    expect(out.shape).toEqual([1, 1, 3]);
    expect(Array.from(out.data)).toEqual([128, 0, 128]);
    const f32 = resize(new NDArray(new Float32Array(28 * 28 * 4).fill(0.5), [56, 56]), [28, 28]);
    expect(f32.dtype).toBe('float32');
    expect(f32.shape).toEqual([28, 28]);
    expect(() => resize(rgb, [0, 1])).toThrow(
      'resize: expected a positive integer size [h, w], got [0, 1]',
    );
  });
});

describe('files', () => {
  it('imsave then imread returns the same pixels and leaves no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scratchnet-img-'));
    try {
      const img = u8([1, 2, 3, 4, 5, 6], [2, 3]);
      await imsave(join(dir, 'x/y.png'), img);
      expect(Array.from((await imread(join(dir, 'x/y.png'))).data)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(await readdir(join(dir, 'x'))).toEqual(['y.png']);
      await expect(imread(join(dir, 'missing.png'))).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('base64 matches the JSDoc example', () => {
    expect(base64(Uint8Array.from([104, 105]))).toBe('aGk=');
    expect(base64(Uint8Array.from([1, 2, 3]))).toBe('AQID');
  });
});
