// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
// naming each tensor's dtype, shape and byte range, then the data. Model files are written in it.

import { NDArray } from '../ndarray/ndarray.js';
import type { DType } from '../ndarray/dtype.js';
import { bytesOfTyped, ITEMSIZE, typedFromBytes } from './npy.js';

/** The safetensors dtype names scratchnet reads and writes. */
export type SafetensorsDType = 'F64' | 'F32' | 'I32' | 'U8' | 'BOOL';

/** The contents of a safetensors file. */
export interface Safetensors {
  /** The tensors, in the order of their data in the file. */
  tensors: Record<string, NDArray>;
  /** The `__metadata__` map (empty when the file has none). */
  metadata: Record<string, string>;
}

/** Options of {@link parseSafetensors}. */
export interface ParseSafetensorsOptions {
  /** The file name used in error messages. Default `'model.safetensors'`. */
  name?: string;
}

const TO_FILE: Readonly<Record<DType, SafetensorsDType>> = {
  float64: 'F64',
  float32: 'F32',
  int32: 'I32',
  uint8: 'U8',
  bool: 'BOOL',
};
const FROM_FILE: Readonly<Record<string, DType>> = {
  F64: 'float64',
  F32: 'float32',
  I32: 'int32',
  U8: 'uint8',
  BOOL: 'bool',
};
// The reference implementation lays tensors out by descending alignment (its dtype enum order:
// BOOL < U8 < I32 < F32 < F64), then by name, so every tensor starts aligned to its element size.
const ALIGN_RANK: Readonly<Record<DType, number>> = {
  bool: 0,
  uint8: 1,
  int32: 2,
  float32: 3,
  float64: 4,
};
// The reference implementation refuses headers above 100 MB; so do we (a corrupt length would
// otherwise ask for gigabytes).
const MAX_HEADER = 100_000_000;
const METADATA_KEY = '__metadata__';

const utf8 = new TextEncoder();

/** Compares strings by their UTF-8 bytes, as Rust orders `String`s. */
function compareUtf8(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/**
 * Serializes tensors and string metadata as the bytes of a safetensors file, laid out as the
 * reference implementation does (descending alignment, then name; header padded with spaces to a
 * multiple of 8 bytes). Metadata values must be strings: put JSON in as a string.
 * @param tensors any shapes; dtypes float64, float32, int32, uint8, bool
 * @param metadata written as `__metadata__` when given
 * @example
 * serializeSafetensors({ 'attn.0': new NDArray(new Float32Array(6), [1, 2, 3]) }).length; // 8 + 64 + 24
 */
export function serializeSafetensors(
  tensors: Readonly<Record<string, NDArray>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const where = 'serializeSafetensors';
  const entries = Object.entries(tensors);
  for (const [name] of entries) {
    if (name === METADATA_KEY) throw new Error(`${where}: expected a tensor name, got '${name}'`);
  }
  entries.sort(
    ([an, a], [bn, b]) => ALIGN_RANK[b.dtype] - ALIGN_RANK[a.dtype] || compareUtf8(an, bn),
  );
  const header: Record<string, unknown> = {};
  const define = (key: string, value: unknown): void => {
    Object.defineProperty(header, key, { value, enumerable: true });
  };
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') {
        throw new Error(`${where}: expected metadata '${k}' to be a string, got ${typeof v}`);
      }
    }
    define(METADATA_KEY, metadata);
  }
  let offset = 0;
  for (const [name, a] of entries) {
    const n = a.size * ITEMSIZE[a.dtype];
    define(name, {
      dtype: TO_FILE[a.dtype],
      shape: [...a.shape],
      data_offsets: [offset, offset + n],
    });
    offset += n;
  }
  const headerBytes = utf8.encode(JSON.stringify(header));
  const padded = Math.ceil(headerBytes.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, padded, true); // u64 little-endian; the high word stays 0
  out.set(headerBytes, 8);
  out.fill(0x20, 8 + headerBytes.length, 8 + padded);
  let at = 8 + padded;
  for (const [, a] of entries) {
    const bytes = bytesOfTyped(a.data, a.dtype, a.size);
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

interface Entry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * Parses and validates the bytes of a safetensors file: the header length lies within the file,
 * the header is JSON, every tensor has a known dtype, a shape and offsets within the data whose
 * size is prod(shape) · itemsize, and the tensors cover the data without gaps or overlaps.
 * Anything else throws an error naming the file, the tensor and the byte offset — never a partial
 * result.
 * @param bytes the whole file
 * @example
 * parseSafetensors(serializeSafetensors({ w: zeros([2, 3]) }, { arch: '{}' })).metadata; // { arch: '{}' }
 */
export function parseSafetensors(
  bytes: Uint8Array,
  options: ParseSafetensorsOptions = {},
): Safetensors {
  const { name: file = 'model.safetensors' } = options;
  const where = `safetensors '${file}'`;
  const fail = (what: string, offset: number, got: string): never => {
    throw new Error(`${where}: expected ${what} at byte ${offset}, got ${got}`);
  };

  if (bytes.length < 8) fail('an 8-byte header length', 0, `a file of ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rawLen = view.getBigUint64(0, true);
  if (rawLen > MAX_HEADER) fail(`a header length of at most ${MAX_HEADER}`, 0, `${rawLen}`);
  const headerLen = Number(rawLen);
  if (8 + headerLen > bytes.length) {
    fail(
      `a header of ${headerLen} bytes`,
      8,
      `${bytes.length - 8} bytes before the end of the file (truncated or not safetensors)`,
    );
  }
  let header: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen));
    header = JSON.parse(text);
  } catch (e) {
    fail('a JSON header', 8, `invalid JSON or UTF-8 (${e instanceof Error ? e.message : e})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    fail('a JSON object as header', 8, header === null ? 'null' : typeof header);
  }
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;

  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      const ok =
        info !== null &&
        typeof info === 'object' &&
        !Array.isArray(info) &&
        Object.values(info).every((v) => typeof v === 'string');
      if (!ok) fail(`'${METADATA_KEY}' to map strings to strings`, 8, JSON.stringify(info));
      metadata = Object.fromEntries(Object.entries(info as Record<string, string>));
      continue;
    }
    const t = `tensor '${name}'`;
    if (info === null || typeof info !== 'object' || Array.isArray(info)) {
      fail(`${t} to be {dtype, shape, data_offsets}`, 8, JSON.stringify(info));
    }
    const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
    if (typeof dtype !== 'string' || !Object.hasOwn(FROM_FILE, dtype)) {
      fail(`${t} to have dtype F64, F32, I32, U8 or BOOL`, 8, JSON.stringify(dtype));
    }
    if (!Array.isArray(shape) || !shape.every(isCount)) {
      fail(`${t} to have a shape of non-negative integers`, 8, JSON.stringify(shape));
    }
    const okOffsets =
      Array.isArray(offsets) &&
      offsets.length === 2 &&
      offsets.every(isCount) &&
      offsets[0] <= offsets[1];
    if (!okOffsets) fail(`${t} to have data_offsets [begin, end]`, 8, JSON.stringify(offsets));
    const [begin, end] = offsets as [number, number];
    if (end > dataLen) {
      fail(
        `${t} to end within the ${dataLen} data bytes`,
        dataStart + begin,
        `data_offsets [${begin}, ${end}] (past the end of the file)`,
      );
    }
    const d = FROM_FILE[dtype as string];
    const n = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== n * ITEMSIZE[d]) {
      fail(
        `${t} to hold ${n * ITEMSIZE[d]} bytes for shape [${(shape as number[]).join(', ')}] ${dtype as string}`,
        dataStart + begin,
        `data_offsets [${begin}, ${end}] (${end - begin} bytes)`,
      );
    }
    entries.push({ name, dtype: d, shape: shape as number[], begin, end });
  }

  // The tensors must tile the data buffer exactly: sorted by offset, each starts where the
  // previous one ended, and the last ends at the end of the file.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous = '';
  for (const e of entries) {
    if (e.begin < covered) {
      fail(
        `tensor '${e.name}' to start at or after ${covered} (the end of tensor '${previous}')`,
        dataStart + e.begin,
        `data_offsets [${e.begin}, ${e.end}] (overlapping)`,
      );
    }
    if (e.begin > covered) {
      const after = previous ? `the end of tensor '${previous}'` : 'the start of the data';
      fail(
        `tensor '${e.name}' to start at ${covered} (${after})`,
        dataStart + e.begin,
        `data_offsets [${e.begin}, ${e.end}] (a gap of ${e.begin - covered} bytes)`,
      );
    }
    covered = e.end;
    previous = e.name;
  }
  if (covered !== dataLen) {
    fail(
      `the file to end after the tensors' ${covered} data bytes`,
      dataStart + covered,
      `${dataLen - covered} more bytes`,
    );
  }

  const tensors = entries.map((e): [string, NDArray] => {
    const n = e.shape.reduce((a, b) => a * b, 1);
    const data = typedFromBytes(bytes.subarray(dataStart + e.begin, dataStart + e.end), e.dtype, n);
    return [e.name, new NDArray(data, e.shape, e.dtype)];
  });
  return { tensors: Object.fromEntries(tensors), metadata };
}
