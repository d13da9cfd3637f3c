// Small SVG writing helpers shared by the figure code: number and text escaping, dash patterns and
// marker shapes (matplotlib's names and proportions).

/** Shortest text of a coordinate rounded to 1/100 px (keeps the SVG small and diff-stable). */
export function num(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/** Text escaped for SVG character data and attribute values. */
export function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** matplotlib's line styles: solid, dashed, dotted, dash-dot, or none (markers only). */
export type LineStyle = '-' | '--' | ':' | '-.' | 'none';

/** matplotlib's marker names that scratchnet draws. */
export type Marker = 'o' | 's' | '^' | 'v' | 'D' | 'x' | '+' | '.' | '*' | 'none';

/** The `stroke-dasharray` of a line style at a line width (matplotlib's patterns scale with width). */
export function dashArray(style: LineStyle, lineWidth: number): string | undefined {
  const pattern: Record<LineStyle, number[] | undefined> = {
    '-': undefined,
    none: undefined,
    '--': [3.7, 1.6],
    ':': [1, 1.65],
    '-.': [6.4, 1.6, 1, 1.6],
  };
  const p = pattern[style];
  return p && p.map((v) => num(v * lineWidth)).join(',');
}

/**
 * One marker as an SVG element centred on (x, y).
 * @param size the marker's diameter in px
 */
export function markerSVG(
  marker: Marker,
  x: number,
  y: number,
  size: number,
  fill: string,
  stroke: string,
  alpha = 1,
): string {
  const r = size / 2;
  const op = alpha < 1 ? ` opacity="${num(alpha)}"` : '';
  const filled = `fill="${fill}" stroke="${stroke}" stroke-width="1"${op}`;
  const poly = (pts: [number, number][]) =>
    `<path d="M${pts.map(([dx, dy]) => `${num(x + dx)},${num(y + dy)}`).join('L')}Z" ${filled}/>`;
  switch (marker) {
    case 'o':
      return `<circle cx="${num(x)}" cy="${num(y)}" r="${num(r)}" ${filled}/>`;
    case '.':
      return `<circle cx="${num(x)}" cy="${num(y)}" r="${num(r * 0.45)}" ${filled}/>`;
    case 's': {
      const h = r * 0.85;
      return `<rect x="${num(x - h)}" y="${num(y - h)}" width="${num(2 * h)}" height="${num(2 * h)}" ${filled}/>`;
    }
    case '^':
      return poly([
        [0, -r],
        [r * 0.87, r * 0.5],
        [-r * 0.87, r * 0.5],
      ]);
    case 'v':
      return poly([
        [0, r],
        [r * 0.87, -r * 0.5],
        [-r * 0.87, -r * 0.5],
      ]);
    case 'D':
      return poly([
        [0, -r],
        [r * 0.75, 0],
        [0, r],
        [-r * 0.75, 0],
      ]);
    case '*': {
      const pts: [number, number][] = [];
      for (let k = 0; k < 10; k++) {
        const a = -Math.PI / 2 + (k * Math.PI) / 5;
        const rr = k % 2 === 0 ? r * 1.1 : r * 0.45;
        pts.push([rr * Math.cos(a), rr * Math.sin(a)]);
      }
      return poly(pts);
    }
    case 'x':
    case '+': {
      const h = marker === 'x' ? r * 0.75 : r;
      const d =
        marker === 'x'
          ? `M${num(x - h)},${num(y - h)}L${num(x + h)},${num(y + h)}M${num(x - h)},${num(y + h)}L${num(x + h)},${num(y - h)}`
          : `M${num(x - h)},${num(y)}L${num(x + h)},${num(y)}M${num(x)},${num(y - h)}L${num(x)},${num(y + h)}`;
      return `<path d="${d}" fill="none" stroke="${stroke}" stroke-width="1.5"${op}/>`;
    }
    case 'none':
      return '';
  }
}
