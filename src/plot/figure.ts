// Figure: a canvas of one or more axes (matplotlib's plt.figure / plt.subplots), laid out so tick
// labels, axis labels and titles fit, written as SVG (pure) or PNG (through raster.ts).
import { Axes, type Box, type Prepared } from './axes.js';
import { svgToPNG } from './raster.js';
import { esc, num } from './svg.js';
import { FONT_FAMILY, CAP_HEIGHT } from './text.js';

/** Options of a {@link Figure}. */
export interface FigureOptions {
  /** Width in px (default 640, matplotlib's 6.4 in at 100 dpi). */
  width?: number;
  /** Height in px (default 480). */
  height?: number;
  /** Base font size in px for ticks and labels (default 13; titles are 1.2×). */
  fontSize?: number;
  /** Background colour, or `'none'` for transparent (default `'white'`). */
  background?: string;
}

/**
 * Output size. Only `width` or only `height`: the figure is zoomed, aspect kept. Both: the output
 * has exactly that size, zoomed by `width / figure.width` and laid out at the height that leaves.
 */
export interface SizeOptions {
  width?: number;
  height?: number;
}

/** Options of {@link Figure.toPNG}. */
export interface PNGOptions extends SizeOptions {
  /** Zoom factor when neither width nor height is given (default 1; 2 for sharp screens). */
  scale?: number;
}

/** Where an axes sits: a cell of a rows × cols grid (0-based, row-major), or a fraction rectangle. */
type Placement =
  | { kind: 'grid'; rows: number; cols: number; index: number }
  | { kind: 'rect'; rect: readonly [number, number, number, number] };

/** One axes as laid out: its plot box in figure px (logical units of the SVG's viewBox). */
export interface AxesLayout {
  axes: Axes;
  box: Box;
  prepared: Prepared;
}

/** A figure holding axes; draw into the axes, then call {@link toSVG} or {@link toPNG}. */
export class Figure {
  readonly width: number;
  readonly height: number;
  readonly fontSize: number;
  readonly background: string;
  private readonly entries: { axes: Axes; place: Placement }[] = [];
  private suptitleText?: string;

  constructor({
    width = 640,
    height = 480,
    fontSize = 13,
    background = 'white',
  }: FigureOptions = {}) {
    if (!(width > 0 && height > 0))
      throw new Error(`Figure: expected a positive size, got ${width}×${height}`);
    this.width = width;
    this.height = height;
    this.fontSize = fontSize;
    this.background = background;
  }

  /** The axes in the order they were added. */
  get axes(): readonly Axes[] {
    return this.entries.map((e) => e.axes);
  }

  /**
   * Adds a rows × cols grid of axes, as `plt.subplots(rows, cols)`.
   * @returns (rows·cols) axes in row-major order
   */
  subplots(rows = 1, cols = 1): Axes[] {
    const out: Axes[] = [];
    for (let i = 0; i < rows * cols; i++) out.push(this.addSubplot(rows, cols, i + 1));
    return out;
  }

  /** Adds the axes at 1-based `index` of a rows × cols grid, as `fig.add_subplot(rows, cols, index)`. */
  addSubplot(rows: number, cols: number, index: number): Axes {
    if (!(Number.isInteger(rows) && Number.isInteger(cols) && rows > 0 && cols > 0)) {
      throw new Error(`addSubplot: expected positive integer rows and cols, got ${rows}, ${cols}`);
    }
    if (!(Number.isInteger(index) && index >= 1 && index <= rows * cols)) {
      throw new Error(`addSubplot: expected an index in 1..${rows * cols}, got ${index}`);
    }
    const axes = new Axes(this.fontSize);
    this.entries.push({ axes, place: { kind: 'grid', rows, cols, index: index - 1 } });
    return axes;
  }

  /**
   * Adds axes whose plot box is `[left, bottom, width, height]` in fractions of the figure, as
   * `fig.add_axes`; labels are drawn outside that box.
   */
  addAxes(rect: readonly [number, number, number, number]): Axes {
    const axes = new Axes(this.fontSize);
    this.entries.push({ axes, place: { kind: 'rect', rect } });
    return axes;
  }

  /** The last axes added, or a new full-figure one, as `plt.gca()`. */
  gca(): Axes {
    return this.entries.at(-1)?.axes ?? this.addSubplot(1, 1, 1);
  }

  /** Sets a title above all axes, as `fig.suptitle`. */
  suptitle(text: string): this {
    this.suptitleText = text;
    return this;
  }

  private resolveSize(size: SizeOptions): { lw: number; lh: number; W: number; H: number } {
    const { width, height } = size;
    for (const v of [width, height]) {
      if (v !== undefined && !(Number.isInteger(v) && v > 0)) {
        throw new Error(`Figure: expected a positive integer pixel size, got ${v}`);
      }
    }
    if (width !== undefined && height !== undefined) {
      const zoom = width / this.width;
      return { lw: this.width, lh: height / zoom, W: width, H: height };
    }
    if (width !== undefined) {
      const zoom = width / this.width;
      return { lw: this.width, lh: this.height, W: width, H: Math.round(this.height * zoom) };
    }
    if (height !== undefined) {
      const zoom = height / this.height;
      return { lw: this.width, lh: this.height, W: Math.round(this.width * zoom), H: height };
    }
    return {
      lw: this.width,
      lh: this.height,
      W: Math.round(this.width),
      H: Math.round(this.height),
    };
  }

  /**
   * Lays the axes out on a `width` × `height` (logical px) canvas: each grid cell leaves room for
   * its tick labels, axis labels and title (the same room in every cell of one grid, so plots line
   * up); axes with equal aspect are shrunk and centred in their cell.
   * @returns the plot box of each axes in the order added
   */
  layout(width = this.width, height = this.height): AxesLayout[] {
    const fs = this.fontSize;
    const top0 = this.suptitleText ? fs * 1.4 + 14 : 0;
    const cells = this.entries.map(({ axes, place }) => {
      if (place.kind === 'rect') {
        const [l, b, w, h] = place.rect;
        return {
          axes,
          place,
          cell: { x: l * width, y: (1 - b - h) * height, width: w * width, height: h * height },
          pad: 0,
        };
      }
      const cw = width / place.cols;
      const ch = (height - top0) / place.rows;
      const r = Math.floor(place.index / place.cols);
      const c = place.index % place.cols;
      return {
        axes,
        place,
        cell: { x: c * cw, y: top0 + r * ch, width: cw, height: ch },
        pad: axes.axisVisible ? 8 : 3,
      };
    });
    // Two passes: tick density depends on the plot size, which depends on the labels' room.
    const margins = cells.map(({ axes, place, cell, pad }) => {
      if (place.kind === 'rect') return { left: 0, right: 0, top: 0, bottom: 0 };
      const m1 = axes.prepare(cell.width * 0.75, cell.height * 0.7).margin;
      return axes.prepare(
        Math.max(10, cell.width - m1.left - m1.right - 2 * pad),
        Math.max(10, cell.height - m1.top - m1.bottom - 2 * pad),
      ).margin;
    });
    // Axes in one column of a grid share left/right room, axes in one row top/bottom room, so
    // plots line up without every cell paying for the widest labels of the figure.
    const shared = new Map<string, number>();
    const bump = (key: string, v: number) => shared.set(key, Math.max(shared.get(key) ?? 0, v));
    const keys = (place: Placement) => {
      if (place.kind !== 'grid') return undefined;
      const g = `${place.rows}x${place.cols}`;
      const col = `${g}c${place.index % place.cols}`;
      const row = `${g}r${Math.floor(place.index / place.cols)}`;
      return { left: `${col}l`, right: `${col}r`, top: `${row}t`, bottom: `${row}b` };
    };
    cells.forEach(({ place }, i) => {
      const k = keys(place);
      if (!k) return;
      for (const side of ['left', 'right', 'top', 'bottom'] as const)
        bump(k[side], margins[i][side]);
    });
    return cells.map(({ axes, place, cell, pad }, i) => {
      const k = keys(place);
      const m = k
        ? {
            left: shared.get(k.left) ?? 0,
            right: shared.get(k.right) ?? 0,
            top: shared.get(k.top) ?? 0,
            bottom: shared.get(k.bottom) ?? 0,
          }
        : margins[i];
      const box: Box = {
        x: cell.x + pad + m.left,
        y: cell.y + pad + m.top,
        width: Math.max(10, cell.width - 2 * pad - m.left - m.right),
        height: Math.max(10, cell.height - 2 * pad - m.top - m.bottom),
      };
      let prepared = axes.prepare(box.width, box.height);
      if (axes.aspect === 'equal') {
        const dx = Math.abs(prepared.xlim[1] - prepared.xlim[0]);
        const dy = Math.abs(prepared.ylim[1] - prepared.ylim[0]);
        if (dx > 0 && dy > 0) {
          const want = dx / dy;
          if (box.width / box.height > want) {
            const w = box.height * want;
            box.x += (box.width - w) / 2;
            box.width = w;
          } else {
            const h = box.width / want;
            // Keep the title close to the plot: centre the box and its title block together.
            box.y += (box.height - h) / 2;
            box.height = h;
          }
          prepared = axes.prepare(box.width, box.height);
        }
      }
      return { axes, box, prepared };
    });
  }

  /**
   * The figure as an SVG document (pure: runs in a browser). Images are embedded as PNG data URIs.
   * @param size output size in px (default: the figure's size)
   */
  toSVG(size: SizeOptions = {}): string {
    const { lw, lh, W, H } = this.resolveSize(size);
    const fs = this.fontSize;
    const parts: string[] = [
      `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${W}" height="${H}" viewBox="0 0 ${num(lw)} ${num(lh)}">`,
    ];
    if (this.background !== 'none') {
      parts.push(
        `<rect class="background" x="0" y="0" width="${num(lw)}" height="${num(lh)}" fill="${esc(this.background)}"/>`,
      );
    }
    if (this.suptitleText) {
      const y = 8 + CAP_HEIGHT * fs * 1.4;
      parts.push(
        `<text class="suptitle" x="${num(lw / 2)}" y="${num(y)}" font-family="${FONT_FAMILY}" font-size="${num(fs * 1.4)}" text-anchor="middle">${esc(this.suptitleText)}</text>`,
      );
    }
    this.layout(lw, lh).forEach(({ axes, box, prepared }, i) =>
      parts.push(axes.render(box, prepared, `ax${i}`)),
    );
    parts.push('</svg>');
    return parts.join('\n');
  }

  /**
   * The figure as PNG bytes, rendered by resvg (WebAssembly). Needs {@link initRaster} first, or,
   * in Node, `src/node/plot.ts` (imported), which loads resvg and DejaVu Sans from node_modules.
   * @param options output size, or a zoom factor
   */
  async toPNG(options: PNGOptions = {}): Promise<Uint8Array> {
    const { scale, ...size } = options;
    if (size.width === undefined && size.height === undefined && scale !== undefined) {
      if (!(scale > 0)) throw new Error(`toPNG: expected a positive scale, got ${scale}`);
      size.width = Math.round(this.width * scale);
    }
    return svgToPNG(this.toSVG(size));
  }
}
