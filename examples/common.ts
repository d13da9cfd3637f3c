// Helpers shared by the chapter 5–6 examples (not a book listing): the book's common/util.py
// smooth_curve and shuffle_dataset, where figures go, command-line flags, and the fast kernels.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { kernels, type NDArray, type Rng } from '../src/ndarray/index.js';
import { savefig } from '../src/node/plot.js';
import type { Axes, Figure, LineOptions, Marker } from '../src/plot/index.js';
import type { Print } from './ch01/python.js';

/** Options every figure-writing example takes. */
export interface FigureOutputOptions {
  /**
   * Directory the `chNN/<name>.png` figures go into; `null` writes none. Default: the
   * `SCRATCHNET_OUT` environment variable, else `out`.
   */
  outDir?: string | null;
}

/** The directory figures go into: the option, else SCRATCHNET_OUT, else `out`. */
export function resolveOutDir(outDir: string | null | undefined): string | null {
  if (outDir === null) return null;
  return outDir ?? process.env.SCRATCHNET_OUT ?? 'out';
}

/**
 * Writes `fig` to `<outDir>/<chapter>/<name>.png` (the book's `plt.show()`), prints where, and
 * returns the path; does nothing and returns null when `outDir` is null.
 */
export async function saveFigure(
  fig: Figure,
  chapter: string,
  name: string,
  outDir: string | null | undefined,
  print: Print,
): Promise<string | null> {
  const dir = resolveOutDir(outDir);
  if (dir === null) return null;
  const file = join(dir, chapter, `${name}.png`);
  await savefig(fig, file);
  print(`figure: ${file}`);
  return file;
}

/** The book's `smooth_curve` (common/util.py), shared with the CLI's history figure. */
export { smoothCurve } from '../src/plot/history.js';

/**
 * The book's `shuffle_dataset`: the same random permutation of the rows of x and t.
 * @param x (N, …) @param t (N,) or (N, classes)
 */
export function shuffleDataset(x: NDArray, t: NDArray, rng: Rng): [NDArray, NDArray] {
  const order = rng.permutation(x.shape[0]);
  return [x.take(order, 0), t.take(order, 0)];
}

/** Options of {@link plotMarkEvery}. */
export interface MarkEveryOptions extends LineOptions {
  /** Draw the marker on every n-th point only (matplotlib's `markevery`). */
  markEvery: number;
  marker: Marker;
  /** Needed: the three series share it (`'C0'`, `'C1'`, … for matplotlib's cycle). */
  color: string;
}

/**
 * `ax.plot(x, y, marker=…, markevery=n, label=…)`: the line through all points, the marker on
 * every n-th. The plot module has no `markevery`, so the line and the markers are drawn as two
 * series and a third, empty one carries the legend entry with both.
 */
export function plotMarkEvery(
  ax: Axes,
  x: readonly number[] | null,
  y: readonly number[],
  o: MarkEveryOptions,
): void {
  const { markEvery, marker, label, ...line } = o;
  const xs = x ?? y.map((_, i) => i);
  ax.plot(xs, y, { ...line, marker: 'none' });
  const pick = (v: readonly number[]) => v.filter((_, i) => i % markEvery === 0);
  ax.plot(pick(xs), pick(y), { ...line, marker, lineStyle: 'none' });
  if (label !== undefined) ax.plot([NaN], [NaN], { ...line, marker, label });
}

/** A turn of the event loop: lets the wasm kernels reclaim the memory of garbage arrays. */
export { yieldToFinalizers } from '../src/ndarray/index.js';

/**
 * Switches to the WebAssembly kernels unless SCRATCHNET_BACKEND=reference (threads from
 * SCRATCHNET_THREADS, else every core) and returns the name of the kernels in use. Called only by
 * the command-line entry points, so tests run whatever backend their process chose; imported
 * lazily, so loading an example does not load the wasm module.
 */
export async function useFastKernels(print: Print = console.log): Promise<string> {
  if (process.env.SCRATCHNET_BACKEND === 'reference') return kernels().name;
  const threads = Number(process.env.SCRATCHNET_THREADS);
  try {
    const { initWasmNode } = await import('../src/node/threads.js');
    await initWasmNode(Number.isInteger(threads) && threads > 0 ? { threads } : {});
  } catch (e) {
    print(`fast kernels unavailable (${(e as Error).message}): using the reference kernels`);
  }
  return kernels().name;
}

/** The flags the chapter 5–6 examples understand; each example reads the ones it uses. */
export interface ExampleArgs {
  /** Positional arguments (e.g. an iteration count). */
  positionals: string[];
  /** `--quick` or SCRATCHNET_QUICK=1: a short run. */
  quick: boolean;
  /** Named integer flags (`--iters 300` → `{ iters: 300 }`). */
  ints: Record<string, number>;
  /** Named number flags, also in exponent form (`--lambda 0.1`, `--lr 1e-3`). */
  numbers: Record<string, number>;
  /** `--out-dir DIR` (figures), `--no-plot` → null. */
  outDir?: string | null;
}

/**
 * Reads the command line: `--quick`, `--out-dir DIR`, `--no-plot`, and the integer or number
 * flags named in `intFlags`/`numberFlags`; a wrong flag or value throws `flag: expected …, got …`.
 */
export function parseExampleArgs(
  intFlags: readonly string[] = [],
  numberFlags: readonly string[] = [],
  argv: readonly string[] = process.argv.slice(2),
): ExampleArgs {
  const options: Record<string, { type: 'string' | 'boolean' }> = {
    quick: { type: 'boolean' },
    'out-dir': { type: 'string' },
    'no-plot': { type: 'boolean' },
  };
  for (const f of [...intFlags, ...numberFlags]) options[f] = { type: 'string' };
  const { values, positionals } = parseArgs({
    args: [...argv],
    options,
    allowPositionals: true,
    strict: true,
  });
  const ints: Record<string, number> = {};
  const numbers: Record<string, number> = {};
  for (const f of intFlags) {
    const v = values[f];
    if (typeof v !== 'string') continue;
    const n = Number(v);
    if (!(Number.isInteger(n) && n > 0)) {
      throw new Error(`--${f}: expected a positive integer, got ${v}`);
    }
    ints[f] = n;
  }
  for (const f of numberFlags) {
    const v = values[f];
    if (typeof v !== 'string') continue;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`--${f}: expected a number, got ${v}`);
    numbers[f] = n;
  }
  const outDir = values['no-plot'] === true ? null : (values['out-dir'] as string | undefined);
  return {
    positionals,
    quick: values.quick === true || process.env.SCRATCHNET_QUICK === '1',
    ints,
    numbers,
    outDir,
  };
}

/** Milliseconds as `12.3 s` or `4 min 5 s`. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
