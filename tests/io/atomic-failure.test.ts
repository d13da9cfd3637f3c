// writeFileAtomic when the disk fails part-way through a write (ENOSPC after some bytes): the
// error reaches the caller, the old file is untouched and no partial temporary file is left.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { saveModel, writeFileAtomic, loadModel } from '../../src/io/node.js';
import { TwoLayerNet } from '../../src/networks/index.js';

/**
 * The mocked disk: `room` bytes left before writes fail with ENOSPC, and at most `chunk` bytes
 * taken per write call (short writes); undefined: no limit. `written` counts bytes it took.
 */
const disk = vi.hoisted(() => ({
  room: undefined as number | undefined,
  chunk: undefined as number | undefined,
  written: 0,
}));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  // A disk with `room` bytes left: short writes until it is full, then ENOSPC.
  const writeSync = ((fd: number, buffer: Uint8Array, offset?: number, length?: number) => {
    if (disk.room === undefined && disk.chunk === undefined) {
      return real.writeSync(fd, buffer, offset, length);
    }
    const n = Math.min(length ?? buffer.length, disk.room ?? Infinity, disk.chunk ?? Infinity);
    if (n === 0) {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }
    if (disk.room !== undefined) disk.room -= n;
    disk.written += n;
    return real.writeSync(fd, buffer, offset, n);
  }) as typeof real.writeSync;
  return { ...real, writeSync, default: { ...real, writeSync } };
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scratchnet-enospc-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const leftovers = () => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('writeFileAtomic on a disk that fills up mid-write', () => {
  it('keeps the old model file whole and removes the partial temporary file', () => {
    const file = path.join(dir, 'net.safetensors');
    const old = new TwoLayerNet({ inputSize: 20, hiddenSize: 10, outputSize: 3, seed: 1 });
    saveModel(file, old);
    const before = fs.readFileSync(file);
    const next = new TwoLayerNet({ inputSize: 20, hiddenSize: 10, outputSize: 3, seed: 2 });
    disk.room = 300; // the new file is ~1.3 KB: a few short writes, then ENOSPC
    try {
      expect(() => saveModel(file, next)).toThrow('ENOSPC');
    } finally {
      disk.room = undefined;
    }
    expect(fs.readFileSync(file)).toEqual(before);
    expect(leftovers()).toEqual([]);
    // the old model still loads, with the old weights
    const loaded = loadModel(file).network;
    expect(loaded.params.W1.toList()).toEqual(old.params.W1.toList());
  });

  it('writes a file whole through short writes (the loop resumes where a write stopped)', () => {
    const file = path.join(dir, 'bytes.bin');
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    disk.chunk = 64; // every write call takes at most 64 bytes
    disk.written = 0;
    try {
      writeFileAtomic(file, bytes);
    } finally {
      disk.chunk = undefined;
    }
    expect(disk.written).toBe(1000); // all of it went through the short writes
    expect(new Uint8Array(fs.readFileSync(file))).toEqual(bytes);
    expect(leftovers()).toEqual([]);
  });
});
