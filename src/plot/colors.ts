// Colours: matplotlib's tab10 cycle and one-letter names, and the colour maps imshow and contour use.

/** matplotlib's default colour cycle (tab10), `C0`…`C9`. */
export const TAB10: readonly string[] = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/** matplotlib's one-letter colour names. */
const BASE: Record<string, string> = {
  b: '#0000ff',
  g: '#008000',
  r: '#ff0000',
  c: '#00bfbf',
  m: '#bf00bf',
  y: '#bfbf00',
  k: '#000000',
  w: '#ffffff',
};

/**
 * An SVG colour for a matplotlib colour spec: `'C0'`…`'C9'`, one letter (`'r'`, `'k'`), `'tab:blue'`,
 * or any CSS colour (`'#666666'`, `'red'`, `'rgb(…)'`), which passes through.
 * @example resolveColor('C1') // '#ff7f0e'
 */
export function resolveColor(spec: string): string {
  const c = /^C(\d)$/.exec(spec);
  if (c) return TAB10[Number(c[1])];
  if (spec in BASE) return BASE[spec];
  const tab = /^tab:(\w+)$/.exec(spec);
  if (tab) {
    const names = [
      'blue',
      'orange',
      'green',
      'red',
      'purple',
      'brown',
      'pink',
      'gray',
      'olive',
      'cyan',
    ];
    const i = names.indexOf(tab[1]);
    if (i >= 0) return TAB10[i];
  }
  if (!/^[#\w(),.%\s-]+$/.test(spec))
    throw new Error(`color: expected a colour name or #rrggbb, got '${spec}'`);
  return spec;
}

/** Names of the colour maps `imshow` and `contour` accept. */
export type ColormapName = 'gray' | 'gray_r' | 'binary' | 'viridis' | 'hot' | 'coolwarm';

/** Stops of each map, evenly spaced on [0, 1], as 0xrrggbb. */
const MAPS: Record<ColormapName, readonly number[]> = {
  gray: [0x000000, 0xffffff],
  gray_r: [0xffffff, 0x000000],
  binary: [0xffffff, 0x000000],
  // viridis sampled at 0, 0.1, …, 1 (matplotlib's values); linear in between is within 1–2 levels.
  viridis: [
    0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c, 0x22a884, 0x44bf70, 0x7ad151,
    0xbddf26, 0xfde725,
  ],
  hot: [0x0b0000, 0x5c0000, 0xad0000, 0xff0000, 0xff5400, 0xffa600, 0xfff700, 0xffff7f, 0xffffff],
  coolwarm: [0x3b4cc0, 0x6788ee, 0x9abbff, 0xc9d7f0, 0xedd1c2, 0xf7a889, 0xe26952, 0xb40426],
};

/**
 * A colour map as a function from t in [0, 1] (clipped) to `[r, g, b]` bytes.
 * @example colormap('gray')(0.5) // [128, 128, 128]
 */
export function colormap(name: ColormapName): (t: number) => [number, number, number] {
  const stops = MAPS[name];
  if (!stops)
    throw new Error(`colormap: expected one of ${Object.keys(MAPS).join(', ')}, got '${name}'`);
  const n = stops.length - 1;
  return (t: number) => {
    const u = Number.isNaN(t) ? 0 : Math.min(1, Math.max(0, t)) * n;
    const i = Math.min(n - 1, Math.floor(u));
    const f = u - i;
    const a = stops[i];
    const b = stops[i + 1];
    const mix = (shift: number) =>
      Math.round(((a >> shift) & 255) * (1 - f) + ((b >> shift) & 255) * f);
    return [mix(16), mix(8), mix(0)];
  };
}

/** `#rrggbb` of an `[r, g, b]` triple of bytes. */
export function rgbHex([r, g, b]: readonly number[]): string {
  return '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');
}
