// Training curves (book §4.5.3 figure 4-11 / 4-12, §6.1.8's smoothed loss): the loss per iteration
// with the book's smooth_curve, and train/test accuracy per epoch, as one two-panel figure.
import { Figure } from './figure.js';

/** What a training run recorded: the Trainer's lists (and `scratchnet train --history` JSON). */
export interface TrainingHistory {
  /** Mini-batch loss of every iteration. */
  trainLossList: readonly number[];
  /** Training accuracy, one per epoch. */
  trainAccList: readonly number[];
  /** Test accuracy, one per epoch. */
  testAccList: readonly number[];
  /** Iterations per epoch (optional; only used for the subtitle of the loss panel). */
  iterPerEpoch?: number;
}

/** Options of {@link historyFigure}. */
export interface HistoryFigureOptions {
  /** A title above both panels (e.g. the network and optimizer). */
  title?: string;
  /**
   * Window of the loss smoothing, an odd number ≥ 3 (the book's `smooth_curve` uses 11), or
   * `'auto'` (default): 11, widened for long runs to about 1/40 of the iterations (at most 201) so
   * the trend stays readable over thousands of noisy mini-batch losses.
   */
  smoothWindow?: number | 'auto';
  /**
   * The epoch number of the first accuracy: 1 (default) for the Trainer, which measures after
   * each epoch; 0 for the book's ch04 script, which measures before the first update.
   */
  firstEpoch?: number;
  /** Figure width in px (default 960). */
  width?: number;
  /** Figure height in px (default 400). */
  height?: number;
}

/** The modified Bessel function of the first kind, order 0 (for the Kaiser window). */
function besselI0(x: number): number {
  // The power series Σ ((x/2)^k / k!)²: converges fast for the small β the window uses.
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

/**
 * NumPy's `np.kaiser(M, beta)`: a tapered window, 1 in the middle.
 * @returns (M) weights
 */
export function kaiser(M: number, beta: number): number[] {
  if (M === 1) return [1];
  const denom = besselI0(beta);
  return Array.from({ length: M }, (_, n) => {
    const r = (2 * n) / (M - 1) - 1;
    return besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / denom;
  });
}

/**
 * The book's `smooth_curve` (common/util.py): a Kaiser-window (β = 2) moving average with the ends
 * mirrored, so the result has the input's length. Windows longer than the data shrink to fit.
 * @param x (N) values, e.g. a loss per iteration
 * @param windowLen an odd window length (default 11, the book's)
 * @returns (N) smoothed values
 * @example
 * smoothCurve([1, 1, 1, 1, 1]); // [1, 1, 1, 1, 1]
 */
export function smoothCurve(x: ArrayLike<number>, windowLen = 11): number[] {
  const n = x.length;
  if (!(Number.isInteger(windowLen) && windowLen >= 1)) {
    throw new Error(`smoothCurve: expected a positive integer window, got ${windowLen}`);
  }
  // The mirror padding needs n ≥ window; an even window would shift the curve by half a step.
  let w = Math.min(windowLen, n);
  if (w % 2 === 0) w--;
  if (w < 3) return Array.from(x);
  const weights = kaiser(w, 2);
  const total = weights.reduce((a, b) => a + b, 0);
  const half = (w - 1) / 2;
  // The book pads with np.r_[x[w-1:0:-1], x, x[-1:-w:-1]]: mirrored about x[0] at the start
  // (index -k → x[k]) but about the half step after x[n-1] at the end (index n + k → x[n-1-k]).
  const at = (i: number) => x[i < 0 ? -i : i >= n ? 2 * n - 1 - i : i];
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < w; k++) s += weights[k] * at(i + k - half);
    out[i] = s / total;
  }
  return out;
}

/** The window `'auto'` picks: 11, or ~N/40 (odd, ≤ 201) for long runs. */
function autoWindow(n: number): number {
  const w = Math.min(201, Math.max(11, Math.round(n / 40)));
  return w % 2 === 0 ? w + 1 : w;
}

/**
 * The curves of a training run in one figure: left, the loss of every iteration (faint) with its
 * smoothed trend; right, train and test accuracy per epoch (the book's figure 4-12 style).
 * @param history the lists the Trainer (or `train --history`) recorded
 * @example
 * const fig = historyFigure({ trainLossList: [2.3, 1.2, 0.8], trainAccList: [0.8], testAccList: [0.79] });
 * fig.axes.length; // 2
 */
export function historyFigure(
  history: TrainingHistory,
  {
    title,
    smoothWindow = 'auto',
    firstEpoch = 1,
    width = 960,
    height = 400,
  }: HistoryFigureOptions = {},
): Figure {
  const { trainLossList: loss, trainAccList: trainAcc, testAccList: testAcc } = history;
  for (const [name, list] of [
    ['trainLossList', loss],
    ['trainAccList', trainAcc],
    ['testAccList', testAcc],
  ] as const) {
    if (!Array.isArray(list) || list.some((v) => typeof v !== 'number')) {
      throw new Error(
        `historyFigure: expected ${name} to be an array of numbers, got ${typeof list}`,
      );
    }
  }
  const fig = new Figure({ width, height });
  if (title) fig.suptitle(title);
  const [lossAx, accAx] = fig.subplots(1, 2);

  lossAx.setTitle('loss').setXLabel('iterations').setYLabel('loss');
  if (loss.length) {
    const iters = loss.map((_, i) => i + 1);
    const window = smoothWindow === 'auto' ? autoWindow(loss.length) : smoothWindow;
    // The raw mini-batch losses are noisy: faint, with the smoothed trend drawn over them.
    lossAx.plot(iters, loss, { color: 'C0', lineWidth: 1, alpha: 0.35, label: 'mini-batch' });
    if (loss.length >= 3) {
      lossAx.plot(iters, smoothCurve(loss, window), {
        color: 'C0',
        lineWidth: 2,
        label: 'smoothed',
      });
    }
    // A handful of iterations would get ticks at 1.5, 2.5, …: label the iterations themselves.
    if (loss.length <= 10) lossAx.setXTicks(iters);
    lossAx.legend({ loc: 'upper right' });
  } else {
    lossAx.text(0.5, 0.5, 'no loss recorded', { anchor: 'middle' }).setXLim(0, 1).setYLim(0, 1);
  }

  accAx.setTitle('accuracy').setXLabel('epochs').setYLabel('accuracy');
  const epochs = Math.max(trainAcc.length, testAcc.length);
  if (epochs) {
    const x = (n: number) => Array.from({ length: n }, (_, i) => i + firstEpoch);
    accAx.plot(x(trainAcc.length), trainAcc, 'o-', { label: 'train acc', markerSize: 6 });
    accAx.plot(x(testAcc.length), testAcc, 's--', { label: 'test acc', markerSize: 6 });
    // Auto limits kept inside [0, 1] (the book fixes 0–1, which hides a train/test gap near 0.98).
    const all = [...trainAcc, ...testAcc].filter(Number.isFinite);
    const lo = Math.min(...all);
    const hi = Math.max(...all);
    const pad = Math.max(0.02, 0.1 * (hi - lo));
    accAx.setYLim(Math.max(0, lo - pad), Math.min(1.005, hi + pad));
    // Whole epochs only: the default ticks of 1 or 2 epochs would be 0.5 apart.
    const last = firstEpoch + epochs - 1;
    const step = Math.max(1, Math.ceil(epochs / 10));
    const ticks: number[] = [];
    for (let e = firstEpoch; e <= last; e += step) ticks.push(e);
    accAx.setXTicks(ticks);
    accAx.setXLim(firstEpoch - 0.5, last + 0.5);
    accAx.legend({ loc: 'lower right' });
  } else {
    accAx.text(0.5, 0.5, 'no accuracy recorded', { anchor: 'middle' }).setXLim(0, 1).setYLim(0, 1);
  }
  return fig;
}
