// Node file helpers: .npy/.npz/safetensors files on disk and atomic writes.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NDArray } from '../../src/ndarray/ndarray.js';
import {
  loadNpy,
  loadNpz,
  loadSafetensors,
  saveNpy,
  saveNpz,
  saveSafetensors,
  writeFileAtomic,
} from '../../src/io/node.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scratchnet-io-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const W = new NDArray(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
const t = new NDArray(new Int32Array([3, 1]), [2]);

describe('file helpers', () => {
  it('save and load .npy, .npz and safetensors files', () => {
    saveNpy(path.join(dir, 'W.npy'), W);
    expect(Array.from(loadNpy(path.join(dir, 'W.npy')).data)).toEqual([1, 2, 3, 4, 5, 6]);
    saveNpz(path.join(dir, 'p.npz'), { W, t }, { compress: true });
    const p = loadNpz(path.join(dir, 'p.npz'));
    expect(p.W.shape).toEqual([2, 3]);
    expect(Array.from(p.t.data)).toEqual([3, 1]);
    saveSafetensors(path.join(dir, 'm.safetensors'), { W, t }, { arch: '{"class":"X"}' });
    const m = loadSafetensors(path.join(dir, 'm.safetensors'));
    expect(m.metadata.arch).toBe('{"class":"X"}');
    expect(m.tensors.W.dtype).toBe('float32');
  });

  it('errors name the file path', () => {
    const f = path.join(dir, 'junk.npy');
    fs.writeFileSync(f, 'not numpy');
    expect(() => loadNpy(f)).toThrow(`npy '${f}': expected magic \\x93NUMPY at byte 0`);
    expect(() => loadSafetensors(f)).toThrow(`safetensors '${f}': expected a header length`);
  });
});

describe('writeFileAtomic', () => {
  const leftovers = () => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

  it('writes and replaces a file, leaving no temporary file', () => {
    const f = path.join(dir, 'a.bin');
    writeFileAtomic(f, new Uint8Array([1, 2, 3]));
    writeFileAtomic(f, new Uint8Array([4, 5]));
    expect(Array.from(fs.readFileSync(f))).toEqual([4, 5]);
    expect(leftovers()).toEqual([]);
  });

  it('removes the temporary file and keeps the target when the rename fails', () => {
    const target = path.join(dir, 'taken');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'inside'), 'x'); // a non-empty directory cannot be replaced
    expect(() => writeFileAtomic(target, new Uint8Array([1]))).toThrow();
    expect(leftovers()).toEqual([]);
    expect(fs.statSync(target).isDirectory()).toBe(true);
  });

  it('fails cleanly when the directory does not exist', () => {
    expect(() => writeFileAtomic(path.join(dir, 'missing', 'x.bin'), new Uint8Array([1]))).toThrow(
      /ENOENT/,
    );
  });
});
