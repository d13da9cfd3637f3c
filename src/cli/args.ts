// Parsers for option values: each throws commander's InvalidArgumentError with a one-line reason.
import { InvalidArgumentError } from 'commander';

/** A positive integer option value. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}

/** A non-negative integer option value. */
export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected a non-negative integer, got '${value}'`);
  return n;
}

/** A finite number ≥ 0. */
export function nonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError(`expected a number ≥ 0, got '${value}'`);
  }
  return n;
}

/** A number > 0. */
export function positive(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expected a number > 0, got '${value}'`);
  return n;
}

/** A ratio in [0, 1). */
export function ratio(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n < 1))
    throw new InvalidArgumentError(`expected a ratio in [0, 1), got '${value}'`);
  return n;
}

/** Comma-separated positive integers, e.g. `100,100`. */
export function sizeList(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  const sizes = parts.map(Number);
  if (
    parts.length === 0 ||
    sizes.some((n, i) => parts[i] === '' || !Number.isInteger(n) || n <= 0)
  ) {
    throw new InvalidArgumentError(
      `expected comma-separated positive integers like 100,100, got '${value}'`,
    );
  }
  return sizes;
}

/** `--weight-init`: a standard deviation or one of the book's rules. */
export function weightInit(value: string): number | 'he' | 'relu' | 'xavier' | 'sigmoid' {
  if (value === 'he' || value === 'relu' || value === 'xavier' || value === 'sigmoid') return value;
  const n = Number(value);
  if (value.trim() === '' || !(n > 0)) {
    throw new InvalidArgumentError(
      `expected a positive number or he, relu, xavier, sigmoid, got '${value}'`,
    );
  }
  return n;
}

/** A `start:end` range of indices, e.g. `0:16`. */
export function range(value: string): [number, number] {
  const m = /^(\d+):(\d+)$/.exec(value.trim());
  if (!m || Number(m[2]) <= Number(m[1]))
    throw new InvalidArgumentError(`expected a range like 0:16, got '${value}'`);
  return [Number(m[1]), Number(m[2])];
}
