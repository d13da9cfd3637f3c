// Import of parameters saved by the book's Python code (np.savez(file, **network.params)) into a network (§7.5, §8.1).
import { isFloat } from '../ndarray/dtype.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { formatShape, sameShape } from '../ndarray/shape.js';
import type { Params } from './types.js';

/** What {@link importParams} checked and copied. */
export interface ImportReport {
  /** The keys copied, in the network's order. */
  keys: string[];
  /** Keys whose source dtype differed from the network's and was converted, e.g. `W1: float64 → float32`. */
  converted: string[];
}

/** Options of {@link importParams}. */
export interface ImportParamsOptions {
  /** Named in the error message, e.g. the file name (default `'importParams'`). */
  where?: string;
}

function describe(params: Readonly<Params>, keys: readonly string[]): string {
  return keys.length === 0
    ? 'nothing'
    : keys.map((k) => `${k} ${formatShape(params[k].shape)}`).join(', ');
}

/**
 * Copies `source` into `network.params` in place, key by key — the arrays keep their identity,
 * so layers and optimizers holding them see the new values. float64 and float32 sources are
 * converted to each parameter's dtype. Works for any network from its `params` alone (TwoLayerNet,
 * MultiLayerNet(Extend) with gamma/beta, SimpleConvNet, DeepConvNet).
 *
 * Everything is checked before anything is written: when a key is missing or extra, a shape
 * differs or a dtype is not float, ONE error lists every problem together with what was expected
 * and what was found, and the network is left untouched.
 * @param network anything with the book's `params` dictionary
 * @param source arrays by key, e.g. `loadNpz('params.npz')`
 * @example
 * importParams(new SimpleConvNet(), loadNpz('simple_convnet_params.npz'));
 */
export function importParams(
  network: { readonly params: Params },
  source: Readonly<Record<string, NDArray>>,
  { where = 'importParams' }: ImportParamsOptions = {},
): ImportReport {
  const target = network.params;
  const expected = Object.keys(target);
  const found = Object.keys(source);
  const missing = expected.filter((k) => !(k in source));
  const extra = found.filter((k) => !(k in target));
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`missing: ${missing.join(', ')}`);
  if (extra.length > 0) problems.push(`unexpected: ${describe(source, extra)}`);
  for (const k of expected) {
    const s = source[k];
    if (s === undefined) continue;
    if (!sameShape(s.shape, target[k].shape)) {
      problems.push(
        `${k} has shape ${formatShape(s.shape)}, expected ${formatShape(target[k].shape)}`,
      );
    }
    if (!isFloat(s.dtype)) problems.push(`${k} has dtype ${s.dtype}, expected float32 or float64`);
  }
  if (problems.length > 0) {
    throw new Error(
      `${where}: expected ${describe(target, expected)}, got ${describe(source, found)}\n  ` +
        problems.join('\n  '),
    );
  }
  const converted: string[] = [];
  for (const k of expected) {
    const s = source[k];
    if (s.dtype !== target[k].dtype) converted.push(`${k}: ${s.dtype} → ${target[k].dtype}`);
    target[k].assign(s);
  }
  return { keys: expected, converted };
}
