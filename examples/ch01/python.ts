// Python's print() formatting for the examples (book chapter 1, "Python intro"): floats, tuples
// and shapes as the book's scripts print them, and the "run when executed directly" check.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where an example's lines go: console.log by default, a collector in tests. */
export type Print = (line: string) => void;

/**
 * Python's `str(float)`: shortest round-trip digits as JavaScript's, but always with a decimal
 * point or exponent (`5.0`), and exponents from 1e16 and below 1e-4 (`1e-07`, `1e+16`).
 * @example
 * pyFloat(1); // '1.0'
 * pyFloat(1e-7); // '1e-07'
 * pyFloat(0.1999999999990898); // '0.1999999999990898'
 */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest digits that round-trip, as repr().
  const [mantissa, expText] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    const int = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    return `${sign}${int}.${frac === '' ? '0' : frac}`;
  }
  const frac = digits.slice(1);
  const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return `${sign}${digits[0]}${frac === '' ? '' : `.${frac}`}e${e}`;
}

/**
 * A shape as Python prints a tuple of ints.
 * @example
 * pyShape([784]); // '(784,)'
 * pyShape([28, 28]); // '(28, 28)'
 */
export function pyShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * Whether the module with this `import.meta.url` is the script being run (Python's
 * `if __name__ == '__main__'`), with tsx from `examples/` or with node from `dist/examples/`.
 */
export function isMain(metaUrl: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return p;
    }
  };
  const self = real(fileURLToPath(metaUrl));
  const run = real(path.resolve(script));
  // `node dist/examples/ch02/and_gate` without the extension runs the file too.
  return run === self || run === self.replace(/\.[cm]?[jt]s$/, '');
}
