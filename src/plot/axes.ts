// Axes: one plotting area with matplotlib's pyplot vocabulary (plot, scatter, hist, bar, contour,
// quiver, imshow, legend, …). It records what to draw; the Figure lays axes out and writes SVG.
import { NDArray } from '../ndarray/ndarray.js';
import { formatShape } from '../ndarray/shape.js';
import { colormap, resolveColor, rgbHex, TAB10, type ColormapName } from './colors.js';
import { contourLines, type ContourLine } from './contour.js';
import { base64, encodePNG } from './image.js';
import { dashArray, esc, markerSVG, num, type LineStyle, type Marker } from './svg.js';
import { CAP_HEIGHT, FONT_FAMILY, textWidth } from './text.js';
import { formatTicks, niceTicks } from './ticks.js';

/** A series of numbers: an NDArray (flattened) or any array-like of numbers. */
export type Series = NDArray | ArrayLike<number>;

/** Options of {@link Axes.plot}. */
export interface LineOptions {
  /** Legend entry; series without one are left out of the legend. */
  label?: string;
  /** `'C0'`…`'C9'`, `'r'`, `'k'`, `'#666666'`, any CSS colour; default: the next in the cycle. */
  color?: string;
  /** `'-'` (default), `'--'`, `':'`, `'-.'` or `'none'`. */
  lineStyle?: LineStyle;
  /** Line width in px (default 2, matplotlib's 1.5 pt). */
  lineWidth?: number;
  /** Marker at each point: `'o'`, `'s'`, `'^'`, `'v'`, `'D'`, `'x'`, `'+'`, `'.'`, `'*'`. */
  marker?: Marker;
  /** Marker diameter in px (default 7). */
  markerSize?: number;
  /** Opacity in [0, 1]. */
  alpha?: number;
}

/** Options of {@link Axes.scatter}. */
export interface ScatterOptions {
  label?: string;
  /** One colour for all points, or one per point. */
  color?: string | readonly string[];
  /** Marker shape (default `'o'`). */
  marker?: Marker;
  /** Marker diameter in px (default 6). */
  size?: number;
  alpha?: number;
}

/** Options of {@link Axes.hist}. */
export interface HistOptions {
  /** Number of equal bins (default 10) or the bin edges, increasing. */
  bins?: number | readonly number[];
  /** Lower and upper edge of the equal bins; values outside are ignored (default: data min/max). */
  range?: readonly [number, number];
  /** Divide counts so the bars' area is 1. */
  density?: boolean;
  color?: string;
  /** Bar outline colour (default none). */
  edgeColor?: string;
  alpha?: number;
  label?: string;
}

/** Counts per bin and the bin edges, as NumPy's `histogram` returns them. */
export interface HistResult {
  /** (bins) counts, or densities with `density: true`. */
  counts: number[];
  /** (bins + 1) edges. */
  edges: number[];
}

/** Options of {@link Axes.bar}. */
export interface BarOptions {
  /** Bar width in data units (default 0.8). */
  width?: number;
  /** One colour, or one per bar. */
  color?: string | readonly string[];
  edgeColor?: string;
  /** Base of the bars (default 0). */
  bottom?: number;
  alpha?: number;
  label?: string;
}

/** Options of {@link Axes.contour}. */
export interface ContourOptions {
  /** How many nice levels to choose (default ~7), or the levels themselves. */
  levels?: number | readonly number[];
  /** One colour for all lines or one per level; default: levels coloured by `cmap`. */
  colors?: string | readonly string[];
  /** Colour map for the levels when `colors` is not given (default `'viridis'`). */
  cmap?: ColormapName;
  lineWidth?: number;
  lineStyle?: LineStyle;
  label?: string;
}

/** The levels a contour plot drew and its lines in data coordinates. */
export interface ContourResult {
  levels: number[];
  lines: ContourLine[];
}

/** Options of {@link Axes.quiver}. */
export interface QuiverOptions {
  /**
   * Arrow length in data units per unit of (u, v). Default: matplotlib's autoscale, which makes the
   * mean arrow about 1/(1.8·max(10, √N)) of the x range.
   */
  scale?: number;
  color?: string;
  /** Shaft width in px (default as matplotlib: 0.06 × axes width / clip(√N, 8, 25)). */
  width?: number;
  alpha?: number;
  label?: string;
}

/** Options of {@link Axes.imshow}. */
export interface ImshowOptions {
  /** Colour map for one-channel images (default `'viridis'` as matplotlib; the book uses `'gray'`). */
  cmap?: ColormapName;
  /** Value shown as the map's low end (default: the image minimum). */
  vmin?: number;
  /** Value shown as the map's high end (default: the image maximum). */
  vmax?: number;
  /** `[left, right, bottom, top]` in data units (default `[-0.5, W - 0.5, H - 0.5, -0.5]`). */
  extent?: readonly [number, number, number, number];
  /** `'nearest'` (default: pixels stay sharp) or `'smooth'`. */
  interpolation?: 'nearest' | 'smooth';
}

/** Where a legend goes inside its axes; `'best'` picks the corner that hides the fewest points. */
export type LegendLoc =
  | 'best'
  | 'upper right'
  | 'upper left'
  | 'lower left'
  | 'lower right'
  | 'right'
  | 'center left'
  | 'center right'
  | 'lower center'
  | 'upper center'
  | 'center';

/** Options of {@link Axes.legend}. */
export interface LegendOptions {
  loc?: LegendLoc;
  /** Font size in px (default: the figure's). */
  fontSize?: number;
}

/** Options of {@link Axes.axhline} and {@link Axes.axvline}. */
export interface RefLineOptions {
  color?: string;
  lineStyle?: LineStyle;
  lineWidth?: number;
  label?: string;
}

/** Options of {@link Axes.text}. */
export interface TextOptions {
  fontSize?: number;
  color?: string;
  /** Horizontal alignment at (x, y) (default `'start'`). */
  anchor?: 'start' | 'middle' | 'end';
}

/** A rectangle in figure pixels (origin top left). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

type Handle =
  | {
      kind: 'line';
      color: string;
      lineStyle: LineStyle;
      lineWidth: number;
      marker: Marker;
      markerSize: number;
    }
  | { kind: 'marker'; color: string; marker: Marker; size: number }
  | { kind: 'patch'; color: string };

interface Extent {
  x?: [number, number];
  y?: [number, number];
  stickyX?: number[];
  stickyY?: number[];
}

interface Artist {
  z: number;
  label?: string;
  handle?: Handle;
  extent(): Extent;
  /** SVG of the artist for a data → pixel transform. */
  render(t: Transform): string;
  /** Pixel positions a legend should avoid covering. */
  points(t: Transform): [number, number][];
}

interface Transform {
  x(v: number): number;
  y(v: number): number;
  box: Box;
  xlim: [number, number];
  ylim: [number, number];
}

/** What layout computed for one axes at one size: limits, ticks, and the room its labels need. */
export interface Prepared {
  xlim: [number, number];
  ylim: [number, number];
  xticks: number[];
  xtickLabels: string[];
  yticks: number[];
  ytickLabels: string[];
  /** Room outside the plot box, in px, for tick labels, axis labels and title. */
  margin: { left: number; right: number; top: number; bottom: number };
}

const TICK_LEN = 5;
const TICK_PAD = 4;
const LABEL_PAD = 5;
const TITLE_PAD = 7;

/** Numbers of a series, flattened; NDArrays are read in row-major order. */
export function toNumbers(v: Series, where: string): Float64Array {
  if (v instanceof NDArray) return Float64Array.from(v.data);
  if (v == null || typeof (v as ArrayLike<number>).length !== 'number') {
    throw new Error(`${where}: expected an NDArray or an array of numbers, got ${String(v)}`);
  }
  return Float64Array.from(v as ArrayLike<number>);
}

function finiteRange(values: ArrayLike<number>): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** Parses a matplotlib format string such as `'r--'`, `'o'`, `'--b'`, `'C1o-'`. */
export function parseFmt(fmt: string): { color?: string; lineStyle?: LineStyle; marker?: Marker } {
  let rest = fmt;
  const out: { color?: string; lineStyle?: LineStyle; marker?: Marker } = {};
  const take = (re: RegExp) => {
    const m = re.exec(rest);
    if (!m) return undefined;
    rest = rest.slice(0, m.index) + rest.slice(m.index + m[0].length);
    return m[0];
  };
  const c = take(/C\d/);
  if (c) out.color = c;
  const ls = take(/--|-\.|-|:/);
  if (ls) out.lineStyle = ls as LineStyle;
  const mk = take(/[os^vDx+.*]/);
  if (mk) out.marker = mk as Marker;
  const col = take(/[bgrcmykw]/);
  if (col) out.color = col;
  if (rest.length > 0)
    throw new Error(`plot: expected a format string like 'r--' or 'o', got '${fmt}'`);
  if (out.marker && !out.lineStyle) out.lineStyle = 'none';
  return out;
}

function clampPx(v: number): number {
  return v < -1e6 ? -1e6 : v > 1e6 ? 1e6 : v;
}

/** Points along a polyline, with extra samples on long segments, for legend placement. */
function densify(pts: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < pts.length; i++) {
    out.push(pts[i]);
    if (i + 1 < pts.length) {
      const [x0, y0] = pts[i];
      const [x1, y1] = pts[i + 1];
      const n = Math.min(50, Math.floor(Math.hypot(x1 - x0, y1 - y0) / 12));
      for (let k = 1; k < n; k++) out.push([x0 + ((x1 - x0) * k) / n, y0 + ((y1 - y0) * k) / n]);
    }
  }
  return out;
}

/** RGBA bytes as the fewest channels that keep them (gray or opaque RGB), for a smaller SVG. */
function compactPixels(rgba: Uint8Array, H: number, W: number): NDArray {
  let gray = true;
  let opaque = true;
  for (let p = 0; p < H * W && (gray || opaque); p++) {
    const o = 4 * p;
    if (rgba[o] !== rgba[o + 1] || rgba[o] !== rgba[o + 2]) gray = false;
    if (rgba[o + 3] !== 255) opaque = false;
  }
  if (!opaque) return new NDArray(rgba, [H, W, 4]);
  const C = gray ? 1 : 3;
  const out = new Uint8Array(H * W * C);
  for (let p = 0; p < H * W; p++) for (let c = 0; c < C; c++) out[p * C + c] = rgba[4 * p + c];
  return new NDArray(out, C === 1 ? [H, W] : [H, W, C]);
}

function opacity(alpha: number | undefined): string {
  return alpha !== undefined && alpha < 1 ? ` opacity="${num(alpha)}"` : '';
}

/** One plotting area: data artists, axis limits, ticks, labels, title and legend. */
export class Axes {
  private readonly artists: Artist[] = [];
  private cycle = 0;
  private titleText?: string;
  private xlabelText?: string;
  private ylabelText?: string;
  private xlimUser?: [number, number];
  private ylimUser?: [number, number];
  private xticksUser?: { values: number[]; labels?: string[] };
  private yticksUser?: { values: number[]; labels?: string[] };
  private legendOptions?: LegendOptions;
  private gridOn = false;
  private axisOn = true;
  private aspectMode: 'auto' | 'equal' = 'auto';
  private invertY = false;

  /** @param fontSize base font size in px, inherited from the figure */
  constructor(readonly fontSize: number = 13) {}

  private nextColor(): string {
    return TAB10[this.cycle++ % TAB10.length];
  }

  /**
   * Draws y against x as a line and/or markers, as `plt.plot(x, y, fmt, label=…)`.
   * @param x (N) positions, or `null` for 0, 1, …, N−1
   * @param y (N) values; NaN breaks the line
   * @param fmt a matplotlib format string (`'r--'`, `'o'`) or the options
   * @example ax.plot(x, cosX, '--', { label: 'cos' }) // a dashed line in the next cycle colour
   */
  plot(x: Series | null, y: Series, fmt?: string | LineOptions, options: LineOptions = {}): this {
    const ys = toNumbers(y, 'plot');
    const xs = x === null ? Float64Array.from(ys, (_, i) => i) : toNumbers(x, 'plot');
    if (xs.length !== ys.length) {
      throw new Error(
        `plot: expected x and y of the same length, got ${xs.length} and ${ys.length}`,
      );
    }
    const fromFmt = typeof fmt === 'string' ? parseFmt(fmt) : {};
    const opts: LineOptions = { ...fromFmt, ...(typeof fmt === 'object' ? fmt : {}), ...options };
    const color = resolveColor(opts.color ?? this.nextColor());
    const lineStyle = opts.lineStyle ?? '-';
    const lineWidth = opts.lineWidth ?? 2;
    const marker = opts.marker ?? 'none';
    const markerSize = opts.markerSize ?? 7;
    const alpha = opts.alpha;
    const pixels = (t: Transform) => {
      const runs: [number, number][][] = [];
      let run: [number, number][] = [];
      for (let i = 0; i < xs.length; i++) {
        if (Number.isFinite(xs[i]) && Number.isFinite(ys[i])) {
          run.push([clampPx(t.x(xs[i])), clampPx(t.y(ys[i]))]);
        } else if (run.length) {
          runs.push(run);
          run = [];
        }
      }
      if (run.length) runs.push(run);
      return runs;
    };
    this.artists.push({
      z: 2,
      label: opts.label,
      handle: { kind: 'line', color, lineStyle, lineWidth, marker, markerSize },
      extent: () => ({ x: finiteRange(xs), y: finiteRange(ys) }),
      render: (t) => {
        const runs = pixels(t);
        let s = `<g class="series line"${opts.label ? ` data-label="${esc(opts.label)}"` : ''}${opacity(alpha)}>`;
        if (lineStyle !== 'none') {
          const dash = dashArray(lineStyle, lineWidth);
          for (const r of runs) {
            if (r.length < 2) continue;
            const d = 'M' + r.map(([px, py]) => `${num(px)},${num(py)}`).join('L');
            s += `<path d="${d}" fill="none" stroke="${color}" stroke-width="${num(lineWidth)}" stroke-linejoin="round"${dash ? ` stroke-dasharray="${dash}"` : ' stroke-linecap="square"'}/>`;
          }
        }
        if (marker !== 'none') {
          for (const r of runs)
            for (const [px, py] of r) s += markerSVG(marker, px, py, markerSize, color, color);
        }
        return s + '</g>';
      },
      points: (t) => pixels(t).flatMap((r) => (lineStyle === 'none' ? r : densify(r))),
    });
    return this;
  }

  /**
   * Draws points, as `plt.scatter(x, y)`.
   * @param x (N) positions
   * @param y (N) values
   */
  scatter(x: Series, y: Series, options: ScatterOptions = {}): this {
    const xs = toNumbers(x, 'scatter');
    const ys = toNumbers(y, 'scatter');
    if (xs.length !== ys.length) {
      throw new Error(
        `scatter: expected x and y of the same length, got ${xs.length} and ${ys.length}`,
      );
    }
    const colors =
      typeof options.color === 'object'
        ? options.color.map(resolveColor)
        : [resolveColor(options.color ?? this.nextColor())];
    const marker = options.marker ?? 'o';
    const size = options.size ?? 6;
    this.artists.push({
      z: 1.5,
      label: options.label,
      handle: { kind: 'marker', color: colors[0], marker, size },
      extent: () => ({ x: finiteRange(xs), y: finiteRange(ys) }),
      render: (t) => {
        let s = `<g class="series scatter"${options.label ? ` data-label="${esc(options.label)}"` : ''}>`;
        for (let i = 0; i < xs.length; i++) {
          if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) continue;
          const c = colors[i % colors.length];
          s += markerSVG(
            marker,
            clampPx(t.x(xs[i])),
            clampPx(t.y(ys[i])),
            size,
            c,
            c,
            options.alpha,
          );
        }
        return s + '</g>';
      },
      points: (t) => Array.from(xs, (v, i): [number, number] => [t.x(v), t.y(ys[i])]),
    });
    return this;
  }

  /** Adds rectangles [left, right] × [bottom, top] (bars and histograms). */
  private addBars(
    cls: string,
    left: Float64Array,
    right: Float64Array,
    bottom: Float64Array,
    top: Float64Array,
    colors: string[],
    edgeColor: string | undefined,
    alpha: number | undefined,
    label: string | undefined,
  ): void {
    const stickyY = [...new Set(bottom)];
    this.artists.push({
      z: 1,
      label,
      handle: { kind: 'patch', color: colors[0] },
      extent: () => ({
        x: finiteRange([...left, ...right]),
        y: finiteRange([...bottom, ...top]),
        stickyY,
      }),
      render: (t) => {
        // crispEdges: neighbouring histogram bars meet without anti-aliased seams.
        let s = `<g class="series ${cls}"${label ? ` data-label="${esc(label)}"` : ''}${opacity(alpha)} shape-rendering="crispEdges">`;
        const stroke = edgeColor ? ` stroke="${resolveColor(edgeColor)}" stroke-width="1"` : '';
        for (let i = 0; i < left.length; i++) {
          const x0 = clampPx(t.x(left[i]));
          const x1 = clampPx(t.x(right[i]));
          const y0 = clampPx(t.y(bottom[i]));
          const y1 = clampPx(t.y(top[i]));
          const w = Math.abs(x1 - x0);
          const h = Math.abs(y1 - y0);
          if (!(w > 0 && h > 0)) continue;
          s += `<rect x="${num(Math.min(x0, x1))}" y="${num(Math.min(y0, y1))}" width="${num(w)}" height="${num(h)}" fill="${colors[i % colors.length]}"${stroke}/>`;
        }
        return s + '</g>';
      },
      points: (t) => {
        const pts: [number, number][] = [];
        for (let i = 0; i < left.length; i++) {
          const x0 = t.x(left[i]);
          const x1 = t.x(right[i]);
          const y0 = t.y(bottom[i]);
          const y1 = t.y(top[i]);
          // Sample the bar's area so a legend over a tall bar counts as covering it.
          for (let a = 0; a <= 4; a++)
            for (let b = 0; b <= 4; b++)
              pts.push([x0 + ((x1 - x0) * a) / 4, y0 + ((y1 - y0) * b) / 4]);
        }
        return pts;
      },
    });
  }

  /**
   * Counts values into bins and draws them as bars, as `plt.hist(x, bins, range=…)`. Bins are
   * half-open [a, b) except the last, which includes its right edge (NumPy's rule); NaN and values
   * outside the range are not counted.
   * @param data (N) values (an NDArray of any shape is flattened)
   * @returns counts (bins) and edges (bins + 1)
   */
  hist(data: Series, options: HistOptions = {}): HistResult {
    const values = toNumbers(data, 'hist');
    const { bins = 10, density = false } = options;
    let edges: number[];
    if (typeof bins === 'number') {
      if (!(Number.isInteger(bins) && bins > 0))
        throw new Error(`hist: expected a positive integer of bins, got ${bins}`);
      let [lo, hi] = options.range ?? finiteRange(values) ?? [0, 1];
      if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
      edges = Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
      edges[bins] = hi;
    } else {
      edges = [...bins];
      if (edges.length < 2 || edges.some((e, i) => i > 0 && e <= edges[i - 1])) {
        throw new Error(`hist: expected increasing bin edges, got [${edges.join(', ')}]`);
      }
    }
    const nb = edges.length - 1;
    const lo = edges[0];
    const hi = edges[nb];
    const counts = new Array<number>(nb).fill(0);
    for (const v of values) {
      if (!(v >= lo && v <= hi)) continue;
      // Estimate the bin arithmetically, then correct by comparing with the edges (as NumPy does).
      let k = Math.min(nb - 1, Math.floor(((v - lo) / (hi - lo)) * nb));
      while (k > 0 && v < edges[k]) k--;
      while (k < nb - 1 && v >= edges[k + 1]) k++;
      counts[k]++;
    }
    let heights = counts;
    if (density) {
      const total = counts.reduce((a, b) => a + b, 0);
      heights = counts.map((c, i) => (total > 0 ? c / (total * (edges[i + 1] - edges[i])) : 0));
    }
    const color = resolveColor(options.color ?? this.nextColor());
    this.addBars(
      'hist',
      Float64Array.from(edges.slice(0, nb)),
      Float64Array.from(edges.slice(1)),
      new Float64Array(nb),
      Float64Array.from(heights),
      [color],
      options.edgeColor,
      options.alpha,
      options.label,
    );
    return { counts: heights, edges };
  }

  /**
   * Draws bars, as `plt.bar(x, height)`. String positions become categories 0, 1, … with those
   * tick labels.
   * @param x (N) centres or category names
   * @param height (N) heights
   */
  bar(x: Series | readonly string[], height: Series, options: BarOptions = {}): this {
    const h = toNumbers(height, 'bar');
    const categorical = Array.isArray(x) && x.length > 0 && typeof x[0] === 'string';
    const xs = categorical ? Float64Array.from(h, (_, i) => i) : toNumbers(x as Series, 'bar');
    if (xs.length !== h.length) {
      throw new Error(
        `bar: expected x and height of the same length, got ${xs.length} and ${h.length}`,
      );
    }
    if (categorical && !this.xticksUser) {
      this.xticksUser = { values: Array.from(xs), labels: (x as readonly string[]).map(String) };
    }
    const w = options.width ?? 0.8;
    const b = options.bottom ?? 0;
    const colors =
      typeof options.color === 'object'
        ? options.color.map(resolveColor)
        : [resolveColor(options.color ?? this.nextColor())];
    this.addBars(
      'bar',
      xs.map((v) => v - w / 2),
      xs.map((v) => v + w / 2),
      new Float64Array(h.length).fill(b),
      h.map((v) => v + b),
      colors,
      options.edgeColor,
      options.alpha,
      options.label,
    );
    return this;
  }

  /**
   * Draws contour lines of z over a grid, as `plt.contour(X, Y, Z)`. NaN in z masks cells.
   * @param x (nx) grid x coordinates, or the (ny, nx) X of a meshgrid
   * @param y (ny) grid y coordinates, or the (ny, nx) Y of a meshgrid
   * @param z (ny, nx) values (NDArray, nested array), or a function evaluated on the grid
   * @returns the levels and lines drawn, in data coordinates
   */
  contour(
    x: Series,
    y: Series,
    z: NDArray | readonly (readonly number[])[] | ((x: number, y: number) => number),
    options: ContourOptions = {},
  ): ContourResult {
    const xs =
      x instanceof NDArray && x.ndim === 2
        ? Float64Array.from(x.data.subarray(0, x.shape[1]))
        : toNumbers(x, 'contour');
    const ys =
      y instanceof NDArray && y.ndim === 2
        ? Float64Array.from({ length: y.shape[0] }, (_, j) => y.data[j * y.shape[1]])
        : toNumbers(y, 'contour');
    const nx = xs.length;
    const ny = ys.length;
    let zs: Float64Array;
    if (typeof z === 'function') {
      zs = new Float64Array(nx * ny);
      for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) zs[j * nx + i] = z(xs[i], ys[j]);
    } else if (z instanceof NDArray) {
      if (z.ndim !== 2 || z.shape[0] !== ny || z.shape[1] !== nx) {
        throw new Error(`contour: expected z of shape (${ny},${nx}), got ${formatShape(z.shape)}`);
      }
      zs = Float64Array.from(z.data);
    } else {
      if (z.length !== ny || z.some((row) => row.length !== nx)) {
        throw new Error(`contour: expected z as ${ny} rows of ${nx} values`);
      }
      zs = Float64Array.from(z.flat());
    }
    const zr = finiteRange(zs) ?? [0, 1];
    const levels =
      typeof options.levels === 'object'
        ? [...options.levels]
        : niceTicks(zr[0], zr[1], (options.levels ?? 7) + 1).filter((l) => l > zr[0] && l < zr[1]);
    const map = colormap(options.cmap ?? 'viridis');
    const colorOf = (i: number): string => {
      const c = options.colors;
      if (typeof c === 'string') return resolveColor(c);
      if (c && c.length) return resolveColor(c[i % c.length]);
      return rgbHex(map(levels.length > 1 ? i / (levels.length - 1) : 0.5));
    };
    const drawn = levels.map((level, i) => ({
      color: colorOf(i),
      lines: contourLines(xs, ys, zs, level),
    }));
    const lineWidth = options.lineWidth ?? 1.5;
    const dash = dashArray(options.lineStyle ?? '-', lineWidth);
    const xr = finiteRange(xs) ?? [0, 1];
    const yr = finiteRange(ys) ?? [0, 1];
    this.artists.push({
      z: 2,
      label: options.label,
      handle: {
        kind: 'line',
        color: drawn[0]?.color ?? '#000',
        lineStyle: options.lineStyle ?? '-',
        lineWidth,
        marker: 'none',
        markerSize: 0,
      },
      extent: () => ({ x: xr, y: yr, stickyX: xr, stickyY: yr }),
      render: (t) => {
        let s = `<g class="series contour"${options.label ? ` data-label="${esc(options.label)}"` : ''}>`;
        for (const { color, lines } of drawn) {
          for (const line of lines) {
            const d =
              'M' +
              line.points.map(([px, py]) => `${num(t.x(px))},${num(t.y(py))}`).join('L') +
              (line.closed ? 'Z' : '');
            s += `<path d="${d}" fill="none" stroke="${color}" stroke-width="${num(lineWidth)}" stroke-linejoin="round"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;
          }
        }
        return s + '</g>';
      },
      points: (t) =>
        drawn.flatMap(({ lines }) =>
          lines.flatMap((l) =>
            l.points
              .filter((_, k) => k % 3 === 0)
              .map(([px, py]): [number, number] => [t.x(px), t.y(py)]),
          ),
        ),
    });
    return { levels, lines: drawn.flatMap((d) => d.lines) };
  }

  /**
   * Draws arrows (u, v) at points (x, y), as `plt.quiver(X, Y, U, V, angles="xy")`: directions are
   * in data coordinates.
   * @param x (N) tails' x (any shape, flattened)
   * @param y (N) tails' y
   * @param u (N) x components
   * @param v (N) y components
   */
  quiver(x: Series, y: Series, u: Series, v: Series, options: QuiverOptions = {}): this {
    const xs = toNumbers(x, 'quiver');
    const ys = toNumbers(y, 'quiver');
    const us = toNumbers(u, 'quiver');
    const vs = toNumbers(v, 'quiver');
    const n = xs.length;
    if (ys.length !== n || us.length !== n || vs.length !== n) {
      throw new Error(
        `quiver: expected x, y, u, v of one length, got ${n}, ${ys.length}, ${us.length}, ${vs.length}`,
      );
    }
    const color = resolveColor(options.color ?? this.nextColor());
    this.artists.push({
      z: 2,
      label: options.label,
      handle: { kind: 'patch', color },
      extent: () => ({ x: finiteRange(xs), y: finiteRange(ys) }),
      render: (t) => {
        let scale = options.scale;
        if (scale === undefined) {
          let sum = 0;
          let count = 0;
          for (let i = 0; i < n; i++) {
            const m = Math.hypot(us[i], vs[i]);
            if (Number.isFinite(m)) {
              sum += m;
              count++;
            }
          }
          const mean = count ? sum / count : 1;
          const span = Math.abs(t.xlim[1] - t.xlim[0]);
          scale = mean > 0 ? span / (1.8 * mean * Math.max(10, Math.sqrt(n))) : 1;
        }
        // matplotlib's default shaft width: 6 % of the axes width over √N clipped to [8, 25].
        const w = options.width ?? (0.06 * t.box.width) / Math.min(25, Math.max(8, Math.sqrt(n)));
        let s = `<g class="series quiver"${opacity(options.alpha)}>`;
        for (let i = 0; i < n; i++) {
          const x0 = t.x(xs[i]);
          const y0 = t.y(ys[i]);
          const x1 = t.x(xs[i] + us[i] * scale);
          const y1 = t.y(ys[i] + vs[i] * scale);
          const L = Math.hypot(x1 - x0, y1 - y0);
          if (!(L > 0.5) || !Number.isFinite(L)) continue;
          // matplotlib's arrow: head 3 widths wide and 5 long; short arrows shrink as a whole.
          const k = Math.min(1, L / (5 * w));
          const [sw, hw, hl, hal] = [w * k, 3 * w * k, 5 * w * k, 4.5 * w * k];
          const ux = (x1 - x0) / L;
          const uy = (y1 - y0) / L;
          const p = (a: number, b: number) =>
            `${num(x0 + ux * a - uy * b)},${num(y0 + uy * a + ux * b)}`;
          s += `<path d="M${p(0, -sw / 2)}L${p(L - hal, -sw / 2)}L${p(L - hl, -hw / 2)}L${p(L, 0)}L${p(L - hl, hw / 2)}L${p(L - hal, sw / 2)}L${p(0, sw / 2)}Z" fill="${color}"/>`;
        }
        return s + '</g>';
      },
      points: (t) => Array.from(xs, (vx, i): [number, number] => [t.x(vx), t.y(ys[i])]),
    });
    return this;
  }

  /**
   * Shows an image, as `plt.imshow(img, cmap='gray')`: row 0 at the top, square pixels.
   * @param img (H, W) values mapped through `cmap`; (H, W, 3) or (H, W, 4) RGB(A), uint8 0..255 or
   *   float 0..1; (1, H, W) and (H, W, 1) are squeezed
   */
  imshow(img: NDArray, options: ImshowOptions = {}): this {
    let s = img.shape;
    if (s.length === 3 && s[0] === 1) s = [s[1], s[2]];
    if (s.length === 3 && s[2] === 1) s = [s[0], s[1]];
    if (!(s.length === 2 || (s.length === 3 && (s[2] === 3 || s[2] === 4)))) {
      throw new Error(
        `imshow: expected an image of shape (H,W), (H,W,3) or (H,W,4), got ${formatShape(img.shape)}`,
      );
    }
    const [H, W] = s;
    const rgba = new Uint8Array(H * W * 4);
    const src = img.data;
    if (s.length === 2) {
      const r = finiteRange(src) ?? [0, 1];
      const vmin = options.vmin ?? r[0];
      const vmax = options.vmax ?? r[1];
      const map = colormap(options.cmap ?? 'viridis');
      for (let p = 0; p < H * W; p++) {
        const [cr, cg, cb] = map(vmax > vmin ? (src[p] - vmin) / (vmax - vmin) : 0);
        rgba.set([cr, cg, cb, 255], 4 * p);
      }
    } else {
      const C = s[2];
      const k = img.dtype === 'float32' || img.dtype === 'float64' ? 255 : 1;
      for (let p = 0; p < H * W; p++) {
        for (let c = 0; c < 4; c++) {
          const v = c < C ? Math.round(src[p * C + c] * k) : 255;
          rgba[4 * p + c] = v < 0 ? 0 : v > 255 ? 255 : v;
        }
      }
    }
    const href = 'data:image/png;base64,' + base64(encodePNG(compactPixels(rgba, H, W)));
    const [l, r, b, t] = options.extent ?? [-0.5, W - 0.5, H - 0.5, -0.5];
    if (t < b) this.invertY = true;
    this.aspectMode = 'equal';
    const smooth = options.interpolation === 'smooth';
    this.artists.push({
      z: 0,
      extent: () => ({
        x: [Math.min(l, r), Math.max(l, r)],
        y: [Math.min(b, t), Math.max(b, t)],
        stickyX: [l, r],
        stickyY: [b, t],
      }),
      render: (tr) => {
        const x0 = tr.x(l);
        const x1 = tr.x(r);
        const y0 = tr.y(t);
        const y1 = tr.y(b);
        const flipX = x1 < x0;
        const flipY = y1 < y0;
        const bx = Math.min(x0, x1);
        const by = Math.min(y0, y1);
        const flip =
          flipX || flipY
            ? ` transform="translate(${num(flipX ? 2 * bx + Math.abs(x1 - x0) : 0)},${num(flipY ? 2 * by + Math.abs(y1 - y0) : 0)}) scale(${flipX ? -1 : 1},${flipY ? -1 : 1})"`
            : '';
        const rendering = smooth ? '' : ' image-rendering="optimizeSpeed"';
        return `<image class="image" x="${num(bx)}" y="${num(by)}" width="${num(Math.abs(x1 - x0))}" height="${num(Math.abs(y1 - y0))}" preserveAspectRatio="none"${rendering}${flip} href="${href}"/>`;
      },
      points: () => [],
    });
    return this;
  }

  /** Draws a horizontal line across the axes at data y, as `plt.axhline(y)`. */
  axhline(y: number, options: RefLineOptions = {}): this {
    return this.refLine('h', y, options);
  }

  /** Draws a vertical line across the axes at data x, as `plt.axvline(x)`. */
  axvline(x: number, options: RefLineOptions = {}): this {
    return this.refLine('v', x, options);
  }

  private refLine(dir: 'h' | 'v', value: number, options: RefLineOptions): this {
    const color = resolveColor(options.color ?? 'k');
    const lineStyle = options.lineStyle ?? '-';
    const lineWidth = options.lineWidth ?? 1.5;
    const dash = dashArray(lineStyle, lineWidth);
    this.artists.push({
      z: 2,
      label: options.label,
      handle: { kind: 'line', color, lineStyle, lineWidth, marker: 'none', markerSize: 0 },
      extent: () => (dir === 'h' ? { y: [value, value] } : { x: [value, value] }),
      render: (t) => {
        const b = t.box;
        const d =
          dir === 'h'
            ? `M${num(b.x)},${num(t.y(value))}H${num(b.x + b.width)}`
            : `M${num(t.x(value))},${num(b.y)}V${num(b.y + b.height)}`;
        return `<g class="series refline"><path d="${d}" stroke="${color}" stroke-width="${num(lineWidth)}"${dash ? ` stroke-dasharray="${dash}"` : ''}/></g>`;
      },
      points: () => [],
    });
    return this;
  }

  /** Writes text at data coordinates (x, y), as `plt.text`. */
  text(x: number, y: number, s: string, options: TextOptions = {}): this {
    const fs = options.fontSize ?? this.fontSize;
    const color = resolveColor(options.color ?? 'k');
    this.artists.push({
      z: 3,
      extent: () => ({}),
      render: (t) =>
        `<text class="text" x="${num(t.x(x))}" y="${num(t.y(y))}" font-size="${num(fs)}" fill="${color}" text-anchor="${options.anchor ?? 'start'}">${esc(s)}</text>`,
      points: () => [],
    });
    return this;
  }

  /** Sets the title above the axes, as `plt.title`. */
  setTitle(title: string): this {
    this.titleText = title;
    return this;
  }

  /** Sets the x-axis label, as `plt.xlabel`. */
  setXLabel(label: string): this {
    this.xlabelText = label;
    return this;
  }

  /** Sets the y-axis label, as `plt.ylabel`. */
  setYLabel(label: string): this {
    this.ylabelText = label;
    return this;
  }

  /** Fixes the x range, as `plt.xlim(left, right)`. */
  setXLim(left: number, right: number): this {
    this.xlimUser = [left, right];
    return this;
  }

  /** Fixes the y range, as `plt.ylim(bottom, top)`; bottom > top turns the axis upside down. */
  setYLim(bottom: number, top: number): this {
    this.ylimUser = [bottom, top];
    return this;
  }

  /** Sets the x tick positions, and optionally their labels, as `plt.xticks`. */
  setXTicks(values: Series, labels?: readonly string[]): this {
    this.xticksUser = {
      values: Array.from(toNumbers(values, 'setXTicks')),
      labels: labels && [...labels],
    };
    return this;
  }

  /** Sets the y tick positions, and optionally their labels, as `plt.yticks`. */
  setYTicks(values: Series, labels?: readonly string[]): this {
    this.yticksUser = {
      values: Array.from(toNumbers(values, 'setYTicks')),
      labels: labels && [...labels],
    };
    return this;
  }

  /** Shows a legend of the labelled series, as `plt.legend()`. */
  legend(options: LegendOptions = {}): this {
    this.legendOptions = options;
    return this;
  }

  /** Draws grid lines at the ticks, as `plt.grid(True)`. */
  grid(on = true): this {
    this.gridOn = on;
    return this;
  }

  /** Hides (`'off'`) or shows (`'on'`) the frame, ticks and axis labels, as `plt.axis('off')`. */
  axis(mode: 'on' | 'off'): this {
    this.axisOn = mode === 'on';
    return this;
  }

  /** `'equal'`: one data unit is as long on both axes (imshow sets it); `'auto'`: fill the box. */
  setAspect(mode: 'auto' | 'equal'): this {
    this.aspectMode = mode;
    return this;
  }

  /** Whether the frame, ticks and axis labels are drawn (for layout). */
  get axisVisible(): boolean {
    return this.axisOn;
  }

  /** Whether the axes keeps equal data units (for layout). */
  get aspect(): 'auto' | 'equal' {
    return this.aspectMode;
  }

  /** The title, if set. */
  get title(): string | undefined {
    return this.titleText;
  }

  /** Auto limits: the data range plus 5 % each side, except at sticky edges (bars' base, images). */
  private autoLimits(): { x: [number, number]; y: [number, number] } {
    const ex = this.artists.map((a) => a.extent());
    const axis = (key: 'x' | 'y', stickyKey: 'stickyX' | 'stickyY'): [number, number] => {
      let lo = Infinity;
      let hi = -Infinity;
      const sticky: number[] = [];
      for (const e of ex) {
        const r = e[key];
        if (r) {
          lo = Math.min(lo, r[0]);
          hi = Math.max(hi, r[1]);
        }
        sticky.push(...(e[stickyKey] ?? []));
      }
      if (!(lo <= hi)) return [0, 1];
      if (hi - lo < 1e-12 * Math.max(1, Math.abs(lo))) {
        const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
        return [lo - d, hi + d];
      }
      const m = 0.05 * (hi - lo);
      // A sticky edge at the data's end (e.g. the 0 under bars) stops the margin there.
      const stickLo = sticky.some((s) => s === lo);
      const stickHi = sticky.some((s) => s === hi);
      return [stickLo ? lo : lo - m, stickHi ? hi : hi + m];
    };
    return { x: axis('x', 'stickyX'), y: axis('y', 'stickyY') };
  }

  /** Limits, ticks and the room the labels need, for a plot box of `width` × `height` px. */
  prepare(width: number, height: number): Prepared {
    const auto = this.autoLimits();
    const xlim = this.xlimUser ?? auto.x;
    let ylim = this.ylimUser ?? auto.y;
    if (!this.ylimUser && this.invertY) ylim = [ylim[1], ylim[0]];
    const fs = this.fontSize;
    const ticksFor = (
      lim: [number, number],
      user: { values: number[]; labels?: string[] } | undefined,
      length: number,
      perTick: number,
      horizontal: boolean,
    ): [number[], string[]] => {
      const lo = Math.min(lim[0], lim[1]);
      const hi = Math.max(lim[0], lim[1]);
      if (user) {
        const keep = user.values
          .map((v, i) => [v, i] as const)
          .filter(([v]) => v >= lo - 1e-9 * (hi - lo) && v <= hi + 1e-9 * (hi - lo));
        const labels = user.labels
          ? keep.map(([, i]) => user.labels?.[i] ?? '')
          : formatTicks(keep.map(([v]) => v));
        return [keep.map(([v]) => v), labels];
      }
      let bins = Math.max(1, Math.min(9, Math.floor(length / perTick)));
      for (;;) {
        const ticks = niceTicks(lo, hi, bins);
        const labels = formatTicks(ticks);
        if (!horizontal || bins === 1 || ticks.length < 2) return [ticks, labels];
        // x labels must not touch: the widest plus a gap has to fit between neighbouring ticks.
        const spacing = (length * Math.abs(ticks[1] - ticks[0])) / (hi - lo);
        const widest = Math.max(...labels.map((s) => textWidth(s, fs)));
        if (widest + fs * 0.8 <= spacing) return [ticks, labels];
        bins--;
      }
    };
    const [xticks, xtickLabels] = ticksFor(xlim, this.xticksUser, width, fs * 3, true);
    const [yticks, ytickLabels] = ticksFor(ylim, this.yticksUser, height, fs * 2, false);
    const titleFs = fs * 1.2;
    const margin = { left: 0, right: 0, top: 0, bottom: 0 };
    if (this.axisOn) {
      const ylw = Math.max(0, ...ytickLabels.map((s) => textWidth(s, fs)));
      const firstX = xtickLabels.length ? textWidth(xtickLabels[0], fs) / 2 : 0;
      const lastX = xtickLabels.length ? textWidth(xtickLabels[xtickLabels.length - 1], fs) / 2 : 0;
      margin.left = Math.max(
        TICK_LEN + TICK_PAD + ylw + (this.ylabelText ? LABEL_PAD + fs * 1.05 : 0),
        firstX,
      );
      margin.bottom = TICK_LEN + TICK_PAD + fs * 1.0 + (this.xlabelText ? LABEL_PAD + fs * 1.2 : 0);
      margin.top = this.titleText ? TITLE_PAD + titleFs : fs * 0.5;
      margin.right = Math.max(fs * 0.5, lastX);
    } else if (this.titleText) {
      margin.top = TITLE_PAD * 0.5 + titleFs;
    }
    return { xlim, ylim, xticks, xtickLabels, yticks, ytickLabels, margin };
  }

  /** SVG of the axes drawn in `box` (figure px) with limits and ticks from {@link prepare}. */
  render(box: Box, p: Prepared, id: string): string {
    const fs = this.fontSize;
    const [x0, x1] = p.xlim;
    const [y0, y1] = p.ylim;
    const t: Transform = {
      x: (v) => box.x + ((v - x0) / (x1 - x0)) * box.width,
      y: (v) => box.y + box.height - ((v - y0) / (y1 - y0)) * box.height,
      box,
      xlim: p.xlim,
      ylim: p.ylim,
    };
    const font = `font-family="${FONT_FAMILY}"`;
    let s = `<g class="axes" id="${id}">`;
    if (this.gridOn && this.axisOn) {
      let d = '';
      for (const v of p.xticks) d += `M${num(t.x(v))},${num(box.y)}V${num(box.y + box.height)}`;
      for (const v of p.yticks) d += `M${num(box.x)},${num(t.y(v))}H${num(box.x + box.width)}`;
      s += `<path class="grid" d="${d}" stroke="#b0b0b0" stroke-width="0.8" opacity="0.6"/>`;
    }
    s += `<clipPath id="${id}-clip"><rect x="${num(box.x)}" y="${num(box.y)}" width="${num(box.width)}" height="${num(box.height)}"/></clipPath>`;
    s += `<g clip-path="url(#${id}-clip)">`;
    const order = this.artists
      .map((a, i) => [a, i] as const)
      .sort((a, b) => a[0].z - b[0].z || a[1] - b[1]);
    const unclipped: string[] = [];
    for (const [a] of order) {
      if (a.z >= 3) unclipped.push(a.render(t));
      else s += a.render(t);
    }
    s += '</g>';
    if (this.axisOn) {
      const bx = num(box.x);
      const by = num(box.y);
      s += `<rect class="frame" x="${bx}" y="${by}" width="${num(box.width)}" height="${num(box.height)}" fill="none" stroke="#000" stroke-width="1.1"/>`;
      let d = '';
      const bottom = box.y + box.height;
      for (const v of p.xticks) d += `M${num(t.x(v))},${num(bottom)}v${TICK_LEN}`;
      for (const v of p.yticks) d += `M${bx},${num(t.y(v))}h${-TICK_LEN}`;
      s += `<path class="ticks" d="${d}" stroke="#000" stroke-width="1.1"/>`;
      s += `<g class="xticklabels" ${font} font-size="${num(fs)}" text-anchor="middle">`;
      const xty = bottom + TICK_LEN + TICK_PAD + CAP_HEIGHT * fs;
      p.xticks.forEach(
        (v, i) => (s += `<text x="${num(t.x(v))}" y="${num(xty)}">${esc(p.xtickLabels[i])}</text>`),
      );
      s += `</g><g class="yticklabels" ${font} font-size="${num(fs)}" text-anchor="end">`;
      const ytx = box.x - TICK_LEN - TICK_PAD;
      p.yticks.forEach(
        (v, i) =>
          (s += `<text x="${num(ytx)}" y="${num(t.y(v) + (CAP_HEIGHT * fs) / 2)}">${esc(p.ytickLabels[i])}</text>`),
      );
      s += '</g>';
      if (this.xlabelText) {
        const y = bottom + TICK_LEN + TICK_PAD + fs * 1.0 + LABEL_PAD + CAP_HEIGHT * fs;
        s += `<text class="xlabel" x="${num(box.x + box.width / 2)}" y="${num(y)}" ${font} font-size="${num(fs)}" text-anchor="middle">${esc(this.xlabelText)}</text>`;
      }
      if (this.ylabelText) {
        const ylw = Math.max(0, ...p.ytickLabels.map((l) => textWidth(l, fs)));
        const x = box.x - TICK_LEN - TICK_PAD - ylw - LABEL_PAD - 0.24 * fs;
        const y = box.y + box.height / 2;
        s += `<text class="ylabel" x="${num(x)}" y="${num(y)}" transform="rotate(-90 ${num(x)} ${num(y)})" ${font} font-size="${num(fs)}" text-anchor="middle">${esc(this.ylabelText)}</text>`;
      }
    }
    if (this.titleText) {
      const pad = this.axisOn ? TITLE_PAD : TITLE_PAD * 0.5;
      s += `<text class="title" x="${num(box.x + box.width / 2)}" y="${num(box.y - pad)}" ${font} font-size="${num(fs * 1.2)}" text-anchor="middle">${esc(this.titleText)}</text>`;
    }
    if (unclipped.length) s += `<g ${font}>${unclipped.join('')}</g>`;
    if (this.legendOptions) s += this.renderLegend(t, this.legendOptions);
    return s + '</g>';
  }

  private renderLegend(t: Transform, options: LegendOptions): string {
    const entries = this.artists.filter((a) => a.label && a.handle);
    if (!entries.length) return '';
    const fs = options.fontSize ?? this.fontSize;
    const pad = 0.5 * fs;
    const handleLen = 2 * fs;
    const textPad = 0.8 * fs;
    const rowStep = 1.5 * fs;
    const w =
      2 * pad + handleLen + textPad + Math.max(...entries.map((e) => textWidth(e.label ?? '', fs)));
    const h = 2 * pad + entries.length * fs + (entries.length - 1) * 0.5 * fs;
    const b = t.box;
    const gap = 0.5 * fs;
    const at = (loc: Exclude<LegendLoc, 'best'>): [number, number] => {
      const left = b.x + gap;
      const right = b.x + b.width - gap - w;
      const cx = b.x + (b.width - w) / 2;
      const top = b.y + gap;
      const bottom = b.y + b.height - gap - h;
      const cy = b.y + (b.height - h) / 2;
      const table: Record<Exclude<LegendLoc, 'best'>, [number, number]> = {
        'upper right': [right, top],
        'upper left': [left, top],
        'lower left': [left, bottom],
        'lower right': [right, bottom],
        right: [right, cy],
        'center left': [left, cy],
        'center right': [right, cy],
        'lower center': [cx, bottom],
        'upper center': [cx, top],
        center: [cx, cy],
      };
      return table[loc];
    };
    let loc = options.loc ?? 'best';
    if (loc === 'best') {
      const pts = this.artists.flatMap((a) => a.points(t));
      const order: Exclude<LegendLoc, 'best'>[] = [
        'upper right',
        'upper left',
        'lower left',
        'lower right',
        'center right',
        'center left',
        'lower center',
        'upper center',
        'center',
      ];
      let best = order[0];
      let bestCount = Infinity;
      for (const l of order) {
        const [lx, ly] = at(l);
        let c = 0;
        for (const [px, py] of pts) if (px >= lx && px <= lx + w && py >= ly && py <= ly + h) c++;
        if (c < bestCount) {
          bestCount = c;
          best = l;
        }
      }
      loc = best;
    }
    const [lx, ly] = at(loc);
    let s = `<g class="legend" font-family="${FONT_FAMILY}" font-size="${num(fs)}">`;
    s += `<rect x="${num(lx)}" y="${num(ly)}" width="${num(w)}" height="${num(h)}" rx="3" fill="#fff" fill-opacity="0.85" stroke="#cccccc" stroke-width="1"/>`;
    entries.forEach((e, i) => {
      const cy = ly + pad + i * rowStep + fs / 2;
      const hx = lx + pad;
      const hd = e.handle as Handle;
      if (hd.kind === 'line') {
        if (hd.lineStyle !== 'none') {
          const dash = dashArray(hd.lineStyle, hd.lineWidth);
          s += `<path d="M${num(hx)},${num(cy)}h${num(handleLen)}" stroke="${hd.color}" stroke-width="${num(hd.lineWidth)}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;
        }
        if (hd.marker !== 'none')
          s += markerSVG(hd.marker, hx + handleLen / 2, cy, hd.markerSize, hd.color, hd.color);
      } else if (hd.kind === 'marker') {
        s += markerSVG(hd.marker, hx + handleLen / 2, cy, hd.size, hd.color, hd.color);
      } else {
        s += `<rect x="${num(hx)}" y="${num(cy - 0.35 * fs)}" width="${num(handleLen)}" height="${num(0.7 * fs)}" fill="${hd.color}"/>`;
      }
      s += `<text x="${num(hx + handleLen + textPad)}" y="${num(cy + (CAP_HEIGHT * fs) / 2)}">${esc(e.label ?? '')}</text>`;
    });
    return s + '</g>';
  }
}
