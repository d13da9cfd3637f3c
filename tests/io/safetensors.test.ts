// safetensors: the reference implementation's byte layout, round trips, and a named error for
// every kind of corruption.

import { describe, expect, it } from 'vitest';
import { NDArray } from '../../src/ndarray/ndarray.js';
import { parseSafetensors, serializeSafetensors } from '../../src/io/safetensors.js';

const enc = new TextEncoder();

/** A safetensors file from a header (object or raw text, not padded) and a data buffer. */
function file(header: unknown, data: ArrayLike<number> = []): Uint8Array {
  const json = enc.encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32 = (xs: number[]): number[] => [...new Uint8Array(new Float32Array(xs).buffer)];
const parse = (bytes: Uint8Array) => () => parseSafetensors(bytes, { name: 'm.safetensors' });

describe('serializeSafetensors', () => {
  it("writes the reference implementation's bytes", () => {
    // {"attn.0": F32 [1, 2, 3]}: the header is 64 bytes, already aligned.
    const out = serializeSafetensors({
      'attn.0': new NDArray(new Float32Array([0, 1, 2, 3, 4, 5]), [1, 2, 3]),
    });
    const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(Array.from(out)).toEqual([
      64,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      ...enc.encode(header),
      ...f32([0, 1, 2, 3, 4, 5]),
    ]);
    // A 65-byte header is padded with 7 spaces to 72.
    const padded = serializeSafetensors({
      attn0: new NDArray(new Float32Array([0, 1, 2, 3, 4, 5]), [1, 1, 2, 3]),
    });
    expect(padded[0]).toBe(72);
    expect(new TextDecoder().decode(padded.subarray(8, 80))).toBe(
      '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ',
    );
    // No tensors: "{}" and six spaces; metadata only: 35 bytes and five spaces.
    expect(Array.from(serializeSafetensors({}))).toEqual([
      8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32,
    ]);
    const meta = serializeSafetensors({}, { framework: 'pt' });
    expect(meta[0]).toBe(40);
    expect(new TextDecoder().decode(meta.subarray(8))).toBe(
      '{"__metadata__":{"framework":"pt"}}     ',
    );
  });

  it('lays tensors out by descending alignment, then by name', () => {
    const out = serializeSafetensors({
      mask: new NDArray(new Uint8Array([1, 0, 1]), [3], 'bool'),
      b: new NDArray(new Float32Array([1]), [1]),
      px: new NDArray(new Uint8Array([9]), [1]),
      t: new NDArray(new Int32Array([3]), [1]),
      a: new NDArray(new Float32Array([2]), [1]),
      w: new NDArray(new Float64Array([1, 2]), [2]),
    });
    const n = new DataView(out.buffer).getUint32(0, true);
    const header = JSON.parse(new TextDecoder().decode(out.subarray(8, 8 + n)));
    expect(Object.keys(header)).toEqual(['w', 'a', 'b', 't', 'px', 'mask']);
    expect(header.w.data_offsets).toEqual([0, 16]);
    expect(header.mask).toEqual({ dtype: 'BOOL', shape: [3], data_offsets: [29, 32] });
  });

  it('refuses a tensor named __metadata__', () => {
    expect(() =>
      serializeSafetensors({ __metadata__: new NDArray(new Float64Array(1), [1]) }),
    ).toThrow("serializeSafetensors: expected a tensor name, got '__metadata__'");
  });
});

describe('parseSafetensors', () => {
  it('round-trips every dtype, scalars and empty tensors, with metadata', () => {
    const tensors = {
      W1: new NDArray(new Float64Array([1.5, -2, 3, 4e-300, 5, 6]), [2, 3]),
      b1: new NDArray(new Float32Array([0.1, 0.2]), [2]),
      idx: new NDArray(new Int32Array([-7, 2147483647]), [2]),
      img: new NDArray(new Uint8Array([0, 128, 255]), [1, 3]),
      mask: new NDArray(new Uint8Array([1, 0]), [2], 'bool'),
      s: new NDArray(new Float64Array([42]), []),
      empty: new NDArray(new Float32Array(0), [0, 4]),
    };
    const arch = JSON.stringify({ class: 'TwoLayerNet', inputSize: 784, hiddenSize: [50] });
    const { tensors: back, metadata } = parseSafetensors(
      serializeSafetensors(tensors, { arch, format: 'scratchnet' }),
    );
    expect(metadata).toEqual({ arch, format: 'scratchnet' });
    expect(Object.keys(back).sort()).toEqual(Object.keys(tensors).sort());
    for (const [k, a] of Object.entries(tensors)) {
      expect(back[k].dtype).toBe(a.dtype);
      expect(back[k].shape).toEqual(a.shape);
      expect(Array.from(back[k].data)).toEqual(Array.from(a.data));
    }
  });

  it('reads tensors listed in any order and returns them in data order', () => {
    const bytes = file(
      {
        b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
        a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
      },
      f32([1, 2]),
    );
    const { tensors, metadata } = parseSafetensors(bytes);
    expect(Object.keys(tensors)).toEqual(['a', 'b']);
    expect(tensors.b.data[0]).toBe(2);
    expect(metadata).toEqual({});
  });

  it('the JSDoc examples hold', () => {
    const zeros = new NDArray(new Float64Array(6), [2, 3]);
    expect(parseSafetensors(serializeSafetensors({ w: zeros }, { arch: '{}' })).metadata).toEqual({
      arch: '{}',
    });
    const t = new NDArray(new Float32Array(6), [1, 2, 3]);
    expect(serializeSafetensors({ 'attn.0': t }).length).toBe(8 + 64 + 24);
  });
});

describe('parseSafetensors on corrupted files', () => {
  const good = serializeSafetensors({
    W: new NDArray(new Float32Array([1, 2, 3, 4]), [2, 2]),
    b: new NDArray(new Float32Array([5, 6]), [2]),
  });
  const w = (o: [number, number], dtype = 'F32', shape = [2, 2]) => ({
    dtype,
    shape,
    data_offsets: o,
  });

  it('too short for a header length', () => {
    expect(parse(good.subarray(0, 5))).toThrow(
      "safetensors 'm.safetensors': expected an 8-byte header length at byte 0, got a file of 5 bytes",
    );
  });

  it('header length past the end of the file', () => {
    expect(parse(good.subarray(0, 40))).toThrow(
      `safetensors 'm.safetensors': expected a header of ${good[0]} bytes at byte 8, got 32 bytes before the end of the file (truncated or not safetensors)`,
    );
    const huge = good.slice();
    huge[7] = 1; // 2^56 bytes
    expect(parse(huge)).toThrow(
      `safetensors 'm.safetensors': expected a header length of at most 100000000 at byte 0, got ${2n ** 56n + BigInt(good[0])}`,
    );
  });

  it('truncated data', () => {
    expect(parse(good.subarray(0, good.length - 1))).toThrow(
      `safetensors 'm.safetensors': expected tensor 'b' to end within the 23 data bytes at byte ${8 + good[0] + 16}, got data_offsets [16, 24] (past the end of the file)`,
    );
  });

  it('header that is not JSON, or not an object', () => {
    expect(parse(file('{"W": {"dtype": "F32",', f32([1])))).toThrow(
      /^safetensors 'm.safetensors': expected a JSON header at byte 8, got invalid JSON or UTF-8 \(.+\)$/,
    );
    expect(
      parse(
        file(new Uint8Array([0x7b, 0xff, 0x7d]).reduce((s, b) => s + String.fromCharCode(b), '')),
      ),
    ).toThrow(/expected a JSON header at byte 8/);
    expect(parse(file('[1, 2]'))).toThrow(
      "safetensors 'm.safetensors': expected a JSON object as header at byte 8, got object",
    );
  });

  it('offsets out of range, reversed or not integers', () => {
    expect(parse(file({ W: w([0, 32]) }, f32([1, 2, 3, 4])))).toThrow(
      /expected tensor 'W' to end within the 16 data bytes at byte \d+, got data_offsets \[0, 32\] \(past the end of the file\)/,
    );
    expect(parse(file({ W: w([16, 0]) }, f32([1, 2, 3, 4])))).toThrow(
      "safetensors 'm.safetensors': expected tensor 'W' to have data_offsets [begin, end] at byte 8, got [16,0]",
    );
    expect(parse(file({ W: w([0, 1.5] as [number, number]) }))).toThrow(/got \[0,1.5\]$/);
  });

  it('overlapping tensors and gaps', () => {
    const overlap = file({ W: w([0, 16]), b: w([8, 16], 'F32', [2]) }, f32([1, 2, 3, 4]));
    expect(parse(overlap)).toThrow(
      /expected tensor '(W|b)' to start at or after 16 \(the end of tensor '(b|W)'\) at byte \d+, got data_offsets \[\d+, 16\] \(overlapping\)/,
    );
    const header = JSON.stringify({ W: w([0, 16]), b: w([20, 28], 'F32', [2]) });
    const gap = file(header, f32([1, 2, 3, 4, 0, 5, 6]));
    expect(parse(gap)).toThrow(
      `safetensors 'm.safetensors': expected tensor 'b' to start at 16 (the end of tensor 'W') at byte ${8 + header.length + 20}, got data_offsets [20, 28] (a gap of 4 bytes)`,
    );
    const late = file({ W: w([4, 20]) }, f32([0, 1, 2, 3, 4]));
    expect(parse(late)).toThrow(/expected tensor 'W' to start at 0 \(the start of the data\)/);
    const trailing = file({ W: w([0, 16]) }, f32([1, 2, 3, 4, 5]));
    expect(parse(trailing)).toThrow(
      /expected the file to end after the tensors' 16 data bytes at byte \d+, got 4 more bytes/,
    );
  });

  it('size that does not match the shape', () => {
    expect(parse(file({ W: w([0, 12]) }, f32([1, 2, 3])))).toThrow(
      /expected tensor 'W' to hold 16 bytes for shape \[2, 2\] F32 at byte \d+, got data_offsets \[0, 12\] \(12 bytes\)/,
    );
    expect(parse(file({ W: w([0, 16], 'F32', [2, -2]) }, f32([1, 2, 3, 4])))).toThrow(
      "expected tensor 'W' to have a shape of non-negative integers at byte 8, got [2,-2]",
    );
  });

  it('unknown dtype, malformed entries and non-string metadata', () => {
    expect(parse(file({ W: w([0, 8], 'F16') }, f32([1, 2])))).toThrow(
      `safetensors 'm.safetensors': expected tensor 'W' to have dtype F64, F32, I32, U8 or BOOL at byte 8, got "F16"`,
    );
    expect(parse(file({ W: 3 }))).toThrow(
      "expected tensor 'W' to be {dtype, shape, data_offsets} at byte 8, got 3",
    );
    expect(parse(file({ __metadata__: { epochs: 3 } }))).toThrow(
      `safetensors 'm.safetensors': expected '__metadata__' to map strings to strings at byte 8, got {"epochs":3}`,
    );
  });
});
