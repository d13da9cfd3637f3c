// Tick placement and labels: matplotlib's MaxNLocator (steps 1, 2, 2.5, 5, 10 per decade) and a
// ScalarFormatter-like label format with one number of decimals for the whole axis.

const STEPS = [1, 2, 2.5, 5, 10];

/**
 * Nice tick positions inside `[lo, hi]` with at most `maxBins` intervals between ticks, using the
 * steps 1, 2, 2.5 and 5 times a power of ten.
 * @example niceTicks(0, 6.3, 9) // [0, 1, 2, 3, 4, 5, 6]
 */
export function niceTicks(lo: number, hi: number, maxBins: number): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo > hi) [lo, hi] = [hi, lo];
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(lo))) return [lo];
  const bins = Math.max(1, Math.floor(maxBins));
  const raw = (hi - lo) / bins;
  const scale = Math.pow(10, Math.floor(Math.log10(raw)));
  const eps = 1e-9;
  // From the decade below the raw step upwards: the first step whose ticks fit is the densest.
  for (let decade = -1; decade < 3; decade++) {
    for (const s of STEPS) {
      const step = s * scale * Math.pow(10, decade);
      // Unlike MaxNLocator we count only the intervals between ticks inside the limits, so a
      // small axis over [-0.05, 1.05] gets 0 and 1 rather than a lone 0.
      const first = Math.ceil(lo / step - eps);
      const last = Math.floor(hi / step + eps);
      if (last - first > bins) continue;
      const ticks: number[] = [];
      for (let k = first; k <= last; k++) ticks.push(cleanZero(round12(k * step)));
      return ticks;
    }
  }
  return [lo, hi];
}

/** Rounds away binary noise such as 0.30000000000000004 without changing meaningful digits. */
function round12(v: number): number {
  return v === 0 ? 0 : Number(v.toPrecision(12));
}

function cleanZero(v: number): number {
  return Object.is(v, -0) ? 0 : v;
}

/**
 * Labels for `ticks` with a common number of decimals (the fewest that show every tick exactly),
 * a typographic minus sign, and exponent notation for very large or small magnitudes.
 * @example formatTicks([-1, -0.5, 0, 0.5, 1]) // ['−1.0', '−0.5', '0.0', '0.5', '1.0']
 */
export function formatTicks(ticks: readonly number[]): string[] {
  if (ticks.length === 0) return [];
  const maxAbs = Math.max(...ticks.map((t) => Math.abs(t)));
  if (maxAbs >= 1e6 || (maxAbs > 0 && maxAbs < 1e-4)) {
    return ticks.map((t) => (t === 0 ? '0' : minus(shortExponential(t))));
  }
  let decimals = 0;
  while (
    decimals < 10 &&
    !ticks.every((t) => Math.abs(Number(t.toFixed(decimals)) - t) < 1e-9 * Math.max(1, maxAbs))
  ) {
    decimals++;
  }
  // matplotlib shows e.g. 0.0, 0.5, 1.0 rather than 0, 0.5, 1: one decimal count for all labels.
  return ticks.map((t) => minus(t.toFixed(decimals)));
}

/** A tick label for a single number (legend/extra use): shortest round-trip text with a minus sign. */
export function formatNumber(v: number): string {
  return minus(String(round12(v)));
}

function shortExponential(v: number): string {
  const [m, e] = Number(v.toPrecision(6)).toExponential().split('e');
  return `${m}e${e.startsWith('+') ? e.slice(1) : e}`;
}

function minus(s: string): string {
  if (/^-0(\.0*)?$/.test(s)) s = s.slice(1);
  return s.replace(/^-/, '−').replace(/e-/, 'e−');
}
