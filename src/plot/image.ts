// Image files and pixels: PNG/JPEG to NDArray and back, grayscale conversion and resizing (the book
// reads lena.png in chapter 1 and filters an image in chapter 7; `predict` shrinks any image to 28×28).
import { decode as decodePng, encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { NDArray } from '../ndarray/ndarray.js';
import { formatShape } from '../ndarray/shape.js';

/** Which channels a decoder returns. */
export type ImageMode = 'auto' | 'gray' | 'rgb' | 'rgba';

/** Options of {@link decodePNG}, {@link decodeJPEG} and {@link decodeImage}. */
export interface DecodeOptions {
  /**
   * `'auto'` (default) keeps the file's channels: (H, W) for gray, (H, W, 3) for RGB, (H, W, 4) when
   * there is alpha. `'gray'`, `'rgb'` and `'rgba'` convert; alpha is composited over white first
   * (a digit drawn in black on a transparent canvas reads as black on white).
   */
  mode?: ImageMode;
}

/** Whether `bytes` start with the PNG signature. */
export function isPNG(bytes: Uint8Array): boolean {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  return bytes.length >= 8 && sig.every((b, i) => bytes[i] === b);
}

/** Whether `bytes` start with the JPEG SOI marker. */
export function isJPEG(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/**
 * Decodes a PNG file (any bit depth, palette, interlaced) into a uint8 array.
 * @param bytes the file's bytes
 * @returns (H, W) gray, (H, W, 3) RGB or (H, W, 4) RGBA, uint8, per `mode`
 */
export function decodePNG(bytes: Uint8Array, { mode = 'auto' }: DecodeOptions = {}): NDArray {
  if (!isPNG(bytes)) throw new Error('decodePNG: expected a PNG signature, got other bytes');
  const png = decodePng(bytes);
  const { width: W, height: H, depth } = png;
  let channels = png.channels;
  let px: Uint8Array;
  if (png.palette) {
    const idx = unpackBits(png.data as Uint8Array, W, H, 1, depth, false);
    const entry = png.palette[0]?.length ?? 3;
    channels = entry;
    px = new Uint8Array(W * H * entry);
    for (let p = 0; p < W * H; p++) {
      const c = png.palette[idx[p]] ?? [0, 0, 0, 255];
      for (let k = 0; k < entry; k++) px[p * entry + k] = c[k];
    }
  } else if (depth === 16) {
    const src = png.data as Uint16Array;
    px = new Uint8Array(src.length);
    for (let i = 0; i < src.length; i++) px[i] = Math.round(src[i] / 257);
  } else if (depth < 8) {
    px = unpackBits(png.data as Uint8Array, W, H, channels, depth, true);
  } else {
    px = Uint8Array.from(png.data);
  }
  // Gray + alpha becomes RGBA so every result has 1, 3 or 4 channels.
  if (channels === 2) {
    const rgba = new Uint8Array(W * H * 4);
    for (let p = 0; p < W * H; p++) {
      rgba.fill(px[2 * p], 4 * p, 4 * p + 3);
      rgba[4 * p + 3] = px[2 * p + 1];
    }
    px = rgba;
    channels = 4;
  }
  return convertMode(pixelsToArray(px, H, W, channels), mode);
}

/** Unpacks 1/2/4-bit samples (rows padded to whole bytes); `scale` stretches them to 0..255. */
function unpackBits(
  data: Uint8Array,
  W: number,
  H: number,
  channels: number,
  depth: number,
  scale: boolean,
): Uint8Array {
  if (depth === 8) return data;
  const perRow = W * channels;
  const rowBytes = Math.ceil((perRow * depth) / 8);
  const out = new Uint8Array(perRow * H);
  const max = (1 << depth) - 1;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < perRow; x++) {
      const bit = x * depth;
      const byte = data[y * rowBytes + (bit >> 3)];
      const v = (byte >> (8 - depth - (bit & 7))) & max;
      out[y * perRow + x] = scale ? Math.round((v * 255) / max) : v;
    }
  }
  return out;
}

function pixelsToArray(px: Uint8Array, H: number, W: number, channels: number): NDArray {
  return new NDArray(px, channels === 1 ? [H, W] : [H, W, channels]);
}

/**
 * Decodes a baseline or progressive JPEG file into a uint8 array (pure JavaScript, jpeg-js).
 * @returns (H, W, 3) RGB, or (H, W) with `mode: 'gray'`
 */
export function decodeJPEG(bytes: Uint8Array, { mode = 'auto' }: DecodeOptions = {}): NDArray {
  if (!isJPEG(bytes)) throw new Error('decodeJPEG: expected a JPEG SOI marker, got other bytes');
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
  return convertMode(pixelsToArray(img.data, img.height, img.width, 3), mode);
}

/**
 * Decodes a PNG or JPEG file, recognised by its first bytes.
 * @returns (H, W), (H, W, 3) or (H, W, 4) uint8, per `mode`
 */
export function decodeImage(bytes: Uint8Array, options: DecodeOptions = {}): NDArray {
  if (isPNG(bytes)) return decodePNG(bytes, options);
  if (isJPEG(bytes)) return decodeJPEG(bytes, options);
  throw new Error('decodeImage: expected a PNG or JPEG file, got unknown bytes');
}

/** Channels of an image array: 1 for (H, W) or (H, W, 1), else its last dimension. */
function channelsOf(img: NDArray, where: string): [number, number, number] {
  const s = img.shape;
  if (s.length === 2) return [s[0], s[1], 1];
  if (s.length === 3 && [1, 2, 3, 4].includes(s[2])) return [s[0], s[1], s[2]];
  throw new Error(
    `${where}: expected an image of shape (H,W), (H,W,3) or (H,W,4), got ${formatShape(s)}`,
  );
}

/**
 * Luminance of an RGB(A) image as PIL's `convert('L')` computes it (0.299 R + 0.587 G + 0.114 B),
 * after compositing alpha over white. Gray input is returned unchanged.
 * @param img (H, W), (H, W, 3) or (H, W, 4)
 * @returns (H, W); uint8 stays uint8 (rounded), float32 stays float32, other dtypes give float64
 */
export function toGray(img: NDArray): NDArray {
  const [H, W, C] = channelsOf(img, 'toGray');
  if (C === 1) return img.ndim === 2 ? img : new NDArray(img.data, [H, W], img.dtype);
  const src = img.data;
  const white = img.dtype === 'uint8' ? 255 : 1;
  const out =
    img.dtype === 'uint8'
      ? new Uint8Array(H * W)
      : img.dtype === 'float32'
        ? new Float32Array(H * W)
        : new Float64Array(H * W);
  for (let p = 0; p < H * W; p++) {
    const o = p * C;
    let v: number;
    if (C === 2) v = src[o];
    else v = 0.299 * src[o] + 0.587 * src[o + 1] + 0.114 * src[o + 2];
    if (C === 2 || C === 4) {
      const a = src[o + C - 1] / white;
      v = v * a + white * (1 - a);
    }
    out[p] = out instanceof Uint8Array ? Math.round(v) : v;
  }
  return new NDArray(out, [H, W]);
}

function convertMode(img: NDArray, mode: ImageMode): NDArray {
  if (mode === 'auto') return img;
  if (mode === 'gray') return toGray(img);
  const [H, W, C] = channelsOf(img, 'decode');
  const want = mode === 'rgb' ? 3 : 4;
  if (C === want) return img;
  const src = img.data;
  const out = new Uint8Array(H * W * want);
  for (let p = 0; p < H * W; p++) {
    let r: number, g: number, b: number;
    let a = 255;
    if (C === 1) r = g = b = src[p];
    else [r, g, b] = [src[p * C], src[p * C + 1], src[p * C + 2]];
    if (C === 4) a = src[p * C + 3];
    if (want === 3 && a !== 255) {
      // Composite over white: the file's transparent background becomes paper.
      const f = a / 255;
      [r, g, b] = [r, g, b].map((v) => Math.round(v * f + 255 * (1 - f)));
    }
    out[p * want] = r;
    out[p * want + 1] = g;
    out[p * want + 2] = b;
    if (want === 4) out[p * want + 3] = a;
  }
  return new NDArray(out, [H, W, want]);
}

/**
 * Encodes an image as an 8-bit PNG. uint8/int32 values are taken as 0..255 (clipped), float values
 * as 0..1 (clipped and scaled), bool as 0/255.
 * @param img (H, W) or (H, W, 1) gray, (H, W, 3) RGB or (H, W, 4) RGBA
 * @returns the PNG file's bytes
 */
export function encodePNG(img: NDArray): Uint8Array {
  const [H, W, C] = channelsOf(img, 'encodePNG');
  if (C === 2)
    throw new Error(`encodePNG: expected 1, 3 or 4 channels, got ${formatShape(img.shape)}`);
  const scale =
    img.dtype === 'float32' || img.dtype === 'float64' ? 255 : img.dtype === 'bool' ? 255 : 1;
  const src = img.data;
  const px = new Uint8Array(H * W * C);
  for (let i = 0; i < px.length; i++) {
    const v = Math.round(src[i] * scale);
    px[i] = v < 0 ? 0 : v > 255 ? 255 : Number.isNaN(v) ? 0 : v;
  }
  return encodePng({ width: W, height: H, data: px, channels: C, depth: 8 });
}

/** How {@link resize} samples: area averaging (for shrinking), bilinear, nearest, or `'auto'`. */
export type ResizeMethod = 'auto' | 'area' | 'bilinear' | 'nearest';

/** Options of {@link resize}. */
export interface ResizeOptions {
  /** `'auto'` (default): area averaging when a side shrinks, bilinear when it grows. */
  method?: ResizeMethod;
}

/** For each output index, the source indices and weights (sum 1) that make it. */
function taps(
  inSize: number,
  outSize: number,
  method: Exclude<ResizeMethod, 'auto'>,
): [number[], number[]][] {
  const scale = inSize / outSize;
  const res: [number[], number[]][] = [];
  for (let o = 0; o < outSize; o++) {
    if (method === 'nearest') {
      res.push([[Math.min(inSize - 1, Math.floor((o + 0.5) * scale))], [1]]);
    } else if (method === 'bilinear') {
      // Pixel centres at half-integers (align_corners = false), clamped at the borders.
      const s = Math.min(inSize - 1, Math.max(0, (o + 0.5) * scale - 0.5));
      const i0 = Math.floor(s);
      const i1 = Math.min(inSize - 1, i0 + 1);
      const f = s - i0;
      res.push(
        i1 === i0
          ? [[i0], [1]]
          : [
              [i0, i1],
              [1 - f, f],
            ],
      );
    } else {
      // Area: the output pixel covers [o·scale, (o+1)·scale) of the input; weight by overlap.
      const a = o * scale;
      const b = (o + 1) * scale;
      const idx: number[] = [];
      const w: number[] = [];
      for (let i = Math.floor(a); i < Math.min(inSize, Math.ceil(b)); i++) {
        const overlap = Math.min(b, i + 1) - Math.max(a, i);
        if (overlap > 1e-12) {
          idx.push(i);
          w.push(overlap / scale);
        }
      }
      res.push([idx, w]);
    }
  }
  return res;
}

/**
 * Resizes an image (separable resampling, channels independent).
 * @param img (H, W) or (H, W, C)
 * @param size `[outH, outW]`
 * @returns (outH, outW) or (outH, outW, C); uint8 in → uint8 out (rounded), float32 stays float32,
 *   other dtypes give float64
 * @example resize(new NDArray(Uint8Array.from([0, 100, 200, 50]), [2, 2]), [1, 1]).data // Uint8Array [88]
 */
export function resize(
  img: NDArray,
  size: readonly [number, number],
  { method = 'auto' }: ResizeOptions = {},
): NDArray {
  const [H, W, C] =
    img.ndim === 2
      ? [img.shape[0], img.shape[1], 1]
      : img.ndim === 3
        ? (img.shape as [number, number, number])
        : [0, 0, 0];
  if (img.ndim !== 2 && img.ndim !== 3)
    throw new Error(
      `resize: expected an image of shape (H,W) or (H,W,C), got ${formatShape(img.shape)}`,
    );
  const [h, w] = size;
  if (!(Number.isInteger(h) && Number.isInteger(w) && h > 0 && w > 0)) {
    throw new Error(`resize: expected a positive integer size [h, w], got [${h}, ${w}]`);
  }
  const pick = (inS: number, outS: number): Exclude<ResizeMethod, 'auto'> =>
    method !== 'auto' ? method : outS < inS ? 'area' : 'bilinear';
  const ty = taps(H, h, pick(H, h));
  const tx = taps(W, w, pick(W, w));
  const src = img.data;
  // Rows first: (H, W, C) → (h, W, C), then columns: → (h, w, C).
  const mid = new Float64Array(h * W * C);
  for (let y = 0; y < h; y++) {
    const [idx, wt] = ty[y];
    for (let k = 0; k < idx.length; k++) {
      const row = idx[k] * W * C;
      const f = wt[k];
      for (let q = 0; q < W * C; q++) mid[y * W * C + q] += f * src[row + q];
    }
  }
  const acc = new Float64Array(h * w * C);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [idx, wt] = tx[x];
      for (let k = 0; k < idx.length; k++) {
        const s = (y * W + idx[k]) * C;
        for (let c = 0; c < C; c++) acc[(y * w + x) * C + c] += wt[k] * mid[s + c];
      }
    }
  }
  const shape = img.ndim === 2 ? [h, w] : [h, w, C];
  if (img.dtype === 'uint8') {
    const out = new Uint8Array(acc.length);
    for (let i = 0; i < acc.length; i++) out[i] = Math.min(255, Math.max(0, Math.round(acc[i])));
    return new NDArray(out, shape);
  }
  if (img.dtype === 'float32') return new NDArray(Float32Array.from(acc), shape);
  return new NDArray(acc, shape);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Base64 text of `bytes` (no line breaks), without Buffer or btoa so it runs anywhere.
 * @example base64(Uint8Array.from([104, 105])) // 'aGk='
 */
export function base64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    chunk +=
      B64[(n >> 18) & 63] +
      B64[(n >> 12) & 63] +
      (i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=') +
      (i + 2 < bytes.length ? B64[n & 63] : '=');
    if (chunk.length > 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}
