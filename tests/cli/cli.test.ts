// The figure-writing commands of the CLI (issue 6): `train --plot`, `plot`, `show --mnist` and
// `eval --misclassified-png` write PNG/SVG files of the expected size; usage errors exit with 2.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { decodePNG } from '../../src/plot/image.js';
import type { NDArray } from '../../src/ndarray/index.js';

let dir: string;
/** Everything printed to stdout and stderr by the last run. */
let stdout: string[] = [];
let stderr: string[] = [];

/** Runs `scratchnet ...argv` with output captured; resolves to the exit code. */
async function run(...argv: string[]): Promise<number> {
  stdout = [];
  stderr = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void stdout.push(a.join(' ')));
  const err = vi
    .spyOn(console, 'error')
    .mockImplementation((...a) => void stderr.push(a.join(' ')));
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr.push(String(s));
    return true;
  });
  try {
    return await main(argv);
  } finally {
    log.mockRestore();
    err.mockRestore();
    write.mockRestore();
  }
}

async function png(file: string): Promise<NDArray> {
  return decodePNG(new Uint8Array(await readFile(file)));
}

/** RGB of pixel (row, col) of a decoded (H, W, 4) image. */
function rgb(img: NDArray, row: number, col: number): number[] {
  const o = (row * img.shape[1] + col) * 4;
  return Array.from(img.data.subarray(o, o + 3));
}

const quick = ['--train-size', '500', '--test-size', '200', '--epochs', '1', '--net', 'two-layer'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scratchnet-cli-'));
  const code = await run(
    'train',
    ...quick,
    '--no-progress',
    '--plot',
    join(dir, 'run.png'),
    '--history',
    join(dir, 'history.json'),
    '--save',
    join(dir, 'model.safetensors'),
  );
  expect(stderr.join('')).toBe('');
  expect(code).toBe(0);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('train --plot', () => {
  it('writes the loss and accuracy curves as a 960×400 PNG', async () => {
    const img = await png(join(dir, 'run.png'));
    expect(img.shape).toEqual([400, 960, 4]);
    expect(rgb(img, 0, 0)).toEqual([255, 255, 255]);
  });
});

describe('plot', () => {
  it('draws a history file again as SVG with both panels, their legends and the run in the title', async () => {
    const out = join(dir, 'again.svg');
    expect(await run('plot', join(dir, 'history.json'), '-o', out)).toBe(0);
    expect(stdout).toEqual([`wrote ${out}`]);
    const svg = await readFile(out, 'utf8');
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg.match(/<g class="axes"/g)).toHaveLength(2);
    for (const text of ['>loss<', '>accuracy<', '>smoothed<', '>train acc<', '>test acc<'])
      expect(svg).toContain(text);
    expect(svg).toMatch(/class="suptitle"[^>]*>TwoLayerNet · adam lr=0.001 · batch 100/);
  });
  it('writes <history>.png by default', async () => {
    expect(await run('plot', join(dir, 'history.json'))).toBe(0);
    expect((await png(join(dir, 'history.png'))).shape).toEqual([400, 960, 4]);
  });
  it('exits with 1 and a message on a JSON file that is not a history', async () => {
    const bad = join(dir, 'bad.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(bad, '{"trainLossList": 3}'));
    expect(await run('plot', bad)).toBe(1);
    expect(stderr.join('')).toContain('expected');
    expect(stderr.join('')).toContain('trainLossList, an array of numbers');
  });
});

describe('show --mnist', () => {
  it('draws 16 training digits in a 4×4 grid with their labels', async () => {
    const out = join(dir, 'digits.png');
    expect(await run('show', '--mnist', '0:16', '-o', out)).toBe(0);
    const img = await png(out);
    // imageGrid: 4 columns of 64 px cells + 6 px pad; rows add an 18.4 px title, plus a suptitle.
    expect(img.shape).toEqual([384, 280, 4]);
    expect(rgb(img, 0, 0)).toEqual([255, 255, 255]);
    // The first cell (below the suptitle and its title, first 70 px) holds a digit on black, in
    // the white page.
    let black = 0;
    let white = 0;
    for (let row = 50; row < 120; row++) {
      for (let col = 0; col < 70; col++) {
        const p = rgb(img, row, col).join();
        if (p === '0,0,0') black++;
        if (p === '255,255,255') white++;
      }
    }
    expect(black).toBeGreaterThan(2500);
    expect(white).toBeGreaterThan(300);
  });
  it('draws test digits as SVG with their labels as titles', async () => {
    const out = join(dir, 'test.svg');
    expect(await run('show', '--mnist', '0:3', '--test', '-o', out)).toBe(0);
    const svg = await readFile(out, 'utf8');
    const titles = [...svg.matchAll(/class="title"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(titles).toEqual(['7', '2', '1']); // the first three test labels
  });
});

describe('eval --misclassified-png', () => {
  it('draws the misclassified digits titled predicted/true', async () => {
    const out = join(dir, 'wrong.svg');
    const code = await run(
      'eval',
      join(dir, 'model.safetensors'),
      '--test-size',
      '200',
      '--misclassified',
      '5',
      '--misclassified-png',
      out,
    );
    expect(code).toBe(0);
    const listed = stdout.filter((l) => /^ {2}#\d+: \d, \d$/.test(l));
    expect(listed).toHaveLength(5);
    const svg = await readFile(out, 'utf8');
    const titles = [...svg.matchAll(/class="title"[^>]*>([^<]*)</g)].map((m) => m[1]);
    // The same images, in the same order, as the listing: "#i: pred, true" → "pred/true".
    expect(titles).toEqual(listed.map((l) => l.replace(/^ {2}#\d+: (\d), (\d)$/, '$1/$2')));
  });
  it('writes a PNG five cells wide', async () => {
    const out = join(dir, 'wrong.png');
    const args = ['eval', join(dir, 'model.safetensors'), '--test-size', '200'];
    expect(await run(...args, '--misclassified', '5', '--misclassified-png', out)).toBe(0);
    expect((await png(out)).shape[1]).toBe(5 * 70);
  });
});

describe('usage errors exit with 2 and one line', () => {
  const cases: [string, string[], string][] = [
    ['an unknown option', ['show', '--mnist', '0:4', '--bogus'], "unknown option '--bogus'"],
    ['a reversed range', ['show', '--mnist', '16:0'], "expected a range like 0:16, got '16:0'"],
    ['a malformed range', ['show', '--mnist', 'a:b'], "expected a range like 0:16, got 'a:b'"],
    ['no --mnist', ['show'], "required option '--mnist <start:end>'"],
    [
      'a range past the data',
      ['show', '--mnist', '9999:10001', '--test'],
      '--mnist: expected a range within 0:10000 of the test set, got 9999:10001',
    ],
    ['too many images', ['show', '--mnist', '0:1000'], 'expected at most 400 images'],
    ['a missing history file', ['plot', 'no-such-history.json'], "got 'no-such-history.json'"],
    ['a figure name without .png/.svg', ['show', '--mnist', '0:4', '-o', 'x.gif'], "got 'x.gif'"],
    [
      'a --plot into a missing directory',
      ['train', ...quick, '--plot', '/no/such/dir/run.png'],
      "--plot: expected an existing directory for '/no/such/dir/run.png'",
    ],
    ['a --plot file that is no figure', ['train', '--plot', 'run.txt'], "got 'run.txt'"],
    [
      'a --misclassified-png file that is no figure',
      ['eval', 'model.safetensors', '--misclassified-png', 'x.jpg'],
      "--misclassified-png: expected a file name ending in .png or .svg, got 'x.jpg'",
    ],
  ];
  it.each(cases)('%s', async (_, argv, message) => {
    expect(await run(...argv)).toBe(2);
    const text = stderr.join('');
    expect(text).toContain(message);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect(stdout).toEqual([]);
  });
  it('writes no file on a usage error', () => {
    expect(existsSync('x.gif')).toBe(false);
    expect(existsSync('run.txt')).toBe(false);
  });
});

describe('missing files', () => {
  it('exit with code 2 and name the file', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((s: string) => void errors.push(s));
    try {
      expect(await main(['eval', '/no/such/model.safetensors'])).toBe(2);
      expect(errors.join('\n')).toContain("cannot read '/no/such/model.safetensors': no such file");
    } finally {
      spy.mockRestore();
    }
  });
});
