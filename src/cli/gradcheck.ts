// `scratchnet gradcheck`: the book's gradient_check.py — backpropagation against numerical
// gradients on a few MNIST images, one line per parameter.
import { networkGradientCheck } from '../functions/gradient.js';
import { loadDataset } from './data.js';
import { buildNetwork, wantsImages, type NetFlags } from './nets.js';

export interface GradcheckFlags extends NetFlags {
  samples: number;
  data?: string;
}

/** Runs `scratchnet gradcheck`; returns 0 when every difference is below 1e-6, else 1. */
export function gradcheck(
  flags: GradcheckFlags,
  out: (line: string) => void = console.log,
): number {
  const data = loadDataset({
    data: flags.data,
    trainSize: flags.samples,
    testSize: 1,
    dtype: 'float64',
    images: wantsImages(flags.net),
  });
  const net = buildNetwork({ ...flags, dtype: 'float64' });
  out(`${net.kind}: mean |backprop − numerical| over ${flags.samples} training images (float64)`);
  const diffs = networkGradientCheck(net, data.xTrain, data.tTrain);
  let ok = true;
  for (const [key, d] of Object.entries(diffs)) {
    out(`${key}:${d.toExponential(10)}`);
    if (!(d < 1e-6)) ok = false;
  }
  out(ok ? 'ok: every difference is below 1e-6' : 'FAILED: a difference is 1e-6 or more');
  return ok ? 0 : 1;
}
