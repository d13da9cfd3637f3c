// Weight initialization: the scale of the initial weights, chapter 6.2 (common/multi_layer_net.py).
import { Rng, type FloatDType, type NDArray } from '../ndarray/index.js';

/**
 * The standard deviation of the initial weights: a number, or a rule that scales with the
 * number of inputs n of the layer — `'relu'`/`'he'` → sqrt(2 / n) (He), `'sigmoid'`/`'xavier'`
 * → sqrt(1 / n) (Xavier, as the book writes it).
 */
export type WeightInitStd = number | 'he' | 'relu' | 'xavier' | 'sigmoid';

/** The names `weightInitStd` accepts besides a number. */
export const WEIGHT_INIT_NAMES: readonly Exclude<WeightInitStd, number>[] = [
  'he',
  'relu',
  'xavier',
  'sigmoid',
];

/**
 * The standard deviation for a layer with `fanIn` inputs.
 * @example
 * weightInitScale('he', 50); // 0.2 (sqrt(2 / 50))
 * weightInitScale('xavier', 100); // 0.1
 * weightInitScale(0.01, 784); // 0.01
 */
export function weightInitScale(weightInitStd: WeightInitStd, fanIn: number): number {
  if (!(Number.isInteger(fanIn) && fanIn > 0)) {
    throw new Error(`weightInitScale: expected a positive integer number of inputs, got ${fanIn}`);
  }
  switch (weightInitStd) {
    case 'relu':
    case 'he':
      return Math.sqrt(2 / fanIn);
    case 'sigmoid':
    case 'xavier':
      return Math.sqrt(1 / fanIn);
    default:
      if (
        typeof weightInitStd !== 'number' ||
        !(weightInitStd >= 0) ||
        !Number.isFinite(weightInitStd)
      ) {
        throw new Error(
          `weightInitStd: expected a non-negative number or one of ${WEIGHT_INIT_NAMES.map((n) => `'${n}'`).join(', ')}, got ${JSON.stringify(weightInitStd)}`,
        );
      }
      return weightInitStd;
  }
}

/**
 * Initial weights `scale · randn(fanIn, fanOut)`, the book's `weight_init_std * np.random.randn(…)`.
 * @returns (fanIn, fanOut) of `dtype`
 */
export function initWeight(
  rng: Rng,
  fanIn: number,
  fanOut: number,
  weightInitStd: WeightInitStd,
  dtype: FloatDType = 'float64',
): NDArray {
  const scale = weightInitScale(weightInitStd, fanIn);
  return rng.normal(0, scale, [fanIn, fanOut], dtype);
}

/** Throws unless `n` is a positive integer (a layer size). */
export function checkSize(n: number, where: string, what: string): void {
  if (!(Number.isInteger(n) && n > 0)) {
    throw new Error(`${where}: expected ${what} a positive integer, got ${n}`);
  }
}

/** Options every network shares: where its randomness comes from and the parameters' dtype. */
export interface NetworkCommonOptions {
  /** Seed of the network's generator (initial weights, dropout masks). Default 0. */
  seed?: number;
  /** A generator to use instead of `seed` (e.g. one shared with the Trainer). */
  rng?: Rng;
  /** dtype of the parameters; inputs are converted to it. Default `'float64'` (gradient checks need it). */
  dtype?: FloatDType;
}

/** The generator and the JSON-able part of the common options. */
export function commonOptions(
  { seed, rng, dtype = 'float64' }: NetworkCommonOptions,
  where: string,
): { rng: Rng; dtype: FloatDType; config: { dtype: FloatDType; seed?: number } } {
  if (dtype !== 'float64' && dtype !== 'float32') {
    throw new Error(
      `${where}: expected dtype 'float64' or 'float32', got ${JSON.stringify(dtype)}`,
    );
  }
  if (rng !== undefined) {
    if (seed !== undefined) throw new Error(`${where}: expected either seed or rng, got both`);
    return { rng, dtype, config: { dtype } };
  }
  const s = seed ?? 0;
  return { rng: new Rng(s), dtype, config: { dtype, seed: s } };
}
